-- Version 1 -> 2: the schema version is stored in the warehouse. The tables are otherwise
-- unchanged; v_quantities gains number_text and raw_text_flat, and every table, view and
-- column gets its comment (views and comments are made again from sql/ddl after each upgrade).
CREATE TABLE schema_version (
    version  INTEGER PRIMARY KEY,
    how      VARCHAR NOT NULL
);
INSERT INTO schema_version VALUES (1, 'made before schema versions were recorded');
