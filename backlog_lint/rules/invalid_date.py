"""BL206 invalid-date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.rules._rule import Context, rule
from backlog_lint.schema import DATE_FIELDS
from backlog_lint.source import Span

_PLACEHOLDER_RE = re.compile(r"\b(?:\d{4}|YYYY)-(?:\d{2}|MM|XX|xx|\?\?)-(?:\d{2}|DD|XX|xx|\?\?)\b")
_ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


@rule("BL206", "invalid-date", severity=Severity.ERROR, per_file=True)
def invalid_date(ctx: Context) -> Iterator[Diagnostic]:
    """Date field holds a placeholder or an impossible date.

    ## What it does
    Checks date fields (Created, Updated, Due, Completed, and any key with "date")
    for placeholders such as `2025-01-XX` or `YYYY-MM-DD` and for dates that do not
    exist, such as `2026-02-30`.

    ## Why is this bad?
    Sorting, ageing reports and due-date reminders skip or mis-order such items.

    ## Example
    ```markdown
    ### TODO-1: Cache parser output
    - **Due:** 2026-02-30
    ```

    ## Use instead
    ```markdown
    ### TODO-1: Cache parser output
    - **Due:** 2026-02-28
    ```

    ## Fix
    Not fixable: only you know the real date.
    """
    for doc in ctx.documents():
        for item in doc.items:
            for f in item.fields:
                if f.key not in DATE_FIELDS and "date" not in f.key:
                    continue
                text = f.value_raw
                for m in _PLACEHOLDER_RE.finditer(text):
                    token = m.group()
                    iso = _ISO_RE.fullmatch(token)
                    span = _span(f.value_span, text, m.start(), m.end())
                    if iso is None:
                        yield ctx.report(doc, span, f"{f.key_raw} {token!r} is a placeholder, not a date: "
                                         "fill in the real date (YYYY-MM-DD)")
                        continue
                    try:
                        dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
                    except ValueError as exc:
                        yield ctx.report(doc, span, f"{f.key_raw} {token!r} is not a real date ({exc})")


def _span(value_span: Span, text: str, start: int, end: int) -> Span:
    if value_span.line != value_span.end_line or value_span.end_col - value_span.col != len(text):
        return value_span
    return Span(value_span.line, value_span.col + start, value_span.line, value_span.col + end)
