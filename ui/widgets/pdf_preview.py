"""In-app PDF preview (QtPdf): every page, one under the other, fitted to the width; zoom."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class PdfPreview(QWidget):
    """Shows a PDF file. ``load(path)`` returns the number of pages (0 when it cannot be read)."""

    pagesChanged = Signal(int)

    ZOOM_STEP = 1.2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self._build_ui()
        self._connect_signals()
        self._update_label()

    def _build_ui(self) -> None:
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.page_label = QLabel(self)
        self.page_label.setWordWrap(True)  # a long hint wraps: the preview can be narrow
        self.zoom_out_button = QPushButton("Thu nhỏ", self)
        self.zoom_in_button = QPushButton("Phóng to", self)
        self.fit_button = QPushButton("Vừa chiều ngang", self)
        bar = QHBoxLayout()
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def _connect_signals(self) -> None:
        self.zoom_in_button.clicked.connect(self._on_zoom_in_button_clicked)
        self.zoom_out_button.clicked.connect(self._on_zoom_out_button_clicked)
        self.fit_button.clicked.connect(self._on_fit_button_clicked)
        self.view.pageNavigator().currentPageChanged.connect(lambda _p: self._update_label())

    # --- public ---------------------------------------------------------------------------
    def load(self, path: str, *, keep_position: bool = False) -> int:
        """Show the PDF at ``path`` from its first page fitted to the width, or, with
        ``keep_position`` (the same document made again after an edit), where the user was
        reading, at the same zoom."""
        scroll = (self.view.verticalScrollBar().value(), self.view.horizontalScrollBar().value())
        zoom = (self.view.zoomMode(), self.view.zoomFactor())
        self.document.close()
        error = self.document.load(path)
        count = self.document.pageCount() if error == QPdfDocument.Error.None_ else 0
        if keep_position and count:
            self.view.setZoomMode(zoom[0])
            if zoom[0] == QPdfView.ZoomMode.Custom:
                self.view.setZoomFactor(zoom[1])
            self.view.verticalScrollBar().setValue(scroll[0])
            self.view.horizontalScrollBar().setValue(scroll[1])
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.view.pageNavigator().jump(0, QPointF(), self.view.pageNavigator().currentZoom())
        self._update_label()
        self.pagesChanged.emit(count)
        return count

    def clear(self) -> None:
        self.document.close()
        self._update_label()
        self.pagesChanged.emit(0)

    def page_count(self) -> int:
        return self.document.pageCount()

    # --- slots ----------------------------------------------------------------------------
    def _on_zoom_in_button_clicked(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(8.0, self.view.zoomFactor() * self.ZOOM_STEP))

    def _on_zoom_out_button_clicked(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.1, self.view.zoomFactor() / self.ZOOM_STEP))

    def _on_fit_button_clicked(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _update_label(self) -> None:
        count = self.document.pageCount()
        if count <= 0:
            self.page_label.setText("Chưa có bản xem trước. Bấm “Xem trước” để tạo văn bản.")
        else:
            current = self.view.pageNavigator().currentPage() + 1
            self.page_label.setText(f"Trang {current}/{count}")
