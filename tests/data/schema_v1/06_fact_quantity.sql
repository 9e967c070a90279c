-- Grain: one quantity as written in a report: a number with its unit in the prose (source 'text')
-- or a numeric table cell (source 'table').
CREATE TABLE IF NOT EXISTS fact_quantity (
    quantity_key      VARCHAR PRIMARY KEY,  -- report_id || ':' || source || ':' || quantity_no
    report_id         VARCHAR NOT NULL,
    source            VARCHAR NOT NULL,     -- text or table
    quantity_no       INTEGER NOT NULL,     -- 1-based in document order within (report, source)
    section_key       VARCHAR,
    page_key          VARCHAR NOT NULL,
    unit_key          VARCHAR NOT NULL,
    year              INTEGER,              -- Gregorian year its sentence states for it (not a name's, not a comparison base)
    raw_text          VARCHAR NOT NULL,     -- as written, '\n' where a line/page break falls in it
    number_text       VARCHAR NOT NULL,     -- the numeral(s) as written
    value             DECIMAL(38, 6) NOT NULL,  -- in the unit as written
    quantity          DECIMAL(38, 6) NOT NULL,  -- in the base unit, exact
    qualifier         VARCHAR,              -- 約, 逾, 以上, 餘, 達, 累計, 預計, …
    context           VARCHAR,              -- the sentence (text) or row / column labels (table)
    table_no          INTEGER,
    row_no            INTEGER,
    col_no            INTEGER,
    indicator         VARCHAR,              -- what a money amount measures (NULL for non-money)
    indicator_keyword VARCHAR,              -- the keyword that decided it, for audit
    is_cumulative     BOOLEAN NOT NULL,
    is_target         BOOLEAN NOT NULL,
    is_approximate    BOOLEAN NOT NULL,
    comparison        VARCHAR,              -- change_vs_year for growth figures (較 100 年成長 …)
    base_year         INTEGER,              -- Gregorian year of the comparison base its sentence states (較 109 年, 與去年同期相比)
    period            VARCHAR,              -- what `year` is: year, academic_year, fiscal_year, half, quarter, month
    per               VARCHAR,              -- the time a rate is per (萬度/年 -> year), else NULL
    noun              VARCHAR               -- the noun between the number and its measure word (網站瀏覽 of 網站瀏覽人次)
);
