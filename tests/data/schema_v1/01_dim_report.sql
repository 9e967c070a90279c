-- One row per report (one PDF in raw/). Grain: report_id = the file name without .pdf.
CREATE TABLE IF NOT EXISTS dim_report (
    report_id          VARCHAR PRIMARY KEY,
    file_name          VARCHAR NOT NULL,
    sha256             VARCHAR NOT NULL,
    page_count         INTEGER NOT NULL,
    title              VARCHAR,          -- the cover's largest print (經濟部101年施政成果)
    issuer             VARCHAR,          -- the issuing body named on the cover (經濟部, 行政院), NULL if none
    report_kind        VARCHAR,          -- 施政成果, 施政績效報告, 施政報告, 統計表 … as the cover says, NULL if none
    roc_year           INTEGER,          -- the year the report covers, ROC calendar (民國)
    report_year        INTEGER,          -- the same, Gregorian
    extractor_version  VARCHAR NOT NULL  -- with sha256: a load is skipped when both are unchanged
);
