-- The laid-out pages of each letter (JSON of what was drawn), kept beside its PDF so that a
-- case's dossier can print the letter as pages; emptied with the PDF when the case is reduced.
-- Letters produced before this release have none (the dossier lists them by their SHA-256).
ALTER TABLE letter ADD COLUMN layout TEXT;
