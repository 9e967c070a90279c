"""DuckDB warehouse: one report replaced per transaction, clear lock errors. The schema (sql/ddl),
its version and the upgrade of an older warehouse are in migrations.py, re-exported here."""
from __future__ import annotations

import re
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from .migrations import SCHEMA_VERSION, SQL_DIR, SchemaVersionError, ensure_schema, schema_version

if TYPE_CHECKING:  # pandas is slow to import: keep `connect` fast for the lock check
    import pandas as pd

__all__ = ["SCHEMA_VERSION", "SQL_DIR", "SchemaVersionError", "WarehouseLockedError", "connect", "drop_report",
           "ensure_schema", "loaded_fingerprint", "replace_report", "schema_version"]

# Tables holding one report's rows; shared dimensions (units, periods) are upserted instead.
REPORT_TABLES = ("dim_report", "dim_page", "dim_section", "fact_quantity", "report_table", "table_cell",
                 "number_mention")
SHARED_TABLES = ("dim_unit", "dim_period")


class WarehouseLockedError(RuntimeError):
    pass


@contextmanager
def connect(path: str | Path, read_only: bool = False):
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            pid = re.search(r"\(PID (\d+)\)", str(exc))
            who = f"another process (PID {pid.group(1)})" if pid else "another process"
            raise WarehouseLockedError(
                f"{path} is locked: it is open in {who}, and DuckDB allows one writer at a time "
                "(nothing was written); close that process and run again") from exc
        raise
    try:
        yield con
    finally:
        con.close()


def loaded_fingerprint(con, report_id: str) -> tuple[str, str] | None:
    row = con.execute("SELECT sha256, extractor_version FROM dim_report WHERE report_id = ?",
                      [report_id]).fetchone()
    return (row[0], row[1]) if row else None


def _rollback(con) -> None:
    """Undo the open transaction; never hide the error that caused the rollback."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # no transaction left to undo (DuckDB already aborted it)


def _exact_text(df: pd.DataFrame) -> pd.DataFrame:
    """Decimal columns as plain digit strings: DuckDB infers a Decimal column's type from a sample
    (12.34 -> DECIMAL(4,2)) and then refuses larger values; text casts exactly into the DDL's DECIMAL."""
    import pandas as pd

    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and any(isinstance(v, Decimal) for v in out[col]):
            out[col] = [format(v, "f") if isinstance(v, Decimal) else (None if pd.isna(v) else v)
                        for v in out[col]]
    return out


def _insert(con, table: str, df: pd.DataFrame, on_conflict: str = "") -> None:
    if len(df):
        con.register("incoming", _exact_text(df))
        cols = ", ".join(f'"{c}"' for c in df.columns)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM incoming {on_conflict}")
        con.unregister("incoming")


def replace_report(con, report_id: str, frames: dict[str, pd.DataFrame], _fail_before: str | None = None) -> None:
    """Replace every row of one report in one transaction; other reports are untouched.
    `_fail_before` names a table (or "COMMIT") before which a fault is injected (tests only)."""

    def fault(step: str) -> None:
        if _fail_before == step:
            raise RuntimeError(f"injected fault before {step}")

    con.execute("BEGIN TRANSACTION")
    try:
        for table in SHARED_TABLES:
            fault(table)
            key = "unit_key" if table == "dim_unit" else "year"
            _insert(con, table, frames[table], f"ON CONFLICT ({key}) DO NOTHING")
        for table in REPORT_TABLES:
            con.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
        for table in REPORT_TABLES:
            fault(table)
            _insert(con, table, frames[table])
        fault("COMMIT")
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise


def drop_report(con, report_id: str) -> int:
    """Delete one report's rows (the user asked for it). Returns the number of reports removed."""
    n = con.execute("SELECT count(*) FROM dim_report WHERE report_id = ?", [report_id]).fetchone()[0]
    con.execute("BEGIN TRANSACTION")
    try:
        for table in REPORT_TABLES + ("dq_results",):
            con.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise
    return n
