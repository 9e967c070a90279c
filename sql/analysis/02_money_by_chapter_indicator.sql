-- How much money does each chapter report, by what it measures (indicator)? TWD and USD apart:
-- amounts in different currencies are never summed together. Cumulative and target figures are
-- counted separately, because adding them to yearly figures would double count.
SELECT report_id, chapter_no, chapter_title, indicator, currency,
       count(*)                                                     AS amounts,
       sum(quantity_exact) FILTER (WHERE NOT is_cumulative AND NOT is_target) AS total_reported,
       sum(quantity_exact) FILTER (WHERE is_cumulative)             AS total_cumulative,
       sum(quantity_exact) FILTER (WHERE is_target)                 AS total_target
FROM v_quantities
WHERE dimension = 'money'
GROUP BY ALL
ORDER BY report_id, chapter_no NULLS LAST, currency, total_reported DESC NULLS LAST;
