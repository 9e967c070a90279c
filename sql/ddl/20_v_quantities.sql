-- The analysis contract: one row per quantity, with its chapter, outline path, page and unit.
-- `quantity` is DOUBLE for convenient arithmetic; `quantity_exact` keeps the exact DECIMAL.
-- Columns are only ever appended (tests/test_warehouse_contract.py holds the order).
CREATE OR REPLACE VIEW v_quantities AS
SELECT
    f.report_id,
    s.chapter_no,
    s.chapter_title,
    s.section_path,
    p.page_number,
    f.source,
    f.raw_text,
    f.value,
    u.unit,
    u.dimension,
    u.currency,
    CAST(f.quantity AS DOUBLE) AS quantity,
    u.base_unit,
    f.year,
    f.context,
    f.period,
    f.indicator,
    f.indicator_keyword,
    f.is_cumulative,
    f.is_target,
    f.is_approximate,
    f.comparison,
    f.base_year,
    f.per,
    f.noun,
    f.qualifier,
    f.quantity AS quantity_exact,
    f.quantity_key,
    s.title AS section_title,
    p.page_label,
    f.table_no,
    p.page_index + 1 AS pdf_page,
    c.row_label,
    c.col_label AS column_label,
    f.number_text,
    regexp_replace(f.raw_text, '[\r\n]', '', 'g') AS raw_text_flat,
    f.x0,
    f.top,
    f.x1,
    f.bottom
FROM fact_quantity f
JOIN dim_unit u USING (unit_key)
JOIN dim_page p USING (page_key)
LEFT JOIN dim_section s USING (section_key)
LEFT JOIN table_cell c
       ON c.report_id = f.report_id AND c.table_no = f.table_no AND c.row_no = f.row_no AND c.col_no = f.col_no;
COMMENT ON VIEW v_quantities IS 'The analysis contract: one row per quantity (fact_quantity) with its chapter, outline path, page and unit. Before summing, exclude what would count twice: is_target, is_cumulative, comparison IS NOT NULL, and reports loaded twice (same dim_report.sha256); never add across base_unit (TWD and USD apart). Columns are only ever appended.';
COMMENT ON COLUMN v_quantities.report_id IS 'The report (dim_report.report_id: its PDF file name without .pdf).';
COMMENT ON COLUMN v_quantities.chapter_no IS 'The chapter it stands in: 1–12 for 壹 … 拾貳 (dim_section.chapter_no). NULL in appendices, unnumbered parts and before the first heading.';
COMMENT ON COLUMN v_quantities.chapter_title IS 'That chapter''s title (貿易). NULL when chapter_no is NULL.';
COMMENT ON COLUMN v_quantities.section_path IS 'Outline path of its innermost section, markers joined by / (陸/一/（二）). NULL before the first heading.';
COMMENT ON COLUMN v_quantities.page_number IS 'The page number printed on its page (dim_page.page_number). Not the PDF viewer''s page: see pdf_page. NULL on pages that print no number.';
COMMENT ON COLUMN v_quantities.source IS 'text (a number with its unit in the prose) or table (a numeric table cell with a unit).';
COMMENT ON COLUMN v_quantities.raw_text IS 'The quantity exactly as printed, a line or page break inside it kept as a line feed (2,707.<LF>3 億美元). To match text use raw_text_flat or number_text.';
COMMENT ON COLUMN v_quantities.value IS 'The number in the unit as written, exact DECIMAL (2707.3 for 2,707.3 億美元); negative when printed with a minus sign; a change is as printed (減少 3.0% is 3.0).';
COMMENT ON COLUMN v_quantities.unit IS 'The unit as written, magnitude included (億美元, 萬人次, %).';
COMMENT ON COLUMN v_quantities.dimension IS 'What the unit measures: money, percent, count, area, volume, mass, energy, power, length or other (each described on dim_unit.dimension).';
COMMENT ON COLUMN v_quantities.currency IS 'ISO code (TWD, USD …) for money; NULL for every other dimension.';
COMMENT ON COLUMN v_quantities.quantity IS 'The amount in base_unit as a DOUBLE, for convenient arithmetic (rounded to about 15 digits); quantity_exact is the exact DECIMAL.';
COMMENT ON COLUMN v_quantities.base_unit IS 'The unit quantity is in: TWD, USD … for money; percent; the measure word for counts (家, 人次); m2, m3, t, kWh, kW, m; V or the compound for other. Add up only within one base_unit.';
COMMENT ON COLUMN v_quantities.year IS 'Gregorian year its sentence (or else its outline heading) states for it. NULL when none is stated, and for table quantities. Never a plan''s name year nor the comparison base (base_year).';
COMMENT ON COLUMN v_quantities.context IS 'Text: the sentence it stands in. Table: caption | row label path | column label path.';
COMMENT ON COLUMN v_quantities.period IS 'What year covers: year, academic_year (學年度), fiscal_year (會計年度), half (上/下半年), quarter (第 N 季) or month (N 月). NULL when year is NULL.';
COMMENT ON COLUMN v_quantities.indicator IS 'What a money amount measures: investment, rd_spending, output_value, revenue, trade, public_funding, financing, guarantee, savings, fees_and_taxes, capital, other (each described on fact_quantity.indicator). NULL for every dimension but money.';
COMMENT ON COLUMN v_quantities.indicator_keyword IS 'The keyword that decided indicator, for audit. NULL when indicator is other or NULL.';
COMMENT ON COLUMN v_quantities.is_cumulative IS 'True for a running or multi-year total (累計, 迄今 …): do not add it to yearly figures.';
COMMENT ON COLUMN v_quantities.is_target IS 'True for a forecast or goal (預計, 目標 …), not an achieved figure.';
COMMENT ON COLUMN v_quantities.is_approximate IS 'True when printed as approximate or a bound (約, 逾, 近, 以上, 至少 …).';
COMMENT ON COLUMN v_quantities.comparison IS 'NULL: a level. Otherwise the figure is a change (it follows 成長, 增加, 減少 …): change_vs_year = against a stated year, base_year holds it (較 100 年成長 22.35%); change_vs_previous_year = against the previous year (較上年, 年增率), base_year = year - 1 when the year is known; change = no base stated. Never sum changes with levels.';
COMMENT ON COLUMN v_quantities.base_year IS 'Gregorian year of the comparison base its sentence states (較 100 年 gives 2011). NULL when none is stated.';
COMMENT ON COLUMN v_quantities.per IS 'The time a rate is per (萬度/年 gives year). NULL for a quantity that is not a rate per time.';
COMMENT ON COLUMN v_quantities.noun IS 'The noun between the number and its measure word (網站瀏覽 of 網站瀏覽人次): what was counted. NULL when there is none.';
COMMENT ON COLUMN v_quantities.qualifier IS 'The qualifying word printed with it: 約, 近, 逾, 超過, 以上, 餘, 多, 至少, 達, 共, 計, 累計, 預計. NULL when there is none.';
COMMENT ON COLUMN v_quantities.quantity_exact IS 'The amount in base_unit, exact DECIMAL(38, 6): value * the unit''s factor (2,707.3 億美元 = 270730000000).';
COMMENT ON COLUMN v_quantities.quantity_key IS 'Unique key of the quantity (fact_quantity.quantity_key): report_id:source:quantity_no. The same PDF always gives the same keys.';
COMMENT ON COLUMN v_quantities.section_title IS 'Heading text of its innermost section. NULL before the first heading.';
COMMENT ON COLUMN v_quantities.page_label IS 'The page number as printed, as text (dim_page.page_label). NULL on pages that print none.';
COMMENT ON COLUMN v_quantities.table_no IS 'Table quantities: the table (report_table.table_no). NULL for text.';
COMMENT ON COLUMN v_quantities.pdf_page IS 'The page as a PDF viewer numbers it, 1-based (dim_page.page_index + 1), beside the printed page_number.';
COMMENT ON COLUMN v_quantities.row_label IS 'Table quantities: the row label path of its cell (斗六市/公正里). NULL for text.';
COMMENT ON COLUMN v_quantities.column_label IS 'Table quantities: the column header path of its cell (本年度/金額). NULL for text.';
COMMENT ON COLUMN v_quantities.number_text IS 'The quantity as written, cleaned: line breaks removed and full-width forms normalised (NFKC: ％ becomes %): 2,707.3 億美元. A leading minus sign is in value only. Table quantities: the cell text.';
COMMENT ON COLUMN v_quantities.raw_text_flat IS 'raw_text with its line breaks removed, otherwise as printed (full-width ％ kept): WHERE raw_text_flat = ''2,707.3 億美元'' finds a figure that a line break splits in raw_text.';
COMMENT ON COLUMN v_quantities.x0 IS 'Left edge of the box the figure is printed in, in PDF points from the left edge of page pdf_page (top-left origin, as PDFium reads its characters). `python -m pipelines show quantity_key` draws it. NULL for table quantities (cell boxes are not kept).';
COMMENT ON COLUMN v_quantities.top IS 'Top edge of its box, in PDF points from the top edge of page pdf_page. A figure broken over two lines: the box holds both parts; over two pages: its part on pdf_page. NULL for table quantities.';
COMMENT ON COLUMN v_quantities.x1 IS 'Right edge of its box, in PDF points from the left edge of page pdf_page. NULL for table quantities.';
COMMENT ON COLUMN v_quantities.bottom IS 'Bottom edge of its box, in PDF points from the top edge of page pdf_page. NULL for table quantities.';
