/*
 * form.c — urlencoded form and query parsing.
 */
#include "web/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/hex.h"

int
vk_web_utf8_valid(const char *s, size_t n, size_t *bad_at)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		size_t k, need;
		unsigned cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else
			goto bad;
		if (n - i <= need)
			goto bad;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((need == 2 &&
			(cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			goto bad;
		i += need + 1;
	}
	return 1;
bad:
	if (bad_at)
		*bad_at = i;
	return 0;
}

int
vk_url_decode(const char *s, size_t n, int plus, char **out)
{
	char *d;
	size_t i, j = 0;

	*out = NULL;
	if ((d = malloc(n + 1)) == NULL)
		return VK_ENOMEM;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3 || (hi = vk_hexval(s[i + 1])) < 0 ||
			    (lo = vk_hexval(s[i + 2])) < 0)
				goto bad;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus)
			c = ' ';
		if (c == '\0')
			goto bad;
		d[j++] = c;
	}
	d[j] = '\0';
	if (!vk_web_utf8_valid(d, j, NULL))
		goto bad;
	*out = d;
	return 0;
bad:
	free(d);
	return VK_EPARSE;
}

int
vk_form_add(struct vk_form *f, const char *name, const char *value)
{
	struct vk_form_field *v;
	char *a, *b;

	if (f->n >= VK_FORM_FIELDS_MAX)
		return VK_ETOOBIG;
	a = strdup(name);
	b = strdup(value ? value : "");
	v = realloc(f->v, (f->n + 1) * sizeof(*v));
	if (a == NULL || b == NULL || v == NULL) {
		free(a);
		free(b);
		if (v)
			f->v = v;
		return VK_ENOMEM;
	}
	f->v = v;
	v[f->n].name = a;
	v[f->n].value = b;
	f->n++;
	return 0;
}

static void say(char *err, size_t errlen, const char *fmt, const char *what)
    __attribute__((format(printf, 3, 0)));

static void
say(char *err, size_t errlen, const char *fmt, const char *what)
{
	char shown[40];
	size_t i;

	if (err == NULL || errlen == 0)
		return;
	/* Show at most a short, printable piece of the hostile name. */
	for (i = 0; what && what[i] && i < sizeof(shown) - 1; i++)
		shown[i] = (what[i] >= 0x20 && what[i] < 0x7f) ? what[i] : '?';
	shown[i] = '\0';
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	/* fmt is always one of the literals below, with one %s. */
	snprintf(err, errlen, fmt, shown);
#pragma GCC diagnostic pop
}

int
vk_form_parse(
    const char *s, size_t len, struct vk_form *out, char *err, size_t errlen)
{
	size_t i = 0;
	int r = 0;

	out->v = NULL;
	out->n = 0;
	if (err && errlen)
		err[0] = '\0';
	while (i < len) {
		size_t start = i, eq = (size_t)-1, nlen, vlen;
		char *name = NULL, *value = NULL;
		char rawname[VK_FORM_NAME_MAX + 1];

		while (i < len && s[i] != '&') {
			if (s[i] == '=' && eq == (size_t)-1)
				eq = i;
			i++;
		}
		if (i == start) {
			i++;
			continue;
		}
		nlen = (eq == (size_t)-1 ? i : eq) - start;
		vlen = eq == (size_t)-1 ? 0 : i - eq - 1;
		memcpy(rawname, s + start,
		    nlen < VK_FORM_NAME_MAX ? nlen : VK_FORM_NAME_MAX);
		rawname[nlen < VK_FORM_NAME_MAX ? nlen : VK_FORM_NAME_MAX] =
		    '\0';
		if (nlen > VK_FORM_NAME_MAX * 3) {
			say(err, errlen, "field name '%s…' is too long",
			    rawname);
			return VK_ETOOBIG;
		}
		if (vlen > VK_FORM_VALUE_MAX * 3) {
			say(err, errlen, "field '%s': value is too long",
			    rawname);
			return VK_ETOOBIG;
		}
		if ((r = vk_url_decode(s + start, nlen, 1, &name)) != 0) {
			say(err, errlen,
			    "field name '%s' is not valid percent-encoded "
			    "UTF-8",
			    rawname);
			return r;
		}
		if (strlen(name) > VK_FORM_NAME_MAX) {
			say(err, errlen, "field name '%s…' is too long", name);
			free(name);
			return VK_ETOOBIG;
		}
		if ((r = vk_url_decode(eq == (size_t)-1 ? "" : s + eq + 1, vlen,
			 1, &value)) != 0) {
			say(err, errlen,
			    "field '%s': value is not valid percent-encoded "
			    "UTF-8",
			    name);
			free(name);
			return r;
		}
		if (strlen(value) > VK_FORM_VALUE_MAX) {
			say(err, errlen, "field '%s': value is too long", name);
			r = VK_ETOOBIG;
		} else if ((r = vk_form_add(out, name, value)) == VK_ETOOBIG)
			say(err, errlen, "too many fields (at '%s')", name);
		free(name);
		free(value);
		if (r != 0)
			return r;
		i++;
	}
	return 0;
}

void
vk_form_release(struct vk_form *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

const char *
vk_form_get(const struct vk_form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return f->v[i].value;
	return NULL;
}

size_t
vk_form_count(const struct vk_form *f, const char *name)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			n++;
	return n;
}
