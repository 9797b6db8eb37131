"""A document's edited text as a small TOML file, for the command line
(``report … --text-file noi-dung.toml``)::

    [opening]
    text = \"\"\"
    Thực hiện Công văn số 2116/UBND-NC …
    \"\"\"

    [noi_nhan]
    text = \"\"\"
    Như trên
    Lưu: VT, XDCQ
    \"\"\"

One table per editable field, named by its key (:meth:`DocumentContent.fields`: ``title``,
``letter_subject``, ``kinh_gui``, ``opening``, ``results``, ``owed``, ``request``, ``closing``,
``noi_nhan`` …), holding ``text``; ``key = "…"`` at the top level is accepted too. One paragraph
a line, as in the print dialog.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from app.documents.content import DocumentContent
from app.errors import NotFound, ValidationError


def read_text_file(path: str | Path) -> dict[str, str]:
    """{field key: text} from a TOML file; a clear Vietnamese error for a missing or bad file."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"Không có tệp nội dung {file}.") from None
    except OSError as exc:
        raise ValidationError(
            f"Không đọc được tệp nội dung {file}: {exc.strerror or exc}.", field="text_file"
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError(
            f"Tệp nội dung {file} không phải văn bản UTF-8. Hãy lưu lại tệp với bảng mã UTF-8.",
            field="text_file",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(
            f"Tệp nội dung {file} sai cú pháp TOML ({exc}). Mỗi phần viết dạng "
            '[opening] rồi dòng text = """…""".',
            field="text_file",
        ) from None
    edits: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            text = value.get("text")
            extra = sorted(set(value) - {"text"})
            if extra:
                raise ValidationError(
                    f'Tệp nội dung {file}: phần [{key}] chỉ có một mục text = """…""" '
                    f"(không hiểu: {', '.join(extra)}).",
                    field="text_file",
                )
        else:
            text = value
        if not isinstance(text, str):
            raise ValidationError(
                f'Tệp nội dung {file}: phần [{key}] phải có text = """…""" là chữ.',
                field="text_file",
            )
        edits[str(key)] = text.strip("\n")
    return edits


def check_keys(content: DocumentContent, edits: Mapping[str, str]) -> None:
    """Refuse a key the document has no field for (a typo would silently print nothing)."""
    known = [f.key for f in content.fields()]
    unknown = [k for k in edits if k not in known]
    if unknown:
        raise ValidationError(
            f"Văn bản này không có phần {', '.join(repr(k) for k in unknown)}. Các phần sửa "
            f"được: {', '.join(known)}.",
            field="text_file",
        )
