-- History across resources (DESIGN §5): copies ("forks"), merges, bundles and the editor's drafts.
-- Never edit a migration once released: add a new numbered file.

-- A revision outlives the resource it was made in: a copy's history runs through its source's
-- revisions, and must stay whole when the source is deleted. `resource_id` names the resource a
-- revision was made in, without a foreign key; emptying the trash removes the revisions that no
-- remaining resource's history reaches. (SQLite cannot drop a constraint, so the table is rebuilt;
-- the migration runs with foreign keys off and checks them before it commits.)
CREATE TABLE revisions_rebuilt (
    id TEXT PRIMARY KEY NOT NULL,
    resource_id TEXT NOT NULL,
    object TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    -- The canonical encoding the id is the hash of (JSON).
    encoded BLOB NOT NULL
) STRICT;

INSERT INTO revisions_rebuilt (id, resource_id, object, created_at, encoded)
    SELECT id, resource_id, object, created_at, encoded FROM revisions;
DROP TABLE revisions;
ALTER TABLE revisions_rebuilt RENAME TO revisions;

CREATE INDEX revisions_by_resource ON revisions (resource_id, created_at);
CREATE INDEX revisions_by_object ON revisions (object);
-- Walking a history forwards (which revisions descend from this one) and finding copies.
CREATE INDEX revision_parents_by_parent ON revision_parents (parent_id);

-- Where a resource came from: the resource and revision it was copied from (one row), or each of
-- the works it combines (a row per source); where that was (this library, a bundle file, a
-- conversation); and the attributions owed, nearest first, so that a copy of a copy keeps the whole
-- chain even when the resources in between are gone.
CREATE TABLE provenance (
    resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    source_resource_id TEXT NOT NULL,
    source_revision TEXT NOT NULL,
    -- 'library', 'bundle' or 'conversation'.
    origin TEXT NOT NULL,
    -- What a person recognises the origin by: a bundle's file name, a conversation's name.
    origin_label TEXT NOT NULL DEFAULT '',
    -- JSON array of commonplace_licence::Attribution.
    attributions TEXT NOT NULL,
    -- 0 for a copy; the order of the sources for a combination.
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (resource_id, position)
) STRICT;

CREATE INDEX provenance_by_source ON provenance (source_resource_id);

-- Revisions of a resource that arrived (in a bundle) after it had moved on here: another head of
-- the same resource, waiting to be brought in with a merge.
CREATE TABLE incoming_heads (
    resource_id TEXT NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    revision_id TEXT NOT NULL,
    origin_label TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (resource_id, revision_id)
) STRICT;

-- An unfinished merge into a resource: the three revisions and the conflicts with the resolutions
-- made so far, as JSON, so a merge can be left and resumed and nothing is lost. One per resource.
CREATE TABLE merges (
    resource_id TEXT PRIMARY KEY NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    ours TEXT NOT NULL,
    theirs TEXT NOT NULL,
    base TEXT NOT NULL,
    state TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- The editor's autosaved text of a resource, kept until it is saved as a revision or discarded,
-- so that a crash loses nothing.
CREATE TABLE drafts (
    resource_id TEXT PRIMARY KEY NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    -- The revision the draft was started from.
    base_head TEXT NOT NULL,
    text TEXT NOT NULL,
    saved_at INTEGER NOT NULL
) STRICT;
