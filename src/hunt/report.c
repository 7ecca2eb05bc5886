/*
 * report.c — the hit writers (text, jsonl, csv) and the summary of
 * `vaksam hunt`.  See report.h and docs/formats.md.
 */
#include "hunt/report.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hunt/report_files.h"
#include "hunt/yara.h"
#include "util/err.h"

#define NONE ((size_t)-1)
#define TOP_N 10
/* Ceiling on what the text format keeps until the end. */
#define TEXT_KEEP_MAX (256u * 1024 * 1024)
/* Ceiling on one formatted output record. */
#define RECORD_MAX (1024u * 1024)
/* Failed inputs named one by one in the summary. */
#define FAILED_SHOWN 20

/* A hit kept for the text format. */
struct thit {
	size_t file;
	uint64_t line;
	size_t ctx, ctx_len; /* in text */
	size_t hl_off, hl_len; /* highlight within the context */
	size_t field; /* in text, or NONE */
	uint32_t next; /* next kept hit of the same indicator, or UINT32_MAX */
	int kind; /* enum vk_hunt_kind */
};

/* Per indicator that has hits. */
struct iocstat {
	uint32_t ioc;
	uint64_t hits;
	uint32_t first, last; /* kept hits (thit index), UINT32_MAX none */
	uint32_t kept;
};

struct failed {
	size_t file;
	enum vk_hunt_status status;
	int errnum;
	const char *why;
};

struct vk_report {
	struct vk_report_opts o;
	/* The iocstat of an indicator: open addressing on the indicator's
	 * index, slots holding 1 + iocstat index (0 free), at most half
	 * full.  Sized by the indicators with hits, not by all: an array
	 * over a million indicators had its pages touched by scattered
	 * hits, megabytes of them. */
	uint32_t *slot_of;
	size_t nslot; /* a power of two */
	struct iocstat *st;
	size_t nst, capst;
	struct thit *th;
	size_t nth, capth;
	struct vk_buf keep; /* text of kept hits */
	uint64_t dropped; /* text hits not kept (ceilings) */
	struct vk_buf rec; /* one output record */
	bool header_done;
	bool write_failed;
	struct failed *failed;
	size_t nfailed, capfailed;
	uint64_t compressed_files;
	uint64_t files_with_hits;
	size_t last_hit_file;
	/* Issue 3: file checks. */
	struct vk_report_checks checks;
	uint64_t yara_hits;
	struct vk_buf yara_text; /* text format: YARA hits, one per line */
	uint64_t yara_dropped;
};

static const char *const format_names[VK_REPORT_FORMAT_MAX] = { "text", "jsonl",
	"csv" };

int
vk_report_format_from_name(const char *s, enum vk_report_format *f)
{
	unsigned i;

	for (i = 0; i < VK_REPORT_FORMAT_MAX; i++)
		if (strcmp(s, format_names[i]) == 0) {
			*f = (enum vk_report_format)i;
			return 0;
		}
	return VK_EINVAL;
}

/* ---- escaping ---- */

/*
 * Length of the valid UTF-8 sequence at p[0..n) (1..4) and its code point,
 * or 0 when p[0] does not start one (overlong forms, surrogates and values
 * past U+10FFFF are invalid).
 */
static size_t
utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

static int
append_hexbyte(struct vk_buf *b, const char *prefix, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char t[2] = { hex[c >> 4], hex[c & 15] };
	int r;

	if ((r = vk_buf_appends(b, prefix)) != 0)
		return r;
	return vk_buf_append(b, t, 2);
}

int
vk_escape_json(struct vk_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, k;
	uint32_t cp;
	int r = 0;

	while (i < n && r == 0) {
		/* Copy plain runs in one go. */
		for (run = i; run < n && p[run] >= 0x20 && p[run] < 0x80 &&
		     p[run] != '"' && p[run] != '\\';
		     run++)
			;
		if (run > i) {
			r = vk_buf_append(b, s + i, run - i);
			i = run;
			continue;
		}
		switch (p[i]) {
		case '"':
			r = vk_buf_append(b, "\\\"", 2);
			break;
		case '\\':
			r = vk_buf_append(b, "\\\\", 2);
			break;
		case '\n':
			r = vk_buf_append(b, "\\n", 2);
			break;
		case '\r':
			r = vk_buf_append(b, "\\r", 2);
			break;
		case '\t':
			r = vk_buf_append(b, "\\t", 2);
			break;
		default:
			if (p[i] < 0x20) {
				r = append_hexbyte(b, "\\u00", p[i]);
				break;
			}
			if ((k = utf8_seq(p + i, n - i, &cp)) == 0) {
				r = append_hexbyte(b, "\\\\x", p[i]);
				break;
			}
			r = vk_buf_append(b, s + i, k);
			i += k;
			continue;
		}
		i++;
	}
	return r;
}

static bool
term_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x200e && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

int
vk_escape_term(struct vk_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;
	int r = 0;

	while (i < n && r == 0) {
		if (p[i] == '\t') {
			r = vk_buf_appendc(b, '\t');
			i++;
			continue;
		}
		if ((k = utf8_seq(p + i, n - i, &cp)) == 0) {
			r = append_hexbyte(b, "\\x", p[i]);
			i++;
			continue;
		}
		if (term_unsafe(cp)) {
			if (cp < 0x80)
				r = append_hexbyte(b, "\\x", (unsigned char)cp);
			else
				r = vk_buf_appendf(b, "\\u{%04x}", cp);
		} else
			r = vk_buf_append(b, s + i, k);
		i += k;
	}
	return r;
}

int
vk_escape_csv(struct vk_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;
	bool quote = false;
	int r;

	for (k = 0; k < n; k++)
		if (p[k] == ',' || p[k] == '"' || p[k] == '\r' || p[k] == '\n')
			quote = true;
	if (n > 0 && (p[0] == ' ' || p[n - 1] == ' '))
		quote = true;
	if (quote && (r = vk_buf_appendc(b, '"')) != 0)
		return r;
	if (n > 0 &&
	    (p[0] == '=' || p[0] == '+' || p[0] == '-' || p[0] == '@' ||
		p[0] == '\t' || p[0] == '\r') &&
	    (r = vk_buf_appendc(b, '\'')) != 0)
		return r;
	r = 0;
	while (i < n && r == 0) {
		if (p[i] == '"') {
			r = vk_buf_append(b, "\"\"", 2);
			i++;
			continue;
		}
		if ((k = utf8_seq(p + i, n - i, &cp)) == 0) {
			r = append_hexbyte(b, "\\x", p[i]);
			i++;
			continue;
		}
		r = vk_buf_append(b, s + i, k);
		i += k;
	}
	if (r == 0 && quote)
		r = vk_buf_appendc(b, '"');
	return r;
}

/* ---- the report ---- */

int
vk_report_new(const struct vk_report_opts *o, struct vk_report **out)
{
	struct vk_report *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return VK_ENOMEM;
	r->o = *o;
	r->nslot = 64;
	if ((r->slot_of = calloc(r->nslot, sizeof(*r->slot_of))) == NULL) {
		free(r);
		return VK_ENOMEM;
	}
	vk_buf_init(&r->keep, TEXT_KEEP_MAX);
	vk_buf_init(&r->rec, RECORD_MAX);
	vk_buf_init(&r->yara_text, TEXT_KEEP_MAX / 16);
	vk_report_checks_init(&r->checks, o->list_skipped);
	r->last_hit_file = NONE;
	*out = r;
	return 0;
}

void
vk_report_free(struct vk_report *r)
{
	if (r == NULL)
		return;
	free(r->slot_of);
	free(r->st);
	free(r->th);
	free(r->failed);
	vk_buf_release(&r->keep);
	vk_buf_release(&r->rec);
	vk_buf_release(&r->yara_text);
	vk_report_checks_release(&r->checks);
	free(r);
}

size_t
vk_report_failed(const struct vk_report *r)
{
	return r->nfailed;
}

/* The slot of indicator ioc in slot_of, or the free slot where it goes. */
static size_t
stat_slot(const struct vk_report *r, uint32_t ioc)
{
	size_t mask = r->nslot - 1,
	       j = (size_t)(((uint64_t)ioc * 0x9e3779b97f4a7c15ULL) >> 32) &
	    mask;

	while (r->slot_of[j] != 0 && r->st[r->slot_of[j] - 1].ioc != ioc)
		j = (j + 1) & mask;
	return j;
}

static int
stat_grow(struct vk_report *r)
{
	uint32_t *old = r->slot_of;
	size_t nold = r->nslot, i;

	if ((r->slot_of = calloc(2 * nold, sizeof(*r->slot_of))) == NULL) {
		r->slot_of = old;
		return VK_ENOMEM;
	}
	r->nslot = 2 * nold;
	for (i = 0; i < nold; i++)
		if (old[i] != 0)
			r->slot_of[stat_slot(r, r->st[old[i] - 1].ioc)] =
			    old[i];
	free(old);
	return 0;
}

static struct iocstat *
stat_for(struct vk_report *r, uint32_t ioc)
{
	struct iocstat *s;
	size_t j;

	if (ioc >= vk_ioc_set_count(r->o.set))
		return NULL;
	j = stat_slot(r, ioc);
	if (r->slot_of[j] != 0)
		return &r->st[r->slot_of[j] - 1];
	if (2 * (r->nst + 1) > r->nslot) {
		if (stat_grow(r) != 0)
			return NULL;
		j = stat_slot(r, ioc);
	}
	if (r->nst == r->capst) {
		size_t cap = r->capst ? r->capst * 2 : 64;

		if ((s = realloc(r->st, cap * sizeof(*s))) == NULL)
			return NULL;
		r->st = s;
		r->capst = cap;
	}
	s = &r->st[r->nst++];
	s->ioc = ioc;
	s->hits = 0;
	s->first = s->last = UINT32_MAX;
	s->kept = 0;
	r->slot_of[j] = (uint32_t)r->nst;
	return s;
}

static const char *
or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static int
json_str(struct vk_buf *b, const char *key, const char *s, size_t n)
{
	int r;

	if ((r = vk_buf_appendf(b, ",\"%s\":", key)) != 0)
		return r;
	if (s == NULL)
		return vk_buf_appends(b, "null");
	if ((r = vk_buf_appendc(b, '"')) != 0 ||
	    (r = vk_escape_json(b, s, n)) != 0)
		return r;
	return vk_buf_appendc(b, '"');
}

static int
json_cstr(struct vk_buf *b, const char *key, const char *s)
{
	s = or_null(s);
	return json_str(b, key, s, s ? strlen(s) : 0);
}

/* The values every machine format carries, in schema order. */
struct fields {
	const char *file;
	const struct vk_ioc *ioc;
	const struct vk_ioc_prov *prov;
	const char *first_seen, *last_seen;
	const char *where;
	char wbuf[VK_IOC_WHERE_MAX];
};

static void
fields_of(struct vk_report *r, const struct vk_hunt_hit *h, struct fields *f)
{
	static const struct vk_ioc no_ioc = { .to_ids = -1 };

	f->file = r->o.walk->v[h->file].path;
	/* A YARA rule is not an indicator of the set (issue 3). */
	f->ioc = h->ioc < vk_ioc_set_count(r->o.set)
	    ? vk_ioc_set_get(r->o.set, h->ioc)
	    : &no_ioc;
	f->prov =
	    f->ioc == &no_ioc ? NULL : vk_ioc_set_prov(r->o.set, f->ioc->prov);
	f->first_seen = or_null(vk_ioc_first_seen(f->ioc));
	f->last_seen = or_null(vk_ioc_last_seen(f->ioc));
	f->where = f->ioc == &no_ioc
	    ? NULL
	    : vk_ioc_where(r->o.set, f->ioc, f->wbuf, sizeof(f->wbuf));
	if (f->prov != NULL) {
		if (f->first_seen == NULL)
			f->first_seen = f->prov->first_seen;
		if (f->last_seen == NULL)
			f->last_seen = f->prov->last_seen;
	}
}

static int
write_jsonl(struct vk_report *r, const struct vk_hunt_hit *h)
{
	struct vk_buf *b = &r->rec;
	const struct vk_ioc_prov *p;
	struct fields f;
	int rc;

	fields_of(r, h, &f);
	p = f.prov;
	vk_buf_reset(b);
	if ((rc = vk_buf_appends(b, "{\"file\":\"")) != 0 ||
	    (rc = vk_escape_json(b, f.file, strlen(f.file))) != 0 ||
	    (rc = vk_buf_appendf(b, "\",\"line\":%llu,\"offset\":%llu",
		 (unsigned long long)h->line, (unsigned long long)h->offset)) !=
		0 ||
	    (rc = json_cstr(b, "indicator",
		 h->yara ? h->yara->rule : vk_ioc_value(f.ioc))) != 0 ||
	    (rc = json_cstr(b, "type",
		 h->yara ? "yara" : vk_ioc_type_name(f.ioc->type))) != 0 ||
	    (rc = json_str(b, "matched", h->matched, h->matched_len)) != 0 ||
	    (rc = json_cstr(b, "field", h->field)) != 0 ||
	    (rc = json_cstr(b, "source", p ? p->source : NULL)) != 0 ||
	    (rc = json_cstr(b, "source_location", f.where)) != 0 ||
	    (rc = json_str(b, "context", h->context, h->context_len)) != 0 ||
	    (rc = vk_buf_appendf(
		 b, ",\"context_offset\":%zu", h->context_off)) != 0 ||
	    (rc = json_cstr(b, "report", p ? p->report : NULL)) != 0 ||
	    (rc = json_cstr(b, "campaign", p ? p->campaign : NULL)) != 0 ||
	    (rc = json_cstr(b, "tlp", p ? p->tlp : NULL)) != 0 ||
	    (rc = json_cstr(b, "first_seen", f.first_seen)) != 0 ||
	    (rc = json_cstr(b, "last_seen", f.last_seen)) != 0 ||
	    (rc = json_cstr(b, "comment", vk_ioc_comment(f.ioc))) != 0 ||
	    (rc = vk_buf_appendf(b, ",\"to_ids\":%s",
		 f.ioc->to_ids > 0        ? "true"
		     : f.ioc->to_ids == 0 ? "false"
					  : "null")) != 0 ||
	    (rc = vk_report_json_file_fields(b, h)) != 0 ||
	    (rc = vk_buf_appends(b, "}\n")) != 0)
		return rc;
	if (fwrite(b->data, 1, b->len, r->o.out) != b->len)
		return VK_EIO;
	return 0;
}

static const char *const csv_header =
    "file,line,offset,indicator,type,matched,field,source,source_location,"
    "context,context_offset,report,campaign,tlp,first_seen,last_seen,"
    "comment,to_ids," VK_REPORT_CSV_FILE_HEADER "\r\n";

static int
csv_field(struct vk_buf *b, const char *s, size_t n, bool last)
{
	int r;

	if (s != NULL && (r = vk_escape_csv(b, s, n)) != 0)
		return r;
	return last ? vk_buf_append(b, "\r\n", 2) : vk_buf_appendc(b, ',');
}

static int
csv_cfield(struct vk_buf *b, const char *s)
{
	return csv_field(b, s, s ? strlen(s) : 0, false);
}

static int
write_csv(struct vk_report *r, const struct vk_hunt_hit *h)
{
	struct vk_buf *b = &r->rec;
	const struct vk_ioc_prov *p;
	struct fields f;
	int rc;

	fields_of(r, h, &f);
	p = f.prov;
	vk_buf_reset(b);
	if (!r->header_done) {
		if ((rc = vk_buf_appends(b, csv_header)) != 0)
			return rc;
		r->header_done = true;
	}
	if ((rc = csv_cfield(b, f.file)) != 0 ||
	    (rc = vk_buf_appendf(b, "%llu,%llu,", (unsigned long long)h->line,
		 (unsigned long long)h->offset)) != 0 ||
	    (rc = csv_cfield(
		 b, h->yara ? h->yara->rule : vk_ioc_value(f.ioc))) != 0 ||
	    (rc = csv_cfield(
		 b, h->yara ? "yara" : vk_ioc_type_name(f.ioc->type))) != 0 ||
	    (rc = csv_field(b, h->matched, h->matched_len, false)) != 0 ||
	    (rc = csv_cfield(b, h->field)) != 0 ||
	    (rc = csv_cfield(b, p ? p->source : NULL)) != 0 ||
	    (rc = csv_cfield(b, f.where)) != 0 ||
	    (rc = csv_field(b, h->context, h->context_len, false)) != 0 ||
	    (rc = vk_buf_appendf(b, "%zu,", h->context_off)) != 0 ||
	    (rc = csv_cfield(b, p ? p->report : NULL)) != 0 ||
	    (rc = csv_cfield(b, p ? p->campaign : NULL)) != 0 ||
	    (rc = csv_cfield(b, p ? p->tlp : NULL)) != 0 ||
	    (rc = csv_cfield(b, f.first_seen)) != 0 ||
	    (rc = csv_cfield(b, f.last_seen)) != 0 ||
	    (rc = csv_cfield(b, vk_ioc_comment(f.ioc))) != 0 ||
	    (rc = csv_field(b,
		 f.ioc->to_ids > 0        ? "true"
		     : f.ioc->to_ids == 0 ? "false"
					  : NULL,
		 f.ioc->to_ids > 0        ? 4
		     : f.ioc->to_ids == 0 ? 5
					  : 0,
		 true)) != 0)
		return rc;
	/* Issue 3: the file columns go before the line end. */
	vk_buf_truncate(b, b->len - 2);
	if ((rc = vk_report_csv_file_fields(b, h)) != 0 ||
	    (rc = vk_buf_append(b, "\r\n", 2)) != 0)
		return rc;
	if (fwrite(b->data, 1, b->len, r->o.out) != b->len)
		return VK_EIO;
	return 0;
}

/* Keeps a hit for the text format (bounded). */
static void
keep_text(struct vk_report *r, struct iocstat *s, const struct vk_hunt_hit *h)
{
	struct thit *t;
	size_t mark = r->keep.len;

	if (s->kept >= VK_REPORT_TEXT_PER_IOC || r->nth >= UINT32_MAX - 1) {
		r->dropped++;
		return;
	}
	if (r->nth == r->capth) {
		size_t cap = r->capth ? r->capth * 2 : 256;

		if ((t = realloc(r->th, cap * sizeof(*t))) == NULL) {
			r->dropped++;
			return;
		}
		r->th = t;
		r->capth = cap;
	}
	t = &r->th[r->nth];
	t->file = h->file;
	t->line = h->line;
	t->ctx = r->keep.len;
	t->ctx_len = h->context_len;
	/* The match may reach past a context window's edge. */
	t->hl_off =
	    h->match_off >= h->context_off ? h->match_off - h->context_off : 0;
	if (t->hl_off > h->context_len)
		t->hl_off = h->context_len;
	t->hl_len = h->matched_len;
	if (t->hl_len > h->context_len - t->hl_off)
		t->hl_len = h->context_len - t->hl_off;
	t->field = NONE;
	t->next = UINT32_MAX;
	t->kind = (int)h->kind;
	if (vk_buf_append(&r->keep, h->context, h->context_len) != 0)
		goto drop;
	if (h->kind != VK_HUNT_KIND_LINE) {
		t->field = r->keep.len;
		if (vk_report_text_label(&r->keep, h) != 0 ||
		    vk_buf_appendc(&r->keep, '\0') != 0)
			goto drop;
	} else if (h->field != NULL) {
		t->field = r->keep.len;
		if (vk_buf_appends(&r->keep, h->field) != 0 ||
		    vk_buf_appendc(&r->keep, '\0') != 0)
			goto drop;
	}
	if (s->last != UINT32_MAX)
		r->th[s->last].next = (uint32_t)r->nth;
	else
		s->first = (uint32_t)r->nth;
	s->last = (uint32_t)r->nth;
	s->kept++;
	r->nth++;
	return;
drop:
	vk_buf_truncate(&r->keep, mark);
	r->dropped++;
}

/* The text format lists YARA hits apart: a rule is not an indicator. */
static void
keep_yara(struct vk_report *r, const struct vk_hunt_hit *h)
{
	const struct vk_yara_hit *y = h->yara;
	struct vk_buf *b = &r->yara_text;
	size_t mark = b->len, i;

	if (y == NULL)
		return;
	if (vk_escape_term(b, r->o.walk->v[h->file].path,
		strlen(r->o.walk->v[h->file].path)) != 0 ||
	    vk_buf_appends(b, ": ") != 0 ||
	    vk_escape_term(b, y->ns, strlen(y->ns)) != 0 ||
	    vk_buf_appendc(b, ':') != 0 ||
	    vk_escape_term(b, y->rule, strlen(y->rule)) != 0)
		goto drop;
	for (i = 0; i < y->ntags; i++)
		if (vk_buf_appends(b, i ? " " : " [") != 0 ||
		    vk_escape_term(b, y->tags[i], strlen(y->tags[i])) != 0 ||
		    (i + 1 == y->ntags && vk_buf_appendc(b, ']') != 0))
			goto drop;
	for (i = 0; i < y->nstrings; i++)
		if (vk_buf_appendf(b, "%s%s@%llu \"", i ? ", " : " — ",
			y->strings[i].id,
			(unsigned long long)y->strings[i].offset) != 0 ||
		    vk_escape_term(b, (const char *)y->strings[i].data,
			y->strings[i].data_len) != 0 ||
		    vk_buf_appendc(b, '"') != 0)
			goto drop;
	if (vk_buf_appendc(b, '\n') == 0)
		return;
drop:
	vk_buf_truncate(b, mark);
	r->yara_dropped++;
}

int
vk_report_hit(struct vk_report *r, const struct vk_hunt_hit *h)
{
	struct iocstat *s = NULL;
	int rc = 0;

	if (h->kind == VK_HUNT_KIND_YARA)
		r->yara_hits++;
	else if ((s = stat_for(r, h->ioc)) == NULL)
		return VK_ENOMEM;
	else
		s->hits++;
	if (r->last_hit_file != h->file) {
		r->last_hit_file = h->file;
		r->files_with_hits++;
	}
	switch (r->o.format) {
	case VK_REPORT_JSONL:
		rc = write_jsonl(r, h);
		break;
	case VK_REPORT_CSV:
		rc = write_csv(r, h);
		break;
	default:
		if (s != NULL)
			keep_text(r, s, h);
		else
			keep_yara(r, h);
		break;
	}
	if (rc == VK_EIO)
		r->write_failed = true;
	return rc;
}

void
vk_report_file(
    struct vk_report *r, size_t file, const struct vk_hunt_file_stats *st)
{
	struct failed *f;

	vk_report_checks_file(&r->checks, file, st);
	if (st->compression != VK_COMPRESS_NONE &&
	    st->compression != VK_COMPRESS_AUTO)
		r->compressed_files++;
	if (st->status == VK_HUNT_OK)
		return;
	if (r->nfailed == r->capfailed) {
		size_t cap = r->capfailed ? r->capfailed * 2 : 16;

		if ((f = realloc(r->failed, cap * sizeof(*f))) == NULL)
			return;
		r->failed = f;
		r->capfailed = cap;
	}
	f = &r->failed[r->nfailed++];
	f->file = file;
	f->status = st->status;
	f->errnum = st->errnum;
	f->why = st->why;
}

/* ---- the text format ---- */

#define C_BOLD "\033[1m"
#define C_MATCH "\033[1;31m"
#define C_DIM "\033[2m"
#define C_OFF "\033[0m"

static const char *
campaign_of(const struct vk_report *r, const struct iocstat *s)
{
	const struct vk_ioc *ioc = vk_ioc_set_get(r->o.set, s->ioc);
	const struct vk_ioc_prov *p = vk_ioc_set_prov(r->o.set, ioc->prov);

	return p ? or_null(p->campaign) : NULL;
}

static int
cmp_campaign(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

static const struct vk_report *sort_report;

/* By campaign (none last), then in order of first hit. */
static int
cmp_stat(const void *pa, const void *pb)
{
	const struct iocstat *a = pa, *b = pb;
	int c = cmp_campaign(
	    campaign_of(sort_report, a), campaign_of(sort_report, b));

	if (c != 0)
		return c;
	return a->first < b->first ? -1 : a->first > b->first;
}

static void
term(struct vk_buf *b, const char *s)
{
	(void)vk_escape_term(b, s, strlen(s));
}

static int
text_flush(struct vk_report *r)
{
	struct vk_buf *b = &r->rec;

	if (b->len > 0 && fwrite(b->data, 1, b->len, r->o.out) != b->len)
		return VK_EIO;
	vk_buf_reset(b);
	return 0;
}

/* The YARA group of the text format (issue 3). */
static int
write_yara_text(struct vk_report *r, bool first)
{
	struct vk_buf *b = &r->rec;
	const char *p = r->yara_text.data, *nl, *end;

	if (r->yara_hits == 0)
		return 0;
	vk_buf_reset(b);
	vk_buf_appendf(b, "%s%s== YARA rules ==%s\n", first ? "" : "\n",
	    r->o.color ? C_BOLD : "", r->o.color ? C_OFF : "");
	end = p + r->yara_text.len;
	for (; p != NULL && p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			break;
		vk_buf_appends(b, "  ");
		vk_buf_append(b, p, (size_t)(nl - p + 1));
		if (b->len > RECORD_MAX / 2 && text_flush(r) != 0)
			return VK_EIO;
	}
	if (r->yara_dropped > 0)
		vk_buf_appendf(b, "  … and %llu more (use --format jsonl)\n",
		    (unsigned long long)r->yara_dropped);
	return text_flush(r);
}

static int
write_text(struct vk_report *r)
{
	struct vk_buf *b = &r->rec;
	const char *camp = NULL, *bold = r->o.color ? C_BOLD : "",
		   *hl = r->o.color ? C_MATCH : "",
		   *dim = r->o.color ? C_DIM : "",
		   *off = r->o.color ? C_OFF : "";
	struct iocstat *st;
	bool first_group = true;
	size_t i;
	uint32_t k;
	int rc;

	if (r->nst == 0)
		return write_yara_text(r, true);
	/* Sort a copy: the slot indices in slot_of must stay valid. */
	if ((st = malloc(r->nst * sizeof(*st))) == NULL)
		return VK_ENOMEM;
	memcpy(st, r->st, r->nst * sizeof(*st));
	sort_report = r;
	qsort(st, r->nst, sizeof(*st), cmp_stat);
	for (i = 0; i < r->nst; i++) {
		const struct vk_ioc *ioc = vk_ioc_set_get(r->o.set, st[i].ioc);
		const struct vk_ioc_prov *p =
		    vk_ioc_set_prov(r->o.set, ioc->prov);
		const char *c = campaign_of(r, &st[i]);

		vk_buf_reset(b);
		if (first_group || cmp_campaign(c, camp) != 0) {
			vk_buf_appendf(
			    b, "%s%s== ", first_group ? "" : "\n", bold);
			if (c != NULL) {
				vk_buf_appends(b, "Campaign: ");
				term(b, c);
			} else
				vk_buf_appends(b, "No campaign named");
			vk_buf_appendf(b, " ==%s\n", off);
			camp = c;
			first_group = false;
		}
		vk_buf_appendf(b, "\n%s", bold);
		term(b, vk_ioc_value(ioc));
		vk_buf_appendf(b, "%s (%s) — %llu hit%s", off,
		    vk_ioc_type_name(ioc->type), (unsigned long long)st[i].hits,
		    st[i].hits == 1 ? "" : "s");
		if (p != NULL && or_null(p->source)) {
			vk_buf_appends(b, " — ");
			term(b, p->source);
		}
		if (p != NULL && or_null(p->report)) {
			vk_buf_appends(b, ", report \"");
			term(b, p->report);
			vk_buf_appendc(b, '"');
		}
		if (p != NULL && or_null(p->tlp)) {
			vk_buf_appends(b, ", TLP:");
			term(b, p->tlp);
		}
		vk_buf_appendc(b, '\n');
		for (k = st[i].first; k != UINT32_MAX; k = r->th[k].next) {
			const struct thit *t = &r->th[k];
			const char *ctx = r->keep.data + t->ctx;

			vk_buf_appends(b, "  ");
			term(b, r->o.walk->v[t->file].path);
			if (t->kind == VK_HUNT_KIND_LINE)
				vk_buf_appendf(
				    b, ":%llu:", (unsigned long long)t->line);
			else
				vk_buf_appendc(b, ':');
			if (t->field != NONE) {
				vk_buf_appendf(b, " %s[", dim);
				term(b, r->keep.data + t->field);
				vk_buf_appendf(b, "]%s", off);
			}
			vk_buf_appendc(b, ' ');
			vk_escape_term(b, ctx, t->hl_off);
			vk_buf_appends(b, hl);
			vk_escape_term(b, ctx + t->hl_off, t->hl_len);
			vk_buf_appends(b, off);
			vk_escape_term(b, ctx + t->hl_off + t->hl_len,
			    t->ctx_len - t->hl_off - t->hl_len);
			vk_buf_appendc(b, '\n');
			if (b->len > RECORD_MAX / 2 &&
			    (rc = text_flush(r)) != 0)
				goto out;
		}
		if (st[i].hits > st[i].kept)
			vk_buf_appendf(b,
			    "  … and %llu more (use --format jsonl "
			    "for every hit)\n",
			    (unsigned long long)(st[i].hits - st[i].kept));
		if ((rc = text_flush(r)) != 0)
			goto out;
	}
	rc = write_yara_text(r, false);
out:
	free(st);
	return rc;
}

int
vk_report_finish(struct vk_report *r)
{
	int rc = 0;

	if (r->o.format == VK_REPORT_TEXT)
		rc = write_text(r);
	else if (r->o.format == VK_REPORT_CSV && !r->header_done) {
		/* A CSV with no hits still says what its columns are. */
		if (fputs(csv_header, r->o.out) == EOF)
			rc = VK_EIO;
		r->header_done = true;
	}
	if (fflush(r->o.out) != 0 || ferror(r->o.out))
		rc = VK_EIO;
	if (rc == VK_EIO)
		r->write_failed = true;
	return rc;
}

/* ---- the summary ---- */

static void
human_bytes(char *out, size_t cap, uint64_t n)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	double v = (double)n;
	unsigned u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		(void)snprintf(out, cap, "%llu B", (unsigned long long)n);
	else
		(void)snprintf(out, cap, "%.1f %s", v, units[u]);
}

struct tally {
	const char *name; /* NULL: no campaign */
	uint64_t n;
};

static int
cmp_tally(const void *pa, const void *pb)
{
	const struct tally *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return cmp_campaign(a->name, b->name);
}

static int
cmp_stat_hits(const void *pa, const void *pb)
{
	const struct iocstat *a = pa, *b = pb;

	if (a->hits != b->hits)
		return a->hits > b->hits ? -1 : 1;
	return a->first < b->first ? -1 : a->first > b->first;
}

static void
summary_hits(struct vk_report *r, struct vk_buf *b)
{
	struct iocstat *st;
	struct tally *tl;
	size_t i, j, nt = 0;

	if (r->nst == 0)
		return;
	if ((st = malloc(r->nst * sizeof(*st))) == NULL ||
	    (tl = calloc(r->nst, sizeof(*tl))) == NULL) {
		free(st);
		return;
	}
	memcpy(st, r->st, r->nst * sizeof(*st));
	qsort(st, r->nst, sizeof(*st), cmp_stat_hits);
	vk_buf_appendf(
	    b, "  hits by indicator%s:", r->nst > TOP_N ? " (top 10)" : "");
	for (i = 0; i < r->nst && i < TOP_N; i++) {
		vk_buf_appends(b, i ? ", " : " ");
		term(b, vk_ioc_value(vk_ioc_set_get(r->o.set, st[i].ioc)));
		vk_buf_appendf(b, " %llu", (unsigned long long)st[i].hits);
	}
	vk_buf_appendc(b, '\n');
	sort_report = r;
	for (i = 0; i < r->nst; i++) {
		const char *c = campaign_of(r, &st[i]);

		for (j = 0; j < nt && cmp_campaign(tl[j].name, c) != 0; j++)
			;
		if (j == nt)
			tl[nt++].name = c;
		tl[j].n += st[i].hits;
	}
	qsort(tl, nt, sizeof(*tl), cmp_tally);
	vk_buf_appendf(
	    b, "  hits by campaign%s:", nt > TOP_N ? " (top 10)" : "");
	for (i = 0; i < nt && i < TOP_N; i++) {
		vk_buf_appends(b, i ? ", " : " ");
		if (tl[i].name)
			term(b, tl[i].name);
		else
			vk_buf_appends(b, "(none named)");
		vk_buf_appendf(b, " %llu", (unsigned long long)tl[i].n);
	}
	vk_buf_appendc(b, '\n');
	free(st);
	free(tl);
}

static void
summary_indicators(struct vk_report *r, struct vk_buf *b)
{
	size_t n = vk_ioc_set_count(r->o.set), i, sup = 0, *per = NULL;
	bool first = true;
	unsigned t;

	vk_buf_appendf(b, "  indicators: %zu loaded", n);
	for (t = 0; t < VK_IOC_TYPE_MAX; t++) {
		size_t c = vk_ioc_set_count_type(r->o.set, (enum vk_ioc_type)t);

		if (c == 0)
			continue;
		vk_buf_appendf(b, "%s%s %zu", first ? " (" : ", ",
		    vk_ioc_type_name((enum vk_ioc_type)t), c);
		first = false;
	}
	vk_buf_appends(b, first ? "\n" : ")\n");
	if (r->o.nallow > 0)
		per = calloc(r->o.nallow, sizeof(*per));
	for (i = 0; i < n; i++) {
		uint32_t a = vk_ioc_set_get(r->o.set, i)->allow;

		if (a == 0)
			continue;
		sup++;
		if (per != NULL && a - 1 < r->o.nallow)
			per[a - 1]++;
	}
	if (sup > 0 || r->o.nallow > 0) {
		vk_buf_appendf(b, "  suppressed by allow-lists: %zu", sup);
		for (i = 0; per != NULL && i < r->o.nallow; i++) {
			vk_buf_appends(b, i ? ", " : " (");
			vk_buf_appendc(b, '"');
			term(
			    b, r->o.allow_names[i] ? r->o.allow_names[i] : "?");
			vk_buf_appendf(b, "\" %zu", per[i]);
		}
		vk_buf_appends(b, per != NULL && r->o.nallow ? ")\n" : "\n");
	}
	free(per);
}

static void
summary_skipped(struct vk_report *r, struct vk_buf *b)
{
	const struct vk_walk *w = r->o.walk;
	size_t i, j, nerr = 0, shown = 0;
	const char *whys[8];
	size_t counts[8], nw = 0;

	for (i = 0; i < w->n; i++) {
		if (w->v[i].kind == VK_WALK_ERROR)
			nerr++;
		if (w->v[i].kind != VK_WALK_SKIPPED)
			continue;
		for (j = 0; j < nw && strcmp(whys[j], w->v[i].why) != 0; j++)
			;
		if (j == nw && nw < 8) {
			whys[nw] = w->v[i].why;
			counts[nw++] = 0;
		}
		if (j < nw)
			counts[j]++;
	}
	if (nw > 0) {
		vk_buf_appends(b, "  skipped:");
		for (j = 0; j < nw; j++)
			vk_buf_appendf(
			    b, "%s %zu %s", j ? "," : "", counts[j], whys[j]);
		vk_buf_appendc(b, '\n');
	}
	if (nerr + r->nfailed == 0)
		return;
	vk_buf_appendf(b, "  not fully read: %zu\n", nerr + r->nfailed);
	for (i = 0; i < w->n && shown < FAILED_SHOWN; i++) {
		if (w->v[i].kind != VK_WALK_ERROR)
			continue;
		vk_buf_appends(b, "    ");
		term(b, w->v[i].path);
		vk_buf_appendf(
		    b, ": unreadable (%s)\n", strerror(w->v[i].errnum));
		shown++;
	}
	for (i = 0; i < r->nfailed && shown < FAILED_SHOWN; i++, shown++) {
		vk_buf_appends(b, "    ");
		term(b, w->v[r->failed[i].file].path);
		if (r->failed[i].status == VK_HUNT_DAMAGED)
			vk_buf_appendf(b,
			    ": damaged (%s; hits before the damage are "
			    "reported)\n",
			    r->failed[i].why ? r->failed[i].why : "?");
		else
			vk_buf_appendf(b, ": unreadable (%s)\n",
			    strerror(r->failed[i].errnum));
	}
	if (nerr + r->nfailed > shown)
		vk_buf_appendf(
		    b, "    … and %zu more\n", nerr + r->nfailed - shown);
}

void
vk_report_summary(struct vk_report *r, FILE *fp, const struct vk_hunt_totals *t)
{
	struct vk_buf b;
	char raw[32], dec[32], rate[32];
	double secs = t->seconds > 1e-6 ? t->seconds : 1e-6;

	vk_buf_init(&b, 1024 * 1024);
	human_bytes(raw, sizeof(raw), t->raw_bytes);
	human_bytes(dec, sizeof(dec), t->bytes);
	human_bytes(rate, sizeof(rate), (uint64_t)((double)t->bytes / secs));
	vk_buf_appendf(&b,
	    "vaksam hunt: %llu hit%s in %llu of %llu input%s (%zu indicator%s "
	    "hit)\n",
	    (unsigned long long)t->hits, t->hits == 1 ? "" : "s",
	    (unsigned long long)r->files_with_hits,
	    (unsigned long long)t->files, t->files == 1 ? "" : "s", r->nst,
	    r->nst == 1 ? "" : "s");
	vk_buf_appendf(&b,
	    "  read: %s (%llu compressed input%s), %s decompressed, %llu "
	    "lines",
	    raw, (unsigned long long)r->compressed_files,
	    r->compressed_files == 1 ? "" : "s", dec,
	    (unsigned long long)t->lines);
	if (t->long_lines)
		vk_buf_appendf(&b, ", %llu over %u MiB scanned in pieces",
		    (unsigned long long)t->long_lines,
		    (unsigned)(VK_LINE_MAX >> 20));
	vk_buf_appendc(&b, '\n');
	summary_hits(r, &b);
	summary_indicators(r, &b);
	summary_skipped(r, &b);
	if (r->yara_hits > 0)
		vk_buf_appendf(&b, "  YARA rule hits: %llu\n",
		    (unsigned long long)r->yara_hits);
	vk_report_checks_summary(&r->checks, r->o.walk, t, &b);
	if (r->dropped > 0 && r->o.format == VK_REPORT_TEXT)
		vk_buf_appendf(&b,
		    "  listed: at most %u hits per indicator; %llu more "
		    "counted only\n",
		    VK_REPORT_TEXT_PER_IOC, (unsigned long long)r->dropped);
	if (r->write_failed)
		vk_buf_appendf(&b, "  output: writing hits failed (%s)\n",
		    strerror(errno));
	vk_buf_appendf(&b, "  time: %.2f s, %s/s with %u thread%s\n",
	    t->seconds, rate, t->jobs, t->jobs == 1 ? "" : "s");
	fputs(vk_buf_str(&b), fp);
	vk_report_checks_list(&r->checks, r->o.walk, fp);
	fflush(fp);
	vk_buf_release(&b);
}
