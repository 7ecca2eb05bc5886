/*
 * page.c — the shared page frame, error pages and small form helpers.
 */
#include "web/page.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/embed_names.h"
#include "version.h"
#include "web/i18n.h"
#include "incident/tz.h"

struct nav_item {
	const char *path;
	const char *label; /* msgid */
};

static const struct nav_item nav[] = {
	{ "/", N_("Overview") },
	{ "/incidents", N_("Incidents") },
	{ "/hunt", N_("Hunt") },
	{ "/systems", N_("Systems") },
	{ "/index", N_("Security index") },
	{ "/phishing", N_("Phishing") },
	{ "/users", N_("Users") },
	{ "/audit", N_("Audit log") },
	{ "/settings", N_("Settings") },
};

static pthread_mutex_t org_lock = PTHREAD_MUTEX_INITIALIZER;
static char org_cache[256];
static int64_t org_until;

void
vk_page_org_forget(void)
{
	pthread_mutex_lock(&org_lock);
	org_until = 0;
	pthread_mutex_unlock(&org_lock);
}

void
vk_page_org_name(struct vk_req *req, char *buf, size_t n)
{
	int64_t now = vk_store_now();
	char *v = NULL;
	uint64_t t0;

	pthread_mutex_lock(&org_lock);
	if (org_until > now) {
		snprintf(buf, n, "%s", org_cache);
		pthread_mutex_unlock(&org_lock);
		return;
	}
	pthread_mutex_unlock(&org_lock);
	t0 = vk_web_now_ns();
	if (vk_store_setting_get(req->web->store, "org.name", &v) != 0)
		v = NULL;
	vk_req_store_time(req, t0);
	snprintf(buf, n, "%s", v ? v : "");
	pthread_mutex_lock(&org_lock);
	snprintf(org_cache, sizeof(org_cache), "%s", v ? v : "");
	org_until = now + 5 * INT64_C(1000000);
	pthread_mutex_unlock(&org_lock);
	free(v);
}

int
vk_page_can(const struct vk_req *req, const char *path)
{
	struct vk_route_match m;

	if (vk_router_match(vk_routes, vk_nroutes, "GET", path, &m) != 0)
		return 0;
	return vk_route_allows(m.route, req->role);
}

int
vk_page_csrf(struct vk_req *req, struct vk_html *h)
{
	return vk_html_void(h, "input", "type", "hidden", "name", "csrf",
	    "value", req->csrf, NULL);
}

int
vk_page_notice(struct vk_html *h, const char *kind, const char *text)
{
	int r;

	if (strcmp(kind, "error") == 0)
		r = vk_html_open(
		    h, "div", "class", "notice error", "role", "alert", NULL);
	else
		r = vk_html_open(
		    h, "div", "class", "notice ok", "role", "status", NULL);
	if (r == 0)
		r = vk_html_elem(h, "p", text);
	if (r == 0)
		r = vk_html_close(h);
	return r;
}

int
vk_page_field(struct vk_html *h, const char *name, const char *label,
    const char *type, const char *value, const char *autocomplete, int required)
{
	char id[64];

	snprintf(id, sizeof(id), "f-%s", name);
	vk_html_open(h, "div", "class", "field", NULL);
	vk_html_open(h, "label", "for", id, NULL);
	vk_html_text(h, label);
	vk_html_close(h);
	if (required)
		vk_html_void(h, "input", "id", id, "name", name, "type", type,
		    "value", value ? value : "", "autocomplete",
		    autocomplete ? autocomplete : "off", "required", NULL,
		    NULL);
	else
		vk_html_void(h, "input", "id", id, "name", name, "type", type,
		    "value", value ? value : "", "autocomplete",
		    autocomplete ? autocomplete : "off", NULL);
	return vk_html_close(h);
}

void
vk_page_time(int64_t us, char *buf, size_t n)
{
	time_t t = (time_t)(us / 1000000);
	struct vk_civil c;
	struct tm tm;
	int w;

	if (us <= 0) {
		snprintf(buf, n, "–");
		return;
	}
	/* People read Stockholm time, as on the incident pages; with the
	 * zone, so an hour that occurs twice in October is unambiguous. */
	if (vk_tz_to_local(us / 1000000, &c) == 0) {
		w = snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d %s", c.year,
		    c.month, c.day, c.hour, c.min, c.sec,
		    c.dst ? "CEST" : "CET");
		if (w > 0 && (size_t)w < n)
			return;
	}
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, n, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, n, "–");
}

void
vk_page_time_iso(int64_t us, char *buf, size_t n)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char base[32];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		base[0] = '\0';
	snprintf(buf, n, "%s.%06lldZ", base, (long long)(us % 1000000));
}

int
vk_page_begin(struct vk_req *req, struct vk_html *h, const char *title)
{
	char org[256], full[512];
	size_t i;

	vk_buf_reset(&req->out);
	vk_html_init(h, &req->out);
	vk_page_org_name(req, org, sizeof(org));
	snprintf(full, sizeof(full), "%s – %s", title, org[0] ? org : "vaksam");
	vk_html_doctype(h);
	vk_html_open(h, "html", "lang", vk_lang_name(req->lang), NULL);
	vk_html_open(h, "head", NULL);
	vk_html_void(h, "meta", "charset", "utf-8", NULL);
	vk_html_void(h, "meta", "name", "viewport", "content",
	    "width=device-width, initial-scale=1", NULL);
	vk_html_elem(h, "title", full);
	vk_html_void(
	    h, "link", "rel", "stylesheet", "href", VK_EMBED_VAKSAM_CSS, NULL);
	vk_html_close(h);
	vk_html_open(h, "body", NULL);
	vk_html_open(h, "a", "class", "skip", "href", "#main", NULL);
	vk_html_text(h, T(req, "Skip to content"));
	vk_html_close(h);
	vk_html_open(h, "header", "class", "top", NULL);
	vk_html_open(h, "div", "class", "brand", NULL);
	vk_html_open(h, "a", "href", "/", NULL);
	vk_html_text(h, "vaksam");
	vk_html_close(h);
	if (org[0]) {
		vk_html_open(h, "span", "class", "org", NULL);
		vk_html_text(h, org);
		vk_html_close(h);
	}
	vk_html_close(h);
	if (req->role != VK_WROLE_ANON) {
		vk_html_open(h, "nav", "aria-label", T(req, "Main menu"), NULL);
		vk_html_open(h, "ul", NULL);
		for (i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
			int here = strcmp(req->path, nav[i].path) == 0;

			if (!vk_page_can(req, nav[i].path))
				continue;
			vk_html_open(h, "li", NULL);
			if (here)
				vk_html_open(h, "a", "href", nav[i].path,
				    "aria-current", "page", NULL);
			else
				vk_html_open(h, "a", "href", nav[i].path, NULL);
			vk_html_text(h, T(req, nav[i].label));
			vk_html_close(h);
			vk_html_close(h);
		}
		vk_html_close(h);
		vk_html_close(h);
		vk_html_open(h, "div", "class", "who", NULL);
		vk_html_open(h, "a", "href", "/profile", NULL);
		vk_html_text(h, req->username);
		vk_html_close(h);
		vk_html_open(h, "span", "class", "role", NULL);
		vk_html_text(h, T(req, vk_web_role_name(req->role)));
		vk_html_close(h);
		if (req->session_hash[0]) {
			vk_html_open(h, "form", "method", "post", "action",
			    "/logout", "class", "inline", NULL);
			vk_page_csrf(req, h);
			vk_html_open(h, "button", "type", "submit", NULL);
			vk_html_text(h, T(req, "Log out"));
			vk_html_close(h);
			vk_html_close(h);
		}
		vk_html_close(h);
	}
	vk_html_close(h); /* header */
	vk_html_open(h, "main", "id", "main", "tabindex", "-1", NULL);
	vk_html_elem(h, "h1", title);
	return h->err;
}

int
vk_page_end(struct vk_req *req, struct vk_html *h, unsigned status)
{
	int r;

	vk_html_close_to(h, 2); /* back to <body> */
	vk_html_open(h, "footer", NULL);
	vk_html_open(h, "p", NULL);
	vk_html_textf(h, "vaksam %s", VK_VERSION);
	vk_html_close(h);
	vk_html_close(h);
	if ((r = vk_html_finish(h)) != 0)
		return r;
	if ((r = vk_buf_appendc(&req->out, '\n')) != 0)
		return r;
	req->status = status;
	req->ctype = "text/html; charset=utf-8";
	return 0;
}

int
vk_page_error(
    struct vk_req *req, unsigned status, const char *msg, const char *detail)
{
	struct vk_html h;
	char title[64];

	snprintf(title, sizeof(title), "%s %u", T(req, "Error"), status);
	vk_page_begin(req, &h, title);
	vk_html_open(&h, "div", "class", "notice error", "role", "alert", NULL);
	vk_html_elem(&h, "p", msg);
	if (detail)
		vk_html_elem(&h, "p", detail);
	vk_html_close(&h);
	vk_html_open(&h, "p", NULL);
	vk_html_open(&h, "a", "href", "/", NULL);
	vk_html_text(&h, T(req, "Back to the start page"));
	vk_html_close(&h);
	vk_html_close(&h);
	return vk_page_end(req, &h, status);
}
