-- The report page's money charts: exact sums of money per report, currency, chapter, indicator and
-- kind. kind keeps apart what must never be summed together: target (is_target; a target that is also
-- cumulative counts as a target), cumulative (is_cumulative), change (comparison set: a difference
-- between two levels) and reported (the rest: levels achieved). Table total cells (table_cell.is_total:
-- 合計/總計/小計) are left out: they repeat cells counted already. Currencies are never summed together.
SELECT q.report_id, q.currency, q.chapter_no,
       CASE WHEN q.section_path IS NULL THEN '(before the first heading)'
            ELSE split_part(q.section_path, '/', 1) || ' ' || coalesce(q.chapter_title, '') END AS chapter,
       coalesce(q.indicator, 'other') AS indicator,
       CASE WHEN q.is_target THEN 'target' WHEN q.is_cumulative THEN 'cumulative'
            WHEN q.comparison IS NOT NULL THEN 'change' ELSE 'reported' END AS kind,
       count(*) AS figures,
       sum(q.quantity_exact) AS amount
FROM v_quantities q
JOIN fact_quantity f USING (quantity_key)
LEFT JOIN table_cell c
       ON c.report_id = f.report_id AND c.table_no = f.table_no AND c.row_no = f.row_no AND c.col_no = f.col_no
WHERE q.dimension = 'money' AND NOT coalesce(c.is_total, false)
GROUP BY ALL
ORDER BY q.report_id, q.currency, q.chapter_no NULLS LAST, chapter, indicator, kind;
