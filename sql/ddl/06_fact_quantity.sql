-- Grain: one quantity as written in a report: a number with its unit in the prose (source 'text')
-- or a numeric table cell (source 'table').
CREATE TABLE fact_quantity (
    quantity_key      VARCHAR PRIMARY KEY,
    report_id         VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,
    quantity_no       INTEGER NOT NULL,
    section_key       VARCHAR,
    page_key          VARCHAR NOT NULL,
    unit_key          VARCHAR NOT NULL,
    year              INTEGER,
    raw_text          VARCHAR NOT NULL,
    number_text       VARCHAR NOT NULL,
    value             DECIMAL(38, 6) NOT NULL,
    quantity          DECIMAL(38, 6) NOT NULL,
    qualifier         VARCHAR,
    context           VARCHAR,
    table_no          INTEGER,
    row_no            INTEGER,
    col_no            INTEGER,
    indicator         VARCHAR,
    indicator_keyword VARCHAR,
    is_cumulative     BOOLEAN NOT NULL,
    is_target         BOOLEAN NOT NULL,
    is_approximate    BOOLEAN NOT NULL,
    comparison        VARCHAR,
    base_year         INTEGER,
    period            VARCHAR,
    per               VARCHAR,
    noun              VARCHAR,
    x0                DOUBLE,
    top               DOUBLE,
    x1                DOUBLE,
    bottom            DOUBLE
);
COMMENT ON TABLE fact_quantity IS 'One row per quantity as written in a report: a number with its unit in the prose (source text) or a numeric table cell with a unit (source table). Before summing, exclude what would count twice: targets (is_target), running totals (is_cumulative), changes (comparison IS NOT NULL), table total rows, and reports loaded twice (same dim_report.sha256). v_quantities joins this to its unit, page and section.';
COMMENT ON COLUMN fact_quantity.quantity_key IS 'Primary key: report_id || '':'' || source || '':'' || quantity_no (moea-101-achievements:text:12). The same PDF always gives the same keys.';
COMMENT ON COLUMN fact_quantity.report_id IS 'The report (dim_report.report_id).';
COMMENT ON COLUMN fact_quantity.source IS 'Where the quantity was read: text (a number with its unit in the prose) or table (a numeric cell of a table in report_table, its unit from the cell, header, unit column, unit line or caption).';
COMMENT ON COLUMN fact_quantity.quantity_no IS 'Position in document order within (report, source), 1-based.';
COMMENT ON COLUMN fact_quantity.section_key IS 'The innermost outline section it stands in (dim_section.section_key); for a table quantity, the section of the table''s first page. NULL when it stands before the first heading.';
COMMENT ON COLUMN fact_quantity.page_key IS 'The page it is printed on (dim_page.page_key); for a number broken over two pages, the page where it starts.';
COMMENT ON COLUMN fact_quantity.unit_key IS 'Its unit as written (dim_unit.unit_key), which gives dimension, base unit and factor.';
COMMENT ON COLUMN fact_quantity.year IS 'Gregorian year its sentence states for it (101 年 gives 2012; 今年/去年 resolved against the report''s year), else the year of its outline heading. NULL when none is stated, and always for table quantities. Never the year in a plan''s name nor a comparison base (see base_year).';
COMMENT ON COLUMN fact_quantity.raw_text IS 'The quantity exactly as printed, number, qualifier and unit (約 3.36 億美元). A line or page break inside it is kept as a line feed (2,707.<LF>3 億美元): match on raw_text_flat or number_text (v_quantities) instead.';
COMMENT ON COLUMN fact_quantity.number_text IS 'The quantity as written, cleaned: number and unit with line breaks removed and full-width forms normalised (NFKC: ％ becomes %), e.g. 2,707.3 億美元. A leading minus sign is in value, not here. For a table quantity, the cell''s text.';
COMMENT ON COLUMN fact_quantity.value IS 'The number in the unit as written, exact (2707.3 for 2,707.3 億美元); negative when printed with a minus sign. A change figure is as printed: 減少 3.0% is 3.0 (read the direction in context).';
COMMENT ON COLUMN fact_quantity.quantity IS 'The number in the base unit, exact: value * dim_unit.factor (2,707.3 億美元 = 270730000000 USD).';
COMMENT ON COLUMN fact_quantity.qualifier IS 'The word that qualifies the amount as printed next to it: 約, 近, 逾, 超過, 以上, 餘, 多, 至少 (approximate or a bound); 達, 共, 計 (a total or emphasis); 累計 (cumulative); 預計 (expected). NULL when there is none (the flags may still be set from the sentence).';
COMMENT ON COLUMN fact_quantity.context IS 'Text quantities: the sentence it stands in, as written. Table quantities: table caption | row label path | column label path.';
COMMENT ON COLUMN fact_quantity.table_no IS 'Table quantities: the table (report_table.table_no). NULL for text quantities.';
COMMENT ON COLUMN fact_quantity.row_no IS 'Table quantities: the cell''s row (table_cell.row_no, 0-based, header rows included). NULL for text quantities.';
COMMENT ON COLUMN fact_quantity.col_no IS 'Table quantities: the cell''s column (table_cell.col_no, 0-based). NULL for text quantities.';
COMMENT ON COLUMN fact_quantity.indicator IS 'What a money amount measures, from keyword rules (sql/seeds/indicator_keywords.csv): investment, rd_spending (R&D spending), output_value (產值), revenue (sales, turnover, business won), trade (exports, imports), public_funding (subsidies, budgets), financing (loans, funds raised), guarantee (credit guarantees), savings (costs saved), fees_and_taxes, capital (paid-in capital), other (no keyword). NULL for every dimension but money.';
COMMENT ON COLUMN fact_quantity.indicator_keyword IS 'The keyword that decided indicator (出口 for trade), for audit. NULL when indicator is other or NULL.';
COMMENT ON COLUMN fact_quantity.is_cumulative IS 'True for a running or multi-year total (累計, 迄今, 99 年至 101 年共 …), not one period''s flow: do not add it to yearly figures. Table quantities: their caption says 累計.';
COMMENT ON COLUMN fact_quantity.is_target IS 'True for a forecast or goal (預計, 預估, 目標, 可望, 將 …), not an achieved figure. Always false for table quantities.';
COMMENT ON COLUMN fact_quantity.is_approximate IS 'True when printed as approximate or as a bound (約, 逾, 超過, 近, 餘, 以上, 左右, 至少, 未滿 …): the true figure may be above or below.';
COMMENT ON COLUMN fact_quantity.comparison IS 'Whether the figure is a change rather than a level (it follows 成長, 增加, 減少, 下滑, 成長率 …): change_vs_year = a change against a stated year (較 100 年成長 22.35%), base_year holds that year; change_vs_previous_year = against the previous year (較上年, 去年同期, 年增率), base_year = year - 1 when the year is known; change = a change with no base stated. NULL: a level, not a change. Always NULL for table quantities.';
COMMENT ON COLUMN fact_quantity.base_year IS 'Gregorian year of the comparison base its sentence states (較 100 年 gives 2011; 與去年同期相比 gives year - 1). NULL when no base is stated.';
COMMENT ON COLUMN fact_quantity.period IS 'What year covers: year (N 年, N 年度), academic_year (學年度), fiscal_year (會計年度), half (上半年, 下半年), quarter (第 N 季) or month (N 月). NULL when year is NULL.';
COMMENT ON COLUMN fact_quantity.per IS 'The time a rate is per (萬度/年 gives year), as in dim_unit.per. NULL for a quantity that is not a rate per time.';
COMMENT ON COLUMN fact_quantity.noun IS 'The noun printed between the number and its measure word (網站瀏覽 of 1 萬網站瀏覽人次), which says what was counted. NULL when the measure word follows the number directly.';
COMMENT ON COLUMN fact_quantity.x0 IS 'Left edge of the box its characters are printed in, in PDF points from the left edge of its page (page_key), as PDFium reads the characters. A figure broken over two lines: the box holds both parts; over two pages: the part on its first page. NULL for table quantities (the table stage does not keep cell boxes).';
COMMENT ON COLUMN fact_quantity.top IS 'Top edge of its box, in PDF points from the top edge of its page (top-left origin, y grows downwards). NULL for table quantities.';
COMMENT ON COLUMN fact_quantity.x1 IS 'Right edge of its box, in PDF points from the left edge of its page. NULL for table quantities.';
COMMENT ON COLUMN fact_quantity.bottom IS 'Bottom edge of its box, in PDF points from the top edge of its page. NULL for table quantities.';
