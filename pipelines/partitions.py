import dagster as dg

# One report = one partition, keyed by its report_id: the file name without .pdf (any case) when that
# is a safe id, else a slug of it (pipelines/report_ids.py).
reports_partitions = dg.DynamicPartitionsDefinition(name="reports")
