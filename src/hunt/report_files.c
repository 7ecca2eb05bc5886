/*
 * report_files.c — output fields and summary of the file checks.
 */
#include "hunt/report_files.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hunt/evtx.h"
#include "hunt/hasher.h"
#include "hunt/report.h"
#include "hunt/yara.h"
#include "util/err.h"

#define CHANGED_SHOWN 20
#define SKIPS_MAX 1000000 /* --list-skipped entries kept */

void
vk_report_iso_time(char *out, size_t cap, int64_t sec, long nsec)
{
	time_t t = (time_t)sec;
	struct tm tm;
	size_t n;

	out[0] = '\0';
	if (gmtime_r(&t, &tm) == NULL)
		return;
	n = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n == 0 || snprintf(out + n, cap - n, ".%09ldZ", nsec) < 0)
		out[0] = '\0';
}

static int
jstr(struct vk_buf *b, const char *key, const char *s, size_t n)
{
	int r;

	if ((r = vk_buf_appendf(b, ",\"%s\":\"", key)) != 0 ||
	    (r = vk_escape_json(b, s, n)) != 0)
		return r;
	return vk_buf_appendc(b, '"');
}

static int
jcstr(struct vk_buf *b, const char *key, const char *s)
{
	return jstr(b, key, s ? s : "", s ? strlen(s) : 0);
}

static int
json_fileinfo(struct vk_buf *b, const struct vk_hunt_fileinfo *fi)
{
	char iso[48];
	int a, r;

	vk_report_iso_time(iso, sizeof(iso), fi->mtime_sec, fi->mtime_nsec);
	if ((r = vk_buf_appendf(
		 b, ",\"size\":%llu", (unsigned long long)fi->size)) != 0 ||
	    (r = jcstr(b, "mtime", iso)) != 0)
		return r;
	if (fi->digests == NULL)
		return 0;
	for (a = 0; a < VK_HASH_ALG_MAX; a++)
		if ((fi->digests->algs & VK_HASH_BIT(a)) &&
		    (r = jcstr(b, vk_hash_alg_name((enum vk_hash_alg)a),
			 fi->digests->hex[a])) != 0)
			return r;
	return 0;
}

static int
json_yara(struct vk_buf *b, const struct vk_yara_hit *y)
{
	size_t i;
	int r;

	if ((r = jcstr(b, "rule", y->rule)) != 0 ||
	    (r = jcstr(b, "namespace", y->ns)) != 0 ||
	    (r = vk_buf_appends(b, ",\"tags\":[")) != 0)
		return r;
	for (i = 0; i < y->ntags; i++)
		if ((r = vk_buf_appends(b, i ? ",\"" : "\"")) != 0 ||
		    (r = vk_escape_json(b, y->tags[i], strlen(y->tags[i]))) !=
			0 ||
		    (r = vk_buf_appendc(b, '"')) != 0)
			return r;
	if ((r = vk_buf_appends(b, "],\"meta\":{")) != 0)
		return r;
	for (i = 0; i < y->nmeta; i++) {
		const struct vk_yara_meta *m = &y->meta[i];

		if ((r = vk_buf_appends(b, i ? ",\"" : "\"")) != 0 ||
		    (r = vk_escape_json(b, m->id, strlen(m->id))) != 0 ||
		    (r = vk_buf_appends(b, "\":")) != 0)
			return r;
		if (m->is_string)
			r = vk_buf_appendc(b, '"') ||
			    vk_escape_json(b, m->value, strlen(m->value)) ||
			    vk_buf_appendc(b, '"');
		else
			r = vk_buf_appends(b, m->value);
		if (r != 0)
			return VK_ETOOBIG;
	}
	if ((r = vk_buf_appendc(b, '}')) != 0)
		return r;
	if (y->nstrings == 0)
		return 0;
	if ((r = vk_buf_appends(b, ",\"strings\":[")) != 0)
		return r;
	for (i = 0; i < y->nstrings; i++) {
		const struct vk_yara_string *s = &y->strings[i];

		if ((r = vk_buf_appends(b, i ? ",{\"id\":\"" : "{\"id\":\"")) !=
			0 ||
		    (r = vk_escape_json(b, s->id, strlen(s->id))) != 0 ||
		    (r = vk_buf_appendf(b,
			 "\",\"offset\":%llu,\"length\":%zu,\"data\":\"",
			 (unsigned long long)s->offset, s->len)) != 0 ||
		    (r = vk_escape_json(
			 b, (const char *)s->data, s->data_len)) != 0 ||
		    (r = vk_buf_appends(b, "\"}")) != 0)
			return r;
	}
	return vk_buf_appendf(b, "],\"strings_truncated\":%s",
	    y->strings_truncated ? "true" : "false");
}

static int
json_evtx(struct vk_buf *b, const struct vk_evtx_record *e)
{
	int r;

	if ((r = jcstr(b, "channel", e->channel)) != 0 ||
	    (r = jcstr(b, "provider", e->provider)) != 0 ||
	    (r = jcstr(b, "computer", e->computer)) != 0 ||
	    (r = vk_buf_appendf(b, ",\"event_id\":%u,\"record\":%llu",
		 (unsigned)e->event_id, (unsigned long long)e->record)) != 0 ||
	    (r = jcstr(b, "time", e->time)) != 0 ||
	    (r = jcstr(b, "user_sid", e->user_sid)) != 0)
		return r;
	return vk_buf_appendf(
	    b, ",\"recovered\":%s", e->recovered ? "true" : "false");
}

int
vk_report_json_file_fields(struct vk_buf *b, const struct vk_hunt_hit *h)
{
	int r;

	if ((r = jcstr(b, "kind", vk_hunt_kind_name(h->kind))) != 0)
		return r;
	if (h->fi != NULL && (r = json_fileinfo(b, h->fi)) != 0)
		return r;
	if (h->yara != NULL && (r = json_yara(b, h->yara)) != 0)
		return r;
	if (h->evtx != NULL && (r = json_evtx(b, h->evtx)) != 0)
		return r;
	return 0;
}

static int
ccell(struct vk_buf *b, const char *s, size_t n)
{
	int r;

	if ((r = vk_buf_appendc(b, ',')) != 0)
		return r;
	return n > 0 ? vk_escape_csv(b, s, n) : 0;
}

static int
cc(struct vk_buf *b, const char *s)
{
	return ccell(b, s, s ? strlen(s) : 0);
}

int
vk_report_csv_file_fields(struct vk_buf *b, const struct vk_hunt_hit *h)
{
	const struct vk_hunt_fileinfo *fi = h->fi;
	const struct vk_yara_hit *y = h->yara;
	const struct vk_evtx_record *e = h->evtx;
	struct vk_buf t;
	char num[48];
	size_t i;
	int a, r;

	if ((r = cc(b, vk_hunt_kind_name(h->kind))) != 0)
		return r;
	num[0] = '\0';
	if (fi != NULL)
		(void)snprintf(
		    num, sizeof(num), "%llu", (unsigned long long)fi->size);
	if ((r = cc(b, num)) != 0)
		return r;
	num[0] = '\0';
	if (fi != NULL)
		vk_report_iso_time(
		    num, sizeof(num), fi->mtime_sec, fi->mtime_nsec);
	if ((r = cc(b, num)) != 0)
		return r;
	for (a = 0; a < VK_HASH_ALG_MAX; a++)
		if ((r = cc(b,
			 fi && fi->digests &&
				 (fi->digests->algs & VK_HASH_BIT(a))
			     ? fi->digests->hex[a]
			     : NULL)) != 0)
			return r;
	if ((r = cc(b, y ? y->rule : NULL)) != 0 ||
	    (r = cc(b, y ? y->ns : NULL)) != 0)
		return r;
	/* tags "a b", meta "k=v; k=v", strings "$a@10+18; …" */
	vk_buf_init(&t, 256 * 1024);
	for (i = 0; y && i < y->ntags; i++)
		(void)vk_buf_appendf(&t, "%s%s", i ? " " : "", y->tags[i]);
	r = ccell(b, t.data, t.len);
	vk_buf_reset(&t);
	for (i = 0; r == 0 && y && i < y->nmeta; i++)
		(void)vk_buf_appendf(&t, "%s%s=%s", i ? "; " : "",
		    y->meta[i].id, y->meta[i].value);
	if (r == 0)
		r = ccell(b, t.data, t.len);
	vk_buf_reset(&t);
	for (i = 0; r == 0 && y && i < y->nstrings; i++)
		(void)vk_buf_appendf(&t, "%s%s@%llu+%zu", i ? "; " : "",
		    y->strings[i].id, (unsigned long long)y->strings[i].offset,
		    y->strings[i].len);
	if (r == 0)
		r = ccell(b, t.data, t.len);
	vk_buf_release(&t);
	if (r != 0)
		return r;
	if ((r = cc(b, e ? e->channel : NULL)) != 0 ||
	    (r = cc(b, e ? e->provider : NULL)) != 0 ||
	    (r = cc(b, e ? e->computer : NULL)) != 0)
		return r;
	num[0] = '\0';
	if (e != NULL)
		(void)snprintf(num, sizeof(num), "%u", (unsigned)e->event_id);
	if ((r = cc(b, num)) != 0)
		return r;
	num[0] = '\0';
	if (e != NULL)
		(void)snprintf(
		    num, sizeof(num), "%llu", (unsigned long long)e->record);
	if ((r = cc(b, num)) != 0)
		return r;
	return cc(b, e ? e->time : NULL);
}

int
vk_report_text_label(struct vk_buf *b, const struct vk_hunt_hit *h)
{
	const struct vk_evtx_record *e = h->evtx;

	switch (h->kind) {
	case VK_HUNT_KIND_HASH:
		return vk_buf_appendf(
		    b, "file hash %s", h->hash_alg ? h->hash_alg : "");
	case VK_HUNT_KIND_FILENAME:
		return vk_buf_appends(b, "file name");
	case VK_HUNT_KIND_YARA:
		return vk_buf_appends(b, "YARA");
	case VK_HUNT_KIND_EVTX:
		if (e == NULL)
			return vk_buf_appends(b, "event log");
		return vk_buf_appendf(b, "%s, %s EventID %u, record %llu, %s",
		    h->field ? h->field : "", e->channel, (unsigned)e->event_id,
		    (unsigned long long)e->record, e->time);
	default:
		return 0;
	}
}

void
vk_report_checks_init(struct vk_report_checks *c, bool list)
{
	memset(c, 0, sizeof(*c));
	c->list = list;
}

void
vk_report_checks_release(struct vk_report_checks *c)
{
	free(c->changed);
	free(c->skips);
	memset(c, 0, sizeof(*c));
}

static void
tally(struct vk_report_checks *c, int kind, const char *why)
{
	size_t i;

	for (i = 0; i < c->nwhy; i++)
		if (c->why[i].kind == kind && strcmp(c->why[i].why, why) == 0)
			break;
	if (i == c->nwhy) {
		if (c->nwhy == sizeof(c->why) / sizeof(c->why[0]))
			return;
		c->why[i].kind = kind;
		c->why[i].why = why;
		c->why[i].n = 0;
		c->nwhy++;
	}
	c->why[i].n++;
}

void
vk_report_checks_file(struct vk_report_checks *c, size_t file,
    const struct vk_hunt_file_stats *st)
{
	void *p;
	int k;

	for (k = 0; k < VK_HUNT_KIND_MAX; k++) {
		if (st->skipped[k] == NULL)
			continue;
		tally(c, k, st->skipped[k]);
		if (!c->list || c->nskips >= SKIPS_MAX)
			continue;
		if (c->nskips == c->capskips) {
			size_t cap = c->capskips ? 2 * c->capskips : 64;

			if ((p = realloc(c->skips, cap * sizeof(*c->skips))) ==
			    NULL)
				continue;
			c->skips = p;
			c->capskips = cap;
		}
		c->skips[c->nskips].file = file;
		c->skips[c->nskips].kind = k;
		c->skips[c->nskips].why = st->skipped[k];
		c->nskips++;
	}
	if (st->changed && c->nchanged < CHANGED_SHOWN) {
		if (c->nchanged == c->capchanged) {
			size_t cap = c->capchanged ? 2 * c->capchanged : 8;

			if ((p = realloc(c->changed, cap * sizeof(size_t))) ==
			    NULL)
				return;
			c->changed = p;
			c->capchanged = cap;
		}
		c->changed[c->nchanged++] = file;
	}
}

static void
path_term(struct vk_buf *b, const char *s)
{
	(void)vk_escape_term(b, s, strlen(s));
}

void
vk_report_checks_summary(const struct vk_report_checks *c,
    const struct vk_walk *w, const struct vk_hunt_totals *t, struct vk_buf *b)
{
	size_t i;
	int k, any = 0;

	for (k = 1; k < VK_HUNT_KIND_MAX; k++)
		any |= t->covered[k] != 0 || t->skipped[k] != 0;
	if (!any && t->skipped[0] == 0)
		return;
	vk_buf_appends(b, "  checks (inputs covered / skipped):");
	for (k = 0; k < VK_HUNT_KIND_MAX; k++) {
		bool first = true;

		vk_buf_appendf(b, "%s %s %llu / %llu", k ? ";" : "",
		    vk_hunt_kind_name((enum vk_hunt_kind)k),
		    (unsigned long long)t->covered[k],
		    (unsigned long long)t->skipped[k]);
		for (i = 0; i < c->nwhy; i++) {
			if (c->why[i].kind != k)
				continue;
			vk_buf_appendf(b, "%s%llu %s", first ? " (" : ", ",
			    (unsigned long long)c->why[i].n, c->why[i].why);
			first = false;
		}
		if (!first)
			vk_buf_appendc(b, ')');
	}
	vk_buf_appendc(b, '\n');
	if (t->covered[VK_HUNT_KIND_EVTX] > 0 || t->evtx_damaged > 0)
		vk_buf_appendf(b,
		    "  event logs: %llu records read, %llu damaged records "
		    "or chunks skipped\n",
		    (unsigned long long)t->evtx_records,
		    (unsigned long long)t->evtx_damaged);
	if (t->changed > 0) {
		vk_buf_appendf(b,
		    "  changed or vanished while swept: %llu (their results "
		    "may be incomplete)\n",
		    (unsigned long long)t->changed);
		for (i = 0; i < c->nchanged; i++) {
			vk_buf_appends(b, "    ");
			path_term(b, w->v[c->changed[i]].path);
			vk_buf_appendc(b, '\n');
		}
		if (t->changed > c->nchanged)
			vk_buf_appendf(b, "    … and %llu more\n",
			    (unsigned long long)(t->changed - c->nchanged));
	}
}

void
vk_report_checks_list(
    const struct vk_report_checks *c, const struct vk_walk *w, FILE *fp)
{
	struct vk_buf b;
	size_t i;

	if (!c->list)
		return;
	vk_buf_init(&b, 1024 * 1024);
	for (i = 0; i < c->nskips; i++) {
		vk_buf_reset(&b);
		vk_buf_appends(&b, "  skipped: ");
		path_term(&b, w->v[c->skips[i].file].path);
		vk_buf_appendf(&b, ": %s: %s\n",
		    vk_hunt_kind_name((enum vk_hunt_kind)c->skips[i].kind),
		    c->skips[i].why);
		fputs(vk_buf_str(&b), fp);
	}
	/* What the walk itself skipped (links, special files, excluded). */
	for (i = 0; i < w->n; i++) {
		if (w->v[i].kind != VK_WALK_SKIPPED)
			continue;
		vk_buf_reset(&b);
		vk_buf_appends(&b, "  skipped: ");
		path_term(&b, w->v[i].path);
		vk_buf_appendf(&b, ": walk: %s\n", w->v[i].why);
		fputs(vk_buf_str(&b), fp);
	}
	vk_buf_release(&b);
}
