-- Version 3 -> 4: budget books. Every table cell keeps its row's own name, account code, depth and
-- parent row, and its column's role (this_year_budget, last_year_budget, prior_year_actual, change,
-- note, other); the views v_budget_cells and v_budget_lines read them. Rows loaded before have NULL
-- in the new columns (so no budget lines) until their report is loaded again
-- (`python -m pipelines run --force`; views and comments are made again from sql/ddl after each upgrade).
ALTER TABLE table_cell ADD COLUMN row_name VARCHAR;
ALTER TABLE table_cell ADD COLUMN row_code VARCHAR;
ALTER TABLE table_cell ADD COLUMN row_depth INTEGER;
ALTER TABLE table_cell ADD COLUMN parent_row_no INTEGER;
ALTER TABLE table_cell ADD COLUMN column_role VARCHAR;
