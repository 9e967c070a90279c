-- One row per report (one PDF in raw/). Grain: report_id = the file name without .pdf.
CREATE TABLE dim_report (
    report_id          VARCHAR PRIMARY KEY,
    file_name          VARCHAR NOT NULL,
    sha256             VARCHAR NOT NULL,
    page_count         INTEGER NOT NULL,
    title              VARCHAR,
    issuer             VARCHAR,
    report_kind        VARCHAR,
    roc_year           INTEGER,
    report_year        INTEGER,
    extractor_version  VARCHAR NOT NULL
);
COMMENT ON TABLE dim_report IS 'One row per report: one PDF of the raw folder, loaded whole. Every other report table joins here on report_id. Two rows with the same sha256 are the same content under two file names: summing across them counts its figures twice.';
COMMENT ON COLUMN dim_report.report_id IS 'The report: its file name without .pdf (moea-101-achievements). Primary key; the first part of every key of its rows.';
COMMENT ON COLUMN dim_report.file_name IS 'The PDF file name in the raw folder (moea-101-achievements.pdf).';
COMMENT ON COLUMN dim_report.sha256 IS 'SHA-256 of the PDF bytes (hex): identifies the content whatever the file is called.';
COMMENT ON COLUMN dim_report.page_count IS 'Physical pages of the PDF (cover and contents included).';
COMMENT ON COLUMN dim_report.title IS 'The title as printed on the cover, its largest print (經濟部101年施政成果). NULL when the cover has no text.';
COMMENT ON COLUMN dim_report.issuer IS 'The issuing body named on the cover (經濟部, 行政院). NULL when the cover names none.';
COMMENT ON COLUMN dim_report.report_kind IS 'The kind of report as the cover says: 施政成果, 施政績效報告, 施政報告, 統計表, 課程綱要 …. NULL when the cover does not say.';
COMMENT ON COLUMN dim_report.roc_year IS 'The year the report covers, ROC calendar (民國 101 = 2012). NULL when the cover states no year.';
COMMENT ON COLUMN dim_report.report_year IS 'The year the report covers, Gregorian (roc_year + 1911). NULL when roc_year is NULL.';
COMMENT ON COLUMN dim_report.extractor_version IS 'Digest of the extraction code that produced these rows; with sha256 it decides whether a run may skip reloading the report.';
