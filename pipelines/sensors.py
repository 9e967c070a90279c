"""Sensors: the raw folder watched for new report PDFs."""
from pathlib import Path

import dagster as dg

from .partitions import reports_partitions
from .resources import ReportFiles


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
