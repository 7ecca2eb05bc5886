/*
 * routes.c — every endpoint of the portal and the API, in one table.
 *
 * Columns: method, path pattern, metrics name, roles allowed, flags,
 * handler.  The server checks `allow` for every request before the
 * handler runs (router.h); docs/openapi.json lists the /api/ rows and
 * tests/unit/test_router.c checks both the roles and the OpenAPI file
 * against this table.
 */
#include "web/router.h"

#include "web/handlers/handlers.h"

#define ANY VK_ALLOW_PUBLIC
#define USERS VK_ALLOW_USERS
#define ADMIN VK_ALLOW(VK_WROLE_ADMIN)
#define AUDIT (VK_ALLOW(VK_WROLE_ADMIN) | VK_ALLOW(VK_WROLE_AUDITOR))
#define STAFF \
	(VK_ALLOW(VK_WROLE_HANDLER) | VK_ALLOW(VK_WROLE_ADMIN) | \
	    VK_ALLOW(VK_WROLE_AUDITOR))
#define HANDLERS (VK_ALLOW(VK_WROLE_HANDLER) | VK_ALLOW(VK_WROLE_ADMIN))

#define HTML VK_RF_HTML
#define FORM (VK_RF_HTML | VK_RF_BODY | VK_RF_CSRF)
#define JSON VK_RF_JSON
#define JBODY (VK_RF_JSON | VK_RF_BODY | VK_RF_CSRF)

const struct vk_route vk_routes[] = {
	/* Operations and static files. */
	{ .method = "GET", .pattern = "/healthz", .name = "healthz",
	    .allow = ANY, .flags = 0, .handler = vk_h_healthz },
	{ .method = "GET", .pattern = "/metrics", .name = "metrics",
	    .allow = ANY, .flags = VK_RF_OPS, .handler = vk_h_metrics },
	{ .method = "GET", .pattern = "/static/{file}", .name = "static",
	    .allow = ANY, .flags = VK_RF_NOCACHE_OK, .handler = vk_h_static },

	/* Pages. */
	{ .method = "GET", .pattern = "/login", .name = "login_form",
	    .allow = ANY, .flags = HTML, .handler = vk_h_login_form },
	/* No session yet, so no session CSRF token: the handler checks
	 * Sec-Fetch-Site / Origin instead (login CSRF). */
	{ .method = "POST", .pattern = "/login", .name = "login",
	    .allow = ANY, .flags = HTML | VK_RF_BODY,
	    .handler = vk_h_login_post },
	{ .method = "POST", .pattern = "/logout", .name = "logout",
	    .allow = USERS, .flags = FORM, .handler = vk_h_logout },
	/* Sets only the anonymous language cookie. */
	{ .method = "POST", .pattern = "/lang", .name = "lang",
	    .allow = ANY, .flags = HTML | VK_RF_BODY,
	    .handler = vk_h_lang_post },
	{ .method = "GET", .pattern = "/", .name = "dashboard",
	    .allow = USERS, .flags = HTML, .handler = vk_h_dashboard },
	{ .method = "GET", .pattern = "/incidents", .name = "incidents",
	    .allow = USERS, .flags = HTML, .handler = vk_h_coming },
	{ .method = "GET", .pattern = "/phishing", .name = "phishing",
	    .allow = USERS, .flags = HTML, .handler = vk_h_coming },
	{ .method = "GET", .pattern = "/hunt", .name = "hunt",
	    .allow = HANDLERS, .flags = HTML, .handler = vk_h_coming },
	{ .method = "GET", .pattern = "/systems", .name = "systems",
	    .allow = STAFF, .flags = HTML, .handler = vk_h_coming },
	{ .method = "GET", .pattern = "/index", .name = "index",
	    .allow = STAFF, .flags = HTML, .handler = vk_h_coming },
	{ .method = "GET", .pattern = "/users", .name = "users",
	    .allow = ADMIN, .flags = HTML, .handler = vk_h_users_list },
	{ .method = "POST", .pattern = "/users", .name = "users_create",
	    .allow = ADMIN, .flags = FORM, .handler = vk_h_users_create },
	{ .method = "POST", .pattern = "/users/{id}", .name = "users_update",
	    .allow = ADMIN, .flags = FORM, .handler = vk_h_users_update },
	{ .method = "GET", .pattern = "/audit", .name = "audit",
	    .allow = AUDIT, .flags = HTML, .handler = vk_h_audit_page },
	{ .method = "GET", .pattern = "/settings", .name = "settings",
	    .allow = ADMIN, .flags = HTML, .handler = vk_h_settings_form },
	{ .method = "POST", .pattern = "/settings", .name = "settings_save",
	    .allow = ADMIN, .flags = FORM, .handler = vk_h_settings_post },
	{ .method = "GET", .pattern = "/profile", .name = "profile",
	    .allow = USERS, .flags = HTML, .handler = vk_h_profile },
	{ .method = "POST", .pattern = "/profile/lang", .name = "profile_lang",
	    .allow = USERS, .flags = FORM, .handler = vk_h_profile_lang },
	{ .method = "POST", .pattern = "/profile/password",
	    .name = "profile_password", .allow = USERS, .flags = FORM,
	    .handler = vk_h_profile_password },

	/* JSON API. */
	{ .method = "GET", .pattern = "/api/v1/me", .name = "api_me",
	    .allow = USERS, .flags = JSON, .handler = vk_api_me },
	{ .method = "GET", .pattern = "/api/v1/users", .name = "api_users_list",
	    .allow = ADMIN, .flags = JSON, .handler = vk_api_users_list },
	{ .method = "POST", .pattern = "/api/v1/users",
	    .name = "api_users_create", .allow = ADMIN, .flags = JBODY,
	    .handler = vk_api_users_create },
	{ .method = "GET", .pattern = "/api/v1/users/{id}",
	    .name = "api_user_get", .allow = ADMIN, .flags = JSON,
	    .handler = vk_api_user_get },
	{ .method = "PATCH", .pattern = "/api/v1/users/{id}",
	    .name = "api_user_patch", .allow = ADMIN, .flags = JBODY,
	    .handler = vk_api_user_patch },
	{ .method = "GET", .pattern = "/api/v1/audit", .name = "api_audit",
	    .allow = AUDIT, .flags = JSON, .handler = vk_api_audit_list },
	{ .method = "GET", .pattern = "/api/v1/settings",
	    .name = "api_settings_get", .allow = AUDIT, .flags = JSON,
	    .handler = vk_api_settings_get },
	{ .method = "PUT", .pattern = "/api/v1/settings",
	    .name = "api_settings_put", .allow = ADMIN, .flags = JBODY,
	    .handler = vk_api_settings_put },
	/* Login: no session yet, so no CSRF token (the JSON media type
	 * already keeps plain HTML forms out). */
	{ .method = "POST", .pattern = "/api/v1/session",
	    .name = "api_session_post", .allow = ANY,
	    .flags = VK_RF_JSON | VK_RF_BODY,
	    .handler = vk_api_session_post },
	{ .method = "DELETE", .pattern = "/api/v1/session",
	    .name = "api_session_delete", .allow = USERS, .flags = JBODY,
	    .handler = vk_api_session_delete },
};

const size_t vk_nroutes = sizeof(vk_routes) / sizeof(vk_routes[0]);
