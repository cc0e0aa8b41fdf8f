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
    trashed_at INTEGER,
    -- 1 when the file it was imported from in a watched folder has been deleted. The resource
    -- itself is never removed for that.
    source_removed INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX resources_by_object ON resources (object);
CREATE INDEX resources_by_updated ON resources (updated_at);
CREATE INDEX resources_by_trashed ON resources (trashed_at) WHERE trashed_at IS NOT NULL;
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

-- A collection is manual (items in collection_items, in the curator's order) or smart (a saved
-- search in `query`, whose members follow the library live).
CREATE TABLE collections (
    id TEXT PRIMARY KEY NOT NULL,
    parent_id TEXT REFERENCES collections (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- JSON of a SearchQuery for a smart collection; NULL for a manual one.
    query TEXT,
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX collections_by_parent ON collections (parent_id);

CREATE TABLE collection_items (
    collection_id TEXT NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    -- 0, 1, 2, … in the curator's order.
    position INTEGER NOT NULL,
    -- The curator's note on this item in this collection.
    note TEXT NOT NULL DEFAULT '',
    added_at INTEGER NOT NULL,
    PRIMARY KEY (collection_id, resource_id)
) STRICT;

CREATE INDEX collection_items_by_resource ON collection_items (resource_id);

-- Folders whose files are imported by themselves. These are the user's folders, outside the
-- library, so their paths are absolute: the one place the catalog names a path outside it.
CREATE TABLE watched_folders (
    path TEXT PRIMARY KEY NOT NULL,
    added_at INTEGER NOT NULL
) STRICT;

-- Which resource each file in a watched folder became, and what the file looked like then, so a
-- scan can tell new, changed, moved and deleted files apart.
CREATE TABLE watched_files (
    folder TEXT NOT NULL REFERENCES watched_folders (path) ON DELETE CASCADE,
    relative_path TEXT NOT NULL,
    resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    size INTEGER NOT NULL,
    -- Modification time in milliseconds since the Unix epoch.
    modified INTEGER NOT NULL,
    object TEXT NOT NULL,
    PRIMARY KEY (folder, relative_path)
) STRICT;

CREATE INDEX watched_files_by_resource ON watched_files (resource_id);

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
