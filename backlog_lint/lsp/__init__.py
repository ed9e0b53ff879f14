"""The language server, `backlog-lint server`: diagnostics, fixes, formatting and navigation by
item ID in any editor that speaks LSP. It needs the `lsp` extra (pygls 2 and lsprotocol).

Modules, one job each: ``server`` (the session's state: projects, documents, checking,
publishing), ``lifecycle`` (the notifications), ``features`` (the requests), ``project`` (the one
door into the core pipeline), ``projects`` (which configuration a file belongs to),
``positions``, ``findings``, ``actions``, ``suppression``, ``mentions``, ``navigation``,
``symbols``, ``completion``.
"""

from __future__ import annotations

import importlib.util


def missing() -> str | None:
    """Why the server cannot start (its dependencies are not installed), or None."""
    absent = [name for name in ("pygls", "lsprotocol") if importlib.util.find_spec(name) is None]
    if not absent:
        from importlib.metadata import PackageNotFoundError, version

        try:
            major = int(version("pygls").split(".")[0])
        except (PackageNotFoundError, ValueError):
            major = 2
        if major >= 2:
            return None
        return f"`backlog-lint server` needs pygls 2 or newer (pygls {version('pygls')} is installed): " \
               "pip install 'backlog-lint[lsp]'"
    names = " and ".join(absent)
    return f"`backlog-lint server` needs {names}, which {'is' if len(absent) == 1 else 'are'} not installed: " \
           "pip install 'backlog-lint[lsp]'"
