"""The Dagster code location: one Definitions for every asset, check and resource."""
from pathlib import Path

import dagster as dg

from .assets import checks, extract, load, transform
from .partitions import reports_partitions
from .resources import ReportFiles, default_resources

all_assets = dg.load_assets_from_modules([extract, transform, load])
all_checks = dg.load_asset_checks_from_modules([extract, transform, load, checks])

# The job every CLI run is (and the UI lists): one report partition through every asset and check.
report_job = dg.define_asset_job("materialize_report", selection=dg.AssetSelection.all(),
                                 partitions_def=reports_partitions,
                                 description="Materialise one report (partition) end to end: "
                                             "extract, transform, checks, load.")


@dg.sensor(minimum_interval_seconds=10, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_folder_sensor(context: dg.SensorEvaluationContext, files: ReportFiles):
    """Registers each new PDF in the raw folder as a "reports" partition (drop a PDF in, it
    appears in the UI ready to materialise). It launches no runs and forgets no partitions."""
    keys = sorted(p.stem for p in Path(files.raw_dir).glob("*.pdf"))
    known = set(context.instance.get_dynamic_partitions(reports_partitions.name))
    new = [k for k in keys if k not in known]
    if not new:
        return dg.SkipReason(f"no new PDF in {files.raw_dir}")
    context.log.info(f"new reports: {', '.join(new)}")
    return dg.SensorResult(dynamic_partitions_requests=[reports_partitions.build_add_request(new)])


def definitions(resources: dict) -> dg.Definitions:
    return dg.Definitions(assets=all_assets, asset_checks=all_checks, jobs=[report_job],
                          resources=resources, sensors=[raw_folder_sensor])


def report_job_for(resources: dict) -> dg.JobDefinition:
    """`materialize_report` bound to these resources (the CLI's raw folder and warehouse)."""
    return definitions(resources).resolve_job_def(report_job.name)


defs = definitions(default_resources())
