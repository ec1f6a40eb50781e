from ctmtqg_desktop.cli import main

raise SystemExit(main())
