/*
 * ops.c — static files, GET /healthz and GET /metrics.
 */
#include <string.h>

#include <microhttpd.h>

#include "util/err.h"
#include "web/embed.h"
#include "web/handlers/handlers.h"
#include "web/metrics.h"

int
vk_h_static(struct vk_req *req)
{
	const struct vk_embed *e;
	const char *inm;

	/* Only names under /static/ from the embedded table; "mo/..." and
	 * anything else is not reachable, and no path touches the disk. */
	if (strncmp(req->path, "/static/", 8) != 0 ||
	    (e = vk_embed_find(req->path)) == NULL)
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	vk_resp_header(
	    req, "Cache-Control", "public, max-age=31536000, immutable");
	vk_resp_header(req, "ETag", e->etag);
	inm = vk_req_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH);
	if (inm && strcmp(inm, e->etag) == 0) {
		vk_buf_reset(&req->out);
		req->status = 304;
		req->ctype = NULL;
		return 0;
	}
	vk_buf_reset(&req->out);
	if (vk_buf_append(&req->out, e->data, e->len) != 0)
		return VK_ENOMEM;
	req->status = 200;
	req->ctype = e->content_type;
	return 0;
}

int
vk_h_healthz(struct vk_req *req)
{
	uint64_t t0 = vk_web_now_ns();
	int r = vk_store_ping(req->web->store);

	vk_req_store_time(req, t0);
	if (r != 0)
		return vk_resp_text(req, 503, "text/plain; charset=utf-8",
		    "store unreachable\n");
	return vk_resp_text(req, 200, "text/plain; charset=utf-8", "ok\n");
}

int
vk_h_metrics(struct vk_req *req)
{
	int64_t n = -1;
	uint64_t t0 = vk_web_now_ns();

	if (vk_store_session_count(req->web->store, vk_store_now(), &n) != 0)
		n = -1;
	vk_req_store_time(req, t0);
	vk_buf_reset(&req->out);
	if (vk_metrics_write(req->web->metrics, &req->out, n) != 0)
		return VK_ENOMEM;
	req->status = 200;
	req->ctype = "text/plain; version=0.0.4; charset=utf-8";
	return 0;
}
