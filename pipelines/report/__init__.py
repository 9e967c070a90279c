"""Plain-Python parsing of the report: no Dagster in here."""
