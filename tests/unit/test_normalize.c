/*
 * test_normalize.c — every normalisation rule of docs/matching.md, line by
 * line: domains, IDN, addresses and ranges, URLs, e-mail, hashes,
 * defanging and type detection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ioc/normalize.h"
#include "util/err.h"

/* Macros rather than functions so that a failure names the test's line. */
#define DOM_OK(in, want) \
	do { \
		char o_[VK_NORM_DOMAIN_MAX]; \
		size_t n_ = 999; \
		assert_int_equal( \
		    vk_norm_domain((in), strlen(in), o_, &n_), 0); \
		assert_string_equal(o_, (want)); \
		assert_int_equal(n_, strlen(want)); \
	} while (0)
#define DOM_BAD(in) \
	do { \
		char o_[VK_NORM_DOMAIN_MAX]; \
		size_t n_ = 999; \
		assert_int_equal( \
		    vk_norm_domain((in), strlen(in), o_, &n_), VK_EINVAL); \
		assert_int_equal(n_, 999); \
	} while (0)
#define IP_OK(in, wtype, want) \
	do { \
		enum vk_ioc_type t_; \
		uint8_t a_[16], p_; \
		char o_[64]; \
		assert_int_equal( \
		    vk_norm_ip((in), strlen(in), &t_, a_, &p_), 0); \
		assert_int_equal(t_, (wtype)); \
		vk_ip_format(t_, a_, p_, o_); \
		assert_string_equal(o_, (want)); \
	} while (0)
#define IP_BAD(in) \
	do { \
		enum vk_ioc_type t_; \
		uint8_t a_[16], p_; \
		assert_int_equal( \
		    vk_norm_ip((in), strlen(in), &t_, a_, &p_), VK_EINVAL); \
	} while (0)
#define URL_OK(in, want) \
	do { \
		char o_[VK_NORM_URL_MAX]; \
		size_t n_; \
		assert_int_equal(vk_norm_url((in), strlen(in), o_, sizeof(o_), \
				     &n_, NULL, NULL), \
		    0); \
		assert_string_equal(o_, (want)); \
		assert_int_equal(n_, strlen(want)); \
	} while (0)
#define URL_BAD(in) \
	do { \
		char o_[VK_NORM_URL_MAX]; \
		size_t n_; \
		assert_int_equal(vk_norm_url((in), strlen(in), o_, sizeof(o_), \
				     &n_, NULL, NULL), \
		    VK_EINVAL); \
	} while (0)
#define MAIL_OK(in, want) \
	do { \
		char o_[512]; \
		size_t n_; \
		assert_int_equal( \
		    vk_norm_email((in), strlen(in), o_, sizeof(o_), &n_), 0); \
		assert_string_equal(o_, (want)); \
		assert_int_equal(n_, strlen(want)); \
	} while (0)
#define MAIL_BAD(in) \
	do { \
		char o_[512]; \
		size_t n_; \
		assert_int_equal( \
		    vk_norm_email((in), strlen(in), o_, sizeof(o_), &n_), \
		    VK_EINVAL); \
	} while (0)
#define REFANG(in, want) \
	do { \
		char o_[256]; \
		assert_int_equal(vk_refang((in), strlen(in), o_, sizeof(o_)), \
		    (int)strlen(want)); \
		assert_string_equal(o_, (want)); \
	} while (0)
#define DETECT(in, want) \
	do { \
		enum vk_ioc_type t_ = VK_IOC_TYPE_MAX; \
		assert_int_equal( \
		    vk_ioc_detect_type((in), strlen(in), &t_), 0); \
		assert_int_equal(t_, (want)); \
	} while (0)
#define DETECT_BAD(in) \
	do { \
		enum vk_ioc_type t_; \
		assert_int_equal( \
		    vk_ioc_detect_type((in), strlen(in), &t_), VK_EINVAL); \
	} while (0)

static void
test_domain_case_and_dot(void **state)
{
	(void)state;
	DOM_OK("evil.se", "evil.se");
	DOM_OK("EVIL.SE", "evil.se");
	DOM_OK("Evil.Se", "evil.se");
	DOM_OK("evil.se.", "evil.se");
	DOM_OK("a.b.evil.se", "a.b.evil.se");
	DOM_OK("_dmarc.evil.se", "_dmarc.evil.se");
	DOM_OK("x-1.evil-se.com", "x-1.evil-se.com");
	DOM_OK("1.2.3.com", "1.2.3.com");
	DOM_OK("1.2.3.4a", "1.2.3.4a");
	/* Only one trailing dot is dropped. */
	DOM_BAD("evil.se..");
	DOM_BAD(".");
	DOM_BAD("");
}

static void
test_domain_labels(void **state)
{
	char big[300];

	(void)state;
	DOM_BAD("evil");
	DOM_BAD("evil.");
	DOM_BAD(".evil.se");
	DOM_BAD("a..b");
	DOM_BAD("a.b..");
	DOM_BAD("evil .se");
	DOM_BAD("evil/se.com");
	DOM_BAD("evil.se:80");
	DOM_BAD("ev*l.se");
	DOM_BAD("user@evil.se");
	/* An all-numeric last label is an address, not a name. */
	DOM_BAD("1.2.3.4");
	DOM_BAD("evil.123");
	/* Label of 63 characters is fine, 64 is not. */
	memset(big, 'a', 63);
	memcpy(big + 63, ".se", 4);
	DOM_OK(big, big);
	memset(big, 'a', 64);
	memcpy(big + 64, ".se", 4);
	DOM_BAD(big);
	/* 253 characters in all is fine, 254 is not. */
	for (size_t i = 0; i < 253; i++)
		big[i] = (i % 2) ? '.' : 'a';
	big[252] = 'b';
	big[253] = '\0';
	DOM_OK(big, big);
	big[253] = '.';
	big[254] = 'c';
	big[255] = '\0';
	DOM_BAD(big);
	{
		char o[VK_NORM_DOMAIN_MAX];
		size_t n;

		/* An embedded NUL is refused, not cut at. */
		assert_int_equal(
		    vk_norm_domain("evil.se\0x", 9, o, &n), VK_EINVAL);
		assert_int_equal(vk_norm_domain("evil.se", 7, o, &n), 0);
		assert_int_equal(n, 7);
	}
}

static void
test_domain_idn(void **state)
{
	(void)state;
	DOM_OK("räksmörgås.se", "xn--rksmrgs-5wao1o.se");
	DOM_OK("RÄKSMÖRGÅS.SE", "xn--rksmrgs-5wao1o.se");
	DOM_OK("xn--rksmrgs-5wao1o.se", "xn--rksmrgs-5wao1o.se");
	DOM_OK("XN--RKSMRGS-5WAO1O.SE", "xn--rksmrgs-5wao1o.se");
	DOM_OK("räksmörgås.se.", "xn--rksmrgs-5wao1o.se");
	DOM_OK("münchen.de", "xn--mnchen-3ya.de");
	DOM_OK("www.münchen.de", "www.xn--mnchen-3ya.de");
	/* Non-transitional: ß stays ß. */
	DOM_OK("faß.de", "xn--fa-hia.de");
	/* Ideographic full stops are label separators. */
	DOM_OK("a\xe3\x80\x82"
	       "b\xe3\x80\x82"
	       "ä",
	    "a.b.xn--4ca");
	/* So are full-width ones. */
	DOM_OK("a\xef\xbc\x8e"
	       "b\xef\xbc\x8e"
	       "se",
	    "a.b.se");
	DOM_BAD("ä..se");
	DOM_BAD("räksmörgås");
	/* Invalid UTF-8. */
	DOM_BAD("r\xe4ksm\xf6rg\xe5s.se");
	DOM_BAD("\xff\xfe.se");
}

static void
test_ipv4(void **state)
{
	(void)state;
	IP_OK("1.2.3.4", VK_IOC_IPV4, "1.2.3.4");
	IP_OK("0.0.0.0", VK_IOC_IPV4, "0.0.0.0");
	IP_OK("255.255.255.255", VK_IOC_IPV4, "255.255.255.255");
	IP_OK("10.20.30.40", VK_IOC_IPV4, "10.20.30.40");
	IP_OK("1.2.3.4/32", VK_IOC_IPV4, "1.2.3.4");
	IP_OK("1.2.3.4/24", VK_IOC_IPV4, "1.2.3.0/24");
	IP_OK("1.2.3.255/25", VK_IOC_IPV4, "1.2.3.128/25");
	IP_OK("192.168.255.1/16", VK_IOC_IPV4, "192.168.0.0/16");
	IP_OK("1.2.3.4/0", VK_IOC_IPV4, "0.0.0.0/0");
	IP_OK("1.2.3.4/8", VK_IOC_IPV4, "1.0.0.0/8");
	/* Leading zeros could be octal: refused. */
	IP_BAD("01.2.3.4");
	IP_BAD("1.2.3.04");
	IP_BAD("1.2.3.00");
	IP_BAD("256.1.1.1");
	IP_BAD("1.2.3.256");
	IP_BAD("1.2.3");
	IP_BAD("1.2.3.4.5");
	IP_BAD("1.2.3.");
	IP_BAD(".1.2.3");
	IP_BAD("1..2.3");
	IP_BAD("1.2.3.4 ");
	IP_BAD(" 1.2.3.4");
	IP_BAD("1.2.3.1234");
	IP_BAD("0x1.2.3.4");
	IP_BAD("16909060");
	IP_BAD("");
	IP_BAD("1.2.3.4/33");
	IP_BAD("1.2.3.4/-1");
	IP_BAD("1.2.3.4/+8");
	IP_BAD("1.2.3.4/abc");
	IP_BAD("1.2.3.4/");
	IP_BAD("1.2.3.4/1000");
	IP_BAD("1.2.3.4/24/8");
	IP_BAD("[1.2.3.4]");
	{
		enum vk_ioc_type t;
		uint8_t a[16], p;

		assert_int_equal(
		    vk_norm_ip("1.2.3.4\0", 8, &t, a, &p), VK_EINVAL);
		assert_int_equal(vk_norm_ip("1.2.3.4/24", 10, &t, a, &p), 0);
		assert_int_equal(p, 24);
		assert_memory_equal(a, "\x01\x02\x03\x00", 4);
	}
}

static void
test_ipv6(void **state)
{
	(void)state;
	IP_OK("2001:db8::1", VK_IOC_IPV6, "2001:db8::1");
	IP_OK("2001:0db8:0000:0000:0000:0000:0000:0001", VK_IOC_IPV6,
	    "2001:db8::1");
	IP_OK("2001:DB8:0:0::1", VK_IOC_IPV6, "2001:db8::1");
	IP_OK("::", VK_IOC_IPV6, "::");
	IP_OK("::1", VK_IOC_IPV6, "::1");
	IP_OK("::2", VK_IOC_IPV6, "::2");
	IP_OK("1::", VK_IOC_IPV6, "1::");
	/* RFC 5952: longest run compressed, the first of equal runs, a
	 * single zero group never. */
	IP_OK("1:0:0:2:0:0:0:3", VK_IOC_IPV6, "1:0:0:2::3");
	IP_OK("1:0:0:2:0:0:3:4", VK_IOC_IPV6, "1::2:0:0:3:4");
	IP_OK("1:0:2:3:4:5:6:7", VK_IOC_IPV6, "1:0:2:3:4:5:6:7");
	IP_OK("2001:db8:0:0:1:0:0:1", VK_IOC_IPV6, "2001:db8::1:0:0:1");
	IP_OK("[2001:db8::1]", VK_IOC_IPV6, "2001:db8::1");
	IP_OK("fe80::1%eth0", VK_IOC_IPV6, "fe80::1");
	IP_OK("[fe80::1%25eth0]", VK_IOC_IPV6, "fe80::1");
	IP_OK("2001:db8::/32", VK_IOC_IPV6, "2001:db8::/32");
	IP_OK("2001:db8:ffff::1/32", VK_IOC_IPV6, "2001:db8::/32");
	IP_OK("2001:db8::1/128", VK_IOC_IPV6, "2001:db8::1");
	IP_OK("2001:db8::1/127", VK_IOC_IPV6, "2001:db8::/127");
	/* IPv4-mapped addresses are IPv4. */
	IP_OK("::ffff:1.2.3.4", VK_IOC_IPV4, "1.2.3.4");
	IP_OK("::FFFF:102:304", VK_IOC_IPV4, "1.2.3.4");
	IP_OK("::ffff:1.2.3.4/120", VK_IOC_IPV4, "1.2.3.0/24");
	IP_OK("::ffff:0:0/96", VK_IOC_IPV4, "0.0.0.0/0");
	IP_OK("::ffff:0:0/95", VK_IOC_IPV6, "::fffe:0:0/95");
	/* The NAT64 prefix is a different network: stays IPv6. */
	IP_OK("64:ff9b::1.2.3.4", VK_IOC_IPV6, "64:ff9b::102:304");
	IP_OK("::1.2.3.4", VK_IOC_IPV6, "::102:304");
	IP_BAD("2001:db8::1/129");
	IP_BAD("2001:db8::1/-1");
	IP_BAD("2001:db8::1/abc");
	IP_BAD("2001:db8:::1");
	IP_BAD("2001:db8::1::2");
	IP_BAD("1:2:3:4:5:6:7:8:9");
	IP_BAD("12345::1");
	IP_BAD("g::1");
	IP_BAD("fe80::1%");
	IP_BAD("[2001:db8::1");
	IP_BAD("::ffff:01.2.3.4");
	IP_BAD(":");
}

static void
test_url(void **state)
{
	(void)state;
	URL_OK("HTTP://Evil.SE:80/%7Euser/a%2fb", "http://evil.se/~user/a%2Fb");
	URL_OK("http://evil.se", "http://evil.se/");
	URL_OK("http://evil.se/", "http://evil.se/");
	URL_OK("https://evil.se:443/x", "https://evil.se/x");
	URL_OK("https://evil.se:80/x", "https://evil.se:80/x");
	URL_OK("http://evil.se:443/x", "http://evil.se:443/x");
	URL_OK("http://evil.se:8080/x", "http://evil.se:8080/x");
	URL_OK("http://evil.se:08080/x", "http://evil.se:8080/x");
	URL_OK("ftp://evil.se:21/f", "ftp://evil.se/f");
	URL_OK("http://evil.se:/x", "http://evil.se/x");
	URL_OK("http://evil.se/a#frag", "http://evil.se/a");
	URL_OK("http://evil.se#frag", "http://evil.se/");
	URL_OK("http://evil.se?q=1", "http://evil.se/?q=1");
	URL_OK("http://evil.se/p?Q=%41%2f&x#f", "http://evil.se/p?Q=A%2F&x");
	URL_OK("http://evil.se/Path/CASE", "http://evil.se/Path/CASE");
	/* Dot segments are not resolved. */
	URL_OK("http://evil.se/a/../b/./c", "http://evil.se/a/../b/./c");
	URL_OK("http://evil.se/%zz%4", "http://evil.se/%25zz%254");
	URL_OK("http://evil.se/%%41f", "http://evil.se/%25Af");
	URL_OK("http://evil.se/%25Af", "http://evil.se/%25Af");
	URL_OK("http://evil.se/a b", "http://evil.se/a%20b");
	URL_OK("http://evil.se/ä", "http://evil.se/%C3%A4");
	URL_OK("http://evil.se/%c3%a4", "http://evil.se/%C3%A4");
	URL_OK("http://user:pass@evil.se/x", "http://evil.se/x");
	URL_OK("http://a@b@evil.se/x", "http://evil.se/x");
	URL_OK("http://räksmörgås.se/", "http://xn--rksmrgs-5wao1o.se/");
	URL_OK("http://evil.se./", "http://evil.se/");
	URL_OK("http://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/");
	URL_OK("http://[2001:0db8::0001]/", "http://[2001:db8::1]/");
	/* An IPv4-mapped host is the IPv4 host. */
	URL_OK("http://[::ffff:1.2.3.4]/", "http://1.2.3.4/");
	URL_OK("http://1.2.3.4/x", "http://1.2.3.4/x");
	URL_OK("http://1.2.3.4:80/x", "http://1.2.3.4/x");
	URL_OK("HXXP://x.evil.se/", "hxxp://x.evil.se/");
	URL_OK("svn+ssh://evil.se/r", "svn+ssh://evil.se/r");
	URL_BAD("evil.se/x");
	URL_BAD("http:/evil.se/");
	URL_BAD("http//evil.se/");
	URL_BAD("://evil.se/");
	URL_BAD("1http://evil.se/");
	URL_BAD("ht tp://evil.se/");
	URL_BAD("http:///x");
	URL_BAD("http://evil.se:65536/");
	URL_BAD("http://evil.se:8a/");
	URL_BAD("http://evil.se:-1/");
	URL_BAD("http://[2001:db8::1/");
	URL_BAD("http://[2001:db8::1]x/");
	URL_BAD("http://[1.2.3.4]/");
	URL_BAD("http://localhost/");
	URL_BAD("http://01.2.3.4/");
	URL_BAD("http://ev il.se/");
	URL_BAD("http://user@/");
	{
		char o[64];
		size_t n, hoff, hlen;

		assert_int_equal(vk_norm_url("http://[2001:DB8::1]:8/", 23, o,
				     sizeof(o), &n, &hoff, &hlen),
		    0);
		assert_int_equal(hlen, 11);
		assert_memory_equal(o + hoff, "2001:db8::1", 11);
		assert_int_equal(vk_norm_url("https://u@EVIL.se:1/", 20, o,
				     sizeof(o), &n, &hoff, &hlen),
		    0);
		assert_string_equal(o, "https://evil.se:1/");
		assert_int_equal(hoff, 8);
		assert_int_equal(hlen, 7);
		/* Too small an output buffer is VK_ETOOBIG. */
		assert_int_equal(vk_norm_url("http://evil.se/abc", 18, o, 18,
				     &n, NULL, NULL),
		    VK_ETOOBIG);
		assert_int_equal(vk_norm_url("http://evil.se/abc", 18, o, 19,
				     &n, NULL, NULL),
		    0);
	}
}

static void
test_email(void **state)
{
	(void)state;
	MAIL_OK("user@evil.se", "user@evil.se");
	MAIL_OK("User.Name@EVIL.SE", "user.name@evil.se");
	MAIL_OK("a+tag@evil.se.", "a+tag@evil.se");
	MAIL_OK("x!#$%&'*+-/=?^_`{|}~@evil.se", "x!#$%&'*+-/=?^_`{|}~@evil.se");
	MAIL_OK("kalle@räksmörgås.se", "kalle@xn--rksmrgs-5wao1o.se");
	MAIL_BAD("\"quoted\"@evil.se");
	MAIL_BAD("\"a b\"@evil.se");
	MAIL_BAD("a@b@evil.se");
	MAIL_BAD("@evil.se");
	MAIL_BAD("user@");
	MAIL_BAD("user");
	MAIL_BAD(".user@evil.se");
	MAIL_BAD("user.@evil.se");
	MAIL_BAD("us..er@evil.se");
	MAIL_BAD("us er@evil.se");
	MAIL_BAD("us(er@evil.se");
	MAIL_BAD("user@evil");
	MAIL_BAD("user@1.2.3.4");
	MAIL_BAD("user@[1.2.3.4]");
	MAIL_BAD("åsa@evil.se");
	MAIL_BAD("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaa@evil.se");
	MAIL_OK("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaa@evil.se",
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaa@evil.se");
}

static void
test_hash(void **state)
{
	char o[129];
	enum vk_ioc_type t;
	char h[130];

	(void)state;
	assert_int_equal(
	    vk_norm_hash("D41D8CD98F00B204E9800998ECF8427E", 32, &t, o), 0);
	assert_int_equal(t, VK_IOC_MD5);
	assert_string_equal(o, "d41d8cd98f00b204e9800998ecf8427e");
	memset(h, 'A', sizeof(h));
	assert_int_equal(vk_norm_hash(h, 40, &t, o), 0);
	assert_int_equal(t, VK_IOC_SHA1);
	assert_int_equal(strlen(o), 40);
	assert_int_equal(o[0], 'a');
	assert_int_equal(vk_norm_hash(h, 64, &t, o), 0);
	assert_int_equal(t, VK_IOC_SHA256);
	assert_int_equal(vk_norm_hash(h, 128, &t, o), 0);
	assert_int_equal(t, VK_IOC_SHA512);
	assert_int_equal(strlen(o), 128);
	assert_int_equal(vk_norm_hash(h, 31, &t, o), VK_EINVAL);
	assert_int_equal(vk_norm_hash(h, 33, &t, o), VK_EINVAL);
	assert_int_equal(vk_norm_hash(h, 63, &t, o), VK_EINVAL);
	assert_int_equal(vk_norm_hash(h, 0, &t, o), VK_EINVAL);
	assert_int_equal(vk_norm_hash(h, 129, &t, o), VK_EINVAL);
	h[5] = 'g';
	assert_int_equal(vk_norm_hash(h, 32, &t, o), VK_EINVAL);
	h[5] = ' ';
	assert_int_equal(vk_norm_hash(h, 32, &t, o), VK_EINVAL);
	h[5] = '\0';
	assert_int_equal(vk_norm_hash(h, 32, &t, o), VK_EINVAL);
	/* A bad byte at every position of each length (the check runs 16
	 * bytes at a time, the last 16 overlapping), and every case of every
	 * digit where it is fine. */
	{
		static const size_t lens[] = { 32, 40, 64, 128 };
		static const char bad[] = { 'g', 'G', '/', ':', '@', '`', 0x7f,
			(char)0xc1, '\0' };
		static const char hexd[] = "0123456789abcdefABCDEF";

		for (size_t l = 0; l < 4; l++) {
			for (size_t p = 0; p < lens[l]; p++) {
				memset(h, 'c', sizeof(h));
				h[p] = bad[p % sizeof(bad)];
				assert_int_equal(
				    vk_norm_hash(h, lens[l], &t, o), VK_EINVAL);
				h[p] = hexd[p % (sizeof(hexd) - 1)];
				assert_int_equal(
				    vk_norm_hash(h, lens[l], &t, o), 0);
				assert_int_equal(o[p],
				    h[p] >= 'A' && h[p] <= 'F' ? h[p] + 32
							       : h[p]);
				assert_int_equal(o[lens[l]], '\0');
			}
		}
	}
}

static void
test_refang(void **state)
{
	char o[8];

	(void)state;
	REFANG("hxxp://evil[.]se/", "http://evil.se/");
	REFANG("hxxps://evil[.]se/", "https://evil.se/");
	REFANG("HXXPS://evil[.]se/", "https://evil.se/");
	REFANG("hXXp://evil.se/", "http://evil.se/");
	REFANG("fxp://evil.se/", "ftp://evil.se/");
	REFANG("fxps://evil.se/", "ftps://evil.se/");
	REFANG("FXP://evil.se/", "ftp://evil.se/");
	REFANG("hxxp[:]//evil.se", "http://evil.se");
	REFANG("hxxp[://]evil.se", "http://evil.se");
	REFANG("evil[.]se", "evil.se");
	REFANG("evil(.)se", "evil.se");
	REFANG("evil{.}se", "evil.se");
	REFANG("evil[dot]se", "evil.se");
	REFANG("evil[DOT]se", "evil.se");
	REFANG("evil(dot)se", "evil.se");
	REFANG("1[.]2[.]3[.]4", "1.2.3.4");
	REFANG("2001[:]db8[:][:]1", "2001:db8::1");
	REFANG("user[@]evil.se", "user@evil.se");
	REFANG("user[at]evil.se", "user@evil.se");
	REFANG("user[AT]evil.se", "user@evil.se");
	REFANG("user(at)evil.se", "user@evil.se");
	/* Left alone: words that merely contain the letters, unfinished
	 * brackets, other brackets. */
	REFANG("hxxpd.se", "hxxpd.se");
	REFANG("xhxxp://a.se", "xhxxp://a.se");
	REFANG("fxpro.com", "fxpro.com");
	REFANG("evil[.se", "evil[.se");
	REFANG("evil[x]se", "evil[x]se");
	REFANG("plain.se", "plain.se");
	REFANG("", "");
	/* Long values are looked at 16 bytes at a time first: a defanged
	 * form in a later chunk, and "xp" across two chunks. */
	REFANG("0123456789abcdef0123456789ab[.]se",
	    "0123456789abcdef0123456789ab.se");
	REFANG("0123456789ab hxxp://evil.se", "0123456789ab http://evil.se");
	REFANG(
	    "0123456789abc hXXps[:]//evil.se", "0123456789abc https://evil.se");
	REFANG(
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* Output must fit with its NUL. */
	assert_int_equal(vk_refang("abcdefgh", 8, o, 8), VK_ETOOBIG);
	assert_int_equal(vk_refang("abcdefg", 7, o, 8), 7);
	assert_int_equal(vk_refang("a[.]bcdefg", 10, o, 8), VK_ETOOBIG);
	assert_int_equal(vk_refang("a[.]bcdef", 9, o, 8), 7);
	assert_string_equal(o, "a.bcdef");
	assert_int_equal(vk_refang("a", 1, o, 0), VK_ETOOBIG);
}

static void
test_detect(void **state)
{
	(void)state;
	DETECT("evil.se", VK_IOC_DOMAIN);
	DETECT("EVIL.SE.", VK_IOC_DOMAIN);
	DETECT("räksmörgås.se", VK_IOC_DOMAIN);
	DETECT("1.2.3.4", VK_IOC_IPV4);
	DETECT("1.2.3.0/24", VK_IOC_IPV4);
	DETECT("2001:db8::1", VK_IOC_IPV6);
	DETECT("2001:db8::/32", VK_IOC_IPV6);
	DETECT("::ffff:1.2.3.4", VK_IOC_IPV4);
	DETECT("http://evil.se/x", VK_IOC_URL);
	DETECT("HTTPS://[2001:db8::1]/", VK_IOC_URL);
	DETECT("user@evil.se", VK_IOC_EMAIL);
	DETECT("d41d8cd98f00b204e9800998ecf8427e", VK_IOC_MD5);
	DETECT("da39a3ee5e6b4b0d3255bfef95601890afd80709", VK_IOC_SHA1);
	DETECT("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B"
	       "855",
	    VK_IOC_SHA256);
	DETECT(
	    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9"
	    "ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da"
	    "3e",
	    VK_IOC_SHA512);
	DETECT_BAD("");
	DETECT_BAD("evil");
	DETECT_BAD("01.2.3.4");
	DETECT_BAD("1.2.3.4/33");
	DETECT_BAD("d41d8cd98f00b204e9800998ecf8427");
	DETECT_BAD("http://");
	DETECT_BAD("a@b@c.se");
	DETECT_BAD("evil.se/path");
	DETECT_BAD("hello world");
	DETECT_BAD("evil[.]se");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domain_case_and_dot),
		cmocka_unit_test(test_domain_labels),
		cmocka_unit_test(test_domain_idn),
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_refang),
		cmocka_unit_test(test_detect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
