"""Copy the whole database to another one (file → server, or server → file) with a progress bar
that can be cancelled. The work is :func:`app.exchange.transfer.transfer`, off the UI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.connection import redact
from app.exchange.transfer import (
    TABLE_LABELS,
    TransferCancelled,
    TransferResult,
    transfer,
)
from ui.tasks import run_in_background


class _Relay(QObject):
    """Carries progress from the worker thread to the UI thread (queued signal)."""

    progressed = Signal(str, int, int)


class TransferDialog(QProgressDialog):
    """``start()`` runs the copy; ``finished_with`` holds the result or the error after it."""

    def __init__(
        self, parent: QWidget | None, source: str, target: str, *, replace: bool = False
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.target = target
        self.replace = replace
        self.result_value: TransferResult | None = None
        self.error: BaseException | None = None
        self._cancel = threading.Event()
        self._relay = _Relay(self)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setWindowTitle("Chuyển dữ liệu")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setLabelText(f"Chuẩn bị chuyển dữ liệu sang {redact(self.target)}…")
        self.setCancelButtonText("Huỷ")
        self.setMinimumDuration(0)
        self.setMinimumWidth(480)
        self.setRange(0, 0)
        self.setAutoClose(False)
        self.setAutoReset(False)

    def _connect_signals(self) -> None:
        self._relay.progressed.connect(self._on_relay_progressed)
        self.canceled.connect(self._on_canceled)

    def start(self) -> None:
        self.show()
        run_in_background(self._work, self._on_done, self._on_failed)

    def _work(self) -> TransferResult:
        def progress(table: str, done: int, total: int) -> None:
            if self._cancel.is_set():
                raise TransferCancelled()
            self._relay.progressed.emit(table, done, total)

        return transfer(self.source, self.target, replace=self.replace, progress=progress)

    # --- slots ------------------------------------------------------------------------------
    def _on_relay_progressed(self, table: str, done: int, total: int) -> None:
        if self._cancel.is_set():
            return
        self.setRange(0, max(total, 1))
        self.setValue(min(done, max(total, 1)))
        self.setLabelText(f"Đang chép: {TABLE_LABELS.get(table, table)} ({done}/{total})")

    def _on_canceled(self) -> None:
        self._cancel.set()
        self.setLabelText("Đang huỷ… (dữ liệu đích được trả lại như trước)")

    def _on_done(self, result: object) -> None:
        assert isinstance(result, TransferResult)
        self.result_value = result
        self._finish()

    def _on_failed(self, exc: BaseException) -> None:
        self.error = exc
        self._finish()

    def _finish(self) -> None:
        self.canceled.disconnect(self._on_canceled)
        self.close()
        self.done(0 if self.error else 1)
