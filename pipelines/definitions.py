"""The Dagster code location: one Definitions for every asset, check and resource."""
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


def definitions(resources: dict) -> dg.Definitions:
    return dg.Definitions(assets=all_assets, asset_checks=all_checks, jobs=[report_job],
                          resources=resources, sensors=[raw_folder_sensor])


def report_job_for(resources: dict) -> dg.JobDefinition:
    """`materialize_report` bound to these resources (the CLI's raw folder and warehouse)."""
    return definitions(resources).resolve_job_def(report_job.name)


defs = definitions(default_resources())
