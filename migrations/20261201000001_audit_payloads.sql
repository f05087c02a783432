-- The audit log in its second form: a chain over payload digests, so that a payload (which can
-- hold personal data) can be purged while the chain still verifies, and events about the case
-- file as a whole (settings, profile, templates, logo, staff name) beside events about cases.
--
-- hash = SHA-256 over the JSON array [prev_hash, seq, subject, at, actor, action, payload_sha256].
-- The events of the first form (`case_event`) are carried over by PrivacyDesk when the file is
-- opened (their chain is verified first; the upgrade is refused if it does not verify), then a
-- `chain.upgraded` event records the old head and `case_event` is dropped.

CREATE TABLE audit_event (
    seq            INTEGER PRIMARY KEY,   -- position in the chain: 1, 2, 3, ... (handed out by audit_chain_head)
    subject        TEXT NOT NULL,         -- a case number ('PR-2026-00042') or 'settings', 'profile',
                                          -- 'templates', 'logo', 'staff', 'case-file'
    case_id        INTEGER REFERENCES privacy_case (id),  -- the case, for a case subject; NULL otherwise
    at             TEXT NOT NULL,         -- when, UTC
    actor          TEXT NOT NULL,         -- who
    action         TEXT NOT NULL,         -- what, e.g. 'case.created', 'settings.changed'
    payload_sha256 TEXT NOT NULL,         -- SHA-256 of the payload's JSON text, kept after a purge
    prev_hash      TEXT NOT NULL,         -- hash of the previous event (64 zeros for the first)
    hash           TEXT NOT NULL UNIQUE,
    purged_by      INTEGER                -- seq of the 'payload.purged' event that removed the payload
                                          -- (outside the hash: the purge event itself is hashed)
);
CREATE INDEX audit_event_by_case ON audit_event (case_id, seq) WHERE case_id IS NOT NULL;
CREATE INDEX audit_event_by_subject ON audit_event (subject, seq);

-- What each event says (the typed event as JSON). A purge deletes rows here, never above.
CREATE TABLE audit_payload (
    seq     INTEGER PRIMARY KEY REFERENCES audit_event (seq),
    payload TEXT NOT NULL
);

-- The head of the chain, so that removing the newest events is detectable too.
CREATE TABLE audit_chain_head (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_seq  INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_chain_head (singleton, last_seq, last_hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Set to 'done' once the first form's events are carried over (see above).
INSERT INTO organisation_setting (key, value) VALUES ('audit_upgrade', 'pending');
