"""The expectation suites: which exist, which asset each validates, and loading their JSON files.

Also `quality_fingerprint`, what a suite's outcome depends on (the reuse of outcomes and the CLI's
no-op check key on it).

No Dagster, pandas or Great Expectations import here: the CLI's no-op check imports this module.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import fingerprint

PACKAGE = Path(__file__).resolve().parent
REPO = PACKAGE.parent.parent
SUITES_DIR = REPO / "expectations"
CHECKS_SQL_DIR = REPO / "sql" / "checks"

# Every suite, in pipeline order, with the asset whose output it validates.
SUITES: tuple[tuple[str, str], ...] = (
    ("pages", "report_pages"),
    ("contents", "outline_sections"),
    ("outline", "outline_sections"),
    ("quantities", "quantities"),
    ("number_reconciliation", "quantities"),
    ("tables", "report_tables"),
    ("table_cells", "report_tables"),
    ("budget_lines", "report_tables"),
    ("dim_report", "star_schema"),
    ("dim_page", "star_schema"),
    ("dim_section", "star_schema"),
    ("dim_unit", "star_schema"),
    ("dim_period", "star_schema"),
    ("fact_quantity", "star_schema"),
    ("report_table", "star_schema"),
    ("table_cell", "star_schema"),
    ("number_mention", "star_schema"),
    ("warehouse", "warehouse_tables"),
)
SUITE_NAMES = tuple(s for s, _ in SUITES)
STAR_SUITES = tuple(s for s, a in SUITES if a == "star_schema")
SEVERITY = {"critical": "ERROR", "warning": "WARN"}  # GX severity -> Dagster check severity
SAMPLE_SIZE = 5  # failing rows kept per expectation


class SuiteFileError(ValueError):
    """A suite file that would lose or misread expectations: it stops the run, never silently."""


@dataclass(frozen=True)
class SuiteFile:
    name: str
    path: Path
    data: dict  # the JSON as written

    @property
    def expectations(self) -> list[dict]:
        return self.data["expectations"]


def _expectation_problems(path: Path, expectations: list[dict]) -> list[str]:
    """Each expectation needs a unique meta.name and an explicit severity of critical or warning."""
    problems: list[str] = []
    seen: set[str] = set()
    for k, e in enumerate(expectations):
        where = f"{path.name} expectation #{k + 1}"
        ename = (e.get("meta") or {}).get("name")
        if not ename:
            problems.append(f"{where} ({e.get('type')}): meta.name is missing")
        elif ename in seen:
            problems.append(f"{where}: meta.name {ename!r} is used twice")
        seen.add(ename or "")
        if e.get("severity") not in SEVERITY:
            problems.append(f"{where} ({ename}): severity must be one of {sorted(SEVERITY)}, "
                            f"not {e.get('severity')!r}")
    return problems


def _read_suite(path: Path, problems: list[str]) -> SuiteFile | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problems.append(f"{path.name}: not valid JSON ({exc})")
        return None
    name = data.get("name")
    if name != path.stem:
        problems.append(f"{path.name}: its name is {name!r}; it must be the file name {path.stem!r}")
        return None
    exps = data.get("expectations")
    if not isinstance(exps, list) or not exps:
        problems.append(f"{path.name}: no expectations")
        return None
    problems.extend(_expectation_problems(path, exps))
    return SuiteFile(name, path, data)


def load_suite_files(suites_dir: str | Path = SUITES_DIR) -> dict[str, SuiteFile]:
    """Read expectations/*.json and check what GX would not: every suite the pipeline runs is
    there (and no other), names match, each expectation has a unique meta.name and an explicit
    severity of critical or warning."""
    suites_dir = Path(suites_dir)
    out: dict[str, SuiteFile] = {}
    problems: list[str] = []
    for path in sorted(suites_dir.glob("*.json")):
        spec = _read_suite(path, problems)
        if spec is not None:
            out[spec.name] = spec
    missing = sorted(set(SUITE_NAMES) - set(out))
    extra = sorted(set(out) - set(SUITE_NAMES))
    if missing:
        problems.append(f"suites missing from {suites_dir}: {', '.join(missing)}")
    if extra:
        problems.append(f"suites in {suites_dir} that no check runs: {', '.join(extra)} "
                        "(add them to pipelines.quality.suites.SUITES)")
    if problems:
        raise SuiteFileError("bad expectation suite files:\n  " + "\n  ".join(problems))
    return out


def quality_files(suites_dir: str | Path = SUITES_DIR) -> list[Path]:
    """The files whose bytes the outcomes depend on besides the report's stages: the suites, the
    code that builds the frames and runs them, and the integrity SQL."""
    return [*Path(suites_dir).glob("*.json"), *PACKAGE.glob("*.py"), *CHECKS_SQL_DIR.glob("*.sql")]


def quality_fingerprint(content_sha256: str, suites_dir: str | Path = SUITES_DIR) -> str:
    """What a suite's outcome for this content depends on: the stages the frames are made of (the
    star schema's lineage covers every parsing stage, report_kind the kind check) and the files
    of `quality_files`."""
    return fingerprint.combine(fingerprint.stage_fingerprint("star_schema", content_sha256),
                               fingerprint.stage_fingerprint("report_kind", content_sha256),
                               fingerprint.digest_files(quality_files(suites_dir)))
