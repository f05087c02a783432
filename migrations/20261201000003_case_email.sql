-- The emails cases were logged from, by Message-ID, so that the same message (read twice from a
-- mailbox, or from the window and from a script) is never logged as two cases.

CREATE TABLE case_email (
    message_id TEXT PRIMARY KEY,                                     -- the Message-ID header, without <>
    case_id    INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE
);
CREATE INDEX case_email_by_case ON case_email (case_id);
