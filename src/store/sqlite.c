/*
 * sqlite.c — the embedded SQLite backend: one database file vaksam.db in
 * the data directory.
 *
 * Each pooled connection (store.c) is an sqlite3 handle opened in
 * multi-thread mode: a handle is used by one thread at a time, which the
 * pool guarantees.  Every connection runs with WAL (readers never wait
 * for the writer), foreign_keys=ON, synchronous=NORMAL (durable at each
 * checkpoint; a power cut may lose the last transactions but never
 * corrupts) and a busy timeout, so writers from several threads or
 * processes queue instead of failing.  Write transactions start with
 * BEGIN IMMEDIATE.  Statements are prepared once per connection and kept
 * in a small cache keyed by their (constant) text.
 */
#include "store/backend.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "util/err.h"
#include "util/log.h"

#define CACHE_SLOTS 64
#define BUSY_TIMEOUT_MS 10000

struct sq_conn {
	sqlite3 *db;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[CACHE_SLOTS];
};

/* mkdir -p with mode 0700 for every directory it creates. */
static int
mkdirs(const char *path, struct vk_diag *d)
{
	char buf[PATH_MAX];
	size_t i, n = strlen(path);

	if (n == 0 || n >= sizeof(buf)) {
		vk_diag_error(d, path, "data directory path is too long");
		return VK_EINVAL;
	}
	memcpy(buf, path, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
			vk_diag_error(d, buf, "cannot create directory: %s",
			    strerror(errno));
			return VK_EIO;
		}
		buf[i] = path[i];
	}
	return 0;
}

static int
map_rc(sqlite3 *db, int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return VK_EEXIST;
	case SQLITE_CONSTRAINT_TRIGGER:
		return VK_EPERM;
	default:
		break;
	}
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return VK_EINVAL;
	vk_log(VK_LOG_ERROR, "store", "backend=sqlite rc=%d error=\"%s\"", rc,
	    sqlite3_errmsg(db));
	return VK_ESTORE;
}

static void
sq_disconnect(void *conn)
{
	struct sq_conn *c = conn;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		sqlite3_finalize(c->cache[i].stmt);
	sqlite3_close(c->db);
	free(c);
}

static int
sq_connect(const char *spec, void **out, struct vk_diag *d)
{
	static const char pragmas[] = "PRAGMA journal_mode = WAL;"
				      "PRAGMA foreign_keys = ON;"
				      "PRAGMA synchronous = NORMAL;";
	struct sq_conn *c = NULL;
	char path[PATH_MAX];
	char *err = NULL;
	int fd, n, r;

	*out = NULL;
	if ((r = mkdirs(spec, d)) != 0)
		return r;
	n = snprintf(path, sizeof(path), "%s/%s", spec, VK_STORE_SQLITE_FILE);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		vk_diag_error(d, spec, "data directory path is too long");
		return VK_EINVAL;
	}
	/* Create the file ourselves so that it is 0600 whatever the umask
	 * (SQLite gives its -wal and -shm files the same mode). */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		vk_diag_error(
		    d, path, "cannot open the database: %s", strerror(errno));
		return VK_EIO;
	}
	close(fd);
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return VK_ENOMEM;
	if (sqlite3_open_v2(path, &c->db,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
		    SQLITE_OPEN_EXRESCODE,
		NULL) != SQLITE_OK) {
		vk_diag_error(d, path, "cannot open the database: %s",
		    c->db ? sqlite3_errmsg(c->db) : "out of memory");
		r = VK_ESTORE;
		goto fail;
	}
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	if (sqlite3_exec(c->db, pragmas, NULL, NULL, &err) != SQLITE_OK) {
		vk_diag_error(
		    d, path, "cannot set up the database: %s", err ? err : "?");
		sqlite3_free(err);
		r = VK_ESTORE;
		goto fail;
	}
	*out = c;
	return 0;
fail:
	sq_disconnect(c);
	return r;
}

static sqlite3_stmt *
prepare(struct sq_conn *c, const char *sql, int *rc)
{
	size_t slot = ((uintptr_t)sql >> 3) % CACHE_SLOTS;
	sqlite3_stmt *stmt = NULL;

	if (c->cache[slot].sql == sql && c->cache[slot].stmt != NULL &&
	    strcmp(sqlite3_sql(c->cache[slot].stmt), sql) == 0)
		return c->cache[slot].stmt;
	*rc = sqlite3_prepare_v3(
	    c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
	if (*rc != SQLITE_OK)
		return NULL;
	sqlite3_finalize(c->cache[slot].stmt);
	c->cache[slot].sql = sql;
	c->cache[slot].stmt = stmt;
	return stmt;
}

static int
bind(sqlite3_stmt *stmt, const struct vk_db_param *p, size_t np)
{
	int i, n = sqlite3_bind_parameter_count(stmt);

	for (i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(stmt, i);
		const struct vk_db_param *v;
		long k;
		char *end;

		if (name == NULL || name[0] != '$')
			return VK_EINTERNAL;
		k = strtol(name + 1, &end, 10);
		if (*end != '\0' || k < 1 || (size_t)k > np)
			return VK_EINTERNAL;
		v = &p[k - 1];
		switch (v->type) {
		case VK_DB_INT:
			sqlite3_bind_int64(stmt, i, v->i);
			break;
		case VK_DB_TEXT:
			sqlite3_bind_text(stmt, i, v->s, -1, SQLITE_STATIC);
			break;
		default:
			sqlite3_bind_null(stmt, i);
			break;
		}
	}
	return 0;
}

static int
add_row(sqlite3_stmt *stmt, struct vk_db_res *res, size_t *cap)
{
	size_t nc = res->ncols, i;
	char **cell;

	if (res->nrows * nc + nc > *cap) {
		size_t ncap = *cap ? *cap * 2 : nc * 8;

		while (ncap < res->nrows * nc + nc)
			ncap *= 2;
		if ((cell = realloc(res->cell, ncap * sizeof(*cell))) == NULL)
			return VK_ENOMEM;
		res->cell = cell;
		*cap = ncap;
	}
	for (i = 0; i < nc; i++) {
		const unsigned char *t = sqlite3_column_text(stmt, (int)i);
		char **dst = &res->cell[res->nrows * nc + i];

		if (t == NULL) {
			*dst = NULL;
			continue;
		}
		if ((*dst = strdup((const char *)t)) == NULL) {
			while (i-- > 0)
				free(res->cell[res->nrows * nc + i]);
			return VK_ENOMEM;
		}
	}
	res->nrows++;
	return 0;
}

static int
sq_exec(void *conn, const char *sql, const struct vk_db_param *p, size_t np,
    struct vk_db_res *res)
{
	struct sq_conn *c = conn;
	struct vk_db_res tmp;
	sqlite3_stmt *stmt;
	size_t cap = 0;
	int rc = SQLITE_OK, r = 0;

	if (res == NULL)
		res = &tmp;
	memset(res, 0, sizeof(*res));
	if ((stmt = prepare(c, sql, &rc)) == NULL)
		return map_rc(c->db, rc);
	if ((r = bind(stmt, p, np)) != 0)
		goto out;
	res->ncols = (size_t)sqlite3_column_count(stmt);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (res->ncols > 0 && (r = add_row(stmt, res, &cap)) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		r = map_rc(c->db, sqlite3_extended_errcode(c->db));
		goto out;
	}
	res->changes = sqlite3_changes64(c->db);
out:
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (r != 0 || res == &tmp)
		vk_db_res_free(res);
	return r;
}

static int
sq_script(void *conn, const char *sql, struct vk_diag *d)
{
	struct sq_conn *c = conn;
	char *err = NULL;
	int rc;

	if ((rc = sqlite3_exec(c->db, sql, NULL, NULL, &err)) != SQLITE_OK) {
		vk_diag_error(d, "sqlite", "%s", err ? err : "?");
		sqlite3_free(err);
		return map_rc(c->db, sqlite3_extended_errcode(c->db));
	}
	return 0;
}

static int
copy_db(sqlite3 *dst, sqlite3 *src, struct vk_diag *d, const char *where)
{
	sqlite3_backup *b;
	int rc;

	if ((b = sqlite3_backup_init(dst, "main", src, "main")) == NULL) {
		vk_diag_error(
		    d, where, "cannot start the copy: %s", sqlite3_errmsg(dst));
		return VK_ESTORE;
	}
	/* Copy in steps so that writers in other threads and processes get
	 * the lock between them; busy just means try again. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		vk_diag_error(d, where, "copy failed: %s", sqlite3_errstr(rc));
		return VK_ESTORE;
	}
	return 0;
}

static int
sq_backup(void *conn, const char *path, struct vk_diag *d)
{
	struct sq_conn *c = conn;
	sqlite3 *dst = NULL;
	char *err = NULL;
	int fd, r;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		vk_diag_error(d, path, "cannot create the backup file: %s%s",
		    strerror(errno),
		    errno == EEXIST ? " (choose a new name)" : "");
		return errno == EEXIST ? VK_EEXIST : VK_EIO;
	}
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		vk_diag_error(d, path, "cannot open the backup file: %s",
		    dst ? sqlite3_errmsg(dst) : "out of memory");
		r = VK_ESTORE;
		goto out;
	}
	if ((r = copy_db(dst, c->db, d, path)) != 0)
		goto out;
	/* A backup is one self-contained file: no -wal beside it. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL,
		&err) != SQLITE_OK) {
		vk_diag_error(d, path, "%s", err ? err : "?");
		sqlite3_free(err);
		r = VK_ESTORE;
	}
out:
	if (sqlite3_close(dst) != SQLITE_OK && r == 0)
		r = VK_ESTORE;
	if (r != 0)
		unlink(path);
	return r;
}

/* Checks that src is an intact vaksam database whose migration version
 * this program knows. */
static int
check_backup(sqlite3 *src, const char *path, struct vk_diag *d)
{
	sqlite3_stmt *stmt = NULL;
	int r = VK_EPARSE, v;

	if (sqlite3_prepare_v2(src, "PRAGMA quick_check", -1, &stmt, NULL) !=
		SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(stmt, 0), "ok") != 0) {
		vk_diag_error(d, path,
		    "not an intact SQLite database: %s (is this a vaksam "
		    "backup file?)",
		    sqlite3_errmsg(src));
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (sqlite3_prepare_v2(src,
		"SELECT MAX(version), (SELECT count(*) FROM sqlite_master "
		"WHERE type = 'table' AND name IN ('users', 'audit_log', "
		"'audit_head')) FROM schema_migrations",
		-1, &stmt, NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW) {
		vk_diag_error(d, path,
		    "not a vaksam database (no schema_migrations table)");
		goto out;
	}
	v = sqlite3_column_int(stmt, 0);
	if (sqlite3_column_int(stmt, 1) != 3 || v < 1) {
		vk_diag_error(d, path, "not a vaksam database");
		goto out;
	}
	if ((size_t)v > vk_migrations_sqlite_n) {
		vk_diag_error(d, path,
		    "the backup is at migration %d but this vaksam knows only "
		    "%zu: restore it with a newer vaksam",
		    v, vk_migrations_sqlite_n);
		goto out;
	}
	r = 0;
out:
	sqlite3_finalize(stmt);
	return r;
}

static int
sq_restore(void *conn, const char *path, struct vk_diag *d)
{
	struct sq_conn *c = conn;
	sqlite3 *src = NULL;
	char *err = NULL;
	int r;

	if (access(path, R_OK) != 0) {
		vk_diag_error(
		    d, path, "cannot read the backup: %s", strerror(errno));
		return VK_EIO;
	}
	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		vk_diag_error(d, path, "cannot open the backup: %s",
		    src ? sqlite3_errmsg(src) : "out of memory");
		r = VK_EPARSE;
		goto out;
	}
	if ((r = check_backup(src, path, d)) != 0)
		goto out;
	if ((r = copy_db(c->db, src, d, path)) != 0)
		goto out;
	if (sqlite3_exec(c->db, "PRAGMA journal_mode = WAL", NULL, NULL,
		&err) != SQLITE_OK) {
		vk_diag_error(d, path, "%s", err ? err : "?");
		sqlite3_free(err);
		r = VK_ESTORE;
	}
out:
	sqlite3_close(src);
	return r;
}

const struct vk_store_ops vk_store_sqlite_ops = {
	.name = "sqlite",
	.pg = false,
	.migrations = vk_migrations_sqlite,
	.nmigrations = &vk_migrations_sqlite_n,
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.exec = sq_exec,
	.script = sq_script,
	.begin_sql = "BEGIN IMMEDIATE",
	.backup = sq_backup,
	.restore = sq_restore,
};
