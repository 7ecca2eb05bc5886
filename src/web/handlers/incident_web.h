/*
 * incident_web.h — what the incident pages (incidents.c) and the JSON API
 * (api_incidents.c) share: who may see what, the one place each change
 * is made (store + timeline + audit in one transaction), the JSON form
 * of an incident and the drafts with the organisation's settings.
 */
#ifndef VK_WEB_HANDLERS_INCIDENT_WEB_H
#define VK_WEB_HANDLERS_INCIDENT_WEB_H

#include <stdbool.h>

#include "incident/draft.h"
#include "incident/incident.h"
#include "store/store_incident.h"
#include "util/diag.h"
#include "web/web.h"

/* Handlers and admins handle incidents. */
bool vk_inc_web_can_handle(const struct vk_req *req);
/* Handlers, admins and auditors see every incident; others their own. */
bool vk_inc_web_sees_all(const struct vk_req *req);

/*
 * Loads the incident named by the id string `param` for this caller:
 * 0 and *out; VK_ENOTFOUND when it does not exist, the id is bad, or the
 * caller may not see it (the same answer, so that ids cannot be probed);
 * other VK_E* from the store.
 */
int vk_inc_web_load(
    struct vk_req *req, const char *param, struct vk_incident **out);

/* The clocks of inc at now. */
void vk_inc_web_clocks(const struct vk_incident *inc, int64_t now,
    struct vk_inc_clock out[VK_STAGE_MAX]);

/* The incident as JSON: everything for staff, the reporter's view
 * (their fields, state, reject reason) otherwise. */
json_t *vk_inc_web_json(
    const struct vk_req *req, const struct vk_incident *inc, int64_t now);

/*
 * A report from the form fields in `f` (already validated into v) and
 * the attachments: stored with its audit entry in one transaction.
 * *id and ref (VK_INC_REF_MAX) get the new incident.
 */
int vk_inc_web_create(struct vk_req *req, const struct vk_inc_report_form *f,
    const struct vk_inc_report_fields *v,
    const struct vk_inc_attachment_in *att, size_t natt, int64_t *id,
    char *ref);

/*
 * Adds evidence a (checked with vk_attach_check()) to inc from a handler:
 * the attachment, its "evidence" timeline entry and the audit entry
 * (incident.evidence: file name, size, kind) in one transaction.  *aid
 * (may be NULL) gets its id.  VK_ETOOBIG when the incident has too many.
 */
int vk_inc_web_attach(struct vk_req *req, const struct vk_incident *inc,
    const struct vk_inc_attachment_in *a, int64_t *aid);

/* Records that the caller downloaded attachment aid of inc
 * (incident.attachment.read). */
int vk_inc_web_audit_read(struct vk_req *req, const struct vk_incident *inc,
    int64_t aid, const char *filename);

/*
 * Moves inc to `to`.  VK_EPERM when the state machine refuses it (with a
 * message in d), VK_EINVAL for a missing reason / duplicate reference
 * (message in d with the field), VK_ECONFLICT when it changed meanwhile.
 * dup_ref is the reference of the incident a duplicate is merged into.
 */
int vk_inc_web_set_state(struct vk_req *req, const struct vk_incident *inc,
    enum vk_inc_state to, const char *reason, const char *dup_ref,
    struct vk_diag *d);

/* Writes the `fields` (VK_INC_F_*) of nv to inc with a "change" timeline
 * entry and an audit entry listing before and after. */
int vk_inc_web_update(struct vk_req *req, const struct vk_incident *inc,
    const struct vk_incident *nv, unsigned fields);

/* Records the report of `stage` as sent at sent_at (0: now).  VK_EEXIST
 * when it was already recorded. */
int vk_inc_web_mark_sent(struct vk_req *req, const struct vk_incident *inc,
    enum vk_inc_stage stage, int64_t sent_at);

/* A timeline note (handlers only) or a message the reporter sees. */
int vk_inc_web_event(struct vk_req *req, const struct vk_incident *inc,
    enum vk_inc_event_kind kind, const char *body);

/* The draft of `stage` in the caller's language (free with
 * vk_inc_draft_free()). */
int vk_inc_web_draft(struct vk_req *req, const struct vk_incident *inc,
    enum vk_inc_stage stage, struct vk_inc_draft **out);

/* "3 h 12 min" for a time left, in the caller's language; negative
 * values are written as positive (the caller says "overdue by"). */
void vk_inc_web_duration(
    const struct vk_req *req, int64_t us, char *buf, size_t n);

#endif
