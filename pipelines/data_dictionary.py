"""The data dictionary, read from DuckDB's catalog: every table and view of the main schema, its
columns, their types and the COMMENT ONs of sql/ddl (a missing comment prints as empty).
`python -m pipelines schema [--markdown]`; the README's data dictionary is the Markdown form."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Column:
    name: str
    data_type: str
    nullable: bool
    comment: str


@dataclass
class Relation:
    name: str
    kind: str  # table or view
    comment: str
    columns: list[Column]


def relations(con) -> list[Relation]:
    """Tables first, then views, each by name; columns in their declared order."""
    found = con.execute(
        "SELECT table_name, 'table', coalesce(comment, '') FROM duckdb_tables() "
        "WHERE schema_name = 'main' AND NOT internal AND NOT temporary "
        "UNION ALL SELECT view_name, 'view', coalesce(comment, '') FROM duckdb_views() "
        "WHERE schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY 2, 1").fetchall()
    columns: dict[str, list[Column]] = {}
    for table, name, dtype, nullable, comment in con.execute(
            "SELECT table_name, column_name, data_type, is_nullable, coalesce(comment, '') FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND NOT internal ORDER BY table_name, column_index").fetchall():
        columns.setdefault(table, []).append(Column(name, dtype, nullable, comment))
    return [Relation(name, kind, comment, columns.get(name, [])) for name, kind, comment in found]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_text(rels: list[Relation]) -> str:
    out = []
    for rel in rels:
        out.append(f"{rel.kind} {rel.name}" + (f" -- {_one_line(rel.comment)}" if rel.comment else ""))
        name_w = max((len(c.name) for c in rel.columns), default=0)
        type_w = max((len(c.data_type) + (0 if c.nullable else 9) for c in rel.columns), default=0)
        for c in rel.columns:
            dtype = c.data_type + ("" if c.nullable else " NOT NULL")
            out.append(f"    {c.name:{name_w}s}  {dtype:{type_w}s}  {_one_line(c.comment)}".rstrip())
        out.append("")
    return "\n".join(out).rstrip("\n")


def _md_cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def render_markdown(rels: list[Relation]) -> str:
    out = []
    for rel in rels:
        out += [f"#### `{rel.name}` ({rel.kind})", ""]
        if rel.comment:
            out += [_one_line(rel.comment), ""]
        out += ["| column | type | comment |", "|---|---|---|"]
        for c in rel.columns:
            dtype = c.data_type + ("" if c.nullable else " NOT NULL")
            out.append(f"| `{c.name}` | {_md_cell(dtype)} | {_md_cell(c.comment)} |")
        out.append("")
    return "\n".join(out).rstrip("\n")


def render(con, markdown: bool = False) -> str:
    rels = relations(con)
    return render_markdown(rels) if markdown else render_text(rels)
