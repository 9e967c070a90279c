-- One row per report (one PDF in raw/). Grain: report_id = the file name without .pdf.
CREATE TABLE IF NOT EXISTS dim_report (
    report_id          VARCHAR PRIMARY KEY,
    file_name          VARCHAR NOT NULL,
    sha256             VARCHAR NOT NULL,
    page_count         INTEGER NOT NULL,
    title              VARCHAR,          -- from the cover page / PDF metadata
    roc_year           INTEGER,          -- the year the report covers, ROC calendar (民國)
    report_year        INTEGER,          -- the same, Gregorian
    extractor_version  VARCHAR NOT NULL  -- with sha256: a load is skipped when both are unchanged
);
