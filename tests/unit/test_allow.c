/*
 * test_allow.c — allow-lists: every MISP match type on real warninglists
 * (tests/data/warninglists, CC0) and hand-made ones, plain lists, and
 * malformed lists with their locations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ioc/allow.h"
#include "ioc/ioc.h"
#include "util/diag.h"
#include "util/err.h"

#define WL "tests/data/warninglists/"

/* Loads the lists, adds the indicators (type detected unless given as
 * "type:value"), applies, and returns the set for inspection. */
static struct vk_ioc_set *
run(struct vk_allow *a, const char *const *iocs, long *caught)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	size_t i;

	assert_non_null(set);
	for (i = 0; iocs[i] != NULL; i++) {
		const char *v = iocs[i], *colon = strchr(v, '|');
		enum vk_ioc_type t = VK_IOC_TYPE_MAX;

		if (colon != NULL) {
			char tn[16];

			snprintf(tn, sizeof(tn), "%.*s", (int)(colon - v), v);
			assert_int_equal(vk_ioc_type_from_name(tn, &t), 0);
			v = colon + 1;
		}
		/* One provenance per indicator, so that spellings of the
		 * same value stay separate entries. */
		assert_int_equal(vk_ioc_set_add(set, t, v, strlen(v),
				     (uint32_t)i, NULL, NULL),
		    0);
	}
	assert_int_equal(vk_ioc_set_count(set), i);
	*caught = vk_allow_apply(a, set);
	return set;
}

/* The allow index of indicator i. */
static uint32_t
allow_of(const struct vk_ioc_set *set, size_t i)
{
	return vk_ioc_set_get(set, i)->allow;
}

static struct vk_allow *
load(const char *path)
{
	struct vk_allow *a = vk_allow_new();
	struct vk_diag d;

	vk_diag_init(&d);
	assert_non_null(a);
	assert_int_equal(vk_allow_load(a, path, &d), 0);
	/* Real lists load without a single complaint. */
	assert_int_equal(d.nerr + d.nwarn, 0);
	vk_diag_release(&d);
	return a;
}

static void
test_cidr_rfc1918(void **state)
{
	static const char *const iocs[] = { "10.1.2.3", "10.0.0.0/8",
		"10.0.0.0/7", "11.0.0.1", "172.31.255.255", "172.32.0.0",
		"192.168.1.0/24", "::ffff:10.1.1.1", "9.255.255.255", "evil.se",
		NULL };
	static const uint32_t want[] = { 1, 1, 0, 0, 1, 0, 1, 1, 0, 0 };
	struct vk_allow *a = load(WL "rfc1918.json");
	struct vk_ioc_set *set;
	long caught;
	size_t i;

	(void)state;
	assert_int_equal(vk_allow_count(a), 1);
	assert_string_equal(
	    vk_allow_name(a, 0), "List of RFC 1918 CIDR blocks");
	assert_null(vk_allow_name(a, 1));
	set = run(a, iocs, &caught);
	for (i = 0; iocs[i] != NULL; i++) {
		print_message("# %s\n", iocs[i]);
		assert_int_equal(allow_of(set, i), want[i]);
	}
	assert_int_equal(caught, 5);
	/* Applying again suppresses nothing new. */
	assert_int_equal(vk_allow_apply(a, set), 0);
	vk_ioc_set_free(set);
	vk_allow_free(a);
}

static void
test_cidr_public_dns(void **state)
{
	static const char *const iocs[] = { "8.8.8.8", "8.8.8.9", "8.8.8.0/24",
		"8.8.4.4", "2001:148f:fffe::1", "2001:148F:FFFE:0:0:0:0:1",
		"2001:148f:fffe::2", "2001:148f:fffe::/64", "1.1.1.1", NULL };
	static const uint32_t want[] = { 1, 0, 0, 1, 2, 2, 0, 0, 1 };
	struct vk_allow *a = load(WL "public-dns-v4-excerpt.json");
	struct vk_diag d;
	struct vk_ioc_set *set;
	long caught;
	size_t i;

	(void)state;
	vk_diag_init(&d);
	assert_int_equal(vk_allow_load(a, WL "public-dns-v6.json", &d), 0);
	assert_int_equal(d.nerr + d.nwarn, 0);
	assert_int_equal(vk_allow_count(a), 2);
	set = run(a, iocs, &caught);
	for (i = 0; iocs[i] != NULL; i++) {
		print_message("# %s\n", iocs[i]);
		assert_int_equal(allow_of(set, i), want[i]);
	}
	assert_int_equal(caught, 5);
	vk_ioc_set_free(set);
	vk_allow_free(a);
	vk_diag_release(&d);
}

static void
test_string_hashes(void **state)
{
	static const char *const iocs[] = { "D41D8CD98F00B204E9800998ECF8427E",
		"da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B8"
		"55",
		"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9"
		"ce"
		"47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da"
		"3"
		"e",
		"01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca54"
		"6b",
		"d41d8cd98f00b204e9800998ecf8427f",
		/* Not a hash type: the list's matching_attributes exclude
		 * it even though the text is in the list. */
		"filename|d41d8cd98f00b204e9800998ecf8427e", NULL };
	static const uint32_t want[] = { 1, 1, 1, 1, 2, 0, 0 };
	struct vk_allow *a = load(WL "empty-hashes.json");
	struct vk_diag d;
	struct vk_ioc_set *set;
	long caught;
	size_t i;

	(void)state;
	vk_diag_init(&d);
	assert_int_equal(
	    vk_allow_load(a, WL "common-ioc-false-positive.json", &d), 0);
	set = run(a, iocs, &caught);
	for (i = 0; iocs[i] != NULL; i++) {
		print_message("# %s\n", iocs[i]);
		assert_int_equal(allow_of(set, i), want[i]);
	}
	assert_int_equal(caught, 5);
	vk_ioc_set_free(set);
	vk_allow_free(a);
	vk_diag_release(&d);
}

static void
test_string_domains(void **state)
{
	static const char *const iocs[] = { "c.pki.goog", "C.PKI.GOOG.",
		"x.c.pki.goog", "http://c.pki.goog/", "account.live.com",
		"x.account.live.com", "google.se", "www.google.se",
		"a.b.google.se", "notgoogle.se", "google.se.evil.net",
		"google.ad", "www.google.ad", "evil.se",
		/* google.json covers URLs: ".google.se" their hosts too. */
		"https://www.google.se/x", "https://google.se/x", NULL };
	static const uint32_t want[] = { 1, 1, 0, 0, 2, 0, 3, 3, 3, 0, 0, 3, 3,
		0, 3, 0 };
	struct vk_allow *a = load(WL "crl-hostname.json");
	struct vk_ioc_set *set;
	long caught;
	size_t i;

	(void)state;
	assert_int_equal(
	    vk_allow_load(a, WL "microsoft-office365.json", NULL), 0);
	assert_int_equal(vk_allow_load(a, WL "google.json", NULL), 0);
	set = run(a, iocs, &caught);
	for (i = 0; iocs[i] != NULL; i++) {
		print_message("# %s\n", iocs[i]);
		assert_int_equal(allow_of(set, i), want[i]);
	}
	assert_int_equal(caught, 9);
	vk_ioc_set_free(set);
	vk_allow_free(a);
}

/* String entries are compared by key when they read as indicators. */
static void
test_string_keys(void **state)
{
	static const char list[] =
	    "{\"list\": [\"2001:DB8:0:0::1\", "
	    "\"D41D8CD98F00B204E9800998ECF8427E\","
	    " \"EVIL.SE.\", \"HTTP://Evil.se:80\", \"Kalle@Evil.SE\","
	    " \"Some File.EXE\"]}";
	static const char *const iocs[] = { "2001:db8::1",
		"d41d8cd98f00b204e9800998ecf8427e", "evil.se", "a.evil.se",
		"http://evil.se/", "kalle@evil.se", "filename|some file.exe",
		"filename|Some File.EXE", "2001:db8::2", NULL };
	static const uint32_t want[] = { 1, 1, 1, 0, 1, 1, 1, 1, 0 };
	struct vk_allow *a = vk_allow_new();
	struct vk_ioc_set *set;
	long caught;
	size_t i;

	(void)state;
	assert_int_equal(
	    vk_allow_load_mem(a, "k.json", list, strlen(list), NULL), 0);
	set = run(a, iocs, &caught);
	for (i = 0; iocs[i] != NULL; i++) {
		print_message("# %s\n", iocs[i]);
		assert_int_equal(allow_of(set, i), want[i]);
	}
	assert_int_equal(caught, 7);
	vk_ioc_set_free(set);
	vk_allow_free(a);
}

/* A catastrophic pattern is cut off by the match limit, not left to run
 * for ages. */
static void
test_regex_limit(void **state)
{
	static const char list[] =
	    "{\"type\": \"regex\", \"list\": [\"^(a+)+$\", \"/^B/\"]}";
	static const char *const iocs[] = {
		"filename|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
		"filename|aaaa", "filename|b", "filename|B", NULL
	};
	static const uint32_t want[] = { 0, 1, 0, 1 };
	struct vk_allow *a = vk_allow_new();
	struct vk_ioc_set *set;
	long caught;
	size_t i;

	(void)state;
	assert_int_equal(
	    vk_allow_load_mem(a, "r.json", list, strlen(list), NULL), 0);
	set = run(a, iocs, &caught);
	for (i = 0; iocs[i] != NULL; i++)
		assert_int_equal(allow_of(set, i), want[i]);
	assert_int_equal(caught, 2);
	vk_ioc_set_free(set);
	vk_allow_free(a);
}

static void
test_hostname(void **state)
{
	static const char *const iocs[] = { "bit.ly", "BIT.LY", "x.bit.ly",
		"a.b.bit.ly", "https://bit.ly/abc", "hxxps://x.bit[.]ly:8443/a",
		"notbit.ly", "bit.ly.evil.se", "bit.lyx", "api.ipify.org",
		"x.api.ipify.org", "ipify.org", "x.ipify.org.se",
		/* whats-my-ip does not cover e-mail addresses. */
		"a@api.ipify.org", NULL };
	static const uint32_t want[] = { 1, 1, 1, 1, 1, 1, 0, 0, 0, 2, 2, 2, 0,
		0 };
	struct vk_allow *a = load(WL "url-shortener.json");
	struct vk_ioc_set *set;
	long caught;
	size_t i;

	(void)state;
	assert_int_equal(vk_allow_load(a, WL "whats-my-ip.json", NULL), 0);
	set = run(a, iocs, &caught);
	for (i = 0; iocs[i] != NULL; i++) {
		print_message("# %s\n", iocs[i]);
		assert_int_equal(allow_of(set, i), want[i]);
	}
	assert_int_equal(caught, 9);
	vk_ioc_set_free(set);
	vk_allow_free(a);
}

static void
test_substring_regex(void **state)
{
	static const char *const iocs[] = { "http://sinkhole.abuse.ch/",
		"SINKHOLE.example.se", "a.example-cdn.se", "a.example.cdn.se",
		"https://a.b.TEST.invalid/x", "https://test.invalid/x",
		"update12.vendor.se", "update.vendor.se", "x.update1.vendor.se",
		"filename|update1.vendor.se", NULL };
	static const uint32_t want[] = { 1, 1, 1, 0, 2, 0, 2, 0, 0, 0 };
	struct vk_allow *a = load(WL "handmade/substring.json");
	struct vk_ioc_set *set;
	long caught;
	size_t i;

	(void)state;
	assert_int_equal(vk_allow_load(a, WL "handmade/regex.json", NULL), 0);
	assert_string_equal(vk_allow_name(a, 1), "Hand-made regex list");
	set = run(a, iocs, &caught);
	for (i = 0; iocs[i] != NULL; i++) {
		print_message("# %s\n", iocs[i]);
		assert_int_equal(allow_of(set, i), want[i]);
	}
	assert_int_equal(caught, 5);
	vk_ioc_set_free(set);
	vk_allow_free(a);
}

static void
test_plain(void **state)
{
	static const char *const iocs[] = { "partner.se", "x.partner.se",
		"notpartner.se", "cdn.example.net", "a.cdn.example.net",
		"example.net", "wild.example.org", "a.wild.example.org",
		"10.9.8.7", "10.0.0.0/16", "11.0.0.0", "2001:db8:aaaa:1::/64",
		"2001:db8:aaab::1", "192.0.2.7", "192.0.2.8",
		"d41d8cd98f00b204e9800998ecf8427e",
		"http://known.example.com/ok", "http://known.example.com/ko",
		"noc@partner.se", "noc@other.se", "filename|Some Exact String",
		"filename|some exact strings", NULL };
	static const uint32_t want[] = { 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0,
		1, 0, 1, 1, 0, 1, 0, 1, 0 };
	struct vk_allow *a = load(WL "handmade/plain.txt");
	struct vk_ioc_set *set;
	long caught;
	size_t i;

	(void)state;
	assert_string_equal(vk_allow_name(a, 0), "plain.txt");
	set = run(a, iocs, &caught);
	for (i = 0; iocs[i] != NULL; i++) {
		print_message("# %s\n", iocs[i]);
		assert_int_equal(allow_of(set, i), want[i]);
	}
	assert_int_equal(caught, 14);
	vk_ioc_set_free(set);
	vk_allow_free(a);
}

/* Loading fails with `code`, one error at `where`, and no list added. */
static void
bad(const char *path, int code, const char *where, const char *msg)
{
	struct vk_allow *a = vk_allow_new();
	struct vk_diag d;

	vk_diag_init(&d);
	assert_int_equal(vk_allow_load(a, path, &d), code);
	assert_int_equal(vk_allow_count(a), 0);
	assert_int_equal(d.nerr, 1);
	assert_string_equal(d.v[0].where, where);
	print_message("# %s: %s\n", d.v[0].where, d.v[0].msg);
	assert_non_null(strstr(d.v[0].msg, msg));
	vk_diag_release(&d);
	vk_allow_free(a);
}

static void
test_malformed_files(void **state)
{
	(void)state;
	bad(WL "handmade/bad-regex.json", VK_EPARSE,
	    WL "handmade/bad-regex.json:$.list[1]", "does not compile");
	bad(WL "handmade/bad-type.json", VK_EPARSE,
	    WL "handmade/bad-type.json:$.type", "unknown match type");
	bad(WL "handmade/bad-entry.json", VK_EPARSE,
	    WL "handmade/bad-entry.json:$.list[1]", "expected a string");
	bad(WL "handmade/no-list.json", VK_EPARSE,
	    WL "handmade/no-list.json:$.list", "missing");
	bad(WL "handmade/broken.json", VK_EPARSE, WL "handmade/broken.json:3:0",
	    "not valid JSON");
	bad(WL "handmade/does-not-exist.json", VK_EIO,
	    WL "handmade/does-not-exist.json", "cannot open");
}

static void
mem_bad(const char *data, size_t len, int code, const char *where)
{
	struct vk_allow *a = vk_allow_new();
	struct vk_diag d;

	vk_diag_init(&d);
	assert_int_equal(vk_allow_load_mem(a, "m", data, len, &d), code);
	assert_int_equal(vk_allow_count(a), 0);
	assert_int_equal(d.nerr, 1);
	print_message("# %s: %s\n", d.v[0].where, d.v[0].msg);
	assert_string_equal(d.v[0].where, where);
	vk_diag_release(&d);
	vk_allow_free(a);
}

static void
test_malformed_mem(void **state)
{
	static const char nul[] = "a.se\nb\0.se\n";

	(void)state;
	mem_bad("[{}]", strlen("[{}]"), VK_EPARSE, "m:$");
	mem_bad("{\"list\": \"a\"}", strlen("{\"list\": \"a\"}"), VK_EPARSE,
	    "m:$.list");
	mem_bad("{\"list\": [], \"name\": 3}",
	    strlen("{\"list\": [], \"name\": 3}"), VK_EPARSE, "m:$.name");
	mem_bad("{\"list\": [], \"type\": 3}",
	    strlen("{\"list\": [], \"type\": 3}"), VK_EPARSE, "m:$.type");
	mem_bad("{\"list\": [], \"matching_attributes\": \"x\"}",
	    strlen("{\"list\": [], \"matching_attributes\": \"x\"}"), VK_EPARSE,
	    "m:$.matching_attributes");
	mem_bad("{\"list\": [], \"matching_attributes\": [1]}",
	    strlen("{\"list\": [], \"matching_attributes\": [1]}"), VK_EPARSE,
	    "m:$.matching_attributes[0]");
	mem_bad("{\"list\": [], \"list\": []}",
	    strlen("{\"list\": [], \"list\": []}"), VK_EPARSE, "m:1:19");
	mem_bad(nul, sizeof(nul) - 1, VK_EPARSE, "m:2");
	{
		size_t n = 64 * 1024 + 1;
		char *big = malloc(n + 10);

		memcpy(big, "a.se\n#\n\n", 8);
		memset(big + 8, 'x', n);
		mem_bad(big, n + 8, VK_ETOOBIG, "m:4");
		free(big);
	}
	mem_bad("{\"type\": \"regex\", \"list\": [\"(?<\"]}",
	    strlen("{\"type\": \"regex\", \"list\": [\"(?<\"]}"), VK_EPARSE,
	    "m:$.list[0]");
}

static void
test_entry_warnings(void **state)
{
	static const char cidr[] = "{\"type\": \"cidr\", \"list\": "
				   "[\"1.2.3.4/33\", \"5.6.7.8\", \"x.se\"]}";
	static const char host[] = "{\"type\": \"hostname\", \"list\": "
				   "[\"*.evil.se\", \"not a host\", \"\"]}";
	static const char sub[] = "{\"type\": \"substring\", \"list\": [\"\"]}";
	static const char *const iocs[] = { "5.6.7.8", "1.2.3.4", "a.evil.se",
		"evil.se", "x.se", NULL };
	static const uint32_t want[] = { 1, 0, 2, 2, 0 };
	struct vk_allow *a = vk_allow_new();
	struct vk_ioc_set *set;
	struct vk_diag d;
	long caught;
	size_t i;

	(void)state;
	vk_diag_init(&d);
	assert_int_equal(
	    vk_allow_load_mem(a, "dir/c.json", cidr, sizeof(cidr) - 1, &d), 0);
	assert_int_equal(d.nwarn, 2);
	assert_int_equal(d.nerr, 0);
	assert_string_equal(d.v[0].where, "dir/c.json:$.list[0]");
	assert_string_equal(d.v[1].where, "dir/c.json:$.list[2]");
	assert_string_equal(vk_allow_name(a, 0), "c.json");
	assert_int_equal(
	    vk_allow_load_mem(a, "h.json", host, sizeof(host) - 1, &d), 0);
	assert_int_equal(d.nwarn, 4);
	assert_string_equal(d.v[3].where, "h.json:$.list[2]");
	/* An empty substring would match everything: ignored, said. */
	assert_int_equal(
	    vk_allow_load_mem(a, "s.json", sub, sizeof(sub) - 1, &d), 0);
	assert_int_equal(d.nwarn, 5);
	set = run(a, iocs, &caught);
	for (i = 0; iocs[i] != NULL; i++) {
		print_message("# %s\n", iocs[i]);
		assert_int_equal(allow_of(set, i), want[i]);
	}
	assert_int_equal(caught, 3);
	vk_ioc_set_free(set);
	vk_allow_free(a);
	vk_diag_release(&d);
}

static void
test_empty_and_defaults(void **state)
{
	static const char *const iocs[] = { "evil.se", "1.2.3.4", NULL };
	struct vk_allow *a = vk_allow_new();
	struct vk_ioc_set *set;
	long caught;

	(void)state;
	/* No lists: nothing happens. */
	set = run(a, iocs, &caught);
	assert_int_equal(caught, 0);
	vk_ioc_set_free(set);
	/* An empty file is an empty plain list; a list without a type is a
	 * string list that covers every type. */
	assert_int_equal(vk_allow_load_mem(a, "e.txt", "", 0, NULL), 0);
	assert_int_equal(
	    vk_allow_load_mem(a, "s.json",
		"\xef\xbb\xbf {\"list\": [\"EVIL.SE\"]}", 25, NULL),
	    0);
	assert_string_equal(vk_allow_name(a, 1), "s.json");
	set = run(a, iocs, &caught);
	assert_int_equal(caught, 1);
	assert_int_equal(allow_of(set, 0), 2);
	assert_int_equal(allow_of(set, 1), 0);
	vk_ioc_set_free(set);
	vk_allow_free(a);
	vk_allow_free(NULL);
}

/* Many indicators against a big list: must stay fast (a hash lookup per
 * indicator), checked by count here and measured by hand. */
static void
test_many(void **state)
{
	struct vk_allow *a = load(WL "public-dns-v4-excerpt.json");
	struct vk_ioc_set *set = vk_ioc_set_new();
	char v[32];
	size_t i;
	long caught;

	(void)state;
	assert_int_equal(vk_allow_load(a, WL "google.json", NULL), 0);
	assert_int_equal(vk_allow_load(a, WL "url-shortener.json", NULL), 0);
	for (i = 0; i < 100000; i++) {
		int k = snprintf(
		    v, sizeof(v), "8.8.%zu.%zu", i / 256 % 256, i % 256);

		assert_int_equal(vk_ioc_set_add(set, VK_IOC_TYPE_MAX, v,
				     (size_t)k, 0, NULL, NULL),
		    0);
	}
	caught = vk_allow_apply(a, set);
	/* 8.8.4.4 and 8.8.8.8 among 65536 distinct addresses. */
	assert_true(caught >= 2);
	assert_int_equal(caught, 2);
	vk_ioc_set_free(set);
	vk_allow_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cidr_rfc1918),
		cmocka_unit_test(test_cidr_public_dns),
		cmocka_unit_test(test_string_hashes),
		cmocka_unit_test(test_string_domains),
		cmocka_unit_test(test_string_keys),
		cmocka_unit_test(test_regex_limit),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_substring_regex),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_malformed_files),
		cmocka_unit_test(test_malformed_mem),
		cmocka_unit_test(test_entry_warnings),
		cmocka_unit_test(test_empty_and_defaults),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
