/*
 * fuzz_jsonpath.c — the JSON field locator on hostile lines.
 *
 * The first two bytes choose offsets; the rest is the line.  Checks that
 * the single and the batched forms agree and that every path fits its
 * ceiling.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hunt/jsonpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[VK_JSONPATH_MAX + 1];
	size_t offs[8], at[8], i, n, len;
	struct vk_buf paths;
	const char *line;
	int r1, rn;

	if (size < 2)
		return 0;
	line = (const char *)data + 2;
	len = size - 2;
	/* Ascending offsets spread over (and one past) the line. */
	n = 0;
	for (i = 0; i < 8; i++) {
		size_t o = len
		    ? (size_t)((data[i & 1] * (i + 1) * 37u) % (len + 1))
		    : 0;
		if (n == 0 || o >= offs[n - 1])
			offs[n++] = o;
	}
	vk_buf_init(&paths, 8 * (VK_JSONPATH_MAX + 1));
	rn = vk_jsonpath_find_many(line, len, offs, n, &paths, at);
	if (rn < 0)
		abort();
	for (i = 0; i < n; i++) {
		r1 = vk_jsonpath_find(line, len, offs[i], out, sizeof(out));
		if ((r1 == 1) != (at[i] != (size_t)-1))
			abort();
		if (r1 == 1 &&
		    (strcmp(out, paths.data + at[i]) != 0 ||
			strlen(out) > VK_JSONPATH_MAX))
			abort();
	}
	(void)vk_jsonpath_candidate(line, len);
	vk_buf_release(&paths);
	return 0;
}
