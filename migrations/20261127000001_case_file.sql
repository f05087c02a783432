-- The first case file: organisation settings, requesters and cases with their request kinds.
-- Conventions (docs/DESIGN.md, "Storage"): singular snake_case table names; instants as
-- RFC 3339 UTC text with whole seconds ("2026-03-02T17:05:00Z"), so text order is time order;
-- dates as "YYYY-MM-DD"; enumerations as the domain's kebab-case tokens, guarded by CHECK.
-- Plain SQL only, so that a shared PostgreSQL server can later hold the same schema.

-- Key/value settings of the organisation profile, until the profile gets its own tables.
CREATE TABLE organisation_setting (
    key   TEXT PRIMARY KEY,   -- setting name, e.g. 'time_zone'
    value TEXT NOT NULL       -- its value as text
);
INSERT INTO organisation_setting (key, value) VALUES ('time_zone', 'America/Los_Angeles');

-- Last case sequence handed out per year of receipt: PR-<year>-<last_number>.
CREATE TABLE case_number_sequence (
    year        INTEGER PRIMARY KEY,  -- year of the legal date of receipt
    last_number INTEGER NOT NULL CHECK (last_number > 0)
);

-- The person a request is about.
CREATE TABLE requester (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL CHECK (name <> ''),
    email         TEXT,              -- NULL when not given
    phone         TEXT,              -- as written by the person
    address_lines TEXT,              -- street lines joined by a newline; NULL when no postal address
    city          TEXT,
    state         TEXT,              -- two-letter code for US addresses
    postal_code   TEXT,
    country       TEXT               -- ISO 3166-1 alpha-2; NULL when no postal address
);

-- A case: one request from one person.
CREATE TABLE privacy_case (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,                 -- 'PR-2026-00042'
    received_at   TEXT NOT NULL,                        -- instant of receipt, UTC
    received_date TEXT NOT NULL,                        -- legal date of receipt in time_zone
    time_zone     TEXT NOT NULL,                        -- IANA zone used for received_date
    channel       TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'web-form', 'postal-mail', 'in-person')),
    requester_id  INTEGER NOT NULL REFERENCES requester (id),
    status        TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'verifying', 'in-progress',
                      'responded', 'closed', 'denied', 'withdrawn', 'not-covered')),
    created_at    TEXT NOT NULL,                        -- when the case was logged, UTC
    updated_at    TEXT NOT NULL,                        -- last change, UTC
    version       INTEGER NOT NULL DEFAULT 1            -- bumped on every change (optimistic concurrency)
);
-- The queue: newest received first.
CREATE INDEX privacy_case_by_received ON privacy_case (received_at DESC, id DESC);
CREATE INDEX privacy_case_by_requester ON privacy_case (requester_id);

-- The rights a case asks for; at least one per case (enforced by the service).
CREATE TABLE case_request_kind (
    case_id INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    kind    TEXT NOT NULL CHECK (kind IN ('know-categories', 'know-specific', 'delete', 'correct', 'opt-out', 'limit')),
    PRIMARY KEY (case_id, kind)
);
