"""Start the desktop application.

``ctmtqg-desktop [--workspace DIR] [--demo] [--screenshots DIR] [--self-test]``

On a Linux machine without a display (no ``DISPLAY`` or ``WAYLAND_DISPLAY``) the window
cannot be shown, so the application renders every main page offscreen into PNG files,
says where, and exits 0 instead of hanging.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ctmtqg_desktop.app_logging import setup_logging
from ctmtqg_desktop.cli import argparse_vi
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import _

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from ctmtqg_desktop.gui.main_window import MainWindow

#: the object name of the keyboard rules, installed once on the application
KEYBOARD_RULES = "ctmtqgKeyboardRules"


def _headless() -> bool:
    if sys.platform.startswith(("win", "darwin")):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _parser() -> argparse.ArgumentParser:
    argparse_vi.install()
    parser = argparse.ArgumentParser(prog="ctmtqg-desktop",
                                     description=_("CTMTQG Desktop: the window application."))
    parser.add_argument("--workspace", metavar=_("FOLDER"),
                        help=_("the workspace folder (default: this user's data folder)"))
    parser.add_argument("--database-url", metavar="URL",
                        help=_("keep the data in this PostgreSQL database instead of the "
                               "workspace's own file"))
    parser.add_argument("--demo", action="store_true",
                        help=_("create the demo workspace first if the folder is empty"))
    parser.add_argument("--screenshots", metavar=_("FOLDER"), type=Path,
                        help=_("render every page to PNG files in FOLDER and exit"))
    parser.add_argument("--self-test", action="store_true",
                        help=_("open a temporary workspace, show the window, exit 0 if all "
                               "is well"))
    parser.add_argument("--startup-report", metavar=_("FILE"), type=Path,
                        help=argparse.SUPPRESS)
    # what Windows passes when a .ctsync or .ctenroll file is opened (the installer's
    # per-user file associations: packaging/ctmtqg.nsi)
    parser.add_argument("file", nargs="?", type=Path, metavar=_("FILE"),
                        help=_("a sync package (.ctsync) to import, or an enrollment file "
                               "(.ctenroll)"))
    return parser


def create_application(argv: list[str], *, keyboard_rules: bool = True):
    """The QApplication, translated and styled; ``keyboard_rules=False`` leaves the
    keyboard rules to :func:`install_keyboard_rules` (the start installs them after the
    first paint: their module creates many Qt types, issue 17)."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from ctmtqg_desktop.resource_paths import ui_path

    app = QApplication.instance() or QApplication(argv)
    if not getattr(app, "_ctmtqg_translated", False):
        from ctmtqg_desktop.gui import qt_translations

        app._ctmtqg_translator = qt_translations.install(app)
        app._ctmtqg_translated = True
        if keyboard_rules:
            install_keyboard_rules(app)
    app.setApplicationName("CTMTQG Desktop")
    app.setOrganizationName("CTMTQG")
    from ctmtqg_desktop.gui.icons import app_icon

    QApplication.setWindowIcon(app_icon())
    if ui_path("style.qss").is_file():
        from ctmtqg_desktop.gui import palette

        app.setStyleSheet(palette.stylesheet())
    font = app.font()
    if font.pointSizeF() < 10:
        font = QFont(font)
        font.setPointSizeF(10)
        app.setFont(font)
    return app


def install_keyboard_rules(app: QObject) -> None:
    """Every table is one Tab stop (``gui/keyboard``), also the views already built; kept
    alive as the application's child; once."""
    from PySide6.QtCore import QObject  # noqa: F811 (at run time; above for the types)

    if app.findChild(QObject, KEYBOARD_RULES) is None:
        from ctmtqg_desktop.gui import keyboard

        keyboard.install(app).setObjectName(KEYBOARD_RULES)


def _show_error(message: str, *, headless: bool) -> None:
    print(_("Error: {message}").format(message=message), file=sys.stderr)
    if not headless:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, _("CTMTQG Desktop"), message)


def _open(args, *, headless: bool):
    from ctmtqg_desktop.services import workspaces

    workspace = workspaces.open_workspace(args.workspace, args.database_url,
                                          require_initialized=False)
    setup_logging(workspace.logs_dir)
    if workspace.installation(refresh=True) is None:
        if args.demo or args.screenshots or headless:
            # today's demo commune (``ctmtqg demo``); the 2023 one is ``ctmtqg demo --year 2023``
            from ctmtqg_desktop.services import parent  # every area: only to build the demo

            workspace.dispose()
            workspace = parent.init_today_commune(args.workspace, args.database_url)
        else:
            from ctmtqg_desktop.gui.first_run import FirstRunDialog

            given = args.file if args.file and args.file.suffix.lower() == ".ctenroll" else None
            choice = FirstRunDialog.ask(workspace, enrollment_file=given)
            if choice is None:
                return None
            if choice.enrollment_path is not None:
                from ctmtqg_desktop.services import sync

                workspace.dispose()
                return sync.init_from_enrollment(args.workspace, args.database_url,
                                                       choice.enrollment_path,
                                                       officer_name=choice.officer_name)
            workspace = workspaces.init_workspace(args.workspace, args.database_url,
                                                  unit_id=choice.unit_id, role=choice.role,
                                                  officer_name=choice.officer_name)
    return workspace


def _import_data_layer() -> None:
    """Import what opening a workspace needs (run off the GUI thread at start-up)."""
    from ctmtqg_desktop.services import catalog, workspaces  # noqa: F401


def _self_test(app) -> int:
    from ctmtqg_desktop.gui.main_window import MainWindow
    from ctmtqg_desktop.gui.screenshots import wait_until_idle
    from ctmtqg_desktop.services import workspaces

    with tempfile.TemporaryDirectory(prefix="ctmtqg-self-test-") as folder:
        workspace = workspaces.init_workspace(folder, unit="23524", officer_name="Tự kiểm tra")
        report = workspaces.check(workspace)
        window = MainWindow(workspace)
        window.resize(1366, 768)
        window.show()
        for spec in window.specs:
            window.show_area(spec.key)
            wait_until_idle(window)
        window.close()
        workspace.dispose()
    if not report.ok:
        for problem in report.problems:
            print(problem, file=sys.stderr)
        return 1
    print(_("Self-test passed: workspace created, migrations applied, every page shown."))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--overview-process"]:  # overview_early.PROCESS_FLAG (bundled build)
        from ctmtqg_desktop.services import overview_early

        return overview_early.main(argv[1:])
    args = _parser().parse_args(argv)
    headless = _headless()
    if headless or args.self_test or args.screenshots:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # drawing pages must not change how the user's next real start opens
        from ctmtqg_desktop.gui import settings as gui_settings

        gui_settings.use_memory_only()
    early = None
    #: the usual start: the window paints first, the rest follows (issue 17)
    window_first = not (args.self_test or args.screenshots
                        or (headless and not args.startup_report))
    if window_first and (os.cpu_count() or 1) >= 2:
        # the overview's live figures, computed in a second process while this one imports
        # Qt and paints (issue 17): started before PySide6 is imported; on one core it
        # would only add its own imports to the same CPU
        from ctmtqg_desktop.services import overview_early

        early = overview_early.start(args.workspace, args.database_url)
    app = create_application([sys.argv[0]], keyboard_rules=not window_first)
    if early is not None:
        def stop_early() -> None:  # a window closed before the figures came
            if early is not None and early.poll() is None:
                early.kill()

        app.aboutToQuit.connect(stop_early)
    if args.self_test:
        return _self_test(app)
    from ctmtqg_desktop.gui.main_window import MainWindow

    window = MainWindow()
    if args.startup_report:
        from ctmtqg_desktop.gui.startup_probe import StartupProbe

        StartupProbe(window, args.startup_report).install()
    if args.screenshots or (headless and not args.startup_report):
        return _draw_pages(window, args, headless=headless)
    # paint the window first; the data layer loads right after, inside the event loop
    window.show()
    outcome = {"code": 0}

    def open_workspace() -> None:
        try:
            workspace = _open(args, headless=headless)
        except UserError as error:
            from ctmtqg_desktop.services.backups import WorkspaceUnreadable

            if isinstance(error, WorkspaceUnreadable) and not headless:
                from PySide6.QtCore import QTimer

                from ctmtqg_desktop.gui.restore_at_start import restore_at_start

                if restore_at_start(args.workspace, args.database_url, str(error)):
                    QTimer.singleShot(0, open_workspace)  # open the restored workspace
                    return
            _show_error(str(error), headless=headless)
            outcome["code"] = 1
            app.quit()
            return
        if workspace is None:
            app.quit()
            return
        window.attach(workspace)
        if args.file:
            open_given_file(window, args.file)

    def after_first_paint() -> None:
        from ctmtqg_desktop.store.locations import resolve_folder

        install_keyboard_rules(app)

        window.show_last_known(resolve_folder(args.workspace))
        if early is not None:
            window.overview_page().await_early(early)
        # the data layer (SQLAlchemy, the models, the catalog) is imported on the task
        # runner, so the event loop keeps running meanwhile (the overview's figures can
        # arrive and be drawn); the workspace is then opened here, where its dialogs can be
        # shown
        window.runner.run(_import_data_layer, on_done=lambda _none: open_workspace(),
                          on_error=lambda _message: open_workspace())

    window.first_painted.connect(after_first_paint)
    code = app.exec()
    return outcome["code"] or code


def open_given_file(window: MainWindow, path: Path) -> None:
    """A file opened from Windows Explorer, once the workspace is open: a package is imported
    on the sync page (as if dropped there); an enrollment file only serves the first start
    (``_open`` hands it to the first-run dialog), so here it is only explained."""
    if path.suffix.lower() == ".ctsync":
        window.show_area("sync")
        page = window.current_page()
        exchange = getattr(page, "exchange", None)
        if exchange is not None:
            exchange.import_files([path])
    else:
        window.notify(_("This computer is already set up; an enrollment file is used only "
                        "the first time the program starts ({file}).").format(file=path.name))


def _draw_pages(window, args, *, headless: bool) -> int:
    from ctmtqg_desktop.gui.screenshots import capture_pages

    try:
        workspace = _open(args, headless=headless)
    except UserError as error:
        _show_error(str(error), headless=True)
        return 1
    window.attach(workspace)
    folder = args.screenshots or (workspace.folder / "screenshots")
    written = capture_pages(window, folder)
    print(_("No display found: {count} pages were drawn to PNG files in {folder}").format(
        count=len(written), folder=folder.resolve()))
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
