"""Hypothesis strategies: backlog-shaped Markdown (headings with IDs, fields, tables, checklists...)."""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = st.sampled_from(["cache", "parser", "Docs", "fix", "ключ", "数据", "🔴", "✅", "naïve", "‚Äî", "Ã©",
                         "`code`", "**bold**", "~~old~~", "[link](x.md#a)", "TODO-12", "task-3", "|", "\\|", "#"])
TEXT = st.lists(WORDS, min_size=0, max_size=6).map(" ".join)
ID = st.builds(lambda p, n: f"{p}-{n:03d}", st.sampled_from(["TODO", "T", "task", "BUG", "SPEC"]),
               st.integers(0, 999))
STATUS = st.sampled_from(["Done", "In Progress", "todo", "✅ Done", "🧪 Prototype", "Blocked", "", "done."])
KEY = st.sampled_from(["Status", "Priority", "Prio", "Depends on", "Labels", "Effort", "Unlocks", "Due", "What"])


def heading_item() -> st.SearchStrategy[str]:
    return st.builds(
        lambda lvl, i, t, struck: f"{'#' * lvl} {'~~' if struck else ''}{i}: {t}{'~~' if struck else ''}",
        st.integers(1, 6), ID, TEXT, st.booleans())


def field_line() -> st.SearchStrategy[str]:
    return st.builds(lambda b, k, v, inside: (f"{'- ' if b else ''}**{k}:** {v}" if inside else
                                              f"{'- ' if b else ''}**{k}**: {v}"),
                     st.booleans(), KEY, st.one_of(STATUS, TEXT, ID), st.booleans())


def checklist() -> st.SearchStrategy[str]:
    entry = st.builds(lambda d, m, t, tab: ("\t" if tab else "  ") * d + f"- [{m}] {t}",
                      st.integers(0, 4), st.sampled_from([" ", "x", "X", "✓"]), TEXT, st.booleans())
    return st.lists(entry, min_size=1, max_size=6).map("\n".join)


def table() -> st.SearchStrategy[str]:
    row = st.lists(st.one_of(TEXT, STATUS, ID), min_size=0, max_size=5).map(lambda cs: "| " + " | ".join(cs) + " |")
    return st.builds(lambda rows, cols: "\n".join(
        ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols), *rows]),
        st.lists(row, max_size=5), st.lists(st.sampled_from(["Item", "Status", "Label", "ID", "Feature", "Notes"]),
                                             min_size=1, max_size=4))


def front_matter() -> st.SearchStrategy[str]:
    return st.builds(lambda i, s, closed: f"---\nid: {i}\nstatus: {s}\nlabels: [a, b]\n" + ("---" if closed else ""),
                     ID, STATUS, st.booleans())


BLOCK = st.one_of(heading_item(), field_line(), checklist(), table(), TEXT, st.just("---"), st.just("```"),
                  st.just("<!-- backlog-lint-disable BL101 -->"), st.builds(lambda t: f"> {t}", TEXT))


@st.composite
def backlog(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(draw(front_matter()))
    parts.extend(draw(st.lists(BLOCK, max_size=12)))
    sep = draw(st.sampled_from(["\n", "\n\n"]))
    text = sep.join(parts)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text += "\n"
    return text
