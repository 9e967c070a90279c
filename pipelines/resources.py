"""Resources: where reports and the warehouse live, the stage cache, and the DuckDB connection."""
from __future__ import annotations

import os
import pickle
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from .report.version import EXTRACTOR_VERSION
from . import warehouse

REPO = Path(__file__).resolve().parent.parent


class ReportFiles(dg.ConfigurableResource):
    """The folder of report PDFs (one partition each) and the on-disk cache beside the warehouse.

    The cache keeps each stage's output keyed by the PDF's sha256 and EXTRACTOR_VERSION, so a
    re-run over an unchanged PDF skips pdfplumber and the parsing; `rm -r warehouse/` resets it."""

    raw_dir: str = str(REPO / "raw")
    warehouse_path: str = str(REPO / "warehouse" / "report.duckdb")
    workers: int = 0  # page-parsing processes; 0 = one per core, 1 = serial

    def pdf_path(self, report_id: str) -> Path:
        return Path(self.raw_dir) / f"{report_id}.pdf"

    @property
    def cache_dir(self) -> Path:
        return Path(self.warehouse_path).resolve().parent / "cache"

    def _stage_file(self, report_id: str, stage: str) -> Path:
        return self.cache_dir / "stages" / report_id / f"{stage}.pickle"

    def load_stage(self, report_id: str, stage: str, sha256: str | None = None):
        """A stage's saved output; with sha256, only if it was made from that content by this
        extractor version (else None)."""
        path = self._stage_file(report_id, stage)
        if not path.exists():
            if sha256 is None:
                raise FileNotFoundError(f"stage {stage!r} of report {report_id!r} has not been materialised")
            return None
        with open(path, "rb") as fh:
            saved_sha, version, obj = pickle.load(fh)
        if sha256 is not None and (saved_sha, version) != (sha256, EXTRACTOR_VERSION):
            return None
        return obj

    def save_stage(self, report_id: str, stage: str, sha256: str, obj) -> None:
        path = self._stage_file(report_id, stage)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump((sha256, EXTRACTOR_VERSION, obj), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)


class Warehouse(DuckDBResource):
    """DuckDBResource that fails at once, with a clear message, when another process holds the
    database file (DuckDBResource itself retries for a long time)."""

    @contextmanager
    def get_connection(self):
        with warehouse.connect(self.database) as con:
            yield con


def default_resources(raw_dir: str | None = None, warehouse_path: str | None = None, workers: int = 0) -> dict:
    """Resources for the given folders; unset ones come from $MOEA_RAW_DIR / $MOEA_WAREHOUSE, else
    <repo>/raw and <repo>/warehouse/report.duckdb."""
    raw_dir = raw_dir or os.environ.get("MOEA_RAW_DIR") or REPO / "raw"
    warehouse_path = warehouse_path or os.environ.get("MOEA_WAREHOUSE") or REPO / "warehouse" / "report.duckdb"
    files = ReportFiles(raw_dir=str(Path(raw_dir).resolve()),
                        warehouse_path=str(Path(warehouse_path).resolve()),
                        workers=workers)
    from .quality import QualityResource  # Great Expectations itself is imported on first use

    return {"files": files, "warehouse": Warehouse(database=files.warehouse_path),
            "quality": QualityResource(warehouse_path=files.warehouse_path)}
