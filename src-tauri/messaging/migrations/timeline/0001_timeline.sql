-- The timeline store's first schema: what an account's rooms hold, decrypted, for offline reading
-- and local search, and the outbox of messages still to send.
CREATE TABLE rooms (
    room_id TEXT PRIMARY KEY,
    name TEXT,
    encrypted INTEGER NOT NULL DEFAULT 0,
    -- The m.room.encryption content, for the machine's rotation settings.
    encryption TEXT,
    -- join, invite or leave.
    membership TEXT NOT NULL,
    -- The other person of a direct message (from m.direct), or NULL.
    direct_with TEXT,
    -- Where paging back into older history continues (/messages `from`), or NULL at the start.
    prev_batch TEXT
);

CREATE TABLE members (
    room_id TEXT NOT NULL REFERENCES rooms (room_id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    membership TEXT NOT NULL,
    display_name TEXT,
    PRIMARY KEY (room_id, user_id)
) WITHOUT ROWID;

CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL REFERENCES rooms (room_id) ON DELETE CASCADE,
    -- Order within the room: new events count up, backfilled ones count down.
    position INTEGER NOT NULL,
    sender TEXT NOT NULL,
    origin_server_ts INTEGER NOT NULL,
    -- The decrypted type (m.room.message), or m.room.encrypted when it could not be decrypted.
    event_type TEXT NOT NULL,
    msgtype TEXT,
    body TEXT,
    formatted_body TEXT,
    -- The decrypted content as JSON (attachments keep their file object here).
    content TEXT NOT NULL,
    encrypted INTEGER NOT NULL,
    -- Why an encrypted event could not be decrypted; NULL when it was (or was never encrypted).
    undecryptable_reason TEXT,
    -- The event as it came, kept only while it is undecryptable so a late room key can still open it.
    raw TEXT
);
CREATE INDEX events_by_room ON events (room_id, position);

CREATE VIRTUAL TABLE events_search USING fts5 (body, content = 'events', content_rowid = 'rowid');
CREATE TRIGGER events_search_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_search (rowid, body) VALUES (new.rowid, coalesce(new.body, ''));
END;
CREATE TRIGGER events_search_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_search (events_search, rowid, body) VALUES ('delete', old.rowid, coalesce(old.body, ''));
END;
CREATE TRIGGER events_search_update AFTER UPDATE OF body ON events BEGIN
    INSERT INTO events_search (events_search, rowid, body) VALUES ('delete', old.rowid, coalesce(old.body, ''));
    INSERT INTO events_search (rowid, body) VALUES (new.rowid, coalesce(new.body, ''));
END;

-- Messages waiting to be sent, in order. A row goes only once the homeserver answered with an
-- event id; until then every retry uses the same transaction id, so the server keeps one event.
CREATE TABLE outbox (
    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT NOT NULL UNIQUE,
    room_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    -- The content to send, before encryption.
    content TEXT NOT NULL,
    -- The m.room.encrypted content once encrypted: a retry sends exactly these bytes again.
    encrypted_content TEXT,
    queued_ms INTEGER NOT NULL
);

CREATE TABLE sync_token (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    token TEXT NOT NULL
);
