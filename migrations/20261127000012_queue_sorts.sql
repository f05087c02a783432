-- Sorting the queue by kinds and by channel, through indexes like the other orders. `kinds` is
-- the case's request kinds as comma-joined tokens in the app's canonical order (written with
-- the kinds by `store::cases`), so cases asking for the same things sort together.

ALTER TABLE privacy_case ADD COLUMN kinds TEXT NOT NULL DEFAULT '';

UPDATE privacy_case SET kinds = coalesce((
    SELECT group_concat(kind, ',') FROM (
        SELECT kind FROM case_request_kind k WHERE k.case_id = privacy_case.id
        ORDER BY CASE kind
            WHEN 'know-categories' THEN 1 WHEN 'know-specific' THEN 2 WHEN 'delete' THEN 3
            WHEN 'correct' THEN 4 WHEN 'opt-out' THEN 5 WHEN 'limit' THEN 6 END
    )
), '');

CREATE INDEX privacy_case_by_kinds ON privacy_case (kinds, received_at DESC, id DESC);
CREATE INDEX privacy_case_by_channel ON privacy_case (channel, received_at DESC, id DESC);
