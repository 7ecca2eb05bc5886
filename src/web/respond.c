/*
 * respond.c — request accessors and response builders for handlers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "util/err.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/page.h"
#include "web/web.h"

const char *
vk_req_tr(const struct vk_req *req, const char *msgid)
{
	return vk_tr(req->lang, msgid);
}

const char *
vk_req_query(const struct vk_req *req, const char *name)
{
	return vk_form_get(&req->query, name);
}

const char *
vk_req_header(const struct vk_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *
vk_req_cookie(const struct vk_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

int
vk_resp_header(struct vk_req *req, const char *name, const char *value)
{
	char *n, *v;

	if (req->nhdr == VK_REQ_HEADERS)
		return VK_ETOOBIG;
	n = strdup(name);
	v = strdup(value);
	if (n == NULL || v == NULL) {
		free(n);
		free(v);
		return VK_ENOMEM;
	}
	req->hdr[req->nhdr].name = n;
	req->hdr[req->nhdr].value = v;
	req->nhdr++;
	return 0;
}

int
vk_resp_text(
    struct vk_req *req, unsigned status, const char *ctype, const char *text)
{
	vk_buf_reset(&req->out);
	req->status = status;
	req->ctype = ctype;
	return vk_buf_appends(&req->out, text);
}

int
vk_resp_json(struct vk_req *req, unsigned status, json_t *j)
{
	char *s;
	int r;

	if (j == NULL)
		return VK_ENOMEM;
	s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (s == NULL)
		return VK_ENOMEM;
	vk_buf_reset(&req->out);
	r = vk_buf_appends(&req->out, s);
	free(s);
	if (r == 0 && (r = vk_buf_appendc(&req->out, '\n')) == 0) {
		req->status = status;
		req->ctype = "application/json";
	}
	return r;
}

int
vk_resp_error(struct vk_req *req, enum vk_web_error code, json_t *details,
    const char *detail)
{
	const struct vk_web_error_def *e = vk_web_error_find(code);
	const char *msg = req->lang == VK_LANG_EN ? e->en : e->sv;
	int json =
	    req->route ? (req->route->flags & VK_RF_JSON) != 0 : req->is_api;

	if (json) {
		json_t *j;

		if (details == NULL && detail)
			details = json_pack("{ss}", "hint", detail);
		j = json_pack("{sisssssO?}", "code", (int)e->code, "name",
		    e->name, "message", msg, "details", details);
		json_decref(details);
		return vk_resp_json(req, e->http, j);
	}
	json_decref(details);
	return vk_page_error(req, e->http, msg, detail);
}

int
vk_resp_redirect(struct vk_req *req, const char *location)
{
	int r;

	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	if ((r = vk_resp_header(req, "Location", location)) != 0)
		return r;
	return vk_resp_text(
	    req, 303, "text/plain; charset=utf-8", "See Other\n");
}

json_t *
vk_json_page(json_t *items, int64_t total, size_t limit, size_t offset)
{
	return json_pack("{sosIsIsI}", "items", items, "total",
	    (json_int_t)total, "limit", (json_int_t)limit, "offset",
	    (json_int_t)offset);
}

static int
page_num(const char *s, size_t max, size_t *out)
{
	size_t v = 0;

	if (s == NULL)
		return 0;
	if (*s == '\0' || strlen(s) > 9)
		return VK_EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return VK_EINVAL;
		v = v * 10 + (size_t)(*s - '0');
	}
	*out = v < max ? v : max;
	return 0;
}

int
vk_req_page(struct vk_req *req, struct vk_page *pg)
{
	pg->limit = VK_PAGE_DEFAULT;
	pg->offset = 0;
	if (page_num(vk_req_query(req, "limit"), VK_PAGE_MAX, &pg->limit) !=
		0 ||
	    page_num(vk_req_query(req, "offset"), (size_t)1 << 40,
		&pg->offset) != 0) {
		vk_resp_error(req, VK_WE_INVALID_FIELD,
		    json_pack("{ss}", "field", "limit/offset"),
		    "limit and offset must be whole numbers.");
		return VK_EINVAL;
	}
	if (pg->limit == 0)
		pg->limit = VK_PAGE_DEFAULT;
	return 0;
}
