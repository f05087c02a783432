-- What is done with each category of personal information for each kind of a case, on which
-- basis and until when (Civ. Code §§ 1798.105(d), 1798.145; 11 CCR §§ 7022-7024), and the
-- substantive response per kind: complied in whole or in part, or denied, and why — stored as
-- data for the § 7101 record and the § 7102 figures, never parsed back from the history.

CREATE TABLE case_decision (
    case_id             INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    kind                TEXT NOT NULL,
    category            TEXT NOT NULL,
    outcome             TEXT NOT NULL,
    basis               TEXT,
    record_type         TEXT,
    until_date          TEXT,
    until_rule          TEXT,
    reproductive_health INTEGER NOT NULL DEFAULT 0 CHECK (reproductive_health IN (0, 1)),
    note                TEXT NOT NULL DEFAULT '',
    decided_by          TEXT NOT NULL,
    decided_at          TEXT NOT NULL,
    PRIMARY KEY (case_id, kind, category)
);

CREATE TABLE case_response (
    case_id       INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('complied', 'complied-in-part', 'denied')),
    denial_reason TEXT CHECK (denial_reason IN ('unverifiable', 'not-covered', 'exempt', 'other')),
    basis         TEXT,
    responded_on  TEXT NOT NULL,
    letter_id     INTEGER REFERENCES letter (id),
    recorded_by   TEXT NOT NULL,
    PRIMARY KEY (case_id, kind),
    CHECK ((outcome = 'denied') = (denial_reason IS NOT NULL))
);

-- Kinds already answered as not verifiable (before this table) are responses too.
INSERT INTO case_response (case_id, kind, outcome, denial_reason, responded_on, letter_id, recorded_by)
SELECT case_id, kind, 'denied', 'unverifiable', answered_on, letter_id, answered_by FROM verification_answer;
