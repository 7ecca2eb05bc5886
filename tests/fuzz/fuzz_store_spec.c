/*
 * fuzz_store_spec.c — the store spec redaction (vk_store_spec_redact),
 * the one hand-written parser of store specs: any input must give a
 * NUL-terminated result within the buffer, never longer than the input
 * plus the "***" it inserts, and every "password=" key in it is
 * followed by "***".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec, out[512], tiny[7];
	int r;

	if (size > 4096)
		return 0;
	if ((spec = malloc(size + 1)) == NULL)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	r = vk_store_spec_redact(spec, out, sizeof(out));
	if (r != 0 && r != VK_ETOOBIG)
		abort();
	if (strlen(out) >= sizeof(out))
		abort();
	if (r == 0 && strlen(out) > strlen(spec) + 3 * (strlen(spec) / 9 + 1))
		abort();
	if (r == 0)
		for (const char *p = out; (p = strstr(p, "password=")) != NULL;
		     p++)
			if ((p == out || p[-1] == '?' || p[-1] == '&' ||
				p[-1] == ' ') &&
			    strncmp(p + 9, "***", 3) != 0)
				abort();
	r = vk_store_spec_redact(spec, tiny, sizeof(tiny));
	if (strlen(tiny) >= sizeof(tiny) || (r != 0 && r != VK_ETOOBIG))
		abort();
	free(spec);
	return 0;
}
