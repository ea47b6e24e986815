"""The reader in the main window.

Open a paper's PDF (double-click, Enter, the Files section's Open, `papershelf open`), remember
where each paper was left, mark unread papers as reading, confirm before an address in a PDF
opens in the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from app.gui.lane import Step
from app.gui.note_preview import open_external
from app.gui.plain import ask
from app.gui.reader.commands import MarkReadingCommand
from app.gui.reader.files_menu import files_menu
from app.gui.reader.highlighting import Highlighter
from app.gui.reader.reader import Reader
from app.gui.reader.tabs import ReaderTabs
from storage.pdfpages import Link, PdfPages
from storage.safety import is_busy
from storage.views import FileView, NoteView

if TYPE_CHECKING:
    from app.gui.window import MainWindow

__all__ = ["ReaderController", "install"]

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
SAVE_DELAY_MS = 1500  # the page is remembered this long after it last changed
SPARE_DELAY_MS = 2000  # a PDF process is started this long after the window, or an open


class ReaderController(QObject):
    """Opens readers in the window's tabs and keeps each paper's place."""

    def __init__(self, window: MainWindow, pages: Callable[[], PdfPages] = PdfPages) -> None:
        super().__init__(window)
        self.window, self.library = window, window.library
        self._pages = pages  # tests pass a PdfPages with a short time limit
        self._spare: PdfPages | None = None  # a PDF process started ahead: opening is quicker
        self._marking: set[int] = set()  # papers being marked as reading, on the write lane
        self._closed = False
        self.warm_ahead = True  # benchmarks turn it off to time a cold open
        QTimer.singleShot(SPARE_DELAY_MS, self, self._warm)
        middle = window.search.parentWidget()  # the search field above the paper table
        self.tabs = ReaderTabs()
        window.splitter.replaceWidget(window.splitter.indexOf(middle), self.tabs)
        self.tabs.set_library_page(middle)
        self._unsaved: dict[int, tuple[int, int]] = {}
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_positions)
        self.tabs.currentChanged.connect(self._tab_changed)
        window.model.modelReset.connect(self._resync)
        self.tabs.readerClosing.connect(self._closing)
        window.table.activated.connect(lambda _index: self.open_current())
        window.detail.files.readRequested.connect(self._read_file)
        find = window.actions["find"]
        find.triggered.disconnect()
        find.triggered.connect(self._find)
        window.installEventFilter(self)
        self.highlighter = Highlighter(window, window.settings)
        notes = window.detail.notes
        notes.showRequested.connect(self.show_highlight)
        notes.delete_highlight = self.highlighter.delete

    # --- PDF processes -----------------------------------------------------------------------

    @property
    def pages(self) -> Callable[[], PdfPages]:
        return self._pages

    @pages.setter
    def pages(self, factory: Callable[[], PdfPages]) -> None:
        self._pages = factory
        self._drop_spare()

    def _warm(self) -> None:
        """Start a PDF process for the next open (its ~0.1-0.4 s start is then done)."""
        if self._spare is None and not self._closed and self.warm_ahead:
            spare = self._pages()
            spare.start()
            self._spare = spare

    def _drop_spare(self) -> None:
        spare, self._spare = self._spare, None
        if spare is not None:
            spare.close()

    def _next_pages(self) -> PdfPages:
        """The spare process (or a new one) for a reader; the next spare starts once this
        reader's first page is on screen (see open_paper), or after a while."""
        spare, self._spare = self._spare, None
        if not self._closed and self.warm_ahead:
            QTimer.singleShot(SPARE_DELAY_MS, self, self._warm)
        return spare if spare is not None else self._pages()

    # --- opening ---------------------------------------------------------------------------

    def open_current(self) -> Reader | None:
        pid = self.window.table.current_id()
        return None if pid is None else self.open_paper(pid)

    def _read_file(self, view: FileView) -> None:
        self.open_paper(view.paper_id, view.id)

    def open_paper(
        self, paper_id: int, file_id: int | None = None, page: int | None = None,
        top: float | None = None,
    ) -> Reader | None:  # fmt: skip
        """Show the paper's PDF (this file, else the one read last, else the first) at this
        0-based page, else where it was left; None (with a message) when it has no PDF."""
        try:
            paper = self.library.paper(paper_id)
        except Exception as error:
            self.window.statusBar().showMessage(str(error), 10_000)
            return None
        files = [view for view in paper.files if file_id is None or view.id == file_id]
        if not files:
            self.window.statusBar().showMessage(
                f"“{paper.title}” has no PDF: attach one in the Files section.", 10_000
            )
            return None
        where = self.position(paper_id)
        chosen = next((f for f in files if where and f.id == where[0]), files[0])
        if page is None:
            page = where[1] if where and where[0] == chosen.id else 0
        reader = self.tabs.reader_for(paper_id, chosen.id)
        if reader is None:
            if not chosen.path.is_file():
                self.window.statusBar().showMessage(
                    f"The library's copy of {chosen.name} is missing; "
                    "“papershelf check” lists such files.", 10_000,
                )  # fmt: skip
                return None
            reader = self.tabs.open_reader(
                paper_id, chosen.id, chosen.path, chosen.name, paper.title,
                self.window.settings, page, self._next_pages,
            )  # fmt: skip
            reader.shown.connect(self._warm)  # the next spare, once this page is up
            reader.pageChanged.connect(lambda index, r=reader: self._page_changed(r, index))
            reader.linkRequested.connect(self.open_link)
            self.highlighter.attach(reader)
            files_menu(self.window, reader)
            if paper.status == "unread":  # once the page shows: the write waits for no one
                reader.shown.connect(lambda p=paper_id: self._mark_reading(p))
        else:
            self.tabs.setCurrentWidget(reader)
            reader.go_to_page(page, top)
        if top is not None and reader.canvas is None:
            reader.opened.connect(lambda r=reader, p=page, t=top: r.go_to_page(p, t))
        return reader

    def show_highlight(self, note: NoteView) -> Reader | None:
        """A highlight's note was clicked: its PDF at the highlight."""
        if note.file_id is None or note.page is None:
            return None
        top = max((rect[3] for rect in note.rects), default=None)
        return self.open_paper(note.paper_id, note.file_id, note.page - 1,
                               None if top is None else top + 24)  # fmt: skip

    def _mark_reading(self, paper_id: int) -> None:
        """An unread paper whose PDF was opened is being read (undoable; written off the GUI
        thread)."""
        rows = self.window.model.rows_for([paper_id])
        if paper_id not in rows or rows[paper_id].status != "unread":
            return
        window = self.window

        def failed(message: str) -> None:
            self._marking.discard(paper_id)
            self._report(message)

        command = MarkReadingCommand(self.library, window.apply_change, failed, paper_id)
        self._marking.add(paper_id)
        command.then = lambda: self._marking.discard(paper_id)
        window.undo_stack.push(command)

    def _report(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 10_000)

    def open_reference(self, reference: str, page: int | None, strict: bool = False) -> str | None:
        """`papershelf open PAPER [--page N]` (N from 1): None when opened, else the one-line
        reason. A page past the end opens the last one, or is refused when strict."""
        try:
            pid = self.library.resolve(reference)
        except Exception as error:
            return str(error)
        files = self.library.files(pid)
        if not files:
            return f"paper {reference} has no PDF attached"
        where = self.position(pid)
        chosen = next((f for f in files if where and f.id == where[0]), files[0])
        if page is not None and chosen.pages and page > chosen.pages:
            if strict:
                return f"{chosen.name} has {chosen.pages} pages; there is no page {page}"
            page = chosen.pages
        reader = self.open_paper(pid, chosen.id, page=None if page is None else page - 1)
        return None if reader is not None else f"paper {reference}: its PDF cannot be opened"

    def current_paper(self) -> int | None:
        """The paper of the reader tab on show, or None on the papers' tab."""
        reader = self.tabs.current_reader()
        return None if reader is None else reader.paper_id

    def problem(self) -> str | None:
        """Why the reader on show cannot show its PDF (one line), or None."""
        reader = self.tabs.current_reader()
        return reader.error or None if reader is not None else None

    def ready(self) -> bool:
        """Whether the reader on show (if any) has drawn what is on screen (for screenshots)."""
        reader = self.tabs.current_reader()
        if reader is None:
            return True
        if reader.error:
            return True
        return reader.ready() and reader.was_shown and not self._marking

    # --- reading positions -----------------------------------------------------------------

    def position(self, paper_id: int) -> tuple[int, int] | None:
        """(file id, 0-based page) where the paper was left, if known."""
        if paper_id in self._unsaved:
            return self._unsaved[paper_id]
        try:
            found = self.library.reading_position(paper_id)
        except Exception:  # unreadable: open at the start
            return None
        if found is None or found.file_id is None:
            return None
        return found.file_id, max(found.page - 1, 0)

    def _page_changed(self, reader: Reader, index: int) -> None:
        self._unsaved[reader.paper_id] = (reader.file_id, index)
        self._save_timer.start()

    def save_positions(self, force: bool = False) -> None:
        """Store the pages changed since the last save, on the window's write lane (quietly:
        no pending edit is shown for them); while the window's worker writes (an import), a
        little later, unless forced (the window closes: the lane writes it before it stops)."""
        if self.window.runner.busy and not force:
            self._save_timer.start()
            return
        unsaved, self._unsaved = self._unsaved, {}
        if not unsaved:
            return
        library = self.library

        def work() -> tuple[list[int], list[str]]:
            saved: list[int] = []
            problems: list[str] = []
            for paper_id, (file_id, index) in unsaved.items():
                try:
                    library.set_reading_position(paper_id, file_id, index + 1)
                except Exception as error:  # the paper or file went meanwhile
                    if is_busy(error):
                        raise  # the lane runs the step again once the lock frees
                    problems.append(str(error))
                    continue
                saved.append(paper_id)
            return saved, problems

        def tell(problem: object) -> None:
            self.window.statusBar().showMessage(f"Reading position not saved: {problem}", 10_000)

        def done(result: tuple[list[int], list[str]]) -> None:
            saved, problems = result
            for problem in problems:
                tell(problem)
            if saved:
                self.window.model.refresh_ids(saved)

        self.window.lane.run(Step("Save the reading position", work, done, tell, quiet=True))

    def _closing(self, reader: Reader) -> None:
        if reader.canvas is not None:
            self._unsaved[reader.paper_id] = (reader.file_id, reader.current_page)
        self.save_positions()

    # --- the window ------------------------------------------------------------------------

    def _tab_changed(self, _index: int) -> None:
        reader = self.tabs.current_reader()
        if reader is None:
            self.window.show_current()
            return
        table = self.window.table
        if reader.paper_id in table.paper_model().row_map():
            table.select_ids([reader.paper_id], reader.paper_id)
        self.window.detail.show_paper(reader.paper_id)

    def _resync(self) -> None:
        """The table was filled again (a search, a filter): the details stay the reader's."""
        if self.tabs.current_reader() is not None:
            QTimer.singleShot(0, self, lambda: self._tab_changed(self.tabs.currentIndex()))

    def _find(self) -> None:
        reader = self.tabs.current_reader()
        if reader is not None:
            reader.open_find()
        else:
            self.window.focus_search()

    def open_link(self, link: Link) -> bool:
        """An address from a PDF (untrusted): opened in the browser once the user agrees."""
        uri = (link.uri or "").strip()
        if not uri:
            return False
        answer = ask(
            self.window,
            "Open link",
            f"Open this address from the PDF in your browser?\n\n{uri[:2000]}",
            default=QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        opened = open_external(uri, LINK_SCHEMES)
        if not opened:
            self.window.statusBar().showMessage("That address cannot be opened.", 10_000)
        return opened

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.close_all()
        return False

    def close_all(self) -> None:
        self._closed = True
        self._drop_spare()
        self.tabs.close_all()
        self._save_timer.stop()
        self.save_positions(force=True)


def install(window: MainWindow) -> ReaderController:
    """Put the paper table in the first of the middle's tabs and connect the reader."""
    return ReaderController(window)
