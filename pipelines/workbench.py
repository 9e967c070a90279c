"""The analyst's commands over a loaded warehouse: `query NAME` (the questions in sql/analysis)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = REPO / "warehouse" / "report.duckdb"


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register this module's subcommands; each sets `func`, called with the parsed args."""
    p_q = sub.add_parser("query", help="print the result of sql/analysis/NAME.sql")
    p_q.add_argument("name", nargs="?")
    p_q.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    p_q.set_defaults(func=_cmd_query)


def _cmd_query(args) -> int:
    from . import warehouse as wh

    queries = sorted((wh.SQL_DIR / "analysis").glob("*.sql"))
    if not args.name:
        for q in queries:
            print(f"{q.stem:40s} {q.read_text(encoding='utf-8').splitlines()[0].lstrip('- ')}")
        return 0
    match = [q for q in queries if q.stem == args.name or q.stem.split("_", 1)[-1] == args.name]
    if not match:
        print(f"error: no query {args.name!r} in sql/analysis (run without a name to list them)", file=sys.stderr)
        return 1
    import pandas as pd

    with wh.connect(args.warehouse.resolve(), read_only=True) as con:
        df = con.execute(match[0].read_text(encoding="utf-8")).df()
    with pd.option_context("display.max_rows", 200, "display.max_columns", 20, "display.width", 200):
        print(df.to_string(index=False))
    return 0
