"""Text normalisation that keeps a map back to the text as written."""
from __future__ import annotations

import unicodedata


def nfkc_with_map(raw: str) -> tuple[str, list[int]]:
    """NFKC per character: returns (normalised, offsets) where offsets[i] is the index in `raw`
    of the character that produced normalised[i]. Full-width digits, ％ and （） become ASCII;
    compatibility ideographs become their unified forms."""
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(raw):
        n = unicodedata.normalize("NFKC", ch) if ord(ch) > 0x7F else ch
        out.append(n)
        offsets.extend([i] * len(n))
    return "".join(out), offsets


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """Text without any whitespace: how headers like '工 業' and titles like '工業' compare."""
    return "".join(nfkc(text).split())
