"""BL501 undefined-label."""

from __future__ import annotations

from collections.abc import Iterator

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Document
from backlog_lint.rules._rule import Context, rule
from backlog_lint.source import Span
from backlog_lint.workspace.index import field_value_span, workspace_index
from backlog_lint.workspace.legends import fold_label


def defined_labels(ctx: Context, doc: Document) -> dict[str, tuple[str, Span | None]]:
    """Labels this document may use: folded -> (where defined, span in doc or None)."""
    out: dict[str, tuple[str, Span | None]] = {}
    if "config" in ctx.config.label_sources:
        for label in ctx.config.labels:
            out[fold_label(label)] = ("config", None)
    if "legend" in ctx.config.label_sources:
        for key, span in workspace_index(ctx).legend(doc).items():
            out.setdefault(key, ("legend", span))
    return out


@rule("BL501", "undefined-label", severity=Severity.WARNING)
def undefined_label(ctx: Context) -> Iterator[Diagnostic]:
    """Label is not in the file's label legend or the configured labels.

    ## What it does
    When a backlog file has a label legend - a section whose heading mentions
    labels, categories, tags or a legend, listing entries such as
    ``- `core`: routing and hashing`` or `- **infra**: storage`, or a line declaring
    them such as ``**Tags**: `core`, `infra` `` - or the `labels` setting lists the
    project's labels, reports each label used in a Labels /
    Category / Tags field that is not among them (once per file, at its first use).
    A legend that leaves out more of the labels the file uses than it names (three
    or more) is taken for a list of examples, not the closed set, and leaves the
    file alone.

    ## Why is this bad?
    Labels outside the agreed set split one category into several (`perf`,
    `performance`) and make filters and reports miss items.

    ## Example
    ```markdown
    | Item | Label |
    |------|-------|
    | Ring lookup benchmark | `perf` |
    | Router cleanup | `core` |

    ## Labels

    - `core`: routing, hashing and enumeration
    - `infra`: storage backends
    ```

    ## Use instead
    ```markdown
    | Item | Label |
    |------|-------|
    | Ring lookup benchmark | `perf` |
    | Router cleanup | `core` |

    ## Labels

    - `core`: routing, hashing and enumeration
    - `infra`: storage backends
    - `perf`: performance work and benchmarks
    ```

    ## Fix
    Not fixable: add the label to the legend (or the `labels` setting), or use a defined label.
    """
    for doc in ctx.documents():
        defined = defined_labels(ctx, doc)
        if not defined:
            continue
        first_use: dict[str, tuple[str, Span]] = {}
        uses: dict[str, int] = {}
        used: set[str] = set()  # every label the file uses, folded
        for item in doc.items:
            for f in item.fields:
                if f.key != "labels":
                    continue
                for value in f.values:
                    key = fold_label(value)
                    if key:
                        used.add(key)
                    if not key or key in defined:
                        continue
                    uses[key] = uses.get(key, 0) + 1
                    if key not in first_use:
                        first_use[key] = (value, field_value_span(f, value))
        sources = {src for src, _ in defined.values()}
        if sources == {"legend"} and _illustrative(used, first_use):
            continue
        where = "the label legend" if sources == {"legend"} else "the labels setting" if sources == {"config"} \
            else "the label legend or the labels setting"
        legend_line = min((s.line for _, s in defined.values() if s is not None), default=None)
        for key, (value, span) in first_use.items():
            times = f" (used {uses[key]} times)" if uses[key] > 1 else ""
            at = f" (line {legend_line})" if legend_line and "legend" in where else ""
            yield ctx.report(doc, span,
                             f"label {value!r}{times} is not defined in {where}{at}: add it there or use a "
                             "defined label")


def _illustrative(used: set[str], undefined: dict[str, tuple[str, Span]]) -> bool:
    """A legend that leaves out more of the labels the file uses than it names (three or more) lists
    examples (the usual tags, in a format section), not the closed set: what it leaves out is no slip."""
    missing = len(undefined)
    return missing >= 3 and missing > len(used) - missing
