"""Reading rule files: CSV and TOML with header comments, every error naming the file and the line.

A rule file is data a newcomer edits. A mistake in it must stop the extractor at import with one
line saying where and what (``units.toml:41: factor '1,5' is not a decimal``), never be read as
something else: decimals are read from their text (never through float), keys are unique, and
every value has the type its rule needs.
"""
from __future__ import annotations

import csv
import re
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path

_DECIMAL = re.compile(r"-?\d+(?:\.\d+)?")


class RuleError(ValueError):
    """A rule file that cannot be read as its rule: ``<file>:<line>: <what is wrong>``."""

    def __init__(self, path: Path | str, line: int | None, what: str):
        where = f"{Path(path).name}:{line}" if line else Path(path).name
        super().__init__(f"rule file {where}: {what} ({path})")
        self.path, self.line, self.what = Path(path), line, what


def read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for every data row of a CSV rule file. Lines starting with '#' and blank
    lines are comments; the first other line must name exactly ``columns``. One row per line (no
    quoted line breaks); cells are stripped; every cell but the last must be non-empty."""
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in next(csv.reader([line]))]
        if header is None:
            header = cells
            if tuple(header) != columns:
                raise RuleError(path, lineno, f"header is {','.join(header)!r}, expected {','.join(columns)!r}")
            continue
        if len(cells) != len(columns):
            raise RuleError(path, lineno, f"{len(cells)} cells, expected {len(columns)} ({','.join(columns)})")
        row = dict(zip(columns, cells))
        empty = [c for c in columns[:-1] if not row[c]]
        if empty:
            raise RuleError(path, lineno, f"empty {empty[0]}")
        rows.append((lineno, row))
    if header is None:
        raise RuleError(path, None, f"no header line ({','.join(columns)})")
    return rows


class Toml:
    """A TOML rule file with the line of each key at hand, for messages about its values."""

    def __init__(self, path: Path):
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None) or _line_in_message(str(exc))
            raise RuleError(path, line, f"not valid TOML: {exc}") from None
        self._lines = self.text.splitlines()

    def line_of(self, key: str, table: str | None = None) -> int | None:
        """The line a key is written on (within its [table] when given), for error messages."""
        start = 0
        if table is not None:
            start = (self.table_line(table) or 1) - 1
        pat = re.compile(rf"^\s*(?:\"{re.escape(key)}\"|'{re.escape(key)}'|{re.escape(key)})\s*=")
        for i in range(start, len(self._lines)):
            if pat.match(self._lines[i]):
                return i + 1
            if i > start and self._lines[i].lstrip().startswith("[") and table is not None:
                break  # the next table: the key is not written in this one
        return start + 1 if table is not None else None

    def table_line(self, table: str) -> int | None:
        """The line of a table's header ``[table]`` (quoted or not)."""
        heads = {f"[{table}]", f'["{table}"]', f"['{table}']"}
        return next((i + 1 for i, ln in enumerate(self._lines) if ln.strip() in heads), None)

    def fail(self, key: str, table: str | None, what: str):
        raise RuleError(self.path, self.line_of(key, table), what)

    def table(self, name: str) -> dict:
        value = self.data.get(name)
        if not isinstance(value, dict):
            self.fail(name, None, f"[{name}] missing or not a table")
        return value

    def value(self, name: str, kind: type, table: str | None = None):
        """A top-level value (or one of a table) of the given type."""
        holder = self.data if table is None else self.table(table)
        if name not in holder:
            self.fail(name, table, f"{name} missing")
        value = holder[name]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            self.fail(name, table, f"{name} must be {kind.__name__}, not {type(value).__name__}")
        return value

    def strings(self, name: str, table: str | None = None) -> list[str]:
        """A list of non-empty, distinct strings."""
        values = self.value(name, list, table)
        seen: set[str] = set()
        for v in values:
            if not isinstance(v, str) or not v:
                self.fail(name, table, f"{name}: {v!r} is not a non-empty string")
            if v in seen:
                self.fail(name, table, f"{name}: duplicate {v!r}")
            seen.add(v)
        return values

    def string_table(self, name: str) -> dict[str, str]:
        """A [table] whose values are all non-empty strings."""
        table = self.table(name)
        for k, v in table.items():
            if not isinstance(v, str) or not v:
                self.fail(k, name, f"[{name}] {k}: {v!r} is not a non-empty string")
        return table

    def decimal(self, text, key: str, table: str | None, what: str = "factor") -> Decimal:
        return decimal_of(text, lambda msg: self.fail(key, table, f"[{table}] {key}: {msg}"), what)


def decimal_of(text, fail, what: str = "factor") -> Decimal:
    """A decimal written as a string ('0.001', '1000000'), exactly; ``fail(message)`` raises."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text):
        fail(f"{what} {text!r} is not a decimal written as a string (\"0.001\")")
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        fail(f"{what} {text!r} is not a decimal")


def _line_in_message(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None
