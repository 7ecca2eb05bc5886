/*
 * set.c — the indicator set: indicators, their strings and provenance,
 * with duplicate detection in O(1) per add.
 *
 * Strings live in one arena (util/arena.h) and never move; indicators in
 * a growable array (pointers into it are invalidated by adds, as ioc.h
 * says); duplicates are found through an open-addressing hash table of
 * indicator indices keyed by (type, normalised value, provenance).
 */
#include "ioc/ioc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ioc/normalize.h"
#include "util/arena.h"
#include "util/err.h"

_Static_assert(sizeof(void *) != 8 || sizeof(struct vk_ioc) == 24,
    "struct vk_ioc is meant to take 24 bytes");

/* Longest indicator value accepted (ioc.h). */
#define VK_IOC_VALUE_MAX (64 * 1024)
/* A normalised URL may be three times its input (percent-encoding). */
#define VK_IOC_NORM_MAX (3 * VK_IOC_VALUE_MAX + 16)

/* A slot of the duplicate table is 32 bits: 1 + the indicator's index in
 * the bits the table's mask covers (0 = empty; the table is kept at least
 * twice as large as the set, so the index fits) and the key hash's bits
 * above the mask as a quick compare.  The home slot is the hash's low
 * bits; growing and removing recompute it from the indicator. */
#define RING 16 /* prefetch distance of the key table's insertions */

struct vk_ioc_set {
	struct vk_arena arena;
	struct vk_ioc *v;
	size_t n, cap;
	struct vk_ioc_prov *prov;
	size_t nprov, provcap;
	uint32_t *tab;
	size_t tabcap; /* a power of two, or 0 */
	/* A bit per key hash (seen_bit()) of every indicator in tab or
	 * pend: a clear bit means "new" without a look into tab, whose
	 * millions of slots miss the cache.  New indicators then go into
	 * tab RING adds later (pend), their slots prefetched meanwhile. */
	uint64_t *seen;
	unsigned seenshift;
	struct {
		uint32_t h, i;
	} pend[RING];
	unsigned pend_head, npend;
	size_t by_type[VK_IOC_TYPE_MAX];
	char *refang; /* VK_IOC_VALUE_MAX + 1 */
	char *norm; /* VK_IOC_NORM_MAX */
	const struct vk_ioc_more *last_more; /* shared by the next adds when
					      * equal */
	bool frozen; /* vk_ioc_set_freeze(): read-only */
};

static const char *const type_names[VK_IOC_TYPE_MAX] = {
	[VK_IOC_DOMAIN] = "domain",
	[VK_IOC_IPV4] = "ipv4",
	[VK_IOC_IPV6] = "ipv6",
	[VK_IOC_URL] = "url",
	[VK_IOC_EMAIL] = "email",
	[VK_IOC_MD5] = "md5",
	[VK_IOC_SHA1] = "sha1",
	[VK_IOC_SHA256] = "sha256",
	[VK_IOC_SHA512] = "sha512",
	[VK_IOC_FILENAME] = "filename",
};

const char *
vk_ioc_type_name(enum vk_ioc_type t)
{
	if ((unsigned)t >= VK_IOC_TYPE_MAX)
		return "unknown";
	return type_names[t];
}

int
vk_ioc_type_from_name(const char *name, enum vk_ioc_type *t)
{
	unsigned i;

	if (name == NULL)
		return VK_EINVAL;
	for (i = 0; i < VK_IOC_TYPE_MAX; i++) {
		if (strcasecmp(name, type_names[i]) == 0) {
			*t = (enum vk_ioc_type)i;
			return 0;
		}
	}
	return VK_EINVAL;
}

static inline uint64_t
rotl64(uint64_t x, unsigned r)
{
	return x << r | x >> (64 - r);
}

/* A 64-bit multiply-xorshift hash, 8 bytes at a time. */
static uint64_t
hash_key(enum vk_ioc_type type, uint32_t prov, const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)type << 32 | prov) ^
	    (n * 0xff51afd7ed558ccdULL);
	uint64_t k;

	while (n >= 8) {
		memcpy(&k, s, 8);
		h ^= k * 0xbf58476d1ce4e5b9ULL;
		h = rotl64(h, 27) * 0x94d049bb133111ebULL;
		s += 8;
		n -= 8;
	}
	if (n > 0) {
		k = 0;
		memcpy(&k, s, n);
		h ^= k * 0xbf58476d1ce4e5b9ULL;
		h = rotl64(h, 27) * 0x94d049bb133111ebULL;
	}
	h ^= h >> 31;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

static uint32_t
ioc_hash(const struct vk_ioc *ioc)
{
	return (uint32_t)hash_key(
	    ioc->type, ioc->prov, ioc->norm, ioc->norm_len);
}

struct vk_ioc_set *
vk_ioc_set_new(void)
{
	struct vk_ioc_set *set = calloc(1, sizeof(*set));

	if (set == NULL)
		return NULL;
	vk_arena_init(&set->arena);
	return set;
}

void
vk_ioc_set_free(struct vk_ioc_set *set)
{
	if (set == NULL)
		return;
	vk_arena_release(&set->arena);
	free(set->v);
	free(set->prov);
	free(set->tab);
	free(set->seen);
	free(set->refang);
	free(set->norm);
	free(set);
}

/* Copies s into the arena, or NULL stays NULL; false on ENOMEM. */
static bool
dup_opt(struct vk_ioc_set *set, const char *s, const char **out)
{
	if (s == NULL) {
		*out = NULL;
		return true;
	}
	*out = vk_arena_strdup(&set->arena, s, strlen(s));
	return *out != NULL;
}

int
vk_ioc_set_add_prov(
    struct vk_ioc_set *set, const struct vk_ioc_prov *p, uint32_t *id)
{
	struct vk_ioc_prov np;

	if (set->frozen)
		return VK_EINVAL;
	if (set->nprov > VK_IOC_PROV_MAX)
		return VK_ETOOBIG;
	if (set->nprov == set->provcap) {
		size_t cap = set->provcap ? set->provcap * 2 : 8;
		struct vk_ioc_prov *v = realloc(set->prov, cap * sizeof(*v));

		if (v == NULL)
			return VK_ENOMEM;
		set->prov = v;
		set->provcap = cap;
	}
	if (!dup_opt(set, p->source, &np.source) ||
	    !dup_opt(set, p->report, &np.report) ||
	    !dup_opt(set, p->campaign, &np.campaign) ||
	    !dup_opt(set, p->tlp, &np.tlp) ||
	    !dup_opt(set, p->first_seen, &np.first_seen) ||
	    !dup_opt(set, p->last_seen, &np.last_seen))
		return VK_ENOMEM;
	set->prov[set->nprov] = np;
	*id = (uint32_t)set->nprov++;
	return 0;
}

/* The value for a message: at most 80 bytes, anything unprintable as
 * \xNN, so that a hostile value cannot garble the terminal. */
static void
quote_value(const char *s, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < n && i < 80 && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '\\' || c == '\'') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	if (i < n && o + 4 < cap) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

/* What a valid value of each type looks like, for error messages. */
static const char *const type_hints[VK_IOC_TYPE_MAX] = {
	[VK_IOC_DOMAIN] = "a host name such as evil.example",
	[VK_IOC_IPV4] = "an IPv4 address or range such as 192.0.2.1/24",
	[VK_IOC_IPV6] = "an IPv6 address or range such as 2001:db8::/32",
	[VK_IOC_URL] = "a URL such as http://evil.example/path",
	[VK_IOC_EMAIL] = "an address such as user@evil.example",
	[VK_IOC_MD5] = "32 hexadecimal digits",
	[VK_IOC_SHA1] = "40 hexadecimal digits",
	[VK_IOC_SHA256] = "64 hexadecimal digits",
	[VK_IOC_SHA512] = "128 hexadecimal digits",
	[VK_IOC_FILENAME] = "a file name",
};

const char *
vk_ioc_extra_where(const struct vk_ioc_extra *extra, char *buf, size_t cap)
{
	if (extra == NULL || extra->where == NULL)
		return NULL;
	if (extra->line == 0)
		return extra->where;
	if (snprintf(buf, cap, "%s:%u", extra->where, (unsigned)extra->line) <
	    0)
		return extra->where;
	return buf;
}

static int
invalid(struct vk_diag *d, const struct vk_ioc_extra *extra,
    enum vk_ioc_type type, enum vk_ioc_type actual, bool have_actual,
    const char *value, size_t len)
{
	char q[400], wb[VK_IOC_WHERE_MAX];
	const char *where = vk_ioc_extra_where(extra, wb, sizeof(wb));

	quote_value(value, len, q, sizeof(q));
	if (type == VK_IOC_TYPE_MAX)
		vk_diag_error(d, where,
		    "not a recognisable indicator: '%s'; give a domain, IP "
		    "address or range, URL, e-mail address or MD5/SHA-1/"
		    "SHA-256/SHA-512 hash",
		    q);
	else if (have_actual)
		vk_diag_error(d, where,
		    "not a valid %s: '%s' (it reads as %s; declare it as "
		    "that type)",
		    vk_ioc_type_name(type), q, vk_ioc_type_name(actual));
	else
		vk_diag_error(d, where, "not a valid %s: '%s' (expected %s)",
		    vk_ioc_type_name(type), q, type_hints[type]);
	return VK_EINVAL;
}

/*
 * Normalises s[0..n) (refanged, trimmed) as `type` into set->norm.
 * Fills ioc->type (the real family for addresses), addr and prefix.
 */
static int
normalise(struct vk_ioc_set *set, enum vk_ioc_type type, const char *s,
    size_t n, struct vk_ioc *ioc, uint8_t addr[16], size_t *normlen)
{
	enum vk_ioc_type t;
	uint8_t prefix;
	int r;

	switch (type) {
	case VK_IOC_DOMAIN:
		if ((r = vk_norm_domain(s, n, set->norm, normlen)) != 0)
			return r;
		ioc->type = VK_IOC_DOMAIN;
		return 0;
	case VK_IOC_IPV4:
	case VK_IOC_IPV6:
		if ((r = vk_norm_ip(s, n, &t, addr, &prefix)) != 0)
			return r;
		ioc->type = t;
		ioc->prefix = prefix;
		vk_ip_format(t, addr, prefix, set->norm);
		*normlen = strlen(set->norm);
		return 0;
	case VK_IOC_URL:
		if ((r = vk_norm_url(s, n, set->norm, VK_IOC_NORM_MAX, normlen,
			 NULL, NULL)) != 0)
			return r;
		ioc->type = VK_IOC_URL;
		return 0;
	case VK_IOC_EMAIL:
		if ((r = vk_norm_email(
			 s, n, set->norm, VK_IOC_NORM_MAX, normlen)) != 0)
			return r;
		ioc->type = VK_IOC_EMAIL;
		return 0;
	case VK_IOC_MD5:
	case VK_IOC_SHA1:
	case VK_IOC_SHA256:
	case VK_IOC_SHA512:
		if ((r = vk_norm_hash(s, n, &t, set->norm)) != 0)
			return r;
		if (t != type)
			return VK_EINVAL;
		ioc->type = t;
		*normlen = n;
		return 0;
	default:
		return VK_EINVAL;
	}
}

/* The bit of hash h in the filter `seen` of 2^(32 - shift) bits. */
static inline uint32_t
seen_bit(unsigned shift, uint32_t h)
{
	return (uint32_t)((h * 0x9e3779b1u) >> shift);
}

static bool
seen_has(const struct vk_ioc_set *set, uint32_t h)
{
	uint32_t b = seen_bit(set->seenshift, h);

	return (set->seen[b >> 6] >> (b & 63)) & 1;
}

static void
seen_add(uint64_t *seen, unsigned shift, uint32_t h)
{
	uint32_t b = seen_bit(shift, h);

	seen[b >> 6] |= 1ULL << (b & 63);
}

/* Puts the oldest pending indicator into tab (its slot was prefetched). */
static void
pend_insert1(struct vk_ioc_set *set)
{
	uint32_t mask = (uint32_t)(set->tabcap - 1), h, j;
	unsigned k = set->pend_head;

	h = set->pend[k].h;
	for (j = h & mask; set->tab[j] != 0; j = (j + 1) & mask)
		;
	set->tab[j] = (h & ~mask) | (set->pend[k].i + 1);
	set->pend_head = (k + 1) % RING;
	set->npend--;
}

static void
pend_flush(struct vk_ioc_set *set)
{
	while (set->npend > 0)
		pend_insert1(set);
}

static void
pend_push(struct vk_ioc_set *set, uint32_t h, size_t i)
{
	unsigned k;

	__builtin_prefetch(&set->tab[h & (uint32_t)(set->tabcap - 1)], 1);
	if (set->npend == RING)
		pend_insert1(set);
	k = (set->pend_head + set->npend) % RING;
	set->pend[k].h = h;
	set->pend[k].i = (uint32_t)i;
	set->npend++;
}

/* Doubles tab (and the filter, 4 bits per slot) and puts every indicator
 * back, the pending ones too. */
static int
tab_grow(struct vk_ioc_set *set)
{
	size_t cap = set->tabcap ? set->tabcap * 2 : 1024, i, j;
	uint32_t *tab, mask = (uint32_t)(cap - 1), ring[RING];
	unsigned shift = 0, lg = 0;
	uint64_t *seen;

	if (cap > ((size_t)1 << 32))
		return VK_ETOOBIG;
	while (((size_t)1 << lg) < cap)
		lg++;
	if (lg + 2 < 32)
		shift = 32 - (lg + 2);
	if ((tab = calloc(cap, sizeof(*tab))) == NULL)
		return VK_ENOMEM;
	if ((seen = calloc(((size_t)1 << (32 - shift)) / 64, 8)) == NULL) {
		free(tab);
		return VK_ENOMEM;
	}
	/* Rehash from the indicators in order (they and their strings lie
	 * in memory in that order, so this reads sequentially); they are
	 * all distinct, so nothing needs comparing. */
	/* Each slot is prefetched RING indicators ahead: a table of
	 * millions of slots misses the cache at every insertion. */
	for (i = 0; i < set->n + RING; i++) {
		uint32_t h;

		if (i >= RING) { /* indicator i - RING, in ring[i % RING] */
			h = ring[i % RING];
			for (j = h & mask; tab[j] != 0; j = (j + 1) & mask)
				;
			tab[j] = (h & ~mask) | (uint32_t)(i - RING + 1);
		}
		if (i < set->n) {
			h = ioc_hash(&set->v[i]);
			__builtin_prefetch(&tab[h & mask], 1);
			ring[i % RING] = h;
			seen_add(seen, shift, h);
		}
	}
	free(set->tab);
	set->tab = tab;
	set->tabcap = cap;
	free(set->seen);
	set->seen = seen;
	set->seenshift = shift;
	set->pend_head = set->npend = 0; /* all in the new tab */
	return 0;
}

/* The slot holding (type, norm, prov), or of the empty slot where it
 * would go. */
static size_t
tab_find(const struct vk_ioc_set *set, uint32_t h, enum vk_ioc_type type,
    uint32_t prov, const char *norm, size_t len)
{
	uint32_t mask = (uint32_t)(set->tabcap - 1);
	size_t j;

	for (j = h & mask; set->tab[j] != 0; j = (j + 1) & mask) {
		const struct vk_ioc *o;

		if ((set->tab[j] & ~mask) != (h & ~mask))
			continue;
		o = &set->v[(set->tab[j] & mask) - 1];
		if (o->type == type && o->prov == prov && o->norm_len == len &&
		    memcmp(o->norm, norm, len) == 0)
			return j;
	}
	return j;
}

/* Removes indicator i's slot, shifting later members of its cluster back
 * (linear probing needs no tombstones then). */
static void
tab_remove(struct vk_ioc_set *set, size_t i)
{
	uint32_t mask = (uint32_t)(set->tabcap - 1);
	size_t j, k, home;
	uint32_t h = ioc_hash(&set->v[i]);

	for (j = h & mask; (set->tab[j] & mask) != i + 1; j = (j + 1) & mask)
		if (set->tab[j] == 0)
			return;
	for (;;) {
		set->tab[j] = 0;
		k = j;
		for (;;) {
			k = (k + 1) & mask;
			if (set->tab[k] == 0)
				return;
			home =
			    ioc_hash(&set->v[(set->tab[k] & mask) - 1]) & mask;
			/* Move k into the hole at j unless its home lies
			 * cyclically in (j, k]. */
			if (j <= k ? (j < home && home <= k)
				   : (j < home || home <= k))
				continue;
			set->tab[j] = set->tab[k];
			j = k;
			break;
		}
	}
}

/*
 * Stores norm and value in the arena: one string when they are equal
 * (most published values already are normal), else the value right after
 * the norm; for IPv6 the address's 16 bytes sit between them, right
 * after the norm's NUL (vk_ioc_ipv6(), vk_ioc_value()); `more`, when not
 * NULL, is stored (unaligned) in the 8 bytes before the norm
 * (vk_ioc_more()).
 */
static int
store_strings(struct vk_ioc_set *set, struct vk_ioc *ioc, const char *value,
    size_t len, const char *norm, size_t normlen, const uint8_t addr[16],
    const struct vk_ioc_more *more)
{
	size_t tail = vk_ioc_addr_len(ioc), size = normlen + 1 + tail;
	size_t head = more ? sizeof(more) : 0;
	bool sep = normlen != len || (len > 0 && memcmp(norm, value, len) != 0);
	char *nm;

	if (sep)
		size += len + 1;
	if ((nm = vk_arena_alloc(&set->arena, head + size, 1)) == NULL)
		return VK_ENOMEM;
	if (more != NULL)
		memcpy(nm, &more, sizeof(more));
	nm += head;
	if (normlen > 0)
		memcpy(nm, norm, normlen);
	nm[normlen] = '\0';
	if (tail > 0)
		memcpy(nm + normlen + 1, addr, tail);
	if (sep) {
		char *v = nm + normlen + 1 + tail;

		if (len > 0)
			memcpy(v, value, len);
		v[len] = '\0';
	}
	ioc->norm = nm;
	ioc->norm_len = (uint32_t)normlen;
	ioc->value_sep = sep;
	ioc->has_more = more != NULL;
	return 0;
}

static bool
str_eq(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/*
 * Splits a "file:line" location (a line number from 1 to UINT32_MAX
 * without leading zeros after the last colon) into its parts; false for
 * any other location, which is then kept whole.
 */
static bool
split_line(const char *where, size_t *filelen, uint32_t *line)
{
	const char *c = strrchr(where, ':');
	uint64_t v = 0;
	size_t i;

	if (c == NULL || c == where || c[1] < '1' || c[1] > '9')
		return false;
	for (i = 1; c[i] != '\0'; i++) {
		if (c[i] < '0' || c[i] > '9' || i > 10)
			return false;
		v = v * 10 + (uint64_t)(c[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*filelen = (size_t)(c - where);
	*line = (uint32_t)v;
	return true;
}

/*
 * The record holding extra's details for ioc (*out; NULL when none is
 * needed), reusing the last record made when it is equal — the lines of
 * one file then share one record and each costs only its line number.  A
 * "file:line" location whose file is the provenance's source needs no
 * record at all (ioc->where_src).
 */
static int
store_more(struct vk_ioc_set *set, struct vk_ioc *ioc,
    const struct vk_ioc_extra *ex, const struct vk_ioc_more **out)
{
	const struct vk_ioc_more *last = set->last_more;
	const struct vk_ioc_prov *p;
	struct vk_ioc_more *mo;
	size_t flen = 0;
	uint32_t line = 0;
	bool split;

	*out = NULL;
	if (ex->comment == NULL && ex->first_seen == NULL &&
	    ex->last_seen == NULL && ex->where == NULL &&
	    ex->fn_fp_regex == NULL)
		return 0;
	if (ex->where != NULL && ex->line != 0) {
		split = true;
		flen = strlen(ex->where);
		line = ex->line;
	} else {
		split =
		    ex->where != NULL && split_line(ex->where, &flen, &line);
	}
	if (split && ex->comment == NULL && ex->first_seen == NULL &&
	    ex->last_seen == NULL && ex->fn_fp_regex == NULL &&
	    ioc->prov < set->nprov &&
	    (p = &set->prov[ioc->prov])->source != NULL &&
	    strlen(p->source) == flen &&
	    memcmp(p->source, ex->where, flen) == 0) {
		ioc->where_src = 1;
		ioc->line = line;
		return 0;
	}
	if (last != NULL && str_eq(last->comment, ex->comment) &&
	    str_eq(last->first_seen, ex->first_seen) &&
	    str_eq(last->last_seen, ex->last_seen) &&
	    str_eq(last->fn_fp_regex, ex->fn_fp_regex) &&
	    (split ? last->where != NULL && strlen(last->where) == flen &&
			memcmp(last->where, ex->where, flen) == 0
		   : str_eq(last->where, ex->where))) {
		*out = last;
		ioc->line = line;
		return 0;
	}
	if ((mo = vk_arena_alloc(&set->arena, sizeof(*mo),
		 _Alignof(struct vk_ioc_more))) == NULL)
		return VK_ENOMEM;
	if (!dup_opt(set, ex->comment, &mo->comment) ||
	    !dup_opt(set, ex->first_seen, &mo->first_seen) ||
	    !dup_opt(set, ex->last_seen, &mo->last_seen) ||
	    !dup_opt(set, ex->fn_fp_regex, &mo->fn_fp_regex))
		return VK_ENOMEM;
	if (split)
		mo->where = vk_arena_strdup(&set->arena, ex->where, flen);
	else if (!dup_opt(set, ex->where, &mo->where))
		return VK_ENOMEM;
	if (split && mo->where == NULL)
		return VK_ENOMEM;
	set->last_more = mo;
	*out = mo;
	ioc->line = line;
	return 0;
}

void
vk_ioc_addr(const struct vk_ioc *ioc, uint8_t out[16])
{
	uint32_t a;

	memset(out, 0, 16);
	if (ioc->type == VK_IOC_IPV6) {
		memcpy(out, vk_ioc_ipv6(ioc), 16);
	} else if (ioc->type == VK_IOC_IPV4) {
		a = vk_ioc_ipv4(ioc);
		out[0] = (uint8_t)(a >> 24);
		out[1] = (uint8_t)(a >> 16);
		out[2] = (uint8_t)(a >> 8);
		out[3] = (uint8_t)a;
	}
}

const char *
vk_ioc_where(const struct vk_ioc_set *set, const struct vk_ioc *ioc, char *buf,
    size_t cap)
{
	const struct vk_ioc_more *m = vk_ioc_more(ioc);
	const struct vk_ioc_prov *p;
	const char *file;
	int r;

	if (ioc->where_src) {
		p = vk_ioc_set_prov(set, ioc->prov);
		file = p ? p->source : NULL;
	} else {
		file = m ? m->where : NULL;
	}
	if (file == NULL)
		return NULL;
	if (ioc->line == 0)
		return file;
	if (cap == 0)
		return NULL;
	r = snprintf(buf, cap, "%s:%u", file, (unsigned)ioc->line);
	if (r < 0)
		buf[0] = '\0';
	return buf;
}

int
vk_ioc_set_add(struct vk_ioc_set *set, enum vk_ioc_type type, const char *value,
    size_t len, uint32_t prov, const struct vk_ioc_extra *extra,
    struct vk_diag *d)
{
	struct vk_ioc ioc;
	const char *s = value, *norm;
	size_t n = len, normlen = 0, slot = 0;
	uint8_t addr[16] = { 0 };
	const struct vk_ioc_more *more = NULL;
	uint32_t h;
	bool fresh;
	int r;

	if (set->frozen || (unsigned)type > VK_IOC_TYPE_MAX ||
	    (value == NULL && len > 0) || prov > VK_IOC_PROV_MAX)
		return VK_EINVAL;
	if (len > VK_IOC_VALUE_MAX) {
		char wb[VK_IOC_WHERE_MAX];

		vk_diag_error(d, vk_ioc_extra_where(extra, wb, sizeof(wb)),
		    "indicator value of %zu bytes is longer than the 64 KiB "
		    "vaksam accepts; check the file's format",
		    len);
		return VK_ETOOBIG;
	}
	if (set->n >= UINT32_MAX - 1)
		return VK_ETOOBIG;
	if (set->refang == NULL &&
	    (set->refang = malloc(VK_IOC_VALUE_MAX + 1)) == NULL)
		return VK_ENOMEM;
	if (set->norm == NULL && (set->norm = malloc(VK_IOC_NORM_MAX)) == NULL)
		return VK_ENOMEM;

	memset(&ioc, 0, sizeof(ioc));
	ioc.prov = prov & 0xffffff;
	ioc.to_ids = (int8_t)(extra ? (extra->to_ids > 0           ? 1
					      : extra->to_ids == 0 ? 0
								   : -1)
				    : -1);
	if (type == VK_IOC_FILENAME) {
		if (len == 0 || memchr(value, '\0', len) != NULL)
			return invalid(d, extra, type, type, false, value, len);
		ioc.type = VK_IOC_FILENAME;
		norm = value;
		normlen = len;
	} else {
		while (n > 0 && is_space(s[0])) {
			s++;
			n--;
		}
		while (n > 0 && is_space(s[n - 1]))
			n--;
		r = vk_refang(s, n, set->refang, VK_IOC_VALUE_MAX + 1);
		if (r < 0)
			return r;
		s = set->refang;
		n = (size_t)r;
		if (type == VK_IOC_TYPE_MAX) {
			enum vk_ioc_type t;

			uint8_t prefix = 0; /* stays 0 but for addresses */

			/* Detected and normalised in one step; the long way
			 * below only for the message when that fails. */
			if (vk_ioc_detect_norm(s, n, &t, set->norm,
				VK_IOC_NORM_MAX, &normlen, addr,
				&prefix) == 0) {
				ioc.type = t;
				ioc.prefix = prefix;
				norm = set->norm;
				goto have_norm;
			}
			if (vk_ioc_detect_type(s, n, &t) != 0)
				return invalid(
				    d, extra, type, type, false, value, len);
			type = t;
		}
		if ((r = normalise(set, type, s, n, &ioc, addr, &normlen)) !=
		    0) {
			enum vk_ioc_type t;

			if (r == VK_ENOMEM)
				return r;
			if (vk_ioc_detect_type(s, n, &t) == 0 && t != type &&
			    !((type == VK_IOC_IPV4 || type == VK_IOC_IPV6) &&
				(t == VK_IOC_IPV4 || t == VK_IOC_IPV6)))
				return invalid(
				    d, extra, type, t, true, value, len);
			return invalid(d, extra, type, type, false, value, len);
		}
		norm = set->norm;
	}
have_norm:
	h = (uint32_t)hash_key(ioc.type, prov, norm, normlen);
	if (set->tabcap == 0 || (set->n + 1) * 2 > set->tabcap)
		if ((r = tab_grow(set)) != 0)
			return r;
	fresh = !seen_has(set, h);
	if (!fresh) {
		pend_flush(set);
		slot = tab_find(set, h, ioc.type, prov, norm, normlen);
		if (set->tab[slot] != 0)
			return 0;
	}

	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap + set->cap / 2 : 64;
		struct vk_ioc *v = realloc(set->v, cap * sizeof(*v));

		if (v == NULL)
			return VK_ENOMEM;
		set->v = v;
		set->cap = cap;
	}
	if (extra != NULL && (r = store_more(set, &ioc, extra, &more)) != 0)
		return r;
	if ((r = store_strings(
		 set, &ioc, value, len, norm, normlen, addr, more)) != 0)
		return r;
	if (extra != NULL && type == VK_IOC_FILENAME)
		ioc.fn_regex = extra->fn_regex ? 1 : 0;
	set->v[set->n] = ioc;
	if (fresh)
		pend_push(set, h, set->n);
	else
		set->tab[slot] =
		    (h & ~(uint32_t)(set->tabcap - 1)) | (uint32_t)(set->n + 1);
	seen_add(set->seen, set->seenshift, h);
	set->n++;
	set->by_type[ioc.type]++;
	return 0;
}

size_t
vk_ioc_set_count(const struct vk_ioc_set *set)
{
	return set->n;
}

const struct vk_ioc *
vk_ioc_set_get(const struct vk_ioc_set *set, size_t i)
{
	return i < set->n ? &set->v[i] : NULL;
}

struct vk_ioc *
vk_ioc_set_get_mut(struct vk_ioc_set *set, size_t i)
{
	return i < set->n ? &set->v[i] : NULL;
}

const struct vk_ioc_prov *
vk_ioc_set_prov(const struct vk_ioc_set *set, uint32_t id)
{
	return id < set->nprov ? &set->prov[id] : NULL;
}

size_t
vk_ioc_set_prov_count(const struct vk_ioc_set *set)
{
	return set->nprov;
}

size_t
vk_ioc_set_count_type(const struct vk_ioc_set *set, enum vk_ioc_type t)
{
	return (unsigned)t < VK_IOC_TYPE_MAX ? set->by_type[t] : 0;
}

int
vk_ioc_set_mark(const struct vk_ioc_set *set, struct vk_ioc_set_mark *m)
{
	m->niocs = set->n;
	m->nprov = set->nprov;
	return set->frozen ? VK_EINVAL : 0;
}

int
vk_ioc_set_rollback(struct vk_ioc_set *set, const struct vk_ioc_set_mark *m)
{
	if (set->frozen)
		return VK_EINVAL;
	/* The strings of rolled-back indicators stay in the arena until the
	 * set is freed: bounded by the failed file's size, and rollback is
	 * rare. */
	pend_flush(set);
	while (set->n > m->niocs) {
		set->n--;
		tab_remove(set, set->n);
		set->by_type[set->v[set->n].type]--;
	}
	if (set->nprov > m->nprov)
		set->nprov = m->nprov;
	return 0;
}

void
vk_ioc_set_freeze(struct vk_ioc_set *set)
{
	struct vk_ioc *v;

	if (set->frozen)
		return;
	set->frozen = true;
	free(set->tab);
	set->tab = NULL;
	set->tabcap = 0;
	free(set->seen);
	set->seen = NULL;
	set->npend = 0;
	free(set->refang);
	set->refang = NULL;
	free(set->norm);
	set->norm = NULL;
	/* Give back the array's growth room (up to a third of it). */
	if (set->n > 0 && set->n < set->cap &&
	    (v = realloc(set->v, set->n * sizeof(*v))) != NULL) {
		set->v = v;
		set->cap = set->n;
	}
}

bool
vk_ioc_set_frozen(const struct vk_ioc_set *set)
{
	return set->frozen;
}

const char *
vk_ioc_set_strdup(struct vk_ioc_set *set, const char *s, size_t len)
{
	return vk_arena_strdup(&set->arena, s, len);
}
