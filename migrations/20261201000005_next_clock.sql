-- Which clock the next due date belongs to (a `ClockKind` token; NULL with `next_due`), kept
-- beside it by `store::clocks::set_next_due_in_tx`: a queue row then reads everything it shows
-- from the case's own row, without the clock facts of every case on the page. Filled for the
-- cases already in the file the next time it is opened (the `next_due_filled` pass).

ALTER TABLE privacy_case ADD COLUMN next_clock TEXT;
UPDATE organisation_setting SET value = '0' WHERE key = 'next_due_filled';
