/*
 * test_match.c — the line matcher: every rule of docs/matching.md
 * ("Matching in text"), one test each, plus scale and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hunt/match.h"
#include "ioc/ioc.h"
#include "util/err.h"

/* A set and matcher built from "type:value" strings (type as
 * vk_ioc_type_name, or "auto"). */
struct fix {
	struct vk_ioc_set *set;
	struct vk_matcher *m;
};

static void
fix_build(struct fix *f, const char *const *iocs)
{
	uint32_t prov;
	struct vk_ioc_prov pv = { .source = "test" };

	f->set = vk_ioc_set_new();
	assert_non_null(f->set);
	assert_int_equal(vk_ioc_set_add_prov(f->set, &pv, &prov), 0);
	for (; *iocs != NULL; iocs++) {
		const char *colon = strchr(*iocs, ':');
		char tn[16];
		enum vk_ioc_type t = VK_IOC_TYPE_MAX;
		size_t tl;

		assert_non_null(colon);
		tl = (size_t)(colon - *iocs);
		assert_true(tl < sizeof(tn));
		memcpy(tn, *iocs, tl);
		tn[tl] = '\0';
		if (strcmp(tn, "auto") != 0)
			assert_int_equal(vk_ioc_type_from_name(tn, &t), 0);
		if (vk_ioc_set_add(f->set, t, colon + 1, strlen(colon + 1),
			prov, NULL, NULL) != 0)
			fail_msg("cannot add indicator %s", *iocs);
	}
	assert_int_equal(vk_matcher_build(f->set, &f->m), 0);
}

static void
fix_free(struct fix *f)
{
	vk_matcher_free(f->m);
	vk_ioc_set_free(f->set);
}

/* Collects hits as "value@off+len;" into a string. */
struct hits {
	const struct fix *f;
	const char *line;
	char out[4096];
	size_t n;
	size_t last_off;
	int stop_after;
};

static int
collect(void *arg, const struct vk_match *m)
{
	struct hits *h = arg;
	const struct vk_ioc *ioc = vk_ioc_set_get(h->f->set, m->ioc);
	size_t used = strlen(h->out);
	int r;

	assert_true(h->n == 0 || m->off >= h->last_off);
	h->last_off = m->off;
	h->n++;
	r = snprintf(h->out + used, sizeof(h->out) - used, "%s@%zu+%zu;",
	    vk_ioc_value(ioc), m->off, m->len);
	assert_true(r > 0 && (size_t)r < sizeof(h->out) - used);
	if (h->stop_after > 0 && (int)h->n == h->stop_after)
		return 7;
	return 0;
}

/* A hit in a buffer of lines, moved back to its line at `at`. */
struct shifted {
	struct hits *h;
	size_t at, len;
};

static int
collect_shifted(void *arg, const struct vk_match *m)
{
	struct shifted *s = arg;
	struct vk_match h = *m;

	if (m->off < s->at || m->off + m->len > s->at + s->len)
		fail_msg("a hit at %zu+%zu outside the line", m->off, m->len);
	h.off -= s->at;
	return collect(s->h, &h);
}

/*
 * The line again in a buffer of lines — after a line that puts it at
 * several places in a 64-byte block, ended by "\r\n", before another
 * line — through vk_matcher_scan_lines(): the same hits.
 */
static void
check_in_buffer(
    const struct hits *want, const struct fix *f, const char *line, size_t len)
{
	static const size_t at[] = { 0, 1, 5, 17, 31, 32, 47, 63 };
	char *buf = malloc(len + 80);

	assert_non_null(buf);
	for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		struct hits h;
		struct shifted sh = { &h, at[k], len };
		size_t n = at[k];

		memset(&h, 0, sizeof(h));
		h.f = f;
		memset(buf, 'x', n);
		if (n > 0)
			buf[n - 1] = '\n';
		memcpy(buf + n, line, len);
		memcpy(buf + n + len, "\r\nz\n", 5);
		assert_int_equal(vk_matcher_scan_lines(f->m, buf, n + len + 5,
				     collect_shifted, &sh),
		    0);
		if (strcmp(h.out, want->out) != 0)
			fail_msg("[%.*s] at %zu in a buffer: [%s], alone: [%s]",
			    (int)len, line, n, h.out, want->out);
	}
	free(buf);
}

static const char *
scan_n(struct hits *h, const struct fix *f, const char *line, size_t len)
{
	memset(h, 0, sizeof(*h));
	h->f = f;
	h->line = line;
	assert_int_equal(vk_matcher_scan(f->m, line, len, collect, h), 0);
	if (memchr(line, '\n', len) == NULL &&
	    (len == 0 || line[len - 1] != '\r'))
		check_in_buffer(h, f, line, len);
	return h->out;
}

static const char *
scan(struct hits *h, const struct fix *f, const char *line)
{
	return scan_n(h, f, line, strlen(line));
}

/* The matched text of a one-hit scan of line[0..n) whose text begins at
 * lead (spaces before it). */
static void
expect_one_at(const struct fix *f, const char *line, size_t n, size_t lead,
    const char *matched)
{
	struct hits h;
	char want[256];

	scan_n(&h, f, line, n);
	if (matched == NULL) {
		if (h.n != 0)
			fail_msg(
			    "[%.*s]: unexpected hit %s", (int)n, line, h.out);
		return;
	}
	snprintf(want, sizeof(want), "@%zu+%zu;",
	    (size_t)(strstr(line + lead, matched) - line), strlen(matched));
	if (h.n != 1 || strstr(h.out, want) == NULL)
		fail_msg("[%.*s]: want %s at %s, got [%s]", (int)n, line,
		    matched, want, h.out);
}

/* The matched text of a one-hit scan; the same with spaces before, after
 * and around the line, so that the scanner's 16- and 64-byte loads see
 * it in the middle of a long line and at either end. */
static void
expect_one(const struct fix *f, const char *line, const char *matched)
{
	static const size_t pad[][2] = { { 0, 0 }, { 40, 0 }, { 0, 40 },
		{ 40, 40 }, { 7, 70 }, { 61, 3 } };
	char buf[2048];
	size_t n = strlen(line);

	for (size_t k = 0; k < sizeof(pad) / sizeof(pad[0]); k++) {
		size_t a = pad[k][0], b = pad[k][1];

		if (a + n + b > sizeof(buf))
			continue;
		memset(buf, ' ', a);
		memcpy(buf + a, line, n);
		memset(buf + a + n, ' ', b);
		expect_one_at(f, buf, a + n + b, a, matched);
	}
}

/* ---- domains ---- */

static void
test_domain(void **state)
{
	static const char *const iocs[] = { "domain:evil.se", NULL };
	static const struct {
		const char *line, *matched;
	} yes[] = {
		{ "evil.se", "evil.se" },
		{ "EVIL.SE", "EVIL.SE" },
		{ "a.b.evil.se", "a.b.evil.se" },
		{ "query a.b.evil.se IN A", "a.b.evil.se" },
		{ "host evil.se. end", "evil.se" },
		{ "from user@mail.evil.se", "mail.evil.se" },
		{ "GET http://evil.se/x HTTP/1.1", "evil.se" },
		{ "{\"dns\":\"evil.se\"}", "evil.se" },
		{ "query: evil.se IN A", "evil.se" },
		{ "Evil.Se:443", "Evil.Se" },
		{ "x=https%3A%2F%2Fevil.se%2Fa", "evil.se" },
		{ "see (evil.se), and more", "evil.se" },
		{ "_dmarc.evil.se TXT", "_dmarc.evil.se" },
		{ "...evil.se...", "evil.se" },
	};
	static const char *const no[] = {
		"notevil.se",
		"evil.se.attacker.net",
		"evil.sex",
		"evil-se.com",
		"evil_se.com",
		"x-evil.se",
		"evil.s",
		"evilse",
		"e.vil.se",
		"evil.se-x.com",
	};
	struct fix f;

	(void)state;
	fix_build(&f, iocs);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		expect_one(&f, yes[i].line, yes[i].matched);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		expect_one(&f, no[i], NULL);
	fix_free(&f);
}

static void
test_domain_suffix_chain(void **state)
{
	static const char *const iocs[] = { "domain:a.evil.se",
		"domain:evil.se", "domain:b.c.d.example.org", NULL };
	struct fix f;
	struct hits h;

	(void)state;
	fix_build(&f, iocs);
	/* both the subdomain indicator and its parent, in order of offset */
	/* both the subdomain indicator and its parent; the matched text is
	 * the whole name */
	assert_string_equal(
	    scan(&h, &f, "x a.evil.se y"), "evil.se@2+9;a.evil.se@2+9;");
	assert_string_equal(scan(&h, &f, "x.b.evil.se"), "evil.se@0+11;");
	assert_string_equal(scan(&h, &f, "c.d.example.org"), "");
	assert_string_equal(
	    scan(&h, &f, "z.b.c.d.example.org"), "b.c.d.example.org@0+19;");
	fix_free(&f);
}

static void
test_domain_idn(void **state)
{
	static const char *const u[] = { "domain:räksmörgås.se", NULL };
	static const char *const a[] = { "domain:xn--rksmrgs-5wao1o.se", NULL };
	struct fix f;

	(void)state;
	fix_build(&f, u);
	expect_one(&f, "visit räksmörgås.se now", "räksmörgås.se");
	expect_one(&f, "q xn--rksmrgs-5wao1o.se A", "xn--rksmrgs-5wao1o.se");
	expect_one(&f, "q XN--RKSMRGS-5WAO1O.SE A", "XN--RKSMRGS-5WAO1O.SE");
	expect_one(&f, "«räksmörgås.se»", "räksmörgås.se");
	expect_one(&f, "www.RÄKSMÖRGÅS.se", "www.RÄKSMÖRGÅS.se");
	expect_one(&f, "räksmörgås.sex", NULL);
	expect_one(&f, "xräksmörgås.se", NULL);
	fix_free(&f);
	fix_build(&f, a);
	expect_one(&f, "visit räksmörgås.se now", "räksmörgås.se");
	expect_one(&f, "q xn--rksmrgs-5wao1o.se A", "xn--rksmrgs-5wao1o.se");
	fix_free(&f);
}

static void
test_domain_nonascii_neighbours(void **state)
{
	static const char *const iocs[] = { "domain:evil.se", NULL };
	struct fix f;

	(void)state;
	fix_build(&f, iocs);
	/* not a name as a whole; the ASCII tail after a label boundary is */
	expect_one(&f, "\xff\xfe.evil.se", "evil.se");
	expect_one(&f, "\xff\xfe.www.evil.se", "www.evil.se");
	expect_one(&f, "åäö evil.se", "evil.se");
	expect_one(&f,
	    "\xff\xfe"
	    "evil.se",
	    NULL);
	fix_free(&f);
}

static void
test_windows_dns(void **state)
{
	static const char *const iocs[] = { "domain:evil.se", NULL };
	struct fix f;
	struct hits h;

	(void)state;
	fix_build(&f, iocs);
	expect_one(&f,
	    "11/27/2026 8:23:16 PM 0E4C PACKET  000000D1 UDP Rcv 10.0.0.5 "
	    "2a1b   Q [0001   D   NOERROR] A      (3)www(4)evil(2)se(0)",
	    "(3)www(4)evil(2)se(0)");
	expect_one(&f, "(4)EVIL(2)SE(0)", "(4)EVIL(2)SE(0)");
	assert_string_equal(scan(&h, &f, "(3)www(7)notevil(2)se(0)"), "");
	assert_string_equal(scan(&h, &f, "(4)evil(2)se(3)net(0)"), "");
	/* a wrong length is not this form */
	assert_string_equal(scan(&h, &f, "(5)evil(2)se(0)"), "");
	assert_string_equal(scan(&h, &f, "(4)evil(2)se"), "");
	assert_string_equal(scan(&h, &f, "(4)evil(0)"), "");
	fix_free(&f);
}

/* ---- IPv4 ---- */

static void
test_ipv4(void **state)
{
	static const char *const iocs[] = { "ipv4:1.2.3.4", NULL };
	static const struct {
		const char *line, *matched;
	} yes[] = {
		{ "1.2.3.4", "1.2.3.4" },
		{ "src=1.2.3.4 dst=5.6.7.8", "1.2.3.4" },
		{ "1.2.3.4:443", "1.2.3.4" },
		{ "[1.2.3.4]", "1.2.3.4" },
		{ "(1.2.3.4)", "1.2.3.4" },
		{ "1.2.3.4,5.6.7.8", "1.2.3.4" },
		{ "from 1.2.3.4.", "1.2.3.4" },
		{ "client 1.2.3.4#53", "1.2.3.4" },
		{ "\"1.2.3.4\"", "1.2.3.4" },
		{ "ip_1.2.3.4", "1.2.3.4" },
		{ "1.2.3.4-1.2.3.9", "1.2.3.4" },
		{ "::ffff:1.2.3.4", "::ffff:1.2.3.4" },
		{ "[::FFFF:1.2.3.4]:80", "::FFFF:1.2.3.4" },
		{ "::ffff:102:304", "::ffff:102:304" },
		{ "src:1.2.3.4", "1.2.3.4" },
		{ "host:1.2.3.4:443", "1.2.3.4" },
		{ "a:b:1.2.3.4:443:x", "1.2.3.4" },
		{ "20:23:16 1.2.3.4", "1.2.3.4" },
		{ "http://1.2.3.4/a", "1.2.3.4" },
	};
	static const char *const no[] = {
		"11.2.3.4",
		"1.2.3.45",
		"1.2.3.4.5",
		"0.1.2.3.4",
		"v1.2.3.4",
		"1.2.3.4a",
		"01.2.3.4",
		"1.2.3",
		"1.2.3.4.in-addr.arpa",
		"x.1.2.3.4",
		"1..2.3.4",
		"1.2.3.256",
	};
	struct fix f;

	(void)state;
	fix_build(&f, iocs);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		expect_one(&f, yes[i].line, yes[i].matched);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		expect_one(&f, no[i], NULL);
	fix_free(&f);
}

static void
test_ipv4_cidr(void **state)
{
	static const char *const iocs[] = { "ipv4:10.1.0.0/16",
		"ipv4:192.0.2.0/24", "ipv4:192.0.2.77", "ipv4:0.0.0.0/0",
		NULL };
	static const char *const iocs2[] = { "ipv4:10.1.0.0/16",
		"ipv4:172.16.0.0/12", NULL };
	struct fix f;
	struct hits h;

	(void)state;
	fix_build(&f, iocs);
	assert_string_equal(scan(&h, &f, "x 192.0.2.77 y"),
	    "192.0.2.77@2+10;192.0.2.0/24@2+10;0.0.0.0/0@2+10;");
	fix_free(&f);
	fix_build(&f, iocs2);
	expect_one(&f, "a 10.1.0.0 b", "10.1.0.0");
	expect_one(&f, "a 10.1.255.255 b", "10.1.255.255");
	expect_one(&f, "a 10.1.77.3 b", "10.1.77.3");
	expect_one(&f, "a 10.2.0.1 b", NULL);
	expect_one(&f, "a 10.0.255.255 b", NULL);
	expect_one(&f, "a 172.31.1.1 b", "172.31.1.1");
	expect_one(&f, "a 172.32.1.1 b", NULL);
	expect_one(&f, "a ::ffff:10.1.2.3 b", "::ffff:10.1.2.3");
	fix_free(&f);
}

/* ---- IPv6 ---- */

static void
test_ipv6(void **state)
{
	static const char *const iocs[] = { "ipv6:2001:db8::1", NULL };
	static const struct {
		const char *line, *matched;
	} yes[] = {
		{ "2001:db8::1", "2001:db8::1" },
		{ "src=2001:DB8::1 x", "2001:DB8::1" },
		{ "2001:0db8:0000:0000:0000:0000:0000:0001",
		    "2001:0db8:0000:0000:0000:0000:0000:0001" },
		{ "2001:db8:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:1" },
		{ "2001:db8::0.0.0.1", "2001:db8::0.0.0.1" },
		{ "[2001:db8::1]:443", "2001:db8::1" },
		{ "fe80 2001:db8::1%eth0 x", "2001:db8::1" },
		{ "addr 2001:db8::1.", "2001:db8::1" },
		{ "addr=2001:db8::1, next", "2001:db8::1" },
		{ "client 2001:db8::1#53", "2001:db8::1" },
	};
	static const char *const no[] = {
		"2001:db8::11",
		"2001:db8::1:0",
		"12001:db8::1",
		"x2001:db8::1",
		"2001:db8::1g",
		"20:23:16",
		"00:11:22:33:44:55",
		"std::db8::1",
		"2001:db8:1",
	};
	struct fix f;

	(void)state;
	fix_build(&f, iocs);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		expect_one(&f, yes[i].line, yes[i].matched);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		expect_one(&f, no[i], NULL);
	fix_free(&f);
}

static void
test_ipv6_cidr(void **state)
{
	static const char *const iocs[] = { "ipv6:2001:db8:aa::/48",
		"ipv6:fe80::/10", NULL };
	struct fix f;

	(void)state;
	fix_build(&f, iocs);
	expect_one(&f, "a 2001:db8:aa:1::5 b", "2001:db8:aa:1::5");
	expect_one(
	    &f, "a 2001:db8:aa:ffff:1:2:3:4 b", "2001:db8:aa:ffff:1:2:3:4");
	expect_one(&f, "a 2001:db8:ab::5 b", NULL);
	expect_one(&f, "a FE80::1%eth0 b", "FE80::1");
	expect_one(&f, "a febf::1 b", "febf::1");
	expect_one(&f, "a fec0::1 b", NULL);
	expect_one(&f, "Nov 27 20:23:16 host x: 00:1a:2b:3c:4d:5e", NULL);
	fix_free(&f);
}

/* Colons that cannot begin an address are passed over by a look at the
 * window's colon mask: every address must still be found wherever the
 * 1 KiB window ends, and a rejected run of colons hides nothing inside it
 * (the "12:30:<md5>:1" case was missed with an IPv6 indicator loaded). */
static void
test_colon_runs(void **state)
{
	static const char *const iocs[] = { "ipv6:2001:db8::1",
		"ipv6:1:2:3:4:5:6:7:8", "ipv6:::ffff:0:1",
		"md5:d41d8cd98f00b204e9800998ecf8427e", "ipv4:1.2.3.4", NULL };
	static const struct {
		const char *line, *matched;
	} yes[] = {
		{ "12:30:d41d8cd98f00b204e9800998ecf8427e:1",
		    "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a:b:d41d8cd98f00b204e9800998ecf8427e",
		    "d41d8cd98f00b204e9800998ecf8427e" },
		{ "20:23:16:2001:db8::1", NULL },
		{ "t 20:23:16 2001:db8::1", "2001:db8::1" },
		{ "t=20:23:16,2001:db8::1", "2001:db8::1" },
		{ "x 1:2:3:4:5:6:7:8 y", "1:2:3:4:5:6:7:8" },
		{ "x 0001:0002:0003:0004:0005:0006:0007:0008 y",
		    "0001:0002:0003:0004:0005:0006:0007:0008" },
		{ "x 1:2:3:4:5:6:0.7.0.8 y", "1:2:3:4:5:6:0.7.0.8" },
		{ "x :1:2:3:4:5:6:7:8: y", "1:2:3:4:5:6:7:8" },
		{ "x ::ffff:0.0.0.1 y", "::ffff:0.0.0.1" },
		{ "x ::ffff:1.2.3.4 y", "::ffff:1.2.3.4" },
		{ "src:1.2.3.4:443", "1.2.3.4" },
	};
	struct fix f;
	char buf[1200];

	(void)state;
	fix_build(&f, iocs);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		size_t n = strlen(yes[i].line);

		expect_one(&f, yes[i].line, yes[i].matched);
		/* across the end of the first window */
		for (size_t a = 1024 - n - 2; a <= 1024 + 2; a++) {
			memset(buf, ' ', a);
			memcpy(buf + a, yes[i].line, n);
			memset(buf + a + n, ' ', 60);
			expect_one_at(&f, buf, a + n + 60, a, yes[i].matched);
		}
	}
	fix_free(&f);
}

/* ---- hashes ---- */

static void
test_hash(void **state)
{
	static const char *const iocs[] = {
		"md5:d41d8cd98f00b204e9800998ecf8427e",
		"sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"sha256:"
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
		"7852b855",
		NULL
	};
	struct fix f;
	char line[512];

	(void)state;
	fix_build(&f, iocs);
	expect_one(&f, "md5=d41d8cd98f00b204e9800998ecf8427e",
	    "d41d8cd98f00b204e9800998ecf8427e");
	expect_one(&f, "MD5=D41D8CD98F00B204E9800998ECF8427E,",
	    "D41D8CD98F00B204E9800998ECF8427E");
	expect_one(&f, "\"da39a3ee5e6b4b0d3255bfef95601890afd80709\"",
	    "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	expect_one(&f,
	    "SHA256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B"
	    "7852B855 x",
	    "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
	expect_one(&f, "/tmp/d41d8cd98f00b204e9800998ecf8427e.bin",
	    "d41d8cd98f00b204e9800998ecf8427e");
	/* inside longer hex runs, or a longer alphanumeric token */
	expect_one(&f, "0d41d8cd98f00b204e9800998ecf8427e", NULL);
	expect_one(&f, "d41d8cd98f00b204e9800998ecf8427e0", NULL);
	expect_one(&f, "xd41d8cd98f00b204e9800998ecf8427e", NULL);
	expect_one(&f,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    NULL);
	/* the MD5 is the first 32 digits of the SHA-1, not a hit */
	expect_one(&f, "da39a3ee5e6b4b0d3255bfef95601890", NULL);
	/* at every alignment */
	for (size_t k = 0; k < 40; k++) {
		memset(line, ' ', k);
		snprintf(line + k, sizeof(line) - k,
		    "d41d8cd98f00b204e9800998ecf8427e z");
		expect_one(&f, line, "d41d8cd98f00b204e9800998ecf8427e");
	}
	fix_free(&f);
}

/* ---- URLs ---- */

static void
test_url(void **state)
{
	static const char *const iocs[] = { "url:http://evil.se/a.exe",
		"url:https://bad.example/p?id=7", NULL };
	struct fix f;
	struct hits h;

	(void)state;
	fix_build(&f, iocs);
	expect_one(&f,
	    "1732738996.123 120 10.0.0.5 TCP_MISS/200 512 GET "
	    "http://evil.se/a.exe - HIER_DIRECT/1.2.3.4 application/x-exe",
	    "http://evil.se/a.exe");
	expect_one(&f, "GET HTTP://EVIL.SE:80/a.exe HTTP/1.1",
	    "HTTP://EVIL.SE:80/a.exe");
	expect_one(&f, "\"http://evil.se/%61.exe\"", "http://evil.se/%61.exe");
	/* an indicator without a query matches the URL with any query */
	expect_one(&f, "x http://evil.se/a.exe?x=1&y=2 y",
	    "http://evil.se/a.exe?x=1&y=2");
	expect_one(
	    &f, "<http://evil.se/a.exe#top>", "http://evil.se/a.exe#top");
	expect_one(&f, "see http://evil.se/a.exe.", "http://evil.se/a.exe");
	expect_one(&f, "(http://evil.se/a.exe)", "http://evil.se/a.exe");
	/* one with a query needs the same query */
	expect_one(
	    &f, "https://bad.example/p?id=7", "https://bad.example/p?id=7");
	expect_one(&f, "https://bad.example/p?id=8", NULL);
	expect_one(&f, "https://bad.example/p", NULL);
	expect_one(&f, "http://evil.se/a.exe2", NULL);
	expect_one(&f, "http://evil.se/b/a.exe", NULL);
	expect_one(&f, "https://evil.se/a.exe", NULL);
	expect_one(&f, "http://notevil.se/a.exe", NULL);
	assert_string_equal(scan(&h, &f, "a|http://evil.se/a.exe|b"),
	    "http://evil.se/a.exe@2+20;");
	fix_free(&f);
}

/* Hosts longer than the 16 bytes the host filter reads at a time, with
 * userinfo, a port, a query or a fragment after them. */
static void
test_url_long_host(void **state)
{
	static const char *const iocs[] = {
		"url:http://a-very-long-host-name.evil.se/x", NULL
	};
	static const char *const yes[] = {
		"http://A-VERY-LONG-HOST-NAME.EVIL.SE/x?q=1",
		"http://user:pw@a-very-long-host-name.evil.se/x",
		"http://a-very-long-host-name.evil.se:80/x",
		"http://a-very-long-host-name.evil.se/x#frag",
	};
	struct fix f;
	char line[128];

	(void)state;
	fix_build(&f, iocs);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(line, sizeof(line), "GET %s HTTP/1.1", yes[i]);
		expect_one(&f, line, yes[i]);
	}
	expect_one(
	    &f, "GET http://a-very-long-host-name.evil.se HTTP/1.1", NULL);
	expect_one(&f, "GET http://a-very-long-host-name.evil.sex/x", NULL);
	fix_free(&f);
}

static void
test_url_host_as_domain_and_ip(void **state)
{
	static const char *const iocs[] = { "url:http://evil.se/a.exe",
		"domain:evil.se", "ipv4:1.2.3.4", NULL };
	struct fix f;
	struct hits h;

	(void)state;
	fix_build(&f, iocs);
	assert_string_equal(scan(&h, &f, "GET http://evil.se/a.exe"),
	    "http://evil.se/a.exe@4+20;evil.se@11+7;");
	assert_string_equal(
	    scan(&h, &f, "GET http://1.2.3.4:8080/x"), "1.2.3.4@11+7;");
	fix_free(&f);
}

static void
test_url_long(void **state)
{
	static const char *const iocs[] = { "url:http://evil.se/a", NULL };
	struct fix f;
	struct hits h;
	size_t n = 20000;
	char *line = malloc(n + 1);

	(void)state;
	assert_non_null(line);
	fix_build(&f, iocs);
	/* longer than VK_NORM_URL_MAX: compared up to that length, so the
	 * query is cut but the path still matches */
	memcpy(line, "http://evil.se/a?q=", 19);
	memset(line + 19, 'x', n - 19);
	line[n] = '\0';
	scan_n(&h, &f, line, n);
	assert_int_equal(h.n, 1);
	fix_free(&f);
	free(line);
}

/* ---- e-mail ---- */

static void
test_email(void **state)
{
	static const char *const iocs[] = { "email:Bad.Actor@Evil.SE", NULL };
	static const char *const iocs2[] = { "email:bad.actor@evil.se",
		"domain:evil.se", NULL };
	struct fix f;
	struct hits h;

	(void)state;
	fix_build(&f, iocs);
	expect_one(&f, "from=<bad.actor@evil.se>", "bad.actor@evil.se");
	expect_one(&f, "BAD.ACTOR@EVIL.SE", "BAD.ACTOR@EVIL.SE");
	expect_one(&f, "mailto:bad.actor@evil.se.", "bad.actor@evil.se");
	expect_one(&f, "xbad.actor@evil.se", NULL);
	expect_one(&f, "bad.actor@evil.se.com", NULL);
	expect_one(&f, "bad.actor@mail.evil.se", NULL);
	expect_one(&f, "bad+actor@evil.se", NULL);
	fix_free(&f);
	fix_build(&f, iocs2);
	/* the domain part is also a domain occurrence */
	assert_string_equal(scan(&h, &f, "to bad.actor@evil.se"),
	    "bad.actor@evil.se@3+17;evil.se@13+7;");
	assert_string_equal(scan(&h, &f, "to x@evil.se"), "evil.se@5+7;");
	assert_string_equal(scan(&h, &f, "to x@mail.evil.se"), "evil.se@5+12;");
	fix_free(&f);
}

/* ---- set-level behaviour ---- */

static void
test_suppressed_and_filename(void **state)
{
	static const char *const iocs[] = { "domain:evil.se", "domain:ok.se",
		"filename:evil.exe", "ipv4:1.2.3.4", NULL };
	struct fix f;
	struct hits h;
	struct vk_ioc *ioc;

	(void)state;
	fix_build(&f, iocs);
	assert_int_equal(vk_matcher_count(f.m), 3);
	vk_matcher_free(f.m);
	/* suppress ok.se and rebuild */
	for (size_t i = 0; i < vk_ioc_set_count(f.set); i++) {
		ioc = vk_ioc_set_get_mut(f.set, i);
		if (strcmp(vk_ioc_value(ioc), "ok.se") == 0 ||
		    strcmp(vk_ioc_value(ioc), "1.2.3.4") == 0)
			ioc->allow = 1;
	}
	assert_int_equal(vk_matcher_build(f.set, &f.m), 0);
	assert_int_equal(vk_matcher_count(f.m), 1);
	assert_string_equal(
	    scan(&h, &f, "ok.se evil.exe 1.2.3.4 evil.se"), "evil.se@23+7;");
	fix_free(&f);
}

static void
test_same_key_many_feeds(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_matcher *m;
	struct fix f;
	struct hits h;
	uint32_t p1, p2, p3;
	struct vk_ioc_prov a = { .source = "a.txt" }, b = { .source = "b.txt" },
			   c = { .source = "c.txt" };

	(void)state;
	assert_non_null(set);
	assert_int_equal(vk_ioc_set_add_prov(set, &a, &p1), 0);
	assert_int_equal(vk_ioc_set_add_prov(set, &b, &p2), 0);
	assert_int_equal(vk_ioc_set_add_prov(set, &c, &p3), 0);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "evil.se", 7, p1, NULL, NULL),
	    0);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "EVIL.SE.", 8, p2, NULL, NULL),
	    0);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_DOMAIN, "evil[.]se", 9, p3, NULL, NULL),
	    0);
	assert_int_equal(vk_matcher_build(set, &m), 0);
	f.set = set;
	f.m = m;
	assert_string_equal(scan(&h, &f, "q evil.se"),
	    "evil.se@2+7;EVIL.SE.@2+7;evil[.]se@2+7;");
	fix_free(&f);
}

static void
test_twice_in_a_line(void **state)
{
	static const char *const iocs[] = { "domain:evil.se", "ipv4:1.2.3.4",
		"md5:d41d8cd98f00b204e9800998ecf8427e", NULL };
	struct fix f;
	struct hits h;

	(void)state;
	fix_build(&f, iocs);
	assert_string_equal(
	    scan(&h, &f, "evil.se then evil.se"), "evil.se@0+7;evil.se@13+7;");
	assert_string_equal(
	    scan(&h, &f, "1.2.3.4 -> 1.2.3.4"), "1.2.3.4@0+7;1.2.3.4@11+7;");
	assert_string_equal(scan(&h, &f,
				"d41d8cd98f00b204e9800998ecf8427e "
				"D41D8CD98F00B204E9800998ECF8427E"),
	    "d41d8cd98f00b204e9800998ecf8427e@0+32;"
	    "d41d8cd98f00b204e9800998ecf8427e@33+32;");
	fix_free(&f);
}

static void
test_callback_stops(void **state)
{
	static const char *const iocs[] = { "domain:evil.se", NULL };
	struct fix f;
	struct hits h;

	(void)state;
	fix_build(&f, iocs);
	memset(&h, 0, sizeof(h));
	h.f = &f;
	h.stop_after = 2;
	assert_int_equal(
	    vk_matcher_scan(f.m, "evil.se evil.se evil.se", 23, collect, &h),
	    7);
	assert_int_equal(h.n, 2);
	fix_free(&f);
}

static void
test_empty_set(void **state)
{
	static const char *const iocs[] = { NULL };
	struct fix f;
	struct hits h;

	(void)state;
	fix_build(&f, iocs);
	assert_int_equal(vk_matcher_count(f.m), 0);
	assert_string_equal(
	    scan(&h, &f, "evil.se 1.2.3.4 ::1 a@b.se http://x.se/"), "");
	fix_free(&f);
}

static void
test_hostile_lines(void **state)
{
	static const char *const iocs[] = { "domain:evil.se", "ipv4:1.2.3.4",
		"ipv6:2001:db8::1", "url:http://evil.se/a", "email:a@evil.se",
		"md5:d41d8cd98f00b204e9800998ecf8427e", NULL };
	static const char nul[] = "x\0evil.se\0001.2.3.4\0";
	struct fix f;
	struct hits h;
	size_t n = 5 << 20;
	char *big = malloc(n);
	static const char *const fill[] = { "a", "a.", "1.", "1.2.", ":",
		"::", "@", "(1)a", "%", "\xff", "aB3.", "0:", "0:1.", "1::2." };

	(void)state;
	assert_non_null(big);
	fix_build(&f, iocs);
	assert_string_equal(scan(&h, &f, ""), "");
	assert_string_equal(
	    scan_n(&h, &f, nul, sizeof(nul) - 1), "evil.se@2+7;1.2.3.4@10+7;");
	/* 5 MiB lines of repeated pieces, each with one hit at the end */
	for (size_t k = 0; k < sizeof(fill) / sizeof(fill[0]); k++) {
		size_t fl = strlen(fill[k]), i;
		const char *tail = " evil.se";

		for (i = 0; i + fl <= n; i += fl)
			memcpy(big + i, fill[k], fl);
		memset(big + i, ' ', n - i);
		memcpy(big + n - strlen(tail), tail, strlen(tail));
		scan_n(&h, &f, big, n);
		if (h.n != 1)
			fail_msg(
			    "fill %s: %zu hits: %.200s", fill[k], h.n, h.out);
	}
	fix_free(&f);
	free(big);
}

static int
count_hit(void *arg, const struct vk_match *m)
{
	size_t *c = arg;

	(void)m;
	(*c)++;
	return 0;
}

static void
test_many_hits_in_a_line(void **state)
{
	static const char *const iocs[] = { "domain:evil.se", NULL };
	struct fix f;
	size_t n = 5 << 20, cnt = 0;
	char *big = malloc(n);

	(void)state;
	assert_non_null(big);
	fix_build(&f, iocs);
	for (size_t i = 0; i + 8 <= n; i += 8)
		memcpy(big + i, "evil.se ", 8);
	assert_int_equal(vk_matcher_scan(f.m, big, n, count_hit, &cnt), 0);
	assert_int_equal(cnt, n / 8);
	fix_free(&f);
	free(big);
}

/* ---- scale: thousands of random indicators, planted ones still found */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void
test_many_random(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct fix f;
	struct hits h;
	uint32_t prov;
	struct vk_ioc_prov pv = { .source = "r" };
	char v[128];
	int r;

	(void)state;
	assert_non_null(set);
	assert_int_equal(vk_ioc_set_add_prov(set, &pv, &prov), 0);
	for (int i = 0; i < 20000; i++) {
		switch (i % 4) {
		case 0:
			r = snprintf(v, sizeof(v), "d%08x.x%03u.com", rnd(),
			    rnd() % 1000);
			break;
		case 1:
			r = snprintf(v, sizeof(v), "%u.%u.%u.%u",
			    rnd() % 223 + 1, rnd() % 256, rnd() % 256,
			    rnd() % 256);
			break;
		case 2:
			r = snprintf(v, sizeof(v), "%08x%08x%08x%08x", rnd(),
			    rnd(), rnd(), rnd());
			break;
		default:
			r = snprintf(v, sizeof(v), "%u.%u.%u.0/24",
			    rnd() % 223 + 1, rnd() % 256, rnd() % 256);
			break;
		}
		assert_true(r > 0);
		assert_int_equal(vk_ioc_set_add(set, VK_IOC_TYPE_MAX, v,
				     (size_t)r, prov, NULL, NULL),
		    0);
	}
	assert_int_equal(vk_ioc_set_add(set, VK_IOC_DOMAIN, "planted.se", 10,
			     prov, NULL, NULL),
	    0);
	assert_int_equal(vk_ioc_set_add(set, VK_IOC_IPV4, "203.0.113.9", 11,
			     prov, NULL, NULL),
	    0);
	f.set = set;
	assert_int_equal(vk_matcher_build(set, &f.m), 0);
	assert_string_equal(
	    scan(&h, &f, "a www.planted.se b 203.0.113.9 c notplanted.se"),
	    "planted.se@2+14;203.0.113.9@19+11;");
	/* every added indicator finds itself */
	for (size_t i = 0; i < vk_ioc_set_count(set); i += 97) {
		const struct vk_ioc *ioc = vk_ioc_set_get(set, i);
		char line[160];
		const char *t = vk_ioc_value(ioc);
		char *slash;

		snprintf(line, sizeof(line), "x %s y", t);
		if ((slash = strchr(line, '/')) != NULL)
			memcpy(slash, " y", 3);
		scan(&h, &f, line);
		if (h.n < 1)
			fail_msg("%s not found in '%s'", t, line);
	}
	fix_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_domain_suffix_chain),
		cmocka_unit_test(test_domain_idn),
		cmocka_unit_test(test_domain_nonascii_neighbours),
		cmocka_unit_test(test_windows_dns),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv4_cidr),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_ipv6_cidr),
		cmocka_unit_test(test_colon_runs),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_url_long_host),
		cmocka_unit_test(test_url_host_as_domain_and_ip),
		cmocka_unit_test(test_url_long),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_suppressed_and_filename),
		cmocka_unit_test(test_same_key_many_feeds),
		cmocka_unit_test(test_twice_in_a_line),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_empty_set),
		cmocka_unit_test(test_hostile_lines),
		cmocka_unit_test(test_many_hits_in_a_line),
		cmocka_unit_test(test_many_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
