/*
 * test_stix_pattern.c — the STIX 2.1 pattern parser: every operator,
 * literal, escape, qualifier and nesting form, what vaksam evaluates and
 * what it reports as unsupported, and malformed patterns with positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ioc/stix_pattern.h"
#include "util/err.h"

static struct vk_stix_result R;

static int
ev(const char *p)
{
	return vk_stix_pattern_eval(p, strlen(p), &R);
}

/* Evaluates p, expects it fully supported with the given values. */
static void
expect_values(const char *p, size_t n, ...)
{
	va_list ap;
	size_t i;

	assert_int_equal(ev(p), 0);
	if (R.why[0] != '\0')
		fail_msg("unexpectedly unsupported: %s (%s)", p, R.why);
	assert_int_equal(R.n, n);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		int type = va_arg(ap, int);
		const char *v = va_arg(ap, const char *);

		assert_int_equal(R.v[i].type, type);
		assert_string_equal(vk_stix_value_str(&R, i), v);
		assert_int_equal(R.v[i].len, strlen(v));
	}
	va_end(ap);
}

/* Expects p to parse, evaluate to nothing, with a reason containing
 * `why`. */
static void
expect_unsupported(const char *p, const char *why)
{
	assert_int_equal(ev(p), 0);
	if (R.why[0] == '\0')
		fail_msg("expected unsupported: %s", p);
	if (strstr(R.why, why) == NULL)
		fail_msg("reason '%s' lacks '%s' for %s", R.why, why, p);
	assert_int_equal(R.n, 0);
}

static void
expect_error(const char *p, size_t pos, const char *msg)
{
	assert_int_equal(ev(p), VK_EPARSE);
	if (R.errpos != pos)
		fail_msg("%s: error at %zu (%s), expected %zu", p, R.errpos,
		    R.err, pos);
	if (strstr(R.err, msg) == NULL)
		fail_msg("%s: message '%s' lacks '%s'", p, R.err, msg);
	assert_int_equal(R.n, 0);
}

static int
setup(void **state)
{
	(void)state;
	vk_stix_result_init(&R);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	vk_stix_result_release(&R);
	return 0;
}

static void
test_paths(void **state)
{
	(void)state;
	expect_values("[domain-name:value = 'evil.example']", 1, VK_IOC_DOMAIN,
	    "evil.example");
	expect_values(
	    "[ipv4-addr:value = '10.0.0.0/8']", 1, VK_IOC_IPV4, "10.0.0.0/8");
	expect_values("[ipv6-addr:value == '2001:db8::1']", 1, VK_IOC_IPV6,
	    "2001:db8::1");
	expect_values("[url:value = 'http://a.example/x']", 1, VK_IOC_URL,
	    "http://a.example/x");
	expect_values("[email-addr:value = 'a@b.example']", 1, VK_IOC_EMAIL,
	    "a@b.example");
	expect_values("[file:name = 'x.exe']", 1, VK_IOC_FILENAME, "x.exe");
	expect_values("[file:hashes.md5 = 'aa']", 1, VK_IOC_MD5, "aa");
	expect_values("[file:hashes.MD5 = 'aa']", 1, VK_IOC_MD5, "aa");
	expect_values("[file:hashes.'SHA-1' = 'aa']", 1, VK_IOC_SHA1, "aa");
	expect_values("[file:hashes.SHA1 = 'aa']", 1, VK_IOC_SHA1, "aa");
	expect_values("[file:hashes.'SHA-256' = 'aa']", 1, VK_IOC_SHA256, "aa");
	expect_values("[file:hashes.SHA256 = 'aa']", 1, VK_IOC_SHA256, "aa");
	expect_values("[file:hashes.'SHA-512' = 'aa']", 1, VK_IOC_SHA512, "aa");
	expect_values("[file:hashes.SHA512 = 'aa']", 1, VK_IOC_SHA512, "aa");
	expect_values("[network-traffic:dst_ref.value = '1.2.3.4']", 1,
	    VK_IOC_TYPE_MAX, "1.2.3.4");
	expect_values("[network-traffic:src_ref.value = 'x.example']", 1,
	    VK_IOC_TYPE_MAX, "x.example");
	expect_values("[email-message:from_ref.value = 'a@b.example']", 1,
	    VK_IOC_EMAIL, "a@b.example");
	expect_values("[email-message:sender_ref.value = 'a@b.example']", 1,
	    VK_IOC_EMAIL, "a@b.example");
	/* Whitespace between every token. */
	expect_values("  [ domain-name : value   =\n'a.example' ]  ", 1,
	    VK_IOC_DOMAIN, "a.example");
	expect_unsupported("[x509-certificate:issuer = 'CN=x']",
	    "x509-certificate:issuer is not a property");
	expect_unsupported(
	    "[file:hashes.'SSDEEP' = 'x']", "file:hashes.SSDEEP");
	expect_unsupported("[file:extensions.'x-ext'.sections[*].name = 'a' "
			   "OR file:parent_ref[0].name = 'b']",
	    "sections[*].name");
	expect_unsupported("[domain-name:resolves_to_refs[-1].value = 'a']",
	    "resolves_to_refs[-1]");
}

static void
test_or_in(void **state)
{
	(void)state;
	expect_values("[domain-name:value = 'a.example' OR ipv4-addr:value = "
		      "'1.2.3.4']",
	    2, VK_IOC_DOMAIN, "a.example", VK_IOC_IPV4, "1.2.3.4");
	expect_values("[domain-name:value = 'a.example'] OR "
		      "([url:value = 'http://b/'] OR [email-addr:value = "
		      "'c@d.example'])",
	    3, VK_IOC_DOMAIN, "a.example", VK_IOC_URL, "http://b/",
	    VK_IOC_EMAIL, "c@d.example");
	expect_values("[(domain-name:value = 'a.example' OR (domain-name:"
		      "value = 'b.example'))]",
	    2, VK_IOC_DOMAIN, "a.example", VK_IOC_DOMAIN, "b.example");
	expect_values("[domain-name:value IN ('a.example', 'b.example' ,"
		      "'c.example')]",
	    3, VK_IOC_DOMAIN, "a.example", VK_IOC_DOMAIN, "b.example",
	    VK_IOC_DOMAIN, "c.example");
	expect_values("[domain-name:value IN ()]", 0);
	expect_unsupported("[domain-name:value IN ('a', 5)]", "integer");
	/* Several hashes of one file: any of them names it. */
	expect_values("[file:hashes.MD5 = 'aa' AND file:hashes.'SHA-256' = "
		      "'bb']",
	    2, VK_IOC_MD5, "aa", VK_IOC_SHA256, "bb");
	expect_unsupported("[file:hashes.MD5 = 'aa' AND file:name = 'x']",
	    "AND of conditions");
	expect_unsupported("[domain-name:value = 'a' AND ipv4-addr:value = "
			   "'1.2.3.4']",
	    "AND of conditions");
	expect_unsupported("[domain-name:value = 'a'] AND [ipv4-addr:value "
			   "= '1.2.3.4']",
	    "AND between observations");
	expect_unsupported("[domain-name:value = 'a'] FOLLOWEDBY "
			   "[domain-name:value = 'b']",
	    "FOLLOWEDBY");
	/* OR with a part that cannot be evaluated: the rest is kept and
	 * the reason named. */
	assert_int_equal(ev("[domain-name:value = 'a.example'] OR "
			    "[process:name = 'x']"),
	    0);
	assert_int_equal(R.n, 1);
	assert_string_equal(vk_stix_value_str(&R, 0), "a.example");
	assert_non_null(strstr(R.why, "process:name"));
	assert_int_equal(ev("[domain-name:value = 'a.example' OR "
			    "mutex:name = 'x']"),
	    0);
	assert_int_equal(R.n, 1);
	assert_non_null(strstr(R.why, "mutex:name"));
	/* An unsupported part under AND poisons the whole AND. */
	expect_unsupported("[(domain-name:value = 'a' OR mutex:name = 'x') "
			   "AND domain-name:value = 'b']",
	    "mutex:name");
}

static void
test_operators(void **state)
{
	(void)state;
	expect_unsupported("[domain-name:value != 'a']", "'!='");
	expect_unsupported("[domain-name:value <> 'a']", "'<>'");
	expect_unsupported("[domain-name:value NOT = 'a']", "NOT =");
	expect_unsupported("[domain-name:value NOT IN ('a')]", "NOT IN");
	expect_unsupported("[domain-name:value LIKE '%.evil']", "'LIKE'");
	expect_unsupported("[url:value MATCHES '^http']", "'MATCHES'");
	expect_unsupported(
	    "[domain-name:value ISSUPERSET 'a']", "'ISSUPERSET'");
	expect_unsupported("[domain-name:value ISSUBSET 'a']", "'ISSUBSET'");
	expect_unsupported("[file:size > 10]", "file:size");
	expect_unsupported("[file:name > 'a']", "'>'");
	expect_unsupported("[file:name >= 'a']", "'>='");
	expect_unsupported("[file:name < 'a']", "'<'");
	expect_unsupported("[file:name <= 'a']", "'<='");
	expect_unsupported("[EXISTS file:name]", "EXISTS file:name");
	expect_unsupported("[file:name = true]", "boolean");
	expect_unsupported("[file:name = 5]", "integer");
	expect_unsupported("[file:name = -5.25]", "number");
	expect_unsupported("[file:name = b'SGVsbG8=']", "binary");
	expect_unsupported("[file:name = h'00ff']", "hex");
	expect_unsupported(
	    "[file:name = t'2020-01-01T00:00:00Z']", "timestamp");
	/* ISSUBSET on an address is a range. */
	expect_values("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", 1,
	    VK_IOC_IPV4, "198.51.100.0/24");
	expect_values("[ipv6-addr:value ISSUBSET '2001:db8::/32']", 1,
	    VK_IOC_IPV6, "2001:db8::/32");
}

static void
test_qualifiers(void **state)
{
	(void)state;
	expect_unsupported(
	    "[domain-name:value = 'a'] WITHIN 300 SECONDS", "WITHIN");
	expect_unsupported(
	    "[domain-name:value = 'a'] WITHIN 2.5 SECONDS", "WITHIN");
	expect_unsupported(
	    "[domain-name:value = 'a'] REPEATS 5 TIMES", "REPEATS");
	expect_unsupported("[domain-name:value = 'a'] START "
			   "t'2016-06-01T00:00:00Z' STOP "
			   "t'2016-07-01T00:00:00.123Z'",
	    "START/STOP");
	expect_unsupported("([domain-name:value = 'a'] OR [domain-name:value "
			   "= 'b']) REPEATS 2 TIMES WITHIN 10 SECONDS",
	    "REPEATS");
	/* A qualifier on one OR-branch leaves the other usable. */
	assert_int_equal(ev("[domain-name:value = 'a.example'] OR "
			    "[domain-name:value = 'b'] WITHIN 5 SECONDS"),
	    0);
	assert_int_equal(R.n, 1);
	assert_string_equal(vk_stix_value_str(&R, 0), "a.example");
	expect_error("[a:b = 'x'] WITHIN -5 SECONDS", 19, "positive");
	expect_error("[a:b = 'x'] WITHIN 5", 20, "SECONDS");
	expect_error("[a:b = 'x'] REPEATS 2.5 TIMES", 20, "positive integer");
	expect_error("[a:b = 'x'] REPEATS 2", 21, "TIMES");
	expect_error("[a:b = 'x'] START t'2016-06-01T00:00:00Z'", 41, "STOP");
	expect_error("[a:b = 'x'] START '2016' STOP t'2016-06-01T00:00:00Z'",
	    18, "timestamp");
}

static void
test_literals(void **state)
{
	(void)state;
	expect_values("[file:name = 'it\\'s']", 1, VK_IOC_FILENAME, "it's");
	expect_values("[file:name = 'C:\\\\Temp\\\\x.exe']", 1, VK_IOC_FILENAME,
	    "C:\\Temp\\x.exe");
	expect_values("[file:name = '']", 1, VK_IOC_FILENAME, "");
	expect_values("[file:name = 'Tröja ☕']", 1, VK_IOC_FILENAME, "Tröja ☕");
	expect_error("[file:name = 'a\\nb']", 15, "invalid escape");
	expect_error("[file:name = 'abc]", 13, "unterminated string");
	expect_error("[file:name = 'abc\\", 13, "unterminated string");
	expect_error("[file:name = b'abc']", 15, "multiple of 4");
	expect_error("[file:name = b'ab=c']", 18, "not base64");
	expect_error("[file:name = b'a=bc']", 16, "'=' before");
	expect_error("[file:name = b'a*bc']", 16, "not base64");
	expect_error("[file:name = h'abc']", 15, "odd number");
	expect_error("[file:name = h'zz']", 15, "not a hex digit");
	expect_error("[file:name = t'2020-01-01']", 15, "timestamp");
	expect_error(
	    "[file:name = t'2020-13-01T00:00:00Z']", 15, "out of range");
	expect_error("[file:name = t'2020-01-01T00:00:00.Z']", 34, "fraction");
	expect_error(
	    "[file:name = t'2020-01-01T00:00:00Z]", 13, "unterminated literal");
	expect_error("[file:name = 01]", 13, "leading zero");
	expect_error("[file:name = 1.]", 13, "bad number");
	expect_error("[file:name = 12abc]", 13, "bad number");
	expect_error("[file:name = ]", 13, "expected a literal");
	expect_error("[file:name = ", 13, "pattern ended");
	expect_error("[file:name > true]", 11, "not a boolean");
	expect_error("[file:name LIKE 5]", 11, "needs a string");
	expect_error("[file:name IN ('a' 'b')]", 19, "expected ')'");
	expect_error("[file:name IN 'a']", 14, "expected '('");
}

static void
test_malformed(void **state)
{
	char deep[400];
	size_t i;

	(void)state;
	expect_error("", 0, "pattern ended");
	expect_error("   ", 3, "pattern ended");
	expect_error("domain-name:value = 'a'", 0, "expected '[' or '('");
	expect_error("[", 1, "expected an object path");
	expect_error("[domain-name:value = 'a'", 24, "expected ']'");
	expect_error("[domain-name:value = 'a'] junk", 26, "unexpected text");
	expect_error(
	    "[domain-name:value = 'a'] or [a:b = 'c']", 26, "unexpected text");
	expect_error("[domain-name:value 'a']", 19, "comparison operator");
	expect_error("[domain-name value = 'a']", 13, "expected ':'");
	expect_error("[domain-name: = 'a']", 14, "property name");
	expect_error("[domain-name:value. = 'a']", 20, "property name");
	expect_error("[file:x[a] = 'a']", 8, "expected a literal");
	expect_error("[file:x[1.5] = 'a']", 8, "integer");
	expect_error("[file:x[1 = 'a']", 10, "expected ']'");
	expect_error("[domain-name:value = 'a'] OR", 28, "pattern ended");
	expect_error("([domain-name:value = 'a']", 26, "expected ')'");
	expect_error("[(domain-name:value = 'a']", 25, "expected ')'");
	expect_error("[domain-name:value = 'a' AND]", 28, "object path");
	expect_error("[EXISTS]", 7, "object path");
	/* Nesting is bounded. */
	for (i = 0; i < 100; i++)
		deep[i] = '(';
	memcpy(deep + 100, "[a:b = 'c']", 12);
	assert_int_equal(ev(deep), VK_EPARSE);
	assert_non_null(strstr(R.err, "nested deeper"));
	for (i = 0; i < 60; i++)
		deep[i] = '(';
	memcpy(deep + 60, "[domain-name:value = 'c.example']", 34);
	for (i = 0; i < 60; i++)
		deep[94 + i - 1] = ')';
	deep[94 + 59] = '\0';
	expect_values(deep, 1, VK_IOC_DOMAIN, "c.example");
}

static void
test_limits(void **state)
{
	size_t n = VK_STIX_PATTERN_MAX + 1;
	char *big = malloc(n);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n);
	assert_int_equal(vk_stix_pattern_eval(big, n, &R), VK_ETOOBIG);
	free(big);
	/* NUL bytes inside the pattern are just bytes. */
	assert_int_equal(
	    vk_stix_pattern_eval("[file:name = 'a\0b']", 19, &R), 0);
	assert_int_equal(R.n, 1);
	assert_int_equal(R.v[0].len, 3);
	assert_int_equal(
	    vk_stix_pattern_eval("[file:name\0= 'a']", 17, &R), VK_EPARSE);
	/* A result can be reused; a failure leaves no values. */
	expect_values("[file:name = 'x']", 1, VK_IOC_FILENAME, "x");
	expect_error("[file:name = 'x'", 16, "expected ']'");
	expect_values("[file:name = 'y']", 1, VK_IOC_FILENAME, "y");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_or_in, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_operators, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_qualifiers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_literals, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_malformed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
