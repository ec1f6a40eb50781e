"""Entry script of the console executable (ctmtqg.exe, the command line) in the bundle."""

from ctmtqg_desktop.cli import main

raise SystemExit(main())
