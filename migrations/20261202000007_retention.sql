-- Retention: a closed case is reduced, once its period has run, to the § 7101 record (dates,
-- kinds, channel, outcomes, denial bases). `reduced_at` says when; the rows that held the
-- person's data are emptied in the same write.
ALTER TABLE privacy_case ADD COLUMN reduced_at TEXT;

CREATE INDEX privacy_case_closed_by_update ON privacy_case (updated_at)
    WHERE status IN ('closed', 'denied', 'withdrawn', 'not-covered') AND reduced_at IS NULL;
