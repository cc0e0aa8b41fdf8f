-- Importing a large file asks whether a resource of the same size exists, to recognise a file
-- imported before without copying it first.
CREATE INDEX resources_by_size ON resources (size) WHERE trashed_at IS NULL;
