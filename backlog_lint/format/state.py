"""What one formatting pass shares: mdformat's options, the patterns, the regions set aside."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:


    pass

# mdformat 1.x options (mdformat/_conf.py DEFAULT_OPTS): keep line wrapping as written,
# number ordered lists 1, 2, 3 rather than 1, 1, 1.
MDFORMAT_OPTIONS: dict[str, object] = {"wrap": "keep", "number": True}
MDFORMAT_EXTENSIONS = frozenset({"gfm"})

_HR = "_" * 70  # mdformat's thematic break
_ENTITY_RE = re.compile(r"(?<!\\)&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_WIKILINK_RE = re.compile(r"(?<!\\)\[\[[^\[\]\n]*\]\](?![(:])")
_ODD_BACKSLASHES_RE = re.compile(r"(?<!\\)(?:\\\\)*\\$")
_PADDED_MARKER_RE = re.compile(r"^(?:[ >]|[-*+] |\d+[.)] )*0\d*[.)](?: |$)")
_EMPTY_TASK_RE = re.compile(r"^(?P<pre>[ >]*(?:[-*+]|\d+[.)]) )\\\[(?P<mark>[ xX])\\\]$")
_NESTED_PREFIX_RE = re.compile(r"^ *(?:(?:[-*+]|\d+[.)]) +)?$")
_REFDEF_RE = re.compile(r"^ {0,3}\[(?P<label>(?:[^\]\\\n]|\\.)+)\]:[ \t]*")
_PSEUDO_REFERENCE_RE = re.compile(r"(?<![\\!\]])\[([^\[\]\n]+)\](?:\[([^\[\]\n]*)\])?")
_ROW_RE = re.compile(r"^(?P<prefix>(?:[ >]|[-*+] |\d+[.)] )*)\|.*\|$")
_DELIMITER_CELL_RE = re.compile(r"^:?-+:?$")
_BRACKETED_RE = re.compile(r"\[((?:[^\[\]\\]|\\.)+)\]")
_UNESCAPED_PIPE_RE = re.compile(r"(?<!\\)\|")
_ASCII_CTRL = frozenset(chr(c) for c in (*range(32), 127))





@dataclass(slots=True)
class _Region:
    """Lines replaced by a placeholder before mdformat and put back after it."""

    start: int  # 0-based first line
    end: int  # exclusive
    indent: int  # spaces before the placeholder (container indentation of a nested block)
    nested: bool


@dataclass(slots=True)
class _Pass:
    path: str
    tag: str
    regions: dict[str, _Region] = field(default_factory=dict)  # placeholder -> region
    inline: dict[str, str] = field(default_factory=dict)  # placeholder -> original text
    inline_lines: dict[str, int] = field(default_factory=dict)  # placeholder -> 1-based line
    inline_prefix: dict[str, str] = field(default_factory=dict)  # placeholder -> autolink scheme before it
    trailing: list[int] = field(default_factory=list)  # lines moved after mdformat's link definitions
    ragged_tables: bool = False  # careful: keep tables with short rows too
    pseudo_labels: set[str] = field(default_factory=set)  # careful: keep "[label]" text as written
    table_lines: set[int] = field(default_factory=set)  # 0-based lines of tables
