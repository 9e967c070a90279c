"""The warehouse's schema version, and the upgrade of an older warehouse in place.

* `sql/ddl/*.sql` is the current schema, one file per table or view with its COMMENT ONs: a new
  (empty) warehouse is made from it and stamped with `SCHEMA_VERSION`.
* `sql/migrations/NNN_what.sql` takes a warehouse from version NNN-1 to NNN (tables only). Version
  1 is the schema of the warehouses made before versions were stored (no `schema_version` table).
* An upgrade runs in one transaction: the views are dropped, the migrations run in order (each
  recorded in `schema_version`), the tables are compared with the ones `sql/ddl` makes, and the
  views and every comment are made again from `sql/ddl` (they hold no data). Any failure rolls all
  of it back and raises `SchemaVersionError`: a warehouse is never left half-changed.
* A warehouse newer than this code, or one that cannot be upgraded, is refused with a one-line
  message saying its version, the version this code needs and what to do.

To change the schema: edit `sql/ddl`, add `sql/migrations/<SCHEMA_VERSION + 1>_<what>.sql` doing
the same to an existing warehouse's tables (only a comment line for a view or comment change), bump
`SCHEMA_VERSION`, and record the new digest in tests/test_migrations.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

SCHEMA_VERSION = 4
SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
DDL_DIR = SQL_DIR / "ddl"
MIGRATIONS_DIR = SQL_DIR / "migrations"
VERSION_TABLE = "schema_version"
# A warehouse without a version table that has one of these was made by schema version 1.
_V1_TABLES = ("dim_report", "fact_quantity", "dq_results")
_LEADING_COMMENTS = r"^\s*(?:--[^\n]*\n\s*)*"
_CREATE_TABLE = re.compile(_LEADING_COMMENTS + r"CREATE\s+TABLE\b", re.IGNORECASE)
_CREATE_VIEW = re.compile(_LEADING_COMMENTS + r"CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(\w+)", re.IGNORECASE)


class SchemaVersionError(RuntimeError):
    """The warehouse's schema is not one this code can use or upgrade (nothing was changed)."""


def _statements(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    return [s.query for s in con.extract_statements(path.read_text(encoding="utf-8"))]


def ddl_files() -> list[Path]:
    return sorted(DDL_DIR.glob("*.sql"))


def migration_files() -> dict[int, Path]:
    """{version it upgrades to: file}, from the file names' numbers."""
    return {int(p.name.split("_", 1)[0]): p for p in sorted(MIGRATIONS_DIR.glob("[0-9]*_*.sql"))}


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The warehouse's schema version: 0 when empty, 1 when made before versions were stored."""
    names = {n for n, in con.execute("SELECT table_name FROM duckdb_tables() "
                                     "WHERE database_name = current_database() AND schema_name = 'main'"
                                     ).fetchall()}
    if VERSION_TABLE in names:
        version = con.execute(f"SELECT max(version) FROM {VERSION_TABLE}").fetchone()[0]
        return int(version or 0)
    return 1 if names & set(_V1_TABLES) else 0


def _where(con) -> str:
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                       ).fetchone()[0]
    return path or "the in-memory warehouse"


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Make an empty warehouse, upgrade an older one, or refuse one this code cannot use."""
    version = schema_version(con)
    if version == SCHEMA_VERSION:
        return
    _refuse_if_unusable(con, version)
    con.execute("BEGIN TRANSACTION")
    try:
        if version == 0:
            _create(con)
        else:
            _upgrade(con, version)
        con.execute("COMMIT")
    except Exception as exc:
        _rollback(con)
        if version == 0:
            raise
        raise SchemaVersionError(
            f"{_where(con)} has schema version {version} and could not be upgraded to {SCHEMA_VERSION} "
            f"({_first_line(exc)}); it is unchanged: remove it (the next run rebuilds every report from raw/) "
            "or fix the migration") from exc
    except BaseException:
        _rollback(con)
        raise


def _refuse_if_unusable(con, version: int) -> None:
    """Before anything is written: a newer warehouse, a read-only one, a step with no migration."""
    where = _where(con)
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{where} has schema version {version}, newer than the {SCHEMA_VERSION} this code knows: it was "
            "written by a newer checkout of this project; update this one (git pull) or use another "
            "--warehouse (nothing was changed)")
    if version and _is_read_only(con):
        raise SchemaVersionError(
            f"{where} has schema version {version} and this code needs {SCHEMA_VERSION}, but it is open "
            "read-only: run `python -m pipelines run` once to upgrade it (nothing was changed)")
    missing = [v for v in range(version + 1, SCHEMA_VERSION + 1) if version and v not in migration_files()]
    if missing:
        raise SchemaVersionError(
            f"{where} has schema version {version} and this code needs {SCHEMA_VERSION}, but "
            f"{MIGRATIONS_DIR} has no migration to version {missing[0]} (nothing was changed)")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _is_read_only(con) -> bool:
    return bool(con.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
                            ).fetchone()[0])


def _rollback(con) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # DuckDB already aborted the transaction


def _create(con) -> None:
    for path in ddl_files():
        for sql in _statements(con, path):
            con.execute(sql)
    con.execute(f"INSERT INTO {VERSION_TABLE} VALUES (?, ?)", [SCHEMA_VERSION, "created from sql/ddl"])


def _upgrade(con, version: int) -> None:
    """Inside the caller's transaction: from `version` to SCHEMA_VERSION."""
    steps = migration_files()
    ddl = [sql for path in ddl_files() for sql in _statements(con, path)]
    for sql in ddl:  # views hold no data: dropped now, made again from sql/ddl below
        view = _CREATE_VIEW.match(sql)
        if view:
            con.execute(f"DROP VIEW IF EXISTS {view.group(1)}")
    for step in range(version + 1, SCHEMA_VERSION + 1):
        try:
            for sql in _statements(con, steps[step]):
                con.execute(sql)
        except duckdb.Error as exc:
            raise RuntimeError(f"{steps[step].name}: {_first_line(exc)}") from exc
        con.execute(f"INSERT INTO {VERSION_TABLE} VALUES (?, ?)",
                    [step, f"upgraded by sql/migrations/{steps[step].name}"])
    _check_tables_match_ddl(con)
    for sql in ddl:
        if not _CREATE_TABLE.match(sql):
            con.execute(sql)  # views and comments


def _columns(con, tables: list[str] | None = None) -> dict[str, dict[str, str]]:
    rows = con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns() "
                       "WHERE database_name = current_database() AND schema_name = 'main' AND table_name IN "
                       "(SELECT table_name FROM duckdb_tables() WHERE database_name = current_database())"
                       ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for table, column, dtype in rows:
        if tables is None or table in tables:
            out.setdefault(table, {})[column] = dtype
    return out


def _check_tables_match_ddl(con) -> None:
    """Every table sql/ddl makes is there with the same columns and types (order and constraints
    aside: a version-1 warehouse may have gained columns at the end)."""
    scratch = duckdb.connect()
    try:
        for path in ddl_files():
            for sql in _statements(scratch, path):
                scratch.execute(sql)
        wanted = _columns(scratch)
    finally:
        scratch.close()
    have = _columns(con, list(wanted))
    for table, columns in wanted.items():
        if table not in have:
            raise RuntimeError(f"table {table} is missing after the migrations")
        for column, dtype in columns.items():
            if have[table].get(column) != dtype:
                found = have[table].get(column, "no such column")
                raise RuntimeError(f"{table}.{column} should be {dtype} after the migrations, found {found}")
