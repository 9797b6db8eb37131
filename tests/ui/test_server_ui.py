"""The shared-server actions: connection dialog, transfer with progress, stale-edit choice."""

import datetime as dt
import os

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import connection
from app.db import connect
from app.errors import StaleEdit
from app.services import units
from ui import tasks
from ui.dialogs import messages
from ui.dialogs.connection_dialog import ConnectionDialog
from ui.dialogs.transfer_dialog import TransferDialog
from ui.main_window import MainWindow

PG_URL = os.environ.get("SOTHEODOI_TEST_DATABASE_URL", "")


@pytest.fixture(autouse=True)
def synchronous():
    tasks.set_synchronous(True)
    yield
    tasks.set_synchronous(False)


@pytest.fixture
def no_ring(monkeypatch):
    monkeypatch.setattr(connection, "_keyring", lambda: None)


@pytest.fixture
def said(monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_info", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(
        messages, "show_error", lambda _p, exc, title="": shown.append((title, str(exc)))
    )
    return shown


def test_window_has_the_server_actions(qtbot, sample_db):
    window = MainWindow(sample_db, today=dt.date(2018, 5, 2))
    qtbot.addWidget(window)
    names = [a.text() for a in window.file_menu.actions()]
    assert "Kết nối cơ sở dữ liệu (máy chủ dùng chung)…" in names
    assert names[-1] == "Thoát"
    actions = window.server_actions
    assert actions.to_server_action.isEnabled() == sample_db.is_sqlite
    assert actions.to_file_action.isEnabled() == (not sample_db.is_sqlite)
    text = actions.where_label.text()
    assert text.startswith("Tệp dữ liệu" if sample_db.is_sqlite else "Máy chủ")
    assert ":sotheodoi@" not in text  # never the password


def test_connection_dialog_checks_and_saves_without_password(qtbot, no_ring, tmp_path):
    dialog = ConnectionDialog(None, use_server=True)
    qtbot.addWidget(dialog)
    assert not dialog.remember_check.isEnabled()  # no keyring: asked at each start
    dialog.host_edit.setText("")
    dialog._on_buttons_accepted()
    assert "địa chỉ IP" in dialog.result_label.text() and dialog.result() == 0
    dialog.host_edit.setText("127.0.0.1")
    dialog.port_spin.setValue(1)
    dialog.password_edit.setText("mat-khau")
    dialog.test_button.click()
    assert "Không kết nối được tới máy chủ 127.0.0.1:1" in dialog.result_label.text()
    assert "mat-khau" not in dialog.result_label.text()
    dialog.name_edit.setText("Nguyễn Thị Lan")
    dialog._on_buttons_accepted()
    assert dialog.result() == 1
    saved = connection.load_server_config()
    assert saved is not None and saved.host == "127.0.0.1" and saved.port == 1
    assert "mat-khau" not in connection.config_path().read_text(encoding="utf-8")
    assert connection.local_user_name() == "Nguyễn Thị Lan"
    again = ConnectionDialog(None)  # opens on the saved choice
    qtbot.addWidget(again)
    assert again.uses_server() and again.host_edit.text() == "127.0.0.1"
    again.file_radio.setChecked(True)
    again._on_buttons_accepted()
    assert connection.load_server_config() is None


@pytest.mark.pg_only
def test_connection_dialog_succeeds_on_the_test_server(qtbot, db_target):
    server, password = connection.ServerConfig.from_url(db_target)
    dialog = ConnectionDialog(None, server=server, use_server=True)
    qtbot.addWidget(dialog)
    dialog.password_edit.setText(password or "")
    dialog.test_button.click()
    assert "Kết nối thành công" in dialog.result_label.text()


def test_transfer_with_progress_then_replace(qtbot, sample_db, tmp_path, said, monkeypatch):
    window = MainWindow(sample_db, today=dt.date(2018, 5, 2))
    qtbot.addWidget(window)
    target = tmp_path / "ban-sao.db"
    dialog = window.server_actions.run_transfer(sample_db.url, str(target), None)
    assert dialog.result_value is not None and dialog.error is None
    assert dialog.maximum() >= 1 and "Đang chép" in dialog.labelText()
    assert said[-1][0] == "Đã chuyển dữ liệu" and "khớp" in said[-1][1]
    copy = connect(str(target))
    try:
        assert len(units.list_units(copy)) == 34
    finally:
        copy.dispose()
    # the target has data now: the user is asked, and "replace" copies again
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, **_k: asked.append(text) or True)
    dialog = window.server_actions.run_transfer(sample_db.url, str(target), None)
    assert asked and "đã có dữ liệu" in asked[0]
    assert dialog.replace and dialog.result_value is not None and dialog.result_value.replaced


def test_cancelled_transfer_changes_nothing(qtbot, sample_db, tmp_path):
    from app.exchange.transfer import TransferCancelled

    target = tmp_path / "huy.db"
    dialog = TransferDialog(None, sample_db.url, str(target))
    qtbot.addWidget(dialog)
    dialog._cancel.set()
    dialog.start()
    assert isinstance(dialog.error, TransferCancelled)
    copy = connect(str(target))
    try:
        assert units.list_units(copy) == []
    finally:
        copy.dispose()


def test_stale_edit_choice_shows_the_other_persons_values(qtbot):
    exc = StaleEdit(
        'Đơn vị "UBND huyện Sơn Tịnh" vừa được sửa bởi Nguyễn Văn A.',
        entity="unit",
        entity_id=1,
        current={"name": "UBND huyện Sơn Tịnh", "phone": "0255 111", "version": 3},
    )
    seen: list[str] = []

    def click(label: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.informativeText())
        button = next(b for b in box.buttons() if b.text() == label)
        button.click()

    QTimer.singleShot(0, lambda: click("Lưu bản của tôi đè lên"))
    choice = messages.ask_stale_edit(
        None,
        exc,
        {"name": "Tên", "phone": "Điện thoại"},
        mine={"name": "UBND huyện Sơn Tịnh", "phone": "0999"},
    )
    assert choice == messages.STALE_SAVE_MINE and exc.current_version == 3
    assert "Điện thoại: bản mới «0255 111» — bản của anh/chị «0999»" in seen[0]
    assert "Tên" not in seen[0]  # unchanged fields are not listed
    QTimer.singleShot(0, lambda: click("Quay lại sửa tiếp"))
    assert messages.ask_stale_edit(None, exc) == messages.STALE_BACK


def test_unreachable_saved_server_offers_the_dialog_and_the_file(qtbot, monkeypatch, no_ring):
    """The saved server is off: the user is told why and can go back to the file on this PC
    (never stuck with a window that cannot open)."""
    from ui import server_actions

    connection.save_server_config(connection.ServerConfig(host="127.0.0.1", port=1))
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, **_k: asked.append(text) or True)

    def exec_dialog(self):
        if self._password_only:
            self.password_edit.setText("mat-khau")
        else:
            self.file_radio.setChecked(True)
        self._on_buttons_accepted()
        return self.result()

    monkeypatch.setattr(ConnectionDialog, "exec", exec_dialog)
    db = server_actions.open_for_gui(None, None)
    try:
        assert db is not None and db.is_sqlite
        assert asked and "Không kết nối được tới máy chủ 127.0.0.1:1" in asked[0]
        assert connection.load_server_config() is None
    finally:
        if db is not None:
            db.dispose()


@pytest.mark.pg_only
def test_saved_server_password_asked_at_start(qtbot, monkeypatch, no_ring, db_target):
    from ui import server_actions

    server, password = connection.ServerConfig.from_url(db_target)
    connection.save_server_config(server)

    def exec_dialog(self):
        assert self._password_only and not self.host_edit.isEnabled()
        self.password_edit.setText(password or "")
        self._on_buttons_accepted()
        return self.result()

    monkeypatch.setattr(ConnectionDialog, "exec", exec_dialog)
    db = server_actions.open_for_gui(None, None)
    try:
        assert db is not None and db.is_server
        saved = connection.config_path().read_text(encoding="utf-8")
        assert '"password"' not in saved and f":{password}@" not in saved
    finally:
        if db is not None:
            db.dispose()
