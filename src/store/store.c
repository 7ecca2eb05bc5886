/*
 * store.c — the store interface on top of a backend driver: the
 * connection pool, thread-bound transactions, migrations and every
 * entity, in the SQL that SQLite and PostgreSQL share (see backend.h).
 */
#include "store/backend.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "util/err.h"
#include "util/log.h"

#define ZERO_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"

/* ------------------------------------------------------------------ */
/* Names.                                                              */

static const char *const role_names[VK_ROLE_MAX] = {
	[VK_ROLE_EMPLOYEE] = "employee",
	[VK_ROLE_HANDLER] = "handler",
	[VK_ROLE_ADMIN] = "admin",
	[VK_ROLE_AUDITOR] = "auditor",
};

static const char *const lang_names[VK_LANG_MAX] = {
	[VK_LANG_SV] = "sv",
	[VK_LANG_EN] = "en",
};

static const char *const job_states[VK_JOB_STATE_MAX] = {
	[VK_JOB_QUEUED] = "queued",
	[VK_JOB_RUNNING] = "running",
	[VK_JOB_DONE] = "done",
	[VK_JOB_FAILED] = "failed",
};

const char *
vk_role_name(enum vk_role r)
{
	return (unsigned)r < VK_ROLE_MAX ? role_names[r] : "?";
}

int
vk_role_parse(const char *s, enum vk_role *out)
{
	int i;

	if (s == NULL)
		return VK_EINVAL;
	for (i = 0; i < VK_ROLE_MAX; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum vk_role)i;
			return 0;
		}
	return VK_EINVAL;
}

const char *
vk_lang_name(enum vk_lang l)
{
	return (unsigned)l < VK_LANG_MAX ? lang_names[l] : "?";
}

int
vk_lang_parse(const char *s, enum vk_lang *out)
{
	int i;

	if (s == NULL)
		return VK_EINVAL;
	for (i = 0; i < VK_LANG_MAX; i++)
		if (strcmp(s, lang_names[i]) == 0) {
			*out = (enum vk_lang)i;
			return 0;
		}
	return VK_EINVAL;
}

static int
job_state_parse(const char *s, enum vk_job_state *out)
{
	int i;

	for (i = 0; i < VK_JOB_STATE_MAX; i++)
		if (strcmp(s, job_states[i]) == 0) {
			*out = (enum vk_job_state)i;
			return 0;
		}
	return VK_EINVAL;
}

int64_t
vk_store_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool
vk_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t len;
		uint32_t cp;

		if (c < 0x80) {
			if (c == 0)
				return false;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else
			return false;
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Result sets.                                                        */

void
vk_db_res_free(struct vk_db_res *r)
{
	size_t i;

	if (r == NULL || r->cell == NULL)
		return;
	for (i = 0; i < r->nrows * r->ncols; i++)
		free(r->cell[i]);
	free(r->cell);
	r->cell = NULL;
	r->nrows = r->ncols = 0;
}

const char *
vk_db_get(const struct vk_db_res *r, size_t row, size_t col)
{
	const char *s;

	if (row >= r->nrows || col >= r->ncols)
		return "";
	s = r->cell[row * r->ncols + col];
	return s ? s : "";
}

int64_t
vk_db_get_int(const struct vk_db_res *r, size_t row, size_t col)
{
	const char *s = vk_db_get(r, row, col);
	long long v;
	char *end;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s)
		return 0;
	return (int64_t)v;
}

static char *
dup_cell(const struct vk_db_res *r, size_t row, size_t col)
{
	return strdup(vk_db_get(r, row, col));
}

/* ------------------------------------------------------------------ */
/* The pool and the thread-bound transaction.                          */

struct conn {
	void *c;
	int slot;
	bool own; /* borrowed for one call (not the thread's transaction) */
};

static int
tx_slot(struct vk_store *st)
{
	return (int)(intptr_t)pthread_getspecific(st->tx_key) - 1;
}

static int
conn_get(struct vk_store *st, struct conn *k)
{
	int slot = tx_slot(st);
	size_t i;
	int r;

	if (slot >= 0) {
		k->c = st->conn[slot];
		k->slot = slot;
		k->own = false;
		return 0;
	}
	pthread_mutex_lock(&st->lock);
	for (;;) {
		for (i = 0; i < st->pool_max; i++)
			if (!st->busy[i] && st->conn[i] != NULL)
				goto take;
		for (i = 0; i < st->pool_max; i++)
			if (!st->busy[i])
				goto take;
		pthread_cond_wait(&st->cond, &st->lock);
	}
take:
	st->busy[i] = true;
	pthread_mutex_unlock(&st->lock);
	if (st->conn[i] == NULL) {
		void *c = NULL;

		if ((r = st->ops->connect(st->spec, &c, NULL)) != 0) {
			pthread_mutex_lock(&st->lock);
			st->busy[i] = false;
			pthread_cond_signal(&st->cond);
			pthread_mutex_unlock(&st->lock);
			return r;
		}
		st->conn[i] = c;
	}
	k->c = st->conn[i];
	k->slot = (int)i;
	k->own = true;
	return 0;
}

static void
conn_put(struct vk_store *st, struct conn *k)
{
	if (!k->own)
		return;
	pthread_mutex_lock(&st->lock);
	st->busy[k->slot] = false;
	pthread_cond_signal(&st->cond);
	pthread_mutex_unlock(&st->lock);
}

static int
check_params(const struct vk_db_param *p, size_t np)
{
	size_t i;

	for (i = 0; i < np; i++)
		if (p[i].type == VK_DB_TEXT &&
		    !vk_utf8_valid(p[i].s, strlen(p[i].s)))
			return VK_EINVAL;
	return 0;
}

/* Runs one statement on this thread's transaction or a pooled
 * connection.  res may be NULL. */
static int
q(struct vk_store *st, const char *sql, const struct vk_db_param *p, size_t np,
    struct vk_db_res *res)
{
	struct conn k;
	int r;

	if (res != NULL)
		memset(res, 0, sizeof(*res));
	if ((r = check_params(p, np)) != 0)
		return r;
	if ((r = conn_get(st, &k)) != 0)
		return r;
	r = st->ops->exec(k.c, sql, p, np, res);
	conn_put(st, &k);
	return r;
}

int
vk_store_begin(struct vk_store *st)
{
	struct conn k;
	int r;

	if (st == NULL || tx_slot(st) >= 0)
		return VK_EINVAL;
	if ((r = conn_get(st, &k)) != 0)
		return r;
	if ((r = st->ops->exec(k.c, st->ops->begin_sql, NULL, 0, NULL)) != 0) {
		conn_put(st, &k);
		return r;
	}
	pthread_setspecific(st->tx_key, (void *)(intptr_t)(k.slot + 1));
	return 0;
}

static int
tx_end(struct vk_store *st, const char *sql)
{
	struct conn k;
	int slot, r;

	if (st == NULL || (slot = tx_slot(st)) < 0)
		return VK_EINVAL;
	r = st->ops->exec(st->conn[slot], sql, NULL, 0, NULL);
	if (r != 0 && strcmp(sql, "ROLLBACK") != 0)
		(void)st->ops->exec(st->conn[slot], "ROLLBACK", NULL, 0, NULL);
	pthread_setspecific(st->tx_key, NULL);
	k.c = st->conn[slot];
	k.slot = slot;
	k.own = true;
	conn_put(st, &k);
	return r;
}

int
vk_store_commit(struct vk_store *st)
{
	return tx_end(st, "COMMIT");
}

int
vk_store_rollback(struct vk_store *st)
{
	return tx_end(st, "ROLLBACK");
}

/* Starts a transaction unless the thread has one; *mine says whether
 * auto_end() must end it. */
static int
auto_begin(struct vk_store *st, bool *mine)
{
	*mine = false;
	if (tx_slot(st) >= 0)
		return 0;
	*mine = true;
	return vk_store_begin(st);
}

static int
auto_end(struct vk_store *st, bool mine, int r)
{
	if (!mine)
		return r;
	if (r != 0) {
		(void)vk_store_rollback(st);
		return r;
	}
	return vk_store_commit(st);
}

/* ------------------------------------------------------------------ */
/* Open, close, migrations.                                            */

static bool
is_pg_spec(const char *spec)
{
	return strncmp(spec, "postgresql://", 13) == 0 ||
	    strncmp(spec, "postgres://", 11) == 0;
}

int
vk_store_open(const char *spec, struct vk_store **out, struct vk_diag *d)
{
	struct vk_store *st;
	void *c = NULL;
	int r;

	*out = NULL;
	if (spec == NULL || *spec == '\0') {
		vk_diag_error(d, "store",
		    "no store given: use --data DIR or "
		    "--db postgresql://...");
		return VK_EINVAL;
	}
	if (sodium_init() < 0)
		return VK_EINTERNAL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return VK_ENOMEM;
	st->ops = is_pg_spec(spec) ? &vk_store_pg_ops : &vk_store_sqlite_ops;
	st->pool_max = VK_STORE_POOL_MAX;
	if ((st->spec = strdup(spec)) == NULL) {
		free(st);
		return VK_ENOMEM;
	}
	/* The first connection is made now so that a wrong spec is
	 * reported at once, with the backend's reason. */
	if ((r = st->ops->connect(spec, &c, d)) != 0) {
		free(st->spec);
		free(st);
		return r;
	}
	st->conn[0] = c;
	pthread_mutex_init(&st->lock, NULL);
	pthread_cond_init(&st->cond, NULL);
	if (pthread_key_create(&st->tx_key, NULL) != 0) {
		st->ops->disconnect(c);
		pthread_mutex_destroy(&st->lock);
		pthread_cond_destroy(&st->cond);
		free(st->spec);
		free(st);
		return VK_EINTERNAL;
	}
	*out = st;
	return 0;
}

void
vk_store_close(struct vk_store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < VK_STORE_POOL_MAX; i++)
		if (st->conn[i] != NULL)
			st->ops->disconnect(st->conn[i]);
	pthread_key_delete(st->tx_key);
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->cond);
	free(st->spec);
	free(st);
}

const char *
vk_store_backend(const struct vk_store *st)
{
	return st->ops->name;
}

int
vk_store_ping(struct vk_store *st)
{
	struct vk_db_res res;
	int r;

	r = q(st, "SELECT 1", NULL, 0, &res);
	if (r == 0 && vk_db_get_int(&res, 0, 0) != 1)
		r = VK_ESTORE;
	vk_db_res_free(&res);
	return r;
}

int
vk_store_exec_raw(struct vk_store *st, const char *sql)
{
	struct conn k;
	int r;

	if ((r = conn_get(st, &k)) != 0)
		return r;
	r = st->ops->script(k.c, sql, NULL);
	conn_put(st, &k);
	return r;
}

static int
current_version(struct vk_store *st, int *v)
{
	struct vk_db_res res;
	int r;

	*v = 0;
	r = q(st,
	    st->ops->pg ? "SELECT count(*) FROM pg_catalog.pg_tables "
			  "WHERE tablename = 'schema_migrations' AND "
			  "schemaname = current_schema()"
			: "SELECT count(*) FROM sqlite_master WHERE "
			  "type = 'table' AND name = 'schema_migrations'",
	    NULL, 0, &res);
	if (r != 0)
		return r;
	if (vk_db_get_int(&res, 0, 0) == 0) {
		vk_db_res_free(&res);
		return 0;
	}
	vk_db_res_free(&res);
	r = q(st, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
	    NULL, 0, &res);
	if (r == 0)
		*v = (int)vk_db_get_int(&res, 0, 0);
	vk_db_res_free(&res);
	return r;
}

int
vk_store_status(struct vk_store *st, struct vk_store_status *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	out->latest = (int)*st->ops->nmigrations;
	if ((r = current_version(st, &out->current)) != 0)
		return r;
	if (out->current <= out->latest)
		out->pending = out->latest - out->current;
	return 0;
}

int
vk_store_migrate(struct vk_store *st, int *applied, struct vk_diag *d)
{
	const struct vk_migration *m = st->ops->migrations;
	size_t nm = *st->ops->nmigrations, i;
	int r = 0, cur, n = 0;
	bool mine;

	if (applied != NULL)
		*applied = 0;
	if ((r = auto_begin(st, &mine)) != 0)
		return r;
	if (!mine) {
		vk_diag_error(d, "store",
		    "migrations cannot run inside a "
		    "transaction");
		return VK_EINVAL;
	}
	if (st->ops->pg &&
	    (r = q(st, "SELECT pg_advisory_xact_lock(1986097517)", NULL, 0,
		 NULL)) != 0)
		goto out;
	if ((r = q(st,
		 "CREATE TABLE IF NOT EXISTS schema_migrations ("
		 "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
		 "applied_at BIGINT NOT NULL)",
		 NULL, 0, NULL)) != 0)
		goto out;
	r = vk_store_commit(st);
	mine = false;
	if (r != 0)
		goto out;
	for (i = 0; i < nm; i++) {
		struct vk_db_param p[3];
		struct conn k;

		if ((r = vk_store_begin(st)) != 0)
			goto out;
		mine = true;
		if (st->ops->pg &&
		    (r = q(st, "SELECT pg_advisory_xact_lock(1986097517)", NULL,
			 0, NULL)) != 0)
			goto out;
		if ((r = current_version(st, &cur)) != 0)
			goto out;
		if (cur > (int)nm) {
			vk_diag_error(d, "store",
			    "the store is at migration %d but this vaksam "
			    "knows "
			    "only %zu: use a newer vaksam",
			    cur, nm);
			r = VK_EUNSUPPORTED;
			goto out;
		}
		if (cur >= m[i].version) {
			r = vk_store_rollback(st);
			mine = false;
			if (r != 0)
				goto out;
			continue;
		}
		(void)conn_get(st, &k);
		r = st->ops->script(k.c, m[i].sql, d);
		if (r != 0) {
			vk_diag_error(
			    d, m[i].name, "migration %d failed", m[i].version);
			goto out;
		}
		p[0] = VK_P_INT(m[i].version);
		p[1] = VK_P_TEXT(m[i].name);
		p[2] = VK_P_INT(vk_store_now());
		if ((r = q(st,
			 "INSERT INTO schema_migrations (version, name, "
			 "applied_at) VALUES ($1, $2, $3)",
			 p, 3, NULL)) != 0)
			goto out;
		r = vk_store_commit(st);
		mine = false;
		if (r != 0)
			goto out;
		n++;
		vk_log(VK_LOG_INFO, "migrated", "backend=%s version=%d name=%s",
		    st->ops->name, m[i].version, m[i].name);
	}
out:
	if (mine)
		(void)vk_store_rollback(st);
	if (applied != NULL)
		*applied = n;
	if (r != 0 && d != NULL && d->nerr == 0)
		vk_diag_error(
		    d, "store", "migration failed: %s", vk_strerror(r));
	return r;
}

/* ------------------------------------------------------------------ */
/* Spec redaction.                                                     */

int
vk_store_spec_redact(const char *spec, char *buf, size_t n)
{
	size_t i, o = 0, len, pw_start = SIZE_MAX, pw_end = SIZE_MAX;
	const char *scheme;
	int trunc = 0;

	if (n == 0)
		return VK_ETOOBIG;
#define PUT(ch) \
	do { \
		if (o + 1 < n) \
			buf[o++] = (ch); \
		else \
			trunc = 1; \
	} while (0)
#define PUTS(s) \
	do { \
		for (const char *s_ = (s); *s_; s_++) \
			PUT(*s_); \
	} while (0)
	if (spec == NULL)
		spec = "";
	len = strlen(spec);
	/* A URL "scheme://user:password@host...": the password is the text
	 * between the first ':' and the last '@' of the authority. */
	scheme = strstr(spec, "://");
	for (const char *c = spec; scheme != NULL && c < scheme; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			(*c >= '0' && *c <= '9') || *c == '+' || *c == '-' ||
			*c == '.'))
			scheme = NULL;
	if (scheme != NULL && scheme != spec) {
		size_t auth = (size_t)(scheme - spec) + 3, end = auth, at = 0;
		const char *colon;

		while (end < len && spec[end] != '/' && spec[end] != '?' &&
		    spec[end] != '#')
			end++;
		for (size_t k = auth; k < end; k++)
			if (spec[k] == '@')
				at = k;
		if (at > 0 &&
		    (colon = memchr(spec + auth, ':', at - auth)) != NULL) {
			pw_start = (size_t)(colon - spec) + 1;
			pw_end = at;
		}
	}
	i = 0;
	while (i < len) {
		if (i >= pw_start && i < pw_end) {
			PUTS("***");
			i = pw_end;
			pw_start = SIZE_MAX;
			continue;
		}
		/* key=value pairs: in a query string or a libpq keyword
		 * string ("host=... password=..."). */
		if ((i == 0 || spec[i - 1] == '?' || spec[i - 1] == '&' ||
			spec[i - 1] == ' ') &&
		    strncmp(spec + i, "password=", 9) == 0) {
			PUTS("password=***");
			i += 9;
			while (i < len && spec[i] != '&' && spec[i] != ' ' &&
			    spec[i] != '#')
				i++;
			/* Whatever of a URL password the value covered is gone
			 * with it; the rest is still hidden below. */
			if (i > pw_start && i < pw_end)
				pw_start = i;
			continue;
		}
		PUT(spec[i]);
		i++;
	}
#undef PUTS
#undef PUT
	buf[o] = '\0';
	return trunc ? VK_ETOOBIG : 0;
}

/* ------------------------------------------------------------------ */
/* Pagination.                                                         */

static void
page_norm(const struct vk_page *pg, int64_t *limit, int64_t *offset)
{
	size_t l = pg ? pg->limit : 0, o = pg ? pg->offset : 0;

	if (l == 0)
		l = VK_PAGE_DEFAULT;
	if (l > VK_PAGE_MAX)
		l = VK_PAGE_MAX;
	if (o > INT32_MAX)
		o = INT32_MAX;
	*limit = (int64_t)l;
	*offset = (int64_t)o;
}

/* ------------------------------------------------------------------ */
/* Users.                                                              */

#define USER_COLS \
	"id, username, display_name, email, role, disabled, lang, " \
	"password_hash, created, updated, password_changed"

static void
user_clear(struct vk_user *u)
{
	free(u->username);
	free(u->display_name);
	free(u->email);
	if (u->password_hash != NULL) {
		sodium_memzero(u->password_hash, strlen(u->password_hash));
		free(u->password_hash);
	}
	memset(u, 0, sizeof(*u));
}

void
vk_user_free(struct vk_user *u)
{
	if (u == NULL)
		return;
	user_clear(u);
	free(u);
}

void
vk_user_list_free(struct vk_user_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		user_clear(&l->v[i]);
	free(l->v);
	free(l);
}

static int
user_from_row(const struct vk_db_res *res, size_t row, struct vk_user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = vk_db_get_int(res, row, 0);
	u->username = dup_cell(res, row, 1);
	u->display_name = dup_cell(res, row, 2);
	u->email = dup_cell(res, row, 3);
	u->password_hash = dup_cell(res, row, 7);
	if (u->username == NULL || u->display_name == NULL ||
	    u->email == NULL || u->password_hash == NULL) {
		user_clear(u);
		return VK_ENOMEM;
	}
	if (vk_role_parse(vk_db_get(res, row, 4), &u->role) != 0 ||
	    vk_lang_parse(vk_db_get(res, row, 6), &u->lang) != 0) {
		user_clear(u);
		return VK_ESTORE;
	}
	u->disabled = vk_db_get_int(res, row, 5) != 0;
	u->created = vk_db_get_int(res, row, 8);
	u->updated = vk_db_get_int(res, row, 9);
	u->password_changed = vk_db_get_int(res, row, 10);
	return 0;
}

/* The case-insensitive key of a user name: ASCII letters lower-cased
 * (the same on both backends, unlike SQL lower()). */
static int
name_key(const char *name, char *key, size_t n)
{
	size_t i, len = strlen(name);

	if (len == 0 || len > VK_USERNAME_MAX || len >= n)
		return VK_EINVAL;
	for (i = 0; i < len; i++) {
		char c = name[i];

		key[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	key[len] = '\0';
	return 0;
}

static bool
too_long(const char *s, size_t max)
{
	return s != NULL && strlen(s) > max;
}

int
vk_store_user_add(struct vk_store *st, const struct vk_user *in, int64_t *id)
{
	char key[VK_USERNAME_MAX + 1];
	struct vk_db_param p[10];
	struct vk_db_res res;
	int64_t now = vk_store_now();
	int r;

	if (in == NULL || in->username == NULL ||
	    name_key(in->username, key, sizeof(key)) != 0 ||
	    (unsigned)in->role >= VK_ROLE_MAX ||
	    (unsigned)in->lang >= VK_LANG_MAX ||
	    too_long(in->display_name, VK_DISPLAY_MAX) ||
	    too_long(in->email, VK_EMAIL_MAX))
		return VK_EINVAL;
	p[0] = VK_P_TEXT(in->username);
	p[1] = VK_P_TEXT(key);
	p[2] = VK_P_TEXT(in->display_name);
	p[3] = VK_P_TEXT(in->email);
	p[4] = VK_P_TEXT(vk_role_name(in->role));
	p[5] = VK_P_INT(in->disabled ? 1 : 0);
	p[6] = VK_P_TEXT(vk_lang_name(in->lang));
	p[7] = VK_P_TEXT(in->password_hash);
	p[8] = VK_P_INT(now);
	p[9] = VK_P_INT(in->password_hash && *in->password_hash ? now : 0);
	r = q(st,
	    "INSERT INTO users (username, name_key, display_name, email, "
	    "role, disabled, lang, password_hash, created, updated, "
	    "password_changed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
	    "$9, $10) RETURNING id",
	    p, 10, &res);
	if (r == 0 && id != NULL)
		*id = vk_db_get_int(&res, 0, 0);
	vk_db_res_free(&res);
	return r;
}

static int
user_one(struct vk_store *st, const char *sql, struct vk_db_param *p,
    struct vk_user **out)
{
	struct vk_db_res res;
	struct vk_user *u = NULL;
	int r;

	*out = NULL;
	if ((r = q(st, sql, p, 1, &res)) != 0)
		return r;
	if (res.nrows == 0) {
		r = VK_ENOTFOUND;
		goto out;
	}
	if ((u = malloc(sizeof(*u))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	if ((r = user_from_row(&res, 0, u)) != 0) {
		free(u);
		goto out;
	}
	*out = u;
out:
	vk_db_res_free(&res);
	return r;
}

int
vk_store_user_get(struct vk_store *st, int64_t id, struct vk_user **out)
{
	struct vk_db_param p[1] = { VK_P_INT(id) };

	return user_one(
	    st, "SELECT " USER_COLS " FROM users WHERE id = $1", p, out);
}

int
vk_store_user_get_by_name(
    struct vk_store *st, const char *username, struct vk_user **out)
{
	char key[VK_USERNAME_MAX + 1];
	struct vk_db_param p[1];

	*out = NULL;
	if (username == NULL)
		return VK_EINVAL;
	if (name_key(username, key, sizeof(key)) != 0)
		return VK_ENOTFOUND;
	p[0] = VK_P_TEXT(key);
	return user_one(
	    st, "SELECT " USER_COLS " FROM users WHERE name_key = $1", p, out);
}

static int
count(struct vk_store *st, const char *sql, const struct vk_db_param *p,
    size_t np, int64_t *n)
{
	struct vk_db_res res;
	int r;

	*n = 0;
	if ((r = q(st, sql, p, np, &res)) == 0)
		*n = vk_db_get_int(&res, 0, 0);
	vk_db_res_free(&res);
	return r;
}

int
vk_store_user_count(struct vk_store *st, int64_t *n)
{
	return count(st, "SELECT count(*) FROM users", NULL, 0, n);
}

int
vk_store_user_list(
    struct vk_store *st, const struct vk_page *pg, struct vk_user_list **out)
{
	struct vk_user_list *l = NULL;
	struct vk_db_param p[2];
	struct vk_db_res res = { 0 };
	int64_t limit, offset;
	size_t i;
	int r;

	*out = NULL;
	page_norm(pg, &limit, &offset);
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return VK_ENOMEM;
	if ((r = vk_store_user_count(st, &l->total)) != 0)
		goto out;
	p[0] = VK_P_INT(limit);
	p[1] = VK_P_INT(offset);
	if ((r = q(st,
		 "SELECT " USER_COLS " FROM users ORDER BY name_key "
		 "LIMIT $1 OFFSET $2",
		 p, 2, &res)) != 0)
		goto out;
	if (res.nrows > 0 &&
	    (l->v = calloc(res.nrows, sizeof(*l->v))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	for (i = 0; i < res.nrows; i++) {
		if ((r = user_from_row(&res, i, &l->v[i])) != 0)
			goto out;
		l->n++;
	}
	*out = l;
	l = NULL;
out:
	vk_db_res_free(&res);
	vk_user_list_free(l);
	return r;
}

int
vk_store_user_update(
    struct vk_store *st, int64_t id, const struct vk_user_update *u)
{
	struct vk_db_param p[14];
	struct vk_db_res res;
	unsigned f;
	int64_t now = vk_store_now();
	int r;

	if (u == NULL)
		return VK_EINVAL;
	f = u->fields;
	if (((f & VK_USER_F_ROLE) && (unsigned)u->role >= VK_ROLE_MAX) ||
	    ((f & VK_USER_F_LANG) && (unsigned)u->lang >= VK_LANG_MAX) ||
	    ((f & VK_USER_F_PASSWORD) && u->password_hash == NULL) ||
	    ((f & VK_USER_F_DISPLAY) &&
		too_long(u->display_name, VK_DISPLAY_MAX)) ||
	    ((f & VK_USER_F_EMAIL) && too_long(u->email, VK_EMAIL_MAX)))
		return VK_EINVAL;
	/* One constant statement: each field is written either with its
	 * new value or with itself, as the flag ($n = 1) says. */
	p[0] = VK_P_INT(id);
	p[1] = VK_P_INT(now);
	p[2] = VK_P_INT((f & VK_USER_F_PASSWORD) != 0);
	p[3] = VK_P_TEXT(u->password_hash);
	p[4] = VK_P_INT((f & VK_USER_F_ROLE) != 0);
	p[5] = VK_P_TEXT(
	    vk_role_name((f & VK_USER_F_ROLE) ? u->role : VK_ROLE_EMPLOYEE));
	p[6] = VK_P_INT((f & VK_USER_F_DISABLED) != 0);
	p[7] = VK_P_INT(u->disabled ? 1 : 0);
	p[8] = VK_P_INT((f & VK_USER_F_LANG) != 0);
	p[9] = VK_P_TEXT(
	    vk_lang_name((f & VK_USER_F_LANG) ? u->lang : VK_LANG_SV));
	p[10] = VK_P_INT((f & VK_USER_F_DISPLAY) != 0);
	p[11] = VK_P_TEXT(u->display_name);
	p[12] = VK_P_INT((f & VK_USER_F_EMAIL) != 0);
	p[13] = VK_P_TEXT(u->email);
	r = q(st,
	    "UPDATE users SET updated = $2, "
	    "password_hash = CASE WHEN $3 = 1 THEN $4 ELSE password_hash END, "
	    "password_changed = CASE WHEN $3 = 1 THEN $2 "
	    "ELSE password_changed END, "
	    "role = CASE WHEN $5 = 1 THEN $6 ELSE role END, "
	    "disabled = CASE WHEN $7 = 1 THEN $8 ELSE disabled END, "
	    "lang = CASE WHEN $9 = 1 THEN $10 ELSE lang END, "
	    "display_name = CASE WHEN $11 = 1 THEN $12 ELSE display_name END, "
	    "email = CASE WHEN $13 = 1 THEN $14 ELSE email END "
	    "WHERE id = $1",
	    p, 14, &res);
	if (r == 0 && res.changes == 0)
		r = VK_ENOTFOUND;
	vk_db_res_free(&res);
	return r;
}

/* ------------------------------------------------------------------ */
/* Sessions.                                                           */

#define SESSION_COLS \
	"id_hash, user_id, csrf_token, created, last_seen, expires, source"

static bool
hash_ok(const char *h)
{
	size_t i;

	if (h == NULL || strlen(h) != VK_HASH_HEX - 1)
		return false;
	for (i = 0; i < VK_HASH_HEX - 1; i++)
		if (!((h[i] >= '0' && h[i] <= '9') ||
			(h[i] >= 'a' && h[i] <= 'f')))
			return false;
	return true;
}

void
vk_session_free(struct vk_session *s)
{
	if (s == NULL)
		return;
	if (s->csrf_token != NULL) {
		sodium_memzero(s->csrf_token, strlen(s->csrf_token));
		free(s->csrf_token);
	}
	free(s->source);
	free(s);
}

int
vk_store_session_create(struct vk_store *st, const struct vk_session *in)
{
	struct vk_db_param p[7];

	if (in == NULL || !hash_ok(in->id_hash))
		return VK_EINVAL;
	p[0] = VK_P_TEXT(in->id_hash);
	p[1] = VK_P_INT(in->user_id);
	p[2] = VK_P_TEXT(in->csrf_token);
	p[3] = VK_P_INT(in->created);
	p[4] = VK_P_INT(in->last_seen);
	p[5] = VK_P_INT(in->expires);
	p[6] = VK_P_TEXT(in->source);
	return q(st,
	    "INSERT INTO sessions (" SESSION_COLS ") VALUES ($1, $2, $3, $4, "
	    "$5, $6, $7)",
	    p, 7, NULL);
}

int
vk_store_session_get(struct vk_store *st, const char *id_hash, int64_t now,
    struct vk_session **out)
{
	struct vk_db_param p[2];
	struct vk_db_res res;
	struct vk_session *s = NULL;
	int r;

	*out = NULL;
	if (!hash_ok(id_hash))
		return VK_ENOTFOUND;
	p[0] = VK_P_TEXT(id_hash);
	p[1] = VK_P_INT(now);
	if ((r = q(st,
		 "SELECT " SESSION_COLS " FROM sessions WHERE id_hash = $1 "
		 "AND expires > $2",
		 p, 2, &res)) != 0)
		return r;
	if (res.nrows == 0) {
		r = VK_ENOTFOUND;
		goto out;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	snprintf(s->id_hash, sizeof(s->id_hash), "%s", vk_db_get(&res, 0, 0));
	s->user_id = vk_db_get_int(&res, 0, 1);
	s->csrf_token = dup_cell(&res, 0, 2);
	s->created = vk_db_get_int(&res, 0, 3);
	s->last_seen = vk_db_get_int(&res, 0, 4);
	s->expires = vk_db_get_int(&res, 0, 5);
	s->source = dup_cell(&res, 0, 6);
	if (s->csrf_token == NULL || s->source == NULL) {
		vk_session_free(s);
		r = VK_ENOMEM;
		goto out;
	}
	*out = s;
out:
	vk_db_res_free(&res);
	return r;
}

static int
changed_one(struct vk_store *st, const char *sql, const struct vk_db_param *p,
    size_t np)
{
	struct vk_db_res res;
	int r;

	r = q(st, sql, p, np, &res);
	if (r == 0 && res.changes == 0)
		r = VK_ENOTFOUND;
	vk_db_res_free(&res);
	return r;
}

int
vk_store_session_touch(struct vk_store *st, const char *id_hash, int64_t now)
{
	struct vk_db_param p[2];

	if (!hash_ok(id_hash))
		return VK_ENOTFOUND;
	p[0] = VK_P_TEXT(id_hash);
	p[1] = VK_P_INT(now);
	return changed_one(
	    st, "UPDATE sessions SET last_seen = $2 WHERE id_hash = $1", p, 2);
}

int
vk_store_session_delete(struct vk_store *st, const char *id_hash)
{
	struct vk_db_param p[1];

	if (!hash_ok(id_hash))
		return VK_ENOTFOUND;
	p[0] = VK_P_TEXT(id_hash);
	return changed_one(st, "DELETE FROM sessions WHERE id_hash = $1", p, 1);
}

int
vk_store_session_delete_for_user(struct vk_store *st, int64_t user_id)
{
	struct vk_db_param p[1] = { VK_P_INT(user_id) };

	return q(st, "DELETE FROM sessions WHERE user_id = $1", p, 1, NULL);
}

int
vk_store_session_purge(struct vk_store *st, int64_t now, int64_t *n)
{
	struct vk_db_param p[1] = { VK_P_INT(now) };
	struct vk_db_res res;
	int r;

	r = q(st, "DELETE FROM sessions WHERE expires <= $1", p, 1, &res);
	if (n != NULL)
		*n = r == 0 ? res.changes : 0;
	vk_db_res_free(&res);
	return r;
}

int
vk_store_session_count(struct vk_store *st, int64_t now, int64_t *n)
{
	struct vk_db_param p[1] = { VK_P_INT(now) };

	return count(
	    st, "SELECT count(*) FROM sessions WHERE expires > $1", p, 1, n);
}

/* ------------------------------------------------------------------ */
/* API tokens.                                                         */

#define TOKEN_COLS \
	"id, user_id, name, token_hash, created, last_used, revoked_at"

static void
token_clear(struct vk_token *t)
{
	free(t->name);
	memset(t, 0, sizeof(*t));
}

void
vk_token_free(struct vk_token *t)
{
	if (t == NULL)
		return;
	token_clear(t);
	free(t);
}

void
vk_token_list_free(struct vk_token_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		token_clear(&l->v[i]);
	free(l->v);
	free(l);
}

static int
token_from_row(const struct vk_db_res *res, size_t row, struct vk_token *t)
{
	memset(t, 0, sizeof(*t));
	t->id = vk_db_get_int(res, row, 0);
	t->user_id = vk_db_get_int(res, row, 1);
	if ((t->name = dup_cell(res, row, 2)) == NULL)
		return VK_ENOMEM;
	snprintf(
	    t->token_hash, sizeof(t->token_hash), "%s", vk_db_get(res, row, 3));
	t->created = vk_db_get_int(res, row, 4);
	t->last_used = vk_db_get_int(res, row, 5);
	t->revoked_at = vk_db_get_int(res, row, 6);
	t->revoked = t->revoked_at != 0;
	return 0;
}

int
vk_store_token_create(struct vk_store *st, int64_t user_id, const char *name,
    const char *token_hash, int64_t *id)
{
	struct vk_db_param p[4];
	struct vk_db_res res;
	int r;

	if (name == NULL || !hash_ok(token_hash))
		return VK_EINVAL;
	p[0] = VK_P_INT(user_id);
	p[1] = VK_P_TEXT(name);
	p[2] = VK_P_TEXT(token_hash);
	p[3] = VK_P_INT(vk_store_now());
	r = q(st,
	    "INSERT INTO api_tokens (user_id, name, token_hash, created) "
	    "VALUES ($1, $2, $3, $4) RETURNING id",
	    p, 4, &res);
	if (r == 0 && id != NULL)
		*id = vk_db_get_int(&res, 0, 0);
	vk_db_res_free(&res);
	return r;
}

int
vk_store_token_list(struct vk_store *st, int64_t user_id,
    const struct vk_page *pg, struct vk_token_list **out)
{
	struct vk_token_list *l = NULL;
	struct vk_db_param p[3];
	struct vk_db_res res = { 0 };
	int64_t limit, offset;
	size_t i;
	int r;

	*out = NULL;
	page_norm(pg, &limit, &offset);
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return VK_ENOMEM;
	p[0] = VK_P_INT(user_id);
	p[1] = VK_P_INT(limit);
	p[2] = VK_P_INT(offset);
	if ((r = count(st,
		 "SELECT count(*) FROM api_tokens WHERE CAST($1 AS BIGINT) = 0 "
		 "OR "
		 "user_id = $1",
		 p, 1, &l->total)) != 0)
		goto out;
	if ((r = q(st,
		 "SELECT " TOKEN_COLS
		 " FROM api_tokens WHERE CAST($1 AS BIGINT) = 0 OR "
		 "user_id = $1 ORDER BY id LIMIT $2 OFFSET $3",
		 p, 3, &res)) != 0)
		goto out;
	if (res.nrows > 0 &&
	    (l->v = calloc(res.nrows, sizeof(*l->v))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	for (i = 0; i < res.nrows; i++) {
		if ((r = token_from_row(&res, i, &l->v[i])) != 0)
			goto out;
		l->n++;
	}
	*out = l;
	l = NULL;
out:
	vk_db_res_free(&res);
	vk_token_list_free(l);
	return r;
}

static int
token_one(struct vk_store *st, const char *sql, const struct vk_db_param *p,
    struct vk_token **out)
{
	struct vk_db_res res;
	struct vk_token *t;
	int r;

	*out = NULL;
	if ((r = q(st, sql, p, 1, &res)) != 0)
		return r;
	if (res.nrows == 0)
		r = VK_ENOTFOUND;
	else if ((t = malloc(sizeof(*t))) == NULL)
		r = VK_ENOMEM;
	else if ((r = token_from_row(&res, 0, t)) != 0)
		vk_token_free(t);
	else
		*out = t;
	vk_db_res_free(&res);
	return r;
}

int
vk_store_token_get(struct vk_store *st, int64_t id, struct vk_token **out)
{
	struct vk_db_param p[1] = { VK_P_INT(id) };

	return token_one(
	    st, "SELECT " TOKEN_COLS " FROM api_tokens WHERE id = $1", p, out);
}

int
vk_store_token_get_by_hash(
    struct vk_store *st, const char *token_hash, struct vk_token **out)
{
	struct vk_db_param p[1];

	*out = NULL;
	if (!hash_ok(token_hash))
		return VK_ENOTFOUND;
	p[0] = VK_P_TEXT(token_hash);
	return token_one(st,
	    "SELECT " TOKEN_COLS " FROM api_tokens WHERE token_hash = $1", p,
	    out);
}

int
vk_store_token_revoke(struct vk_store *st, int64_t id)
{
	struct vk_db_param p[2] = { VK_P_INT(id), VK_P_INT(vk_store_now()) };

	return changed_one(st,
	    "UPDATE api_tokens SET revoked_at = CASE WHEN revoked_at = 0 "
	    "THEN $2 ELSE revoked_at END WHERE id = $1",
	    p, 2);
}

int
vk_store_token_touch(struct vk_store *st, int64_t id, int64_t now)
{
	struct vk_db_param p[2] = { VK_P_INT(id), VK_P_INT(now) };

	return changed_one(
	    st, "UPDATE api_tokens SET last_used = $2 WHERE id = $1", p, 2);
}

/* ------------------------------------------------------------------ */
/* Login throttling.                                                   */

int
vk_store_throttle_fail(struct vk_store *st, const char *key, int64_t at)
{
	struct vk_db_param p[2];

	if (key == NULL)
		return VK_EINVAL;
	p[0] = VK_P_TEXT(key);
	p[1] = VK_P_INT(at);
	return q(st, "INSERT INTO login_failures (key, at) VALUES ($1, $2)", p,
	    2, NULL);
}

int
vk_store_throttle_count(
    struct vk_store *st, const char *key, int64_t since, int64_t *n)
{
	struct vk_db_param p[2];

	if (key == NULL)
		return VK_EINVAL;
	p[0] = VK_P_TEXT(key);
	p[1] = VK_P_INT(since);
	return count(st,
	    "SELECT count(*) FROM login_failures WHERE key = $1 AND at >= $2",
	    p, 2, n);
}

int
vk_store_throttle_oldest(
    struct vk_store *st, const char *key, int64_t since, int64_t *at)
{
	struct vk_db_param p[2];

	if (key == NULL)
		return VK_EINVAL;
	p[0] = VK_P_TEXT(key);
	p[1] = VK_P_INT(since);
	return count(st,
	    "SELECT COALESCE(MIN(at), 0) FROM login_failures WHERE key = $1 "
	    "AND at >= $2",
	    p, 2, at);
}

int
vk_store_throttle_clear(struct vk_store *st, const char *key)
{
	struct vk_db_param p[1];

	if (key == NULL)
		return VK_EINVAL;
	p[0] = VK_P_TEXT(key);
	return q(st, "DELETE FROM login_failures WHERE key = $1", p, 1, NULL);
}

int
vk_store_throttle_purge(struct vk_store *st, int64_t before)
{
	struct vk_db_param p[1] = { VK_P_INT(before) };

	return q(st, "DELETE FROM login_failures WHERE at < $1", p, 1, NULL);
}

/* ------------------------------------------------------------------ */
/* Settings.                                                           */

void
vk_setting_list_free(struct vk_setting_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	free(l);
}

static int
key_ok(const char *key)
{
	return key != NULL && *key != '\0' && strlen(key) <= VK_SETTING_KEY_MAX;
}

int
vk_store_setting_get(struct vk_store *st, const char *key, char **value)
{
	struct vk_db_param p[1];
	struct vk_db_res res;
	int r;

	*value = NULL;
	if (!key_ok(key))
		return VK_EINVAL;
	p[0] = VK_P_TEXT(key);
	if ((r = q(st, "SELECT value FROM settings WHERE key = $1", p, 1,
		 &res)) != 0)
		return r;
	if (res.nrows == 0)
		r = VK_ENOTFOUND;
	else if ((*value = dup_cell(&res, 0, 0)) == NULL)
		r = VK_ENOMEM;
	vk_db_res_free(&res);
	return r;
}

int
vk_store_setting_set(struct vk_store *st, const char *key, const char *value)
{
	struct vk_db_param p[2];

	if (!key_ok(key) || value == NULL ||
	    strlen(value) > VK_SETTING_VALUE_MAX)
		return VK_EINVAL;
	p[0] = VK_P_TEXT(key);
	p[1] = VK_P_TEXT(value);
	return q(st,
	    "INSERT INTO settings (key, value) VALUES ($1, $2) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	    p, 2, NULL);
}

int
vk_store_setting_delete(struct vk_store *st, const char *key)
{
	struct vk_db_param p[1];

	if (!key_ok(key))
		return VK_EINVAL;
	p[0] = VK_P_TEXT(key);
	return changed_one(st, "DELETE FROM settings WHERE key = $1", p, 1);
}

int
vk_store_setting_list(struct vk_store *st, struct vk_setting_list **out)
{
	struct vk_setting_list *l;
	struct vk_db_res res;
	size_t i;
	int r;

	*out = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return VK_ENOMEM;
	if ((r = q(st, "SELECT key, value FROM settings ORDER BY key", NULL, 0,
		 &res)) != 0) {
		free(l);
		return r;
	}
	if (res.nrows > 0 &&
	    (l->v = calloc(res.nrows, sizeof(*l->v))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	for (i = 0; i < res.nrows; i++) {
		l->v[i].key = dup_cell(&res, i, 0);
		l->v[i].value = dup_cell(&res, i, 1);
		l->n++;
		if (l->v[i].key == NULL || l->v[i].value == NULL) {
			r = VK_ENOMEM;
			goto out;
		}
	}
	*out = l;
	l = NULL;
out:
	vk_db_res_free(&res);
	vk_setting_list_free(l);
	return r;
}

/* ------------------------------------------------------------------ */
/* Audit log.                                                          */

#define AUDIT_COLS \
	"seq, time, actor, source, action, object_type, object_id, " \
	"before_json, after_json, prev_hash, hash"

static void
audit_clear(struct vk_audit_entry *e)
{
	free(e->actor);
	free(e->source);
	free(e->action);
	free(e->object_type);
	free(e->object_id);
	free(e->before);
	free(e->after);
	memset(e, 0, sizeof(*e));
}

void
vk_audit_entry_free(struct vk_audit_entry *e)
{
	if (e == NULL)
		return;
	audit_clear(e);
	free(e);
}

void
vk_audit_list_free(struct vk_audit_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		audit_clear(&l->v[i]);
	free(l->v);
	free(l);
}

static int
audit_from_row(
    const struct vk_db_res *res, size_t row, struct vk_audit_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->seq = vk_db_get_int(res, row, 0);
	e->time = vk_db_get_int(res, row, 1);
	e->actor = dup_cell(res, row, 2);
	e->source = dup_cell(res, row, 3);
	e->action = dup_cell(res, row, 4);
	e->object_type = dup_cell(res, row, 5);
	e->object_id = dup_cell(res, row, 6);
	e->before = dup_cell(res, row, 7);
	e->after = dup_cell(res, row, 8);
	snprintf(
	    e->prev_hash, sizeof(e->prev_hash), "%s", vk_db_get(res, row, 9));
	snprintf(e->hash, sizeof(e->hash), "%s", vk_db_get(res, row, 10));
	if (e->actor == NULL || e->source == NULL || e->action == NULL ||
	    e->object_type == NULL || e->object_id == NULL ||
	    e->before == NULL || e->after == NULL) {
		audit_clear(e);
		return VK_ENOMEM;
	}
	return 0;
}

static void
hash_field(crypto_hash_sha256_state *h, const char *s)
{
	char len[32];
	size_t n = s ? strlen(s) : 0;
	int k;

	k = snprintf(len, sizeof(len), "%zu:", n);
	crypto_hash_sha256_update(h, (const unsigned char *)len, (size_t)k);
	if (n > 0)
		crypto_hash_sha256_update(h, (const unsigned char *)s, n);
	crypto_hash_sha256_update(h, (const unsigned char *)"\n", 1);
}

int
vk_audit_hash(const struct vk_audit_entry *e, char out[VK_HASH_HEX])
{
	static const char magic[] = "vaksam-audit-1\n";
	crypto_hash_sha256_state h;
	unsigned char md[crypto_hash_sha256_BYTES];
	char num[32];

	if (sodium_init() < 0)
		return VK_EINTERNAL;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(
	    &h, (const unsigned char *)magic, sizeof(magic) - 1);
	snprintf(num, sizeof(num), "%" PRId64, e->seq);
	hash_field(&h, num);
	snprintf(num, sizeof(num), "%" PRId64, e->time);
	hash_field(&h, num);
	hash_field(&h, e->actor);
	hash_field(&h, e->source);
	hash_field(&h, e->action);
	hash_field(&h, e->object_type);
	hash_field(&h, e->object_id);
	hash_field(&h, e->before);
	hash_field(&h, e->after);
	hash_field(&h, e->prev_hash);
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(out, VK_HASH_HEX, md, sizeof(md));
	return 0;
}

int
vk_store_audit_append(
    struct vk_store *st, const struct vk_audit_entry *in, int64_t *seq)
{
	struct vk_audit_entry e;
	struct vk_db_param p[11];
	struct vk_db_res res = { 0 };
	bool mine;
	int r;

	if (in == NULL || in->action == NULL || *in->action == '\0' ||
	    in->actor == NULL || *in->actor == '\0')
		return VK_EINVAL;
	memset(&e, 0, sizeof(e));
	/* The casts only let the const strings share the row struct; e is
	 * never freed. */
	e.actor = in->actor;
	e.source = in->source ? in->source : (char *)(uintptr_t) "";
	e.action = in->action;
	e.object_type =
	    in->object_type ? in->object_type : (char *)(uintptr_t) "";
	e.object_id = in->object_id ? in->object_id : (char *)(uintptr_t) "";
	e.before = in->before ? in->before : (char *)(uintptr_t) "";
	e.after = in->after ? in->after : (char *)(uintptr_t) "";
	e.time = in->time != 0 ? in->time : vk_store_now();
	{
		struct vk_db_param t[7] = { VK_P_TEXT(e.actor),
			VK_P_TEXT(e.source), VK_P_TEXT(e.action),
			VK_P_TEXT(e.object_type), VK_P_TEXT(e.object_id),
			VK_P_TEXT(e.before), VK_P_TEXT(e.after) };

		if ((r = check_params(t, 7)) != 0)
			return r;
	}
	if ((r = auto_begin(st, &mine)) != 0)
		return r;
	/* The head row is the lock every appender queues on. */
	if ((r = q(st,
		 st->ops->pg ? "SELECT seq, hash FROM audit_head WHERE id = 1 "
			       "FOR UPDATE"
			     : "SELECT seq, hash FROM audit_head WHERE id = 1",
		 NULL, 0, &res)) != 0)
		goto out;
	if (res.nrows != 1) {
		r = VK_ESTORE;
		goto out;
	}
	e.seq = vk_db_get_int(&res, 0, 0) + 1;
	snprintf(e.prev_hash, sizeof(e.prev_hash), "%s", vk_db_get(&res, 0, 1));
	if ((r = vk_audit_hash(&e, e.hash)) != 0)
		goto out;
	p[0] = VK_P_INT(e.seq);
	p[1] = VK_P_INT(e.time);
	p[2] = VK_P_TEXT(e.actor);
	p[3] = VK_P_TEXT(e.source);
	p[4] = VK_P_TEXT(e.action);
	p[5] = VK_P_TEXT(e.object_type);
	p[6] = VK_P_TEXT(e.object_id);
	p[7] = VK_P_TEXT(e.before);
	p[8] = VK_P_TEXT(e.after);
	p[9] = VK_P_TEXT(e.prev_hash);
	p[10] = VK_P_TEXT(e.hash);
	if ((r = q(st,
		 "INSERT INTO audit_log (" AUDIT_COLS ") VALUES ($1, $2, $3, "
		 "$4, $5, $6, $7, $8, $9, $10, $11)",
		 p, 11, NULL)) != 0)
		goto out;
	p[1] = VK_P_TEXT(e.hash);
	if ((r = q(st, "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
		 p, 2, NULL)) != 0)
		goto out;
	if (seq != NULL)
		*seq = e.seq;
out:
	vk_db_res_free(&res);
	return auto_end(st, mine, r);
}

int
vk_store_audit_list(struct vk_store *st, const struct vk_audit_filter *f,
    const struct vk_page *pg, struct vk_audit_list **out)
{
	static const struct vk_audit_filter none;
	struct vk_audit_list *l = NULL;
	struct vk_db_param p[8];
	struct vk_db_res res = { 0 };
	int64_t limit, offset;
	size_t i;
	int r;

	*out = NULL;
	if (f == NULL)
		f = &none;
	page_norm(pg, &limit, &offset);
	p[0] = VK_P_TEXT(f->actor);
	p[1] = VK_P_TEXT(f->action);
	p[2] = VK_P_TEXT(f->object_type);
	p[3] = VK_P_TEXT(f->object_id);
	p[4] = VK_P_INT(f->since);
	p[5] = VK_P_INT(f->until);
	p[6] = VK_P_INT(limit);
	p[7] = VK_P_INT(offset);
#define AUDIT_WHERE \
	" WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR action = $2) " \
	"AND ($3 = '' OR object_type = $3) AND ($4 = '' OR object_id = $4) " \
	"AND (CAST($5 AS BIGINT) = 0 OR time >= $5) " \
	"AND (CAST($6 AS BIGINT) = 0 OR time < $6)"
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return VK_ENOMEM;
	if ((r = count(st, "SELECT count(*) FROM audit_log" AUDIT_WHERE, p, 6,
		 &l->total)) != 0)
		goto out;
	if ((r = q(st,
		 "SELECT " AUDIT_COLS " FROM audit_log" AUDIT_WHERE
		 " ORDER BY seq DESC LIMIT $7 OFFSET $8",
		 p, 8, &res)) != 0)
		goto out;
#undef AUDIT_WHERE
	if (res.nrows > 0 &&
	    (l->v = calloc(res.nrows, sizeof(*l->v))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	for (i = 0; i < res.nrows; i++) {
		if ((r = audit_from_row(&res, i, &l->v[i])) != 0)
			goto out;
		l->n++;
	}
	*out = l;
	l = NULL;
out:
	vk_db_res_free(&res);
	vk_audit_list_free(l);
	return r;
}

int
vk_store_audit_iter(struct vk_store *st,
    int (*fn)(void *arg, const struct vk_audit_entry *e), void *arg)
{
	struct vk_db_param p[2];
	struct vk_db_res res;
	struct vk_audit_entry e;
	int64_t last = INT64_MIN;
	size_t i;
	int r;

	for (;;) {
		p[0] = VK_P_INT(last);
		p[1] = VK_P_INT(500);
		if ((r = q(st,
			 "SELECT " AUDIT_COLS " FROM audit_log WHERE seq > $1 "
			 "ORDER BY seq LIMIT $2",
			 p, 2, &res)) != 0)
			return r;
		if (res.nrows == 0)
			break;
		for (i = 0; i < res.nrows; i++) {
			if ((r = audit_from_row(&res, i, &e)) != 0)
				goto out;
			last = e.seq;
			r = fn(arg, &e);
			audit_clear(&e);
			if (r != 0)
				goto out;
		}
		vk_db_res_free(&res);
	}
	return 0;
out:
	vk_db_res_free(&res);
	return r;
}

int
vk_store_audit_head(struct vk_store *st, int64_t *seq, char hash[VK_HASH_HEX])
{
	struct vk_db_res res;
	int r;

	if ((r = q(st, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, 0,
		 &res)) != 0)
		return r;
	if (res.nrows != 1) {
		r = VK_ESTORE;
	} else {
		*seq = vk_db_get_int(&res, 0, 0);
		snprintf(hash, VK_HASH_HEX, "%s", vk_db_get(&res, 0, 1));
	}
	vk_db_res_free(&res);
	return r;
}

/* ------------------------------------------------------------------ */
/* Jobs.                                                               */

#define JOB_COLS \
	"id, kind, payload, state, run_at, claimed_at, claimed_by, " \
	"attempts, result, created, finished"

void
vk_job_free(struct vk_job *j)
{
	if (j == NULL)
		return;
	free(j->kind);
	free(j->payload);
	free(j->claimed_by);
	free(j->result);
	free(j);
}

int
vk_store_job_add(struct vk_store *st, const char *kind, const char *payload,
    int64_t run_at, int64_t *id)
{
	struct vk_db_param p[4];
	struct vk_db_res res;
	int r;

	if (kind == NULL || *kind == '\0')
		return VK_EINVAL;
	p[0] = VK_P_TEXT(kind);
	p[1] = VK_P_TEXT(payload);
	p[2] = VK_P_INT(run_at);
	p[3] = VK_P_INT(vk_store_now());
	r = q(st,
	    "INSERT INTO jobs (kind, payload, run_at, created) VALUES ($1, $2, "
	    "$3, $4) RETURNING id",
	    p, 4, &res);
	if (r == 0 && id != NULL)
		*id = vk_db_get_int(&res, 0, 0);
	vk_db_res_free(&res);
	return r;
}

/* Claims the oldest due queued job, of `kind` only unless NULL. */
static int
job_claim(struct vk_store *st, const char *kind, const char *worker,
    int64_t now, struct vk_job **out)
{
	struct vk_db_param p[3];
	struct vk_db_res res;
	struct vk_job *j = NULL;
	int r;

	*out = NULL;
	p[0] = VK_P_INT(now);
	p[1] = VK_P_TEXT(worker);
	p[2] = VK_P_TEXT(kind);
	/* One statement, so SQLite claims atomically too; PostgreSQL skips
	 * rows another node has locked instead of waiting for them.  $3 =
	 * '' claims any kind. */
	r = q(st,
	    st->ops->pg ? "UPDATE jobs SET state = 'running', claimed_at = $1, "
			  "claimed_by = $2, attempts = attempts + 1 WHERE id = "
			  "(SELECT id FROM jobs WHERE state = 'queued' AND "
			  "run_at <= $1 AND ($3 = '' OR kind = $3) "
			  "ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) "
			  "RETURNING " JOB_COLS
			: "UPDATE jobs SET state = 'running', claimed_at = $1, "
			  "claimed_by = $2, attempts = attempts + 1 WHERE id = "
			  "(SELECT id FROM jobs WHERE state = 'queued' AND "
			  "run_at <= $1 AND ($3 = '' OR kind = $3) "
			  "ORDER BY run_at, id LIMIT 1) RETURNING " JOB_COLS,
	    p, 3, &res);
	if (r != 0)
		return r;
	if (res.nrows == 0) {
		r = VK_ENOTFOUND;
		goto out;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	j->id = vk_db_get_int(&res, 0, 0);
	j->kind = dup_cell(&res, 0, 1);
	j->payload = dup_cell(&res, 0, 2);
	if (job_state_parse(vk_db_get(&res, 0, 3), &j->state) != 0)
		j->state = VK_JOB_RUNNING;
	j->run_at = vk_db_get_int(&res, 0, 4);
	j->claimed_at = vk_db_get_int(&res, 0, 5);
	j->claimed_by = dup_cell(&res, 0, 6);
	j->attempts = (int)vk_db_get_int(&res, 0, 7);
	j->result = dup_cell(&res, 0, 8);
	j->created = vk_db_get_int(&res, 0, 9);
	j->finished = vk_db_get_int(&res, 0, 10);
	if (j->kind == NULL || j->payload == NULL || j->claimed_by == NULL ||
	    j->result == NULL) {
		vk_job_free(j);
		r = VK_ENOMEM;
		goto out;
	}
	*out = j;
out:
	vk_db_res_free(&res);
	return r;
}

int
vk_store_job_claim(
    struct vk_store *st, const char *worker, int64_t now, struct vk_job **out)
{
	return job_claim(st, NULL, worker, now, out);
}

int
vk_store_job_claim_kind(struct vk_store *st, const char *kind,
    const char *worker, int64_t now, struct vk_job **out)
{
	if (kind == NULL || *kind == '\0') {
		*out = NULL;
		return VK_EINVAL;
	}
	return job_claim(st, kind, worker, now, out);
}

int
vk_store_job_count_queued(struct vk_store *st, const char *kind, int64_t *n)
{
	struct vk_db_param p[1] = { VK_P_TEXT(kind) };

	if (kind == NULL)
		return VK_EINVAL;
	return count(st,
	    "SELECT count(*) FROM jobs WHERE kind = $1 AND state = 'queued'", p,
	    1, n);
}

int
vk_store_job_finish(
    struct vk_store *st, int64_t id, bool ok, const char *result)
{
	struct vk_db_param p[4];

	p[0] = VK_P_INT(id);
	p[1] = VK_P_TEXT(ok ? "done" : "failed");
	p[2] = VK_P_TEXT(result);
	p[3] = VK_P_INT(vk_store_now());
	return changed_one(st,
	    "UPDATE jobs SET state = $2, result = $3, finished = $4 "
	    "WHERE id = $1 AND state = 'running'",
	    p, 4);
}

/* ------------------------------------------------------------------ */
/* Backup and restore.                                                 */

int
vk_store_backup(struct vk_store *st, const char *path, struct vk_diag *d)
{
	struct conn k;
	int r;

	if (st->ops->backup == NULL) {
		vk_diag_error(d, "backup",
		    "the %s store is backed up with its own tools: use "
		    "pg_dump --format=custom (docs/design/store.md)",
		    st->ops->name);
		return VK_EUNSUPPORTED;
	}
	if (path == NULL || *path == '\0')
		return VK_EINVAL;
	if ((r = conn_get(st, &k)) != 0)
		return r;
	r = st->ops->backup(k.c, path, d);
	conn_put(st, &k);
	return r;
}

int
vk_store_restore(
    struct vk_store *st, const char *path, bool force, struct vk_diag *d)
{
	int64_t users = 0, seq = 0;
	char hash[VK_HASH_HEX];
	struct conn k;
	int r;

	if (st->ops->restore == NULL) {
		vk_diag_error(d, "restore",
		    "the %s store is restored with its own tools: use "
		    "pg_restore (docs/design/store.md)",
		    st->ops->name);
		return VK_EUNSUPPORTED;
	}
	if (path == NULL || *path == '\0' || tx_slot(st) >= 0)
		return VK_EINVAL;
	if (!force) {
		struct vk_store_status s;

		if ((r = vk_store_status(st, &s)) != 0)
			return r;
		if (s.current > 0 &&
		    ((r = vk_store_user_count(st, &users)) != 0 ||
			(r = vk_store_audit_head(st, &seq, hash)) != 0))
			return r;
		if (users > 0 || seq > 0) {
			vk_diag_error(d, "restore",
			    "the store is not empty (%" PRId64
			    " users, %" PRId64 " audit entries); "
			    "use --force to replace it",
			    users, seq);
			return VK_EEXIST;
		}
	}
	if ((r = conn_get(st, &k)) != 0)
		return r;
	r = st->ops->restore(k.c, path, d);
	conn_put(st, &k);
	return r;
}

/* ------------------------------------------------------------------ */
/* Entry points for the store's other files (backend.h).              */

int
vk_store_q(struct vk_store *st, const char *sql, const struct vk_db_param *p,
    size_t np, struct vk_db_res *res)
{
	return q(st, sql, p, np, res);
}

int
vk_store_auto_begin(struct vk_store *st, bool *mine)
{
	return auto_begin(st, mine);
}

int
vk_store_auto_end(struct vk_store *st, bool mine, int r)
{
	return auto_end(st, mine, r);
}

void
vk_store_page_norm(const struct vk_page *pg, int64_t *limit, int64_t *offset)
{
	page_norm(pg, limit, offset);
}
