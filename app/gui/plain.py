"""User data shown as plain text: message boxes, input dialogs, progress labels, tooltips, menus.

Qt guesses whether a string is rich text (Qt.mightBeRichText) for message boxes, input-dialog
and progress labels, and tooltips, so a tag such as `<img src=…> <a href=…>login</a>` imported
from someone's BibTeX would render as an image and a link. Everything here either sets
Qt.PlainText or escapes the text inside markup Qt always reads as rich text. Menu entries and
button texts treat `&` as a mnemonic marker, so user text there doubles it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox, QProgressDialog, QWidget

__all__ = ["ask", "ask_text", "mnemonic_safe", "plain_progress", "rich_escape", "tell", "tooltip"]

Button = QMessageBox.StandardButton
YES_NO = Button.Yes | Button.No


def rich_escape(text: str) -> str:
    """Text for inside rich text: every character shown as itself, line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def tooltip(text: str | None) -> str:
    """A tooltip that shows text literally (a plain string would be guessed as rich text)."""
    if not text:
        return ""
    return f'<p style="white-space: pre-wrap">{html.escape(text, quote=False)}</p>'


def mnemonic_safe(text: str) -> str:
    """Text for a menu entry or button: a literal `&` instead of a mnemonic marker."""
    return text.replace("&", "&&")


def _box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: Button,
    default: Button,
) -> QMessageBox:
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    if default != Button.NoButton:
        box.setDefaultButton(default)
    return box


def _answer(box: QMessageBox) -> Button:
    result = box.exec()
    clicked = box.clickedButton()
    if clicked is not None:
        return box.standardButton(clicked)
    try:
        return Button(result)
    except ValueError:
        return Button.NoButton


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: Button = YES_NO,
    default: Button = Button.NoButton,
) -> Button:
    """QMessageBox.question with the text shown as plain text; returns the button chosen."""
    return _answer(_box(parent, QMessageBox.Icon.Question, title, text, buttons, default))


def tell(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon = QMessageBox.Icon.Warning,
) -> None:
    """QMessageBox.warning (or critical, information) with the text shown as plain text."""
    _answer(_box(parent, icon, title, text, Button.Ok, Button.NoButton))


def ask_text(
    parent: QWidget | None, title: str, label: str, text: str = "", *, multiline: bool = False
) -> tuple[str, bool]:
    """QInputDialog.getText (or getMultiLineText) with the label shown as plain text."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    for child in dialog.findChildren(QLabel):
        child.setTextFormat(Qt.TextFormat.PlainText)
    if multiline:
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    else:
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(text)
    accepted = dialog.exec() == QInputDialog.DialogCode.Accepted
    value = dialog.textValue()
    dialog.deleteLater()
    return value, accepted


def plain_progress(text: str, cancel: str, parent: QWidget | None) -> QProgressDialog:
    """A busy QProgressDialog whose label (file names, later status lines) is plain text."""
    dialog = QProgressDialog(parent)
    label = QLabel(dialog)
    label.setTextFormat(Qt.TextFormat.PlainText)
    dialog.setLabel(label)
    dialog.setLabelText(text)
    dialog.setCancelButtonText(cancel)
    dialog.setRange(0, 0)
    return dialog
