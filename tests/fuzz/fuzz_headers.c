/*
 * fuzz_headers.c — the small parsers of request header values:
 * Accept-Language, language tags (cookie), Content-Type for JSON and
 * trusted-proxy CIDRs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "web/config.h"
#include "web/i18n.h"
#include "web/jsonbody.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vk_cidr c;
	char *s;
	int l;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	l = vk_lang_from_accept(s);
	if (l < -1 || l >= VK_LANG_MAX)
		__builtin_trap();
	l = vk_i18n_lang_tag(s);
	if (l < -1 || l >= VK_LANG_MAX)
		__builtin_trap();
	(void)vk_json_media_type(s);
	if (vk_cidr_parse(s, &c) == 0 &&
	    (c.bits > (c.family == AF_INET ? 32u : 128u)))
		__builtin_trap();
	free(s);
	return 0;
}
