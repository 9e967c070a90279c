-- The outline: chapters (壹…拾貳, 附錄) and their items (一、/（一）/1、/（1）), each with its parent.
CREATE TABLE dim_section (
    section_key         VARCHAR PRIMARY KEY,
    report_id           VARCHAR NOT NULL,
    section_id          INTEGER NOT NULL,
    parent_section_key  VARCHAR,
    level               INTEGER NOT NULL,
    marker              VARCHAR NOT NULL,
    number              INTEGER,
    title               VARCHAR NOT NULL,
    section_path        VARCHAR NOT NULL,
    chapter_no          INTEGER,
    chapter_title       VARCHAR,
    page_key            VARCHAR NOT NULL,
    last_page_key       VARCHAR NOT NULL,
    contents_page_label VARCHAR
);
COMMENT ON TABLE dim_section IS 'The outline of a report: one row per heading, chapters (壹 … 拾貳, 附錄) and their items (一、 （一） 1、 （1）), each with its parent. A section spans from its heading to the next heading of the same or a higher level.';
COMMENT ON COLUMN dim_section.section_key IS 'Primary key: report_id || '':s'' || section_id.';
COMMENT ON COLUMN dim_section.report_id IS 'The report (dim_report.report_id).';
COMMENT ON COLUMN dim_section.section_id IS 'Position of the heading in the document, 1-based.';
COMMENT ON COLUMN dim_section.parent_section_key IS 'The enclosing section (dim_section.section_key). NULL for chapters (level 1).';
COMMENT ON COLUMN dim_section.level IS 'Depth in the outline: 1 chapter (壹), 2 (一、), 3 (（一）), 4 (1、), 5 (（1）).';
COMMENT ON COLUMN dim_section.marker IS 'The heading''s marker as printed, without its punctuation: 壹, 一, （一）, 1, （1）.';
COMMENT ON COLUMN dim_section.number IS 'The marker as a number (陸 = 6, （三） = 3). NULL for markers that are not numbers (附錄).';
COMMENT ON COLUMN dim_section.title IS 'The heading''s text after its marker.';
COMMENT ON COLUMN dim_section.section_path IS 'The markers from the chapter down to this section, joined by / (陸/一/（二）): filter a subtree with section_path = ''陸/五'' OR section_path LIKE ''陸/五/%''.';
COMMENT ON COLUMN dim_section.chapter_no IS 'The chapter this section is in: 1–12 for 壹 … 拾貳. NULL in appendices and unnumbered parts (附錄, 前言), and in reports whose chapters the extractor does not number.';
COMMENT ON COLUMN dim_section.chapter_title IS 'That chapter''s title (貿易). NULL when chapter_no is NULL.';
COMMENT ON COLUMN dim_section.page_key IS 'The page of the heading (dim_page.page_key).';
COMMENT ON COLUMN dim_section.last_page_key IS 'The last page of the section, its subsections included (dim_page.page_key).';
COMMENT ON COLUMN dim_section.contents_page_label IS 'Chapters only: the page label the contents page gives for it. NULL for other levels, or when the contents page does not list the chapter.';
