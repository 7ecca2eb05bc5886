/*
 * handlers.h — the endpoint handlers listed in routes.c.
 *
 * Each takes the prepared request (identity checked against the route's
 * roles, CSRF checked, body parsed) and writes a response with the
 * vk_resp_*() or vk_page_*() calls.  Returns 0, or a negative VK_E* code
 * for a failure the server answers with 500/503 (and logs).
 */
#ifndef VK_WEB_HANDLERS_H
#define VK_WEB_HANDLERS_H

#include <jansson.h>

#include "store/store.h"
#include "web/page.h"
#include "web/web.h"

/* ops.c */
int vk_h_static(struct vk_req *req);
int vk_h_healthz(struct vk_req *req);
int vk_h_metrics(struct vk_req *req);
/* login.c */
int vk_h_login_form(struct vk_req *req);
int vk_h_login_post(struct vk_req *req);
int vk_h_logout(struct vk_req *req);
int vk_h_lang_post(struct vk_req *req);
/* Did a form without a session come from this site (Sec-Fetch-Site, or
 * Origin matching Host)?  For forms that have no session CSRF token:
 * login and the anonymous report. */
int vk_req_same_site(struct vk_req *req);
/* dashboard.c */
int vk_h_dashboard(struct vk_req *req);
int vk_h_coming(struct vk_req *req);
/* incidents.c */
int vk_h_incidents_list(struct vk_req *req);
int vk_h_incident_new(struct vk_req *req);
int vk_h_incident_create(struct vk_req *req);
int vk_h_report_anon_form(struct vk_req *req);
int vk_h_report_anon_post(struct vk_req *req);
int vk_h_incident_show(struct vk_req *req);
int vk_h_incident_post(struct vk_req *req);
int vk_h_incident_attachment(struct vk_req *req);
int vk_h_incident_evidence(struct vk_req *req);
int vk_h_incident_draft(struct vk_req *req);
/* incident_stats.c */
int vk_h_incidents_export(struct vk_req *req);
int vk_api_incidents_stats(struct vk_req *req);
/* The "Numbers" section of the incidents page (staff). */
int vk_inc_web_numbers(struct vk_req *req, struct vk_html *h);
/* api_incidents.c */
int vk_api_incidents_list(struct vk_req *req);
int vk_api_incidents_create(struct vk_req *req);
int vk_api_incident_get(struct vk_req *req);
int vk_api_incident_patch(struct vk_req *req);
int vk_api_incident_state(struct vk_req *req);
int vk_api_incident_sent(struct vk_req *req);
int vk_api_incident_draft(struct vk_req *req);
/* users.c */
int vk_h_users_list(struct vk_req *req);
int vk_h_users_create(struct vk_req *req);
int vk_h_users_update(struct vk_req *req);
/* audit.c */
int vk_h_audit_page(struct vk_req *req);
/* settings.c */
int vk_h_settings_form(struct vk_req *req);
int vk_h_settings_post(struct vk_req *req);
/* profile.c */
int vk_h_profile(struct vk_req *req);
int vk_h_profile_lang(struct vk_req *req);
int vk_h_profile_password(struct vk_req *req);
/* api_me.c, api_users.c, api_audit.c, api_settings.c, api_session.c */
int vk_api_me(struct vk_req *req);
int vk_api_users_list(struct vk_req *req);
int vk_api_users_create(struct vk_req *req);
int vk_api_user_get(struct vk_req *req);
int vk_api_user_patch(struct vk_req *req);
int vk_api_audit_list(struct vk_req *req);
int vk_api_settings_get(struct vk_req *req);
int vk_api_settings_put(struct vk_req *req);
int vk_api_session_post(struct vk_req *req);
int vk_api_session_delete(struct vk_req *req);

/* common.c — shared by the pages and the API. */

/* A user as the API shows it (no password hash). */
json_t *vk_user_json(const struct vk_user *u);
/* An audit entry as the API shows it. */
json_t *vk_audit_json(const struct vk_audit_entry *e);
/* The settings the portal knows, NULL-terminated; at most
 * VK_SETTINGS_MAX (the compiler refuses more initialisers). */
#define VK_SETTINGS_MAX 16
extern const char *const vk_setting_keys[VK_SETTINGS_MAX + 1];
/* Non-zero for a setting whose value is never shown (a password): GET
 * and the pages give only whether it is set, the audit "changed". */
int vk_setting_secret(const char *key);
/* For admins: a warning in h when no SMTP server is set but mail waits
 * in the queue (how many), with a link to the settings. */
void vk_page_mail_warning(struct vk_req *req, struct vk_html *h);
/*
 * Checks and normalises a setting value (domains lower-cased, one per
 * line).  *norm (caller frees) gets the value to store.  VK_EINVAL with
 * a message for a person in err.
 */
int vk_setting_check(
    const char *key, const char *value, char **norm, char *err, size_t errlen);
/* Stores one setting with its audit entry in one transaction. */
int vk_setting_save(struct vk_req *req, const char *key, const char *value);
/* Parses a positive decimal id; VK_EINVAL otherwise. */
int vk_parse_id(const char *s, int64_t *id);
/* The first message of d, or `fallback`. */
const char *vk_diag_first(const struct vk_diag *d, const char *fallback);
/* Runs one login attempt and, on success, starts a session (cookie
 * header set, req identity filled, *user the caller frees).  Returns 0,
 * VK_WE_LOGIN_FAILED or VK_WE_THROTTLED (Retry-After header set) for the
 * caller to show, or a negative VK_E* for a store failure. */
int vk_do_login(struct vk_req *req, const char *username, const char *password,
    struct vk_user **user);

#endif
