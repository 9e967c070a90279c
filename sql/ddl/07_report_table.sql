-- Every ruled table found in a report, with its caption.
CREATE TABLE IF NOT EXISTS report_table (
    table_key      VARCHAR PRIMARY KEY,  -- report_id || ':t' || table_no
    report_id      VARCHAR NOT NULL,
    table_no       INTEGER NOT NULL,
    page_key       VARCHAR NOT NULL,
    section_key    VARCHAR,
    title          VARCHAR,              -- 附表一
    caption        VARCHAR,
    unit_hint      VARCHAR,              -- （單位：億元） in the caption
    n_rows         INTEGER NOT NULL,     -- data rows, header excluded
    n_cols         INTEGER NOT NULL,
    strategy       VARCHAR NOT NULL,     -- lines (grid) or horizontal (rules between rows only)
    has_total_row  BOOLEAN NOT NULL
);
