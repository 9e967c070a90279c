-- Units as written (magnitude prefix included) and how they convert to base units.
-- Filled from pipelines/report/units.py (the table itself is data: pipelines/report/data/units.json)
-- so that SQL and the extractor agree. A compound unit X/Y keeps X's dimension only per year; else 'other'.
CREATE TABLE dim_unit (
    unit_key    VARCHAR PRIMARY KEY,
    unit        VARCHAR NOT NULL,
    dimension   VARCHAR NOT NULL,
    base_unit   VARCHAR NOT NULL,
    factor      DECIMAL(38, 6) NOT NULL,
    currency    VARCHAR,
    per         VARCHAR
);
COMMENT ON TABLE dim_unit IS 'One row per unit as written in the reports loaded so far (a dropped report''s units stay) (magnitude prefix included: 億美元, 萬人次, %), with its dimension and how it converts to its base unit. Shared by all reports. Only quantities of the same dimension and base unit can be added up (never TWD with USD).';
COMMENT ON COLUMN dim_unit.unit_key IS 'Primary key: dimension || '':'' || unit (money:億美元).';
COMMENT ON COLUMN dim_unit.unit IS 'The unit as written, after NFKC normalisation (％ becomes %): 億美元, 萬人次, 公頃, %.';
COMMENT ON COLUMN dim_unit.dimension IS 'What the unit measures. money: an amount of a currency (base_unit and currency = the ISO code: TWD, USD, EUR, JPY, CNY, HKD, GBP); percent: a percentage or rate in percent (base_unit percent; ‰ and 成 converted); count: a number of things counted with a measure word (家, 人, 件, 人次 …; base_unit = the measure word); area (m2); volume (m3); mass (t, metric tonnes); energy (kWh; 度 = 1 kWh, oil equivalents converted); power (kW); length (m); other: any other measure, kept apart: voltage (kV, base_unit V) and compound rates such as 人/平方公里 or 公升油當量/千元 (base_unit = the compound without its magnitude). A quantity of dimension other is never its numerator''s dimension.';
COMMENT ON COLUMN dim_unit.base_unit IS 'The unit quantities are converted to: TWD, USD … for money; percent; the measure word for counts (家, 人次); m2, m3, t, kWh, kW, m; V or the compound for other.';
COMMENT ON COLUMN dim_unit.factor IS 'Exact multiplier from the unit as written to the base unit: quantity = value * factor (億美元: 100000000).';
COMMENT ON COLUMN dim_unit.currency IS 'ISO 4217 code (TWD, USD …) when dimension = money; NULL for every other dimension.';
COMMENT ON COLUMN dim_unit.per IS 'The time a rate is per (萬度/年 gives year), the unit keeping its numerator''s dimension; NULL for a unit that is not per a time.';
