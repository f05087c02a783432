-- The new request being typed at this desk, kept as the form left it (JSON the window reads
-- back) so that a restart or a crash loses nothing. One draft per case file; it holds personal
-- data, so it lives here, encrypted, and is deleted once the request is logged or discarded.

CREATE TABLE intake_draft (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    document TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
