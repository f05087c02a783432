-- Each case's next due date (the pending clock that ends first; NULL when none runs or the case
-- is closed), kept with the case by `store::clocks::refresh_next_due_in_tx` so that the queue can
-- sort by it through an index. Filled for existing cases the first time the file is opened.

ALTER TABLE privacy_case ADD COLUMN next_due TEXT;
CREATE INDEX privacy_case_by_next_due ON privacy_case ((next_due IS NULL), next_due, id);
INSERT INTO organisation_setting (key, value) VALUES ('next_due_filled', '0');
