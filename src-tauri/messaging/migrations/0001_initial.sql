-- The crypto store's first schema. Columns named `pickle` hold vodozemac pickles encrypted with the
-- caller's pickle key; nothing here can decrypt them.
CREATE TABLE account (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    user_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    pickle TEXT NOT NULL,
    shared INTEGER NOT NULL
);

CREATE TABLE olm_sessions (
    session_id TEXT PRIMARY KEY,
    sender_key TEXT NOT NULL,
    pickle TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    sequence INTEGER NOT NULL
);
CREATE INDEX olm_sessions_by_sender_key ON olm_sessions (sender_key);

CREATE TABLE inbound_group_sessions (
    room_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    sender_key TEXT NOT NULL,
    claimed_ed25519_key TEXT NOT NULL,
    pickle TEXT NOT NULL,
    PRIMARY KEY (room_id, session_id)
);

CREATE TABLE outbound_group_sessions (
    room_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    pickle TEXT NOT NULL,
    state TEXT NOT NULL
);

CREATE TABLE devices (
    user_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (user_id, device_id)
);

CREATE TABLE tracked_users (
    user_id TEXT PRIMARY KEY,
    dirty INTEGER NOT NULL,
    queried INTEGER NOT NULL
);

CREATE TABLE processed_messages (
    hash TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE TABLE room_event_indices (
    session_id TEXT NOT NULL,
    message_index INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (session_id, message_index)
) WITHOUT ROWID;

CREATE TABLE sync_token (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    token TEXT NOT NULL
);
