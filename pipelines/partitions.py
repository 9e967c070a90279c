import dagster as dg

# One report = one partition: the PDF's file name without .pdf is the report_id.
reports_partitions = dg.DynamicPartitionsDefinition(name="reports")
