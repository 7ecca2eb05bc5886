/*
 * fuzz_stix_pattern.c — the STIX pattern parser on arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>

#include "ioc/stix_pattern.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vk_stix_result r;
	size_t i;
	int rc;

	vk_stix_result_init(&r);
	rc = vk_stix_pattern_eval((const char *)data, size, &r);
	if (rc == 0)
		for (i = 0; i < r.n; i++)
			/* Every value lies inside the text buffer and is
			 * NUL-terminated (it may hold NULs of its own). */
			if (r.v[i].off + r.v[i].len >= r.text.len ||
			    vk_stix_value_str(&r, i)[r.v[i].len] != '\0')
				__builtin_trap();
	if (rc == VK_EPARSE && r.errpos > size)
		__builtin_trap();
	vk_stix_result_release(&r);
	return 0;
}
