"""What a GitHub Actions run tells a tool through its environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote


def blob_base(environ: Mapping[str, str], cwd: Path) -> str:
    """``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/`` (plus the folder the run is in,
    relative to ``$GITHUB_WORKSPACE``): where a file of this run is shown; "" outside Actions."""
    server = environ.get("GITHUB_SERVER_URL", "").rstrip("/")
    repo = environ.get("GITHUB_REPOSITORY", "").strip("/")
    sha = environ.get("GITHUB_SHA", "")
    if not (server and repo and sha):
        return ""
    base = f"{server}/{repo}/blob/{sha}/"
    workspace = environ.get("GITHUB_WORKSPACE")
    if workspace:
        rel = os.path.relpath(os.path.realpath(cwd), os.path.realpath(workspace))
        if rel != "." and not rel.startswith(".."):
            base += quote(rel.replace(os.sep, "/"), safe="/") + "/"
    return base
