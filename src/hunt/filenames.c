/*
 * filenames.c — plain file names in a hash table, Loki regexes compiled
 * once.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "hunt/filenames.h"
#include "util/err.h"

#define FN_MAX 4096 /* longest indicator kept (PATH_MAX) */

struct plain {
	char *dirs; /* lowered, '/'-separated directory part, or NULL */
	size_t dirs_len;
	char *base; /* lowered base name */
	size_t base_len;
	uint64_t hash;
	uint32_t ioc;
};

struct loki {
	pcre2_code *re;
	pcre2_code *fp; /* or NULL */
	uint32_t ioc;
};

struct vk_fnidx {
	struct plain *plain; /* open addressing on base name, cap power of 2 */
	size_t plain_cap, plain_n;
	struct loki *loki;
	size_t loki_n, loki_cap;
};

struct vk_fnscan {
	const struct vk_fnidx *idx;
	pcre2_match_data *md;
	char low[FN_MAX + 1];
	char win[FN_MAX + 1]; /* the path with '\\' for '/' */
};

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static uint64_t
hash_lower(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ lower((unsigned char)s[i])) * 1099511628211ull;
	return h;
}

static int
is_sep(char c)
{
	return c == '/' || c == '\\';
}

int
vk_fnidx_new(struct vk_fnidx **out)
{
	struct vk_fnidx *idx;

	*out = NULL;
	if ((idx = calloc(1, sizeof(*idx))) == NULL)
		return VK_ENOMEM;
	idx->plain_cap = 64;
	if ((idx->plain = calloc(idx->plain_cap, sizeof(*idx->plain))) ==
	    NULL) {
		free(idx);
		return VK_ENOMEM;
	}
	*out = idx;
	return 0;
}

void
vk_fnidx_free(struct vk_fnidx *idx)
{
	size_t i;

	if (idx == NULL)
		return;
	for (i = 0; i < idx->plain_cap; i++) {
		free(idx->plain[i].base);
		free(idx->plain[i].dirs);
	}
	for (i = 0; i < idx->loki_n; i++) {
		pcre2_code_free(idx->loki[i].re);
		pcre2_code_free(idx->loki[i].fp);
	}
	free(idx->plain);
	free(idx->loki);
	free(idx);
}

size_t
vk_fnidx_count(const struct vk_fnidx *idx)
{
	return idx->plain_n + idx->loki_n;
}

/*
 * Splits a Loki line "regex;score[;fp-regex]": the first ';' followed by
 * digits and then the end or another ';'.  Returns 1 when it is one.
 */
static int
loki_split(const char *v, size_t len, size_t *re_len, size_t *fp_off)
{
	size_t i, j;

	for (i = 0; i < len; i++) {
		if (v[i] != ';')
			continue;
		for (j = i + 1; j < len && v[j] >= '0' && v[j] <= '9'; j++)
			;
		if (j == i + 1 || j - i > 4)
			continue;
		if (j == len || v[j] == ';') {
			*re_len = i;
			*fp_off = j < len ? j + 1 : len;
			return 1;
		}
	}
	return 0;
}

static int
compile(const char *p, size_t n, pcre2_code **out, const char *where,
    struct vk_diag *d)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE eoff;
	int ec;

	*out = pcre2_compile((PCRE2_SPTR)p, n,
	    PCRE2_CASELESS | PCRE2_NO_UTF_CHECK, &ec, &eoff, NULL);
	if (*out == NULL) {
		if (pcre2_get_error_message(ec, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		vk_diag_error(d, where,
		    "file-name regex /%.*s/ does not compile at offset %zu: "
		    "%s; fix or remove it",
		    (int)(n > 200 ? 200 : n), p, (size_t)eoff, (char *)msg);
		return VK_EINVAL;
	}
	/* JIT is an optimisation; without it (no executable memory) the
	 * interpreter gives the same answers. */
	(void)pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
	return 0;
}

static int
add_loki(struct vk_fnidx *idx, const char *v, size_t re_len, const char *fpv,
    size_t fp_len, uint32_t ioc, const char *where, struct vk_diag *d)
{
	struct loki l = { .ioc = ioc }, *nv;
	size_t ncap;
	int r;

	if ((r = compile(v, re_len, &l.re, where, d)) != 0)
		return r;
	if (fp_len > 0 && (r = compile(fpv, fp_len, &l.fp, where, d)) != 0) {
		pcre2_code_free(l.re);
		return r;
	}
	if (idx->loki_n == idx->loki_cap) {
		ncap = idx->loki_cap ? 2 * idx->loki_cap : 16;
		if ((nv = realloc(idx->loki, ncap * sizeof(*nv))) == NULL) {
			pcre2_code_free(l.re);
			pcre2_code_free(l.fp);
			return VK_ENOMEM;
		}
		idx->loki = nv;
		idx->loki_cap = ncap;
	}
	idx->loki[idx->loki_n++] = l;
	return 0;
}

static void
plain_insert(struct plain *v, size_t cap, const struct plain *p)
{
	size_t i = (size_t)p->hash & (cap - 1);

	while (v[i].base != NULL)
		i = (i + 1) & (cap - 1);
	v[i] = *p;
}

static char *
lower_dup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		p[i] = s[i] == '\\' ? '/' : (char)lower((unsigned char)s[i]);
	p[n] = '\0';
	return p;
}

static int
add_plain(struct vk_fnidx *idx, const char *v, size_t len, uint32_t ioc)
{
	struct plain p = { .ioc = ioc }, *nv;
	size_t b = len, ncap, i;

	while (b > 0 && !is_sep(v[b - 1]))
		b--;
	if (b == len)
		return VK_EINVAL; /* "dir/" names no file */
	if ((idx->plain_n + 1) * 2 > idx->plain_cap) {
		ncap = idx->plain_cap * 2;
		if ((nv = calloc(ncap, sizeof(*nv))) == NULL)
			return VK_ENOMEM;
		for (i = 0; i < idx->plain_cap; i++)
			if (idx->plain[i].base != NULL)
				plain_insert(nv, ncap, &idx->plain[i]);
		free(idx->plain);
		idx->plain = nv;
		idx->plain_cap = ncap;
	}
	if ((p.base = lower_dup(v + b, len - b)) == NULL)
		return VK_ENOMEM;
	p.base_len = len - b;
	if (b > 0) {
		/* "C:\Temp\x.exe": the drive letter cannot appear in a path
		 * on this system; the directories after it can. */
		i = (b >= 2 && v[1] == ':') ? 2 : 0;
		if ((p.dirs = lower_dup(v + i, b - i)) == NULL) {
			free(p.base);
			return VK_ENOMEM;
		}
		p.dirs_len = b - i;
	}
	p.hash = hash_lower(v + b, len - b);
	plain_insert(idx->plain, idx->plain_cap, &p);
	idx->plain_n++;
	return 0;
}

int
vk_fnidx_add_regex(struct vk_fnidx *idx, const char *re, size_t re_len,
    const char *fp, size_t fp_len, uint32_t ioc, const char *where,
    struct vk_diag *d)
{
	if (re_len == 0 || re_len > FN_MAX || fp_len > FN_MAX)
		return VK_EINVAL;
	return add_loki(
	    idx, re, re_len, fp ? fp : "", fp ? fp_len : 0, ioc, where, d);
}

int
vk_fnidx_add(struct vk_fnidx *idx, const char *value, size_t len, uint32_t ioc,
    const char *where, struct vk_diag *d)
{
	size_t re_len, fp_off;
	int r;

	if (len == 0 || len > FN_MAX)
		return VK_EINVAL;
	if (loki_split(value, len, &re_len, &fp_off)) {
		if (re_len == 0)
			return VK_EINVAL;
		return add_loki(idx, value, re_len, value + fp_off,
		    len - fp_off, ioc, where, d);
	}
	r = add_plain(idx, value, len, ioc);
	if (r == VK_EINVAL)
		vk_diag_warn(d, where,
		    "file-name indicator \"%.*s\" ends with a directory "
		    "separator and names no file; it is ignored",
		    (int)(len > 200 ? 200 : len), value);
	return r;
}

int
vk_fnidx_build(
    const struct vk_ioc_set *set, struct vk_diag *d, struct vk_fnidx **out)
{
	struct vk_fnidx *idx = NULL;
	const struct vk_ioc *ioc;
	const char *value, *fp, *where;
	char wbuf[VK_IOC_WHERE_MAX];
	size_t i, n;
	int r;

	*out = NULL;
	if ((r = vk_fnidx_new(&idx)) != 0)
		return r;
	n = vk_ioc_set_count(set);
	for (i = 0; i < n; i++) {
		ioc = vk_ioc_set_get(set, i);
		if (ioc->type != VK_IOC_FILENAME || ioc->allow != 0)
			continue;
		value = vk_ioc_value(ioc);
		fp = vk_ioc_fn_fp_regex(ioc);
		where = vk_ioc_where(set, ioc, wbuf, sizeof(wbuf));
		if (ioc->fn_regex)
			r = vk_fnidx_add_regex(idx, value, strlen(value), fp,
			    fp ? strlen(fp) : 0, (uint32_t)i, where, d);
		else
			r = vk_fnidx_add(
			    idx, value, strlen(value), (uint32_t)i, where, d);
		if (r == VK_ENOMEM) {
			vk_fnidx_free(idx);
			return r;
		}
		/* VK_EINVAL: already named in d; the rest still count. */
	}
	*out = idx;
	return 0;
}

int
vk_fnscan_new(const struct vk_fnidx *idx, struct vk_fnscan **out)
{
	struct vk_fnscan *s;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return VK_ENOMEM;
	s->idx = idx;
	if ((s->md = pcre2_match_data_create(1, NULL)) == NULL) {
		free(s);
		return VK_ENOMEM;
	}
	*out = s;
	return 0;
}

void
vk_fnscan_free(struct vk_fnscan *s)
{
	if (s == NULL)
		return;
	pcre2_match_data_free(s->md);
	free(s);
}

static int
re_match(struct vk_fnscan *s, const pcre2_code *re, const char *p, size_t n)
{
	return pcre2_match(re, (PCRE2_SPTR)p, n, 0, PCRE2_NO_UTF_CHECK, s->md,
		   NULL) >= 0;
}

int
vk_fnscan_path(struct vk_fnscan *s, const char *path, size_t len,
    vk_fn_hit_fn fn, void *arg)
{
	const struct vk_fnidx *idx = s->idx;
	const struct plain *p;
	size_t b = len, i, dl, pl;
	bool win;
	uint64_t h;
	int r;

	while (b > 0 && path[b - 1] == '/')
		b--;
	len = b;
	while (b > 0 && path[b - 1] != '/')
		b--;
	if (idx->plain_n > 0 && len > b && len <= FN_MAX) {
		for (i = 0; i < len; i++)
			s->low[i] = (char)lower((unsigned char)path[i]);
		pl = len - b;
		h = hash_lower(path + b, pl);
		for (i = (size_t)h & (idx->plain_cap - 1);
		     idx->plain[i].base != NULL;
		     i = (i + 1) & (idx->plain_cap - 1)) {
			p = &idx->plain[i];
			if (p->hash != h || p->base_len != pl ||
			    memcmp(p->base, s->low + b, pl) != 0)
				continue;
			if (p->dirs != NULL) {
				dl = p->dirs_len;
				/* dirs ends with '/', so the component end
				 * is aligned; its start must be too. */
				if (dl > b ||
				    memcmp(p->dirs, s->low + b - dl, dl) != 0)
					continue;
				if (p->dirs[0] != '/' && b - dl > 0 &&
				    s->low[b - dl - 1] != '/')
					continue;
			}
			if ((r = fn(arg, p->ioc)) != 0)
				return r;
		}
	}
	/* Loki's regexes are written for Windows paths ("\\\\Temp\\\\"):
	 * a share mounted here has '/' where they expect '\\', so the path
	 * is tried both ways. */
	win = len <= FN_MAX && memchr(path, '/', len) != NULL;
	for (i = 0; win && i < len; i++)
		s->win[i] = path[i] == '/' ? '\\' : path[i];
	for (i = 0; i < idx->loki_n; i++) {
		if (!re_match(s, idx->loki[i].re, path, len) &&
		    !(win && re_match(s, idx->loki[i].re, s->win, len)))
			continue;
		if (idx->loki[i].fp != NULL &&
		    (re_match(s, idx->loki[i].fp, path, len) ||
			(win && re_match(s, idx->loki[i].fp, s->win, len))))
			continue;
		if ((r = fn(arg, idx->loki[i].ioc)) != 0)
			return r;
	}
	return 0;
}
