-- Table cells in long form: one row per cell, header rows included (is_header). row_label is the row
-- path (斗六市/公正里: a row-group label carried down), col_label the header path (本年度/金額).
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
    unit_source VARCHAR,  -- where the unit came from: cell, header, unit column, unit line, caption, none
    page_key    VARCHAR,  -- the page the cell is printed on (a table over several pages)
    PRIMARY KEY (report_id, table_no, row_no, col_no)
);
