-- Languages as codes: a case's preferred language, and the language of a letter or template,
-- is the code of a folder of letter templates ('en', 'es'), so that a third language is a third
-- folder and needs no schema change. The CHECK (language IN ('en', 'es')) goes: SQLite cannot
-- drop a constraint, so the column is replaced by one without it (DROP COLUMN is allowed for a
-- column whose only constraint is its own CHECK); the template table, whose primary key holds
-- the language, is rebuilt (no table refers to it).

ALTER TABLE privacy_case ADD COLUMN language_code TEXT NOT NULL DEFAULT 'en' CHECK (language_code <> '');
UPDATE privacy_case SET language_code = language;
ALTER TABLE privacy_case DROP COLUMN language;
ALTER TABLE privacy_case RENAME COLUMN language_code TO language;  -- preferred language of letters

ALTER TABLE letter ADD COLUMN language_code TEXT NOT NULL DEFAULT 'en' CHECK (language_code <> '');
UPDATE letter SET language_code = language;
ALTER TABLE letter DROP COLUMN language;
ALTER TABLE letter RENAME COLUMN language_code TO language;        -- the language it is written in

CREATE TABLE letter_template_new (
    kind     TEXT NOT NULL,                          -- letter kind token
    language TEXT NOT NULL CHECK (language <> ''),   -- language code (folder of templates/letters)
    version  INTEGER NOT NULL CHECK (version > 0),   -- 1, 2, ... per kind and language
    body     TEXT NOT NULL,                          -- the template; '' = back to the shipped text
    saved_at TEXT NOT NULL,                          -- UTC
    saved_by TEXT NOT NULL,
    PRIMARY KEY (kind, language, version)
);
INSERT INTO letter_template_new (kind, language, version, body, saved_at, saved_by)
    SELECT kind, language, version, body, saved_at, saved_by FROM letter_template;
DROP TABLE letter_template;
ALTER TABLE letter_template_new RENAME TO letter_template;
