"""Triage of the Inbox by keyboard.

Keep, dismiss, tag with 1–9, add to a list, open the code link, next/previous, one paper at a
time (the triage card) or as a list (the table)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.gui.note_preview import WEB_SCHEMES, open_external, web_link_ok
from app.gui.routine.chooser import choose_list
from app.gui.routine.commands import DISMISS, KEEP, ListAddCommand, TriageCommand
from app.gui.routine.sidebar_entries import batch_source
from app.gui.routine.triage_card import CardPaper, TriageCard
from app.gui.routine.views import next_after
from app.gui.sidebar_keys import INBOX
from storage.library import LibraryError

if TYPE_CHECKING:
    from app.gui.routine.host import TriageHost

# name: (text, keys on the triage card, keys on the table while it shows the Inbox)
TRIAGE_KEYS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "keep": ("Keep (Inbox)", ("K", "Right"), ("K", "Right")),
    "dismiss": ("Dismiss (Inbox)", ("D", "Delete"), ("D",)),  # the table's Delete also does
    "list": ("Add to reading list…", ("L",), ("L",)),
    "code": ("Open the code link", ("C",), ("C",)),
    "next": ("Next paper", ("Down", "N"), ()),  # the table's own arrows move through it
    "previous": ("Previous paper", ("Up", "P"), ()),
    "view": ("Inbox one at a time / as a list", ("V",), ("V",)),
    "sort": ("Inbox likeliest first / newest import first", ("S",), ("S",)),
}
CARD, LIST = "card", "list"


class TriageController(QObject):
    """The Inbox's session: the order it started in, what was kept and dismissed, the tags
    bound to number keys; the card follows the table's current paper."""

    def __init__(self, window: TriageHost) -> None:
        super().__init__(window.window())
        self.window = window
        self.library = window.library
        self.card = TriageCard()
        window.area.addWidget(self.card)
        settings = window.settings
        self.mode = CARD if str(settings.value("triage/mode", CARD)) != LIST else LIST
        self.by_score = settings.value("triage/by_score", False, type=bool)
        self.ranked: tuple[int, ...] | None = None  # the Inbox likeliest first, when computed
        self.order: list[int] = []  # the session: papers in the order they were met
        self.decided: dict[int, str] = {}  # paper -> keep | dismiss, this session
        self.origins: dict[int, str] = {}
        self._fresh_session = True
        self._to_top = False
        self.actions: dict[str, QAction] = {}
        self._build_actions()
        self.card.command.connect(self.run)
        self.card.tagKey.connect(self.toggle_tag)
        self._update = QTimer(self)
        self._update.setSingleShot(True)
        self._update.setInterval(0)
        self._update.timeout.connect(self.update_card)
        model, table = window.model, window.table
        for signal in (model.modelReset, model.rowsRemoved, model.rowsInserted, model.dataChanged):
            signal.connect(lambda *_: self._update.start())
        table.selectionModel().currentRowChanged.connect(lambda *_: self._update.start())

    # --- actions -------------------------------------------------------------------------

    def _build_actions(self) -> None:
        table = self.window.table
        for name, (text, card_keys, table_keys) in TRIAGE_KEYS.items():
            for owner, keys in ((self.card, card_keys), (table, table_keys)):
                if not keys:
                    continue
                action = QAction(text, owner)
                action.setObjectName(f"triage_{name}")
                action.setShortcuts([QKeySequence(k) for k in keys])
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                action.triggered.connect(lambda _c=False, n=name: self.run(n))
                owner.addAction(action)
                self.actions[f"{name}@{'card' if owner is self.card else 'table'}"] = action
        for number in range(1, 10):
            for owner in (self.card, table):
                action = QAction(f"Toggle tag number {number} (Inbox)", owner)
                action.setShortcut(QKeySequence(str(number)))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                action.triggered.connect(lambda _c=False, n=number: self.toggle_tag(n))
                owner.addAction(action)
                where = "card" if owner is self.card else "table"
                self.actions[f"tag{number}@{where}"] = action
        self.enable(False)

    def enable(self, on: bool) -> None:
        for action in self.actions.values():
            action.setEnabled(on)

    # --- entering and leaving the Inbox ----------------------------------------------------

    @property
    def active(self) -> bool:
        return self.window.sidebar.current_key() == INBOX

    def entered(self) -> None:
        """The sidebar shows the Inbox: a new session, the tags bound to keys, the view."""
        self.order, self.decided, self.origins = [], {}, {}
        self._fresh_session = True
        self._to_top = True  # a session starts at the Inbox's first paper
        self.tag_keys = self._most_used_tags()
        self.card.set_tag_keys(self.tag_keys)
        self.window.sidebar.mark_inbox_seen()
        self.enable(True)
        self._show_view()

    def left(self) -> None:
        self.enable(False)
        self.window.area.show_main(self.window.table)

    def _most_used_tags(self) -> list[str]:
        counts = [t for t in self.library.tag_counts() if t.count]
        counts.sort(key=lambda t: (-t.count, t.name.casefold()))
        return [t.name for t in counts[:9]]

    def _show_view(self) -> None:
        card = self.mode == CARD
        self.window.area.show_main(self.card if card else self.window.table)
        self.card.set_view_text("List view (V)" if card else "One at a time (V)")
        self._update.start()

    def focus(self) -> None:
        """Keys to the Inbox: the card, or the table in list mode."""
        target: QWidget = self.card if self.mode == CARD else self.window.table
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- commands ------------------------------------------------------------------------

    def run(self, name: str) -> None:
        if not self.active:
            return
        if name in (KEEP, DISMISS):
            self.decide(name)
        elif name == "list":
            self.add_to_list()
        elif name == "code":
            self.open_code()
        elif name in ("next", "previous"):
            self.step(1 if name == "next" else -1)
        elif name == "view":
            self.set_mode(LIST if self.mode == CARD else CARD)
        elif name == "sort":
            self.window.routine.set_inbox_by_score(not self.by_score)

    def targets(self) -> list[int]:
        """The papers a key acts on: the card's paper, or the table's selection."""
        if self.mode == CARD:
            current = self.window.table.current_id()
            return [current] if current is not None and not self.card.showing_done() else []
        return self.window.table.selected_ids()

    def decide(self, verb: str) -> None:
        ids = self.targets()
        window = self.window
        if not ids or window.runner.busy:
            return
        following = next_after(window.model.ids, ids)
        window.undo_stack.push(
            TriageCommand(self.library, window.apply_change, window._report, ids, verb, self._heard)
        )
        if following is not None and window.model.row_of(following) is not None:
            window.table.select_ids([following], following)

    def _heard(self, ids: list[int], verb: str, undone: bool) -> None:
        """A keep or dismiss ran (or was undone): counted; an undone paper is shown again."""
        for pid in ids:
            if undone:
                self.decided.pop(pid, None)
            else:
                self.decided[pid] = verb
        if undone and self.active:
            self.window.select_when_shown(ids, ids[0])
        self._update.start()

    def toggle_tag(self, number: int) -> None:
        """Number keys: the tag bound to that number, on (or off, if all have it)."""
        ids = self.targets()
        if not self.active or not ids or not 1 <= number <= len(self.tag_keys):
            return
        tag = self.tag_keys[number - 1]
        rows = self.window.model.rows_for(ids)
        have = all(tag.casefold() in {t.casefold() for t in r.tags} for r in rows.values())
        if have:
            self.window.editor.edit_tags(ids, [], [tag])
        else:
            self.window.editor.edit_tags(ids, [tag], [])

    def add_to_list(self, ids: Sequence[int] | None = None) -> None:
        ids = list(ids) if ids is not None else self.targets()
        window = self.window
        if not ids or window.runner.busy:
            return
        name = choose_list(window.window(), window.sidebar.list_names(), len(ids))
        window.activateWindow()
        self.focus()  # the keys go on where they were
        if not name:
            return
        window.undo_stack.push(
            ListAddCommand(self.library, window.apply_change, window._report, name, ids)
        )
        window._report(f"Added to “{name}” (Ctrl+Z takes it back).")

    def open_code(self) -> None:
        ids = self.targets()
        if not ids:
            return
        try:
            url = self.library.paper(ids[0]).code_url
        except LibraryError:
            return
        if not url or not web_link_ok(url):
            self.window._report("This paper has no code link.")
        elif not open_external(url.strip(), WEB_SCHEMES):
            self.window._report(f"Could not open {url}")

    def step(self, delta: int) -> None:
        table, model = self.window.table, self.window.model
        row = table.currentIndex().row()
        target = max(0, min(model.rowCount() - 1, row + delta))
        if model.rowCount() and target != row:
            table.select_row(target)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.window.settings.setValue("triage/mode", mode)
        if self.active:
            focused = self.card.hasFocus() or self.window.table.hasFocus()
            self._show_view()
            if focused:
                self.focus()

    # --- the card ------------------------------------------------------------------------

    def update_card(self) -> None:
        """Show the table's current paper on the card (or the end of the session)."""
        window = self.window
        if not self.active or not window.model.filter.inbox:
            return
        shown = list(window.model.ids)
        if self._to_top and shown:
            self._to_top = False
            if window.table.current_id() != shown[0]:
                window.table.select_row(0)  # calls this again
                return
        if self._fresh_session or not self.order:
            self.order = list(shown)
            self._fresh_session = False
        known = set(self.order)
        self.order += [pid for pid in shown if pid not in known]
        pid = window.table.current_id()
        if pid is None:
            kept = sum(1 for v in self.decided.values() if v == KEEP)
            self.card.show_done(kept, len(self.decided) - kept, len(self.order))
            return
        try:
            detail = self.library.paper(pid)
        except LibraryError:
            return
        where = " · ".join(str(p) for p in (detail.venue, detail.year) if p)
        paper = CardPaper(
            pid,
            detail.title,
            ", ".join(detail.authors[:50]) + (" …" if len(detail.authors) > 50 else ""),
            where,
            detail.abstract or "",
            detail.code_url if detail.code_url and web_link_ok(detail.code_url) else None,
            tuple(detail.tags),
            self._origin(pid),
        )
        self.card.show_paper(paper, self.order.index(pid) + 1, len(self.order))

    def _origin(self, pid: int) -> str:
        if pid not in self.origins:
            batches = {b.id: b for b in self.library.inbox_batches()}
            for paper in self.library.inbox().papers:
                batch = batches.get(paper.batch_id)
                self.origins[paper.id] = (
                    f"New from {batch_source(batch)} · {batch.waiting:,} of it waiting"
                    if batch
                    else ""
                )
        return self.origins.get(pid, "")

    def reset_order(self) -> None:
        """The Inbox's order changed (likeliest first or not): the session follows it."""
        done = [pid for pid in self.order if pid in self.decided]
        self.order = done
        self._fresh_session = not done
        self._to_top = True  # the new order starts at its first paper
        self._update.start()
