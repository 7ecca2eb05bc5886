/*
 * store_fixture.h — a fresh store for every test case, once on SQLite (a
 * temporary directory) and once on PostgreSQL (a schema of its own in the
 * database named by $VAKSAM_TEST_PG, dropped afterwards).
 *
 * Without $VAKSAM_TEST_PG the PostgreSQL cases are left out with a TAP
 * note, except when CI=true: then they run and fail, so CI cannot pass
 * without PostgreSQL.  Shared by test_store.c and test_store_incident.c.
 */
#ifndef VK_TESTS_STORE_FIXTURE_H
#define VK_TESTS_STORE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store/store.h"

struct fx_case {
	const char *name;
	CMUnitTestFunction fn;
};

/* A case's state (*state in its test function). */
struct fixture {
	struct vk_store *st;
	char dir[256]; /* sqlite: the temporary directory */
	char schema[64]; /* pg: the case's schema */
	char spec[1024]; /* what vk_store_open() was given */
};

/* True while a PostgreSQL case runs. */
extern bool fx_use_pg;

/* The case's store, migrated when `migrate`; skips the case when
 * PostgreSQL is not available outside CI. */
struct vk_store *fx_store(void **state, bool migrate);
/* Runs one statement as the test database's owner; 0 or -1. */
int fx_pg_admin(const char *sql);
/* Adds an employee called `name`; returns its id (asserts success). */
int64_t fx_add_user(struct vk_store *st, const char *name);

/*
 * Runs every case of `cases` on each backend (named "sqlite/NAME" and
 * "postgresql/NAME"), then the `extra` cases (no store fixture) once.
 * Returns cmocka's result, for main().
 */
int fx_run(const char *group, const struct fx_case *cases, size_t ncases,
    const struct fx_case *extra, size_t nextra);

#endif
