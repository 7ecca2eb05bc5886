/*
 * test_filenames.c — file-name indicators: plain names and Loki regexes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hunt/filenames.h"
#include "ioc/ioc.h"
#include "util/err.h"

struct hits {
	uint32_t v[16];
	size_t n;
};

static int
collect(void *arg, uint32_t ioc)
{
	struct hits *h = arg;

	if (h->n < 16)
		h->v[h->n++] = ioc;
	return 0;
}

static size_t
check(struct vk_fnscan *s, const char *path, struct hits *h)
{
	memset(h, 0, sizeof(*h));
	assert_int_equal(vk_fnscan_path(s, path, strlen(path), collect, h), 0);
	return h->n;
}

static void
add(struct vk_fnidx *idx, const char *v, uint32_t ioc)
{
	assert_int_equal(vk_fnidx_add(idx, v, strlen(v), ioc, "t:1", NULL), 0);
}

static void
test_plain_names(void **state)
{
	struct vk_fnidx *idx;
	struct vk_fnscan *s;
	struct hits h;

	(void)state;
	assert_int_equal(vk_fnidx_new(&idx), 0);
	add(idx, "Invoice.PDF.exe", 1);
	add(idx, "C:\\Windows\\Temp\\mimi.exe", 2);
	add(idx, "tools/psexesvc.exe", 3);
	assert_int_equal(vk_fnidx_count(idx), 3);
	assert_int_equal(vk_fnscan_new(idx, &s), 0);

	/* Base name, ASCII case-insensitive. */
	assert_int_equal(check(s, "/srv/share/u1/invoice.pdf.EXE", &h), 1);
	assert_int_equal(h.v[0], 1);
	assert_int_equal(check(s, "invoice.pdf.exe", &h), 1);
	/* Never a part of a name. */
	assert_int_equal(check(s, "/srv/xinvoice.pdf.exe", &h), 0);
	assert_int_equal(check(s, "/srv/invoice.pdf.exe.txt", &h), 0);
	/* A directory of that name is not the file... but a trailing slash
	 * on a path is ignored. */
	assert_int_equal(check(s, "/srv/invoice.pdf.exe/", &h), 1);

	/* With directories: the path must end with them (\ and / alike,
	 * drive letter dropped), component-aligned. */
	assert_int_equal(check(s, "/mnt/c/windows/temp/MIMI.exe", &h), 1);
	assert_int_equal(h.v[0], 2);
	assert_int_equal(check(s, "/mnt/c/windows/xtemp/mimi.exe", &h), 0);
	assert_int_equal(check(s, "/tmp/mimi.exe", &h), 0);
	assert_int_equal(check(s, "tools/psexesvc.exe", &h), 1);
	assert_int_equal(check(s, "/a/tools/psexesvc.exe", &h), 1);
	assert_int_equal(check(s, "/a/mytools/psexesvc.exe", &h), 0);
	/* Any bytes, no crash. */
	assert_int_equal(vk_fnscan_path(s, "a\0b\xff/\n", 7, collect, &h), 0);
	assert_int_equal(check(s, "", &h), 0);
	assert_int_equal(check(s, "/", &h), 0);

	vk_fnscan_free(s);
	vk_fnidx_free(idx);
	vk_fnidx_free(NULL);
	vk_fnscan_free(NULL);
}

static void
test_loki(void **state)
{
	struct vk_fnidx *idx;
	struct vk_fnscan *s;
	struct vk_diag d;
	struct hits h;

	(void)state;
	vk_diag_init(&d);
	assert_int_equal(vk_fnidx_new(&idx), 0);
	/* Loki's own examples: regex;score and regex;score;fp-regex. */
	add(idx, "\\\\wce\\.exe;80", 5);
	add(idx, "/tmp/[a-z]{6}\\.sh;60;/tmp/safe[a-z]\\.sh", 6);
	/* A ';' inside a regex that is not followed by a score. */
	add(idx, "x;y\\.bin;70", 7);
	assert_int_equal(vk_fnscan_new(idx, &s), 0);
	assert_int_equal(check(s, "C:\\tools\\WCE.exe", &h), 1);
	assert_int_equal(h.v[0], 5);
	assert_int_equal(check(s, "/tmp/abcdef.sh", &h), 1);
	assert_int_equal(h.v[0], 6);
	/* Also matches the false-positive regex: not reported. */
	assert_int_equal(check(s, "/tmp/safeq.sh", &h), 0);
	assert_int_equal(check(s, "/tmp/abc.sh", &h), 0);
	assert_int_equal(check(s, "/data/x;y.bin", &h), 1);
	assert_int_equal(h.v[0], 7);
	/* A Windows-style regex meets a share mounted with '/'. */
	assert_int_equal(check(s, "/mnt/share/tools/wce.exe", &h), 1);
	assert_int_equal(h.v[0], 5);
	assert_int_equal(check(s, "/mnt/share/tools/xwce.exe", &h), 0);

	/* A regex that does not compile: an error naming where. */
	assert_int_equal(
	    vk_fnidx_add(idx, "([a-z;50", 8, 9, "loki.txt:4", &d), VK_EINVAL);
	assert_int_equal(d.nerr, 1);
	assert_string_equal(d.v[0].where, "loki.txt:4");
	assert_non_null(strstr(d.v[0].msg, "does not compile"));
	/* A name ending in a separator names no file: a warning. */
	assert_int_equal(
	    vk_fnidx_add(idx, "dir/", 4, 10, "x:1", &d), VK_EINVAL);
	assert_int_equal(d.nwarn, 1);
	vk_diag_release(&d);
	vk_fnscan_free(s);
	vk_fnidx_free(idx);
}

static void
test_from_set(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_fnidx *idx;
	struct vk_fnscan *s;
	struct vk_diag d;
	struct hits h;
	uint32_t prov;

	(void)state;
	vk_diag_init(&d);
	assert_non_null(set);
	assert_int_equal(vk_ioc_set_add_prov(set,
			     &(struct vk_ioc_prov){ .source = "t" }, &prov),
	    0);
	assert_int_equal(vk_ioc_set_add(set, VK_IOC_TYPE_MAX, "evil.se", 7,
			     prov, NULL, NULL),
	    0);
	assert_int_equal(vk_ioc_set_add(set, VK_IOC_FILENAME, "update.exe", 10,
			     prov, NULL, NULL),
	    0);
	assert_int_equal(vk_ioc_set_add(set, VK_IOC_FILENAME, "[bad;10", 7,
			     prov, NULL, NULL),
	    0);
	assert_int_equal(vk_ioc_set_add(set, VK_IOC_FILENAME, "allowed.exe", 11,
			     prov, NULL, NULL),
	    0);
	/* As the Loki importer marks them: a regex, its false positives. */
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_FILENAME, "/tmp/x", 6, prov,
		&(struct vk_ioc_extra){
		    .fn_regex = 1, .fn_fp_regex = "xok", .to_ids = -1 },
		NULL),
	    0);
	vk_ioc_set_get_mut(set, 3)->allow = 1;
	/* The bad regex is named and left out; the rest still work. */
	assert_int_equal(vk_fnidx_build(set, &d, &idx), 0);
	assert_int_equal(d.nerr, 1);
	assert_int_equal(vk_fnidx_count(idx), 2);
	assert_int_equal(vk_fnscan_new(idx, &s), 0);
	/* A regex searched in the path (not a name), with its FP regex. */
	assert_int_equal(check(s, "/data/tmp/xyz", &h), 1);
	assert_int_equal(h.v[0], 4);
	assert_int_equal(check(s, "/data/tmp/xok", &h), 0);
	assert_int_equal(check(s, "/data/tmpx", &h), 0);
	assert_int_equal(check(s, "/x/Update.EXE", &h), 1);
	assert_int_equal(h.v[0], 1);
	assert_int_equal(check(s, "/x/allowed.exe", &h), 0);
	assert_int_equal(check(s, "/x/evil.se", &h), 0);
	vk_fnscan_free(s);
	vk_fnidx_free(idx);
	vk_ioc_set_free(set);
	vk_diag_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_names),
		cmocka_unit_test(test_loki),
		cmocka_unit_test(test_from_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
