/*
 * buf.c — growable byte buffer with a ceiling.
 */
#include "util/buf.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

void
vk_buf_init(struct vk_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
vk_buf_release(struct vk_buf *b)
{
	free(b->data);
	vk_buf_init(b, b->max);
}

void
vk_buf_reset(struct vk_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *
vk_buf_detach(struct vk_buf *b, size_t *len)
{
	char *p = b->data;

	if (p == NULL)
		p = calloc(1, 1);
	if (len)
		*len = b->len;
	vk_buf_init(b, b->max);
	return p;
}

int
vk_buf_grow(struct vk_buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > b->max || b->len > b->max - n)
		return VK_ETOOBIG;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	if ((p = realloc(b->data, cap)) == NULL)
		return VK_ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
vk_buf_append(struct vk_buf *b, const void *p, size_t n)
{
	int r;

	if ((r = vk_buf_grow(b, n)) != 0)
		return r;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
vk_buf_appends(struct vk_buf *b, const char *s)
{
	return vk_buf_append(b, s, strlen(s));
}

int
vk_buf_appendc(struct vk_buf *b, char c)
{
	return vk_buf_append(b, &c, 1);
}

int
vk_buf_vappendf(struct vk_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, r;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return VK_EINVAL;
	if ((r = vk_buf_grow(b, (size_t)n)) != 0)
		return r;
	n = vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	if (n < 0)
		return VK_EINVAL;
	b->len += (size_t)n;
	return 0;
}

int
vk_buf_appendf(struct vk_buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vk_buf_vappendf(b, fmt, ap);
	va_end(ap);
	return r;
}

void
vk_buf_truncate(struct vk_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

const char *
vk_buf_str(const struct vk_buf *b)
{
	return b->data ? b->data : "";
}
