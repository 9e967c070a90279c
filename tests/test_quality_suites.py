"""The quality package's seams: pipelines.quality.suites stays light (the CLI's no-op check imports
it), what the reused outcomes depend on (quality_fingerprint), and the lists the code and the suites
share reach Great Expectations as parameters instead of being copied into the JSON."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import fingerprint
from pipelines.quality import suites
from pipelines.report.rules import mention_kinds

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("dagster", "pandas", "great_expectations")


@pytest.mark.parametrize("statement", [
    "import pipelines.quality",
    "import pipelines.quality.suites as s; s.load_suite_files(); s.quality_fingerprint('0' * 64)",
    "from pipelines.quality import SUITE_NAMES, load_suite_files, quality_fingerprint",
])
def test_suites_import_no_dagster_pandas_or_great_expectations(statement):
    code = f"import sys; {statement}; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_lazy_names_are_the_modules_own():
    import pipelines.quality as q
    from pipelines.quality import frames, outcomes, page

    assert q.pages_frame is frames.pages_frame and q.SuiteOutcome is outcomes.SuiteOutcome
    assert q.write_index is page.write_index and q.SUITES is suites.SUITES
    with pytest.raises(AttributeError):
        q.no_such_name  # noqa: B018


def test_quality_fingerprint_is_the_stages_and_the_quality_files(tmp_path):
    sha = "a" * 64
    fp = suites.quality_fingerprint(sha)
    assert fp == suites.quality_fingerprint(sha) and fp != suites.quality_fingerprint("b" * 64)
    expected = fingerprint.combine(fingerprint.stage_fingerprint("star_schema", sha),
                                   fingerprint.stage_fingerprint("report_kind", sha),
                                   fingerprint.digest_files(suites.quality_files()))
    assert fp == expected
    names = {p.name for p in suites.quality_files()}
    assert {"quantities.json", "frames.py", "runner.py", "warehouse_integrity.sql"} <= names

    # an edited suite changes it
    copy = tmp_path / "expectations"
    copy.mkdir()
    for p in suites.SUITES_DIR.glob("*.json"):
        (copy / p.name).write_bytes(p.read_bytes())
    assert suites.quality_fingerprint(sha, copy) == fp
    data = json.loads((copy / "pages.json").read_text(encoding="utf-8"))
    data["expectations"][0]["description"] += " (edited)"
    (copy / "pages.json").write_text(json.dumps(data), encoding="utf-8")
    assert suites.quality_fingerprint(sha, copy) != fp


def _kwargs(suite: str, name: str) -> dict:
    spec = suites.load_suite_files()[suite]
    return next(e["kwargs"] for e in spec.expectations if e["meta"]["name"] == name)


def test_the_mention_kinds_reach_the_suites_as_parameters_from_the_one_list():
    from pipelines.quality import frames

    assert _kwargs("number_mention", "kind_known")["value_set"] == {"$PARAMETER": "mention_kinds"}
    assert _kwargs("number_reconciliation", "explanation_known")["value_set"] == {"$PARAMETER": "explanations"}
    assert frames.explanations() == ["quantity", *mention_kinds(), "unaccounted"]
    # no suite file lists a kind by hand any more ('bare' alone, in the share expectations, is a value)
    for spec in suites.load_suite_files().values():
        for e in spec.expectations:
            values = e["kwargs"].get("value_set")
            if isinstance(values, list) and len(values) > 2:
                assert not set(values) & set(mention_kinds()), (spec.name, e["meta"]["name"])


def test_a_mention_kind_the_rules_do_not_list_fails_the_suite():
    """'name' was listed in the JSON but never produced: the suite now accepts exactly the rules'.
    (NumberMention itself refuses such a kind, so the frame is written by hand.)"""
    import pandas as pd

    from pipelines.quality.frames import Frame, explanations
    from pipelines.quality.runner import GxRunner

    rows = [{"digits": "12", "explanation": "quantity", "page_index": 0, "section_id": 1, "paragraph_id": 1},
            {"digits": "3", "explanation": "name", "page_index": 0, "section_id": 1, "paragraph_id": 1}]
    df = pd.DataFrame(rows, index=pd.Index(["p1: 12 家", "p1: 3 號"], dtype=object, name="row"))
    outcome = GxRunner.ephemeral().run("number_reconciliation", Frame(df, {"explanations": explanations()}))
    assert not outcome.result("explanation_known").success
    assert outcome.result("explanation_known").sample == ("p1: 3 號: name",)
