/*
 * test_i18n.c — the embedded Swedish catalogue and language choice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "web/i18n.h"

static void
test_catalogue(void **state)
{
	(void)state;
	assert_int_equal(vk_i18n_init(), 0);
	assert_string_equal(vk_tr(VK_LANG_SV, "Log in"), "Logga in");
	assert_string_equal(vk_tr(VK_LANG_SV, "Audit log"), "Granskningslogg");
	assert_string_equal(vk_tr(VK_LANG_SV, "employee"), "medarbetare");
	assert_string_equal(vk_tr(VK_LANG_EN, "Log in"), "Log in");
	/* unknown ids and languages fall back to the id */
	assert_string_equal(
	    vk_tr(VK_LANG_SV, "no such message"), "no such message");
	assert_string_equal(vk_tr(VK_LANG_MAX, "Log in"), "Log in");
	vk_i18n_free();
	assert_string_equal(vk_tr(VK_LANG_SV, "Log in"), "Log in");
	assert_int_equal(vk_i18n_init(), 0);
	vk_i18n_free();
}

static void
test_tags(void **state)
{
	(void)state;
	assert_int_equal(vk_i18n_lang_tag("sv"), VK_LANG_SV);
	assert_int_equal(vk_i18n_lang_tag("sv-SE"), VK_LANG_SV);
	assert_int_equal(vk_i18n_lang_tag("EN_gb"), VK_LANG_EN);
	assert_int_equal(vk_i18n_lang_tag("svx"), -1);
	assert_int_equal(vk_i18n_lang_tag("de"), -1);
	assert_int_equal(vk_i18n_lang_tag(""), -1);
	assert_int_equal(vk_i18n_lang_tag(NULL), -1);
}

static void
test_accept_language(void **state)
{
	(void)state;
	assert_int_equal(vk_lang_from_accept("en-GB,en;q=0.9"), VK_LANG_EN);
	assert_int_equal(
	    vk_lang_from_accept("sv-SE,sv;q=0.9,en;q=0.8"), VK_LANG_SV);
	assert_int_equal(
	    vk_lang_from_accept("de-DE, sv;q=0.2, en;q=0.7"), VK_LANG_EN);
	assert_int_equal(vk_lang_from_accept("de, fr"), -1);
	assert_int_equal(vk_lang_from_accept("en;q=0, sv;q=0"), -1);
	assert_int_equal(vk_lang_from_accept("en;q=abc"), -1);
	assert_int_equal(vk_lang_from_accept(""), -1);
	assert_int_equal(vk_lang_from_accept(NULL), -1);
	assert_int_equal(vk_lang_from_accept(",,;;q=,en"), VK_LANG_EN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_accept_language),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
