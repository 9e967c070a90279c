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
    f.table_no
FROM fact_quantity f
JOIN dim_unit u USING (unit_key)
JOIN dim_page p USING (page_key)
LEFT JOIN dim_section s USING (section_key);
