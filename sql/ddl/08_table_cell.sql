-- Table cells in long form: one row per cell, header rows included (is_header). row_label is the row
-- path (斗六市/公正里: a row-group label carried down), col_label the header path (本年度/金額).
-- Budget books: row_name, row_code, row_depth and parent_row_no describe the row (一般行政, its code,
-- its level and the row it is part of), column_role what the column holds (v_budget_lines reads them).
CREATE TABLE table_cell (
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
    unit_source VARCHAR,
    page_key    VARCHAR,
    row_name    VARCHAR,
    row_code    VARCHAR,
    row_depth   INTEGER,
    parent_row_no INTEGER,
    column_role VARCHAR,
    PRIMARY KEY (report_id, table_no, row_no, col_no)
);
COMMENT ON TABLE table_cell IS 'Every cell of every table in long form: one row per cell, header rows included (is_header), keyed by (report_id, table_no, row_no, col_no). Numeric cells with a known unit are also in fact_quantity (source table).';
COMMENT ON COLUMN table_cell.report_id IS 'The report (dim_report.report_id).';
COMMENT ON COLUMN table_cell.table_no IS 'The table (report_table.table_no).';
COMMENT ON COLUMN table_cell.row_no IS 'Row, 0-based, header rows first.';
COMMENT ON COLUMN table_cell.col_no IS 'Column, 0-based.';
COMMENT ON COLUMN table_cell.row_label IS 'The row''s label path: its first column, with a row-group label carried down and joined by / (斗六市/公正里). Empty for header cells.';
COMMENT ON COLUMN table_cell.col_label IS 'The column''s header path, the header rows joined by / (本年度/金額). Empty when the table has no header text above the column.';
COMMENT ON COLUMN table_cell.text IS 'The cell''s text as printed; empty for a blank cell.';
COMMENT ON COLUMN table_cell.is_header IS 'True for a cell of a header row.';
COMMENT ON COLUMN table_cell.is_total IS 'True for a cell of a total row or column (合計, 總計, 小計).';
COMMENT ON COLUMN table_cell.value IS 'The number the cell holds, exact, in the unit as written. NULL when it holds none.';
COMMENT ON COLUMN table_cell.unit IS 'The unit of value as written (億元, 件). NULL when value is NULL or no unit was found (unit_source none).';
COMMENT ON COLUMN table_cell.dimension IS 'The unit''s dimension, as in dim_unit.dimension (money, percent, count, area, volume, mass, energy, power, length, other). NULL when unit is NULL.';
COMMENT ON COLUMN table_cell.quantity IS 'value in the base unit, exact (value * dim_unit.factor). NULL when value or unit is NULL.';
COMMENT ON COLUMN table_cell.unit_source IS 'Where the unit came from: cell (written in it), header (its column header: 金額（億元）), unit column (a 單位 column of the row), unit line (單位：千元 above the table), caption, none (no unit found).';
COMMENT ON COLUMN table_cell.page_key IS 'The page the cell is printed on (dim_page.page_key): a table over several pages has cells on each.';
COMMENT ON COLUMN table_cell.row_name IS 'The row''s own name, without its account code or numbering (一般行政 of 0408010000 一般行政); the same on every cell of the row. NULL for header cells and where the table reader gave none (flat tables: row_label holds the name).';
COMMENT ON COLUMN table_cell.row_code IS 'The account code printed with the row''s name in a budget table (0408010000, 1000), as printed. NULL when none is printed.';
COMMENT ON COLUMN table_cell.row_depth IS 'The row''s level in a budget table''s hierarchy: 1 a top-level row (款, a 工作計畫), 2 its children, and so on. NULL in a flat table.';
COMMENT ON COLUMN table_cell.parent_row_no IS 'The row_no of the row this row is part of (its 款 for a 項): a parent row holds the sum of its children. NULL at the top level and in flat tables.';
COMMENT ON COLUMN table_cell.column_role IS 'What the column holds in a budget table: this_year_budget (本年度預算數), last_year_budget (上年度預算數), prior_year_actual (前年度決算數), change (本年度與上年度比較), note (說明), other (another amount column); the same on every cell of the column (pipelines/report/rules/budget_columns.toml). NULL for a row-label column and in a table that is not a budget table (one with a this_year_budget column and a last_year_budget, change or prior_year_actual one).';
