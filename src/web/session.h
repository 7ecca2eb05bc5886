/*
 * session.h — who is asking: session cookies, API tokens, CSRF.
 *
 * A browser holds the cookie `vaksam_session` (HttpOnly, SameSite=Strict,
 * Path=/, Secure under TLS or behind a trusted https proxy); the store
 * holds only its SHA-256 (account.h).  An integration sends
 * `Authorization: Bearer vk_<id>_<secret>`.  Verified sessions and tokens
 * are cached for VK_AUTH_CACHE_US so that a busy API does not hit the
 * store on every request; logout, password change, disabling and role
 * changes on this node drop the cache entries at once, changes made on
 * another node take effect within that time.
 *
 * CSRF: every state-changing HTML form carries the session's token in the
 * field "csrf"; JSON calls with a session cookie send it in the header
 * X-CSRF-Token; calls with an API token need none (a browser never sends
 * one by itself).
 */
#ifndef VK_WEB_SESSION_H
#define VK_WEB_SESSION_H

#include "web/web.h"

#define VK_SESSION_COOKIE "vaksam_session"
#define VK_LANG_COOKIE "vaksam_lang"
#define VK_AUTH_CACHE_US (5 * INT64_C(1000000))
/* last_seen is written back at most this often (idle timeout slack). */
#define VK_SESSION_TOUCH_US (30 * INT64_C(1000000))

int vk_auth_cache_new(struct vk_auth_cache **out);
void vk_auth_cache_free(struct vk_auth_cache *c);
/* Drops every cached entry of a user (all nodes: see above). */
void vk_auth_cache_forget_user(struct vk_auth_cache *c, int64_t user_id);

/*
 * Fills req's identity and language from the Authorization header or the
 * session cookie.  A bad or expired cookie leaves the request anonymous
 * (and clears the cookie); a bad token is refused with 401.  Returns 0,
 * or non-zero when a response has been written (401, 503).
 */
int vk_web_identify(struct vk_req *req);
/* Does the request carry the right CSRF token (or need none)? */
int vk_web_csrf_ok(struct vk_req *req);
/* May this request read /metrics (loopback, metrics token, admin)? */
int vk_web_ops_allowed(struct vk_req *req);
/*
 * Starts a session for user u after a successful login: sets the cookie
 * header and the request's identity.
 */
int vk_web_session_begin(struct vk_req *req, const struct vk_user *u);
/* Ends the request's session (store and cache) and clears the cookie. */
int vk_web_session_end(struct vk_req *req);
/* Sets the anonymous language cookie. */
int vk_web_lang_cookie(struct vk_req *req, enum vk_lang lang);
/* The portal's default language (setting default_lang, cached). */
void vk_web_set_default_lang(enum vk_lang lang);

#endif
