/*
 * test_set.c — the indicator set: adding with normalisation and type
 * checks, provenance, duplicates, rollback, ceilings, messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ioc/ioc.h"
#include "util/diag.h"
#include "util/err.h"

/* The indicator's location (the text lives until the next call). */
static const char *
ioc_where(const struct vk_ioc_set *set, const struct vk_ioc *ioc)
{
	static char buf[VK_IOC_WHERE_MAX];

	return vk_ioc_where(set, ioc, buf, sizeof(buf));
}

static int
add(struct vk_ioc_set *set, enum vk_ioc_type t, const char *v, uint32_t prov)
{
	return vk_ioc_set_add(set, t, v, strlen(v), prov, NULL, NULL);
}

/* The indicator's address (the text lives until the next call). */
static const uint8_t *
addr_of(const struct vk_ioc *ioc)
{
	static uint8_t a[16];

	vk_ioc_addr(ioc, a);
	return a;
}

static const struct vk_ioc *
last(const struct vk_ioc_set *set)
{
	return vk_ioc_set_get(set, vk_ioc_set_count(set) - 1);
}

static void
test_type_names(void **state)
{
	enum vk_ioc_type t, u;

	(void)state;
	for (t = 0; t < VK_IOC_TYPE_MAX; t++) {
		assert_int_equal(
		    vk_ioc_type_from_name(vk_ioc_type_name(t), &u), 0);
		assert_int_equal(u, t);
	}
	assert_string_equal(vk_ioc_type_name(VK_IOC_DOMAIN), "domain");
	assert_string_equal(vk_ioc_type_name(VK_IOC_SHA512), "sha512");
	assert_string_equal(vk_ioc_type_name(VK_IOC_FILENAME), "filename");
	assert_string_equal(vk_ioc_type_name(VK_IOC_TYPE_MAX), "unknown");
	assert_int_equal(vk_ioc_type_from_name("SHA256", &u), 0);
	assert_int_equal(u, VK_IOC_SHA256);
	assert_int_equal(vk_ioc_type_from_name("hostname", &u), VK_EINVAL);
	assert_int_equal(vk_ioc_type_from_name("", &u), VK_EINVAL);
	assert_int_equal(vk_ioc_type_from_name(NULL, &u), VK_EINVAL);
}

static void
test_add_each_type(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	const struct vk_ioc *i;

	(void)state;
	assert_non_null(set);
	assert_int_equal(vk_ioc_set_count(set), 0);
	assert_null(vk_ioc_set_get(set, 0));

	assert_int_equal(add(set, VK_IOC_DOMAIN, "EVIL[.]SE.", 0), 0);
	i = last(set);
	assert_int_equal(i->type, VK_IOC_DOMAIN);
	assert_string_equal(vk_ioc_value(i), "EVIL[.]SE.");
	assert_string_equal(i->norm, "evil.se");
	assert_int_equal(i->norm_len, 7);
	assert_int_equal(i->to_ids, -1);
	assert_int_equal(i->allow, 0);
	assert_null(vk_ioc_comment(i));
	assert_null(ioc_where(set, i));

	assert_int_equal(add(set, VK_IOC_IPV4, "1.2.3.4/24", 0), 0);
	i = last(set);
	assert_int_equal(i->type, VK_IOC_IPV4);
	assert_string_equal(i->norm, "1.2.3.0/24");
	assert_int_equal(i->prefix, 24);
	assert_memory_equal(addr_of(i), "\x01\x02\x03\x00", 4);
	assert_int_equal(vk_ioc_ipv4(i), 0x01020300);

	assert_int_equal(add(set, VK_IOC_IPV6, "2001:DB8:0:0::1", 0), 0);
	i = last(set);
	assert_int_equal(i->type, VK_IOC_IPV6);
	assert_string_equal(i->norm, "2001:db8::1");
	assert_int_equal(i->prefix, 128);
	assert_int_equal(addr_of(i)[0], 0x20);
	assert_int_equal(addr_of(i)[15], 1);

	/* A mapped address declared IPv6 is stored as the IPv4 it is. */
	assert_int_equal(add(set, VK_IOC_IPV6, "::ffff:5.6.7.8", 0), 0);
	i = last(set);
	assert_int_equal(i->type, VK_IOC_IPV4);
	assert_string_equal(i->norm, "5.6.7.8");
	assert_int_equal(i->prefix, 32);

	/* And an IPv6 address declared IPv4 keeps its real family. */
	assert_int_equal(add(set, VK_IOC_IPV4, "2001:db8::5", 0), 0);
	assert_int_equal(last(set)->type, VK_IOC_IPV6);
	assert_string_equal(last(set)->norm, "2001:db8::5");

	assert_int_equal(add(set, VK_IOC_URL, "hxxp://Evil[.]se:80/a", 0), 0);
	i = last(set);
	assert_string_equal(i->norm, "http://evil.se/a");
	assert_string_equal(vk_ioc_value(i), "hxxp://Evil[.]se:80/a");

	assert_int_equal(add(set, VK_IOC_EMAIL, "Kalle[at]Evil.SE", 0), 0);
	assert_string_equal(last(set)->norm, "kalle@evil.se");

	assert_int_equal(
	    add(set, VK_IOC_MD5, "D41D8CD98F00B204E9800998ECF8427E", 0), 0);
	assert_string_equal(
	    last(set)->norm, "d41d8cd98f00b204e9800998ecf8427e");
	assert_int_equal(add(set, VK_IOC_SHA1,
			     "da39a3ee5e6b4b0d3255bfef95601890afd80709", 0),
	    0);
	assert_int_equal(last(set)->type, VK_IOC_SHA1);
	/* Shared string when the value is already normal. */
	assert_ptr_equal(last(set)->norm, vk_ioc_value(last(set)));

	assert_int_equal(
	    add(set, VK_IOC_FILENAME, "C:\\Temp\\Evil[.]EXE", 0), 0);
	i = last(set);
	assert_string_equal(i->norm, "C:\\Temp\\Evil[.]EXE");
	assert_int_equal(i->type, VK_IOC_FILENAME);

	/* File names are not trimmed either. */
	assert_int_equal(add(set, VK_IOC_FILENAME, " a.exe", 0), 0);
	assert_string_equal(last(set)->norm, " a.exe");
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_FILENAME), 2);
	vk_ioc_set_rollback(set, &(struct vk_ioc_set_mark){ 10, 0 });
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_FILENAME), 1);
	/* Surrounding white space is not part of the key. */
	assert_int_equal(add(set, VK_IOC_DOMAIN, "  spaced.se\t\r\n", 0), 0);
	assert_string_equal(last(set)->norm, "spaced.se");
	assert_string_equal(vk_ioc_value(last(set)), "  spaced.se\t\r\n");

	assert_int_equal(vk_ioc_set_count(set), 11);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_DOMAIN), 2);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_IPV4), 2);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_IPV6), 2);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_URL), 1);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_EMAIL), 1);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_MD5), 1);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_SHA1), 1);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_SHA256), 0);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_FILENAME), 1);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_TYPE_MAX), 0);
	vk_ioc_set_free(set);
	vk_ioc_set_free(NULL);
}

static void
test_detect_on_add(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_diag d;

	(void)state;
	vk_diag_init(&d);
	assert_int_equal(add(set, VK_IOC_TYPE_MAX, "evil[.]se", 0), 0);
	assert_int_equal(last(set)->type, VK_IOC_DOMAIN);
	assert_int_equal(add(set, VK_IOC_TYPE_MAX, "1[.]2.3.4", 0), 0);
	assert_int_equal(last(set)->type, VK_IOC_IPV4);
	assert_int_equal(add(set, VK_IOC_TYPE_MAX, "2001:db8::/48", 0), 0);
	assert_int_equal(last(set)->type, VK_IOC_IPV6);
	assert_int_equal(add(set, VK_IOC_TYPE_MAX, "hxxps://evil.se", 0), 0);
	assert_int_equal(last(set)->type, VK_IOC_URL);
	assert_string_equal(last(set)->norm, "https://evil.se/");
	assert_int_equal(add(set, VK_IOC_TYPE_MAX, "a(at)evil.se", 0), 0);
	assert_int_equal(last(set)->type, VK_IOC_EMAIL);
	assert_int_equal(add(set, VK_IOC_TYPE_MAX,
			     "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934C"
			     "A495991B7852B855",
			     0),
	    0);
	assert_int_equal(last(set)->type, VK_IOC_SHA256);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_TYPE_MAX, "what is this", 12, 0,
		&(struct vk_ioc_extra){ .where = "f.txt:7" }, &d),
	    VK_EINVAL);
	assert_int_equal(d.nerr, 1);
	assert_string_equal(d.v[0].where, "f.txt:7");
	assert_non_null(strstr(d.v[0].msg, "'what is this'"));
	assert_int_equal(vk_ioc_set_count(set), 6);
	vk_diag_release(&d);
	vk_ioc_set_free(set);
}

static void
test_invalid(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_ioc_extra ex = { .where = "feed.csv:12", .to_ids = -1 };
	struct vk_diag d;

	(void)state;
	vk_diag_init(&d);
	/* A domain that is an address is refused, naming what it is. */
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "1.2.3.4", 7, 0, &ex, &d),
	    VK_EINVAL);
	assert_int_equal(d.nerr, 1);
	assert_string_equal(d.v[0].where, "feed.csv:12");
	assert_non_null(strstr(d.v[0].msg, "not a valid domain: '1.2.3.4'"));
	assert_non_null(strstr(d.v[0].msg, "ipv4"));
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "bad..se", 7, 0, &ex, &d),
	    VK_EINVAL);
	assert_non_null(strstr(d.v[1].msg, "not a valid domain: 'bad..se'"));
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_MD5,
		"da39a3ee5e6b4b0d3255bfef95601890afd80709", 40, 0, &ex, &d),
	    VK_EINVAL);
	assert_non_null(strstr(d.v[2].msg, "not a valid md5"));
	assert_non_null(strstr(d.v[2].msg, "sha1"));
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_IPV4, "01.2.3.4", 8, 0, &ex, &d),
	    VK_EINVAL);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_IPV4, "1.2.3.4/33", 10, 0, &ex, &d),
	    VK_EINVAL);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_URL, "evil.se/x", 9, 0, &ex, &d),
	    VK_EINVAL);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_EMAIL, "evil.se", 7, 0, &ex, &d),
	    VK_EINVAL);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_SHA256, "xyz", 3, 0, &ex, &d),
	    VK_EINVAL);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_FILENAME, "", 0, 0, &ex, &d), VK_EINVAL);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "", 0, 0, &ex, &d), VK_EINVAL);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "   ", 3, 0, &ex, &d),
	    VK_EINVAL);
	assert_int_equal(
	    vk_ioc_set_add(set, (enum vk_ioc_type)99, "a.se", 4, 0, &ex, &d),
	    VK_EINVAL);
	/* Control characters are escaped in messages. */
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "a\x1b[2J.se", 8, 0, &ex, &d),
	    VK_EINVAL);
	assert_non_null(strstr(d.v[d.n - 1].msg, "'a\\x1b[2J.se'"));
	/* No location: still a message. */
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "x", 1, 0, NULL, &d), VK_EINVAL);
	assert_null(d.v[d.n - 1].where);
	/* d may be NULL. */
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "x", 1, 0, NULL, NULL),
	    VK_EINVAL);
	assert_int_equal(vk_ioc_set_count(set), 0);
	vk_diag_release(&d);
	vk_ioc_set_free(set);
}

static void
test_ceiling(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	size_t n = 64 * 1024;
	char *big = malloc(n + 1);
	struct vk_diag d;

	(void)state;
	vk_diag_init(&d);
	memset(big, 'a', n + 1);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_FILENAME, big, n + 1, 0, NULL, &d),
	    VK_ETOOBIG);
	assert_int_equal(d.nerr, 1);
	assert_non_null(strstr(d.v[0].msg, "64 KiB"));
	/* Exactly 64 KiB is accepted. */
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_FILENAME, big, n, 0, NULL, &d), 0);
	assert_int_equal(last(set)->norm_len, n);
	/* A 64 KiB URL whose path triples when percent-encoded fits. */
	memcpy(big, "http://evil.se/", 15);
	memset(big + 15, ' ', n - 15);
	/* Trailing white space is trimmed. */
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_URL, big, n, 0, NULL, &d), 0);
	assert_string_equal(last(set)->norm, "http://evil.se/");
	memset(big + 15, 0xff, n - 15);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_URL, big, n, 0, NULL, &d), 0);
	assert_int_equal(last(set)->norm_len, 15 + 3 * (n - 15));
	free(big);
	vk_diag_release(&d);
	vk_ioc_set_free(set);
}

/* Many adds: new indicators wait a few adds before they go into the key
 * table (their slots prefetched), through several doublings of it; a
 * duplicate of one still waiting, of one long in the table, or of one
 * whose filter bit a different key set must all be found. */
static void
test_dedup_many(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	char v[32];
	unsigned n = 5000, i;
	int len;

	(void)state;
	assert_non_null(set);
	for (i = 0; i < n; i++) {
		len = snprintf(v, sizeof(v), "d%u.example", i);
		assert_int_equal(vk_ioc_set_add(set, VK_IOC_DOMAIN, v,
				     (size_t)len, 0, NULL, NULL),
		    0);
		if (i % 7 == 3) { /* the one just added, still pending */
			assert_int_equal(vk_ioc_set_add(set, VK_IOC_DOMAIN, v,
					     (size_t)len, 0, NULL, NULL),
			    0);
		}
		if (i % 11 == 5) { /* one added long before */
			len = snprintf(v, sizeof(v), "d%u.example", i / 2);
			assert_int_equal(vk_ioc_set_add(set, VK_IOC_DOMAIN, v,
					     (size_t)len, 0, NULL, NULL),
			    0);
		}
		assert_int_equal(vk_ioc_set_count(set), i + 1);
	}
	for (i = n; i-- > 0;) {
		len = snprintf(v, sizeof(v), "D%u.EXAMPLE", i);
		assert_int_equal(vk_ioc_set_add(set, VK_IOC_DOMAIN, v,
				     (size_t)len, 0, NULL, NULL),
		    0);
	}
	assert_int_equal(vk_ioc_set_count(set), n);
	for (i = 0; i < n; i++) {
		len = snprintf(v, sizeof(v), "d%u.example", i);
		assert_int_equal(vk_ioc_set_get(set, i)->norm_len, (size_t)len);
		assert_memory_equal(
		    vk_ioc_set_get(set, i)->norm, v, (size_t)len);
	}
	vk_ioc_set_free(set);
}

static void
test_dedup_and_prov(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_ioc_prov p = { .source = "a.json",
		.report = "Op X",
		.campaign = "APT-Z",
		.tlp = "amber" };
	struct vk_ioc_extra ex = { .comment = "c2",
		.first_seen = "2026-01-01",
		.last_seen = "2026-02-01",
		.where = "a.json:$.x",
		.to_ids = 1 };
	const struct vk_ioc_prov *gp;
	uint32_t a, b;
	char src[16];

	(void)state;
	assert_int_equal(vk_ioc_set_prov_count(set), 0);
	assert_null(vk_ioc_set_prov(set, 0));
	snprintf(src, sizeof(src), "%s", "a.json");
	p.source = src;
	assert_int_equal(vk_ioc_set_add_prov(set, &p, &a), 0);
	/* Copied, not referenced. */
	src[0] = 'X';
	p.source = "b.csv";
	p.campaign = NULL;
	assert_int_equal(vk_ioc_set_add_prov(set, &p, &b), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	gp = vk_ioc_set_prov(set, a);
	assert_string_equal(gp->source, "a.json");
	assert_string_equal(gp->report, "Op X");
	assert_string_equal(gp->campaign, "APT-Z");
	assert_string_equal(gp->tlp, "amber");
	assert_null(gp->first_seen);
	assert_null(vk_ioc_set_prov(set, b)->campaign);
	assert_null(vk_ioc_set_prov(set, 2));
	assert_int_equal(vk_ioc_set_prov_count(set), 2);

	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "evil.se", 7, a, &ex, NULL), 0);
	assert_int_equal(last(set)->prov, a);
	assert_int_equal(last(set)->to_ids, 1);
	assert_string_equal(vk_ioc_comment(last(set)), "c2");
	assert_string_equal(vk_ioc_first_seen(last(set)), "2026-01-01");
	assert_string_equal(vk_ioc_last_seen(last(set)), "2026-02-01");
	assert_string_equal(ioc_where(set, last(set)), "a.json:$.x");
	/* Same key, other spellings: duplicates, not added, return 0. */
	assert_int_equal(add(set, VK_IOC_DOMAIN, "EVIL.SE", a), 0);
	assert_int_equal(add(set, VK_IOC_DOMAIN, "evil[.]se.", a), 0);
	assert_int_equal(add(set, VK_IOC_TYPE_MAX, "evil.se", a), 0);
	assert_int_equal(vk_ioc_set_count(set), 1);
	/* Other provenance: kept. */
	assert_int_equal(add(set, VK_IOC_DOMAIN, "evil.se", b), 0);
	assert_int_equal(vk_ioc_set_count(set), 2);
	/* Other type with the same text: kept. */
	assert_int_equal(add(set, VK_IOC_FILENAME, "evil.se", a), 0);
	assert_int_equal(vk_ioc_set_count(set), 3);
	/* IPv6 spellings and mapped forms. */
	assert_int_equal(add(set, VK_IOC_IPV6, "2001:db8::1", a), 0);
	assert_int_equal(
	    add(set, VK_IOC_IPV6, "2001:0db8:0000:0000:0000:0000:0000:0001", a),
	    0);
	assert_int_equal(add(set, VK_IOC_IPV4, "1.2.3.4", a), 0);
	assert_int_equal(add(set, VK_IOC_IPV6, "::ffff:1.2.3.4", a), 0);
	assert_int_equal(add(set, VK_IOC_IPV4, "1.2.3.4/32", a), 0);
	assert_int_equal(vk_ioc_set_count(set), 5);
	assert_int_equal(add(set, VK_IOC_IPV4, "1.2.3.4/31", a), 0);
	assert_int_equal(add(set, VK_IOC_IPV4, "1.2.3.5/31", a), 0);
	assert_int_equal(vk_ioc_set_count(set), 6);
	assert_int_equal(add(set, VK_IOC_URL, "HTTP://Evil.se:80", a), 0);
	assert_int_equal(add(set, VK_IOC_URL, "http://evil.se/", a), 0);
	assert_int_equal(add(set, VK_IOC_URL, "http://evil.se/#x", a), 0);
	assert_int_equal(vk_ioc_set_count(set), 7);
	assert_int_equal(
	    add(set, VK_IOC_MD5, "D41D8CD98F00B204E9800998ECF8427E", a), 0);
	assert_int_equal(
	    add(set, VK_IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e", a), 0);
	assert_int_equal(vk_ioc_set_count(set), 8);
	/* The first spelling is the one kept. */
	assert_string_equal(
	    vk_ioc_value(last(set)), "D41D8CD98F00B204E9800998ECF8427E");
	vk_ioc_set_free(set);
}

static void
test_rollback(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_ioc_prov p = { .source = "x" };
	struct vk_ioc_set_mark m, m0;
	uint32_t id;
	char v[64];
	size_t i;

	(void)state;
	vk_ioc_set_mark(set, &m0);
	assert_int_equal(vk_ioc_set_add_prov(set, &p, &id), 0);
	assert_int_equal(add(set, VK_IOC_DOMAIN, "keep.se", id), 0);
	assert_int_equal(add(set, VK_IOC_IPV4, "9.9.9.9", id), 0);
	vk_ioc_set_mark(set, &m);
	assert_int_equal(m.niocs, 2);
	assert_int_equal(m.nprov, 1);
	assert_int_equal(vk_ioc_set_add_prov(set, &p, &id), 0);
	/* Enough to grow the duplicate table several times. */
	for (i = 0; i < 5000; i++) {
		snprintf(v, sizeof(v), "host%zu.gone.se", i);
		assert_int_equal(add(set, VK_IOC_DOMAIN, v, id), 0);
	}
	assert_int_equal(add(set, VK_IOC_URL, "http://gone.se/", id), 0);
	assert_int_equal(vk_ioc_set_count(set), 5003);
	vk_ioc_set_rollback(set, &m);
	assert_int_equal(vk_ioc_set_count(set), 2);
	assert_int_equal(vk_ioc_set_prov_count(set), 1);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_DOMAIN), 1);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_URL), 0);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_IPV4), 1);
	assert_string_equal(vk_ioc_set_get(set, 0)->norm, "keep.se");
	/* Kept indicators are still duplicates; rolled-back ones are not. */
	assert_int_equal(add(set, VK_IOC_DOMAIN, "KEEP.se", 0), 0);
	assert_int_equal(vk_ioc_set_count(set), 2);
	assert_int_equal(add(set, VK_IOC_DOMAIN, "host7.gone.se", 1), 0);
	assert_int_equal(vk_ioc_set_count(set), 3);
	assert_int_equal(add(set, VK_IOC_DOMAIN, "host7.gone.se", 1), 0);
	assert_int_equal(vk_ioc_set_count(set), 3);
	for (i = 0; i < 5000; i++) {
		snprintf(v, sizeof(v), "host%zu.gone.se", i);
		assert_int_equal(add(set, VK_IOC_DOMAIN, v, 1), 0);
	}
	assert_int_equal(vk_ioc_set_count(set), 5002);
	/* Roll back a mark taken in the middle, then to the start. */
	vk_ioc_set_mark(set, &m);
	for (i = 0; i < 300; i++) {
		snprintf(v, sizeof(v), "10.0.%zu.%zu", i / 256, i % 256);
		assert_int_equal(add(set, VK_IOC_IPV4, v, 1), 0);
	}
	vk_ioc_set_rollback(set, &m);
	assert_int_equal(vk_ioc_set_count(set), 5002);
	for (i = 0; i < 5000; i++) {
		snprintf(v, sizeof(v), "host%zu.gone.se", i);
		assert_int_equal(add(set, VK_IOC_DOMAIN, v, 1), 0);
	}
	assert_int_equal(vk_ioc_set_count(set), 5002);
	vk_ioc_set_rollback(set, &m0);
	assert_int_equal(vk_ioc_set_count(set), 0);
	assert_int_equal(vk_ioc_set_prov_count(set), 0);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_DOMAIN), 0);
	assert_int_equal(add(set, VK_IOC_DOMAIN, "keep.se", 0), 0);
	assert_int_equal(vk_ioc_set_count(set), 1);
	/* Rolling back to the present changes nothing. */
	vk_ioc_set_mark(set, &m);
	vk_ioc_set_rollback(set, &m);
	assert_int_equal(vk_ioc_set_count(set), 1);
	vk_ioc_set_free(set);
}

/* Rollback in random orders against a naive model of the table. */
static void
test_rollback_random(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_ioc_set_mark m;
	uint64_t x = 88172645463325252ULL;
	char v[64];
	int round;
	size_t i, n;

	(void)state;
	for (round = 0; round < 50; round++) {
		size_t before = vk_ioc_set_count(set);

		vk_ioc_set_mark(set, &m);
		for (i = 0; i < 400; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			snprintf(
			    v, sizeof(v), "h%u.r.se", (unsigned)(x % 3000));
			assert_int_equal(add(set, VK_IOC_DOMAIN, v, 0), 0);
		}
		if (round % 2)
			vk_ioc_set_rollback(set, &m);
		n = vk_ioc_set_count(set);
		assert_true(n >= before);
		/* Every indicator present must be found as a duplicate. */
		for (i = 0; i < n; i++) {
			const struct vk_ioc *io = vk_ioc_set_get(set, i);

			assert_int_equal(
			    add(set, VK_IOC_DOMAIN, io->norm, 0), 0);
			assert_int_equal(vk_ioc_set_count(set), n);
		}
	}
	assert_true(vk_ioc_set_count(set) <= 3000);
	vk_ioc_set_free(set);
}

static void
test_strdup_and_mut(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	const char *s;

	(void)state;
	s = vk_ioc_set_strdup(set, "abc\0def", 7);
	assert_memory_equal(s, "abc\0def\0", 8);
	assert_int_equal(add(set, VK_IOC_DOMAIN, "evil.se", 0), 0);
	vk_ioc_set_get_mut(set, 0)->allow = 3;
	assert_int_equal(vk_ioc_set_get(set, 0)->allow, 3);
	assert_null(vk_ioc_set_get_mut(set, 1));
	vk_ioc_set_free(set);
}

/* Compact storage is invisible: the value stays exactly as written,
 * whether or not it shares its bytes with the normalised key; an IP's
 * address sits after the key either way. */
static void
test_value_norm_sharing(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	const struct vk_ioc *i;

	(void)state;
	assert_non_null(set);
	assert_int_equal(add(set, VK_IOC_DOMAIN, "evil.se", 0), 0);
	i = last(set);
	assert_string_equal(vk_ioc_value(i), "evil.se");
	assert_ptr_equal(vk_ioc_value(i), i->norm);
	assert_int_equal(add(set, VK_IOC_DOMAIN, "Evil.SE", 1), 0);
	i = last(set);
	assert_string_equal(vk_ioc_value(i), "Evil.SE");
	assert_string_equal(i->norm, "evil.se");
	assert_ptr_not_equal(vk_ioc_value(i), i->norm);

	assert_int_equal(add(set, VK_IOC_IPV4, "10.1.2.3", 0), 0);
	i = last(set);
	assert_ptr_equal(vk_ioc_value(i), i->norm);
	assert_string_equal(vk_ioc_value(i), "10.1.2.3");
	assert_memory_equal(addr_of(i), "\x0a\x01\x02\x03", 4);
	assert_int_equal(add(set, VK_IOC_IPV4, " 10[.]1.2.4 ", 0), 0);
	i = last(set);
	assert_string_equal(vk_ioc_value(i), " 10[.]1.2.4 ");
	assert_string_equal(i->norm, "10.1.2.4");
	assert_memory_equal(addr_of(i), "\x0a\x01\x02\x04", 4);
	assert_int_equal(add(set, VK_IOC_IPV6, "2001:db8::/32", 0), 0);
	i = last(set);
	assert_ptr_equal(vk_ioc_value(i), i->norm);
	assert_memory_equal(
	    addr_of(i), "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_int_equal(add(set, VK_IOC_IPV4, "255.255.255.255", 0), 0);
	assert_int_equal(vk_ioc_ipv4(last(set)), 0xffffffffu);
	assert_int_equal(add(set, VK_IOC_IPV4, "9.8.7.6/0", 0), 0);
	assert_string_equal(last(set)->norm, "0.0.0.0/0");
	assert_int_equal(vk_ioc_ipv4(last(set)), 0);
	assert_int_equal(add(set, VK_IOC_IPV4, "172.16.254.1/12", 0), 0);
	assert_int_equal(vk_ioc_ipv4(last(set)), 0xac100000u);
	assert_string_equal(vk_ioc_value(last(set)), "172.16.254.1/12");
	assert_int_equal(add(set, VK_IOC_DOMAIN, "x.se", 0), 0);
	assert_memory_equal(
	    addr_of(last(set)), "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	/* The first indicator is untouched by the later adds. */
	i = vk_ioc_set_get(set, 0);
	assert_string_equal(vk_ioc_value(i), "evil.se");
	vk_ioc_set_free(set);
}

static const struct vk_ioc *
add_ex(struct vk_ioc_set *set, const char *value, const char *where,
    const char *comment)
{
	struct vk_ioc_extra ex = {
		.where = where, .comment = comment, .to_ids = -1
	};

	assert_int_equal(vk_ioc_set_add(set, VK_IOC_TYPE_MAX, value,
			     strlen(value), 0, &ex, NULL),
	    0);
	return last(set);
}

/* The side record: accessors, "file:line" split into a shared record and
 * a line number, and every other location kept whole. */
static void
test_more_and_where(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	const struct vk_ioc *a, *b, *c;
	const struct vk_ioc_more *m1;
	char small[8];
	struct vk_ioc_extra ex = { .first_seen = "2026-01-02",
		.last_seen = "2026-03-04",
		.to_ids = 1 };

	(void)state;
	assert_non_null(set);
	a = add_ex(set, "a.se", "dir/f.txt:1", NULL);
	m1 = vk_ioc_more(a);
	assert_non_null(m1);
	assert_int_equal(a->line, 1);
	assert_string_equal(ioc_where(set, a), "dir/f.txt:1");
	b = add_ex(set, "b.se", "dir/f.txt:4294967295", NULL);
	assert_ptr_equal(vk_ioc_more(b), m1);
	assert_string_equal(ioc_where(set, b), "dir/f.txt:4294967295");
	/* Not line numbers: kept whole, each in a record of its own. */
	c = add_ex(set, "c.se", "dir/f.txt:4294967296", NULL);
	assert_int_equal(c->line, 0);
	assert_string_equal(ioc_where(set, c), "dir/f.txt:4294967296");
	c = add_ex(set, "d.se", "dir/f.txt:007", NULL);
	assert_string_equal(ioc_where(set, c), "dir/f.txt:007");
	c = add_ex(set, "e.se", "dir/f.txt:0", NULL);
	assert_string_equal(ioc_where(set, c), "dir/f.txt:0");
	c = add_ex(set, "f.se", ":12", NULL);
	assert_string_equal(ioc_where(set, c), ":12");
	c = add_ex(set, "g.se", "x.json:$.objects[3].pattern", NULL);
	assert_int_equal(c->line, 0);
	assert_string_equal(ioc_where(set, c), "x.json:$.objects[3].pattern");
	assert_ptr_equal(vk_ioc_where(set, c, small, sizeof(small)),
	    vk_ioc_more(c)->where); /* the set's text: no buffer needed */
	/* A comment makes a new record; the next line without one too. */
	c = add_ex(set, "h.se", "dir/f.txt:9", "bad");
	assert_string_equal(vk_ioc_comment(c), "bad");
	assert_null(vk_ioc_first_seen(c));
	assert_string_equal(ioc_where(set, c), "dir/f.txt:9");
	c = add_ex(set, "i.se", "dir/f.txt:10", NULL);
	assert_null(vk_ioc_comment(c));
	assert_string_equal(ioc_where(set, c), "dir/f.txt:10");
	/* A small buffer truncates, never overflows. */
	assert_string_equal(
	    vk_ioc_where(set, c, small, sizeof(small)), "dir/f.t");
	assert_null(vk_ioc_where(set, c, small, 0));
	/* The details without a location. */
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "j.se", 4, 0, &ex, NULL), 0);
	c = last(set);
	assert_string_equal(vk_ioc_first_seen(c), "2026-01-02");
	assert_string_equal(vk_ioc_last_seen(c), "2026-03-04");
	assert_null(ioc_where(set, c));
	assert_int_equal(c->to_ids, 1);
	/* No details at all: no record. */
	assert_int_equal(add(set, VK_IOC_DOMAIN, "k.se", 0), 0);
	c = last(set);
	assert_null(vk_ioc_more(c));
	assert_null(vk_ioc_comment(c));
	assert_null(vk_ioc_first_seen(c));
	assert_null(vk_ioc_last_seen(c));
	assert_null(ioc_where(set, c));
	/* Earlier indicators still read the same. */
	assert_string_equal(
	    ioc_where(set, vk_ioc_set_get(set, 0)), "dir/f.txt:1");
	vk_ioc_set_free(set);
}

/* After vk_ioc_set_freeze() nothing may be added or rolled back; what is
 * there reads as before and allow-lists may still mark it. */
static void
test_freeze(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_ioc_set_mark m;
	struct vk_ioc_prov p = { .source = "x" };
	uint32_t id = 77;
	size_t k;
	char v[32];

	(void)state;
	assert_non_null(set);
	assert_false(vk_ioc_set_frozen(set));
	assert_int_equal(vk_ioc_set_mark(set, &m), 0);
	for (k = 0; k < 100; k++) {
		int n = snprintf(v, sizeof(v), "h%zu.evil.se", k);

		assert_true(n > 0);
		assert_int_equal(add(set, VK_IOC_DOMAIN, v, 0), 0);
	}
	assert_int_equal(vk_ioc_set_add_prov(set, &p, &id), 0);
	vk_ioc_set_freeze(set);
	assert_true(vk_ioc_set_frozen(set));
	vk_ioc_set_freeze(set); /* idempotent */
	assert_int_equal(add(set, VK_IOC_DOMAIN, "new.se", 0), VK_EINVAL);
	assert_int_equal(add(set, VK_IOC_DOMAIN, "h1.evil.se", 0), VK_EINVAL);
	assert_int_equal(vk_ioc_set_add_prov(set, &p, &id), VK_EINVAL);
	assert_int_equal(vk_ioc_set_rollback(set, &m), VK_EINVAL);
	assert_int_equal(vk_ioc_set_mark(set, &m), VK_EINVAL);
	assert_int_equal(vk_ioc_set_count(set), 100);
	assert_int_equal(vk_ioc_set_prov_count(set), 1);
	assert_int_equal(vk_ioc_set_count_type(set, VK_IOC_DOMAIN), 100);
	assert_string_equal(
	    vk_ioc_value(vk_ioc_set_get(set, 99)), "h99.evil.se");
	assert_null(vk_ioc_set_get(set, 100));
	vk_ioc_set_get_mut(set, 5)->allow = 1;
	assert_int_equal(vk_ioc_set_get(set, 5)->allow, 1);
	vk_ioc_set_free(set);
	/* An empty set freezes too. */
	set = vk_ioc_set_new();
	assert_non_null(set);
	vk_ioc_set_freeze(set);
	assert_int_equal(add(set, VK_IOC_DOMAIN, "a.se", 0), VK_EINVAL);
	assert_int_equal(vk_ioc_set_count(set), 0);
	vk_ioc_set_free(set);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_add_each_type),
		cmocka_unit_test(test_dedup_many),
		cmocka_unit_test(test_detect_on_add),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_ceiling),
		cmocka_unit_test(test_dedup_and_prov),
		cmocka_unit_test(test_rollback),
		cmocka_unit_test(test_rollback_random),
		cmocka_unit_test(test_strdup_and_mut),
		cmocka_unit_test(test_value_norm_sharing),
		cmocka_unit_test(test_more_and_where),
		cmocka_unit_test(test_freeze),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
