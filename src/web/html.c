/*
 * html.c — the escaping HTML writer.
 */
#include "web/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

void
vk_html_init(struct vk_html *h, struct vk_buf *out)
{
	h->out = out;
	h->depth = 0;
	h->err = 0;
}

static int
fail(struct vk_html *h, int r)
{
	if (h->err == 0)
		h->err = r;
	return h->err;
}

static int
valid_name(const char *s)
{
	const char *p;

	if (s == NULL || *s == '\0' || strlen(s) > 32)
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			*p == '-'))
			return 0;
	return 1;
}

/* Is `name` an attribute that the browser treats as a URL? */
static int
url_attr(const char *name)
{
	return strcmp(name, "href") == 0 || strcmp(name, "src") == 0 ||
	    strcmp(name, "action") == 0 || strcmp(name, "formaction") == 0;
}

static int
safe_url(const char *v)
{
	if (v[0] == '/' && v[1] != '/' && v[1] != '\\')
		return 1;
	if (v[0] == '?' || v[0] == '#' || v[0] == '\0')
		return 1;
	return strncmp(v, "https://", 8) == 0 ||
	    strncmp(v, "http://", 7) == 0 || strncmp(v, "mailto:", 7) == 0;
}

int
vk_html_escape(struct vk_buf *b, const char *s)
{
	const unsigned char *p, *run;
	int r = 0;

	run = (const unsigned char *)s;
	for (p = run; *p; p++) {
		const char *ent;

		switch (*p) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			/* C0 controls other than tab/newline are dropped. */
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				ent = "";
			else
				continue;
		}
		if ((r = vk_buf_append(b, run, (size_t)(p - run))) != 0 ||
		    (r = vk_buf_appends(b, ent)) != 0)
			return r;
		run = p + 1;
	}
	return vk_buf_append(b, run, (size_t)(p - run));
}

static int
open_tag(struct vk_html *h, const char *tag, va_list ap, int push)
{
	const char *name, *value;
	size_t mark;
	int r;

	if (h->err)
		return h->err;
	if (!valid_name(tag))
		return fail(h, VK_EINVAL);
	if (push && h->depth == VK_HTML_DEPTH)
		return fail(h, VK_ETOOBIG);
	mark = h->out->len;
	if ((r = vk_buf_appendc(h->out, '<')) != 0 ||
	    (r = vk_buf_appends(h->out, tag)) != 0)
		goto out;
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		if (!valid_name(name)) {
			r = VK_EINVAL;
			goto out;
		}
		if (value && url_attr(name) && !safe_url(value)) {
			r = VK_EINVAL;
			goto out;
		}
		if ((r = vk_buf_appendc(h->out, ' ')) != 0 ||
		    (r = vk_buf_appends(h->out, name)) != 0)
			goto out;
		if (value == NULL)
			continue;
		if ((r = vk_buf_appends(h->out, "=\"")) != 0 ||
		    (r = vk_html_escape(h->out, value)) != 0 ||
		    (r = vk_buf_appendc(h->out, '"')) != 0)
			goto out;
	}
	if ((r = vk_buf_appendc(h->out, '>')) != 0)
		goto out;
	if (push)
		h->stack[h->depth++] = tag;
out:
	if (r != 0) {
		vk_buf_truncate(h->out, mark);
		return fail(h, r);
	}
	return 0;
}

int
vk_html_doctype(struct vk_html *h)
{
	int r;

	if (h->err)
		return h->err;
	if ((r = vk_buf_appends(h->out, "<!doctype html>\n")) != 0)
		return fail(h, r);
	return 0;
}

int
vk_html_open(struct vk_html *h, const char *tag, ...)
{
	va_list ap;
	int r;

	va_start(ap, tag);
	r = open_tag(h, tag, ap, 1);
	va_end(ap);
	return r;
}

int
vk_html_void(struct vk_html *h, const char *tag, ...)
{
	va_list ap;
	int r;

	va_start(ap, tag);
	r = open_tag(h, tag, ap, 0);
	va_end(ap);
	return r;
}

int
vk_html_close(struct vk_html *h)
{
	int r;

	if (h->err)
		return h->err;
	if (h->depth == 0)
		return fail(h, VK_EINVAL);
	h->depth--;
	if ((r = vk_buf_appends(h->out, "</")) != 0 ||
	    (r = vk_buf_appends(h->out, h->stack[h->depth])) != 0 ||
	    (r = vk_buf_appendc(h->out, '>')) != 0)
		return fail(h, r);
	return 0;
}

int
vk_html_close_to(struct vk_html *h, size_t depth)
{
	int r = h->err;

	while (r == 0 && h->depth > depth)
		r = vk_html_close(h);
	return r;
}

int
vk_html_text(struct vk_html *h, const char *s)
{
	int r;

	if (h->err)
		return h->err;
	if (s == NULL)
		return 0;
	if ((r = vk_html_escape(h->out, s)) != 0)
		return fail(h, r);
	return 0;
}

int
vk_html_textf(struct vk_html *h, const char *fmt, ...)
{
	struct vk_buf tmp;
	va_list ap;
	int r;

	if (h->err)
		return h->err;
	vk_buf_init(&tmp, 64 * 1024);
	va_start(ap, fmt);
	r = vk_buf_vappendf(&tmp, fmt, ap);
	va_end(ap);
	if (r == 0)
		r = vk_html_text(h, vk_buf_str(&tmp));
	vk_buf_release(&tmp);
	return r ? fail(h, r) : 0;
}

int
vk_html_elem(struct vk_html *h, const char *tag, const char *text)
{
	int r;

	if ((r = vk_html_open(h, tag, NULL)) != 0 ||
	    (r = vk_html_text(h, text)) != 0)
		return r;
	return vk_html_close(h);
}

int
vk_html_finish(struct vk_html *h)
{
	vk_html_close_to(h, 0);
	return h->err;
}
