"""The Dagster code location: one Definitions for every asset, check and resource."""
import dagster as dg

from .assets import extract, load, transform
from .resources import default_resources

all_assets = dg.load_assets_from_modules([extract, transform, load])
all_checks = dg.load_asset_checks_from_modules([extract, transform, load])

report_job = dg.define_asset_job("materialize_report", selection=dg.AssetSelection.all(),
                                 partitions_def=None)

defs = dg.Definitions(
    assets=all_assets,
    asset_checks=all_checks,
    resources=default_resources(),
    sensors=[],
)
