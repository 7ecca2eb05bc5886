/*
 * router.h — the routing table and the one access check.
 *
 * Every endpoint, HTML page and JSON API alike, is one row of vk_routes[]
 * (routes.c): method, path pattern, the roles allowed, flags and handler.
 * The server matches a request against the table, then calls
 * vk_route_allows() for the caller's role before any handler runs; no
 * handler checks roles itself.
 *
 * Patterns are absolute paths whose segments are literal or "{name}"; a
 * parameter matches one segment of [A-Za-z0-9_.-], 1..64 bytes.
 */
#ifndef VK_WEB_ROUTER_H
#define VK_WEB_ROUTER_H

#include <stddef.h>

struct vk_req;

/* Who is asking.  ANON is a request without a valid session or token. */
enum vk_web_role {
	VK_WROLE_ANON,
	VK_WROLE_EMPLOYEE,
	VK_WROLE_HANDLER,
	VK_WROLE_ADMIN,
	VK_WROLE_AUDITOR,
	VK_WROLE_MAX
};

#define VK_ALLOW(role) (1u << (role))
#define VK_ALLOW_USERS \
	(VK_ALLOW(VK_WROLE_EMPLOYEE) | VK_ALLOW(VK_WROLE_HANDLER) | \
	    VK_ALLOW(VK_WROLE_ADMIN) | VK_ALLOW(VK_WROLE_AUDITOR))
#define VK_ALLOW_PUBLIC (VK_ALLOW(VK_WROLE_ANON) | VK_ALLOW_USERS)

enum vk_route_flag {
	VK_RF_HTML = 1 << 0, /* answers with a page; errors as pages */
	VK_RF_JSON = 1 << 1, /* answers JSON; errors as {code,...} */
	VK_RF_CSRF = 1 << 2, /* state-changing: CSRF token required */
	VK_RF_OPS = 1 << 3, /* /metrics: loopback or an admin token */
	VK_RF_BODY = 1 << 4, /* takes a request body */
	VK_RF_NOCACHE_OK = 1 << 5, /* public, cacheable (static files) */
	/* multipart/form-data with files, up to VK_WEB_UPLOAD_LIMIT bytes
	 * (instead of body_limit); fields go to req->form, files to
	 * req->uploads */
	VK_RF_UPLOAD = 1 << 6
};

struct vk_route {
	const char *method; /* "GET", "POST", ... */
	const char *pattern; /* "/api/v1/users/{id}" */
	const char *name; /* metrics label, e.g. "api_users_get" */
	unsigned allow; /* VK_ALLOW() bits */
	unsigned flags; /* enum vk_route_flag bits */
	int (*handler)(struct vk_req *req);
};

extern const struct vk_route vk_routes[];
extern const size_t vk_nroutes;

#define VK_ROUTE_PARAMS 4
#define VK_ROUTE_PARAM_MAX 65
#define VK_PATH_MAX 1024

struct vk_route_match {
	const struct vk_route *route;
	size_t index; /* into the table */
	size_t nparams;
	char params[VK_ROUTE_PARAMS][VK_ROUTE_PARAM_MAX];
	char allow_methods[64]; /* for 405: "GET, POST" */
};

/*
 * Percent-decodes the request path `raw` (without query) into out.
 * Refuses (VK_EPARSE) a path that is not absolute, an encoded '/' or
 * '\\', a NUL, invalid UTF-8, "." or ".." segments and empty segments
 * other than a trailing slash; VK_ETOOBIG when longer than outlen - 1.
 */
int vk_router_decode_path(const char *raw, char *out, size_t outlen);
/*
 * Finds the route for method and decoded path.  0 and *m filled;
 * VK_ENOTFOUND when no pattern matches; VK_EUNSUPPORTED when a pattern
 * matches but not the method (m->allow_methods lists the ones that do).
 * HEAD matches GET routes.
 */
int vk_router_match(const struct vk_route *table, size_t n, const char *method,
    const char *path, struct vk_route_match *m);
/* May `role` use route r?  The single access decision. */
int vk_route_allows(const struct vk_route *r, enum vk_web_role role);
/* "employee", ... for a role; "anonymous" for ANON. */
const char *vk_web_role_name(enum vk_web_role role);
/* The role called `name`, or -1. */
int vk_web_role_parse(const char *name);

#endif
