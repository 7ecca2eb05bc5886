/*
 * test_yara.c — rules from tests/data/yara/: loading, compile errors with
 * file:line, external variables, matched strings, the per-file timeout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <yara.h>

#include "hunt/yara.h"
#include "util/err.h"

#define DATA "tests/data/yara/"

struct got {
	int n;
	char rule[8][64];
	char ns[8][128];
	size_t ntags, nmeta, nstrings;
	char tags[64];
	char meta[256];
	uint64_t off[8];
	char sid[8][8];
	char data[8][32];
};

static int
collect(void *arg, const struct vk_yara_hit *h)
{
	struct got *g = arg;
	size_t i;

	if (g->n >= 8)
		return 0;
	snprintf(g->rule[g->n], sizeof(g->rule[0]), "%s", h->rule);
	snprintf(g->ns[g->n], sizeof(g->ns[0]), "%s", h->ns);
	g->n++;
	g->ntags = h->ntags;
	g->nmeta = h->nmeta;
	g->nstrings = h->nstrings;
	g->tags[0] = g->meta[0] = '\0';
	for (i = 0; i < h->ntags; i++) {
		strncat(g->tags, h->tags[i], 20);
		strncat(g->tags, ",", 2);
	}
	for (i = 0; i < h->nmeta; i++) {
		strncat(g->meta, h->meta[i].id, 40);
		strncat(g->meta, "=", 2);
		strncat(g->meta, h->meta[i].value, 60);
		strncat(g->meta, h->meta[i].is_string ? "(s);" : ";", 5);
	}
	for (i = 0; i < h->nstrings && i < 8; i++) {
		g->off[i] = h->strings[i].offset;
		snprintf(g->sid[i], sizeof(g->sid[0]), "%s", h->strings[i].id);
		memcpy(g->data[i], h->strings[i].data,
		    h->strings[i].data_len < 31 ? h->strings[i].data_len : 31);
		g->data[i][h->strings[i].data_len < 31 ? h->strings[i].data_len
						       : 31] = '\0';
	}
	return 0;
}

static void
test_load_dir_and_scan(void **state)
{
	const char *paths[] = { DATA "good" };
	const char text[] = "hello\nxx VAKSAM_EVIL_MARKER yy\n";
	struct vk_yara_scanner *s;
	struct vk_yara *y;
	struct vk_diag d;
	struct got g;

	(void)state;
	vk_diag_init(&d);
	assert_int_equal(vk_yara_load(paths, 1, &d, &y), 0);
	assert_int_equal(d.nerr, 0);
	/* basic.yar (2, one private) + sub/externals.yara; README.txt is
	 * not a rule file. */
	assert_int_equal(vk_yara_rule_count(y), 3);

	assert_int_equal(vk_yara_scanner_new(y, 10, 0, &s), 0);
	memset(&g, 0, sizeof(g));
	assert_int_equal(vk_yara_scan_mem(s, text, sizeof(text) - 1,
			     "/srv/a.txt", collect, &g, NULL),
	    0);
	/* The private helper rule is never reported. */
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rule[0], "marker_text");
	/* The namespace: the rule file's path below the directory given. */
	assert_string_equal(g.ns[0], "basic");
	assert_string_equal(g.tags, "apt10,cloudhopper,");
	assert_string_equal(g.meta,
	    "description=plain-text marker planted by the tests(s);"
	    "score=75;confirmed=true;");
	/* Without --strings no strings are collected. */
	assert_int_equal(g.nstrings, 0);

	/* Nothing in other content. */
	memset(&g, 0, sizeof(g));
	assert_int_equal(
	    vk_yara_scan_mem(s, "clean", 5, "/srv/b", collect, &g, NULL), 0);
	assert_int_equal(g.n, 0);
	/* Empty content is fine. */
	assert_int_equal(
	    vk_yara_scan_mem(s, NULL, 0, "/srv/e", collect, &g, NULL), 0);
	assert_int_equal(g.n, 0);
	vk_yara_scanner_free(s);
	vk_yara_free(y);
	vk_diag_release(&d);
}

static void
test_externals(void **state)
{
	const char *paths[] = { DATA "good/sub/externals.yara" };
	struct vk_yara_scanner *s;
	struct vk_yara *y;
	struct got g;

	(void)state;
	assert_int_equal(vk_yara_load(paths, 1, NULL, &y), 0);
	assert_int_equal(vk_yara_scanner_new(y, 0, 0, &s), 0);
	memset(&g, 0, sizeof(g));
	assert_int_equal(vk_yara_scan_mem(s, "x", 1, "/srv/payload/dropper.exe",
			     collect, &g, NULL),
	    0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rule[0], "dropper_by_name");
	/* Each condition on its variable: wrong extension, name, path. */
	memset(&g, 0, sizeof(g));
	assert_int_equal(vk_yara_scan_mem(s, "x", 1, "/srv/payload/dropper.dll",
			     collect, &g, NULL),
	    0);
	assert_int_equal(vk_yara_scan_mem(s, "x", 1, "/srv/payload/x.exe",
			     collect, &g, NULL),
	    0);
	assert_int_equal(vk_yara_scan_mem(s, "x", 1, "/srv/other/dropper.exe",
			     collect, &g, NULL),
	    0);
	assert_int_equal(g.n, 0);
	vk_yara_scanner_free(s);
	vk_yara_free(y);
}

static void
test_strings_with_offsets(void **state)
{
	const char *paths[] = { DATA "good/basic.yar" };
	unsigned char buf[200];
	const unsigned char mz[] = { 0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00,
		0x00, 0xde, 0xad, 0xbe, 0xef };
	struct vk_yara_scanner *s;
	struct vk_yara *y;
	struct got g;
	char tmpl[] = "/tmp/vk-yara-XXXXXX";
	int fd;

	(void)state;
	memset(buf, 'z', sizeof(buf));
	memcpy(buf + 10, "VAKSAM_EVIL_MARKER", 18);
	memcpy(buf + 100, mz, sizeof(mz));
	assert_int_equal(vk_yara_load(paths, 1, NULL, &y), 0);
	assert_int_equal(vk_yara_scanner_new(y, 0, 1, &s), 0);
	/* Through a real file, memory-mapped. */
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	unlink(tmpl);
	assert_int_equal(write(fd, buf, sizeof(buf)), sizeof(buf));
	memset(&g, 0, sizeof(g));
	assert_int_equal(
	    vk_yara_scan_fd(s, fd, sizeof(buf), "/x/bin", collect, &g, NULL),
	    0);
	close(fd);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.nstrings, 2);
	assert_string_equal(g.sid[0], "$a");
	assert_int_equal(g.off[0], 10);
	assert_string_equal(g.data[0], "VAKSAM_EVIL_MARKER");
	assert_string_equal(g.sid[1], "$b");
	assert_int_equal(g.off[1], 100);
	assert_memory_equal(g.data[1], mz, 4);
	vk_yara_scanner_free(s);
	vk_yara_free(y);
}

static void
test_compile_error_names_file_and_line(void **state)
{
	const char *paths[] = { DATA "good", DATA "bad" };
	struct vk_yara *y = (struct vk_yara *)1;
	struct vk_diag d;
	size_t i;
	int found = 0;

	(void)state;
	vk_diag_init(&d);
	assert_int_equal(vk_yara_load(paths, 2, &d, &y), VK_EPARSE);
	assert_null(y);
	assert_true(d.nerr >= 1);
	for (i = 0; i < d.n; i++)
		if (d.v[i].where != NULL &&
		    strcmp(d.v[i].where, DATA "bad/broken.yar:3") == 0 &&
		    strstr(d.v[i].msg, "no_such_identifier") != NULL)
			found = 1;
	assert_true(found);
	vk_diag_release(&d);

	/* A path that does not exist; a directory without rules. */
	vk_diag_init(&d);
	paths[0] = DATA "no-such-dir";
	assert_int_equal(vk_yara_load(paths, 1, &d, &y), VK_EIO);
	assert_int_equal(d.nerr, 1);
	paths[0] = "tests/data/yara/../../unit";
	assert_int_equal(vk_yara_load(paths, 1, &d, &y), VK_EINVAL);
	vk_diag_release(&d);
}

static void
test_precompiled_by_content(void **state)
{
	const char *src = DATA "good/basic.yar";
	char tmpl[] = "/tmp/vk-yarac-XXXXXX"; /* no .yar name on purpose */
	const char *paths[2];
	YR_COMPILER *c;
	YR_RULES *rules;
	struct vk_yara_scanner *s;
	struct vk_yara *y;
	struct got g;
	FILE *fp;
	int fd;

	(void)state;
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(yr_initialize(), 0);
	assert_int_equal(yr_compiler_create(&c), 0);
	fp = fopen(src, "r");
	assert_non_null(fp);
	assert_int_equal(yr_compiler_add_file(c, fp, NULL, src), 0);
	fclose(fp);
	assert_int_equal(yr_compiler_get_rules(c, &rules), 0);
	assert_int_equal(yr_rules_save(rules, tmpl), 0);
	yr_rules_destroy(rules);
	yr_compiler_destroy(c);
	yr_finalize();

	paths[0] = tmpl;
	assert_int_equal(vk_yara_load(paths, 1, NULL, &y), 0);
	assert_int_equal(vk_yara_rule_count(y), 2);
	/* It lacks the external variables: scanning still works. */
	assert_int_equal(vk_yara_scanner_new(y, 0, 0, &s), 0);
	memset(&g, 0, sizeof(g));
	assert_int_equal(vk_yara_scan_mem(s, "VAKSAM_EVIL_MARKER", 18, "/a",
			     collect, &g, NULL),
	    0);
	assert_int_equal(g.n, 1);
	vk_yara_scanner_free(s);
	vk_yara_free(y);

	/* Precompiled rules cannot be mixed with sources. */
	paths[1] = src;
	assert_int_equal(vk_yara_load(paths, 2, NULL, &y), VK_EINVAL);
	unlink(tmpl);
}

static void
test_timeout(void **state)
{
	const char *paths[] = { DATA "slow" };
	struct vk_yara_scanner *s;
	struct vk_yara *y;
	struct got g;
	size_t n = 1u << 20;
	char *p = calloc(1, n);
	int e = 0;

	(void)state;
	assert_non_null(p);
	assert_int_equal(vk_yara_load(paths, 1, NULL, &y), 0);
	assert_int_equal(vk_yara_scanner_new(y, 1, 0, &s), 0);
	memset(&g, 0, sizeof(g));
	/* 10^12 steps: only the 1 s timeout ends it. */
	assert_int_equal(
	    vk_yara_scan_mem(s, p, n, "/big", collect, &g, &e), VK_ETOOBIG);
	assert_int_equal(e, ERROR_SCAN_TIMEOUT);
	assert_int_equal(g.n, 0);
	vk_yara_scanner_free(s);
	vk_yara_free(y);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_dir_and_scan),
		cmocka_unit_test(test_externals),
		cmocka_unit_test(test_strings_with_offsets),
		cmocka_unit_test(test_compile_error_names_file_and_line),
		cmocka_unit_test(test_precompiled_by_content),
		cmocka_unit_test(test_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
