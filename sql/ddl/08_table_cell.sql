-- Table cells in long form: one row per cell, header row included (row_no 0).
CREATE TABLE IF NOT EXISTS table_cell (
    report_id   VARCHAR NOT NULL,
    table_no    INTEGER NOT NULL,
    row_no      INTEGER NOT NULL,
    col_no      INTEGER NOT NULL,
    row_label   VARCHAR,
    col_label   VARCHAR,
    text        VARCHAR,
    is_header   BOOLEAN NOT NULL,
    is_total    BOOLEAN NOT NULL,
    value       DECIMAL(38, 6),
    unit        VARCHAR,
    dimension   VARCHAR,
    quantity    DECIMAL(38, 6),
    PRIMARY KEY (report_id, table_no, row_no, col_no)
);
