/*
 * settings.c — the settings page (admin): organisation name, own e-mail
 * and web domains, default language, the recipients of incident reports,
 * the anonymous form, and the SMTP server for notifications.  The SMTP
 * password is never shown: an empty field keeps it, a checkbox clears it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "web/handlers/handlers.h"

static void
select_field(struct vk_html *h, const char *name, const char *label,
    const char *cur, const char *const *vals, const char *const *labels)
{
	char id[64];
	size_t i;

	snprintf(id, sizeof(id), "f-%s", name);
	vk_html_open(h, "div", "class", "field", NULL);
	vk_html_open(h, "label", "for", id, NULL);
	vk_html_text(h, label);
	vk_html_close(h);
	vk_html_open(h, "select", "id", id, "name", name, NULL);
	for (i = 0; vals[i]; i++) {
		if (strcmp(cur, vals[i]) == 0)
			vk_html_open(h, "option", "value", vals[i], "selected",
			    NULL, NULL);
		else
			vk_html_open(h, "option", "value", vals[i], NULL);
		vk_html_text(h, labels[i]);
		vk_html_close(h);
	}
	vk_html_close(h);
	vk_html_close(h);
}

static void
textarea_field(
    struct vk_html *h, const char *name, const char *label, const char *value)
{
	char id[64];

	snprintf(id, sizeof(id), "f-%s", name);
	vk_html_open(h, "div", "class", "field", NULL);
	vk_html_open(h, "label", "for", id, NULL);
	vk_html_text(h, label);
	vk_html_close(h);
	vk_html_open(h, "textarea", "id", id, "name", name, "rows", "3", NULL);
	vk_html_text(h, value);
	vk_html_close(h);
	vk_html_close(h);
}

static const char *
setting_of(char *const *v, const char *key)
{
	size_t i;

	for (i = 0; vk_setting_keys[i]; i++)
		if (strcmp(vk_setting_keys[i], key) == 0)
			return v[i];
	return NULL;
}

static int
settings_page(
    struct vk_req *req, unsigned status, const char *kind, const char *notice)
{
	static const char *const langs[] = { "sv", "en", NULL };
	static const char *const lang_labels[] = { "Svenska", "English", NULL };
	static const char *const onoff[] = { "off", "on", NULL };
	const char *onoff_labels[] = { T(req, "Off"), T(req, "On"), NULL };
	char *v[VK_SETTINGS_MAX] = { NULL };
	const char *s;
	struct vk_html h;
	uint64_t t0 = vk_web_now_ns();
	size_t i;

	for (i = 0; vk_setting_keys[i]; i++)
		if (vk_store_setting_get(
			req->web->store, vk_setting_keys[i], &v[i]) != 0)
			v[i] = NULL;
	vk_req_store_time(req, t0);
	vk_page_begin(req, &h, T(req, "Settings"));
	if (notice)
		vk_page_notice(&h, kind, notice);
	vk_page_mail_warning(req, &h);
	vk_html_open(&h, "form", "method", "post", "action", "/settings",
	    "class", "card", NULL);
	vk_page_csrf(req, &h);
	vk_page_field(&h, "org.name", T(req, "Organisation name"), "text",
	    setting_of(v, "org.name"), "organization", 0);
	textarea_field(&h, "org.mail_domains",
	    T(req, "Own e-mail domains (one per line)"),
	    setting_of(v, "org.mail_domains"));
	textarea_field(&h, "org.web_domains",
	    T(req, "Own web domains (one per line)"),
	    setting_of(v, "org.web_domains"));
	s = setting_of(v, "default_lang");
	select_field(&h, "default_lang", T(req, "Default language"),
	    s && strcmp(s, "en") == 0 ? "en" : "sv", langs, lang_labels);

	vk_html_open(&h, "h2", NULL);
	vk_html_text(&h, T(req, "Incidents"));
	vk_html_close(&h);
	vk_page_field(&h, "incident.authority",
	    T(req, "Authority for reports of serious incidents"), "text",
	    setting_of(v, "incident.authority"), NULL, 0);
	vk_page_field(&h, "incident.gdpr_authority",
	    T(req, "Authority for personal data breaches"), "text",
	    setting_of(v, "incident.gdpr_authority"), NULL, 0);
	s = setting_of(v, "incident.anonymous");
	select_field(&h, "incident.anonymous", T(req, "Anonymous report form"),
	    s && strcmp(s, "on") == 0 ? "on" : "off", onoff, onoff_labels);

	vk_html_open(&h, "h2", NULL);
	vk_html_text(&h, T(req, "E-mail"));
	vk_html_close(&h);
	vk_page_field(&h, "mail.smtp_url",
	    T(req, "SMTP server (smtp://host:port or smtps://host:port)"),
	    "text", setting_of(v, "mail.smtp_url"), NULL, 0);
	vk_page_field(&h, "mail.from", T(req, "Sender address"), "text",
	    setting_of(v, "mail.from"), NULL, 0);
	vk_page_field(&h, "mail.smtp_user", T(req, "SMTP user"), "text",
	    setting_of(v, "mail.smtp_user"), "off", 0);
	s = setting_of(v, "mail.smtp_password");
	vk_page_field(&h, "mail.smtp_password",
	    s && *s ? T(req, "SMTP password (set; leave empty to keep it)")
		    : T(req, "SMTP password (not set)"),
	    "password", "", "new-password", 0);
	if (s && *s) {
		vk_html_open(&h, "div", "class", "field", NULL);
		vk_html_open(&h, "label", NULL);
		vk_html_void(&h, "input", "type", "checkbox", "name",
		    "mail.smtp_password_clear", "value", "1", NULL);
		vk_html_text(&h, " ");
		vk_html_text(&h, T(req, "Remove the SMTP password"));
		vk_html_close(&h);
		vk_html_close(&h);
	}
	vk_html_open(&h, "button", "type", "submit", NULL);
	vk_html_text(&h, T(req, "Save"));
	vk_html_close(&h);
	vk_html_close(&h);
	for (i = 0; i < VK_SETTINGS_MAX; i++)
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
	char *norm[VK_SETTINGS_MAX] = { NULL };
	const char *clear = vk_form_get(&req->form, "mail.smtp_password_clear");
	char err[200];
	size_t i;
	int r = 0;

	/* Check every field first so that a bad one changes nothing. */
	for (i = 0; vk_setting_keys[i] && r == 0; i++) {
		const char *v = vk_form_get(&req->form, vk_setting_keys[i]);

		/* An empty secret keeps the stored one; the box clears it. */
		if (vk_setting_secret(vk_setting_keys[i])) {
			if (clear && strcmp(clear, "1") == 0)
				v = "";
			else if (v && *v == '\0')
				v = NULL;
		}
		if (v == NULL)
			continue;
		r = vk_setting_check(
		    vk_setting_keys[i], v, &norm[i], err, sizeof(err));
	}
	if (r == VK_EINVAL)
		r = settings_page(req, 400, "error", err);
	else if (r == 0) {
		for (i = 0; vk_setting_keys[i] && r == 0; i++)
			if (norm[i])
				r = vk_setting_save(
				    req, vk_setting_keys[i], norm[i]);
		if (r == 0)
			r = vk_resp_redirect(req, "/settings?done=1");
	}
	for (i = 0; i < VK_SETTINGS_MAX; i++)
		free(norm[i]);
	return r;
}
