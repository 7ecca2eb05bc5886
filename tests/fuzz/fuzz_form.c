/*
 * fuzz_form.c — the urlencoded form parser (web/form.h).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vk_form f;
	char err[200];
	size_t i;

	if (vk_form_parse((const char *)data, size, &f, err, sizeof(err)) ==
	    0) {
		/* Every decoded field is valid UTF-8 without NUL. */
		for (i = 0; i < f.n; i++)
			if (!vk_web_utf8_valid(
				f.v[i].value, strlen(f.v[i].value), NULL))
				__builtin_trap();
		(void)vk_form_get(&f, "csrf");
		(void)vk_form_count(&f, "a");
	}
	vk_form_release(&f);
	return 0;
}
