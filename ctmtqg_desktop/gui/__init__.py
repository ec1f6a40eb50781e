"""The desktop GUI (PySide6). The only package that imports Qt.

Pages call services through :class:`ctmtqg_desktop.gui.background.TaskRunner`, which runs
database work on one worker thread and hands plain results back to the GUI thread.
"""
