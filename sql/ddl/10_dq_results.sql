-- Data-quality results of every run: one row per expectation evaluated.
CREATE TABLE dq_results (
    run_id            VARCHAR NOT NULL,
    report_id         VARCHAR NOT NULL,
    suite             VARCHAR NOT NULL,
    expectation       VARCHAR NOT NULL,
    severity          VARCHAR NOT NULL,
    success           BOOLEAN NOT NULL,
    observed_value    VARCHAR,
    unexpected_count  BIGINT
);
COMMENT ON TABLE dq_results IS 'Data-quality results: one row per expectation evaluated on a report, the latest run of each suite kept (a rerun replaces that suite''s rows). A report whose ERROR expectations fail is not loaded; WARN failures are reported only. The HTML page is warehouse/quality/index.html.';
COMMENT ON COLUMN dq_results.run_id IS 'The Dagster run that evaluated it.';
COMMENT ON COLUMN dq_results.report_id IS 'The report checked (dim_report.report_id; may be a report that failed its checks and was never loaded).';
COMMENT ON COLUMN dq_results.suite IS 'The expectation suite (expectations/<suite>.json): pages, outline, contents, quantities, tables, table_cells, budget_lines, number_mention, number_reconciliation, one per warehouse table (dim_report, fact_quantity …) and warehouse (integrity across tables).';
COMMENT ON COLUMN dq_results.expectation IS 'The expectation evaluated, by its name in the suite file (unit_matches_unit_table, raw_text_kept …).';
COMMENT ON COLUMN dq_results.severity IS 'ERROR (a failure stops the report from being loaded) or WARN (a failure is reported, the report still loads).';
COMMENT ON COLUMN dq_results.success IS 'True when the expectation held.';
COMMENT ON COLUMN dq_results.observed_value IS 'What was observed, as text (0 of 1408 unexpected; error: … when the expectation could not be evaluated). NULL when the expectation reports nothing.';
COMMENT ON COLUMN dq_results.unexpected_count IS 'Rows that broke the expectation. NULL for expectations not evaluated row by row.';
