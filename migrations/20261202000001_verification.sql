-- Identity verification (11 CCR §§ 7060-7063): what the person gave for each data point and
-- how it compared with the organisation's records, the signed declaration, an agent's
-- evidence, and the outcome per kind of request. What the person gave lives here only (never
-- in the search index, the history or a letter) and is purged once the request has served
-- (§ 7060(d)): `given` becomes NULL and `purged_at` is set; the result stays, as the record.

CREATE TABLE verification_point (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    field      TEXT NOT NULL CHECK (field <> ''),
    given      TEXT,
    result     TEXT NOT NULL CHECK (result IN ('matched', 'not-matched', 'not-held')),
    checked_by TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    UNIQUE (case_id, field)
);

-- The signed declaration under penalty of perjury (§ 7062(c)): a file kept with the case, or
-- the date a paper one was received. A record (§ 7101): not purged with the values.
CREATE TABLE verification_declaration (
    case_id       INTEGER PRIMARY KEY REFERENCES privacy_case (id) ON DELETE CASCADE,
    attachment_id INTEGER REFERENCES case_attachment (id),
    received_on   TEXT,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    CHECK (attachment_id IS NOT NULL OR received_on IS NOT NULL)
);

CREATE TABLE verification_agent_evidence (
    case_id     INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    evidence    TEXT NOT NULL CHECK (evidence IN ('signed-permission', 'direct-confirmation', 'power-of-attorney')),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (case_id, evidence)
);

CREATE TABLE verification_outcome (
    case_id     INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('verified', 'failed')),
    reason      TEXT NOT NULL DEFAULT '',
    on_date     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (case_id, kind)
);

-- When a case's verification values were purged (one row per case, once).
CREATE TABLE verification_purge (
    case_id INTEGER PRIMARY KEY REFERENCES privacy_case (id) ON DELETE CASCADE,
    at      TEXT NOT NULL,
    points  INTEGER NOT NULL
);
