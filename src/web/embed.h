/*
 * embed.h — files compiled into the binary (CSS, translations).
 *
 * The table is generated at build time by scripts/embed.py from the files
 * named in src/web/meson.build.  Static files are served only from this
 * table, by exact name: no path from a request ever reaches the file
 * system, so there is nothing to traverse.
 */
#ifndef VK_WEB_EMBED_H
#define VK_WEB_EMBED_H

#include <stddef.h>

struct vk_embed {
	const char *name; /* "/static/vaksam.0123456789ab.css", "mo/sv" */
	const char *content_type;
	const unsigned char *data; /* NUL-terminated after len bytes */
	size_t len;
	const char *etag; /* quoted */
};

extern const struct vk_embed vk_embedded[];
extern const size_t vk_nembedded;

/* The embedded file called exactly `name`, or NULL. */
const struct vk_embed *vk_embed_find(const char *name);

#endif
