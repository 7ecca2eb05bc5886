/*
 * profile.c — the profile page: language, password change.
 */
#include <stdio.h>
#include <string.h>

#include "account/account.h"
#include "util/err.h"
#include "web/handlers/handlers.h"
#include "web/session.h"

static int
profile_page(
    struct vk_req *req, unsigned status, const char *kind, const char *notice)
{
	struct vk_user *u = NULL;
	struct vk_html h;
	uint64_t t0 = vk_web_now_ns();
	char when[40];
	int r, i;

	r = vk_store_user_get(req->web->store, req->user_id, &u);
	vk_req_store_time(req, t0);
	if (r != 0)
		return r;
	vk_page_begin(req, &h, T(req, "Profile"));
	if (notice)
		vk_page_notice(&h, kind, notice);
	vk_html_open(&h, "dl", "class", "facts", NULL);
	vk_html_elem(&h, "dt", T(req, "Username"));
	vk_html_elem(&h, "dd", u->username);
	vk_html_elem(&h, "dt", T(req, "Name"));
	vk_html_elem(&h, "dd", u->display_name);
	vk_html_elem(&h, "dt", T(req, "Role"));
	vk_html_elem(&h, "dd", T(req, vk_role_name(u->role)));
	vk_html_elem(&h, "dt", T(req, "Password changed"));
	vk_page_time(u->password_changed, when, sizeof(when));
	vk_html_elem(&h, "dd", when);
	vk_html_close(&h);

	vk_html_elem(&h, "h2", T(req, "Language"));
	vk_html_open(&h, "form", "method", "post", "action", "/profile/lang",
	    "class", "card", NULL);
	vk_page_csrf(req, &h);
	vk_html_open(&h, "div", "class", "field", NULL);
	vk_html_open(&h, "label", "for", "f-lang", NULL);
	vk_html_text(&h, T(req, "Language of the portal"));
	vk_html_close(&h);
	vk_html_open(&h, "select", "id", "f-lang", "name", "lang", NULL);
	for (i = 0; i < VK_LANG_MAX; i++) {
		const char *code = vk_lang_name((enum vk_lang)i);
		const char *label = i == VK_LANG_SV ? "Svenska" : "English";

		if ((enum vk_lang)i == u->lang)
			vk_html_open(&h, "option", "value", code, "lang", code,
			    "selected", NULL, NULL);
		else
			vk_html_open(
			    &h, "option", "value", code, "lang", code, NULL);
		vk_html_text(&h, label);
		vk_html_close(&h);
	}
	vk_html_close(&h);
	vk_html_close(&h);
	vk_html_open(&h, "button", "type", "submit", NULL);
	vk_html_text(&h, T(req, "Save language"));
	vk_html_close(&h);
	vk_html_close(&h);

	vk_html_elem(&h, "h2", T(req, "Change password"));
	vk_html_open(&h, "form", "method", "post", "action",
	    "/profile/password", "class", "card", NULL);
	vk_page_csrf(req, &h);
	vk_page_field(&h, "current", T(req, "Current password"), "password",
	    NULL, "current-password", 1);
	vk_page_field(&h, "new",
	    T(req, "New password (at least 12 characters)"), "password", NULL,
	    "new-password", 1);
	vk_page_field(&h, "repeat", T(req, "New password again"), "password",
	    NULL, "new-password", 1);
	vk_html_open(&h, "button", "type", "submit", NULL);
	vk_html_text(&h, T(req, "Change password"));
	vk_html_close(&h);
	vk_html_close(&h);
	vk_user_free(u);
	return vk_page_end(req, &h, status);
}

int
vk_h_profile(struct vk_req *req)
{
	const char *done = vk_req_query(req, "done");

	if (done && strcmp(done, "lang") == 0)
		return profile_page(
		    req, 200, "ok", T(req, "The language was saved."));
	if (done && strcmp(done, "password") == 0)
		return profile_page(req, 200, "ok",
		    T(req,
			"Your password was changed. Your other sessions "
			"were logged out."));
	return profile_page(req, 200, NULL, NULL);
}

int
vk_h_profile_lang(struct vk_req *req)
{
	const char *l = vk_form_get(&req->form, "lang");
	enum vk_lang lang;
	struct vk_diag d;
	uint64_t t0;
	int r;

	if (l == NULL || vk_lang_parse(l, &lang) != 0)
		return profile_page(
		    req, 400, "error", T(req, "Choose Svenska or English."));
	vk_diag_init(&d);
	t0 = vk_web_now_ns();
	r = vk_account_set_profile(req->web->store, req->actor, req->client,
	    req->username, &lang, NULL, NULL, &d);
	vk_req_store_time(req, t0);
	vk_diag_release(&d);
	if (r != 0)
		return r;
	vk_auth_cache_forget_user(req->web->auth_cache, req->user_id);
	req->lang = lang;
	return vk_resp_redirect(req, "/profile?done=lang");
}

int
vk_h_profile_password(struct vk_req *req)
{
	const char *cur = vk_form_get(&req->form, "current");
	const char *nw = vk_form_get(&req->form, "new");
	const char *rep = vk_form_get(&req->form, "repeat");
	struct vk_user *u = NULL;
	struct vk_diag d;
	uint64_t t0;
	int r;

	if (cur == NULL || nw == NULL || rep == NULL)
		return profile_page(req, 400, "error",
		    T(req, "Fill in all three password fields."));
	if (strcmp(nw, rep) != 0)
		return profile_page(req, 400, "error",
		    T(req, "The new passwords are not the same."));
	t0 = vk_web_now_ns();
	r = vk_store_user_get(req->web->store, req->user_id, &u);
	if (r == 0 && vk_password_verify(u->password_hash, cur) != 0)
		r = VK_EPERM;
	vk_req_store_time(req, t0);
	if (r == VK_EPERM) {
		vk_user_free(u);
		return profile_page(req, 400, "error",
		    T(req, "The current password is wrong."));
	}
	if (r != 0) {
		vk_user_free(u);
		return r;
	}
	vk_diag_init(&d);
	t0 = vk_web_now_ns();
	r = vk_account_set_password(req->web->store, req->actor, req->client,
	    req->username, nw, NULL, 0, &d);
	vk_req_store_time(req, t0);
	if (r == VK_EINVAL) {
		char msg[300];

		snprintf(msg, sizeof(msg), "%s",
		    vk_diag_first(&d,
			T(req,
			    "The new password does not meet "
			    "the password rules.")));
		vk_diag_release(&d);
		vk_user_free(u);
		return profile_page(req, 400, "error", msg);
	}
	vk_diag_release(&d);
	if (r == 0) {
		/* Every session of the user ended with the change; this one
		 * continues under a new id. */
		vk_auth_cache_forget_user(req->web->auth_cache, req->user_id);
		req->session_hash[0] = '\0';
		r = vk_web_session_begin(req, u);
	}
	vk_user_free(u);
	if (r != 0)
		return r;
	return vk_resp_redirect(req, "/profile?done=password");
}
