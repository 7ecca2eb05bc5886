/*
 * test_diag.c — diagnostics keep locations and have a ceiling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/diag.h"
#include "util/err.h"

static void
test_locations(void **state)
{
	struct vk_diag d;

	(void)state;
	vk_diag_init(&d);
	vk_diag_error(&d, "feed.csv:12", "bad value '%s'", "x");
	vk_diag_warn(&d, NULL, "note");
	assert_int_equal(d.n, 2);
	assert_int_equal(d.nerr, 1);
	assert_int_equal(d.nwarn, 1);
	assert_string_equal(d.v[0].where, "feed.csv:12");
	assert_string_equal(d.v[0].msg, "bad value 'x'");
	assert_int_equal(d.v[0].level, VK_DIAG_ERROR);
	assert_null(d.v[1].where);
	vk_diag_release(&d);
	assert_int_equal(d.n, 0);
	vk_diag_release(NULL);
}

static void
test_ceiling(void **state)
{
	struct vk_diag d;
	size_t i;

	(void)state;
	vk_diag_init(&d);
	for (i = 0; i < VK_DIAG_MAX + 50; i++)
		vk_diag_error(&d, "f:1", "e%zu", i);
	assert_int_equal(d.n, VK_DIAG_MAX);
	assert_int_equal(d.nerr, VK_DIAG_MAX + 50);
	vk_diag_release(&d);
}

static void
test_strerror(void **state)
{
	(void)state;
	assert_string_equal(vk_strerror(0), "success");
	assert_string_equal(vk_strerror(VK_ENOMEM), "out of memory");
	assert_string_equal(vk_strerror(-1000), "unknown error");
	assert_string_equal(vk_strerror(5), "unknown error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locations),
		cmocka_unit_test(test_ceiling),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
