/*
 * test_arena.c — the bump allocator: alignment, stability, large
 * requests, strdup with embedded NULs, release.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/arena.h"

static void
test_alloc_align(void **state)
{
	struct vk_arena a;
	size_t al;

	(void)state;
	vk_arena_init(&a);
	assert_null(a.head);
	for (al = 1; al <= 16; al *= 2) {
		char *p = vk_arena_alloc(&a, 3, 1);
		char *q = vk_arena_alloc(&a, 8, al);

		assert_non_null(p);
		assert_non_null(q);
		assert_int_equal((uintptr_t)q % al, 0);
		assert_true(q >= p + 3);
	}
	assert_null(vk_arena_alloc(&a, 8, 3));
	assert_null(vk_arena_alloc(&a, 8, 32));
	assert_null(vk_arena_alloc(&a, 8, 0));
	assert_null(vk_arena_alloc(&a, SIZE_MAX, 1));
	assert_null(vk_arena_alloc(&a, SIZE_MAX - 8, 8));
	/* Zero bytes still gives distinct pointers. */
	assert_ptr_not_equal(
	    vk_arena_alloc(&a, 0, 1), vk_arena_alloc(&a, 0, 1));
	vk_arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	vk_arena_release(NULL);
}

static void
test_stable_and_large(void **state)
{
	struct vk_arena a;
	char *first, *big, *after;
	size_t i;

	(void)state;
	vk_arena_init(&a);
	first = vk_arena_strdup(&a, "first", 5);
	assert_string_equal(first, "first");
	/* Many chunks' worth: earlier strings must not move or change. */
	for (i = 0; i < 100000; i++) {
		char *s = vk_arena_strdup(&a, "0123456789", 10);

		assert_non_null(s);
		assert_memory_equal(s, "0123456789", 11);
	}
	assert_string_equal(first, "first");
	assert_true(a.total >= 100000 * 11);
	/* A request bigger than a chunk gets its own. */
	big = vk_arena_alloc(&a, 1 << 20, 16);
	assert_non_null(big);
	memset(big, 'x', 1 << 20);
	after = vk_arena_strdup(&a, "after", 5);
	assert_string_equal(after, "after");
	assert_true(after < big || after >= big + (1 << 20));
	assert_string_equal(first, "first");
	vk_arena_release(&a);
}

static void
test_strdup(void **state)
{
	struct vk_arena a;
	char *s;

	(void)state;
	vk_arena_init(&a);
	s = vk_arena_strdup(&a, "a\0b", 3);
	assert_non_null(s);
	assert_memory_equal(s, "a\0b\0", 4);
	s = vk_arena_strdup(&a, NULL, 0);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_null(vk_arena_strdup(&a, "x", SIZE_MAX));
	vk_arena_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_align),
		cmocka_unit_test(test_stable_and_large),
		cmocka_unit_test(test_strdup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
