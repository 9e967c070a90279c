"""The one data path between assets: each asset returns its value, this IO manager stores it per
report (partition) in the stage store beside the warehouse, keyed by what it was made from, and
hands it to the assets and checks downstream.

What an output was made from is `fingerprint.stage_fingerprint(stage, sha256)`, where sha256 is
the content of the report's PDF as `report_file` last validated it. An input whose entry for the
current content is missing is an error that says what to materialise, never a silent rebuild, so
the load can only ever take frames its checks saw.

`stage_output` is the one place where a stage decides to reuse or compute.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import dagster as dg

from . import fingerprint
from .store import MISSING, StageStore

ROOT_STAGE = "report_file"  # its value holds the content sha256 the other stages are keyed by
ROOT_KEY = "current"


def store_for(warehouse_path: str | Path) -> StageStore:
    return StageStore(Path(warehouse_path).resolve().parent / "cache" / "stages")


class StageIOManager(dg.ConfigurableIOManager):
    """Stage outputs as data files under <warehouse dir>/cache/stages/<report_id>/."""

    warehouse_path: str

    @property
    def store(self) -> StageStore:
        return store_for(self.warehouse_path)

    def _key(self, stage: str, report_id: str) -> str:
        if stage == ROOT_STAGE:
            return ROOT_KEY
        root = self.store.get(report_id, ROOT_STAGE, ROOT_KEY)
        if root is MISSING:
            raise dg.Failure(description=f"{report_id}: report_file has not been materialised "
                                         "(materialise it, or the whole report, first)")
        return fingerprint.stage_fingerprint(stage, root["sha256"])

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        stage, report_id = context.asset_key.path[-1], context.asset_partition_key
        key = self._key(stage, report_id)
        if stage == ROOT_STAGE or not self.store.has(report_id, stage, key):
            self.store.put(report_id, stage, key, obj)

    def load_input(self, context: dg.InputContext) -> Any:
        stage, report_id = context.asset_key.path[-1], context.asset_partition_key
        value = self.store.get(report_id, stage, self._key(stage, report_id))
        if value is MISSING:
            raise dg.Failure(description=f"{report_id}: {stage} is not stored for the report's current "
                                         f"content; materialise {stage} (and what it depends on) first")
        return value


class StageCache(dg.ConfigurableResource):
    """Read access to the stage store for the assets' reuse-or-compute decision."""

    warehouse_path: str

    def stored(self, report_id: str, stage: str, key: str) -> Any:
        return store_for(self.warehouse_path).get(report_id, stage, key)


def stage_output(context: dg.AssetExecutionContext, cache: StageCache, sha256: str, compute: Callable[[], Any],
                 describe: Callable[[Any], dict]) -> dg.Output:
    """The asset's value: the stored one when it was made from this content by this code, else
    `compute()`; with its data version (the fingerprint) and `describe(value)` as metadata."""
    stage = context.asset_key.path[-1]
    key = fingerprint.stage_fingerprint(stage, sha256)
    value = cache.stored(context.partition_key, stage, key)
    reused = value is not MISSING
    if not reused:
        value = compute()
    return dg.Output(value, data_version=dg.DataVersion(key),
                     metadata={"reused": reused, "fingerprint": key, **describe(value)})
