/*
 * static.c — lookup in the embedded file table.
 */
#include "web/embed.h"

#include <string.h>

const struct vk_embed *
vk_embed_find(const char *name)
{
	size_t i;

	for (i = 0; i < vk_nembedded; i++)
		if (strcmp(vk_embedded[i].name, name) == 0)
			return &vk_embedded[i];
	return NULL;
}
