-- Every table found in a report (ruled, booktabs or aligned by white space), with its title, unit
-- line and notes; a table printed over several pages is one row (pages lists them).
CREATE TABLE IF NOT EXISTS report_table (
    table_key      VARCHAR PRIMARY KEY,  -- report_id || ':t' || table_no
    report_id      VARCHAR NOT NULL,
    table_no       INTEGER NOT NULL,
    page_key       VARCHAR NOT NULL,
    section_key    VARCHAR,
    title          VARCHAR,              -- the title line: 表3-2(110年度)…統計表, 附表一 …
    caption        VARCHAR,
    unit_hint      VARCHAR,              -- the unit line 單位：億元 above the table (or in the caption)
    n_rows         INTEGER NOT NULL,     -- data rows, header excluded
    n_cols         INTEGER NOT NULL,
    strategy       VARCHAR NOT NULL,     -- lines (grid), horizontal (rules between rows), booktabs, whitespace
    has_total_row  BOOLEAN NOT NULL,
    label          VARCHAR,              -- the title's table label: 附表一, 表165-P
    notes          VARCHAR,              -- 註：/ 說明：/ 資料來源： lines under the table
    header_rows    INTEGER,              -- rows of the (multi-row) header
    has_total_col  BOOLEAN,              -- a 合計 / 小計 column
    last_page_key  VARCHAR,              -- the page the table ends on (page_key is where it starts)
    pages          VARCHAR,              -- every PDF page (1-based) it is printed on: '1,2,3'
    total_mismatches INTEGER             -- total cells that are not the sum of their parts (NULL: no total)
);
