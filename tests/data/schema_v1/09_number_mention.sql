-- Digit runs in the prose that are not quantities, and why (date, duration, ordinal, rank, ratio,
-- identifier, marker, bare): with fact_quantity, every number of the prose is accounted for.
CREATE TABLE IF NOT EXISTS number_mention (
    report_id    VARCHAR NOT NULL,
    mention_no   INTEGER NOT NULL,
    section_key  VARCHAR,
    page_key     VARCHAR NOT NULL,
    text         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    PRIMARY KEY (report_id, mention_no)
);
