/*
 * test_buf.c — the growable buffer and its ceiling.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/err.h"

static void
test_append_and_str(void **state)
{
	struct vk_buf b;

	(void)state;
	vk_buf_init(&b, 100);
	assert_string_equal(vk_buf_str(&b), "");
	assert_int_equal(vk_buf_appends(&b, "abc"), 0);
	assert_int_equal(vk_buf_appendc(&b, 'd'), 0);
	assert_int_equal(vk_buf_appendf(&b, "-%d-%s", 42, "x"), 0);
	assert_string_equal(vk_buf_str(&b), "abcd-42-x");
	assert_int_equal(b.len, 9);
	vk_buf_truncate(&b, 2);
	assert_string_equal(vk_buf_str(&b), "ab");
	vk_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(vk_buf_str(&b), "");
	vk_buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.max, 100);
}

static void
test_ceiling(void **state)
{
	struct vk_buf b;
	char big[64];

	(void)state;
	memset(big, 'x', sizeof(big));
	vk_buf_init(&b, 100);
	assert_int_equal(vk_buf_append(&b, big, 64), 0);
	assert_int_equal(vk_buf_append(&b, big, 36), 0);
	assert_int_equal(b.len, 100);
	/* One byte more than the ceiling fails and changes nothing. */
	assert_int_equal(vk_buf_appendc(&b, 'y'), VK_ETOOBIG);
	assert_int_equal(b.len, 100);
	assert_int_equal(vk_buf_appendf(&b, "%s", "z"), VK_ETOOBIG);
	assert_int_equal(b.len, 100);
	assert_int_equal(b.data[100], '\0');
	/* A huge request must not overflow the size arithmetic. */
	assert_int_equal(vk_buf_grow(&b, SIZE_MAX), VK_ETOOBIG);
	vk_buf_release(&b);
}

static void
test_detach(void **state)
{
	struct vk_buf b;
	size_t len;
	char *p;

	(void)state;
	vk_buf_init(&b, 10);
	p = vk_buf_detach(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, 0);
	assert_string_equal(p, "");
	free(p);
	assert_int_equal(vk_buf_appends(&b, "hej"), 0);
	p = vk_buf_detach(&b, &len);
	assert_string_equal(p, "hej");
	assert_int_equal(len, 3);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_str),
		cmocka_unit_test(test_ceiling),
		cmocka_unit_test(test_detach),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
