-- Rows staff add to a case's decision matrix beyond the profile's categories (an
-- investigation file, badge photographs…): decided like the others, and listed in the letters
-- by their name.
CREATE TABLE case_category (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    code         TEXT NOT NULL CHECK (code <> ''),
    name         TEXT NOT NULL CHECK (name <> ''),
    source       TEXT NOT NULL DEFAULT '',
    purpose      TEXT NOT NULL DEFAULT '',
    disclosed_to TEXT NOT NULL DEFAULT '',
    sensitive    INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
    health       INTEGER NOT NULL DEFAULT 0 CHECK (health IN (0, 1)),
    added_by     TEXT NOT NULL,
    added_at     TEXT NOT NULL,
    UNIQUE (case_id, code)
);

-- The written statement a person sends about health information whose correction was denied
-- (11 CCR § 7023(f)(3); Civ. Code § 1798.185(a)(8)(D)): up to 250 words per item, kept with the
-- record of the request so it goes with the information it disputes.
CREATE TABLE correction_statement (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    category    TEXT NOT NULL,
    item        TEXT NOT NULL CHECK (item <> ''),
    body        TEXT NOT NULL CHECK (body <> ''),
    words       INTEGER NOT NULL CHECK (words BETWEEN 1 AND 250),
    received_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE INDEX correction_statement_by_case ON correction_statement (case_id);
