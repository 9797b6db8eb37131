"""The overview builds the boxes of the first directives only, and the others as the user
scrolls down to them (a thousand directives are never all built at start)."""

from __future__ import annotations

import datetime as dt

from app.models import TaskKind, UnitKind
from app.services.dashboard import (
    DirectiveSummary,
    KindSummary,
    Overview,
    StatusCounts,
    TaskSummary,
)
from ui.pages import dashboard_page


def _overview(directives: int, tasks_each: int) -> Overview:
    counts = StatusCounts(done_on_time=3, done_late=1, overdue=2, not_due=4)
    summaries = tuple(
        DirectiveSummary(
            directive_id=d,
            number_symbol=f"{d}/UBND-NC",
            signed_date=dt.date(2020, 1, 1),
            subject=f"Văn bản số {d}",
            counts=counts,
            tasks=tuple(
                TaskSummary(
                    task_id=d * 100 + t,
                    title=f"Nhiệm vụ {t}",
                    kind=TaskKind.PERIODIC,
                    period_count=12,
                    counts=counts,
                    by_kind=(KindSummary(UnitKind.DISTRICT, counts),),
                )
                for t in range(tasks_each)
            ),
        )
        for d in range(1, directives + 1)
    )
    return Overview(
        day=dt.date(2020, 6, 1),
        window_days=7,
        counts=counts,
        by_kind=(KindSummary(UnitKind.DISTRICT, counts),),
        directives=summaries,
    )


def test_boxes_follow_the_scroll(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = next(
        window.tabs.widget(i)
        for i in range(window.tabs.count())
        if isinstance(window.tabs.widget(i), dashboard_page.DashboardPage)
    )
    window.tabs.setCurrentWidget(page)
    data = _overview(directives=60, tasks_each=3)
    page._rebuild_charts(data)  # the boxes are built lazily, also when jobs run inline
    qtbot.waitUntil(lambda: len(page.progress_bars) > 0)
    built = len(page.progress_bars)
    assert 0 < built < 60 * 3 and page.pending_directives() > 0
    bar = page.charts_area.verticalScrollBar()

    def scrolled_to_the_end() -> bool:
        bar.setValue(bar.maximum())  # the user scrolls to the end
        return not page.pending_directives()

    qtbot.waitUntil(scrolled_to_the_end, timeout=10_000)
    assert set(page.progress_bars) == {t.task_id for d in data.directives for t in d.tasks}


def test_hidden_tables_fit_their_columns_when_shown(window) -> None:  # type: ignore[no-untyped-def]
    page = next(
        window.tabs.widget(i)
        for i in range(window.tabs.count())
        if isinstance(window.tabs.widget(i), dashboard_page.DashboardPage)
    )
    window.tabs.setCurrentWidget(page)
    page.sections.setCurrentIndex(dashboard_page.SECTION_CHARTS)
    page.refresh()
    assert not page._table_fitted and not page.matrix._fitted  # hidden: not measured yet
    page.sections.setCurrentIndex(dashboard_page.SECTION_TABLE)
    assert page._table_fitted and 0 < page.table.columnWidth(0) <= 330
    page.sections.setCurrentIndex(dashboard_page.SECTION_MATRIX)
    assert page.matrix._fitted and page.matrix.view.columnWidth(0) >= 180
