"""Build the three real documents from the sample data (plus a few documents received) as of
02/05/2018 and 25/06/2018, and render their pages to PNG for a visual check.

Usage: python tools/render_documents.py [OUTPUT_DIR]   (default: docs/documents)
Needs ``pdftoppm`` (poppler-utils) on PATH.
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
from app.services.directives import list_directives  # noqa: E402
from app.services.sample import load_sample  # noqa: E402
from app.services.units import list_units  # noqa: E402

DAYS = (dt.date(2018, 5, 2), dt.date(2018, 6, 25))
SHEET_UNIT = "UBND huyện Bình Sơn"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "docs" / "documents"
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.png"), *out.glob("*.pdf")]:
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        db = connect(str(Path(tmp) / "documents.db"))
        try:
            load_sample(db)
            record_sample_submissions(db)
            directive_id = list_directives(db)[0].id
            unit_id = next(u.id for u in list_units(db) if u.name == SHEET_UNIT)
            pdfs: list[Path] = []
            for day in DAYS:
                for kind in DocumentKind:
                    pdf = out / f"{kind.file_stem}-{day:%Y-%m-%d}.pdf"
                    build(db, DocumentOptions(kind=kind, as_of=day, directive_id=directive_id,
                                              unit_id=unit_id), pdf)
                    pdfs.append(pdf)
        finally:
            db.dispose()
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found; PDFs written, no PNGs", file=sys.stderr)
        return 1
    for pdf in pdfs:
        subprocess.run([pdftoppm, "-r", "70", "-png", str(pdf), str(pdf.with_suffix(""))],
                       check=True)
    for path in sorted(out.iterdir()):
        if path.is_file():
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
