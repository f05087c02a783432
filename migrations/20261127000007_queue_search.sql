-- The queue on a large case file: full-text search over every case, and an index that serves
-- "open cases, newest first" without reading or sorting the closed ones.

-- One row per case (rowid = privacy_case.id), written in the same transaction as the case.
-- `names` also holds an ASCII transliteration of each name (Łukasz -> Lukasz, Анна -> Anna),
-- so a name can be found however it is typed.
CREATE VIRTUAL TABLE case_search USING fts5(
    number, names, emails, phones, address, description, notes,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO case_search (rowid, number, names, emails, phones, address, description)
SELECT c.id, c.number,
       r.name || coalesce(' ' || g.name, ''),
       coalesce(r.email, '') || coalesce(' ' || g.email, ''),
       coalesce(r.phone, '') || ' ' || coalesce(r.phone_digits, ''),
       coalesce(replace(r.address_lines, char(10), ' '), '') || ' ' || coalesce(r.city, '') || ' ' || coalesce(r.postal_code, ''),
       c.description
FROM privacy_case c JOIN requester r ON r.id = c.requester_id LEFT JOIN case_agent g ON g.case_id = c.id;

-- Must match `store::queue::OPEN_FILTER` exactly, or SQLite will not use it.
CREATE INDEX privacy_case_open_by_received ON privacy_case (received_at DESC, id DESC)
    WHERE status IN ('new', 'acknowledged', 'verifying', 'in-progress');
CREATE INDEX privacy_case_by_status ON privacy_case (status, received_at DESC, id DESC);
CREATE INDEX privacy_case_by_entity ON privacy_case (entity_code, received_at DESC);
CREATE INDEX case_request_kind_by_kind ON case_request_kind (kind, case_id);
