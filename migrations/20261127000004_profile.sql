-- The organisation profile, versioned: every save is a new version, and each case remembers the
-- version it was handled under. The document is the profile as TOML (docs/DESIGN.md, "Profile");
-- the first version (the demo organisation) is written when the case file is opened.

CREATE TABLE organisation_profile (
    version  INTEGER PRIMARY KEY,   -- 1, 2, 3, ...
    saved_at TEXT NOT NULL,         -- UTC
    saved_by TEXT NOT NULL,         -- who saved it
    document TEXT NOT NULL          -- the profile as TOML
);

-- The profile version a case was logged under; NULL for cases logged before profiles existed.
ALTER TABLE privacy_case ADD COLUMN profile_version INTEGER REFERENCES organisation_profile (version);
