"""Resources: where reports and the warehouse live, the stage store, and the DuckDB connection."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from . import warehouse
from .io_manager import StageCache, StageIOManager

REPO = Path(__file__).resolve().parent.parent


class ReportFiles(dg.ConfigurableResource):
    """The folder of report PDFs (one partition each), the warehouse file, and how many processes
    parse pages."""

    raw_dir: str = str(REPO / "raw")
    warehouse_path: str = str(REPO / "warehouse" / "report.duckdb")
    workers: int = 0  # page-parsing processes; 0 = one per core, 1 = serial

    def pdf_path(self, report_id: str) -> Path:
        """The raw folder's file whose report id this is (pipelines/report_ids.py: X.PDF, a slugged
        name). A file that is no regular file (a FIFO would block its reader), or that shares its id
        with another, fails the step with its one-line reason, unopened. No such file: the path it
        would have, which the caller reports as moved or deleted."""
        from .report_ids import Refused, list_reports

        try:
            found = list_reports(self.raw_dir).find(report_id)
        except OSError:
            found = None
        if isinstance(found, Refused):
            raise dg.Failure(description=found.message, metadata={"reason": found.reason})
        return found.path if found is not None else Path(self.raw_dir) / f"{report_id}.pdf"


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
            "io_manager": StageIOManager(warehouse_path=files.warehouse_path),
            "cache": StageCache(warehouse_path=files.warehouse_path),
            "quality": QualityResource(warehouse_path=files.warehouse_path)}
