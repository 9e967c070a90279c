-- Which chapters and programmes report jobs created? Count facts whose sentence speaks of 就業.
SELECT report_id, chapter_no, chapter_title, base_unit,
       count(*)              AS facts,
       sum(quantity_exact)   AS total,
       string_agg(raw_text || ' (' || section_path || ', p.' || coalesce(page_label, '?') || ')', '; '
                  ORDER BY quantity_key) AS facts_as_written
FROM v_quantities
WHERE dimension = 'count' AND context LIKE '%就業%' AND base_unit IN ('人', '人次', '名', '位')
GROUP BY ALL
ORDER BY report_id, chapter_no NULLS LAST, base_unit;
