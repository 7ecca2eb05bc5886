/*
 * jsonpath.c — the field path of a byte offset in a JSON log line.  See
 * jsonpath.h for the rules.
 */
#include "hunt/jsonpath.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/err.h"

#define NONE ((size_t)-1)

struct frame {
	char kind; /* '{' or '[' */
	size_t idx; /* array: index of the next element */
	size_t plen; /* path length of this container */
};

struct scan {
	const char *s;
	size_t len, pos;
	char path[VK_JSONPATH_MAX + 1];
	size_t plen;
	bool overflow; /* path[] could not hold the current path */
	size_t overflow_at; /* plen at which it overflowed */
	const size_t *offs;
	size_t n, k;
	size_t *at;
	struct vk_buf *paths;
	int err;
	int found;
};

int
vk_jsonpath_candidate(const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')
			continue;
		return line[i] == '{';
	}
	return 0;
}

static void
skip_ws(struct scan *sc)
{
	while (sc->pos < sc->len &&
	    (sc->s[sc->pos] == ' ' || sc->s[sc->pos] == '\t' ||
		sc->s[sc->pos] == '\r' || sc->s[sc->pos] == '\n'))
		sc->pos++;
}

/* Offsets in [a, b) lie in the current path; those before a in none. */
static void
assign(struct scan *sc, size_t a, size_t b)
{
	size_t at;

	while (sc->k < sc->n && sc->offs[sc->k] < a)
		sc->at[sc->k++] = NONE;
	if (sc->k >= sc->n || sc->offs[sc->k] >= b)
		return;
	at = NONE;
	if (!sc->overflow && sc->plen > 0 && sc->err == 0) {
		at = sc->paths->len;
		if ((sc->err = vk_buf_append(sc->paths, sc->path, sc->plen)) ==
		    0)
			sc->err = vk_buf_appendc(sc->paths, '\0');
		if (sc->err != 0)
			at = NONE;
	}
	while (sc->k < sc->n && sc->offs[sc->k] < b) {
		sc->at[sc->k++] = at;
		sc->found += at != NONE;
	}
}

static void
path_truncate(struct scan *sc, size_t plen)
{
	if (sc->overflow && plen <= sc->overflow_at)
		sc->overflow = false;
	if (!sc->overflow)
		sc->plen = plen;
}

static void
path_append(struct scan *sc, const char *p, size_t n)
{
	if (sc->overflow)
		return;
	if (n > VK_JSONPATH_MAX - sc->plen) {
		sc->overflow = true;
		sc->overflow_at = sc->plen;
		return;
	}
	memcpy(sc->path + sc->plen, p, n);
	sc->plen += n;
}

static void
path_index(struct scan *sc, size_t i)
{
	char tmp[32];
	size_t n = 0, j;
	char digits[24];

	do {
		digits[n++] = (char)('0' + i % 10);
		i /= 10;
	} while (i > 0 && n < sizeof(digits));
	tmp[0] = '[';
	for (j = 0; j < n; j++)
		tmp[1 + j] = digits[n - 1 - j];
	tmp[1 + n] = ']';
	path_append(sc, tmp, n + 2);
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* A string starting at sc->pos ('"'); on success pos is past the quote. */
static bool
scan_string(struct scan *sc)
{
	sc->pos++;
	while (sc->pos < sc->len) {
		unsigned char c = (unsigned char)sc->s[sc->pos];

		if (c == '"') {
			sc->pos++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c != '\\') {
			sc->pos++;
			continue;
		}
		if (sc->pos + 1 >= sc->len)
			return false;
		c = (unsigned char)sc->s[sc->pos + 1];
		if (c == 'u') {
			size_t i;

			if (sc->pos + 6 > sc->len)
				return false;
			for (i = 2; i < 6; i++)
				if (!is_hex(sc->s[sc->pos + i]))
					return false;
			sc->pos += 6;
		} else if (strchr("\"\\/bfnrt", c) != NULL && c != '\0')
			sc->pos += 2;
		else
			return false;
	}
	return false;
}

static bool
digits(struct scan *sc)
{
	size_t start = sc->pos;

	while (
	    sc->pos < sc->len && sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')
		sc->pos++;
	return sc->pos > start;
}

static bool
scan_number(struct scan *sc)
{
	if (sc->s[sc->pos] == '-')
		sc->pos++;
	if (sc->pos >= sc->len)
		return false;
	if (sc->s[sc->pos] == '0')
		sc->pos++;
	else if (!digits(sc))
		return false;
	if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
		sc->pos++;
		if (!digits(sc))
			return false;
	}
	if (sc->pos < sc->len &&
	    (sc->s[sc->pos] == 'e' || sc->s[sc->pos] == 'E')) {
		sc->pos++;
		if (sc->pos < sc->len &&
		    (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-'))
			sc->pos++;
		if (!digits(sc))
			return false;
	}
	return true;
}

static bool
scan_literal(struct scan *sc, const char *word)
{
	size_t n = strlen(word);

	if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
		return false;
	sc->pos += n;
	return true;
}

/* A scalar value at sc->pos; its span is assigned the current path. */
static bool
scan_scalar(struct scan *sc)
{
	size_t a = sc->pos;
	bool ok;

	switch (sc->s[sc->pos]) {
	case '"':
		ok = scan_string(sc);
		break;
	case 't':
		ok = scan_literal(sc, "true");
		break;
	case 'f':
		ok = scan_literal(sc, "false");
		break;
	case 'n':
		ok = scan_literal(sc, "null");
		break;
	default:
		ok = (sc->s[sc->pos] == '-' ||
			 (sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')) &&
		    scan_number(sc);
		break;
	}
	if (ok)
		assign(sc, a, sc->pos);
	return ok;
}

/* The whole line; true when it is one valid JSON object. */
static bool
scan_line(struct scan *sc)
{
	struct frame st[VK_JSONPATH_DEPTH];
	size_t depth = 0;
	struct frame *top;

	skip_ws(sc);
	if (sc->pos >= sc->len || sc->s[sc->pos] != '{')
		return false;
	sc->pos++;
	st[depth++] = (struct frame){ .kind = '{', .idx = 0, .plen = 0 };
	for (;;) {
		/* At the start of a member / element, or at the closing
		 * bracket, of the container on top. */
		top = &st[depth - 1];
		skip_ws(sc);
		if (sc->pos >= sc->len)
			return false;
		if (sc->s[sc->pos] == (top->kind == '{' ? '}' : ']')) {
			if (top->idx > 0)
				return false; /* a trailing comma */
			goto close;
		}
		if (top->kind == '{') {
			size_t ks, ke;

			if (sc->s[sc->pos] != '"')
				return false;
			ks = sc->pos;
			if (!scan_string(sc))
				return false;
			ke = sc->pos;
			if (top->plen > 0)
				path_append(sc, ".", 1);
			path_append(sc, sc->s + ks + 1, ke - ks - 2);
			assign(sc, ks, ke);
			skip_ws(sc);
			if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
				return false;
			sc->pos++;
		} else
			path_index(sc, top->idx);
		top->idx++;
		skip_ws(sc);
		if (sc->pos >= sc->len)
			return false;
		if (sc->s[sc->pos] == '{' || sc->s[sc->pos] == '[') {
			if (depth == VK_JSONPATH_DEPTH)
				return false;
			/* Inside an overflowed path, a length no truncation
			 * can reach keeps the overflow for the members. */
			st[depth++] = (struct frame){ .kind = sc->s[sc->pos],
				.idx = 0,
				.plen = sc->overflow ? VK_JSONPATH_MAX + 1
						     : sc->plen };
			sc->pos++;
			continue;
		}
		if (!scan_scalar(sc))
			return false;
	after:
		/* After a value inside the container on top. */
		top = &st[depth - 1];
		path_truncate(sc, top->plen);
		skip_ws(sc);
		if (sc->pos >= sc->len)
			return false;
		if (sc->s[sc->pos] == ',') {
			sc->pos++;
			skip_ws(sc);
			if (sc->pos < sc->len &&
			    (sc->s[sc->pos] == '}' || sc->s[sc->pos] == ']'))
				return false;
			continue;
		}
		if (sc->s[sc->pos] != (top->kind == '{' ? '}' : ']'))
			return false;
	close:
		sc->pos++;
		depth--;
		if (depth == 0)
			break;
		goto after;
	}
	skip_ws(sc);
	return sc->pos == sc->len;
}

int
vk_jsonpath_find_many(const char *line, size_t len, const size_t *offs,
    size_t n, struct vk_buf *paths, size_t *at)
{
	struct scan sc;
	size_t keep = paths->len, i;
	bool ok;

	memset(&sc, 0, sizeof(sc));
	sc.s = line;
	sc.len = len;
	sc.offs = offs;
	sc.n = n;
	sc.at = at;
	sc.paths = paths;
	for (i = 0; i < n; i++)
		at[i] = NONE;
	ok = scan_line(&sc);
	if (sc.err != 0) {
		vk_buf_truncate(paths, keep);
		for (i = 0; i < n; i++)
			at[i] = NONE;
		return sc.err;
	}
	if (!ok) {
		vk_buf_truncate(paths, keep);
		for (i = 0; i < n; i++)
			at[i] = NONE;
		return 0;
	}
	for (; sc.k < n; sc.k++)
		at[sc.k] = NONE;
	return sc.found;
}

int
vk_jsonpath_find(
    const char *line, size_t len, size_t off, char *out, size_t cap)
{
	struct vk_buf b;
	size_t at;
	int r;

	if (cap == 0)
		return 0;
	out[0] = '\0';
	vk_buf_init(&b, VK_JSONPATH_MAX + 1);
	r = vk_jsonpath_find_many(line, len, &off, 1, &b, &at);
	if (r == 1 && at != NONE && b.len - at - 1 < cap) {
		memcpy(out, b.data + at, b.len - at);
		r = 1;
	} else
		r = 0;
	vk_buf_release(&b);
	return r;
}
