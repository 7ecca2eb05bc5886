/*
 * match.c — the line matcher (see match.h; the rules are written down in
 * docs/matching.md, section "Matching in text").
 *
 * Shape of a scan.  One pass over the line, 64 bytes at a time, finds the
 * *trigger* bytes of the indicator types that are loaded: '.' (domains,
 * IPv4), ':' (IPv6, URLs' "://"), '@' (e-mail), '(' (Windows DNS debug
 * names "(3)www(4)evil(2)se(0)"), and 16-byte chunks that are all hex
 * digits (hashes: a run of 32 or more hex digits always covers one).
 * Everything else — most of a log — is never looked at twice.  At a
 * trigger the token around it is cut out and looked up:
 *
 *   - a "word" (maximal run of [A-Za-z0-9._-] and bytes >= 0x80) holding a
 *     dot is a domain candidate: lower-cased into a stack buffer, its
 *     suffixes at label boundaries are hashed right to left (a label hash
 *     combined with the suffix hash) and each suffix probes a blocked Bloom
 *     filter holding every suffix of every domain indicator; the first
 *     "no" ends the walk, so most words cost one probe.  The same word's
 *     digit-dot runs are IPv4 candidates and its whole alphanumeric runs of
 *     32/40/64/128 hex digits are hash candidates;
 *   - IPv4: a coarse bitmap of the top address bits in use, then one probe
 *     per prefix length in use (masked address → Bloom → table);
 *   - every table is open addressing (8-byte slots: a hash tag and the
 *     indicator's index) behind its own Bloom filter, with a full compare
 *     against the indicator's normalised key.  Several indicators with the
 *     same key occupy several slots and are all reported.
 *
 * Reading: the last block of a line is loaded whole when the bytes past
 * the end lie in the same memory page (they cannot fault; strlen does the
 * same) and their bits are cleared; under AddressSanitizer, or when the
 * block would cross a page, it is copied into a padded buffer instead.
 *
 * Windows: with SSE2 and up the pass keeps, for up to WBLK blocks at a
 * time, masks of the word bytes, digits and dots besides the triggers, and
 * on_word() takes a word's ends, its dots and whether it is a dotted quad
 * from them (win_word(), quad_parse()); a word that reaches past what the
 * masks cover is walked as before.  The colon mask also tells which colons
 * can begin an IPv6 address (colon_idle()); the others are passed over.  The scalar scanner walks every word:
 * fuzz_match compares the two.
 *
 * Buffers of lines (vk_matcher_scan_lines()): every rule ends a token at
 * '\n' and at a '\r' before it, as at the end of a line, so a buffer of
 * many lines is one scan; the scalar scanner splits it into lines, as the
 * reference the others are fuzzed against.
 *
 * Instruction sets: the window masks are computed with AVX-512 (F, BW) or
 * AVX2 when the CPU has it (chosen once, at build time of the matcher),
 * else SSE2; the
 * scalar scanner computes a trigger mask bytewise.  Boundaries that the
 * masks do not cover come from 16-byte loads turned into bit masks where
 * SSE2 is there.  VAKSAM_MATCH_ISA caps
 * the choice so that the tests can run every path; all must give the same
 * hits (fuzz_match compares them).
 *
 * Costs do not depend on the number of indicators except through cache
 * misses of the Bloom filters (about 10 bits per key).  Nothing is
 * allocated during a scan; scratch lives on the stack.  Hits found out of
 * order (an e-mail's local part, a URL's scheme lie before the trigger;
 * domain suffixes are found right to left) pass through a small sorted
 * buffer so that the callback sees them in order of offset.
 */
#include "hunt/match.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && !defined(VK_MATCH_SCALAR)
#include <emmintrin.h>
#define VK_MATCH_SSE2 1
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define VK_MATCH_AVX2 1
#endif
#endif

#include "ioc/normalize.h"
#include "util/err.h"
#include "util/sse2.h"

__extension__ typedef unsigned __int128 u128;

/* Byte classes. */
enum {
	C_ALPHA = 1 << 0, /* A-Z a-z */
	C_DIGIT = 1 << 1, /* 0-9 */
	C_HEX = 1 << 2, /* 0-9 A-F a-f */
	C_WORD = 1 << 3, /* A-Z a-z 0-9 . - _ and bytes >= 0x80 */
	C_LOCAL = 1 << 4, /* e-mail local part: A-Z a-z 0-9 . _ % + - */
	C_V6 = 1 << 5, /* hex digits, ':' and '.' */
	C_URLEND = 1 << 6, /* ends a URL: controls, space, " ' < > ` | ^ { } */
	C_SCHEME = 1 << 7, /* A-Z a-z 0-9 + . - */
};

/* Trigger kinds, for the scalar block scanner. */
enum { T_DOT = 1, T_COLON = 2, T_AT = 4, T_PAREN = 8 };

/* Instruction sets of the scan, best last.  VAKSAM_MATCH_ISA=scalar,
 * sse2 or avx2 in the environment of vk_matcher_build() caps the choice
 * (tests run every path; an unsupported one is never chosen). */
enum { ISA_SCALAR, ISA_SSE2, ISA_AVX2, ISA_AVX512 };

#define EMPTY UINT32_MAX
#define LOOKBACK 128 /* hits may be found this far behind a trigger */
#define PEND 64 /* reorder buffer */
#define MAXLABELS 128
#define EMAIL_LOCAL_MAX 64
#define V6_RUN_MAX \
	64 /* a longer run of hex digits, ':' and '.' is no
		       * IPv6 address (on_colon()) */

/* A slot of an open-addressing table is 32 bits: the indicator's index
 * in the low `idbits` bits and a tag of the key's hash above them (12
 * bits with a million indicators, more with fewer), EMPTY if free.  The
 * index field is wide enough that no index is all ones in it, so no
 * occupied slot is EMPTY. */

/* A Bloom filter (one 64-bit word per key, three bits in it) in front of
 * an open-addressing table with linear probing. */
struct kindex {
	uint64_t *bloom;
	uint32_t nbloom; /* words; 0: no filter (everything passes) */
	uint32_t *slot;
	size_t nslot;
	unsigned idbits; /* 1..32 */
	uint32_t idmask;
};

struct vk_matcher {
	const struct vk_ioc_set *set;
	size_t count;
	uint8_t cls[256];
	uint8_t trig[256]; /* T_* per byte (scalar scanner) */
	char tchar[4]; /* the trigger bytes (unused ones repeat one) */
	bool any; /* any trigger at all */
	bool t_hex; /* scan for hex chunks */
	bool has_dom, has_v4, has_v6, has_url, has_email;
	uint8_t isa; /* ISA_*: which block scanner */
	uint8_t nib_lo[16], nib_hi[16]; /* AVX2 classes, see fill_avx2 */
	/* quad_ssse3(): per lengths of the four parts (1 to 3 digits each,
	 * index (L1-1)*27 + (L2-1)*9 + (L3-1)*3 + L4-1), the shuffle that
	 * puts each part's digits right-aligned into bytes 4k..4k+2, and the
	 * least value each part may have (no leading zero). */
	uint8_t q_shuf[81][16];
	uint32_t q_min[81][4];
	unsigned hash_lens; /* bit 0: 32, 1: 40, 2: 64, 3: 128 */

	struct kindex dom; /* bloom: all suffixes (and full-key markers) */
	uint64_t tld[64]; /* 4096-bit filter on the last label's hash */

	struct kindex v4;
	uint8_t v4_plen[33]; /* prefix lengths in use, longest first */
	unsigned v4_nplen;
	uint64_t *v4_coarse; /* one bit per 2^(32 - v4_cbits) addresses */
	unsigned v4_cbits;

	struct kindex v6;
	uint8_t v6_plen[129];
	unsigned v6_nplen;

	struct kindex url;
	struct kindex url_host; /* bloom only */
	bool url_host_any; /* some URL host cannot be prefiltered */

	struct kindex email;
	struct kindex hash;
};

/* ---- hashing ---------------------------------------------------------- */

#define K0 0xa0761d6478bd642fULL
#define K1 0xe7037ed1a0b428dbULL
#define K2 0x8ebc6af09c88c6e3ULL
#define K3 0x589965cc75374cc3ULL
#define K4 0x1d8e4e27c47d124fULL

static inline uint64_t
mum(uint64_t a, uint64_t b)
{
	u128 r = (u128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t
load64(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* Bytes p[0..n) as a little-endian word (n < 8), reading nothing else. */
static inline uint64_t
load_tail(const uint8_t *p, size_t n)
{
	uint64_t w = 0;

	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)p[i] << (8 * i);
	return w;
}

/* Hash of n bytes; reads only p[0..n). */
static uint64_t
hash_bytes(const uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t h = seed ^ mum(n, K0);
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		h = mum(h ^ load64(p + i), K1);
	if (i < n)
		h = mum(h ^ load_tail(p + i, n - i), K1);
	return h;
}

/* The same as hash_bytes(), for a buffer readable 8 bytes past p + n. */
static inline uint64_t
hash_bytes_pad(const uint8_t *p, size_t n, uint64_t seed)
{
	uint64_t h = seed ^ mum(n, K0);
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		h = mum(h ^ load64(p + i), K1);
	if (i < n)
		h = mum(
		    h ^ (load64(p + i) & (~0ULL >> (64 - 8 * (n - i)))), K1);
	return h;
}

/* Suffix hash: label hash `hl` in front of the suffix hash `h`. */
static inline uint64_t
combine(uint64_t hl, uint64_t h)
{
	return mum(hl ^ K2, h ^ K3);
}

/* The table key of a full domain (distinct from the suffix marker). */
static inline uint64_t
dom_full(uint64_t h)
{
	return mum(h ^ K4, K1);
}

static inline uint64_t
h_v4(uint32_t a, unsigned plen)
{
	return mum(((uint64_t)a << 8 | plen) ^ K3, K2);
}

static inline uint64_t
h_v6(const uint8_t a[16], unsigned plen)
{
	return hash_bytes(a, 16, K4 + plen);
}

/* ASCII lower case of 8 bytes at once; other bytes unchanged. */
static inline uint64_t
fold64(uint64_t w)
{
	uint64_t h = w & 0x7f7f7f7f7f7f7f7fULL;
	uint64_t ge_a = h + 0x3f3f3f3f3f3f3f3fULL;
	uint64_t gt_z = h + 0x2525252525252525ULL;
	uint64_t up = ge_a & ~gt_z & ~w & 0x8080808080808080ULL;

	return w | (up >> 2);
}

static inline uint8_t
fold1(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c | 0x20) : c;
}

/* Lower-cases src[0..n) into dst; returns the OR of all bytes. */
static uint8_t
fold_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	uint64_t any = 0;
	uint8_t any1 = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, src + i, 8);
		any |= w;
		w = fold64(w);
		memcpy(dst + i, &w, 8);
	}
	if (i < n && n >= 8) {
		/* the last eight bytes again, overlapping the ones done */
		uint64_t w;

		memcpy(&w, src + n - 8, 8);
		any |= w;
		w = fold64(w);
		memcpy(dst + n - 8, &w, 8);
		i = n;
	}
	for (; i < n; i++) {
		any1 |= src[i];
		dst[i] = fold1(src[i]);
	}
	any |= any >> 32;
	any |= any >> 16;
	any |= any >> 8;
	return (uint8_t)any | any1;
}

/* ---- Bloom filter and table ------------------------------------------- */

static inline uint64_t
bloom_bits(uint64_t h)
{
	return (1ULL << (h & 63)) | (1ULL << ((h >> 6) & 63)) |
	    (1ULL << ((h >> 12) & 63));
}

static inline size_t
bloom_word(const struct kindex *ix, uint64_t h)
{
	return (size_t)(((h >> 32) * (uint64_t)ix->nbloom) >> 32);
}

static inline bool
bloom_has(const struct kindex *ix, uint64_t h)
{
	uint64_t b;

	if (ix->nbloom == 0)
		return true;
	b = bloom_bits(h);
	return (ix->bloom[bloom_word(ix, h)] & b) == b;
}

static void
bloom_add(struct kindex *ix, uint64_t h)
{
	if (ix->nbloom != 0)
		ix->bloom[bloom_word(ix, h)] |= bloom_bits(h);
}

static inline size_t
slot_of(const struct kindex *ix, uint64_t h)
{
	return (size_t)(((u128)(h * 0x9e3779b97f4a7c15ULL) * ix->nslot) >> 64);
}

/* The tag of hash h as it stands in a slot (hash bits that neither the
 * Bloom filter nor the home slot lean on much). */
static inline uint32_t
slot_tag(const struct kindex *ix, uint64_t h)
{
	return (uint32_t)((h >> 18) << ix->idbits);
}

/*
 * Allocates a filter for nbloom keys and a table for nkeys keys whose
 * indicator indexes are below nids.
 */
static int
kindex_init(struct kindex *ix, size_t nbloom, size_t nkeys, size_t nids)
{
	memset(ix, 0, sizeof(*ix));
	ix->idbits = 1;
	while (ix->idbits < 32 && ((uint64_t)1 << ix->idbits) - 1 <= nids)
		ix->idbits++;
	ix->idmask = (uint32_t)(((uint64_t)1 << ix->idbits) - 1);
	if (nbloom > 0) {
		/* About 10 bits per key; three bits in one word gives a few
		 * per cent false positives and one cache line per probe. */
		size_t w = nbloom * 10 / 64 + 8;

		if (w > UINT32_MAX)
			return VK_ENOMEM;
		ix->nbloom = (uint32_t)w;
		ix->bloom = calloc(w, sizeof(uint64_t));
		if (ix->bloom == NULL)
			return VK_ENOMEM;
	}
	if (nkeys > 0) {
		ix->nslot = nkeys + nkeys / 3 + 8; /* load <= 0.75 */
		ix->slot = malloc(ix->nslot * sizeof(*ix->slot));
		if (ix->slot == NULL)
			return VK_ENOMEM;
		for (size_t i = 0; i < ix->nslot; i++)
			ix->slot[i] = EMPTY;
	}
	return 0;
}

static void
kindex_free(struct kindex *ix)
{
	free(ix->bloom);
	free(ix->slot);
}

static void
kindex_put(struct kindex *ix, uint64_t h, uint32_t id)
{
	size_t i = slot_of(ix, h);

	bloom_add(ix, h);
	while (ix->slot[i] != EMPTY)
		if (++i == ix->nslot)
			i = 0;
	ix->slot[i] = slot_tag(ix, h) | id;
}

/*
 * Insertions into the filters and tables while the matcher is built, a
 * few behind: each is prefetched when queued and done PUTQ later, so that
 * a million indicators do not wait for a cache miss each (the tables are
 * tens of MB).  First in, first done: the tables come out the same.
 */
#define PUTQ 16

struct putq {
	struct {
		struct kindex *ix;
		uint64_t h;
		uint32_t id;
		bool put; /* table and filter, else the filter alone */
	} q[PUTQ];
	unsigned head, n;
};

static void
putq_do1(struct putq *pq)
{
	unsigned k = pq->head;

	if (pq->q[k].put)
		kindex_put(pq->q[k].ix, pq->q[k].h, pq->q[k].id);
	else
		bloom_add(pq->q[k].ix, pq->q[k].h);
	pq->head = (k + 1) % PUTQ;
	pq->n--;
}

static void
putq_push(struct putq *pq, struct kindex *ix, uint64_t h, uint32_t id, bool put)
{
	unsigned k;

	if (ix->nbloom != 0)
		__builtin_prefetch(&ix->bloom[bloom_word(ix, h)], 1);
	if (put)
		__builtin_prefetch(&ix->slot[slot_of(ix, h)], 1);
	if (pq->n == PUTQ)
		putq_do1(pq);
	k = (pq->head + pq->n) % PUTQ;
	pq->q[k].ix = ix;
	pq->q[k].h = h;
	pq->q[k].id = id;
	pq->q[k].put = put;
	pq->n++;
}

static void
putq_flush(struct putq *pq)
{
	while (pq->n > 0)
		putq_do1(pq);
}

/* ---- scan state and hit emission -------------------------------------- */

/*
 * A window of up to WBLK 64-byte blocks of a line with the classes of its
 * bytes as bit masks (bit b of word k: byte base + 64 k + b), made in one
 * vector pass by the SSE2, AVX2 and AVX-512 scanners.  on_word() finds a word's
 * ends, its dots and whether it is a dotted quad from them with a few bit
 * operations instead of looking at its bytes again.  Bytes at or past the
 * end of the line are non-word bytes of no other class.  The scalar
 * scanner has no window (sc->w is NULL) and walks the bytes: fuzz_match
 * compares the two ways.
 */
#define WBLK 16

struct win {
	size_t base; /* a multiple of 64 */
	unsigned n; /* blocks */
	/* One more word than blocks: the bytes after the window (win_fill()
	 * sets it), so that win_bits() reads any 64 bits with one load. */
	uint64_t trig[WBLK]; /* trigger bytes, hex chunks */
	uint64_t nw[WBLK + 1]; /* not a word byte ([A-Za-z0-9._-], >= 0x80) */
	uint64_t dig[WBLK + 1]; /* 0-9 */
	uint64_t dot[WBLK + 1]; /* '.' */
	uint64_t col[WBLK + 1]; /* ':' (when it is a trigger) */
	uint64_t nv6[WBLK + 1]; /* not a hex digit, '.' or ':' */
};

struct scan {
	const struct vk_matcher *m;
	const struct win *w; /* NULL: the scalar scanner */
	const uint8_t *p;
	size_t len;
	vk_match_fn fn;
	void *arg;
	int rc;
	size_t tok_end; /* end of the last token a handler consumed: the
			 * next token may not begin before it */
	size_t rej_s, rej_e, rej_tok; /* on_colon(): the last run of hex
				       * digits, colons and dots found to be no
				       * address, and tok_end then */
	size_t npend;
	struct vk_match pend[PEND];
	struct win win; /* what w points to when it is not NULL */
};

static void
flush_n(struct scan *sc, size_t n)
{
	size_t i;

	for (i = 0; i < n && sc->rc == 0; i++)
		sc->rc = sc->fn(sc->arg, &sc->pend[i]);
	if (sc->rc != 0) {
		sc->npend = 0;
		return;
	}
	memmove(sc->pend, sc->pend + n, (sc->npend - n) * sizeof(sc->pend[0]));
	sc->npend -= n;
}

/* Passes on the hits that lie before `lim`. */
static inline void
flush_before(struct scan *sc, size_t lim)
{
	size_t n = 0;

	while (n < sc->npend && sc->pend[n].off < lim)
		n++;
	if (n > 0)
		flush_n(sc, n);
}

static void
emit(struct scan *sc, uint32_t id, size_t off, size_t len)
{
	size_t j;

	if (sc->rc != 0)
		return;
	if (sc->npend == PEND)
		flush_n(sc, PEND / 2);
	if (sc->rc != 0)
		return;
	j = sc->npend++;
	while (j > 0 && sc->pend[j - 1].off > off) {
		sc->pend[j] = sc->pend[j - 1];
		j--;
	}
	sc->pend[j].ioc = id;
	sc->pend[j].off = off;
	sc->pend[j].len = len;
}

/* Probes ix for key hash h; reports every indicator for which eq() holds. */
#define PROBE(ix, h, IOC, EQ, OFF, LEN) \
	do { \
		size_t i_ = slot_of((ix), (h)); \
		uint32_t t_ = slot_tag((ix), (h)), s_; \
		while ((s_ = (ix)->slot[i_]) != EMPTY) { \
			if ((s_ & ~(ix)->idmask) == t_) { \
				const struct vk_ioc *IOC = vk_ioc_set_get( \
				    sc->m->set, s_ & (ix)->idmask); \
				if (EQ) \
					emit(sc, s_ &(ix)->idmask, (OFF), \
					    (LEN)); \
			} \
			if (++i_ == (ix)->nslot) \
				i_ = 0; \
		} \
	} while (0)

static inline bool
key_eq(const struct vk_ioc *ioc, const uint8_t *k, size_t n)
{
	return ioc->norm_len == n && memcmp(ioc->norm, k, n) == 0;
}

/* Bits of the 16 positions i-16 .. i-1 that lie before tok_end (a token
 * may not begin there), without a branch. */
static inline unsigned
below_tok_end(size_t tok_end, size_t i)
{
	int64_t k = (int64_t)(tok_end + 16) - (int64_t)i, t;

	k &= ~(k >> 63); /* max(k, 0) */
	t = k - 16;
	k = 16 + (t & (t >> 63)); /* min(k, 16) */
	return (unsigned)((1ULL << k) - 1);
}

/* Bit k (0..7) set when byte k of w is '.'. */
static inline unsigned
dots8(uint64_t w)
{
	uint64_t x = w ^ 0x2e2e2e2e2e2e2e2eULL;
	uint64_t t = ~(((x & 0x7f7f7f7f7f7f7f7fULL) + 0x7f7f7f7f7f7f7f7fULL) |
	    x | 0x7f7f7f7f7f7f7f7fULL);

	return (unsigned)(((t >> 7) * 0x0102040810204080ULL) >> 56);
}

/* Where the label that ends at i of key begins: after the last dot
 * before i, or 0.  Eight bytes at a time (key readable 8 bytes past
 * its end). */
static inline size_t
label_start(const uint8_t *key, size_t i)
{
	unsigned d;

	while (i >= 8) {
		if ((d = dots8(load64(key + i - 8))) != 0)
			return i - 8 + (size_t)(32 - __builtin_clz(d));
		i -= 8;
	}
	d = dots8(load64(key)) & ((1U << i) - 1);
	return d != 0 ? (size_t)(32 - __builtin_clz(d)) : 0;
}

/* ---- domains ---------------------------------------------------------- */

/* The filter bit of a last label (lower-cased here): from its first eight
 * bytes and its length, with one multiplication. */
static inline unsigned
tld_bit(const uint8_t *p, size_t n)
{
	uint64_t w = 0;

	for (size_t k = 0; k < n && k < 8; k++)
		w |= (uint64_t)fold1(p[k]) << (8 * k);
	return (unsigned)(((w + n * K2) * K1) >> 52);
}

static inline bool
tld_has(const struct vk_matcher *m, unsigned b)
{
	return (m->tld[b >> 6] >> (b & 63)) & 1;
}

/*
 * Looks up every suffix of the folded domain key[0..klen) (readable 8 bytes
 * past the end) at label boundaries, right to left.  Every hit reports the
 * whole name as it stands in the line, line[off .. off+len): the log's
 * "a.b.evil.se" for the indicator evil.se.
 */
static void
check_domain(
    struct scan *sc, const uint8_t *key, size_t klen, size_t off, size_t len)
{
	const struct vk_matcher *m = sc->m;
	uint64_t h = K0;
	size_t i = klen;
	unsigned n = 0;

	while (i > 0) {
		size_t ls = label_start(key, i), ln = i - ls;
		uint64_t hl;

		if (ln == 0 || ln > 63)
			return;
		hl = hash_bytes_pad(key + ls, ln, K1);
		h = combine(hl, h);
		if (++n == 1) {
			/* tld_bit() of a folded key, from one load */
			uint64_t w = load64(key + ls) &
			    (~0ULL >> (ln >= 8 ? 0 : 64 - 8 * ln));

			if (!tld_has(m, (unsigned)(((w + ln * K2) * K1) >> 52)))
				return;
		} else {
			uint64_t hf;

			if (!bloom_has(&m->dom, h))
				return;
			hf = dom_full(h);
			if (bloom_has(&m->dom, hf))
				PROBE(&m->dom, hf, ioc,
				    key_eq(ioc, key + ls, klen - ls), off, len);
		}
		if (ls == 0 || n + 1 >= MAXLABELS)
			return;
		i = ls - 1;
	}
}

/* Is [p, p+n) a UTF-8 punctuation character that may border a name
 * (U+0080..U+00BF, U+2000..U+206F, U+3000..U+303F)? Returns its length. */
static size_t
utf8_punct_at(const uint8_t *p, size_t n)
{
	if (n >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0xbf)
		return 2;
	if (n >= 3 && p[0] == 0xe2 && (p[1] == 0x80 || p[1] == 0x81) &&
	    p[2] >= 0x80 && p[2] <= 0xbf)
		return 3;
	if (n >= 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] >= 0x80 &&
	    p[2] <= 0xbf)
		return 3;
	return 0;
}

static size_t
utf8_punct_before(const uint8_t *p, size_t n)
{
	if (n >= 2 && utf8_punct_at(p + n - 2, 2) == 2)
		return 2;
	if (n >= 3 && utf8_punct_at(p + n - 3, 3) == 3)
		return 3;
	return 0;
}

/* A domain candidate [s, e) with bytes >= 0x80: an internationalised name
 * goes through vk_norm_domain (A-labels); failing that, its ASCII tail
 * from a label boundary is checked. */
static void
check_domain_idn(struct scan *sc, size_t s, size_t e)
{
	const uint8_t *p = sc->p;
	uint8_t key[VK_NORM_DOMAIN_MAX + 8];
	size_t klen, t;

	for (;;) {
		size_t a = utf8_punct_at(p + s, e - s);
		size_t b = a ? 0 : utf8_punct_before(p + s, e - s);

		if (a == 0 && b == 0)
			break;
		s += a;
		e -= b;
	}
	while (s < e && (p[s] == '.' || p[s] == '-'))
		s++;
	while (e > s && p[e - 1] == '.')
		e--;
	if (e - s < 3 || e - s > 1024)
		return;
	if (vk_norm_domain((const char *)p + s, e - s, (char *)key, &klen) ==
	    0) {
		memset(key + klen, 0, 8);
		check_domain(sc, key, klen, s, e - s);
		return;
	}
	/* Not a name as a whole: the ASCII part after the last non-ASCII
	 * byte, if it begins at a label boundary. */
	for (t = e; t > s && p[t - 1] < 0x80; t--)
		;
	if (t == s)
		return;
	while (t < e && p[t] != '.')
		t++;
	if (t >= e)
		return;
	t++;
	if (e - t < 3 || e - t > 253)
		return;
	fold_copy(key, p + t, e - t);
	memset(key + (e - t), 0, 8);
	check_domain(sc, key, e - t, t, e - t);
}

/* Bits set in a 64-bit word, without a library call. */
static inline unsigned
ones64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

/* ---- addresses -------------------------------------------------------- */

static void
lookup_v4(struct scan *sc, uint32_t a, size_t off, size_t len)
{
	const struct vk_matcher *m = sc->m;
	uint32_t c = a >> (32 - m->v4_cbits);

	if (!((m->v4_coarse[c >> 6] >> (c & 63)) & 1))
		return;
	for (unsigned k = 0; k < m->v4_nplen; k++) {
		unsigned pl = m->v4_plen[k];
		uint32_t key = pl == 0 ? 0 : a & (~0U << (32 - pl));
		uint64_t h = h_v4(key, pl);

		if (!bloom_has(&m->v4, h))
			continue;
		PROBE(&m->v4, h, ioc,
		    ioc->prefix == pl && vk_ioc_ipv4(ioc) == key, off, len);
	}
}

static void
mask_v6(uint8_t out[16], const uint8_t a[16], unsigned pl)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = pl >= 8 * (i + 1) ? 8
		    : pl > 8 * i                  ? pl - 8 * i
						  : 0;

		out[i] = bits == 0 ? 0 : (uint8_t)(a[i] & (0xff << (8 - bits)));
	}
}

static void
lookup_v6(struct scan *sc, const uint8_t a[16], size_t off, size_t len)
{
	const struct vk_matcher *m = sc->m;

	for (unsigned k = 0; k < m->v6_nplen; k++) {
		unsigned pl = m->v6_plen[k];
		uint8_t key[16];
		uint64_t h;

		mask_v6(key, a, pl);
		h = h_v6(key, pl);
		if (!bloom_has(&m->v6, h))
			continue;
		PROBE(&m->v6, h, ioc,
		    ioc->prefix == pl && memcmp(vk_ioc_ipv6(ioc), key, 16) == 0,
		    off, len);
	}
}

/* One part of a dotted quad: L (1 to 3) digits at q (readable 3 bytes);
 * *ok cleared when it is not 0-255 without a leading zero. */
static inline __attribute__((always_inline)) uint32_t
v4_part(const uint8_t *q, unsigned L, unsigned *ok)
{
	static const uint8_t mul[4][3] = { { 0, 0, 0 }, { 1, 0, 0 },
		{ 10, 1, 0 }, { 100, 10, 1 } };
	unsigned c0 = (unsigned)q[0] - '0', c1 = (unsigned)q[1] - '0',
		 c2 = (unsigned)q[2] - '0';
	const uint8_t *k = mul[L > 3 ? 3 : L];
	unsigned v = c0 * k[0] + c1 * k[1] + c2 * k[2];

	*ok &= (unsigned)(L - 1 <= 2) & (unsigned)(v <= 255) &
	    (unsigned)(L == 1 || c0 != 0);
	return v;
}

#if defined(VK_MATCH_AVX2)
/*
 * The dotted quad at q (n bytes, 16 readable; digits only besides the dots
 * at d1 < d2 < d3) in one shuffle: each part's digits go right-aligned
 * into a 32-bit lane, two multiply-adds give the four values, and one
 * comparison checks them against 255 and against their least value (no
 * leading zero).  Returns 1 with the address in *a, or 0.
 */
__attribute__((target("ssse3"))) static int
quad_ssse3(const struct vk_matcher *m, const uint8_t *q, unsigned d1,
    unsigned d2, unsigned d3, unsigned n, uint32_t *a)
{
	unsigned l1 = d1 - 1, l2 = d2 - d1 - 2, l3 = d3 - d2 - 2,
		 l4 = n - d3 - 2, k;
	__m128i x, v, bad;

	if (l1 > 2 || l2 > 2 || l3 > 2 || l4 > 2)
		return 0;
	k = l1 * 27 + l2 * 9 + l3 * 3 + l4;
	x = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)q),
	    _mm_set1_epi8('0'));
	x = _mm_shuffle_epi8(
	    x, _mm_loadu_si128((const __m128i *)(const void *)m->q_shuf[k]));
	v = _mm_maddubs_epi16(x, _mm_set1_epi32(0x00010a64)); /* 100,10,1,0 */
	v = _mm_madd_epi16(v, _mm_set1_epi16(1));
	bad = _mm_or_si128(_mm_cmpgt_epi32(v, _mm_set1_epi32(255)),
	    _mm_cmpgt_epi32(
		_mm_loadu_si128((const __m128i *)(const void *)m->q_min[k]),
		v));
	if (_mm_movemask_epi8(bad) != 0)
		return 0;
	v = _mm_shuffle_epi8(v,
	    _mm_setr_epi8(
		12, 8, 4, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
	*a = (uint32_t)_mm_cvtsi128_si32(v);
	return 1;
}
#endif

/*
 * The value of the dotted quad at q: n bytes, digits but for the dots at
 * d1 < d2 < d3, which have a digit between each two and at either end; q
 * is readable 2 bytes past its end.  Returns 1 with the address in *a, or
 * 0 when a part is not 0-255 without a leading zero.
 */
static inline int
quad_value(const uint8_t *q, unsigned d1, unsigned d2, unsigned d3, unsigned n,
    uint32_t *a)
{
	unsigned ok = 1;

	*a = v4_part(q, d1, &ok) << 24 |
	    v4_part(q + d1 + 1, d2 - d1 - 1, &ok) << 16 |
	    v4_part(q + d2 + 1, d3 - d2 - 1, &ok) << 8 |
	    v4_part(q + d3 + 1, n - d3 - 1, &ok);
	return (int)ok;
}

/*
 * The dotted quad p[s..e) (7 to 15 bytes, no dot at either end) with few
 * branches: digit and dot masks from one 16-byte load, then the parts
 * between the dots.  Returns 1 with the address in *a, 0 when it is no
 * address, -1 when it cannot tell here (a line shorter than 16 bytes, or
 * no SSE2): the caller parses it then.
 */
static inline int
v4_parse16(const struct scan *sc, size_t s, size_t e, uint32_t *a)
{
#if defined(VK_MATCH_SSE2)
	const uint8_t *p = sc->p;
	uint8_t q[32];
	const uint8_t *q0;
	unsigned n = (unsigned)(e - s), dm, gm, R, d1, d2, d3, off;
	size_t base;
	__m128i x, dig, dot;

	if (sc->m->isa < ISA_SSE2)
		return -1;
	/* 16 bytes from s, or ending at e near the end of the line. */
	if (sc->len - s >= 16)
		base = s;
	else if (e >= 16)
		base = e - 16;
	else
		return -1;
	off = (unsigned)(s - base);
	x = _mm_loadu_si128((const __m128i *)(const void *)(p + base));
	dig = vk_sse2_digit(x);
	dot = _mm_cmpeq_epi8(x, _mm_set1_epi8('.'));
	R = (1U << n) - 1;
	dm = ((unsigned)_mm_movemask_epi8(dot) >> off) & R;
	gm = ((unsigned)_mm_movemask_epi8(dig) >> off) & R;
	if ((dm | gm) != R || ones64(dm) != 3 || (dm & (dm >> 1)) != 0 ||
	    (dm & 1) || (dm >> (n - 1)))
		return 0;
	_mm_storeu_si128((__m128i *)(void *)q, x);
	memset(q + 16, '0', 16);
	q0 = q + off;
	d1 = (unsigned)__builtin_ctz(dm);
	dm &= dm - 1;
	d2 = (unsigned)__builtin_ctz(dm);
	dm &= dm - 1;
	d3 = (unsigned)__builtin_ctz(dm);
	return quad_value(q0, d1, d2, d3, n, a);
#else
	(void)sc;
	(void)s;
	(void)e;
	(void)a;
	return -1;
#endif
}

/* A maximal run [s, e) of digits and dots inside a word (any other byte
 * in it makes it no address).  Returns whether it was an address. */
static bool
check_v4_run(struct scan *sc, size_t s, size_t e)
{
	const uint8_t *p = sc->p;
	const uint8_t *cls = sc->m->cls;
	uint32_t a = 0;
	unsigned parts, v;
	size_t i;

	/* "v1.2.3.4", "1.2.3.4a": letters next to it make it a version,
	 * a name or an identifier, not an address. */
	if ((s > 0 && (cls[p[s - 1]] & C_ALPHA)) ||
	    (e < sc->len && (cls[p[e]] & C_ALPHA)))
		return false;
	while (s < e && p[s] == '.')
		s++;
	while (e > s && p[e - 1] == '.')
		e--;
	if (e - s < 7 || e - s > 15)
		return false;
	switch (v4_parse16(sc, s, e, &a)) {
	case 0:
		return false;
	case 1:
		lookup_v4(sc, a, s, e - s);
		return true;
	default:
		break;
	}
	/* Four parts of one to three digits, without a leading zero, joined
	 * by single dots, and nothing else: one part at a time, unrolled. */
	i = s;
	for (parts = 0;; parts++) {
		unsigned d0, d1, d2;

		if ((d0 = (unsigned)p[i] - '0') > 9)
			return false;
		v = d0;
		i++;
		if (i < e && (d1 = (unsigned)p[i] - '0') <= 9) {
			if (d0 == 0) /* leading 0 */
				return false;
			v = v * 10 + d1;
			i++;
			if (i < e && (d2 = (unsigned)p[i] - '0') <= 9) {
				v = v * 10 + d2;
				i++;
				if (v > 255 ||
				    (i < e && (unsigned)p[i] - '0' <= 9))
					return false;
			}
		}
		a = a << 8 | v;
		if (parts == 3)
			break;
		if (i >= e || p[i] != '.')
			return false;
		i++;
		if (i >= e)
			return false;
	}
	if (i != e)
		return false;
	lookup_v4(sc, a, s, e - s);
	return true;
}

/* ---- hashes ----------------------------------------------------------- */

static void
check_hash_run(struct scan *sc, size_t s, size_t e)
{
	const struct vk_matcher *m = sc->m;
	uint8_t key[136];
	size_t n = e - s, i;
	unsigned bit;
	uint64_t h;

	switch (n) {
	case 32:
		bit = 1;
		break;
	case 40:
		bit = 2;
		break;
	case 64:
		bit = 4;
		break;
	case 128:
		bit = 8;
		break;
	default:
		return;
	}
	if (!(m->hash_lens & bit))
		return;
	for (i = s; i < e; i++)
		if (!(m->cls[sc->p[i]] & C_HEX))
			return;
	fold_copy(key, sc->p + s, n);
	h = hash_bytes(key, n, K2);
	if (!bloom_has(&m->hash, h))
		return;
	PROBE(&m->hash, h, ioc, key_eq(ioc, key, n), s, n);
}

/* ---- words: domains, IPv4, hashes ------------------------------------- */

/* Does p[s..e) hold 32 hex digits in a row? */
static bool
hex_row32(const struct scan *sc, size_t s, size_t e)
{
	size_t n = 0;

	for (; s < e && n < 32; s++)
		n = (sc->m->cls[sc->p[s]] & C_HEX) ? n + 1 : 0;
	return n >= 32;
}

static bool
is_hexc(uint8_t c)
{
	return (c >= '0' && c <= '9') ||
	    ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static int
hexval(uint8_t c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

#if defined(VK_MATCH_SSE2)
/* Bit k set when x[k] is not a word byte (A-Z a-z 0-9 . - _ >= 0x80);
 * *dots gets the bits of '.', *digits those of 0-9. */
static inline unsigned
nonword16(__m128i x, unsigned *dots, unsigned *digits)
{
	__m128i alpha =
	    vk_sse2_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 26);
	__m128i digit = vk_sse2_digit(x);
	__m128i dot = _mm_cmpeq_epi8(x, _mm_set1_epi8('.'));
	__m128i w = _mm_or_si128(_mm_or_si128(alpha, digit),
	    _mm_or_si128(
		_mm_or_si128(dot, _mm_cmplt_epi8(x, _mm_setzero_si128())),
		_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('-')),
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('_')))));

	*dots = (unsigned)_mm_movemask_epi8(dot);
	*digits = (unsigned)_mm_movemask_epi8(digit);
	return ~(unsigned)_mm_movemask_epi8(w) & 0xffff;
}
#endif

/* Bits set in x; few (dots in 16 bytes), and without -mpopcnt
 * __builtin_popcount is a library call. */
static inline unsigned
ones(unsigned x)
{
	unsigned n = 0;

	for (; x != 0; x &= x - 1)
		n++;
	return n;
}

/* The end of the word that continues at e.  Adds its dots to *ndots and
 * its dots right after a digit to *ndd (an IPv4 address has three), and
 * sets *last to the position of its last dot, if it has one from e on. */
static inline size_t
word_end(const struct scan *sc, size_t e, unsigned *ndots, unsigned *ndd,
    size_t *last)
{
	const uint8_t *p = sc->p;
	const uint8_t *cls = sc->m->cls;
	unsigned prev = e > 0 && (cls[p[e - 1]] & C_DIGIT);

#if defined(VK_MATCH_SSE2)
	while (sc->m->isa >= ISA_SSE2 && e + 16 <= sc->len) {
		unsigned dots, digits,
		    nw = nonword16(
			_mm_loadu_si128((const __m128i *)(const void *)(p + e)),
			&dots, &digits);
		unsigned dd = dots & ((digits << 1) | prev);

		if (nw != 0) {
			unsigned k = (unsigned)__builtin_ctz(nw);
			unsigned in = (1U << k) - 1;

			if (dots & in)
				*last =
				    e + 31 - (size_t)__builtin_clz(dots & in);
			*ndots += ones(dots & in);
			*ndd += ones(dd & in);
			return e + k;
		}
		if (dots)
			*last = e + 31 - (size_t)__builtin_clz(dots);
		*ndots += ones(dots);
		*ndd += ones(dd);
		prev = (digits >> 15) & 1;
		e += 16;
	}
	if (sc->m->isa >= ISA_SSE2 && e < sc->len && sc->len >= 16) {
		/* The last 16 bytes of the line, shifted so that bit 0 is e;
		 * the end of the line ends the word. */
		size_t base = sc->len - 16;
		unsigned sh = (unsigned)(e - base), dots, digits, nw, dd, k, in;

		nw = nonword16(
		    _mm_loadu_si128((const __m128i *)(const void *)(p + base)),
		    &dots, &digits);
		nw = (nw >> sh) | (0xffffU << (16 - sh));
		dots >>= sh;
		digits >>= sh;
		dd = dots & ((digits << 1) | prev);
		k = (unsigned)__builtin_ctz(nw);
		in = (1U << k) - 1;
		if (dots & in)
			*last = e + 31 - (size_t)__builtin_clz(dots & in);
		*ndots += ones(dots & in);
		*ndd += ones(dd & in);
		return e + k;
	}
#endif
	while (e < sc->len && (cls[p[e]] & C_WORD)) {
		if (p[e] == '.') {
			*ndots += 1;
			*ndd += prev;
			*last = e;
		}
		prev = (cls[p[e]] & C_DIGIT) != 0;
		e++;
	}
	return e;
}

/* Bits [pos, pos + 57) at least of the window's mask M (pos in the
 * window), from one unaligned load: bit 0 is pos.  The bits above those
 * are 0, which the callers take for "unknown" (a run that seems to go on
 * past them is walked byte by byte instead). */
static inline uint64_t
win_bits(const uint64_t *M, const struct win *w, size_t pos)
{
	size_t off = pos - w->base;

	return load64((const uint8_t *)M + (off >> 3)) >> (off & 7);
}

/*
 * The run around position i of the window that the stop mask M (nw, nv6)
 * ends on either side, not before tok_end, when it lies within 24 bytes
 * before i and 32 after (a trigger is mostly a word's first dot): the
 * view's start *vs (bit 0 of win_bits() from it) and the run's bits
 * [*sb, *eb) in it.  False when the run may reach past the view (the
 * caller then walks the bytes).
 */
static inline bool
win_run(const struct scan *sc, const uint64_t *M, size_t i, size_t *vs,
    unsigned *sb, unsigned *eb)
{
	const struct win *w = sc->w;
	size_t v = i >= w->base + 24 ? i - 24 : w->base;
	unsigned r = (unsigned)(i - v), b;
	uint64_t stop, below, above;

	if (i < w->base || i - w->base >= 64 * (size_t)w->n)
		return false;
	stop = win_bits(M, w, v);
	below = stop & ((1ULL << r) - 1);
	above = stop & (~1ULL << r);
	if (above == 0)
		return false;
	if (below != 0)
		b = 64 - (unsigned)__builtin_clzll(below);
	else if (v == 0)
		b = 0; /* the run begins the line */
	else
		return false;
	if (v + b < sc->tok_end)
		b = (unsigned)(sc->tok_end - v); /* <= r: tok_end <= i */
	*vs = v;
	*sb = b;
	*eb = (unsigned)__builtin_ctzll(above);
	return true;
}

/*
 * The word around trigger i from the window's masks, when it lies within
 * 24 bytes before i and 32 after: [*s, *e), whether it has a dot, its
 * dots right after a digit (counted up to 3: an IPv4 address has three)
 * and its last dot — what on_word() finds from the bytes.  *quad is set
 * when the word is nothing but digits and dots.  False otherwise.
 */
static inline bool
win_word(struct scan *sc, size_t i, size_t *s, size_t *e, unsigned *ndots,
    unsigned *ndd, size_t *last, uint64_t *quad)
{
	const struct win *w = sc->w;
	size_t vs;
	unsigned sb, eb;
	uint64_t range, d, dd, g;

	if (!win_run(sc, w->nw, i, &vs, &sb, &eb))
		return false;
	range = (1ULL << eb) - (1ULL << sb);
	d = win_bits(w->dot, w, vs) & range;
	g = win_bits(w->dig, w, vs);
	/* The byte before the word is in the view, or the word begins the
	 * line (no digit before it). */
	dd = d & (g << 1);
	*s = vs + sb;
	*e = vs + eb;
	*ndots = d != 0;
	*ndd = 0;
	if (dd != 0) {
		dd &= dd - 1;
		*ndd = dd == 0 ? 1 : (dd & (dd - 1)) == 0 ? 2 : 3;
	}
	*last = d != 0 ? vs + 63 - (size_t)__builtin_clzll(d) : SIZE_MAX;
	/* its dots (bits from s on), when it is all digits and dots */
	*quad = ((g | d) & range) == range ? d >> sb : 0;
	return true;
}

/*
 * The word p[s..e), digits and dots with its dots at the bits of d (bit 0:
 * s), as check_v4_run() takes it: returns 1 with the address in *a, 0 when
 * it is no address, -1 when check_v4_run() must look (dots at its ends
 * to trim, a letter before it, the end of the line too near to load the
 * last part).
 */
static inline int
quad_parse(const struct scan *sc, size_t s, size_t e, uint64_t d, uint32_t *a)
{
	const uint8_t *p = sc->p;
	unsigned n = (unsigned)(e - s), d1, d2, d3;
	uint64_t x;

	if ((d & 1) || (d >> (n - 1)) || e + 2 > sc->len ||
	    (s > 0 && (sc->m->cls[p[s - 1]] & C_ALPHA)))
		return -1;
	/* three single dots */
	x = d & (d - 1);
	x &= x - 1;
	if (x == 0 || (x & (x - 1)) != 0 || (d & (d >> 1)) != 0)
		return 0;
	d1 = (unsigned)__builtin_ctzll(d);
	d &= d - 1;
	d2 = (unsigned)__builtin_ctzll(d);
	d3 = (unsigned)__builtin_ctzll(x);
#if defined(VK_MATCH_AVX2)
	if (sc->m->isa >= ISA_AVX2 && s + 16 <= sc->len)
		return quad_ssse3(sc->m, p + s, d1, d2, d3, n, a);
#endif
	return quad_value(p + s, d1, d2, d3, n, a);
}

/* Could the name p[ds..de) end in a top-level label some indicator ends
 * in?  Most dotted words of a log ("index.html", "5.0", "kommun.local")
 * stop here, before the word is copied.  `ls`, when not SIZE_MAX, is
 * where the last label begins (known from the word's scan). */
static inline bool
tld_maybe(const struct scan *sc, size_t ds, size_t de, size_t ls)
{
	const uint8_t *p = sc->p;
	size_t n;
	uint8_t hi = 0;
	uint64_t w;

	if (ls != SIZE_MAX && de - ls <= 8 && ls + 8 <= sc->len) {
		/* The label in one load: its bytes >= 0x80 from it too. */
		n = de - ls;
		if (n == 0)
			return false;
		uint64_t mask = ~0ULL >> (64 - 8 * n), t;

		w = load64(p + ls) & mask;
		if (w & 0x8080808080808080ULL)
			return true;
		/* A last label of digits only ("1.2.3.4", "HTTP/1.1") is
		 * never a domain indicator's (docs/matching.md). */
		t = w ^ (0x3030303030303030ULL & mask);
		if ((t & 0xf0f0f0f0f0f0f0f0ULL) == 0 &&
		    ((t + 0x0606060606060606ULL) & 0xf0f0f0f0f0f0f0f0ULL &
			mask) == 0)
			return false;
		w = fold64(w);
		return tld_has(sc->m, (unsigned)(((w + n * K2) * K1) >> 52));
	}
	ls = de;
	while (ls > ds && p[ls - 1] != '.')
		hi |= p[--ls];
	n = de - ls;
	if (n == 0 || n > 63)
		return n != 0;
	if (hi & 0x80)
		return true; /* an internationalised label: ask libidn2 */
	if (ls + 8 > sc->len)
		return tld_has(sc->m, tld_bit(p + ls, n));
	/* the same as tld_bit(), eight bytes at once */
	w = fold64(load64(p + ls));
	if (n < 8)
		w &= ~0ULL >> (64 - 8 * n);
	return tld_has(sc->m, (unsigned)(((w + n * K2) * K1) >> 52));
}

/* The word around trigger i: [s, e), s >= pos.  Returns the word's end. */
static size_t
on_word(struct scan *sc, size_t i)
{
	const struct vk_matcher *m = sc->m;
	const uint8_t *p = sc->p;
	const uint8_t *cls = m->cls;
	size_t s = i, e = i + 1, j, last = SIZE_MAX;
	unsigned ndots = 0, ndd = 0;
	uint64_t quad;
	bool dot;

	if (sc->w != NULL &&
	    win_word(sc, i, &s, &e, &ndots, &ndd, &last, &quad)) {
		if (quad != 0 && e - s <= 15) {
			/* Digits and dots: no domain (a last label of digits
			 * is none, docs/matching.md), no hash (too short); an
			 * address, or nothing. */
			if (ndd >= 3 && m->has_v4) {
				uint32_t a;

				switch (quad_parse(sc, s, e, quad, &a)) {
				case 1:
					lookup_v4(sc, a, s, e - s);
					break;
				case 0:
					break;
				default:
					check_v4_run(sc, s, e);
					break;
				}
			}
			sc->tok_end = e;
			return e;
		}
		goto have_word;
	}

	/* Count the dots, and those right after a digit (an over-count
	 * here is harmless: it only decides whether to look for IPv4).  A
	 * dot trigger is the first dot of its word: every dot is a trigger,
	 * and no handler skips one without consuming its word. */
#if defined(VK_MATCH_SSE2)
	if (m->isa >= ISA_SSE2 && i >= 16) {
		unsigned dots, digits,
		    nw = nonword16(
			_mm_loadu_si128(
			    (const __m128i *)(const void *)(p + i - 16)),
			&dots, &digits);

		/* Bytes before tok_end count as non-word: the word may not
		 * begin before it. */
		nw |= below_tok_end(sc->tok_end, i);
		if (nw != 0)
			s = i - 16 + (size_t)(32 - __builtin_clz(nw));
		else
			s = i - 16;
	}
	if (s == i || s == i - 16)
#endif
		while (s > sc->tok_end && (cls[p[s - 1]] & C_WORD))
			s--;
	if (p[i] == '.') {
		ndots = 1;
		ndd = i > 0 && (cls[p[i - 1]] & C_DIGIT);
		last = i;
	} else {
		for (j = s; j <= i; j++) {
			if (p[j] == '.') {
				ndots++;
				ndd += j > 0 && (cls[p[j - 1]] & C_DIGIT);
				last = j;
			}
		}
	}
	e = word_end(sc, e, &ndots, &ndd, &last);
have_word:
	dot = ndots > 0;

	if (dot && m->has_dom) {
		size_t ds = s, de = e;

		/* "%2Fevil.se" in a percent-encoded URL: the escape is not
		 * part of the name. */
		if (ds > 0 && p[ds - 1] == '%' && de - ds > 2 &&
		    is_hexc(p[ds]) && is_hexc(p[ds + 1])) {
			int c = hexval(p[ds]) << 4 | hexval(p[ds + 1]);

			if (c < 0x80 && !(cls[c] & C_WORD))
				ds += 2;
		}
		while (ds < de && (p[ds] == '.' || p[ds] == '-'))
			ds++;
		while (de > ds && p[de - 1] == '.')
			de--;
		if (de - ds > 253) {
			/* Only the rightmost 253 bytes can hold a name. */
			ds = de - 253;
			while (ds < de && p[ds] != '.')
				ds++;
			if (ds < de)
				ds++;
		}
		/* The last label's start, when the word's last dot is the
		 * name's (no trailing dots were dropped). */
		if (de != e || last == SIZE_MAX)
			last = SIZE_MAX;
		else
			last = last < ds ? ds : last + 1;
		if (de - ds >= 3 && tld_maybe(sc, ds, de, last)) {
			uint8_t key[264];
			size_t klen = de - ds;

			if (fold_copy(key, p + ds, klen) & 0x80) {
				check_domain_idn(sc, ds, de);
			} else {
				memset(key + klen, 0, 8);
				check_domain(sc, key, klen, ds, de - ds);
			}
		}
	}
	/* Most such words are one address: try that first. */
	if (ndd >= 3 && m->has_v4 &&
	    !((cls[p[s]] & C_DIGIT) && check_v4_run(sc, s, e))) {
		for (j = s; j < e;) {
			size_t r;
			bool rd = false;

			while (j < e && !(cls[p[j]] & C_DIGIT) && p[j] != '.')
				j++;
			for (r = j;
			     r < e && ((cls[p[r]] & C_DIGIT) || p[r] == '.');
			     r++)
				rd |= p[r] == '.';
			if (rd)
				check_v4_run(sc, j, r);
			j = r;
		}
	}
	if (m->hash_lens && e - s >= 32) {
		for (j = s; j < e;) {
			size_t r;

			while (j < e && !(cls[p[j]] & (C_ALPHA | C_DIGIT)))
				j++;
			for (r = j; r < e && (cls[p[r]] & (C_ALPHA | C_DIGIT));
			     r++)
				;
			if (r - j >= 32) {
				check_hash_run(sc, j, r);
				dot = dot || hex_row32(sc, j, r);
			}
			j = r;
		}
	}
	/* The word is a token (the next may not begin inside it) when it
	 * holds a dot or 32 hex digits in a row.  Other words reach here by
	 * a 16-byte chunk of hex digits, which is there or not by where the
	 * chunks of the scan fall: they must not change what follows. */
	if (dot)
		sc->tok_end = e;
	return e;
}

/* ---- URLs ------------------------------------------------------------- */

#if defined(VK_MATCH_SSE2)
/* The first byte at or after e (before lim) that ends a URL (C_URLEND:
 * controls, space, DEL, " ' < > ` | ^ { }), 16 bytes at a time; the last
 * fewer than 16 are left to the caller. */
static inline size_t
url_end16(const uint8_t *p, size_t e, size_t lim)
{
	for (; lim - e >= 16; e += 16) {
		__m128i x =
		    _mm_loadu_si128((const __m128i *)(const void *)(p + e));
		__m128i t = _mm_or_si128(
		    _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x20)), x),
		    _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)),
			    _mm_cmpeq_epi8(x, _mm_set1_epi8('"'))),
			_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\'')),
			    _mm_cmpeq_epi8(x, _mm_set1_epi8('<')))));
		unsigned mk;

		t = _mm_or_si128(t,
		    _mm_or_si128(
			_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('>')),
			    _mm_cmpeq_epi8(x, _mm_set1_epi8('`'))),
			_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('|')),
			    _mm_cmpeq_epi8(x, _mm_set1_epi8('^')))));
		t = _mm_or_si128(t,
		    _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('{')),
			_mm_cmpeq_epi8(x, _mm_set1_epi8('}'))));
		if ((mk = (unsigned)_mm_movemask_epi8(t)) != 0)
			return e + (size_t)__builtin_ctz(mk);
	}
	return e;
}
#endif

/* The URL whose "://" is at i. */
#if defined(VK_MATCH_SSE2)
/*
 * A URL's host from hs, 16 bytes at a time: *he the first '/', '?' or '#'
 * before e (or e), *k the first ':' before *he (or *he), *plain whether
 * p[hs..*k) holds no byte >= 0x80 and no '%'.  False (the caller walks
 * the bytes) near the end of the buffer or when an '@' (userinfo) comes
 * before the host's end.
 */
static inline bool
url_host16(const struct scan *sc, size_t hs, size_t e, size_t *he, size_t *k,
    bool *plain)
{
	const uint8_t *p = sc->p;
	size_t q, kk = SIZE_MAX;
	bool pl = true;

	for (q = hs;; q += 16) {
		__m128i x;
		unsigned S, A, C, H, n, end, in;

		if (q >= e) {
			*he = e;
			break;
		}
		if (sc->len - q < 16)
			return false;
		x = _mm_loadu_si128((const __m128i *)(const void *)(p + q));
		S = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('/')),
			_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('?')),
			    _mm_cmpeq_epi8(x, _mm_set1_epi8('#')))));
		A = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(x, _mm_set1_epi8('@')));
		C = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(x, _mm_set1_epi8(':')));
		H = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(x, _mm_cmpeq_epi8(x, _mm_set1_epi8('%'))));
		n = e - q < 16 ? (unsigned)(e - q) : 16;
		S &= (1U << n) - 1;
		end = S != 0 ? (unsigned)__builtin_ctz(S) : n;
		in = (1U << end) - 1;
		if (A & in)
			return false;
		if (kk == SIZE_MAX) {
			unsigned c = C & in;

			if (c != 0) {
				unsigned kc = (unsigned)__builtin_ctz(c);

				kk = q + kc;
				pl = pl && !(H & ((1U << kc) - 1));
			} else {
				pl = pl && !(H & in);
			}
		}
		if (S != 0 || n < 16) {
			*he = q + end;
			break;
		}
	}
	*k = kk == SIZE_MAX ? *he : kk;
	*plain = pl;
	return true;
}
#endif

static void
check_url(struct scan *sc, size_t i)
{
	const struct vk_matcher *m = sc->m;
	const uint8_t *p = sc->p;
	const uint8_t *cls = m->cls;
	uint8_t buf[VK_NORM_URL_MAX];
	size_t s = i, e = i + 3, lim, hs, he, k, klen;
	bool plain;
	uint64_t h;

	while (s > 0 && i - s < 16 && (cls[p[s - 1]] & C_SCHEME))
		s--;
	if (s == i || !(cls[p[s]] & C_ALPHA))
		return;
	/* A URL longer than VK_NORM_URL_MAX is compared up to that length. */
	lim = sc->len - s > VK_NORM_URL_MAX - 1 ? s + VK_NORM_URL_MAX - 1
						: sc->len;
#if defined(VK_MATCH_SSE2)
	if (m->isa >= ISA_SSE2)
		e = url_end16(p, e, lim);
#endif
	while (e < lim && !(cls[p[e]] & C_URLEND))
		e++;
	/* Sentence punctuation after a URL is not part of it. */
	while (e > i + 3) {
		uint8_t c = p[e - 1];

		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
		    c == '?' ||
		    (c == ')' && memchr(p + s, '(', e - s) == NULL) ||
		    (c == ']' && memchr(p + s, '[', e - s) == NULL))
			e--;
		else
			break;
	}
	if (e == i + 3)
		return;

	/* Cheap filter on the host before normalising. */
	hs = i + 3;
#if defined(VK_MATCH_SSE2)
	if (!(m->isa >= ISA_SSE2 && url_host16(sc, hs, e, &he, &k, &plain)))
#endif
	{
		for (he = hs;
		     he < e && p[he] != '/' && p[he] != '?' && p[he] != '#';
		     he++)
			if (p[he] == '@')
				hs = he + 1;
		plain = true;
		for (k = hs; k < he && p[k] != ':'; k++)
			if (p[k] >= 0x80 || p[k] == '%')
				plain = false;
	}
	if (!m->url_host_any && hs < he && p[hs] != '[') {
		size_t hl;

		hl = k - hs;
		if (plain && hl > 0 && hl <= 253) {
			fold_copy(buf, p + hs, hl);
			if (hl > 1 && buf[hl - 1] == '.')
				hl--;
			if (!bloom_has(&m->url_host, hash_bytes(buf, hl, K3)))
				return;
		}
	}
	if (vk_norm_url((const char *)p + s, e - s, (char *)buf, sizeof(buf),
		&klen, NULL, NULL) != 0)
		return;
	h = hash_bytes(buf, klen, K4);
	if (bloom_has(&m->url, h))
		PROBE(&m->url, h, ioc, key_eq(ioc, buf, klen), s, e - s);
	/* An indicator without a query matches the URL with any query. */
	for (k = 0; k < klen && buf[k] != '?'; k++)
		;
	if (k < klen) {
		h = hash_bytes(buf, k, K4);
		if (bloom_has(&m->url, h))
			PROBE(&m->url, h, ioc, key_eq(ioc, buf, k), s, e - s);
	}
}

#if defined(VK_MATCH_SSE2)
/* Bit k set when x[k] is not a hex digit, ':' or '.'; *colons gets the
 * bits of ':'. */
static inline unsigned
nonv6_16(__m128i x, unsigned *colons)
{
	__m128i col = _mm_cmpeq_epi8(x, _mm_set1_epi8(':'));
	__m128i v = _mm_or_si128(vk_sse2_hex(x),
	    _mm_or_si128(col, _mm_cmpeq_epi8(x, _mm_set1_epi8('.'))));

	*colons = (unsigned)_mm_movemask_epi8(col);
	return ~(unsigned)_mm_movemask_epi8(v) & 0xffff;
}
#endif

/*
 * The run of hex digits, ':' and '.' around the colon at i — [*s, *e),
 * not before tok_end — with its colons and its "::"
 * pairs, from one 16-byte load on each side.  Returns false (and sets
 * nothing) when the run may reach past them; the caller then walks it.
 */
static inline bool
v6_run16(const struct scan *sc, size_t i, size_t *s, size_t *e, unsigned *ncol,
    unsigned *ndcol)
{
#if defined(VK_MATCH_SSE2)
	const uint8_t *p = sc->p;
	unsigned cb, cf, nb, nf;
	size_t rs, re;
	uint64_t c, r;

	/* Bit b of the masks stands for position i - 16 + b. */
	if (sc->m->isa < ISA_SSE2 || sc->len - i < 17 || sc->len < 16)
		return false;
	if (i >= 16) {
		nb = nonv6_16(_mm_loadu_si128(
				  (const __m128i *)(const void *)(p + i - 16)),
		    &cb);
	} else {
		/* Near the start of the line: bytes before it end the run. */
		unsigned sh = 16 - (unsigned)i;

		nb = nonv6_16(
		    _mm_loadu_si128((const __m128i *)(const void *)p), &cb);
		nb = ((nb << sh) | ((1U << sh) - 1)) & 0xffff;
		cb = (cb << sh) & 0xffff;
	}
	nf = nonv6_16(
	    _mm_loadu_si128((const __m128i *)(const void *)(p + i + 1)), &cf);
	nb |= below_tok_end(sc->tok_end, i);
	if (nb == 0 || nf == 0)
		return false;
	/* The colon at 16, the run [rs, re). */
	rs = (size_t)(32 - __builtin_clz(nb));
	re = 17 + (size_t)__builtin_ctz(nf);
	r = (~0ULL >> (64 - (re - rs))) << rs;
	c = ((uint64_t)cb | 1ULL << 16 | (uint64_t)cf << 17) & r;
	*s = i + rs - 16;
	*e = i + re - 16;
	*ncol = ones64(c);
	*ndcol = ones64(c & (c << 1));
	return true;
#else
	(void)sc;
	(void)i;
	(void)s;
	(void)e;
	(void)ncol;
	(void)ndcol;
	return false;
#endif
}

/* ---- IPv6 (and IPv4-mapped) at a colon -------------------------------- */

/*
 * v6_run16() from the window's masks, when the run lies within 24 bytes
 * before i and 32 after: the run of hex digits, ':' and '.' around the
 * colon at i, not before tok_end, its colons and its "::"
 * pairs.
 */
static inline bool
win_v6_run(const struct scan *sc, size_t i, size_t *s, size_t *e,
    unsigned *ncol, unsigned *ndcol)
{
	const struct win *w = sc->w;
	size_t vs;
	unsigned sb, eb;
	uint64_t c;

	if (!win_run(sc, w->nv6, i, &vs, &sb, &eb))
		return false;
	c = win_bits(w->col, w, vs) & ((1ULL << eb) - (1ULL << sb));
	*s = vs + sb;
	*e = vs + eb;
	*ncol = ones64(c);
	*ndcol = ones64(c & (c << 1));
	return true;
}

/* Not inlined: dispatch() stays small enough to inline. */
__attribute__((noinline)) static size_t
on_colon(struct scan *sc, size_t i)
{
	const struct vk_matcher *m = sc->m;
	const uint8_t *p = sc->p;
	const uint8_t *cls = m->cls;
	size_t s = i, e = i + 1, t, z, rs = 0, re = 0;
	unsigned ncol = 0, glen = 0, ndcol = 0;
	bool dots = false, ok = true;
	char txt[48];
	uint8_t a[16];

	if (m->has_url && i + 2 < sc->len && p[i + 1] == '/' &&
	    p[i + 2] == '/') {
		check_url(sc, i);
		return i + 3;
	}
	if (!m->has_v6 && !m->has_v4)
		return i + 1;
	/* JSON's ":" between key and value, "key: value": an address has a
	 * hex digit or another colon next to each of its colons. */
	if (!((i > 0 && ((cls[p[i - 1]] & C_HEX) || p[i - 1] == ':')) ||
		(i + 1 < sc->len &&
		    ((cls[p[i + 1]] & C_HEX) || p[i + 1] == ':'))))
		return i + 1;
	/* A colon of a run already found to be no address, with the same
	 * tok_end: the same run, the same answer. */
	if (i >= sc->rej_s && i < sc->rej_e && sc->tok_end == sc->rej_tok)
		return i + 1;
	if (!(sc->w != NULL && win_v6_run(sc, i, &s, &e, &ncol, &ndcol)) &&
	    !v6_run16(sc, i, &s, &e, &ncol, &ndcol)) {
		/* At most V6_RUN_MAX bytes either way: a run longer than that
		 * is no address, whichever of its colons it is seen from (and
		 * hostile lines cost linear time). */
		size_t lo = sc->tok_end,
		       hi = sc->len - i > V6_RUN_MAX ? i + V6_RUN_MAX : sc->len;

		if (lo < i && i - lo > V6_RUN_MAX)
			lo = i - V6_RUN_MAX;
		while (s > lo && (cls[p[s - 1]] & C_V6))
			s--;
		while (e < hi && (cls[p[e]] & C_V6))
			e++;
		if ((s == lo && lo > sc->tok_end && (cls[p[s - 1]] & C_V6)) ||
		    (e == hi && e < sc->len && (cls[p[e]] & C_V6))) {
			rs = s; /* too long */
			re = e;
			goto reject;
		}
		for (t = s; t < e; t++) {
			unsigned c = p[t] == ':';

			ncol += c;
			ndcol += c & (t > s && p[t - 1] == ':');
		}
	}
	rs = s;
	re = e;
	if (e - s > V6_RUN_MAX)
		goto reject;
	/* Without "::" an address has seven colons (six before a dotted
	 * quad), and trimming below removes no colon of a "::": timestamps
	 * ("20:23:16") stop here. */
	if (ndcol == 0 && ncol < 6)
		goto reject;
	ncol = 0;
	ndcol = 0;
	/* Sentence or list punctuation around it. */
	while (e > s && p[e - 1] == '.')
		e--;
	if (e - s >= 2 && p[e - 1] == ':' && p[e - 2] != ':')
		e--;
	if (e - s >= 2 && p[s] == ':' && p[s + 1] != ':')
		s++;
	if (e - s < 2 || e - s > 45)
		goto reject;
	if ((s > 0 && (cls[p[s - 1]] & (C_ALPHA | C_DIGIT))) ||
	    (e < sc->len && (cls[p[e]] & (C_ALPHA | C_DIGIT))))
		goto reject;
	/* Plausibility before inet_pton: 2..7 colons, groups of at most four
	 * hex digits, "::" at most once, and without "::" all eight groups
	 * (timestamps "20:23:16" and MAC addresses fail here). */
	for (t = s; t < e; t++) {
		if (p[t] == ':') {
			ncol++;
			if (t > s && p[t - 1] == ':')
				ndcol++;
			glen = 0;
		} else if (p[t] == '.') {
			dots = true;
		} else if (++glen > 4 && !dots) {
			ok = false;
		}
	}
	if (!ok || ncol < 2 || ncol > 7 || ndcol > 1 ||
	    (ndcol == 0 && ncol != 7 && !(ncol == 6 && dots)))
		goto reject;
	if (!m->has_v6) {
		/* Only IPv4-mapped addresses can match. */
		bool ffff = false;

		for (t = s; t + 4 <= e; t++)
			if ((p[t] | 0x20) == 'f' && (p[t + 1] | 0x20) == 'f' &&
			    (p[t + 2] | 0x20) == 'f' &&
			    (p[t + 3] | 0x20) == 'f')
				ffff = true;
		if (!ffff)
			goto reject;
	}
	memcpy(txt, p + s, e - s);
	txt[e - s] = '\0';
	if (inet_pton(AF_INET6, txt, a) != 1)
		goto reject;
	z = e;
	if (z < sc->len && p[z] == '%') /* zone: not part of the match */
		for (z++; z < sc->len && (cls[p[z]] & C_WORD) && z - e < 64;
		     z++)
			;
	if (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		if (m->has_v4)
			lookup_v4(sc,
			    (uint32_t)a[12] << 24 | (uint32_t)a[13] << 16 |
				(uint32_t)a[14] << 8 | a[15],
			    s, e - s);
	} else if (m->has_v6) {
		lookup_v6(sc, a, s, e - s);
	}
	sc->tok_end = z;
	return z;
reject:
	/* Nothing of the run is consumed: its dots and hex runs are looked
	 * at in turn ("src:1.2.3.4:443", "12:30:<md5>:1"); its other colons
	 * get the same answer from the memo (or colon_idle() passes them
	 * over). */
	sc->rej_s = rs;
	sc->rej_e = re;
	sc->rej_tok = sc->tok_end;
	return i + 1;
}

/* ---- e-mail ----------------------------------------------------------- */

/* Not inlined: dispatch() stays small enough to inline. */
__attribute__((noinline)) static void
on_at(struct scan *sc, size_t i)
{
	const struct vk_matcher *m = sc->m;
	const uint8_t *p = sc->p;
	const uint8_t *cls = m->cls;
	uint8_t key[EMAIL_LOCAL_MAX + 1 + VK_NORM_DOMAIN_MAX + 8];
	size_t s = i, e = i + 1, klen;
	uint64_t h;

	while (s > 0 && (cls[p[s - 1]] & C_LOCAL) && i - s <= EMAIL_LOCAL_MAX)
		s--;
	if (s == i || i - s > EMAIL_LOCAL_MAX || p[s] == '.')
		return;
	while (e < sc->len && (cls[p[e]] & C_WORD) && e - i <= 254)
		e++;
	while (e > i + 1 && p[e - 1] == '.')
		e--;
	if (e - (i + 1) < 3 || e - (i + 1) > 253 ||
	    memchr(p + i + 1, '.', e - (i + 1)) == NULL)
		return;
	if (fold_copy(key, p + s, e - s) & 0x80) {
		if (vk_norm_email((const char *)p + s, e - s, (char *)key,
			sizeof(key), &klen) != 0)
			return;
	} else {
		klen = e - s;
	}
	h = hash_bytes(key, klen, K1);
	if (!bloom_has(&m->email, h))
		return;
	PROBE(&m->email, h, ioc, key_eq(ioc, key, klen), s, e - s);
}

/* ---- Windows DNS debug log names: (3)www(4)evil(2)se(0) --------------- */

/* Not inlined: dispatch() stays small enough to inline. */
__attribute__((noinline)) static size_t
on_paren(struct scan *sc, size_t i)
{
	const uint8_t *p = sc->p;
	const uint8_t *cls = sc->m->cls;
	uint8_t key[VK_NORM_DOMAIN_MAX + 8];
	size_t j = i, klen = 0, k;
	unsigned nl = 0;

	for (;;) {
		unsigned n = 0, nd = 0;

		if (j >= sc->len || p[j] != '(')
			return i + 1;
		for (j++; j < sc->len && (cls[p[j]] & C_DIGIT) && nd < 3; j++) {
			n = n * 10 + (unsigned)(p[j] - '0');
			nd++;
		}
		if (nd == 0 || j >= sc->len || p[j] != ')')
			return i + 1;
		j++;
		if (n == 0)
			break;
		if (n > 63 || sc->len - j < n || nl == MAXLABELS ||
		    klen + n + 1 > VK_NORM_DOMAIN_MAX - 2)
			return i + 1;
		for (k = 0; k < n; k++) {
			uint8_t c = p[j + k];

			if (!(cls[c] & (C_ALPHA | C_DIGIT)) && c != '-' &&
			    c != '_')
				return i + 1;
		}
		if (nl > 0)
			key[klen++] = '.';
		fold_copy(key + klen, p + j, n);
		klen += n;
		nl++;
		j += n;
	}
	if (nl < 2)
		return i + 1;
	memset(key + klen, 0, 8);
	check_domain(sc, key, klen, i, j - i);
	sc->tok_end = j;
	return j;
}

/* ---- the block scanner ------------------------------------------------ */

#if defined(VK_MATCH_SSE2)
struct vecs {
	__m128i t0, t1, t2, t3;
};

static inline uint64_t
mask16(const struct vecs *v, __m128i x, bool hex)
{
	__m128i t = _mm_or_si128(
	    _mm_or_si128(_mm_cmpeq_epi8(x, v->t0), _mm_cmpeq_epi8(x, v->t1)),
	    _mm_or_si128(_mm_cmpeq_epi8(x, v->t2), _mm_cmpeq_epi8(x, v->t3)));
	uint64_t r = (uint64_t)(unsigned)_mm_movemask_epi8(t);

	if (hex && _mm_movemask_epi8(vk_sse2_hex(x)) == 0xffff)
		r |= 1;
	return r;
}

#else
struct vecs {
	int unused;
};
#endif

static inline uint64_t
block_mask_scalar(const struct vk_matcher *m, const uint8_t *p, bool hex)
{
	uint64_t r = 0;

	for (unsigned k = 0; k < 64; k++)
		if (m->trig[p[k]])
			r |= 1ULL << k;
	if (hex)
		for (unsigned c = 0; c < 64; c += 16) {
			unsigned k = 0;

			while (k < 16 && (m->cls[p[c + k]] & C_HEX))
				k++;
			if (k == 16)
				r |= 1ULL << c;
		}
	return r;
}

/* ---- window masks ----------------------------------------------------- */

#if defined(VK_MATCH_SSE2)
/* The masks of nblk blocks at p into w from block k0 on, 16 bytes at a
 * time with SSE2 compares. */
/*
 * Of a block's colons (bit k: byte k), those that colon_idle() is to look
 * at: the first of a "::", one before a '/' (a URL's "://"), and one with
 * two more colons after it, each at most five bytes after the one before
 * (the first colon of an address without "::" has six).  The rest cannot
 * begin an address (timestamps, JSON's "key":) and are no triggers.  The
 * bytes after the block are not known here: its last colons are kept.
 */
static inline uint64_t
within5(uint64_t x)
{
	/* bit k: some bit of x in k+1 .. k+5 (the top five: unknown, set) */
	uint64_t a = x >> 1, b = a | a >> 1, c = b | b >> 2;

	return c | a >> 4 | 0xf800000000000000ULL;
}

static inline uint64_t
colon_keep(uint64_t col, uint64_t sl)
{
	uint64_t n1 = col & within5(col);

	return (col & within5(n1)) |
	    (col & ((col >> 1) | (sl >> 1) | (1ULL << 63)));
}

/* Of a block's '(' triggers, those before a digit (a Windows DNS debug
 * log's "(3)www(4)evil(2)se(0)"): on_paren() passes the others over. */
static inline uint64_t
paren_keep(uint64_t par, uint64_t dig)
{
	return par & ((dig >> 1) | (1ULL << 63));
}

static inline void
fill_sse2(const struct vecs *v, const uint8_t *p, size_t nblk, bool hex,
    struct win *w, size_t k0)
{
	for (size_t k = 0; k < nblk; k++) {
		uint64_t tr = 0, nw = 0, dg = 0, dt = 0, cl = 0, n6 = 0, sl = 0,
			 pa = 0;

		for (unsigned q = 0; q < 64; q += 16) {
			__m128i x = _mm_loadu_si128(
			    (const __m128i *)(const void *)(p + 64 * k + q));

			sl |= (uint64_t)(unsigned)_mm_movemask_epi8(
				  _mm_cmpeq_epi8(x, _mm_set1_epi8('/')))
			    << q;
			pa |= (uint64_t)(unsigned)_mm_movemask_epi8(
				  _mm_cmpeq_epi8(x, _mm_set1_epi8('(')))
			    << q;
			__m128i hexl = vk_sse2_range(
			    _mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 6);
			unsigned dots, digits, c;
			uint64_t t = mask16(v, x, hex);

			nw |= (uint64_t)nonword16(x, &dots, &digits) << q;
			c = (unsigned)_mm_movemask_epi8(
			    _mm_cmpeq_epi8(x, _mm_set1_epi8(':')));
			tr |= t << q;
			dg |= (uint64_t)digits << q;
			dt |= (uint64_t)dots << q;
			cl |= (uint64_t)c << q;
			n6 |= (uint64_t)(~((unsigned)_mm_movemask_epi8(hexl) |
					     digits | dots | c) &
				  0xffff)
			    << q;
		}
		/* the colons and parentheses that are triggers: all or none */
		w->trig[k0 + k] = (tr & ~(cl | pa)) | colon_keep(tr & cl, sl) |
		    paren_keep(tr & pa, dg);
		w->nw[k0 + k] = nw;
		w->dig[k0 + k] = dg;
		w->dot[k0 + k] = dt;
		w->col[k0 + k] = cl;
		w->nv6[k0 + k] = n6;
	}
}
#endif

#if defined(VK_MATCH_AVX2)
/* The word class of fill_avx2() and fill_avx512(), by nibble (see there). */
static const uint8_t word_lo[16] = { 0x21, 0x31, 0x31, 0x31, 0x31, 0x31, 0x31,
	0x31, 0x31, 0x31, 0x30, 0x10, 0x10, 0x50, 0x14, 0x90 };
static const uint8_t word_hi[16] = { 0, 0, 0x44, 0x01, 0x10, 0xa0, 0x10, 0x20,
	0, 0, 0, 0, 0, 0, 0, 0 };

/*
 * The same with AVX2, 32 bytes at a time.  Each byte's class is the AND
 * of two 16-entry tables indexed by its low and its high nibble (bytes >=
 * 0x80 index nothing in the low table: class 0).  The matcher's tables
 * (nib_tables()) give bits 0 digit, 1 a-f A-F, 2-5 the trigger bytes that
 * are loaded; the word bytes come from a second class looked up by
 * nibble, whose bits are 0 digit, 2 '.', 4 and 5 letters (@A-O`a-o and
 * P-Z[p-z{ cut to letters by the low nibble), 6 '-', 7 '_' (bytes >= 0x80,
 * which look up nothing, are word bytes by their top bit).
 */
__attribute__((target("avx2"))) static void
fill_avx2(const struct vk_matcher *m, const uint8_t *p, size_t nblk, bool hex,
    struct win *w, size_t k0)
{
	const __m256i lo = _mm256_broadcastsi128_si256(
	    _mm_loadu_si128((const __m128i *)(const void *)m->nib_lo));
	const __m256i hi = _mm256_broadcastsi128_si256(
	    _mm_loadu_si128((const __m128i *)(const void *)m->nib_hi));
	const __m256i lo2 = _mm256_broadcastsi128_si256(
	    _mm_loadu_si128((const __m128i *)(const void *)word_lo));
	const __m256i hi2 = _mm256_broadcastsi128_si256(
	    _mm_loadu_si128((const __m128i *)(const void *)word_hi));
	const __m256i f = _mm256_set1_epi8(0x0f);
	const __m256i zero = _mm256_setzero_si256();
	const __m256i tb = _mm256_set1_epi8(0x3c), hb = _mm256_set1_epi8(3);
	const __m256i v6b = _mm256_set1_epi8(0x0b);

	for (size_t k = 0; k < nblk; k++) {
		uint64_t tr = 0, nw = 0, dg = 0, dt = 0, cl = 0, n6 = 0, sl = 0,
			 pa = 0;

		for (unsigned q = 0; q < 64; q += 32) {
			__m256i x = _mm256_loadu_si256(
			    (const __m256i *)(const void *)(p + 64 * k + q));
			__m256i h =
			    _mm256_and_si256(_mm256_srli_epi16(x, 4), f);
			__m256i c = _mm256_and_si256(_mm256_shuffle_epi8(lo, x),
			    _mm256_shuffle_epi8(hi, h));
			__m256i c2 =
			    _mm256_and_si256(_mm256_shuffle_epi8(lo2, x),
				_mm256_shuffle_epi8(hi2, h));
			uint32_t t = ~(uint32_t)_mm256_movemask_epi8(
			    _mm256_cmpeq_epi8(_mm256_and_si256(c, tb), zero));
			uint32_t n = (uint32_t)_mm256_movemask_epi8(
					 _mm256_cmpeq_epi8(c2, zero)) &
			    ~(uint32_t)_mm256_movemask_epi8(x);
			uint32_t d = (uint32_t)_mm256_movemask_epi8(
			    _mm256_slli_epi16(c2, 5));
			/* hex digits and ':' (bits 0, 1, 3), and dots */
			uint32_t v6 =
			    ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
				_mm256_and_si256(c, v6b), zero)) |
			    d;

			if (hex) {
				uint32_t hx = ~(uint32_t)_mm256_movemask_epi8(
				    _mm256_cmpeq_epi8(
					_mm256_and_si256(c, hb), zero));

				t |= (uint32_t)((hx & 0xffff) == 0xffff) |
				    (uint32_t)((hx >> 16) == 0xffff) << 16;
			}
			tr |= (uint64_t)t << q;
			nw |= (uint64_t)n << q;
			dg |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
				  _mm256_slli_epi16(c2, 7))
			    << q;
			dt |= (uint64_t)d << q;
			cl |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
				  _mm256_slli_epi16(c, 4))
			    << q;
			sl |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
				  _mm256_slli_epi16(c, 1))
			    << q;
			pa |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
				  _mm256_slli_epi16(c, 2))
			    << q;
			n6 |= (uint64_t)~v6 << q;
		}
		w->trig[k0 + k] =
		    (tr & ~(cl | pa)) | colon_keep(cl, sl) | paren_keep(pa, dg);
		w->nw[k0 + k] = nw;
		w->dig[k0 + k] = dg;
		w->dot[k0 + k] = dt;
		w->col[k0 + k] = cl;
		w->nv6[k0 + k] = n6;
	}
}
#endif

#if defined(VK_MATCH_AVX2)
/*
 * The same with AVX-512 (F and BW), a block at a time: the classes as in
 * fill_avx2(), each mask straight from a byte test into a mask register.
 */
__attribute__((target("avx512f,avx512bw"))) static void
fill_avx512(const struct vk_matcher *m, const uint8_t *p, size_t nblk, bool hex,
    struct win *w, size_t k0)
{
	const __m512i lo = _mm512_broadcast_i32x4(
	    _mm_loadu_si128((const __m128i *)(const void *)m->nib_lo));
	const __m512i hi = _mm512_broadcast_i32x4(
	    _mm_loadu_si128((const __m128i *)(const void *)m->nib_hi));
	const __m512i lo2 = _mm512_broadcast_i32x4(
	    _mm_loadu_si128((const __m128i *)(const void *)word_lo));
	const __m512i hi2 = _mm512_broadcast_i32x4(
	    _mm_loadu_si128((const __m128i *)(const void *)word_hi));
	const __m512i f = _mm512_set1_epi8(0x0f);

	for (size_t k = 0; k < nblk; k++) {
		__m512i x = _mm512_loadu_si512((const void *)(p + 64 * k));
		__m512i h = _mm512_and_si512(_mm512_srli_epi16(x, 4), f);
		__m512i c = _mm512_and_si512(
		    _mm512_shuffle_epi8(lo, x), _mm512_shuffle_epi8(hi, h));
		__m512i c2 = _mm512_and_si512(
		    _mm512_shuffle_epi8(lo2, x), _mm512_shuffle_epi8(hi2, h));
		uint64_t tr = _mm512_test_epi8_mask(c, _mm512_set1_epi8(0x3c));
		uint64_t dt = _mm512_test_epi8_mask(c2, _mm512_set1_epi8(4));

		if (hex) {
			uint64_t hx =
			    _mm512_test_epi8_mask(c, _mm512_set1_epi8(3));

			/* bit 16q: all of bits 16q .. 16q + 15 (no branch) */
			hx &= hx >> 1;
			hx &= hx >> 2;
			hx &= hx >> 4;
			hx &= hx >> 8;
			tr |= hx & 0x0001000100010001ULL;
		}
		uint64_t cl = _mm512_test_epi8_mask(c, _mm512_set1_epi8(8));
		uint64_t pa = _mm512_test_epi8_mask(c, _mm512_set1_epi8(0x20));
		uint64_t dg = _mm512_test_epi8_mask(c2, _mm512_set1_epi8(1));

		w->trig[k0 + k] = (tr & ~(cl | pa)) |
		    colon_keep(
			cl, _mm512_test_epi8_mask(c, _mm512_set1_epi8(0x40))) |
		    paren_keep(pa, dg);
		w->nw[k0 + k] =
		    _mm512_testn_epi8_mask(c2, c2) & ~_mm512_movepi8_mask(x);
		w->dig[k0 + k] = dg;
		w->dot[k0 + k] = dt;
		w->col[k0 + k] = cl;
		w->nv6[k0 + k] =
		    ~(_mm512_test_epi8_mask(c, _mm512_set1_epi8(0x0b)) | dt);
	}
}
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define VK_NO_OVERREAD 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define VK_NO_OVERREAD 1
#endif

static inline bool
overread_ok(const uint8_t *blk)
{
#if defined(VK_NO_OVERREAD)
	(void)blk;
	return false;
#else
	return ((uintptr_t)blk & 4095) <= 4096 - 64;
#endif
}

/*
 * Can the colon at i be passed over without a look?  Every IPv6 address
 * has a "::" or six colons at most five bytes apart, so a colon that is
 * not the first of a "::", not a URL's "://", and has fewer than six
 * colons in the 40 bytes from it (by the window's colon mask) is no
 * address's first candidate colon: the address's own "::" or first colon
 * is reached later with the same run, and on_colon() would reject this
 * one without a trace (timestamps "21:43:57", JSON's "key":"value").
 */
static inline bool
colon_idle(const struct scan *sc, size_t i)
{
	const struct win *w = sc->w;
	size_t end = w->base + 64 * (size_t)w->n;

	if (i + 1 < sc->len && (sc->p[i + 1] == ':' || sc->p[i + 1] == '/'))
		return false;
	if (i + 40 > end && end < sc->len)
		return false; /* the mask does not reach far enough */
	return __builtin_popcountll(
		   win_bits(w->col, w, i) & ((1ULL << 40) - 1)) < 6;
}

static inline size_t
dispatch(struct scan *sc, size_t i)
{
	const struct vk_matcher *m = sc->m;
	uint8_t c = sc->p[i];

	if (sc->npend > 0 && sc->pend[0].off + LOOKBACK < i)
		flush_before(sc, i - LOOKBACK);
	if (c == '.' && (m->trig['.'] & T_DOT))
		return on_word(sc, i);
	if (c == ':' && (m->trig[':'] & T_COLON))
		return sc->w != NULL && colon_idle(sc, i) ? i + 1
							  : on_colon(sc, i);
	if (c == '@' && (m->trig['@'] & T_AT)) {
		on_at(sc, i);
		return i + 1;
	}
	if (c == '(' && (m->trig['('] & T_PAREN))
		return on_paren(sc, i);
	if (m->t_hex && (m->cls[c] & C_HEX))
		return on_word(sc, i);
	return i + 1;
}

/* The masks of nblk blocks with the instruction set `isa` (SSE2 or
 * AVX2). */
static inline __attribute__((always_inline)) void
fill_isa(const struct vk_matcher *m, const struct vecs *v, const uint8_t *p,
    size_t nblk, struct win *w, size_t k0, int isa)
{
	(void)m;
	(void)v;
	(void)p;
	(void)nblk;
	(void)w;
	(void)k0;
	(void)isa;
#if defined(VK_MATCH_AVX2)
	if (isa == ISA_AVX2) {
		fill_avx2(m, p, nblk, m->t_hex, w, k0);
		return;
	}
	if (isa == ISA_AVX512) {
		fill_avx512(m, p, nblk, m->t_hex, w, k0);
		return;
	}
#endif
#if defined(VK_MATCH_SSE2)
	fill_sse2(v, p, nblk, m->t_hex, w, k0);
#endif
}

/* Fills the window of the line that begins at wb (a multiple of 64). */
static inline __attribute__((always_inline)) void
win_fill(
    struct scan *sc, struct win *w, size_t wb, const struct vecs *v, int isa)
{
	const uint8_t *p = sc->p;
	size_t len = sc->len, n = (len - wb) / 64;

	if (n > WBLK)
		n = WBLK;
	fill_isa(sc->m, v, p + wb, n, w, 0, isa);
	if (n < WBLK && wb + 64 * n < len) {
		/* The last, partial block.  Reading past the end of the line
		 * cannot fault when the bytes lie in the same page (as strlen
		 * does); their bits are cleared.  Otherwise, and under
		 * AddressSanitizer, a copy padded with NULs.  (A hex-chunk
		 * flag from bytes past the end only costs a look at a word
		 * that turns out not to be a hash.) */
		const uint8_t *blk = p + wb + 64 * n;
		size_t r = len - (wb + 64 * n);
		uint64_t valid = (1ULL << r) - 1;
		uint8_t tail[64];

		if (!overread_ok(blk)) {
			memset(tail, 0, sizeof(tail));
			memcpy(tail, blk, r);
			blk = tail;
		}
		fill_isa(sc->m, v, blk, 1, w, n, isa);
		w->trig[n] &= valid;
		w->nw[n] |= ~valid;
		w->dig[n] &= valid;
		w->dot[n] &= valid;
		w->col[n] &= valid;
		w->nv6[n] |= ~valid;
		n++;
	}
	w->base = wb;
	w->n = (unsigned)n;
	/* After the window: the end of the line, or not known. */
	w->nw[n] = w->nv6[n] = wb + 64 * n >= len ? ~0ULL : 0;
	w->dig[n] = w->dot[n] = w->col[n] = 0;
}

/* The scan proper; inlined once per instruction set. */
static inline __attribute__((always_inline)) int
scan_run(struct scan *sc, int isa)
{
	const struct vk_matcher *m = sc->m;
	uint8_t tail[64];
	size_t b = 0, pos = 0, len = sc->len;
	bool hex = m->t_hex;
	struct vecs v;

#if defined(VK_MATCH_SSE2)
	if (isa == ISA_SSE2) {
		v.t0 = _mm_set1_epi8(m->tchar[0]);
		v.t1 = _mm_set1_epi8(m->tchar[1]);
		v.t2 = _mm_set1_epi8(m->tchar[2]);
		v.t3 = _mm_set1_epi8(m->tchar[3]);
	}
#else
	v.unused = 0;
#endif
	sc->w = NULL;
	if (isa >= ISA_SSE2) {
		struct win *w = &sc->win;

		sc->w = w;
		while (b < len) {
			if (pos >= b + 64) {
				b = pos & ~(size_t)63;
				if (b >= len)
					break;
			}
			win_fill(sc, w, b, &v, isa);
			for (size_t k = 0; k < w->n; k++, b += 64) {
				uint64_t mk = w->trig[k];

				if (pos >= b + 64)
					continue;
				if (pos > b)
					mk &= ~0ULL << (pos - b);
				while (mk != 0) {
					size_t i =
					    b + (size_t)__builtin_ctzll(mk);

					pos = dispatch(sc, i);
					if (sc->rc != 0)
						return sc->rc;
					if (pos >= b + 64)
						break;
					mk &= ~0ULL << (pos - b);
				}
			}
		}
		if (sc->npend > 0)
			flush_n(sc, sc->npend);
		return sc->rc;
	}
	while (b < len) {
		uint64_t mk;
		const uint8_t *blk = sc->p + b;

		if (pos >= b + 64) {
			b = pos & ~(size_t)63;
			continue;
		}
		if (len - b < 64) {
			/* The last, partial block.  Reading up to 63 bytes past
			 * the end cannot fault when they lie in the same page
			 * (as strlen does); the bits beyond are cleared.
			 * Otherwise, and under AddressSanitizer, a copy padded
			 * with NULs, which trigger nothing. */
			if (!overread_ok(blk)) {
				memset(tail, 0, sizeof(tail));
				memcpy(tail, blk, len - b);
				blk = tail;
			}
			/* (A hex-chunk flag from bytes past the end only costs
			 * a look at a word that turns out not to be a hash.) */
			mk = block_mask_scalar(m, blk, hex) &
			    ((1ULL << (len - b)) - 1);
		} else {
			mk = block_mask_scalar(m, blk, hex);
		}
		if (pos > b)
			mk &= ~0ULL << (pos - b);
		while (mk != 0) {
			size_t i = b + (size_t)__builtin_ctzll(mk);

			pos = dispatch(sc, i);
			if (sc->rc != 0)
				return sc->rc;
			if (pos >= b + 64)
				break;
			mk &= ~0ULL << (pos - b);
		}
		b += 64;
	}
	if (sc->npend > 0)
		flush_n(sc, sc->npend);
	return sc->rc;
}

static int
scan_scalar(struct scan *sc)
{
	return scan_run(sc, ISA_SCALAR);
}

#if defined(VK_MATCH_SSE2)
static int
scan_sse2(struct scan *sc)
{
	return scan_run(sc, ISA_SSE2);
}
#endif

#if defined(VK_MATCH_AVX2)
/* Every CPU with AVX2 has POPCNT (colon_idle() counts with it). */
__attribute__((target("popcnt"))) static int
scan_avx2(struct scan *sc)
{
	return scan_run(sc, ISA_AVX2);
}

__attribute__((target("popcnt"))) static int
scan_avx512(struct scan *sc)
{
	return scan_run(sc, ISA_AVX512);
}
#endif

int
vk_matcher_scan(const struct vk_matcher *m, const char *line, size_t len,
    vk_match_fn fn, void *arg)
{
	struct scan sc;

	if (m == NULL || !m->any || len == 0)
		return 0;
	sc.m = m;
	sc.p = (const uint8_t *)line;
	sc.len = len;
	sc.fn = fn;
	sc.arg = arg;
	sc.rc = 0;
	sc.npend = 0;
	sc.tok_end = 0;
	sc.rej_s = sc.rej_e = sc.rej_tok = 0;
#if defined(VK_MATCH_AVX2)
	if (m->isa == ISA_AVX512)
		return scan_avx512(&sc);
	if (m->isa == ISA_AVX2)
		return scan_avx2(&sc);
#endif
#if defined(VK_MATCH_SSE2)
	if (m->isa == ISA_SSE2)
		return scan_sse2(&sc);
#endif
	return scan_scalar(&sc);
}

/* The scalar way of vk_matcher_scan_lines(): line by line, the hits'
 * offsets moved to the buffer's. */
struct line_shift {
	vk_match_fn fn;
	void *arg;
	size_t base;
};

static int
shift_hit(void *arg, const struct vk_match *m)
{
	const struct line_shift *ls = arg;
	struct vk_match h = *m;

	h.off += ls->base;
	return ls->fn(ls->arg, &h);
}

int
vk_matcher_scan_lines(const struct vk_matcher *m, const char *buf, size_t len,
    vk_match_fn fn, void *arg)
{
	struct scan sc;

	if (m == NULL || !m->any || len == 0)
		return 0;
	if (m->isa == ISA_SCALAR) {
		struct line_shift ls = { fn, arg, 0 };

		while (ls.base < len) {
			const char *nl =
			    memchr(buf + ls.base, '\n', len - ls.base);
			size_t end = nl != NULL ? (size_t)(nl - buf) : len, n;
			int r;

			n = end - ls.base;
			if (n > 0 && buf[end - 1] == '\r')
				n--;
			if ((r = vk_matcher_scan(
				 m, buf + ls.base, n, shift_hit, &ls)) != 0)
				return r;
			ls.base = end + 1;
		}
		return 0;
	}
	/* Every rule of docs/matching.md ends a token at a control byte
	 * (none spans "\r\n" or "\n"), so the whole buffer is one scan. */
	sc.m = m;
	sc.p = (const uint8_t *)buf;
	sc.len = len;
	sc.fn = fn;
	sc.arg = arg;
	sc.rc = 0;
	sc.npend = 0;
	sc.tok_end = 0;
	sc.rej_s = sc.rej_e = sc.rej_tok = 0;
#if defined(VK_MATCH_AVX2)
	if (m->isa == ISA_AVX512)
		return scan_avx512(&sc);
	if (m->isa == ISA_AVX2)
		return scan_avx2(&sc);
#endif
#if defined(VK_MATCH_SSE2)
	return scan_sse2(&sc);
#else
	return scan_scalar(&sc);
#endif
}

/* ---- building --------------------------------------------------------- */

static bool
eligible(const struct vk_ioc *ioc)
{
	return ioc->allow == 0 && ioc->type != VK_IOC_FILENAME &&
	    ioc->type < VK_IOC_TYPE_MAX && ioc->norm != NULL;
}

static void
init_classes(struct vk_matcher *m)
{
	for (unsigned c = 0; c < 256; c++) {
		uint8_t k = 0;
		bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		bool digit = c >= '0' && c <= '9';

		if (alpha)
			k |= C_ALPHA | C_WORD | C_LOCAL | C_SCHEME;
		if (digit)
			k |= C_DIGIT | C_WORD | C_LOCAL | C_SCHEME | C_HEX |
			    C_V6;
		if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
			k |= C_HEX | C_V6;
		if (c == '.' || c == '-' || c == '_' || c >= 0x80)
			k |= C_WORD;
		if (c == '.' || c == '_' || c == '%' || c == '+' || c == '-')
			k |= C_LOCAL;
		if (c == '+' || c == '.' || c == '-')
			k |= C_SCHEME;
		if (c == ':' || c == '.')
			k |= C_V6;
		if (c <= 0x20 || c == 0x7f || c == '"' || c == '\'' ||
		    c == '<' || c == '>' || c == '`' || c == '|' || c == '^' ||
		    c == '{' || c == '}')
			k |= C_URLEND;
		m->cls[c] = k;
	}
}

/* The nibble tables of fill_avx2(): a byte's class is
 * nib_lo[low nibble] & nib_hi[high nibble]. */
static void
nib_tables(struct vk_matcher *m)
{
	for (unsigned k = 0; k < 16; k++) {
		uint8_t b = 0;

		if (k <= 9)
			b |= 1;
		if (k >= 1 && k <= 6)
			b |= 2;
		b |= k == 0xe ? 4 : 0; /* '.' 0x2e */
		b |= k == 0xa ? 8 : 0; /* ':' 0x3a */
		b |= k == 0x0 ? 16 : 0; /* '@' 0x40 */
		b |= k == 0x8 ? 32 : 0; /* '(' 0x28 */
		b |= k == 0xf ? 64 : 0; /* '/' 0x2f */
		m->nib_lo[k] = b;
	}
	for (unsigned k = 0; k < 81; k++) {
		unsigned L[4] = { k / 27 + 1, k / 9 % 3 + 1, k / 3 % 3 + 1,
			k % 3 + 1 },
			 st = 0;

		memset(m->q_shuf[k], 0x80, 16);
		for (unsigned part = 0; part < 4; part++) {
			for (unsigned j = 0; j < L[part]; j++)
				m->q_shuf[k][4 * part + 3 - L[part] + j] =
				    (uint8_t)(st + j);
			m->q_min[k][part] = L[part] == 1 ? 0
			    : L[part] == 2               ? 10
							 : 100;
			st += L[part] + 1;
		}
	}
	memset(m->nib_hi, 0, sizeof(m->nib_hi));
	m->nib_hi[2] =
	    (uint8_t)((m->trig['.'] ? 4 : 0) | (m->trig['('] ? 32 : 0) | 64);
	m->nib_hi[3] = (uint8_t)(1 | (m->trig[':'] ? 8 : 0));
	m->nib_hi[4] = (uint8_t)(2 | (m->trig['@'] ? 16 : 0));
	m->nib_hi[6] = 2;
}

/* The best block scanner this CPU runs, capped by VAKSAM_MATCH_ISA. */
static uint8_t
choose_isa(void)
{
	const char *e = getenv("VAKSAM_MATCH_ISA");
	uint8_t best = ISA_SCALAR;

#if defined(VK_MATCH_SSE2)
	best = ISA_SSE2;
#endif
#if defined(VK_MATCH_AVX2)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2"))
		best = ISA_AVX2;
	if (best == ISA_AVX2 && __builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512bw"))
		best = ISA_AVX512;
#endif
	if (e != NULL && strcmp(e, "scalar") == 0)
		return ISA_SCALAR;
	if (e != NULL && strcmp(e, "sse2") == 0 && best > ISA_SSE2)
		return ISA_SSE2;
	if (e != NULL && strcmp(e, "avx2") == 0 && best > ISA_AVX2)
		return ISA_AVX2;
	return best;
}

/* The host of a normalised URL (between "://" or userinfo "@" and the
 * port or path). */
static void
url_host(const char *u, size_t n, size_t *hs, size_t *hl)
{
	const char *sep = memchr(u, ':', n);
	size_t s = sep ? (size_t)(sep - u) + 3 : n, e, k;

	if (s > n)
		s = n;
	for (e = s; e < n && u[e] != '/' && u[e] != '?' && u[e] != '#'; e++)
		if (u[e] == '@')
			s = e + 1;
	for (k = s; k < e && u[k] != ':'; k++)
		;
	if (k < e && u[s] == '[') {
		const char *rb = memchr(u + s, ']', e - s);

		k = rb ? (size_t)(rb - u) + 1 : e;
	}
	*hs = s;
	*hl = k - s;
}

int
vk_matcher_build(const struct vk_ioc_set *set, struct vk_matcher **out)
{
	struct vk_matcher *m;
	size_t n = vk_ioc_set_count(set), i;
	size_t ndom = 0, nsuf = 0, nv4 = 0, nv6 = 0, nurl = 0, nemail = 0;
	size_t nhash = 0;
	bool v4pl[33] = { false }, v6pl[129] = { false };
	struct putq pq = { .head = 0, .n = 0 };
	int r;

	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return VK_ENOMEM;
	m->set = set;
	init_classes(m);

	for (i = 0; i < n; i++) {
		const struct vk_ioc *ioc = vk_ioc_set_get(set, i);

		if (!eligible(ioc))
			continue;
		m->count++;
		switch (ioc->type) {
		case VK_IOC_DOMAIN:
			ndom++;
			for (size_t k = 0; k < ioc->norm_len; k++)
				nsuf += ioc->norm[k] == '.';
			break;
		case VK_IOC_IPV4:
			nv4++;
			v4pl[ioc->prefix > 32 ? 32 : ioc->prefix] = true;
			break;
		case VK_IOC_IPV6:
			nv6++;
			v6pl[ioc->prefix > 128 ? 128 : ioc->prefix] = true;
			break;
		case VK_IOC_URL:
			nurl++;
			break;
		case VK_IOC_EMAIL:
			nemail++;
			break;
		case VK_IOC_MD5:
			m->hash_lens |= 1;
			nhash++;
			break;
		case VK_IOC_SHA1:
			m->hash_lens |= 2;
			nhash++;
			break;
		case VK_IOC_SHA256:
			m->hash_lens |= 4;
			nhash++;
			break;
		case VK_IOC_SHA512:
			m->hash_lens |= 8;
			nhash++;
			break;
		default:
			m->count--;
			break;
		}
	}
	m->has_dom = ndom > 0;
	m->has_v4 = nv4 > 0;
	m->has_v6 = nv6 > 0;
	m->has_url = nurl > 0;
	m->has_email = nemail > 0;

	if ((r = kindex_init(&m->dom, nsuf + ndom, ndom, n)) != 0 ||
	    (r = kindex_init(&m->v4, nv4, nv4, n)) != 0 ||
	    (r = kindex_init(&m->v6, nv6, nv6, n)) != 0 ||
	    (r = kindex_init(&m->url, 2 * nurl, nurl, n)) != 0 ||
	    (r = kindex_init(&m->url_host, nurl, 0, n)) != 0 ||
	    (r = kindex_init(&m->email, nemail, nemail, n)) != 0 ||
	    (r = kindex_init(&m->hash, nhash, nhash, n)) != 0)
		goto out;

	for (int pl = 32; pl >= 0; pl--)
		if (v4pl[pl])
			m->v4_plen[m->v4_nplen++] = (uint8_t)pl;
	for (int pl = 128; pl >= 0; pl--)
		if (v6pl[pl])
			m->v6_plen[m->v6_nplen++] = (uint8_t)pl;
	m->v4_cbits = 12;
	while (m->v4_cbits < 20 && ((size_t)1 << m->v4_cbits) < nv4 * 16)
		m->v4_cbits++;
	if ((m->v4_coarse = calloc(
		 ((size_t)1 << m->v4_cbits) / 64, sizeof(uint64_t))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}

	for (i = 0; i < n; i++) {
		const struct vk_ioc *ioc = vk_ioc_set_get(set, i);
		uint8_t key[VK_NORM_URL_MAX + 8];
		size_t kl;
		uint64_t h;

		if (!eligible(ioc))
			continue;
		switch (ioc->type) {
		case VK_IOC_DOMAIN: {
			size_t e = ioc->norm_len;
			unsigned nl = 0;

			if (e > VK_NORM_DOMAIN_MAX || e == 0)
				break;
			kl = e;
			fold_copy(key, (const uint8_t *)ioc->norm, kl);
			memset(key + kl, 0, 8);
			h = K0;
			/* The same walk as check_domain(). */
			while (e > 0) {
				size_t ls = e;
				uint64_t hl;

				while (ls > 0 && key[ls - 1] != '.')
					ls--;
				hl = hash_bytes_pad(key + ls, e - ls, K1);
				h = combine(hl, h);
				if (++nl == 1) {
					unsigned b = tld_bit(key + ls, e - ls);

					m->tld[b >> 6] |= 1ULL << (b & 63);
				} else {
					putq_push(&pq, &m->dom, h, 0, false);
				}
				if (ls == 0)
					break;
				e = ls - 1;
			}
			if (nl >= 2)
				putq_push(&pq, &m->dom, dom_full(h),
				    (uint32_t)i, true);
			break;
		}
		case VK_IOC_IPV4: {
			uint32_t a = vk_ioc_ipv4(ioc);
			unsigned pl = ioc->prefix > 32 ? 32 : ioc->prefix;
			uint32_t lo, hi, c;

			if (pl < 32)
				a &= pl == 0 ? 0 : ~0U << (32 - pl);
			putq_push(&pq, &m->v4, h_v4(a, pl), (uint32_t)i, true);
			lo = a >> (32 - m->v4_cbits);
			hi = pl >= m->v4_cbits
			    ? lo
			    : lo + (uint32_t)((1ULL << (m->v4_cbits - pl)) - 1);
			for (c = lo;; c++) {
				m->v4_coarse[c >> 6] |= 1ULL << (c & 63);
				if (c == hi)
					break;
			}
			break;
		}
		case VK_IOC_IPV6: {
			uint8_t a[16];
			unsigned pl = ioc->prefix > 128 ? 128 : ioc->prefix;

			mask_v6(a, vk_ioc_ipv6(ioc), pl);
			putq_push(&pq, &m->v6, h_v6(a, pl), (uint32_t)i, true);
			break;
		}
		case VK_IOC_URL: {
			size_t hs, hl;

			putq_push(&pq, &m->url,
			    hash_bytes(
				(const uint8_t *)ioc->norm, ioc->norm_len, K4),
			    (uint32_t)i, true);
			url_host(ioc->norm, ioc->norm_len, &hs, &hl);
			if (hl == 0 || ioc->norm[hs] == '[')
				m->url_host_any = true;
			else
				putq_push(&pq, &m->url_host,
				    hash_bytes((const uint8_t *)ioc->norm + hs,
					hl, K3),
				    0, false);
			break;
		}
		case VK_IOC_EMAIL:
			putq_push(&pq, &m->email,
			    hash_bytes(
				(const uint8_t *)ioc->norm, ioc->norm_len, K1),
			    (uint32_t)i, true);
			break;
		case VK_IOC_MD5:
		case VK_IOC_SHA1:
		case VK_IOC_SHA256:
		case VK_IOC_SHA512:
			putq_push(&pq, &m->hash,
			    hash_bytes(
				(const uint8_t *)ioc->norm, ioc->norm_len, K2),
			    (uint32_t)i, true);
			break;
		default:
			break;
		}
	}
	putq_flush(&pq);

	/* Trigger bytes of the types that are loaded. */
	{
		unsigned nt = 0;

		if (m->has_dom || m->has_v4) {
			m->trig['.'] |= T_DOT;
			m->tchar[nt++] = '.';
		}
		if (m->has_v6 || m->has_v4 || m->has_url) {
			m->trig[':'] |= T_COLON;
			m->tchar[nt++] = ':';
		}
		if (m->has_email) {
			m->trig['@'] |= T_AT;
			m->tchar[nt++] = '@';
		}
		if (m->has_dom) {
			m->trig['('] |= T_PAREN;
			m->tchar[nt++] = '(';
		}
		m->t_hex = m->hash_lens != 0;
		m->any = nt > 0 || m->t_hex;
		nib_tables(m);
		m->isa = choose_isa();
		for (unsigned k = nt; k < 4; k++)
			m->tchar[k] = nt > 0 ? m->tchar[0] : '.';
		if (nt == 0) /* hashes only: 0xff never occurs in UTF-8 */
			for (unsigned k = 0; k < 4; k++)
				m->tchar[k] = (char)0xff;
	}
	*out = m;
	m = NULL;
	r = 0;
out:
	vk_matcher_free(m);
	return r;
}

void
vk_matcher_free(struct vk_matcher *m)
{
	if (m == NULL)
		return;
	kindex_free(&m->dom);
	kindex_free(&m->v4);
	kindex_free(&m->v6);
	kindex_free(&m->url);
	kindex_free(&m->url_host);
	kindex_free(&m->email);
	kindex_free(&m->hash);
	free(m->v4_coarse);
	free(m);
}

size_t
vk_matcher_count(const struct vk_matcher *m)
{
	return m == NULL ? 0 : m->count;
}
