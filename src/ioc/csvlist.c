/*
 * csvlist.c — the line-oriented indicator formats:
 *   CSV with a header (RFC 4180: quoted fields, "" escapes, newlines in
 *     quotes; separator ",", ";" or tab, chosen from the header),
 *   Loki IOC lists ("value;comment", and filename IOCs
 *     "regex;score[;false-positive regex]"),
 *   plain lists (one value per line, type detected, "#" comments).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ioc/import_int.h"
#include "ioc/normalize.h"
#include "util/buf.h"
#include "util/err.h"

#define CSV_FIELDS_MAX 256
#define CSV_RECORD_MAX (1024 * 1024)
#define COMMENT_MAX 1024
#define T_IP (VK_IOC_TYPE_MAX + 1)
#define T_HASH (VK_IOC_TYPE_MAX + 2)

enum col {
	COL_TYPE,
	COL_VALUE,
	COL_COMMENT,
	COL_FIRST,
	COL_LAST,
	COL_CAMPAIGN,
	COL_REPORT,
	COL_TLP,
	COL_TO_IDS,
	COL_MAX
};

static const struct {
	const char *name;
	enum col col;
} col_names[] = {
	{ "type", COL_TYPE },
	{ "indicator_type", COL_TYPE },
	{ "attribute_type", COL_TYPE },
	{ "ioc_type", COL_TYPE },
	{ "kind", COL_TYPE },
	{ "value", COL_VALUE },
	{ "indicator", COL_VALUE },
	{ "ioc", COL_VALUE },
	{ "observable", COL_VALUE },
	{ "comment", COL_COMMENT },
	{ "description", COL_COMMENT },
	{ "first_seen", COL_FIRST },
	{ "firstseen", COL_FIRST },
	{ "last_seen", COL_LAST },
	{ "lastseen", COL_LAST },
	{ "campaign", COL_CAMPAIGN },
	{ "actor", COL_CAMPAIGN },
	{ "threat_actor", COL_CAMPAIGN },
	{ "intrusion_set", COL_CAMPAIGN },
	{ "report", COL_REPORT },
	{ "event", COL_REPORT },
	{ "event_info", COL_REPORT },
	{ "tlp", COL_TLP },
	{ "to_ids", COL_TO_IDS },
};

static const struct {
	const char *name;
	int type;
} type_names[] = {
	{ "domain", VK_IOC_DOMAIN },
	{ "hostname", VK_IOC_DOMAIN },
	{ "fqdn", VK_IOC_DOMAIN },
	{ "domain-name", VK_IOC_DOMAIN },
	{ "domain_name", VK_IOC_DOMAIN },
	{ "ip", T_IP },
	{ "ip-src", T_IP },
	{ "ip-dst", T_IP },
	{ "ip_address", T_IP },
	{ "ipv4", VK_IOC_IPV4 },
	{ "ipv4-addr", VK_IOC_IPV4 },
	{ "ipv6", VK_IOC_IPV6 },
	{ "ipv6-addr", VK_IOC_IPV6 },
	{ "url", VK_IOC_URL },
	{ "uri", VK_IOC_URL },
	{ "email", VK_IOC_EMAIL },
	{ "email-addr", VK_IOC_EMAIL },
	{ "email-src", VK_IOC_EMAIL },
	{ "email-dst", VK_IOC_EMAIL },
	{ "e-mail", VK_IOC_EMAIL },
	{ "md5", VK_IOC_MD5 },
	{ "sha1", VK_IOC_SHA1 },
	{ "sha-1", VK_IOC_SHA1 },
	{ "sha256", VK_IOC_SHA256 },
	{ "sha-256", VK_IOC_SHA256 },
	{ "sha512", VK_IOC_SHA512 },
	{ "sha-512", VK_IOC_SHA512 },
	{ "hash", T_HASH },
	{ "filename", VK_IOC_FILENAME },
	{ "file-name", VK_IOC_FILENAME },
	{ "file_name", VK_IOC_FILENAME },
};

struct csv {
	const char *d;
	size_t len, pos;
	size_t line; /* line of the next byte */
	char sep;
	struct vk_buf text; /* the fields of one record, NUL-separated */
	size_t off[CSV_FIELDS_MAX], flen[CSV_FIELDS_MAX];
	bool quoted[CSV_FIELDS_MAX];
	size_t nf;
};

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 &&
	    ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' ||
		(*s)[*n - 1] == '\r'))
		(*n)--;
}

/* Header name → column, after lower-casing and with ' ' / '-' as '_'. */
static int
column_of(const char *s, size_t n)
{
	char name[32];
	size_t i;

	trim(&s, &n);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(name))
		return -1;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c == ' ' || c == '-')
			c = '_';
		name[i] = c;
	}
	name[n] = '\0';
	for (i = 0; i < sizeof(col_names) / sizeof(col_names[0]); i++)
		if (strcmp(name, col_names[i].name) == 0)
			return (int)col_names[i].col;
	return -1;
}

/* The separator with which `line` is a header naming a type and a value
 * column, or 0. */
static char
header_sep(const char *line, size_t len)
{
	static const char seps[] = { ',', ';', '\t' };
	size_t k;

	for (k = 0; k < sizeof(seps); k++) {
		bool type = false, value = false;
		size_t i = 0;

		while (i <= len) {
			const char *f = line + i;
			const char *e = memchr(f, seps[k], len - i);
			size_t n = e ? (size_t)(e - f) : len - i;
			int c = column_of(f, n);

			type = type || c == COL_TYPE;
			value = value || c == COL_VALUE;
			i += n + 1;
		}
		if (type && value)
			return seps[k];
	}
	return 0;
}

bool
vk_csv_is_header(const char *line, size_t len)
{
	return header_sep(line, len) != 0;
}

/*
 * Reads the record at c->pos into c->text / off / flen.  Returns 1 for a
 * record, 0 at the end, or a negative VK_E* with *msg set.
 */
static int
csv_record(struct csv *c, const char **msg)
{
	int rc;

	vk_buf_reset(&c->text);
	c->nf = 0;
	if (c->pos >= c->len)
		return 0;
	for (;;) {
		bool quoted = false;

		if (c->nf == CSV_FIELDS_MAX) {
			*msg = "more than 256 fields in a row";
			return VK_ETOOBIG;
		}
		c->off[c->nf] = c->text.len;
		if (c->pos < c->len && c->d[c->pos] == '"') {
			quoted = true;
			c->pos++;
			for (;;) {
				char ch;

				if (c->pos >= c->len) {
					*msg = "a quoted field is not closed "
					       "(missing '\"')";
					return VK_EPARSE;
				}
				ch = c->d[c->pos++];
				if (ch == '"') {
					if (c->pos < c->len &&
					    c->d[c->pos] == '"') {
						c->pos++;
					} else {
						break;
					}
				} else if (ch == '\n') {
					c->line++;
				}
				if ((rc = vk_buf_appendc(&c->text, ch)) != 0) {
					*msg = "a row longer than 1 MiB";
					return rc;
				}
			}
			if (c->pos < c->len && c->d[c->pos] == '\r')
				c->pos++;
			if (c->pos < c->len && c->d[c->pos] != c->sep &&
			    c->d[c->pos] != '\n') {
				*msg = "text after the closing quote of a "
				       "field (write \"\" for a quote inside "
				       "a quoted field)";
				return VK_EPARSE;
			}
		} else {
			size_t b = c->pos;

			while (c->pos < c->len && c->d[c->pos] != c->sep &&
			    c->d[c->pos] != '\n')
				c->pos++;
			if ((rc = vk_buf_append(
				 &c->text, c->d + b, c->pos - b)) != 0) {
				*msg = "a row longer than 1 MiB";
				return rc;
			}
		}
		c->flen[c->nf] = c->text.len - c->off[c->nf];
		c->quoted[c->nf] = quoted;
		if ((rc = vk_buf_appendc(&c->text, '\0')) != 0) {
			*msg = "a row longer than 1 MiB";
			return rc;
		}
		c->nf++;
		if (c->pos >= c->len)
			return 1;
		if (c->d[c->pos++] == '\n') {
			c->line++;
			return 1;
		}
	}
}

static const char *
field(struct csv *c, int col, const int *map, size_t *n)
{
	const char *s;

	if (map[col] < 0 || (size_t)map[col] >= c->nf) {
		*n = 0;
		return NULL;
	}
	s = c->text.data + c->off[map[col]];
	*n = c->flen[map[col]];
	/* Spaces inside quotes are part of the field (RFC 4180). */
	if (!c->quoted[map[col]])
		trim(&s, n);
	if (*n == 0)
		return NULL;
	/* NUL-terminate the trimmed field in place (the record buffer is
	 * ours) so that it can be passed on as a C string. */
	c->text.data[(size_t)(s - c->text.data) + *n] = '\0';
	return s;
}

static bool
type_of(const char *s, size_t n, int *t)
{
	enum vk_ioc_type vt;
	char name[32];
	size_t i;

	if (n == 0 || n >= sizeof(name))
		return false;
	for (i = 0; i < n; i++)
		name[i] = (s[i] >= 'A' && s[i] <= 'Z')
		    ? (char)(s[i] - 'A' + 'a')
		    : s[i];
	name[n] = '\0';
	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(name, type_names[i].name) == 0) {
			*t = type_names[i].type;
			return true;
		}
	if (vk_ioc_type_from_name(name, &vt) == 0) {
		*t = (int)vt;
		return true;
	}
	return false;
}

static int
csv_row(struct vk_import *im, struct csv *c, const int *map, size_t line)
{
	char where[VK_WHERE_MAX], hash[160];
	struct vk_ioc_prov prov = { 0 };
	struct vk_ioc_extra ex = { 0 };
	const char *ts, *v, *s;
	size_t tn, vn, n;
	enum vk_ioc_type type;
	uint32_t pid;
	int t, rc;

	vk_import_where(where, sizeof(where), "%s:%zu", im->name, line);
	ts = field(c, COL_TYPE, map, &tn);
	v = field(c, COL_VALUE, map, &vn);
	if (v == NULL)
		return vk_import_bad(im, VK_EPARSE, where, "no value");
	if (ts == NULL)
		return vk_import_bad(im, VK_EPARSE, where, "no type");
	if (!type_of(ts, tn, &t))
		return vk_import_bad(im, VK_EPARSE, where,
		    "unknown indicator type '%.*s' (use domain, ip, url, "
		    "email, md5, sha1, sha256, sha512, hash or filename)",
		    (int)(tn > 40 ? 40 : tn), ts);
	if (t == T_IP) {
		type = memchr(v, ':', vn) ? VK_IOC_IPV6 : VK_IOC_IPV4;
	} else if (t == T_HASH) {
		if (vk_norm_hash(v, vn, &type, hash) != 0)
			return vk_import_bad(im, VK_EINVAL, where,
			    "a hash must be 32, 40, 64 or 128 hex digits");
	} else {
		type = (enum vk_ioc_type)t;
	}
	prov.source = im->source;
	s = field(c, COL_REPORT, map, &n);
	prov.report = s;
	s = field(c, COL_CAMPAIGN, map, &n);
	prov.campaign = s;
	if ((s = field(c, COL_TLP, map, &n)) != NULL &&
	    (prov.tlp = vk_import_tlp_word(s, n)) == NULL)
		return vk_import_bad(im, VK_EPARSE, where,
		    "unknown TLP '%.*s' (use clear, green, amber, "
		    "amber+strict or red)",
		    (int)(n > 40 ? 40 : n), s);
	if ((s = field(c, COL_TO_IDS, map, &n)) != NULL)
		ex.to_ids = (n == 1 && s[0] == '1') ||
			(n == 4 && strncasecmp(s, "true", 4) == 0)
		    ? 1
		    : 0;
	else
		ex.to_ids = -1;
	if ((s = field(c, COL_COMMENT, map, &n)) != NULL)
		ex.comment = s;
	if ((s = field(c, COL_FIRST, map, &n)) != NULL)
		ex.first_seen = s;
	if ((s = field(c, COL_LAST, map, &n)) != NULL)
		ex.last_seen = s;
	ex.where = where;
	if ((rc = vk_import_prov(im, &prov, &pid)) != 0)
		return rc;
	return vk_import_add(im, type, v, vn, pid, &ex);
}

int
vk_csv_load(struct vk_import *im, const char *data, size_t len)
{
	char where[VK_WHERE_MAX];
	int map[COL_MAX];
	struct csv c;
	const char *msg = NULL;
	bool header = false;
	size_t i;
	int rc = 0, r;

	memset(&c, 0, sizeof(c));
	c.d = data;
	c.len = len;
	c.line = 1;
	vk_buf_init(&c.text, CSV_RECORD_MAX);
	for (i = 0; i < COL_MAX; i++)
		map[i] = -1;
	for (;;) {
		size_t line = c.line, p = c.pos, n;
		const char *l;

		/* Comment and blank lines are whole lines, never records. */
		if (!vk_import_next_line(data, len, &p, &l, &n))
			break;
		trim(&l, &n);
		if (n == 0 || l[0] == '#') {
			c.pos = p;
			c.line++;
			continue;
		}
		if (!header) {
			c.sep = header_sep(l, n);
			if (c.sep == 0) {
				vk_import_where(where, sizeof(where), "%s:%zu",
				    im->name, line);
				vk_diag_error(im->d, where,
				    "a CSV header must name a type column "
				    "(type, indicator_type, attribute_type, "
				    "ioc_type, kind) and a value column "
				    "(value, "
				    "indicator, ioc, observable)");
				rc = VK_EPARSE;
				goto out;
			}
		}
		r = csv_record(&c, &msg);
		if (r < 0) {
			vk_import_where(
			    where, sizeof(where), "%s:%zu", im->name, line);
			vk_diag_error(im->d, where, "%s", msg);
			rc = r;
			goto out;
		}
		if (r == 0)
			break;
		if (!header) {
			for (i = 0; i < c.nf; i++) {
				int col = column_of(
				    c.text.data + c.off[i], c.flen[i]);

				if (col >= 0 && map[col] < 0)
					map[col] = (int)i;
			}
			header = true;
			continue;
		}
		if ((rc = csv_row(im, &c, map, line)) != 0)
			goto out;
	}
	if (!header) {
		vk_diag_error(im->d, im->name, "no CSV header");
		rc = VK_EPARSE;
	}
out:
	vk_buf_release(&c.text);
	return rc;
}

/* A comment as a C string, cut at cap - 1 bytes. */
static void
copy(char *out, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int
vk_loki_load(struct vk_import *im, const char *data, size_t len)
{
	char where[VK_WHERE_MAX], comment[64], cbuf[COMMENT_MAX];
	struct vk_ioc_prov prov = { 0 };
	size_t pos = 0, line = 0, n;
	const char *l;
	uint32_t pid;
	int rc;

	prov.source = im->source;
	if ((rc = vk_import_prov(im, &prov, &pid)) != 0)
		return rc;
	while (vk_import_next_line(data, len, &pos, &l, &n)) {
		struct vk_ioc_extra ex = { 0 };
		/* Zeroed: gcc -O3 cannot see that nf guards every use. */
		const char *f[4] = { 0 }, *semi;
		size_t fl[4] = { 0 }, nf = 0, i = 0;

		line++;
		trim(&l, &n);
		if (n == 0 || l[0] == '#')
			continue;
		vk_import_where(where, sizeof(where), "%s:%zu", im->name, line);
		while (nf < 4) {
			semi = memchr(l + i, ';', n - i);
			f[nf] = l + i;
			fl[nf] = semi ? (size_t)(semi - (l + i)) : n - i;
			nf++;
			if (semi == NULL)
				break;
			i = (size_t)(semi - l) + 1;
		}
		ex.where = where;
		ex.to_ids = -1;
		if ((nf == 2 || nf == 3) && all_digits(f[1], fl[1]) &&
		    fl[1] < 10) {
			/* Loki filename IOC: regex;score[;fp-regex]. */
			vk_import_where(comment, sizeof(comment), "score %.*s",
			    (int)fl[1], f[1]);
			ex.comment = comment;
			/* The file checks of `vaksam hunt` need to know it
			 * is a regex, and its false-positive regex. */
			ex.fn_regex = 1;
			if (nf == 3 && fl[2] > 0 && fl[2] < sizeof(cbuf)) {
				copy(cbuf, sizeof(cbuf), f[2], fl[2]);
				ex.fn_fp_regex = cbuf;
			}
			rc = vk_import_add(
			    im, VK_IOC_FILENAME, f[0], fl[0], pid, &ex);
		} else {
			const char *v = l;
			size_t vn = fl[0], cn;
			const char *cm = nf > 1 ? f[1] : NULL;

			trim(&v, &vn);
			if (cm != NULL) {
				cn = n - (size_t)(cm - l);
				trim(&cm, &cn);
				if (cn > 0) {
					copy(cbuf, sizeof(cbuf), cm, cn);
					ex.comment = cbuf;
				}
			}
			if (vn == 0)
				rc = vk_import_bad(
				    im, VK_EPARSE, where, "no value");
			else
				rc = vk_import_add(
				    im, VK_IOC_TYPE_MAX, v, vn, pid, &ex);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
vk_text_begin(struct vk_import *im, uint32_t *pid)
{
	struct vk_ioc_prov prov = { 0 };

	prov.source = im->source;
	return vk_import_prov(im, &prov, pid);
}

int
vk_text_lines(struct vk_import *im, const char *data, size_t len, uint32_t pid,
    size_t *linep)
{
	char where[VK_WHERE_MAX], cbuf[COMMENT_MAX];
	size_t pos = 0, line = *linep, n, i;
	const char *l;
	int rc;

	while (vk_import_next_line(data, len, &pos, &l, &n)) {
		struct vk_ioc_extra ex = { 0 };
		const char *cm = NULL;
		size_t cn = 0;

		line++;
		trim(&l, &n);
		if (n == 0 || l[0] == '#')
			continue;
		/* "#" starts a comment only after whitespace: inside a
		 * value (a URL's fragment) it is part of the value. */
		for (i = 1; i < n; i++) {
			const char *h = memchr(l + i, '#', n - i);

			if (h == NULL)
				break;
			i = (size_t)(h - l);
			if (l[i - 1] == ' ' || l[i - 1] == '\t') {
				cm = l + i + 1;
				cn = n - i - 1;
				n = i;
				break;
			}
		}
		trim(&l, &n);
		if (line <= UINT32_MAX) {
			ex.where = im->name;
			ex.line = (uint32_t)line;
		} else {
			vk_import_where(
			    where, sizeof(where), "%s:%zu", im->name, line);
			ex.where = where;
			ex.line = 0;
		}
		ex.to_ids = -1;
		if (cm != NULL) {
			trim(&cm, &cn);
			if (cn > 0) {
				copy(cbuf, sizeof(cbuf), cm, cn);
				ex.comment = cbuf;
			}
		}
		if ((rc = vk_import_add(im, VK_IOC_TYPE_MAX, l, n, pid, &ex)) !=
		    0) {
			*linep = line;
			return rc;
		}
	}
	*linep = line;
	return 0;
}

int
vk_text_load(struct vk_import *im, const char *data, size_t len)
{
	size_t line = 0;
	uint32_t pid;
	int rc;

	if ((rc = vk_text_begin(im, &pid)) != 0)
		return rc;
	return vk_text_lines(im, data, len, pid, &line);
}
