-- Notes staff add to a case: kept in order, never edited (a correction is a new note), found by
-- the queue search, and each one an audit event.

CREATE TABLE case_note (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    at      TEXT NOT NULL,               -- UTC
    author  TEXT NOT NULL,
    body    TEXT NOT NULL CHECK (body <> '')
);
CREATE INDEX case_note_by_case ON case_note (case_id, id);
