-- Every growth percentage (a change against a base year, e.g. 較 100 年成長 22.35％), with its base year.
-- A list, not a sum: percentages of different bases never add up.
SELECT report_id, chapter_no, section_path, page_number, raw_text, quantity AS percent_change,
       year, base_year, comparison, context
FROM v_quantities
WHERE dimension = 'percent' AND comparison IS NOT NULL
ORDER BY report_id, quantity_key;
