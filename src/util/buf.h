/*
 * buf.h — a growable byte buffer with a hard ceiling (after curl's dynbuf
 * and git's strbuf).
 *
 * Contract: a struct vk_buf is initialised with vk_buf_init(b, max); it then
 * owns b->data.  b->data is always NUL-terminated once anything was
 * appended (b->len excludes the NUL).  Appending past `max` bytes fails with
 * VK_ETOOBIG and leaves the buffer as it was.  vk_buf_release() frees and
 * re-initialises (keeping max); vk_buf_detach() hands the memory to the
 * caller, who frees it with free().
 */
#ifndef VK_UTIL_BUF_H
#define VK_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct vk_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
};

void vk_buf_init(struct vk_buf *b, size_t max);
void vk_buf_release(struct vk_buf *b);
/* Empty the buffer, keeping its memory. */
void vk_buf_reset(struct vk_buf *b);
/* Returns the data (NUL-terminated, never NULL) and re-initialises b. */
char *vk_buf_detach(struct vk_buf *b, size_t *len);

int vk_buf_append(struct vk_buf *b, const void *p, size_t n);
int vk_buf_appends(struct vk_buf *b, const char *s);
int vk_buf_appendc(struct vk_buf *b, char c);
int vk_buf_appendf(struct vk_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int vk_buf_vappendf(struct vk_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Make room for n more bytes (plus NUL) without changing len. */
int vk_buf_grow(struct vk_buf *b, size_t n);
/* Shorten to len bytes (len <= b->len). */
void vk_buf_truncate(struct vk_buf *b, size_t len);
/* The contents as a C string; "" for an empty buffer, never NULL. */
const char *vk_buf_str(const struct vk_buf *b);

#endif
