-- 0001_init.sql (SQLite) — accounts, sessions, API tokens, login
-- throttling, settings, the audit chain and the job queue.
-- Times: INTEGER microseconds since 1970-01-01 UTC (docs/design/store.md).
-- Keep in step with ../pg/0001_init.sql: same tables, same columns.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL,
	name_key TEXT NOT NULL UNIQUE,	-- ASCII-lower-cased username
	display_name TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL
	    CHECK (role IN ('employee', 'handler', 'admin', 'auditor')),
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	lang TEXT NOT NULL DEFAULT 'sv' CHECK (lang IN ('sv', 'en')),
	password_hash TEXT NOT NULL DEFAULT '',
	created INTEGER NOT NULL,
	updated INTEGER NOT NULL,
	password_changed INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,	-- hex SHA-256 of the cookie value
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	csrf_token TEXT NOT NULL,
	created INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	expires INTEGER NOT NULL,
	source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,	-- hex SHA-256 of the secret
	created INTEGER NOT NULL,
	last_used INTEGER NOT NULL DEFAULT 0,
	revoked_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE login_failures (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL,	-- "user:<name_key>" or "addr:<address>"
	at INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE audit_log (
	seq INTEGER PRIMARY KEY,
	time INTEGER NOT NULL,
	actor TEXT NOT NULL,
	source TEXT NOT NULL,
	action TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id TEXT NOT NULL,
	before_json TEXT NOT NULL,
	after_json TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (time);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, seq);

-- The chain head: one row, updated with every append, so that appenders
-- serialise on it and a removed last entry is noticed.
CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0,
    '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE jobs (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	payload TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'queued'
	    CHECK (state IN ('queued', 'running', 'done', 'failed')),
	run_at INTEGER NOT NULL,
	claimed_at INTEGER NOT NULL DEFAULT 0,
	claimed_by TEXT NOT NULL DEFAULT '',
	attempts INTEGER NOT NULL DEFAULT 0,
	result TEXT NOT NULL DEFAULT '',
	created INTEGER NOT NULL,
	finished INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_queue ON jobs (state, run_at, id);
