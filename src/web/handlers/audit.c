/*
 * audit.c — the audit log page (auditor, admin): filter and page through.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/err.h"
#include "web/handlers/handlers.h"
#include "web/i18n.h"

/* "YYYY-MM-DD" → µs at 00:00 UTC; 0 for empty; VK_EINVAL otherwise. */
static int
parse_day(const char *s, int64_t *out)
{
	struct tm tm;
	char *end;

	*out = 0;
	if (s == NULL || *s == '\0')
		return 0;
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end != '\0')
		return VK_EINVAL;
	*out = (int64_t)timegm(&tm) * 1000000;
	return 0;
}

static void
filter_field(struct vk_html *h, const char *name, const char *label,
    const char *type, const char *value)
{
	vk_page_field(h, name, label, type, value, "off", 0);
}

int
vk_h_audit_page(struct vk_req *req)
{
	const char *actor = vk_req_query(req, "actor");
	const char *action = vk_req_query(req, "action");
	const char *since = vk_req_query(req, "since");
	const char *until = vk_req_query(req, "until");
	struct vk_audit_filter f = { 0 };
	struct vk_audit_list *l = NULL;
	struct vk_page pg;
	struct vk_html h;
	const char *bad = NULL;
	uint64_t t0;
	size_t i;
	int r;

	if (vk_req_page(req, &pg) != 0)
		return 0;
	if (pg.limit > 200)
		pg.limit = 200;
	f.actor = actor && *actor ? actor : NULL;
	f.action = action && *action ? action : NULL;
	if (parse_day(since, &f.since) != 0 || parse_day(until, &f.until) != 0)
		bad = T(req, "Dates are written YYYY-MM-DD.");
	else if (f.until)
		f.until += 86400 * INT64_C(1000000); /* the whole day */
	if (bad == NULL) {
		t0 = vk_web_now_ns();
		r = vk_store_audit_list(req->web->store, &f, &pg, &l);
		vk_req_store_time(req, t0);
		if (r != 0)
			return r;
	}
	vk_page_begin(req, &h, T(req, "Audit log"));
	vk_html_open(&h, "form", "method", "get", "action", "/audit", "class",
	    "filters", NULL);
	filter_field(
	    &h, "actor", T(req, "Actor (e.g. user:admin)"), "text", actor);
	filter_field(&h, "action", T(req, "Action (e.g. session.login)"),
	    "text", action);
	filter_field(&h, "since", T(req, "From date"), "date", since);
	filter_field(&h, "until", T(req, "To date"), "date", until);
	vk_html_open(&h, "button", "type", "submit", NULL);
	vk_html_text(&h, T(req, "Filter"));
	vk_html_close(&h);
	vk_html_close(&h);
	if (bad) {
		vk_page_notice(&h, "error", bad);
		return vk_page_end(req, &h, 400);
	}
	vk_html_open(&h, "div", "class", "table-wrap", NULL);
	vk_html_open(&h, "table", NULL);
	vk_html_open(&h, "caption", NULL);
	vk_html_textf(&h, "%s: %lld", T(req, "Entries"), (long long)l->total);
	vk_html_close(&h);
	vk_html_open(&h, "thead", NULL);
	vk_html_open(&h, "tr", NULL);
	{
		static const char *const cols[] = { "#", N_("Time"),
			N_("Actor"), N_("Source"), N_("Action"), N_("Object"),
			N_("Details") };

		for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
			vk_html_open(&h, "th", "scope", "col", NULL);
			vk_html_text(&h, T(req, cols[i]));
			vk_html_close(&h);
		}
	}
	vk_html_close(&h);
	vk_html_close(&h);
	vk_html_open(&h, "tbody", NULL);
	for (i = 0; i < l->n; i++) {
		const struct vk_audit_entry *e = &l->v[i];
		char when[40];

		vk_page_time(e->time, when, sizeof(when));
		vk_html_open(&h, "tr", NULL);
		vk_html_open(&h, "td", NULL);
		vk_html_textf(&h, "%lld", (long long)e->seq);
		vk_html_close(&h);
		vk_html_elem(&h, "td", when);
		vk_html_elem(&h, "td", e->actor);
		vk_html_elem(&h, "td", e->source);
		vk_html_elem(&h, "td", e->action);
		vk_html_open(&h, "td", NULL);
		vk_html_textf(&h, "%s%s%s", e->object_type,
		    e->object_id[0] ? " " : "", e->object_id);
		vk_html_close(&h);
		vk_html_open(&h, "td", NULL);
		if (e->before[0] || e->after[0]) {
			vk_html_open(&h, "details", NULL);
			vk_html_elem(&h, "summary", T(req, "Details"));
			vk_html_open(&h, "dl", "class", "change", NULL);
			vk_html_elem(&h, "dt", T(req, "Before"));
			vk_html_elem(&h, "dd", e->before[0] ? e->before : "–");
			vk_html_elem(&h, "dt", T(req, "After"));
			vk_html_elem(&h, "dd", e->after[0] ? e->after : "–");
			vk_html_close(&h);
			vk_html_close(&h);
		}
		vk_html_close(&h);
		vk_html_close(&h);
	}
	vk_html_close(&h);
	vk_html_close(&h);
	vk_html_close(&h);
	/* Pagination links keep the filters. */
	vk_html_open(
	    &h, "nav", "class", "pager", "aria-label", T(req, "Pages"), NULL);
	for (i = 0; i < 2; i++) {
		struct vk_buf q;
		size_t off;

		if (i == 0 && pg.offset == 0)
			continue;
		if (i == 1 && pg.offset + l->n >= (size_t)l->total)
			continue;
		off = i == 0 ? (pg.offset > pg.limit ? pg.offset - pg.limit : 0)
			     : pg.offset + pg.limit;
		vk_buf_init(&q, 4096);
		vk_buf_appendf(
		    &q, "/audit?limit=%zu&offset=%zu", pg.limit, off);
		{
			const char *names[] = { "actor", "action", "since",
				"until" };
			const char *vals[] = { actor, action, since, until };
			size_t k;

			for (k = 0; k < 4; k++) {
				const unsigned char *p;

				if (vals[k] == NULL || *vals[k] == '\0')
					continue;
				vk_buf_appendf(&q, "&%s=", names[k]);
				for (p = (const unsigned char *)vals[k]; *p;
				     p++) {
					if ((*p >= 'a' && *p <= 'z') ||
					    (*p >= 'A' && *p <= 'Z') ||
					    (*p >= '0' && *p <= '9') ||
					    *p == '-' || *p == '.' || *p == '_')
						vk_buf_appendc(&q, (char)*p);
					else
						vk_buf_appendf(
						    &q, "%%%02X", *p);
				}
			}
		}
		vk_html_open(&h, "a", "href", vk_buf_str(&q), "rel",
		    i == 0 ? "prev" : "next", NULL);
		vk_html_text(&h, i == 0 ? T(req, "Newer") : T(req, "Older"));
		vk_html_close(&h);
		vk_html_text(&h, " ");
		vk_buf_release(&q);
	}
	vk_html_close(&h);
	vk_audit_list_free(l);
	return vk_page_end(req, &h, 200);
}
