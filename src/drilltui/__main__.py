"""Run the `drilltui` command as `python -m drilltui`."""

from drilltui.cli import main

raise SystemExit(main())
