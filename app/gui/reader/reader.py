"""One PDF of a paper open for reading.

Its toolbar (page, zoom, fit, dark, find), the outline, the pages and the find bar; the file
opens in its own process, a failure shows as a message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QIntValidator, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.reader.canvas import FIT_PAGE, FIT_WIDTH
from app.gui.reader.findbar import FindBar, Finder
from app.gui.reader.interact import ReadingCanvas
from app.gui.reader.outline import OutlinePanel
from app.gui.reader.source import PageSource
from storage.pdfpages import DocumentInfo, PdfPages

__all__ = ["Reader"]

SHOWN_DELAY_MS = 30


class Reader(QWidget):
    """A paper's PDF in the window. `page` (0-based) is where it opens."""

    opened = Signal()
    shown = Signal()  # once, just after the first page is on screen
    failed = Signal(str)
    pageChanged = Signal(int)  # noqa: N815 (Qt naming): 0-based page mostly on screen
    linkRequested = Signal(object)  # noqa: N815 (an external Link to confirm and open)

    def __init__(
        self,
        paper_id: int,
        file_id: int,
        path: Path,
        name: str,
        settings: QSettings,
        page: int = 0,
        pages: Callable[[], PdfPages] = PdfPages,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.paper_id, self.file_id, self.path, self.name = paper_id, file_id, path, name
        self.settings = settings
        self.setAccessibleName(f"Reader {name}")
        self.start_page = max(page, 0)
        self.canvas: ReadingCanvas | None = None
        self.finder: Finder | None = None
        self.outline: OutlinePanel | None = None
        self.info: DocumentInfo | None = None
        self.error = ""
        self._drawn = False
        self.was_shown = False  # the first page was on screen (shown was emitted)
        self.key_handlers: list[Callable[[QKeyEvent], bool]] = []  # highlighting's keys
        self.highlight_actions: list[QAction] = []
        self.highlight_button: QToolButton | None = None
        self.source = PageSource(path, name, pages, self)
        self.toolbar = self._build_toolbar()
        self.findbar = FindBar()
        self.message = QLabel(f"Opening {name}…")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Reader message")
        self.message.setMargin(24)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setChildrenCollapsible(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.split)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.toolbar)
        column.addWidget(self.findbar)
        column.addWidget(self.stack, 1)
        self.source.opened.connect(self._on_opened)
        self.source.rendered.connect(self._first_drawn)
        self.source.openFailed.connect(self._on_failed)
        self.findbar.closed.connect(self._find_closed)
        self._set_enabled(False)
        self.source.start()

    # --- toolbar ---------------------------------------------------------------------------

    def _action(self, text: str, tip: str, slot: Callable[..., object], checkable: bool = False):
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        return action

    def _build_toolbar(self) -> QToolBar:
        bar = QToolBar("Reader")
        bar.setObjectName("reader_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.contents_action = self._action(
            "Contents", "Show the PDF's table of contents", self._toggle_outline, True
        )
        bar.addAction(self.contents_action)
        bar.addSeparator()
        self.page_box = QLineEdit("1")
        self.page_box.setAccessibleName("Page number")
        self.page_box.setToolTip("Page number: type one and press Enter")
        self.page_box.setMaximumWidth(56)
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_box.returnPressed.connect(self._page_entered)
        self.page_count = QLabel(" of –")
        bar.addWidget(self.page_box)
        bar.addWidget(self.page_count)
        bar.addSeparator()
        self.zoom_out_action = self._action("−", "Zoom out (Ctrl+−)", lambda: self._zoom(-1))
        self.zoom_label = QLabel("100 %")
        self.zoom_label.setAccessibleName("Zoom")
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_action = self._action("+", "Zoom in (Ctrl++)", lambda: self._zoom(1))
        bar.addAction(self.zoom_out_action)
        bar.addWidget(self.zoom_label)
        bar.addAction(self.zoom_in_action)
        self.fit_width_action = self._action(
            "Fit width", "Pages as wide as the view", lambda: self._fit(FIT_WIDTH), True
        )
        self.fit_page_action = self._action(
            "Fit page", "A whole page in the view", lambda: self._fit(FIT_PAGE), True
        )
        fits = QActionGroup(self)
        fits.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        for action in (self.fit_width_action, self.fit_page_action):
            fits.addAction(action)
            bar.addAction(action)
        bar.addSeparator()
        self.dark_action = self._action(
            "Dark pages", "Invert the pages' colours for reading in the dark", self._dark, True
        )
        self.dark_action.setChecked(bool(self.settings.value("reader/dark", False, type=bool)))
        bar.addAction(self.dark_action)
        self.find_action = self._action("Find", "Find in the document (Ctrl+F)", self.open_find)
        bar.addAction(self.find_action)
        self.copy_action = self._action("Copy", "Copy the selected text (Ctrl+C)", self._copy)
        self.copy_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the canvas's
        self.tools_separator = bar.addSeparator()
        self.more_menu = QMenu(self)
        self.more_button = QToolButton()
        self.more_button.setText("More")
        self.more_button.setAccessibleName("More")
        self.more_button.setToolTip("Export, open with another program")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setMenu(self.more_menu)
        self.more_action = bar.addWidget(self.more_button)
        for action in bar.actions():
            widget = bar.widgetForAction(action)
            if isinstance(widget, QToolButton) and action.text():
                widget.setAccessibleName(action.text())
        return bar

    def add_tool(self, widget: QWidget) -> QAction:
        """A widget on the toolbar, before the More menu (highlighting's button)."""
        return self.toolbar.insertWidget(self.more_action, widget)

    def _copy(self) -> None:
        if self.canvas is not None:
            self.canvas.copy()

    def _set_enabled(self, on: bool) -> None:
        for action in self.toolbar.actions():
            action.setEnabled(on)
        self.page_box.setEnabled(on)
        self.contents_action.setEnabled(on and bool(self.info and self.info.outline))

    # --- opening ---------------------------------------------------------------------------

    def _on_opened(self, info: DocumentInfo) -> None:
        self.info = info
        canvas = ReadingCanvas(info, self.source)
        self.canvas = canvas
        canvas.set_dark(self.dark_action.isChecked())
        fit = str(self.settings.value("reader/fit", FIT_WIDTH))
        canvas.fit = fit if fit in (FIT_WIDTH, FIT_PAGE) else None
        if canvas.fit is None:
            canvas.layout_.set_zoom(float(self.settings.value("reader/zoom", 1.0, type=float)))
        self.finder = Finder(self.source, canvas, self)
        self.findbar.phraseChanged.connect(self.finder.search)
        self.findbar.stepRequested.connect(self.finder.step)
        self.finder.counted.connect(self.findbar.count.setText)
        canvas.pageChanged.connect(self._on_page)
        canvas.zoomChanged.connect(lambda _zoom: self._show_zoom())
        canvas.linkRequested.connect(self.linkRequested)
        if info.outline:
            self.outline = OutlinePanel(info.outline)
            self.outline.entryChosen.connect(self._outline_chosen)
            self.split.addWidget(self.outline)
            self.outline.setVisible(bool(self.settings.value("reader/outline", True, type=bool)))
        self.split.addWidget(canvas)
        self.split.setStretchFactor(self.split.count() - 1, 1)
        if self.outline is not None:
            self.split.setSizes([220, 800])
        self.page_box.setValidator(QIntValidator(1, info.page_count, self))
        self.page_count.setText(f" of {info.page_count:,}")
        self.stack.setCurrentWidget(self.split)
        self._set_enabled(True)
        self.contents_action.setChecked(self.outline is not None and self.outline.isVisible())
        self._show_fit()
        canvas.resize(self.split.size())
        canvas.go_to(min(self.start_page, info.page_count - 1))
        self._on_page(canvas.current_page)
        self._show_zoom()
        if self.hasFocus() or self.isVisible():
            canvas.setFocus(Qt.FocusReason.OtherFocusReason)
        self.opened.emit()

    def _first_drawn(self, _image: object) -> None:
        if self._drawn:  # renders already queued arrive after the first one too
            return
        self._drawn = True
        QTimer.singleShot(SHOWN_DELAY_MS, self, self._emit_shown)  # after the paint showing it

    def _emit_shown(self) -> None:
        self.was_shown = True
        self.shown.emit()

    def _on_failed(self, message: str) -> None:
        self.error = message
        self.message.setText(f"This PDF cannot be shown.\n\n{message}")
        self.stack.setCurrentWidget(self.message)
        self.failed.emit(message)

    # --- commands --------------------------------------------------------------------------

    @property
    def current_page(self) -> int:
        return self.canvas.current_page if self.canvas is not None else self.start_page

    def ready(self) -> bool:
        """Open (or failed) and every page on screen drawn (or failed)."""
        if self.error:
            return True
        canvas = self.canvas
        if canvas is None:
            return False
        return all(
            index in canvas.failed
            or ((image := canvas.cache.get(index)) is not None
                and abs(image.scale - canvas.device_scale(index)) < 0.01 * image.scale)
            for index in canvas.visible_pages()
        )  # fmt: skip

    def go_to_page(self, index: int, top: float | None = None) -> None:
        """Show page `index` (0-based); before the file is open, open there."""
        if self.canvas is None:
            self.start_page = index
        else:
            self.canvas.go_to(index, top)

    def open_find(self) -> None:
        if self.canvas is None:
            return
        selected = self.canvas.selected_text()
        self.findbar.open_bar(selected if selected and "\n" not in selected else "")

    def _find_closed(self) -> None:
        if self.finder is not None:
            self.finder.clear()
        if self.canvas is not None:
            self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def _page_entered(self) -> None:
        text = self.page_box.text().strip()
        if self.canvas is not None and text.isdigit():
            self.canvas.go_to(int(text) - 1)
            self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_page(self, index: int) -> None:
        self.page_box.setText(str(index + 1))
        self.pageChanged.emit(index)

    def _zoom(self, steps: int) -> None:
        if self.canvas is not None:
            self.canvas.step_zoom(steps)
            self._show_fit()

    def _fit(self, fit: str) -> None:
        if self.canvas is None:
            return
        on = (self.fit_width_action if fit == FIT_WIDTH else self.fit_page_action).isChecked()
        self.canvas.set_fit(fit if on else None)
        self.settings.setValue("reader/fit", fit if on else "")
        self._show_fit()

    def _show_fit(self) -> None:
        fit = self.canvas.fit if self.canvas is not None else None
        self.fit_width_action.setChecked(fit == FIT_WIDTH)
        self.fit_page_action.setChecked(fit == FIT_PAGE)

    def _show_zoom(self) -> None:
        if self.canvas is None:
            return
        self.zoom_label.setText(f"{round(self.canvas.zoom * 100)} %")
        self._show_fit()
        if self.canvas.fit is None:
            self.settings.setValue("reader/fit", "")
            self.settings.setValue("reader/zoom", self.canvas.zoom)

    def _dark(self, on: bool) -> None:
        self.settings.setValue("reader/dark", on)
        if self.canvas is not None:
            self.canvas.set_dark(on)

    def _toggle_outline(self, shown: bool) -> None:
        if self.outline is not None:
            self.outline.setVisible(shown)
            self.settings.setValue("reader/outline", shown)

    def _outline_chosen(self, page: int, top: object) -> None:
        if self.canvas is not None:
            self.canvas.go_to(page, top if isinstance(top, float) else None)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Keys the pages left: Escape closes the find bar; highlighting's keys (H, 1–5)."""
        if event.key() == Qt.Key.Key_Escape and self.findbar.isVisible():
            self.findbar.close_bar()
            return
        if self.canvas is not None and any(handle(event) for handle in self.key_handlers):
            return
        super().keyPressEvent(event)

    def close_file(self) -> None:
        """Stop reading: the thread and the PDF's process end."""
        self.source.close()
