-- Case numbers in number order: the year and the sequence as integers, so that PR-2026-100000
-- sorts after PR-2026-99999 (as text it sorted between PR-2026-10000 and PR-2026-10001), and a
-- typed case number or a prefix of one is found through an index.

ALTER TABLE privacy_case ADD COLUMN number_year INTEGER NOT NULL DEFAULT 0;  -- 2026 of PR-2026-00042
ALTER TABLE privacy_case ADD COLUMN number_seq INTEGER NOT NULL DEFAULT 0;   -- 42 of PR-2026-00042

UPDATE privacy_case SET number_year = CAST(substr(number, 4, 4) AS INTEGER),
                        number_seq = CAST(substr(number, 9) AS INTEGER);

CREATE UNIQUE INDEX privacy_case_by_number_order ON privacy_case (number_year, number_seq);
