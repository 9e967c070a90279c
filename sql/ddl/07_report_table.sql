-- Every table found in a report (ruled, booktabs or aligned by white space), with its title, unit
-- line and notes; a table printed over several pages is one row (pages lists them).
CREATE TABLE report_table (
    table_key      VARCHAR PRIMARY KEY,
    report_id      VARCHAR NOT NULL,
    table_no       INTEGER NOT NULL,
    page_key       VARCHAR NOT NULL,
    section_key    VARCHAR,
    title          VARCHAR,
    caption        VARCHAR,
    unit_hint      VARCHAR,
    n_rows         INTEGER NOT NULL,
    n_cols         INTEGER NOT NULL,
    strategy       VARCHAR NOT NULL,
    has_total_row  BOOLEAN NOT NULL,
    label          VARCHAR,
    notes          VARCHAR,
    header_rows    INTEGER,
    has_total_col  BOOLEAN,
    last_page_key  VARCHAR,
    pages          VARCHAR,
    total_mismatches INTEGER
);
COMMENT ON TABLE report_table IS 'One row per table found in a report (ruled, booktabs or aligned by white space), with its title, unit line and notes. A table printed over several pages is one row (pages lists them). Its cells are in table_cell, its numeric cells with a unit also in fact_quantity (source table).';
COMMENT ON COLUMN report_table.table_key IS 'Primary key: report_id || '':t'' || table_no.';
COMMENT ON COLUMN report_table.report_id IS 'The report (dim_report.report_id).';
COMMENT ON COLUMN report_table.table_no IS 'Position of the table in the report, 1-based.';
COMMENT ON COLUMN report_table.page_key IS 'The page the table starts on (dim_page.page_key).';
COMMENT ON COLUMN report_table.section_key IS 'The outline section of its first page (dim_section.section_key). NULL when the page is before the first heading.';
COMMENT ON COLUMN report_table.title IS 'The title line above the table as printed (表3-2(110年度)…統計表, 附表一 …). NULL when none is found.';
COMMENT ON COLUMN report_table.caption IS 'The line printed just above the table: often its title, else a unit, group or lead-in line (縣市別：雲林縣). Empty or NULL when there is none.';
COMMENT ON COLUMN report_table.unit_hint IS 'The unit the table states for its numbers: the unit line 單位：億元 above it or in its caption (億元). NULL when none is stated.';
COMMENT ON COLUMN report_table.n_rows IS 'Data rows, header rows excluded.';
COMMENT ON COLUMN report_table.n_cols IS 'Columns.';
COMMENT ON COLUMN report_table.strategy IS 'How the table was found: lines (a full grid of rules), horizontal (rules between rows only), booktabs (top, header and bottom rules), whitespace (columns aligned by white space, no rules).';
COMMENT ON COLUMN report_table.has_total_row IS 'True when a row is a total (合計, 總計, 小計): do not add it to the rows it sums.';
COMMENT ON COLUMN report_table.label IS 'The table''s label in its title (附表一, 表165-P). NULL when the title has none.';
COMMENT ON COLUMN report_table.notes IS 'The 註： / 說明： / 資料來源： lines printed under the table, joined. NULL when there are none.';
COMMENT ON COLUMN report_table.header_rows IS 'Rows of its (possibly multi-row) header.';
COMMENT ON COLUMN report_table.has_total_col IS 'True when a column is a total (合計, 小計): do not add it to the columns it sums.';
COMMENT ON COLUMN report_table.last_page_key IS 'The page the table ends on (dim_page.page_key); equal to page_key for a one-page table.';
COMMENT ON COLUMN report_table.pages IS 'Every PDF page it is printed on, 1-based as in a PDF viewer, comma-separated: 1,2,3.';
COMMENT ON COLUMN report_table.total_mismatches IS 'Total cells that are not the sum of their parts (0: every total adds up). NULL when the table has no total row or column.';
