/*
 * login.c — the login page, logging in and out, the anonymous language
 * switch.
 */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "web/handlers/handlers.h"
#include "web/i18n.h"
#include "web/session.h"

static int
lang_switch(struct vk_req *req, struct vk_html *h)
{
	vk_html_open(h, "form", "method", "post", "action", "/lang", "class",
	    "lang-switch", NULL);
	vk_html_void(h, "input", "type", "hidden", "name", "next", "value",
	    req->path, NULL);
	if (req->lang == VK_LANG_SV) {
		vk_html_open(h, "button", "type", "submit", "name", "lang",
		    "value", "en", "lang", "en", NULL);
		vk_html_text(h, "In English");
	} else {
		vk_html_open(h, "button", "type", "submit", "name", "lang",
		    "value", "sv", "lang", "sv", NULL);
		vk_html_text(h, "På svenska");
	}
	vk_html_close(h);
	return vk_html_close(h);
}

static int
login_page(struct vk_req *req, unsigned status, const char *error,
    const char *username)
{
	struct vk_html h;

	vk_page_begin(req, &h, T(req, "Log in"));
	if (error)
		vk_page_notice(&h, "error", error);
	vk_html_open(&h, "form", "method", "post", "action", "/login", "class",
	    "card narrow", NULL);
	vk_page_field(&h, "username", T(req, "Username"), "text", username,
	    "username", 1);
	vk_page_field(&h, "password", T(req, "Password"), "password", "",
	    "current-password", 1);
	vk_html_open(&h, "button", "type", "submit", NULL);
	vk_html_text(&h, T(req, "Log in"));
	vk_html_close(&h);
	vk_html_close(&h);
	lang_switch(req, &h);
	return vk_page_end(req, &h, status);
}

int
vk_h_login_form(struct vk_req *req)
{
	if (req->role != VK_WROLE_ANON)
		return vk_resp_redirect(req, "/");
	return login_page(req, 200, NULL, NULL);
}

/* A login form posted from another site would log the victim into the
 * attacker's account; browsers say where a request came from. */
int
vk_req_same_site(struct vk_req *req)
{
	const char *sfs = vk_req_header(req, "Sec-Fetch-Site");
	const char *origin = vk_req_header(req, "Origin");
	const char *host = vk_req_header(req, MHD_HTTP_HEADER_HOST);
	const char *p;

	if (sfs)
		return strcmp(sfs, "same-origin") == 0 ||
		    strcmp(sfs, "none") == 0;
	if (origin == NULL || strcmp(origin, "null") == 0)
		return origin == NULL;
	if (host == NULL || (p = strstr(origin, "://")) == NULL)
		return 0;
	return strcmp(p + 3, host) == 0;
}

int
vk_h_login_post(struct vk_req *req)
{
	const char *user = vk_form_get(&req->form, "username");
	const char *pass = vk_form_get(&req->form, "password");
	struct vk_user *u = NULL;
	int r;

	if (!vk_req_same_site(req))
		return vk_resp_error(req, VK_WE_CSRF, NULL, NULL);
	if (user == NULL || pass == NULL || *user == '\0' || *pass == '\0')
		return login_page(req, 400,
		    T(req, "Enter both username and password."), user);
	r = vk_do_login(req, user, pass, &u);
	if (r < 0)
		return r;
	if (r == VK_WE_THROTTLED)
		return login_page(req, 429,
		    T(req,
			"Too many failed attempts; wait a while and try "
			"again."),
		    user);
	if (r != 0)
		return login_page(
		    req, 401, T(req, "Wrong username or password."), user);
	vk_user_free(u);
	return vk_resp_redirect(req, "/");
}

int
vk_h_logout(struct vk_req *req)
{
	int r = vk_web_session_end(req);

	if (r != 0)
		return r;
	return vk_resp_redirect(req, "/login");
}

int
vk_h_lang_post(struct vk_req *req)
{
	const char *l = vk_form_get(&req->form, "lang");
	const char *next = vk_form_get(&req->form, "next");
	enum vk_lang lang;

	if (l == NULL || vk_lang_parse(l, &lang) != 0)
		return vk_resp_error(req, VK_WE_INVALID_FIELD, NULL,
		    "lang must be 'sv' or 'en'.");
	vk_web_lang_cookie(req, lang);
	/* Only a local path; vk_resp_redirect refuses anything else. */
	return vk_resp_redirect(req, next && next[0] == '/' ? next : "/login");
}
