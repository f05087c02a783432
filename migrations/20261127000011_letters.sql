-- Letters produced for cases, archived exactly as printed (bytes and SHA-256), with the template
-- and profile versions they were made from and how they were mailed; and the letter templates
-- staff have edited (version 0 of each kind and language is the one shipped with the app).

CREATE TABLE letter (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES privacy_case (id),
    kind TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'es')),
    recipient TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    profile_version INTEGER,
    pages INTEGER NOT NULL,
    pdf BLOB NOT NULL,
    sha256 TEXT NOT NULL,
    mailed_on TEXT,
    mail_method TEXT CHECK (mail_method IN ('first-class', 'certified')),
    tracking_number TEXT
);
CREATE INDEX letter_by_case ON letter (case_id, id);

CREATE TABLE letter_template (
    kind TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('en', 'es')),
    version INTEGER NOT NULL CHECK (version > 0),
    body TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    PRIMARY KEY (kind, language, version)
);
