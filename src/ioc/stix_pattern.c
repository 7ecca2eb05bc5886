/*
 * stix_pattern.c — a recursive-descent parser for STIX 2.1 patterns that
 * reduces each pattern to "any of these values" or says why it cannot.
 *
 * Grammar (STIX 2.1 part 5, with whitespace between any two tokens):
 *   pattern     := obs_fby EOF
 *   obs_fby     := obs_or ("FOLLOWEDBY" obs_or)*
 *   obs_or      := obs_and ("OR" obs_and)*
 *   obs_and     := obs_qual ("AND" obs_qual)*
 *   obs_qual    := obs_primary qualifier*
 *   qualifier   := "START" t'..' "STOP" t'..' | "WITHIN" num "SECONDS"
 *                | "REPEATS" int "TIMES"
 *   obs_primary := "[" cmp_or "]" | "(" obs_fby ")"
 *   cmp_or      := cmp_and ("OR" cmp_and)*
 *   cmp_and     := cmp_test ("AND" cmp_test)*
 *   cmp_test    := "(" cmp_or ")" | "EXISTS" path
 *                | path ["NOT"] op literal
 *   op          := = == != <> < <= > >= IN LIKE MATCHES ISSUBSET ISSUPERSET
 *   path        := type ":" comp ("." comp | "[" (int | "*") "]")*
 * Every value list built here is bounded by the pattern's length.
 */
#include "ioc/stix_pattern.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"

enum lit_kind {
	LIT_STR,
	LIT_BIN,
	LIT_HEX,
	LIT_TS,
	LIT_INT,
	LIT_FLOAT,
	LIT_BOOL,
};

struct lit {
	enum lit_kind kind;
	size_t off, len; /* LIT_STR: decoded text in r->text */
};

/* What part of the value list an expression produced, and whether that
 * is all of its meaning (unsup == false) or only a sound part of it. */
struct ev {
	size_t start;
	bool unsup;
};

struct parser {
	const char *s;
	size_t len, pos;
	int depth;
	int err;
	struct vk_stix_result *r;
};

#define PATH_TEXT_MAX 160

struct path {
	char text[PATH_TEXT_MAX]; /* "file:hashes.SHA-256", for messages */
	bool truncated;
	bool known;
	enum vk_ioc_type type;
	bool ip; /* ipv4-addr:value / ipv6-addr:value (ISSUBSET works) */
};

void
vk_stix_result_init(struct vk_stix_result *r)
{
	memset(r, 0, sizeof(*r));
	vk_buf_init(&r->text, 2 * (size_t)VK_STIX_PATTERN_MAX + 16);
}

void
vk_stix_result_release(struct vk_stix_result *r)
{
	if (r == NULL)
		return;
	free(r->v);
	vk_buf_release(&r->text);
	r->v = NULL;
	r->n = r->cap = 0;
	r->why[0] = '\0';
	r->err[0] = '\0';
	r->errpos = 0;
}

const char *
vk_stix_value_str(const struct vk_stix_result *r, size_t i)
{
	return r->text.data + r->v[i].off;
}

static int fail(struct parser *p, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct parser *p, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (p->err != 0)
		return -1;
	p->err = VK_EPARSE;
	p->r->errpos = pos;
	va_start(ap, fmt);
	if (vsnprintf(p->r->err, sizeof(p->r->err), fmt, ap) < 0)
		p->r->err[0] = '\0';
	va_end(ap);
	return -1;
}

static int
oom(struct parser *p, int e)
{
	if (p->err == 0)
		p->err = e;
	return -1;
}

static void why(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Only the first reason is kept: it names the innermost failing part. */
static void
why(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->r->why[0] != '\0')
		return;
	va_start(ap, fmt);
	if (vsnprintf(p->r->why, sizeof(p->r->why), fmt, ap) < 0)
		p->r->why[0] = '\0';
	va_end(ap);
}

/* Drops the values of an expression that cannot be evaluated at all. */
static void
none(struct parser *p, struct ev *e)
{
	p->r->n = e->start;
	e->unsup = true;
}

static void
skip_ws(struct parser *p)
{
	while (p->pos < p->len &&
	    (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
		p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static bool
is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Consumes keyword `kw` (upper case, as the grammar has it) if it is next
 * as a whole word. */
static bool
keyword(struct parser *p, const char *kw)
{
	size_t n = strlen(kw);

	skip_ws(p);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, kw, n) != 0)
		return false;
	if (p->pos + n < p->len &&
	    (is_ident_char(p->s[p->pos + n]) || p->s[p->pos + n] == '-'))
		return false;
	p->pos += n;
	return true;
}

static bool
punct(struct parser *p, const char *t)
{
	size_t n = strlen(t);

	skip_ws(p);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, t, n) != 0)
		return false;
	p->pos += n;
	return true;
}

static int
expect(struct parser *p, const char *t)
{
	if (punct(p, t))
		return 0;
	if (p->pos >= p->len)
		return fail(
		    p, p->pos, "expected '%s' but the pattern ended", t);
	return fail(p, p->pos, "expected '%s'", t);
}

static int
push_value(struct parser *p, enum vk_ioc_type type, const struct lit *l)
{
	struct vk_stix_result *r = p->r;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct vk_stix_value *v;

		if (cap > p->len + 8)
			return oom(p, VK_ETOOBIG);
		if ((v = realloc(r->v, cap * sizeof(*v))) == NULL)
			return oom(p, VK_ENOMEM);
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n].type = type;
	r->v[r->n].off = l->off;
	r->v[r->n].len = l->len;
	r->n++;
	return 0;
}

/* '…' with \' and \\ as the only escapes; decoded into r->text. */
static int
string_body(struct parser *p, struct lit *l)
{
	size_t start = p->pos;
	struct vk_buf *t = &p->r->text;
	int rc;

	p->pos++; /* the quote */
	l->off = t->len;
	for (;;) {
		char c;

		if (p->pos >= p->len)
			return fail(p, start, "unterminated string");
		c = p->s[p->pos];
		if (c == '\'') {
			p->pos++;
			break;
		}
		if (c == '\\') {
			if (p->pos + 1 >= p->len)
				return fail(p, start, "unterminated string");
			c = p->s[p->pos + 1];
			if (c != '\'' && c != '\\')
				return fail(p, p->pos,
				    "invalid escape in a string: only \\' and "
				    "\\\\ are allowed");
			p->pos++;
		}
		if ((rc = vk_buf_appendc(t, c)) != 0)
			return oom(p, rc);
		p->pos++;
	}
	l->len = t->len - l->off;
	if ((rc = vk_buf_appendc(t, '\0')) != 0)
		return oom(p, rc);
	return 0;
}

static bool
is_b64(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    is_digit(c) || c == '+' || c == '/';
}

static bool
is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The body of b'…', h'…' or t'…' (p->pos at the quote): no escapes. */
static int
raw_body(struct parser *p, size_t *b, size_t *e)
{
	size_t start = p->pos - 1;

	p->pos++;
	*b = p->pos;
	while (p->pos < p->len && p->s[p->pos] != '\'')
		p->pos++;
	if (p->pos >= p->len)
		return fail(p, start, "unterminated literal");
	*e = p->pos;
	p->pos++;
	return 0;
}

static int
check_b64(struct parser *p, size_t b, size_t e)
{
	size_t n = e - b, i, pad = 0;

	if (n % 4 != 0)
		return fail(p, b,
		    "binary literal: base64 length is not a "
		    "multiple of 4");
	for (i = b; i < e; i++) {
		char c = p->s[i];

		if (c == '=') {
			if (e - i > 2)
				return fail(p, i,
				    "binary literal: '=' before "
				    "the end");
			pad++;
		} else if (pad > 0 || !is_b64(c)) {
			return fail(p, i, "binary literal: not base64");
		}
	}
	return 0;
}

static int
check_hex(struct parser *p, size_t b, size_t e)
{
	size_t i;

	if ((e - b) % 2 != 0)
		return fail(p, b, "hex literal: odd number of digits");
	for (i = b; i < e; i++)
		if (!is_hex(p->s[i]))
			return fail(p, i, "hex literal: not a hex digit");
	return 0;
}

static bool
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* RFC 3339 in UTC as STIX requires: YYYY-MM-DDTHH:MM:SS[.s+]Z */
static int
check_ts(struct parser *p, size_t b, size_t e)
{
	const char *s = p->s + b;
	size_t n = e - b, i;

	if (n < 20 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) ||
	    s[7] != '-' || !digits(s + 8, 2) || s[10] != 'T' ||
	    !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
	    s[16] != ':' || !digits(s + 17, 2) || s[n - 1] != 'Z')
		return fail(p, b,
		    "timestamp literal: expected YYYY-MM-DDTHH:MM:SS[.s]Z");
	if (n > 20) {
		if (s[19] != '.' || n < 22)
			return fail(p, b + 19,
			    "timestamp literal: bad "
			    "fraction of a second");
		for (i = 20; i < n - 1; i++)
			if (!is_digit(s[i]))
				return fail(p, b + i,
				    "timestamp literal: bad "
				    "fraction of a second");
	}
	if ((s[5] - '0') * 10 + (s[6] - '0') > 12 ||
	    (s[8] - '0') * 10 + (s[9] - '0') > 31 ||
	    (s[11] - '0') * 10 + (s[12] - '0') > 23 ||
	    (s[14] - '0') * 10 + (s[15] - '0') > 59 ||
	    (s[17] - '0') * 10 + (s[18] - '0') > 60)
		return fail(p, b, "timestamp literal: field out of range");
	return 0;
}

static int
number(struct parser *p, struct lit *l)
{
	size_t start = p->pos, d0;
	bool frac = false;

	if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
		p->pos++;
	d0 = p->pos;
	while (p->pos < p->len && is_digit(p->s[p->pos]))
		p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		size_t f0 = ++p->pos;

		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
		if (p->pos == f0)
			return fail(p, start, "bad number");
		frac = true;
	} else if (p->pos == d0) {
		return fail(p, start, "expected a literal");
	} else if (p->pos - d0 > 1 && p->s[d0] == '0') {
		return fail(p, start, "integer with a leading zero");
	}
	if (p->pos < p->len && is_ident_char(p->s[p->pos]))
		return fail(p, start, "bad number");
	l->kind = frac ? LIT_FLOAT : LIT_INT;
	return 0;
}

static int
literal(struct parser *p, struct lit *l)
{
	size_t b = 0, e = 0;
	char c;

	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, p->pos,
		    "expected a literal but the pattern "
		    "ended");
	c = p->s[p->pos];
	if (c == '\'') {
		l->kind = LIT_STR;
		return string_body(p, l);
	}
	if ((c == 'b' || c == 'h' || c == 't') && p->pos + 1 < p->len &&
	    p->s[p->pos + 1] == '\'') {
		p->pos++;
		if (raw_body(p, &b, &e) != 0)
			return -1;
		if (c == 'b') {
			l->kind = LIT_BIN;
			return check_b64(p, b, e);
		}
		if (c == 'h') {
			l->kind = LIT_HEX;
			return check_hex(p, b, e);
		}
		l->kind = LIT_TS;
		return check_ts(p, b, e);
	}
	if (keyword(p, "true") || keyword(p, "false")) {
		l->kind = LIT_BOOL;
		return 0;
	}
	if (c == '+' || c == '-' || c == '.' || is_digit(c))
		return number(p, l);
	return fail(p, p->pos, "expected a literal");
}

static bool
hash_type(const char *name, enum vk_ioc_type *t)
{
	static const struct {
		const char *name;
		enum vk_ioc_type type;
	} map[] = {
		{ "MD5", VK_IOC_MD5 },
		{ "SHA-1", VK_IOC_SHA1 },
		{ "SHA1", VK_IOC_SHA1 },
		{ "SHA-256", VK_IOC_SHA256 },
		{ "SHA256", VK_IOC_SHA256 },
		{ "SHA-512", VK_IOC_SHA512 },
		{ "SHA512", VK_IOC_SHA512 },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcasecmp(name, map[i].name) == 0) {
			*t = map[i].type;
			return true;
		}
	return false;
}

static void
classify(struct path *pa)
{
	static const struct {
		const char *path;
		enum vk_ioc_type type;
		bool ip;
	} map[] = {
		{ "ipv4-addr:value", VK_IOC_IPV4, true },
		{ "ipv6-addr:value", VK_IOC_IPV6, true },
		{ "domain-name:value", VK_IOC_DOMAIN, false },
		{ "url:value", VK_IOC_URL, false },
		{ "email-addr:value", VK_IOC_EMAIL, false },
		{ "file:name", VK_IOC_FILENAME, false },
		{ "network-traffic:dst_ref.value", VK_IOC_TYPE_MAX, false },
		{ "network-traffic:src_ref.value", VK_IOC_TYPE_MAX, false },
		{ "email-message:from_ref.value", VK_IOC_EMAIL, false },
		{ "email-message:sender_ref.value", VK_IOC_EMAIL, false },
	};
	size_t i;

	pa->known = false;
	if (pa->truncated)
		return;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(pa->text, map[i].path) == 0) {
			pa->known = true;
			pa->type = map[i].type;
			pa->ip = map[i].ip;
			return;
		}
	if (strncmp(pa->text, "file:hashes.", 12) == 0 &&
	    hash_type(pa->text + 12, &pa->type))
		pa->known = true;
}

static void
path_add(struct path *pa, const char *s, size_t n)
{
	size_t have = strlen(pa->text);

	if (have + n >= sizeof(pa->text)) {
		pa->truncated = true;
		return;
	}
	memcpy(pa->text + have, s, n);
	pa->text[have + n] = '\0';
}

/* One path component: an identifier or a quoted string (decoded). */
static int
component(struct parser *p, struct path *pa)
{
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '\'') {
		struct lit l;
		size_t mark = p->r->text.len;

		if (string_body(p, &l) != 0)
			return -1;
		path_add(pa, p->r->text.data + l.off, l.len);
		vk_buf_truncate(&p->r->text, mark);
		return 0;
	}
	if (p->pos < p->len && is_ident_start(p->s[p->pos])) {
		size_t b = p->pos;

		while (p->pos < p->len && is_ident_char(p->s[p->pos]))
			p->pos++;
		path_add(pa, p->s + b, p->pos - b);
		return 0;
	}
	return fail(p, p->pos, "expected a property name");
}

static int
object_path(struct parser *p, struct path *pa)
{
	size_t b;

	memset(pa, 0, sizeof(*pa));
	skip_ws(p);
	b = p->pos;
	if (p->pos >= p->len || !is_ident_start(p->s[p->pos]))
		return fail(p, p->pos,
		    "expected an object path such as "
		    "domain-name:value");
	while (p->pos < p->len &&
	    (is_ident_char(p->s[p->pos]) || p->s[p->pos] == '-'))
		p->pos++;
	path_add(pa, p->s + b, p->pos - b);
	if (expect(p, ":") != 0)
		return -1;
	path_add(pa, ":", 1);
	if (component(p, pa) != 0)
		return -1;
	for (;;) {
		if (punct(p, ".")) {
			path_add(pa, ".", 1);
			if (component(p, pa) != 0)
				return -1;
		} else if (punct(p, "[")) {
			skip_ws(p);
			if (punct(p, "*")) {
				path_add(pa, "[*]", 3);
			} else {
				struct lit l;
				size_t nb;

				skip_ws(p);
				nb = p->pos;
				if (number(p, &l) != 0)
					return -1;
				if (l.kind != LIT_INT)
					return fail(p, nb,
					    "list index must "
					    "be an integer");
				path_add(pa, "[", 1);
				path_add(pa, p->s + nb, p->pos - nb);
				path_add(pa, "]", 1);
			}
			if (expect(p, "]") != 0)
				return -1;
		} else {
			break;
		}
	}
	classify(pa);
	return 0;
}

static const char *
lit_name(enum lit_kind k)
{
	switch (k) {
	case LIT_STR:
		return "string";
	case LIT_BIN:
		return "binary";
	case LIT_HEX:
		return "hex";
	case LIT_TS:
		return "timestamp";
	case LIT_INT:
		return "integer";
	case LIT_FLOAT:
		return "number";
	case LIT_BOOL:
		return "boolean";
	}
	return "literal";
}

static int cmp_or(struct parser *p, struct ev *out);

enum op {
	OP_EQ,
	OP_NE,
	OP_ORDER,
	OP_IN,
	OP_LIKE,
	OP_MATCHES,
	OP_ISSUBSET,
	OP_ISSUPERSET,
};

static int
operator(struct parser *p, enum op *op, const char **name)
{
	static const struct {
		const char *tok;
		enum op op;
		bool word;
	} ops[] = {
		{ "==", OP_EQ, false },
		{ "!=", OP_NE, false },
		{ "<>", OP_NE, false },
		{ "<=", OP_ORDER, false },
		{ ">=", OP_ORDER, false },
		{ "=", OP_EQ, false },
		{ "<", OP_ORDER, false },
		{ ">", OP_ORDER, false },
		{ "IN", OP_IN, true },
		{ "LIKE", OP_LIKE, true },
		{ "MATCHES", OP_MATCHES, true },
		{ "ISSUBSET", OP_ISSUBSET, true },
		{ "ISSUPERSET", OP_ISSUPERSET, true },
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].word ? keyword(p, ops[i].tok)
				: punct(p, ops[i].tok)) {
			*op = ops[i].op;
			*name = ops[i].tok;
			return 0;
		}
	return fail(p, p->pos,
	    "expected a comparison operator (=, !=, <, >, IN, LIKE, "
	    "MATCHES, ISSUBSET, ISSUPERSET)");
}

static int
cmp_test(struct parser *p, struct ev *out)
{
	struct path pa;
	struct lit l;
	enum op op = OP_EQ;
	const char *opname = "=";
	bool neg, allstr = true;
	size_t opos;

	out->start = p->r->n;
	out->unsup = false;
	skip_ws(p);
	if (punct(p, "(")) {
		if (++p->depth > VK_STIX_PATTERN_DEPTH)
			return fail(p, p->pos - 1, "nested deeper than %d",
			    VK_STIX_PATTERN_DEPTH);
		if (cmp_or(p, out) != 0 || expect(p, ")") != 0)
			return -1;
		p->depth--;
		return 0;
	}
	if (keyword(p, "EXISTS")) {
		if (object_path(p, &pa) != 0)
			return -1;
		why(p,
		    "EXISTS %s (presence of a property) cannot be "
		    "evaluated",
		    pa.text);
		none(p, out);
		return 0;
	}
	if (object_path(p, &pa) != 0)
		return -1;
	neg = keyword(p, "NOT");
	skip_ws(p);
	opos = p->pos;
	if (operator(p, &op, &opname) != 0)
		return -1;
	if (op == OP_IN) {
		if (expect(p, "(") != 0)
			return -1;
		if (!punct(p, ")")) {
			do {
				if (literal(p, &l) != 0)
					return -1;
				if (l.kind != LIT_STR)
					allstr = false;
				else if (pa.known && push_value(p, pa.type, &l))
					return -1;
			} while (punct(p, ","));
			if (expect(p, ")") != 0)
				return -1;
		}
	} else {
		if (literal(p, &l) != 0)
			return -1;
		if (op == OP_ORDER && l.kind == LIT_BOOL)
			return fail(p, opos,
			    "'%s' needs an orderable value, "
			    "not a boolean",
			    opname);
		if (op >= OP_LIKE && l.kind != LIT_STR)
			return fail(p, opos, "%s needs a string", opname);
		if (l.kind == LIT_STR && pa.known &&
		    (op == OP_EQ || (op == OP_ISSUBSET && pa.ip)) &&
		    push_value(p, pa.type, &l))
			return -1;
		allstr = l.kind == LIT_STR;
	}
	/* Now say why, unless this is plain equality with strings. */
	if (!pa.known) {
		why(p, "%s%s is not a property vaksam can look for", pa.text,
		    pa.truncated ? "…" : "");
		none(p, out);
	} else if (neg) {
		why(p, "NOT %s on %s (negation) cannot be evaluated", opname,
		    pa.text);
		none(p, out);
	} else if (op == OP_ISSUBSET && pa.ip) {
		if (!allstr) {
			why(p, "ISSUBSET on %s needs a string", pa.text);
			none(p, out);
		}
	} else if (op != OP_EQ && op != OP_IN) {
		why(p, "'%s' on %s cannot be evaluated as a list of values",
		    opname, pa.text);
		none(p, out);
	} else if (!allstr) {
		why(p, "%s compared with a %s, not a string", pa.text,
		    lit_name(l.kind));
		none(p, out);
	}
	return 0;
}

static bool
only_hashes(const struct parser *p, size_t start)
{
	size_t i;

	for (i = start; i < p->r->n; i++) {
		enum vk_ioc_type t = p->r->v[i].type;

		if (t != VK_IOC_MD5 && t != VK_IOC_SHA1 && t != VK_IOC_SHA256 &&
		    t != VK_IOC_SHA512)
			return false;
	}
	return true;
}

static int
cmp_and(struct parser *p, struct ev *out)
{
	struct ev right;

	if (cmp_test(p, out) != 0)
		return -1;
	while (keyword(p, "AND")) {
		if (cmp_test(p, &right) != 0)
			return -1;
		out->unsup = out->unsup || right.unsup;
		/* Several hashes of one file all name that file, so any of
		 * them identifies it; every other AND asks for more than
		 * one value to be seen together. */
		if (!out->unsup && only_hashes(p, out->start))
			continue;
		why(p,
		    "AND of conditions on different properties cannot be "
		    "evaluated as a list of values");
		none(p, out);
	}
	return 0;
}

static int
cmp_or(struct parser *p, struct ev *out)
{
	struct ev right;

	if (cmp_and(p, out) != 0)
		return -1;
	while (keyword(p, "OR")) {
		if (cmp_and(p, &right) != 0)
			return -1;
		out->unsup = out->unsup || right.unsup;
	}
	return 0;
}

static int obs_fby(struct parser *p, struct ev *out);

static int
obs_primary(struct parser *p, struct ev *out)
{
	skip_ws(p);
	if (punct(p, "[")) {
		if (++p->depth > VK_STIX_PATTERN_DEPTH)
			return fail(p, p->pos - 1, "nested deeper than %d",
			    VK_STIX_PATTERN_DEPTH);
		if (cmp_or(p, out) != 0 || expect(p, "]") != 0)
			return -1;
		p->depth--;
		return 0;
	}
	if (punct(p, "(")) {
		if (++p->depth > VK_STIX_PATTERN_DEPTH)
			return fail(p, p->pos - 1, "nested deeper than %d",
			    VK_STIX_PATTERN_DEPTH);
		if (obs_fby(p, out) != 0 || expect(p, ")") != 0)
			return -1;
		p->depth--;
		return 0;
	}
	if (p->pos >= p->len)
		return fail(p, p->pos, "expected '[' but the pattern ended");
	return fail(p, p->pos, "expected '[' or '('");
}

static int
ts_literal(struct parser *p)
{
	struct lit l;
	size_t pos;

	skip_ws(p);
	pos = p->pos;
	if (literal(p, &l) != 0)
		return -1;
	if (l.kind != LIT_TS)
		return fail(p, pos, "expected a timestamp t'…'");
	return 0;
}

static int
obs_qual(struct parser *p, struct ev *out)
{
	struct lit l;
	size_t pos;

	if (obs_primary(p, out) != 0)
		return -1;
	for (;;) {
		const char *q;

		if (keyword(p, "START")) {
			q = "START/STOP";
			if (ts_literal(p) != 0)
				return -1;
			if (!keyword(p, "STOP"))
				return fail(p, p->pos, "expected STOP");
			if (ts_literal(p) != 0)
				return -1;
		} else if (keyword(p, "WITHIN")) {
			q = "WITHIN";
			skip_ws(p);
			pos = p->pos;
			if (number(p, &l) != 0)
				return -1;
			if (p->s[pos] == '-' || p->s[pos] == '+')
				return fail(p, pos,
				    "WITHIN needs a positive "
				    "number");
			if (!keyword(p, "SECONDS"))
				return fail(p, p->pos, "expected SECONDS");
		} else if (keyword(p, "REPEATS")) {
			q = "REPEATS";
			skip_ws(p);
			pos = p->pos;
			if (number(p, &l) != 0)
				return -1;
			if (l.kind != LIT_INT || p->s[pos] == '-' ||
			    p->s[pos] == '+')
				return fail(p, pos,
				    "REPEATS needs a positive "
				    "integer");
			if (!keyword(p, "TIMES"))
				return fail(p, p->pos, "expected TIMES");
		} else {
			return 0;
		}
		why(p,
		    "the qualifier %s (a condition on time or count) "
		    "cannot be evaluated",
		    q);
		none(p, out);
	}
}

static int
obs_and(struct parser *p, struct ev *out)
{
	struct ev right;

	if (obs_qual(p, out) != 0)
		return -1;
	while (keyword(p, "AND")) {
		if (obs_qual(p, &right) != 0)
			return -1;
		why(p,
		    "AND between observations (several things must be "
		    "seen together) cannot be evaluated");
		none(p, out);
	}
	return 0;
}

static int
obs_or(struct parser *p, struct ev *out)
{
	struct ev right;

	if (obs_and(p, out) != 0)
		return -1;
	while (keyword(p, "OR")) {
		if (obs_and(p, &right) != 0)
			return -1;
		out->unsup = out->unsup || right.unsup;
	}
	return 0;
}

static int
obs_fby(struct parser *p, struct ev *out)
{
	struct ev right;

	if (obs_or(p, out) != 0)
		return -1;
	while (keyword(p, "FOLLOWEDBY")) {
		if (obs_or(p, &right) != 0)
			return -1;
		why(p,
		    "FOLLOWEDBY (a sequence of observations) cannot be "
		    "evaluated");
		none(p, out);
	}
	return 0;
}

int
vk_stix_pattern_eval(const char *pat, size_t len, struct vk_stix_result *r)
{
	struct parser p;
	struct ev e;

	r->n = 0;
	vk_buf_reset(&r->text);
	r->why[0] = '\0';
	r->err[0] = '\0';
	r->errpos = 0;
	if (len > VK_STIX_PATTERN_MAX)
		return VK_ETOOBIG;
	memset(&p, 0, sizeof(p));
	p.s = pat;
	p.len = len;
	p.r = r;
	if (obs_fby(&p, &e) == 0) {
		skip_ws(&p);
		if (p.pos < p.len)
			fail(&p, p.pos, "unexpected text after the pattern");
	}
	if (p.err != 0) {
		r->n = 0;
		return p.err;
	}
	if (e.unsup && r->why[0] == '\0')
		why(&p, "cannot be evaluated");
	return 0;
}
