"""Line-level patterns of backlog conventions: item headings, field lines, checkboxes, cells."""

from __future__ import annotations

import re
from dataclasses import dataclass

from backlog_lint.ids import HEADING_SHORT_ID_RE, heading_id_match
from backlog_lint.text import normalise_word
from backlog_lint.vocab import P_LEVEL_RE, Vocabulary, is_done, priority_of

# "### 3. Run benchmarks", "## 🎯 1. Vision" (a decorative emoji before the number)
HEADING_NUMBER_RE = re.compile(r"^(?P<pre>\s*(?:[^\w\s\d#*_`\[(~]{1,3}\s+)?)(?P<num>\d{1,4})[.)]\s+(?P<title>\S.*)$")

# - **Key:** value | **Key**: value | - __Key:__ value
FIELD_LINE_RE = re.compile(
    r"^(?P<prefix>\s*(?:>\s*)*(?:[-*+]\s+)?)"
    r"(?P<key>(?P<m>\*\*|__)(?P<k1>[^*_\n:：]{1,60}?)\s*[:：]\s*(?P=m)|(?P<m2>\*\*|__)(?P<k2>[^*_\n:：]{1,60}?)(?P=m2)\s*[:：])"
    r"[ \t]*(?P<value>.*?)\s*$"
)
# Status: implemented | - Status: Proposed  (known keys only)
PLAIN_FIELD_RE = re.compile(r"^(?P<prefix>\s*(?:[-*+]\s+)?)(?P<key>(?P<k3>[A-Za-z][A-Za-z ]{1,30}?)\s*:)[ \t]+(?P<value>\S.*?)\s*$")  # noqa: E501 - one regex reads better unbroken
# - **Name**: description | - **Name** - description | - **Name** — description
BOLD_NAME_RE = re.compile(
    r"^(?P<prefix>\s*[-*+]\s+)(?P<m>\*\*|__)(?P<name>[^*_\n]{1,200}?)(?:(?P<inner>[:：])(?P=m)\s*"
    r"|(?P=m)\s*(?P<sep>[:：]|\s[-—–]|$)\s*)(?P<desc>.*?)\s*$"
)
# sections that describe the backlog rather than hold it: bold bullets there are not items
NON_ITEM_SECTION_RE = re.compile(
    r"legend|format|convention|notation|depend|reference|context|overview|note|glossary|label|categor|how to|"
    r"usage|path|risk|assumption|decision|link|definition|metric|summary|about|contributing|setup",
    re.IGNORECASE,
)
GROUP_WORD_RE = re.compile(r"^(?:Phase|Stage|Sprint|Wave|Milestone|Step)\b", re.IGNORECASE)
CHECKBOX_RE = re.compile(r"^(?P<prefix>\s*(?:>\s*)*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[(?P<mark>[ xX✓✔v~\-/])\](?P<sp>[ \t]+|$)(?P<text>.*?)\s*$")  # noqa: E501 - one regex reads better unbroken

SECTION_WAVE_RE = re.compile(r"\bWave\s+(-?\d+)\b", re.IGNORECASE)
SECTION_PHASE_RE = re.compile(r"\bPhase\s+(\d+(?:\.\d+)?)\b", re.IGNORECASE)
_CJK_PRIORITY = {"高優先級": "High", "高优先级": "High", "中優先級": "Medium", "中优先级": "Medium",
                 "低優先級": "Low", "低优先级": "Low"}
_PRIORITY_PHRASE_RE = re.compile(r"\b(critical|high|medium|low)[ -]priority\b", re.IGNORECASE)
_PAREN_STATUS_RE = re.compile(r"\((?P<s>[^()]{2,30})\)\s*$")

TRAILING_STATUS_RE = re.compile(
    r"\s*(?:[-—–:]\s*)?(?P<raw>(?P<emoji>✅|✔️?|☑️?|⏳|🚧|🔄|❌|⛔|🧪)\s*(?P<word>[A-Za-z][A-Za-z \-]{0,20})?|\[(?P<bracket>DONE|WIP|TODO|BLOCKED|COMPLETED?)\]|\b(?P<caps>DONE|COMPLETED?|WIP|BLOCKED|CANCELL?ED))\s*$"  # noqa: E501 - one regex reads better unbroken
)
LEADING_STATUS_RE = re.compile(r"^\s*(?:(?P<emoji>✅|✔️?|☑️?|⏳|🚧|🔄|❌|⛔|🧪)\s*|\[(?P<bracket>DONE|WIP|TODO|BLOCKED|COMPLETED?)\]\s*)")  # noqa: E501 - one regex reads better unbroken
ARROW_RE = re.compile(r"(?:→|->|=>|⇒)\s*(?P<target>\S+)")


@dataclass(slots=True)
class HeadingMatch:
    id: str | None
    number: int | None
    title: str
    id_col: int  # 0-based offset of the ID (or number) in the analysed text
    dotted: bool = False  # "OBS-003 · 2026-03-01 · support · OPEN": the title is `·`-separated parts


def match_item_heading(text: str) -> HeadingMatch | None:
    """Recognise an ID-carrying or numbered heading text (already stripped of ~~ and status)."""
    m = heading_id_match(text)
    if m and not P_LEVEL_RE.fullmatch(m.group("id")):
        return HeadingMatch(m.group("id"), None, m.group("title").strip(), m.start("id"),
                            m.group("sep") == "·")
    m = HEADING_SHORT_ID_RE.match(text)
    if m and not P_LEVEL_RE.fullmatch(m.group("id")):
        return HeadingMatch(m.group("id"), None, m.group("title").strip(), m.start("id"))
    m = HEADING_NUMBER_RE.match(text)
    if m:
        return HeadingMatch(None, int(m.group("num")), m.group("title").strip(), m.start("num"))
    return None


def section_attributes(title: str, vocab: Vocabulary) -> dict[str, str]:
    """What a section heading passes down: priority, wave, phase, status (lanes)."""
    out: dict[str, str] = {}
    m = P_LEVEL_RE.search(title)
    if m:
        out["priority"] = f"P{m.group(1)}"
    else:
        for phrase, value in _CJK_PRIORITY.items():
            if phrase in title:
                out["priority"] = value
                break
        else:
            pm = _PRIORITY_PHRASE_RE.search(title)
            if pm:
                out["priority"] = pm.group(1).capitalize()
    m = SECTION_WAVE_RE.search(title)
    if m:
        out["wave"] = m.group(1)
    m = SECTION_PHASE_RE.search(title)
    if m:
        out["phase"] = m.group(1)
    stripped = re.sub(r"^[^\w(]+|[^\w)]+$", "", title).strip()  # "✅ Done", "已完成 ✅": emoji around the word
    status = vocab.status.get(normalise_word(stripped))
    if status is None and _PAREN_STATUS_RE.search(stripped):  # "In Progress (Työn alla)", "Done (5)"
        status = vocab.status.get(normalise_word(stripped[: stripped.rfind("(")]))
    if status is None:
        pm2 = _PAREN_STATUS_RE.search(title)
        if pm2:  # "(done)", "(Completed 2024-05-01)"; but not a note such as "(new file)" or "(open question)"
            status = vocab.status.get(normalise_word(pm2.group("s")))
            if status is None and is_done(vocab.status_of(pm2.group("s")), vocab):
                status = vocab.status_of(pm2.group("s"))
    if status is not None:
        out["status"] = status
    return out


_PIPE_OR_ESCAPE_RE = re.compile(r"\\.|\|", re.DOTALL)  # an escaped character, or a pipe that splits cells


def cell_pipes(line: str) -> list[int]:
    """0-based columns of the pipes of a table row line that split cells: those not escaped with a backslash."""
    if "\\" in line:
        return [m.start() for m in _PIPE_OR_ESCAPE_RE.finditer(line) if m.group() == "|"]
    out: list[int] = []
    i = line.find("|")
    while i >= 0:
        out.append(i)
        i = line.find("|", i + 1)
    return out


def split_cells(line: str) -> list[tuple[int, int]]:
    """(start, end) 0-based columns of each table cell's content in a row line.

    Splits on pipes not escaped with a backslash, as GFM does; the outer pipes are optional.
    """
    bounds = cell_pipes(line)
    stripped = line.strip()
    cells: list[tuple[int, int]] = []
    start = 0
    lead = len(line) - len(line.lstrip())
    start = lead
    if stripped.startswith("|") and bounds:
        start = bounds.pop(0) + 1
    trailing_pipe = stripped.endswith("|") and not stripped.endswith("\\|") and len(stripped) > 1
    end_limit = len(line.rstrip())
    if trailing_pipe and bounds:
        end_limit = bounds.pop()
    for b in bounds:
        cells.append((start, b))
        start = b + 1
    cells.append((start, end_limit))
    out: list[tuple[int, int]] = []
    for s, e in cells:
        seg = line[s:e]
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        out.append((s + ls, s + max(rs, ls)))
    return out


def cell_priority(raw: str) -> str | None:
    return priority_of(raw)
