"""The analyst's commands over a loaded warehouse: `query NAME` (the questions in sql/analysis, on
screen or exported), `export DIR` (every table and view, one file each), `schema` (the data
dictionary) and `show QUANTITY_KEY` (a figure on its page, pipelines/figure_crop.py). All of them open the warehouse read-only and never create it."""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = REPO / "warehouse" / "report.duckdb"
QUESTIONS_DIR = REPO / "sql" / "analysis"
EXPORT_FORMATS = ("csv", "parquet", "xlsx")

# A header line declaring a parameter's default: `-- $path = 陸/五 (...)` or `-- $name = 'two words'`.
_DEFAULT_RE = re.compile(r"\$(\w+)\s*=\s*(?:'((?:[^']|'')*)'|(\S+))")
# A question's named parameters are of two kinds. `$name` is a DuckDB prepared parameter: it must be
# given (or have a header default). `getvariable('name')` is a DuckDB variable, set with SET VARIABLE:
# the SQL gives its default itself (coalesce(getvariable('path'), '陸/五')), so the file stays runnable
# as plain SQL, in the DuckDB shell and by the tests. String literals, quoted identifiers and comments
# are matched first so that a `$` inside them is not taken for a parameter.
_SQL_TOKEN_RE = re.compile(r"getvariable\s*\(\s*'(\w+)'\s*\)|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*"
                           r"|/\*.*?\*/|\$(\w+)", re.S | re.I)


class WorkbenchError(Exception):
    """A one-line message for the user (exit status 2 when it is about the warehouse, else 1)."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


@dataclass
class Question:
    name: str
    path: Path
    header: list[str]          # the leading comment lines, without `--`
    sql: str
    parameters: list[str]      # `$name`s the SQL uses, in order of first use
    variables: list[str]       # getvariable('name')s it reads
    defaults: dict[str, str] = field(default_factory=dict)  # of `$name`s, from the header

    def bind(self, given: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
        """(prepared parameters, variables) with their values: given ones over the header's defaults.
        An unknown name, or a `$name` with neither a value nor a default, is a WorkbenchError naming it."""
        takes = self.parameters + [v for v in self.variables if v not in self.parameters]
        unknown = [k for k in given if k not in takes]
        if unknown:
            raise WorkbenchError(f"{self.name} has no parameter {unknown[0]!r} (it takes: {', '.join(takes) or 'none'})")
        prepared = {k: given.get(k, self.defaults.get(k)) for k in self.parameters}
        missing = [k for k, v in prepared.items() if v is None]
        if missing:
            raise WorkbenchError(f"{self.name} needs a value for ${missing[0]}: add --param {missing[0]}=VALUE")
        return prepared, {k: v for k, v in given.items() if k in self.variables and k not in self.parameters}


def read_question(path: Path) -> Question:
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        header.append(line[2:].strip())
    tokens = list(_SQL_TOKEN_RE.finditer(text))
    variables = [m.group(1) for m in tokens if m.group(1)]
    used = [m.group(2) for m in tokens if m.group(2)]
    defaults = {}
    for line in header:
        for m in _DEFAULT_RE.finditer(line):
            defaults[m.group(1)] = m.group(2).replace("''", "'") if m.group(2) is not None else m.group(3)
    return Question(path.stem, path, header, text, list(dict.fromkeys(used)), list(dict.fromkeys(variables)),
                    defaults)


def questions(folder: Path = QUESTIONS_DIR) -> list[Question]:
    return [read_question(p) for p in sorted(folder.glob("*.sql"))]


def find_question(name: str, folder: Path = QUESTIONS_DIR) -> Question:
    """By file stem (02_money_by_chapter_indicator), stem without its number, or a path to a .sql file."""
    as_path = Path(name)
    if as_path.suffix == ".sql" and as_path.is_file():
        return read_question(as_path)
    for q in questions(folder):
        if name in (q.name, *q.name.split("_", 1)):
            return q
    raise WorkbenchError(f"no question {name!r} in {folder} (`python -m pipelines query --list` lists them)")


def list_questions(folder: Path = QUESTIONS_DIR) -> str:
    out = []
    for q in questions(folder):
        out.append(q.name)
        out += [f"    {line}" for line in q.header] or ["    (no header comment)"]
    return "\n".join(out)


def parse_params(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise WorkbenchError(f"--param {pair!r}: write it as NAME=VALUE")
        values[name.strip().lstrip("$")] = value
    return values


def require_warehouse(path: Path) -> Path:
    """The warehouse file, which these commands only read: a missing one is an error, never created."""
    path = path.resolve()
    if not path.is_file():
        raise WorkbenchError(f"no warehouse at {path}: build it first with `make run` "
                             "(or `python -m pipelines run --warehouse PATH`)", status=2)
    return path


def _select_text(sql: str) -> str:
    """The question's statement, to wrap in COPY (...): its trailing `;` removed, and a newline before
    the closing parenthesis so that a comment on the last line cannot swallow it."""
    return sql.strip().rstrip(";").rstrip() + "\n"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def copy_to(con, select_sql: str, target: Path, fmt: str, params: dict | None = None) -> None:
    """DuckDB's own COPY writes the file: decimals as their exact digits (CSV) or as DECIMAL (Parquet)."""
    options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet"
    con.execute(f"COPY (\n{_select_text(select_sql)}) TO {_sql_string(str(target))} ({options})", params or {})


def write_xlsx(columns: list[str], rows: list[tuple], target: Path, sheet: str) -> None:
    """One sheet, header row first. Excel keeps 15 significant digits: a decimal that a double holds
    exactly is written as a number, any other as its exact text, so no digit is ever lost."""
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    ws = book.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "result")  # Excel's sheet-name rules
    ws.append(columns)
    for row in rows:
        out = []
        for value in row:
            if isinstance(value, Decimal):
                as_float = float(value)
                if Decimal(repr(as_float)) == value and len(value.normalize().as_tuple().digits) <= 15:
                    cell = WriteOnlyCell(ws, value=as_float)
                    cell.number_format = "#,##0" if value == value.to_integral_value() else "#,##0.0#####"
                    value = cell
                else:
                    value = format(value, "f")
            out.append(value)
        ws.append(out)
    book.save(target)


def export_format(args) -> str | None:
    fmt = next((f for f in EXPORT_FORMATS if getattr(args, f)), None)
    if fmt is None and args.output is not None:
        fmt = args.output.suffix.lstrip(".").lower()
        if fmt not in EXPORT_FORMATS:
            raise WorkbenchError(f"-o {args.output}: say --csv, --parquet or --xlsx "
                                 "(or end the file name in .csv, .parquet or .xlsx)")
    if fmt is not None and args.output is None:
        raise WorkbenchError(f"--{fmt} needs -o FILE")
    return fmt


def run_query(args) -> int:
    from . import screen_table
    from . import warehouse as wh

    question = find_question(args.name)
    values, variables = question.bind(parse_params(args.param))
    fmt = export_format(args)
    path = require_warehouse(args.warehouse)
    with wh.connect(path, read_only=True) as con:
        for name, value in variables.items():
            con.execute(f'SET VARIABLE "{name}" = ?', [value])
        if fmt in ("csv", "parquet"):
            args.output.parent.mkdir(parents=True, exist_ok=True)
            copy_to(con, question.sql, args.output, fmt, values)
        else:
            result = con.execute(question.sql, values)
            columns = [d[0] for d in result.description]
            types = [str(d[1]) for d in result.description]
            rows = result.fetchall()
    if fmt == "xlsx":
        args.output.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(columns, rows, args.output, question.name)
    if fmt:
        print(f"wrote {args.output} ({fmt}) from {question.name}")
    else:
        print(screen_table.render(columns, types, rows))
    return 0


def warehouse_objects(con) -> list[tuple[str, str]]:
    """(name, 'table' | 'view') of every user table and view of the main schema, by name."""
    return con.execute(
        "SELECT table_name, 'table' FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal "
        "AND NOT temporary UNION ALL SELECT view_name, 'view' FROM duckdb_views() "
        "WHERE schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY 1").fetchall()


def run_export(args) -> int:
    from . import warehouse as wh

    path = require_warehouse(args.warehouse)
    folder = args.dir.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    with wh.connect(path, read_only=True) as con:
        objects = warehouse_objects(con)
        for name, kind in objects:
            target = folder / f"{name}.{args.format}"
            copy_to(con, f'SELECT * FROM "{name}"', target, args.format)
            n, = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            print(f"  {kind:5s} {name:20s} {n:7d} rows -> {target}")
    print(f"exported {len(objects)} tables and views of {path} to {folder} ({args.format})")
    return 0


def run_schema(args) -> int:
    import duckdb

    from . import data_dictionary
    from . import warehouse as wh

    if args.from_ddl:
        con = duckdb.connect()
        try:
            wh.ensure_schema(con)
            print(data_dictionary.render(con, markdown=args.markdown))
        finally:
            con.close()
        return 0
    with wh.connect(require_warehouse(args.warehouse), read_only=True) as con:
        print(data_dictionary.render(con, markdown=args.markdown))
    return 0


def _guarded(command):
    def run(args) -> int:
        try:
            return command(args)
        except WorkbenchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return exc.status
    return run


def _query_epilog() -> str:
    try:
        return "questions (sql/analysis):\n" + list_questions()
    except OSError as exc:  # the help must print even if a question file cannot be read
        return f"(the questions in {QUESTIONS_DIR} cannot be listed: {exc})"


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register this module's subcommands; each sets `func`, called with the parsed args."""
    p_q = sub.add_parser("query", help="print or export the result of one question of sql/analysis",
                         description="Run one question (sql/analysis/NAME.sql, or a path to a .sql file): "
                                     "print it, or export it with --csv/--parquet/--xlsx -o FILE.",
                         epilog=_query_epilog(), formatter_class=argparse.RawDescriptionHelpFormatter)
    p_q.add_argument("name", nargs="?", help="the question (02_money_by_chapter_indicator or "
                                             "money_by_chapter_indicator); none lists them")
    p_q.add_argument("--list", action="store_true", help="list the questions with their header comments")
    p_q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                     help="a value for the question's $NAME (repeatable)")
    fmt = p_q.add_mutually_exclusive_group()
    for f in EXPORT_FORMATS:
        fmt.add_argument(f"--{f}", action="store_true", help=f"export as {f} (needs -o FILE)")
    p_q.add_argument("-o", "--output", type=Path, metavar="FILE", help="the export file")
    p_q.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    p_q.set_defaults(func=_guarded(_cmd_query))

    p_e = sub.add_parser("export", help="write every warehouse table and view to DIR, one file each")
    p_e.add_argument("dir", type=Path, help="the folder to write TABLE.parquet (or .csv) into; made if missing")
    p_e.add_argument("--format", choices=("parquet", "csv"), default="parquet",
                     help="parquet keeps every type (DECIMAL included); csv writes a decimal's exact digits")
    p_e.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    p_e.set_defaults(func=_guarded(run_export))

    p_s = sub.add_parser("schema", help="print the data dictionary: tables, views, columns, types, comments")
    p_s.add_argument("--markdown", action="store_true", help="as Markdown (the README's data dictionary)")
    p_s.add_argument("--from-ddl", action="store_true",
                     help="the dictionary of sql/ddl itself, from an in-memory database (no warehouse needed)")
    p_s.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    p_s.set_defaults(func=_guarded(run_schema))

    p_w = sub.add_parser("show", help="draw one figure on its page (a PNG) and print its sentence, path and unit",
                         description="Render the page region of QUANTITY_KEY (v_quantities.quantity_key) with "
                                     "its box outlined, write it as a PNG and print its sentence, section path, "
                                     "printed and PDF page, and its conversion to the base unit (exact).")
    p_w.add_argument("quantity_key", help="e.g. moea-101-achievements:text:12")
    p_w.add_argument("-o", "--output", type=Path, metavar="FILE.png",
                     help="the PNG to write (default: QUANTITY_KEY.png, made file-safe, in this folder)")
    p_w.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    p_w.add_argument("--raw-dir", type=Path, default=REPO / "raw", help="the folder of the report PDFs")
    p_w.set_defaults(func=_guarded(_cmd_show))


def _cmd_show(args) -> int:
    from .figure_crop import run_show

    return run_show(args)


def _cmd_query(args) -> int:
    if args.list or not args.name:
        print(list_questions())
        return 0
    return run_query(args)
