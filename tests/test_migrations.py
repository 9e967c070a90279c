"""Schema versions: a new warehouse is made at SCHEMA_VERSION, an older one is upgraded in place
(rows kept, new columns and comments there), a newer one or a failed upgrade leaves the warehouse
exactly as it was. tests/data/schema_v1 is sql/ddl as it was at version 1 (commit cfebf54)."""
from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines import migrations
from pipelines import warehouse as wh

V1_DDL = Path(__file__).parent / "data" / "schema_v1"
# The digest of sql/ddl and sql/migrations at each schema version. A change to either needs a new
# migration (sql/migrations/<N>_<what>.sql, even if empty for a view or comment change) and
# SCHEMA_VERSION = N: the CLI's no-op check and existing warehouses rely on the number.
SCHEMA_DIGESTS = {2: "5f19306b3157dcd6", 3: "716862f5b3b8f89d", 4: "cf6129666964a7f7"}


def schema_digest() -> str:
    h = hashlib.sha256()
    for p in sorted(migrations.DDL_DIR.glob("*.sql")) + sorted(migrations.MIGRATIONS_DIR.glob("*.sql")):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def make_v1(path: Path) -> None:
    """A warehouse as version 1 made it, with a few rows."""
    with duckdb.connect(str(path)) as con:
        for f in sorted(V1_DDL.glob("*.sql")):
            con.execute(f.read_text(encoding="utf-8"))
        con.execute("INSERT INTO dim_report VALUES ('r', 'r.pdf', 'abc', 2, '經濟部101年施政成果', '經濟部', "
                    "'施政成果', 101, 2012, 'v1')")
        con.execute("INSERT INTO dim_page VALUES ('r:p0', 'r', 0, NULL, NULL, 'front', 16, 0), "
                    "('r:p1', 'r', 1, '1', 1, 'body', 700, 650)")
        con.execute("INSERT INTO dim_unit VALUES ('money:億美元', '億美元', 'money', 'USD', 100000000, 'USD', NULL)")
        con.execute("INSERT INTO dim_period VALUES (2012, 101)")
        con.execute("INSERT INTO fact_quantity (quantity_key, report_id, source, quantity_no, page_key, unit_key, "
                    "year, raw_text, number_text, value, quantity, context, is_cumulative, is_target, "
                    "is_approximate, comparison) VALUES ('r:text:1', 'r', 'text', 1, 'r:p1', 'money:億美元', 2012, "
                    "'2,707.' || chr(10) || '3 億美元', '2,707.3 億美元', 2707.3, 270730000000, '進口 2,707.3 億美元。', "
                    "false, false, false, NULL)")
        con.execute("INSERT INTO dq_results VALUES ('run1', 'r', 'pages', 'page_count_positive', 'ERROR', true, "
                    "'0 of 2 unexpected', 0)")


def state(path: Path) -> dict:
    """Everything a warehouse holds: its catalog (tables, views, comments) and every row."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute("SELECT table_name, sql, comment FROM duckdb_tables() ORDER BY 1").fetchall()
        out = {"tables": tables,
               "views": con.execute("SELECT view_name, sql, comment FROM duckdb_views() WHERE NOT internal "
                                    "ORDER BY 1").fetchall(),
               "columns": con.execute("SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
                                      "WHERE NOT internal ORDER BY table_name, column_index").fetchall()}
        for name, _, _ in tables:
            out[name] = con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
    return out


def catalog(con) -> dict:
    return {"tables": con.execute("SELECT table_name, sql, comment FROM duckdb_tables() ORDER BY 1").fetchall(),
            "views": con.execute("SELECT view_name, sql, comment FROM duckdb_views() WHERE NOT internal "
                                 "ORDER BY 1").fetchall(),
            "columns": con.execute("SELECT table_name, column_name, data_type, is_nullable, comment "
                                   "FROM duckdb_columns() WHERE NOT internal ORDER BY table_name, column_index"
                                   ).fetchall()}


def test_the_schema_version_is_bumped_whenever_the_ddl_or_a_migration_changes():
    assert sorted(migrations.migration_files()) == list(range(2, wh.SCHEMA_VERSION + 1))
    assert SCHEMA_DIGESTS.get(wh.SCHEMA_VERSION) == schema_digest(), (
        "sql/ddl or sql/migrations changed: add sql/migrations/<SCHEMA_VERSION + 1>_<what>.sql, bump "
        f"SCHEMA_VERSION in pipelines/migrations.py and record {schema_digest()!r} in SCHEMA_DIGESTS")


def test_a_new_warehouse_is_made_at_the_current_version_with_a_comment_on_everything():
    con = duckdb.connect()
    wh.ensure_schema(con)
    assert wh.schema_version(con) == wh.SCHEMA_VERSION
    assert con.execute("SELECT * FROM schema_version").fetchall() == [(wh.SCHEMA_VERSION, "created from sql/ddl")]
    cat = catalog(con)
    assert [t for t, _, comment in cat["tables"] + cat["views"] if not comment] == []
    assert [(t, c) for t, c, _, _, comment in cat["columns"] if not comment] == []
    wh.ensure_schema(con)  # at the current version: nothing to do
    assert catalog(con) == cat


def test_a_version_1_warehouse_is_upgraded_in_place_keeping_its_rows(tmp_path):
    db = tmp_path / "v1.duckdb"
    make_v1(db)
    before = state(db)
    with wh.connect(db) as con:
        assert wh.schema_version(con) == 1
        wh.ensure_schema(con)
    after = state(db)
    for table in ("dim_report", "dim_page", "dim_unit", "dim_period", "fact_quantity", "dq_results"):
        # columns a migration added (fact_quantity's box, version 3) come after the old ones, NULL
        kept = [row[:len(old)] for row, old in zip(after[table], before[table])]
        added = {v for row, old in zip(after[table], before[table]) for v in row[len(old):]}
        assert kept == before[table] and len(after[table]) == len(before[table]) and after[table], table
        assert added <= {None}, table
    with wh.connect(db, read_only=True) as con:
        assert wh.schema_version(con) == wh.SCHEMA_VERSION
        assert [v for v, _ in con.execute("SELECT * FROM schema_version ORDER BY 1").fetchall()] == \
            list(range(1, wh.SCHEMA_VERSION + 1))
        row = con.execute("SELECT raw_text, raw_text_flat, number_text, quantity_exact FROM v_quantities "
                          "WHERE raw_text_flat = '2,707.3 億美元'").fetchone()
        assert row == ("2,707.\n3 億美元", "2,707.3 億美元", "2,707.3 億美元", Decimal("270730000000"))
        upgraded = catalog(con)
    fresh = duckdb.connect()
    wh.ensure_schema(fresh)
    made = catalog(fresh)
    # the same tables, columns, types, constraints, views and comments as a warehouse made today
    assert upgraded["views"] == made["views"]
    assert upgraded["columns"] == made["columns"]
    assert upgraded["tables"] == made["tables"]


def test_a_warehouse_of_a_newer_version_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "new.duckdb"
    with wh.connect(db) as con:
        wh.ensure_schema(con)
        con.execute("INSERT INTO schema_version VALUES (?, 'upgraded by a newer checkout')", [wh.SCHEMA_VERSION + 1])
    before = state(db)
    with wh.connect(db) as con:
        with pytest.raises(wh.SchemaVersionError) as err:
            wh.ensure_schema(con)
    message = str(err.value)
    assert "\n" not in message
    assert f"schema version {wh.SCHEMA_VERSION + 1}" in message and f"the {wh.SCHEMA_VERSION} this code" in message
    assert "update this one" in message and "nothing was changed" in message
    assert state(db) == before


def next_migration(tmp_path: Path, monkeypatch, sql: str) -> None:
    """sql/migrations plus a next one that does `sql` (SCHEMA_VERSION raised to match)."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrations.MIGRATIONS_DIR, folder)
    nxt = wh.SCHEMA_VERSION + 1
    (folder / f"{nxt:03d}_next.sql").write_text(sql, encoding="utf-8")
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", nxt)


def test_a_migration_failing_half_way_leaves_the_warehouse_exactly_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "v1.duckdb"
    make_v1(db)
    before = state(db)
    next_migration(tmp_path, monkeypatch, "ALTER TABLE fact_quantity ADD COLUMN box_x0 DOUBLE;\n"
                                             "COMMENT ON TABLE dim_report IS 'changed';\n"
                                             "UPDATE dim_report SET title = 'changed';\n"
                                             "SELECT * FROM no_such_table;\n")
    with wh.connect(db) as con:
        with pytest.raises(wh.SchemaVersionError) as err:
            wh.ensure_schema(con)
        assert wh.schema_version(con) == 1  # the same connection goes on working
    message = str(err.value)
    assert "\n" not in message
    assert "schema version 1" in message and f"upgraded to {wh.SCHEMA_VERSION + 1}" in message
    assert "no_such_table" in message and "it is unchanged" in message
    assert state(db) == before


def test_a_warehouse_that_does_not_match_its_version_is_refused_unchanged(tmp_path):
    """Made before version 1 (a column missing): the migrations cannot make the current tables."""
    db = tmp_path / "old.duckdb"
    make_v1(db)
    with duckdb.connect(str(db)) as con:
        con.execute("ALTER TABLE fact_quantity DROP COLUMN noun")
    before = state(db)
    with wh.connect(db) as con:
        with pytest.raises(wh.SchemaVersionError, match=r"fact_quantity\.noun should be VARCHAR after the migrations, found no such column.*it is unchanged"):
            wh.ensure_schema(con)
    assert state(db) == before


def test_an_old_warehouse_opened_read_only_is_refused_with_the_remedy(tmp_path):
    db = tmp_path / "v1.duckdb"
    make_v1(db)
    with wh.connect(db, read_only=True) as con:
        with pytest.raises(wh.SchemaVersionError, match=rf"schema version 1 .* needs {wh.SCHEMA_VERSION}, but it is "
                                                        r"open read-only: run `python -m pipelines run` once"):
            wh.ensure_schema(con)


def test_the_next_migration_upgrades_a_current_warehouse_and_keeps_its_rows(tmp_path, monkeypatch):
    """How a later schema change reaches existing warehouses: a numbered file, applied once."""
    db = tmp_path / "v1.duckdb"
    make_v1(db)
    with wh.connect(db) as con:
        wh.ensure_schema(con)
    before = state(db)
    next_migration(tmp_path, monkeypatch, "-- a column for a later version\n"
                                             "ALTER TABLE fact_quantity ADD COLUMN box_x0 DOUBLE;\n")
    with wh.connect(db) as con:
        wh.ensure_schema(con)
        assert wh.schema_version(con) == wh.SCHEMA_VERSION + 1
        assert con.execute("SELECT quantity_key, box_x0 FROM fact_quantity").fetchall() == [("r:text:1", None)]
        wh.ensure_schema(con)  # applied once
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == wh.SCHEMA_VERSION + 1
    after = state(db)
    assert (after["dim_report"], after["dq_results"]) == (before["dim_report"], before["dq_results"])


def test_the_cli_refuses_a_newer_warehouse_in_one_line_and_writes_nothing(tmp_path, capsys):
    from pipelines import cli

    db = tmp_path / "warehouse" / "report.duckdb"
    with wh.connect(db) as con:
        wh.ensure_schema(con)
        con.execute("INSERT INTO schema_version VALUES (?, 'upgraded by a newer checkout')", [wh.SCHEMA_VERSION + 1])
    before = state(db)
    raw = tmp_path / "raw"
    raw.mkdir()
    for args in (["drop", "some-report", "--warehouse", str(db)],
                 ["run", "--raw-dir", str(raw), "--warehouse", str(db)]):
        capsys.readouterr()
        assert cli.main(args) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and f"schema version {wh.SCHEMA_VERSION + 1}" in err, err
    assert state(db) == before
