"""BL211 status-emoji-conflict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from backlog_lint.diagnostics import Diagnostic, Severity
from backlog_lint.model import Field
from backlog_lint.rules._rule import Context, rule
from backlog_lint.vocab import Vocabulary

# what a status emoji says, as far as this rule trusts it: a check mark says done, a box, clipboard, hourglass
# or construction sign says not yet; a cross ("❌ Not started"), a stop sign or a test tube say too many things
_SAYS = {"done": True, "todo": False, "in-progress": False}


@dataclass(slots=True)
class _Pairing:
    field: Field
    emoji: str
    word: str
    emoji_done: bool
    word_done: bool


@rule("BL211", "status-emoji-conflict", severity=Severity.WARNING, per_file=True)
def status_emoji_conflict(ctx: Context) -> Iterator[Diagnostic]:
    """Status whose emoji says the opposite of its word.

    ## What it does
    Reads status values written as an emoji and a word (`✅ Done`, `🔲 Todo`) and
    reports a value whose emoji says done while its word says not done, or the
    reverse (`✅ Todo`), when the file itself writes that emoji more often with a
    word that agrees with it (`✅ Done`): the file's own usage says which half is
    wrong. An emoji the file pairs as often with the other words (a check mark in
    front of every status) is decoration, and left alone.

    ## Why is this bad?
    A reader scanning the emoji column counts the item as finished while a filter
    on the word counts it as open; one of the two is wrong, and the board's totals
    disagree with themselves.

    ## Example
    ```markdown
    | # | Title | Status |
    |---|-------|--------|
    | 1 | Login form | ✅ Done |
    | 2 | Sign-up form | ✅ Done |
    | 3 | Password reset | ✅ Todo |
    | 4 | Audit log | 🔲 Todo |
    ```

    ## Use instead
    ```markdown
    | # | Title | Status |
    |---|-------|--------|
    | 1 | Login form | ✅ Done |
    | 2 | Sign-up form | ✅ Done |
    | 3 | Password reset | 🔲 Todo |
    | 4 | Audit log | 🔲 Todo |
    ```

    ## Fix
    Not fixable: decide whether the item is done, then make the emoji and the word say it.
    """
    vocab = ctx.config.vocab
    for doc in ctx.documents():
        pairings = [p for item in doc.items for f in item.fields if f.key == "status"
                    and (p := _pairing(f, vocab)) is not None]
        agree: Counter[str] = Counter(p.emoji for p in pairings if p.emoji_done == p.word_done)
        disagree: Counter[str] = Counter(p.emoji for p in pairings if p.emoji_done != p.word_done)
        for p in pairings:
            # a slip is the exception: an emoji the file pairs as often with the other words is its decoration
            # (a check mark in front of every filed issue's status), not a status of its own
            if p.emoji_done == p.word_done or disagree[p.emoji] >= agree[p.emoji]:
                continue
            says = "done" if p.emoji_done else "not done"
            word_says = "done" if p.word_done else "not done"
            yield ctx.report(doc, p.field.value_span,
                             f"status {p.field.value.strip()!r} pairs {p.emoji}, which this file uses for {says}, "
                             f"with {p.word!r}, which says {word_says}: make the emoji and the word agree")


def _pairing(f: Field, vocab: Vocabulary) -> _Pairing | None:
    text = f.value.strip()
    for emoji, canonical in vocab.status_emoji.items():
        if len(emoji) > 2 or not text.startswith(emoji) or canonical not in _SAYS:
            continue
        rest = text[len(emoji):].lstrip("\ufe0f").strip()
        word_status = vocab.status_of(rest) if rest and rest[0].isalnum() else None
        if word_status not in _SAYS:
            return None
        word = rest.split("(")[0].strip(" .;:")
        return _Pairing(f, emoji, word, _SAYS[canonical], _SAYS[word_status])
    return None
