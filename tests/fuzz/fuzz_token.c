/*
 * fuzz_token.c — the parsers of credentials that arrive from the
 * network: API tokens (vk_token_parse, from the Authorization header) and
 * session cookies (vk_session_hash).  A token that parses must have the
 * canonical form "vk_<id>_<64 hex>" with the id printed back unchanged.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/account.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, h[VK_HASH_HEX], back[VK_TOKEN_STR_MAX];
	int64_t id;

	if (size > 1024)
		return 0;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (vk_token_parse(s, &id, h) == 0) {
		if (id <= 0 || strlen(h) != 64)
			abort();
		snprintf(back, sizeof(back), "vk_%" PRId64 "_", id);
		if (strncmp(s, back, strlen(back)) != 0 ||
		    strlen(s) != strlen(back) + 64)
			abort();
	}
	if (vk_session_hash(s, h) == 0 &&
	    (strlen(s) != VK_SESSION_COOKIE_LEN || strlen(h) != 64))
		abort();
	(void)vk_secret_equal(s, "vk_1_abc");
	free(s);
	return 0;
}
