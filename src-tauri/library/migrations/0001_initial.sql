-- The first catalog schema. Never edit a migration once released: add a new numbered file.
--
-- The catalog is an index: revisions.encoded holds each revision's canonical encoding, from which
-- every other column can be rebuilt together with the objects folder.

-- A resource: a stable id and its current head revision. The listing columns are copied from the
-- head revision so that lists, filters and sorting need no JSON parsing.
CREATE TABLE resources (
    -- Small integer key for the full-text index, whose rowid must be stable.
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    head TEXT NOT NULL,
    title TEXT NOT NULL,
    licence TEXT NOT NULL,
    language TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    educational_level TEXT NOT NULL,
    media_type TEXT NOT NULL,
    file_name TEXT NOT NULL,
    object TEXT NOT NULL,
    size INTEGER NOT NULL,
    -- Milliseconds since the Unix epoch, UTC.
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Set while the resource is in the trash; NULL otherwise.
    trashed_at INTEGER
) STRICT;

CREATE INDEX resources_by_object ON resources (object);
CREATE INDEX resources_by_updated ON resources (updated_at);
CREATE INDEX resources_by_title ON resources (title COLLATE NOCASE);

CREATE TABLE revisions (
    id TEXT PRIMARY KEY NOT NULL,
    resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    object TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- The canonical encoding the id is the hash of (JSON).
    encoded BLOB NOT NULL
) STRICT;

CREATE INDEX revisions_by_resource ON revisions (resource_id, created_at);
CREATE INDEX revisions_by_object ON revisions (object);

CREATE TABLE revision_parents (
    revision_id TEXT NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    parent_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (revision_id, position)
) STRICT;

CREATE TABLE collections (
    id TEXT PRIMARY KEY NOT NULL,
    parent_id TEXT REFERENCES collections (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX collections_by_parent ON collections (parent_id);

-- Full text of the head revision of every resource, keyed by resources.key.
CREATE VIRTUAL TABLE resource_text USING fts5 (
    title,
    creators,
    keywords,
    description,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
