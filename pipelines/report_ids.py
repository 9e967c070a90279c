"""Report ids from file names, and the one listing of a raw folder that every caller shares (the
CLI's `run`, its "kept" hint and `drop`, the raw-folder sensor, `ReportFiles.pdf_path`).

A report id names cache folders, Dagster partitions and rows, and is printed inside suggested shell
commands, so it is never taken from a file name as it stands: the file's stem is the id only when
it matches SAFE_ID (letters, digits, `_`, `-`, single dots inside; a letter or digit first), else a
slug of it is. The original name stays in `dim_report.file_name`.

Only regular files (or symlinks to one) are ever opened: a FIFO named x.pdf would block the reader
forever, and a folder or device is no report. The type is read with os.stat, never open().

Plain Python, no Dagster: the no-op check and the sensor import it cheaply.
"""
from __future__ import annotations

import hashlib
import os
import re
import shlex
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# \w is Unicode-aware: 經濟部-101年 is a safe id. No path separators, control characters, spaces,
# quotes or shell metacharacters can match; a leading "-" would read as a command-line option.
SAFE_ID = re.compile(r"[^\W_](?:[\w-]|\.(?!\.))*")
MAX_ID_CHARS = 100  # ids name folders; a file name may be 255 bytes
SUFFIX = ".pdf"


def is_safe_id(text: str) -> bool:
    return (len(text) <= MAX_ID_CHARS and SAFE_ID.fullmatch(text) is not None
            and not text.endswith(".") and unicodedata.normalize("NFC", text) == text)


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def slug(stem: str) -> str:
    """A safe id for any stem: each run of unsafe characters becomes one "-"; an empty result
    takes a short hash of the stem (stable from run to run), an over-long one is cut and hashed."""
    text = unicodedata.normalize("NFC", stem.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    text = re.sub(r"[^\w.-]+", "-", text)
    text = re.sub(r"-{2,}", "-", re.sub(r"\.{2,}", ".", text)).strip(".-_")
    if len(text) > MAX_ID_CHARS:
        text = text[:MAX_ID_CHARS - 9].rstrip(".-_") + "-" + _short_hash(stem)
    return text if text and is_safe_id(text) else "report-" + _short_hash(stem)


def report_id_of(file_name: str) -> str:
    """The report id of a file named `<stem>.pdf` (the suffix in any case)."""
    stem = file_name[:-len(SUFFIX)] if file_name.lower().endswith(SUFFIX) else file_name
    return stem if is_safe_id(stem) else slug(stem)


def quote(report_id: str) -> str:
    """A report id as it is printed inside a suggested shell command."""
    return shlex.quote(report_id)


def shown(name: str) -> str:
    """A file name as printed on one line: control characters (a newline) escaped."""
    return name if name.isprintable() else repr(name)[1:-1]


@dataclass(frozen=True)
class ReportFile:
    report_id: str
    path: Path       # the entry in the raw folder (a symlink is not resolved)
    file_name: str   # as on disk; kept in dim_report.file_name


@dataclass(frozen=True)
class Refused:
    path: Path
    reason: str
    report_id: str = ""  # the id the file would have had ("" when it has none)

    @property
    def message(self) -> str:
        return f"{shown(self.path.name)}: {self.reason}"


@dataclass(frozen=True)
class Listing:
    reports: list[ReportFile]
    refused: list[Refused]

    @property
    def ids(self) -> set[str]:
        """Every id the folder accounts for, refused files included (their rows are not orphans)."""
        return {r.report_id for r in self.reports} | {r.report_id for r in self.refused if r.report_id}

    def find(self, report_id: str) -> ReportFile | Refused | None:
        for item in (*self.reports, *self.refused):
            if item.report_id == report_id:
                return item
        return None


def file_kind(path: str | Path) -> str | None:
    """None when `path` is a regular file or a symlink to one, else why it is no report file.
    os.stat only: nothing is opened."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            return f"a symbolic link to {os.readlink(path)}, which does not exist; fix or remove the link"
        return "file not found: it was moved or deleted"
    except OSError as exc:
        return f"cannot be read ({exc.strerror}); check its permissions"
    if stat.S_ISREG(mode):
        return None
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")]
    what = next((name for test, name in kinds if test(mode)), "not a regular file")
    return f"{what}, not a PDF file: refused, not read; remove it or move it out of the folder"


def list_reports(raw_dir: str | Path) -> Listing:
    """Every `*.pdf` (any case) in `raw_dir`, sorted by id: the report files, and those refused
    with their one-line reason (not a regular file; two files with one id: both)."""
    raw_dir = Path(raw_dir)
    candidates: list[ReportFile] = []
    refused: list[Refused] = []
    with os.scandir(raw_dir) as entries:
        names = sorted(e.name for e in entries if e.name.lower().endswith(SUFFIX))
    for name in names:
        path = raw_dir / name
        rid = report_id_of(name)
        why = file_kind(path)
        if why:
            refused.append(Refused(path, why, rid))
        else:
            candidates.append(ReportFile(rid, path, name))
    by_id: dict[str, list[ReportFile]] = {}
    for c in candidates:
        by_id.setdefault(c.report_id, []).append(c)
    reports = []
    for rid, group in sorted(by_id.items()):
        if len(group) == 1:
            reports.append(group[0])
            continue
        for c in group:
            others = ", ".join(shown(o.file_name) for o in group if o is not c)
            refused.append(Refused(c.path, f"its report id {rid!r} is also the id of {others}: refused both; "
                                           "rename one of them", rid))
    return Listing(reports, sorted(refused, key=lambda r: (r.report_id, r.path.name)))
