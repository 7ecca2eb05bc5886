/*
 * fuzz_match.c — the line matcher over hostile bytes.
 *
 * One matcher (built once) over indicators of every type; each input is
 * scanned as one line, again split at newlines, and as a buffer of lines
 * (vk_matcher_scan_lines, which must find what the lines one by one give).  Every hit must lie
 * inside the line and hits must come in order of offset.  The block
 * scanners for other instruction sets (VAKSAM_MATCH_ISA=scalar, sse2, avx2)
 * must report exactly the same hits as the best one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hunt/match.h"
#include "ioc/ioc.h"

static const char *const iocs[] = { "evil.se", "a.evil.se",
	"xn--rksmrgs-5wao1o.se", "bad-domain.example", "1.2.3.4", "10.1.0.0/16",
	"0.0.0.0/1", "2001:db8::1", "2001:db8:aa::/48", "fe80::/10",
	"http://evil.se/a.exe", "https://bad.example/p?id=7",
	"Bad.Actor@Evil.SE", "d41d8cd98f00b204e9800998ecf8427e",
	"da39a3ee5e6b4b0d3255bfef95601890afd80709",
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d1"
	"3c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
	NULL };

#define NISA 4
#define MAXHITS 256

static struct vk_ioc_set *set;
static struct vk_matcher *matcher;
static struct vk_matcher *other[NISA - 1]; /* scalar, sse2, avx2 */

struct check {
	size_t len;
	size_t last;
	size_t n;
	struct vk_match hit[MAXHITS];
};

static int
on_hit(void *arg, const struct vk_match *m)
{
	struct check *c = arg;

	if (m->off > c->len || m->len > c->len - m->off || m->len == 0)
		abort();
	if (c->n > 0 && m->off < c->last)
		abort();
	if (m->ioc >= vk_ioc_set_count(set))
		abort();
	c->last = m->off;
	if (c->n < MAXHITS)
		c->hit[c->n] = *m;
	c->n++;
	return 0;
}

static void
setup(void)
{
	uint32_t prov;
	struct vk_ioc_prov pv = { .source = "fuzz" };

	if ((set = vk_ioc_set_new()) == NULL ||
	    vk_ioc_set_add_prov(set, &pv, &prov) != 0)
		abort();
	for (const char *const *v = iocs; *v != NULL; v++)
		if (vk_ioc_set_add(set, VK_IOC_TYPE_MAX, *v, strlen(*v), prov,
			NULL, NULL) != 0)
			abort();
	if (vk_matcher_build(set, &matcher) != 0)
		abort();
	/* The ISA is read when a matcher is built. */
	if (setenv("VAKSAM_MATCH_ISA", "scalar", 1) != 0 ||
	    vk_matcher_build(set, &other[0]) != 0 ||
	    setenv("VAKSAM_MATCH_ISA", "sse2", 1) != 0 ||
	    vk_matcher_build(set, &other[1]) != 0 ||
	    setenv("VAKSAM_MATCH_ISA", "avx2", 1) != 0 ||
	    vk_matcher_build(set, &other[2]) != 0 ||
	    unsetenv("VAKSAM_MATCH_ISA") != 0)
		abort();
}

static void
scan(const char *p, size_t n)
{
	static struct check c, o;

	memset(&c, 0, sizeof(c));
	c.len = n;
	(void)vk_matcher_scan(matcher, p, n, on_hit, &c);
	for (size_t k = 0; k < NISA - 1; k++) {
		memset(&o, 0, sizeof(o));
		o.len = n;
		(void)vk_matcher_scan(other[k], p, n, on_hit, &o);
		if (o.n != c.n)
			abort();
		for (size_t h = 0; h < c.n && h < MAXHITS; h++)
			if (o.hit[h].ioc != c.hit[h].ioc ||
			    o.hit[h].off != c.hit[h].off ||
			    o.hit[h].len != c.hit[h].len)
				abort();
	}
}

/* The whole input as a buffer of lines: every scanner must report what
 * the scalar one does, which scans it line by line. */
static void
scan_lines(const char *p, size_t n)
{
	static struct check c, o;
	struct vk_matcher *ms[NISA] = { other[0], other[1], other[2], matcher };

	memset(&c, 0, sizeof(c));
	c.len = n;
	(void)vk_matcher_scan_lines(ms[0], p, n, on_hit, &c);
	for (size_t k = 1; k < NISA; k++) {
		memset(&o, 0, sizeof(o));
		o.len = n;
		(void)vk_matcher_scan_lines(ms[k], p, n, on_hit, &o);
		if (o.n != c.n)
			abort();
		for (size_t h = 0; h < c.n && h < MAXHITS; h++)
			if (o.hit[h].ioc != c.hit[h].ioc ||
			    o.hit[h].off != c.hit[h].off ||
			    o.hit[h].len != c.hit[h].len)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy;
	size_t s = 0;

	if (matcher == NULL)
		setup();
	/* An exact-size copy, so that reads past the end are caught. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	scan(copy, size);
	scan_lines(copy, size);
	for (size_t i = 0; i <= size; i++)
		if (i == size || copy[i] == '\n') {
			scan(copy + s, i - s);
			s = i + 1;
		}
	free(copy);
	return 0;
}
