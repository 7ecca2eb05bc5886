/*
 * jsonbody.c — request body parsing and validation.
 */
#include "web/jsonbody.h"
#include "web/upload.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "util/err.h"
#include "web/form.h"
#include "web/web.h"

int
vk_json_media_type(const char *ct)
{
	const char *p;

	if (ct == NULL)
		return 0;
	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, "application/json", 16) != 0)
		return 0;
	p = ct + 16;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return 1;
	if (*p != ';')
		return 0;
	p++;
	while (*p == ' ')
		p++;
	/* The only parameter JSON has is a charset, and it must be UTF-8. */
	return strncasecmp(p, "charset=utf-8", 13) == 0 &&
	    (p[13] == '\0' || p[13] == ' ' || p[13] == ';');
}

int
vk_json_body_parse(const char *ct, const char *body, size_t len, json_t **out,
    enum vk_web_error *code, json_t **details)
{
	json_error_t e;
	size_t bad;
	json_t *j;

	*out = NULL;
	*details = NULL;
	if (!vk_json_media_type(ct)) {
		*code = VK_WE_UNSUPPORTED_MEDIA_TYPE;
		*details = json_pack("{ss?}", "content_type", ct);
		return VK_EPARSE;
	}
	if (!vk_web_utf8_valid(body, len, &bad)) {
		*code = VK_WE_INVALID_UTF8;
		*details = json_pack("{sI}", "offset", (json_int_t)bad);
		return VK_EPARSE;
	}
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL) {
		*code = VK_WE_MALFORMED_JSON;
		*details = json_pack("{sisisiss}", "line", e.line, "column",
		    e.column, "position", e.position, "error", e.text);
		return VK_EPARSE;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		*code = VK_WE_MALFORMED_JSON;
		*details = json_pack(
		    "{ss}", "error", "the body must be a JSON object");
		return VK_EPARSE;
	}
	*out = j;
	return 0;
}

int
vk_web_parse_body(struct vk_req *req)
{
	const char *ct = vk_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
	char err[200];

	if (req->route->flags & VK_RF_JSON) {
		enum vk_web_error code;
		json_t *details;

		/* A JSON route without a body (DELETE /session) has
		 * nothing to parse. */
		if (req->body.len == 0 && ct == NULL)
			return 0;
		if (vk_json_body_parse(ct, vk_buf_str(&req->body),
			req->body.len, &req->json, &code, &details) != 0) {
			vk_resp_error(req, code, details, NULL);
			return -1;
		}
		return 0;
	}
	if ((req->route->flags & VK_RF_UPLOAD) && ct != NULL &&
	    strncasecmp(ct, "multipart/form-data", 19) == 0) {
		int r = vk_web_parse_multipart(req, err, sizeof(err));

		if (r != 0) {
			vk_resp_error(req,
			    r == VK_ENOMEM ? VK_WE_INTERNAL
					   : VK_WE_INVALID_FIELD,
			    NULL, r == VK_ENOMEM ? NULL : err);
			return -1;
		}
		return 0;
	}
	if (req->body.len > 0 &&
	    (ct == NULL ||
		strncasecmp(ct, "application/x-www-form-urlencoded", 33) !=
		    0)) {
		vk_resp_error(req, VK_WE_UNSUPPORTED_MEDIA_TYPE, NULL,
		    "Send the form as application/x-www-form-urlencoded.");
		return -1;
	}
	if (vk_form_parse(vk_buf_str(&req->body), req->body.len, &req->form,
		err, sizeof(err)) != 0) {
		vk_resp_error(req, VK_WE_INVALID_FIELD, NULL, err);
		return -1;
	}
	return 0;
}
