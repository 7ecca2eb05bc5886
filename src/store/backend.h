/*
 * backend.h — inside the store: the table of functions a backend fills
 * (sqlite.c, pg.c), the connection pool and the thread-bound transaction
 * that store.c builds on them.  Not for use outside src/store/ and the
 * store's tests.
 *
 * A backend is a small driver: connect, run one statement with bound
 * parameters and collect its rows as text, run a migration script, and
 * the few things only one backend can do (online backup).  The entity
 * functions (users, sessions, audit, ...) are written once, in store.c,
 * in the SQL both dialects share ($1-style parameters, RETURNING, ON
 * CONFLICT); where the dialects differ (FOR UPDATE, SKIP LOCKED) store.c
 * picks the text by backend.  SQL text is always a constant: values are
 * only ever bound.
 */
#ifndef VK_STORE_BACKEND_H
#define VK_STORE_BACKEND_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* One numbered migration (generated from the files in migrations/BACKEND/). */
struct vk_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct vk_migration vk_migrations_sqlite[];
extern const size_t vk_migrations_sqlite_n;
extern const struct vk_migration vk_migrations_pg[];
extern const size_t vk_migrations_pg_n;

/* A bound parameter. */
enum vk_db_type { VK_DB_NULL, VK_DB_INT, VK_DB_TEXT };
struct vk_db_param {
	enum vk_db_type type;
	int64_t i;
	const char *s;
};

/* A text parameter; NULL binds "". */
static inline struct vk_db_param
vk_p_text(const char *s)
{
	struct vk_db_param p = { .type = VK_DB_TEXT, .i = 0, .s = s ? s : "" };

	return p;
}

#define VK_P_INT(x) ((struct vk_db_param){ .type = VK_DB_INT, .i = (x) })
#define VK_P_TEXT(x) vk_p_text(x)

/* The rows of one statement, every value as text (NULL for SQL NULL). */
struct vk_db_res {
	size_t nrows, ncols;
	char **cell; /* nrows * ncols, row-major, owned */
	int64_t changes; /* rows changed by INSERT/UPDATE/DELETE */
};

void vk_db_res_free(struct vk_db_res *r);
/* The cell (row, col); "" for NULL or out of range. */
const char *vk_db_get(const struct vk_db_res *r, size_t row, size_t col);
int64_t vk_db_get_int(const struct vk_db_res *r, size_t row, size_t col);

struct vk_store_ops {
	const char *name; /* "sqlite", "postgresql" */
	bool pg; /* dialect: PostgreSQL */
	const struct vk_migration *migrations;
	const size_t *nmigrations;
	/* Opens one connection to spec.  Errors to d. */
	int (*connect)(const char *spec, void **conn, struct vk_diag *d);
	void (*disconnect)(void *conn);
	/*
	 * Runs one statement with $1..$n parameters.  res may be NULL.
	 * Errors: VK_EEXIST (unique), VK_EINVAL (foreign key, check, bad
	 * text), VK_ESTORE (other; logged).
	 */
	int (*exec)(void *conn, const char *sql, const struct vk_db_param *p,
	    size_t np, struct vk_db_res *res);
	/* Runs a script of several statements without parameters. */
	int (*script)(void *conn, const char *sql, struct vk_diag *d);
	const char *begin_sql; /* "BEGIN IMMEDIATE" / "BEGIN" */
	/* May be NULL (VK_EUNSUPPORTED). */
	int (*backup)(void *conn, const char *path, struct vk_diag *d);
	int (*restore)(void *conn, const char *path, struct vk_diag *d);
};

extern const struct vk_store_ops vk_store_sqlite_ops;
extern const struct vk_store_ops vk_store_pg_ops;

#define VK_STORE_POOL_MAX 8

struct vk_store {
	const struct vk_store_ops *ops;
	char *spec;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	void *conn[VK_STORE_POOL_MAX]; /* NULL: not yet connected */
	bool busy[VK_STORE_POOL_MAX];
	size_t pool_max;
	pthread_key_t tx_key; /* this thread's transaction: 1 + slot */
};

/*
 * For tests: runs `sql` (no parameters) on a connection of st — raw
 * access that bypasses every rule, used to tamper with the audit log.
 */
int vk_store_exec_raw(struct vk_store *st, const char *sql);

/*
 * For the entity files beside store.c (store_incident.c): one statement on
 * this thread's transaction or a pooled connection (res may be NULL); a
 * transaction unless the thread has one (*mine: end it with
 * vk_store_auto_end(), which commits when r is 0 and rolls back
 * otherwise, returning the final code); pagination defaults.
 */
int vk_store_q(struct vk_store *st, const char *sql,
    const struct vk_db_param *p, size_t np, struct vk_db_res *res);
int vk_store_auto_begin(struct vk_store *st, bool *mine);
int vk_store_auto_end(struct vk_store *st, bool mine, int r);
void vk_store_page_norm(
    const struct vk_page *pg, int64_t *limit, int64_t *offset);

/* true when s is valid UTF-8 (no overlongs, no surrogates). */
bool vk_utf8_valid(const char *s, size_t n);

#endif
