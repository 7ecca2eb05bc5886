/*
 * fuzz_router.c — request path decoding and route matching
 * (web/router.h).  The first byte picks the method.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "PATCH",
		"DELETE", "HEAD" };
	char out[VK_PATH_MAX], *raw;
	struct vk_route_match m;

	if (size < 1 || (raw = malloc(size)) == NULL)
		return 0;
	memcpy(raw, data + 1, size - 1);
	raw[size - 1] = '\0';
	if (vk_router_decode_path(raw, out, sizeof(out)) == 0) {
		/* A decoded path never walks upwards or hides a slash. */
		if (strstr(out, "/../") || strstr(out, "//") ||
		    strlen(out) == 0 || out[0] != '/')
			__builtin_trap();
		if (vk_router_match(vk_routes, vk_nroutes, methods[data[0] % 6],
			out, &m) == 0 &&
		    m.route == NULL)
			__builtin_trap();
	}
	free(raw);
	return 0;
}
