/*
 * api_session.c — POST /api/v1/session (log in: sets the cookie) and
 * DELETE /api/v1/session (log out).
 */
#include <string.h>

#include "util/err.h"
#include "web/handlers/handlers.h"
#include "web/session.h"

int
vk_api_session_post(struct vk_req *req)
{
	json_t *ju, *jp;
	struct vk_user *u = NULL;
	int r;

	if (req->json == NULL)
		return vk_resp_error(req, VK_WE_UNSUPPORTED_MEDIA_TYPE, NULL,
		    "send {\"username\": ..., \"password\": ...} as "
		    "application/json");
	ju = json_object_get(req->json, "username");
	jp = json_object_get(req->json, "password");
	if (!json_is_string(ju) || !json_is_string(jp))
		return vk_resp_error(req, VK_WE_INVALID_FIELD,
		    json_pack("{ss}", "field",
			json_is_string(ju) ? "password" : "username"),
		    "username and password are required strings");
	r = vk_do_login(req, json_string_value(ju), json_string_value(jp), &u);
	if (r < 0)
		return r;
	if (r > 0)
		return vk_resp_error(req, (enum vk_web_error)r, NULL, NULL);
	r = vk_resp_json(req, 201,
	    json_pack("{sosIssss}", "user", vk_user_json(u), "expires_in",
		(json_int_t)req->web->cfg->absolute_timeout, "csrf_token",
		req->csrf, "cookie", VK_SESSION_COOKIE));
	vk_user_free(u);
	return r;
}

int
vk_api_session_delete(struct vk_req *req)
{
	int r;

	if (req->session_hash[0] == '\0')
		return vk_resp_error(req, VK_WE_INVALID_FIELD, NULL,
		    "an API token has no session; revoke it instead");
	if ((r = vk_web_session_end(req)) != 0)
		return r;
	vk_buf_reset(&req->out);
	req->status = 204;
	req->ctype = NULL;
	return 0;
}
