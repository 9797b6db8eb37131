"""Trợ giúp → Hướng dẫn sử dụng (F1): the user guide (docs/huong-dan-su-dung.md, shipped with the
program) shown in the program, with its screenshots, searchable (accents optional), opened at the
section of the tab being used."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.paths import resource_root

GUIDE = "huong-dan-su-dung.md"
IMAGE_WIDTH = 560  # screenshots shrunk to fit beside the text

# The guide's section for each tab (its heading's text, as written in the guide).
TAB_SECTIONS = {
    "DashboardPage": "Thẻ Tổng quan",
    "WarningsPage": "Thẻ Cảnh báo hạn",
    "PlansPage": "Thẻ Đăng ký kế hoạch và Tiếp nhận báo cáo",
    "ReportsPage": "Thẻ Đăng ký kế hoạch và Tiếp nhận báo cáo",
    "DirectivesPage": "Thẻ Văn bản chỉ đạo",
    "UnitsPage": "Thẻ Đơn vị",
}


def guide_path() -> Path:
    """The guide in the bundle (``docs/`` beside ``resources/``) or in the repository."""
    return resource_root() / "docs" / GUIDE


def fold(ch: str) -> str:
    """One character without its accent, lower case (đ → d): one character in, one out."""
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    return base.lower()


def _as_image(resource: object) -> QImage | None:
    """A document's image resource (QImage, QPixmap or the file's bytes) as a QImage."""
    if isinstance(resource, QImage):
        return resource
    if isinstance(resource, QPixmap):
        return resource.toImage()
    if isinstance(resource, QByteArray):
        resource = resource.data()
    if isinstance(resource, (bytes, bytearray)):
        image = QImage.fromData(bytes(resource))
        return None if image.isNull() else image
    return None


class HelpWindow(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setModal(False)
        self._folded = ""
        self._build_ui()
        self._connect_signals()
        self._load()

    def _build_ui(self) -> None:
        self.resize(860, 640)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Tìm:", self))
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("gõ từ cần tìm (không dấu cũng được), Enter: tìm tiếp")
        self.search_edit.setClearButtonEnabled(True)
        row.addWidget(self.search_edit, 1)
        self.next_button = QPushButton("Tìm tiếp", self)
        self.next_button.setAutoDefault(False)
        row.addWidget(self.next_button)
        self.found_label = QLabel(self)
        row.addWidget(self.found_label)
        layout.addLayout(row)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        layout.addWidget(self.browser, 1)
        self.buttons = QDialogButtonBox(self)
        self.close_button = self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAutoDefault(False)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.search_edit.textEdited.connect(lambda _t: self.find_text(from_start=True))
        self.search_edit.returnPressed.connect(self.find_text)
        self.next_button.clicked.connect(self.find_text)
        self.buttons.rejected.connect(self.close)
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.search_edit.setFocus)
        find_next = QShortcut(QKeySequence(QKeySequence.StandardKey.FindNext), self)
        find_next.activated.connect(self.find_text)

    # --- the guide --------------------------------------------------------------------------
    def _load(self, path: Path | None = None) -> None:
        path = path or guide_path()
        if not path.exists():
            self.browser.setPlainText(
                "Không tìm thấy tệp hướng dẫn sử dụng đi kèm chương trình "
                f"({path}). Hãy cài lại chương trình."
            )
            return
        self.browser.setSearchPaths([str(path.parent)])
        self.browser.setSource(
            QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource
        )
        self._shrink_images()
        doc = self.browser.document()
        self._folded = "".join(fold(doc.characterAt(i)) for i in range(doc.characterCount()))

    def _shrink_images(self) -> None:
        """Screenshots (1366 px wide) shown IMAGE_WIDTH wide, smoothly scaled once."""
        doc = self.browser.document()
        scaled: dict[str, QImage] = {}
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                it += 1
                fmt = fragment.charFormat()
                if not fmt.isImageFormat():
                    continue
                image_fmt = fmt.toImageFormat()
                name = image_fmt.name()
                if name not in scaled:
                    image = _as_image(
                        doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
                    )
                    if image is None or image.width() <= IMAGE_WIDTH:
                        continue
                    scaled[name] = image.scaledToWidth(
                        IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation
                    )
                    for url in (QUrl(name), doc.baseUrl().resolved(QUrl(name))):
                        doc.addResource(QTextDocument.ResourceType.ImageResource, url, scaled[name])
                image_fmt.setWidth(scaled[name].width())
                image_fmt.setHeight(scaled[name].height())
                cursor = QTextCursor(doc)
                cursor.setPosition(fragment.position())
                cursor.setPosition(
                    fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                )
                cursor.setCharFormat(image_fmt)
            block = block.next()

    def text(self) -> str:
        return self.browser.toPlainText()

    def show_section(self, heading: str) -> bool:
        """Scroll so that the heading is at the top; False when the guide has no such one."""
        doc = self.browser.document()
        block = doc.begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text().strip() == heading:
                self.browser.setTextCursor(QTextCursor(block))
                # lay the text out at the window's width first: the scroll range follows
                doc.setTextWidth(self.browser.viewport().width())
                self.browser.ensureCursorVisible()
                top = int(doc.documentLayout().blockBoundingRect(block).top())
                bar = self.browser.verticalScrollBar()
                if bar.maximum() < top:
                    bar.setRange(
                        0, max(0, int(doc.size().height()) - self.browser.viewport().height())
                    )
                bar.setValue(top)
                return True
            block = block.next()
        return False

    def show_for_page(self, page: QWidget | None) -> None:
        heading = TAB_SECTIONS.get(type(page).__name__ if page is not None else "", "")
        if not heading or not self.show_section(heading):
            self.browser.verticalScrollBar().setValue(0)

    def current_heading(self) -> str:
        """The heading nearest above the top of the view."""
        doc = self.browser.document()
        top = self.browser.verticalScrollBar().value()
        found = ""
        block = doc.begin()
        while block.isValid():
            if doc.documentLayout().blockBoundingRect(block).top() > top + 2:
                break
            if block.blockFormat().headingLevel():
                found = block.text().strip()
            block = block.next()
        return found

    # --- search -----------------------------------------------------------------------------
    def find_text(self, *, from_start: bool = False) -> bool:
        """The next place the words occur (accents and case ignored), wrapping at the end."""
        wanted = "".join(fold(c) for c in self.search_edit.text().strip())
        if not wanted:
            self.found_label.clear()
            return False
        cursor = self.browser.textCursor()
        start = 0 if from_start else cursor.selectionEnd()
        at = self._folded.find(wanted, start)
        if at < 0:
            at = self._folded.find(wanted)
        if at < 0:
            self.found_label.setText("Không thấy")
            return False
        count = self._folded.count(wanted)
        self.found_label.setText(f"{count} chỗ")
        cursor.setPosition(at)
        cursor.setPosition(at + len(wanted), QTextCursor.MoveMode.KeepAnchor)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()
        return True

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        if url.isLocalFile() or not url.scheme():
            target = Path(url.toLocalFile() or url.path())
            if not target.is_absolute():
                target = guide_path().parent / target
            if target.suffix.lower() == ".md" and target.exists():
                self._load(target)
                return
        if url.hasFragment():
            self.browser.scrollToAnchor(url.fragment())
