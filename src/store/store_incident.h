/*
 * store_incident.h — incidents and weakness reports in the store
 * (migration 0002; docs/incidents.md, docs/design/store.md "Incidents").
 *
 * The same rules as store.h: bound parameters only, valid UTF-8 text,
 * rows allocated by the store and freed with the matching *_free()
 * (NULL is a no-op), strings in rows never NULL.  Every function that
 * writes more than one row runs in one transaction (the thread's own when
 * it has one, so that the caller can add the audit entry to it), so a
 * report is never half-stored.  Policy (which transitions are allowed,
 * which fields a form must have, what an attachment may be) is the
 * caller's: incident/incident.h.
 */
#ifndef VK_STORE_STORE_INCIDENT_H
#define VK_STORE_STORE_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "incident/incident.h"
#include "store/store.h"

/* Ceilings the store enforces on every text column (bytes). */
#define VK_INC_STORE_TEXT_MAX 20000

struct vk_incident {
	int64_t id;
	char reference[VK_INC_REF_MAX]; /* "VK-2026-0042" */
	int year;
	int64_t seq;
	enum vk_inc_type type;
	enum vk_inc_state state;
	/* as reported */
	char *title, *what;
	int64_t noticed_at;
	char *system;
	enum vk_tristate personal_data, ongoing;
	int64_t reporter_id; /* 0: anonymous or user deleted */
	bool anonymous;
	char *source; /* client address of the reporter */
	char *contact_name, *contact_email, *contact_phone;
	/* handling */
	int64_t assignee_id; /* 0: nobody */
	enum vk_inc_severity severity;
	enum vk_inc_category category;
	char *affected_systems;
	int64_t aware_at;
	bool significant; /* NIS2 */
	bool gdpr; /* personal-data breach: the IMY clock runs */
	int64_t duplicate_of; /* 0 unless duplicate */
	char *reject_reason;
	/* for the drafted reports */
	enum vk_tristate malicious, cross_border;
	char *impact, *iocs, *root_cause, *measures_applied, *measures_ongoing;
	char *breach_nature, *subject_categories;
	int64_t subjects_approx; /* -1 unknown */
	char *record_categories;
	int64_t records_approx; /* -1 unknown */
	char *consequences, *delay_reason;
	int64_t created, updated, triaged_at, closed_at;
	/* reports sent (incident_sent); 0 / "" when not */
	int64_t sent_at[VK_STAGE_MAX];
	char *sent_by[VK_STAGE_MAX];
};

void vk_incident_free(struct vk_incident *inc);

struct vk_incident_list {
	struct vk_incident *v; /* newest first */
	size_t n;
	int64_t total;
};

void vk_incident_list_free(struct vk_incident_list *l);

/* An attachment to store with a new report or as evidence. */
struct vk_inc_attachment_in {
	const char *filename;
	enum vk_attach_kind kind; /* from vk_attach_check() */
	const void *data;
	size_t len; /* 1 .. VK_INC_ATTACH_MAX */
};

/*
 * Stores a new report: allocates the reference (the per-year counter of
 * the Stockholm year of `now`, incremented in the same transaction),
 * inserts the incident in state new with aware_at = noticed_at, a
 * "reported" timeline entry and the attachments.  From `in` the reported
 * fields are used (type, title, what, noticed_at, system, personal_data,
 * ongoing, reporter_id, anonymous, source, contact_*); the rest get their
 * defaults.  *id and ref (VK_INC_REF_MAX bytes) get the new id and
 * reference (both may be NULL).  actor is the audit actor of the
 * reporter ("user:anna", "anonymous").
 * VK_EINVAL: bad enum, empty title/what, over-long text, invalid UTF-8,
 * an attachment without data or over VK_INC_ATTACH_MAX or more than
 * VK_INC_ATTACH_COUNT of them, unknown reporter_id.
 */
int vk_store_incident_create(struct vk_store *st, const struct vk_incident *in,
    const struct vk_inc_attachment_in *att, size_t natt, const char *actor,
    int64_t now, int64_t *id, char *ref);

int vk_store_incident_get(
    struct vk_store *st, int64_t id, struct vk_incident **out);
/* By reference ("VK-2026-0042", any case of "VK"); VK_ENOTFOUND. */
int vk_store_incident_get_by_ref(
    struct vk_store *st, const char *ref, struct vk_incident **out);

struct vk_incident_filter {
	int64_t reporter_id; /* 0: anyone */
	int state; /* an enum vk_inc_state, or -1 for any */
	bool open_only; /* not closed, rejected or duplicate */
};

/* Incidents matching f (NULL: all), newest first.  pg may be NULL. */
int vk_store_incident_list(struct vk_store *st,
    const struct vk_incident_filter *f, const struct vk_page *pg,
    struct vk_incident_list **out);

/* Which fields vk_store_incident_update() writes. */
enum {
	VK_INC_F_SEVERITY = 1u << 0,
	VK_INC_F_CATEGORY = 1u << 1,
	VK_INC_F_ASSIGNEE = 1u << 2,
	VK_INC_F_AFFECTED = 1u << 3,
	VK_INC_F_AWARE_AT = 1u << 4,
	VK_INC_F_SIGNIFICANT = 1u << 5,
	VK_INC_F_GDPR = 1u << 6,
	VK_INC_F_TYPE = 1u << 7,
	VK_INC_F_MALICIOUS = 1u << 8,
	VK_INC_F_CROSS_BORDER = 1u << 9,
	VK_INC_F_IMPACT = 1u << 10,
	VK_INC_F_IOCS = 1u << 11,
	VK_INC_F_ROOT_CAUSE = 1u << 12,
	VK_INC_F_MEASURES_APPLIED = 1u << 13,
	VK_INC_F_MEASURES_ONGOING = 1u << 14,
	VK_INC_F_BREACH_NATURE = 1u << 15,
	VK_INC_F_SUBJECT_CATEGORIES = 1u << 16,
	VK_INC_F_SUBJECTS_APPROX = 1u << 17,
	VK_INC_F_RECORD_CATEGORIES = 1u << 18,
	VK_INC_F_RECORDS_APPROX = 1u << 19,
	VK_INC_F_CONSEQUENCES = 1u << 20,
	VK_INC_F_DELAY_REASON = 1u << 21,
	VK_INC_F_ALL = (1u << 22) - 1,
};

/*
 * Writes the chosen fields of `in` to incident id (one transaction) and
 * sets updated = now.  VK_ENOTFOUND, VK_EINVAL (bad enum, text too long,
 * unknown assignee, aware_at <= 0, approx < -1).
 */
int vk_store_incident_update(struct vk_store *st, int64_t id,
    const struct vk_incident *in, unsigned fields, int64_t now);

/*
 * Moves incident id from state `from` to `to` (the caller has checked
 * vk_inc_transition_allowed()).  triaged_at is set on the first move out
 * of new; closed_at when entering closed, rejected or duplicate (and
 * cleared when leaving them).  For rejected, `reason` (required) is
 * stored as reject_reason; for duplicate, `duplicate_of` (required, an
 * existing other incident) is stored.  Adds a "state" timeline entry
 * "<from> -> <to>" by actor (visible to the reporter).
 * VK_ECONFLICT when the incident is no longer in `from` (changed
 * meanwhile), VK_ENOTFOUND, VK_EINVAL.
 */
int vk_store_incident_set_state(struct vk_store *st, int64_t id,
    enum vk_inc_state from, enum vk_inc_state to, const char *reason,
    int64_t duplicate_of, const char *actor, int64_t now);

/* Records that the report of `stage` was sent at sent_at by `by` (an
 * audit actor), stopping its clock, plus a "sent" timeline entry.
 * VK_EEXIST when already recorded, VK_ENOTFOUND, VK_EINVAL. */
int vk_store_incident_mark_sent(struct vk_store *st, int64_t id,
    enum vk_inc_stage stage, int64_t sent_at, const char *by, int64_t now);

/* Records that handlers were alerted about the clock of `stage`: 0 the
 * first time, VK_EEXIST after (so each alert goes out once). */
int vk_store_incident_alert_once(
    struct vk_store *st, int64_t id, enum vk_inc_stage stage, int64_t now);

/* ------------------------------------------------------------------ */
/* Timeline.                                                           */

enum vk_inc_event_kind {
	VK_EV_REPORTED,
	VK_EV_NOTE, /* handlers only */
	VK_EV_STATE,
	VK_EV_MESSAGE, /* handler to reporter */
	VK_EV_EVIDENCE,
	VK_EV_CHANGE, /* a field changed */
	VK_EV_SENT, /* a report to an authority */
	VK_EV_KIND_MAX
};
/* "reported", "note", "state", "message", "evidence", "change", "sent". */
const char *vk_inc_event_kind_name(enum vk_inc_event_kind k);

struct vk_inc_event {
	int64_t id, incident_id, time;
	char *actor;
	enum vk_inc_event_kind kind;
	char *body;
	bool to_reporter;
};

struct vk_inc_event_list {
	struct vk_inc_event *v; /* oldest first */
	size_t n;
};

void vk_inc_event_list_free(struct vk_inc_event_list *l);

/* Adds a timeline entry.  body at most VK_INC_TEXT_MAX bytes.  *eid may
 * be NULL. */
int vk_store_incident_event_add(struct vk_store *st, int64_t id,
    enum vk_inc_event_kind kind, const char *actor, const char *body,
    bool to_reporter, int64_t now, int64_t *eid);
/* The timeline of incident id, oldest first; only entries visible to the
 * reporter when reporter_view. */
int vk_store_incident_events(struct vk_store *st, int64_t id,
    bool reporter_view, struct vk_inc_event_list **out);

/* ------------------------------------------------------------------ */
/* Attachments.                                                        */

struct vk_inc_attachment {
	int64_t id, incident_id;
	char *filename;
	enum vk_attach_kind kind;
	int64_t size;
	char sha256[VK_HASH_HEX];
	char *uploaded_by;
	int64_t created;
	unsigned char *data; /* only from _get; size bytes; owned */
};

struct vk_inc_attachment_list {
	struct vk_inc_attachment *v; /* metadata only, oldest first */
	size_t n;
};

void vk_inc_attachment_free(struct vk_inc_attachment *a);
void vk_inc_attachment_list_free(struct vk_inc_attachment_list *l);

/* Adds one attachment (evidence) to incident id with an "evidence"
 * timeline entry.  *aid may be NULL. */
int vk_store_incident_attach(struct vk_store *st, int64_t id,
    const struct vk_inc_attachment_in *a, const char *actor, int64_t now,
    int64_t *aid);
/* Attachments of incident id, without their content. */
int vk_store_incident_attachments(
    struct vk_store *st, int64_t id, struct vk_inc_attachment_list **out);
/* One attachment with its content; VK_ENOTFOUND unless it belongs to
 * incident id (so a URL cannot reach another incident's files). */
int vk_store_incident_attachment_get(struct vk_store *st, int64_t id,
    int64_t aid, struct vk_inc_attachment **out);

/* ------------------------------------------------------------------ */
/* Tasks.                                                              */

#define VK_INC_TASK_MAX 500 /* bytes of a task's title */

struct vk_inc_task {
	int64_t id, incident_id;
	char *title;
	int64_t owner_id; /* 0: nobody */
	int64_t due, done_at; /* 0: none / open */
	int64_t created;
	char *created_by;
};

struct vk_inc_task_list {
	struct vk_inc_task *v; /* by id */
	size_t n;
};

void vk_inc_task_list_free(struct vk_inc_task_list *l);

int vk_store_incident_task_add(struct vk_store *st, int64_t id,
    const char *title, int64_t owner_id, int64_t due, const char *actor,
    int64_t now, int64_t *tid);
/* Marks task tid of incident id done at `now` (done = false reopens).
 * VK_ENOTFOUND unless the task belongs to the incident. */
int vk_store_incident_task_done(
    struct vk_store *st, int64_t id, int64_t tid, bool done, int64_t now);
int vk_store_incident_tasks(
    struct vk_store *st, int64_t id, struct vk_inc_task_list **out);

#endif
