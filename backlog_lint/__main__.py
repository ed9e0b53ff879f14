from backlog_lint.cli import main

raise SystemExit(main())
