"""The cheap character-reference escape (format/mdformat_linear.py) writes what mdformat writes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backlog_lint.format import mdformat_linear

_PIECES = st.sampled_from(["&", "&amp;", "&#12;", "&#x1F;", "&#;", "&nbsp", "&bogus;", "&AMP;", "\\", "a", " ",
                           "é", "\n", ";", "#", "x"])


def _patterns() -> tuple[object, object]:
    from mdformat.renderer import _context, _util

    mdformat_linear.install()
    assert "char-references" in mdformat_linear.installed()
    return _util.re_char_reference(), _context.re_char_reference()


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_char_references__escaped_as_mdformat_escapes_them(text: str) -> None:
    original, patched = _patterns()
    template = r"\\\g<0>"
    assert patched.sub(template, text) == original.sub(template, text)  # type: ignore[attr-defined]


def test_char_references__a_text_with_references_is_escaped() -> None:
    """Not vacuous: the patched escape does escape, and a text without '&' is returned as it is."""
    _, patched = _patterns()
    assert patched.sub(r"\\\g<0>", "a &amp; b &#12; c &x") == "a \\&amp; b \\&#12; c &x"  # type: ignore[attr-defined]
    plain = "no references here"
    assert patched.sub(r"\\\g<0>", plain) is plain  # type: ignore[attr-defined]


def test_char_references__formatted_documents_are_unchanged_by_the_patch() -> None:
    """mdformat's own output, with and without the patch, on text nodes that hold references."""
    import mdformat
    from mdformat.renderer import _context, _util

    doc = ("# T &amp; U\n\n- [ ] fish \\&amp; chips \\&#35; &copy; &nope; & more\n\n"
           "| a &lt; | b |\n|---|---|\n| &#x41; | c |\n")
    mdformat_linear.install()
    assert _context.re_char_reference is not _util.re_char_reference  # the patch is in place
    patched_out = mdformat.text(doc, extensions={"gfm"})
    saved = _context.re_char_reference
    _context.re_char_reference = _util.re_char_reference
    try:
        original_out = mdformat.text(doc, extensions={"gfm"})
    finally:
        _context.re_char_reference = saved
    assert "\\&amp;" in original_out
    assert patched_out == original_out
