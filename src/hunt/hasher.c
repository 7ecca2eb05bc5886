/*
 * hasher.c — one read per file, every needed digest, and the digest index.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "hunt/hasher.h"
#include "util/err.h"

#define READ_BUF (1u << 20)

static const char *const alg_names[VK_HASH_ALG_MAX] = { "md5", "sha1", "sha256",
	"sha512" };
static const char *const evp_names[VK_HASH_ALG_MAX] = { "MD5", "SHA1", "SHA256",
	"SHA512" };
static const size_t alg_lens[VK_HASH_ALG_MAX] = { 16, 20, 32, 64 };

/* Fetched once: EVP_MD_fetch is a lookup in a locked table, too slow for
 * once per file and pointless per thread. */
static EVP_MD *evp_md[VK_HASH_ALG_MAX];
static pthread_once_t evp_once = PTHREAD_ONCE_INIT;

static void
evp_fetch_all(void)
{
	int a;

	for (a = 0; a < VK_HASH_ALG_MAX; a++)
		evp_md[a] = EVP_MD_fetch(NULL, evp_names[a], NULL);
}

const char *
vk_hash_alg_name(enum vk_hash_alg a)
{
	return (unsigned)a < VK_HASH_ALG_MAX ? alg_names[a] : "?";
}

size_t
vk_hash_alg_len(enum vk_hash_alg a)
{
	return (unsigned)a < VK_HASH_ALG_MAX ? alg_lens[a] : 0;
}

int
vk_hash_alg_of_ioc(enum vk_ioc_type t, enum vk_hash_alg *a)
{
	switch (t) {
	case VK_IOC_MD5:
		*a = VK_HASH_MD5;
		return 0;
	case VK_IOC_SHA1:
		*a = VK_HASH_SHA1;
		return 0;
	case VK_IOC_SHA256:
		*a = VK_HASH_SHA256;
		return 0;
	case VK_IOC_SHA512:
		*a = VK_HASH_SHA512;
		return 0;
	default:
		return VK_EINVAL;
	}
}

struct vk_hasher {
	unsigned algs;
	EVP_MD_CTX *ctx[VK_HASH_ALG_MAX];
	unsigned char *buf; /* READ_BUF bytes, page-aligned */
};

void
vk_hasher_free(struct vk_hasher *h)
{
	int a;

	if (h == NULL)
		return;
	for (a = 0; a < VK_HASH_ALG_MAX; a++)
		EVP_MD_CTX_free(h->ctx[a]);
	free(h->buf);
	free(h);
}

int
vk_hasher_new(unsigned algs, struct vk_hasher **out)
{
	struct vk_hasher *h;
	void *p = NULL;
	int a, r;

	*out = NULL;
	pthread_once(&evp_once, evp_fetch_all);
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return VK_ENOMEM;
	h->algs = algs & VK_HASH_ALL;
	if (posix_memalign(&p, 4096, READ_BUF) != 0) {
		r = VK_ENOMEM;
		goto out;
	}
	h->buf = p;
	for (a = 0; a < VK_HASH_ALG_MAX; a++) {
		if (!(h->algs & VK_HASH_BIT(a)))
			continue;
		if (evp_md[a] == NULL) {
			r = VK_EINTERNAL;
			goto out;
		}
		if ((h->ctx[a] = EVP_MD_CTX_new()) == NULL) {
			r = VK_ENOMEM;
			goto out;
		}
	}
	*out = h;
	return 0;
out:
	vk_hasher_free(h);
	return r;
}

static int
digest_init(struct vk_hasher *h)
{
	int a;

	for (a = 0; a < VK_HASH_ALG_MAX; a++)
		if (h->ctx[a] != NULL &&
		    EVP_DigestInit_ex2(h->ctx[a], evp_md[a], NULL) != 1)
			return VK_EINTERNAL;
	return 0;
}

static int
digest_update(struct vk_hasher *h, const void *p, size_t n)
{
	int a;

	for (a = 0; a < VK_HASH_ALG_MAX; a++)
		if (h->ctx[a] != NULL && EVP_DigestUpdate(h->ctx[a], p, n) != 1)
			return VK_EINTERNAL;
	return 0;
}

static int
digest_final(struct vk_hasher *h, struct vk_file_digests *out)
{
	static const char hexd[] = "0123456789abcdef";
	unsigned int len;
	size_t i;
	int a;

	out->algs = h->algs;
	for (a = 0; a < VK_HASH_ALG_MAX; a++) {
		if (h->ctx[a] == NULL)
			continue;
		len = 0;
		if (EVP_DigestFinal_ex(h->ctx[a], out->d[a], &len) != 1 ||
		    len != alg_lens[a])
			return VK_EINTERNAL;
		for (i = 0; i < len; i++) {
			out->hex[a][2 * i] = hexd[out->d[a][i] >> 4];
			out->hex[a][2 * i + 1] = hexd[out->d[a][i] & 15];
		}
		out->hex[a][2 * len] = '\0';
	}
	return 0;
}

int
vk_hasher_fd(
    struct vk_hasher *h, int fd, uint64_t max_size, struct vk_file_digests *out)
{
	uint64_t total = 0;
	ssize_t n;
	int r;

	if ((r = digest_init(h)) != 0)
		return r;
	/* Advice only: failure (a pipe) changes nothing. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	for (;;) {
		n = read(fd, h->buf, READ_BUF);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return VK_EIO;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > max_size)
			return VK_ETOOBIG;
		if ((r = digest_update(h, h->buf, (size_t)n)) != 0)
			return r;
	}
	if ((r = digest_final(h, out)) != 0)
		return r;
	out->size = total;
	return 0;
}

int
vk_hasher_mem(
    struct vk_hasher *h, const void *p, size_t n, struct vk_file_digests *out)
{
	int r;

	if ((r = digest_init(h)) != 0 || (r = digest_update(h, p, n)) != 0 ||
	    (r = digest_final(h, out)) != 0)
		return r;
	out->size = n;
	return 0;
}

/*
 * The index: open addressing over (algorithm, digest).  The same digest
 * may stand for several indicators (several reports published it), so a
 * lookup walks the whole probe run and reports every equal entry.
 */
struct hash_entry {
	uint8_t used;
	uint8_t alg;
	uint32_t ioc;
	uint8_t d[VK_HASH_MAXLEN];
};

struct vk_hashidx {
	struct hash_entry *v;
	size_t cap; /* power of two */
	size_t n;
	unsigned algs;
};

static uint64_t
slot_of(enum vk_hash_alg a, const uint8_t *d)
{
	uint64_t k;

	/* Digests are uniformly distributed: their first bytes are a hash. */
	memcpy(&k, d, sizeof(k));
	return k ^ ((uint64_t)a * 0x9e3779b97f4a7c15ull);
}

int
vk_hashidx_new(struct vk_hashidx **out)
{
	struct vk_hashidx *idx;

	*out = NULL;
	if ((idx = calloc(1, sizeof(*idx))) == NULL)
		return VK_ENOMEM;
	idx->cap = 64;
	if ((idx->v = calloc(idx->cap, sizeof(*idx->v))) == NULL) {
		free(idx);
		return VK_ENOMEM;
	}
	*out = idx;
	return 0;
}

void
vk_hashidx_free(struct vk_hashidx *idx)
{
	if (idx == NULL)
		return;
	free(idx->v);
	free(idx);
}

static void
insert(struct hash_entry *v, size_t cap, const struct hash_entry *e)
{
	size_t i = (size_t)slot_of(e->alg, e->d) & (cap - 1);

	while (v[i].used)
		i = (i + 1) & (cap - 1);
	v[i] = *e;
}

static int
grow(struct vk_hashidx *idx)
{
	struct hash_entry *nv;
	size_t ncap = idx->cap * 2, i;

	if ((nv = calloc(ncap, sizeof(*nv))) == NULL)
		return VK_ENOMEM;
	for (i = 0; i < idx->cap; i++)
		if (idx->v[i].used)
			insert(nv, ncap, &idx->v[i]);
	free(idx->v);
	idx->v = nv;
	idx->cap = ncap;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
vk_hashidx_add(struct vk_hashidx *idx, enum vk_hash_alg a, const char *hex,
    size_t hexlen, uint32_t ioc)
{
	struct hash_entry e;
	size_t i;
	int hi, lo, r;

	if ((unsigned)a >= VK_HASH_ALG_MAX || hexlen != 2 * alg_lens[a])
		return VK_EINVAL;
	memset(&e, 0, sizeof(e));
	for (i = 0; i < alg_lens[a]; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return VK_EINVAL;
		e.d[i] = (uint8_t)(hi << 4 | lo);
	}
	e.used = 1;
	e.alg = (uint8_t)a;
	e.ioc = ioc;
	/* Keep the table at most half full so probe runs stay short. */
	if ((idx->n + 1) * 2 > idx->cap && (r = grow(idx)) != 0)
		return r;
	insert(idx->v, idx->cap, &e);
	idx->n++;
	idx->algs |= VK_HASH_BIT(a);
	return 0;
}

int
vk_hashidx_build(const struct vk_ioc_set *set, struct vk_hashidx **out)
{
	struct vk_hashidx *idx = NULL;
	const struct vk_ioc *ioc;
	enum vk_hash_alg a;
	size_t i, n;
	int r;

	*out = NULL;
	if ((r = vk_hashidx_new(&idx)) != 0)
		return r;
	n = vk_ioc_set_count(set);
	for (i = 0; i < n; i++) {
		ioc = vk_ioc_set_get(set, i);
		if (ioc->allow != 0 || vk_hash_alg_of_ioc(ioc->type, &a) != 0)
			continue;
		r = vk_hashidx_add(
		    idx, a, ioc->norm, ioc->norm_len, (uint32_t)i);
		if (r == VK_ENOMEM)
			goto out;
		/* The set only holds valid digests; anything else is not a
		 * hash this index can look up. */
	}
	*out = idx;
	return 0;
out:
	vk_hashidx_free(idx);
	return r;
}

unsigned
vk_hashidx_algs(const struct vk_hashidx *idx)
{
	return idx->algs;
}

size_t
vk_hashidx_count(const struct vk_hashidx *idx)
{
	return idx->n;
}

int
vk_hashidx_lookup(const struct vk_hashidx *idx, const struct vk_file_digests *d,
    vk_hash_hit_fn fn, void *arg)
{
	const struct hash_entry *e;
	size_t i, len;
	int a, r;

	for (a = 0; a < VK_HASH_ALG_MAX; a++) {
		if (!(d->algs & idx->algs & VK_HASH_BIT(a)))
			continue;
		len = alg_lens[a];
		i = (size_t)slot_of((enum vk_hash_alg)a, d->d[a]) &
		    (idx->cap - 1);
		for (; idx->v[i].used; i = (i + 1) & (idx->cap - 1)) {
			e = &idx->v[i];
			if (e->alg != a || memcmp(e->d, d->d[a], len) != 0)
				continue;
			if ((r = fn(arg, (enum vk_hash_alg)a, e->ioc)) != 0)
				return r;
		}
	}
	return 0;
}
