"""The smart list dialog.

A name, the search query and where it looks (its scope), checked before OK (a name in use or a
query that cannot be read is said under the fields)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.gui.theme import error_color

STATUS_NAMES = {"unread": "Unread", "reading": "Reading", "read": "Read", "dismissed": "Dismissed"}


def scope_label(scope: str | None) -> str:
    """'Whole library', 'Papers tagged “x”', 'Reading list “x”', 'Unread papers'."""
    if not scope:
        return "Whole library"
    kind, _, name = scope.partition(":")
    if kind == "tag":
        return f"Papers tagged “{name}”"
    if kind == "list":
        return f"Reading list “{name}”"
    return f"{STATUS_NAMES.get(name, name)} papers"


def scope_of(key: tuple[str, str | None]) -> str | None:
    """The smart-list scope of a sidebar entry ("tag:x", "list:x", "status:read"), if any."""
    kind, value = key
    if kind in ("tag", "list", "status") and value:
        return f"{kind}:{value}"
    return None


class SmartListDialog(QDialog):
    """Name, query and scope of a smart list; `check(query)` returns a problem or ''."""

    def __init__(
        self,
        taken: Sequence[str],
        check: Callable[[str], str],
        name: str = "",
        query: str = "",
        scopes: Sequence[str | None] = (None,),
        scope: str | None = None,
        editing: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit smart list" if editing else "Save search as smart list")
        self.taken = {n.casefold() for n in taken if n.casefold() != name.casefold() or not editing}
        self.check = check
        self.name = QLineEdit(name, self)
        self.name.setAccessibleName("Smart list name")
        self.name.setPlaceholderText("e.g. To read this month")
        self.query = QLineEdit(query, self)
        self.query.setAccessibleName("Search query")
        self.query.setPlaceholderText("e.g. tag:to-read NOT status:read year:[2024 TO 2026]")
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Where it looks")
        for value in dict.fromkeys([*scopes, scope]):
            self.scope.addItem(scope_label(value), value)
        self.scope.setCurrentIndex(max(0, self.scope.findData(scope)))
        self.problem = QLabel(self)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.problem.setStyleSheet(f"color: {error_color(self.palette())}")
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Save" if not editing else "OK"
        )
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Name:", self.name)
        form.addRow("&Query:", self.query)
        form.addRow("&Looks in:", self.scope)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.setMinimumWidth(520)
        self.name.textChanged.connect(self._changed)
        self.query.textChanged.connect(self._changed)
        self._changed()
        (self.query if name and not query else self.name).setFocus()

    def values(self) -> tuple[str, str, str | None]:
        return self.name.text().strip(), self.query.text().strip(), self.scope.currentData()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _changed(self) -> None:
        name, query, _scope = self.values()
        ok = bool(name) and bool(query) and name.casefold() not in self.taken
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self._say("A smart list with this name exists." if name.casefold() in self.taken else "")

    def _try_accept(self) -> None:
        _name, query, _scope = self.values()
        problem = self.check(query)
        if problem:
            self._say(f"Can’t read that query: {problem}")
            self.query.setFocus()
            return
        self.accept()
