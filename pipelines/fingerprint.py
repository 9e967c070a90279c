"""What each stage's output depends on, in one place: the one fingerprint every cache uses.

A stage's output is a function of the report's bytes (its sha256), the parsing modules the stage
runs, the rule files those modules read, the versions of the PDF libraries it calls, and the
outputs of the stages before it. `stage_fingerprint(stage, sha256)` hashes exactly that; the
stage cache (the IO manager), the reuse of quality outcomes, the CLI's no-op check and the
warehouse's "already loaded" test all key on it.

The Dagster layer (assets' metadata, resources, the CLI) is deliberately not part of any
fingerprint: editing how an asset reports itself never throws parsed pages away.

No Dagster, pandas or pdfplumber import here: the CLI's no-op check calls this before any of them.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PIPELINES = Path(__file__).resolve().parent
REPO = PIPELINES.parent
REPORT = PIPELINES / "report"
# Language rules as data; a rule is named by its file's stem, whatever its format.
RULES_DIRS = (REPORT / "rules", REPORT / "data")


@dataclass(frozen=True)
class Stage:
    modules: tuple[str, ...]  # globs under pipelines/report/
    rules: tuple[str, ...] = ()  # rule file stems
    upstream: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()  # distributions whose version changes the output
    files: tuple[str, ...] = ()  # other globs, relative to the repo


_PAGE_MODULES = ("pages*.py", "pdfium*.py", "model.py", "errors.py", "tables.py", "table_*.py", "units.py")

STAGES: dict[str, Stage] = {
    "report_file": Stage(("pages*.py", "errors.py"), packages=("pdfplumber", "pdfminer.six")),
    "report_pages": Stage(_PAGE_MODULES, rules=("table_words", "units"), upstream=("report_file",),
                          packages=("pdfplumber", "pdfminer.six", "pypdfium2"), files=("pipelines/report/rules/*.py",)),
    "report_document": Stage(("document.py", "text.py", "model.py"), upstream=("report_pages",)),
    "outline_sections": Stage(("outline.py", "document.py", "text.py", "model.py"), rules=("outline_words",),
                              upstream=("report_document",), files=("pipelines/report/rules/*.py",)),
    "quantities": Stage(("quantities.py", "amounts.py", "unit_words.py", "number_kinds.py", "years.py",
                         "word_patterns.py", "indicators.py", "units.py", "model.py", "text.py"),
                        rules=("units", "classifiers", "years", "mention_kinds", "indicator_keywords", "qualifiers"),
                        upstream=("outline_sections",), files=("pipelines/report/rules/*.py",)),
    "report_tables": Stage(("tables.py", "table_*.py", "budget_columns.py", "units.py", "model.py"),
                           rules=("table_words", "units", "budget_columns", "budget_rows"),
                           upstream=("report_pages",), files=("pipelines/report/rules/*.py",)),
    "report_kind": Stage(("kind.py", "model.py", "errors.py"), rules=("scripts",),
                         upstream=("report_pages", "outline_sections"), files=("pipelines/report/rules/*.py",)),
    "star_schema": Stage(("star.py", "parse.py", "identity.py", "indicators.py", "units.py", "quantities.py",
                          "amounts.py", "unit_words.py", "number_kinds.py", "years.py", "word_patterns.py", "text.py",
                          "model.py", "budget_columns.py"),
                         rules=("report_identity", "units", "classifiers", "years", "mention_kinds",
                                "indicator_keywords", "qualifiers", "budget_columns", "table_words"),
                         upstream=("report_pages", "report_document", "outline_sections", "quantities",
                                   "report_tables"),
                         files=("pipelines/report/rules/*.py",)),
}
EXTRACTOR_STAGES = tuple(STAGES)


def digest_files(paths) -> str:
    """A short digest of these files' names and bytes, in an order that does not depend on where
    the checkout lives (by name, then content)."""
    files = sorted((p.name, p.read_bytes()) for p in set(paths))
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode())
        h.update(b"\0")
        h.update(data)
    return h.hexdigest()[:16]


def combine(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def rule_file(stem: str) -> Path:
    for folder in RULES_DIRS:
        found = sorted(p for p in folder.glob(f"{stem}.*") if p.is_file())
        if found:
            return found[0]
    raise FileNotFoundError(f"rule file {stem!r} not found in {', '.join(str(d) for d in RULES_DIRS)}")


def stage_sources(stage: str) -> list[Path]:
    """The files whose bytes a stage's own code version is made of."""
    spec = STAGES[stage]
    paths = [p for g in spec.modules for p in REPORT.glob(g)]
    paths += [rule_file(r) for r in spec.rules]
    paths += [p for g in spec.files for p in REPO.glob(g)]
    return paths


def _package_versions(names) -> str:
    out = []
    for n in names:
        try:
            out.append(f"{n}=={metadata.version(n)}")
        except metadata.PackageNotFoundError:
            out.append(f"{n}==absent")
    return ",".join(out)


@lru_cache(maxsize=None)
def code_version(stage: str) -> str:
    """The stage's own code: its modules, its rule files and its libraries (Dagster's code_version)."""
    spec = STAGES[stage]
    return combine(digest_files(stage_sources(stage)), _package_versions(spec.packages))


@lru_cache(maxsize=None)
def _lineage(stage: str) -> str:
    spec = STAGES[stage]
    return combine(stage, code_version(stage), *(_lineage(u) for u in spec.upstream))


def stage_fingerprint(stage: str, content_sha256: str) -> str:
    """What this stage's output for this content depends on (its cache key and data version)."""
    return combine(content_sha256, _lineage(stage))


def extractor_version() -> str:
    """Every parsing stage's code at once: what dim_report.extractor_version records."""
    return combine(*(_lineage(s) for s in EXTRACTOR_STAGES))
