/*
 * settings.c — the settings page (admin): organisation name, own e-mail
 * and web domains, default language.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "web/handlers/handlers.h"

static int
settings_page(
    struct vk_req *req, unsigned status, const char *kind, const char *notice)
{
	char *v[4] = { NULL, NULL, NULL, NULL };
	struct vk_html h;
	uint64_t t0 = vk_web_now_ns();
	size_t i;

	for (i = 0; i < 4; i++)
		if (vk_store_setting_get(
			req->web->store, vk_setting_keys[i], &v[i]) != 0)
			v[i] = NULL;
	vk_req_store_time(req, t0);
	vk_page_begin(req, &h, T(req, "Settings"));
	if (notice)
		vk_page_notice(&h, kind, notice);
	vk_html_open(&h, "form", "method", "post", "action", "/settings",
	    "class", "card", NULL);
	vk_page_csrf(req, &h);
	vk_page_field(&h, "org.name", T(req, "Organisation name"), "text", v[0],
	    "organization", 0);
	vk_html_open(&h, "div", "class", "field", NULL);
	vk_html_open(&h, "label", "for", "f-org.mail_domains", NULL);
	vk_html_text(&h, T(req, "Own e-mail domains (one per line)"));
	vk_html_close(&h);
	vk_html_open(&h, "textarea", "id", "f-org.mail_domains", "name",
	    "org.mail_domains", "rows", "3", NULL);
	vk_html_text(&h, v[1]);
	vk_html_close(&h);
	vk_html_close(&h);
	vk_html_open(&h, "div", "class", "field", NULL);
	vk_html_open(&h, "label", "for", "f-org.web_domains", NULL);
	vk_html_text(&h, T(req, "Own web domains (one per line)"));
	vk_html_close(&h);
	vk_html_open(&h, "textarea", "id", "f-org.web_domains", "name",
	    "org.web_domains", "rows", "3", NULL);
	vk_html_text(&h, v[2]);
	vk_html_close(&h);
	vk_html_close(&h);
	vk_html_open(&h, "div", "class", "field", NULL);
	vk_html_open(&h, "label", "for", "f-default_lang", NULL);
	vk_html_text(&h, T(req, "Default language"));
	vk_html_close(&h);
	vk_html_open(
	    &h, "select", "id", "f-default_lang", "name", "default_lang", NULL);
	{
		int en = v[3] && strcmp(v[3], "en") == 0;

		if (!en)
			vk_html_open(&h, "option", "value", "sv", "selected",
			    NULL, NULL);
		else
			vk_html_open(&h, "option", "value", "sv", NULL);
		vk_html_text(&h, "Svenska");
		vk_html_close(&h);
		if (en)
			vk_html_open(&h, "option", "value", "en", "selected",
			    NULL, NULL);
		else
			vk_html_open(&h, "option", "value", "en", NULL);
		vk_html_text(&h, "English");
		vk_html_close(&h);
	}
	vk_html_close(&h);
	vk_html_close(&h);
	vk_html_open(&h, "button", "type", "submit", NULL);
	vk_html_text(&h, T(req, "Save"));
	vk_html_close(&h);
	vk_html_close(&h);
	for (i = 0; i < 4; i++)
		free(v[i]);
	return vk_page_end(req, &h, status);
}

int
vk_h_settings_form(struct vk_req *req)
{
	const char *done = vk_req_query(req, "done");

	if (done && strcmp(done, "1") == 0)
		return settings_page(
		    req, 200, "ok", T(req, "The settings were saved."));
	return settings_page(req, 200, NULL, NULL);
}

int
vk_h_settings_post(struct vk_req *req)
{
	char *norm[4] = { NULL, NULL, NULL, NULL };
	char err[200];
	size_t i;
	int r = 0;

	/* Check every field first so that a bad one changes nothing. */
	for (i = 0; i < 4 && r == 0; i++) {
		const char *v = vk_form_get(&req->form, vk_setting_keys[i]);

		if (v == NULL)
			continue;
		r = vk_setting_check(
		    vk_setting_keys[i], v, &norm[i], err, sizeof(err));
	}
	if (r == VK_EINVAL)
		r = settings_page(req, 400, "error", err);
	else if (r == 0) {
		for (i = 0; i < 4 && r == 0; i++)
			if (norm[i])
				r = vk_setting_save(
				    req, vk_setting_keys[i], norm[i]);
		if (r == 0)
			r = vk_resp_redirect(req, "/settings?done=1");
	}
	for (i = 0; i < 4; i++)
		free(norm[i]);
	return r;
}
