-- How many quantities of each dimension does each chapter report? (text and tables)
-- A count of figures as written, not a sum of them: targets, cumulative figures, changes and totals
-- are counted like any other figure (each is one figure of the report), so nothing is double counted.
SELECT report_id, chapter_no, chapter_title, dimension, count(*) AS quantities
FROM v_quantities
GROUP BY ALL
ORDER BY report_id, chapter_no NULLS LAST, dimension;
