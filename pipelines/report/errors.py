"""Errors that stop one report, with a reason a user can act on."""
from __future__ import annotations


class BadReportError(Exception):
    """A report file that cannot be processed. `reason` is the short words shown to the user."""

    def __init__(self, path: str, reason: str, detail: str = ""):
        self.path = path
        self.reason = reason
        self.detail = detail
        super().__init__(f"{path}: {reason}" + (f" ({detail})" if detail else ""))


NOT_A_PDF = "not a PDF"
MISSING = "file not found: it was moved or deleted"
EMPTY = "empty file: 0 bytes, not a PDF"
ENCRYPTED = "encrypted: a password is needed"
DAMAGED = "truncated or damaged PDF"
NO_TEXT = "no text layer: the PDF is a scan; OCR it first"
NOT_A_REPORT = "not a government report or table: no chapter headings (壹、貳、…) and no tables found"
NOT_CHINESE = "not a Chinese-language document: its text is mostly Latin letters"
SIMPLIFIED = "not a Traditional-Chinese document: its text is written in simplified characters"
