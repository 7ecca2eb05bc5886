/*
 * users.c — the users page (admin): list, add, change role, disable.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "account/account.h"
#include "util/err.h"
#include "web/handlers/handlers.h"
#include "web/session.h"

static void
role_select(
    struct vk_req *req, struct vk_html *h, const char *id, enum vk_role current)
{
	int i;

	vk_html_open(h, "select", "id", id, "name", "role", NULL);
	for (i = 0; i < VK_ROLE_MAX; i++) {
		const char *n = vk_role_name((enum vk_role)i);

		if ((enum vk_role)i == current)
			vk_html_open(
			    h, "option", "value", n, "selected", NULL, NULL);
		else
			vk_html_open(h, "option", "value", n, NULL);
		vk_html_text(h, T(req, n));
		vk_html_close(h);
	}
	vk_html_close(h);
}

static int
users_page(struct vk_req *req, unsigned status, const char *notice_kind,
    const char *notice, const char *generated_for, const char *generated)
{
	struct vk_user_list *l = NULL;
	struct vk_page pg = { VK_PAGE_MAX, 0 };
	struct vk_html h;
	uint64_t t0 = vk_web_now_ns();
	size_t i;
	int r;

	r = vk_store_user_list(req->web->store, &pg, &l);
	vk_req_store_time(req, t0);
	if (r != 0)
		return r;
	vk_page_begin(req, &h, T(req, "Users"));
	if (notice)
		vk_page_notice(&h, notice_kind, notice);
	if (generated) {
		vk_html_open(
		    &h, "div", "class", "notice ok", "role", "status", NULL);
		vk_html_open(&h, "p", NULL);
		vk_html_text(&h, T(req, "Password for"));
		vk_html_text(&h, " ");
		vk_html_elem(&h, "strong", generated_for);
		vk_html_text(&h, " ");
		vk_html_text(
		    &h, T(req, "(shown once; give it to the user in person):"));
		vk_html_close(&h);
		vk_html_open(&h, "p", NULL);
		vk_html_elem(&h, "code", generated);
		vk_html_close(&h);
		vk_html_close(&h);
	}
	vk_html_open(&h, "div", "class", "table-wrap", NULL);
	vk_html_open(&h, "table", NULL);
	vk_html_open(&h, "caption", NULL);
	vk_html_textf(
	    &h, "%s (%lld)", T(req, "All users"), (long long)l->total);
	vk_html_close(&h);
	vk_html_open(&h, "thead", NULL);
	vk_html_open(&h, "tr", NULL);
	vk_html_open(&h, "th", "scope", "col", NULL);
	vk_html_text(&h, T(req, "Username"));
	vk_html_close(&h);
	vk_html_open(&h, "th", "scope", "col", NULL);
	vk_html_text(&h, T(req, "Name"));
	vk_html_close(&h);
	vk_html_open(&h, "th", "scope", "col", NULL);
	vk_html_text(&h, T(req, "Role"));
	vk_html_close(&h);
	vk_html_open(&h, "th", "scope", "col", NULL);
	vk_html_text(&h, T(req, "Status"));
	vk_html_close(&h);
	vk_html_close(&h);
	vk_html_close(&h);
	vk_html_open(&h, "tbody", NULL);
	for (i = 0; i < l->n; i++) {
		const struct vk_user *u = &l->v[i];
		char action[64], id[40];

		snprintf(
		    action, sizeof(action), "/users/%lld", (long long)u->id);
		snprintf(id, sizeof(id), "role-%lld", (long long)u->id);
		vk_html_open(&h, "tr", NULL);
		vk_html_open(&h, "th", "scope", "row", NULL);
		vk_html_text(&h, u->username);
		vk_html_close(&h);
		vk_html_elem(&h, "td", u->display_name);
		vk_html_open(&h, "td", NULL);
		vk_html_open(&h, "form", "method", "post", "action", action,
		    "class", "inline", NULL);
		vk_page_csrf(req, &h);
		vk_html_void(&h, "input", "type", "hidden", "name", "action",
		    "value", "role", NULL);
		vk_html_open(
		    &h, "label", "for", id, "class", "visually-hidden", NULL);
		vk_html_textf(&h, "%s %s", T(req, "Role of"), u->username);
		vk_html_close(&h);
		role_select(req, &h, id, u->role);
		vk_html_open(&h, "button", "type", "submit", NULL);
		vk_html_text(&h, T(req, "Change"));
		vk_html_close(&h);
		vk_html_close(&h);
		vk_html_close(&h);
		vk_html_open(&h, "td", NULL);
		vk_html_text(
		    &h, u->disabled ? T(req, "Disabled") : T(req, "Active"));
		vk_html_text(&h, " ");
		vk_html_open(&h, "form", "method", "post", "action", action,
		    "class", "inline", NULL);
		vk_page_csrf(req, &h);
		vk_html_void(&h, "input", "type", "hidden", "name", "action",
		    "value", u->disabled ? "enable" : "disable", NULL);
		vk_html_open(
		    &h, "button", "type", "submit", "class", "secondary", NULL);
		vk_html_textf(&h, "%s %s",
		    u->disabled ? T(req, "Enable") : T(req, "Disable"),
		    u->username);
		vk_html_close(&h);
		vk_html_close(&h);
		vk_html_close(&h);
		vk_html_close(&h);
	}
	vk_html_close(&h);
	vk_html_close(&h);
	vk_html_close(&h);

	vk_html_open(&h, "h2", "id", "add", NULL);
	vk_html_text(&h, T(req, "Add a user"));
	vk_html_close(&h);
	vk_html_open(&h, "form", "method", "post", "action", "/users", "class",
	    "card", NULL);
	vk_page_csrf(req, &h);
	vk_page_field(
	    &h, "username", T(req, "Username"), "text", NULL, "off", 1);
	vk_page_field(
	    &h, "display_name", T(req, "Name"), "text", NULL, "off", 0);
	vk_page_field(&h, "email", T(req, "E-mail"), "email", NULL, "off", 0);
	vk_html_open(&h, "div", "class", "field", NULL);
	vk_html_open(&h, "label", "for", "f-role", NULL);
	vk_html_text(&h, T(req, "Role"));
	vk_html_close(&h);
	role_select(req, &h, "f-role", VK_ROLE_EMPLOYEE);
	vk_html_close(&h);
	vk_page_field(&h, "password",
	    T(req, "Password (leave empty to generate one)"), "password", NULL,
	    "new-password", 0);
	vk_html_open(&h, "button", "type", "submit", NULL);
	vk_html_text(&h, T(req, "Add user"));
	vk_html_close(&h);
	vk_html_close(&h);
	vk_user_list_free(l);
	return vk_page_end(req, &h, status);
}

int
vk_h_users_list(struct vk_req *req)
{
	const char *done = vk_req_query(req, "done");

	if (done && strcmp(done, "role") == 0)
		return users_page(req, 200, "ok",
		    T(req, "The role was changed."), NULL, NULL);
	if (done && strcmp(done, "status") == 0)
		return users_page(req, 200, "ok",
		    T(req, "The account was updated."), NULL, NULL);
	return users_page(req, 200, NULL, NULL, NULL, NULL);
}

int
vk_h_users_create(struct vk_req *req)
{
	const char *name = vk_form_get(&req->form, "username");
	const char *display = vk_form_get(&req->form, "display_name");
	const char *email = vk_form_get(&req->form, "email");
	const char *role_s = vk_form_get(&req->form, "role");
	const char *pass = vk_form_get(&req->form, "password");
	char gen[VK_PASSWORD_GEN_LEN + 1] = "";
	enum vk_role role;
	struct vk_diag d;
	uint64_t t0;
	int r;

	if (name == NULL || role_s == NULL || vk_role_parse(role_s, &role) != 0)
		return users_page(req, 400, "error",
		    T(req, "Give a username and a valid role."), NULL, NULL);
	if (pass && *pass == '\0')
		pass = NULL;
	vk_diag_init(&d);
	t0 = vk_web_now_ns();
	r = vk_account_create(req->web->store, req->actor, req->client, name,
	    role, display, email, pass, gen, sizeof(gen), NULL, &d);
	vk_req_store_time(req, t0);
	if (r == VK_EEXIST)
		r = users_page(req, 409, "error",
		    T(req, "That username is already taken."), NULL, NULL);
	else if (r == VK_EINVAL)
		r = users_page(req, 400, "error",
		    vk_diag_first(&d, T(req, "The user could not be added.")),
		    NULL, NULL);
	else if (r == 0)
		r = users_page(req, 201, "ok", T(req, "The user was added."),
		    name, pass ? NULL : gen);
	sodium_memzero(gen, sizeof(gen));
	vk_diag_release(&d);
	return r;
}

int
vk_h_users_update(struct vk_req *req)
{
	const char *action = vk_form_get(&req->form, "action");
	struct vk_user *u = NULL;
	struct vk_diag d;
	enum vk_role role;
	const char *done = "status";
	int64_t id;
	uint64_t t0;
	int r;

	if (vk_parse_id(req->match.params[0], &id) != 0)
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	t0 = vk_web_now_ns();
	r = vk_store_user_get(req->web->store, id, &u);
	vk_req_store_time(req, t0);
	if (r == VK_ENOTFOUND)
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	if (r != 0)
		return r;
	vk_diag_init(&d);
	t0 = vk_web_now_ns();
	if (action && strcmp(action, "role") == 0) {
		const char *rs = vk_form_get(&req->form, "role");

		done = "role";
		if (rs == NULL || vk_role_parse(rs, &role) != 0)
			r = VK_EINVAL;
		else
			r = vk_account_set_role(req->web->store, req->actor,
			    req->client, u->username, role, &d);
	} else if (action &&
	    (strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0)) {
		if (id == req->user_id && strcmp(action, "disable") == 0)
			r = VK_EPERM;
		else
			r = vk_account_set_disabled(req->web->store, req->actor,
			    req->client, u->username,
			    strcmp(action, "disable") == 0, &d);
	} else
		r = VK_EINVAL;
	vk_req_store_time(req, t0);
	vk_auth_cache_forget_user(req->web->auth_cache, id);
	vk_user_free(u);
	if (r == VK_EPERM)
		r = users_page(req, 400, "error",
		    T(req, "You cannot disable your own account."), NULL, NULL);
	else if (r == VK_EINVAL)
		r = users_page(req, 400, "error",
		    vk_diag_first(&d, T(req, "That change is not valid.")),
		    NULL, NULL);
	else if (r == 0)
		r = vk_resp_redirect(req,
		    strcmp(done, "role") == 0 ? "/users?done=role"
					      : "/users?done=status");
	vk_diag_release(&d);
	return r;
}
