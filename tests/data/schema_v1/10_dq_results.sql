-- Data-quality results of every run: one row per expectation evaluated.
CREATE TABLE IF NOT EXISTS dq_results (
    run_id            VARCHAR NOT NULL,
    report_id         VARCHAR NOT NULL,
    suite             VARCHAR NOT NULL,
    expectation       VARCHAR NOT NULL,
    severity          VARCHAR NOT NULL,  -- ERROR or WARN
    success           BOOLEAN NOT NULL,
    observed_value    VARCHAR,
    unexpected_count  BIGINT
);
