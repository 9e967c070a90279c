-- One row per physical page of a report, with the page number printed on it.
CREATE TABLE dim_page (
    page_key         VARCHAR PRIMARY KEY,
    report_id        VARCHAR NOT NULL,
    page_index       INTEGER NOT NULL,
    page_label       VARCHAR,
    page_number      INTEGER,
    kind             VARCHAR NOT NULL,
    char_count       INTEGER NOT NULL,
    body_char_count  INTEGER NOT NULL
);
COMMENT ON TABLE dim_page IS 'One row per physical page of a report, with the page number printed on it. The printed number is not the PDF viewer''s page: use page_index + 1 for the viewer (printed 35 may be PDF page 37).';
COMMENT ON COLUMN dim_page.page_key IS 'Primary key: report_id || '':p'' || page_index (moea-101-achievements:p37).';
COMMENT ON COLUMN dim_page.report_id IS 'The report (dim_report.report_id).';
COMMENT ON COLUMN dim_page.page_index IS 'Physical position in the PDF, 0-based (the PDF viewer shows page_index + 1).';
COMMENT ON COLUMN dim_page.page_label IS 'The page number as printed on the page (35, iii). NULL on the cover, the contents pages and pages that print none.';
COMMENT ON COLUMN dim_page.page_number IS 'page_label as an integer. NULL when the label is NULL or not a plain number.';
COMMENT ON COLUMN dim_page.kind IS 'front (cover and pages before the contents), contents (table of contents) or body.';
COMMENT ON COLUMN dim_page.char_count IS 'Characters on the page as pdfplumber reads them (headers, numbers and tables included).';
COMMENT ON COLUMN dim_page.body_char_count IS 'Characters kept as prose: running headers, page numbers and tables removed. 0 on front and contents pages.';
