-- Years a quantity refers to. Gregorian, with the ROC (民國) year the report writes.
CREATE TABLE IF NOT EXISTS dim_period (
    year      INTEGER PRIMARY KEY,
    roc_year  INTEGER NOT NULL
);
