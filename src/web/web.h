/*
 * web.h — the portal and API server: shared state and the request.
 *
 * A struct vk_web is the running server (config, store, metrics, token
 * cache).  Each HTTP request becomes a struct vk_req that the server fills
 * (decoded path, route, client address, identity, language, parsed body)
 * before the route's handler runs; the handler only writes a response
 * with the vk_resp_*() calls below.  Handlers live in src/web/handlers/,
 * one file per resource, and are listed in the routes[] table
 * (routes.c); their prototypes are in web/handlers/handlers.h.
 */
#ifndef VK_WEB_WEB_H
#define VK_WEB_WEB_H

#include <stdint.h>

#include <jansson.h>

#include "store/store.h"
#include "util/buf.h"
#include "web/config.h"
#include "web/errors.h"
#include "web/form.h"
#include "web/router.h"

struct MHD_Daemon;
struct MHD_Connection;
struct vk_metrics;
struct vk_auth_cache;

struct vk_web {
	struct vk_web_config *cfg; /* not owned */
	struct vk_store *store; /* not owned */
	struct MHD_Daemon *daemon;
	int tls;
	struct vk_metrics *metrics;
	struct vk_auth_cache *auth_cache;
	char *tls_cert_pem, *tls_key_pem;
};

#define VK_REQ_HEADERS 8
#define VK_REQ_UPLOADS 8
/* The whole body of an upload route: 5 files of 10 MiB and the form. */
#define VK_WEB_UPLOAD_LIMIT (51u * 1024 * 1024)
/* Ceiling of one uploaded file as kept in memory; larger ones are
 * marked too_big (their content dropped) for the handler to refuse. */
#define VK_WEB_UPLOAD_FILE_MAX (10u * 1024 * 1024)

/* A file of a multipart/form-data body (VK_RF_UPLOAD routes). */
struct vk_upload {
	char field[64]; /* form field name */
	char *filename; /* as sent by the browser, owned; may be invalid */
	struct vk_buf data; /* the content */
	int too_big; /* over VK_WEB_UPLOAD_FILE_MAX: data dropped */
};

struct vk_req {
	struct vk_web *web;
	struct MHD_Connection *conn;
	const char *method; /* owned by MHD */
	char path[VK_PATH_MAX]; /* decoded, no query */
	struct vk_route_match match;
	const struct vk_route *route; /* NULL before routing */
	struct vk_form query; /* decoded query arguments */
	struct vk_form form; /* urlencoded body */
	json_t *json; /* JSON body (API), owned */
	struct vk_buf body; /* raw body, up to cfg->body_limit */
	struct vk_upload uploads[VK_REQ_UPLOADS]; /* VK_RF_UPLOAD routes */
	size_t nuploads;
	int too_many_uploads; /* more files than VK_REQ_UPLOADS were sent */
	int body_too_big;
	int early_done; /* a response was queued before the body ended */
	size_t discarded; /* body bytes dropped past the limit */
	char client[64]; /* effective client address (after proxies) */
	int https; /* TLS here or https at the trusted proxy */
	int is_api; /* path under /api/ (errors as JSON) */
	int bad_query; /* a query argument did not decode */
	enum vk_lang lang;

	/* Who is asking; filled by session.c before access is checked. */
	enum vk_web_role role;
	int64_t user_id; /* 0 for anonymous */
	char username[VK_USERNAME_MAX + 1];
	char session_hash[VK_HASH_HEX]; /* "" unless by cookie */
	char csrf[64]; /* the session's CSRF token, "" unless by cookie */
	int64_t token_id; /* > 0 when by API token */
	char actor[128]; /* audit actor: "user:<name>" / "token:<id>" */

	/* The response. */
	unsigned status;
	const char *ctype;
	struct vk_buf out;
	struct {
		char *name, *value;
	} hdr[VK_REQ_HEADERS];
	size_t nhdr;

	uint64_t t_start; /* ns, monotonic */
	uint64_t store_ns; /* time spent in the store */
};

/* Monotonic nanoseconds. */
uint64_t vk_web_now_ns(void);

/* Translation of msgid in the request's language. */
const char *vk_req_tr(const struct vk_req *req, const char *msgid);
#define T(req, s) vk_req_tr((req), (s))
/* The decoded query argument or NULL. */
const char *vk_req_query(const struct vk_req *req, const char *name);
/* A request header or NULL. */
const char *vk_req_header(const struct vk_req *req, const char *name);
/* A cookie or NULL. */
const char *vk_req_cookie(const struct vk_req *req, const char *name);

/* Sets the response body to `j` (stolen, even on failure) as JSON. */
int vk_resp_json(struct vk_req *req, unsigned status, json_t *j);
/*
 * An error response: JSON {code, name, message, details} on JSON routes
 * (details stolen, may be NULL), an HTML page elsewhere.  `detail` (may
 * be NULL) is an extra sentence shown on the page.
 */
int vk_resp_error(struct vk_req *req, enum vk_web_error code, json_t *details,
    const char *detail);
/* 303 See Other to a local path. */
int vk_resp_redirect(struct vk_req *req, const char *location);
/* Adds a response header (copied).  VK_ETOOBIG past VK_REQ_HEADERS. */
int vk_resp_header(struct vk_req *req, const char *name, const char *value);
/* A plain text body. */
int vk_resp_text(
    struct vk_req *req, unsigned status, const char *ctype, const char *text);

/* JSON {items, total, limit, offset} helper; items stolen. */
json_t *vk_json_page(json_t *items, int64_t total, size_t limit, size_t offset);
/* Reads ?limit=&offset= (limit capped at VK_PAGE_MAX, default 50).
 * VK_EINVAL (and an error response written) on a bad number. */
int vk_req_page(struct vk_req *req, struct vk_page *pg);

/* Adds the time since t0 (from vk_web_now_ns()) to the request's store
 * time, which /metrics reports. */
void vk_req_store_time(struct vk_req *req, uint64_t t0);

#endif
