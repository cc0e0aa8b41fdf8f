-- Where a resource that came from another library arrived from: a bundle file someone gave, or a
-- conversation it was shared in. Copies made of it record this as their origin, and its lineage
-- shows who shared it. Resources made here have no row.
CREATE TABLE arrivals (
    resource_id TEXT PRIMARY KEY REFERENCES resources (id) ON DELETE CASCADE,
    -- 'bundle' or 'conversation'.
    origin TEXT NOT NULL,
    -- The bundle's file name, or who shared it.
    origin_label TEXT NOT NULL,
    arrived_at INTEGER NOT NULL
) STRICT;
