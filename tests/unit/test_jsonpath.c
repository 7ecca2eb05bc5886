/*
 * test_jsonpath.c — the JSON field locator of hunt hits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hunt/jsonpath.h"
#include "util/err.h"

/* The path at the first occurrence of `needle` in `line`, or "-". */
static const char *
path_at(const char *line, const char *needle)
{
	static char out[VK_JSONPATH_MAX + 1];
	const char *p = strstr(line, needle);

	assert_non_null(p);
	if (!vk_jsonpath_find(
		line, strlen(line), (size_t)(p - line), out, sizeof(out)))
		return "-";
	return out;
}

static void
test_simple(void **state)
{
	const char *ecs =
	    "{\"@timestamp\":\"2026-11-27T10:00:00Z\","
	    "\"source\":{\"ip\":\"10.0.0.5\"},"
	    "\"destination\":{\"domain\":\"evil.se\",\"port\":443},"
	    "\"dns\":{\"answers\":[{\"data\":\"1.2.3.4\"},"
	    "{\"data\":\"5.6.7.8\"}]}}";

	(void)state;
	assert_string_equal(path_at(ecs, "evil.se"), "destination.domain");
	assert_string_equal(path_at(ecs, "10.0.0.5"), "source.ip");
	assert_string_equal(path_at(ecs, "1.2.3.4"), "dns.answers[0].data");
	assert_string_equal(path_at(ecs, "5.6.7.8"), "dns.answers[1].data");
	assert_string_equal(path_at(ecs, "443"), "destination.port");
	assert_string_equal(path_at(ecs, "2026-11"), "@timestamp");
	/* Inside a key: the member it names. */
	assert_string_equal(path_at(ecs, "domain"), "destination.domain");
	/* Punctuation belongs to no field. */
	assert_string_equal(path_at(ecs, ":{"), "-");
}

static void
test_offsets_within_string(void **state)
{
	const char *l = "{\"url\":\"http://a.evil.se/x\"}";
	char out[600];
	size_t i;

	(void)state;
	/* Every byte of the value, quotes included, is in the field. */
	for (i = 7; i < strlen(l) - 1; i++) {
		assert_int_equal(
		    vk_jsonpath_find(l, strlen(l), i, out, sizeof(out)), 1);
		assert_string_equal(out, "url");
	}
	assert_int_equal(
	    vk_jsonpath_find(l, strlen(l), 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(
	    vk_jsonpath_find(l, strlen(l), strlen(l), out, sizeof(out)), 0);
}

static void
test_invalid(void **state)
{
	static const char *bad[] = {
		"{\"a\":\"evil.se\"", /* unterminated */
		"{\"a\":\"evil.se\"} trailing",
		"{\"a\":\"evil.se\",}", /* trailing comma */
		"{\"a\" \"evil.se\"}",
		"{a:\"evil.se\"}",
		"[\"evil.se\"]", /* not an object */
		"{\"a\":\"evil.se\\q\"}", /* bad escape */
		"{\"a\":\"evil.se\\u12\"}",
		"{\"a\":\"evil.se\tx\"}", /* raw control character */
		"{\"a\":[\"evil.se\",]}",
		"{\"a\":01,\"b\":\"evil.se\"}",
		"{\"a\":tru,\"b\":\"evil.se\"}",
		"{\"a\":1.,\"b\":\"evil.se\"}",
		"{\"a\":-,\"b\":\"evil.se\"}",
		"{\"a\":\"evil.se\"}}",
		"",
	};
	char out[600];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *p = strstr(bad[i], "evil.se");
		size_t off = p ? (size_t)(p - bad[i]) : 0;

		assert_int_equal(vk_jsonpath_find(bad[i], strlen(bad[i]), off,
				     out, sizeof(out)),
		    0);
	}
}

static void
test_lenient_and_literals(void **state)
{
	/* Invalid UTF-8 inside strings is accepted (logs carry it). */
	const char *l = " {\"k\":\"\xff\xfe evil.se\", \"n\":null, \"t\":true,"
			"\"f\":false, \"e\":-1.5e+3, \"s\":\"a\\\"b\\u00e9 "
			"evil.se\"}  ";

	(void)state;
	assert_string_equal(path_at(l, "evil.se"), "k");
	assert_string_equal(path_at(l, "null"), "n");
	assert_string_equal(path_at(l, "true"), "t");
	assert_string_equal(path_at(l, "-1.5"), "e");
	assert_string_equal(path_at(l, "\\u00e9 evil"), "s");
	assert_int_equal(vk_jsonpath_candidate(l, strlen(l)), 1);
	assert_int_equal(vk_jsonpath_candidate("  x{", 4), 0);
	assert_int_equal(vk_jsonpath_candidate("   ", 3), 0);
}

static void
test_nesting_and_arrays(void **state)
{
	const char *l =
	    "{\"a\":[[1,[\"x\",\"evil.se\"]],{}],\"b\":{\"c\":{\"d\":"
	    "[{},{\"e\":\"1.2.3.4\"}]}},\"z\":\"q\"}";
	char deep[4096];
	size_t i, n = 0;

	(void)state;
	assert_string_equal(path_at(l, "evil.se"), "a[0][1][1]");
	assert_string_equal(path_at(l, "1.2.3.4"), "b.c.d[1].e");
	assert_string_equal(path_at(l, "\"q\""), "z");
	/* One level more than the limit has no fields... */
	for (i = 0; i < VK_JSONPATH_DEPTH + 1; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "{\"k\":");
	n += (size_t)snprintf(deep + n, sizeof(deep) - n, "\"evil.se\"");
	for (i = 0; i < VK_JSONPATH_DEPTH + 1; i++)
		deep[n++] = '}';
	deep[n] = '\0';
	assert_string_equal(path_at(deep, "evil.se"), "-");
	/* ...exactly the limit works (drop the outer level). */
	deep[n - 1] = '\0';
	assert_string_not_equal(path_at(deep + 5, "evil.se"), "-");
}

static void
test_long_path(void **state)
{
	char line[3000], out[VK_JSONPATH_MAX + 1];
	size_t n;
	const char *p;

	(void)state;
	/* A key longer than the path ceiling: no field for it, but the
	 * sibling after it still gets one. */
	n = (size_t)snprintf(line, sizeof(line), "{\"a\":{\"");
	memset(line + n, 'k', 600);
	n += 600;
	n += (size_t)snprintf(line + n, sizeof(line) - n,
	    "\":{\"x\":\"evil.se\"}},\"b\":\"1.2.3.4\"}");
	p = strstr(line, "evil.se");
	assert_int_equal(
	    vk_jsonpath_find(line, n, (size_t)(p - line), out, sizeof(out)), 0);
	assert_string_equal(path_at(line, "1.2.3.4"), "b");
}

static void
test_many(void **state)
{
	const char *l = "{\"a\":\"x evil.se y evil.se\",\"b\":[\"evil.se\"],"
			"\"c\":1}";
	size_t offs[5], at[5];
	struct vk_buf paths;
	const char *p;
	int r;

	(void)state;
	p = strstr(l, "evil.se");
	offs[0] = (size_t)(p - l);
	offs[1] = (size_t)(strstr(p + 1, "evil.se") - l);
	offs[2] = (size_t)(strstr(l, "[\"evil") - l) + 2;
	offs[3] = (size_t)(strstr(l, "],") - l); /* punctuation */
	offs[4] = strlen(l) - 2; /* the 1 of "c" */
	vk_buf_init(&paths, 4096);
	r = vk_jsonpath_find_many(l, strlen(l), offs, 5, &paths, at);
	assert_int_equal(r, 4);
	assert_string_equal(paths.data + at[0], "a");
	assert_string_equal(paths.data + at[1], "a");
	assert_string_equal(paths.data + at[2], "b[0]");
	assert_true(at[3] == (size_t)-1);
	assert_string_equal(paths.data + at[4], "c");
	/* A buffer that cannot hold a path reports the error. */
	vk_buf_release(&paths);
	vk_buf_init(&paths, 1);
	r = vk_jsonpath_find_many(l, strlen(l), offs, 5, &paths, at);
	assert_int_equal(r, VK_ETOOBIG);
	assert_true(at[0] == (size_t)-1);
	vk_buf_release(&paths);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple),
		cmocka_unit_test(test_offsets_within_string),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_lenient_and_literals),
		cmocka_unit_test(test_nesting_and_arrays),
		cmocka_unit_test(test_long_path),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
