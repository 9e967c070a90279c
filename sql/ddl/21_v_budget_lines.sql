-- Budget books (預算書): the rows of their budget tables. A budget table is one whose cells have a
-- this_year_budget column and a last_year_budget, change or prior_year_actual one
-- (table_cell.column_role). v_budget_cells holds every cell of those rows whose column has a role, in
-- long form (other columns included); v_budget_lines one row per table row with its amounts side by side.
-- Amounts are exact DECIMAL in TWD (table_cell.quantity); a dash printed for an amount is 0.
CREATE OR REPLACE VIEW v_budget_cells AS
WITH budget_table AS (
    SELECT report_id, table_no
    FROM table_cell
    GROUP BY report_id, table_no
    HAVING bool_or(column_role = 'this_year_budget')
       AND bool_or(column_role IN ('last_year_budget', 'change', 'prior_year_actual'))
), row_cell AS (
    SELECT c.*,
           bool_and(c.is_total) OVER (PARTITION BY c.report_id, c.table_no, c.row_no) AS row_is_total,
           regexp_matches(trim(coalesce(c.text, '')), '^[-－—–−‒―─ー]{1,3}$') AS is_dash
    FROM table_cell c
    JOIN budget_table b ON b.report_id = c.report_id AND b.table_no = c.table_no
    WHERE NOT c.is_header
)
SELECT
    report_id,
    table_no,
    row_no,
    col_no,
    column_role,
    col_label AS column_label,
    row_label AS row_path,
    coalesce(nullif(row_name, ''), nullif(trim(regexp_extract(row_label, '[^/]*$')), '')) AS row_name,
    row_code,
    row_depth,
    parent_row_no,
    row_is_total AS is_total,
    text,
    CASE WHEN value IS NOT NULL THEN value WHEN is_dash THEN CAST(0 AS DECIMAL(38, 6)) END AS value,
    unit,
    CASE WHEN quantity IS NOT NULL THEN quantity WHEN is_dash THEN CAST(0 AS DECIMAL(38, 6)) END AS quantity,
    is_dash,
    page_key
FROM row_cell
WHERE column_role IS NOT NULL;
COMMENT ON VIEW v_budget_cells IS 'Budget tables in long form: one row per cell of a budget table''s data row whose column has a role (table_cell.column_role: this_year_budget, last_year_budget, prior_year_actual, change, note, other), with the row''s name, code, depth and parent. The columns of role other (a plan''s share, a quantity, a unit cost …) are here, by column_label; v_budget_lines puts the four amounts and the note of a row side by side.';
COMMENT ON COLUMN v_budget_cells.report_id IS 'The report (dim_report.report_id).';
COMMENT ON COLUMN v_budget_cells.table_no IS 'The table (report_table.table_no).';
COMMENT ON COLUMN v_budget_cells.row_no IS 'The row (table_cell.row_no).';
COMMENT ON COLUMN v_budget_cells.col_no IS 'The column (table_cell.col_no).';
COMMENT ON COLUMN v_budget_cells.column_role IS 'What the column holds: this_year_budget, last_year_budget, prior_year_actual, change, note or other (table_cell.column_role). Never NULL here.';
COMMENT ON COLUMN v_budget_cells.column_label IS 'The column''s header path as printed (本年度預算數, 年需經費/本年度, 本年度預算數/一般行政).';
COMMENT ON COLUMN v_budget_cells.row_path IS 'The row''s label path (table_cell.row_label): its parents'' names and its own, joined by / (罰款及賠償收入/內政部/罰金罰鍰).';
COMMENT ON COLUMN v_budget_cells.row_name IS 'The row''s own name without its code or numbering (一般行政): table_cell.row_name, else the last part of row_path.';
COMMENT ON COLUMN v_budget_cells.row_code IS 'The account code printed with the row''s name (0408010000). NULL when none is printed.';
COMMENT ON COLUMN v_budget_cells.row_depth IS 'The row''s level: 1 top-level (款, a 工作計畫), 2 its children … NULL when the table reader gave none.';
COMMENT ON COLUMN v_budget_cells.parent_row_no IS 'The row_no of the row this one is part of. NULL at the top level.';
COMMENT ON COLUMN v_budget_cells.is_total IS 'True for a total row (合計, 總計, 小計: every cell of the row is a total cell): it sums other rows, leave it out of sums.';
COMMENT ON COLUMN v_budget_cells.text IS 'The cell''s text as printed.';
COMMENT ON COLUMN v_budget_cells.value IS 'The number in the unit as printed, exact; 0 for a dash (-). NULL when the cell holds no number (a note, a blank).';
COMMENT ON COLUMN v_budget_cells.unit IS 'The unit of value as written (千元). NULL when none was found.';
COMMENT ON COLUMN v_budget_cells.quantity IS 'The amount in TWD (money; the base unit otherwise), exact DECIMAL: value * the unit''s factor (table_cell.quantity); 0 for a dash. NULL when there is no number or no unit.';
COMMENT ON COLUMN v_budget_cells.is_dash IS 'True when the cell prints only a dash (-, －): an amount of 0.';
COMMENT ON COLUMN v_budget_cells.page_key IS 'The page the cell is printed on (dim_page.page_key).';

CREATE OR REPLACE VIEW v_budget_lines AS
WITH line AS (
    SELECT
        report_id, table_no, row_no,
        first(row_path ORDER BY col_no) AS row_path,
        first(row_name ORDER BY col_no) AS row_name,
        first(row_code ORDER BY col_no) AS row_code,
        first(row_depth ORDER BY col_no) AS row_depth,
        bool_and(is_total) AS is_total,
        first(parent_row_no ORDER BY col_no) AS parent_row_no,
        first(quantity ORDER BY col_no) FILTER (WHERE column_role = 'this_year_budget') AS this_year_budget,
        first(quantity ORDER BY col_no) FILTER (WHERE column_role = 'last_year_budget') AS last_year_budget,
        first(quantity ORDER BY col_no) FILTER (WHERE column_role = 'prior_year_actual') AS prior_year_actual,
        first(quantity ORDER BY col_no) FILTER (WHERE column_role = 'change') AS change,
        string_agg(nullif(trim(text), ''), ' ' ORDER BY col_no) FILTER (WHERE column_role = 'note') AS note,
        first(unit ORDER BY col_no) FILTER (WHERE column_role IN ('this_year_budget', 'last_year_budget',
                                                                    'prior_year_actual', 'change')
                                              AND unit IS NOT NULL) AS unit,
        first(page_key ORDER BY col_no) AS page_key
    FROM v_budget_cells
    GROUP BY report_id, table_no, row_no
)
SELECT
    l.report_id,
    r.issuer,
    r.roc_year,
    r.report_year,
    l.table_no,
    t.title AS table_title,
    l.row_no,
    l.row_path,
    l.row_name,
    l.row_code,
    l.row_depth,
    l.is_total,
    l.parent_row_no,
    l.this_year_budget,
    l.last_year_budget,
    l.prior_year_actual,
    l.change,
    l.note,
    l.unit,
    p.page_index + 1 AS pdf_page,
    l.page_key
FROM line l
LEFT JOIN dim_report r ON r.report_id = l.report_id
LEFT JOIN report_table t ON t.report_id = l.report_id AND t.table_no = l.table_no
LEFT JOIN dim_page p ON p.page_key = l.page_key;
COMMENT ON VIEW v_budget_lines IS 'Budget books: one row per data row of a budget table (a table with a this_year_budget column and a last_year_budget, change or prior_year_actual one), keyed by (report_id, table_no, row_no), with its amounts side by side as exact DECIMAL in TWD (a dash is 0). A parent row (款, a 工作計畫) holds the sum of its children (parent_row_no) and a total row (is_total) the sum of others: never sum across depths or with totals. Columns of role other are in v_budget_cells.';
COMMENT ON COLUMN v_budget_lines.report_id IS 'The budget book (dim_report.report_id).';
COMMENT ON COLUMN v_budget_lines.issuer IS 'The agency that issues the book, as its cover names it (dim_report.issuer: 內政部).';
COMMENT ON COLUMN v_budget_lines.roc_year IS 'The book''s year, ROC calendar (dim_report.roc_year: 114).';
COMMENT ON COLUMN v_budget_lines.report_year IS 'The book''s year, Gregorian (dim_report.report_year: 2025).';
COMMENT ON COLUMN v_budget_lines.table_no IS 'The table (report_table.table_no).';
COMMENT ON COLUMN v_budget_lines.table_title IS 'The table''s title line as printed (report_table.title: 歲入來源別預算表). NULL when none was found.';
COMMENT ON COLUMN v_budget_lines.row_no IS 'The row in its table (table_cell.row_no); with report_id and table_no the key.';
COMMENT ON COLUMN v_budget_lines.row_path IS 'The row''s label path: its parents'' names and its own joined by / (罰款及賠償收入/內政部/罰金罰鍰).';
COMMENT ON COLUMN v_budget_lines.row_name IS 'The row''s own name without its code or numbering (一般行政); the last part of row_path when the table reader gave none.';
COMMENT ON COLUMN v_budget_lines.row_code IS 'The account code printed with the row''s name (0408010000, 1000), as printed. NULL when none is printed.';
COMMENT ON COLUMN v_budget_lines.row_depth IS 'The row''s level: 1 a top-level row (款, a 工作計畫), 2 its children … NULL when the table reader gave none (a flat table).';
COMMENT ON COLUMN v_budget_lines.is_total IS 'True for a total row (合計, 總計, 小計): it sums other rows; leave it out of sums and rankings.';
COMMENT ON COLUMN v_budget_lines.parent_row_no IS 'The row_no of the row this one is part of (same table); its amounts include this row''s. NULL at the top level.';
COMMENT ON COLUMN v_budget_lines.this_year_budget IS 'This year''s budget (本年度預算數) in TWD, exact DECIMAL; 0 for a dash. NULL when the cell holds no number.';
COMMENT ON COLUMN v_budget_lines.last_year_budget IS 'Last year''s budget (上年度預算數, 上年度法定預算數) in TWD, exact; 0 for a dash. NULL when the table has no such column or the cell no number.';
COMMENT ON COLUMN v_budget_lines.prior_year_actual IS 'The actual figure of the year before last (前年度決算數) in TWD, exact; 0 for a dash. NULL when the table has no such column or the cell no number.';
COMMENT ON COLUMN v_budget_lines.change IS 'The change from last year as printed (本年度與上年度比較, 比較增減) in TWD, exact, negative for a decrease; 0 for a dash. NULL when the table has no such column (then this_year_budget - last_year_budget).';
COMMENT ON COLUMN v_budget_lines.note IS 'The row''s note (說明, 備註 columns), as printed. NULL when it has none.';
COMMENT ON COLUMN v_budget_lines.unit IS 'The unit the row''s amounts are printed in (千元), as written. NULL when none was found (then the amounts are NULL too, dashes aside).';
COMMENT ON COLUMN v_budget_lines.pdf_page IS 'The PDF viewer''s page (1-based) the row is printed on (its first cell).';
COMMENT ON COLUMN v_budget_lines.page_key IS 'That page (dim_page.page_key).';
