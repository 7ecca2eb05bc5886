/*
 * api_audit.c — GET /api/v1/audit?actor=&action=&object_type=&object_id=
 * &since=&until=&limit=&offset= (times in µs since the epoch).
 */
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "web/handlers/handlers.h"

static int
time_arg(struct vk_req *req, const char *name, int64_t *out)
{
	const char *s = vk_req_query(req, name);
	int64_t v = 0;

	*out = 0;
	if (s == NULL || *s == '\0')
		return 0;
	if (strlen(s) > 18)
		goto bad;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			goto bad;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
bad:
	vk_resp_error(req, VK_WE_INVALID_FIELD,
	    json_pack("{ssss}", "field", name, "hint",
		"microseconds since 1970-01-01 UTC"),
	    NULL);
	return VK_EINVAL;
}

static const char *
nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

int
vk_api_audit_list(struct vk_req *req)
{
	struct vk_audit_filter f = { 0 };
	struct vk_audit_list *l = NULL;
	struct vk_page pg;
	json_t *items;
	uint64_t t0;
	size_t i;
	int r;

	if (vk_req_page(req, &pg) != 0 ||
	    time_arg(req, "since", &f.since) != 0 ||
	    time_arg(req, "until", &f.until) != 0)
		return 0;
	f.actor = nonempty(vk_req_query(req, "actor"));
	f.action = nonempty(vk_req_query(req, "action"));
	f.object_type = nonempty(vk_req_query(req, "object_type"));
	f.object_id = nonempty(vk_req_query(req, "object_id"));
	t0 = vk_web_now_ns();
	r = vk_store_audit_list(req->web->store, &f, &pg, &l);
	vk_req_store_time(req, t0);
	if (r != 0)
		return r;
	items = json_array();
	for (i = 0; i < l->n; i++)
		json_array_append_new(items, vk_audit_json(&l->v[i]));
	r = vk_resp_json(
	    req, 200, vk_json_page(items, l->total, pg.limit, pg.offset));
	vk_audit_list_free(l);
	return r;
}
