/*
 * test_form.c — the urlencoded form parser: decoding, duplicates,
 * missing fields, limits and invalid input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/err.h"
#include "web/form.h"

static int
parse(const char *s, struct vk_form *f, char *err, size_t n)
{
	return vk_form_parse(s, strlen(s), f, err, n);
}

static void
test_decoding(void **state)
{
	struct vk_form f;
	char err[200];

	(void)state;
	assert_int_equal(parse("a=1&b=x+y%21&c=%C3%A5%C3%A4%C3%B6&d=&e", &f,
			     err, sizeof(err)),
	    0);
	assert_int_equal(f.n, 5);
	assert_string_equal(vk_form_get(&f, "a"), "1");
	assert_string_equal(vk_form_get(&f, "b"), "x y!");
	assert_string_equal(vk_form_get(&f, "c"), "åäö");
	assert_string_equal(vk_form_get(&f, "d"), "");
	assert_string_equal(vk_form_get(&f, "e"), "");
	assert_null(vk_form_get(&f, "missing"));
	assert_string_equal(vk_form_get(&f, "a"), "1");
	vk_form_release(&f);

	/* '=' inside a value, '+' in the name, empty pieces skipped */
	assert_int_equal(parse("&&x+y=a=b&&", &f, err, sizeof(err)), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(vk_form_get(&f, "x y"), "a=b");
	vk_form_release(&f);

	assert_int_equal(parse("", &f, err, sizeof(err)), 0);
	assert_int_equal(f.n, 0);
	vk_form_release(&f);
}

static void
test_duplicates(void **state)
{
	struct vk_form f;

	(void)state;
	assert_int_equal(parse("csrf=a&csrf=b&x=1", &f, NULL, 0), 0);
	assert_int_equal(vk_form_count(&f, "csrf"), 2);
	assert_int_equal(vk_form_count(&f, "x"), 1);
	assert_int_equal(vk_form_count(&f, "y"), 0);
	assert_string_equal(vk_form_get(&f, "csrf"), "a");
	vk_form_release(&f);
}

static void
test_invalid(void **state)
{
	static const char *const bad[] = {
		"a=%", "a=%4", "a=%zz", "a=%00", "%00=a", "a=%ff", "a=%C3",
		"a=%ED%A0%80", /* surrogate */
		"a=%C0%AF", /* overlong '/' */
		"a=%F4%90%80%80", /* > U+10FFFF */
	};
	struct vk_form f;
	char err[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		    parse(bad[i], &f, err, sizeof(err)), VK_EPARSE);
		assert_true(strlen(err) > 0);
		vk_form_release(&f);
	}
	/* raw invalid UTF-8 (not percent-encoded) too */
	assert_int_equal(
	    parse("name=\xff\xfe", &f, err, sizeof(err)), VK_EPARSE);
	assert_non_null(strstr(err, "name"));
	vk_form_release(&f);
}

static void
test_limits(void **state)
{
	struct vk_form f;
	char err[200], *s;
	size_t i, n;

	(void)state;
	/* over-long name */
	n = VK_FORM_NAME_MAX + 1;
	s = malloc(n + 3);
	memset(s, 'n', n);
	memcpy(s + n, "=1", 3);
	assert_int_equal(parse(s, &f, err, sizeof(err)), VK_ETOOBIG);
	vk_form_release(&f);
	free(s);

	/* over-long value */
	n = VK_FORM_VALUE_MAX + 1;
	s = malloc(n + 3);
	memcpy(s, "v=", 2);
	memset(s + 2, 'x', n);
	s[n + 2] = '\0';
	assert_int_equal(parse(s, &f, err, sizeof(err)), VK_ETOOBIG);
	assert_non_null(strstr(err, "'v'"));
	vk_form_release(&f);
	free(s);

	/* exactly at the limit is fine */
	n = VK_FORM_VALUE_MAX;
	s = malloc(n + 3);
	memcpy(s, "v=", 2);
	memset(s + 2, 'x', n);
	s[n + 2] = '\0';
	assert_int_equal(parse(s, &f, err, sizeof(err)), 0);
	vk_form_release(&f);
	free(s);

	/* too many fields */
	s = malloc((VK_FORM_FIELDS_MAX + 1) * 4 + 1);
	for (i = 0; i <= VK_FORM_FIELDS_MAX; i++)
		memcpy(s + 4 * i, "a=1&", 4);
	s[4 * i] = '\0';
	assert_int_equal(parse(s, &f, err, sizeof(err)), VK_ETOOBIG);
	vk_form_release(&f);
	free(s);
}

static void
test_url_decode(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(vk_url_decode("a+b%20c", 7, 0, &out), 0);
	assert_string_equal(out, "a+b c");
	free(out);
	assert_int_equal(vk_url_decode("a+b", 3, 1, &out), 0);
	assert_string_equal(out, "a b");
	free(out);
	assert_int_equal(vk_url_decode("%2", 2, 1, &out), VK_EPARSE);
	assert_null(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decoding),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_url_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
