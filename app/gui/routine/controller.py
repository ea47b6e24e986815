"""The routine's parts in one window.

Which view the sidebar shows (Inbox, suggestions, smart list), the banner above the papers, and
the commands the menus and keys call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLineEdit

from app.gui.routine.banner import ViewBanner
from app.gui.routine.latest import Latest
from app.gui.routine.paste import paste_import
from app.gui.routine.related import RelatedController
from app.gui.routine.smart import SmartController
from app.gui.routine.smart_dialog import scope_label
from app.gui.routine.suggestions import SuggestionController
from app.gui.routine.triage import CARD, LIST, TriageController
from app.gui.routine.views import INBOX_ORDER, SCORE
from app.gui.sidebar_keys import INBOX, Key, suggestion_target
from app.gui.tasks import Task
from storage.related import Cancelled

if TYPE_CHECKING:
    from app.gui.routine.host import RoutineHost


def star_icon(color: QColor) -> QIcon:
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(color)
    font = painter.font()
    font.setPixelSize(26)
    painter.setFont(font)
    painter.drawText(pixmap.rect(), int(Qt.AlignmentFlag.AlignCenter), "☆")
    painter.end()
    return QIcon(pixmap)


class Routine(QObject):
    """Built by app.gui.routine.install(window) before the window's actions (they call
    "routine.<method>"); the window asks it for the routine views' order and ranked ids."""

    def __init__(self, window: RoutineHost) -> None:
        super().__init__(window.window())
        self.window = window
        self.library = window.library
        self.key: Key = window.sidebar.current_key()
        self.banner = ViewBanner()
        middle = window.area.parentWidget().layout()
        middle.insertWidget(middle.indexOf(window.area), self.banner)  # type: ignore[union-attr]
        self.triage = TriageController(window)
        self.suggestions = SuggestionController(window)
        self.related = RelatedController(window, window.detail.related)
        self.smart = SmartController(window)
        self.ranker = Latest("inbox ranking", self)
        self.ranking = False
        self._save_action = QAction(
            star_icon(window.palette().color(window.palette().ColorRole.PlaceholderText)),
            "Save this search as a smart list (Ctrl+Shift+S)",
            window.search.field,
        )
        self._save_action.triggered.connect(self.save_search)
        self._save_action.setVisible(False)
        window.search.field.addAction(self._save_action, QLineEdit.ActionPosition.TrailingPosition)
        window.search.field.textChanged.connect(
            lambda text: self._save_action.setVisible(bool(text.strip()))
        )
        self._seen_key = f"inbox/seen_batch/{window.library.folder.resolve()}"
        window.sidebar.seen_batch = int(window.settings.value(self._seen_key, 0, type=int))
        window.sidebar.filterChanged.connect(self._on_filter)
        window.sidebar.refreshed.connect(self._after_refresh)
        window.sidebar.entryActivated.connect(lambda _key: self.focus_view())
        window.importer.finished.connect(lambda _outcome: self._after_refresh())
        self.banner.clicked.connect(self._banner_clicked)
        self.suggestions.changed.connect(self.update_banner)
        window.sidebar.refresh()  # the "new" in the Inbox as of the settings read above
        self.smart.schedule()  # the smart lists' first counts

    # --- what the window asks ------------------------------------------------------------

    def own_order(self, key: Key) -> str | None:
        """The order a routine view starts in (None: the window's column sort)."""
        kind = key[0]
        if kind == "inbox":
            return SCORE if self.triage.by_score else INBOX_ORDER
        if suggestion_target(key) is not None:
            return SCORE
        if kind == "smart":
            return "relevance"
        return None

    def ranked(self, key: Key) -> tuple[int, ...] | None:
        """A computed order the view shows (suggestions; the Inbox likeliest first)."""
        target = suggestion_target(key)
        if target is not None:
            return self.suggestions.ranked(target)
        if key == INBOX and self.triage.by_score:
            return self.triage.ranked
        return None

    def delete_key(self) -> bool:
        """Delete in the table: dismiss in the Inbox, reject a suggestion; False elsewhere."""
        key = self.window.sidebar.current_key()
        if key == INBOX:
            self.triage.run("dismiss")
            return True
        if suggestion_target(key) is not None:
            self.suggestions.decide("reject")
            return True
        return False

    def export_scope(self, key: Key) -> object | None:
        return self.smart.export_scope(key[1]) if key[0] == "smart" and key[1] else None

    # --- menu commands -------------------------------------------------------------------

    def paste(self) -> Task | None:
        return paste_import(self.window)

    def save_search(self) -> None:
        self.smart.save_search()

    def go_to_inbox(self) -> None:
        self.window.sidebar.select(INBOX)
        self.focus_view()

    def refit(self) -> None:
        if self.suggestions.target is not None:
            self.suggestions.refit()
        elif self.window.sidebar.current_key() == INBOX and self.triage.by_score:
            self._rank_inbox()

    def focus_view(self) -> None:
        if self.window.sidebar.current_key() == INBOX:
            self.triage.focus()
        else:
            self.window.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- views ---------------------------------------------------------------------------

    def follow_sidebar(self) -> None:
        """Take up the sidebar's entry when it was set without a signal (the view restored
        at start)."""
        key = self.window.sidebar.current_key()
        if key != self.key:
            self._on_filter(key)

    def _on_filter(self, key: Key) -> None:
        """The sidebar chose another entry (before the window reloads the table)."""
        old, self.key = self.key, tuple(key)  # type: ignore[assignment]
        if old == INBOX and key != INBOX:
            self.triage.left()
            self.ranker.cancel()
            self.ranking = False
        if suggestion_target(old) is not None and old != key:
            self.suggestions.left()
        if key == INBOX:
            self.triage.entered()
            self.window.settings.setValue(self._seen_key, self.window.sidebar.seen_batch)
            if self.triage.by_score and self.triage.ranked is None:
                self._rank_inbox()
        target = suggestion_target(key)
        if target is not None:
            self.suggestions.entered(target)
        self.update_banner()

    def _after_refresh(self) -> None:
        self.smart.schedule()
        self.update_banner()

    def set_inbox_by_score(self, on: bool) -> None:
        self.triage.by_score = on
        self.window.settings.setValue("triage/by_score", on)
        if on:
            self._rank_inbox()
        self.triage.reset_order()
        self.window.reload()
        self.update_banner()

    def _rank_inbox(self) -> None:
        """The Inbox likeliest first: scores computed on their own worker, then shown."""
        library = self.library

        def work(task: Task) -> tuple[int, ...]:
            if task.is_cancelled():
                raise Cancelled()
            return tuple(p.id for p in library.inbox(sort="score").papers)

        self.ranking = True
        self.ranker.submit(work, self._ranked, self._rank_failed)
        self.update_banner()

    def _ranked(self, ids: tuple[int, ...]) -> None:
        self.ranking = False
        self.triage.ranked = ids
        if self.window.sidebar.current_key() == INBOX and self.triage.by_score:
            self.triage.reset_order()
            self.window.reload()
        self.update_banner()

    def _rank_failed(self, error: BaseException) -> None:
        self.ranking = False
        if not isinstance(error, Cancelled):
            self.window._report(f"Could not rank the Inbox: {error}")
        self.update_banner()

    def _banner_clicked(self, name: str) -> None:
        if name == "view":
            self.triage.set_mode(LIST if self.triage.mode == CARD else CARD)
        elif name == "sort":
            self.set_inbox_by_score(not self.triage.by_score)
        elif name == "refit":
            self.suggestions.refit()
        elif name == "cancel":
            self.suggestions.cancel()
        elif name == "edit" and self.key[1]:
            self.smart.edit(self.key[1])
        self.update_banner()

    def update_banner(self) -> None:
        key, banner = self.window.sidebar.current_key(), self.banner
        target = suggestion_target(key)
        if key == INBOX:
            waiting = self.window.sidebar.count_of(INBOX) or 0
            order = "likeliest first" if self.triage.by_score else "newest import first"
            if self.ranking:
                order = "ranking by what you kept, tagged and read…"
            one = self.triage.mode == CARD
            banner.show_view(
                "Inbox",
                f"{waiting:,} waiting · {order}",
                [
                    ("view", "As a list (V)" if one else "One at a time (V)", None),
                    ("sort", "Likeliest first (S)", self.triage.by_score),
                ],
            )
        elif target is not None:
            fitting = self.suggestions.fitting is not None
            button = ("cancel", "Cancel", None) if fitting else ("refit", "Refit (F5)", None)
            banner.show_view(f"Suggested for “{target[1]}”", self._fit_state(target), [button])
        elif key[0] == "smart" and key[1]:
            try:
                saved = self.library.smart_list(key[1])
            except Exception:  # deleted meanwhile: the sidebar moves on
                banner.hide()
                return
            where = "" if not saved.scope else f" · in {scope_label(saved.scope)}"
            banner.show_view(
                f"Smart list “{saved.name}”",
                f"{saved.query}{where}",
                [("edit", "Edit…", None)],
            )
        else:
            banner.hide()

    def _fit_state(self, target: tuple[str, str]) -> str:
        s = self.suggestions
        keys = "A accepts · R or Delete rejects (never suggested again)"
        if s.fitting == target:
            return "Fitting in the background… the window stays yours. " + keys
        if s.problem:
            return s.problem
        fit = s.fits.get(target)
        if fit is None:
            return keys
        since = s.since.get(target, 0)
        redo = f" · {since:,} decided since: F5 refits with them" if since else ""
        what = "tag" if target[0] == "tag" else "list"
        return f"Papers most like the {what}’s own ({fit.seconds:.2f} s){redo} · {keys}"

    def shutdown(self) -> None:
        for part in (self.related, self.suggestions, self.smart):
            part.shutdown()
        self.ranker.shutdown()
