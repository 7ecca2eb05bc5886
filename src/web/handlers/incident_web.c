/*
 * incident_web.c — the incident changes and views shared by the pages
 * and the JSON API (incident_web.h).  Every change runs in one store
 * transaction together with its audit entry (object_type "incident",
 * object_id the reference).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "incident/tz.h"
#include "mail/mail.h"
#include "util/err.h"
#include "web/handlers/handlers.h"
#include "web/handlers/incident_web.h"

bool
vk_inc_web_can_handle(const struct vk_req *req)
{
	return req->role == VK_WROLE_HANDLER || req->role == VK_WROLE_ADMIN;
}

bool
vk_inc_web_sees_all(const struct vk_req *req)
{
	return vk_inc_web_can_handle(req) || req->role == VK_WROLE_AUDITOR;
}

int
vk_inc_web_load(struct vk_req *req, const char *param, struct vk_incident **out)
{
	struct vk_incident *inc = NULL;
	uint64_t t0 = vk_web_now_ns();
	int64_t id;
	int r;

	*out = NULL;
	if (vk_parse_id(param, &id) != 0)
		return VK_ENOTFOUND;
	r = vk_store_incident_get(req->web->store, id, &inc);
	vk_req_store_time(req, t0);
	if (r != 0)
		return r;
	if (!vk_inc_web_sees_all(req) &&
	    (inc->reporter_id == 0 || inc->reporter_id != req->user_id)) {
		vk_incident_free(inc);
		return VK_ENOTFOUND;
	}
	*out = inc;
	return 0;
}

void
vk_inc_web_clocks(const struct vk_incident *inc, int64_t now,
    struct vk_inc_clock out[VK_STAGE_MAX])
{
	struct vk_inc_clock_input in;

	memset(&in, 0, sizeof(in));
	in.aware_at = inc->aware_at;
	in.significant = inc->significant;
	in.personal_data = inc->gdpr;
	memcpy(in.sent_at, inc->sent_at, sizeof(in.sent_at));
	if (vk_inc_clocks(&in, now, out) != 0)
		memset(out, 0, sizeof(struct vk_inc_clock) * VK_STAGE_MAX);
}

static json_t *
time_json(int64_t us)
{
	char buf[32];

	if (us <= 0 || vk_tz_format_utc_us(us, buf, sizeof(buf)) != 0)
		return json_null();
	return json_string(buf);
}

static json_t *
local_json(int64_t us)
{
	char buf[32];

	if (us <= 0 || vk_tz_format_us(us, true, buf, sizeof(buf)) != 0)
		return json_null();
	return json_string(buf);
}

static json_t *
clocks_json(const struct vk_incident *inc, int64_t now)
{
	struct vk_inc_clock c[VK_STAGE_MAX];
	json_t *o = json_object();

	vk_inc_web_clocks(inc, now, c);
	for (int s = 0; s < VK_STAGE_MAX; s++) {
		json_t *j = json_pack("{ss so so so so sb}", "status",
		    vk_clock_status_name(c[s].status), "due",
		    time_json(c[s].due), "due_local", local_json(c[s].due),
		    "sent_at", time_json(c[s].sent_at), "sent_by",
		    inc->sent_by[s][0] ? json_string(inc->sent_by[s])
				       : json_null(),
		    "estimated", c[s].due_estimated);

		if (j != NULL && c[s].status != VK_CLOCK_OFF &&
		    c[s].sent_at == 0)
			json_object_set_new(j, "seconds_left",
			    json_integer((json_int_t)(c[s].left / 1000000)));
		json_object_set_new(o, vk_inc_stage_name(s), j);
	}
	return o;
}

json_t *
vk_inc_web_json(
    const struct vk_req *req, const struct vk_incident *inc, int64_t now)
{
	const struct vk_inc_authority_class *ac;
	json_t *j;

	j = json_pack("{sI ss ss ss ss ss so so ss ss ss so so ss}", "id",
	    (json_int_t)inc->id, "reference", inc->reference, "type",
	    vk_inc_type_name(inc->type), "state", vk_inc_state_name(inc->state),
	    "title", inc->title, "what", inc->what, "noticed_at",
	    time_json(inc->noticed_at), "noticed_at_local",
	    local_json(inc->noticed_at), "system", inc->system, "personal_data",
	    vk_tristate_name(inc->personal_data), "ongoing",
	    vk_tristate_name(inc->ongoing), "created", time_json(inc->created),
	    "updated", time_json(inc->updated), "reject_reason",
	    inc->reject_reason);
	if (j == NULL || !vk_inc_web_sees_all(req))
		return j;
	ac = vk_inc_category_authority(inc->category);
	json_object_update_new(j,
	    json_pack("{sb sI ss ss ss ss ss so so sb sb so ss ss ss ss ss ss "
		      "ss ss ss sI ss sI ss ss ss ss ss so}",
		"anonymous", inc->anonymous, "assignee_id",
		(json_int_t)inc->assignee_id, "severity",
		vk_inc_severity_name(inc->severity), "category",
		vk_inc_category_name(inc->category), "authority_class",
		ac ? ac->rsit_class : "", "authority_type",
		ac ? ac->rsit_type : "", "affected_systems",
		inc->affected_systems, "aware_at", time_json(inc->aware_at),
		"aware_at_local", local_json(inc->aware_at), "significant",
		inc->significant, "gdpr", inc->gdpr, "duplicate_of",
		inc->duplicate_of ? json_integer((json_int_t)inc->duplicate_of)
				  : json_null(),
		"malicious", vk_tristate_name(inc->malicious), "cross_border",
		vk_tristate_name(inc->cross_border), "impact", inc->impact,
		"iocs", inc->iocs, "root_cause", inc->root_cause,
		"measures_applied", inc->measures_applied, "measures_ongoing",
		inc->measures_ongoing, "breach_nature", inc->breach_nature,
		"subject_categories", inc->subject_categories,
		"subjects_approx", (json_int_t)inc->subjects_approx,
		"record_categories", inc->record_categories, "records_approx",
		(json_int_t)inc->records_approx, "consequences",
		inc->consequences, "delay_reason", inc->delay_reason,
		"contact_name", inc->contact_name, "contact_email",
		inc->contact_email, "contact_phone", inc->contact_phone,
		"clocks", clocks_json(inc, now)));
	return j;
}

static int
audit(struct vk_req *req, const char *action, const struct vk_incident *inc,
    const char *ref, json_t *before, json_t *after)
{
	char *b =
	    before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *a =
	    after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int r;

	json_decref(before);
	json_decref(after);
	r = vk_audit_append(req->web->store,
	    req->actor[0] ? req->actor : "anonymous", req->client, action,
	    "incident", inc ? inc->reference : ref, b, a);
	free(b);
	free(a);
	return r;
}

/* Ends a transaction begun by the caller: commit on success. */
static int
tx_end(struct vk_store *st, int r)
{
	if (r != 0) {
		(void)vk_store_rollback(st);
		return r;
	}
	return vk_store_commit(st);
}

/* Queues a mail to every active handler with an address about the new
 * report (in the caller's transaction). */
static int
notify_handlers(struct vk_store *st, const char *ref,
    const struct vk_inc_report_form *f, const struct vk_inc_report_fields *v)
{
	struct vk_page pg = { VK_PAGE_MAX, 0 };
	struct vk_user_list *l = NULL;
	char subject[VK_MAIL_SUBJECT_MAX + 1];
	struct vk_buf body;
	int r;

	if ((r = vk_store_user_list(st, &pg, &l)) != 0)
		return r;
	vk_buf_init(&body, VK_MAIL_BODY_MAX);
	/* The title is the reporter's text: cut so the subject fits. */
	snprintf(subject, sizeof(subject), "[vaksam] Ny anmälan %s: %.120s",
	    ref, f->title);
	while (!vk_inc_text_ok(subject, strlen(subject)))
		subject[strlen(subject) - 1] = '\0';
	r = vk_buf_appendf(&body,
	    "En ny %s har anmälts i vaksam.\n\nReferens: %s\nSammanfattning: "
	    "%.200s\nPersonuppgifter berörs: %s\n\nLogga in i vaksam och "
	    "öppna Incidenter för att bedöma den.\n",
	    v->type == VK_INC_TYPE_WEAKNESS ? "sårbarhet" : "incident", ref,
	    f->title,
	    v->personal_data == VK_TRI_YES      ? "ja"
		: v->personal_data == VK_TRI_NO ? "nej"
						: "vet inte");
	for (size_t i = 0; r == 0 && i < l->n; i++) {
		const struct vk_user *u = &l->v[i];

		if (u->disabled || u->email[0] == '\0' ||
		    (u->role != VK_ROLE_HANDLER && u->role != VK_ROLE_ADMIN))
			continue;
		r = vk_mail_enqueue(
		    st, u->email, subject, vk_buf_str(&body), 0);
		/* An address the mailer cannot use must not stop the
		 * report. */
		if (r == VK_EINVAL)
			r = 0;
	}
	vk_buf_release(&body);
	vk_user_list_free(l);
	return r;
}

/* Queues a mail to the reporter's contact address about a new state. */
static int
notify_reporter(struct vk_store *st, const struct vk_incident *inc,
    enum vk_inc_state to, const char *reason)
{
	static const char *const sv[VK_INC_STATE_MAX] = { "ny", "bedömd",
		"under utredning", "begränsad", "återställd", "avslutad",
		"avvisad", "en dubblett" };
	char subject[VK_MAIL_SUBJECT_MAX + 1];
	struct vk_buf body;
	int r;

	if (inc->contact_email[0] == '\0')
		return 0;
	snprintf(subject, sizeof(subject), "[vaksam] Din anmälan %s är nu %s",
	    inc->reference, sv[to]);
	vk_buf_init(&body, VK_MAIL_BODY_MAX);
	r = vk_buf_appendf(&body,
	    "Hej!\n\nDin anmälan %s (\"%.200s\") har fått status: %s.\n",
	    inc->reference, inc->title, sv[to]);
	if (r == 0 && to == VK_INC_REJECTED && reason != NULL)
		r = vk_buf_appendf(&body, "\nSkäl: %.2000s\n", reason);
	if (r == 0)
		r = vk_buf_appends(&body,
		    "\nDu kan följa din anmälan i vaksam under Incidenter.\n\n"
		    "Säkerhetsgruppen\n");
	if (r == 0) {
		r = vk_mail_enqueue(
		    st, inc->contact_email, subject, vk_buf_str(&body), 0);
		if (r == VK_EINVAL)
			r = 0;
	}
	vk_buf_release(&body);
	return r;
}

int
vk_inc_web_create(struct vk_req *req, const struct vk_inc_report_form *f,
    const struct vk_inc_report_fields *v,
    const struct vk_inc_attachment_in *att, size_t natt, int64_t *id, char *ref)
{
	struct vk_store *st = req->web->store;
	struct vk_incident in;
	char reference[VK_INC_REF_MAX] = "";
	uint64_t t0 = vk_web_now_ns();
	int r;

	memset(&in, 0, sizeof(in));
	in.type = v->type;
	in.title = (char *)(uintptr_t)f->title;
	in.what = (char *)(uintptr_t)f->what;
	in.noticed_at = v->noticed_at;
	in.system = (char *)(uintptr_t)f->system;
	in.personal_data = v->personal_data;
	in.ongoing = v->ongoing;
	in.reporter_id = req->user_id;
	in.anonymous = req->user_id == 0;
	in.source = req->client;
	in.contact_name = (char *)(uintptr_t)f->contact_name;
	in.contact_email = (char *)(uintptr_t)f->contact_email;
	in.contact_phone = (char *)(uintptr_t)f->contact_phone;
	if ((r = vk_store_begin(st)) != 0)
		goto out;
	r = vk_store_incident_create(st, &in, att, natt,
	    req->actor[0] ? req->actor : "anonymous", vk_store_now(), id,
	    reference);
	if (r == 0)
		r = audit(req, "incident.report", NULL, reference, NULL,
		    json_pack("{ss ss ss sI}", "type",
			vk_inc_type_name(v->type), "title", f->title,
			"personal_data", vk_tristate_name(v->personal_data),
			"attachments", (json_int_t)natt));
	if (r == 0)
		r = notify_handlers(st, reference, f, v);
	r = tx_end(st, r);
	if (r == 0 && ref != NULL)
		memcpy(ref, reference, VK_INC_REF_MAX);
out:
	vk_req_store_time(req, t0);
	return r;
}

int
vk_inc_web_set_state(struct vk_req *req, const struct vk_incident *inc,
    enum vk_inc_state to, const char *reason, const char *dup_ref,
    struct vk_diag *d)
{
	struct vk_store *st = req->web->store;
	struct vk_incident *dup = NULL;
	uint64_t t0;
	int r;

	if (!vk_inc_transition_allowed(inc->state, to)) {
		vk_diag_error(d, "state", "%s -> %s is not allowed",
		    vk_inc_state_name(inc->state), vk_inc_state_name(to));
		return VK_EPERM;
	}
	if (to == VK_INC_REJECTED) {
		size_t n = reason ? strlen(reason) : 0;

		if (n == 0 || n > VK_INC_REASON_MAX ||
		    !vk_inc_text_ok(reason, n)) {
			vk_diag_error(d, "reason",
			    "give the reason the reporter will see (at most "
			    "%d bytes)",
			    VK_INC_REASON_MAX);
			return VK_EINVAL;
		}
	}
	t0 = vk_web_now_ns();
	if (to == VK_INC_DUPLICATE) {
		r = dup_ref ? vk_store_incident_get_by_ref(st, dup_ref, &dup)
			    : VK_ENOTFOUND;
		if (r == VK_ENOTFOUND || (r == 0 && dup->id == inc->id)) {
			vk_diag_error(d, "duplicate_of",
			    "give the reference of another incident, like "
			    "VK-2026-0001");
			vk_incident_free(dup);
			vk_req_store_time(req, t0);
			return VK_EINVAL;
		}
		if (r != 0) {
			vk_req_store_time(req, t0);
			return r;
		}
	}
	if ((r = vk_store_begin(st)) == 0) {
		r = vk_store_incident_set_state(st, inc->id, inc->state, to,
		    reason, dup ? dup->id : 0, req->actor, vk_store_now());
		if (r == 0)
			r = audit(req, "incident.state", inc, NULL,
			    json_pack(
				"{ss}", "state", vk_inc_state_name(inc->state)),
			    json_pack("{ss ss ss}", "state",
				vk_inc_state_name(to), "reason",
				reason ? reason : "", "duplicate_of",
				dup ? dup->reference : ""));
		if (r == 0)
			r = notify_reporter(st, inc, to, reason);
		r = tx_end(st, r);
	}
	vk_req_store_time(req, t0);
	vk_incident_free(dup);
	if (r == VK_ECONFLICT)
		vk_diag_error(d, "state",
		    "someone changed this incident meanwhile; reload and try "
		    "again");
	return r;
}

/* The values of the chosen fields as JSON, for the audit entry. */
static json_t *
fields_json(const struct vk_incident *v, unsigned fields)
{
	json_t *o = json_object();

#define S(flag, key, val) \
	if (fields & (flag)) \
		json_object_set_new(o, key, json_string(val));
#define I(flag, key, val) \
	if (fields & (flag)) \
		json_object_set_new(o, key, json_integer((json_int_t)(val)));
	S(VK_INC_F_SEVERITY, "severity", vk_inc_severity_name(v->severity))
	S(VK_INC_F_CATEGORY, "category", vk_inc_category_name(v->category))
	I(VK_INC_F_ASSIGNEE, "assignee_id", v->assignee_id)
	S(VK_INC_F_AFFECTED, "affected_systems", v->affected_systems)
	I(VK_INC_F_AWARE_AT, "aware_at", v->aware_at)
	I(VK_INC_F_SIGNIFICANT, "significant", v->significant)
	I(VK_INC_F_GDPR, "gdpr", v->gdpr)
	S(VK_INC_F_TYPE, "type", vk_inc_type_name(v->type))
	S(VK_INC_F_MALICIOUS, "malicious", vk_tristate_name(v->malicious))
	S(VK_INC_F_CROSS_BORDER, "cross_border",
	    vk_tristate_name(v->cross_border))
	S(VK_INC_F_IMPACT, "impact", v->impact)
	S(VK_INC_F_IOCS, "iocs", v->iocs)
	S(VK_INC_F_ROOT_CAUSE, "root_cause", v->root_cause)
	S(VK_INC_F_MEASURES_APPLIED, "measures_applied", v->measures_applied)
	S(VK_INC_F_MEASURES_ONGOING, "measures_ongoing", v->measures_ongoing)
	S(VK_INC_F_BREACH_NATURE, "breach_nature", v->breach_nature)
	S(VK_INC_F_SUBJECT_CATEGORIES, "subject_categories",
	    v->subject_categories)
	I(VK_INC_F_SUBJECTS_APPROX, "subjects_approx", v->subjects_approx)
	S(VK_INC_F_RECORD_CATEGORIES, "record_categories", v->record_categories)
	I(VK_INC_F_RECORDS_APPROX, "records_approx", v->records_approx)
	S(VK_INC_F_CONSEQUENCES, "consequences", v->consequences)
	S(VK_INC_F_DELAY_REASON, "delay_reason", v->delay_reason)
#undef S
#undef I
	return o;
}

static bool
same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The subset of `fields` whose value in nv differs from inc. */
static unsigned
changed_fields(
    const struct vk_incident *a, const struct vk_incident *b, unsigned fields)
{
	unsigned same = 0;

#define EQ(flag, cond) \
	if (cond) \
		same |= (flag);
	EQ(VK_INC_F_SEVERITY, a->severity == b->severity)
	EQ(VK_INC_F_CATEGORY, a->category == b->category)
	EQ(VK_INC_F_ASSIGNEE, a->assignee_id == b->assignee_id)
	EQ(VK_INC_F_AFFECTED,
	    same_text(a->affected_systems, b->affected_systems))
	EQ(VK_INC_F_AWARE_AT, a->aware_at == b->aware_at)
	EQ(VK_INC_F_SIGNIFICANT, a->significant == b->significant)
	EQ(VK_INC_F_GDPR, a->gdpr == b->gdpr)
	EQ(VK_INC_F_TYPE, a->type == b->type)
	EQ(VK_INC_F_MALICIOUS, a->malicious == b->malicious)
	EQ(VK_INC_F_CROSS_BORDER, a->cross_border == b->cross_border)
	EQ(VK_INC_F_IMPACT, same_text(a->impact, b->impact))
	EQ(VK_INC_F_IOCS, same_text(a->iocs, b->iocs))
	EQ(VK_INC_F_ROOT_CAUSE, same_text(a->root_cause, b->root_cause))
	EQ(VK_INC_F_MEASURES_APPLIED,
	    same_text(a->measures_applied, b->measures_applied))
	EQ(VK_INC_F_MEASURES_ONGOING,
	    same_text(a->measures_ongoing, b->measures_ongoing))
	EQ(VK_INC_F_BREACH_NATURE,
	    same_text(a->breach_nature, b->breach_nature))
	EQ(VK_INC_F_SUBJECT_CATEGORIES,
	    same_text(a->subject_categories, b->subject_categories))
	EQ(VK_INC_F_SUBJECTS_APPROX, a->subjects_approx == b->subjects_approx)
	EQ(VK_INC_F_RECORD_CATEGORIES,
	    same_text(a->record_categories, b->record_categories))
	EQ(VK_INC_F_RECORDS_APPROX, a->records_approx == b->records_approx)
	EQ(VK_INC_F_CONSEQUENCES, same_text(a->consequences, b->consequences))
	EQ(VK_INC_F_DELAY_REASON, same_text(a->delay_reason, b->delay_reason))
#undef EQ
	return fields & ~same;
}

int
vk_inc_web_update(struct vk_req *req, const struct vk_incident *inc,
    const struct vk_incident *nv, unsigned fields)
{
	struct vk_store *st = req->web->store;
	uint64_t t0 = vk_web_now_ns();
	json_t *after;
	const char *key;
	json_t *v;
	struct vk_buf names;
	int64_t now = vk_store_now();
	int r;

	/* Only what really changes is written, timelined and audited. */
	fields = changed_fields(inc, nv, fields);
	if (fields == 0)
		return 0;
	after = fields_json(nv, fields);
	if (after == NULL)
		return VK_ENOMEM;
	vk_buf_init(&names, 4096);
	json_object_foreach(after, key, v)
	{
		(void)v;
		if (names.len > 0)
			(void)vk_buf_appends(&names, ", ");
		(void)vk_buf_appends(&names, key);
	}
	if ((r = vk_store_begin(st)) == 0) {
		r = vk_store_incident_update(st, inc->id, nv, fields, now);
		/* The timeline names the fields that changed; their
		 * (possibly long) values are in the audit entry. */
		if (r == 0)
			r = vk_store_incident_event_add(st, inc->id,
			    VK_EV_CHANGE, req->actor, vk_buf_str(&names), false,
			    now, NULL);
		if (r == 0)
			r = audit(req, "incident.update", inc, NULL,
			    fields_json(inc, fields), json_incref(after));
		r = tx_end(st, r);
	}
	vk_buf_release(&names);
	json_decref(after);
	vk_req_store_time(req, t0);
	return r;
}

int
vk_inc_web_mark_sent(struct vk_req *req, const struct vk_incident *inc,
    enum vk_inc_stage stage, int64_t sent_at)
{
	struct vk_store *st = req->web->store;
	uint64_t t0 = vk_web_now_ns();
	int64_t now = vk_store_now();
	int r;

	if (sent_at == 0)
		sent_at = now;
	if ((r = vk_store_begin(st)) == 0) {
		r = vk_store_incident_mark_sent(
		    st, inc->id, stage, sent_at, req->actor, now);
		if (r == 0)
			r = audit(req, "incident.sent", inc, NULL, NULL,
			    json_pack("{ss sI}", "stage",
				vk_inc_stage_name(stage), "sent_at",
				(json_int_t)(sent_at / 1000000)));
		r = tx_end(st, r);
	}
	vk_req_store_time(req, t0);
	return r;
}

int
vk_inc_web_event(struct vk_req *req, const struct vk_incident *inc,
    enum vk_inc_event_kind kind, const char *body)
{
	struct vk_store *st = req->web->store;
	uint64_t t0 = vk_web_now_ns();
	int r;

	if ((r = vk_store_begin(st)) == 0) {
		r = vk_store_incident_event_add(st, inc->id, kind, req->actor,
		    body, kind == VK_EV_MESSAGE, vk_store_now(), NULL);
		if (r == 0)
			r = audit(req,
			    kind == VK_EV_MESSAGE ? "incident.message"
						  : "incident.note",
			    inc, NULL, NULL, json_pack("{ss}", "text", body));
		r = tx_end(st, r);
	}
	vk_req_store_time(req, t0);
	return r;
}

int
vk_inc_web_attach(struct vk_req *req, const struct vk_incident *inc,
    const struct vk_inc_attachment_in *a, int64_t *aid)
{
	struct vk_store *st = req->web->store;
	uint64_t t0 = vk_web_now_ns();
	int64_t id = 0;
	int r;

	if ((r = vk_store_begin(st)) == 0) {
		r = vk_store_incident_attach(
		    st, inc->id, a, req->actor, vk_store_now(), &id);
		if (r == 0)
			r = audit(req, "incident.evidence", inc, NULL, NULL,
			    json_pack("{sIsssIss}", "attachment",
				(json_int_t)id, "filename", a->filename, "size",
				(json_int_t)a->len, "kind",
				vk_attach_kind_name(a->kind)));
		r = tx_end(st, r);
	}
	vk_req_store_time(req, t0);
	if (r == 0 && aid)
		*aid = id;
	return r;
}

int
vk_inc_web_audit_read(struct vk_req *req, const struct vk_incident *inc,
    int64_t aid, const char *filename)
{
	uint64_t t0 = vk_web_now_ns();
	int r;

	r = audit(req, "incident.attachment.read", inc, NULL, NULL,
	    json_pack(
		"{sIss}", "attachment", (json_int_t)aid, "filename", filename));
	vk_req_store_time(req, t0);
	return r;
}

int
vk_inc_web_draft(struct vk_req *req, const struct vk_incident *inc,
    enum vk_inc_stage stage, struct vk_inc_draft **out)
{
	struct vk_inc_draft_input in;
	char *org = NULL, *auth = NULL;
	uint64_t t0 = vk_web_now_ns();
	int r;

	(void)vk_store_setting_get(req->web->store, "org.name", &org);
	(void)vk_store_setting_get(req->web->store,
	    stage == VK_STAGE_GDPR ? "incident.gdpr_authority"
				   : "incident.authority",
	    &auth);
	vk_req_store_time(req, t0);
	memset(&in, 0, sizeof(in));
	in.reference = inc->reference;
	in.org_name = org;
	in.authority = auth ? auth : stage == VK_STAGE_GDPR ? "IMY" : "CERT-SE";
	in.title = inc->title;
	in.category = inc->category;
	in.severity = inc->severity;
	in.aware_at = inc->aware_at;
	in.now = vk_store_now();
	in.still_handled =
	    vk_inc_state_open(inc->state) && inc->state != VK_INC_RECOVERED;
	in.malicious = inc->malicious;
	in.cross_border = inc->cross_border;
	in.description = inc->what;
	in.impact = inc->impact;
	in.iocs = inc->iocs;
	in.root_cause = inc->root_cause;
	in.measures_applied = inc->measures_applied;
	in.measures_ongoing = inc->measures_ongoing;
	in.breach_nature = inc->breach_nature;
	in.subject_categories = inc->subject_categories;
	in.subjects_approx = inc->subjects_approx;
	in.record_categories = inc->record_categories;
	in.records_approx = inc->records_approx;
	in.consequences = inc->consequences;
	in.delay_reason = inc->delay_reason;
	in.contact_name = inc->contact_name;
	in.contact_email = inc->contact_email;
	in.contact_phone = inc->contact_phone;
	r = vk_inc_draft_build(&in, stage, req->lang, out);
	free(org);
	free(auth);
	return r;
}

void
vk_inc_web_duration(const struct vk_req *req, int64_t us, char *buf, size_t n)
{
	int64_t m = (us < 0 ? -us : us) / 60000000;
	int64_t d = m / (60 * 24), h = m / 60 % 24, mm = m % 60;
	int r;

	if (d > 0)
		r = snprintf(buf, n, "%lld %s %lld h", (long long)d,
		    T(req, "d"), (long long)h);
	else
		r = snprintf(
		    buf, n, "%lld h %lld min", (long long)h, (long long)mm);
	if (r < 0 || (size_t)r >= n)
		snprintf(buf, n, "?");
}
