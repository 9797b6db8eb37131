"""The deadlines menu of the main window ("Hạn và nhắc việc"), installed by one call from
MainWindow: the holiday table, the .ics calendar of deadlines, the reminder e-mails."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence

from ui.operations import exec_dialog


class DeadlineActions:
    """Holds the actions and their slots for one window (kept on ``window.deadline_actions``)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.today_action = QAction("Việc cần làm hôm nay", window)
        self.today_action.setObjectName("followupTodayAction")
        self.today_action.setShortcut(QKeySequence("Ctrl+J"))
        self.plan_action = QAction("Kế hoạch đôn đốc…", window)
        self.plan_action.setObjectName("followupPlanAction")
        self.calendar_action = QAction("Lịch nghỉ lễ, làm bù…", window)
        self.calendar_action.setObjectName("calendarDaysAction")
        self.ics_action = QAction("Xuất lịch các hạn sắp tới (.ics)…", window)
        self.ics_action.setObjectName("exportIcsAction")
        self.eml_action = QAction("Soạn thư điện tử nhắc hạn (.eml)…", window)
        self.eml_action.setObjectName("reminderMailAction")
        self.eml_action.setShortcut(QKeySequence("Ctrl+Shift+M"))

    def install(self) -> None:
        menu_bar = self.window.menuBar()
        self.menu = menu_bar.addMenu("&Hạn và nhắc việc")
        menu_bar.insertMenu(self.window.help_menu.menuAction(), self.menu)  # before Trợ giúp
        for action in (self.today_action, self.plan_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        for action in (self.calendar_action, self.ics_action, self.eml_action):
            self.menu.addAction(action)
        self.today_action.triggered.connect(self.show_today)
        self.plan_action.triggered.connect(self._on_plan_action_triggered)
        self.calendar_action.triggered.connect(self._on_calendar_action_triggered)
        self.ics_action.triggered.connect(self._on_ics_action_triggered)
        self.eml_action.triggered.connect(self._on_eml_action_triggered)

    # --- slots ------------------------------------------------------------------------------
    def show_today(self) -> None:
        """The overview's "Việc cần làm hôm nay", its first row selected (Enter opens it)."""
        from ui.pages.dashboard_page import SECTION_TODAY, DashboardPage

        self.window.build_other_pages()  # chosen before the overview was built
        tabs = self.window.tabs
        for i in range(tabs.count()):
            page = tabs.widget(i)
            if isinstance(page, DashboardPage):
                tabs.setCurrentWidget(page)
                page.sections.setCurrentIndex(SECTION_TODAY)
                table = page.today_panel.table
                if table.current_id() is None and table.model().rowCount() > 0:
                    table.selectRow(0)
                table.setFocus()
                return

    def _on_plan_action_triggered(self) -> None:
        from ui.dialogs.followup_plan_dialog import FollowupPlanDialog

        FollowupPlanDialog(self.window.db, self.window).exec()  # its save says what changed

    def _on_calendar_action_triggered(self) -> None:
        from ui.dialogs.calendar_days_dialog import CalendarDaysDialog

        # the lines added or withdrawn, told to the window once, when it closes
        exec_dialog(CalendarDaysDialog(self.window.db, self.window.today(), self.window))

    def _on_ics_action_triggered(self) -> None:
        from ui.dialogs.deadline_export_dialog import DeadlineExportDialog

        DeadlineExportDialog(self.window.db, self.window.as_of, self.window, mode="ics").exec()

    def _on_eml_action_triggered(self) -> None:
        from ui.dialogs.deadline_export_dialog import DeadlineExportDialog

        DeadlineExportDialog(self.window.db, self.window.as_of, self.window, mode="eml").exec()


def install_deadline_actions(window: Any) -> DeadlineActions:
    actions = DeadlineActions(window)
    actions.install()
    window.deadline_actions = actions
    return actions
