-- The 20 largest amounts of money that are neither cumulative nor targets, with their sentence.
-- Ranked within each currency's own unit: TWD first, then USD and others. A ranking, not a sum:
-- a total and one of its parts can both appear (check `context`); changes are kept, marked by `comparison`.
SELECT report_id, chapter_no, section_path, page_number, raw_text, currency, quantity_exact AS amount,
       indicator, comparison, context
FROM v_quantities
WHERE dimension = 'money' AND NOT is_cumulative AND NOT is_target
ORDER BY CASE currency WHEN 'TWD' THEN 0 WHEN 'USD' THEN 1 ELSE 2 END, quantity_exact DESC, quantity_key
LIMIT 20;
