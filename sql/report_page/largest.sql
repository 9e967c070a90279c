-- The report page's largest amounts: the top $limit amounts of money of each report and currency,
-- leaving out targets (is_target), cumulative figures (is_cumulative) and table total cells
-- (table_cell.is_total). number_text is read from fact_quantity (schema 2 warehouses lack it
-- in v_quantities). A ranking, not a sum: a total and one of its parts can both appear, and a
-- change (comparison set) is kept and marked.
WITH money AS (
    SELECT q.*, f.number_text, row_number() OVER (PARTITION BY q.report_id, q.currency
                                   ORDER BY q.quantity_exact DESC, q.quantity_key) AS rank
    FROM v_quantities q
    JOIN fact_quantity f USING (quantity_key)
    LEFT JOIN table_cell c
           ON c.report_id = f.report_id AND c.table_no = f.table_no AND c.row_no = f.row_no AND c.col_no = f.col_no
    WHERE q.dimension = 'money' AND NOT q.is_target AND NOT q.is_cumulative AND NOT coalesce(c.is_total, false)
)
SELECT report_id, currency, rank, quantity_exact AS amount, number_text, indicator, comparison,
       section_path, section_title, page_number, pdf_page, source, context, quantity_key
FROM money
WHERE rank <= $limit
ORDER BY report_id, CASE currency WHEN 'TWD' THEN 0 WHEN 'USD' THEN 1 ELSE 2 END, currency, rank;
