"""Write the demo báo cáo and công văn PDFs and render their pages to PNG for a visual check.

Usage: python tools/render_demo_documents.py [OUTPUT_DIR]   (default: docs/documents/demo)
Needs ``pdftoppm`` (poppler-utils) on PATH.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.documents.demo import build_demo_letter, build_demo_report  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "docs" / "documents" / "demo"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    pdfs = {"bao-cao": out / "bao-cao.pdf", "cong-van": out / "cong-van.pdf"}
    build_demo_report(pdfs["bao-cao"])
    build_demo_letter(pdfs["cong-van"])
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found; PDFs written, no PNGs", file=sys.stderr)
        return 1
    for stem, pdf in pdfs.items():
        subprocess.run([pdftoppm, "-r", "70", "-png", str(pdf), str(out / stem)], check=True)
    for path in sorted(out.iterdir()):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
