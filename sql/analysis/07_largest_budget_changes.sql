-- The largest changes of budget from last year, by agency (issuer) and plan (row path): for each
-- agency, its budget-book rows ranked by the size of the change (this year's budget against last
-- year's), increases and decreases alike. Parameter `top`: rows per agency, 20 unless given
-- (--param top=50; in the DuckDB shell: SET VARIABLE top = 50).
-- Left out: total rows (合計, 總計, 小計: the sum of rows already listed) and rows with no change to
-- rank (no last year's budget and no printed change). A row printed in two tables of one book (a
-- summary table and its detail table) is listed once. A ranking, not a sum: a parent row (款, a
-- 工作計畫: row_depth 1) holds its children's changes, which are listed too (see parent_row_no).
-- Amounts are exact DECIMAL in TWD; `change` is as printed, else this_year_budget - last_year_budget.
WITH settings AS (SELECT coalesce(TRY_CAST(getvariable('top') AS INTEGER), 20) AS top),
line AS (
    SELECT *, coalesce(change, this_year_budget - last_year_budget) AS change_twd
    FROM v_budget_lines
    WHERE NOT is_total
), once AS (
    SELECT *, row_number() OVER (PARTITION BY report_id, row_path, coalesce(row_code, ''), this_year_budget,
                                               last_year_budget ORDER BY table_no, row_no) AS copy_no
    FROM line
    WHERE change_twd IS NOT NULL
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY coalesce(issuer, report_id)
                                 ORDER BY abs(change_twd) DESC, report_id, table_no, row_no) AS rank_in_agency
    FROM once
    WHERE copy_no = 1
)
SELECT coalesce(issuer, report_id) AS agency, rank_in_agency, report_id, roc_year, row_path, row_code, row_depth,
       last_year_budget, this_year_budget, change_twd AS change,
       CASE WHEN last_year_budget <> 0 THEN round(100 * change_twd / last_year_budget, 2) END AS change_percent,
       table_no, table_title, pdf_page
FROM ranked, settings
WHERE rank_in_agency <= settings.top
ORDER BY agency, rank_in_agency;
