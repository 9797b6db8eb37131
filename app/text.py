"""Vietnamese text helpers: NFC normalisation, accent-free search keys, Vietnamese sort keys."""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "clean",
    "matches",
    "nfc",
    "search_key",
    "sort_key",
]

_SPACES = re.compile(r"\s+")
_DROP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def nfc(value: str) -> str:
    """Return ``value`` in Unicode NFC (how Vietnamese text is stored)."""
    return unicodedata.normalize("NFC", value)


def clean(value: str | None, *, multiline: bool = False) -> str:
    """Normalise user text for storage: NFC, no control/format characters, trimmed spaces.

    Single-line text has its runs of whitespace collapsed to one space. Multi-line text keeps
    its line breaks (normalised to ``\\n``) but loses trailing spaces on each line.
    """
    if value is None:
        return ""
    value = nfc(value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        kept = "".join(
            c for c in value if c in "\n\t" or unicodedata.category(c) not in _DROP_CATEGORIES
        )
        lines = [line.replace("\t", " ").rstrip() for line in kept.split("\n")]
        return "\n".join(lines).strip("\n").strip()
    kept = "".join(
        " " if c in "\t\n\r" else c
        for c in value
        if c in "\t\n\r" or unicodedata.category(c) not in _DROP_CATEGORIES
    )
    return _SPACES.sub(" ", kept).strip()


def number_text(n: int) -> str:
    """A count as written in Vietnamese: 10100 -> "10.100" (dot between thousands)."""
    return f"{n:,}".replace(",", ".")


def decimal_text(value: float, places: int = 1, *, trailing_zeros: bool = False) -> str:
    """A decimal as written in Vietnamese: 22.5 -> "22,5" (decimal comma); 20.0 -> "20", or
    "20,0" with ``trailing_zeros``."""
    text = f"{value:.{places}f}"
    if not trailing_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def search_key(value: str | None) -> str:
    """Accent-free, case-free key: "Sơn Tịnh", "son tinh", "SƠN TỊNH" give the same key.

    Tone-mark placement does not matter ("hoà" and "hòa"), nor composed/decomposed input.
    ``đ`` becomes ``d``.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(
        c if unicodedata.category(c) not in _DROP_CATEGORIES else " " for c in stripped
    )
    return _SPACES.sub(" ", stripped.casefold()).strip()


def matches(query: str, *haystacks: str | None) -> bool:
    """True when every word of ``query`` appears (accent-insensitively) in one of the texts."""
    words = search_key(query).split()
    if not words:
        return True
    joined = " ".join(search_key(h) for h in haystacks if h)
    return all(w in joined for w in words)


# --- Vietnamese collation --------------------------------------------------------------------
# Base letters in Vietnamese alphabetical order. Letters outside it (f, j, w, z, digits…) sort
# by code point after being mapped into gaps of the same scale.
_ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tones, in the order of Vietnamese dictionaries: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_MARKS = {
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}
# Marks that make a new base letter (ă â ê ô ơ ư), applied before tones are considered.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _letters(word: str) -> list[tuple[str, int]]:
    """Split ``word`` into (base letter, tone) pairs, base letters with their shape marks."""
    result: list[tuple[str, int]] = []
    for ch in word:
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0]
        shape = "".join(m for m in decomposed[1:] if m in _LETTER_MARKS)
        tone = next((_TONE_MARKS[m] for m in decomposed[1:] if m in _TONE_MARKS), 0)
        letter = unicodedata.normalize("NFC", base + shape) if shape else base
        result.append((letter, tone))
    return result


def sort_key(value: str | None) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """Key for sorting in Vietnamese alphabetical order (a ă â b c d đ e ê … ; Đ after D).

    Compare letters first (ignoring tones and case), then tones, then the exact text, as
    Vietnamese dictionaries do.
    """
    text = nfc(value or "").casefold()
    letters = _letters(text)
    primary: list[int] = []
    tones: list[int] = []
    for letter, tone in letters:
        rank = _LETTER_RANK.get(letter)
        if rank is not None:
            primary.append(1000 + rank)
        elif letter.isdigit():
            primary.append(100 + int(letter) if letter.isascii() else 200)
        elif letter.isspace():
            primary.append(1)
        elif letter.isalpha():
            primary.append(2000 + ord(letter))
        else:
            primary.append(10 + (ord(letter) % 80))
        tones.append(tone)
    return tuple(primary), tuple(tones), text
