/*
 * html.h — an HTML writer that escapes by construction (after kcgi's
 * khtml).
 *
 * Every piece of caller text goes through vk_html_text() or an attribute
 * value, both of which escape & < > " '.  There is no call that writes
 * caller text unescaped: the only bytes written as they are are tag and
 * attribute names, which must match [a-z0-9-]+ (checked at run time; a
 * bad name makes the writer fail and write nothing more).  URL attributes
 * (href, src, action) must be relative ("/", "?", "#") or http(s)/mailto,
 * so a stored "javascript:" value cannot become a link.
 *
 * Errors are sticky: after the first failure every call returns it and
 * writes nothing; check vk_html_finish() once at the end.
 */
#ifndef VK_WEB_HTML_H
#define VK_WEB_HTML_H

#include <stddef.h>

#include "util/buf.h"

#define VK_HTML_DEPTH 64

struct vk_html {
	struct vk_buf *out; /* not owned */
	const char *stack[VK_HTML_DEPTH]; /* open tags (static names) */
	size_t depth;
	int err;
};

/* Starts writing into `out` (which the caller owns and releases). */
void vk_html_init(struct vk_html *h, struct vk_buf *out);
/* Writes "<!doctype html>". */
int vk_html_doctype(struct vk_html *h);
/*
 * Opens element `tag` with attributes given as name, value pairs ended by
 * a NULL name; a NULL value writes a boolean attribute (`required`).
 * `tag` and names must be string literals or otherwise outlive the
 * writer (the open stack keeps the pointer).
 */
int vk_html_open(struct vk_html *h, const char *tag, ...);
/* As vk_html_open for a void element (input, meta, link): no close. */
int vk_html_void(struct vk_html *h, const char *tag, ...);
/* Closes the innermost open element. */
int vk_html_close(struct vk_html *h);
/* Closes open elements until `depth` remain. */
int vk_html_close_to(struct vk_html *h, size_t depth);
/* Writes text, escaped.  NULL writes nothing. */
int vk_html_text(struct vk_html *h, const char *s);
/* Writes formatted text; the result is escaped as a whole. */
int vk_html_textf(struct vk_html *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Open `tag` (no attributes), text, close. */
int vk_html_elem(struct vk_html *h, const char *tag, const char *text);
/* Closes everything; returns the first error (0 if none). */
int vk_html_finish(struct vk_html *h);

/* Appends `s` escaped for HTML text and attribute values to b. */
int vk_html_escape(struct vk_buf *b, const char *s);

#endif
