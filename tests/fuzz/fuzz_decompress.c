/*
 * fuzz_decompress.c — hostile (possibly compressed) streams through the
 * input layer and the line reader.
 *
 * The first byte picks the line ceiling (small ceilings exercise pieces)
 * and, when odd, runs of whole lines (vk_lines_run) where they come; the
 * rest is the stream, decoded by content.  Checks that lines stay inside
 * the ceiling, that runs are whole lines and that offsets never go
 * backwards.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hunt/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vk_input *in;
	struct vk_lines lr;
	struct vk_line l;
	uint64_t last = 0, total = 0;
	size_t max_line;
	bool runs;
	int r;

	if (size < 1)
		return 0;
	max_line = data[0] < 128 ? (size_t)data[0] + 1 : 0;
	runs = data[0] & 1;
	if (vk_input_open_mem(data + 1, size - 1, VK_COMPRESS_AUTO, &in) != 0)
		return 0;
	if (vk_lines_init(&lr, in, 0, max_line) != 0) {
		vk_input_free(in);
		return 0;
	}
	for (;;) {
		if (runs && (r = vk_lines_run(&lr, UINT64_MAX, &l)) == 1) {
			const char *nl;
			size_t at = 0;

			if (l.off < last || l.len == 0 ||
			    l.p[l.len - 1] != '\n')
				abort();
			/* every line in it within the ceiling */
			while (
			    (nl = memchr(l.p + at, '\n', l.len - at)) != NULL) {
				if (max_line &&
				    (size_t)(nl - l.p) - at > max_line)
					abort();
				at = (size_t)(nl - l.p) + 1;
			}
			if (vk_count_byte(l.p, l.len, '\n') == 0)
				abort();
			last = l.off;
			total += l.len;
			if (total > 64u * 1024 * 1024)
				break;
			continue;
		}
		if (runs && r != 0)
			break;
		if ((r = vk_lines_next(&lr, &l)) != 1)
			break;
		if (l.off < last || (max_line && l.len > max_line))
			abort();
		last = l.off;
		/* Bound the work on decompression bombs. */
		total += l.len + 1;
		if (total > 64u * 1024 * 1024)
			break;
	}
	if (r < 0 && vk_input_error(in) == NULL && vk_input_errno(in) == 0)
		abort();
	vk_lines_release(&lr);
	vk_input_free(in);
	return 0;
}
