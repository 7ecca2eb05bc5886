/*
 * hasher.h — file hashing for `vaksam hunt`: every needed digest in one
 * read of the file, and the index of hash indicators they are looked up in.
 *
 * Only the algorithms that the loaded indicators use are computed (a set
 * with SHA-256 indicators only costs one SHA-256 per file).  The digests
 * come from OpenSSL's EVP interface, which uses the CPU's SHA extensions
 * where present; the message digests are fetched once per process.
 *
 * A struct vk_hasher is per thread (it owns a 1 MiB read buffer and the
 * digest contexts).  A struct vk_hashidx is built once and is then
 * read-only and shared by any number of threads.
 */
#ifndef VK_HUNT_HASHER_H
#define VK_HUNT_HASHER_H

#include <stddef.h>
#include <stdint.h>

#include "ioc/ioc.h"

enum vk_hash_alg {
	VK_HASH_MD5,
	VK_HASH_SHA1,
	VK_HASH_SHA256,
	VK_HASH_SHA512,
	VK_HASH_ALG_MAX
};

/* Bit for algorithm a in an algorithm mask. */
#define VK_HASH_BIT(a) (1u << (a))
#define VK_HASH_ALL ((1u << VK_HASH_ALG_MAX) - 1)
#define VK_HASH_MAXLEN 64 /* bytes of the longest digest (SHA-512) */

/* "md5", "sha1", "sha256", "sha512". */
const char *vk_hash_alg_name(enum vk_hash_alg a);
/* Digest length in bytes (16, 20, 32, 64). */
size_t vk_hash_alg_len(enum vk_hash_alg a);
/* The algorithm of a hash indicator type; VK_EINVAL for other types. */
int vk_hash_alg_of_ioc(enum vk_ioc_type t, enum vk_hash_alg *a);

/* The digests of one file.  Only algorithms in `algs` are filled. */
struct vk_file_digests {
	unsigned algs;
	uint64_t size; /* bytes hashed */
	uint8_t d[VK_HASH_ALG_MAX][VK_HASH_MAXLEN];
	char hex[VK_HASH_ALG_MAX][2 * VK_HASH_MAXLEN + 1]; /* lower case */
};

struct vk_hasher;

/*
 * A hasher computing the algorithms in mask `algs` (VK_HASH_BIT()s; 0 is
 * allowed and computes nothing but the size).  Returns 0, VK_ENOMEM, or
 * VK_EINTERNAL when OpenSSL lacks an algorithm.
 */
int vk_hasher_new(unsigned algs, struct vk_hasher **out);
void vk_hasher_free(struct vk_hasher *h);

/*
 * Reads fd from its current position to end of file and fills *out.
 * Reads at most max_size bytes: a file longer than that (for instance one
 * that grew since it was measured) returns VK_ETOOBIG and *out is not
 * valid.  Returns 0, VK_EIO (errno set) or VK_ETOOBIG.  The caller keeps
 * the descriptor.
 */
int vk_hasher_fd(struct vk_hasher *h, int fd, uint64_t max_size,
    struct vk_file_digests *out);

/* The same over a memory range. */
int vk_hasher_mem(
    struct vk_hasher *h, const void *p, size_t n, struct vk_file_digests *out);

/* The hash indicators of a set, by algorithm and digest. */
struct vk_hashidx;

/*
 * Indexes every hash indicator of `set` (MD5, SHA-1, SHA-256, SHA-512)
 * that is not suppressed by an allow-list.  `set` must outlive the index.
 * Returns 0 or VK_ENOMEM.
 */
int vk_hashidx_build(const struct vk_ioc_set *set, struct vk_hashidx **out);

/* An empty index for vk_hashidx_add() (tests, callers without a set). */
int vk_hashidx_new(struct vk_hashidx **out);

/*
 * Adds digest `hex` (hexlen characters, either case) of algorithm a as
 * indicator number `ioc`.  Returns 0, VK_EINVAL when hex is not a digest of
 * that algorithm, or VK_ENOMEM.
 */
int vk_hashidx_add(struct vk_hashidx *idx, enum vk_hash_alg a, const char *hex,
    size_t hexlen, uint32_t ioc);
void vk_hashidx_free(struct vk_hashidx *idx);

/* Mask of the algorithms the index holds digests of. */
unsigned vk_hashidx_algs(const struct vk_hashidx *idx);
size_t vk_hashidx_count(const struct vk_hashidx *idx);

/* Called for every indicator whose digest equals one of the file's. */
typedef int (*vk_hash_hit_fn)(void *arg, enum vk_hash_alg a, uint32_t ioc);

/*
 * Looks up every digest in d->algs; calls fn once per matching indicator
 * (algorithms in enum order).  Returns 0 or fn's non-zero return.
 */
int vk_hashidx_lookup(const struct vk_hashidx *idx,
    const struct vk_file_digests *d, vk_hash_hit_fn fn, void *arg);

#endif
