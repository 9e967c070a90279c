-- Years a quantity refers to. Gregorian, with the ROC (民國) year the report writes.
CREATE TABLE dim_period (
    year      INTEGER PRIMARY KEY,
    roc_year  INTEGER NOT NULL
);
COMMENT ON TABLE dim_period IS 'One row per year a quantity of the reports loaded so far refers to (fact_quantity.year; a dropped report''s years stay). Shared by all reports.';
COMMENT ON COLUMN dim_period.year IS 'Gregorian year (2012). Primary key.';
COMMENT ON COLUMN dim_period.roc_year IS 'The same year in the ROC calendar the reports write (民國 101 = 2012, year - 1911).';
