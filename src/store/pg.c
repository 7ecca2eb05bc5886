/*
 * pg.c — the PostgreSQL backend (libpq).
 *
 * Each pooled connection (store.c) is one PGconn, used by one thread at a
 * time as the pool guarantees (libpq is thread-safe under that rule).
 * Every statement goes through PQexecParams with its values bound as
 * parameters, text format; SQL is never built from values.  Notices
 * ("relation already exists, skipping") are not printed.  A connection
 * that broke (server restart) is reset before the next statement.
 */
#include "store/backend.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "util/err.h"
#include "util/log.h"

#define PG_PARAMS_MAX 32

static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void
pg_disconnect(void *conn)
{
	if (conn != NULL)
		PQfinish(conn);
}

static int
pg_connect(const char *spec, void **out, struct vk_diag *d)
{
	PGconn *c;

	*out = NULL;
	if ((c = PQconnectdb(spec)) == NULL)
		return VK_ENOMEM;
	if (PQstatus(c) != CONNECTION_OK) {
		char red[512];

		(void)vk_store_spec_redact(spec, red, sizeof(red));
		vk_diag_error(d, red, "cannot connect to PostgreSQL: %s",
		    PQerrorMessage(c));
		PQfinish(c);
		return VK_ESTORE;
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	if (PQsetClientEncoding(c, "UTF8") != 0) {
		vk_diag_error(
		    d, "postgresql", "cannot use UTF-8: %s", PQerrorMessage(c));
		PQfinish(c);
		return VK_ESTORE;
	}
	*out = c;
	return 0;
}

static int
map_err(PGconn *c, PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (state != NULL) {
		if (strcmp(state, "23505") == 0)
			return VK_EEXIST;
		if (strcmp(state, "23503") == 0 ||
		    strcmp(state, "23514") == 0 ||
		    strcmp(state, "23502") == 0 || strcmp(state, "22021") == 0)
			return VK_EINVAL;
		if (strcmp(state, "P0001") == 0)
			return VK_EPERM;
	}
	vk_log(VK_LOG_ERROR, "store",
	    "backend=postgresql sqlstate=%s error=\"%s\"", state ? state : "?",
	    PQerrorMessage(c));
	return VK_ESTORE;
}

static int
pg_exec(void *conn, const char *sql, const struct vk_db_param *p, size_t np,
    struct vk_db_res *res)
{
	PGconn *c = conn;
	const char *values[PG_PARAMS_MAX];
	char nums[PG_PARAMS_MAX][24];
	PGresult *pr;
	ExecStatusType est;
	size_t i, j, nr, nc;
	int r = 0;

	if (res != NULL)
		memset(res, 0, sizeof(*res));
	if (np > PG_PARAMS_MAX)
		return VK_EINTERNAL;
	if (PQstatus(c) == CONNECTION_BAD) {
		PQreset(c);
		if (PQstatus(c) != CONNECTION_OK) {
			vk_log(VK_LOG_ERROR, "store",
			    "backend=postgresql error=\"reconnect failed: %s\"",
			    PQerrorMessage(c));
			return VK_ESTORE;
		}
		PQsetNoticeProcessor(c, quiet, NULL);
	}
	for (i = 0; i < np; i++) {
		switch (p[i].type) {
		case VK_DB_INT:
			snprintf(nums[i], sizeof(nums[i]), "%" PRId64, p[i].i);
			values[i] = nums[i];
			break;
		case VK_DB_TEXT:
			values[i] = p[i].s;
			break;
		default:
			values[i] = NULL;
			break;
		}
	}
	pr = PQexecParams(c, sql, (int)np, NULL, values, NULL, NULL, 0);
	if (pr == NULL)
		return VK_ENOMEM;
	est = PQresultStatus(pr);
	if (est != PGRES_TUPLES_OK && est != PGRES_COMMAND_OK) {
		r = map_err(c, pr);
		goto out;
	}
	if (res == NULL)
		goto out;
	nr = (size_t)PQntuples(pr);
	nc = (size_t)PQnfields(pr);
	res->ncols = nc;
	res->changes = strtoll(PQcmdTuples(pr), NULL, 10);
	if (nr > 0 && nc > 0) {
		if ((res->cell = calloc(nr * nc, sizeof(char *))) == NULL) {
			r = VK_ENOMEM;
			goto out;
		}
		res->nrows = nr;
		for (i = 0; i < nr; i++)
			for (j = 0; j < nc; j++) {
				char **dst = &res->cell[i * nc + j];

				if (PQgetisnull(pr, (int)i, (int)j))
					continue;
				*dst = strdup(PQgetvalue(pr, (int)i, (int)j));
				if (*dst == NULL) {
					r = VK_ENOMEM;
					goto out;
				}
			}
	}
out:
	PQclear(pr);
	if (r != 0 && res != NULL)
		vk_db_res_free(res);
	return r;
}

static int
pg_script(void *conn, const char *sql, struct vk_diag *d)
{
	PGconn *c = conn;
	PGresult *pr;
	int r = 0;

	/* PQexec runs several statements; used only for constant
	 * migration scripts (and raw SQL in tests). */
	if ((pr = PQexec(c, sql)) == NULL)
		return VK_ENOMEM;
	if (PQresultStatus(pr) != PGRES_COMMAND_OK &&
	    PQresultStatus(pr) != PGRES_TUPLES_OK) {
		vk_diag_error(d, "postgresql", "%s", PQerrorMessage(c));
		r = map_err(c, pr);
	}
	PQclear(pr);
	return r;
}

const struct vk_store_ops vk_store_pg_ops = {
	.name = "postgresql",
	.pg = true,
	.migrations = vk_migrations_pg,
	.nmigrations = &vk_migrations_pg_n,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.exec = pg_exec,
	.script = pg_script,
	.begin_sql = "BEGIN",
	.backup = NULL,
	.restore = NULL,
};
