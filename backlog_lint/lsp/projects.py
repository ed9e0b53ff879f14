"""Which project a file belongs to: the nearest configuration upward from its folder, found as the
command line finds it (a `.backlog-lint.toml`, or `pyproject.toml` with `[tool.backlog-lint]`)."""

from __future__ import annotations

from pathlib import Path

from backlog_lint.config import Config, load_config
from backlog_lint.errors import ConfigError

ProjectKey = tuple[Path, Path | None]  # (project root, config file)


def project_key(cfg: Config) -> ProjectKey:
    return (cfg.root, cfg.path)


class Configs:
    """Configurations by folder, each read once (until ``clear``: a config file changed)."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, Config | ConfigError] = {}

    def for_file(self, path: Path) -> Config:
        """The configuration of a file in an existing folder; raises ``ConfigError`` naming the file and key.

        Never the server's working folder for a file elsewhere: a project is read whole on first use,
        and reading the working folder (for a request about ``file:///nowhere/x.md``) took longer than
        any client waits."""
        folder = path.parent
        found = self._by_folder.get(folder)
        if found is None:
            try:
                found = load_config(folder)
            except ConfigError as exc:
                found = exc
            self._by_folder[folder] = found
        if isinstance(found, ConfigError):
            raise found
        return found

    def clear(self) -> None:
        self._by_folder.clear()
