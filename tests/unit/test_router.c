/*
 * test_router.c — path decoding, route matching, the route × role walk,
 * CSRF flags, and the routing table against docs/openapi.json and the
 * error registry against docs/api.md.
 *
 * The expectations below are written out by hand, independently of
 * routes.c: a route that is added, or whose roles change, fails here
 * until someone decides who may reach it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "util/err.h"
#include "web/errors.h"
#include "web/router.h"

struct expect {
	const char *method, *path;
	const char *who; /* space-separated role names */
};

#define ALL "anonymous employee handler admin auditor"
#define USERS "employee handler admin auditor"

static const struct expect expected[] = {
	{ "GET", "/healthz", ALL },
	{ "GET", "/metrics", ALL }, /* + loopback / token check */
	{ "GET", "/static/{file}", ALL },
	{ "GET", "/login", ALL },
	{ "POST", "/login", ALL },
	{ "POST", "/lang", ALL },
	{ "POST", "/logout", USERS },
	{ "GET", "/", USERS },
	{ "GET", "/incidents", USERS },
	{ "GET", "/incidents/new", USERS },
	{ "POST", "/incidents", USERS },
	{ "GET", "/incidents/export.csv", "handler admin auditor" },
	{ "GET", "/report", ALL }, /* 404 unless incident.anonymous = on */
	{ "POST", "/report", ALL },
	{ "GET", "/incidents/{id}", USERS }, /* own only, in the handler */
	{ "POST", "/incidents/{id}", "handler admin" },
	{ "POST", "/incidents/{id}/evidence", "handler admin" },
	{ "GET", "/incidents/{id}/attachments/{aid}", "handler admin" },
	{ "GET", "/incidents/{id}/drafts/{stage}", "handler admin" },
	{ "GET", "/phishing", USERS },
	{ "GET", "/hunt", "handler admin" },
	{ "GET", "/systems", "handler admin auditor" },
	{ "GET", "/index", "handler admin auditor" },
	{ "GET", "/users", "admin" },
	{ "POST", "/users", "admin" },
	{ "POST", "/users/{id}", "admin" },
	{ "GET", "/audit", "admin auditor" },
	{ "GET", "/settings", "admin" },
	{ "POST", "/settings", "admin" },
	{ "GET", "/profile", USERS },
	{ "POST", "/profile/lang", USERS },
	{ "POST", "/profile/password", USERS },
	{ "GET", "/api/v1/me", USERS },
	{ "GET", "/api/v1/users", "admin" },
	{ "POST", "/api/v1/users", "admin" },
	{ "GET", "/api/v1/users/{id}", "admin" },
	{ "PATCH", "/api/v1/users/{id}", "admin" },
	{ "GET", "/api/v1/audit", "admin auditor" },
	{ "GET", "/api/v1/settings", "admin auditor" },
	{ "PUT", "/api/v1/settings", "admin" },
	{ "POST", "/api/v1/session", ALL },
	{ "DELETE", "/api/v1/session", USERS },
	{ "GET", "/api/v1/incidents", USERS }, /* own only for employees */
	{ "POST", "/api/v1/incidents", USERS },
	{ "GET", "/api/v1/incidents/stats", "handler admin auditor" },
	{ "GET", "/api/v1/incidents/{id}", USERS },
	{ "PATCH", "/api/v1/incidents/{id}", "handler admin" },
	{ "POST", "/api/v1/incidents/{id}/state", "handler admin" },
	{ "POST", "/api/v1/incidents/{id}/sent", "handler admin" },
	{ "GET", "/api/v1/incidents/{id}/drafts/{stage}", "handler admin" },
};

/* State-changing routes that need no session CSRF token, and why. */
static const char *const csrf_exempt[] = {
	"POST /login", /* no session yet; Sec-Fetch-Site/Origin checked */
	"POST /lang", /* sets only the visitor's language cookie */
	"POST /report", /* anonymous report; Sec-Fetch-Site/Origin checked */
	"POST /api/v1/session", /* no session yet; JSON media type only */
};

static int
word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == list || p[-1] == ' ') &&
		    (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

static void
test_route_role_walk(void **state)
{
	size_t i, k;
	int role;

	(void)state;
	for (i = 0; i < vk_nroutes; i++) {
		const struct vk_route *r = &vk_routes[i];
		const struct expect *e = NULL;

		for (k = 0; k < sizeof(expected) / sizeof(expected[0]); k++)
			if (strcmp(expected[k].method, r->method) == 0 &&
			    strcmp(expected[k].path, r->pattern) == 0)
				e = &expected[k];
		if (e == NULL)
			fail_msg("route %s %s has no expectation in "
				 "test_router.c: decide who may reach it",
			    r->method, r->pattern);
		for (role = 0; role < VK_WROLE_MAX; role++) {
			int want = word_in(
			    e->who, vk_web_role_name((enum vk_web_role)role));
			int got = vk_route_allows(r, (enum vk_web_role)role);

			if (want != got)
				fail_msg("%s %s: role %s %s but should %s",
				    r->method, r->pattern,
				    vk_web_role_name((enum vk_web_role)role),
				    got ? "gets in" : "is refused",
				    want ? "get in" : "be refused");
		}
	}
	/* and every expectation names a real route */
	for (k = 0; k < sizeof(expected) / sizeof(expected[0]); k++) {
		int found = 0;

		for (i = 0; i < vk_nroutes; i++)
			found |= strcmp(expected[k].method,
				     vk_routes[i].method) == 0 &&
			    strcmp(expected[k].path, vk_routes[i].pattern) == 0;
		if (!found)
			fail_msg("expected route %s %s is not in routes.c",
			    expected[k].method, expected[k].path);
	}
	/* an invalid role value is never allowed */
	assert_false(vk_route_allows(&vk_routes[0], VK_WROLE_MAX));
	assert_false(vk_route_allows(&vk_routes[0], (enum vk_web_role) - 1));
}

static void
test_csrf_flags(void **state)
{
	char key[128];
	size_t i, k;

	(void)state;
	for (i = 0; i < vk_nroutes; i++) {
		const struct vk_route *r = &vk_routes[i];
		int exempt = 0;

		if (strcmp(r->method, "GET") == 0) {
			assert_false(r->flags & VK_RF_CSRF);
			continue;
		}
		snprintf(key, sizeof(key), "%s %s", r->method, r->pattern);
		for (k = 0; k < sizeof(csrf_exempt) / sizeof(csrf_exempt[0]);
		     k++)
			exempt |= strcmp(csrf_exempt[k], key) == 0;
		if (!exempt && !(r->flags & VK_RF_CSRF))
			fail_msg("%s changes state but has no CSRF check", key);
		if (exempt && (r->flags & VK_RF_CSRF))
			fail_msg("%s is listed as exempt but checks CSRF", key);
		/* state-changing routes are never open to anonymous
		 * unless exempt (login, language) */
		if (!exempt && vk_route_allows(r, VK_WROLE_ANON))
			fail_msg("%s is open to anonymous callers", key);
	}
}

static void
test_decode_path(void **state)
{
	static const char *const bad[] = { "", "x", "/a//b", "/..", "/a/..",
		"/a/../b", "/./a", "/a/.", "/%2e%2e/x", "/a/%2E%2E", "/a%2fb",
		"/a%2Fb", "/a%5cb", "/a\\b", "/a%00b", "/%", "/%4", "/%zz",
		"/%ff", "/%C3", "/static/..%2fetc" };
	char out[VK_PATH_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vk_router_decode_path(bad[i], out, sizeof(out)) == 0)
			fail_msg("path '%s' was accepted as '%s'", bad[i], out);
	assert_int_equal(vk_router_decode_path("/", out, sizeof(out)), 0);
	assert_string_equal(out, "/");
	assert_int_equal(
	    vk_router_decode_path("/users/%33", out, sizeof(out)), 0);
	assert_string_equal(out, "/users/3");
	assert_int_equal(vk_router_decode_path("/a/b/", out, sizeof(out)), 0);
	assert_string_equal(out, "/a/b/");
	assert_int_equal(vk_router_decode_path("/%C3%A5", out, sizeof(out)), 0);
	assert_string_equal(out, "/å");
	assert_int_equal(vk_router_decode_path("/abcdef", out, 4), VK_ETOOBIG);
}

static void
test_match(void **state)
{
	struct vk_route_match m;

	(void)state;
	assert_int_equal(vk_router_match(vk_routes, vk_nroutes, "GET",
			     "/api/v1/users/42", &m),
	    0);
	assert_string_equal(m.route->pattern, "/api/v1/users/{id}");
	assert_int_equal(m.nparams, 1);
	assert_string_equal(m.params[0], "42");
	assert_int_equal(
	    vk_router_match(vk_routes, vk_nroutes, "HEAD", "/healthz", &m), 0);
	assert_string_equal(m.route->pattern, "/healthz");
	assert_int_equal(vk_router_match(vk_routes, vk_nroutes, "DELETE",
			     "/api/v1/users/42", &m),
	    VK_EUNSUPPORTED);
	assert_non_null(strstr(m.allow_methods, "GET"));
	assert_non_null(strstr(m.allow_methods, "PATCH"));
	assert_int_equal(
	    vk_router_match(vk_routes, vk_nroutes, "GET", "/nothing/here", &m),
	    VK_ENOTFOUND);
	/* a parameter is one segment of safe characters only */
	assert_int_equal(vk_router_match(vk_routes, vk_nroutes, "GET",
			     "/api/v1/users/4/2", &m),
	    VK_ENOTFOUND);
	assert_int_equal(vk_router_match(vk_routes, vk_nroutes, "GET",
			     "/api/v1/users/<x>", &m),
	    VK_ENOTFOUND);
	assert_int_equal(
	    vk_router_match(vk_routes, vk_nroutes, "GET", "/api/v1/users/", &m),
	    VK_ENOTFOUND);
	assert_int_equal(
	    vk_router_match(vk_routes, vk_nroutes, "GET", "/users/", &m),
	    VK_ENOTFOUND);
}

static void
test_openapi_in_step(void **state)
{
	json_error_t e;
	json_t *doc, *paths, *ops, *op;
	const char *path, *method;
	char lower[16];
	size_t i, k;

	(void)state;
	doc = json_load_file("docs/openapi.json", 0, &e);
	if (doc == NULL)
		fail_msg(
		    "docs/openapi.json:%d:%d: %s", e.line, e.column, e.text);
	paths = json_object_get(doc, "paths");
	assert_non_null(paths);
	/* every /api/ route is documented ... */
	for (i = 0; i < vk_nroutes; i++) {
		const struct vk_route *r = &vk_routes[i];

		if (strncmp(r->pattern, "/api/", 5) != 0)
			continue;
		for (k = 0; r->method[k] && k < sizeof(lower) - 1; k++)
			lower[k] = (char)(r->method[k] | 0x20);
		lower[k] = '\0';
		ops = json_object_get(paths, r->pattern);
		if (ops == NULL || json_object_get(ops, lower) == NULL)
			fail_msg("%s %s is not in docs/openapi.json", r->method,
			    r->pattern);
	}
	/* ... and every documented operation exists */
	json_object_foreach(paths, path, ops)
	{
		json_object_foreach(ops, method, op)
		{
			int found = 0;

			if (strcmp(method, "parameters") == 0)
				continue;
			for (i = 0; i < vk_nroutes; i++) {
				char m[16];

				for (k = 0; vk_routes[i].method[k] &&
				     k < sizeof(m) - 1;
				     k++)
					m[k] = (char)(vk_routes[i].method[k] |
					    0x20);
				m[k] = '\0';
				found |=
				    strcmp(vk_routes[i].pattern, path) == 0 &&
				    strcmp(m, method) == 0;
			}
			if (!found)
				fail_msg("docs/openapi.json documents %s %s "
					 "which routes.c does not have",
				    method, path);
		}
	}
	json_decref(doc);
}

static void
test_errors_documented(void **state)
{
	FILE *fp = fopen("docs/api.md", "r");
	char *text;
	long n;
	unsigned i, k;

	(void)state;
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	text = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	for (i = 0; i < vk_web_nerrors; i++) {
		char row[96];

		snprintf(row, sizeof(row), "| %d | `%s` | %u |",
		    (int)vk_web_errors[i].code, vk_web_errors[i].name,
		    vk_web_errors[i].http);
		if (strstr(text, row) == NULL)
			fail_msg("docs/api.md lacks the row '%s'", row);
		for (k = 0; k < i; k++)
			assert_int_not_equal(
			    vk_web_errors[k].code, vk_web_errors[i].code);
	}
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_role_walk),
		cmocka_unit_test(test_csrf_flags),
		cmocka_unit_test(test_decode_path),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_openapi_in_step),
		cmocka_unit_test(test_errors_documented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
