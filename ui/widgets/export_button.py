"""Export exactly what a table view shows to Excel: the rows of its (proxy) model in on-screen
order and filter, the header labels, DisplayRole text, dates as real date cells and the
BackgroundRole colours.

A page calls ``export_view(parent, view, title, default_name)`` from its "Xuất Excel" action.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QDate, QDateTime, QSettings, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QFileDialog, QTableView, QWidget

from ui.tasks import run_in_background

if TYPE_CHECKING:
    from app.exchange.xlsx_writer import CellValue, Table

_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_LAST_DIR_KEY = "export/last_dir"


def _as_date(value: object, text: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, QDate) and value.isValid():
        return dt.date(value.year(), value.month(), value.day())
    if isinstance(value, QDateTime) and value.isValid():
        d = value.date()
        return dt.date(d.year(), d.month(), d.day())
    match = _DMY.match(text.strip())
    if match:
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    return None


def _colour(value: object) -> str | None:
    if isinstance(value, QBrush):
        if value.style() == Qt.BrushStyle.NoBrush:
            return None
        value = value.color()
    if isinstance(value, QColor):
        return value.name() if value.isValid() and value.alpha() > 0 else None
    if isinstance(value, str) and value.startswith("#"):
        return value
    return None


def table_from_model(
    model: QAbstractItemModel,
    title: str,
    subtitle: str = "",
    hidden_columns: set[int] | None = None,
) -> Table:
    """The rows of ``model`` (a proxy: its order and filter) as an exportable table."""
    from app.exchange.xlsx_writer import Column, Table

    hidden = hidden_columns or set()
    cols = [c for c in range(model.columnCount()) if c not in hidden]
    columns = tuple(
        Column(
            str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        )
        for c in cols
    )
    rows: list[tuple[CellValue, ...]] = []
    fills: list[str | tuple[str | None, ...] | None] = []
    for r in range(model.rowCount()):
        values: list[CellValue] = []
        colours: list[str | None] = []
        for c in cols:
            index = model.index(r, c)
            shown = model.data(index, Qt.ItemDataRole.DisplayRole)
            text = "" if shown is None else str(shown)
            day = (
                _as_date(model.data(index, Qt.ItemDataRole.EditRole), text)
                if text or shown is not None
                else None
            )
            value: CellValue
            if day is not None:
                value = day
            elif isinstance(shown, bool):
                value = "Có" if shown else "Không"
            elif isinstance(shown, (int, float)):
                value = shown
            else:
                value = text
            values.append(value)
            colours.append(_colour(model.data(index, Qt.ItemDataRole.BackgroundRole)))
        rows.append(tuple(values))
        fills.append(tuple(colours) if any(colours) else None)
    return Table(
        title=title,
        columns=columns,
        rows=rows,
        fills=fills,
        subtitle=subtitle,
        sheet_name=title[:31],
    )


def table_from_view(view: QTableView, title: str, subtitle: str = "") -> Table:
    """What the view shows: hidden columns left out, columns in on-screen (visual) order."""
    from app.exchange.xlsx_writer import Table

    model = view.model()
    header = view.horizontalHeader()
    table = table_from_model(
        model, title, subtitle, {c for c in range(model.columnCount()) if view.isColumnHidden(c)}
    )
    logical = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
    order = sorted(range(len(logical)), key=lambda i: header.visualIndex(logical[i]))
    if order == list(range(len(logical))):
        return table
    return Table(
        title=table.title,
        columns=tuple(table.columns[i] for i in order),
        rows=[tuple(row[i] for i in order) for row in table.rows],
        fills=[tuple(f[i] for i in order) if isinstance(f, tuple) else f for f in table.fills],
        subtitle=table.subtitle,
        sheet_name=table.sheet_name,
    )


def choose_save_path(
    parent: QWidget | None, caption: str, default_name: str, file_filter: str = "Tệp Excel (*.xlsx)"
) -> Path | None:
    settings = QSettings()
    folder = str(settings.value(_LAST_DIR_KEY, "") or str(Path.home()))
    path, _ = QFileDialog.getSaveFileName(
        parent, caption, str(Path(folder) / default_name), file_filter
    )
    if not path:
        return None
    settings.setValue(_LAST_DIR_KEY, str(Path(path).parent))
    return Path(path)


def export_view(
    parent: QWidget | None,
    view: QTableView,
    title: str,
    default_name: str,
    *,
    subtitle: str = "",
    path: Path | None = None,
) -> None:
    """Ask where to save (unless ``path`` is given), then write the view's rows off the UI
    thread; the outcome is shown in the window's status bar or a message box."""
    if not default_name.lower().endswith(".xlsx"):
        default_name += ".xlsx"
    target = path or choose_save_path(parent, "Xuất ra Excel", default_name)
    if target is None:
        return
    table = table_from_view(view, title, subtitle)
    _write_in_background(parent, target, lambda: table)


def export_table(
    parent: QWidget | None,
    build: Callable[[], Table],
    default_name: str,
    *,
    path: Path | None = None,
) -> None:
    """Like :func:`export_view` for a list the view holds only a page of: ``build`` (run off
    the UI thread) gives every row of the list, through the page's own query."""
    if not default_name.lower().endswith(".xlsx"):
        default_name += ".xlsx"
    target = path or choose_save_path(parent, "Xuất ra Excel", default_name)
    if target is None:
        return
    _write_in_background(parent, target, build)


def _write_in_background(parent: QWidget | None, target: Path, build: Callable[[], Table]) -> None:
    from app.exchange.xlsx_writer import write_table
    from ui.dialogs.messages import show_error, show_info

    def work() -> tuple[object, int]:
        table = build()
        return write_table(target, table), len(table.rows)

    def done(result: tuple[object, int]) -> None:
        written, count = result
        text = f"Đã xuất {count} dòng ra {written}"
        from ui.main_window import MainWindow

        window = parent.window() if parent is not None else None
        if isinstance(window, MainWindow):
            window.show_status(text)
        else:
            show_info(parent, "Xuất Excel", text)

    run_in_background(
        work, done, lambda exc: show_error(parent, exc, title="Không xuất được tệp Excel")
    )
