"""Deprecated names for the extractor's fingerprint (see pipelines/fingerprint.py, the one place
that says what a stage's output depends on)."""
from __future__ import annotations

from .. import fingerprint as _fingerprint

digest = _fingerprint.digest_files
PAGES_VERSION = _fingerprint.code_version("report_pages")
EXTRACTOR_VERSION = _fingerprint.extractor_version()
