"""Tag dialogs: tag the selection (with completion), rename a tag, confirm deleting one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.plain import ask, ask_text


def split_tags(text: str) -> list[str]:
    """'a, b c ,, d' -> ['a', 'b c', 'd'] (spaces collapsed, duplicates dropped)."""
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


class TagCompleter(QCompleter):
    """Completes the tag after the last comma, keeping the ones already typed."""

    def __init__(self, tags: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(QStringListModel(list(tags), self))  # owned by the completer
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        done = [part.strip() for part in typed.split(",")[:-1] if part.strip()]
        return ", ".join([*done, str(index.data())]) + ", "


class TagDialog(QDialog):
    """Tick or untick the tags the selected papers share, and type new ones to add."""

    def __init__(
        self,
        count: int,
        all_tags: Sequence[str],
        on_selection: Mapping[str, int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.count = count
        self.setWindowTitle(f"Tag {count:,} paper" + ("" if count == 1 else "s"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)

        self.current = QListWidget(self)
        self.current.setAccessibleName("Tags on the selected papers")
        for tag, having in sorted(on_selection.items(), key=lambda kv: kv[0].casefold()):
            item = QListWidgetItem(tag if having == count else f"{tag}  ({having} of {count})")
            item.setData(Qt.ItemDataRole.UserRole, tag)
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            if having < count:
                flags |= Qt.ItemFlag.ItemIsUserTristate
            item.setFlags(flags)
            item.setCheckState(
                Qt.CheckState.Checked if having == count else Qt.CheckState.PartiallyChecked
            )
            self.current.addItem(item)
        rows = self.current.sizeHintForRow(0) * len(on_selection) if on_selection else 0
        self.current.setFixedHeight(min(180, rows + 2 * self.current.frameWidth() + 4))
        if on_selection:
            note = QLabel("Untick a tag to remove it from all of them; tick it to add it to all:")
            note.setWordWrap(True)
            layout.addWidget(note)
            layout.addWidget(self.current)
        else:
            self.current.hide()

        layout.addWidget(QLabel("Add tags (separate them with commas):", self))
        self.field = QLineEdit(self)
        self.field.setAccessibleName("Tags to add")
        self.field.setPlaceholderText("e.g. transformers, to-cite")
        self.field.setCompleter(TagCompleter(all_tags, self.field))
        layout.addWidget(self.field)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Apply")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("Apply tags")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.field.setFocus()

    def changes(self) -> tuple[list[str], list[str]]:
        """(tags to add to every selected paper, tags to remove from every one)."""
        add = split_tags(self.field.text())
        remove: list[str] = []
        for row in range(self.current.count()):
            item = self.current.item(row)
            tag = str(item.data(Qt.ItemDataRole.UserRole))
            state = item.checkState()
            if state == Qt.CheckState.Unchecked:
                remove.append(tag)
            elif state == Qt.CheckState.Checked and item.text() != tag:
                add.append(tag)  # was on some of them, now wanted on all
        folded = {tag.casefold() for tag in remove}
        return [tag for tag in add if tag.casefold() not in folded], remove


def ask_new_tag_name(parent: QWidget, old: str, existing: Sequence[str]) -> str | None:
    """The new name for a tag, or None; confirms first when it would merge two tags."""
    name, ok = ask_text(parent, "Rename tag", f"New name for “{old}”:", old)
    name = " ".join(name.replace(",", " ").split())
    if not ok or not name or name == old:
        return None
    clash = next((t for t in existing if t.casefold() == name.casefold() and t != old), None)
    if clash is not None:
        answer = ask(
            parent,
            "Merge tags?",
            f"A tag named “{clash}” exists already. Merge “{old}” into it?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return clash
    return name


def confirm_delete_tag(parent: QWidget, name: str, count: int) -> bool:
    papers = f"{count:,} paper" + ("" if count == 1 else "s")
    answer = ask(
        parent,
        "Delete tag?",
        f"Remove the tag “{name}” from {papers} and delete it?\nThe papers themselves stay.",
    )
    return answer == QMessageBox.StandardButton.Yes
