/*
 * server.c — libmicrohttpd glue: connections, bodies, routing, access,
 * security headers, logs and metrics.  Handlers never see MHD directly
 * except through vk_req.
 */
#include "web/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "util/err.h"
#include "util/log.h"
#include "web/i18n.h"
#include "web/jsonbody.h"
#include "web/metrics.h"
#include "web/session.h"

#define CSP \
	"default-src 'none'; style-src 'self'; img-src 'self'; " \
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

uint64_t
vk_web_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void
vk_req_store_time(struct vk_req *req, uint64_t t0)
{
	req->store_ns += vk_web_now_ns() - t0;
}

/* MHD leaves paths and query arguments as sent; we decode them ourselves
 * (router.c, form.c) so that decoding has one strict implementation. */
static size_t
no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		return;
	msg[strcspn(msg, "\n")] = '\0';
	vk_log(VK_LOG_WARN, "mhd", "msg=\"%s\"", msg);
}

static int
addr_bytes(const struct sockaddr *sa, int *family, unsigned char *b, char *text,
    size_t tn)
{
	if (sa == NULL)
		return VK_EINVAL;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		memcpy(b, &in->sin_addr, 4);
		*family = AF_INET;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in = (const struct sockaddr_in6 *)sa;

		memcpy(b, &in->sin6_addr, 16);
		*family = AF_INET6;
		/* An IPv4-mapped address is treated as the IPv4 one. */
		if (IN6_IS_ADDR_V4MAPPED(&in->sin6_addr)) {
			memmove(b, b + 12, 4);
			*family = AF_INET;
		}
	} else
		return VK_EINVAL;
	if (inet_ntop(*family, b, text, (socklen_t)tn) == NULL)
		return VK_EINVAL;
	return 0;
}

static int
trusted(const struct vk_web_config *cfg, int family, const unsigned char *b)
{
	size_t i;

	for (i = 0; i < cfg->nproxies; i++)
		if (vk_cidr_contains(&cfg->proxies[i], family, b))
			return 1;
	return 0;
}

/*
 * The client address: the peer, unless the peer is a trusted proxy; then
 * the rightmost X-Forwarded-For entry that is not itself a trusted proxy
 * (entries further left are whatever the client claimed).
 */
static void
find_client(struct vk_req *req)
{
	const union MHD_ConnectionInfo *ci;
	const struct vk_web_config *cfg = req->web->cfg;
	unsigned char b[16];
	int family;
	const char *xff, *proto;

	req->https = req->web->tls;
	snprintf(req->client, sizeof(req->client), "unknown");
	ci = MHD_get_connection_info(
	    req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL ||
	    addr_bytes(ci->client_addr, &family, b, req->client,
		sizeof(req->client)) != 0)
		return;
	if (!trusted(cfg, family, b))
		return;
	proto = MHD_lookup_connection_value(
	    req->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	if (proto && strcmp(proto, "https") == 0)
		req->https = 1;
	xff = MHD_lookup_connection_value(
	    req->conn, MHD_HEADER_KIND, "X-Forwarded-For");
	if (xff == NULL || strlen(xff) >= 1024)
		return;
	{
		char list[1024];
		size_t end, start;

		snprintf(list, sizeof(list), "%s", xff);
		end = strlen(list);
		for (;;) {
			unsigned char ab[16];

			while (end > 0 &&
			    (list[end - 1] == ' ' || list[end - 1] == ','))
				end--;
			if (end == 0)
				return;
			start = end;
			while (start > 0 && list[start - 1] != ' ' &&
			    list[start - 1] != ',')
				start--;
			list[end] = '\0';
			if (inet_pton(AF_INET, list + start, ab) == 1)
				family = AF_INET;
			else if (inet_pton(AF_INET6, list + start, ab) == 1)
				family = AF_INET6;
			else
				return; /* garbage: keep the last good one */
			snprintf(req->client, sizeof(req->client), "%s",
			    list + start);
			if (!trusted(cfg, family, ab))
				return;
			end = start;
		}
	}
}

static enum MHD_Result
collect_query(
    void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct vk_req *req = cls;
	char *k = NULL, *v = NULL;

	(void)kind;
	if (vk_url_decode(key, strlen(key), 1, &k) == 0 &&
	    vk_url_decode(
		value ? value : "", value ? strlen(value) : 0, 1, &v) == 0)
		(void)vk_form_add(&req->query, k, v);
	else
		req->bad_query = 1;
	free(k);
	free(v);
	return MHD_YES;
}

static void
req_free(struct vk_req *req)
{
	size_t i;

	if (req == NULL)
		return;
	vk_form_release(&req->query);
	vk_form_release(&req->form);
	json_decref(req->json);
	vk_buf_release(&req->body);
	vk_buf_release(&req->out);
	for (i = 0; i < req->nuploads; i++) {
		free(req->uploads[i].filename);
		vk_buf_release(&req->uploads[i].data);
	}
	for (i = 0; i < req->nhdr; i++) {
		free(req->hdr[i].name);
		free(req->hdr[i].value);
	}
	free(req);
}

static void
add_security_headers(struct vk_req *req, struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(
	    resp, "Cross-Origin-Opener-Policy", "same-origin");
	if (req->https)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    "max-age=31536000; includeSubDomains");
}

static enum MHD_Result
send_response(struct vk_req *req)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t len, i;
	char *data;
	int cacheable = req->route && (req->route->flags & VK_RF_NOCACHE_OK) &&
	    (req->status == 200 || req->status == 304);

	if (req->status == 0)
		vk_resp_error(req, VK_WE_INTERNAL, NULL, NULL);
	data = vk_buf_detach(&req->out, &len);
	if (data == NULL)
		return MHD_NO;
	resp =
	    MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(data);
		return MHD_NO;
	}
	add_security_headers(req, resp);
	if (req->ctype)
		MHD_add_response_header(resp, "Content-Type", req->ctype);
	if (!cacheable)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	for (i = 0; i < req->nhdr; i++)
		MHD_add_response_header(
		    resp, req->hdr[i].name, req->hdr[i].value);
	ret = MHD_queue_response(req->conn, req->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Runs once the whole body is in: identify, check access, parse, call. */
static void
dispatch(struct vk_req *req)
{
	const struct vk_route *rt = req->route;
	int r;

	if (req->body_too_big) {
		vk_resp_error(req, VK_WE_BODY_TOO_LARGE, NULL, NULL);
		return;
	}
	if ((r = vk_web_identify(req)) != 0)
		return; /* response written (bad token, store down) */
	if (rt == NULL)
		return; /* 400/404/405 written during routing */
	if (!vk_route_allows(rt, req->role)) {
		if (req->role == VK_WROLE_ANON && (rt->flags & VK_RF_HTML)) {
			vk_resp_redirect(req, "/login");
			return;
		}
		vk_resp_error(req,
		    req->role == VK_WROLE_ANON ? VK_WE_UNAUTHENTICATED
					       : VK_WE_FORBIDDEN,
		    NULL, NULL);
		return;
	}
	if (rt->flags & VK_RF_OPS) {
		if (!vk_web_ops_allowed(req)) {
			vk_resp_error(req, VK_WE_FORBIDDEN, NULL, NULL);
			return;
		}
	}
	if ((rt->flags & VK_RF_BODY) && vk_web_parse_body(req) != 0)
		return; /* 4xx written */
	if ((rt->flags & VK_RF_CSRF) && !vk_web_csrf_ok(req)) {
		vk_resp_error(req, VK_WE_CSRF, NULL, NULL);
		return;
	}
	if ((r = rt->handler(req)) != 0 || req->status == 0) {
		vk_log(VK_LOG_ERROR, "handler", "route=%s err=\"%s\"", rt->name,
		    vk_strerror(r));
		vk_buf_reset(&req->out);
		req->nhdr = 0;
		vk_resp_error(req,
		    r == VK_ESTORE ? VK_WE_STORE_UNAVAILABLE : VK_WE_INTERNAL,
		    NULL, NULL);
	}
}

static void
start_request(struct vk_req *req, const char *url)
{
	const char *q;
	int r;

	find_client(req);
	req->lang = VK_LANG_SV;
	q = strchr(url, '?'); /* MHD strips it; be sure */
	if (q ||
	    (r = vk_router_decode_path(url, req->path, sizeof(req->path))) !=
		0) {
		snprintf(req->path, sizeof(req->path), "(invalid)");
		req->is_api = strncmp(url, "/api/", 5) == 0;
		vk_resp_error(req, VK_WE_BAD_PATH, NULL, NULL);
		return;
	}
	req->is_api = strncmp(req->path, "/api/", 5) == 0;
	MHD_get_connection_values(
	    req->conn, MHD_GET_ARGUMENT_KIND, collect_query, req);
	if (req->bad_query) {
		vk_resp_error(req, VK_WE_INVALID_UTF8, NULL,
		    "A query argument is not valid percent-encoded UTF-8.");
		return;
	}
	r = vk_router_match(
	    vk_routes, vk_nroutes, req->method, req->path, &req->match);
	if (r == 0) {
		req->route = req->match.route;
		return;
	}
	if (r == VK_EUNSUPPORTED) {
		vk_resp_header(req, "Allow", req->match.allow_methods);
		vk_resp_error(req, VK_WE_METHOD_NOT_ALLOWED, NULL, NULL);
		return;
	}
	vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct vk_web *w = cls;
	struct vk_req *req = *con_cls;

	(void)version;
	if (req == NULL) {
		const char *cl;

		if ((req = calloc(1, sizeof(*req))) == NULL)
			return MHD_NO;
		req->t_start = vk_web_now_ns();
		req->web = w;
		req->conn = conn;
		req->method = method;
		vk_buf_init(&req->body, w->cfg->body_limit);
		vk_buf_init(&req->out, 16 * 1024 * 1024);
		*con_cls = req;
		start_request(req, url);
		/* Only upload routes take more than body_limit. */
		if (req->route != NULL && (req->route->flags & VK_RF_UPLOAD))
			req->body.max = VK_WEB_UPLOAD_LIMIT;
		cl = MHD_lookup_connection_value(
		    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strlen(cl) > 0 &&
		    (strlen(cl) > 15 ||
			strtoull(cl, NULL, 10) > req->body.max)) {
			/* Answer at once instead of reading what we would
			 * refuse anyway; MHD closes the connection. */
			req->status = 0;
			vk_buf_reset(&req->out);
			req->body_too_big = 1;
			vk_resp_error(req, VK_WE_BODY_TOO_LARGE, NULL, NULL);
			req->early_done = 1;
			return send_response(req);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		/* MHD cannot answer while a chunked body is still coming:
		 * drop what exceeds the limit and answer 413 at the end,
		 * but hang up on a client that keeps sending far more. */
		if (!req->body_too_big &&
		    vk_buf_append(&req->body, upload, *upload_size) != 0) {
			req->body_too_big = 1;
			vk_buf_release(&req->body);
		}
		if (req->body_too_big) {
			req->discarded += *upload_size;
			if (req->discarded > 4 * req->body.max)
				return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (req->early_done)
		return MHD_YES;
	if (req->status == 0)
		dispatch(req);
	return send_response(req);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct vk_web *w = cls;
	struct vk_req *req = *con_cls;
	uint64_t dur;

	(void)conn;
	if (req == NULL)
		return;
	dur = vk_web_now_ns() - req->t_start;
	vk_metrics_observe(w->metrics, req->route ? req->match.index : SIZE_MAX,
	    req->status, dur, req->store_ns);
	vk_log(VK_LOG_INFO, "request",
	    "method=%s path=%s route=%s status=%u ms=%.3f user=%lld "
	    "client=%s%s",
	    req->method, req->path, req->route ? req->route->name : "-",
	    req->status, (double)dur / 1e6, (long long)req->user_id,
	    req->client,
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
	req_free(req);
	*con_cls = NULL;
}

static int
read_file(const char *path, char **out, struct vk_diag *d)
{
	struct vk_buf b;
	char chunk[4096];
	FILE *fp;
	size_t n;
	int r = 0;

	*out = NULL;
	vk_buf_init(&b, 1024 * 1024);
	if ((fp = fopen(path, "rb")) == NULL) {
		vk_diag_error(d, path, "cannot read: %s", strerror(errno));
		return VK_EIO;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if ((r = vk_buf_append(&b, chunk, n)) != 0)
			break;
	if (r == 0 && ferror(fp))
		r = VK_EIO;
	fclose(fp);
	if (r != 0) {
		vk_diag_error(d, path, "cannot read (too large or I/O error)");
		vk_buf_release(&b);
		return r;
	}
	*out = vk_buf_detach(&b, NULL);
	return *out ? 0 : VK_ENOMEM;
}

static int
parse_listen(const char *s, struct sockaddr_storage *ss, struct vk_diag *d)
{
	char host[256];
	const char *colon, *port, *h = s;
	struct addrinfo hints, *ai = NULL;
	size_t hn;

	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (end == NULL || end[1] != ':')
			goto bad;
		h = s + 1;
		hn = (size_t)(end - h);
		port = end + 2;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			goto bad;
		hn = (size_t)(colon - s);
		port = colon + 1;
	}
	if (hn == 0 || hn >= sizeof(host) || *port == '\0')
		goto bad;
	memcpy(host, h, hn);
	host[hn] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai) != 0 || ai == NULL)
		goto bad;
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return 0;
bad:
	vk_diag_error(d, "listen",
	    "'%s' is not ADDRESS:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)", s);
	return VK_EINVAL;
}

int
vk_web_start(struct vk_web_config *cfg, struct vk_store *store,
    struct vk_web **out, char *url, size_t urlsize, struct vk_diag *d)
{
	struct sockaddr_storage ss;
	struct vk_web *w;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
	unsigned threads = cfg->threads;
	const union MHD_DaemonInfo *di;
	char host[INET6_ADDRSTRLEN];
	int r;

	*out = NULL;
	if ((r = parse_listen(cfg->listen, &ss, d)) != 0)
		return r;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return VK_ENOMEM;
	w->cfg = cfg;
	w->store = store;
	if ((r = vk_metrics_new(vk_nroutes, &w->metrics)) != 0 ||
	    (r = vk_auth_cache_new(&w->auth_cache)) != 0 ||
	    (r = vk_i18n_init()) != 0)
		goto fail;
	if (cfg->tls_cert || cfg->tls_key) {
		if (!cfg->tls_cert || !cfg->tls_key) {
			vk_diag_error(
			    d, "tls", "give both --tls-cert and --tls-key");
			r = VK_EINVAL;
			goto fail;
		}
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			vk_diag_error(d, "tls",
			    "this libmicrohttpd was built without TLS; "
			    "terminate TLS in a reverse proxy and use "
			    "--trusted-proxy instead");
			r = VK_EUNSUPPORTED;
			goto fail;
		}
		if ((r = read_file(cfg->tls_cert, &w->tls_cert_pem, d)) != 0 ||
		    (r = read_file(cfg->tls_key, &w->tls_key_pem, d)) != 0)
			goto fail;
		flags |= MHD_USE_TLS;
		w->tls = 1;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		threads = n > 0 ? (unsigned)n : 2;
	}
	w->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, w,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->connection_limit,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->memory_limit,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, w,
	    MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
	    w->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END,
	    w->tls_cert_pem, MHD_OPTION_HTTPS_MEM_KEY, w->tls_key_pem,
	    MHD_OPTION_END);
	if (w->daemon == NULL) {
		vk_diag_error(d, cfg->listen,
		    "cannot listen here (address in use, not local, or "
		    "the TLS files are not a PEM certificate and key)");
		r = VK_EIO;
		goto fail;
	}
	if (url) {
		unsigned port = 0;
		const void *ap;

		di = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT);
		if (di)
			port = di->port;
		ap = ss.ss_family == AF_INET6
		    ? (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr
		    : (const void *)&((struct sockaddr_in *)&ss)->sin_addr;
		if (inet_ntop(ss.ss_family, ap, host, sizeof(host)) == NULL)
			snprintf(host, sizeof(host), "localhost");
		if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0)
			snprintf(host, sizeof(host), "localhost");
		snprintf(url, urlsize, "%s://%s%s%s:%u/",
		    w->tls ? "https" : "http",
		    ss.ss_family == AF_INET6 ? "[" : "", host,
		    ss.ss_family == AF_INET6 ? "]" : "", port);
	}
	*out = w;
	return 0;
fail:
	vk_web_stop(w, 0);
	return r;
}

void
vk_web_stop(struct vk_web *w, unsigned grace)
{
	if (w == NULL)
		return;
	if (w->daemon) {
		uint64_t until =
		    vk_web_now_ns() + (uint64_t)grace * 1000000000u;

		MHD_quiesce_daemon(w->daemon);
		while (vk_web_now_ns() < until) {
			const union MHD_DaemonInfo *di = MHD_get_daemon_info(
			    w->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

			if (di == NULL || di->num_connections == 0)
				break;
			usleep(50 * 1000);
		}
		MHD_stop_daemon(w->daemon);
	}
	vk_metrics_free(w->metrics);
	vk_auth_cache_free(w->auth_cache);
	if (w->tls_key_pem)
		memset(w->tls_key_pem, 0, strlen(w->tls_key_pem));
	free(w->tls_key_pem);
	free(w->tls_cert_pem);
	free(w);
}
