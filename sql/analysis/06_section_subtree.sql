-- All quantities of one outline item and its children, in document order.
-- Parameter `path`: the item's outline path, 陸/五 (促進貿易發展) unless given: --param path=肆/二
-- (in the DuckDB shell: SET VARIABLE path = '肆/二').
-- A list, not a sum: the rows mix dimensions, targets and cumulative figures (see is_target, is_cumulative).
WITH item AS (SELECT coalesce(getvariable('path'), '陸/五') AS path)
SELECT q.report_id, q.section_path, q.section_title, q.page_number, q.raw_text, q.dimension,
       q.quantity_exact AS quantity, q.base_unit, q.is_target, q.is_cumulative, q.context
FROM v_quantities q, item
WHERE q.section_path = item.path OR q.section_path LIKE item.path || '/%'
ORDER BY q.report_id, q.quantity_key;
