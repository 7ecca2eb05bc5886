/*
 * store_incident.c — incidents, timeline, attachments, tasks and sent
 * reports over the shared statement runner (store_incident.h).
 *
 * Attachment content is stored as base64 text in the row: the backends
 * bind text and integers only, and this keeps the file in the same
 * transaction as the report on both of them and on every node of a
 * PostgreSQL cluster, with nothing under a served directory and nothing
 * extra to back up (docs/design/store.md, "Attachments").  The cost is a
 * third more space for at most VK_INC_ATTACH_COUNT x 10 MiB per report.
 */
#include "store/store_incident.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident/tz.h"
#include "store/backend.h"
#include "util/err.h"

#define q vk_store_q

/* Text columns of struct vk_incident, in the order of INC_COLS after the
 * fixed ones. */
struct text_col {
	const char *col;
	size_t off;
};

#define TC(c) \
	{ \
#c, offsetof(struct vk_incident, c) \
	}
static const struct text_col text_cols[] = {
	TC(title),
	TC(what),
	TC(system),
	TC(source),
	TC(contact_name),
	TC(contact_email),
	TC(contact_phone),
	TC(affected_systems),
	TC(reject_reason),
	TC(impact),
	TC(iocs),
	TC(root_cause),
	TC(measures_applied),
	TC(measures_ongoing),
	TC(breach_nature),
	TC(subject_categories),
	TC(record_categories),
	TC(consequences),
	TC(delay_reason),
};
#undef TC
#define NTEXT (sizeof(text_cols) / sizeof(text_cols[0]))

/* Must list the text columns in text_cols order from index 0. */
#define INC_COLS \
	"i.title, i.what, i.system, i.source, i.contact_name, " \
	"i.contact_email, i.contact_phone, i.affected_systems, " \
	"i.reject_reason, i.impact, i.iocs, i.root_cause, " \
	"i.measures_applied, i.measures_ongoing, i.breach_nature, " \
	"i.subject_categories, i.record_categories, i.consequences, " \
	"i.delay_reason, " /* 19 */ "i.id, i.reference, i.year, i.seq, " \
	"i.type, i.state, " /* 25 */ \
	"i.noticed_at, i.personal_data, i.ongoing, " /* 28 */ \
	"i.reporter_id, i.anonymous, i.assignee_id, i.severity, " /* 32 */ \
	"i.category, i.aware_at, i.significant, i.gdpr, " /* 36 */ \
	"i.duplicate_of, i.malicious, i.cross_border, " /* 39 */ \
	"i.subjects_approx, i.records_approx, i.created, " /* 42 */ \
	"i.updated, i.triaged_at, i.closed_at"
#define C0 NTEXT

static char **
text_ptr(struct vk_incident *inc, size_t i)
{
	return (char **)(void *)((char *)inc + text_cols[i].off);
}

static void
incident_clear(struct vk_incident *inc)
{
	for (size_t i = 0; i < NTEXT; i++)
		free(*text_ptr(inc, i));
	for (int s = 0; s < VK_STAGE_MAX; s++)
		free(inc->sent_by[s]);
	memset(inc, 0, sizeof(*inc));
}

void
vk_incident_free(struct vk_incident *inc)
{
	if (inc == NULL)
		return;
	incident_clear(inc);
	free(inc);
}

void
vk_incident_list_free(struct vk_incident_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		incident_clear(&l->v[i]);
	free(l->v);
	free(l);
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static int
from_row(const struct vk_db_res *res, size_t row, struct vk_incident *inc)
{
	const char *ref;

	memset(inc, 0, sizeof(*inc));
	for (size_t i = 0; i < NTEXT; i++)
		if ((*text_ptr(inc, i) = strdup(vk_db_get(res, row, i))) ==
		    NULL)
			goto nomem;
	for (int s = 0; s < VK_STAGE_MAX; s++)
		if ((inc->sent_by[s] = strdup("")) == NULL)
			goto nomem;
	inc->id = vk_db_get_int(res, row, C0 + 0);
	ref = vk_db_get(res, row, C0 + 1);
	if (strlen(ref) >= sizeof(inc->reference))
		goto bad;
	memcpy(inc->reference, ref, strlen(ref) + 1);
	inc->year = (int)vk_db_get_int(res, row, C0 + 2);
	inc->seq = vk_db_get_int(res, row, C0 + 3);
	if (vk_inc_type_parse(vk_db_get(res, row, C0 + 4), &inc->type) != 0 ||
	    vk_inc_state_parse(vk_db_get(res, row, C0 + 5), &inc->state) != 0 ||
	    vk_tristate_parse(
		vk_db_get(res, row, C0 + 7), &inc->personal_data) != 0 ||
	    vk_tristate_parse(vk_db_get(res, row, C0 + 8), &inc->ongoing) !=
		0 ||
	    vk_inc_severity_parse(
		vk_db_get(res, row, C0 + 12), &inc->severity) != 0 ||
	    vk_inc_category_parse(
		vk_db_get(res, row, C0 + 13), &inc->category) != 0 ||
	    vk_tristate_parse(vk_db_get(res, row, C0 + 18), &inc->malicious) !=
		0 ||
	    vk_tristate_parse(
		vk_db_get(res, row, C0 + 19), &inc->cross_border) != 0)
		goto bad;
	inc->noticed_at = vk_db_get_int(res, row, C0 + 6);
	inc->reporter_id = vk_db_get_int(res, row, C0 + 9);
	inc->anonymous = vk_db_get_int(res, row, C0 + 10) != 0;
	inc->assignee_id = vk_db_get_int(res, row, C0 + 11);
	inc->aware_at = vk_db_get_int(res, row, C0 + 14);
	inc->significant = vk_db_get_int(res, row, C0 + 15) != 0;
	inc->gdpr = vk_db_get_int(res, row, C0 + 16) != 0;
	inc->duplicate_of = vk_db_get_int(res, row, C0 + 17);
	inc->subjects_approx = vk_db_get_int(res, row, C0 + 20);
	inc->records_approx = vk_db_get_int(res, row, C0 + 21);
	inc->created = vk_db_get_int(res, row, C0 + 22);
	inc->updated = vk_db_get_int(res, row, C0 + 23);
	inc->triaged_at = vk_db_get_int(res, row, C0 + 24);
	inc->closed_at = vk_db_get_int(res, row, C0 + 25);
	return 0;
nomem:
	incident_clear(inc);
	return VK_ENOMEM;
bad:
	incident_clear(inc);
	return VK_ESTORE;
}

/* Fills sent_at / sent_by of the n incidents in v from incident_sent. */
static int
load_sent(struct vk_store *st, struct vk_incident *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		struct vk_db_param p[1] = { VK_P_INT(v[k].id) };
		struct vk_db_res res;
		int r;

		if ((r = q(st,
			 "SELECT stage, sent_at, sent_by FROM incident_sent "
			 "WHERE incident_id = $1",
			 p, 1, &res)) != 0)
			return r;
		for (size_t i = 0; i < res.nrows; i++) {
			enum vk_inc_stage s;
			char *by;

			if (vk_inc_stage_parse(vk_db_get(&res, i, 0), &s) != 0)
				continue;
			if ((by = strdup(vk_db_get(&res, i, 2))) == NULL) {
				vk_db_res_free(&res);
				return VK_ENOMEM;
			}
			free(v[k].sent_by[s]);
			v[k].sent_by[s] = by;
			v[k].sent_at[s] = vk_db_get_int(&res, i, 1);
		}
		vk_db_res_free(&res);
	}
	return 0;
}

static int
get_one(struct vk_store *st, const char *sql, const struct vk_db_param *p,
    struct vk_incident **out)
{
	struct vk_incident *inc = NULL;
	struct vk_db_res res;
	int r;

	if (out == NULL)
		return VK_EINVAL;
	*out = NULL;
	if ((r = q(st, sql, p, 1, &res)) != 0)
		return r;
	if (res.nrows == 0) {
		r = VK_ENOTFOUND;
		goto out;
	}
	if ((inc = malloc(sizeof(*inc))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	if ((r = from_row(&res, 0, inc)) != 0) {
		free(inc);
		inc = NULL;
		goto out;
	}
	if ((r = load_sent(st, inc, 1)) != 0)
		goto out;
	*out = inc;
	inc = NULL;
out:
	vk_incident_free(inc);
	vk_db_res_free(&res);
	return r;
}

int
vk_store_incident_get(struct vk_store *st, int64_t id, struct vk_incident **out)
{
	struct vk_db_param p[1] = { VK_P_INT(id) };

	return get_one(
	    st, "SELECT " INC_COLS " FROM incidents i WHERE i.id = $1", p, out);
}

int
vk_store_incident_get_by_ref(
    struct vk_store *st, const char *ref, struct vk_incident **out)
{
	struct vk_db_param p[2];
	int year;
	int64_t seq;

	if (out != NULL)
		*out = NULL;
	if (ref == NULL || out == NULL)
		return VK_EINVAL;
	if (vk_inc_ref_parse(ref, strlen(ref), &year, &seq) != 0)
		return VK_ENOTFOUND;
	p[0] = VK_P_INT(year);
	p[1] = VK_P_INT(seq);
	{
		struct vk_incident *inc = NULL;
		struct vk_db_res res;
		int r;

		if ((r = q(st,
			 "SELECT i.id FROM incidents i WHERE i.year = $1 AND "
			 "i.seq = $2",
			 p, 2, &res)) != 0)
			return r;
		if (res.nrows == 0) {
			vk_db_res_free(&res);
			return VK_ENOTFOUND;
		}
		r = vk_store_incident_get(st, vk_db_get_int(&res, 0, 0), &inc);
		vk_db_res_free(&res);
		*out = inc;
		return r;
	}
}

int
vk_store_incident_list(struct vk_store *st, const struct vk_incident_filter *f,
    const struct vk_page *pg, struct vk_incident_list **out)
{
	struct vk_incident_list *l = NULL;
	struct vk_db_param p[5];
	struct vk_db_res res = { 0 };
	int64_t limit, offset;
	int r;

	if (out == NULL)
		return VK_EINVAL;
	*out = NULL;
	if (f != NULL && f->state >= VK_INC_STATE_MAX)
		return VK_EINVAL;
	vk_store_page_norm(pg, &limit, &offset);
	p[0] = VK_P_INT(f ? f->reporter_id : 0);
	p[1] = VK_P_TEXT(f && f->state >= 0 ? vk_inc_state_name(f->state) : "");
	p[2] = VK_P_INT(f && f->open_only ? 1 : 0);
	p[3] = VK_P_INT(limit);
	p[4] = VK_P_INT(offset);
#define WHERE \
	" WHERE ($1 = 0 OR i.reporter_id = $1) AND ($2 = '' OR i.state = " \
	"$2) AND ($3 = 0 OR i.state NOT IN ('closed', 'rejected', " \
	"'duplicate'))"
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return VK_ENOMEM;
	if ((r = q(st, "SELECT count(*) FROM incidents i" WHERE, p, 3, &res)) !=
	    0)
		goto out;
	l->total = vk_db_get_int(&res, 0, 0);
	vk_db_res_free(&res);
	if ((r = q(st,
		 "SELECT " INC_COLS " FROM incidents i" WHERE
		 " ORDER BY i.id DESC LIMIT $4 OFFSET $5",
		 p, 5, &res)) != 0)
		goto out;
#undef WHERE
	if (res.nrows > 0 &&
	    (l->v = calloc(res.nrows, sizeof(*l->v))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < res.nrows; i++) {
		if ((r = from_row(&res, i, &l->v[i])) != 0)
			goto out;
		l->n++;
	}
	if ((r = load_sent(st, l->v, l->n)) != 0)
		goto out;
	*out = l;
	l = NULL;
out:
	vk_db_res_free(&res);
	vk_incident_list_free(l);
	return r;
}

/* ------------------------------------------------------------------ */
/* Writing.                                                            */

static bool
text_ok(const char *s, size_t max)
{
	return s == NULL || strlen(s) <= max;
}

static int
event_add(struct vk_store *st, int64_t id, enum vk_inc_event_kind kind,
    const char *actor, const char *body, bool to_reporter, int64_t now,
    int64_t *eid)
{
	struct vk_db_param p[6];
	struct vk_db_res res;
	int r;

	p[0] = VK_P_INT(id);
	p[1] = VK_P_INT(now);
	p[2] = VK_P_TEXT(actor);
	p[3] = VK_P_TEXT(vk_inc_event_kind_name(kind));
	p[4] = VK_P_TEXT(body);
	p[5] = VK_P_INT(to_reporter ? 1 : 0);
	r = q(st,
	    "INSERT INTO incident_events (incident_id, time, actor, kind, "
	    "body, to_reporter) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	    p, 6, &res);
	if (r == 0 && eid != NULL)
		*eid = vk_db_get_int(&res, 0, 0);
	vk_db_res_free(&res);
	return r;
}

static int
attach_one(struct vk_store *st, int64_t id,
    const struct vk_inc_attachment_in *a, const char *actor, int64_t now,
    int64_t *aid)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	char hex[VK_HASH_HEX];
	struct vk_db_param p[8];
	struct vk_db_res res;
	char *b64 = NULL;
	size_t b64len;
	int r;

	if (a == NULL || a->data == NULL || a->len == 0 ||
	    a->len > VK_INC_ATTACH_MAX || a->filename == NULL ||
	    a->filename[0] == '\0' ||
	    strlen(a->filename) > VK_INC_FILENAME_MAX ||
	    (unsigned)a->kind >= VK_ATTACH_KIND_MAX)
		return VK_EINVAL;
	crypto_hash_sha256(digest, a->data, a->len);
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	b64len =
	    sodium_base64_ENCODED_LEN(a->len, sodium_base64_VARIANT_ORIGINAL);
	if ((b64 = malloc(b64len)) == NULL)
		return VK_ENOMEM;
	sodium_bin2base64(
	    b64, b64len, a->data, a->len, sodium_base64_VARIANT_ORIGINAL);
	p[0] = VK_P_INT(id);
	p[1] = VK_P_TEXT(a->filename);
	p[2] = VK_P_TEXT(vk_attach_kind_name(a->kind));
	p[3] = VK_P_INT((int64_t)a->len);
	p[4] = VK_P_TEXT(hex);
	p[5] = VK_P_TEXT(b64);
	p[6] = VK_P_TEXT(actor);
	p[7] = VK_P_INT(now);
	r = q(st,
	    "INSERT INTO incident_attachments (incident_id, filename, kind, "
	    "size, sha256, content, uploaded_by, created) VALUES ($1, $2, $3, "
	    "$4, $5, $6, $7, $8) RETURNING id",
	    p, 8, &res);
	if (r == 0 && aid != NULL)
		*aid = vk_db_get_int(&res, 0, 0);
	vk_db_res_free(&res);
	free(b64);
	return r;
}

int
vk_store_incident_create(struct vk_store *st, const struct vk_incident *in,
    const struct vk_inc_attachment_in *att, size_t natt, const char *actor,
    int64_t now, int64_t *id, char *ref)
{
	char reference[VK_INC_REF_MAX];
	struct vk_db_param p[20];
	struct vk_db_res res = { 0 };
	struct vk_civil c;
	int64_t seq, newid;
	bool mine = false;
	int r;

	if (st == NULL || in == NULL || actor == NULL || *actor == '\0' ||
	    (natt > 0 && att == NULL) || natt > VK_INC_ATTACH_COUNT ||
	    (unsigned)in->type >= VK_INC_TYPE_MAX ||
	    (unsigned)in->personal_data >= VK_TRI_MAX ||
	    (unsigned)in->ongoing >= VK_TRI_MAX || in->title == NULL ||
	    in->title[0] == '\0' || in->what == NULL || in->what[0] == '\0' ||
	    in->noticed_at <= 0 || !text_ok(in->title, VK_INC_TITLE_MAX) ||
	    !text_ok(in->what, VK_INC_TEXT_MAX) ||
	    !text_ok(in->system, VK_INC_SYSTEM_MAX) ||
	    !text_ok(in->source, VK_INC_CONTACT_MAX) ||
	    !text_ok(in->contact_name, VK_INC_CONTACT_MAX) ||
	    !text_ok(in->contact_email, VK_EMAIL_MAX) ||
	    !text_ok(in->contact_phone, VK_INC_CONTACT_MAX) ||
	    vk_tz_to_local(now / 1000000, &c) != 0)
		return VK_EINVAL;
	if ((r = vk_store_auto_begin(st, &mine)) != 0)
		return r;
	p[0] = VK_P_INT(c.year);
	if ((r = q(st,
		 "INSERT INTO incident_counters (year, last) VALUES ($1, 1) "
		 "ON CONFLICT (year) DO UPDATE SET last = "
		 "incident_counters.last + 1 RETURNING last",
		 p, 1, &res)) != 0)
		goto out;
	seq = vk_db_get_int(&res, 0, 0);
	vk_db_res_free(&res);
	if ((r = vk_inc_ref_format(
		 c.year, seq, reference, sizeof(reference))) != 0)
		goto out;
	p[0] = VK_P_TEXT(reference);
	p[1] = VK_P_INT(c.year);
	p[2] = VK_P_INT(seq);
	p[3] = VK_P_TEXT(vk_inc_type_name(in->type));
	p[4] = VK_P_TEXT(in->title);
	p[5] = VK_P_TEXT(in->what);
	p[6] = VK_P_INT(in->noticed_at);
	p[7] = VK_P_TEXT(in->system);
	p[8] = VK_P_TEXT(vk_tristate_name(in->personal_data));
	p[9] = VK_P_TEXT(vk_tristate_name(in->ongoing));
	p[10] = in->reporter_id > 0
	    ? VK_P_INT(in->reporter_id)
	    : (struct vk_db_param){ .type = VK_DB_NULL };
	p[11] = VK_P_INT(in->anonymous ? 1 : 0);
	p[12] = VK_P_TEXT(in->source);
	p[13] = VK_P_TEXT(in->contact_name);
	p[14] = VK_P_TEXT(in->contact_email);
	p[15] = VK_P_TEXT(in->contact_phone);
	p[16] = VK_P_INT(now);
	/* A report with personal data starts with the GDPR mark set; the
	 * handler may clear it. */
	p[17] = VK_P_INT(in->personal_data == VK_TRI_YES ? 1 : 0);
	if ((r = q(st,
		 "INSERT INTO incidents (reference, year, seq, type, title, "
		 "what, noticed_at, system, personal_data, ongoing, "
		 "reporter_id, anonymous, source, contact_name, "
		 "contact_email, contact_phone, aware_at, gdpr, created, "
		 "updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
		 "$11, $12, $13, $14, $15, $16, $7, $18, $17, $17) "
		 "RETURNING id",
		 p, 18, &res)) != 0)
		goto out;
	newid = vk_db_get_int(&res, 0, 0);
	vk_db_res_free(&res);
	if ((r = event_add(
		 st, newid, VK_EV_REPORTED, actor, "", true, now, NULL)) != 0)
		goto out;
	for (size_t i = 0; i < natt; i++)
		if ((r = attach_one(st, newid, &att[i], actor, now, NULL)) != 0)
			goto out;
	if (id != NULL)
		*id = newid;
	if (ref != NULL)
		memcpy(ref, reference, sizeof(reference));
out:
	vk_db_res_free(&res);
	return vk_store_auto_end(st, mine, r);
}

/* One constant UPDATE per field: $1 id, $2 value, $3 now. */
struct upd {
	unsigned flag;
	const char *sql;
};

static const struct upd updates[] = {
#define U(f, col) \
	{ \
		f, \
		    "UPDATE incidents SET " col " = $2, updated = $3 " \
		    "WHERE id = $1" \
	}
	U(VK_INC_F_SEVERITY, "severity"),
	U(VK_INC_F_CATEGORY, "category"),
	U(VK_INC_F_ASSIGNEE, "assignee_id"),
	U(VK_INC_F_AFFECTED, "affected_systems"),
	U(VK_INC_F_AWARE_AT, "aware_at"),
	U(VK_INC_F_SIGNIFICANT, "significant"),
	U(VK_INC_F_GDPR, "gdpr"),
	U(VK_INC_F_TYPE, "type"),
	U(VK_INC_F_MALICIOUS, "malicious"),
	U(VK_INC_F_CROSS_BORDER, "cross_border"),
	U(VK_INC_F_IMPACT, "impact"),
	U(VK_INC_F_IOCS, "iocs"),
	U(VK_INC_F_ROOT_CAUSE, "root_cause"),
	U(VK_INC_F_MEASURES_APPLIED, "measures_applied"),
	U(VK_INC_F_MEASURES_ONGOING, "measures_ongoing"),
	U(VK_INC_F_BREACH_NATURE, "breach_nature"),
	U(VK_INC_F_SUBJECT_CATEGORIES, "subject_categories"),
	U(VK_INC_F_SUBJECTS_APPROX, "subjects_approx"),
	U(VK_INC_F_RECORD_CATEGORIES, "record_categories"),
	U(VK_INC_F_RECORDS_APPROX, "records_approx"),
	U(VK_INC_F_CONSEQUENCES, "consequences"),
	U(VK_INC_F_DELAY_REASON, "delay_reason"),
#undef U
};

/* The value of one field as a parameter; false when it is invalid. */
static bool
field_param(const struct vk_incident *in, unsigned flag, struct vk_db_param *p)
{
	const char *s = NULL;
	size_t max = VK_INC_TEXT_MAX;

	switch (flag) {
	case VK_INC_F_SEVERITY:
		if ((unsigned)in->severity >= VK_SEV_MAX)
			return false;
		*p = VK_P_TEXT(vk_inc_severity_name(in->severity));
		return true;
	case VK_INC_F_CATEGORY:
		if ((unsigned)in->category >= VK_CAT_MAX)
			return false;
		*p = VK_P_TEXT(vk_inc_category_name(in->category));
		return true;
	case VK_INC_F_ASSIGNEE:
		*p = in->assignee_id > 0
		    ? VK_P_INT(in->assignee_id)
		    : (struct vk_db_param){ .type = VK_DB_NULL };
		return in->assignee_id >= 0;
	case VK_INC_F_AWARE_AT:
		*p = VK_P_INT(in->aware_at);
		return in->aware_at > 0;
	case VK_INC_F_SIGNIFICANT:
		*p = VK_P_INT(in->significant ? 1 : 0);
		return true;
	case VK_INC_F_GDPR:
		*p = VK_P_INT(in->gdpr ? 1 : 0);
		return true;
	case VK_INC_F_TYPE:
		if ((unsigned)in->type >= VK_INC_TYPE_MAX)
			return false;
		*p = VK_P_TEXT(vk_inc_type_name(in->type));
		return true;
	case VK_INC_F_MALICIOUS:
	case VK_INC_F_CROSS_BORDER: {
		enum vk_tristate t = flag == VK_INC_F_MALICIOUS
		    ? in->malicious
		    : in->cross_border;

		if ((unsigned)t >= VK_TRI_MAX)
			return false;
		*p = VK_P_TEXT(vk_tristate_name(t));
		return true;
	}
	case VK_INC_F_SUBJECTS_APPROX:
		*p = VK_P_INT(in->subjects_approx);
		return in->subjects_approx >= -1;
	case VK_INC_F_RECORDS_APPROX:
		*p = VK_P_INT(in->records_approx);
		return in->records_approx >= -1;
	case VK_INC_F_AFFECTED:
		s = in->affected_systems;
		max = VK_INC_SYSTEM_MAX * 10;
		break;
	case VK_INC_F_IMPACT:
		s = in->impact;
		break;
	case VK_INC_F_IOCS:
		s = in->iocs;
		break;
	case VK_INC_F_ROOT_CAUSE:
		s = in->root_cause;
		break;
	case VK_INC_F_MEASURES_APPLIED:
		s = in->measures_applied;
		break;
	case VK_INC_F_MEASURES_ONGOING:
		s = in->measures_ongoing;
		break;
	case VK_INC_F_BREACH_NATURE:
		s = in->breach_nature;
		break;
	case VK_INC_F_SUBJECT_CATEGORIES:
		s = in->subject_categories;
		break;
	case VK_INC_F_RECORD_CATEGORIES:
		s = in->record_categories;
		break;
	case VK_INC_F_CONSEQUENCES:
		s = in->consequences;
		break;
	case VK_INC_F_DELAY_REASON:
		s = in->delay_reason;
		break;
	default:
		return false;
	}
	if (!text_ok(s, max))
		return false;
	*p = VK_P_TEXT(nz(s));
	return true;
}

int
vk_store_incident_update(struct vk_store *st, int64_t id,
    const struct vk_incident *in, unsigned fields, int64_t now)
{
	struct vk_db_param p[3];
	struct vk_db_res res = { 0 };
	bool mine = false;
	int r = 0;

	if (st == NULL || in == NULL || (fields & ~(unsigned)VK_INC_F_ALL))
		return VK_EINVAL;
	for (size_t i = 0; i < sizeof(updates) / sizeof(*updates); i++)
		if ((fields & updates[i].flag) &&
		    !field_param(in, updates[i].flag, &p[1]))
			return VK_EINVAL;
	if ((r = vk_store_auto_begin(st, &mine)) != 0)
		return r;
	p[0] = VK_P_INT(id);
	p[1] = VK_P_INT(now);
	if ((r = q(st, "UPDATE incidents SET updated = $2 WHERE id = $1", p, 2,
		 &res)) != 0)
		goto out;
	if (res.changes == 0) {
		r = VK_ENOTFOUND;
		goto out;
	}
	for (size_t i = 0; i < sizeof(updates) / sizeof(*updates); i++) {
		if (!(fields & updates[i].flag))
			continue;
		(void)field_param(in, updates[i].flag, &p[1]);
		p[2] = VK_P_INT(now);
		if ((r = q(st, updates[i].sql, p, 3, NULL)) != 0)
			goto out;
	}
out:
	vk_db_res_free(&res);
	return vk_store_auto_end(st, mine, r);
}

int
vk_store_incident_set_state(struct vk_store *st, int64_t id,
    enum vk_inc_state from, enum vk_inc_state to, const char *reason,
    int64_t duplicate_of, const char *actor, int64_t now)
{
	struct vk_db_param p[7];
	struct vk_db_res res = { 0 };
	char body[64];
	bool mine = false, final;
	int r;

	if (st == NULL || (unsigned)from >= VK_INC_STATE_MAX ||
	    (unsigned)to >= VK_INC_STATE_MAX || from == to || actor == NULL ||
	    *actor == '\0' ||
	    (to == VK_INC_REJECTED &&
		(reason == NULL || *reason == '\0' ||
		    strlen(reason) > VK_INC_REASON_MAX)) ||
	    (to == VK_INC_DUPLICATE &&
		(duplicate_of <= 0 || duplicate_of == id)))
		return VK_EINVAL;
	final = to == VK_INC_CLOSED || to == VK_INC_REJECTED ||
	    to == VK_INC_DUPLICATE;
	if ((r = vk_store_auto_begin(st, &mine)) != 0)
		return r;
	if (to == VK_INC_DUPLICATE) {
		p[0] = VK_P_INT(duplicate_of);
		if ((r = q(st, "SELECT id FROM incidents WHERE id = $1", p, 1,
			 &res)) != 0)
			goto out;
		if (res.nrows == 0) {
			r = VK_EINVAL;
			goto out;
		}
		vk_db_res_free(&res);
	}
	p[0] = VK_P_INT(id);
	p[1] = VK_P_TEXT(vk_inc_state_name(from));
	p[2] = VK_P_TEXT(vk_inc_state_name(to));
	p[3] = VK_P_INT(now);
	p[4] = VK_P_INT(final ? now : 0);
	p[5] = VK_P_TEXT(to == VK_INC_REJECTED ? reason : "");
	p[6] = to == VK_INC_DUPLICATE
	    ? VK_P_INT(duplicate_of)
	    : (struct vk_db_param){ .type = VK_DB_NULL };
	if ((r = q(st,
		 "UPDATE incidents SET state = $3, updated = $4, "
		 "triaged_at = CASE WHEN triaged_at = 0 THEN $4 ELSE "
		 "triaged_at END, closed_at = $5, reject_reason = $6, "
		 "duplicate_of = $7 WHERE id = $1 AND state = $2",
		 p, 7, &res)) != 0)
		goto out;
	if (res.changes == 0) {
		vk_db_res_free(&res);
		if ((r = q(st, "SELECT id FROM incidents WHERE id = $1", p, 1,
			 &res)) != 0)
			goto out;
		r = res.nrows == 0 ? VK_ENOTFOUND : VK_ECONFLICT;
		goto out;
	}
	r = snprintf(body, sizeof(body), "%s -> %s", vk_inc_state_name(from),
	    vk_inc_state_name(to));
	if (r < 0 || (size_t)r >= sizeof(body)) {
		r = VK_EINTERNAL;
		goto out;
	}
	r = event_add(st, id, VK_EV_STATE, actor, body, true, now, NULL);
	if (r == 0 && to == VK_INC_REJECTED)
		r = event_add(
		    st, id, VK_EV_MESSAGE, actor, reason, true, now, NULL);
out:
	vk_db_res_free(&res);
	return vk_store_auto_end(st, mine, r);
}

int
vk_store_incident_mark_sent(struct vk_store *st, int64_t id,
    enum vk_inc_stage stage, int64_t sent_at, const char *by, int64_t now)
{
	struct vk_db_param p[5];
	struct vk_db_res res = { 0 };
	bool mine = false;
	int r;

	if (st == NULL || (unsigned)stage >= VK_STAGE_MAX || sent_at <= 0 ||
	    by == NULL || *by == '\0' || strlen(by) > VK_INC_CONTACT_MAX)
		return VK_EINVAL;
	if ((r = vk_store_auto_begin(st, &mine)) != 0)
		return r;
	p[0] = VK_P_INT(id);
	if ((r = q(st, "SELECT id FROM incidents WHERE id = $1", p, 1, &res)) !=
	    0)
		goto out;
	if (res.nrows == 0) {
		r = VK_ENOTFOUND;
		goto out;
	}
	p[1] = VK_P_TEXT(vk_inc_stage_name(stage));
	p[2] = VK_P_INT(sent_at);
	p[3] = VK_P_TEXT(by);
	p[4] = VK_P_INT(now);
	if ((r = q(st,
		 "INSERT INTO incident_sent (incident_id, stage, sent_at, "
		 "sent_by, recorded) VALUES ($1, $2, $3, $4, $5)",
		 p, 5, NULL)) != 0)
		goto out;
	r = event_add(
	    st, id, VK_EV_SENT, by, vk_inc_stage_name(stage), false, now, NULL);
out:
	vk_db_res_free(&res);
	return vk_store_auto_end(st, mine, r);
}

int
vk_store_incident_alert_once(
    struct vk_store *st, int64_t id, enum vk_inc_stage stage, int64_t now)
{
	struct vk_db_param p[3];

	if (st == NULL || (unsigned)stage >= VK_STAGE_MAX)
		return VK_EINVAL;
	p[0] = VK_P_INT(id);
	p[1] = VK_P_TEXT(vk_inc_stage_name(stage));
	p[2] = VK_P_INT(now);
	return q(st,
	    "INSERT INTO incident_clock_alerts (incident_id, stage, alerted) "
	    "VALUES ($1, $2, $3)",
	    p, 3, NULL);
}

/* ------------------------------------------------------------------ */
/* Timeline.                                                           */

static const char *const event_names[VK_EV_KIND_MAX] = {
	[VK_EV_REPORTED] = "reported",
	[VK_EV_NOTE] = "note",
	[VK_EV_STATE] = "state",
	[VK_EV_MESSAGE] = "message",
	[VK_EV_EVIDENCE] = "evidence",
	[VK_EV_CHANGE] = "change",
	[VK_EV_SENT] = "sent",
};

const char *
vk_inc_event_kind_name(enum vk_inc_event_kind k)
{
	return (unsigned)k < VK_EV_KIND_MAX ? event_names[k] : "?";
}

void
vk_inc_event_list_free(struct vk_inc_event_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].actor);
		free(l->v[i].body);
	}
	free(l->v);
	free(l);
}

/* Fails with VK_ENOTFOUND when incident id does not exist. */
static int
exists(struct vk_store *st, int64_t id)
{
	struct vk_db_param p[1] = { VK_P_INT(id) };
	struct vk_db_res res;
	int r;

	if ((r = q(st, "SELECT id FROM incidents WHERE id = $1", p, 1, &res)) ==
		0 &&
	    res.nrows == 0)
		r = VK_ENOTFOUND;
	vk_db_res_free(&res);
	return r;
}

int
vk_store_incident_event_add(struct vk_store *st, int64_t id,
    enum vk_inc_event_kind kind, const char *actor, const char *body,
    bool to_reporter, int64_t now, int64_t *eid)
{
	bool mine = false;
	int r;

	if (st == NULL || (unsigned)kind >= VK_EV_KIND_MAX || actor == NULL ||
	    *actor == '\0' || !text_ok(body, VK_INC_TEXT_MAX))
		return VK_EINVAL;
	if ((r = vk_store_auto_begin(st, &mine)) != 0)
		return r;
	if ((r = exists(st, id)) == 0)
		r = event_add(st, id, kind, actor, body, to_reporter, now, eid);
	return vk_store_auto_end(st, mine, r);
}

int
vk_store_incident_events(struct vk_store *st, int64_t id, bool reporter_view,
    struct vk_inc_event_list **out)
{
	struct vk_inc_event_list *l = NULL;
	struct vk_db_param p[2];
	struct vk_db_res res = { 0 };
	int r;

	if (out == NULL)
		return VK_EINVAL;
	*out = NULL;
	p[0] = VK_P_INT(id);
	p[1] = VK_P_INT(reporter_view ? 1 : 0);
	if ((r = q(st,
		 "SELECT id, time, actor, kind, body, to_reporter FROM "
		 "incident_events WHERE incident_id = $1 AND ($2 = 0 OR "
		 "to_reporter = 1) ORDER BY id",
		 p, 2, &res)) != 0)
		return r;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (res.nrows > 0 &&
		(l->v = calloc(res.nrows, sizeof(*l->v))) == NULL)) {
		r = VK_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < res.nrows; i++) {
		struct vk_inc_event *e = &l->v[i];
		const char *k = vk_db_get(&res, i, 3);

		e->id = vk_db_get_int(&res, i, 0);
		e->incident_id = id;
		e->time = vk_db_get_int(&res, i, 1);
		e->actor = strdup(vk_db_get(&res, i, 2));
		e->body = strdup(vk_db_get(&res, i, 4));
		e->to_reporter = vk_db_get_int(&res, i, 5) != 0;
		l->n++;
		if (e->actor == NULL || e->body == NULL) {
			r = VK_ENOMEM;
			goto out;
		}
		e->kind = VK_EV_NOTE;
		for (int j = 0; j < VK_EV_KIND_MAX; j++)
			if (strcmp(event_names[j], k) == 0)
				e->kind = (enum vk_inc_event_kind)j;
	}
	*out = l;
	l = NULL;
out:
	vk_db_res_free(&res);
	vk_inc_event_list_free(l);
	return r;
}

/* ------------------------------------------------------------------ */
/* Attachments.                                                        */

static void
attachment_clear(struct vk_inc_attachment *a)
{
	free(a->filename);
	free(a->uploaded_by);
	free(a->data);
	memset(a, 0, sizeof(*a));
}

void
vk_inc_attachment_free(struct vk_inc_attachment *a)
{
	if (a == NULL)
		return;
	attachment_clear(a);
	free(a);
}

void
vk_inc_attachment_list_free(struct vk_inc_attachment_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		attachment_clear(&l->v[i]);
	free(l->v);
	free(l);
}

#define ATT_COLS \
	"id, incident_id, filename, kind, size, sha256, " \
	"uploaded_by, created"

static int
attachment_from_row(
    const struct vk_db_res *res, size_t row, struct vk_inc_attachment *a)
{
	const char *kind = vk_db_get(res, row, 3), *h = vk_db_get(res, row, 5);

	memset(a, 0, sizeof(*a));
	a->id = vk_db_get_int(res, row, 0);
	a->incident_id = vk_db_get_int(res, row, 1);
	a->size = vk_db_get_int(res, row, 4);
	a->created = vk_db_get_int(res, row, 7);
	a->kind = VK_ATTACH_KIND_MAX;
	for (int k = 0; k < VK_ATTACH_KIND_MAX; k++)
		if (strcmp(vk_attach_kind_name(k), kind) == 0)
			a->kind = (enum vk_attach_kind)k;
	if (a->kind == VK_ATTACH_KIND_MAX || strlen(h) != VK_HASH_HEX - 1)
		return VK_ESTORE;
	memcpy(a->sha256, h, VK_HASH_HEX);
	a->filename = strdup(vk_db_get(res, row, 2));
	a->uploaded_by = strdup(vk_db_get(res, row, 6));
	if (a->filename == NULL || a->uploaded_by == NULL) {
		attachment_clear(a);
		return VK_ENOMEM;
	}
	return 0;
}

int
vk_store_incident_attach(struct vk_store *st, int64_t id,
    const struct vk_inc_attachment_in *a, const char *actor, int64_t now,
    int64_t *aid)
{
	struct vk_db_param p[1] = { VK_P_INT(id) };
	struct vk_db_res res = { 0 };
	bool mine = false;
	int r;

	if (st == NULL || a == NULL || actor == NULL || *actor == '\0')
		return VK_EINVAL;
	if ((r = vk_store_auto_begin(st, &mine)) != 0)
		return r;
	if ((r = exists(st, id)) != 0)
		goto out;
	if ((r = q(st,
		 "SELECT count(*) FROM incident_attachments WHERE "
		 "incident_id = $1",
		 p, 1, &res)) != 0)
		goto out;
	/* Evidence may exceed the reporter's count, but not without
	 * bound. */
	if (vk_db_get_int(&res, 0, 0) >= 10 * VK_INC_ATTACH_COUNT) {
		r = VK_ETOOBIG;
		goto out;
	}
	if ((r = attach_one(st, id, a, actor, now, aid)) != 0)
		goto out;
	r = event_add(
	    st, id, VK_EV_EVIDENCE, actor, a->filename, false, now, NULL);
out:
	vk_db_res_free(&res);
	return vk_store_auto_end(st, mine, r);
}

int
vk_store_incident_attachments(
    struct vk_store *st, int64_t id, struct vk_inc_attachment_list **out)
{
	struct vk_inc_attachment_list *l = NULL;
	struct vk_db_param p[1] = { VK_P_INT(id) };
	struct vk_db_res res = { 0 };
	int r;

	if (out == NULL)
		return VK_EINVAL;
	*out = NULL;
	if ((r = q(st,
		 "SELECT " ATT_COLS " FROM incident_attachments WHERE "
		 "incident_id = $1 ORDER BY id",
		 p, 1, &res)) != 0)
		return r;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (res.nrows > 0 &&
		(l->v = calloc(res.nrows, sizeof(*l->v))) == NULL)) {
		r = VK_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < res.nrows; i++) {
		if ((r = attachment_from_row(&res, i, &l->v[i])) != 0)
			goto out;
		l->n++;
	}
	*out = l;
	l = NULL;
out:
	vk_db_res_free(&res);
	vk_inc_attachment_list_free(l);
	return r;
}

int
vk_store_incident_attachment_get(struct vk_store *st, int64_t id, int64_t aid,
    struct vk_inc_attachment **out)
{
	struct vk_inc_attachment *a = NULL;
	struct vk_db_param p[2] = { VK_P_INT(aid), VK_P_INT(id) };
	struct vk_db_res res = { 0 };
	const char *b64;
	size_t got = 0;
	int r;

	if (out == NULL)
		return VK_EINVAL;
	*out = NULL;
	if ((r = q(st,
		 "SELECT " ATT_COLS ", content FROM incident_attachments "
		 "WHERE id = $1 AND incident_id = $2",
		 p, 2, &res)) != 0)
		return r;
	if (res.nrows == 0) {
		r = VK_ENOTFOUND;
		goto out;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	if ((r = attachment_from_row(&res, 0, a)) != 0)
		goto out;
	if (a->size <= 0 || a->size > (int64_t)VK_INC_ATTACH_MAX) {
		r = VK_ESTORE;
		goto out;
	}
	if ((a->data = malloc((size_t)a->size)) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	b64 = vk_db_get(&res, 0, 8);
	if (sodium_base642bin(a->data, (size_t)a->size, b64, strlen(b64), NULL,
		&got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != (size_t)a->size) {
		r = VK_ESTORE;
		goto out;
	}
	*out = a;
	a = NULL;
out:
	vk_inc_attachment_free(a);
	vk_db_res_free(&res);
	return r;
}

/* ------------------------------------------------------------------ */
/* Tasks.                                                              */

void
vk_inc_task_list_free(struct vk_inc_task_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].title);
		free(l->v[i].created_by);
	}
	free(l->v);
	free(l);
}

int
vk_store_incident_task_add(struct vk_store *st, int64_t id, const char *title,
    int64_t owner_id, int64_t due, const char *actor, int64_t now, int64_t *tid)
{
	struct vk_db_param p[6];
	struct vk_db_res res = { 0 };
	bool mine = false;
	int r;

	if (st == NULL || title == NULL || *title == '\0' ||
	    strlen(title) > VK_INC_TASK_MAX || owner_id < 0 || due < 0 ||
	    actor == NULL || *actor == '\0')
		return VK_EINVAL;
	if ((r = vk_store_auto_begin(st, &mine)) != 0)
		return r;
	if ((r = exists(st, id)) != 0)
		goto out;
	p[0] = VK_P_INT(id);
	p[1] = VK_P_TEXT(title);
	p[2] = owner_id > 0 ? VK_P_INT(owner_id)
			    : (struct vk_db_param){ .type = VK_DB_NULL };
	p[3] = VK_P_INT(due);
	p[4] = VK_P_INT(now);
	p[5] = VK_P_TEXT(actor);
	if ((r = q(st,
		 "INSERT INTO incident_tasks (incident_id, title, owner_id, "
		 "due, created, created_by) VALUES ($1, $2, $3, $4, $5, $6) "
		 "RETURNING id",
		 p, 6, &res)) != 0)
		goto out;
	if (tid != NULL)
		*tid = vk_db_get_int(&res, 0, 0);
out:
	vk_db_res_free(&res);
	return vk_store_auto_end(st, mine, r);
}

int
vk_store_incident_task_done(
    struct vk_store *st, int64_t id, int64_t tid, bool done, int64_t now)
{
	struct vk_db_param p[3] = { VK_P_INT(tid), VK_P_INT(id),
		VK_P_INT(done ? now : 0) };
	struct vk_db_res res = { 0 };
	int r;

	if (st == NULL)
		return VK_EINVAL;
	if ((r = q(st,
		 "UPDATE incident_tasks SET done_at = $3 WHERE id = $1 AND "
		 "incident_id = $2",
		 p, 3, &res)) == 0 &&
	    res.changes == 0)
		r = VK_ENOTFOUND;
	vk_db_res_free(&res);
	return r;
}

int
vk_store_incident_tasks(
    struct vk_store *st, int64_t id, struct vk_inc_task_list **out)
{
	struct vk_inc_task_list *l = NULL;
	struct vk_db_param p[1] = { VK_P_INT(id) };
	struct vk_db_res res = { 0 };
	int r;

	if (out == NULL)
		return VK_EINVAL;
	*out = NULL;
	if ((r = q(st,
		 "SELECT id, title, owner_id, due, done_at, created, "
		 "created_by FROM incident_tasks WHERE incident_id = $1 "
		 "ORDER BY id",
		 p, 1, &res)) != 0)
		return r;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (res.nrows > 0 &&
		(l->v = calloc(res.nrows, sizeof(*l->v))) == NULL)) {
		r = VK_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < res.nrows; i++) {
		struct vk_inc_task *t = &l->v[i];

		t->id = vk_db_get_int(&res, i, 0);
		t->incident_id = id;
		t->owner_id = vk_db_get_int(&res, i, 2);
		t->due = vk_db_get_int(&res, i, 3);
		t->done_at = vk_db_get_int(&res, i, 4);
		t->created = vk_db_get_int(&res, i, 5);
		t->title = strdup(vk_db_get(&res, i, 1));
		t->created_by = strdup(vk_db_get(&res, i, 6));
		l->n++;
		if (t->title == NULL || t->created_by == NULL) {
			r = VK_ENOMEM;
			goto out;
		}
	}
	*out = l;
	l = NULL;
out:
	vk_db_res_free(&res);
	vk_inc_task_list_free(l);
	return r;
}
