-- The answer to a kind of request whose verification failed (11 CCR §§ 7022(a), 7023(a),
-- 7024(a)-(b)), given by an unable-to-verify letter: denied, and for specific pieces also
-- handled as a request for categories. Kept as data for the § 7101 record (denied: unverifiable).
CREATE TABLE verification_answer (
    case_id       INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    as_categories INTEGER NOT NULL CHECK (as_categories IN (0, 1)),
    letter_id     INTEGER NOT NULL REFERENCES letter (id),
    answered_on   TEXT NOT NULL,
    answered_by   TEXT NOT NULL,
    PRIMARY KEY (case_id, kind)
);

-- An extract of the organisation's system of record, for matching what a person gives: never
-- the values, only a keyed hash (HMAC-SHA-256) of each normalised value under a key made for the
-- extract and kept here, inside the encrypted file. One extract at a time: loading a new one
-- replaces the old, key and all. Nothing here enters the search index, the history or a letter.
CREATE TABLE reference_extract (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    hmac_key  BLOB NOT NULL CHECK (length(hmac_key) = 32),
    records   INTEGER NOT NULL,
    fields    TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    loaded_by TEXT NOT NULL
);

-- One person's record in the extract (`record`: its row, numbered from 1) and the keyed hash of
-- each data point it holds.
CREATE TABLE reference_value (
    record INTEGER NOT NULL,
    field  TEXT NOT NULL,
    digest BLOB NOT NULL,
    PRIMARY KEY (record, field)
) WITHOUT ROWID;

CREATE INDEX reference_value_by_digest ON reference_value (field, digest);
