-- Normalised copies of a requester's identifiers, so that intake can find open cases from the
-- same person (same email, same phone, or same name at the same address) with an index instead
-- of a scan. Written by the app on insert; filled here for existing rows.

ALTER TABLE requester ADD COLUMN email_norm TEXT;    -- lower-cased email
ALTER TABLE requester ADD COLUMN phone_digits TEXT;  -- the digits of the phone number, last 10
ALTER TABLE requester ADD COLUMN name_norm TEXT;     -- lower-cased name, single spaces

UPDATE requester SET
    email_norm = lower(email),
    phone_digits = substr(replace(replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', ''), -10),
    name_norm = lower(name);

CREATE INDEX requester_by_email ON requester (email_norm) WHERE email_norm IS NOT NULL;
CREATE INDEX requester_by_phone ON requester (phone_digits) WHERE phone_digits IS NOT NULL;
CREATE INDEX requester_by_name ON requester (name_norm, postal_code);
