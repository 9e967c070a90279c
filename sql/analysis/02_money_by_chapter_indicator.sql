-- How much money does each chapter report, by what it measures (indicator)? TWD and USD apart:
-- amounts in different currencies are never summed together.
-- `total_reported` sums only figures that can be added: it leaves out targets (is_target: 預計, 目標),
-- cumulative figures (is_cumulative: 累計, 迄今, which already hold earlier years), changes (comparison
-- set: 較 100 年增加 3,127 萬元 is a difference between two levels, not a level) and a table's total
-- cells (table_cell.is_total: a 合計/總計/小計 row or column holds the sum of cells counted already).
-- Changes, cumulative figures and targets have their own columns (each summed apart; a figure both
-- cumulative and a target is in both); table totals are in none. Figures of one sentence can still be
-- a total and its parts (共 … 億元，其中 …): read `context` before trusting a sum.
WITH money AS (  -- table_cell.is_total: the table reader's own finding that a cell is in a total row or column
    SELECT q.*, coalesce(c.is_total, false) AS is_table_total
    FROM v_quantities q
    JOIN fact_quantity f USING (quantity_key)
    LEFT JOIN table_cell c
           ON c.report_id = f.report_id AND c.table_no = f.table_no AND c.row_no = f.row_no AND c.col_no = f.col_no
    WHERE q.dimension = 'money'
)
SELECT report_id, chapter_no, chapter_title, indicator, currency,
       count(*) AS amounts,
       sum(quantity_exact) FILTER (WHERE NOT is_target AND NOT is_cumulative AND comparison IS NULL
                                   AND NOT is_table_total) AS total_reported,
       sum(quantity_exact) FILTER (WHERE comparison IS NOT NULL) AS total_change,
       sum(quantity_exact) FILTER (WHERE is_cumulative)          AS total_cumulative,
       sum(quantity_exact) FILTER (WHERE is_target)              AS total_target
FROM money
GROUP BY ALL
ORDER BY report_id, chapter_no NULLS LAST, currency, total_reported DESC NULLS LAST;
