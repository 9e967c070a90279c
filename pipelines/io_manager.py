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

from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

import dagster as dg

from . import fingerprint
from .store import MISSING, StageStore

ROOT_STAGE = "report_file"  # its value holds the content sha256 the other stages are keyed by
ROOT_KEY = "current"


def store_for(warehouse_path: str | Path) -> StageStore:
    return StageStore(Path(warehouse_path).resolve().parent / "cache" / "stages")


# The values this process has handed over within a run, by run and key: in a run whose steps share
# a process (the CLI), a stage's value has several consumers, and decoding the parsed pages for
# each would cost more than parsing them. A value is never shared across runs, so each run still
# reads and verifies what the store holds. Values are the parser's immutable data.
_RUN_VALUES: OrderedDict[tuple, Any] = OrderedDict()
_RUN_VALUES_MAX = 16


def _keep(key: tuple, value: Any) -> None:
    _RUN_VALUES[key] = value
    _RUN_VALUES.move_to_end(key)
    while len(_RUN_VALUES) > _RUN_VALUES_MAX:
        _RUN_VALUES.popitem(last=False)


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
        _keep((context.run_id, self.warehouse_path, report_id, stage, key), obj)

    def load_input(self, context: dg.InputContext) -> Any:
        stage, report_id = context.asset_key.path[-1], context.asset_partition_key
        key = self._key(stage, report_id)
        memo = (context.step_context.run_id, self.warehouse_path, report_id, stage, key)
        if memo in _RUN_VALUES:
            return _RUN_VALUES[memo]
        value = self.store.get(report_id, stage, key)
        if value is MISSING:
            raise dg.Failure(description=f"{report_id}: {stage} is not stored for the report's current "
                                         f"content; materialise {stage} (and what it depends on) first")
        _keep(memo, value)
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
