"""The assets, grouped by stage: extract, transform, load; the Great Expectations checks beside them."""
import warnings

import dagster as dg

# Data versions on outputs (what makes the UI show stale reports) and partitioned checks (each
# result belongs to one report) are marked beta/preview by Dagster, which would say so on every run.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*data_version.*")
warnings.filterwarnings("ignore", category=dg.PreviewWarning, message=".*partitions_def.*AssetCheckSpec.*")
