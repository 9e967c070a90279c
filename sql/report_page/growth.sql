-- The report page's growth chart: every percentage that is a change (comparison set: 較 100 年成長
-- 22.35％, 年增率 …), as printed: value is the size of the change, its direction is in the sentence
-- (減少 3.0% is 3.0). Percentages of different bases never add up: the chart shows each one alone.
-- number_text is read from fact_quantity: warehouses of schema 2 lack it in v_quantities.
SELECT q.report_id, q.chapter_no,
       CASE WHEN q.section_path IS NULL THEN '(before the first heading)'
            ELSE split_part(q.section_path, '/', 1) || ' ' || coalesce(q.chapter_title, '') END AS chapter,
       q.section_path, q.pdf_page, q.page_number, f.number_text, q.quantity_exact AS percent, q.comparison,
       q.base_year, q.year, q.is_target, q.is_cumulative, q.context, q.quantity_key
FROM v_quantities q
JOIN fact_quantity f USING (quantity_key)
WHERE q.dimension = 'percent' AND q.comparison IS NOT NULL
ORDER BY q.report_id, q.chapter_no NULLS LAST, q.quantity_key;
