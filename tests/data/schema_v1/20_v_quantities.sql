-- The analysis contract: one row per quantity, with its chapter, outline path, page and unit.
-- `quantity` is DOUBLE for convenient arithmetic; `quantity_exact` keeps the exact DECIMAL.
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
    p.page_index + 1 AS pdf_page,  -- the PDF viewer's page (1-based), beside the printed page_number
    c.row_label,                   -- a table quantity's row path (斗六市/公正里); NULL for prose
    c.col_label AS column_label    -- its column header path (本年度/金額); NULL for prose
FROM fact_quantity f
JOIN dim_unit u USING (unit_key)
JOIN dim_page p USING (page_key)
LEFT JOIN dim_section s USING (section_key)
LEFT JOIN table_cell c
       ON c.report_id = f.report_id AND c.table_no = f.table_no AND c.row_no = f.row_no AND c.col_no = f.col_no;
