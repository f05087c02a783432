-- Files kept with a case (the original email, a scanned letter, a signed permission), stored
-- inside the encrypted case file, never as loose files. Never edited; each addition is an
-- audit event naming the file and its SHA-256.

CREATE TABLE case_attachment (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (name <> ''),  -- the file name as given
    media_type TEXT NOT NULL,                     -- e.g. 'message/rfc822', 'application/pdf'
    size       INTEGER NOT NULL,                  -- bytes
    sha256     TEXT NOT NULL,                     -- hex SHA-256 of content
    content    BLOB NOT NULL,
    added_at   TEXT NOT NULL,                     -- UTC
    added_by   TEXT NOT NULL
);
CREATE INDEX case_attachment_by_case ON case_attachment (case_id, id);
