/*
 * fuzz_json_body.c — API body validation (web/jsonbody.h).  The first
 * line of the input is the Content-Type header, the rest the body.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "web/jsonbody.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	enum vk_web_error code;
	json_t *j = NULL, *details = NULL;
	char *ct;
	size_t ctlen;

	ctlen = nl ? (size_t)(nl - data) : 0;
	if ((ct = malloc(ctlen + 1)) == NULL)
		return 0;
	memcpy(ct, data, ctlen);
	ct[ctlen] = '\0';
	if (strlen(ct) == ctlen) {
		const char *body = (const char *)data + (nl ? ctlen + 1 : 0);
		size_t blen = size - (nl ? ctlen + 1 : 0);

		if (vk_json_body_parse(ct, body, blen, &j, &code, &details) ==
		    0) {
			if (!json_is_object(j))
				__builtin_trap();
		} else if (j != NULL)
			__builtin_trap();
	}
	json_decref(j);
	json_decref(details);
	free(ct);
	return 0;
}
