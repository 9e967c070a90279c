"""Sensors: the raw folder watched for new report PDFs."""
import dagster as dg

from .partitions import reports_partitions
from .report_ids import list_reports
from .resources import ReportFiles


@dg.sensor(minimum_interval_seconds=10, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_folder_sensor(context: dg.SensorEvaluationContext, files: ReportFiles):
    """Registers each new PDF in the raw folder as a "reports" partition (drop a PDF in, it
    appears in the UI ready to materialise), under its safe report id (pipelines/report_ids.py).
    Files refused by the listing (not a regular file, an id shared by two files) are logged, not
    registered. It launches no runs and forgets no partitions."""
    try:
        listing = list_reports(files.raw_dir)
    except OSError as exc:
        return dg.SkipReason(f"cannot list {files.raw_dir}: {exc.strerror or exc}")
    for refused in listing.refused:
        context.log.warning(f"not a report: {refused.message}")
    keys = [r.report_id for r in listing.reports]
    known = set(context.instance.get_dynamic_partitions(reports_partitions.name))
    new = [k for k in keys if k not in known]
    if not new:
        return dg.SkipReason(f"no new PDF in {files.raw_dir}")
    context.log.info(f"new reports: {', '.join(new)}")
    return dg.SensorResult(dynamic_partitions_requests=[reports_partitions.build_add_request(new)])
