-- Digit runs in the prose that are not quantities, and why (date, duration, ordinal, rank, ratio,
-- identifier, marker, bare): with fact_quantity, every number of the prose is accounted for.
CREATE TABLE number_mention (
    report_id    VARCHAR NOT NULL,
    mention_no   INTEGER NOT NULL,
    section_key  VARCHAR,
    page_key     VARCHAR NOT NULL,
    text         VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    PRIMARY KEY (report_id, mention_no)
);
COMMENT ON TABLE number_mention IS 'One row per digit run in the prose that is not a quantity, with the reason (kind): with fact_quantity (source text), every number of the prose is accounted for.';
COMMENT ON COLUMN number_mention.report_id IS 'The report (dim_report.report_id).';
COMMENT ON COLUMN number_mention.mention_no IS 'Position in document order within the report, 1-based.';
COMMENT ON COLUMN number_mention.section_key IS 'The outline section it stands in (dim_section.section_key). NULL before the first heading.';
COMMENT ON COLUMN number_mention.page_key IS 'The page it is printed on (dim_page.page_key).';
COMMENT ON COLUMN number_mention.text IS 'The digits as written (NFKC), with the words that decided its kind where they are part of it.';
COMMENT ON COLUMN number_mention.kind IS 'Why it is not a quantity (pipelines/report/rules/mention_kinds.csv): date (101.4.2, 101 年, 5 月), duration (3 年內, 6 個月), ordinal (第 3 條), rank (前 10 名), ratio (3 比 1), identifier (part of a code or name with Latin letters: ISO 14064-2, 4G), marker (an outline or list marker: 1、 (2)), bare (a number with no unit the extractor could explain).';
