from backlog_lint.cli import entry

entry()
