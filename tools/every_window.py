"""Every window the program can show, built on the sample data: the main window's tabs and one
instance of every dialog. Used by ``tools/fit_probe.py`` (does each fit the screen?) and by
``tools/screenshots.py`` (what does each look like?).

``dialogs(db, window, folder)`` yields ``(name, build)`` pairs; ``build()`` returns the dialog,
not yet shown. Names are the screenshot file names (without ``.png``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

AS_OF = dt.date(2018, 5, 2)

TAB_NAMES = {
    "DashboardPage": "tab-tong-quan",
    "WarningsPage": "tab-canh-bao-han",
    "PlansPage": "tab-dang-ky-ke-hoach",
    "ReportsPage": "tab-tiep-nhan-bao-cao",
    "DirectivesPage": "tab-van-ban-chi-dao",
    "UnitsPage": "tab-don-vi",
}


def record_examples(db: Any) -> None:
    """A few plans and reports received, so the lists show every status."""
    from app.models import TaskKind
    from app.services import directives, units
    from app.services.intake import intake_rows, task_periods
    from app.services.submissions import SubmissionInput, record_submission

    directive = directives.list_directives(db)[0]
    plan = next(t for t in directive.tasks if t.kind is TaskKind.ONE_OFF)
    rows = {r.obligation.unit_name: r for r in intake_rows(db, AS_OF, task_id=plan.id)}
    for name, symbol, signed, received in (
        ("UBND thành phố Quảng Ngãi", "112/KH-UBND", (2018, 4, 24), (2018, 4, 26)),
        ("UBND huyện Bình Sơn", "45/KH-UBND", (2018, 4, 25), (2018, 4, 27)),
        ("UBND huyện Sơn Tịnh", "38/KH-UBND", (2018, 4, 27), (2018, 4, 28)),
        ("UBND huyện Mộ Đức", "52/KH-UBND", (2018, 4, 28), (2018, 5, 2)),
        ("UBND huyện Lý Sơn", "21/KH-UBND", (2018, 4, 29), (2018, 5, 1)),
    ):
        record_submission(
            db,
            SubmissionInput(
                rows[name].id,
                symbol,
                dt.date(*signed),
                dt.date(*received),
                signer="Chủ tịch UBND",
                summary="Kế hoạch phối hợp thực hiện công tác dân vận năm "
                "2018 - “Năm dân vận chính quyền”",
            ),
            today=AS_OF,
        )
    report = next(t for t in directive.tasks if t.kind is TaskKind.PERIODIC)
    period = task_periods(db, report.id)[0]
    reports = {
        r.obligation.unit_name: r
        for r in intake_rows(db, AS_OF, task_id=report.id, period_key=period.key)
    }
    record_submission(
        db,
        SubmissionInput(
            reports["Sở Tư pháp"].id,
            "101/BC-STP",
            dt.date(2018, 4, 28),
            dt.date(2018, 5, 2),
            channel="email",
        ),
        today=AS_OF,
    )
    record_submission(
        db,
        SubmissionInput(
            reports["Sở Tư pháp"].id,
            "105/BC-STP",
            dt.date(2018, 5, 2),
            dt.date(2018, 5, 2),
            summary="Báo cáo bổ sung",
        ),
        today=AS_OF,
    )
    so_y_te = next(u for u in units.list_units(db) if u.name == "Sở Y tế")
    units.update_unit(
        db,
        so_y_te.id,
        units.UnitInput(
            name=so_y_te.name,
            kind=so_y_te.kind,
            short_name="SYT",
            sort_order=so_y_te.sort_order,
            head_title="Giám đốc",
            phone="0255 3822 xxx",
        ),
    )


def tabs(window: Any) -> Iterator[tuple[str, int]]:
    """(screenshot name, tab index) of every tab."""
    for i in range(window.tabs.count()):
        yield TAB_NAMES.get(type(window.tabs.widget(i)).__name__, f"tab-{i}"), i


def dialogs(db: Any, window: Any, folder: Path) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Every dialog, built on demand (each is closed by the caller before the next)."""
    from app.documents.common import DocumentKind, DocumentOptions
    from app.documents.generate import generate
    from app.documents.issued import keep_issued, printed_text
    from app.exchange.xlsx_export import ExportFilters, export
    from app.models import TaskKind
    from app.services import directives, units
    from app.services.intake import intake_rows
    from app.services.obligations import get_obligation
    from ui.dialogs.calendar_days_dialog import CalendarDaysDialog
    from ui.dialogs.connection_dialog import ConnectionDialog
    from ui.dialogs.data_folder_dialog import DataFolderDialog
    from ui.dialogs.database_error_dialog import DatabaseErrorDialog
    from ui.dialogs.deadline_export_dialog import DeadlineExportDialog
    from ui.dialogs.directive_dialog import DirectiveDialog
    from ui.dialogs.document_dialog import DocumentDialog
    from ui.dialogs.followup_plan_dialog import FollowupPlanDialog
    from ui.dialogs.history_dialog import HistoryDialog
    from ui.dialogs.import_dialog import ImportDialog
    from ui.dialogs.import_history_dialog import ImportHistoryDialog
    from ui.dialogs.issued_documents_dialog import (
        IssuedDocumentsDialog,
        IssueNumberDialog,
        PrintedTextDialog,
    )
    from ui.dialogs.merge_dialog import MergeDialog
    from ui.dialogs.obligation_dialog import ObligationDialog
    from ui.dialogs.receive_files_dialog import ReceiveFilesDialog, TrustRootsDialog
    from ui.dialogs.settings_dialog import SettingsDialog
    from ui.dialogs.submission_dialog import SubmissionDialog
    from ui.dialogs.task_dialog import TaskDialog
    from ui.dialogs.transfer_dialog import TransferDialog
    from ui.dialogs.unit_dialog import UnitDialog
    from ui.dialogs.waive_dialog import WaiveDialog
    from ui.help_window import HelpWindow

    directive = directives.list_directives(db)[0]
    plan = next(t for t in directive.tasks if t.kind is TaskKind.ONE_OFF)
    report = next(t for t in directive.tasks if t.kind is TaskKind.PERIODIC)
    plan_rows = {r.obligation.unit_name: r for r in intake_rows(db, AS_OF, task_id=plan.id)}
    report_rows = {r.obligation.unit_name: r for r in intake_rows(db, AS_OF, task_id=report.id)}
    all_units = units.list_units(db)
    unit = next(u for u in all_units if u.name == "Sở Y tế")
    ba_to = plan_rows["UBND huyện Ba Tơ"].obligation
    tu_phap = report_rows["Sở Tư pháp"].obligation

    issued: list[Any] = []

    def kept() -> Any:
        """A reminder printed on the day (for the list of issued documents), kept once."""
        if not issued:
            options = DocumentOptions(DocumentKind.REMINDER, AS_OF, directive.id, today=AS_OF)
            generated = generate(db, options, folder / "cong-van-don-doc.pdf")
            issued.append(keep_issued(db, options, generated))
        return issued[0]

    def issued_list() -> Any:
        kept()
        return IssuedDocumentsDialog(
            db, today=AS_OF, opener=lambda _options, _id: None, parent=window
        )

    def import_dialog() -> Any:
        path, _count = export(db, "units", folder / "don-vi.xlsx", ExportFilters(as_of=AS_OF))
        return ImportDialog(db, "units", path, today=AS_OF, parent=window)

    yield (
        "dialog-dang-ky-ke-hoach",
        lambda: SubmissionDialog(
            db, get_obligation(db, ba_to.id, AS_OF), today=AS_OF, parent=window
        ),
    )
    yield (
        "dialog-tiep-nhan-bao-cao",
        lambda: SubmissionDialog(
            db, get_obligation(db, tu_phap.id, AS_OF), today=AS_OF, earlier=2, parent=window
        ),
    )
    yield "dialog-van-ban-chi-dao", lambda: DirectiveDialog(db, directive, window)
    yield "dialog-nhiem-vu", lambda: TaskDialog(db, directive, report, all_units, window)
    yield "dialog-nhiem-vu-moi", lambda: TaskDialog(db, directive, None, all_units, window)
    yield "dialog-don-vi", lambda: UnitDialog(db, unit, window)
    yield (
        "dialog-sap-nhap",
        lambda: MergeDialog(
            db, next(u for u in all_units if u.name == "Sở Ngoại vụ"), all_units, window
        ),
    )
    yield (
        "dialog-mien-nghia-vu",
        lambda: WaiveDialog(db, get_obligation(db, ba_to.id, AS_OF), window),
    )
    yield "dialog-lich-su", lambda: HistoryDialog(db, "unit", unit.id, unit.name, window)
    yield "dialog-nghia-vu", lambda: ObligationDialog(db, tu_phap.id, AS_OF, window)
    yield (
        "dialog-in-tong-hop",
        lambda: DocumentDialog(
            db, as_of=AS_OF, kind="summary", directive_id=directive.id, parent=window, today=AS_OF
        ),
    )
    yield (
        "dialog-in-don-doc",
        lambda: DocumentDialog(
            db, as_of=AS_OF, kind="reminder", directive_id=directive.id, parent=window, today=AS_OF
        ),
    )
    yield (
        "dialog-in-phieu-don-vi",
        lambda: DocumentDialog(
            db,
            as_of=AS_OF,
            kind="unit-sheet",
            directive_id=directive.id,
            unit_id=unit.id,
            parent=window,
            today=AS_OF,
        ),
    )
    yield "dialog-cai-dat", lambda: SettingsDialog(db, window)
    yield "dialog-nhap-excel", import_dialog
    yield "dialog-thu-muc-du-lieu", lambda: DataFolderDialog(db, window)
    yield "dialog-ket-noi", lambda: ConnectionDialog(window)
    yield (
        "dialog-loi-du-lieu",
        lambda: DatabaseErrorDialog(
            "Tệp dữ liệu bị hỏng: không đọc được bảng đơn vị.", folder / "sotheodoi.db", window
        ),
    )
    yield (
        "dialog-ke-hoach-don-doc",
        lambda: FollowupPlanDialog(db, window, directive_id=directive.id),
    )
    yield "dialog-lich-nghi", lambda: CalendarDaysDialog(db, AS_OF, window)
    yield "dialog-xuat-lich-ics", lambda: DeadlineExportDialog(db, AS_OF, window, mode="ics")
    yield (
        "dialog-thu-nhac-han",
        lambda: DeadlineExportDialog(db, AS_OF, window, mode="eml", directive_id=directive.id),
    )
    yield (
        "dialog-in-don-doc-don-vi",
        lambda: DocumentDialog(
            db,
            as_of=AS_OF,
            kind="unit-reminder",
            directive_id=directive.id,
            unit_id=ba_to.unit_id,
            parent=window,
            today=AS_OF,
        ),
    )
    yield (
        "dialog-in-du-thao-ubnd-tinh",
        lambda: DocumentDialog(
            db,
            as_of=AS_OF,
            kind="escalation",
            directive_id=directive.id,
            parent=window,
            today=AS_OF,
        ),
    )
    yield "dialog-nhan-van-ban-tu-tep", lambda: ReceiveFilesDialog(window)
    yield "dialog-ca-tin-cay", lambda: TrustRootsDialog(db, window)
    yield "dialog-van-ban-da-phat-hanh", issued_list
    yield "dialog-noi-dung-da-in", lambda: PrintedTextDialog(kept(), printed_text(kept()), window)
    yield "dialog-ghi-so-ngay", lambda: IssueNumberDialog(kept(), window)
    yield "dialog-cac-lan-nhap-excel", lambda: ImportHistoryDialog(db, window)
    yield (
        "dialog-chuyen-du-lieu",
        lambda: TransferDialog(window, db.url, "postgresql://chuyenvien@may-chu/sotheodoi"),
    )
    yield "cua-so-huong-dan", lambda: HelpWindow(window)
