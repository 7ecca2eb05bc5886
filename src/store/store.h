/*
 * store.h — vaksam's storage: one interface, two backends.
 *
 * A struct vk_store is opened from a spec: a data directory (the embedded
 * SQLite database `vaksam.db` inside it) or a `postgresql://` /
 * `postgres://` URL.  Behind this header each backend fills a table of
 * function pointers (src/store/backend.h, after GNU Taler's exchangedb
 * plugin); the functions below only dispatch.  The same test suite
 * (tests/unit/test_store.c) runs against both backends.
 *
 * Threads.  A struct vk_store may be used from any number of threads at
 * once.  Each backend keeps a small pool of connections guarded by a
 * mutex; a call borrows one connection for its duration (waiting while
 * all are busy).  vk_store_begin() binds one connection to the calling
 * thread until vk_store_commit() / vk_store_rollback(): every store call
 * the same thread makes meanwhile runs inside that transaction.  Other
 * threads are not affected.  Transactions do not nest.
 *
 * Times are int64_t microseconds since 1970-01-01T00:00:00Z (UTC),
 * stored as 64-bit integers in both backends (docs/design/store.md).
 * vk_store_now() returns the current one.
 *
 * Text.  Every string handed to the store must be valid UTF-8 without NUL
 * (PostgreSQL's text type cannot hold anything else and both backends
 * behave alike): invalid UTF-8 is refused with VK_EINVAL and nothing is
 * written.  SQL is only ever built from constants; values are bound.
 *
 * Rows.  A function that returns a row or a list allocates it; the caller
 * frees it with the matching *_free(), which accepts NULL.  All strings in
 * a returned row are owned by the row and never NULL ("" when empty).
 *
 * Errors: 0 or a negative VK_E* code (util/err.h).  Common ones:
 *   VK_ENOTFOUND  no such row;
 *   VK_EEXIST     a unique key is already taken (user name, setting...);
 *   VK_EINVAL     bad argument (NULL, invalid UTF-8, unknown enum value);
 *   VK_ESTORE     the database failed (details logged with vk_log);
 *   VK_ENOMEM.
 * After an error inside a transaction the caller must roll back.
 */
#ifndef VK_STORE_STORE_H
#define VK_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

struct vk_store;

/* ------------------------------------------------------------------ */
/* Enumerations shared by the store, the domain logic and the portal.  */

/* Roles (ARCHITECTURE.md, "Security model"). */
enum vk_role {
	VK_ROLE_EMPLOYEE, /* report, see own reports */
	VK_ROLE_HANDLER, /* incidents, hunts, systems */
	VK_ROLE_ADMIN, /* users, settings */
	VK_ROLE_AUDITOR, /* read-only, audit log */
	VK_ROLE_MAX
};

/* "employee", "handler", "admin", "auditor"; "?" for an invalid value. */
const char *vk_role_name(enum vk_role r);
/* The reverse of vk_role_name() (exact, lower case); VK_EINVAL if unknown. */
int vk_role_parse(const char *s, enum vk_role *out);

/* Languages of the portal. */
enum vk_lang {
	VK_LANG_SV, /* Swedish, the default */
	VK_LANG_EN,
	VK_LANG_MAX
};

/* "sv", "en"; "?" for an invalid value. */
const char *vk_lang_name(enum vk_lang l);
/* The reverse of vk_lang_name(); VK_EINVAL if unknown. */
int vk_lang_parse(const char *s, enum vk_lang *out);

/* SHA-256 in lower-case hex plus NUL. */
#define VK_HASH_HEX 65

/* ------------------------------------------------------------------ */
/* Opening, migrating, transactions.                                   */

/* The file name of the SQLite database inside a data directory. */
#define VK_STORE_SQLITE_FILE "vaksam.db"

/*
 * Opens the store named by `spec`:
 *   - "postgresql://..." or "postgres://..." (any libpq connection URL):
 *     PostgreSQL; the database must exist;
 *   - anything else: a data directory.  It is created (mode 0700) when
 *     missing, as is the database file vaksam.db inside (mode 0600).
 * Opening does not migrate: call vk_store_migrate() (the server does at
 * start; `vaksam db migrate` does on request).  On error *out stays NULL
 * and `d` (may be NULL) says what failed and what to do.
 * Errors: VK_EINVAL (empty spec), VK_EIO (directory), VK_ESTORE.
 */
int vk_store_open(const char *spec, struct vk_store **out, struct vk_diag *d);

/* Closes every connection and frees the store.  NULL is a no-op.  No
 * transaction may be open and no other thread may be using the store. */
void vk_store_close(struct vk_store *st);

/* "sqlite" or "postgresql". */
const char *vk_store_backend(const struct vk_store *st);

/* 0 when a trivial query succeeds (for /healthz), else VK_ESTORE. */
int vk_store_ping(struct vk_store *st);

/*
 * Writes `spec` with any password replaced by "***" into buf (size n,
 * always NUL-terminated) so that it may be logged.  Understands URL
 * userinfo ("postgresql://u:pw@h/db") and "password=" query parameters.
 * Returns 0, or VK_ETOOBIG when buf was too small (output truncated).
 */
int vk_store_spec_redact(const char *spec, char *buf, size_t n);

struct vk_store_status {
	int current; /* highest applied migration, 0 for an empty store */
	int latest; /* highest migration this program knows */
	int pending; /* latest - current when current <= latest, else 0 */
};

/* Fills *out.  A store migrated by a newer vaksam has current > latest;
 * the caller should then refuse to run (vk_store_migrate() does). */
int vk_store_status(struct vk_store *st, struct vk_store_status *out);

/*
 * Applies every pending numbered migration in order, each in its own
 * transaction and recorded in the table schema_migrations(version,
 * applied_at).  Safe to run concurrently from several processes (PG:
 * advisory lock; SQLite: BEGIN IMMEDIATE).  *applied (may be NULL) gets
 * the number applied.  Errors: VK_ESTORE (what failed is in d),
 * VK_EUNSUPPORTED when the store is newer than this program.
 */
int vk_store_migrate(struct vk_store *st, int *applied, struct vk_diag *d);

/*
 * Transactions.  vk_store_begin() starts one bound to the calling thread
 * (SQLite: BEGIN IMMEDIATE, so writers queue instead of deadlocking; PG:
 * READ COMMITTED).  Returns VK_EINVAL if this thread already has one.
 * commit/rollback end it and return the connection to the pool; they
 * return VK_EINVAL when there is none.  If commit fails, the transaction
 * has been rolled back.
 */
int vk_store_begin(struct vk_store *st);
int vk_store_commit(struct vk_store *st);
int vk_store_rollback(struct vk_store *st);

/* Current time in microseconds since the epoch, UTC. */
int64_t vk_store_now(void);

/* ------------------------------------------------------------------ */
/* Pagination.                                                         */

/* Which part of a list to return.  limit 0 means the default (50);
 * limits above VK_PAGE_MAX are clamped to it. */
#define VK_PAGE_DEFAULT 50
#define VK_PAGE_MAX 1000
struct vk_page {
	size_t limit;
	size_t offset;
};

/* ------------------------------------------------------------------ */
/* Users.                                                              */

/* Longest user name, display name and e-mail address the store takes. */
#define VK_USERNAME_MAX 64
#define VK_DISPLAY_MAX 200
#define VK_EMAIL_MAX 254

struct vk_user {
	int64_t id;
	char *username; /* as entered; unique ignoring ASCII case */
	char *display_name;
	char *email;
	enum vk_role role;
	bool disabled;
	enum vk_lang lang;
	char *password_hash; /* argon2id string, "" when none set */
	int64_t created, updated, password_changed; /* µs UTC; 0 never */
};

void vk_user_free(struct vk_user *u);

struct vk_user_list {
	struct vk_user *v; /* n rows, ordered by user name */
	size_t n;
	int64_t total; /* rows in the whole list, for pagination */
};

void vk_user_list_free(struct vk_user_list *l);

/*
 * Adds a user from `in` (id, created, updated, password_changed are
 * ignored: set to the new id and now).  Strings may be NULL for "",
 * except username.  *id gets the new id (may be NULL).
 * VK_EEXIST when the name is taken in any ASCII case ("Admin" = "admin").
 * VK_EINVAL for an empty or too-long name, bad enums, invalid UTF-8.
 * The store checks no other policy (that is account/account.h's job).
 */
int vk_store_user_add(
    struct vk_store *st, const struct vk_user *in, int64_t *id);
int vk_store_user_get(struct vk_store *st, int64_t id, struct vk_user **out);
/* Looks up by name ignoring ASCII case. */
int vk_store_user_get_by_name(
    struct vk_store *st, const char *username, struct vk_user **out);
/* Users ordered by lower-cased name.  `pg` may be NULL (first page). */
int vk_store_user_list(
    struct vk_store *st, const struct vk_page *pg, struct vk_user_list **out);
/* Number of users (the first start creates `admin` when it is 0). */
int vk_store_user_count(struct vk_store *st, int64_t *n);

/* Which fields vk_store_user_update() changes. */
enum {
	VK_USER_F_PASSWORD = 1 << 0, /* also sets password_changed */
	VK_USER_F_ROLE = 1 << 1,
	VK_USER_F_DISABLED = 1 << 2,
	VK_USER_F_LANG = 1 << 3,
	VK_USER_F_DISPLAY = 1 << 4,
	VK_USER_F_EMAIL = 1 << 5,
};

struct vk_user_update {
	unsigned fields; /* VK_USER_F_* bits */
	const char *password_hash;
	enum vk_role role;
	bool disabled;
	enum vk_lang lang;
	const char *display_name; /* NULL = "" */
	const char *email; /* NULL = "" */
};

/* Changes the chosen fields of user `id` and sets updated = now.
 * VK_ENOTFOUND when there is no such user. */
int vk_store_user_update(
    struct vk_store *st, int64_t id, const struct vk_user_update *u);

/* ------------------------------------------------------------------ */
/* Sessions.  The cookie value never reaches the store: only its       */
/* SHA-256 (account.h: vk_session_new(), vk_session_hash()).           */

struct vk_session {
	char id_hash[VK_HASH_HEX]; /* hex SHA-256 of the cookie value */
	int64_t user_id;
	char *csrf_token; /* owned */
	int64_t created, last_seen, expires; /* expires: absolute limit */
	char *source; /* client address at login; owned */
};

void vk_session_free(struct vk_session *s);

/* Stores `in` as given (all times from the caller; NULL strings = "").
 * VK_EEXIST if the id hash exists; VK_EINVAL if user_id is unknown. */
int vk_store_session_create(struct vk_store *st, const struct vk_session *in);
/* The session with this id hash, VK_ENOTFOUND when none or when
 * expires <= now (the absolute timeout).  The idle timeout is policy:
 * the caller compares last_seen (account.h: vk_session_valid()). */
int vk_store_session_get(struct vk_store *st, const char *id_hash, int64_t now,
    struct vk_session **out);
/* Sets last_seen = now.  VK_ENOTFOUND when there is no such session. */
int vk_store_session_touch(
    struct vk_store *st, const char *id_hash, int64_t now);
/* Deletes one session (logout).  VK_ENOTFOUND when there was none. */
int vk_store_session_delete(struct vk_store *st, const char *id_hash);
/* Deletes every session of a user (password change, disable). */
int vk_store_session_delete_for_user(struct vk_store *st, int64_t user_id);
/* Deletes sessions with expires <= now; *n (may be NULL) gets how many. */
int vk_store_session_purge(struct vk_store *st, int64_t now, int64_t *n);
/* Sessions with expires > now (for /metrics). */
int vk_store_session_count(struct vk_store *st, int64_t now, int64_t *n);

/* ------------------------------------------------------------------ */
/* API tokens.  Shown once as "vk_<id>_<64 hex>" (account.h); stored as */
/* the SHA-256 of the secret.                                          */

struct vk_token {
	int64_t id;
	int64_t user_id;
	char *name; /* label given at creation; owned */
	char token_hash[VK_HASH_HEX];
	int64_t created, last_used; /* last_used 0: never */
	bool revoked;
	int64_t revoked_at; /* 0 unless revoked */
};

void vk_token_free(struct vk_token *t);

struct vk_token_list {
	struct vk_token *v; /* ordered by id */
	size_t n;
	int64_t total;
};

void vk_token_list_free(struct vk_token_list *l);

/* Adds a token for user_id with label `name` and hash `token_hash`
 * (created = now).  *id gets the new id.  VK_EINVAL for an unknown
 * user; VK_EEXIST if the hash exists. */
int vk_store_token_create(struct vk_store *st, int64_t user_id,
    const char *name, const char *token_hash, int64_t *id);
/* Tokens of one user, or of everyone when user_id is 0.  `pg` may be
 * NULL. */
int vk_store_token_list(struct vk_store *st, int64_t user_id,
    const struct vk_page *pg, struct vk_token_list **out);
int vk_store_token_get(struct vk_store *st, int64_t id, struct vk_token **out);
/* The token with this hash, revoked or not (the caller checks). */
int vk_store_token_get_by_hash(
    struct vk_store *st, const char *token_hash, struct vk_token **out);
/* Marks it revoked (revoked_at = now).  VK_ENOTFOUND if no such token;
 * revoking a revoked token succeeds and changes nothing. */
int vk_store_token_revoke(struct vk_store *st, int64_t id);
/* Sets last_used = now. */
int vk_store_token_touch(struct vk_store *st, int64_t id, int64_t now);

/* ------------------------------------------------------------------ */
/* Login throttling: failures per key ("user:<name>", "addr:<ip>";     */
/* account.h builds the keys and holds the policy).                    */

/* Records one failure for `key` at time `at`. */
int vk_store_throttle_fail(struct vk_store *st, const char *key, int64_t at);
/* Failures for key at or after `since`. */
int vk_store_throttle_count(
    struct vk_store *st, const char *key, int64_t since, int64_t *n);
/* The time of the oldest failure for key at or after since (0: none);
 * the caller derives a retry-after from it. */
int vk_store_throttle_oldest(
    struct vk_store *st, const char *key, int64_t since, int64_t *at);
/* Forgets every failure of key (after a successful login). */
int vk_store_throttle_clear(struct vk_store *st, const char *key);
/* Forgets failures older than `before` (housekeeping). */
int vk_store_throttle_purge(struct vk_store *st, int64_t before);

/* ------------------------------------------------------------------ */
/* Settings: key/value text.  Known keys (docs/design/store.md):       */
/* "org.name", "org.mail_domains", "org.web_domains", "default_lang".  */

#define VK_SETTING_KEY_MAX 128
#define VK_SETTING_VALUE_MAX 65536

struct vk_setting {
	char *key;
	char *value;
};

struct vk_setting_list {
	struct vk_setting *v; /* ordered by key */
	size_t n;
};

void vk_setting_list_free(struct vk_setting_list *l);

/* *value (caller frees) gets the value; VK_ENOTFOUND when unset. */
int vk_store_setting_get(struct vk_store *st, const char *key, char **value);
/* Inserts or replaces. */
int vk_store_setting_set(
    struct vk_store *st, const char *key, const char *value);
/* VK_ENOTFOUND when it was unset. */
int vk_store_setting_delete(struct vk_store *st, const char *key);
int vk_store_setting_list(struct vk_store *st, struct vk_setting_list **out);

/* ------------------------------------------------------------------ */
/* Audit log: append-only and hash-chained.  There is no update or     */
/* delete function; on PostgreSQL a trigger refuses both.  Most code   */
/* calls audit/audit.h, which wraps these.                             */

struct vk_audit_entry {
	int64_t seq; /* 1, 2, 3, ... without gaps */
	int64_t time; /* µs UTC */
	char *actor; /* "user:<name>", "token:<id>", "system",
				 * "cli:<unix user>" */
	char *source; /* client address, "" when none */
	char *action; /* "user.create", "session.login", ... */
	char *object_type; /* "user", "token", "setting", ... or "" */
	char *object_id; /* "" when none */
	char *before; /* JSON text or "" */
	char *after; /* JSON text or "" */
	char prev_hash[VK_HASH_HEX]; /* 64 zeros for seq 1 */
	char hash[VK_HASH_HEX];
};

void vk_audit_entry_free(struct vk_audit_entry *e);

struct vk_audit_list {
	struct vk_audit_entry *v; /* newest first */
	size_t n;
	int64_t total;
};

void vk_audit_list_free(struct vk_audit_list *l);

/*
 * Appends an entry.  From `in` only actor, source, action, object_type,
 * object_id, before, after (NULL = "") and time (0 = now) are used; the
 * store assigns seq = head + 1, prev_hash = the head's hash and hash =
 * vk_audit_hash() while holding the chain head locked (PG: SELECT ... FOR
 * UPDATE on the single row of audit_head; SQLite: the write lock), so
 * concurrent appenders cannot fork the chain.  Call it inside the
 * transaction that makes the change it records; outside one it runs in
 * its own.  *seq (may be NULL) gets the new seq.  action must not be "".
 */
int vk_store_audit_append(
    struct vk_store *st, const struct vk_audit_entry *in, int64_t *seq);

/* Filters for vk_store_audit_list(); NULL / 0 fields do not filter.
 * Text filters match exactly. */
struct vk_audit_filter {
	const char *actor;
	const char *action;
	const char *object_type;
	const char *object_id;
	int64_t since; /* time >= since */
	int64_t until; /* time < until */
};

/* Matching entries, newest first.  f and pg may be NULL. */
int vk_store_audit_list(struct vk_store *st, const struct vk_audit_filter *f,
    const struct vk_page *pg, struct vk_audit_list **out);

/* Calls fn for every entry in seq order (as stored: no checks) until fn
 * returns non-zero, which is then returned.  Entries are read in
 * batches; e is valid only during the call. */
int vk_store_audit_iter(struct vk_store *st,
    int (*fn)(void *arg, const struct vk_audit_entry *e), void *arg);

/* The chain head as recorded when the last entry was appended: seq 0 and
 * 64 zeros for an empty log. */
int vk_store_audit_head(
    struct vk_store *st, int64_t *seq, char hash[VK_HASH_HEX]);

/*
 * The entry hash: hex SHA-256 over the canonical form of e (every field
 * above except hash; see docs/design/store.md) followed by prev_hash.
 * Pure function; used by the backends and by audit verification.
 */
int vk_audit_hash(const struct vk_audit_entry *e, char out[VK_HASH_HEX]);

/* ------------------------------------------------------------------ */
/* Jobs: background work claimed by any node (schema for later parts). */

enum vk_job_state {
	VK_JOB_QUEUED,
	VK_JOB_RUNNING,
	VK_JOB_DONE,
	VK_JOB_FAILED,
	VK_JOB_STATE_MAX
};

struct vk_job {
	int64_t id;
	char *kind; /* "hunt.sweep", "feed.import", ... */
	char *payload; /* JSON text */
	enum vk_job_state state;
	int64_t run_at; /* not before */
	int64_t claimed_at;
	char *claimed_by; /* worker name, "" when queued */
	int attempts;
	char *result; /* JSON text or error message, "" until finished */
	int64_t created, finished;
};

void vk_job_free(struct vk_job *j);

/* Queues a job; *id (may be NULL) gets its id. */
int vk_store_job_add(struct vk_store *st, const char *kind, const char *payload,
    int64_t run_at, int64_t *id);
/* Claims the oldest queued job with run_at <= now for `worker` (sets
 * state running, claimed_at, attempts + 1).  PG: FOR UPDATE SKIP LOCKED,
 * so several nodes never claim the same job.  VK_ENOTFOUND when none. */
int vk_store_job_claim(
    struct vk_store *st, const char *worker, int64_t now, struct vk_job **out);
/* As vk_store_job_claim(), for jobs of `kind` only (a worker that knows
 * one kind must not take the others'). */
int vk_store_job_claim_kind(struct vk_store *st, const char *kind,
    const char *worker, int64_t now, struct vk_job **out);
/* *n gets the number of queued jobs of `kind` (due or not). */
int vk_store_job_count_queued(
    struct vk_store *st, const char *kind, int64_t *n);
/* Marks a running job done (ok) or failed with `result` (NULL = ""). */
int vk_store_job_finish(
    struct vk_store *st, int64_t id, bool ok, const char *result);

/* ------------------------------------------------------------------ */
/* Backup and restore (SQLite only; PostgreSQL: pg_dump, see docs).    */

/*
 * Writes a consistent copy of the store into the new file `path` with
 * SQLite's online backup API, while other threads and processes keep
 * using it.  Refuses an existing path (VK_EEXIST).  PostgreSQL:
 * VK_EUNSUPPORTED with a hint to use pg_dump in d.
 */
int vk_store_backup(struct vk_store *st, const char *path, struct vk_diag *d);

/*
 * Replaces the contents of the store with the backup in `path`.  First
 * checks that the backup opens, passes integrity_check and is a vaksam
 * database at a migration version this program knows (VK_EPARSE
 * otherwise).  Refuses a store that holds any user or audit entry unless
 * force (VK_EEXIST).  Other connections should be idle.
 */
int vk_store_restore(
    struct vk_store *st, const char *path, bool force, struct vk_diag *d);

#endif
