-- The audit log: every change to a case is an append-only event, chained by hash so that an
-- edit or deletion made outside the app is detectable (`privacydesk audit verify`).
-- hash = SHA-256 over the JSON array [prev_hash, id, case_number, at, actor, action, before, after].

CREATE TABLE case_event (
    id          INTEGER PRIMARY KEY,     -- position in the chain, 1, 2, 3, ...
    case_id     INTEGER NOT NULL REFERENCES privacy_case (id),
    case_number TEXT NOT NULL,           -- kept in the hashed content, so events name their case
    at          TEXT NOT NULL,           -- when, UTC
    actor       TEXT NOT NULL,           -- who (staff name, or the OS user for the CLI)
    action      TEXT NOT NULL,           -- what, e.g. 'case.created', 'extension.recorded'
    before      TEXT,                    -- JSON of what changed, before (NULL for a creation)
    after       TEXT,                    -- JSON after
    prev_hash   TEXT NOT NULL,           -- hash of the previous event (64 zeros for the first)
    hash        TEXT NOT NULL UNIQUE
);
CREATE INDEX case_event_by_case ON case_event (case_id, id);

-- The head of the chain, so that deleting the newest events is detectable too.
CREATE TABLE audit_head (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_id     INTEGER NOT NULL,
    last_hash   TEXT NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
