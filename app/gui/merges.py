"""The detail pane's "Merged from N entries…" button and its dialog, which splits one off."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.lane import Step, WriteLane
from app.gui.note_preview import set_alert
from storage.views import MergeView


def active(merges: list[MergeView]) -> list[MergeView]:
    return [m for m in merges if m.split_paper_id is None]


class MergesDialog(QDialog):
    """Lists the entries merged into one paper (plain text) and splits the chosen one off."""

    split = Signal(object)  # Change

    def __init__(
        self,
        library: object,
        paper_id: int,
        parent: QWidget | None = None,
        lane: WriteLane | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.paper_id = paper_id
        self.lane = lane  # the window's: a split is written there
        self.splitting = False
        self.setWindowTitle("Merged entries")
        self.setAccessibleName("Merged entries")
        self.setMinimumWidth(520)
        intro = QLabel(
            "These entries were merged into this paper on import. Split one off to make it "
            "a paper of its own again; later imports will keep the two apart."
        )
        intro.setWordWrap(True)
        self.entries = QListWidget()
        self.entries.setAccessibleName("Merged entries")
        self.entries.setWordWrap(True)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # the error may quote a title
        self.error.setWordWrap(True)
        set_alert(self.error, True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.split_button = QPushButton("Split off")
        self.split_button.setAccessibleName("Split off the selected entry")
        buttons.addButton(self.split_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.split_button.clicked.connect(self.split_selected)
        self.entries.currentRowChanged.connect(lambda _row: self._enable())
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addWidget(self.entries)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.entries.clear()
        for merge in active(self.library.merges(self.paper_id)):
            item = QListWidgetItem(merge.describe())
            item.setData(Qt.ItemDataRole.UserRole, merge.id)
            self.entries.addItem(item)
        if self.entries.count():
            self.entries.setCurrentRow(0)
        self._enable()

    def split_selected(self) -> None:
        item = self.entries.currentItem()
        if item is None or self.splitting:
            return
        library, paper_id = self.library, self.paper_id
        merge_id = int(item.data(Qt.ItemDataRole.UserRole))
        work = lambda: library.split(paper_id, merge_id)  # noqa: E731
        if self.lane is not None:  # the button waits ("Splitting…") until it is written
            self._waiting(True)
            self.lane.run(Step("Split off an entry", work, self._split, self._not_split))
            return
        try:
            change = work()
        except Exception as error:  # e.g. split meanwhile from the command line
            self._not_split(error)
            return
        self._split(change)

    def _waiting(self, on: bool) -> None:
        self.splitting = on
        self.split_button.setText("Splitting…" if on else "Split off")
        self._enable()

    def _not_split(self, error: BaseException) -> None:
        self._waiting(False)
        self.error.setText(f"Not split: {error}")
        self.error.show()
        self.reload()

    def _split(self, change: object) -> None:
        self._waiting(False)
        self.error.hide()
        self.split.emit(change)
        self.reload()
        if not self.entries.count():
            self.accept()

    def _enable(self) -> None:
        ready = self.entries.currentItem() is not None and not self.splitting
        self.split_button.setEnabled(ready)


class MergedButton(QPushButton):
    """'Merged from N entries…' under a paper's tags; hidden when nothing merged into it."""

    changed = Signal(object)  # Change of a split

    def __init__(self, library: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.lane: WriteLane | None = None  # the window's: splits are written there
        self.paper_id: int | None = None
        self.dialog: MergesDialog | None = None
        self.setFlat(True)
        self.setAccessibleName("Merged entries")
        self.clicked.connect(self.open_dialog)
        self.hide()

    def set_paper(self, paper_id: int | None) -> None:
        self.paper_id = paper_id
        try:
            count = len(active(self.library.merges(paper_id))) if paper_id is not None else 0
        except Exception:  # the paper went away meanwhile
            count = 0
        self.setText(f"Merged from {count + 1} entries…")
        self.setVisible(count > 0)

    def open_dialog(self) -> MergesDialog | None:
        if self.paper_id is None:
            return None
        dialog = MergesDialog(self.library, self.paper_id, self.window(), self.lane)
        dialog.split.connect(self.changed)
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog
