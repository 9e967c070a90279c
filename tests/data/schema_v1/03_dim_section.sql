-- The outline: chapters (壹…拾貳, 附錄) and their items (一、/（一）/1、/（1）), each with its parent.
CREATE TABLE IF NOT EXISTS dim_section (
    section_key         VARCHAR PRIMARY KEY,  -- report_id || ':s' || section_id
    report_id           VARCHAR NOT NULL,
    section_id          INTEGER NOT NULL,     -- 1-based in document order
    parent_section_key  VARCHAR,              -- NULL for chapters
    level               INTEGER NOT NULL,     -- 1 chapter … 5
    marker              VARCHAR NOT NULL,     -- 壹, 一, （一）, 1, （1）
    number              INTEGER,
    title               VARCHAR NOT NULL,
    section_path        VARCHAR NOT NULL,     -- 壹/一/（一）/1/（1）
    chapter_no          INTEGER,              -- 1–12 for 壹…拾貳; NULL for appendices
    chapter_title       VARCHAR,
    page_key            VARCHAR NOT NULL,     -- page of the heading
    last_page_key       VARCHAR NOT NULL,     -- last page of the section with its children
    contents_page_label VARCHAR               -- chapters: the page the contents page gives
);
