/*
 * api_settings.c — GET/PUT /api/v1/settings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "web/handlers/handlers.h"

int
vk_api_settings_get(struct vk_req *req)
{
	json_t *j = json_object();
	uint64_t t0 = vk_web_now_ns();
	size_t i;

	for (i = 0; vk_setting_keys[i]; i++) {
		char *v = NULL;
		int r = vk_store_setting_get(
		    req->web->store, vk_setting_keys[i], &v);

		if (vk_setting_secret(vk_setting_keys[i])) {
			char name[64];

			/* Only whether it is set: "mail.smtp_password_set". */
			snprintf(
			    name, sizeof(name), "%s_set", vk_setting_keys[i]);
			json_object_set_new(
			    j, name, json_boolean(r == 0 && v && *v));
			free(v);
			if (r != 0 && r != VK_ENOTFOUND) {
				json_decref(j);
				return r;
			}
			continue;
		}
		if (r == VK_ENOTFOUND) {
			json_object_set_new(j, vk_setting_keys[i], json_null());
			continue;
		}
		if (r != 0) {
			json_decref(j);
			return r;
		}
		json_object_set_new(j, vk_setting_keys[i], json_string(v));
		free(v);
	}
	vk_req_store_time(req, t0);
	return vk_resp_json(req, 200, j);
}

int
vk_api_settings_put(struct vk_req *req)
{
	char *norm[VK_SETTINGS_MAX] = { NULL };
	const char *key;
	char err[200];
	json_t *v;
	size_t i;
	int r = 0;

	if (req->json == NULL)
		return vk_resp_error(req, VK_WE_INVALID_FIELD, NULL,
		    "send a JSON object of settings");
	json_object_foreach(req->json, key, v)
	{
		for (i = 0; vk_setting_keys[i]; i++)
			if (strcmp(key, vk_setting_keys[i]) == 0)
				break;
		if (vk_setting_keys[i] == NULL || !json_is_string(v))
			return vk_resp_error(req, VK_WE_INVALID_FIELD,
			    json_pack("{ssss}", "field", key, "hint",
				"known settings are org.name, "
				"org.mail_domains, org.web_domains, "
				"default_lang, incident.authority, "
				"incident.gdpr_authority, incident.anonymous, "
				"mail.smtp_url, mail.from, mail.smtp_user, "
				"mail.smtp_password; values are strings"),
			    NULL);
	}
	/* Validate all, then store: a bad field changes nothing. */
	for (i = 0; vk_setting_keys[i] && r == 0; i++) {
		json_t *s = json_object_get(req->json, vk_setting_keys[i]);

		if (s == NULL)
			continue;
		if (strlen(json_string_value(s)) != json_string_length(s)) {
			snprintf(err, sizeof(err), "%s: must not contain NUL",
			    vk_setting_keys[i]);
			r = VK_EINVAL;
			break;
		}
		r = vk_setting_check(vk_setting_keys[i], json_string_value(s),
		    &norm[i], err, sizeof(err));
	}
	if (r == VK_EINVAL)
		r = vk_resp_error(req, VK_WE_INVALID_FIELD,
		    json_pack("{ss}", "hint", err), NULL);
	else if (r == 0) {
		for (i = 0; vk_setting_keys[i] && r == 0; i++)
			if (norm[i])
				r = vk_setting_save(
				    req, vk_setting_keys[i], norm[i]);
		if (r == 0)
			r = vk_api_settings_get(req);
	}
	for (i = 0; i < VK_SETTINGS_MAX; i++)
		free(norm[i]);
	return r;
}
