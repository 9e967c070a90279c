"""The assets, grouped by stage: extract, transform, load; the Great Expectations checks beside them."""
import warnings

import dagster as dg

# Data versions on outputs are what makes the UI show stale reports; Dagster marks the parameter
# beta and would print that on every run.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*data_version.*")
