/*
 * api_users.c — GET /api/v1/me, GET/POST /api/v1/users,
 * GET/PATCH /api/v1/users/{id}.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "account/account.h"
#include "util/err.h"
#include "web/handlers/handlers.h"
#include "web/session.h"

int
vk_api_me(struct vk_req *req)
{
	json_t *j;

	/* Served from the verified identity: no store round trip. */
	j = json_pack("{sIssssssss?}", "id", (json_int_t)req->user_id,
	    "username", req->username, "role", vk_web_role_name(req->role),
	    "lang", vk_lang_name(req->lang), "csrf_token",
	    req->csrf[0] ? req->csrf : NULL);
	return vk_resp_json(req, 200, j);
}

int
vk_api_users_list(struct vk_req *req)
{
	struct vk_user_list *l = NULL;
	struct vk_page pg;
	json_t *items;
	uint64_t t0;
	size_t i;
	int r;

	if (vk_req_page(req, &pg) != 0)
		return 0;
	t0 = vk_web_now_ns();
	r = vk_store_user_list(req->web->store, &pg, &l);
	vk_req_store_time(req, t0);
	if (r != 0)
		return r;
	items = json_array();
	for (i = 0; i < l->n; i++)
		json_array_append_new(items, vk_user_json(&l->v[i]));
	r = vk_resp_json(
	    req, 200, vk_json_page(items, l->total, pg.limit, pg.offset));
	vk_user_list_free(l);
	return r;
}

static int
field_error(struct vk_req *req, const char *field, const char *msg)
{
	return vk_resp_error(req, VK_WE_INVALID_FIELD,
	    json_pack("{ssss}", "field", field, "hint", msg), NULL);
}

/* An optional string member; VK_EINVAL (and a 400 written) if not a
 * string. */
static int
opt_str(struct vk_req *req, const char *name, const char **out)
{
	json_t *v = json_object_get(req->json, name);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		field_error(req, name, "must be a string");
		return VK_EINVAL;
	}
	*out = json_string_value(v);
	if (strlen(*out) != json_string_length(v)) {
		field_error(req, name, "must not contain NUL");
		return VK_EINVAL;
	}
	return 0;
}

int
vk_api_users_create(struct vk_req *req)
{
	const char *name, *display, *email, *role_s, *pass;
	char gen[VK_PASSWORD_GEN_LEN + 1] = "";
	struct vk_user *u = NULL;
	enum vk_role role;
	struct vk_diag d;
	int64_t id = 0;
	uint64_t t0;
	json_t *j;
	int r;

	if (req->json == NULL)
		return field_error(req, "username", "send a JSON object");
	if (opt_str(req, "username", &name) || opt_str(req, "role", &role_s) ||
	    opt_str(req, "display_name", &display) ||
	    opt_str(req, "email", &email) || opt_str(req, "password", &pass))
		return 0;
	if (name == NULL)
		return field_error(req, "username", "required");
	if (role_s == NULL || vk_role_parse(role_s, &role) != 0)
		return field_error(
		    req, "role", "one of employee, handler, admin, auditor");
	vk_diag_init(&d);
	t0 = vk_web_now_ns();
	r = vk_account_create(req->web->store, req->actor, req->client, name,
	    role, display, email, pass, gen, sizeof(gen), &id, &d);
	if (r == 0)
		r = vk_store_user_get(req->web->store, id, &u);
	vk_req_store_time(req, t0);
	if (r == VK_EEXIST)
		r = vk_resp_error(req, VK_WE_CONFLICT,
		    json_pack("{ss}", "field", "username"),
		    "That username is already taken.");
	else if (r == VK_EINVAL)
		r = field_error(req,
		    d.n && d.v[0].where ? d.v[0].where : "username",
		    vk_diag_first(&d, "invalid"));
	else if (r == 0) {
		j = vk_user_json(u);
		if (pass == NULL)
			json_object_set_new(j, "password", json_string(gen));
		r = vk_resp_json(req, 201, j);
	}
	sodium_memzero(gen, sizeof(gen));
	vk_user_free(u);
	vk_diag_release(&d);
	return r;
}

static int
get_target(struct vk_req *req, struct vk_user **u)
{
	int64_t id;
	uint64_t t0;
	int r;

	*u = NULL;
	if (vk_parse_id(req->match.params[0], &id) != 0) {
		vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
		return 1;
	}
	t0 = vk_web_now_ns();
	r = vk_store_user_get(req->web->store, id, u);
	vk_req_store_time(req, t0);
	if (r == VK_ENOTFOUND) {
		vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
		return 1;
	}
	return r;
}

int
vk_api_user_get(struct vk_req *req)
{
	struct vk_user *u;
	int r;

	if ((r = get_target(req, &u)) != 0)
		return r > 0 ? 0 : r;
	r = vk_resp_json(req, 200, vk_user_json(u));
	vk_user_free(u);
	return r;
}

int
vk_api_user_patch(struct vk_req *req)
{
	const char *role_s = NULL, *display = NULL, *email = NULL,
		   *lang_s = NULL;
	json_t *dis, *pw;
	struct vk_user *u = NULL;
	enum vk_role role;
	enum vk_lang lang;
	struct vk_diag d;
	const char *key;
	json_t *v;
	uint64_t t0;
	int r;

	if (req->json == NULL)
		return field_error(req, "body", "send a JSON object");
	json_object_foreach(req->json, key, v)
	{
		if (strcmp(key, "role") && strcmp(key, "disabled") &&
		    strcmp(key, "display_name") && strcmp(key, "email") &&
		    strcmp(key, "lang") && strcmp(key, "password"))
			return field_error(req, key,
			    "unknown field; allowed: role, disabled, "
			    "display_name, email, lang, password");
	}
	if (opt_str(req, "role", &role_s) ||
	    opt_str(req, "display_name", &display) ||
	    opt_str(req, "email", &email) || opt_str(req, "lang", &lang_s))
		return 0;
	if (role_s && vk_role_parse(role_s, &role) != 0)
		return field_error(
		    req, "role", "one of employee, handler, admin, auditor");
	if (lang_s && vk_lang_parse(lang_s, &lang) != 0)
		return field_error(req, "lang", "sv or en");
	dis = json_object_get(req->json, "disabled");
	if (dis && !json_is_boolean(dis))
		return field_error(req, "disabled", "true or false");
	pw = json_object_get(req->json, "password");
	if (pw && !json_is_string(pw))
		return field_error(req, "password", "must be a string");
	if ((r = get_target(req, &u)) != 0)
		return r > 0 ? 0 : r;
	if (dis && json_is_true(dis) && u->id == req->user_id) {
		vk_user_free(u);
		return field_error(
		    req, "disabled", "you cannot disable your own account");
	}
	vk_diag_init(&d);
	t0 = vk_web_now_ns();
	r = 0;
	/* Each change is its own audited transaction; validation above
	 * means they only fail on a store error or the password policy,
	 * which is checked first. */
	if (pw)
		r = vk_account_set_password(req->web->store, req->actor,
		    req->client, u->username, json_string_value(pw), NULL, 0,
		    &d);
	if (r == 0 && role_s)
		r = vk_account_set_role(req->web->store, req->actor,
		    req->client, u->username, role, &d);
	if (r == 0 && dis)
		r = vk_account_set_disabled(req->web->store, req->actor,
		    req->client, u->username, json_is_true(dis), &d);
	if (r == 0 && (lang_s || display || email))
		r = vk_account_set_profile(req->web->store, req->actor,
		    req->client, u->username, lang_s ? &lang : NULL, display,
		    email, &d);
	vk_auth_cache_forget_user(req->web->auth_cache, u->id);
	if (r == 0) {
		int64_t id = u->id;

		vk_user_free(u);
		u = NULL;
		r = vk_store_user_get(req->web->store, id, &u);
	}
	vk_req_store_time(req, t0);
	if (r == VK_EINVAL)
		r = vk_resp_error(req,
		    pw ? VK_WE_PASSWORD_POLICY : VK_WE_INVALID_FIELD,
		    json_pack("{ssss}", "field",
			d.n && d.v[0].where ? d.v[0].where : "body", "hint",
			vk_diag_first(&d, "invalid")),
		    NULL);
	else if (r == 0)
		r = vk_resp_json(req, 200, vk_user_json(u));
	vk_user_free(u);
	vk_diag_release(&d);
	return r;
}
