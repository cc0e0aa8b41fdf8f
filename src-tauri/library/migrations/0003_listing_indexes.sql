-- Filtered listings of a large library (a licence, a type, a language or a level; newest first)
-- read an index in order and stop at the page, instead of sorting every resource with that value.
-- Only resources outside the trash are listed this way, so the indexes leave the trash out.
CREATE INDEX resources_listed_by_licence ON resources (licence, updated_at) WHERE trashed_at IS NULL;
CREATE INDEX resources_listed_by_type ON resources (resource_type, updated_at) WHERE trashed_at IS NULL;
CREATE INDEX resources_listed_by_language ON resources (language, updated_at) WHERE trashed_at IS NULL;
CREATE INDEX resources_listed_by_level ON resources (educational_level, updated_at) WHERE trashed_at IS NULL;
