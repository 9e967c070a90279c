"""Sensors: the raw folder watched for new report PDFs."""
import dagster as dg

from .partitions import reports_partitions
from .report_ids import list_reports
from .resources import ReportFiles


@dg.sensor(minimum_interval_seconds=10, default_status=dg.DefaultSensorStatus.RUNNING)
def raw_folder_sensor(context: dg.SensorEvaluationContext, files: ReportFiles):
    """Keeps the "reports" partitions equal to the PDFs in the raw folder: a new PDF appears in the
    UI ready to materialise, under its safe report id (pipelines/report_ids.py); a PDF that left
    the folder is removed from the partitions (its rows stay in the warehouse until
    `python -m pipelines drop`). Refused files (not a regular file, an id shared by two files) are
    logged, not registered. It launches no runs."""
    try:
        listing = list_reports(files.raw_dir)
    except OSError as exc:
        return dg.SkipReason(f"cannot list {files.raw_dir}: {exc.strerror or exc}")
    for refused in listing.refused:
        context.log.warning(f"not a report: {refused.message}")
    keys = [r.report_id for r in listing.reports]
    known = set(context.instance.get_dynamic_partitions(reports_partitions.name))
    new = [k for k in keys if k not in known]
    gone = sorted(known - set(keys) - {r.report_id for r in listing.refused if r.report_id})
    if not new and not gone:
        return dg.SkipReason(f"no PDF added to or removed from {files.raw_dir}")
    requests = []
    if new:
        context.log.info(f"new reports: {', '.join(new)}")
        requests.append(reports_partitions.build_add_request(new))
    if gone:
        context.log.info(f"gone from {files.raw_dir} (partition removed; warehouse rows kept until "
                         f"`python -m pipelines drop`): {', '.join(gone)}")
        requests.append(reports_partitions.build_delete_request(gone))
    return dg.SensorResult(dynamic_partitions_requests=requests)
