/*
 * dashboard.c — the start page and the cards of the parts to come.
 */
#include <string.h>

#include "web/handlers/handlers.h"
#include "web/i18n.h"

struct part {
	const char *path;
	const char *title; /* msgid */
	const char *what; /* msgid */
};

static const struct part parts[] = {
	{ "/incidents", N_("Incidents"),
	    N_("Report incidents and weaknesses, handle them and keep the "
	       "legal "
	       "deadlines (NIS2 / cybersäkerhetslagen, GDPR).") },
	{ "/hunt", N_("Hunt"),
	    N_("Sweep logs and files for published indicators of "
	       "compromise.") },
	{ "/systems", N_("Systems"),
	    N_("The system register, classification and known "
	       "vulnerabilities.") },
	{ "/index", N_("Security index"),
	    N_("A measured security index with trend and comparison.") },
	{ "/phishing", N_("Phishing"),
	    N_("Report suspicious e-mail and see how campaigns are handled.") },
};

static int
card(struct vk_req *req, struct vk_html *h, const struct part *p)
{
	vk_html_open(h, "section", "class", "card", NULL);
	vk_html_open(h, "h2", NULL);
	vk_html_open(h, "a", "href", p->path, NULL);
	vk_html_text(h, T(req, p->title));
	vk_html_close(h);
	vk_html_close(h);
	vk_html_elem(h, "p", T(req, p->what));
	vk_html_open(h, "p", "class", "soon", NULL);
	vk_html_text(h, T(req, "Coming soon: this part is not built yet."));
	vk_html_close(h);
	return vk_html_close(h);
}

int
vk_h_dashboard(struct vk_req *req)
{
	struct vk_html h;
	size_t i;

	vk_page_begin(req, &h, T(req, "Overview"));
	vk_page_mail_warning(req, &h);
	vk_html_open(&h, "p", "class", "lead", NULL);
	vk_html_text(&h, T(req, "Signed in as"));
	vk_html_text(&h, " ");
	vk_html_elem(&h, "strong", req->username);
	vk_html_close(&h);
	vk_html_open(&h, "div", "class", "cards", NULL);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (vk_page_can(req, parts[i].path))
			card(req, &h, &parts[i]);
	vk_html_close(&h);
	/* Incident numbers for those who see every incident. */
	if (req->role == VK_WROLE_HANDLER || req->role == VK_WROLE_ADMIN ||
	    req->role == VK_WROLE_AUDITOR)
		(void)vk_inc_web_numbers(req, &h);
	return vk_page_end(req, &h, 200);
}

int
vk_h_coming(struct vk_req *req)
{
	struct vk_html h;
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcmp(parts[i].path, req->path) == 0)
			break;
	if (i == sizeof(parts) / sizeof(parts[0]))
		return vk_resp_error(req, VK_WE_NOT_FOUND, NULL, NULL);
	vk_page_begin(req, &h, T(req, parts[i].title));
	vk_html_elem(&h, "p", T(req, parts[i].what));
	vk_html_open(&h, "div", "class", "card soon", NULL);
	vk_html_elem(&h, "p",
	    T(req,
		"Coming soon: this part is not built yet. Nothing shown "
		"here is made up."));
	vk_html_close(&h);
	return vk_page_end(req, &h, 200);
}
