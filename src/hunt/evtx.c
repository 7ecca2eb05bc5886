/*
 * evtx.c — event logs through libevtx, and the bounded XML field scanner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Debian's libevtx.h includes libbfio.h, which Debian does not ship as a
 * development header; vaksam does not use the bfio calls. */
#include <libevtx/features.h>
#undef LIBEVTX_HAVE_BFIO
#include <libevtx.h>

#include "hunt/evtx.h"
#include "util/err.h"

#define PATH_CAP 256 /* field names are cut here */
#define MAX_ATTRS 32
#define MAX_XML (16u << 20)

struct vk_evtx_level {
	char path[PATH_CAP];
	size_t path_len;
	const char *name; /* in the input */
	size_t name_len;
	struct vk_buf txt;
};

int
vk_evtx_is_evtx(const void *head, size_t n)
{
	return n >= VK_EVTX_MAGIC_LEN &&
	    memcmp(head, VK_EVTX_MAGIC, VK_EVTX_MAGIC_LEN) == 0;
}

void
vk_evtx_fields_init(struct vk_evtx_fields *f)
{
	memset(f, 0, sizeof(*f));
	vk_buf_init(&f->text,
	    (size_t)VK_EVTX_MAX_FIELDS * 2 * PATH_CAP +
		(size_t)4 * VK_EVTX_MAX_VALUE);
}

void
vk_evtx_fields_release(struct vk_evtx_fields *f)
{
	size_t i;

	if (f->stack != NULL)
		for (i = 0; i < VK_EVTX_MAX_DEPTH; i++)
			vk_buf_release(&f->stack[i].txt);
	free(f->stack);
	free(f->v);
	free(f->offs);
	vk_buf_release(&f->text);
	memset(f, 0, sizeof(*f));
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
all_space(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_space(s[i]))
			return 0;
	return 1;
}

static const char *
find(const char *p, const char *end, const char *needle)
{
	size_t nl = strlen(needle);

	for (; (size_t)(end - p) >= nl; p++)
		if (memcmp(p, needle, nl) == 0)
			return p;
	return NULL;
}

static size_t
utf8_encode(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Decodes one entity at s (s[0] == '&'); returns its length in the input
 * and the decoded bytes in out (*outn of them), or 0 when it is not one. */
static size_t
entity(const char *s, const char *end, char *out, size_t *outn)
{
	static const struct {
		const char *name;
		char c;
	} named[] = { { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
		{ "&quot;", '"' }, { "&apos;", '\'' } };
	unsigned long cp = 0;
	size_t i, n = (size_t)(end - s);
	int hex, digits = 0;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		size_t l = strlen(named[i].name);

		if (n >= l && memcmp(s, named[i].name, l) == 0) {
			out[0] = named[i].c;
			*outn = 1;
			return l;
		}
	}
	if (n < 4 || s[1] != '#')
		return 0;
	hex = s[2] == 'x' || s[2] == 'X';
	for (i = hex ? 3 : 2; i < n && i < 12 && s[i] != ';'; i++) {
		int v;

		if (s[i] >= '0' && s[i] <= '9')
			v = s[i] - '0';
		else if (hex && s[i] >= 'a' && s[i] <= 'f')
			v = s[i] - 'a' + 10;
		else if (hex && s[i] >= 'A' && s[i] <= 'F')
			v = s[i] - 'A' + 10;
		else
			return 0;
		cp = cp * (hex ? 16 : 10) + (unsigned long)v;
		digits++;
	}
	if (i >= n || s[i] != ';' || digits == 0 || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0)
		return 0;
	*outn = utf8_encode(cp, out);
	return i + 1;
}

/* Appends what fits under the buffer's ceiling: a value cut at the
 * ceiling is still worth matching. */
static int
append_cut(struct vk_buf *b, const char *s, size_t n)
{
	if (b->len >= b->max)
		return 0;
	if (n > b->max - b->len)
		n = b->max - b->len;
	return vk_buf_append(b, s, n);
}

/* Appends s[0..n) with entities decoded, cut at the buffer's ceiling. */
static int
append_decoded(struct vk_buf *b, const char *s, size_t n)
{
	const char *end = s + n, *run = s;
	char tmp[4];
	size_t el, tn = 0;
	int r;

	while (s < end) {
		if (*s != '&' || (el = entity(s, end, tmp, &tn)) == 0) {
			s++;
			continue;
		}
		if ((r = append_cut(b, run, (size_t)(s - run))) != 0 ||
		    (r = append_cut(b, tmp, tn)) != 0)
			return r;
		s += el;
		run = s;
	}
	return append_cut(b, run, (size_t)(end - run));
}

static int
emit(struct vk_evtx_fields *f, const char *name, size_t name_len,
    const char *val, size_t val_len, int decode)
{
	size_t noff, voff, *no;
	struct vk_evtx_field *nv;
	size_t ncap;
	int r;

	if (all_space(val, val_len) || name_len == 0)
		return 0;
	if (f->n >= VK_EVTX_MAX_FIELDS)
		return VK_ETOOBIG;
	if (f->n == f->cap) {
		ncap = f->cap ? 2 * f->cap : 64;
		if ((nv = realloc(f->v, ncap * sizeof(*nv))) == NULL)
			return VK_ENOMEM;
		f->v = nv;
		if ((no = realloc(f->offs, 3 * ncap * sizeof(*no))) == NULL)
			return VK_ENOMEM;
		f->offs = no;
		f->cap = ncap;
	}
	noff = f->text.len;
	if ((r = vk_buf_append(&f->text, name, name_len)) != 0 ||
	    (r = vk_buf_appendc(&f->text, '\0')) != 0)
		return r;
	voff = f->text.len;
	if (decode)
		r = append_decoded(&f->text, val, val_len);
	else
		r = vk_buf_append(&f->text, val, val_len);
	if (r != 0 || (r = vk_buf_appendc(&f->text, '\0')) != 0)
		return r;
	f->offs[3 * f->n] = noff;
	f->offs[3 * f->n + 1] = voff;
	f->offs[3 * f->n + 2] = f->text.len - 1 - voff;
	f->n++;
	return 0;
}

/* path = parent "." name, cut at PATH_CAP - 1. */
static void
make_path(struct vk_evtx_level *lv, const struct vk_evtx_level *parent,
    const char *name, size_t name_len)
{
	size_t n = 0, k;

	if (parent != NULL && parent->path_len > 0) {
		memcpy(lv->path, parent->path, parent->path_len);
		n = parent->path_len;
		if (n < PATH_CAP - 1)
			lv->path[n++] = '.';
	}
	k = name_len < PATH_CAP - 1 - n ? name_len : PATH_CAP - 1 - n;
	memcpy(lv->path + n, name, k);
	/* A Data Name="…" may hold any bytes; a field name may not. */
	for (; k > 0; k--, n++)
		if ((unsigned char)lv->path[n] < 0x20 || lv->path[n] == 0x7f)
			lv->path[n] = '?';
	lv->path[n] = '\0';
	lv->path_len = n;
}

static int
is_name_char(char c)
{
	/* No control bytes: a name must survive as a C string. */
	return (unsigned char)c > 0x20 && c != 0x7f && c != '/' && c != '>' &&
	    c != '=' && c != '<' && c != '"' && c != '\'';
}

struct attr {
	const char *name, *val;
	size_t name_len, val_len;
};

static int
open_tag(
    struct vk_evtx_fields *f, size_t *depth, const char **pp, const char *end)
{
	struct attr at[MAX_ATTRS];
	struct vk_evtx_level *lv, *parent;
	const char *p = *pp + 1, *name, *data_name = NULL;
	size_t name_len, nat = 0, i, data_len = 0, k;
	char apath[PATH_CAP];
	int self_close = 0, r;
	char q;

	name = p;
	while (p < end && is_name_char(*p))
		p++;
	name_len = (size_t)(p - name);
	if (name_len == 0)
		return VK_EPARSE;
	for (;;) {
		while (p < end && is_space(*p))
			p++;
		if (p >= end)
			return VK_EPARSE;
		if (*p == '>') {
			p++;
			break;
		}
		if (*p == '/') {
			if (p + 1 >= end || p[1] != '>')
				return VK_EPARSE;
			p += 2;
			self_close = 1;
			break;
		}
		if (nat >= MAX_ATTRS)
			return VK_EPARSE;
		at[nat].name = p;
		while (p < end && is_name_char(*p))
			p++;
		at[nat].name_len = (size_t)(p - at[nat].name);
		while (p < end && is_space(*p))
			p++;
		if (at[nat].name_len == 0 || p >= end || *p != '=')
			return VK_EPARSE;
		p++;
		while (p < end && is_space(*p))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			return VK_EPARSE;
		q = *p++;
		at[nat].val = p;
		while (p < end && *p != q)
			p++;
		if (p >= end)
			return VK_EPARSE;
		at[nat].val_len = (size_t)(p - at[nat].val);
		p++;
		nat++;
	}
	*pp = p;
	if (*depth >= VK_EVTX_MAX_DEPTH)
		return VK_ETOOBIG;
	parent = *depth > 0 ? &f->stack[*depth - 1] : NULL;
	lv = &f->stack[*depth];
	lv->name = name;
	lv->name_len = name_len;
	vk_buf_reset(&lv->txt);
	if (name_len == 4 && memcmp(name, "Data", 4) == 0)
		for (i = 0; i < nat; i++)
			if (at[i].name_len == 4 &&
			    memcmp(at[i].name, "Name", 4) == 0) {
				data_name = at[i].val;
				data_len = at[i].val_len;
			}
	if (parent == NULL)
		make_path(lv, NULL, "", 0); /* the root, <Event> */
	else if (data_name != NULL && data_len > 0)
		make_path(lv, parent, data_name, data_len);
	else
		make_path(lv, parent, name, name_len);
	for (i = 0; i < nat; i++) {
		if ((at[i].name_len >= 5 &&
			memcmp(at[i].name, "xmlns", 5) == 0) ||
		    (data_name != NULL && at[i].val == data_name))
			continue;
		memcpy(apath, lv->path, lv->path_len);
		k = lv->path_len;
		if (k > 0 && k < PATH_CAP - 1)
			apath[k++] = '.';
		if (at[i].name_len < PATH_CAP - k) {
			memcpy(apath + k, at[i].name, at[i].name_len);
			k += at[i].name_len;
		}
		if ((r = emit(f, apath, k, at[i].val, at[i].val_len, 1)) != 0)
			return r;
	}
	if (!self_close)
		(*depth)++;
	return 0;
}

static int
close_tag(
    struct vk_evtx_fields *f, size_t *depth, const char **pp, const char *end)
{
	struct vk_evtx_level *lv;
	const char *p = *pp + 2, *name;
	size_t name_len;
	int r;

	name = p;
	while (p < end && is_name_char(*p))
		p++;
	name_len = (size_t)(p - name);
	while (p < end && is_space(*p))
		p++;
	if (p >= end || *p != '>' || *depth == 0)
		return VK_EPARSE;
	*pp = p + 1;
	lv = &f->stack[*depth - 1];
	if (name_len != lv->name_len || memcmp(name, lv->name, name_len) != 0)
		return VK_EPARSE;
	(*depth)--;
	/* Text is already decoded in lv->txt. */
	if (lv->txt.len > 0 &&
	    (r = emit(
		 f, lv->path, lv->path_len, lv->txt.data, lv->txt.len, 0)) != 0)
		return r;
	return 0;
}

static int
add_text(
    struct vk_evtx_fields *f, size_t depth, const char *s, size_t n, int decode)
{
	struct vk_buf *b;

	if (depth == 0 || n == 0)
		return 0; /* text outside the root element means nothing */
	b = &f->stack[depth - 1].txt;
	if (!decode)
		return append_cut(b, s, n);
	return append_decoded(b, s, n);
}

int
vk_evtx_xml_parse(const char *xml, size_t len, struct vk_evtx_fields *f)
{
	const char *p = xml, *end = xml + len, *q;
	size_t depth = 0, i;
	int r = 0;

	f->n = 0;
	vk_buf_reset(&f->text);
	if (f->stack == NULL) {
		f->stack = calloc(VK_EVTX_MAX_DEPTH, sizeof(*f->stack));
		if (f->stack == NULL)
			return VK_ENOMEM;
		for (i = 0; i < VK_EVTX_MAX_DEPTH; i++)
			vk_buf_init(&f->stack[i].txt, VK_EVTX_MAX_VALUE);
	}
	while (p < end && r == 0) {
		if (*p != '<') {
			q = memchr(p, '<', (size_t)(end - p));
			if (q == NULL)
				q = end;
			r = add_text(f, depth, p, (size_t)(q - p), 1);
			p = q;
		} else if (end - p >= 2 && p[1] == '?') {
			q = find(p, end, "?>");
			r = q ? 0 : VK_EPARSE;
			p = q ? q + 2 : end;
		} else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			q = find(p + 4, end, "-->");
			r = q ? 0 : VK_EPARSE;
			p = q ? q + 3 : end;
		} else if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
			q = find(p + 9, end, "]]>");
			if (q == NULL) {
				r = VK_EPARSE;
				break;
			}
			r = add_text(f, depth, p + 9, (size_t)(q - p - 9), 0);
			p = q + 3;
		} else if (end - p >= 2 && p[1] == '!') {
			q = memchr(p, '>', (size_t)(end - p));
			r = q ? 0 : VK_EPARSE;
			p = q ? q + 1 : end;
		} else if (end - p >= 2 && p[1] == '/') {
			r = close_tag(f, &depth, &p, end);
		} else {
			r = open_tag(f, &depth, &p, end);
		}
	}
	if (r == 0 && depth != 0)
		r = VK_EPARSE; /* cut short: fields so far are kept */
	/* The text buffer may have moved while growing: pointers last. */
	for (i = 0; i < f->n; i++) {
		f->v[i].name = f->text.data + f->offs[3 * i];
		f->v[i].value = f->text.data + f->offs[3 * i + 1];
		f->v[i].value_len = f->offs[3 * i + 2];
	}
	return r;
}

/* ---- libevtx ---- */

static void
filetime_iso(uint64_t ft, char *out, size_t cap)
{
	time_t secs;
	struct tm tm;
	size_t n;

	out[0] = '\0';
	if (ft < 116444736000000000ull)
		return;
	secs = (time_t)(ft / 10000000ull - 11644473600ull);
	if (gmtime_r(&secs, &tm) == NULL)
		return;
	n = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n == 0 ||
	    snprintf(out + n, cap - n, ".%07uZ", (unsigned)(ft % 10000000ull)) <
		0)
		out[0] = '\0';
}

static const char *
field_value(const struct vk_evtx_fields *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return f->v[i].value;
	return NULL;
}

static void
fill_record(const struct vk_evtx_fields *f, struct vk_evtx_record *rec)
{
	const char *v;
	size_t n;

	rec->channel = (v = field_value(f, "System.Channel")) ? v : "";
	rec->provider = (v = field_value(f, "System.Provider.Name")) ? v : "";
	rec->computer = (v = field_value(f, "System.Computer")) ? v : "";
	rec->user_sid = (v = field_value(f, "System.Security.UserID")) ? v : "";
	if ((v = field_value(f, "System.EventRecordID")) != NULL) {
		uint64_t id = 0;
		const char *q;

		/* The number Windows shows; libevtx's identifier is the one
		 * in the record header, which exported logs renumber. */
		for (q = v; *q >= '0' && *q <= '9' && id < UINT64_MAX / 10; q++)
			id = id * 10 + (uint64_t)(*q - '0');
		if (*q == '\0' && q != v)
			rec->record = id;
	}
	if ((v = field_value(f, "System.TimeCreated.SystemTime")) != NULL &&
	    (n = strlen(v)) < sizeof(rec->time) && n > 0) {
		memcpy(rec->time, v, n + 1);
	}
}

struct xml_buf {
	uint8_t *p;
	size_t cap;
};

static int
record_xml(libevtx_record_t *r, struct xml_buf *x, size_t *len)
{
	libevtx_error_t *e = NULL;
	size_t n = 0;
	uint8_t *np;

	if (libevtx_record_get_utf8_xml_string_size(r, &n, &e) != 1 || n == 0 ||
	    n > MAX_XML) {
		libevtx_error_free(&e);
		return VK_EPARSE;
	}
	if (n > x->cap) {
		if ((np = realloc(x->p, n)) == NULL)
			return VK_ENOMEM;
		x->p = np;
		x->cap = n;
	}
	if (libevtx_record_get_utf8_xml_string(r, x->p, n, &e) != 1) {
		libevtx_error_free(&e);
		return VK_EPARSE;
	}
	*len = strnlen((const char *)x->p, n);
	return 0;
}

static int
one_record(libevtx_record_t *rp, int recovered, struct vk_evtx_fields *f,
    struct xml_buf *x, vk_evtx_field_fn fn, void *arg, struct vk_evtx_stats *st)
{
	struct vk_evtx_record rec;
	libevtx_error_t *e = NULL;
	uint64_t u64 = 0;
	uint32_t u32 = 0;
	size_t len = 0, i;
	int r;

	memset(&rec, 0, sizeof(rec));
	rec.recovered = recovered;
	if ((r = record_xml(rp, x, &len)) != 0)
		return r;
	r = vk_evtx_xml_parse((const char *)x->p, len, f);
	if (r == VK_ENOMEM)
		return r;
	if (r != 0 && f->n == 0)
		return VK_EPARSE;
	if (libevtx_record_get_identifier(rp, &u64, &e) == 1)
		rec.record = u64;
	libevtx_error_free(&e);
	if (libevtx_record_get_event_identifier(rp, &u32, &e) == 1)
		rec.event_id = u32 & 0xffff; /* the qualifiers are apart */
	libevtx_error_free(&e);
	fill_record(f, &rec); /* may override rec.record */
	if (rec.time[0] == '\0' &&
	    libevtx_record_get_written_time(rp, &u64, &e) == 1)
		filetime_iso(u64, rec.time, sizeof(rec.time));
	libevtx_error_free(&e);
	st->records++;
	st->recovered += (uint64_t)recovered;
	if (r != 0)
		st->damaged++; /* partly readable: its fields still count */
	for (i = 0; i < f->n; i++) {
		st->fields++;
		if ((r = fn(arg, &rec, &f->v[i])) != 0)
			return r;
	}
	return 0;
}

/* Recovered records often lack the template they need: that is expected,
 * not damage, and is counted apart. */
static void
bad_record(struct vk_evtx_stats *st, int recovered)
{
	if (recovered)
		st->recovered_unreadable++;
	else
		st->damaged++;
}

int
vk_evtx_scan(const char *path, int fd, int recovered, vk_evtx_field_fn fn,
    void *arg, struct vk_evtx_stats *st)
{
	struct vk_evtx_fields f;
	struct xml_buf x = { 0 };
	libevtx_file_t *file = NULL;
	libevtx_record_t *rp;
	libevtx_error_t *e = NULL;
	char proc[64];
	int n = 0, pass, i, r = 0, opened = 0;

	memset(st, 0, sizeof(*st));
	vk_evtx_fields_init(&f);
	if (fd >= 0 &&
	    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd) > 0 &&
	    access(proc, R_OK) == 0)
		path = proc;
	if (libevtx_file_initialize(&file, &e) != 1) {
		r = VK_ENOMEM;
		goto out;
	}
	if (libevtx_file_open(file, path, LIBEVTX_OPEN_READ, &e) != 1) {
		r = VK_EPARSE;
		goto out;
	}
	opened = 1;
	st->corrupted = libevtx_file_is_corrupted(file, &e) == 1;
	libevtx_error_free(&e);
	for (pass = 0; pass < (recovered ? 2 : 1) && r == 0; pass++) {
		n = 0;
		if ((pass == 0
			    ? libevtx_file_get_number_of_records(file, &n, &e)
			    : libevtx_file_get_number_of_recovered_records(
				  file, &n, &e)) != 1) {
			libevtx_error_free(&e);
			st->corrupted = 1;
			continue;
		}
		for (i = 0; i < n && r == 0; i++) {
			rp = NULL;
			if ((pass == 0
				    ? libevtx_file_get_record_by_index(
					  file, i, &rp, &e)
				    : libevtx_file_get_recovered_record_by_index(
					  file, i, &rp, &e)) != 1) {
				libevtx_error_free(&e);
				bad_record(st, pass);
				continue;
			}
			r = one_record(rp, pass, &f, &x, fn, arg, st);
			if (r == VK_EPARSE) {
				bad_record(st, pass);
				r = 0;
			}
			libevtx_record_free(&rp, &e);
			libevtx_error_free(&e);
		}
	}
out:
	libevtx_error_free(&e);
	if (opened)
		libevtx_file_close(file, &e);
	libevtx_error_free(&e);
	libevtx_file_free(&file, &e);
	libevtx_error_free(&e);
	free(x.p);
	vk_evtx_fields_release(&f);
	return r;
}
