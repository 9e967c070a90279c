-- One row per physical page of a report, with the page number printed on it.
CREATE TABLE IF NOT EXISTS dim_page (
    page_key         VARCHAR PRIMARY KEY,  -- report_id || ':p' || page_index
    report_id        VARCHAR NOT NULL,
    page_index       INTEGER NOT NULL,     -- physical, 0-based
    page_label       VARCHAR,              -- as printed; NULL on the cover and contents pages
    page_number      INTEGER,
    kind             VARCHAR NOT NULL,     -- front, contents or body
    char_count       INTEGER NOT NULL,     -- pdfplumber's character count
    body_char_count  INTEGER NOT NULL      -- characters kept as prose (headers, numbers, tables removed)
);
