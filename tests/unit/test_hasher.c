/*
 * test_hasher.c — one read, several digests, and the digest index.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hunt/hasher.h"
#include "ioc/ioc.h"
#include "util/err.h"

/* Published test vectors (FIPS 180, RFC 1321). */
#define ABC_MD5 "900150983cd24fb0d6963f7d28e17f72"
#define ABC_SHA1 "a9993e364706816aba3e25717850c26c9cd0d89d"
#define ABC_SHA256 \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define ABC_SHA512 \
	"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" \
	"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
#define EMPTY_MD5 "d41d8cd98f00b204e9800998ecf8427e"
#define EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static int
tmpfile_with(const void *p, size_t n)
{
	char tmpl[] = "/tmp/vk-hasher-XXXXXX";
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	unlink(tmpl);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void
test_known_vectors_one_pass(void **state)
{
	struct vk_hasher *h;
	struct vk_file_digests d;
	int fd;

	(void)state;
	assert_int_equal(vk_hasher_new(VK_HASH_ALL, &h), 0);
	fd = tmpfile_with("abc", 3);
	assert_int_equal(vk_hasher_fd(h, fd, 1000, &d), 0);
	close(fd);
	assert_int_equal(d.algs, VK_HASH_ALL);
	assert_int_equal(d.size, 3);
	assert_string_equal(d.hex[VK_HASH_MD5], ABC_MD5);
	assert_string_equal(d.hex[VK_HASH_SHA1], ABC_SHA1);
	assert_string_equal(d.hex[VK_HASH_SHA256], ABC_SHA256);
	assert_string_equal(d.hex[VK_HASH_SHA512], ABC_SHA512);
	vk_hasher_free(h);
}

static void
test_only_requested(void **state)
{
	struct vk_hasher *h;
	struct vk_file_digests d;
	int fd;

	(void)state;
	assert_int_equal(
	    vk_hasher_new(
		VK_HASH_BIT(VK_HASH_MD5) | VK_HASH_BIT(VK_HASH_SHA256), &h),
	    0);
	/* Empty file: the empty-input digests, size 0. */
	fd = tmpfile_with("", 0);
	memset(&d, 0, sizeof(d));
	assert_int_equal(vk_hasher_fd(h, fd, 0, &d), 0);
	close(fd);
	assert_int_equal(d.size, 0);
	assert_string_equal(d.hex[VK_HASH_MD5], EMPTY_MD5);
	assert_string_equal(d.hex[VK_HASH_SHA256], EMPTY_SHA256);
	assert_int_equal(
	    d.algs, VK_HASH_BIT(VK_HASH_MD5) | VK_HASH_BIT(VK_HASH_SHA256));
	/* Not computed: left untouched. */
	assert_string_equal(d.hex[VK_HASH_SHA1], "");
	vk_hasher_free(h);
	vk_hasher_free(NULL);
}

static void
test_large_matches_memory(void **state)
{
	/* More than one read buffer, not a multiple of it. */
	size_t n = 3 * (1u << 20) + 17, i;
	struct vk_file_digests a, b;
	struct vk_hasher *h;
	unsigned char *p;
	int fd;

	(void)state;
	p = malloc(n);
	assert_non_null(p);
	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 2654435761u >> 13);
	assert_int_equal(vk_hasher_new(VK_HASH_ALL, &h), 0);
	fd = tmpfile_with(p, n);
	assert_int_equal(vk_hasher_fd(h, fd, n, &a), 0);
	assert_int_equal(vk_hasher_mem(h, p, n, &b), 0);
	assert_int_equal(a.size, n);
	for (i = 0; i < VK_HASH_ALG_MAX; i++)
		assert_string_equal(a.hex[i], b.hex[i]);
	/* One byte under the size: refused, not a wrong digest. */
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(vk_hasher_fd(h, fd, n - 1, &a), VK_ETOOBIG);
	/* The hasher is reusable after a refusal. */
	assert_int_equal(vk_hasher_mem(h, "abc", 3, &a), 0);
	assert_string_equal(a.hex[VK_HASH_SHA256], ABC_SHA256);
	close(fd);
	/* A bad descriptor is an I/O error. */
	assert_int_equal(vk_hasher_fd(h, -1, n, &a), VK_EIO);
	vk_hasher_free(h);
	free(p);
}

static int
collect(void *arg, enum vk_hash_alg a, uint32_t ioc)
{
	uint32_t *got = arg;

	got[0]++;
	got[got[0]] = ioc * 10 + (uint32_t)a;
	return 0;
}

static void
test_index(void **state)
{
	struct vk_hashidx *idx;
	struct vk_hasher *h;
	struct vk_file_digests d;
	uint32_t got[16] = { 0 };
	int i;

	(void)state;
	assert_int_equal(vk_hashidx_new(&idx), 0);
	/* Upper case is the same digest. */
	assert_int_equal(
	    vk_hashidx_add(idx, VK_HASH_SHA256,
		"BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB4"
		"10FF61F20015AD",
		64, 7),
	    0);
	/* The same digest from another report: both reported. */
	assert_int_equal(
	    vk_hashidx_add(idx, VK_HASH_SHA256, ABC_SHA256, 64, 9), 0);
	assert_int_equal(vk_hashidx_add(idx, VK_HASH_MD5, ABC_MD5, 32, 3), 0);
	/* Wrong length or not hex: refused. */
	assert_int_equal(
	    vk_hashidx_add(idx, VK_HASH_MD5, ABC_SHA1, 40, 1), VK_EINVAL);
	assert_int_equal(vk_hashidx_add(idx, VK_HASH_MD5,
			     "900150983cd24fb0d6963f7d28e17fzz", 32, 1),
	    VK_EINVAL);
	/* Many more, to grow the table past its first size. */
	for (i = 0; i < 500; i++) {
		char hex[65];

		snprintf(hex, sizeof(hex), "%064x", i + 1);
		assert_int_equal(
		    vk_hashidx_add(idx, VK_HASH_SHA256, hex, 64, 100 + i), 0);
	}
	assert_int_equal(vk_hashidx_count(idx), 503);
	assert_int_equal(vk_hashidx_algs(idx),
	    VK_HASH_BIT(VK_HASH_MD5) | VK_HASH_BIT(VK_HASH_SHA256));

	assert_int_equal(vk_hasher_new(vk_hashidx_algs(idx), &h), 0);
	assert_int_equal(vk_hasher_mem(h, "abc", 3, &d), 0);
	assert_int_equal(vk_hashidx_lookup(idx, &d, collect, got), 0);
	assert_int_equal(got[0], 3);
	/* MD5 first (enum order), then both SHA-256 entries. */
	assert_int_equal(got[1], 3 * 10 + VK_HASH_MD5);
	assert_true((got[2] == 7 * 10 + VK_HASH_SHA256 &&
			got[3] == 9 * 10 + VK_HASH_SHA256) ||
	    (got[3] == 7 * 10 + VK_HASH_SHA256 &&
		got[2] == 9 * 10 + VK_HASH_SHA256));
	/* Other content: nothing. */
	got[0] = 0;
	assert_int_equal(vk_hasher_mem(h, "abd", 3, &d), 0);
	assert_int_equal(vk_hashidx_lookup(idx, &d, collect, got), 0);
	assert_int_equal(got[0], 0);
	vk_hasher_free(h);
	vk_hashidx_free(idx);
	vk_hashidx_free(NULL);
}

static void
test_index_from_set(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_hashidx *idx;
	struct vk_hasher *h;
	struct vk_file_digests d;
	uint32_t got[8] = { 0 }, prov;

	(void)state;
	assert_non_null(set);
	assert_int_equal(vk_ioc_set_add_prov(set,
			     &(struct vk_ioc_prov){ .source = "t" }, &prov),
	    0);
	assert_int_equal(vk_ioc_set_add(set, VK_IOC_TYPE_MAX, "evil.se", 7,
			     prov, NULL, NULL),
	    0);
	assert_int_equal(vk_ioc_set_add(set, VK_IOC_TYPE_MAX, ABC_SHA1, 40,
			     prov, NULL, NULL),
	    0);
	assert_int_equal(vk_ioc_set_add(set, VK_IOC_TYPE_MAX, EMPTY_MD5, 32,
			     prov, NULL, NULL),
	    0);
	/* Suppressed by an allow-list: not looked for. */
	vk_ioc_set_get_mut(set, 2)->allow = 1;
	assert_int_equal(vk_hashidx_build(set, &idx), 0);
	assert_int_equal(vk_hashidx_count(idx), 1);
	assert_int_equal(vk_hashidx_algs(idx), VK_HASH_BIT(VK_HASH_SHA1));
	assert_int_equal(vk_hasher_new(vk_hashidx_algs(idx), &h), 0);
	assert_int_equal(vk_hasher_mem(h, "abc", 3, &d), 0);
	assert_int_equal(vk_hashidx_lookup(idx, &d, collect, got), 0);
	assert_int_equal(got[0], 1);
	assert_int_equal(got[1], 1 * 10 + VK_HASH_SHA1);
	vk_hasher_free(h);
	vk_hashidx_free(idx);
	vk_ioc_set_free(set);
}

static void
test_names(void **state)
{
	enum vk_hash_alg a;

	(void)state;
	assert_string_equal(vk_hash_alg_name(VK_HASH_SHA512), "sha512");
	assert_int_equal(vk_hash_alg_len(VK_HASH_SHA1), 20);
	assert_int_equal(vk_hash_alg_of_ioc(VK_IOC_SHA256, &a), 0);
	assert_int_equal(a, VK_HASH_SHA256);
	assert_int_equal(vk_hash_alg_of_ioc(VK_IOC_DOMAIN, &a), VK_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors_one_pass),
		cmocka_unit_test(test_only_requested),
		cmocka_unit_test(test_large_matches_memory),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_index_from_set),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
