"""The extractor against hand-checked gold facts (a copy of ../shared/gold): recall and precision of
v_quantities for three chapters, and every numeric cell of both appendix tables."""
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLD = HERE / "data" / "gold"


def score(warehouse: Path) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "score_quantities.py"), str(warehouse),
                          str(GOLD / "dev_facts.jsonl"), "--tables", str(GOLD / "dev_tables.jsonl"), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_recall_and_precision_on_gold_chapters(report_warehouse):
    s = score(report_warehouse)
    assert s["recall"] >= 0.99, s
    assert s["precision"] >= 0.99, s


def test_every_appendix_table_cell_found(report_warehouse):
    assert score(report_warehouse)["table_recall"] == 1.0
