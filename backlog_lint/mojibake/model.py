"""What a garbled run is: where it is, what it reads, and the codec that garbled it."""

from __future__ import annotations

from dataclasses import dataclass

ENCODINGS: tuple[str, ...] = ("mac_roman", "cp1252", "latin-1")


@dataclass(frozen=True, slots=True)
class Mojibake:
    """One garbled run in a line and what it should read."""

    start: int  # 0-based column (code point index) in the line where the garbled run starts
    end: int  # exclusive
    text: str  # the garbled text (line[start:end])
    repaired: str  # what it should be
    encoding: str  # "mac_roman" | "cp1252" | "latin-1"
