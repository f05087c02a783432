-- The service providers and contractors a deletion must reach (11 CCR § 7022(b)): for each case
-- and each provider of the profile, the day staff told them to delete, or why there was no
-- need (for example, the provider never received this person's information).
CREATE TABLE provider_notice (
    case_id      INTEGER NOT NULL REFERENCES privacy_case (id) ON DELETE CASCADE,
    provider     TEXT NOT NULL,
    notified_on  TEXT,
    not_needed   TEXT,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, provider),
    CHECK ((notified_on IS NULL) <> (not_needed IS NULL))
);
