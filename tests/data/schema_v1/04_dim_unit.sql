-- Units as written (magnitude prefix included) and how they convert to base units.
-- Filled from pipelines/report/units.py (the table itself is data: pipelines/report/data/units.json)
-- so that SQL and the extractor agree. A compound unit X/Y keeps X's dimension only per year; else 'other'.
CREATE TABLE IF NOT EXISTS dim_unit (
    unit_key    VARCHAR PRIMARY KEY,       -- dimension || ':' || unit
    unit        VARCHAR NOT NULL,          -- as written: 億美元, 萬人次, %
    dimension   VARCHAR NOT NULL,          -- money, percent, count, area, volume, mass, energy, power, length, other
    base_unit   VARCHAR NOT NULL,          -- TWD, USD, percent, 家, m2, m3, t, kWh, kW, m
    factor      DECIMAL(38, 6) NOT NULL,   -- quantity = value * factor
    currency    VARCHAR,                   -- ISO code for money, else NULL
    per         VARCHAR                    -- the time a rate is per (萬度/年 -> year), else NULL
);
