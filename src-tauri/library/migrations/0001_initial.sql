-- The first catalog schema: resources and collections, enough to count and list them.
-- Revisions, metadata, full text and the rest arrive in later numbered migrations.
-- Never edit a migration once released: add a new file instead.

CREATE TABLE resources (
    id TEXT PRIMARY KEY NOT NULL,
    -- Milliseconds since the Unix epoch, UTC.
    created_at INTEGER NOT NULL,
    -- Set while the resource is in the trash; NULL otherwise.
    trashed_at INTEGER
) STRICT;

CREATE TABLE collections (
    id TEXT PRIMARY KEY NOT NULL,
    parent_id TEXT REFERENCES collections (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX collections_by_parent ON collections (parent_id);
