/*
 * incident_stats.c — the incident numbers (open by severity, reports per
 * month, median time to triage and to close, clocks due and overdue) for
 * the incidents page and GET /api/v1/incidents/stats, and the export of
 * every incident as CSV (GET /incidents/export.csv).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident/tz.h"
#include "util/err.h"
#include "web/handlers/handlers.h"
#include "web/handlers/incident_web.h"
#include "web/i18n.h"

/* Every incident, page by page, into one list (caller frees). */
static int
load_all(struct vk_req *req, struct vk_incident_list **out)
{
	struct vk_incident_list *all = NULL, *l = NULL;
	struct vk_page pg = { VK_PAGE_MAX, 0 };
	uint64_t t0 = vk_web_now_ns();
	int r;

	*out = NULL;
	if ((all = calloc(1, sizeof(*all))) == NULL)
		return VK_ENOMEM;
	for (;;) {
		struct vk_incident *v;

		if ((r = vk_store_incident_list(
			 req->web->store, NULL, &pg, &l)) != 0)
			goto out;
		all->total = l->total;
		if (l->n == 0)
			break;
		v = realloc(all->v, (all->n + l->n) * sizeof(*v));
		if (v == NULL) {
			r = VK_ENOMEM;
			goto out;
		}
		all->v = v;
		/* Move the rows: their strings now belong to `all`. */
		memcpy(all->v + all->n, l->v, l->n * sizeof(*v));
		all->n += l->n;
		l->n = 0;
		vk_incident_list_free(l);
		l = NULL;
		pg.offset += VK_PAGE_MAX;
		if (all->n >= (size_t)all->total)
			break;
	}
	*out = all;
	all = NULL;
out:
	vk_incident_list_free(l);
	vk_incident_list_free(all);
	vk_req_store_time(req, t0);
	return r;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median of n values (sorted here), in seconds; -1 when n is 0. */
static int64_t
median_s(int64_t *v, size_t n)
{
	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), cmp_i64);
	if (n % 2)
		return v[n / 2] / 1000000;
	return (v[n / 2 - 1] + v[n / 2]) / 2 / 1000000;
}

struct stats {
	int64_t open_by_sev[VK_SEV_MAX];
	int64_t open, total;
	int64_t triage_s, close_s; /* -1: none yet */
	int64_t soon, overdue;
	char month[12][8]; /* "2026-11", oldest first */
	int64_t per_month[12];
};

static int
compute(const struct vk_incident_list *l, int64_t now, struct stats *s)
{
	int64_t *tt = NULL, *tc = NULL;
	size_t nt = 0, nc = 0;
	struct vk_civil c;
	int y, m;

	memset(s, 0, sizeof(*s));
	if (vk_tz_to_local(now / 1000000, &c) != 0)
		return VK_EINVAL;
	/* The last 12 months, this one included. */
	y = c.year;
	m = c.month;
	for (int i = 11; i >= 0; i--) {
		snprintf(s->month[i], sizeof(s->month[i]), "%04d-%02d", y, m);
		if (--m == 0) {
			m = 12;
			y--;
		}
	}
	if (l->n > 0 &&
	    ((tt = calloc(l->n, sizeof(*tt))) == NULL ||
		(tc = calloc(l->n, sizeof(*tc))) == NULL)) {
		free(tt);
		return VK_ENOMEM;
	}
	s->total = (int64_t)l->n;
	for (size_t i = 0; i < l->n; i++) {
		const struct vk_incident *inc = &l->v[i];
		char ym[8];

		if (vk_tz_to_local(inc->created / 1000000, &c) == 0) {
			snprintf(ym, sizeof(ym), "%04d-%02d", c.year, c.month);
			for (int k = 0; k < 12; k++)
				if (strcmp(ym, s->month[k]) == 0)
					s->per_month[k]++;
		}
		if (inc->triaged_at > 0)
			tt[nt++] = inc->triaged_at - inc->created;
		if (inc->state == VK_INC_CLOSED && inc->closed_at > 0)
			tc[nc++] = inc->closed_at - inc->created;
		if (vk_inc_state_open(inc->state)) {
			struct vk_inc_clock ck[VK_STAGE_MAX];

			s->open++;
			if ((unsigned)inc->severity < VK_SEV_MAX)
				s->open_by_sev[inc->severity]++;
			vk_inc_web_clocks(inc, now, ck);
			for (int k = 0; k < VK_STAGE_MAX; k++) {
				s->soon += ck[k].status == VK_CLOCK_SOON;
				s->overdue += ck[k].status == VK_CLOCK_OVERDUE;
			}
		}
	}
	s->triage_s = median_s(tt, nt);
	s->close_s = median_s(tc, nc);
	free(tt);
	free(tc);
	return 0;
}

static json_t *
stats_json(const struct stats *s)
{
	json_t *sev = json_object(), *months = json_array();

	for (int i = 0; i < VK_SEV_MAX; i++)
		json_object_set_new(sev, vk_inc_severity_name(i),
		    json_integer((json_int_t)s->open_by_sev[i]));
	for (int i = 0; i < 12; i++)
		json_array_append_new(months,
		    json_pack("{ss sI}", "month", s->month[i], "count",
			(json_int_t)s->per_month[i]));
	return json_pack("{sI sI so so so so sI sI}", "total",
	    (json_int_t)s->total, "open", (json_int_t)s->open,
	    "open_by_severity", sev, "reports_per_month", months,
	    "median_seconds_to_triage",
	    s->triage_s >= 0 ? json_integer((json_int_t)s->triage_s)
			     : json_null(),
	    "median_seconds_to_close",
	    s->close_s >= 0 ? json_integer((json_int_t)s->close_s)
			    : json_null(),
	    "clocks_due_soon", (json_int_t)s->soon, "clocks_overdue",
	    (json_int_t)s->overdue);
}

int
vk_api_incidents_stats(struct vk_req *req)
{
	struct vk_incident_list *l = NULL;
	struct stats s;
	int r;

	if ((r = load_all(req, &l)) != 0)
		return r;
	r = compute(l, vk_store_now(), &s);
	vk_incident_list_free(l);
	if (r != 0)
		return r;
	return vk_resp_json(req, 200, stats_json(&s));
}

int
vk_inc_web_numbers(struct vk_req *req, struct vk_html *h)
{
	static const char *const sev[VK_SEV_MAX] = { N_("Not set"), N_("Low"),
		N_("Medium"), N_("High"), N_("Critical") };
	struct vk_incident_list *l = NULL;
	struct stats s;
	char buf[64];
	int r;

	if ((r = load_all(req, &l)) != 0)
		return r;
	r = compute(l, vk_store_now(), &s);
	vk_incident_list_free(l);
	if (r != 0)
		return r;
	vk_html_open(h, "section", "id", "numbers", NULL);
	vk_html_elem(h, "h2", T(req, "Numbers"));
	vk_html_open(h, "dl", "class", "facts", NULL);
	for (int i = VK_SEV_MAX - 1; i >= 0; i--) {
		vk_html_open(h, "dt", NULL);
		vk_html_textf(h, "%s: %s", T(req, "Open"), T(req, sev[i]));
		vk_html_close(h);
		vk_html_open(h, "dd", NULL);
		vk_html_textf(h, "%lld", (long long)s.open_by_sev[i]);
		vk_html_close(h);
	}
	vk_html_elem(h, "dt", T(req, "Clocks due within 6 hours"));
	vk_html_open(h, "dd", "id", "n-soon", NULL);
	vk_html_textf(h, "%lld", (long long)s.soon);
	vk_html_close(h);
	vk_html_elem(h, "dt", T(req, "Clocks overdue"));
	vk_html_open(h, "dd", "id", "n-overdue", "class",
	    s.overdue ? "clock-overdue" : "", NULL);
	vk_html_textf(h, "%lld", (long long)s.overdue);
	vk_html_close(h);
	vk_html_elem(h, "dt", T(req, "Median time to triage"));
	if (s.triage_s >= 0)
		vk_inc_web_duration(
		    req, s.triage_s * 1000000, buf, sizeof(buf));
	vk_html_elem(h, "dd", s.triage_s >= 0 ? buf : "–");
	vk_html_elem(h, "dt", T(req, "Median time to close"));
	if (s.close_s >= 0)
		vk_inc_web_duration(req, s.close_s * 1000000, buf, sizeof(buf));
	vk_html_elem(h, "dd", s.close_s >= 0 ? buf : "–");
	vk_html_close(h);
	vk_html_open(h, "div", "class", "table-wrap", NULL);
	vk_html_open(h, "table", NULL);
	vk_html_elem(h, "caption", T(req, "Reports per month"));
	vk_html_open(h, "tr", NULL);
	for (int i = 0; i < 12; i++)
		vk_html_elem(h, "th", s.month[i]);
	vk_html_close(h);
	vk_html_open(h, "tr", NULL);
	for (int i = 0; i < 12; i++) {
		vk_html_open(h, "td", NULL);
		vk_html_textf(h, "%lld", (long long)s.per_month[i]);
		vk_html_close(h);
	}
	vk_html_close(h);
	vk_html_close(h);
	vk_html_close(h);
	vk_html_open(h, "p", NULL);
	vk_html_open(h, "a", "href", "/incidents/export.csv", NULL);
	vk_html_text(h, T(req, "All incidents as CSV"));
	vk_html_close(h);
	vk_html_close(h);
	return vk_html_close(h);
}

/* One CSV cell: quoted, quotes doubled; a leading = + - @ (a formula in
 * a spreadsheet) is defused with an apostrophe. */
static int
cell(struct vk_buf *b, const char *s, bool last)
{
	int r = vk_buf_appendc(b, '"');

	if (r == 0 &&
	    (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' ||
		*s == '\r'))
		r = vk_buf_appendc(b, '\'');
	for (; r == 0 && *s; s++)
		r = *s == '"' ? vk_buf_appends(b, "\"\"")
			      : vk_buf_appendc(b, *s);
	if (r == 0)
		r = vk_buf_appends(b, last ? "\"\r\n" : "\",");
	return r;
}

static int
time_cell(struct vk_buf *b, int64_t us)
{
	char t[32] = "";

	if (us > 0)
		(void)vk_tz_format_utc_us(us, t, sizeof(t));
	return cell(b, t, false);
}

int
vk_h_incidents_export(struct vk_req *req)
{
	static const char *const head[] = { "reference", "type", "state",
		"severity", "category", "significant", "gdpr", "title",
		"system", "affected_systems", "noticed_at", "aware_at",
		"created", "triaged_at", "closed_at", "early_warning_sent",
		"notification_sent", "final_sent", "gdpr_sent" };
	struct vk_incident_list *l = NULL;
	struct vk_buf b;
	int r;

	if ((r = load_all(req, &l)) != 0)
		return r;
	vk_buf_init(&b, 64u * 1024 * 1024);
	for (size_t i = 0; r == 0 && i < sizeof(head) / sizeof(*head); i++)
		r = cell(&b, head[i], i + 1 == sizeof(head) / sizeof(*head));
	for (size_t i = 0; r == 0 && i < l->n; i++) {
		const struct vk_incident *inc = &l->v[i];

		r = cell(&b, inc->reference, false);
		if (r == 0)
			r = cell(&b, vk_inc_type_name(inc->type), false);
		if (r == 0)
			r = cell(&b, vk_inc_state_name(inc->state), false);
		if (r == 0)
			r = cell(
			    &b, vk_inc_severity_name(inc->severity), false);
		if (r == 0)
			r = cell(
			    &b, vk_inc_category_name(inc->category), false);
		if (r == 0)
			r = cell(&b, inc->significant ? "yes" : "no", false);
		if (r == 0)
			r = cell(&b, inc->gdpr ? "yes" : "no", false);
		if (r == 0)
			r = cell(&b, inc->title, false);
		if (r == 0)
			r = cell(&b, inc->system, false);
		if (r == 0)
			r = cell(&b, inc->affected_systems, false);
		if (r == 0)
			r = time_cell(&b, inc->noticed_at);
		if (r == 0)
			r = time_cell(&b, inc->aware_at);
		if (r == 0)
			r = time_cell(&b, inc->created);
		if (r == 0)
			r = time_cell(&b, inc->triaged_at);
		if (r == 0)
			r = time_cell(&b, inc->closed_at);
		for (int s = 0; r == 0 && s < VK_STAGE_MAX; s++) {
			char t[32] = "";

			if (inc->sent_at[s] > 0)
				(void)vk_tz_format_utc_us(
				    inc->sent_at[s], t, sizeof(t));
			r = cell(&b, t, s == VK_STAGE_MAX - 1);
		}
	}
	vk_incident_list_free(l);
	if (r == 0)
		r = vk_resp_header(req, "Content-Disposition",
		    "attachment; filename=\"incidents.csv\"");
	if (r == 0)
		r = vk_resp_text(
		    req, 200, "text/csv; charset=utf-8", vk_buf_str(&b));
	vk_buf_release(&b);
	return r;
}
