"""tools/trim_icu.py: the ICU data library of the Linux bundle, on the wheel's own library."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("trim_icu", ROOT / "tools" / "trim_icu.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["trim_icu"] = module
    spec.loader.exec_module(module)
    return module


trim_icu = _load_tool()


def _wheel_icu_data() -> Path:
    spec = importlib.util.find_spec("PySide6")
    found = []
    if spec is not None and spec.origin is not None:
        found = sorted((Path(spec.origin).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not sys.platform.startswith("linux") or not found:
        pytest.skip("PySide6's ICU data library is part of the Linux wheel only")
    return found[0]


def test_the_writer_reproduces_the_wheel_blob_byte_for_byte() -> None:
    library = trim_icu.read_library(_wheel_icu_data())
    common = trim_icu.parse_common(library.blob, library.version)
    assert len(common.items) > 1000
    assert trim_icu.write_common(common) == library.blob


def test_trimmed_library_keeps_what_qt_needs(tmp_path: Path) -> None:
    source = _wheel_icu_data()
    target = tmp_path / source.name
    result = trim_icu.trim(source, target)
    assert result.after < result.before / 5
    built = trim_icu.read_library(target)
    original = trim_icu.read_library(source)
    assert (built.soname, built.symbol) == (original.soname, original.symbol)
    kept = dict(trim_icu.parse_common(built.blob, built.version).items)
    assert len(kept) == result.items_kept
    assert set(trim_icu.REQUIRED) <= set(kept)
    assert not any(name.startswith(("brkitr/", "translit/", "lang/", "unit/")) for name in kept)
    # Items are copied byte for byte.
    whole = dict(trim_icu.parse_common(original.blob, original.version).items)
    assert all(whole[name] == item for name, item in kept.items())
    assert any(ord(ch) > 127 for ch in result.zone_name)  # e.g. "Giờ Đông Dương"


def test_missing_vietnamese_collation_stops_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _wheel_icu_data()
    monkeypatch.setattr(trim_icu, "KEPT", tuple(k for k in trim_icu.KEPT if k != "coll/vi.res"))
    with pytest.raises(trim_icu.TrimError, match=r"coll/vi\.res"):
        trim_icu.trim(source, tmp_path / source.name)
    # Even past the list of required items, the runtime check notices.
    monkeypatch.setattr(
        trim_icu, "REQUIRED", tuple(k for k in trim_icu.REQUIRED if k != "coll/vi.res")
    )
    with pytest.raises(trim_icu.TrimError, match="ucol_open"):
        trim_icu.trim(source, tmp_path / source.name)


def test_a_library_that_is_not_icu_data_is_unrecognised(tmp_path: Path) -> None:
    source = _wheel_icu_data()
    other = source.with_name(source.name.replace("icudata", "icuuc"))
    with pytest.raises(trim_icu.UnrecognisedLayout):
        trim_icu.trim(other, tmp_path / "out.so")
    with pytest.raises(trim_icu.UnrecognisedLayout):
        trim_icu.parse_common(b"\0" * 64, "73")
