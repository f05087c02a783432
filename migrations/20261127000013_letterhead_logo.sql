-- The organisation's logo for the letterhead (PNG), optional; one row at most.
CREATE TABLE letterhead_logo (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    png BLOB NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL
);
