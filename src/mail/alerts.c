/*
 * alerts.c — mail to handlers when a legal clock of an open incident is
 * due within VK_CLOCK_SOON_US (6 h) or overdue, once per incident and
 * stage (mail.h: vk_mail_clock_alerts()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident/incident.h"
#include "incident/tz.h"
#include "mail/mail.h"
#include "store/store_incident.h"
#include "util/err.h"

static const char *const stage_sv[VK_STAGE_MAX] = { "Tidig varning",
	"Incidentanmälan", "Slutrapport", "Anmälan till IMY" };

/* Queues the alert for one clock to every active handler and admin with
 * an address. */
static int
alert(struct vk_store *st, const struct vk_user_list *users,
    const struct vk_incident *inc, int stage, const struct vk_inc_clock *c)
{
	char subject[VK_MAIL_SUBJECT_MAX + 1], due[40], body[1024];
	int r = 0, w;

	if (vk_tz_format_us(c->due, true, due, sizeof(due)) != 0)
		snprintf(due, sizeof(due), "?");
	snprintf(subject, sizeof(subject), "[vaksam] Tidsfrist: %s för %s %s",
	    stage_sv[stage], inc->reference,
	    c->status == VK_CLOCK_OVERDUE ? "är försenad" : "snart");
	w = snprintf(body, sizeof(body),
	    "%s för %s (\"%.200s\") ska lämnas senast %s.\n%s\n\n"
	    "Utkastet finns på incidentens sida i vaksam.\n",
	    stage_sv[stage], inc->reference, inc->title, due,
	    c->status == VK_CLOCK_OVERDUE ? "Tidsfristen har passerats."
					  : "Mindre än sex timmar återstår.");
	if (w < 0 || (size_t)w >= sizeof(body))
		return VK_EINTERNAL;
	for (size_t i = 0; r == 0 && i < users->n; i++) {
		const struct vk_user *u = &users->v[i];

		if (u->disabled || u->email[0] == '\0' ||
		    (u->role != VK_ROLE_HANDLER && u->role != VK_ROLE_ADMIN))
			continue;
		r = vk_mail_enqueue(st, u->email, subject, body, 0);
		if (r == VK_EINVAL)
			r = 0;
	}
	return r;
}

int
vk_mail_clock_alerts(struct vk_store *st, int64_t now, size_t *n)
{
	struct vk_incident_filter f = { .state = -1, .open_only = true };
	struct vk_page pg = { VK_PAGE_MAX, 0 };
	struct vk_incident_list *l = NULL;
	struct vk_user_list *users = NULL;
	size_t sent = 0;
	char *url = NULL;
	int r;

	/* Without a mail server nobody would hear: record nothing, so the
	 * alerts come when mail is set up. */
	if (vk_store_setting_get(st, "mail.smtp_url", &url) != 0 ||
	    *url == '\0') {
		r = 0;
		goto out;
	}
	if ((r = vk_store_incident_list(st, &f, &pg, &l)) != 0)
		goto out;
	for (size_t i = 0; i < l->n; i++) {
		const struct vk_incident *inc = &l->v[i];
		struct vk_inc_clock_input in = { .aware_at = inc->aware_at,
			.significant = inc->significant,
			.personal_data = inc->gdpr };
		struct vk_inc_clock c[VK_STAGE_MAX];

		memcpy(in.sent_at, inc->sent_at, sizeof(in.sent_at));
		if (vk_inc_clocks(&in, now, c) != 0)
			continue;
		for (int s = 0; s < VK_STAGE_MAX; s++) {
			if (c[s].status != VK_CLOCK_SOON &&
			    c[s].status != VK_CLOCK_OVERDUE)
				continue;
			if (users == NULL &&
			    (r = vk_store_user_list(st, &pg, &users)) != 0)
				goto out;
			if ((r = vk_store_begin(st)) != 0)
				goto out;
			r = vk_store_incident_alert_once(st, inc->id, s, now);
			if (r == VK_EEXIST) {
				(void)vk_store_rollback(st);
				r = 0;
				continue;
			}
			if (r == 0)
				r = alert(st, users, inc, s, &c[s]);
			if (r != 0) {
				(void)vk_store_rollback(st);
				goto out;
			}
			if ((r = vk_store_commit(st)) != 0)
				goto out;
			sent++;
		}
	}
out:
	free(url);
	vk_incident_list_free(l);
	vk_user_list_free(users);
	if (n != NULL)
		*n = sent;
	return r;
}
