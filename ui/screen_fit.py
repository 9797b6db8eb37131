"""Every window fits the screen it opens on: an office PC's 1366×768 (taskbar ≈ 40 px) at 100 %,
or 1920×1080 at 150 % (1280×680 logical pixels once the taskbar is off).

- :func:`fit_to_screen` shrinks a window to the usable area of its screen (with room for the
  title bar Windows draws above it) and moves it fully onto that screen. A geometry restored
  from a previous session on a larger or a missing second screen is brought back this way.
- :func:`install_screen_fit` does that for every window and dialog each time the program shows
  it (an application event filter), message boxes included.
- :class:`FittingScrollArea` holds a long form: it asks for its whole content when there is room
  and scrolls when there is not, so the dialog's buttons below it always stay on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QStyle, QWidget

# What Windows 10/11 draws around a window (logical pixels): the title bar and a thin border.
TITLE_BAR = 31
BORDER = 1


def available_area(widget: QWidget) -> QRect:
    """The usable area (taskbar excluded) of the screen the widget is on, else the primary."""
    screen = None
    if widget.isVisible() or widget.testAttribute(Qt.WidgetAttribute.WA_Moved):
        centre = widget.frameGeometry().center()
        screen = QGuiApplication.screenAt(centre)
    if screen is None:
        parent = widget.parentWidget()
        screen = parent.window().screen() if parent is not None else widget.screen()
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _margins(widget: QWidget) -> tuple[int, int, int, int]:
    """Frame margins (left, top, right, bottom): the real ones once known, never less than
    a Windows title bar and border."""
    frame, inner = widget.frameGeometry(), widget.geometry()
    left = max(inner.left() - frame.left(), BORDER)
    top = max(inner.top() - frame.top(), TITLE_BAR)
    right = max(frame.right() - inner.right(), BORDER)
    bottom = max(frame.bottom() - inner.bottom(), BORDER)
    return left, top, right, bottom


def largest_size(widget: QWidget) -> QSize:
    """The largest client size that keeps the whole frame on the widget's screen."""
    area = available_area(widget)
    left, top, right, bottom = _margins(widget)
    return QSize(area.width() - left - right, area.height() - top - bottom)


def fit_to_screen(widget: QWidget) -> None:
    """Shrink ``widget`` (a window) to its screen's usable area and move it fully onto it.
    Maximised and full-screen windows are the window manager's."""
    if not widget.isWindow() or widget.windowState() & (
        Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
    ):
        return
    area = available_area(widget)
    left, top, right, bottom = _margins(widget)
    most = QSize(area.width() - left - right, area.height() - top - bottom)
    size = widget.size()
    if not widget.testAttribute(Qt.WidgetAttribute.WA_Resized):
        # sized by Qt, which stops at 2/3 of the screen: as large as it asks when there is room
        hint = widget.sizeHint()
        if hint.isValid():
            size = size.expandedTo(hint)
    size = size.boundedTo(most).expandedTo(widget.minimumSize())
    if size != widget.size():
        widget.resize(size)
    inner, frame = widget.geometry(), widget.frameGeometry()
    if not widget.testAttribute(Qt.WidgetAttribute.WA_Moved):
        # not placed yet (Qt would centre a dialog after this): centre it over its parent
        # window, a main window on its screen, then keep it on the screen
        parent = widget.parentWidget()
        over = parent.window().geometry() if parent is not None else area
        inner = QRect(
            over.center().x() - size.width() // 2,
            over.center().y() - size.height() // 2,
            size.width(),
            size.height(),
        )
    x = min(max(inner.x(), area.left() + left), area.left() + area.width() - right - size.width())
    y = min(max(inner.y(), area.top() + top), area.top() + area.height() - bottom - size.height())
    x, y = max(x, area.left() + left), max(y, area.top() + top)
    current = widget.geometry()
    if (x, y) != (current.x(), current.y()) or not widget.testAttribute(
        Qt.WidgetAttribute.WA_Moved
    ):
        # move() places the frame: keep the client where wanted
        widget.move(x - (current.x() - frame.x()), y - (current.y() - frame.y()))


_FITTED = (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)


class _ScreenFit(QObject):
    """Fits every window and dialog each time the program shows it (pop-ups and tool tips
    aside; a window restored from the taskbar is left where the user put it)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # a window shown by the program, not one the user brings back from the taskbar
        if (
            event.type() == QEvent.Type.Show
            and not event.spontaneous()
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and watched.windowType() in _FITTED
        ):
            fit_to_screen(watched)
        return False


_FILTER: list[_ScreenFit] = []


def install_screen_fit(app: QApplication | None = None) -> None:
    """Once per application: every window shown from now on fits its screen."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None or _FILTER:
        return
    fit = _ScreenFit(app)
    app.installEventFilter(fit)
    _FILTER.append(fit)


class FittingScrollArea(QScrollArea):
    """A scroll area that wants its whole content (a plain QScrollArea caps its wish at about
    24 lines) but can shrink to a few lines: the dialog opens showing everything when the
    screen has room, and scrolls its content, never its buttons, when it has not."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        content.setAutoFillBackground(False)
        self.viewport().setAutoFillBackground(False)

    def sizeHint(self) -> QSize:
        content = self.widget()
        if content is None:
            return super().sizeHint()
        hint = content.sizeHint().expandedTo(content.minimumSizeHint())
        if content.hasHeightForWidth():
            width = max(self.viewport().width(), hint.width())
            hint.setHeight(max(hint.height(), content.heightForWidth(width)))
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        frame = 2 * self.frameWidth()
        return QSize(hint.width() + frame + bar, hint.height() + frame)

    def minimumSizeHint(self) -> QSize:
        content = self.widget()
        width = content.minimumSizeHint().width() if content is not None else 100
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return QSize(width + 2 * self.frameWidth() + bar, 4 * self.fontMetrics().height())
