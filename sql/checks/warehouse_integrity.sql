-- Referential integrity of one report's rows in the warehouse, after the load (suite warehouse).
-- One row per row of the report in fact_quantity, dim_page, dim_section, report_table, table_cell,
-- number_mention, and per unit its facts use (dim_unit): row_id names it, and each orphan_* column
-- holds the key it refers to that does not resolve (NULL when it does); missing_from_view is a
-- fact that v_quantities drops. unit/base_unit (dim_unit rows only) are compared in Python with
-- the unit table (pipelines/report/units.py). $rid is the report id.
WITH f AS (SELECT * FROM fact_quantity WHERE report_id = $rid)
SELECT 'fact_quantity: ' || f.quantity_key AS row_id,
       CASE WHEN r.report_id IS NULL THEN f.report_id END AS orphan_report,
       CASE WHEN p.page_key IS NULL THEN f.page_key END AS orphan_page,
       CASE WHEN f.section_key IS NOT NULL AND s.section_key IS NULL THEN f.section_key END AS orphan_section,
       CASE WHEN u.unit_key IS NULL THEN f.unit_key END AS orphan_unit,
       CASE WHEN f.year IS NOT NULL AND y.year IS NULL THEN CAST(f.year AS VARCHAR) END AS orphan_period,
       NULL AS orphan_table,
       CASE WHEN v.quantity_key IS NULL THEN f.quantity_key END AS missing_from_view,
       NULL AS unit, NULL AS base_unit
FROM f LEFT JOIN dim_report r ON r.report_id = f.report_id
       LEFT JOIN dim_page p ON p.page_key = f.page_key
       LEFT JOIN dim_section s ON s.section_key = f.section_key
       LEFT JOIN dim_unit u ON u.unit_key = f.unit_key
       LEFT JOIN dim_period y ON y.year = f.year
       LEFT JOIN (SELECT quantity_key FROM v_quantities WHERE report_id = $rid) v ON v.quantity_key = f.quantity_key
UNION ALL
SELECT 'dim_page: ' || d.page_key, CASE WHEN r.report_id IS NULL THEN d.report_id END, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL
FROM dim_page d LEFT JOIN dim_report r ON r.report_id = d.report_id WHERE d.report_id = $rid
UNION ALL
SELECT 'dim_section: ' || d.section_key, CASE WHEN r.report_id IS NULL THEN d.report_id END,
       CASE WHEN p.page_key IS NULL THEN d.page_key END,
       CASE WHEN d.parent_section_key IS NOT NULL AND s.section_key IS NULL THEN d.parent_section_key END,
       NULL, NULL, NULL, NULL, NULL, NULL
FROM dim_section d LEFT JOIN dim_report r ON r.report_id = d.report_id
     LEFT JOIN dim_page p ON p.page_key = d.page_key
     LEFT JOIN dim_section s ON s.section_key = d.parent_section_key
WHERE d.report_id = $rid
UNION ALL
SELECT 'report_table: ' || t.table_key, CASE WHEN r.report_id IS NULL THEN t.report_id END,
       CASE WHEN p.page_key IS NULL THEN t.page_key END,
       CASE WHEN t.section_key IS NOT NULL AND s.section_key IS NULL THEN t.section_key END,
       NULL, NULL, NULL, NULL, NULL, NULL
FROM report_table t LEFT JOIN dim_report r ON r.report_id = t.report_id
     LEFT JOIN dim_page p ON p.page_key = t.page_key
     LEFT JOIN dim_section s ON s.section_key = t.section_key
WHERE t.report_id = $rid
UNION ALL
SELECT 'table_cell: ' || c.report_id || ':t' || c.table_no || ' r' || c.row_no || ' c' || c.col_no,
       CASE WHEN r.report_id IS NULL THEN c.report_id END, NULL, NULL, NULL, NULL,
       CASE WHEN t.table_key IS NULL THEN c.report_id || ':t' || c.table_no END, NULL, NULL, NULL
FROM table_cell c LEFT JOIN dim_report r ON r.report_id = c.report_id
     LEFT JOIN report_table t ON t.report_id = c.report_id AND t.table_no = c.table_no
WHERE c.report_id = $rid
UNION ALL
SELECT 'number_mention: ' || m.report_id || ':m' || m.mention_no, CASE WHEN r.report_id IS NULL THEN m.report_id END,
       CASE WHEN p.page_key IS NULL THEN m.page_key END,
       CASE WHEN m.section_key IS NOT NULL AND s.section_key IS NULL THEN m.section_key END,
       NULL, NULL, NULL, NULL, NULL, NULL
FROM number_mention m LEFT JOIN dim_report r ON r.report_id = m.report_id
     LEFT JOIN dim_page p ON p.page_key = m.page_key
     LEFT JOIN dim_section s ON s.section_key = m.section_key
WHERE m.report_id = $rid
UNION ALL
SELECT 'dim_unit: ' || u.unit_key, NULL, NULL, NULL, NULL, NULL, NULL, NULL, u.unit, u.base_unit
FROM dim_unit u WHERE u.unit_key IN (SELECT unit_key FROM fact_quantity WHERE report_id = $rid)
