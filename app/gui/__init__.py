"""The window: PySide6 widgets over storage.Library (MainWindow in app.gui.window)."""
