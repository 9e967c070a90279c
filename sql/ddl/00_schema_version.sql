-- The warehouse's schema version (pipelines/migrations.py): a warehouse is made from sql/ddl at
-- SCHEMA_VERSION, or upgraded to it in place by sql/migrations/NNN_*.sql, one row per version reached.
CREATE TABLE schema_version (
    version  INTEGER PRIMARY KEY,
    how      VARCHAR NOT NULL
);
COMMENT ON TABLE schema_version IS 'The schema versions this warehouse has had: one row per version reached; the current version is max(version). Written by the pipeline only (pipelines/migrations.py); a warehouse newer than the code reading it is refused.';
COMMENT ON COLUMN schema_version.version IS 'Schema version number (1 = the schema before versions were recorded). Never NULL.';
COMMENT ON COLUMN schema_version.how IS 'How the warehouse reached this version: "created from sql/ddl" (a new warehouse) or "upgraded by sql/migrations/NNN_….sql". Never NULL.';
