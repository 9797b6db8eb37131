"""Run the benchmarks and write the results into ``docs/performance.md``.

    python bench/run.py --scales S,M --repeat 5 --out docs/performance.md

Every figure is the median of ``--repeat`` runs and stands beside a floor measured in the same
run (the least the machine can do for the same work). Databases come from
``bench/generate.py`` (kept under ``bench/data/``, generated when missing). The part of
``docs/performance.md`` between the ``bench:begin``/``bench:end`` markers is replaced; the
rest of the file (the bundle section) is kept.

A figure that could not be measured is written as "not measured", never guessed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import SCALES, ensure  # noqa: E402
from bench.measure import KEYSTROKES, child_env, paired, slowest, timed, typed  # noqa: E402

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
NOT_MEASURED = "not measured"


@dataclass
class Figure:
    """One measured line: the median (seconds or MB), the floor, and what was measured."""

    key: str
    scale: str
    value: float | None  # None: not measured
    floor: float | None = None
    unit: str = "s"
    runs: list[float] = field(default_factory=list)
    floor_runs: list[float] = field(default_factory=list)
    note: str = ""
    cpu: float | None = None  # CPU time of the same runs (the machine may be shared)
    floor_cpu: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor

    @classmethod
    def of(
        cls,
        key: str,
        scale: str,
        runs: list[float],
        floor_runs: list[float] | None = None,
        **more: Any,
    ) -> Figure:
        """The median of ``runs`` beside the median of ``floor_runs`` (None: no floor)."""
        floor = statistics.median(floor_runs) if floor_runs else None
        return cls(
            key,
            scale,
            statistics.median(runs),
            floor,
            runs=runs,
            floor_runs=floor_runs or [],
            **more,
        )


def median_of(fn: Callable[[int], float], repeat: int, warmup: int = 1) -> list[float]:
    for i in range(warmup):
        fn(-1 - i)
    return [fn(i) for i in range(repeat)]


# --- warnings for a new as-of day -------------------------------------------------------------

FLOOR_WARNINGS_SQL = """
SELECT o.id, o.task_id, t.title, t.kind, t.directive_id, d.number_symbol, o.unit_id, u.name,
       u.short_name, u.kind, u.sort_order, o.period_key, o.period_label, o.due_date,
       o.first_received,
       CASE WHEN o.submission_count > 0 AND o.first_received <= :day THEN
         (SELECT COUNT(s.id) FROM submission s
          WHERE s.obligation_id = o.id AND s.received_date <= :day) ELSE 0 END,
       CASE WHEN o.due_date < :day THEN 'overdue' ELSE 'due_soon' END,
       o.exempt_reason, o.waived
FROM obligation o
JOIN task t ON t.id = o.task_id
JOIN directive d ON d.id = t.directive_id
JOIN unit u ON u.id = o.unit_id
WHERE o.id IN (
  SELECT id FROM obligation WHERE first_received IS NULL AND due_date <= :horizon
    AND exempt_reason IS NULL AND waived = 0
  UNION ALL
  SELECT id FROM obligation WHERE first_received > :day AND due_date <= :horizon
    AND exempt_reason IS NULL AND waived = 0)
ORDER BY o.due_date, t.directive_id, t.sort_order, t.id, u.kind, u.sort_order, u.id
"""


def bench_warnings(scale: str, path: Path, repeat: int) -> list[Figure]:
    """Overdue + due-soon obligations of every directive for a day not asked before."""
    from app.db import connect
    from app.services.obligations import query_obligations
    from app.settings import load_settings
    from app.status import Status

    base = SCALES[scale].as_of
    db = connect(str(path))
    with db.read() as session:
        window = load_settings(session).warning_days
    counts: list[int] = []

    cpu: dict[str, list[float]] = {"core": [], "floor": []}

    def core(i: int) -> float:
        day = base + dt.timedelta(days=i + 1)  # a new day each run
        with db.read() as session:
            started, cpu_started = time.perf_counter(), time.process_time()
            rows = query_obligations(session, day, statuses=[Status.OVERDUE, Status.DUE_SOON])
            elapsed = time.perf_counter() - started
            cpu["core"].append(time.process_time() - cpu_started)
        counts.append(len(rows))
        return elapsed

    conn = sqlite3.connect(str(path))

    def floor(i: int) -> float:
        day = base + dt.timedelta(days=i + 1)
        params = {"day": day.isoformat(), "horizon": (day + dt.timedelta(days=window)).isoformat()}
        started, cpu_started = time.perf_counter(), time.process_time()
        rows = conn.execute(FLOOR_WARNINGS_SQL, params).fetchall()
        elapsed = time.perf_counter() - started
        cpu["floor"].append(time.process_time() - cpu_started)
        counts.append(-len(rows))
        return elapsed

    core_runs: list[float] = []
    floor_runs: list[float] = []
    core(-1)
    floor(-1)
    for i in range(repeat):  # interleaved: both see the same machine state
        core_runs.append(core(i))
        floor_runs.append(floor(i))
    conn.close()
    db.dispose()
    rows = counts[-1]
    return [
        Figure.of(
            "warnings",
            scale,
            core_runs,
            floor_runs,
            note=f"{abs(rows)} rows",
            cpu=statistics.median(cpu["core"][-repeat:]),
            floor_cpu=statistics.median(cpu["floor"][-repeat:]),
        )
    ]


def bench_first_page(scale: str, path: Path, repeat: int) -> list[Figure]:
    """Lazy loading: the first 200 rows of the whole obligation list (every status) for a
    day, the way a large table loads a page at a time instead of every row."""
    from app.db import connect
    from app.services.obligations import query_obligations

    base = SCALES[scale].as_of
    db = connect(str(path))
    cpu: list[float] = []

    def run(i: int) -> float:
        with db.read() as session:
            started, cpu_started = time.perf_counter(), time.process_time()
            query_obligations(session, base + dt.timedelta(days=i + 1), limit=200)
            elapsed = time.perf_counter() - started
            cpu.append(time.process_time() - cpu_started)
        return elapsed

    runs = median_of(run, repeat)
    db.dispose()
    return [
        Figure.of(
            "first_page",
            scale,
            runs,
            cpu=statistics.median(cpu[-repeat:]),
            note="query_obligations(limit=200) over all obligations, any status",
        )
    ]


# --- search as you type ------------------------------------------------------------------------

SEARCH_ROWS_SQL = """
SELECT o.id, u.name, u.short_name, d.number_symbol, t.title, o.period_label
FROM obligation o JOIN task t ON t.id = o.task_id JOIN directive d ON d.id = t.directive_id
JOIN unit u ON u.id = o.unit_id
"""


def search_fields(path: Path) -> list[tuple[str, ...]]:
    """The text of each obligation row a table shows: unit, directive, task, period."""
    conn = sqlite3.connect(str(path))
    try:
        return [tuple(v or "" for v in row[1:]) for row in conn.execute(SEARCH_ROWS_SQL)]
    finally:
        conn.close()


def search_keys(path: Path) -> list[str]:
    """One accent-free key per obligation row, as a table's filter would precompute."""
    from app.search import SearchIndex

    return SearchIndex.from_fields(search_fields(path))._keys


def bench_search(scale: str, path: Path, repeat: int) -> list[Figure]:
    """One keystroke of a query typed letter by letter, over every obligation row held in
    memory with ``app.search.SearchIndex``; and the worst case, a full scan every keystroke
    (pasting, deleting)."""
    from app.search import SearchIndex

    started = time.perf_counter()
    index = SearchIndex.from_fields(search_fields(path))
    build = time.perf_counter() - started
    figures = []
    for key, narrowing in (("search", True), ("search_scan", False)):
        per_key: list[float] = []
        cpu_started = time.process_time()
        for _ in range(repeat):
            index.reset()
            for n in range(1, len(KEYSTROKES) + 1):
                if not narrowing:
                    index.reset()
                per_key.append(timed(lambda n=n: index.filter(KEYSTROKES[:n])))
        cpu_mean = (time.process_time() - cpu_started) / len(per_key)
        matches = len(index.filter(KEYSTROKES))
        note = f"{len(index)} rows in memory; {slowest(per_key)}"
        if narrowing:
            note += f'; "{KEYSTROKES}" typed -> {matches} rows; keys built once in {build:.2f} s'
        figures.append(Figure.of(key, scale, per_key, note=note, cpu=cpu_mean))
    return figures


def bench_search_proxy(scale: str, path: Path, repeat: int) -> list[Figure]:
    """The same keystrokes through a QSortFilterProxyModel whose filterAcceptsRow uses the
    precomputed keys (how a table page filters), offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
    from PySide6.QtWidgets import QApplication

    from app.search import SearchIndex

    QApplication.instance() or QApplication([sys.argv[0]])
    keys = search_keys(path)

    class Model(QAbstractTableModel):
        def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(keys)

        def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else 1

        def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
            return keys[index.row()] if role == Qt.ItemDataRole.DisplayRole else None

    class Proxy(QSortFilterProxyModel):
        accepted: set[int] | None = None

        def set_query(self, text: str) -> None:
            self.beginFilterChange()
            rows = index.filter(text)
            self.accepted = set(rows) if len(rows) < len(keys) else None
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

        def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
            return self.accepted is None or row in self.accepted

    index = SearchIndex(keys, keys_ready=True)
    proxy = Proxy()
    proxy.setSourceModel(Model())

    def keystroke(text: str) -> None:
        proxy.set_query(text)
        proxy.rowCount()

    per_key = typed(
        keystroke, max(1, repeat // 2), before=index.reset, after=lambda: proxy.set_query("")
    )
    return [
        Figure.of(
            "search_proxy",
            scale,
            per_key,
            note="QSortFilterProxyModel.filterAcceptsRow in Python over a set from "
            f"SearchIndex; {slowest(per_key)}",
        )
    ]


def bench_search_model(scale: str, path: Path, repeat: int) -> list[Figure]:
    """The remedy for large tables: the table model itself shows ``SearchIndex.filter`` rows
    (a model reset per keystroke), in a QTableView shown offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from app.search import SearchIndex

    app = QApplication.instance() or QApplication([sys.argv[0]])
    fields_ = search_fields(path)
    index = SearchIndex.from_fields(fields_)

    class Model(QAbstractTableModel):
        visible: list[int] = list(range(len(fields_)))

        def set_query(self, text: str) -> None:
            self.beginResetModel()
            self.visible = index.filter(text)
            self.endResetModel()

        def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else len(self.visible)

        def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else 5

        def data(self, idx: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            return fields_[self.visible[idx.row()]][idx.column()]

    model = Model()
    view = QTableView()
    view.verticalHeader().setDefaultSectionSize(22)
    view.setModel(model)
    view.resize(1000, 600)
    view.show()
    app.processEvents()

    def keystroke(text: str) -> None:
        model.set_query(text)
        view.viewport().repaint()

    per_key = typed(
        keystroke, max(1, repeat // 2), before=index.reset, after=lambda: model.set_query("")
    )
    view.close()
    return [
        Figure.of(
            "search_model",
            scale,
            per_key,
            note="model reset to the SearchIndex rows + repaint of a QTableView; "
            + slowest(per_key),
        )
    ]


def bench_search_page(scale: str, path: Path, repeat: int) -> list[Figure]:
    """The real "Cảnh báo hạn" page: every overdue and due-soon row of the day loaded, the
    query typed into its search box letter by letter, each keystroke timed until the view
    is repainted (offscreen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.db import connect
    from ui import tasks
    from ui.main_window import MainWindow
    from ui.pages.warnings_page import WarningsPage

    app = QApplication.instance() or QApplication([sys.argv[0]])
    db = connect(str(path))
    tasks.set_synchronous(True)
    try:
        window = MainWindow(db, today=SCALES[scale].as_of)
        page = next(
            window.tabs.widget(i)
            for i in range(window.tabs.count())
            if isinstance(window.tabs.widget(i), WarningsPage)
        )
        window.tabs.setCurrentWidget(page)
        window.resize(1200, 760)
        window.show()
        app.processEvents()
        rows = page.model.rowCount()
        shown: list[int] = []

        def keystroke(text: str) -> None:
            page.search_edit.setText(text)
            page.search_edit.returnPressed.emit()  # the query now, not after the pause
            page.view.viewport().repaint()

        def clear() -> None:
            shown.append(page.model.rowCount())
            page.search_edit.setText("")
            app.processEvents()

        per_key = typed(keystroke, max(1, repeat // 2), after=clear)
        window.close()
    finally:
        tasks.set_synchronous(False)
        db.dispose()
    return [
        Figure.of(
            "search_page",
            scale,
            per_key,
            note=f'the warnings page with {rows} rows; "{KEYSTROKES}" -> {shown[-1]} '
            f"rows; {slowest(per_key)}",
        )
    ]


# --- cold start and memory (child processes) ---------------------------------------------------


def _probe(mode: str, path: Path | None, scale: str) -> dict[str, float]:
    with child_env() as env:  # byte code written by the warm-up run, as installed
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["XDG_CONFIG_HOME"] = env["SOTHEODOI_DATA"]
        cmd = [sys.executable, str(ROOT / "bench" / "probe.py"), mode]
        if path is not None:
            cmd += ["--db", str(path), "--day", SCALES[scale].as_of.isoformat()]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
        )
        assert proc.stdout is not None
        # The first line comes when the window is painted with the data of the page on
        # screen; the last one after every page has loaded (memory, counts).
        line = proc.stdout.readline()
        wall = time.perf_counter() - started
        out, err = proc.communicate(timeout=600)
        if not line.startswith("{"):
            raise RuntimeError(f"probe {mode} failed: {line}{err}")
        result = json.loads(line)
        for extra in out.splitlines():
            if extra.startswith("{"):
                result.update(json.loads(extra))
        result["wall_s"] = wall
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU of the whole child run (it exits right after painting): robust to a busy machine.
        result["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return result


def bench_cold_start(scale: str, path: Path, repeat: int) -> list[Figure]:
    app_runs: list[float] = []
    floor_runs: list[float] = []
    app_cpu: list[float] = []
    floor_cpu: list[float] = []
    _probe("app", path, scale)  # warm the OS file cache for both
    _probe("floor", None, scale)
    tabs = 0.0
    all_loaded: list[float] = []
    for _ in range(repeat):
        result = _probe("app", path, scale)
        app_runs.append(result["wall_s"])
        app_cpu.append(result.get("painted_cpu_s", result["cpu_s"]))
        # pages_loaded_s: every page delivered, not counting the start-up backup
        all_loaded.append(result.get("pages_loaded_s", result.get("all_loaded_s", 0.0)))
        tabs = result.get("tabs", 0)
        floor = _probe("floor", None, scale)
        floor_runs.append(floor["wall_s"])
        floor_cpu.append(floor.get("painted_cpu_s", floor["cpu_s"]))
    return [
        Figure.of(
            "cold_start",
            scale,
            app_runs,
            floor_runs,
            note=f"window with {int(tabs)} tab pages, the overview painted with its "
            f"data; every page loaded after "
            f"{statistics.median(all_loaded):.2f} s (median, in the background); "
            "CPU time: the child's own, up to the paint",
            cpu=statistics.median(app_cpu),
            floor_cpu=statistics.median(floor_cpu),
        )
    ]


def bench_memory(scale: str, path: Path, repeat: int) -> list[Figure]:
    window = [_probe("app", path, scale)["maxrss_mb"] for _ in range(max(1, repeat // 2))]
    floor = [_probe("floor", None, scale)["maxrss_mb"] for _ in range(max(1, repeat // 2))]
    figures = [
        Figure.of("memory", scale, window, floor, unit="MB", note="main window, every page loaded")
    ]
    if scale == "L":
        return figures  # no table holds a million rows: the upper bound does not apply
    rows = [_probe("app-rows", path, scale) for _ in range(max(1, repeat // 2))]
    held = int(rows[0].get("rows", 0))
    return [
        *figures,
        Figure(
            "memory_rows",
            scale,
            statistics.median([r["maxrss_mb"] for r in rows]),
            statistics.median(floor),
            unit="MB",
            runs=[r["maxrss_mb"] for r in rows],
            note=f"window + all {held} obligation rows held in memory (upper bound)",
        ),
    ]


# --- synthesis report PDF and Excel export ------------------------------------------------------


def appendix_directive(path: Path) -> int:
    """The directive that binds the most units (all 130 at M)."""
    conn = sqlite3.connect(str(path))
    try:
        (directive_id,) = conn.execute(
            "SELECT t.directive_id FROM obligation o JOIN task t ON t.id = o.task_id "
            "GROUP BY t.directive_id ORDER BY COUNT(DISTINCT o.unit_id) DESC, COUNT(*) DESC "
            "LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return int(directive_id)


def appendix_lines(path: Path) -> list[str]:
    """The text of the synthesis report's appendix for the directive that binds the most
    units: one line per unit (130 at M) with its counts on the data's day."""
    directive_id = appendix_directive(path)
    conn = sqlite3.connect(str(path))
    try:
        rows = conn.execute(
            "SELECT u.name, COUNT(*), "
            "SUM(o.first_received IS NOT NULL AND o.first_received <= o.due_date), "
            "SUM(o.first_received > o.due_date), SUM(o.first_received IS NULL) "
            "FROM obligation o JOIN task t ON t.id = o.task_id JOIN unit u ON u.id = o.unit_id "
            "WHERE t.directive_id = ? GROUP BY u.id ORDER BY u.sort_order",
            (directive_id,),
        ).fetchall()
    finally:
        conn.close()
    return [
        f"{n}. {name} — {total} nghĩa vụ: {on_time} đúng hạn, {late} trễ hạn, {missing} chưa gửi"
        for n, (name, total, on_time, late, missing) in enumerate(rows, start=1)
    ]


def pdf_floor(lines: list[str], target: Path) -> None:
    """ReportLab drawing the same text with no layout: one line after another."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(target), pagesize=A4)
    _w, height = A4
    y = height - 60
    canvas.setFont("Helvetica", 9)
    for line in lines:
        canvas.drawString(60, y, line)
        y -= 12
        if y < 60:
            canvas.showPage()
            canvas.setFont("Helvetica", 9)
            y = height - 60
    canvas.save()


def report_product(path: Path, target: Path, day: dt.date) -> float:
    """The synthesis report of ``app.documents`` (summary + appendix of every bound unit) for
    the directive of :func:`appendix_lines`: open the database, gather, lay out, write (the
    target's suffix picks PDF or Word)."""
    from app.db import connect
    from app.documents.common import DocumentKind, DocumentOptions
    from app.documents.generate import build

    directive_id = appendix_directive(path)
    db = connect(str(path))
    try:
        options = DocumentOptions(
            kind=DocumentKind.SUMMARY, as_of=day, directive_id=directive_id, today=day
        )
        started = time.perf_counter()
        build(db, options, target)
        return time.perf_counter() - started
    finally:
        db.dispose()


def _report_figure(
    key: str,
    scale: str,
    path: Path,
    repeat: int,
    floor_writer: Callable[[list[str], Path], None],
    describe: Callable[[Path], str],
) -> Figure:
    """The synthesis report written by the program beside ``floor_writer`` writing the same
    text, interleaved; the file is named ``report.<key>`` (its suffix picks the format) and
    ``describe`` says what was written."""
    lines = appendix_lines(path)
    day = SCALES[scale].as_of
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"report.{key}"
        floor_target = Path(tmp) / f"floor.{key}"
        floor_writer(lines, floor_target)  # warm-up (imports, fonts, template)
        report_product(path, target, day)
        times = paired(
            lambda: report_product(path, target, day),
            lambda: timed(lambda: floor_writer(lines, floor_target)),
            repeat,
        )
        note = f"appendix of {len(lines)} units; {describe(target)}"
    return Figure.of(
        key,
        scale,
        times.runs,
        times.floor_runs,
        note=note,
        cpu=times.mean_cpu,
        floor_cpu=times.mean_floor_cpu,
    )


def bench_pdf(scale: str, path: Path, repeat: int) -> list[Figure]:
    def pages(target: Path) -> str:
        return f"{_pdf_pages(target)} pages (A4)"

    return [_report_figure("pdf", scale, path, repeat, pdf_floor, pages)]


def docx_floor(lines: list[str], target: Path) -> None:
    """python-docx writing the same text as plain paragraphs, no table, no formatting."""
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(target))


def bench_docx(scale: str, path: Path, repeat: int) -> list[Figure]:
    """The same synthesis report as :func:`bench_pdf`, written as a Word document (.docx)."""

    def size(target: Path) -> str:
        return f"{target.stat().st_size / 1024:.0f} KB file"

    return [_report_figure("docx", scale, path, repeat, docx_floor, size)]


def _pdf_pages(path: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        return 0
    return len(PdfReader(str(path)).pages)


def export_rows(path: Path, limit: int = 100_000) -> list[tuple[object, ...]]:
    """Obligation rows as the export receives them: text, real dates, counts."""
    conn = sqlite3.connect(str(path))
    day = dt.date.fromisoformat
    try:
        raw = conn.execute(
            "SELECT d.number_symbol, t.title, u.name, o.period_label, o.due_date, "
            "o.first_received, o.submission_count, COALESCE(o.exempt_reason, '') "
            "FROM obligation o JOIN task t ON t.id = o.task_id "
            "JOIN directive d ON d.id = t.directive_id JOIN unit u ON u.id = o.unit_id "
            "ORDER BY o.due_date, o.id LIMIT ?",
            (limit,),
        ).fetchall()
    finally:
        conn.close()
    return [
        (a, b, c, d, day(due), day(got) if got else None, n, note)
        for a, b, c, d, due, got, n, note in raw
    ]


def xlsx_floor(rows: list[tuple[object, ...]], target: Path) -> None:
    """openpyxl write-only mode writing the same cells."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nghĩa vụ")
    sheet.append(list(EXPORT_HEADERS))
    for row in rows:
        sheet.append(list(row))
    book.save(str(target))


EXPORT_HEADERS = (
    "Văn bản",
    "Nhiệm vụ",
    "Đơn vị",
    "Kỳ",
    "Hạn",
    "Ngày nhận",
    "Số văn bản",
    "Ghi chú",
)


def xlsx_product(rows: list[tuple[object, ...]], target: Path) -> None:
    """``app.exchange.xlsx_export.write_table`` writing the same cells (title, styled header,
    date cells, widths, autofilter), as the window exports a table view."""
    from app.exchange.xlsx_writer import Column, Table, write_table

    table = Table(
        "TIẾP NHẬN BÁO CÁO CỦA CÁC ĐƠN VỊ",
        tuple(Column(h) for h in EXPORT_HEADERS),
        rows,
        subtitle="Đo tốc độ",
        sheet_name="Nghĩa vụ",
    )  # type: ignore[arg-type]
    write_table(target, table)


def bench_xlsx(scale: str, path: Path, repeat: int) -> list[Figure]:
    rows = export_rows(path)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "export.xlsx"
        floor_target = Path(tmp) / "floor.xlsx"
        runs_n = max(1, min(repeat, 3))
        times = paired(
            lambda: timed(lambda: xlsx_product(rows, target)),
            lambda: timed(lambda: xlsx_floor(rows, floor_target)),
            runs_n,
        )
        size = target.stat().st_size / 1e6
    return [
        Figure.of(
            "xlsx",
            scale,
            times.runs,
            times.floor_runs,
            note=f"{len(rows)} rows × 8 columns; median of {runs_n}; {size:.1f} MB file",
            cpu=times.mean_cpu,
            floor_cpu=times.mean_floor_cpu,
        )
    ]


# --- the table ---------------------------------------------------------------------------------

# --- the command line (child processes) --------------------------------------------------------


def _command(args: list[str], data: str | None = None) -> tuple[float, float, int]:
    """Wall time, CPU time (user + system) and exit code of one child process (output to the
    null device, logs to a scratch folder, or to ``data``: a data folder kept between runs,
    which remembers the files found sound)."""
    with child_env(data) as env:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        code = subprocess.run(
            [sys.executable, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
        ).returncode
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, code


def _modules_imported(args: list[str]) -> int:
    """How many modules the command imports (``-X importtime``, run apart: it slows them)."""
    with child_env() as env:
        err = subprocess.run(
            [sys.executable, "-X", "importtime", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        ).stderr
    return sum(1 for line in err.splitlines() if line.startswith("import time:")) - 1


CLI_FLOORS = {"pass": ["-c", "pass"], "sqlalchemy": ["-c", "import sqlalchemy"]}


def bench_cli(scale: str, path: Path, repeat: int) -> list[Figure]:
    """``python -m app`` commands, each in a fresh interpreter, beside a floor measured in
    the same loop: an empty interpreter for --version and --help, a bare ``import
    sqlalchemy`` for the commands that open the database."""
    day = f"{SCALES[scale].as_of:%d/%m/%Y}"
    commands = {
        "cli_version": (["-m", "app", "--version"], "pass"),
        "cli_help": (["-m", "app", "--help"], "pass"),
        "cli_units": (["-m", "app", "--db", str(path), "units"], "sqlalchemy"),
        "cli_status": (
            ["-m", "app", "--db", str(path), "status", "--as-of", day, "--status", "overdue"],
            "sqlalchemy",
        ),
    }
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "app"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        check=False,
    )  # byte code, as installed
    counts = {name: _modules_imported(args) for name, args in CLI_FLOORS.items()}
    conn = sqlite3.connect(str(path))
    try:
        overdue = conn.execute(
            "SELECT COUNT(*) FROM obligation WHERE exempt_reason IS NULL AND waived = 0 AND "
            "due_date < ? AND (first_received IS NULL OR first_received > ?)",
            (SCALES[scale].as_of.isoformat(), SCALES[scale].as_of.isoformat()),
        ).fetchone()[0]
    finally:
        conn.close()
    figures = []
    for key, (args, floor_name) in commands.items():
        floor_args = CLI_FLOORS[floor_name]
        _command(args), _command(floor_args)  # warm the file cache
        runs, cpus, floor_runs, floor_cpus, first_runs = [], [], [], [], []
        # A listing skips the damage check of a file unchanged since a check found it sound
        # (app.db.checked): the runs share a data folder, as one user's commands do; the
        # first run after the file changed (a fresh data folder) is timed apart.
        with tempfile.TemporaryDirectory(prefix="sotheodoi-bench-data-") as data:
            _command(args, data)
            for _ in range(repeat):
                wall, cpu, code = _command(args, data)
                if code != 0:
                    raise RuntimeError(f"{' '.join(args)} exited with {code}")
                runs.append(wall)
                cpus.append(cpu)
                wall, cpu, _ = _command(floor_args)
                floor_runs.append(wall)
                floor_cpus.append(cpu)
                if floor_name == "sqlalchemy":
                    first_runs.append(_command(args)[0])
        note = f"{_modules_imported(args)} modules imported (floor: {counts[floor_name]})"
        if first_runs:
            note += (
                f"; first run after the file changed (full damage check) "
                f"{fmt(statistics.median(first_runs), 's')}"
            )
        if key == "cli_status":
            note += f"; about {overdue:,} overdue rows printed"
        figures.append(
            Figure.of(
                key,
                scale,
                runs,
                floor_runs,
                note=note,
                cpu=statistics.median(cpus),
                floor_cpu=statistics.median(floor_cpus),
            )
        )
    return figures


# key: (label, target at M, seconds or MB limit, ratio limit)
TARGETS: dict[str, tuple[str, str, float | None, float | None]] = {
    "cold_start": ("Cold start to the main window painted", "≤ 1.5 s and ≤ 2.5× floor", 1.5, 2.5),
    "warnings": (
        "Warnings for a new as-of day (all directives)",
        "≤ 100 ms and ≤ 3× floor",
        0.100,
        3.0,
    ),
    "first_page": ("First page (200 rows) of the whole obligation list", "—", None, None),
    "search": ("Search-as-you-type, one keystroke, largest table", "≤ 50 ms", 0.050, None),
    "search_page": (
        "… the real warnings page (search box → query → repaint)",
        "(≤ 50 ms)",
        0.050,
        None,
    ),
    "search_scan": ("… every keystroke a full scan (paste, delete)", "(≤ 50 ms)", 0.050, None),
    "search_proxy": (
        "… through QSortFilterProxyModel.filterAcceptsRow (Python)",
        "(≤ 50 ms)",
        0.050,
        None,
    ),
    "search_model": (
        "… through the table model's own row list (model reset)",
        "(≤ 50 ms)",
        0.050,
        None,
    ),
    "pdf": ("Synthesis report PDF, 130-unit appendix", "≤ 1.0 s", 1.0, None),
    "docx": ("Synthesis report as Word (.docx), 130-unit appendix", "≤ 1.0 s", 1.0, None),
    "xlsx": ("Excel export of 100,000 rows", "≤ 5 s and ≤ 1.5× floor", 5.0, 1.5),
    "memory": ("Peak memory, M open in the window", "≤ 250 MB", 250.0, None),
    "memory_rows": ("… plus every obligation row in memory", "(≤ 250 MB)", 250.0, None),
    "cli_version": ("Command line: `--version`", "≤ 0.35 s", 0.35, None),
    "cli_help": ("Command line: `--help`", "≤ 0.35 s", 0.35, None),
    "cli_units": ("Command line: `units` (the unit list)", "≤ 0.35 s", 0.35, None),
    "cli_status": ("Command line: `status --status overdue`", "≤ 0.35 s", 0.35, None),
}
FLOOR_LABELS = {
    "cold_start": "bare PySide6 window + tab widget",
    "warnings": "same selection, one raw sqlite3 query",
    "pdf": "ReportLab drawing the same text, no layout",
    "docx": "python-docx, the same text as plain paragraphs",
    "xlsx": "openpyxl write-only, same cells",
    "memory": "bare PySide6 window",
    "memory_rows": "bare PySide6 window",
    "cli_version": "`python -c pass`",
    "cli_help": "`python -c pass`",
    "cli_units": "`python -c 'import sqlalchemy'`",
    "cli_status": "`python -c 'import sqlalchemy'`",
}


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return NOT_MEASURED
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _within(
    value: float | None, ratio: float | None, limit: float | None, ratio_limit: float | None
) -> bool:
    ok = limit is None or (value is not None and value <= limit)
    if ratio_limit is not None and ratio is not None:
        ok = ok and ratio <= ratio_limit
    return ok


def verdict(fig: Figure) -> str:
    _label, _text, limit, ratio_limit = TARGETS[fig.key]
    if fig.value is None:
        return NOT_MEASURED
    if limit is None and ratio_limit is None:
        return "—"
    ok = _within(fig.value, fig.ratio, limit, ratio_limit)
    cpu_ratio = fig.cpu / fig.floor_cpu if fig.cpu is not None and fig.floor_cpu else None
    cpu_ok = fig.cpu is not None and _within(fig.cpu, cpu_ratio, limit, ratio_limit)
    if fig.scale != "M":
        return "ok" if ok else "over (target is for M)"
    if ok:
        return "met"
    if cpu_ok:
        return "**missed** in wall time; met in CPU time"
    return "**missed**"


def exponents(figures: list[Figure], sizes: dict[str, int]) -> dict[str, str]:
    """How each figure grows with the number of obligations: t ∝ n^k between scales."""
    out: dict[str, str] = {}
    by_key: dict[str, dict[str, float]] = {}
    for f in figures:
        if f.value is not None:
            by_key.setdefault(f.key, {})[f.scale] = f.value
    for key, values in by_key.items():
        order = [s for s in ("S", "M", "L") if s in values]
        parts = []
        for a, b in itertools.pairwise(order):
            if values[a] > 0 and values[b] > 0 and sizes[b] != sizes[a]:
                k = math.log(values[b] / values[a]) / math.log(sizes[b] / sizes[a])
                parts.append(f"{a}→{b}: {k:.2f}")
        out[key] = ", ".join(parts) or "—"
    return out


def machine_info() -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import PySide6

        qt = PySide6.__version__
    except ImportError:
        qt = "?"
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu or "?",
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "sqlite": sqlite3.sqlite_version,
        "pyside6": qt,
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?",
    }


def render(figures: list[Figure], sizes: dict[str, dict[str, int]], repeat: int, when: str) -> str:
    info = machine_info()
    growth = exponents(figures, {s: v["obligations"] for s, v in sizes.items()})
    lines = [
        BEGIN,
        f"_Written by `bench/run.py` on {when}: median of {repeat} runs; "
        f"{info['cores']} cores ({info['cpu']}), Python {info['python']}, "
        f"{info['system']}, SQLite {info['sqlite']}, PySide6 {info['pyside6']}; "
        f"load average at the end {info['load']} (a shared machine: the CPU-time column "
        "shows the work itself)._",
        "",
        "### Data sets",
        "",
        "| scale | units | directives | tasks | obligations | submissions | generated in |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s, v in sizes.items():
        lines.append(
            f"| {s} | {v['units']} | {v['directives']} | {v['tasks']} | "
            f"{v['obligations']:,} | {v['submissions']:,} | "
            f"{v.get('generated_s', '—')} |"
        )
    lines += [
        "",
        "### Figures",
        "",
        "| what | scale | median | floor | × floor | target at M | verdict | CPU time "
        "(figure / floor) | notes |",
        "|---|---|---:|---:|---:|---|---|---|---|",
    ]
    for key in TARGETS:
        for fig in (f for f in figures if f.key == key):
            label, target, _l, _r = TARGETS[key]
            floor = fmt(fig.floor, fig.unit) if fig.floor is not None else "—"
            if fig.floor is not None and key in FLOOR_LABELS:
                floor += f" ({FLOOR_LABELS[key]})"
            ratio = f"{fig.ratio:.2f}" if fig.ratio is not None else "—"
            cpu = "—"
            if fig.cpu is not None or fig.floor_cpu is not None:
                cpu = fmt(fig.cpu, fig.unit) if fig.cpu is not None else "—"
                if fig.floor_cpu is not None:
                    cpu += f" / {fmt(fig.floor_cpu, fig.unit)}"
            lines.append(
                f"| {label} | {fig.scale} | {fmt(fig.value, fig.unit)} | {floor} | "
                f"{ratio} | {target} | {verdict(fig)} | {cpu} | {fig.note} |"
            )
    lines += [
        "",
        "### Growth with the number of obligations (t ∝ n^k)",
        "",
        "| what | exponent k |",
        "|---|---|",
    ]
    for key in TARGETS:
        if key in growth:
            lines.append(f"| {TARGETS[key][0]} | {growth[key]} |")
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_out(out: Path, block: str) -> None:
    text = out.read_text(encoding="utf-8") if out.exists() else "# Performance\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _old, tail = rest.split(END, 1)
        text = head + block.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n## Benchmarks\n\n" + block
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)


BENCHES: dict[str, Callable[[str, Path, int], list[Figure]]] = {
    "warnings": bench_warnings,
    "first_page": bench_first_page,
    "search": bench_search,
    "search_page": bench_search_page,
    "search_proxy": bench_search_proxy,
    "search_model": bench_search_model,
    "cold_start": bench_cold_start,
    "memory": bench_memory,
    "pdf": bench_pdf,
    "docx": bench_docx,
    "xlsx": bench_xlsx,
    "cli": bench_cli,
}


def data_sizes(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(str(path))
    try:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
            for table, name in (
                ("units", "unit"),
                ("directives", "directive"),
                ("tasks", "task"),
                ("obligations", "obligation"),
                ("submissions", "submission"),
            )
        }
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the benchmarks.")
    parser.add_argument("--scales", default="S,M")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(BENCHES)}")
    parser.add_argument(
        "--out", type=Path, help="Markdown file to update (e.g. docs/performance.md)"
    )
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "latest.raw")
    parser.add_argument(
        "--keep",
        type=Path,
        help="raw results of an earlier run (its --json file): its figures not "
        "measured now are kept in the table (e.g. S,M first, L later)",
    )
    args = parser.parse_args(argv)
    scales = [s.strip().upper() for s in args.scales.split(",") if s.strip()]
    chosen = [b.strip() for b in args.only.split(",")] if args.only else list(BENCHES)
    figures: list[Figure] = []
    sizes: dict[str, dict[str, int]] = {}
    for scale in scales:
        started = time.perf_counter()
        path = ensure(scale)
        generated = time.perf_counter() - started
        sizes[scale] = data_sizes(path)
        if generated > 1:
            sizes[scale]["generated_s"] = f"{generated:.0f} s"  # type: ignore[assignment]
        for name in chosen:
            if scale == "L" and name in ("search_proxy", "search_model"):
                continue  # a table page does not hold a million rows (lazy loading)
            print(f"[{scale}] {name}…", flush=True)
            for fig in BENCHES[name](scale, path, args.repeat):
                figures.append(fig)
                print(
                    f"    {fig.key}: {fmt(fig.value, fig.unit)} (floor "
                    f"{fmt(fig.floor, fig.unit) if fig.floor is not None else '—'}) "
                    f"{fig.note}",
                    flush=True,
                )
    if args.keep and args.keep.exists():
        earlier = json.loads(args.keep.read_text(encoding="utf-8"))
        measured = {(f.key, f.scale) for f in figures}
        sizes = {s: v for s, v in earlier["sizes"].items() if s not in sizes} | sizes
        figures = [
            Figure(**f) for f in earlier["figures"] if (f["key"], f["scale"]) not in measured
        ] + figures
        order = {"S": 0, "M": 1, "L": 2}
        sizes = dict(sorted(sizes.items(), key=lambda kv: order.get(kv[0], 9)))
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(
            {
                "when": when,
                "machine": machine_info(),
                "sizes": sizes,
                "figures": [f.__dict__ for f in figures],
            },
            indent=1,
            ensure_ascii=False,
            default=str,
        ),
        encoding="utf-8",
    )
    block = render(figures, sizes, args.repeat, when)
    if args.out:
        write_out(args.out, block)
        print(f"Wrote {args.out}")
    else:
        print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
