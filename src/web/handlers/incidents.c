/*
 * incidents.c — the incident pages: the report form every employee can
 * use, the receipt, "my reports", and for handlers the inbox, the
 * incident page with its clocks, actions, timeline, tasks and drafts,
 * attachment downloads and the printable drafts.
 *
 * Who sees what is decided by the route table (routes.c) plus one rule
 * here: a caller who is not staff sees only incidents they reported
 * (vk_inc_web_load() answers 404 otherwise).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident/tz.h"
#include "util/err.h"
#include "web/handlers/handlers.h"
#include "web/handlers/incident_web.h"
#include "web/i18n.h"

/* The fixed messages of incident/incident.c's validation, so that
 * xgettext (scripts/update-po.sh) puts them in the catalogue and
 * field_error() can show them translated. */
static const char *const domain_msgs[] __attribute__((unused)) = {
	N_("required: please fill this in"),
	N_("choose whether this is an incident or a weakness"),
	N_("required: when did you notice it (date and time)?"),
	N_("not a date and time; write it as 2026-03-29T14:30"),
	N_("lies in the future; give the time you noticed it"),
	N_("answer yes, no or unknown"),
	N_("not an e-mail address; write it as name@example.se or leave it "
	   "empty"),
	N_("contains characters that are not allowed (control characters, "
	   "invalid UTF-8 or a line break); please retype it"),
	N_("contains characters that are not allowed (control characters or "
	   "invalid UTF-8); please retype it"),
	N_("unknown user"),
	N_("unknown task"),
	N_("unknown state"),
	N_("unknown report"),
	N_("unknown action"),
};

/* The messages with a file name or a number in them, as templates: the
 * translation has the same conversions in the same order (%s text,
 * %zu/%u/%d a number). */
static const char *const domain_templates[] = {
	N_("too long: %zu bytes, at most %zu; please shorten it"),
	N_("the file name is empty, longer than %d bytes or holds characters "
	   "that are not allowed; rename the file"),
	N_("%s: the file is empty"),
	N_("%s: too large (%zu bytes); at most %u MiB per file"),
	N_("%s: this type of file is not accepted; attach PNG, JPEG, PDF, "
	   "text (.txt) or e-mail (.eml) files"),
	N_("%s: the content is not a %s file although the name says so; "
	   "attach the original file"),
	N_("give the reason the reporter will see (at most %d bytes)"),
	N_("%s -> %s is not allowed"),
};

/* Matches msg against template t; the pieces for the conversions go to
 * arg (offset, length into msg).  Literal text must match in order; a %s
 * takes the shortest run up to the next literal. */
static bool
template_match(const char *t, const char *msg, size_t arg[][2], size_t *narg)
{
	const char *m = msg;

	*narg = 0;
	while (*t) {
		size_t lit;
		const char *next;

		if (*t == '%') {
			bool num = t[1] != 's';

			t += t[1] == 'z' ? 3 : 2;
			if (*narg == 4)
				return false;
			lit = strcspn(t, "%");
			if (num) {
				next = m;
				while (*next >= '0' && *next <= '9')
					next++;
				if (next == m)
					return false;
			} else if (lit == 0) {
				next = m + strlen(m);
			} else {
				char pat[160];

				if (lit >= sizeof(pat))
					return false;
				memcpy(pat, t, lit);
				pat[lit] = '\0';
				if ((next = strstr(m, pat)) == NULL ||
				    next == m)
					return false;
			}
			arg[*narg][0] = (size_t)(m - msg);
			arg[*narg][1] = (size_t)(next - m);
			(*narg)++;
			m = next;
			continue;
		}
		lit = strcspn(t, "%");
		if (strncmp(t, m, lit) != 0)
			return false;
		t += lit;
		m += lit;
	}
	return *m == '\0';
}

/* msg in the request's language: a fixed message through the catalogue,
 * one with a file name or number through its template; else as is. */
static const char *
diag_tr(struct vk_req *req, const char *msg, char *buf, size_t n)
{
	size_t arg[4][2], narg, i, k;
	const char *tr, *t;
	struct vk_buf b;

	if (msg == NULL)
		return "";
	tr = T(req, msg);
	if (tr != msg)
		return tr;
	for (i = 0; i < sizeof(domain_templates) / sizeof(*domain_templates);
	     i++) {
		if (!template_match(domain_templates[i], msg, arg, &narg))
			continue;
		t = T(req, domain_templates[i]);
		if (t == domain_templates[i])
			return msg;
		vk_buf_init(&b, n);
		for (k = 0; *t;) {
			if (*t == '%' && k < narg) {
				vk_buf_append(&b, msg + arg[k][0], arg[k][1]);
				k++;
				t += t[1] == 'z' ? 3 : 2;
				continue;
			}
			vk_buf_appendc(&b, *t++);
		}
		if (b.len < n && vk_buf_str(&b) != NULL) {
			memcpy(buf, vk_buf_str(&b), b.len + 1);
			vk_buf_release(&b);
			return buf;
		}
		vk_buf_release(&b);
		return msg;
	}
	return msg;
}

/* ------------------------------------------------------------------ */
/* Small pieces.                                                       */

static const char *
state_label(struct vk_req *req, enum vk_inc_state s)
{
	static const char *const labels[VK_INC_STATE_MAX] = { N_("New"),
		N_("Triaged"), N_("Investigating"), N_("Contained"),
		N_("Recovered"), N_("Closed"), N_("Rejected"),
		N_("Duplicate") };

	return (unsigned)s < VK_INC_STATE_MAX ? T(req, labels[s]) : "?";
}

static const char *
stage_label(struct vk_req *req, enum vk_inc_stage s)
{
	static const char *const labels[VK_STAGE_MAX] = { N_("Early warning"),
		N_("Incident notification"), N_("Final report"),
		N_("Personal data breach (IMY)") };

	return (unsigned)s < VK_STAGE_MAX ? T(req, labels[s]) : "?";
}

static const char *
category_label(struct vk_req *req, enum vk_inc_category c)
{
	static const char *const labels[VK_CAT_MAX] = { N_("Not set"),
		N_("Phishing"), N_("Malware or ransomware"),
		N_("Unauthorised access"), N_("Data leak"),
		N_("Lost or stolen device"), N_("Denial of service"),
		N_("Fraud"), N_("Misconfiguration"), N_("Physical"),
		N_("Other") };

	return (unsigned)c < VK_CAT_MAX ? T(req, labels[c]) : "?";
}

static const char *
severity_label(struct vk_req *req, enum vk_inc_severity s)
{
	static const char *const labels[VK_SEV_MAX] = { N_("Not set"),
		N_("Low"), N_("Medium"), N_("High"), N_("Critical") };

	return (unsigned)s < VK_SEV_MAX ? T(req, labels[s]) : "?";
}

static const char *
tri_label(struct vk_req *req, enum vk_tristate t)
{
	return t == VK_TRI_YES ? T(req, "Yes")
	    : t == VK_TRI_NO   ? T(req, "No")
			       : T(req, "Don't know");
}

static void
local_time(int64_t us, char *buf, size_t n)
{
	if (us <= 0 || vk_tz_format_us(us, true, buf, n) != 0)
		snprintf(buf, n, "–");
}

/* The message for field `name` in d, if any, under the field. */
static void
field_error(struct vk_req *req, struct vk_html *h, const struct vk_diag *d,
    const char *name)
{
	char id[80], msg[1024];

	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].where == NULL || strcmp(d->v[i].where, name) != 0)
			continue;
		snprintf(id, sizeof(id), "e-%s", name);
		vk_html_open(h, "p", "class", "field-error", "id", id, NULL);
		vk_html_text(h, diag_tr(req, d->v[i].msg, msg, sizeof(msg)));
		vk_html_close(h);
		return;
	}
}

static void
select_open(
    struct vk_html *h, const char *id, const char *name, const char *label)
{
	vk_html_open(h, "label", "for", id, NULL);
	vk_html_text(h, label);
	vk_html_close(h);
	vk_html_open(h, "select", "id", id, "name", name, NULL);
}

static void
option(struct vk_html *h, const char *value, const char *label, bool selected)
{
	if (selected)
		vk_html_open(
		    h, "option", "value", value, "selected", NULL, NULL);
	else
		vk_html_open(h, "option", "value", value, NULL);
	vk_html_text(h, label);
	vk_html_close(h);
}

static void
tri_select(struct vk_req *req, struct vk_html *h, const char *name,
    const char *label, const char *current)
{
	char id[80];

	snprintf(id, sizeof(id), "f-%s", name);
	vk_html_open(h, "div", "class", "field", NULL);
	select_open(h, id, name, label);
	for (int t = 0; t < VK_TRI_MAX; t++)
		option(h, vk_tristate_name(t), tri_label(req, t),
		    current && strcmp(current, vk_tristate_name(t)) == 0);
	vk_html_close(h);
	vk_html_close(h);
}

static void
textarea(struct vk_html *h, const char *name, const char *label,
    const char *value, int rows, bool required)
{
	char id[80], r[8];

	snprintf(id, sizeof(id), "f-%s", name);
	snprintf(r, sizeof(r), "%d", rows);
	vk_html_open(h, "label", "for", id, NULL);
	vk_html_text(h, label);
	vk_html_close(h);
	if (required)
		vk_html_open(h, "textarea", "id", id, "name", name, "rows", r,
		    "required", NULL, NULL);
	else
		vk_html_open(
		    h, "textarea", "id", id, "name", name, "rows", r, NULL);
	vk_html_text(h, value ? value : "");
	vk_html_close(h);
}

/* ------------------------------------------------------------------ */
/* The report form.                                                    */

/* The user name of id in users, or "–". */
static const char *
user_name(const struct vk_user_list *users, int64_t id)
{
	for (size_t i = 0; users != NULL && i < users->n; i++)
		if (users->v[i].id == id)
			return users->v[i].username;
	return "–";
}

/* A select of the active handlers and admins ("" = nobody). */
static void
handler_select(struct vk_req *req, struct vk_html *h, const char *id,
    const char *name, const char *label, const struct vk_user_list *users,
    int64_t current)
{
	vk_html_open(h, "div", "class", "field", NULL);
	select_open(h, id, name, label);
	option(h, "", T(req, "Nobody"), current == 0);
	for (size_t i = 0; users != NULL && i < users->n; i++) {
		const struct vk_user *u = &users->v[i];
		char v[24];

		if (u->disabled ||
		    (u->role != VK_ROLE_HANDLER && u->role != VK_ROLE_ADMIN))
			continue;
		snprintf(v, sizeof(v), "%lld", (long long)u->id);
		option(h, v, u->username, u->id == current);
	}
	vk_html_close(h);
	vk_html_close(h);
}

/* Anonymous reports (setting incident.anonymous = "on") per client
 * address and hour. */
#define ANON_PER_HOUR 5

static bool
anon_on(struct vk_req *req)
{
	char *v = NULL;
	bool on;

	on = vk_store_setting_get(req->web->store, "incident.anonymous", &v) ==
		0 &&
	    strcmp(v, "on") == 0;
	free(v);
	return on;
}

static int
report_form(struct vk_req *req, unsigned status, const struct vk_diag *d,
    const char *files_msg)
{
	bool anon = req->role == VK_WROLE_ANON;
	const struct vk_form *f = &req->form;
	const char *type = vk_form_get(f, "type");
	struct vk_html h;

	vk_page_begin(req, &h, T(req, "Report an incident or a weakness"));
	vk_html_open(&h, "p", "class", "lead", NULL);
	vk_html_text(&h,
	    T(req,
		"Tell the security team what happened or what could "
		"happen. It takes two minutes; you get a reference and can "
		"follow your report here."));
	vk_html_close(&h);
	if (d != NULL && d->nerr > 0)
		vk_page_notice(&h, "error",
		    T(req,
			"Please correct the fields marked below. Nothing "
			"you typed was lost."));
	if (files_msg != NULL)
		vk_page_notice(&h, "error", files_msg);
	if (anon)
		vk_html_elem(&h, "p",
		    T(req,
			"You are not logged in: the report is anonymous "
			"unless you give contact details below. Keep the "
			"reference you get; you cannot follow the report "
			"here."));
	vk_html_open(&h, "form", "method", "post", "action",
	    anon ? "/report" : "/incidents", "enctype", "multipart/form-data",
	    "class", "card", NULL);
	if (!anon)
		vk_page_csrf(req, &h);
	vk_html_open(&h, "fieldset", NULL);
	vk_html_elem(&h, "legend", T(req, "What are you reporting?"));
	vk_html_open(&h, "div", "class", "field", NULL);
	select_open(&h, "f-type", "type", T(req, "Type"));
	option(&h, "incident", T(req, "An incident: something has happened"),
	    type == NULL || strcmp(type, "weakness") != 0);
	option(&h, "weakness",
	    T(req,
		"A weakness: something could happen (an open door, a "
		"shared password, a system without updates)"),
	    type != NULL && strcmp(type, "weakness") == 0);
	vk_html_close(&h);
	field_error(req, &h, d, "type");
	vk_html_close(&h);
	vk_page_field(&h, "title", T(req, "Short summary"), "text",
	    vk_form_get(f, "title"), "off", 1);
	field_error(req, &h, d, "title");
	vk_html_open(&h, "div", "class", "field", NULL);
	textarea(&h, "what", T(req, "What happened?"), vk_form_get(f, "what"),
	    6, true);
	field_error(req, &h, d, "what");
	vk_html_close(&h);
	vk_page_field(&h, "noticed_at",
	    T(req, "When did you notice it? (Swedish time)"), "datetime-local",
	    vk_form_get(f, "noticed_at"), "off", 1);
	field_error(req, &h, d, "noticed_at");
	vk_page_field(&h, "system", T(req, "Which system or unit?"), "text",
	    vk_form_get(f, "system"), "off", 0);
	field_error(req, &h, d, "system");
	tri_select(req, &h, "personal_data",
	    T(req, "Are personal data involved?"),
	    vk_form_get(f, "personal_data"));
	field_error(req, &h, d, "personal_data");
	tri_select(req, &h, "ongoing", T(req, "Is it still going on?"),
	    vk_form_get(f, "ongoing"));
	field_error(req, &h, d, "ongoing");
	vk_html_open(&h, "div", "class", "field", NULL);
	vk_html_open(&h, "label", "for", "f-attachment", NULL);
	vk_html_text(&h,
	    T(req,
		"Attachments: screenshots (PNG, JPEG), PDF, text or "
		"e-mail (.eml) files, at most 5 files of 10 MiB"));
	vk_html_close(&h);
	vk_html_void(&h, "input", "id", "f-attachment", "name", "attachment",
	    "type", "file", "multiple", NULL, "accept",
	    ".png,.jpg,.jpeg,.pdf,.txt,.log,.eml", NULL);
	field_error(req, &h, d, "attachment");
	vk_html_close(&h);
	vk_html_close(&h);
	vk_html_open(&h, "fieldset", NULL);
	vk_html_elem(&h, "legend", T(req, "How can we reach you? (optional)"));
	vk_page_field(&h, "contact_name", T(req, "Name"), "text",
	    vk_form_get(f, "contact_name"), "name", 0);
	field_error(req, &h, d, "contact_name");
	vk_page_field(&h, "contact_email", T(req, "E-mail"), "email",
	    vk_form_get(f, "contact_email"), "email", 0);
	field_error(req, &h, d, "contact_email");
	vk_page_field(&h, "contact_phone", T(req, "Phone"), "tel",
	    vk_form_get(f, "contact_phone"), "tel", 0);
	field_error(req, &h, d, "contact_phone");
	vk_html_close(&h);
	vk_html_open(&h, "button", "type", "submit", NULL);
	vk_html_text(&h, T(req, "Send the report"));
	vk_html_close(&h);
	vk_html_close(&h);
	return vk_page_end(req, &h, status);
}

int
vk_h_incident_new(struct vk_req *req)
{
	return report_form(req, 200, NULL, NULL);
}

int
vk_h_incident_create(struct vk_req *req)
{
	const struct vk_form *f = &req->form;
	struct vk_inc_report_form rf = { vk_form_get(f, "type"),
		vk_form_get(f, "title"), vk_form_get(f, "what"),
		vk_form_get(f, "noticed_at"), vk_form_get(f, "system"),
		vk_form_get(f, "personal_data"), vk_form_get(f, "ongoing"),
		vk_form_get(f, "contact_name"), vk_form_get(f, "contact_email"),
		vk_form_get(f, "contact_phone") };
	struct vk_inc_attachment_in att[VK_INC_ATTACH_COUNT];
	struct vk_inc_report_fields v;
	char ref[VK_INC_REF_MAX], path[64];
	struct vk_html h;
	struct vk_diag d;
	size_t natt = 0;
	int64_t id = 0;
	bool bad;
	int r;

	vk_diag_init(&d);
	bad = vk_inc_report_validate(&rf, vk_store_now(), &v, &d) != 0;
	if (req->too_many_uploads) {
		vk_diag_error(&d, "attachment", "%s",
		    T(req, "Too many files: attach at most 5."));
		bad = true;
	}
	for (size_t i = 0; i < req->nuploads; i++) {
		struct vk_upload *u = &req->uploads[i];
		enum vk_attach_kind k;

		if (strcmp(u->field, "attachment") != 0)
			continue;
		/* A file input left empty sends a part without name. */
		if (u->filename[0] == '\0' && u->data.len == 0 && !u->too_big)
			continue;
		if (natt == VK_INC_ATTACH_COUNT) {
			vk_diag_error(&d, "attachment", "%s",
			    T(req, "Too many files: attach at most 5."));
			bad = true;
			break;
		}
		if (u->too_big) {
			vk_diag_error(&d, "attachment", "%s: %s", u->filename,
			    T(req, "too large; at most 10 MiB per file"));
			bad = true;
			continue;
		}
		if (vk_attach_check(u->filename, u->data.data, u->data.len,
			"attachment", &k, &d) != 0) {
			bad = true;
			continue;
		}
		att[natt].filename = u->filename;
		att[natt].kind = k;
		att[natt].data = u->data.data;
		att[natt].len = u->data.len;
		natt++;
	}
	if (bad) {
		r = report_form(req, 400, &d,
		    natt > 0 || req->nuploads > 0
			? T(req,
			      "Your files were not kept: please choose "
			      "them again.")
			: NULL);
		vk_diag_release(&d);
		return r;
	}
	vk_diag_release(&d);
	r = vk_inc_web_create(req, &rf, &v, att, natt, &id, ref);
	if (r != 0)
		return r;
	if (req->role == VK_WROLE_ANON) {
		char key[96];

		/* Counted after success: a form with errors costs nothing. */
		snprintf(key, sizeof(key), "report:%s", req->client);
		(void)vk_store_throttle_fail(
		    req->web->store, key, vk_store_now());
	}
	snprintf(path, sizeof(path), "/incidents/%lld", (long long)id);
	vk_page_begin(req, &h, T(req, "Thank you: your report was received"));
	vk_html_open(&h, "div", "class", "notice ok", "role", "status", NULL);
	vk_html_open(&h, "p", NULL);
	vk_html_text(&h, T(req, "Your reference is"));
	vk_html_text(&h, " ");
	vk_html_open(&h, "strong", "id", "reference", NULL);
	vk_html_text(&h, ref);
	vk_html_close(&h);
	vk_html_text(&h, ".");
	vk_html_close(&h);
	vk_html_close(&h);
	if (req->role == VK_WROLE_ANON) {
		vk_html_elem(&h, "p",
		    T(req,
			"The security team has been told. Keep the "
			"reference if you want to ask about the report."));
		return vk_page_end(req, &h, 201);
	}
	vk_html_open(&h, "p", NULL);
	vk_html_text(&h,
	    T(req,
		"The security team has been told. You can follow the "
		"status and the team's messages on the page of your "
		"report."));
	vk_html_close(&h);
	vk_html_open(&h, "p", NULL);
	vk_html_open(&h, "a", "href", path, NULL);
	vk_html_text(&h, T(req, "See your report"));
	vk_html_close(&h);
	vk_html_close(&h);
	return vk_page_end(req, &h, 201);
}

int
vk_h_report_anon_form(struct vk_req *req)
{
	if (req->role != VK_WROLE_ANON)
		return vk_resp_redirect(req, "/incidents/new");
	if (!anon_on(req))
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	return report_form(req, 200, NULL, NULL);
}

int
vk_h_report_anon_post(struct vk_req *req)
{
	char key[96];
	int64_t n = 0, now = vk_store_now();
	int r;

	if (req->role != VK_WROLE_ANON)
		return vk_resp_redirect(req, "/incidents/new");
	if (!anon_on(req))
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	/* No session, so no CSRF token: the browser says where the form
	 * came from, as for the login form. */
	if (!vk_req_same_site(req))
		return vk_resp_error(req, VK_WE_CSRF, NULL, NULL);
	snprintf(key, sizeof(key), "report:%s", req->client);
	if ((r = vk_store_throttle_count(
		 req->web->store, key, now - 3600LL * 1000000, &n)) != 0)
		return r;
	if (n >= ANON_PER_HOUR) {
		vk_resp_header(req, "Retry-After", "3600");
		return vk_resp_error(req, VK_WE_THROTTLED, NULL,
		    T(req,
			"Too many anonymous reports from your address; try "
			"again in an hour or log in."));
	}
	return vk_h_incident_create(req);
}

/* ------------------------------------------------------------------ */
/* Lists.                                                              */

/* The most urgent running clock as "Early warning: 3 h 2 min left". */
static void
next_clock(struct vk_req *req, const struct vk_incident *inc, int64_t now,
    char *buf, size_t n, const char **cls)
{
	struct vk_inc_clock c[VK_STAGE_MAX];
	int best = -1;
	char left[64];

	vk_inc_web_clocks(inc, now, c);
	*cls = "";
	buf[0] = '\0';
	for (int s = 0; s < VK_STAGE_MAX; s++) {
		if (c[s].status != VK_CLOCK_RUNNING &&
		    c[s].status != VK_CLOCK_SOON &&
		    c[s].status != VK_CLOCK_OVERDUE)
			continue;
		if (best < 0 || c[s].due < c[best].due)
			best = s;
	}
	if (best < 0)
		return;
	vk_inc_web_duration(req, c[best].left, left, sizeof(left));
	if (c[best].status == VK_CLOCK_OVERDUE) {
		snprintf(buf, n, "%s: %s %s", stage_label(req, best),
		    T(req, "overdue by"), left);
		*cls = "clock-overdue";
	} else {
		snprintf(buf, n, "%s: %s %s", stage_label(req, best), left,
		    T(req, "left"));
		*cls = c[best].status == VK_CLOCK_SOON ? "clock-soon" : "";
	}
}

static void
incident_table(struct vk_req *req, struct vk_html *h, const char *caption,
    const struct vk_incident_list *l, bool staff, int64_t now)
{
	vk_html_open(h, "div", "class", "table-wrap", NULL);
	vk_html_open(h, "table", NULL);
	vk_html_open(h, "caption", NULL);
	vk_html_textf(h, "%s (%lld)", caption, (long long)l->total);
	vk_html_close(h);
	vk_html_open(h, "thead", NULL);
	vk_html_open(h, "tr", NULL);
	vk_html_open(h, "th", "scope", "col", NULL);
	vk_html_text(h, T(req, "Reference"));
	vk_html_close(h);
	vk_html_open(h, "th", "scope", "col", NULL);
	vk_html_text(h, T(req, "Summary"));
	vk_html_close(h);
	vk_html_open(h, "th", "scope", "col", NULL);
	vk_html_text(h, T(req, "Status"));
	vk_html_close(h);
	if (staff) {
		vk_html_open(h, "th", "scope", "col", NULL);
		vk_html_text(h, T(req, "Severity"));
		vk_html_close(h);
		vk_html_open(h, "th", "scope", "col", NULL);
		vk_html_text(h, T(req, "Clocks"));
		vk_html_close(h);
	}
	vk_html_open(h, "th", "scope", "col", NULL);
	vk_html_text(h, T(req, "Reported"));
	vk_html_close(h);
	vk_html_close(h);
	vk_html_close(h);
	vk_html_open(h, "tbody", NULL);
	for (size_t i = 0; i < l->n; i++) {
		const struct vk_incident *inc = &l->v[i];
		char path[64], when[40], clock[160];
		const char *cls;

		snprintf(
		    path, sizeof(path), "/incidents/%lld", (long long)inc->id);
		local_time(inc->created, when, sizeof(when));
		vk_html_open(h, "tr", NULL);
		vk_html_open(h, "th", "scope", "row", NULL);
		vk_html_open(h, "a", "href", path, NULL);
		vk_html_text(h, inc->reference);
		vk_html_close(h);
		vk_html_close(h);
		vk_html_elem(h, "td", inc->title);
		vk_html_elem(h, "td", state_label(req, inc->state));
		if (staff) {
			vk_html_elem(
			    h, "td", severity_label(req, inc->severity));
			next_clock(req, inc, now, clock, sizeof(clock), &cls);
			vk_html_open(h, "td", "class", cls, NULL);
			vk_html_text(h, clock);
			vk_html_close(h);
		}
		vk_html_elem(h, "td", when);
		vk_html_close(h);
	}
	vk_html_close(h);
	vk_html_close(h);
	vk_html_close(h);
}

int
vk_h_incidents_list(struct vk_req *req)
{
	struct vk_incident_list *mine = NULL, *inbox = NULL, *open = NULL;
	struct vk_incident_filter f;
	struct vk_page pg = { 200, 0 };
	bool staff = vk_inc_web_sees_all(req);
	int64_t now = vk_store_now();
	uint64_t t0 = vk_web_now_ns();
	struct vk_html h;
	int r;

	memset(&f, 0, sizeof(f));
	f.state = -1;
	f.reporter_id = req->user_id;
	r = req->user_id > 0
	    ? vk_store_incident_list(req->web->store, &f, &pg, &mine)
	    : 0;
	if (r == 0 && staff) {
		f.reporter_id = 0;
		f.state = VK_INC_NEW;
		r = vk_store_incident_list(req->web->store, &f, &pg, &inbox);
		f.state = -1;
		f.open_only = true;
		if (r == 0)
			r = vk_store_incident_list(
			    req->web->store, &f, &pg, &open);
	}
	vk_req_store_time(req, t0);
	if (r != 0)
		goto out;
	vk_page_begin(req, &h, T(req, "Incidents and weaknesses"));
	vk_html_open(&h, "p", NULL);
	vk_html_open(&h, "a", "href", "/incidents/new", "class", "button", "id",
	    "report-link", NULL);
	vk_html_text(&h, T(req, "Report an incident or a weakness"));
	vk_html_close(&h);
	vk_html_close(&h);
	if (staff) {
		vk_html_elem(&h, "h2", T(req, "Inbox"));
		incident_table(
		    req, &h, T(req, "New reports"), inbox, true, now);
		vk_html_elem(&h, "h2", T(req, "Open"));
		incident_table(
		    req, &h, T(req, "Open incidents"), open, true, now);
		/* A page is always finished: numbers that fail to load
		 * are left out, not an error page. */
		(void)vk_inc_web_numbers(req, &h);
	}
	if (mine != NULL) {
		vk_html_elem(&h, "h2", T(req, "My reports"));
		incident_table(
		    req, &h, T(req, "Reported by me"), mine, false, now);
	}
	r = vk_page_end(req, &h, 200);
out:
	vk_incident_list_free(mine);
	vk_incident_list_free(inbox);
	vk_incident_list_free(open);
	return r;
}

/* ------------------------------------------------------------------ */
/* One incident.                                                       */

static void
fact(struct vk_html *h, const char *label, const char *value)
{
	vk_html_elem(h, "dt", label);
	vk_html_elem(h, "dd", value && *value ? value : "–");
}

static void
timeline(
    struct vk_req *req, struct vk_html *h, const struct vk_inc_event_list *ev)
{
	static const char *const kinds[VK_EV_KIND_MAX] = { N_("Reported"),
		N_("Note"), N_("Status"), N_("Message"), N_("Evidence"),
		N_("Changed"), N_("Sent") };

	vk_html_open(h, "ol", "class", "timeline", "id", "timeline", NULL);
	for (size_t i = 0; i < ev->n; i++) {
		const struct vk_inc_event *e = &ev->v[i];
		char when[40];

		local_time(e->time, when, sizeof(when));
		vk_html_open(h, "li", NULL);
		vk_html_open(h, "strong", NULL);
		vk_html_text(h, T(req, kinds[e->kind]));
		vk_html_close(h);
		vk_html_textf(h, " · %s · %s", when, e->actor);
		if (e->body[0] != '\0') {
			vk_html_open(h, "p", NULL);
			vk_html_text(h, e->body);
			vk_html_close(h);
		}
		vk_html_close(h);
	}
	vk_html_close(h);
}

static void
reporter_view(struct vk_req *req, struct vk_html *h,
    const struct vk_incident *inc, const struct vk_inc_event_list *ev)
{
	char when[40];

	vk_html_open(h, "dl", "class", "facts", NULL);
	fact(h, T(req, "Reference"), inc->reference);
	vk_html_elem(h, "dt", T(req, "Status"));
	vk_html_open(h, "dd", "id", "state", NULL);
	vk_html_text(h, state_label(req, inc->state));
	vk_html_close(h);
	fact(h, T(req, "Type"),
	    inc->type == VK_INC_TYPE_WEAKNESS ? T(req, "Weakness")
					      : T(req, "Incident"));
	local_time(inc->noticed_at, when, sizeof(when));
	fact(h, T(req, "Noticed"), when);
	fact(h, T(req, "System or unit"), inc->system);
	if (inc->state == VK_INC_REJECTED)
		fact(h, T(req, "Reason"), inc->reject_reason);
	vk_html_close(h);
	vk_html_elem(h, "h2", T(req, "What you reported"));
	vk_html_elem(h, "p", inc->what);
	vk_html_elem(h, "h2", T(req, "Messages and status changes"));
	timeline(req, h, ev);
}

static void
hidden(struct vk_html *h, const char *name, const char *value)
{
	vk_html_void(
	    h, "input", "type", "hidden", "name", name, "value", value, NULL);
}

static void
action_form_open(struct vk_req *req, struct vk_html *h, const char *path,
    const char *action, const char *cls)
{
	vk_html_open(
	    h, "form", "method", "post", "action", path, "class", cls, NULL);
	vk_page_csrf(req, h);
	hidden(h, "action", action);
}

static void
submit(struct vk_html *h, const char *label, const char *id)
{
	vk_html_open(h, "button", "type", "submit", "id", id, NULL);
	vk_html_text(h, label);
	vk_html_close(h);
}

/* A handler's evidence: one file per post, the report's limits. */
static void
evidence_form(struct vk_req *req, struct vk_html *h, const char *path,
    const struct vk_diag *d)
{
	char action[80];

	snprintf(action, sizeof(action), "%s/evidence", path);
	vk_html_open(h, "form", "method", "post", "action", action, "enctype",
	    "multipart/form-data", "class", "card", "id", "evidence-form",
	    NULL);
	vk_page_csrf(req, h);
	vk_html_open(h, "div", "class", "field", NULL);
	vk_html_open(h, "label", "for", "f-evidence", NULL);
	vk_html_text(h,
	    T(req,
		"Evidence: a screenshot (PNG, JPEG), PDF, text or e-mail "
		"(.eml) file of at most 10 MiB"));
	vk_html_close(h);
	vk_html_void(h, "input", "type", "file", "id", "f-evidence", "name",
	    "evidence", "required", NULL, "accept",
	    ".png,.jpg,.jpeg,.pdf,.txt,.log,.eml", NULL);
	field_error(req, h, d, "evidence");
	vk_html_close(h);
	submit(h, T(req, "Add evidence"), "add-evidence");
	vk_html_close(h);
}

static void
clocks_section(struct vk_req *req, struct vk_html *h,
    const struct vk_incident *inc, const char *path, bool can, int64_t now)
{
	struct vk_inc_clock c[VK_STAGE_MAX];

	vk_inc_web_clocks(inc, now, c);
	vk_html_open(h, "section", "id", "clocks", NULL);
	vk_html_elem(h, "h2", T(req, "Legal clocks"));
	if (!inc->significant && !inc->gdpr) {
		vk_html_elem(h, "p",
		    T(req,
			"No clock runs: the incident is not marked "
			"significant and involves no personal data "
			"breach."));
	}
	vk_html_open(h, "div", "class", "table-wrap", NULL);
	vk_html_open(h, "table", NULL);
	vk_html_open(h, "thead", NULL);
	vk_html_open(h, "tr", NULL);
	vk_html_elem(h, "th", T(req, "Report"));
	vk_html_elem(h, "th", T(req, "Due (Swedish time)"));
	vk_html_elem(h, "th", T(req, "Status"));
	vk_html_elem(h, "th", T(req, "Draft"));
	vk_html_close(h);
	vk_html_close(h);
	vk_html_open(h, "tbody", NULL);
	for (int s = 0; s < VK_STAGE_MAX; s++) {
		char due[40], left[64], status[160], dpath[96], sent[40],
		    id[40];
		const char *cls = "";

		if (c[s].status == VK_CLOCK_OFF)
			continue;
		local_time(c[s].due, due, sizeof(due));
		vk_inc_web_duration(req, c[s].left, left, sizeof(left));
		local_time(c[s].sent_at, sent, sizeof(sent));
		switch (c[s].status) {
		case VK_CLOCK_OVERDUE:
			snprintf(status, sizeof(status), "%s %s",
			    T(req, "Overdue by"), left);
			cls = "clock-overdue";
			break;
		case VK_CLOCK_SENT:
		case VK_CLOCK_SENT_LATE:
			snprintf(status, sizeof(status), "%s %s (%s)%s",
			    T(req, "Sent"), sent, inc->sent_by[s],
			    c[s].status == VK_CLOCK_SENT_LATE ? T(req, ", late")
							      : "");
			break;
		default:
			snprintf(status, sizeof(status), "%s %s", left,
			    T(req, "left"));
			cls = c[s].status == VK_CLOCK_SOON ? "clock-soon" : "";
			break;
		}
		snprintf(id, sizeof(id), "clock-%s", vk_inc_stage_name(s));
		snprintf(dpath, sizeof(dpath), "%s/drafts/%s", path,
		    vk_inc_stage_name(s));
		vk_html_open(h, "tr", "id", id, NULL);
		vk_html_elem(h, "th", stage_label(req, s));
		vk_html_open(h, "td", NULL);
		vk_html_text(h, due);
		if (c[s].due_estimated)
			vk_html_textf(h, " (%s)",
			    T(req, "estimated until the notification is sent"));
		vk_html_close(h);
		vk_html_open(h, "td", "class", cls, NULL);
		vk_html_text(h, status);
		vk_html_close(h);
		vk_html_open(h, "td", NULL);
		if (can) {
			char bid[48];

			vk_html_open(h, "a", "href", dpath, NULL);
			vk_html_text(h, T(req, "Draft"));
			vk_html_close(h);
			if (c[s].sent_at == 0) {
				snprintf(bid, sizeof(bid), "sent-%s",
				    vk_inc_stage_name(s));
				action_form_open(
				    req, h, path, "sent", "inline");
				hidden(h, "stage", vk_inc_stage_name(s));
				submit(h, T(req, "Mark as sent"), bid);
				vk_html_close(h);
			}
		}
		vk_html_close(h);
		vk_html_close(h);
	}
	vk_html_close(h);
	vk_html_close(h);
	vk_html_close(h);
	vk_html_close(h);
}

static void
state_actions(struct vk_req *req, struct vk_html *h,
    const struct vk_incident *inc, const char *path, const struct vk_diag *d)
{
	vk_html_open(h, "section", "id", "actions", NULL);
	vk_html_elem(h, "h2", T(req, "Handle"));
	for (int t = 0; t < VK_INC_STATE_MAX; t++) {
		char id[40];

		if (!vk_inc_transition_allowed(inc->state, t) ||
		    t == VK_INC_REJECTED || t == VK_INC_DUPLICATE)
			continue;
		snprintf(id, sizeof(id), "to-%s", vk_inc_state_name(t));
		action_form_open(req, h, path, "state", "inline");
		hidden(h, "state", vk_inc_state_name(t));
		submit(h, state_label(req, t), id);
		vk_html_close(h);
	}
	field_error(req, h, d, "state");
	if (vk_inc_transition_allowed(inc->state, VK_INC_REJECTED)) {
		action_form_open(req, h, path, "state", "card");
		hidden(h, "state", "rejected");
		vk_html_open(h, "div", "class", "field", NULL);
		textarea(h, "reason",
		    T(req, "Reason for rejecting (the reporter sees it)"),
		    vk_form_get(&req->form, "reason"), 2, true);
		field_error(req, h, d, "reason");
		vk_html_close(h);
		submit(h, T(req, "Reject"), "to-rejected");
		vk_html_close(h);
	}
	if (vk_inc_transition_allowed(inc->state, VK_INC_DUPLICATE)) {
		action_form_open(req, h, path, "state", "card");
		hidden(h, "state", "duplicate");
		vk_page_field(h, "duplicate_of",
		    T(req, "Duplicate of (reference)"), "text",
		    vk_form_get(&req->form, "duplicate_of"), "off", 1);
		field_error(req, h, d, "duplicate_of");
		submit(h, T(req, "Merge as duplicate"), "to-duplicate");
		vk_html_close(h);
	}
	vk_html_close(h);
}

static void
assess_form(struct vk_req *req, struct vk_html *h,
    const struct vk_incident *inc, const char *path, const struct vk_diag *d,
    const struct vk_user_list *users)
{
	char aware[20] = "";
	struct vk_civil c;

	if (inc->aware_at > 0 &&
	    vk_tz_to_local(inc->aware_at / 1000000, &c) == 0)
		snprintf(aware, sizeof(aware), "%04d-%02d-%02dT%02d:%02d",
		    c.year, c.month, c.day, c.hour, c.min);
	vk_html_open(h, "section", "id", "assessment", NULL);
	vk_html_elem(h, "h2", T(req, "Assessment"));
	action_form_open(req, h, path, "assess", "card");
	handler_select(req, h, "f-assignee_id", "assignee_id",
	    T(req, "Assigned to"), users, inc->assignee_id);
	field_error(req, h, d, "assignee_id");
	vk_html_open(h, "div", "class", "field", NULL);
	select_open(h, "f-severity", "severity", T(req, "Severity"));
	for (int s = 0; s < VK_SEV_MAX; s++)
		option(h, vk_inc_severity_name(s), severity_label(req, s),
		    inc->severity == (enum vk_inc_severity)s);
	vk_html_close(h);
	vk_html_close(h);
	vk_html_open(h, "div", "class", "field", NULL);
	select_open(h, "f-category", "category", T(req, "Category"));
	for (int s = 0; s < VK_CAT_MAX; s++)
		option(h, vk_inc_category_name(s), category_label(req, s),
		    inc->category == (enum vk_inc_category)s);
	vk_html_close(h);
	vk_html_close(h);
	vk_page_field(h, "aware_at",
	    T(req, "Became aware (Swedish time; the clocks start here)"),
	    "datetime-local", aware, "off", 1);
	field_error(req, h, d, "aware_at");
	vk_html_open(h, "div", "class", "field", NULL);
	textarea(h, "affected_systems", T(req, "Affected systems"),
	    inc->affected_systems, 2, false);
	field_error(req, h, d, "affected_systems");
	vk_html_close(h);
	vk_html_open(h, "div", "class", "field", NULL);
	vk_html_open(h, "label", NULL);
	if (inc->significant)
		vk_html_void(h, "input", "type", "checkbox", "name",
		    "significant", "value", "1", "id", "f-significant",
		    "checked", NULL, NULL);
	else
		vk_html_void(h, "input", "type", "checkbox", "name",
		    "significant", "value", "1", "id", "f-significant", NULL);
	vk_html_text(h,
	    T(req,
		" Significant incident (NIS2): starts the 24 h, 72 h and "
		"one-month clocks"));
	vk_html_close(h);
	vk_html_close(h);
	vk_html_open(h, "div", "class", "field", NULL);
	vk_html_open(h, "label", NULL);
	if (inc->gdpr)
		vk_html_void(h, "input", "type", "checkbox", "name", "gdpr",
		    "value", "1", "id", "f-gdpr", "checked", NULL, NULL);
	else
		vk_html_void(h, "input", "type", "checkbox", "name", "gdpr",
		    "value", "1", "id", "f-gdpr", NULL);
	vk_html_text(h,
	    T(req,
		" Personal data breach (GDPR): starts the 72 h clock for "
		"IMY"));
	vk_html_close(h);
	vk_html_close(h);
	tri_select(req, h, "malicious",
	    T(req, "Unlawful or malicious cause suspected?"),
	    vk_tristate_name(inc->malicious));
	tri_select(req, h, "cross_border",
	    T(req, "Possible cross-border impact?"),
	    vk_tristate_name(inc->cross_border));
	{
		static const struct {
			const char *name, *label;
			size_t off;
		} texts[] = {
			{ "impact", N_("Impact"),
			    offsetof(struct vk_incident, impact) },
			{ "iocs", N_("Indicators of compromise"),
			    offsetof(struct vk_incident, iocs) },
			{ "root_cause", N_("Root cause or threat type"),
			    offsetof(struct vk_incident, root_cause) },
			{ "measures_applied", N_("Measures applied"),
			    offsetof(struct vk_incident, measures_applied) },
			{ "measures_ongoing", N_("Measures ongoing"),
			    offsetof(struct vk_incident, measures_ongoing) },
			{ "breach_nature",
			    N_("Nature of the personal data breach"),
			    offsetof(struct vk_incident, breach_nature) },
			{ "subject_categories",
			    N_("Categories of people concerned"),
			    offsetof(struct vk_incident, subject_categories) },
			{ "record_categories",
			    N_("Categories of personal data records"),
			    offsetof(struct vk_incident, record_categories) },
			{ "consequences", N_("Likely consequences"),
			    offsetof(struct vk_incident, consequences) },
			{ "delay_reason", N_("Reasons for a late IMY report"),
			    offsetof(struct vk_incident, delay_reason) },
		};

		for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
			const char *v =
			    *(char *const *)(const void *)((const char *)inc +
				texts[i].off);

			vk_html_open(h, "div", "class", "field", NULL);
			textarea(h, texts[i].name, T(req, texts[i].label), v, 2,
			    false);
			field_error(req, h, d, texts[i].name);
			vk_html_close(h);
		}
	}
	{
		char n1[24] = "", n2[24] = "";

		if (inc->subjects_approx >= 0)
			snprintf(n1, sizeof(n1), "%lld",
			    (long long)inc->subjects_approx);
		if (inc->records_approx >= 0)
			snprintf(n2, sizeof(n2), "%lld",
			    (long long)inc->records_approx);
		vk_page_field(h, "subjects_approx",
		    T(req, "Approximate number of people (empty: unknown)"),
		    "text", n1, "off", 0);
		field_error(req, h, d, "subjects_approx");
		vk_page_field(h, "records_approx",
		    T(req, "Approximate number of records (empty: unknown)"),
		    "text", n2, "off", 0);
		field_error(req, h, d, "records_approx");
	}
	submit(h, T(req, "Save the assessment"), "save-assessment");
	vk_html_close(h);
	vk_html_close(h);
}

static void
tasks_section(struct vk_req *req, struct vk_html *h,
    const struct vk_inc_task_list *tl, const char *path, bool can,
    const struct vk_diag *d, const struct vk_user_list *users)
{
	vk_html_open(h, "section", "id", "tasks", NULL);
	vk_html_elem(h, "h2", T(req, "Tasks"));
	vk_html_open(h, "ul", NULL);
	for (size_t i = 0; i < tl->n; i++) {
		const struct vk_inc_task *t = &tl->v[i];
		char due[40], tid[24];

		local_time(t->due, due, sizeof(due));
		vk_html_open(h, "li", NULL);
		vk_html_textf(h, "%s%s — %s · %s %s", t->done_at ? "✓ " : "",
		    t->title, user_name(users, t->owner_id), T(req, "due"),
		    due);
		if (can) {
			snprintf(tid, sizeof(tid), "%lld", (long long)t->id);
			action_form_open(req, h, path, "task_done", "inline");
			hidden(h, "task", tid);
			hidden(h, "done", t->done_at ? "0" : "1");
			vk_html_open(h, "button", "type", "submit", "class",
			    "secondary", NULL);
			vk_html_text(
			    h, t->done_at ? T(req, "Reopen") : T(req, "Done"));
			vk_html_close(h);
			vk_html_close(h);
		}
		vk_html_close(h);
	}
	vk_html_close(h);
	if (can) {
		action_form_open(req, h, path, "task", "card");
		vk_page_field(h, "task_title", T(req, "New task"), "text", NULL,
		    "off", 1);
		field_error(req, h, d, "task_title");
		handler_select(req, h, "f-task_owner", "task_owner",
		    T(req, "Owner"), users, req->user_id);
		field_error(req, h, d, "task_owner");
		vk_page_field(h, "task_due", T(req, "Due (Swedish time)"),
		    "datetime-local", NULL, "off", 0);
		field_error(req, h, d, "task_due");
		submit(h, T(req, "Add the task"), "add-task");
		vk_html_close(h);
	}
	vk_html_close(h);
}

static int
incident_page(struct vk_req *req, struct vk_incident *inc, unsigned status,
    const char *notice_kind, const char *notice, const struct vk_diag *d)
{
	struct vk_inc_event_list *ev = NULL;
	struct vk_inc_task_list *tl = NULL;
	struct vk_inc_attachment_list *al = NULL;
	struct vk_user_list *users = NULL;
	struct vk_page upg = { VK_PAGE_MAX, 0 };
	bool staff = vk_inc_web_sees_all(req), can = vk_inc_web_can_handle(req);
	char path[64], title[VK_INC_REF_MAX + VK_INC_TITLE_MAX + 8], when[40];
	int64_t now = vk_store_now();
	uint64_t t0 = vk_web_now_ns();
	struct vk_html h;
	int r;

	snprintf(path, sizeof(path), "/incidents/%lld", (long long)inc->id);
	r = vk_store_incident_events(req->web->store, inc->id, !staff, &ev);
	if (r == 0 && staff)
		r = vk_store_incident_tasks(req->web->store, inc->id, &tl);
	if (r == 0 && staff)
		r = vk_store_incident_attachments(
		    req->web->store, inc->id, &al);
	if (r == 0 && staff)
		r = vk_store_user_list(req->web->store, &upg, &users);
	vk_req_store_time(req, t0);
	if (r != 0)
		goto out;
	snprintf(title, sizeof(title), "%s: %s", inc->reference, inc->title);
	vk_page_begin(req, &h, title);
	if (notice != NULL)
		vk_page_notice(&h, notice_kind, notice);
	if (!staff) {
		reporter_view(req, &h, inc, ev);
		r = vk_page_end(req, &h, status);
		goto out;
	}
	vk_html_open(&h, "dl", "class", "facts", NULL);
	vk_html_elem(&h, "dt", T(req, "Status"));
	vk_html_open(&h, "dd", "id", "state", NULL);
	vk_html_text(&h, state_label(req, inc->state));
	vk_html_close(&h);
	fact(&h, T(req, "Type"),
	    inc->type == VK_INC_TYPE_WEAKNESS ? T(req, "Weakness")
					      : T(req, "Incident"));
	fact(&h, T(req, "Severity"), severity_label(req, inc->severity));
	fact(&h, T(req, "Category"), category_label(req, inc->category));
	fact(&h, T(req, "Significant (NIS2)"),
	    inc->significant ? T(req, "Yes") : T(req, "No"));
	local_time(inc->noticed_at, when, sizeof(when));
	fact(&h, T(req, "Noticed"), when);
	local_time(inc->aware_at, when, sizeof(when));
	fact(&h, T(req, "Became aware"), when);
	fact(&h, T(req, "System or unit"), inc->system);
	fact(&h, T(req, "Personal data involved"),
	    tri_label(req, inc->personal_data));
	fact(&h, T(req, "Still going on"), tri_label(req, inc->ongoing));
	fact(&h, T(req, "Contact"), inc->contact_name);
	fact(&h, T(req, "E-mail"), inc->contact_email);
	fact(&h, T(req, "Phone"), inc->contact_phone);
	if (inc->state == VK_INC_REJECTED)
		fact(&h, T(req, "Reason"), inc->reject_reason);
	vk_html_close(&h);
	vk_html_elem(&h, "h2", T(req, "What happened"));
	vk_html_elem(&h, "p", inc->what);
	clocks_section(req, &h, inc, path, can, now);
	if (al->n > 0) {
		vk_html_elem(&h, "h2", T(req, "Attachments"));
		vk_html_open(&h, "ul", "id", "attachments", NULL);
		for (size_t i = 0; i < al->n; i++) {
			char apath[96];

			snprintf(apath, sizeof(apath), "%s/attachments/%lld",
			    path, (long long)al->v[i].id);
			vk_html_open(&h, "li", NULL);
			if (can) {
				vk_html_open(&h, "a", "href", apath, NULL);
				vk_html_text(&h, al->v[i].filename);
				vk_html_close(&h);
			} else {
				vk_html_text(&h, al->v[i].filename);
			}
			vk_html_textf(&h, " (%lld B, %s)",
			    (long long)al->v[i].size,
			    vk_attach_kind_name(al->v[i].kind));
			vk_html_close(&h);
		}
		vk_html_close(&h);
	}
	if (can) {
		state_actions(req, &h, inc, path, d);
		assess_form(req, &h, inc, path, d, users);
	}
	tasks_section(req, &h, tl, path, can, d, users);
	vk_html_elem(&h, "h2", T(req, "Timeline"));
	timeline(req, &h, ev);
	if (can) {
		action_form_open(req, &h, path, "note", "card");
		vk_html_open(&h, "div", "class", "field", NULL);
		textarea(
		    &h, "text", T(req, "Note for the team"), NULL, 2, true);
		field_error(req, &h, d, "text");
		vk_html_close(&h);
		vk_html_open(&h, "div", "class", "field", NULL);
		vk_html_open(&h, "label", NULL);
		vk_html_void(&h, "input", "type", "checkbox", "name",
		    "to_reporter", "value", "1", "id", "f-to_reporter", NULL);
		vk_html_text(&h,
		    T(req,
			" Send to the reporter (they see it on their "
			"report)"));
		vk_html_close(&h);
		vk_html_close(&h);
		submit(&h, T(req, "Add to the timeline"), "add-note");
		vk_html_close(&h);
		evidence_form(req, &h, path, d);
	}
	r = vk_page_end(req, &h, status);
out:
	vk_inc_event_list_free(ev);
	vk_inc_task_list_free(tl);
	vk_inc_attachment_list_free(al);
	vk_user_list_free(users);
	return r;
}

int
vk_h_incident_evidence(struct vk_req *req)
{
	struct vk_incident *inc = NULL;
	struct vk_inc_attachment_in a = { 0 };
	struct vk_upload *u = NULL;
	struct vk_diag d;
	char done[96], notice[1024];
	int r;

	r = vk_inc_web_load(req, req->match.params[0], &inc);
	if (r == VK_ENOTFOUND)
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	if (r != 0)
		return r;
	vk_diag_init(&d);
	for (size_t i = 0; i < req->nuploads; i++)
		if (strcmp(req->uploads[i].field, "evidence") == 0 &&
		    (req->uploads[i].filename[0] != '\0' ||
			req->uploads[i].data.len > 0 ||
			req->uploads[i].too_big)) {
			if (u != NULL) {
				u = NULL;
				break;
			}
			u = &req->uploads[i];
		}
	r = VK_EINVAL;
	if (u == NULL || req->too_many_uploads)
		vk_diag_error(&d, "evidence", "%s",
		    T(req, "Choose one file to add as evidence."));
	else if (u->too_big)
		vk_diag_error(&d, "evidence", "%s: %s", u->filename,
		    T(req, "too large; at most 10 MiB per file"));
	else if (vk_attach_check(u->filename, u->data.data, u->data.len,
		     "evidence", &a.kind, &d) == 0) {
		a.filename = u->filename;
		a.data = u->data.data;
		a.len = u->data.len;
		r = vk_inc_web_attach(req, inc, &a, NULL);
		if (r == VK_ETOOBIG)
			vk_diag_error(&d, "evidence", "%s",
			    T(req,
				"This incident has as many files as it may "
				"have."));
	}
	if (r == 0) {
		snprintf(done, sizeof(done), "/incidents/%lld?done=1",
		    (long long)inc->id);
		r = vk_resp_redirect(req, done);
	} else if (r == VK_EINVAL || r == VK_ETOOBIG) {
		r = incident_page(req, inc, r == VK_ETOOBIG ? 409 : 400,
		    "error",
		    diag_tr(req,
			vk_diag_first(&d, T(req, "That change is not valid.")),
			notice, sizeof(notice)),
		    &d);
	}
	vk_diag_release(&d);
	vk_incident_free(inc);
	return r;
}

int
vk_h_incident_show(struct vk_req *req)
{
	struct vk_incident *inc = NULL;
	const char *done = vk_req_query(req, "done");
	int r;

	r = vk_inc_web_load(req, req->match.params[0], &inc);
	if (r == VK_ENOTFOUND)
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	if (r != 0)
		return r;
	r = incident_page(req, inc, 200, done ? "ok" : NULL,
	    done ? T(req, "Saved.") : NULL, NULL);
	vk_incident_free(inc);
	return r;
}

/* Parses an optional local time field; 0 when empty. */
static int
parse_local(const char *s, int64_t *out)
{
	*out = 0;
	if (s == NULL || *s == '\0')
		return 0;
	return vk_tz_parse_local_us(s, strlen(s), out) == 0 ? 0 : VK_EINVAL;
}

/* Parses "" (unknown, -1) or a non-negative count. */
static int
parse_count(const char *s, int64_t *out)
{
	int64_t v = 0;

	*out = -1;
	if (s == NULL || *s == '\0')
		return 0;
	if (strlen(s) > 12)
		return VK_EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return VK_EINVAL;
		v = v * 10 + (*p - '0');
	}
	*out = v;
	return 0;
}

/* Reads the assessment form into nv/fields; problems into d. */
static void
read_assessment(struct vk_req *req, const struct vk_incident *inc,
    struct vk_incident *nv, unsigned *fields, struct vk_diag *d)
{
	const struct vk_form *f = &req->form;
	static const struct {
		const char *name;
		unsigned flag;
		size_t off, max;
	} texts[] = {
		{ "affected_systems", VK_INC_F_AFFECTED,
		    offsetof(struct vk_incident, affected_systems), 2000 },
		{ "impact", VK_INC_F_IMPACT,
		    offsetof(struct vk_incident, impact), VK_INC_TEXT_MAX },
		{ "iocs", VK_INC_F_IOCS, offsetof(struct vk_incident, iocs),
		    VK_INC_TEXT_MAX },
		{ "root_cause", VK_INC_F_ROOT_CAUSE,
		    offsetof(struct vk_incident, root_cause), VK_INC_TEXT_MAX },
		{ "measures_applied", VK_INC_F_MEASURES_APPLIED,
		    offsetof(struct vk_incident, measures_applied),
		    VK_INC_TEXT_MAX },
		{ "measures_ongoing", VK_INC_F_MEASURES_ONGOING,
		    offsetof(struct vk_incident, measures_ongoing),
		    VK_INC_TEXT_MAX },
		{ "breach_nature", VK_INC_F_BREACH_NATURE,
		    offsetof(struct vk_incident, breach_nature),
		    VK_INC_TEXT_MAX },
		{ "subject_categories", VK_INC_F_SUBJECT_CATEGORIES,
		    offsetof(struct vk_incident, subject_categories),
		    VK_INC_TEXT_MAX },
		{ "record_categories", VK_INC_F_RECORD_CATEGORIES,
		    offsetof(struct vk_incident, record_categories),
		    VK_INC_TEXT_MAX },
		{ "consequences", VK_INC_F_CONSEQUENCES,
		    offsetof(struct vk_incident, consequences),
		    VK_INC_TEXT_MAX },
		{ "delay_reason", VK_INC_F_DELAY_REASON,
		    offsetof(struct vk_incident, delay_reason),
		    VK_INC_TEXT_MAX },
	};
	const char *s;

	*nv = *inc;
	*fields = 0;
	if ((s = vk_form_get(f, "severity")) != NULL) {
		if (vk_inc_severity_parse(s, &nv->severity) != 0)
			vk_diag_error(d, "severity", "unknown severity");
		*fields |= VK_INC_F_SEVERITY;
	}
	if ((s = vk_form_get(f, "category")) != NULL) {
		if (vk_inc_category_parse(s, &nv->category) != 0)
			vk_diag_error(d, "category", "unknown category");
		*fields |= VK_INC_F_CATEGORY;
	}
	if ((s = vk_form_get(f, "malicious")) != NULL) {
		if (vk_tristate_parse(s, &nv->malicious) != 0)
			vk_diag_error(d, "malicious", "yes, no or unknown");
		*fields |= VK_INC_F_MALICIOUS;
	}
	if ((s = vk_form_get(f, "cross_border")) != NULL) {
		if (vk_tristate_parse(s, &nv->cross_border) != 0)
			vk_diag_error(d, "cross_border", "yes, no or unknown");
		*fields |= VK_INC_F_CROSS_BORDER;
	}
	if ((s = vk_form_get(f, "aware_at")) != NULL) {
		if (parse_local(s, &nv->aware_at) != 0 || nv->aware_at <= 0)
			vk_diag_error(d, "aware_at", "%s",
			    T(req,
				"not a date and time; write it as "
				"2026-03-29T14:30"));
		*fields |= VK_INC_F_AWARE_AT;
	}
	if ((s = vk_form_get(f, "assignee_id")) != NULL) {
		if (*s == '\0')
			nv->assignee_id = 0;
		else if (vk_parse_id(s, &nv->assignee_id) != 0)
			vk_diag_error(d, "assignee_id", "unknown user");
		*fields |= VK_INC_F_ASSIGNEE;
	}
	/* Checkboxes: absent means off, in a form that has the others. */
	nv->significant = vk_form_get(f, "significant") != NULL;
	nv->gdpr = vk_form_get(f, "gdpr") != NULL;
	*fields |= VK_INC_F_SIGNIFICANT | VK_INC_F_GDPR;
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		s = vk_form_get(f, texts[i].name);
		if (s == NULL)
			continue;
		if (strlen(s) > texts[i].max || !vk_inc_text_ok(s, strlen(s)))
			vk_diag_error(d, texts[i].name, "%s (%zu)",
			    T(req,
				"too long or not plain text; "
				"at most this many bytes:"),
			    texts[i].max);
		*(const char **)(void *)((char *)nv + texts[i].off) = s;
		*fields |= texts[i].flag;
	}
	if ((s = vk_form_get(f, "subjects_approx")) != NULL) {
		if (parse_count(s, &nv->subjects_approx) != 0)
			vk_diag_error(d, "subjects_approx", "%s",
			    T(req, "a whole number, or empty if unknown"));
		*fields |= VK_INC_F_SUBJECTS_APPROX;
	}
	if ((s = vk_form_get(f, "records_approx")) != NULL) {
		if (parse_count(s, &nv->records_approx) != 0)
			vk_diag_error(d, "records_approx", "%s",
			    T(req, "a whole number, or empty if unknown"));
		*fields |= VK_INC_F_RECORDS_APPROX;
	}
}

int
vk_h_incident_post(struct vk_req *req)
{
	const char *action = vk_form_get(&req->form, "action");
	struct vk_incident *inc = NULL, nv, *shown;
	struct vk_diag d;
	char done[96], notice[1024];
	int r;

	r = vk_inc_web_load(req, req->match.params[0], &inc);
	if (r == VK_ENOTFOUND)
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	if (r != 0)
		return r;
	vk_diag_init(&d);
	shown = inc;
	if (action == NULL)
		action = "";
	if (strcmp(action, "state") == 0) {
		enum vk_inc_state to;

		if (vk_inc_state_parse(vk_form_get(&req->form, "state"), &to) !=
		    0) {
			vk_diag_error(&d, "state", "unknown state");
			r = VK_EINVAL;
		} else {
			r = vk_inc_web_set_state(req, inc, to,
			    vk_form_get(&req->form, "reason"),
			    vk_form_get(&req->form, "duplicate_of"), &d);
		}
	} else if (strcmp(action, "assess") == 0) {
		unsigned fields;

		read_assessment(req, inc, &nv, &fields, &d);
		r = d.nerr > 0 ? VK_EINVAL
			       : vk_inc_web_update(req, inc, &nv, fields);
		/* Show what was typed, not what is stored. */
		if (r == VK_EINVAL)
			shown = &nv;
	} else if (strcmp(action, "note") == 0) {
		const char *text = vk_form_get(&req->form, "text");

		if (text == NULL || *text == '\0' ||
		    strlen(text) > VK_INC_TEXT_MAX ||
		    !vk_inc_text_ok(text, strlen(text))) {
			vk_diag_error(&d, "text", "%s",
			    T(req, "write the note (at most 10000 bytes)"));
			r = VK_EINVAL;
		} else {
			r = vk_inc_web_event(req, inc,
			    vk_form_get(&req->form, "to_reporter")
				? VK_EV_MESSAGE
				: VK_EV_NOTE,
			    text);
		}
	} else if (strcmp(action, "task") == 0) {
		const char *title = vk_form_get(&req->form, "task_title");
		const char *owner_s = vk_form_get(&req->form, "task_owner");
		int64_t due = 0, owner = req->user_id;

		if (owner_s != NULL && *owner_s == '\0')
			owner = 0;
		else if (owner_s != NULL && vk_parse_id(owner_s, &owner) != 0)
			vk_diag_error(&d, "task_owner", "unknown user");
		if (title == NULL || *title == '\0' ||
		    strlen(title) > VK_INC_TASK_MAX ||
		    !vk_inc_text_ok(title, strlen(title))) {
			vk_diag_error(&d, "task_title", "%s",
			    T(req, "name the task (at most 500 bytes)"));
		}
		if (parse_local(vk_form_get(&req->form, "task_due"), &due) != 0)
			vk_diag_error(&d, "task_due", "%s",
			    T(req,
				"not a date and time; write it as "
				"2026-03-29T14:30"));
		if (d.nerr > 0) {
			r = VK_EINVAL;
		} else {
			uint64_t t0 = vk_web_now_ns();

			r = vk_store_incident_task_add(req->web->store, inc->id,
			    title, owner, due, req->actor, vk_store_now(),
			    NULL);
			if (r == VK_EINVAL) {
				vk_diag_error(&d, "task_owner", "unknown user");
			}
			vk_req_store_time(req, t0);
		}
	} else if (strcmp(action, "task_done") == 0) {
		int64_t tid;
		const char *dn = vk_form_get(&req->form, "done");

		if (vk_parse_id(vk_form_get(&req->form, "task"), &tid) != 0) {
			vk_diag_error(&d, "task", "unknown task");
			r = VK_EINVAL;
		} else {
			r = vk_store_incident_task_done(req->web->store,
			    inc->id, tid, dn && strcmp(dn, "1") == 0,
			    vk_store_now());
			if (r == VK_ENOTFOUND) {
				vk_diag_error(&d, "task", "unknown task");
				r = VK_EINVAL;
			}
		}
	} else if (strcmp(action, "sent") == 0) {
		enum vk_inc_stage st;

		if (vk_inc_stage_parse(vk_form_get(&req->form, "stage"), &st) !=
		    0) {
			vk_diag_error(&d, "stage", "unknown report");
			r = VK_EINVAL;
		} else {
			r = vk_inc_web_mark_sent(req, inc, st, 0);
			if (r == VK_EEXIST) {
				vk_diag_error(&d, "state", "%s",
				    T(req,
					"That report was already marked "
					"as sent."));
				r = VK_ECONFLICT;
			}
		}
	} else {
		vk_diag_error(&d, "action", "unknown action");
		r = VK_EINVAL;
	}
	if (r == 0) {
		snprintf(done, sizeof(done), "/incidents/%lld?done=%s",
		    (long long)inc->id,
		    strcmp(action, "sent") == 0 ? "sent" : "1");
		r = vk_resp_redirect(req, done);
	} else if (r == VK_EINVAL || r == VK_EPERM || r == VK_ECONFLICT) {
		unsigned status = r == VK_ECONFLICT ? 409 : 400;

		r = incident_page(req, shown, status, "error",
		    diag_tr(req,
			vk_diag_first(&d, T(req, "That change is not valid.")),
			notice, sizeof(notice)),
		    &d);
	}
	vk_diag_release(&d);
	vk_incident_free(inc);
	return r;
}

/* ------------------------------------------------------------------ */
/* Attachments and drafts.                                             */

int
vk_h_incident_attachment(struct vk_req *req)
{
	struct vk_incident *inc = NULL;
	struct vk_inc_attachment *a = NULL;
	struct vk_buf disp;
	uint64_t t0;
	int64_t aid;
	int r;

	r = vk_inc_web_load(req, req->match.params[0], &inc);
	if (r == 0 && vk_parse_id(req->match.params[1], &aid) != 0)
		r = VK_ENOTFOUND;
	if (r == 0) {
		t0 = vk_web_now_ns();
		r = vk_store_incident_attachment_get(
		    req->web->store, inc->id, aid, &a);
		vk_req_store_time(req, t0);
	}
	/* Who read which file is in the audit log. */
	if (r == 0)
		r = vk_inc_web_audit_read(req, inc, aid, a->filename);
	vk_incident_free(inc);
	if (r == VK_ENOTFOUND)
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	if (r != 0)
		return r;
	/* RFC 6266: an ASCII fallback and the UTF-8 name percent-encoded,
	 * so no byte of the stored name reaches the header raw. */
	vk_buf_init(&disp, 1024);
	r = vk_buf_appends(&disp, "attachment; filename=\"attachment.");
	if (r == 0)
		r = vk_buf_appendf(&disp, "%s\"; filename*=UTF-8''",
		    a->kind == VK_ATTACH_JPEG ? "jpg"
					      : vk_attach_kind_name(a->kind));
	for (const unsigned char *p = (const unsigned char *)a->filename;
	     *p && r == 0; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
		    *p == '_')
			r = vk_buf_appendc(&disp, (char)*p);
		else
			r = vk_buf_appendf(&disp, "%%%02X", *p);
	}
	if (r == 0)
		r = vk_resp_header(
		    req, "Content-Disposition", vk_buf_str(&disp));
	vk_buf_release(&disp);
	if (r == 0) {
		vk_buf_reset(&req->out);
		req->status = 200;
		req->ctype = vk_attach_kind_mime(a->kind);
		r = vk_buf_append(&req->out, a->data, (size_t)a->size);
	}
	vk_inc_attachment_free(a);
	return r;
}

int
vk_h_incident_draft(struct vk_req *req)
{
	const char *format = vk_req_query(req, "format");
	struct vk_incident *inc = NULL;
	struct vk_inc_draft *dr = NULL;
	enum vk_inc_stage stage;
	struct vk_buf b;
	struct vk_html h;
	char *js = NULL, back[64];
	int r;

	r = vk_inc_web_load(req, req->match.params[0], &inc);
	if (r == 0 && vk_inc_stage_parse(req->match.params[1], &stage) != 0)
		r = VK_ENOTFOUND;
	if (r == VK_ENOTFOUND) {
		vk_incident_free(inc);
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	}
	if (r != 0)
		return r;
	if ((r = vk_inc_web_draft(req, inc, stage, &dr)) != 0)
		goto out;
	if (format != NULL && strcmp(format, "json") == 0) {
		if ((r = vk_inc_draft_json(dr, &js)) == 0)
			r = vk_resp_text(
			    req, 200, "application/json; charset=utf-8", js);
		goto out;
	}
	vk_buf_init(&b, 256 * 1024);
	r = vk_inc_draft_text(dr, &b);
	if (r == 0 && format != NULL && strcmp(format, "text") == 0) {
		r = vk_resp_text(
		    req, 200, "text/plain; charset=utf-8", vk_buf_str(&b));
		vk_buf_release(&b);
		goto out;
	}
	snprintf(back, sizeof(back), "/incidents/%lld", (long long)inc->id);
	vk_page_begin(req, &h, dr->title);
	vk_html_open(&h, "p", "class", "no-print", NULL);
	vk_html_open(&h, "a", "href", back, NULL);
	vk_html_textf(&h, "← %s", inc->reference);
	vk_html_close(&h);
	vk_html_text(&h, " · ");
	vk_html_open(&h, "a", "href", "?format=text", NULL);
	vk_html_text(&h, T(req, "Plain text"));
	vk_html_close(&h);
	vk_html_text(&h, " · ");
	vk_html_open(&h, "a", "href", "?format=json", NULL);
	vk_html_text(&h, "JSON");
	vk_html_close(&h);
	vk_html_close(&h);
	if (dr->missing > 0) {
		char msg[160];

		snprintf(msg, sizeof(msg), "%s: %zu",
		    T(req, "Required fields still missing"), dr->missing);
		vk_page_notice(&h, "error", msg);
	}
	vk_html_open(&h, "dl", "class", "facts draft", "id", "draft", NULL);
	for (size_t i = 0; i < dr->n; i++) {
		const struct vk_inc_draft_field *fd = &dr->v[i];

		vk_html_elem(&h, "dt", fd->label);
		if (fd->missing) {
			vk_html_open(&h, "dd", "class", "clock-overdue", NULL);
			vk_html_text(&h,
			    T(req,
				"Missing: fill it in on the "
				"incident page"));
			vk_html_close(&h);
		} else {
			vk_html_elem(&h, "dd", fd->value[0] ? fd->value : "–");
		}
	}
	vk_html_close(&h);
	vk_html_elem(&h, "h2", T(req, "As plain text"));
	vk_html_elem(&h, "pre", vk_buf_str(&b));
	vk_buf_release(&b);
	r = vk_page_end(req, &h, 200);
out:
	free(js);
	vk_inc_draft_free(dr);
	vk_incident_free(inc);
	return r;
}
