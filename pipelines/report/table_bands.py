"""The text printed around a table: the band above it (title, 單位 line, 製表日期) and the lines
right under it (註 / 說明 / 資料來源 notes).  Pure over text-line dicts (text, x0, x1, top, bottom).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

# The band above a table holds at most this many lines (a title, a date line, a unit line...).
MAX_ABOVE = 6
MAX_BELOW = 8
# Consecutive lines of one band are at most this many line heights apart.
BAND_GAP = 2.5
# A note may stand at the foot of the page, far below a table's last row, with nothing between.
NOTE_START = re.compile(r"^\s*(註|附\s*註|說\s*明|資料來源|備\s*註|Notes?\b|Sources?\b)")


def _overlaps(ln: dict, bbox) -> bool:
    return ln["x0"] < bbox[2] and ln["x1"] > bbox[0]


def _inside_any(ln: dict, boxes) -> bool:
    cx, cy = (ln["x0"] + ln["x1"]) / 2, (ln["top"] + ln["bottom"]) / 2
    return any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)


def _walk(lines: list[dict], start: float, upward: bool, limit: int) -> list[dict]:
    """Lines from `start` outwards while each is within BAND_GAP line heights of the previous."""
    picked: list[dict] = []
    edge = start
    for ln in lines:
        height = max(ln["bottom"] - ln["top"], 1.0)
        gap = edge - ln["bottom"] if upward else ln["top"] - edge
        if gap > BAND_GAP * height:
            break
        picked.append(ln)
        edge = min(edge, ln["top"]) if upward else max(edge, ln["bottom"])
        if len(picked) >= limit:
            break
    return picked


def band_above(text_lines: Sequence[dict], bbox, boxes) -> tuple[str, ...]:
    """The lines above the table (nearest within BAND_GAP, then each next one), top first.
    Stops at another table above."""
    floor = max((b[3] for b in boxes if b is not bbox and b[3] <= bbox[1] + 1), default=0.0)
    cands = [ln for ln in text_lines if ln["bottom"] <= bbox[1] + 1 and ln["top"] >= floor - 0.5
             and _overlaps(ln, bbox) and not _inside_any(ln, boxes)]
    cands.sort(key=lambda ln: -ln["bottom"])
    return tuple(ln["text"].strip() for ln in reversed(_walk(cands, bbox[1], True, MAX_ABOVE)))


def band_below(text_lines: Sequence[dict], bbox, boxes) -> tuple[str, ...]:
    """The lines right under the table, top first, up to the next table."""
    ceil = min((b[1] for b in boxes if b is not bbox and b[1] >= bbox[3] - 1), default=1e9)
    cands = [ln for ln in text_lines if ln["top"] >= bbox[3] - 1 and ln["bottom"] <= ceil + 0.5
             and _overlaps(ln, bbox) and not _inside_any(ln, boxes)]
    cands.sort(key=lambda ln: ln["top"])
    if cands and NOTE_START.match(cands[0]["text"]):
        return tuple(ln["text"].strip() for ln in _walk(cands, cands[0]["top"], False, MAX_BELOW))
    return tuple(ln["text"].strip() for ln in _walk(cands, bbox[3], False, MAX_BELOW))
