/*
 * api_incidents.c — the incident JSON API under /api/v1/incidents
 * (docs/api.md).  Employees see and create their own reports; handlers
 * and admins change incidents; auditors read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident/tz.h"
#include "util/err.h"
#include "web/handlers/handlers.h"
#include "web/handlers/incident_web.h"

static int
field_error(struct vk_req *req, const char *field, const char *msg)
{
	return vk_resp_error(req, VK_WE_INVALID_FIELD,
	    json_pack("{ssss}", "field", field, "hint", msg), NULL);
}

/* An optional string member; VK_EINVAL (and a 400 written) if it is not
 * a string without NUL. */
static int
opt_str(struct vk_req *req, const char *name, const char **out)
{
	json_t *v = json_object_get(req->json, name);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		field_error(req, name, "must be a string without NUL");
		return VK_EINVAL;
	}
	*out = json_string_value(v);
	return 0;
}

static int
not_found(struct vk_req *req)
{
	return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
}

int
vk_api_incidents_list(struct vk_req *req)
{
	struct vk_incident_list *l = NULL;
	struct vk_incident_filter f;
	const char *state = vk_req_query(req, "state");
	int64_t now = vk_store_now();
	struct vk_page pg;
	json_t *items;
	uint64_t t0;
	int r;

	if (vk_req_page(req, &pg) != 0)
		return 0;
	memset(&f, 0, sizeof(f));
	f.state = -1;
	if (state != NULL) {
		enum vk_inc_state s;

		if (strcmp(state, "open") == 0)
			f.open_only = true;
		else if (vk_inc_state_parse(state, &s) == 0)
			f.state = (int)s;
		else
			return field_error(req, "state",
			    "open, or one of new, triaged, investigating, "
			    "contained, recovered, closed, rejected, "
			    "duplicate");
	}
	if (!vk_inc_web_sees_all(req))
		f.reporter_id = req->user_id;
	t0 = vk_web_now_ns();
	r = vk_store_incident_list(req->web->store, &f, &pg, &l);
	vk_req_store_time(req, t0);
	if (r != 0)
		return r;
	items = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(
		    items, vk_inc_web_json(req, &l->v[i], now));
	r = vk_resp_json(
	    req, 200, vk_json_page(items, l->total, pg.limit, pg.offset));
	vk_incident_list_free(l);
	return r;
}

int
vk_api_incidents_create(struct vk_req *req)
{
	struct vk_inc_report_form rf;
	struct vk_inc_report_fields v;
	struct vk_incident *inc = NULL;
	char ref[VK_INC_REF_MAX];
	struct vk_diag d;
	int64_t id = 0;
	int r;

	if (req->json == NULL || !json_is_object(req->json))
		return field_error(req, "title", "send a JSON object");
	memset(&rf, 0, sizeof(rf));
	if (opt_str(req, "type", &rf.type) ||
	    opt_str(req, "title", &rf.title) ||
	    opt_str(req, "what", &rf.what) ||
	    opt_str(req, "noticed_at", &rf.noticed_at) ||
	    opt_str(req, "system", &rf.system) ||
	    opt_str(req, "personal_data", &rf.personal_data) ||
	    opt_str(req, "ongoing", &rf.ongoing) ||
	    opt_str(req, "contact_name", &rf.contact_name) ||
	    opt_str(req, "contact_email", &rf.contact_email) ||
	    opt_str(req, "contact_phone", &rf.contact_phone))
		return 0;
	if (rf.type == NULL)
		rf.type = "incident";
	vk_diag_init(&d);
	if (vk_inc_report_validate(&rf, vk_store_now(), &v, &d) != 0) {
		json_t *errors = json_object();

		for (size_t i = 0; i < d.n; i++)
			json_object_set_new(
			    errors, d.v[i].where, json_string(d.v[i].msg));
		r = vk_resp_error(req, VK_WE_INVALID_FIELD,
		    json_pack("{ss ss so}", "field", d.v[0].where, "hint",
			d.v[0].msg, "fields", errors),
		    NULL);
		vk_diag_release(&d);
		return r;
	}
	vk_diag_release(&d);
	if ((r = vk_inc_web_create(req, &rf, &v, NULL, 0, &id, ref)) != 0)
		return r;
	if ((r = vk_store_incident_get(req->web->store, id, &inc)) != 0)
		return r;
	r = vk_resp_json(req, 201, vk_inc_web_json(req, inc, vk_store_now()));
	vk_incident_free(inc);
	return r;
}

int
vk_api_incident_get(struct vk_req *req)
{
	struct vk_incident *inc = NULL;
	struct vk_inc_event_list *ev = NULL;
	json_t *j, *tl;
	int r;

	r = vk_inc_web_load(req, req->match.params[0], &inc);
	if (r == VK_ENOTFOUND)
		return not_found(req);
	if (r != 0)
		return r;
	r = vk_store_incident_events(
	    req->web->store, inc->id, !vk_inc_web_sees_all(req), &ev);
	if (r != 0)
		goto out;
	j = vk_inc_web_json(req, inc, vk_store_now());
	tl = json_array();
	for (size_t i = 0; i < ev->n; i++) {
		char when[32] = "";

		(void)vk_tz_format_utc_us(ev->v[i].time, when, sizeof(when));
		json_array_append_new(tl,
		    json_pack("{ss ss ss ss sb}", "time", when, "actor",
			ev->v[i].actor, "kind",
			vk_inc_event_kind_name(ev->v[i].kind), "text",
			ev->v[i].body, "to_reporter", ev->v[i].to_reporter));
	}
	json_object_set_new(j, "timeline", tl);
	r = vk_resp_json(req, 200, j);
out:
	vk_inc_event_list_free(ev);
	vk_incident_free(inc);
	return r;
}

/* Answers a change that failed with what d says. */
static int
change_error(struct vk_req *req, int r, const struct vk_diag *d)
{
	const char *where = d->n && d->v[0].where ? d->v[0].where : "state";
	const char *msg = vk_diag_first(d, "not valid");

	if (r == VK_ECONFLICT || r == VK_EPERM)
		return vk_resp_error(req, VK_WE_CONFLICT,
		    json_pack("{ss ss}", "field", where, "hint", msg), msg);
	if (r == VK_EINVAL)
		return field_error(req, where, msg);
	return r;
}

int
vk_api_incident_state(struct vk_req *req)
{
	struct vk_incident *inc = NULL;
	const char *state, *reason, *dup;
	enum vk_inc_state to;
	struct vk_diag d;
	int r;

	r = vk_inc_web_load(req, req->match.params[0], &inc);
	if (r == VK_ENOTFOUND)
		return not_found(req);
	if (r != 0)
		return r;
	if (req->json == NULL || opt_str(req, "state", &state) ||
	    opt_str(req, "reason", &reason) ||
	    opt_str(req, "duplicate_of", &dup)) {
		vk_incident_free(inc);
		return req->status
		    ? 0
		    : field_error(req, "state", "send a JSON object");
	}
	if (state == NULL || vk_inc_state_parse(state, &to) != 0) {
		vk_incident_free(inc);
		return field_error(req, "state", "a state name, like triaged");
	}
	vk_diag_init(&d);
	r = vk_inc_web_set_state(req, inc, to, reason, dup, &d);
	vk_incident_free(inc);
	inc = NULL;
	if (r == 0 &&
	    (r = vk_inc_web_load(req, req->match.params[0], &inc)) == 0)
		r = vk_resp_json(
		    req, 200, vk_inc_web_json(req, inc, vk_store_now()));
	else if (r != 0)
		r = change_error(req, r, &d);
	vk_diag_release(&d);
	vk_incident_free(inc);
	return r;
}

/* PATCH members: name, flag, kind (s: text up to max, t: tristate). */
static const struct {
	const char *name;
	unsigned flag;
	char kind;
	size_t off, max;
} patchable[] = {
	{ "affected_systems", VK_INC_F_AFFECTED, 's',
	    offsetof(struct vk_incident, affected_systems), 2000 },
	{ "impact", VK_INC_F_IMPACT, 's', offsetof(struct vk_incident, impact),
	    VK_INC_TEXT_MAX },
	{ "iocs", VK_INC_F_IOCS, 's', offsetof(struct vk_incident, iocs),
	    VK_INC_TEXT_MAX },
	{ "root_cause", VK_INC_F_ROOT_CAUSE, 's',
	    offsetof(struct vk_incident, root_cause), VK_INC_TEXT_MAX },
	{ "measures_applied", VK_INC_F_MEASURES_APPLIED, 's',
	    offsetof(struct vk_incident, measures_applied), VK_INC_TEXT_MAX },
	{ "measures_ongoing", VK_INC_F_MEASURES_ONGOING, 's',
	    offsetof(struct vk_incident, measures_ongoing), VK_INC_TEXT_MAX },
	{ "breach_nature", VK_INC_F_BREACH_NATURE, 's',
	    offsetof(struct vk_incident, breach_nature), VK_INC_TEXT_MAX },
	{ "subject_categories", VK_INC_F_SUBJECT_CATEGORIES, 's',
	    offsetof(struct vk_incident, subject_categories), VK_INC_TEXT_MAX },
	{ "record_categories", VK_INC_F_RECORD_CATEGORIES, 's',
	    offsetof(struct vk_incident, record_categories), VK_INC_TEXT_MAX },
	{ "consequences", VK_INC_F_CONSEQUENCES, 's',
	    offsetof(struct vk_incident, consequences), VK_INC_TEXT_MAX },
	{ "delay_reason", VK_INC_F_DELAY_REASON, 's',
	    offsetof(struct vk_incident, delay_reason), VK_INC_TEXT_MAX },
	{ "malicious", VK_INC_F_MALICIOUS, 't',
	    offsetof(struct vk_incident, malicious), 0 },
	{ "cross_border", VK_INC_F_CROSS_BORDER, 't',
	    offsetof(struct vk_incident, cross_border), 0 },
};

int
vk_api_incident_patch(struct vk_req *req)
{
	struct vk_incident *inc = NULL, nv;
	unsigned fields = 0;
	const char *s, *key;
	json_t *v;
	int r;

	r = vk_inc_web_load(req, req->match.params[0], &inc);
	if (r == VK_ENOTFOUND)
		return not_found(req);
	if (r != 0)
		return r;
	if (req->json == NULL || !json_is_object(req->json)) {
		r = field_error(req, "severity", "send a JSON object");
		goto out;
	}
	nv = *inc;
	/* Unknown members are refused: a typo must not pass silently. */
	json_object_foreach(req->json, key, v)
	{
		bool known = strcmp(key, "severity") == 0 ||
		    strcmp(key, "category") == 0 ||
		    strcmp(key, "significant") == 0 ||
		    strcmp(key, "gdpr") == 0 || strcmp(key, "aware_at") == 0 ||
		    strcmp(key, "assignee_id") == 0 ||
		    strcmp(key, "subjects_approx") == 0 ||
		    strcmp(key, "records_approx") == 0;

		for (size_t i = 0; i < sizeof(patchable) / sizeof(*patchable);
		     i++)
			known |= strcmp(key, patchable[i].name) == 0;
		if (!known) {
			r = field_error(req, key,
			    "not a field that can be "
			    "changed");
			goto out;
		}
	}
	if (opt_str(req, "severity", &s))
		goto out;
	if (s != NULL) {
		if (vk_inc_severity_parse(s, &nv.severity) != 0) {
			r = field_error(req, "severity",
			    "unset, low, medium, high or critical");
			goto out;
		}
		fields |= VK_INC_F_SEVERITY;
	}
	if (opt_str(req, "category", &s))
		goto out;
	if (s != NULL) {
		if (vk_inc_category_parse(s, &nv.category) != 0) {
			r = field_error(
			    req, "category", "a category of docs/incidents.md");
			goto out;
		}
		fields |= VK_INC_F_CATEGORY;
	}
	if (opt_str(req, "aware_at", &s))
		goto out;
	if (s != NULL) {
		if (vk_tz_parse_local_us(s, strlen(s), &nv.aware_at) != 0) {
			r = field_error(req, "aware_at",
			    "Swedish local time as 2026-03-29T14:30");
			goto out;
		}
		fields |= VK_INC_F_AWARE_AT;
	}
	if ((v = json_object_get(req->json, "significant")) != NULL) {
		if (!json_is_boolean(v)) {
			r = field_error(req, "significant", "true or false");
			goto out;
		}
		nv.significant = json_is_true(v);
		fields |= VK_INC_F_SIGNIFICANT;
	}
	if ((v = json_object_get(req->json, "gdpr")) != NULL) {
		if (!json_is_boolean(v)) {
			r = field_error(req, "gdpr", "true or false");
			goto out;
		}
		nv.gdpr = json_is_true(v);
		fields |= VK_INC_F_GDPR;
	}
	if ((v = json_object_get(req->json, "assignee_id")) != NULL) {
		if (!(json_is_null(v) ||
			(json_is_integer(v) && json_integer_value(v) > 0))) {
			r = field_error(req, "assignee_id",
			    "a user id, or null for nobody");
			goto out;
		}
		nv.assignee_id = json_is_null(v) ? 0 : json_integer_value(v);
		fields |= VK_INC_F_ASSIGNEE;
	}
	{
		static const char *const counts[2] = { "subjects_approx",
			"records_approx" };

		for (int i = 0; i < 2; i++) {
			v = json_object_get(req->json, counts[i]);
			if (v == NULL)
				continue;
			if (!(json_is_null(v) ||
				(json_is_integer(v) &&
				    json_integer_value(v) >= 0))) {
				r = field_error(req, counts[i],
				    "a whole number, or null if unknown");
				goto out;
			}
			if (i == 0) {
				nv.subjects_approx = json_is_null(v)
				    ? -1
				    : json_integer_value(v);
				fields |= VK_INC_F_SUBJECTS_APPROX;
			} else {
				nv.records_approx = json_is_null(v)
				    ? -1
				    : json_integer_value(v);
				fields |= VK_INC_F_RECORDS_APPROX;
			}
		}
	}
	for (size_t i = 0; i < sizeof(patchable) / sizeof(*patchable); i++) {
		if (opt_str(req, patchable[i].name, &s))
			goto out;
		if (s == NULL)
			continue;
		if (patchable[i].kind == 't') {
			enum vk_tristate t;

			if (vk_tristate_parse(s, &t) != 0) {
				r = field_error(req, patchable[i].name,
				    "yes, no or unknown");
				goto out;
			}
			*(enum vk_tristate *)(void *)((char *)&nv +
			    patchable[i].off) = t;
		} else {
			if (strlen(s) > patchable[i].max ||
			    !vk_inc_text_ok(s, strlen(s))) {
				r = field_error(req, patchable[i].name,
				    "too long, or holds control characters");
				goto out;
			}
			*(const char **)(void *)((char *)&nv +
			    patchable[i].off) = s;
		}
		fields |= patchable[i].flag;
	}
	r = vk_inc_web_update(req, inc, &nv, fields);
	if (r == VK_EINVAL) {
		r = field_error(req, "assignee_id", "no such user");
		goto out;
	}
	if (r != 0)
		goto out;
	vk_incident_free(inc);
	inc = NULL;
	if ((r = vk_inc_web_load(req, req->match.params[0], &inc)) == 0)
		r = vk_resp_json(
		    req, 200, vk_inc_web_json(req, inc, vk_store_now()));
out:
	vk_incident_free(inc);
	return r;
}

int
vk_api_incident_sent(struct vk_req *req)
{
	struct vk_incident *inc = NULL;
	enum vk_inc_stage stage;
	const char *s, *at;
	int64_t sent_at = 0;
	int r;

	r = vk_inc_web_load(req, req->match.params[0], &inc);
	if (r == VK_ENOTFOUND)
		return not_found(req);
	if (r != 0)
		return r;
	if (req->json == NULL) {
		r = field_error(req, "stage", "send a JSON object");
		goto out;
	}
	if (opt_str(req, "stage", &s) || opt_str(req, "sent_at", &at))
		goto out;
	if (s == NULL || vk_inc_stage_parse(s, &stage) != 0) {
		r = field_error(
		    req, "stage", "early_warning, notification, final or gdpr");
		goto out;
	}
	if (at != NULL &&
	    (vk_tz_parse_local_us(at, strlen(at), &sent_at) != 0 ||
		sent_at > vk_store_now() + 300LL * 1000000)) {
		r = field_error(req, "sent_at",
		    "Swedish local time as 2026-03-29T14:30, not in the "
		    "future");
		goto out;
	}
	r = vk_inc_web_mark_sent(req, inc, stage, sent_at);
	if (r == VK_EEXIST) {
		r = vk_resp_error(req, VK_WE_CONFLICT,
		    json_pack("{ss}", "field", "stage"),
		    "That report was already marked as sent.");
		goto out;
	}
	if (r != 0)
		goto out;
	vk_incident_free(inc);
	inc = NULL;
	if ((r = vk_inc_web_load(req, req->match.params[0], &inc)) == 0)
		r = vk_resp_json(
		    req, 200, vk_inc_web_json(req, inc, vk_store_now()));
out:
	vk_incident_free(inc);
	return r;
}

int
vk_api_incident_draft(struct vk_req *req)
{
	struct vk_incident *inc = NULL;
	struct vk_inc_draft *dr = NULL;
	enum vk_inc_stage stage;
	char *js = NULL;
	int r;

	r = vk_inc_web_load(req, req->match.params[0], &inc);
	if (r == 0 && vk_inc_stage_parse(req->match.params[1], &stage) != 0)
		r = VK_ENOTFOUND;
	if (r == VK_ENOTFOUND) {
		vk_incident_free(inc);
		return not_found(req);
	}
	if (r != 0)
		return r;
	if ((r = vk_inc_web_draft(req, inc, stage, &dr)) == 0 &&
	    (r = vk_inc_draft_json(dr, &js)) == 0)
		r = vk_resp_text(req, 200, "application/json", js);
	free(js);
	vk_inc_draft_free(dr);
	vk_incident_free(inc);
	return r;
}
