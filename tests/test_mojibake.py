"""Tests for backlog_lint.mojibake: seed repairs, the three codecs, no false positives, properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from backlog_lint.mojibake import ENCODINGS, Mojibake, find_c1_controls, find_mojibake, repair_line

CORPUS = Path(__file__).parent.parent.parent / "shared" / "corpus"
SEEDS = CORPUS / "seeds"
SEED_002 = "002_02e6e02638617701.md"  # TODO list with Russian text, decoded as Mac Roman
SEED_003 = "003_ab286107e98d6fb0.md"  # backlog with emoji headings, decoded as Mac Roman


def _seed_text(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed corpus not present: {name}")
    return path.read_text(encoding="utf-8")


def _seed_lines(name: str) -> list[str]:
    return _seed_text(name).splitlines()


def _garble(text: str, codec: str) -> str:
    """Decode `text`'s UTF-8 bytes with `codec`, undefined cp1252 bytes as C1 controls (as Windows does)."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def _check_findings(line: str, found: list[Mojibake]) -> None:
    """Invariants every result of find_mojibake must satisfy."""
    pos = 0
    for item in found:
        assert pos <= item.start < item.end <= len(line)
        assert item.text == line[item.start : item.end]
        assert item.encoding in ENCODINGS
        assert item.repaired and item.repaired != item.text
        # Lossless: the repair garbles back to exactly the run.
        assert _garble(item.repaired, item.encoding) == item.text
        pos = item.end


# -- the seed corpus ------------------------------------------------------------------------


def test_seed__002_line_3_em_dash() -> None:
    line = _seed_lines(SEED_002)[2]
    assert repair_line(line) == ("**Last updated:** 2026-02-08 (TODO-056 added — network.start() Promise reject path)")
    assert find_mojibake(line) == [Mojibake(45, 48, "‚Äî", "—", "mac_roman")]


def test_seed__002_line_20_russian() -> None:
    line = _seed_lines(SEED_002)[19]
    assert repair_line(line) == (
        "- **Summary:** 5 tests expose potential production regressions introduced during sf-011b. "
        "Ключевой вопрос для каждого: **работает ли тестируемая функциональность в production?** "
        "Если нет — чинить production code, если да — адаптировать тест под новый API."
    )
    first = find_mojibake(line)[0]
    assert (first.text, first.repaired, first.encoding) == ("–ö–ª—é—á–µ–≤–æ–π", "Ключевой", "mac_roman")
    # The one-letter word "в" is a weak two-character run, repaired because the line is garbled throughout.
    assert any(item.text == "–≤" and item.repaired == "в" for item in find_mojibake(line))


def test_seed__003_line_1_emoji_heading() -> None:
    line = _seed_lines(SEED_003)[0]
    assert repair_line(line) == "# 🧩 Shardis Backlog"
    assert find_mojibake(line) == [Mojibake(2, 6, "\uf8ffüß©", "🧩", "mac_roman")]


def test_seed__003_line_73_non_breaking_hyphen() -> None:
    line = _seed_lines(SEED_003)[72]
    assert repair_line(line) == (
        "| Optional read-only route peek (`TryGetAssignment`) | `dx` | "
        "Non\u2011mutating lookup without hit/miss metric side effects. | _TBD_ |"
    )


@pytest.mark.parametrize("name", [SEED_002, SEED_003])
def test_seed__every_line_matches_whole_file_decode(name: str) -> None:
    # These two files were garbled whole, so decoding the whole file back is an independent oracle.
    text = _seed_text(name)
    expected = text.encode("mac_roman").decode("utf-8").splitlines()
    lines = text.splitlines()
    assert [repair_line(line) for line in lines] == expected
    for line in lines:
        _check_findings(line, find_mojibake(line))
        assert find_c1_controls(line) == []


@pytest.mark.parametrize("name", [SEED_002, SEED_003])
def test_seed__repair_idempotent_and_clean(name: str) -> None:
    for line in _seed_lines(name):
        repaired = repair_line(line)
        assert repair_line(repaired) == repaired
        assert find_mojibake(repaired) == []


def test_corpus__clean_files_have_no_findings() -> None:
    files = sorted(SEEDS.glob("*.md")) + sorted((CORPUS / "public").rglob("*.md"))
    if not files:
        pytest.skip("corpus not present")
    garbled = {SEED_002, SEED_003}
    for path in files:
        if path.name in garbled:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert find_mojibake(line) == [], f"{path.name}:{number}"
            assert find_c1_controls(line) == [], f"{path.name}:{number}"


# -- the three codecs -----------------------------------------------------------------------

MAC_ROMAN_TARGETS = [
    "—",
    "🔴",
    "🟡",
    "🟢",
    "🔵",
    "→",
    "│",
    "├──",
    "Ключевой вопрос",
    "🧩",
    "Non‑mutating",
    "✅",
    "🧪",
    "⚠️",
]


@pytest.mark.parametrize("target", MAC_ROMAN_TARGETS)
def test_mac_roman__brief_examples(target: str) -> None:
    garbled = _garble(target, "mac_roman")
    assert repair_line(garbled) == target
    assert {item.encoding for item in find_mojibake(garbled)} == {"mac_roman"}


@pytest.mark.parametrize(
    ("garbled", "expected"),
    [
        ("‚Äî", "—"),
        ("\uf8ffüî¥ P1", "🔴 P1"),
        ("‚Üí SPEC-038", "→ SPEC-038"),
        ("‚îú‚îÄ‚îÄ src", "├── src"),
        ("‚ö†Ô∏è Warning", "⚠️ Warning"),
        ("caf√© cr√®me", "café crème"),
        ("25¬∞C", "25°C"),
        ("o√π", "où"),
        ("a»ôa", "așa"),  # Romanian ș: a closing guillemet inside a word is no quote
        ("f√∂r", "för"),
    ],
)
def test_mac_roman__cases(garbled: str, expected: str) -> None:
    assert repair_line(garbled) == expected


@pytest.mark.parametrize(
    ("garbled", "expected"),
    [
        ("â€”", "—"),
        ("Ã©", "é"),
        ("â€™", "’"),
        ("ðŸ”´", "🔴"),
        ("cafÃ© au lait", "café au lait"),
        ("Ã‰cole", "École"),
        ("ZÃ¼rich", "Zürich"),
        ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚ Ð¼Ð¸Ñ€", "привет мир"),
        ("25Â°C", "25°C"),
        ("Â© 2024", "© 2024"),
        ("sÄ… ", "są "),  # Polish, garbled letter at a word's end
        ("Ä°stanbul", "İstanbul"),
        ("MILJÃ–", "MILJÖ"),
        ("â€œquotedâ€\x9d", "“quoted”"),  # 0x9D is undefined in cp1252; Windows passes it through
        ("ðŸ‘¨â€\x8dðŸ‘©", "👨\u200d👩"),  # zero-width joiner
        ("ï»¿# Title", "\ufeff# Title"),  # a BOM
        ("Blokkstørrelse må vÃ¦re delbart", "Blokkstørrelse må være delbart"),  # mixed with clean text
    ],
)
def test_cp1252__cases(garbled: str, expected: str) -> None:
    assert repair_line(garbled) == expected
    assert {item.encoding for item in find_mojibake(garbled)} == {"cp1252"}


@pytest.mark.parametrize(
    ("garbled", "expected"),
    [
        ("â\x80\x94", "—"),
        ("Ã\x89cole", "École"),
        ("â\x80\x9cquotedâ\x80\x9d", "“quoted”"),
        ("ð\x9f\x94´", "🔴"),
    ],
)
def test_latin1__cases(garbled: str, expected: str) -> None:
    assert repair_line(garbled) == expected
    assert {item.encoding for item in find_mojibake(garbled)} == {"latin-1"}


def test_latin1__same_as_cp1252_without_c1_reports_cp1252() -> None:
    assert find_mojibake("Ã©") == [Mojibake(0, 2, "Ã©", "é", "cp1252")]


def test_columns__count_code_points() -> None:
    line = "🔴 x cafÃ© — ok"
    assert find_mojibake(line) == [Mojibake(7, 9, "Ã©", "é", "cp1252")]


def test_double_mojibake__converges_in_two_passes() -> None:
    once = repair_line("Itâ€™s Ã¢â‚¬â„¢")
    assert once == "It’s â€™"
    assert repair_line(once) == "It’s ’"


def test_ascii__fast_path() -> None:
    assert find_mojibake("plain ASCII line") == []
    assert find_c1_controls("plain ASCII line") == []
    assert repair_line("plain ASCII line") == "plain ASCII line"


# -- C1 controls ----------------------------------------------------------------------------


def test_c1__stray_controls_reported() -> None:
    assert find_c1_controls("a\x85b \x9d") == [1, 4]


def test_c1__controls_inside_a_repairable_run_are_not_stray() -> None:
    line = "â\x80\x94 then \x81"
    assert find_c1_controls(line) == [9]
    assert repair_line(line) == "— then \x81"


# -- no false positives ---------------------------------------------------------------------

LEGITIMATE = [
    "café, naïve, Zürich, façade, Ångström",
    "Größe, Straße, Äpfel, Öl und Übung",
    "¿Qué tal? ¡Olé! El niño cumplió un año.",
    "São Paulo — ação, coração, IRMÃ”",
    "L’été à Paris, jusqu’à demain, d’école",
    "2020—été, word—élan",
    "«ÉTÉ», “ÉCOLE”, CAFÉ», «ÇA»",
    "non «\xa0commité\xa0», travail\xa0:\xa0%s",
    "Swedish ”Öppna” and PÅ”, Æsir og øl på Åland",
    "German »öffentlich« und „Anführung“",
    "Türkçe: “full”ü, İstanbul'da ılık bir gün",
    "Dziękuję, że przyszłaś; być, coś",
    "Příliš žluťoučký kůň úpěl ďábelské ódy; PROHLÍŽEČ",
    "Árvíztűrő tükörfúrógép",
    "Română: așa și ţară",
    "abcdefghijkèéæøå ABCDEFGHIJKÈÉÆØÅ",
    "plná\xa0– čeká",
    "Œuvre, cœur, sœur; ﬁancé, ﬂé",
    "Ελληνικά: καλημέρα κόσμε, Ἀθῆναι",
    "Ключевой вопрос для каждого — и в, к, с",
    "Українська: і, ї, є, ґ",
    "中文测试：今天天气很好。2024年5月",
    "日本語のテキスト、カタカナ",
    "한국어 텍스트입니다",
    "עברית, العربية, Azərbaycan, Oʻzbekiston",
    "Tiếng Việt có dấu",
    "🔴 🟡 🟢 ✅ ⚠️ 🧩 👨\u200d👩\u200d👧",
    "x ≤ y × z, √2 ≈ 1.414, √π, ≈π, a ≠ b ± c",
    "Ω π µ ∞ ∑ ∏ ∫ ∂ ≥ ÷ ◊",
    "“quoted” — ‘single’ – range … end",
    "25 °C, © 2024 ACME® ™, 5 µs, ½ cup",
    "£5, €10, ¥100, ¢, ‰, ·, ‚low‘, „double“",
    "├── src └── │",
    "→ ← ↑ ↓ ⇒ • ★",
    "ÀÉÎÕÜ àéîõü Ÿ ÿ ¬p",
    "e\u0301te\u0301 (decomposed)",
    "NBSP\xa0here and\xa0there",
]


@pytest.mark.parametrize("text", LEGITIMATE)
def test_legitimate__no_findings(text: str) -> None:
    assert find_mojibake(text) == []
    assert repair_line(text) == text
    assert find_c1_controls(text) == []


def test_legitimate__enough_cases() -> None:
    assert len(LEGITIMATE) >= 30


# -- properties -----------------------------------------------------------------------------


@given(st.text())
@example("Ã©")
@example("‚Äî\x85")
def test_property__findings_consistent_and_repair_only_changes_findings(text: str) -> None:
    found = find_mojibake(text)
    _check_findings(text, found)
    if not found:
        assert repair_line(text) == text
    for col in find_c1_controls(text):
        assert "\x80" <= text[col] <= "\x9f"
        assert not any(item.start <= col < item.end for item in found)


# Realistic text: words of one script each, with typography, between ASCII.
_SCRIPTS = [
    "éèêëàâäçñöüßøåæœÉÀÇÖÜąćęłńśźżčřšžőűİığş",
    "αβγδεζηθλμπσωάέΩΔ",
    "абвгдежзийклмнопрстуфхцчшщыэюяЖЯіїєґ",
    "中文测试日本語のテキスト今天年月",
    "한국어텍스트입니다",
    "🔴🟡🟢✅🧩🧪⚠👨\u200d👩\ufe0f",
    "עברית",
    "العربية",
]
_TYPOGRAPHY = "—–’“”‘…→•°©®µ½×≤√€™"
_WORDS = st.sampled_from(_SCRIPTS).flatmap(
    lambda script: st.text(alphabet=script + _TYPOGRAPHY + "abcXY01.-,", min_size=1, max_size=8)
)
_TEXT = st.lists(_WORDS, min_size=1, max_size=6).map(" ".join).filter(lambda t: not t.isascii())


def _boundaries(text: str, codec: str) -> dict[int, int]:
    """Map garbled offsets at character boundaries of `text` to offsets in `text`."""
    marks = {0: 0}
    pos = 0
    for index, ch in enumerate(text, 1):
        pos += len(_garble(ch, codec))
        marks[pos] = index
    return marks


def _check_garbled(text: str, codec: str) -> None:
    garbled = _garble(text, codec)
    found = find_mojibake(garbled)
    _check_findings(garbled, found)
    marks = _boundaries(text, codec)
    for item in found:
        # Never a wrong repair: every run is whole characters of the original, repaired to them.
        assert item.start in marks and item.end in marks, item
        assert item.repaired == text[marks[item.start] : marks[item.end]], item
    covered = {col for item in found for col in range(item.start, item.end)}
    if all(ch.isascii() or col in covered for col, ch in enumerate(garbled)):
        assert repair_line(garbled) == text


@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much])
@given(_TEXT)
@example("Ключевой вопрос — в production")
def test_property__mac_roman_garbled_text_repairs_back(text: str) -> None:
    _check_garbled(text, "mac_roman")


@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much])
@given(_TEXT)
@example("café — ‘quoted’")
def test_property__cp1252_garbled_text_repairs_back(text: str) -> None:
    try:
        text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        assume(False)  # Python's strict cp1252 cannot produce this garbling
    _check_garbled(text, "cp1252")


@settings(max_examples=200)
@given(_TEXT)
def test_property__latin1_garbled_text_repairs_back(text: str) -> None:
    _check_garbled(text, "latin-1")


_STRONG_WORDS = st.sampled_from(_SCRIPTS).flatmap(lambda script: st.text(alphabet=script, min_size=2, max_size=6))


@settings(max_examples=200)
@given(st.lists(_STRONG_WORDS, min_size=1, max_size=5).map(" ".join), st.sampled_from(ENCODINGS))
def test_property__words_of_two_or_more_characters_always_repair(text: str, codec: str) -> None:
    # Two or more non-ASCII characters in a row garble to a strong run: always detected.
    assert repair_line(_garble(text, codec)) == text


@given(st.text())
def test_property__repair_never_lengthens(text: str) -> None:
    # Two to four garbled characters become one.
    assert len(repair_line(text)) <= len(text)
