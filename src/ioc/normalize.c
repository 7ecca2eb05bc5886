/*
 * normalize.c — indicator and log text to matching keys.
 *
 * Every rule here is stated in docs/matching.md ("Normalisation") and has a
 * test in tests/unit/test_normalize.c.  Nothing here allocates except the
 * conversion of non-ASCII domain names, which libidn2 does on the heap.
 */
#include "ioc/normalize.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <idn2.h>

#include "util/err.h"
#include "util/hex.h"
#include "util/sse2.h"

/* Longest input vk_norm_domain() hands to libidn2: UTF-8 of a 253-octet
 * A-label name cannot be longer than this. */
#define VK_IDN_IN_MAX 1024

static inline char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Case-insensitive: does in[i..len) start with the lower-case pattern p? */
static bool
has_at(const char *in, size_t len, size_t i, const char *p)
{
	size_t n = strlen(p), k;

	if (n > len - i)
		return false;
	for (k = 0; k < n; k++)
		if (lower(in[i + k]) != p[k])
			return false;
	return true;
}

/* A defanged scheme stands where a scheme can begin: at the start or after
 * a character that cannot be part of a scheme. */
static bool
scheme_start(const char *in, size_t i)
{
	char c;

	if (i == 0)
		return true;
	c = in[i - 1];
	return !(
	    is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.');
}

/* How many bytes at the start of in[0..len) are 16-byte chunks without a
 * '[', '(', '{' or "xp" (any case) that a refang could start at: the
 * caller looks at the rest byte by byte. */
static size_t
plain_prefix(const char *in, size_t len)
{
	size_t k = 0;
#if defined(__SSE2__)
	for (; k + 16 <= len; k += 16) {
		__m128i x =
		    _mm_loadu_si128((const __m128i *)(const void *)(in + k));
		__m128i lo = _mm_or_si128(x, _mm_set1_epi8(0x20));
		unsigned b = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('[')),
			_mm_cmpeq_epi8(x, _mm_set1_epi8('('))),
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('{'))));
		unsigned xm = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(lo, _mm_set1_epi8('x')));
		unsigned pm = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(lo, _mm_set1_epi8('p')));

		/* an 'x' in the chunk's last byte: its 'p' may follow */
		if (b != 0 || (xm & (pm >> 1)) != 0 || (xm & 0x8000) != 0)
			break;
	}
#endif
	(void)in;
	return k;
}

/* Bracketed forms and what they stand for (matched case-insensitively). */
static const struct {
	const char *from;
	const char *to;
} refang_tab[] = {
	{ "[://]", "://" },
	{ "[.]", "." },
	{ "(.)", "." },
	{ "{.}", "." },
	{ "[dot]", "." },
	{ "(dot)", "." },
	{ "[:]", ":" },
	{ "[@]", "@" },
	{ "[at]", "@" },
	{ "(at)", "@" },
};

int
vk_refang(const char *in, size_t len, char *out, size_t cap)
{
	size_t i = 0, o = 0, k;

	if (cap == 0)
		return VK_ETOOBIG;
	/* Most values are not defanged: nothing bracketed and no "xp" of
	 * hxxp/fxp.  Those are copied as they are. */
	k = plain_prefix(in, len);
	for (; k < len; k++) {
		char c = in[k];

		if (c == '[' || c == '(' || c == '{' ||
		    ((c | 0x20) == 'x' && k + 1 < len &&
			(in[k + 1] | 0x20) == 'p'))
			break;
	}
	if (k == len) {
		if (len >= cap)
			return VK_ETOOBIG;
		if (len > (size_t)INT32_MAX)
			return VK_ETOOBIG;
		memcpy(out, in, len);
		out[len] = '\0';
		return (int)len;
	}
	while (i < len) {
		const char *rep = NULL;
		size_t skip = 1, n;

		/* hxxp / fxp only as a scheme: followed by ":" or "s:" (or
		 * their bracketed forms), so that words merely containing
		 * the letters are left alone. */
		if ((lower(in[i]) == 'h' || lower(in[i]) == 'f') &&
		    scheme_start(in, i)) {
			size_t p = i;

			if (has_at(in, len, i, "hxxp")) {
				rep = "http";
				p += 4;
			} else if (has_at(in, len, i, "fxp")) {
				rep = "ftp";
				p += 3;
			}
			if (rep != NULL) {
				if (p < len && lower(in[p]) == 's') {
					rep = rep[0] == 'h' ? "https" : "ftps";
					p++;
				}
				if (p < len && (in[p] == ':' || in[p] == '['))
					skip = p - i;
				else
					rep = NULL;
			}
		}
		if (rep == NULL &&
		    (in[i] == '[' || in[i] == '(' || in[i] == '{')) {
			for (k = 0;
			     k < sizeof(refang_tab) / sizeof(refang_tab[0]);
			     k++) {
				if (has_at(in, len, i, refang_tab[k].from)) {
					rep = refang_tab[k].to;
					skip = strlen(refang_tab[k].from);
					break;
				}
			}
		}
		if (rep == NULL) {
			if (o + 1 >= cap)
				return VK_ETOOBIG;
			out[o++] = in[i];
			i++;
			continue;
		}
		n = strlen(rep);
		if (o + n >= cap)
			return VK_ETOOBIG;
		memcpy(out + o, rep, n);
		o += n;
		i += skip;
	}
	if (o > (size_t)INT32_MAX)
		return VK_ETOOBIG;
	out[o] = '\0';
	return (int)o;
}

/* Checks an ASCII, lower-cased name in place: labels 1..63 of
 * [a-z0-9-_], total <= 253, at least two labels, last label not all
 * digits. */
static int
check_domain(const char *s, size_t len)
{
	size_t i, lablen = 0, labels = 0;
	bool alldigit = true;

	if (len == 0 || len > 253)
		return VK_EINVAL;
	for (i = 0; i <= len; i++) {
		char c = i < len ? s[i] : '.';

		if (c == '.') {
			if (lablen == 0 || lablen > 63)
				return VK_EINVAL;
			labels++;
			if (i == len && alldigit)
				return VK_EINVAL;
			lablen = 0;
			alldigit = true;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-' ||
			c == '_'))
			return VK_EINVAL;
		if (!is_digit(c))
			alldigit = false;
		lablen++;
	}
	return labels >= 2 ? 0 : VK_EINVAL;
}

int
vk_norm_domain(const char *in, size_t len, char *out, size_t *outlen)
{
	size_t i;
	bool ascii = true;
	int r;

	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len == 0)
		return VK_EINVAL;
	for (i = 0; i < len; i++) {
		if ((unsigned char)in[i] >= 0x80)
			ascii = false;
		else if (in[i] == '\0')
			return VK_EINVAL;
	}
	if (ascii) {
		if (len > 253)
			return VK_EINVAL;
		for (i = 0; i < len; i++)
			out[i] = lower(in[i]);
	} else {
		char tmp[VK_IDN_IN_MAX + 1];
		uint8_t *a = NULL;

		if (len > VK_IDN_IN_MAX)
			return VK_EINVAL;
		memcpy(tmp, in, len);
		tmp[len] = '\0';
		/* Non-transitional first (IDNA2008 as UTS#46 says: "faß.de"
		 * stays "faß"); transitional as a fallback, as browsers do,
		 * for names non-transitional processing refuses. */
		r = idn2_lookup_u8((const uint8_t *)tmp, &a,
		    IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
		if (r != IDN2_OK) {
			idn2_free(a);
			a = NULL;
			r = idn2_lookup_u8((const uint8_t *)tmp, &a,
			    IDN2_TRANSITIONAL | IDN2_NFC_INPUT);
		}
		if (r != IDN2_OK || a == NULL) {
			idn2_free(a);
			return VK_EINVAL;
		}
		len = strlen((const char *)a);
		/* A full-width or ideographic full stop at the end maps to
		 * ".": the one trailing dot is dropped here as well. */
		if (len > 0 && a[len - 1] == '.')
			len--;
		if (len > 253) {
			idn2_free(a);
			return VK_EINVAL;
		}
		for (i = 0; i < len; i++)
			out[i] = lower((char)a[i]);
		idn2_free(a);
	}
	out[len] = '\0';
	if ((r = check_domain(out, len)) != 0) {
		out[0] = '\0';
		return r;
	}
	*outlen = len;
	return 0;
}

/* Strict dotted quad: four decimal parts 0..255, no leading zeros. */
static int
parse_ipv4(const char *s, size_t len, uint8_t a[4])
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t start = i;

		if (part > 0) {
			if (i >= len || s[i] != '.')
				return VK_EINVAL;
			start = ++i;
		}
		while (i < len && is_digit(s[i]) && i - start < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
		}
		if (i == start || i - start > 3 || v > 255)
			return VK_EINVAL;
		if (s[start] == '0' && i - start > 1)
			return VK_EINVAL;
		a[part] = (uint8_t)v;
	}
	return i == len ? 0 : VK_EINVAL;
}

static void
mask_addr(uint8_t addr[16], unsigned prefix, unsigned bits)
{
	unsigned i;

	for (i = prefix; i < bits; i++)
		addr[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
}

int
vk_norm_ip(const char *in, size_t len, enum vk_ioc_type *type, uint8_t addr[16],
    uint8_t *prefix)
{
	const char *slash;
	size_t alen, i;
	unsigned p = 0;
	bool has_prefix = false;
	uint8_t a[16];
	enum vk_ioc_type t;
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };

	if (len == 0 || len > 128 || memchr(in, '\0', len) != NULL)
		return VK_EINVAL;
	slash = memchr(in, '/', len);
	alen = slash ? (size_t)(slash - in) : len;
	if (slash != NULL) {
		size_t plen = len - alen - 1;

		if (plen == 0 || plen > 3)
			return VK_EINVAL;
		for (i = 0; i < plen; i++) {
			if (!is_digit(slash[1 + i]))
				return VK_EINVAL;
			p = p * 10 + (unsigned)(slash[1 + i] - '0');
		}
		has_prefix = true;
	}
	memset(a, 0, sizeof(a));
	if (memchr(in, ':', alen) != NULL) {
		char tmp[64];
		const char *s = in;
		const char *pct;
		size_t n = alen;

		if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
			s++;
			n -= 2;
		}
		if ((pct = memchr(s, '%', n)) != NULL) {
			/* The zone names the interface the address was
			 * seen on; it is not part of the address. */
			if ((size_t)(pct - s) + 1 == n)
				return VK_EINVAL;
			n = (size_t)(pct - s);
		}
		if (n == 0 || n >= sizeof(tmp))
			return VK_EINVAL;
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		if (inet_pton(AF_INET6, tmp, a) != 1)
			return VK_EINVAL;
		if (has_prefix && p > 128)
			return VK_EINVAL;
		if (!has_prefix)
			p = 128;
		if (memcmp(a, mapped, 12) == 0 && p >= 96) {
			memmove(a, a + 12, 4);
			memset(a + 4, 0, 12);
			p -= 96;
			t = VK_IOC_IPV4;
		} else {
			t = VK_IOC_IPV6;
		}
	} else {
		if (parse_ipv4(in, alen, a) != 0)
			return VK_EINVAL;
		if (has_prefix && p > 32)
			return VK_EINVAL;
		if (!has_prefix)
			p = 32;
		t = VK_IOC_IPV4;
	}
	mask_addr(a, p, t == VK_IOC_IPV4 ? 32 : 128);
	memcpy(addr, a, 16);
	*prefix = (uint8_t)p;
	*type = t;
	return 0;
}

void
vk_ip_format(
    enum vk_ioc_type type, const uint8_t addr[16], uint8_t prefix, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	unsigned full;

	if (type == VK_IOC_IPV4) {
		int i;

		full = 32;
		for (i = 0; i < 4; i++) {
			unsigned v = addr[i];

			if (i > 0)
				out[o++] = '.';
			if (v >= 100)
				out[o++] = (char)('0' + v / 100);
			if (v >= 10)
				out[o++] = (char)('0' + v / 10 % 10);
			out[o++] = (char)('0' + v % 10);
		}
	} else {
		unsigned w[8];
		int i, best = -1, bestlen = 0, run = -1, runlen = 0;

		full = 128;
		for (i = 0; i < 8; i++)
			w[i] = (unsigned)addr[2 * i] << 8 | addr[2 * i + 1];
		/* RFC 5952 4.2: the longest run of two or more zero
		 * groups becomes "::", the first if runs tie. */
		for (i = 0; i < 8; i++) {
			if (w[i] == 0) {
				if (run < 0) {
					run = i;
					runlen = 0;
				}
				runlen++;
				if (runlen > bestlen) {
					best = run;
					bestlen = runlen;
				}
			} else {
				run = -1;
			}
		}
		if (bestlen < 2)
			best = -1;
		for (i = 0; i < 8; i++) {
			int sh;
			bool started = false;

			if (i == best) {
				out[o++] = ':';
				out[o++] = ':';
				i += bestlen - 1;
				continue;
			}
			if (i > 0 && i != best + bestlen)
				out[o++] = ':';
			for (sh = 12; sh >= 0; sh -= 4) {
				unsigned d = (w[i] >> sh) & 0xf;

				if (d != 0 || started || sh == 0) {
					out[o++] = hex[d];
					started = true;
				}
			}
		}
	}
	if (prefix < full) {
		out[o++] = '/';
		if (prefix >= 100)
			out[o++] = (char)('0' + prefix / 100);
		if (prefix >= 10)
			out[o++] = (char)('0' + prefix / 10 % 10);
		out[o++] = (char)('0' + prefix % 10);
	}
	out[o] = '\0';
}

static bool
is_unreserved(unsigned char c)
{
	return is_alpha((char)c) || is_digit((char)c) || c == '-' || c == '.' ||
	    c == '_' || c == '~';
}

/* Appends n bytes; false when out (cap bytes, one kept for the NUL) is
 * full. */
static bool
put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
	if (n >= cap - *o)
		return false;
	memcpy(out + *o, s, n);
	*o += n;
	return true;
}

/* Path and query: %XX of an unreserved character decoded, other %xx
 * upper-cased, bytes that may not stand in a URL (controls, space,
 * non-ASCII, a '%' that starts no escape) percent-encoded so that both
 * spellings compare equal. */
static bool
put_pct(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[3];

		if (c == '%' && i + 2 < n && vk_hexval(s[i + 1]) >= 0 &&
		    vk_hexval(s[i + 2]) >= 0) {
			unsigned char v =
			    (unsigned char)(vk_hexval(s[i + 1]) * 16 +
				vk_hexval(s[i + 2]));

			if (is_unreserved(v)) {
				e[0] = (char)v;
				if (!put(out, cap, o, e, 1))
					return false;
			} else {
				e[0] = '%';
				e[1] = hex[v >> 4];
				e[2] = hex[v & 15];
				if (!put(out, cap, o, e, 3))
					return false;
			}
			i += 2;
		} else if (c <= 0x20 || c >= 0x7f || c == '%') {
			/* A '%' that starts no escape is a literal percent
			 * sign: written as %25, so that the key of a key is
			 * itself. */
			e[0] = '%';
			e[1] = hex[c >> 4];
			e[2] = hex[c & 15];
			if (!put(out, cap, o, e, 3))
				return false;
		} else {
			e[0] = (char)c;
			if (!put(out, cap, o, e, 1))
				return false;
		}
	}
	return true;
}

static unsigned
default_port(const char *scheme, size_t n)
{
	if (n == 4 && memcmp(scheme, "http", 4) == 0)
		return 80;
	if (n == 5 && memcmp(scheme, "https", 5) == 0)
		return 443;
	if (n == 3 && memcmp(scheme, "ftp", 3) == 0)
		return 21;
	return 0;
}

int
vk_norm_url(const char *in, size_t len, char *out, size_t cap, size_t *outlen,
    size_t *host_off, size_t *host_len)
{
	size_t i, slen, auth, aend, hs, he, hoff, hlen, o = 0, ps, pe;
	unsigned port = 0;
	bool has_port = false;
	char host[VK_NORM_DOMAIN_MAX];
	size_t hn;
	char num[8];
	int r;

	if (cap == 0)
		return VK_ETOOBIG;
	if (len == 0 || !is_alpha(in[0]))
		return VK_EINVAL;
	for (i = 1; i < len; i++) {
		char c = in[i];

		if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-' ||
			c == '.'))
			break;
	}
	slen = i;
	if (len - slen < 3 || memcmp(in + slen, "://", 3) != 0)
		return VK_EINVAL;
	auth = slen + 3;
	for (aend = auth; aend < len; aend++)
		if (in[aend] == '/' || in[aend] == '?' || in[aend] == '#')
			break;
	/* Credentials in a URL do not identify the resource: dropped. */
	hs = auth;
	for (i = auth; i < aend; i++)
		if (in[i] == '@')
			hs = i + 1;
	if (hs < aend && in[hs] == '[') {
		const char *rb = memchr(in + hs, ']', aend - hs);

		if (rb == NULL)
			return VK_EINVAL;
		he = (size_t)(rb - in) + 1;
	} else {
		for (he = hs; he < aend && in[he] != ':'; he++)
			;
	}
	if (he < aend) {
		if (in[he] != ':')
			return VK_EINVAL;
		/* An empty port is the default port (RFC 3986 6.2.3). */
		for (i = he + 1; i < aend; i++) {
			if (!is_digit(in[i]))
				return VK_EINVAL;
			port = port * 10 + (unsigned)(in[i] - '0');
			if (port > 65535)
				return VK_EINVAL;
			has_port = true;
		}
	}
	if (he == hs)
		return VK_EINVAL;

	for (i = 0; i < slen; i++) {
		char c = lower(in[i]);

		if (!put(out, cap, &o, &c, 1))
			return VK_ETOOBIG;
	}
	if (!put(out, cap, &o, "://", 3))
		return VK_ETOOBIG;
	if (in[hs] == '[') {
		enum vk_ioc_type t;
		uint8_t a[16], p;

		if (memchr(in + hs, '/', he - hs) != NULL ||
		    memchr(in + hs, ':', he - hs) == NULL ||
		    vk_norm_ip(in + hs, he - hs, &t, a, &p) != 0)
			return VK_EINVAL;
		vk_ip_format(t, a, p, host);
		hn = strlen(host);
		/* An IPv4-mapped address is written as the IPv4 host it
		 * stands for, without brackets. */
		if (t == VK_IOC_IPV6 && !put(out, cap, &o, "[", 1))
			return VK_ETOOBIG;
		hoff = o;
		if (!put(out, cap, &o, host, hn) ||
		    (t == VK_IOC_IPV6 && !put(out, cap, &o, "]", 1)))
			return VK_ETOOBIG;
		hlen = hn;
	} else {
		enum vk_ioc_type t;
		uint8_t a[16], p;

		if (memchr(in + hs, '/', he - hs) == NULL &&
		    vk_norm_ip(in + hs, he - hs, &t, a, &p) == 0 &&
		    t == VK_IOC_IPV4) {
			vk_ip_format(t, a, p, host);
			hn = strlen(host);
		} else if ((r = vk_norm_domain(in + hs, he - hs, host, &hn)) !=
		    0) {
			return r;
		}
		hoff = o;
		if (!put(out, cap, &o, host, hn))
			return VK_ETOOBIG;
		hlen = hn;
	}
	if (has_port && port != default_port(out, slen)) {
		int k = snprintf(num, sizeof(num), ":%u", port);

		if (k < 0 || (size_t)k >= sizeof(num) ||
		    !put(out, cap, &o, num, (size_t)k))
			return VK_ETOOBIG;
	}
	ps = aend;
	for (pe = ps; pe < len && in[pe] != '#'; pe++)
		;
	if (ps == pe || in[ps] != '/') {
		if (!put(out, cap, &o, "/", 1))
			return VK_ETOOBIG;
	}
	if (!put_pct(out, cap, &o, in + ps, pe - ps))
		return VK_ETOOBIG;
	out[o] = '\0';
	*outlen = o;
	if (host_off)
		*host_off = hoff;
	if (host_len)
		*host_len = hlen;
	return 0;
}

/* RFC 5322 atext, without the UTF-8 extension of RFC 6531. */
static bool
is_atext(char c)
{
	return is_alpha(c) || is_digit(c) ||
	    (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

int
vk_norm_email(const char *in, size_t len, char *out, size_t cap, size_t *outlen)
{
	const char *at;
	size_t llen, i, dn;
	char dom[VK_NORM_DOMAIN_MAX];
	int r;

	if (len == 0 || (at = memchr(in, '@', len)) == NULL)
		return VK_EINVAL;
	llen = (size_t)(at - in);
	if (llen == 0 || llen > 64 || memchr(at + 1, '@', len - llen - 1))
		return VK_EINVAL;
	/* Dot-atom only: no leading, trailing or doubled dot; quoted local
	 * parts are refused. */
	if (in[0] == '.' || in[llen - 1] == '.')
		return VK_EINVAL;
	for (i = 0; i < llen; i++) {
		if (in[i] == '.') {
			if (in[i + 1] == '.')
				return VK_EINVAL;
		} else if (!is_atext(in[i])) {
			return VK_EINVAL;
		}
	}
	if ((r = vk_norm_domain(at + 1, len - llen - 1, dom, &dn)) != 0)
		return r;
	if (llen + 1 + dn >= cap)
		return VK_ETOOBIG;
	for (i = 0; i < llen; i++)
		out[i] = lower(in[i]);
	out[llen] = '@';
	memcpy(out + llen + 1, dom, dn);
	out[llen + 1 + dn] = '\0';
	*outlen = llen + 1 + dn;
	return 0;
}

int
vk_norm_hash(const char *in, size_t len, enum vk_ioc_type *type, char *out)
{
	size_t i;
	enum vk_ioc_type t;

	switch (len) {
	case 32:
		t = VK_IOC_MD5;
		break;
	case 40:
		t = VK_IOC_SHA1;
		break;
	case 64:
		t = VK_IOC_SHA256;
		break;
	case 128:
		t = VK_IOC_SHA512;
		break;
	default:
		return VK_EINVAL;
	}
#if defined(__SSE2__)
	/* 16 at a time (len >= 32; the last 16 overlap): every byte a hex
	 * digit, and | 0x20 lower-cases them all (digits have that bit). */
	for (i = 0; i < len; i += 16) {
		size_t k = i + 16 <= len ? i : len - 16;
		__m128i x =
		    _mm_loadu_si128((const __m128i *)(const void *)(in + k));

		if (_mm_movemask_epi8(vk_sse2_hex(x)) != 0xffff)
			return VK_EINVAL;
		_mm_storeu_si128((__m128i *)(void *)(out + k),
		    _mm_or_si128(x, _mm_set1_epi8(0x20)));
	}
#else
	for (i = 0; i < len; i++)
		if (vk_hexval(in[i]) < 0)
			return VK_EINVAL;
	for (i = 0; i < len; i++)
		out[i] = lower(in[i]);
#endif
	out[len] = '\0';
	*type = t;
	return 0;
}

int
vk_ioc_detect_norm(const char *in, size_t len, enum vk_ioc_type *type,
    char *out, size_t cap, size_t *outlen, uint8_t addr[16], uint8_t *prefix)
{
	const char *colon, *c;
	enum vk_ioc_type t;
	size_t i;

	if (len == 0)
		return VK_EINVAL;
	/* A URL: "://" at the first ':' or '/' of the first 64 bytes. */
	i = len < 64 ? len : 64;
	if ((colon = memchr(in, ':', len)) != NULL && (size_t)(colon - in) < i)
		i = (size_t)(colon - in);
	if ((c = memchr(in, '/', i)) != NULL)
		i = (size_t)(c - in);
	if (len - i >= 3 && memcmp(in + i, "://", 3) == 0) {
		if (vk_norm_url(in, len, out, cap, outlen, NULL, NULL) != 0)
			return VK_EINVAL;
		*type = VK_IOC_URL;
		return 0;
	}
	if (memchr(in, '@', len) != NULL) {
		if (vk_norm_email(in, len, out, cap, outlen) != 0)
			return VK_EINVAL;
		*type = VK_IOC_EMAIL;
		return 0;
	}
	/* An address without ':' is a dotted quad: a digit first. */
	if ((is_digit(in[0]) || colon != NULL) &&
	    vk_norm_ip(in, len, &t, addr, prefix) == 0) {
		vk_ip_format(t, addr, *prefix, out);
		*outlen = strlen(out);
		*type = t;
		return 0;
	}
	if (vk_norm_hash(in, len, &t, out) == 0) {
		*outlen = len;
		*type = t;
		return 0;
	}
	if (vk_norm_domain(in, len, out, outlen) == 0) {
		*type = VK_IOC_DOMAIN;
		return 0;
	}
	return VK_EINVAL;
}

int
vk_ioc_detect_type(const char *in, size_t len, enum vk_ioc_type *type)
{
	char buf[VK_NORM_URL_MAX];
	size_t n;
	uint8_t a[16], p;

	return vk_ioc_detect_norm(in, len, type, buf, sizeof(buf), &n, a, &p);
}
