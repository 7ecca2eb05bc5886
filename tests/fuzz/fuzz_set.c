/*
 * fuzz_set.c — the indicator set under any sequence of adds, marks and
 * rollbacks.  Each input line is one operation: its first byte picks a
 * type (or, for '!' and '^', a mark or a rollback to the last mark), the
 * rest is the value.  After every rollback and at the end, every stored
 * indicator must be found again as a duplicate, and the per-type counts
 * must add up: this checks the duplicate table's deletions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ioc/ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(struct vk_ioc_set *set)
{
	size_t n = vk_ioc_set_count(set), i, sum = 0;
	unsigned t;

	for (t = 0; t < VK_IOC_TYPE_MAX; t++)
		sum += vk_ioc_set_count_type(set, (enum vk_ioc_type)t);
	if (sum != n)
		abort();
	for (i = 0; i < n; i++) {
		const struct vk_ioc *ioc = vk_ioc_set_get(set, i);

		/* Re-adding the key under its own type and provenance must
		 * be a duplicate (FILENAME keys are values). */
		if (vk_ioc_set_add(set, ioc->type, ioc->norm, ioc->norm_len,
			ioc->prov, NULL, NULL) != 0 ||
		    vk_ioc_set_count(set) != n)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_ioc_set_mark m = { 0, 0 };
	const char *p = (const char *)data, *end = p + size;
	struct vk_ioc_prov prov = { .source = "fuzz" };
	uint32_t id;

	if (set == NULL || vk_ioc_set_add_prov(set, &prov, &id) != 0)
		abort();
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n > 0) {
			unsigned c = (unsigned char)p[0];

			if (c == '!') {
				vk_ioc_set_mark(set, &m);
			} else if (c == '^') {
				if (m.niocs <= vk_ioc_set_count(set) &&
				    m.nprov <= vk_ioc_set_prov_count(set))
					vk_ioc_set_rollback(set, &m);
				check(set);
			} else if (c == '+') {
				vk_ioc_set_add_prov(set, &prov, &id);
			} else {
				vk_ioc_set_add(set,
				    (enum vk_ioc_type)(
					c % (VK_IOC_TYPE_MAX + 1)),
				    p + 1, n - 1, c & 0x80 ? id : 0, NULL,
				    NULL);
			}
		}
		p += n + (nl != NULL);
	}
	check(set);
	vk_ioc_set_free(set);
	return 0;
}
