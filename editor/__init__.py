"""The Banmian editor (PySide6): ``editor.app.run_editor(path)`` opens the main window."""
