-- The specific pieces of personal information a response to know gives the person (11 CCR
-- § 7024), as staff type or attach them, per category. A value of a § 7024(d) type (an SSN, an
-- account or ID number, a password…) is never kept: `value` is NULL and the export says the
-- item was collected, without it.
CREATE TABLE specific_item (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    label    TEXT NOT NULL CHECK (label <> ''),
    value    TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);

CREATE INDEX specific_item_by_case ON specific_item (case_id, category);
