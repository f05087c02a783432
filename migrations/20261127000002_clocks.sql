-- The deadline engine: clock settings of the organisation, its closure dates, and the acts
-- that meet a case's clocks. Due dates themselves are never stored: they are derived from the
-- receipt date, the kinds, these records and the calendar (docs/DESIGN.md, "Deadlines").

-- Clock settings, with the conservative readings as defaults (reference/ccpa-rules.md §10, §11).
INSERT INTO organisation_setting (key, value) VALUES
    ('calendar', 'us-federal'),               -- business-day calendar: us-federal, ca-state, weekends
    ('receipt_day', 'counts-as-day-one'),     -- or 'excluded' (Gov. Code § 6800 reading)
    ('due_date_roll', 'no-roll-forward');     -- or 'roll-forward' (CCP § 12a reading)

-- The organisation's own closure dates: not business days.
CREATE TABLE calendar_closure (
    closed_on TEXT PRIMARY KEY   -- 'YYYY-MM-DD'
);

-- The confirmation of receipt (§ 7021(a)); at most one per case.
CREATE TABLE case_acknowledgment (
    case_id         INTEGER PRIMARY KEY REFERENCES privacy_case (id) ON DELETE CASCADE,
    acknowledged_on TEXT NOT NULL,   -- legal date it was given
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'web-form', 'postal-mail', 'in-person')),
    recorded_at     TEXT NOT NULL    -- when it was recorded, UTC
);

-- The one extension of the response period (§ 7021(b)); the primary key allows one per case.
CREATE TABLE case_extension (
    case_id     INTEGER PRIMARY KEY REFERENCES privacy_case (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (reason <> ''),
    notice_on   TEXT NOT NULL,       -- legal date the notice with the reason was given
    recorded_at TEXT NOT NULL
);

-- The act that meets the respond clock (response sent) or the comply clock (opt-out or limit
-- honoured); one of each per case.
CREATE TABLE case_clock_act (
    case_id     INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    clock       TEXT NOT NULL CHECK (clock IN ('respond', 'comply')),
    done_on     TEXT NOT NULL,       -- legal date of the act
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (case_id, clock)
);
