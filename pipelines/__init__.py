"""MOEA annual achievements report -> DuckDB warehouse (Dagster code location)."""
