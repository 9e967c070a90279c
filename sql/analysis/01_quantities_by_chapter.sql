-- How many quantities of each dimension does each chapter report? (text and tables)
SELECT report_id, chapter_no, chapter_title, dimension, count(*) AS quantities
FROM v_quantities
GROUP BY ALL
ORDER BY report_id, chapter_no NULLS LAST, dimension;
