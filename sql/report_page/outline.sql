-- The report page's outline: every heading with the count of figures (fact_quantity rows, text and
-- table) standing in the section itself and in its whole subtree (the section and everything below it).
WITH here AS (
    SELECT section_key, count(*) AS figures FROM fact_quantity GROUP BY section_key
)
SELECT s.report_id, s.section_id, s.level, s.section_path, s.title,
       coalesce(h.figures, 0) AS figures_here,
       (SELECT coalesce(sum(d_h.figures), 0)
          FROM dim_section d LEFT JOIN here d_h USING (section_key)
         WHERE d.report_id = s.report_id
           AND (d.section_path = s.section_path OR d.section_path LIKE s.section_path || '/%')) AS figures_in_subtree
FROM dim_section s
LEFT JOIN here h USING (section_key)
ORDER BY s.report_id, s.section_id;
