-- Version 2 -> 3: every quantity keeps the box it is printed in (PDF points, top-left origin, on
-- its page). Rows loaded before have NULL boxes until their report is loaded again
-- (`python -m pipelines run --force`); v_quantities gains x0, top, x1, bottom (views and comments
-- are made again from sql/ddl after each upgrade).
ALTER TABLE fact_quantity ADD COLUMN x0 DOUBLE;
ALTER TABLE fact_quantity ADD COLUMN top DOUBLE;
ALTER TABLE fact_quantity ADD COLUMN x1 DOUBLE;
ALTER TABLE fact_quantity ADD COLUMN bottom DOUBLE;
