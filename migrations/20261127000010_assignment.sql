-- Who on the privacy desk handles a case; NULL while nobody does.
ALTER TABLE privacy_case ADD COLUMN assignee TEXT;
CREATE INDEX privacy_case_by_assignee ON privacy_case (assignee, received_at DESC);
