/*
 * common.c — helpers shared by the pages and the JSON API.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "account/account.h"
#include "audit/audit.h"
#include "util/err.h"
#include "web/handlers/handlers.h"
#include "web/i18n.h"
#include "web/session.h"

/* All are on the settings page and in the API.  mail.smtp_password is a
 * secret: never returned (vk_setting_secret()), "changed" in the audit. */
const char *const vk_setting_keys[VK_SETTINGS_MAX + 1] = { "org.name",
	"org.mail_domains", "org.web_domains", "default_lang",
	"incident.authority", "incident.gdpr_authority", "incident.anonymous",
	"mail.smtp_url", "mail.from", "mail.smtp_user", "mail.smtp_password",
	NULL };

int
vk_setting_secret(const char *key)
{
	return strcmp(key, "mail.smtp_password") == 0;
}

void
vk_page_mail_warning(struct vk_req *req, struct vk_html *h)
{
	uint64_t t0 = vk_web_now_ns();
	int64_t n = 0;
	char *url = NULL;
	bool unset;

	if (req->role != VK_WROLE_ADMIN)
		return;
	unset =
	    vk_store_setting_get(req->web->store, "mail.smtp_url", &url) != 0 ||
	    *url == '\0';
	free(url);
	if (unset &&
	    vk_store_job_count_queued(req->web->store, "mail.send", &n) != 0)
		n = 0;
	vk_req_store_time(req, t0);
	if (!unset || n == 0)
		return;
	vk_html_open(h, "div", "class", "notice error", "role", "alert", "id",
	    "mail-warning", NULL);
	vk_html_open(h, "p", NULL);
	vk_html_text(
	    h, T(req, "E-mail is not set up: messages waiting to be sent:"));
	vk_html_textf(h, " %lld.", (long long)n);
	vk_html_text(h, " ");
	vk_html_open(h, "a", "href", "/settings#f-mail.smtp_url", NULL);
	vk_html_text(h, T(req, "Set the SMTP server"));
	vk_html_close(h);
	vk_html_close(h);
	vk_html_close(h);
}

json_t *
vk_user_json(const struct vk_user *u)
{
	return json_pack("{sIsssssssssbsssIsI}", "id", (json_int_t)u->id,
	    "username", u->username, "display_name", u->display_name, "email",
	    u->email, "role", vk_role_name(u->role), "disabled", u->disabled,
	    "lang", vk_lang_name(u->lang), "created",
	    (json_int_t)(u->created / 1000000), "updated",
	    (json_int_t)(u->updated / 1000000));
}

static json_t *
json_text_or_raw(const char *s)
{
	json_t *j;

	if (s == NULL || *s == '\0')
		return json_null();
	/* before/after are JSON texts written by vaksam; show them as
	 * values, falling back to a string if one is not. */
	if ((j = json_loads(s, JSON_DECODE_ANY, NULL)) != NULL)
		return j;
	return json_string(s);
}

json_t *
vk_audit_json(const struct vk_audit_entry *e)
{
	char when[40];

	vk_page_time_iso(e->time, when, sizeof(when));
	return json_pack("{sIsssssssssssssososs}", "seq", (json_int_t)e->seq,
	    "time", when, "actor", e->actor, "source", e->source, "action",
	    e->action, "object_type", e->object_type, "object_id", e->object_id,
	    "before", json_text_or_raw(e->before), "after",
	    json_text_or_raw(e->after), "hash", e->hash);
}

int
vk_parse_id(const char *s, int64_t *id)
{
	int64_t v = 0;

	if (s == NULL || *s == '\0' || strlen(s) > 18)
		return VK_EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return VK_EINVAL;
		v = v * 10 + (*s - '0');
	}
	if (v <= 0)
		return VK_EINVAL;
	*id = v;
	return 0;
}

const char *
vk_diag_first(const struct vk_diag *d, const char *fallback)
{
	return d->n > 0 && d->v[0].msg ? d->v[0].msg : fallback;
}

/* A domain name: labels of [a-z0-9-], at least one dot, <= 253. */
static int
domain_ok(const char *s, size_t n)
{
	size_t i, label = 0;
	int dots = 0;

	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
			dots++;
			continue;
		}
		if (!(isalnum((unsigned char)c) || c == '-') || ++label > 63)
			return 0;
	}
	return dots > 0 && label > 0;
}

int
vk_setting_check(
    const char *key, const char *value, char **norm, char *err, size_t errlen)
{
	struct vk_buf b;
	const char *p;
	size_t i;

	*norm = NULL;
	if (!vk_web_utf8_valid(value, strlen(value), NULL)) {
		snprintf(err, errlen, "%s: not valid UTF-8", key);
		return VK_EINVAL;
	}
	if (strcmp(key, "incident.anonymous") == 0) {
		if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0) {
			snprintf(err, errlen, "incident.anonymous: on or off");
			return VK_EINVAL;
		}
		return (*norm = strdup(value)) ? 0 : VK_ENOMEM;
	}
	if (strcmp(key, "mail.smtp_url") == 0) {
		if (*value != '\0' && strncmp(value, "smtp://", 7) != 0 &&
		    strncmp(value, "smtps://", 8) != 0) {
			snprintf(err, errlen,
			    "mail.smtp_url: smtp://host:port or "
			    "smtps://host:port, or empty");
			return VK_EINVAL;
		}
	}
	if (strcmp(key, "mail.smtp_password") == 0) {
		/* Any bytes a server may want, but no line breaks or NULs
		 * (callers refuse NUL); not echoed in the message. */
		if (strlen(value) > 200 || strpbrk(value, "\r\n") != NULL) {
			snprintf(err, errlen,
			    "mail.smtp_password: one line of at most 200 "
			    "characters");
			return VK_EINVAL;
		}
		return (*norm = strdup(value)) ? 0 : VK_ENOMEM;
	}
	if (strcmp(key, "mail.from") == 0 && *value != '\0' &&
	    (strchr(value, '@') == NULL || strpbrk(value, " <>,;\"") != NULL)) {
		snprintf(err, errlen,
		    "mail.from: an address like "
		    "vaksam@kommun.se");
		return VK_EINVAL;
	}
	if (strcmp(key, "org.name") == 0 || strcmp(key, "mail.smtp_url") == 0 ||
	    strcmp(key, "mail.from") == 0 ||
	    strcmp(key, "mail.smtp_user") == 0 ||
	    strcmp(key, "incident.authority") == 0 ||
	    strcmp(key, "incident.gdpr_authority") == 0) {
		if (strlen(value) > 200) {
			snprintf(
			    err, errlen, "%s: at most 200 characters", key);
			return VK_EINVAL;
		}
		for (p = value; *p; p++)
			if ((unsigned char)*p < 0x20) {
				snprintf(err, errlen,
				    "%s: one line without control "
				    "characters",
				    key);
				return VK_EINVAL;
			}
		return (*norm = strdup(value)) ? 0 : VK_ENOMEM;
	}
	if (strcmp(key, "default_lang") == 0) {
		enum vk_lang l;

		if (vk_lang_parse(value, &l) != 0) {
			snprintf(err, errlen, "default_lang: 'sv' or 'en'");
			return VK_EINVAL;
		}
		return (*norm = strdup(value)) ? 0 : VK_ENOMEM;
	}
	if (strcmp(key, "org.mail_domains") != 0 &&
	    strcmp(key, "org.web_domains") != 0) {
		snprintf(err, errlen, "'%.60s' is not a known setting", key);
		return VK_EINVAL;
	}
	vk_buf_init(&b, 16 * 1024);
	p = value;
	while (*p) {
		size_t n = 0;

		while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\r' ||
		    *p == '\t')
			p++;
		while (p[n] && p[n] != ' ' && p[n] != ',' && p[n] != '\n' &&
		    p[n] != '\r' && p[n] != '\t')
			n++;
		if (n == 0)
			break;
		if (!domain_ok(p, n)) {
			snprintf(err, errlen,
			    "%s: '%.*s' is not a domain name like "
			    "exempel.se",
			    key, (int)(n > 60 ? 60 : n), p);
			vk_buf_release(&b);
			return VK_EINVAL;
		}
		if (b.len)
			vk_buf_appendc(&b, '\n');
		for (i = 0; i < n; i++)
			if (vk_buf_appendc(
				&b, (char)tolower((unsigned char)p[i])) != 0) {
				snprintf(
				    err, errlen, "%s: too many domains", key);
				vk_buf_release(&b);
				return VK_EINVAL;
			}
		p += n;
	}
	*norm = vk_buf_detach(&b, NULL);
	return *norm ? 0 : VK_ENOMEM;
}

int
vk_setting_save(struct vk_req *req, const char *key, const char *value)
{
	struct vk_store *st = req->web->store;
	char *old = NULL, *before = NULL, *after = NULL;
	uint64_t t0 = vk_web_now_ns();
	json_t *j;
	int r;

	if ((r = vk_store_begin(st)) != 0)
		goto out;
	r = vk_store_setting_get(st, key, &old);
	if (r == VK_ENOTFOUND)
		r = 0;
	if (r == 0 && old && strcmp(old, value) == 0)
		goto done; /* unchanged: nothing to record */
	if (r == 0)
		r = vk_store_setting_set(st, key, value);
	if (r == 0) {
		/* A secret is recorded as set or changed, never in clear. */
		if (vk_setting_secret(key))
			j = json_pack("{sb}", "set", old && *old);
		else
			j = json_pack("{ss?}", "value", old);
		before = j ? json_dumps(j, JSON_COMPACT) : NULL;
		json_decref(j);
		if (vk_setting_secret(key))
			j = json_pack(
			    "{sbsb}", "set", *value != '\0', "changed", 1);
		else
			j = json_pack("{ss}", "value", value);
		after = j ? json_dumps(j, JSON_COMPACT) : NULL;
		json_decref(j);
		r = vk_audit_append(st, req->actor, req->client, "setting.set",
		    "setting", key, before, after);
	}
done:
	if (r == 0)
		r = vk_store_commit(st);
	else
		(void)vk_store_rollback(st);
	if (r == 0 && strcmp(key, "default_lang") == 0) {
		enum vk_lang l;

		if (vk_lang_parse(value, &l) == 0)
			vk_web_set_default_lang(l);
	}
	if (r == 0 && strcmp(key, "org.name") == 0)
		vk_page_org_forget();
out:
	vk_req_store_time(req, t0);
	free(old);
	free(before);
	free(after);
	return r;
}

int
vk_do_login(struct vk_req *req, const char *username, const char *password,
    struct vk_user **user)
{
	int64_t retry = 0;
	uint64_t t0 = vk_web_now_ns();
	int r;

	*user = NULL;
	r = vk_login(req->web->store, username, password, req->client,
	    vk_store_now(), user, &retry);
	vk_req_store_time(req, t0);
	if (r == VK_EPERM || r == VK_EINVAL) {
		if (retry > 0) {
			char s[24];

			snprintf(s, sizeof(s), "%lld",
			    (long long)(retry / 1000000 + 1));
			vk_resp_header(req, "Retry-After", s);
			return VK_WE_THROTTLED;
		}
		return VK_WE_LOGIN_FAILED;
	}
	if (r != 0)
		return r;
	if ((r = vk_web_session_begin(req, *user)) != 0) {
		vk_user_free(*user);
		*user = NULL;
		return r;
	}
	return 0;
}
