"""The only place QMessageBox is used: errors, confirmations, notices — all in Vietnamese."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import AppError

log = logging.getLogger(__name__)

_log_path = ""


def set_log_path(path: str) -> None:
    global _log_path
    _log_path = path


def show_error(
    parent: QWidget | None, exc: BaseException, title: str = "Không thực hiện được"
) -> None:
    """An AppError shows its own message; anything else is logged with its traceback and the
    user sees a short apology with the log's path."""
    from app.db.engine import database_error, is_database_failure

    if isinstance(exc, Exception) and not isinstance(exc, AppError) and is_database_failure(exc):
        log.warning("Database failure: %s", exc)
        exc = database_error(exc)  # locked, disk full, damaged: say so, not "a bug"
    if isinstance(exc, AppError):
        QMessageBox.warning(parent, title, exc.message)
        return
    log.error(
        "Lỗi không mong đợi: %s",
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    )
    where = f"\n\nChi tiết đã được ghi vào tệp nhật ký:\n{_log_path}" if _log_path else ""
    QMessageBox.critical(
        parent,
        "Xin lỗi, đã có lỗi",
        "Xin lỗi, chương trình gặp một lỗi không mong đợi. Dữ liệu đã lưu không bị ảnh hưởng; "
        "thao tác vừa rồi chưa được thực hiện." + where,
    )


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm(
    parent: QWidget | None, title: str, text: str, *, yes: str = "Đồng ý", no: str = "Huỷ"
) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def show_notice(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """A non-modal notice: the user can go on working while it is open."""
    from PySide6.QtCore import Qt

    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent
    )
    box.button(QMessageBox.StandardButton.Ok).setText("Đã biết")
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box


STALE_KEEP_THEIRS = "theirs"
STALE_SAVE_MINE = "mine"
STALE_BACK = "back"


def ask_stale_edit(
    parent: QWidget | None,
    exc: AppError,
    labels: dict[str, str] | None = None,
    mine: dict[str, object] | None = None,
) -> str:
    """Someone else saved the record first (``app.errors.StaleEdit``): show what they changed
    and let the user choose. Returns STALE_KEEP_THEIRS (reload theirs, drop mine),
    STALE_SAVE_MINE (save again with ``expected_version=exc.current_version``) or STALE_BACK
    (go back to the form, nothing lost). ``labels`` names the fields shown; ``mine`` is what
    the form holds, so only the fields that differ are listed."""
    current: dict[str, object] = dict(getattr(exc, "current", {}) or {})
    if not current:
        QMessageBox.warning(parent, "Bản ghi đã bị xoá", exc.message)
        return STALE_KEEP_THEIRS
    rows = []
    for key, label in (labels or {}).items():
        theirs = current.get(key)
        if mine is not None and mine.get(key) == theirs:
            continue
        theirs_text = "" if theirs is None else str(theirs)
        mine_text = "" if mine is None or mine.get(key) is None else str(mine.get(key))
        rows.append(
            f"• {label}: bản mới «{theirs_text}»"
            + (f" — bản của anh/chị «{mine_text}»" if mine is not None else "")
        )
    box = QMessageBox(
        QMessageBox.Icon.Warning, "Có người vừa sửa bản ghi này", exc.message, parent=parent
    )
    if rows:
        box.setInformativeText("Khác nhau:\n" + "\n".join(rows[:12]))
    theirs_button = box.addButton(
        "Dùng bản mới (bỏ thay đổi của tôi)", QMessageBox.ButtonRole.RejectRole
    )
    mine_button = box.addButton("Lưu bản của tôi đè lên", QMessageBox.ButtonRole.DestructiveRole)
    back_button = box.addButton("Quay lại sửa tiếp", QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(back_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is mine_button:
        return STALE_SAVE_MINE
    if clicked is theirs_button:
        return STALE_KEEP_THEIRS
    return STALE_BACK


UNSAVED_SAVE = "save"
UNSAVED_DISCARD = "discard"
UNSAVED_BACK = "back"


def ask_unsaved(parent: QWidget | None, what: str = "") -> str:
    """A form with changes is being closed (Esc, Huỷ, the window's ×): Lưu (UNSAVED_SAVE),
    Không lưu (UNSAVED_DISCARD) or Quay lại (UNSAVED_BACK, the default: nothing is lost)."""
    title = what or "Biểu mẫu"
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Chưa lưu thay đổi",
        f"{title} có thay đổi chưa lưu. Anh/chị muốn lưu lại không?",
        parent=parent,
    )
    save_button = box.addButton("Lưu", QMessageBox.ButtonRole.AcceptRole)
    discard_button = box.addButton("Không lưu", QMessageBox.ButtonRole.DestructiveRole)
    back_button = box.addButton("Quay lại", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back_button)
    box.setEscapeButton(back_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save_button:
        return UNSAVED_SAVE
    if clicked is discard_button:
        return UNSAVED_DISCARD
    return UNSAVED_BACK
