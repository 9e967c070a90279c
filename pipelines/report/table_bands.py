"""The text printed around a table: the band above it (title, 單位 line, 製表日期) and the lines
right under it (註 / 說明 / 資料來源 notes).  Pure over text-line dicts (text, x0, x1, top, bottom).
"""
from __future__ import annotations

from collections.abc import Sequence

from .table_read import MARKER, note_start, opens_other, squash

# The band above a table holds at most this many lines (a title, a date line, a unit line...).
MAX_ABOVE = 6
MAX_BELOW = 8
# Consecutive lines of one band are at most this many line heights apart.
BAND_GAP = 2.5
# A line of a note continues it when it is at most this many line heights under the line before
# (more white space: a paragraph of its own), and not in a larger type than the note's first line.
NOTE_GAP = 1.2
NOTE_TYPE = 1.15
# A line beside the table's right edge (a unit or date line at the page's right margin) has at most
# this many characters.
MARGIN_CHARS = 24


def _overlaps(ln: dict, bbox) -> bool:
    return ln["x0"] < bbox[2] and ln["x1"] > bbox[0]


def _at_right_margin(ln: dict, bbox, text_lines: Sequence[dict]) -> bool:
    """A short line standing right of the table's middle and reaching its right edge or beyond (a
    unit or date line printed at the page's right margin), with white space beside the table on that
    side: text printed there would make it the start of another column's text."""
    if ln["x0"] < (bbox[0] + bbox[2]) / 2 or ln["x1"] < bbox[2] - 1 or len(squash(ln["text"])) > MARGIN_CHARS:
        return False
    return not any(o["x0"] >= bbox[2] - 1 and o["top"] < bbox[3] and o["bottom"] > bbox[1] for o in text_lines)


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
             and (_overlaps(ln, bbox) or _at_right_margin(ln, bbox, text_lines)) and not _inside_any(ln, boxes)]
    cands.sort(key=lambda ln: -ln["bottom"])
    return tuple(ln["text"].strip() for ln in reversed(_walk(cands, bbox[1], True, MAX_ABOVE)))


def band_below(text_lines: Sequence[dict], bbox, boxes) -> tuple[str, ...]:
    """The lines right under the table, top first, up to the next table."""
    ceil = min((b[1] for b in boxes if b is not bbox and b[1] >= bbox[3] - 1), default=1e9)
    cands = [ln for ln in text_lines if ln["top"] >= bbox[3] - 1 and ln["bottom"] <= ceil + 0.5
             and _overlaps(ln, bbox) and not _inside_any(ln, boxes)]
    cands.sort(key=lambda ln: ln["top"])
    return tuple(ln["text"].strip() for ln in _walk_below(cands, bbox[3], ceil))


def _heading(text: str) -> bool:
    """A note word alone on its line (說明：, 註：): the items of the note follow, numbered."""
    return MARKER.sub("", squash(text), count=1).rstrip(":：") in {squash(w) for w in ("註", "附註", "說明", "備註")}


def _walk_below(cands: list[dict], bottom: float, ceil: float) -> list[dict]:
    """The lines under a table that are its own, top first: lines printed right under it (within
    BAND_GAP line heights of the one before), and its notes.  A note (註：, 一、說明：…) may start after
    any white space when nothing stands between; its lines then follow at most NOTE_GAP line heights
    apart, in no larger type, numbered lines only as its items (after 說明： or an item); another note
    (資料來源：) may follow within BAND_GAP.  Stops at a prose paragraph and at a line opening a table
    or a unit line (the next table's; a title right under this table, nearer it than the next, is
    kept as its title)."""
    picked: list[dict] = []
    edge, note, pitch, items = bottom, None, None, False
    for ln in cands:
        height = max(ln["bottom"] - ln["top"], 1.0)
        gap = ln["top"] - edge
        text = ln["text"]
        numbered = bool(MARKER.match(squash(text)))
        if opens_other(text):
            if picked or gap > BAND_GAP * height or ceil - ln["bottom"] <= gap:
                break
        elif note is None:
            if note_start(text) and (not picked or gap <= BAND_GAP * height):
                note = ln
            elif numbered or gap > BAND_GAP * height:
                break  # a prose paragraph, or white space: what follows is not this table's
        else:
            h0 = max(note["bottom"] - note["top"], 1.0)
            if note_start(text):
                if gap > BAND_GAP * h0:
                    break
            else:
                limit = NOTE_GAP * h0 if pitch is None else min(NOTE_GAP * h0, pitch + 0.5 * h0)
                if gap > limit or height > NOTE_TYPE * h0 or (numbered and not items):
                    break
                pitch = gap if pitch is None else pitch
        if note is not None:
            items = _heading(text) or numbered
        picked.append(ln)
        edge = max(edge, ln["bottom"])
        if len(picked) >= MAX_BELOW:
            break
    return picked
