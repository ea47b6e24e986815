"""Reading lists from the window: create, edit, delete, fill, order and annotate them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from app.gui.commands import plural
from app.gui.controller import WindowController
from app.gui.lane import Step, WriteLane
from app.gui.list_note import ask_list_note
from app.gui.plain import ask, tell
from app.gui.row_moves import plan_moves
from storage.database import LibraryError
from storage.search import SearchIndexError
from storage.views import Change


class ListDialog(QDialog):
    """A reading list's name and description; OK only for a name not taken by another list."""

    def __init__(
        self,
        taken: Sequence[str],
        name: str = "",
        description: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit reading list" if name else "New reading list")
        self.taken = {n.casefold() for n in taken if n != name}
        self.name = QLineEdit(name, self)
        self.name.setAccessibleName("List name")
        self.name.setPlaceholderText("e.g. Reading group, week 3")
        self.description = QPlainTextEdit(description, self)
        self.description.setAccessibleName("List description")
        self.description.setPlaceholderText("What the list is for (optional)")
        self.description.setFixedHeight(90)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Name:", self.name)
        form.addRow("&Description:", self.description)
        form.addRow(self.buttons)
        self.name.textChanged.connect(self._check)
        self.setMinimumWidth(420)
        self._check()

    def _check(self) -> None:
        name = self.name.text().strip()
        ok = bool(name) and name.casefold() not in self.taken
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.name.setToolTip("" if ok or not name else "A reading list with this name exists")

    def values(self) -> tuple[str, str]:
        return self.name.text().strip(), self.description.toPlainText().strip()


def moved(order: Sequence[int], chosen: Sequence[int], delta: int) -> list[int]:
    """order with the chosen papers moved one place up (delta -1) or down (+1), as a block
    where they touch; papers already at the edge stay."""
    result = list(order)
    wanted = set(chosen)
    indices = range(len(result)) if delta < 0 else range(len(result) - 1, -1, -1)
    for i in indices:
        j = i + delta
        if result[i] in wanted and 0 <= j < len(result) and result[j] not in wanted:
            result[i], result[j] = result[j], result[i]
    return result


def moved_to(order: Sequence[int], chosen: Sequence[int], row: int) -> list[int]:
    """order with the chosen papers (in their list order) put before the paper at row."""
    wanted = set(chosen)
    before = sum(1 for pid in order[:row] if pid not in wanted)
    rest = [pid for pid in order if pid not in wanted]
    block = [pid for pid in order if pid in wanted]
    return rest[:before] + block + rest[before:]


class ListController(WindowController):
    """Turns list commands into Library calls, run on the window's write lane (`lane`, never
    on the GUI thread); their Changes go to `sink`, then to what asked for them."""

    lane: WriteLane | None = None
    _moves_pending = 0  # moves queued on the lane and not back yet

    def shown_list(self) -> str | None:
        kind, name = self.sidebar.current_key()
        return name if kind == "list" else None

    def _run(
        self,
        name: str,
        step: Callable[[], Change],
        then: Callable[[Change], None] | None = None,
    ) -> None:
        """Make a list edit: queued on the lane (shown as pending while another process
        holds the library), its Change given to sink and then to `then` once written; a
        refusal is told in a message box."""
        if self.runner.busy:
            self.report("Wait for the running task to finish first.")
            return
        if self.lane is not None:
            landed = lambda change: self._landed(change, then)  # noqa: E731
            self.lane.run(Step(name, step, landed, self._refused))
            return
        try:
            change = step()
        except (LibraryError, ValueError, SearchIndexError) as error:
            self._refused(error)
            return
        self._landed(change, then)

    def _landed(self, change: Change, then: Callable[[Change], None] | None) -> None:
        self.sink(change)
        if then is not None:
            then(change)

    def _refused(self, error: BaseException) -> None:
        tell(self.window, "Reading list not changed", str(error))

    # --- lists ---------------------------------------------------------------------------

    def ask_list(self, name: str = "", description: str = "") -> tuple[str, str] | None:
        dialog = ListDialog(self.sidebar.list_names(), name, description, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()

    def new_list(self, ids: Sequence[int] = ()) -> str | None:
        """Ask for a name and description, create the list, and put ids in it."""
        answer = self.ask_list()
        if answer is None:
            return None
        name, description = answer

        def created(_change: Change) -> None:
            if ids:
                self.add_to_list(name, ids)
            else:
                self.report(f"Created the reading list “{name}”.")

        create = lambda: self.library.create_list(name, description or None)  # noqa: E731
        self._run(f"Create the list “{name}”", create, created)
        return name

    def edit_list(self, name: str) -> None:
        detail = self.library.list_detail(name)
        answer = self.ask_list(name, detail.description or "")
        if answer is None:
            return
        new_name, description = answer
        shown = self.shown_list() == name
        step = lambda: self.library.edit_list(name, new_name=new_name, description=description)  # noqa: E731

        def edited(_change: Change) -> None:
            if shown and new_name != name:
                self.sidebar.select(("list", new_name))

        self._run(f"Edit the list “{name}”", step, edited)

    def delete_list(self, name: str, confirm: bool = True) -> None:
        count = self.sidebar.count_of(("list", name)) or 0
        if confirm:
            answer = ask(
                self.window,
                "Delete reading list?",
                f"Delete the reading list “{name}”?\n"
                f"Its {plural(count, 'paper')} stay in the library; only the list, its order "
                "and its entry notes are deleted.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._run(
            f"Delete the list “{name}”",
            lambda: self.library.delete_list(name),
            lambda _change: self.report(f"Deleted the reading list “{name}”."),
        )

    # --- papers in lists -----------------------------------------------------------------

    def add_to_list(self, name: str, ids: Sequence[int]) -> None:
        ids = list(dict.fromkeys(ids))
        if not ids:
            return
        before = self.sidebar.count_of(("list", name)) or 0

        def added(_change: Change) -> None:
            count = (self.sidebar.count_of(("list", name)) or 0) - before
            already = len(ids) - count
            extra = f" ({plural(already, 'paper')} already there)" if already > 0 else ""
            self.report(f"Added {plural(count, 'paper')} to “{name}”{extra}.")

        what = f"Add {plural(len(ids), 'paper')} to “{name}”"
        self._run(what, lambda: self.library.add_to_list(name, ids), added)

    def remove_from_list(self, ids: Sequence[int] | None = None, confirm: bool = True) -> None:
        name = self.shown_list()
        ids = list(ids) if ids is not None else self.table.selected_ids()
        if name is None or not ids:
            return
        if confirm:
            answer = ask(
                self.window,
                "Remove from list?",
                f"Remove {plural(len(ids), 'paper')} from the reading list “{name}”?\n"
                "The papers stay in the library.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        what = f"{plural(len(ids), 'paper')} from “{name}”"
        self._run(
            f"Remove {what}",
            lambda: self.library.remove_from_list(name, ids),
            lambda _change: self.report(f"Removed {what}."),
        )

    def can_reorder(self) -> bool:
        return self.shown_list() is not None and self.table.list_order

    @property
    def moving(self) -> bool:
        """Moves made here are still on their way to the library: the table shows the order
        they give, so a list order read meanwhile (an older one) is not to be shown."""
        return self._moves_pending > 0

    def _reorder(self, order: list[int], chosen: Sequence[int]) -> None:
        """Show the new order at once (the next move is planned from the order shown), then
        write it on the lane; a refusal is told and the stored order shown again."""
        name = self.shown_list()
        current = self.table.current_id()
        if name is None or order == list(self.table.paper_model().ids):
            return
        if self.runner.busy:
            self.report("Wait for the running task to finish first.")
            return
        model = self.table.paper_model()
        model.apply_moves(plan_moves(model.snapshot(), order, chosen), chosen)
        self.table.select_ids(chosen, current if current in chosen else chosen[0])
        stored = Change(lists=frozenset({name}))  # what a refusal reads again
        work = lambda: self.library.reorder_list(name, order)  # noqa: E731
        if self.lane is None:
            try:
                self.sink(work())
            except (LibraryError, ValueError, SearchIndexError) as error:
                self._refused(error)
                self.sink(stored)
            return
        self._moves_pending += 1
        what = f"Move {plural(len(chosen), 'paper')} in “{name}”"
        self.lane.run(Step(what, work, self._moved, lambda e: self._moved(stored, e)))

    def _moved(self, change: Change, error: BaseException | None = None) -> None:
        """A move written (or refused): once the last one queued is back, the table follows
        the stored order (the same as shown, unless one was refused)."""
        self._moves_pending -= 1
        if error is not None:
            self._refused(error)
        if not self.moving:
            self.sink(change)

    def move(self, delta: int) -> None:
        """Move the selected papers one place up or down in the list shown."""
        if not self.can_reorder():
            self.report("Moving papers works in a reading list shown in its own order.")
            return
        chosen = self.table.selected_ids()
        if chosen:
            self._reorder(moved(self.table.paper_model().ids, chosen, delta), chosen)

    def move_to(self, ids: Sequence[int], row: int) -> None:
        """Dragged rows dropped before row."""
        order = self.table.paper_model().ids
        chosen = [pid for pid in order if pid in set(ids)]
        if self.can_reorder() and chosen:
            self._reorder(moved_to(order, chosen, row), chosen)

    def edit_entry_note(self) -> None:
        name, pid = self.shown_list(), self.table.current_id()
        if name is None or pid is None:
            return
        model = self.table.paper_model()
        row = model.rows_for([pid]).get(pid)
        title = row.title if row else str(pid)
        text, ok = ask_list_note(self.window, title, name, model.list_note(pid))
        if ok:
            self.set_entry_note(pid, text)

    def write_entry_note(self, name: str, pid: int, note: str | None) -> None:
        """An entry note typed in the table's cell (shown there already): written on the
        lane; a refusal is told and the cell shows the stored note again."""

        def refused(error: BaseException) -> None:
            self.table.paper_model().refresh_list_notes()
            self._refused(error)

        work = lambda: self.library.set_list_entry_note(name, pid, note)  # noqa: E731
        if self.lane is not None:
            self.lane.run(Step("Set the entry note", work, self.sink, refused))
            return
        try:
            self.sink(work())
        except (LibraryError, ValueError, SearchIndexError) as error:
            refused(error)

    def set_entry_note(self, pid: int, text: str) -> None:
        name = self.shown_list()
        if name is None:
            return
        note = text.strip() or None
        self._run(
            "Set the entry note",
            lambda: self.library.set_list_entry_note(name, pid, note),
            lambda _change: self.table.paper_model().refresh_list_notes(),
        )
