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
from app.services.directives import list_directives, save_report_texts  # noqa: E402
from app.services.obligations import list_obligations  # noqa: E402
from app.services.sample import load_sample  # noqa: E402
from app.services.units import list_units  # noqa: E402
from app.status import Status  # noqa: E402

DAYS = (dt.date(2018, 5, 2), dt.date(2018, 6, 25))
SHEET_UNIT = "UBND huyện Bình Sơn"
# The free-text sections the specialist writes in the dialog (saved with the directive).
SAMPLE_ASSESSMENT = (
    "Nhìn chung, các cơ quan, đơn vị đã quan tâm triển khai Kế hoạch phối hợp; nhiều địa phương "
    "chủ động phối hợp với Ban Dân vận cùng cấp xây dựng kế hoạch, bảo đảm thời gian quy định.\n"
    "Tuy nhiên, một số đơn vị còn chậm gửi kế hoạch, báo cáo; nội dung báo cáo của một số nơi "
    "còn chung chung, chưa nêu rõ kết quả cụ thể."
)
SAMPLE_DIFFICULTIES = (
    "Một số huyện miền núi thiếu cán bộ làm công tác dân vận chính quyền; việc gửi văn bản qua "
    "hệ thống quản lý văn bản và điều hành ở một số nơi chưa thường xuyên."
)
SAMPLE_PROPOSALS = (
    "Đề nghị Ủy ban nhân dân tỉnh nhắc nhở Thủ trưởng các cơ quan, đơn vị chưa gửi kế hoạch, "
    "báo cáo khẩn trương thực hiện; chỉ đạo các cơ quan, đơn vị gửi báo cáo đúng thời hạn để "
    "kịp thời tổng hợp, báo cáo Ban Thường vụ Tỉnh ủy."
)


def unit_for(db: object, kind: DocumentKind, day: dt.date, sheet_unit: int) -> int:
    """The unit of the sheet; for a unit's consolidated reminder, the first unit (not the
    agency) still owing something that day (a unit owing nothing gets no letter)."""
    if kind is not DocumentKind.UNIT_REMINDER:
        return sheet_unit
    overdue = [
        r
        for r in list_obligations(db, day, statuses=[Status.OVERDUE])  # type: ignore[arg-type]
        if r.unit_name != "Sở Nội vụ"
    ]
    return overdue[0].unit_id if overdue else sheet_unit


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "docs" / "documents"
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
            pdfs: list[Path] = []
            for day in DAYS:
                for kind in DocumentKind:
                    pdf = out / f"{kind.file_stem}-{day:%Y-%m-%d}.pdf"
                    # Made on the as-of day itself (its year in the blank date line).
                    build(
                        db,
                        DocumentOptions(
                            kind=kind,
                            as_of=day,
                            directive_id=directive_id,
                            unit_id=unit_for(db, kind, day, unit_id),
                            today=day,
                        ),
                        pdf,
                    )
                    pdfs.append(pdf)
        finally:
            db.dispose()
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found; PDFs written, no PNGs", file=sys.stderr)
        return 1
    for pdf in pdfs:
        subprocess.run(
            [pdftoppm, "-r", "70", "-png", str(pdf), str(pdf.with_suffix(""))], check=True
        )
    for path in sorted(out.iterdir()):
        if path.is_file():
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
