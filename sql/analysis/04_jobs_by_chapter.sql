-- Jobs by chapter: people the report counts as employed or hired, where the words right around the
-- number speak of 就業 (帶動就業達 8,922 人, 新增 20 人之就業機會; 就業 elsewhere in the sentence is not enough).
-- Counted in persons only (人, 名, 位): visits and person-times (人次: 900 萬人次商圈遊客, 573 人次就業人口)
-- are not jobs, and openings counted in 個 (N 個就業機會) are another measure; both are left out.
-- Targets (預計 … 可增加就業) and cumulative figures (累計, 迄今) are left out of the sum: adding a promise
-- or a running total over several years to one year's result would double count.
WITH jobs AS (
    SELECT *, raw_text_flat AS flat, regexp_replace(context, '[\r\n]', '', 'g') AS sentence
    FROM v_quantities
    WHERE dimension = 'count' AND base_unit IN ('人', '名', '位') AND NOT is_target AND NOT is_cumulative
), placed AS (
    SELECT *, strpos(sentence, flat) AS pos FROM jobs
)
SELECT report_id, chapter_no, chapter_title,
       count(*)            AS facts,
       sum(quantity_exact) AS total,
       string_agg(flat || ' (' || section_path || ', p.' || coalesce(page_label, '?') || ')', '; '
                  ORDER BY quantity_key) AS facts_as_written
FROM placed
WHERE pos > 0 AND (substr(sentence, greatest(pos - 10, 1), pos - greatest(pos - 10, 1)) LIKE '%就業%'
                  OR substr(sentence, pos + length(flat), 5) LIKE '%就業%')
GROUP BY ALL
ORDER BY report_id, chapter_no NULLS LAST;
