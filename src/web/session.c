/*
 * session.c — identity, CSRF and the verified-credential cache.
 */
#include "web/session.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "account/account.h"
#include "audit/audit.h"
#include "util/err.h"
#include "util/log.h"
#include "web/i18n.h"

#define CACHE_SLOTS 1024

struct cache_entry {
	char key[VK_HASH_HEX]; /* session id hash or token hash; "" free */
	int64_t user_id;
	char username[VK_USERNAME_MAX + 1];
	enum vk_role role;
	enum vk_lang lang;
	char csrf[64];
	int64_t token_id;
	int64_t last_seen, expires; /* sessions */
	int64_t valid_until; /* cache lifetime */
};

struct vk_auth_cache {
	pthread_mutex_t lock;
	struct cache_entry e[CACHE_SLOTS];
};

static atomic_int default_lang = VK_LANG_SV;

void
vk_web_set_default_lang(enum vk_lang lang)
{
	atomic_store(&default_lang, (int)lang);
}

int
vk_auth_cache_new(struct vk_auth_cache **out)
{
	struct vk_auth_cache *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return VK_ENOMEM;
	pthread_mutex_init(&c->lock, NULL);
	*out = c;
	return 0;
}

void
vk_auth_cache_free(struct vk_auth_cache *c)
{
	if (c == NULL)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static size_t
slot(const char *key)
{
	size_t h = 0;
	int i;

	for (i = 0; i < 8 && key[i]; i++)
		h = h * 16 + (size_t)(key[i] % 16);
	return h % CACHE_SLOTS;
}

static int
cache_get(struct vk_auth_cache *c, const char *key, int64_t now,
    struct cache_entry *out)
{
	struct cache_entry *e = &c->e[slot(key)];
	int hit = 0;

	pthread_mutex_lock(&c->lock);
	if (e->key[0] && strcmp(e->key, key) == 0 && e->valid_until > now) {
		*out = *e;
		hit = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

static void
cache_put(struct vk_auth_cache *c, const struct cache_entry *in)
{
	pthread_mutex_lock(&c->lock);
	c->e[slot(in->key)] = *in;
	pthread_mutex_unlock(&c->lock);
}

static void
cache_forget(struct vk_auth_cache *c, const char *key)
{
	struct cache_entry *e = &c->e[slot(key)];

	pthread_mutex_lock(&c->lock);
	if (strcmp(e->key, key) == 0)
		e->key[0] = '\0';
	pthread_mutex_unlock(&c->lock);
}

void
vk_auth_cache_forget_user(struct vk_auth_cache *c, int64_t user_id)
{
	size_t i;

	pthread_mutex_lock(&c->lock);
	for (i = 0; i < CACHE_SLOTS; i++)
		if (c->e[i].user_id == user_id)
			c->e[i].key[0] = '\0';
	pthread_mutex_unlock(&c->lock);
}

static void
set_identity(struct vk_req *req, const struct cache_entry *e)
{
	req->user_id = e->user_id;
	snprintf(req->username, sizeof(req->username), "%s", e->username);
	req->role = (enum vk_web_role)(e->role + 1);
	req->lang = e->lang;
	if (e->token_id > 0) {
		req->token_id = e->token_id;
		snprintf(req->actor, sizeof(req->actor), "token:%lld",
		    (long long)e->token_id);
	} else {
		snprintf(
		    req->session_hash, sizeof(req->session_hash), "%s", e->key);
		snprintf(req->csrf, sizeof(req->csrf), "%s", e->csrf);
		snprintf(
		    req->actor, sizeof(req->actor), "user:%s", e->username);
	}
}

static void
fill_from_user(struct cache_entry *e, const struct vk_user *u)
{
	e->user_id = u->id;
	snprintf(e->username, sizeof(e->username), "%s", u->username);
	e->role = u->role;
	e->lang = u->lang;
}

static int
by_token(struct vk_req *req, const char *tok)
{
	struct vk_store *st = req->web->store;
	struct cache_entry e;
	struct vk_user *u = NULL;
	int64_t id, now = vk_store_now();
	char hash[VK_HASH_HEX];
	uint64_t t0;
	int r;

	if (vk_token_parse(tok, &id, hash) != 0)
		goto refuse;
	if (cache_get(req->web->auth_cache, hash, now, &e) &&
	    e.token_id == id) {
		set_identity(req, &e);
		return 0;
	}
	t0 = vk_web_now_ns();
	r = vk_token_authenticate(st, tok, now, &u, &id);
	vk_req_store_time(req, t0);
	if (r == VK_ESTORE) {
		vk_resp_error(req, VK_WE_STORE_UNAVAILABLE, NULL, NULL);
		return r;
	}
	if (r != 0)
		goto refuse;
	memset(&e, 0, sizeof(e));
	snprintf(e.key, sizeof(e.key), "%s", hash);
	fill_from_user(&e, u);
	e.token_id = id;
	e.valid_until = now + VK_AUTH_CACHE_US;
	vk_user_free(u);
	cache_put(req->web->auth_cache, &e);
	set_identity(req, &e);
	return 0;
refuse:
	vk_resp_header(req, "WWW-Authenticate", "Bearer");
	vk_resp_error(req, VK_WE_UNAUTHENTICATED, NULL,
	    "The API token is not valid (malformed, revoked or its user is "
	    "disabled).");
	return VK_EPERM;
}

static void
clear_cookie(struct vk_req *req)
{
	vk_resp_header(req, "Set-Cookie",
	    VK_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; "
			      "Max-Age=0");
}

/* 0 when the cookie names a live session; else the request stays
 * anonymous.  VK_ESTORE when the store failed. */
static int
by_cookie(struct vk_req *req, const char *cookie)
{
	struct vk_store *st = req->web->store;
	const struct vk_web_config *cfg = req->web->cfg;
	struct vk_session *s = NULL;
	struct vk_user *u = NULL;
	struct cache_entry e;
	char hash[VK_HASH_HEX];
	int64_t now = vk_store_now();
	int64_t idle = (int64_t)cfg->idle_timeout * 1000000;
	uint64_t t0;
	int r;

	if (vk_session_hash(cookie, hash) != 0)
		goto gone;
	if (cache_get(req->web->auth_cache, hash, now, &e) && e.expires > now &&
	    now - e.last_seen <= idle) {
		if (now - e.last_seen > VK_SESSION_TOUCH_US) {
			t0 = vk_web_now_ns();
			r = vk_store_session_touch(st, hash, now);
			vk_req_store_time(req, t0);
			if (r == VK_ENOTFOUND) {
				cache_forget(req->web->auth_cache, hash);
				goto gone;
			}
			e.last_seen = now;
			cache_put(req->web->auth_cache, &e);
		}
		set_identity(req, &e);
		return 0;
	}
	t0 = vk_web_now_ns();
	r = vk_store_session_get(st, hash, now, &s);
	if (r == 0 && now - s->last_seen > idle) {
		(void)vk_store_session_delete(st, hash);
		r = VK_ENOTFOUND;
	}
	if (r == 0)
		r = vk_store_user_get(st, s->user_id, &u);
	if (r == 0 && u->disabled) {
		(void)vk_store_session_delete(st, hash);
		r = VK_ENOTFOUND;
	}
	if (r == 0 && now - s->last_seen > VK_SESSION_TOUCH_US) {
		r = vk_store_session_touch(st, hash, now);
		s->last_seen = now;
	}
	vk_req_store_time(req, t0);
	if (r != 0) {
		vk_session_free(s);
		vk_user_free(u);
		if (r == VK_ESTORE || r == VK_ENOMEM)
			return VK_ESTORE;
		goto gone;
	}
	memset(&e, 0, sizeof(e));
	snprintf(e.key, sizeof(e.key), "%s", hash);
	fill_from_user(&e, u);
	snprintf(e.csrf, sizeof(e.csrf), "%s", s->csrf_token);
	e.last_seen = s->last_seen;
	/* The store keeps its own absolute limit; ours may be shorter. */
	e.expires = s->created + (int64_t)cfg->absolute_timeout * 1000000;
	if (s->expires < e.expires)
		e.expires = s->expires;
	e.valid_until = now + VK_AUTH_CACHE_US;
	vk_session_free(s);
	vk_user_free(u);
	if (e.expires <= now)
		goto gone;
	cache_put(req->web->auth_cache, &e);
	set_identity(req, &e);
	return 0;
gone:
	clear_cookie(req);
	return 0;
}

static void
anon_lang(struct vk_req *req)
{
	const char *c = vk_req_cookie(req, VK_LANG_COOKIE);
	int l;

	if (c && (l = vk_i18n_lang_tag(c)) >= 0) {
		req->lang = (enum vk_lang)l;
		return;
	}
	l = vk_lang_from_accept(
	    vk_req_header(req, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
	req->lang =
	    l >= 0 ? (enum vk_lang)l : (enum vk_lang)atomic_load(&default_lang);
}

int
vk_web_identify(struct vk_req *req)
{
	const char *auth, *cookie;
	int r;

	req->role = VK_WROLE_ANON;
	anon_lang(req);
	auth = vk_req_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		/* /metrics may carry the configured metrics token instead
		 * of an API token; vk_web_ops_allowed() checks it. */
		if (req->route && (req->route->flags & VK_RF_OPS) &&
		    req->web->cfg->metrics_token &&
		    vk_secret_equal(auth + 7, req->web->cfg->metrics_token))
			return 0;
		return by_token(req, auth + 7);
	}
	if (auth) {
		vk_resp_header(req, "WWW-Authenticate", "Bearer");
		vk_resp_error(req, VK_WE_UNAUTHENTICATED, NULL,
		    "Only 'Authorization: Bearer <token>' is understood.");
		return VK_EPERM;
	}
	if ((cookie = vk_req_cookie(req, VK_SESSION_COOKIE)) != NULL) {
		if ((r = by_cookie(req, cookie)) != 0) {
			vk_resp_error(req, VK_WE_STORE_UNAVAILABLE, NULL, NULL);
			return r;
		}
	}
	return 0;
}

int
vk_web_csrf_ok(struct vk_req *req)
{
	const char *given;

	if (req->token_id > 0)
		return 1;
	if (req->session_hash[0] == '\0' || req->csrf[0] == '\0')
		return 0;
	if (req->route->flags & VK_RF_JSON)
		given = vk_req_header(req, "X-CSRF-Token");
	else {
		if (vk_form_count(&req->form, "csrf") != 1)
			return 0;
		given = vk_form_get(&req->form, "csrf");
	}
	return given != NULL && vk_secret_equal(given, req->csrf);
}

int
vk_web_ops_allowed(struct vk_req *req)
{
	const char *auth;
	unsigned char b[16];

	if (req->role == VK_WROLE_ADMIN && req->token_id > 0)
		return 1;
	auth = vk_req_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth && strncasecmp(auth, "Bearer ", 7) == 0 &&
	    req->web->cfg->metrics_token &&
	    vk_secret_equal(auth + 7, req->web->cfg->metrics_token))
		return 1;
	if (inet_pton(AF_INET, req->client, b) == 1)
		return b[0] == 127;
	if (inet_pton(AF_INET6, req->client, b) == 1)
		return strcmp(req->client, "::1") == 0;
	return 0;
}

static int
set_session_cookie(struct vk_req *req, const char *value)
{
	char h[256];
	int w = snprintf(h, sizeof(h),
	    VK_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", value,
	    req->https ? "; Secure" : "");

	if (w < 0 || (size_t)w >= sizeof(h))
		return VK_ETOOBIG;
	return vk_resp_header(req, "Set-Cookie", h);
}

int
vk_web_session_begin(struct vk_req *req, const struct vk_user *u)
{
	struct vk_session *s = NULL;
	struct cache_entry e;
	char cookie[VK_SESSION_COOKIE_LEN + 1];
	int64_t now = vk_store_now();
	uint64_t t0 = vk_web_now_ns();
	int r;

	r = vk_session_start(req->web->store, u->id, req->client, now, cookie,
	    sizeof(cookie), &s);
	vk_req_store_time(req, t0);
	if (r != 0)
		return r;
	memset(&e, 0, sizeof(e));
	snprintf(e.key, sizeof(e.key), "%s", s->id_hash);
	fill_from_user(&e, u);
	snprintf(e.csrf, sizeof(e.csrf), "%s", s->csrf_token);
	e.last_seen = s->last_seen;
	e.expires =
	    s->created + (int64_t)req->web->cfg->absolute_timeout * 1000000;
	if (s->expires < e.expires)
		e.expires = s->expires;
	e.valid_until = now + VK_AUTH_CACHE_US;
	cache_put(req->web->auth_cache, &e);
	set_identity(req, &e);
	r = set_session_cookie(req, cookie);
	memset(cookie, 0, sizeof(cookie));
	vk_session_free(s);
	return r;
}

int
vk_web_session_end(struct vk_req *req)
{
	uint64_t t0 = vk_web_now_ns();
	int r = 0;

	if (req->session_hash[0]) {
		cache_forget(req->web->auth_cache, req->session_hash);
		r = vk_store_session_delete(req->web->store, req->session_hash);
		if (r == VK_ENOTFOUND)
			r = 0;
		if (r == 0) {
			char id[24];

			snprintf(
			    id, sizeof(id), "%lld", (long long)req->user_id);
			(void)vk_audit_append(req->web->store, req->actor,
			    req->client, "session.logout", "user", id, NULL,
			    NULL);
		}
	}
	vk_req_store_time(req, t0);
	clear_cookie(req);
	return r;
}

int
vk_web_lang_cookie(struct vk_req *req, enum vk_lang lang)
{
	char h[128];

	snprintf(h, sizeof(h),
	    VK_LANG_COOKIE "=%s; Path=/; SameSite=Strict; Max-Age=31536000%s",
	    vk_lang_name(lang), req->https ? "; Secure" : "");
	return vk_resp_header(req, "Set-Cookie", h);
}
