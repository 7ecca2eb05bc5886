-- 0002_incidents.sql (SQLite) — incident and weakness reports, their
-- timeline, attachments, tasks, the reports sent to authorities and the
-- per-year reference counter (docs/incidents.md, docs/design/store.md).
-- Keep in step with ../pg/0002_incidents.sql: same tables, same columns.

-- One row per year: the last sequence number given out (VK-<year>-<seq>).
CREATE TABLE incident_counters (
	year INTEGER PRIMARY KEY,
	last INTEGER NOT NULL
);

-- A report from an employee is an incident row from the moment it is
-- submitted (state 'new'); triage moves it on.  The reporter's fields are
-- kept as typed; the handler's assessment lives in its own columns.
CREATE TABLE incidents (
	id INTEGER PRIMARY KEY,
	reference TEXT NOT NULL UNIQUE,
	year INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	type TEXT NOT NULL CHECK (type IN ('incident', 'weakness')),
	state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'triaged',
	    'investigating', 'contained', 'recovered', 'closed', 'rejected',
	    'duplicate')),
	-- as reported
	title TEXT NOT NULL,
	what TEXT NOT NULL,
	noticed_at INTEGER NOT NULL,
	system TEXT NOT NULL DEFAULT '',
	personal_data TEXT NOT NULL DEFAULT 'unknown'
	    CHECK (personal_data IN ('unknown', 'yes', 'no')),
	ongoing TEXT NOT NULL DEFAULT 'unknown'
	    CHECK (ongoing IN ('unknown', 'yes', 'no')),
	reporter_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
	source TEXT NOT NULL DEFAULT '',
	contact_name TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL DEFAULT '',
	contact_phone TEXT NOT NULL DEFAULT '',
	-- handling
	assignee_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	severity TEXT NOT NULL DEFAULT 'unset' CHECK (severity IN ('unset',
	    'low', 'medium', 'high', 'critical')),
	category TEXT NOT NULL DEFAULT 'unset' CHECK (category IN ('unset',
	    'phishing', 'malware', 'unauthorised_access', 'data_leak',
	    'lost_device', 'dos', 'fraud', 'misconfiguration', 'physical',
	    'other')),
	affected_systems TEXT NOT NULL DEFAULT '',
	aware_at INTEGER NOT NULL,
	significant INTEGER NOT NULL DEFAULT 0 CHECK (significant IN (0, 1)),
	gdpr INTEGER NOT NULL DEFAULT 0 CHECK (gdpr IN (0, 1)),
	duplicate_of INTEGER REFERENCES incidents (id),
	reject_reason TEXT NOT NULL DEFAULT '',
	-- for the drafted reports
	malicious TEXT NOT NULL DEFAULT 'unknown'
	    CHECK (malicious IN ('unknown', 'yes', 'no')),
	cross_border TEXT NOT NULL DEFAULT 'unknown'
	    CHECK (cross_border IN ('unknown', 'yes', 'no')),
	impact TEXT NOT NULL DEFAULT '',
	iocs TEXT NOT NULL DEFAULT '',
	root_cause TEXT NOT NULL DEFAULT '',
	measures_applied TEXT NOT NULL DEFAULT '',
	measures_ongoing TEXT NOT NULL DEFAULT '',
	breach_nature TEXT NOT NULL DEFAULT '',
	subject_categories TEXT NOT NULL DEFAULT '',
	subjects_approx INTEGER NOT NULL DEFAULT -1,
	record_categories TEXT NOT NULL DEFAULT '',
	records_approx INTEGER NOT NULL DEFAULT -1,
	consequences TEXT NOT NULL DEFAULT '',
	delay_reason TEXT NOT NULL DEFAULT '',
	created INTEGER NOT NULL,
	updated INTEGER NOT NULL,
	triaged_at INTEGER NOT NULL DEFAULT 0,
	closed_at INTEGER NOT NULL DEFAULT 0,
	UNIQUE (year, seq)
);
CREATE INDEX incidents_state ON incidents (state, id);
CREATE INDEX incidents_reporter ON incidents (reporter_id, id);

-- Notes, state changes, messages to the reporter, evidence.
CREATE TABLE incident_events (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	time INTEGER NOT NULL,
	actor TEXT NOT NULL,	-- audit actor: "user:<name>", "anonymous"
	kind TEXT NOT NULL CHECK (kind IN ('reported', 'note', 'state',
	    'message', 'evidence', 'change', 'sent')),
	body TEXT NOT NULL DEFAULT '',
	to_reporter INTEGER NOT NULL DEFAULT 0 CHECK (to_reporter IN (0, 1))
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

-- Attachments: the content is base64 text in the row, so that it commits
-- with the report in one transaction on both backends and is never under
-- anything served statically (docs/design/store.md, "Attachments").
CREATE TABLE incident_attachments (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	filename TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('png', 'jpeg', 'pdf', 'txt', 'eml')),
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	content TEXT NOT NULL,
	uploaded_by TEXT NOT NULL,
	created INTEGER NOT NULL
);
CREATE INDEX incident_attachments_incident
    ON incident_attachments (incident_id, id);

CREATE TABLE incident_tasks (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	title TEXT NOT NULL,
	owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	due INTEGER NOT NULL DEFAULT 0,
	done_at INTEGER NOT NULL DEFAULT 0,
	created INTEGER NOT NULL,
	created_by TEXT NOT NULL
);
CREATE INDEX incident_tasks_incident ON incident_tasks (incident_id, id);

-- A report sent to an authority stops its clock (one row per stage).
CREATE TABLE incident_sent (
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	stage TEXT NOT NULL CHECK (stage IN ('early_warning', 'notification',
	    'final', 'gdpr')),
	sent_at INTEGER NOT NULL,
	sent_by TEXT NOT NULL,
	recorded INTEGER NOT NULL,
	PRIMARY KEY (incident_id, stage)
);

-- A handler mail sent because a clock was due within 6 hours or overdue:
-- one per incident and stage, so the mailer tells once.
CREATE TABLE incident_clock_alerts (
	incident_id INTEGER NOT NULL REFERENCES incidents (id),
	stage TEXT NOT NULL,
	alerted INTEGER NOT NULL,
	PRIMARY KEY (incident_id, stage)
);
