"""Measure the intake reader on the generated corpus and print the tables of
docs/intake-accuracy.md (per field precision and recall, confident-wrong count, read times).

    PYTHONPATH=. python tools/intake_accuracy.py [--corpus DIR] [--no-scans]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db import connect  # noqa: E402
from app.reading.text import ocr_available  # noqa: E402
from app.services.sample import load_sample  # noqa: E402
from tests.data.received.accuracy import measure  # noqa: E402
from tests.data.received.generate import build  # noqa: E402

TODAY = dt.date(2019, 1, 10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--no-scans", action="store_true")
    args = parser.parse_args(argv)
    scans = not args.no_scans and ocr_available()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or Path(tmp) / "corpus"
        build(corpus, scans=scans, libreoffice=True)
        db = connect(str(Path(tmp) / "sample.db"))
        load_sample(db)
        report, _ = measure(db, corpus, today=TODAY)
        db.dispose()
    print(report.markdown())
    print(
        f"Sai mà chắc chắn (mọi trường): {report.confident_wrong()}; đơn vị và ngày ký: "
        f"{report.confident_wrong(['unit', 'signed_date'])}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
