"""Text folding shared by every module: dashes, spacing, field keys and words."""

from __future__ import annotations

import functools
import re
import unicodedata

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
DASH_TRANS = str.maketrans({c: "-" for c in _DASHES})
_SPACE_RE = re.compile(r"\s+")
_VS_RE = re.compile("[\ufe0e\ufe0f\u200d]")


@functools.lru_cache(maxsize=8192)  # a backlog repeats a few dozen keys thousands of times
def normalise_key(key: str) -> str:
    """Field-key comparison form: lower case, no markup or trailing colon, single spaces."""
    k = key.strip().strip("*_`").strip().rstrip(":：").strip().strip("*_`").lower()
    k = k.translate(DASH_TRANS).replace("_", " ")
    k = _SPACE_RE.sub(" ", k)
    k = re.sub(r"\s*\(.*\)$", "", k)  # "Success Criteria (what must be TRUE)"
    return k


@functools.lru_cache(maxsize=8192)  # statuses and other words repeat as much
def normalise_word(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).lower().translate(DASH_TRANS)
    t = _VS_RE.sub("", t)
    return _SPACE_RE.sub(" ", t).strip(" .;:!*_`")
