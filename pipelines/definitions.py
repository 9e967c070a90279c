"""The Dagster code location: one Definitions for every asset, check and resource.

The executor comes from the environment, so the same code runs in one process, one process per
step (the default, `pipelines/deploy/multiprocess.yaml`), on Celery or on Kubernetes:
MOEA_EXECUTOR=celery|k8s picks dagster-celery's or dagster-k8s's executor (installed separately)."""
import os

import dagster as dg

from .assets import checks, extract, load, transform
from .partitions import reports_partitions
from .resources import default_resources
from .sensors import raw_folder_sensor

all_assets = dg.load_assets_from_modules([extract, transform, load])
all_checks = [*dg.load_asset_checks_from_modules([extract, transform, load]), *checks.suite_checks,
              checks.gx_warehouse_checks]

# The job every CLI run is (and the UI lists): one report partition through every asset and check.
report_job = dg.define_asset_job("materialize_report", selection=dg.AssetSelection.all(),
                                 partitions_def=reports_partitions,
                                 description="Materialise one report (partition) end to end: "
                                             "extract, transform, checks, load.")


def executor_from_env():
    """None (Dagster's default: multiprocess, or in-process for execute_in_process), or the
    executor $MOEA_EXECUTOR names."""
    name = os.environ.get("MOEA_EXECUTOR", "").strip().lower()
    if name in ("", "multiprocess", "default"):
        return None
    if name == "celery":
        from dagster_celery import celery_executor

        return celery_executor
    if name == "k8s":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor
    raise ValueError(f"MOEA_EXECUTOR={name!r}: expected multiprocess, celery or k8s")


def definitions(resources: dict) -> dg.Definitions:
    return dg.Definitions(assets=all_assets, asset_checks=all_checks, jobs=[report_job],
                          resources=resources, sensors=[raw_folder_sensor], executor=executor_from_env())


def report_job_for(resources: dict) -> dg.JobDefinition:
    """`materialize_report` bound to these resources (the CLI's raw folder and warehouse)."""
    return definitions(resources).resolve_job_def(report_job.name)


defs = definitions(default_resources())


def materialize_job() -> dg.JobDefinition:
    """`materialize_report` with the resources of the environment ($MOEA_RAW_DIR, $MOEA_WAREHOUSE),
    for executors that rebuild the job in other processes (`dg.reconstructable(materialize_job)`)."""
    return defs.resolve_job_def(report_job.name)
