"""Write the three real documents of the sample as Word files (.docx), as of 25/06/2018, have
LibreOffice convert them to PDF (headless) and render the pages to PNG: the Word output checked
by eye, as Word users would print it.

Usage: python tools/render_word_documents.py [OUTPUT_DIR]   (default: docs/documents/word)
Needs ``soffice`` (libreoffice-writer-nogui) and ``pdftoppm`` (poppler-utils) on PATH.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.db import connect  # noqa: E402
from app.documents.common import DocumentKind, DocumentOptions  # noqa: E402
from app.documents.generate import build  # noqa: E402
from app.documents.sample_scenario import record_sample_submissions  # noqa: E402
from app.services.directives import list_directives, save_report_texts  # noqa: E402
from app.services.sample import load_sample  # noqa: E402
from app.services.units import list_units  # noqa: E402
from tools.render_documents import (  # noqa: E402
    SAMPLE_ASSESSMENT,
    SAMPLE_DIFFICULTIES,
    SAMPLE_PROPOSALS,
    SHEET_UNIT,
    unit_for,
)

DAY = dt.date(2018, 6, 25)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "docs" / "documents" / "word"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        print(
            "soffice and pdftoppm are needed (libreoffice-writer-nogui, poppler-utils)",
            file=sys.stderr,
        )
        return 1
    out.mkdir(parents=True, exist_ok=True)
    for kind in DocumentKind:  # only this tool's own files
        for old in out.glob(f"{kind.file_stem}-*"):
            old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        db = connect(str(Path(tmp) / "documents.db"))
        try:
            load_sample(db)
            record_sample_submissions(db)
            directive_id = list_directives(db)[0].id
            save_report_texts(
                db,
                directive_id,
                assessment=SAMPLE_ASSESSMENT,
                difficulties=SAMPLE_DIFFICULTIES,
                proposals=SAMPLE_PROPOSALS,
            )
            unit_id = next(u.id for u in list_units(db) if u.name == SHEET_UNIT)
            files: list[Path] = []
            for kind in DocumentKind:
                target = out / f"{kind.file_stem}-{DAY:%Y-%m-%d}.docx"
                build(
                    db,
                    DocumentOptions(
                        kind=kind,
                        as_of=DAY,
                        directive_id=directive_id,
                        unit_id=unit_for(db, kind, DAY, unit_id),
                        today=DAY,
                    ),
                    target,
                )
                files.append(target)
        finally:
            db.dispose()
        converted = Path(tmp) / "pdf"
        profile = Path(tmp) / "profile"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(converted),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        for docx in files:
            pdf = converted / (docx.stem + ".pdf")
            subprocess.run(
                [pdftoppm, "-r", "70", "-png", str(pdf), str(docx.with_suffix(""))], check=True
            )
    for path in sorted(out.iterdir()):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
