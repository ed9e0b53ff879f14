"""One pass over markdown-it's flat token stream into a list of positioned blocks.

markdown-it gives block tokens a line ``map`` but inline tokens none, so the rest
of the parser reads columns from the source lines themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token


@dataclass(slots=True)
class Block:
    kind: str  # heading | paragraph | list_item | table | fence | code | html | hr | front_matter
    line: int  # 1-based first line
    end_line: int  # 1-based last line (inclusive)
    level: int = 0  # heading level
    depth: int = 0  # number of enclosing list items
    parent: int = -1  # index of the enclosing list_item block
    inline: Token | None = None  # heading / paragraph inline token
    para: int = -1  # list_item: index of its first paragraph block
    ordered: bool = False
    markup: str = ""
    content: str = ""
    quote: int = 0  # number of enclosing block quotes
    setext: bool = False
    rows: list[tuple[int, list[Token | None]]] = field(default_factory=list)  # table rows


def walk(tokens: list[Token]) -> list[Block]:
    """Flatten tokens into blocks in document order."""
    blocks: list[Block] = []
    item_stack: list[int] = []
    list_stack: list[bool] = []  # ordered?
    quote = 0
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        t = tok.type
        parent = item_stack[-1] if item_stack else -1
        if t == "heading_open":
            m = tok.map or [0, 1]
            inline = tokens[i + 1] if i + 1 < n and tokens[i + 1].type == "inline" else None
            blocks.append(Block("heading", m[0] + 1, m[1], level=int(tok.tag[1]), depth=len(item_stack),
                                parent=parent, inline=inline, markup=tok.markup, quote=quote,
                                setext=tok.markup in ("=", "-")))
            i += 3
            continue
        if t == "paragraph_open":
            m = tok.map or [0, 1]
            inline = tokens[i + 1] if i + 1 < n and tokens[i + 1].type == "inline" else None
            blocks.append(Block("paragraph", m[0] + 1, m[1], depth=len(item_stack), parent=parent,
                                inline=inline, quote=quote))
            if parent >= 0 and blocks[parent].para == -1 and blocks[parent].line == m[0] + 1:
                blocks[parent].para = len(blocks) - 1
            i += 3
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            list_stack.append(t == "ordered_list_open")
        elif t in ("bullet_list_close", "ordered_list_close"):
            if list_stack:
                list_stack.pop()
        elif t == "list_item_open":
            m = tok.map or [0, 1]
            blocks.append(Block("list_item", m[0] + 1, m[1], depth=len(item_stack), parent=parent,
                                ordered=bool(list_stack and list_stack[-1]), markup=tok.markup,
                                quote=quote))
            item_stack.append(len(blocks) - 1)
        elif t == "list_item_close":
            if item_stack:
                item_stack.pop()
        elif t == "blockquote_open":
            quote += 1
        elif t == "blockquote_close":
            quote = max(quote - 1, 0)
        elif t in ("fence", "code_block"):
            m = tok.map or [0, 1]
            blocks.append(Block("fence" if t == "fence" else "code", m[0] + 1, m[1], depth=len(item_stack),
                                parent=parent, markup=tok.markup, content=tok.info, quote=quote))
        elif t == "html_block":
            m = tok.map or [0, 1]
            blocks.append(Block("html", m[0] + 1, m[1], depth=len(item_stack), parent=parent,
                                content=tok.content, quote=quote))
        elif t == "hr":
            m = tok.map or [0, 1]
            blocks.append(Block("hr", m[0] + 1, m[1], depth=len(item_stack), parent=parent,
                                markup=tok.markup, quote=quote))
        elif t == "front_matter":
            m = tok.map or [0, 1]
            blocks.append(Block("front_matter", m[0] + 1, m[1], content=tok.content))
        elif t == "table_open":
            m = tok.map or [0, 1]
            table = Block("table", m[0] + 1, m[1], depth=len(item_stack), parent=parent, quote=quote)
            i += 1
            row_line = 0
            cells: list[Token | None] = []
            while i < n and tokens[i].type != "table_close":
                tt = tokens[i]
                if tt.type == "tr_open":
                    row_line = (tt.map or [0, 1])[0] + 1
                    cells = []
                elif tt.type == "inline":
                    cells.append(tt)
                elif tt.type == "tr_close":
                    table.rows.append((row_line, cells))
                i += 1
            blocks.append(table)
        i += 1
    return blocks
