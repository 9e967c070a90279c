"""The one fingerprint: what invalidates a stage's stored output, and what never does."""
import shutil

import pytest

from pipelines import fingerprint

SHA = "0" * 64


@pytest.fixture()
def relocated(tmp_path, monkeypatch):
    """pipelines/report and sql/seeds copied to a tmp folder, the fingerprint pointed at the copy."""
    report = tmp_path / "pipelines" / "report"
    shutil.copytree(fingerprint.REPORT, report, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(fingerprint.REPO / "sql", tmp_path / "sql")
    monkeypatch.setattr(fingerprint, "REPORT", report)
    monkeypatch.setattr(fingerprint, "REPO", tmp_path)
    monkeypatch.setattr(fingerprint, "RULES_DIRS", tuple(report / d.name for d in fingerprint.RULES_DIRS))
    _clear()
    yield report
    _clear()


def _clear():
    fingerprint.code_version.cache_clear()
    fingerprint._lineage.cache_clear()


def _all() -> dict[str, str]:
    _clear()
    return {s: fingerprint.stage_fingerprint(s, SHA) for s in fingerprint.STAGES}


def _users_of(stage_files: set) -> set[str]:
    """Stages whose own sources, or whose upstream stages' sources, include one of these files."""
    direct = {s for s in fingerprint.STAGES if stage_files & set(fingerprint.stage_sources(s))}
    changed = set(direct)
    while True:
        more = {s for s, spec in fingerprint.STAGES.items() if set(spec.upstream) & changed} - changed
        if not more:
            return changed
        changed |= more


def test_no_asset_resource_or_cli_code_is_part_of_any_fingerprint():
    """Editing an asset's metadata, a resource or the CLI never throws parsed pages away."""
    outside = [p for s in fingerprint.STAGES for p in fingerprint.stage_sources(s)
               if fingerprint.REPORT not in p.parents and p.suffix == ".py"]
    assert outside == []


def _touch_rule(stem: str):
    path = fingerprint.rule_file(stem)
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("stem", ["units", "classifiers", "years", "outline_words", "table_words", "scripts",
                                  "report_identity"])
def test_editing_a_rule_file_invalidates_exactly_the_stages_that_read_it(relocated, stem):
    before = _all()
    path = _touch_rule(stem)
    after = _all()
    assert {s for s in before if before[s] != after[s]} == _users_of({path})


def test_editing_the_classifiers_reparses_quantities_only(relocated):
    before = _all()
    _touch_rule("classifiers")
    after = _all()
    assert {s for s in before if before[s] != after[s]} == {"quantities", "star_schema"}


def test_editing_outline_words_leaves_pages_and_tables_alone(relocated):
    before = _all()
    _touch_rule("outline_words")
    after = _all()
    changed = {s for s in before if before[s] != after[s]}
    assert changed == {"outline_sections", "quantities", "report_kind", "star_schema"}


def test_editing_a_parsing_module_invalidates_it_and_everything_downstream(relocated):
    before = _all()
    doc = relocated / "document.py"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    after = _all()
    changed = {s for s in before if before[s] != after[s]}
    assert "report_pages" not in changed and "report_tables" not in changed
    assert {"report_document", "outline_sections", "quantities", "star_schema"} <= changed


def test_other_content_other_fingerprint_same_code_version():
    assert fingerprint.stage_fingerprint("report_pages", "a" * 64) != fingerprint.stage_fingerprint(
        "report_pages", "b" * 64)
    assert fingerprint.code_version("report_pages") == fingerprint.code_version("report_pages")


def test_every_parsing_module_and_rule_file_feeds_some_stage():
    used = {p for s in fingerprint.STAGES for p in fingerprint.stage_sources(s)}
    modules = {p for p in fingerprint.REPORT.rglob("*.py") if "__pycache__" not in p.parts}
    rules = {p for d in fingerprint.RULES_DIRS if d.is_dir() for p in d.iterdir() if p.suffix in (".toml", ".csv")}
    assert sorted(str(p) for p in (modules | rules) - used
                  if p.name not in ("__init__.py",) or p.parent.name == "rules") == []


def test_table_modules_key_the_parsed_pages():
    """Tables are found while pages are parsed, so a table rule changes the stored pages."""
    pages = set(fingerprint.stage_sources("report_pages"))
    assert set(fingerprint.REPORT.glob("table*.py")) | {fingerprint.rule_file("table_words")} <= pages
