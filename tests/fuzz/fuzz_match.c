/*
 * fuzz_match.c — the line matcher over hostile bytes.
 *
 * One matcher (built once) over indicators of every type; each input is
 * scanned as one line and again split at newlines.  Every hit must lie
 * inside the line, hits must come in order of offset, and the matched text
 * of an IPv4, hash or domain hit must hold what the type promises.
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

static struct vk_ioc_set *set;
static struct vk_matcher *matcher;

struct check {
	size_t len;
	size_t last;
	size_t n;
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
}

static void
scan(const char *p, size_t n)
{
	struct check c = { .len = n };

	(void)vk_matcher_scan(matcher, p, n, on_hit, &c);
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
	for (size_t i = 0; i <= size; i++)
		if (i == size || copy[i] == '\n') {
			scan(copy + s, i - s);
			s = i + 1;
		}
	free(copy);
	return 0;
}
