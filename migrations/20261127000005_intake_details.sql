-- Complete intake: who the request is about in the organisation (entity, relationship and the
-- coverage they imply), language and delivery, the request in the person's words, correction
-- details, and an authorised agent. Tokens are the domain's kebab-case names.

ALTER TABLE privacy_case ADD COLUMN entity_code TEXT;             -- profile entity code, or 'not-listed'
ALTER TABLE privacy_case ADD COLUMN relationship_code TEXT;       -- profile relationship code, or 'not-listed'
ALTER TABLE privacy_case ADD COLUMN coverage TEXT NOT NULL DEFAULT 'unchecked'
    CHECK (coverage IN ('covered', 'not-covered', 'unchecked'));
ALTER TABLE privacy_case ADD COLUMN coverage_reason TEXT;         -- why not covered
ALTER TABLE privacy_case ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es'));
ALTER TABLE privacy_case ADD COLUMN delivery TEXT CHECK (delivery IN ('postal-mail', 'email'));  -- NULL: not stated
ALTER TABLE privacy_case ADD COLUMN description TEXT NOT NULL DEFAULT '';  -- the request as written
ALTER TABLE privacy_case ADD COLUMN correction_wrong TEXT;        -- requests to correct: what is wrong
ALTER TABLE privacy_case ADD COLUMN correction_right TEXT;        -- and what it should be

-- An authorised agent acting for the requester (§ 7063); at most one per case.
CREATE TABLE case_agent (
    case_id       INTEGER PRIMARY KEY REFERENCES privacy_case (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('person', 'business')),
    name          TEXT NOT NULL CHECK (name <> ''),
    email         TEXT,
    phone         TEXT,
    address_lines TEXT,
    city          TEXT,
    state         TEXT,
    postal_code   TEXT,
    country       TEXT,
    basis         TEXT NOT NULL CHECK (basis IN ('signed-permission', 'power-of-attorney', 'parent-of-minor', 'conservator'))
);
