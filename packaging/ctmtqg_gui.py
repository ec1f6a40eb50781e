"""Entry script of the windowed executable (ctmtqg-desktop.exe) in the PyInstaller bundle."""

from ctmtqg_desktop.gui.app import main

raise SystemExit(main())
