/*
 * i18n.c — a reader of embedded GNU .mo catalogues.
 */
#include "web/i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"
#include "web/embed.h"

struct pair {
	const char *id;
	const char *str;
};

static struct pair *cat[VK_LANG_MAX];
static size_t ncat[VK_LANG_MAX];

static uint32_t
rd32(const unsigned char *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	if (swap)
		v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) |
		    (v << 24);
	return v;
}

static int
cmp_pair(const void *a, const void *b)
{
	return strcmp(
	    ((const struct pair *)a)->id, ((const struct pair *)b)->id);
}

/* Parses one .mo image; the strings point into the (NUL-ended) data. */
static int
load_mo(const struct vk_embed *e, struct pair **out, size_t *nout)
{
	const unsigned char *d = e->data;
	uint32_t magic, n, oo, to, i;
	struct pair *v;
	int swap;

	if (e->len < 28)
		return VK_EPARSE;
	memcpy(&magic, d, 4);
	if (magic == 0x950412de)
		swap = 0;
	else if (magic == 0xde120495)
		swap = 1;
	else
		return VK_EPARSE;
	n = rd32(d + 8, swap);
	oo = rd32(d + 12, swap);
	to = rd32(d + 16, swap);
	if (n > e->len / 16 || oo > e->len - 8ull * n || to > e->len - 8ull * n)
		return VK_EPARSE;
	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return VK_ENOMEM;
	for (i = 0; i < n; i++) {
		uint32_t ol = rd32(d + oo + 8 * i, swap),
			 op = rd32(d + oo + 8 * i + 4, swap),
			 tl = rd32(d + to + 8 * i, swap),
			 tp = rd32(d + to + 8 * i + 4, swap);

		/* Each string must end with its NUL inside the image. */
		if (op >= e->len || ol >= e->len - op || d[op + ol] != 0 ||
		    tp >= e->len || tl >= e->len - tp || d[tp + tl] != 0) {
			free(v);
			return VK_EPARSE;
		}
		v[i].id = (const char *)d + op;
		v[i].str = (const char *)d + tp;
	}
	qsort(v, n, sizeof(*v), cmp_pair);
	*out = v;
	*nout = n;
	return 0;
}

int
vk_i18n_init(void)
{
	const struct vk_embed *e;
	int r;

	if (cat[VK_LANG_SV])
		return 0;
	if ((e = vk_embed_find("mo/sv")) == NULL)
		return VK_ENOTFOUND;
	if ((r = load_mo(e, &cat[VK_LANG_SV], &ncat[VK_LANG_SV])) != 0)
		return r;
	return 0;
}

void
vk_i18n_free(void)
{
	int i;

	for (i = 0; i < VK_LANG_MAX; i++) {
		free(cat[i]);
		cat[i] = NULL;
		ncat[i] = 0;
	}
}

const char *
vk_tr(enum vk_lang lang, const char *msgid)
{
	struct pair key = { msgid, NULL }, *hit;

	if ((unsigned)lang >= VK_LANG_MAX || cat[lang] == NULL)
		return msgid;
	hit = bsearch(&key, cat[lang], ncat[lang], sizeof(key), cmp_pair);
	if (hit == NULL || hit->str[0] == '\0')
		return msgid;
	return hit->str;
}

int
vk_i18n_lang_tag(const char *code)
{
	if (code == NULL)
		return -1;
	if (strncasecmp(code, "sv", 2) == 0 &&
	    (code[2] == '\0' || code[2] == '-' || code[2] == '_'))
		return VK_LANG_SV;
	if (strncasecmp(code, "en", 2) == 0 &&
	    (code[2] == '\0' || code[2] == '-' || code[2] == '_'))
		return VK_LANG_EN;
	return -1;
}

int
vk_lang_from_accept(const char *h)
{
	int best = -1;
	double best_q = 0;

	/* "en-GB,en;q=0.9,sv;q=0.8": the known language with the highest
	 * q (1 when not given); the earlier one wins a tie. */
	while (h && *h) {
		char tag[16];
		size_t n = 0;
		double q = 1;
		int l = -1;

		while (*h == ' ' || *h == ',')
			h++;
		while (h[n] && h[n] != ',' && h[n] != ';' && h[n] != ' ')
			n++;
		if (n > 0 && n < sizeof(tag)) {
			memcpy(tag, h, n);
			tag[n] = '\0';
			l = vk_i18n_lang_tag(tag);
		}
		h += n;
		while (*h && *h != ',') {
			if (strncmp(h, "q=", 2) == 0) {
				char *end;

				q = strtod(h + 2, &end);
				if (end == h + 2 || q < 0 || q > 1)
					q = 0;
				h = end;
				continue;
			}
			h++;
		}
		if (l >= 0 && q > best_q) {
			best = l;
			best_q = q;
		}
	}
	return best;
}
