-- All quantities of one outline item and its children. Edit the path in `item` (e.g. '陸/五').
WITH item AS (SELECT '陸/五' AS path)
SELECT q.report_id, q.section_path, q.section_title, q.page_number, q.raw_text, q.dimension,
       q.quantity, q.base_unit, q.context
FROM v_quantities q, item
WHERE q.section_path = item.path OR q.section_path LIKE item.path || '/%'
ORDER BY q.report_id, q.quantity_key;
