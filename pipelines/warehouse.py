"""DuckDB warehouse: schema from sql/ddl, one report replaced per transaction, clear lock errors."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
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
            raise WarehouseLockedError(
                f"{path} is open for writing by another process (DuckDB allows one writer): "
                "close it and run again") from exc
        raise
    try:
        yield con
    finally:
        con.close()


def ddl_statements() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((SQL_DIR / "ddl").glob("*.sql"))]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for sql in ddl_statements():
        con.execute(sql)


def loaded_fingerprint(con, report_id: str) -> tuple[str, str] | None:
    row = con.execute("SELECT sha256, extractor_version FROM dim_report WHERE report_id = ?",
                      [report_id]).fetchone()
    return (row[0], row[1]) if row else None


def replace_report(con, report_id: str, frames: dict[str, pd.DataFrame], _fail_before: str | None = None) -> None:
    """Replace every row of one report in one transaction; other reports are untouched.
    `_fail_before` names a table before whose insert a fault is injected (tests only)."""
    con.execute("BEGIN TRANSACTION")
    try:
        for table in SHARED_TABLES:
            df = frames[table]
            if len(df):
                con.register("incoming", df)
                key = "unit_key" if table == "dim_unit" else "year"
                con.execute(f"INSERT INTO {table} SELECT * FROM incoming ON CONFLICT ({key}) DO NOTHING")
                con.unregister("incoming")
        for table in REPORT_TABLES:
            con.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
        for table in REPORT_TABLES:
            if _fail_before == table:
                raise RuntimeError(f"injected fault before loading {table}")
            df = frames[table]
            if len(df):
                con.register("incoming", df)
                cols = ", ".join(f'"{c}"' for c in df.columns)
                con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM incoming")
                con.unregister("incoming")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
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
        con.execute("ROLLBACK")
        raise
    return n
