/*
 * draft.h — the reports to the authorities, drafted from an incident.
 *
 * Each stage has the fields the law asks for (docs/incidents.md):
 *   early warning (NIS2, 24 h): whether an unlawful or malicious cause is
 *     suspected, whether there may be cross-border impact;
 *   notification (NIS2, 72 h): an update of those, severity, impact,
 *     indicators of compromise;
 *   final report (NIS2, 1 month; a progress report while the incident is
 *     still being handled): detailed description, severity and impact,
 *     root cause or threat type, measures applied and ongoing,
 *     cross-border impact;
 *   IMY (GDPR art. 33): nature of the breach, categories and approximate
 *     numbers of people and records, likely consequences, measures,
 *     contact point, and the reasons when later than 72 h.
 * A draft lists every field with its label in the chosen language and
 * marks required fields that are still empty, so the handler sees what to
 * fill in before sending.  The recipient authority is the caller's
 * setting ("incident.authority"), not a constant: it has changed name
 * before.
 */
#ifndef VK_INCIDENT_DRAFT_H
#define VK_INCIDENT_DRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "incident/incident.h"
#include "store/store.h"
#include "util/buf.h"

/* What a draft is made from.  Strings are borrowed; NULL = "". */
struct vk_inc_draft_input {
	const char *reference; /* "VK-2026-0042" */
	const char *org_name; /* the reporting organisation */
	const char *authority; /* recipient, e.g. "CERT-SE" */
	const char *title;
	enum vk_inc_category category;
	enum vk_inc_severity severity;
	int64_t aware_at; /* µs UTC, 0 unknown */
	int64_t now; /* µs UTC: the draft's date; lateness for IMY */
	bool still_handled; /* final stage becomes a progress report */
	enum vk_tristate malicious; /* unlawful or malicious cause suspected */
	enum vk_tristate cross_border;
	const char *description; /* detailed description */
	const char *impact;
	const char *iocs; /* indicators of compromise */
	const char *root_cause; /* root cause or threat type */
	const char *measures_applied;
	const char *measures_ongoing;
	/* GDPR */
	const char *breach_nature;
	const char *subject_categories; /* categories of people */
	int64_t subjects_approx; /* -1 unknown */
	const char *record_categories;
	int64_t records_approx; /* -1 unknown */
	const char *consequences;
	const char *delay_reason; /* required when later than 72 h */
	const char *contact_name, *contact_email, *contact_phone;
};

struct vk_inc_draft_field {
	const char *key; /* stable, for JSON: "malicious_cause", ... */
	const char *label; /* in the draft's language; static */
	char *value; /* owned, "" when empty */
	bool required;
	bool missing; /* required and empty */
};

struct vk_inc_draft {
	enum vk_inc_stage stage;
	enum vk_lang lang;
	const char *title; /* "Early warning", "Progress report", ...; static */
	char *reference, *authority; /* owned copies */
	struct vk_inc_draft_field *v;
	size_t n;
	size_t missing; /* how many required fields are empty */
};

/*
 * Builds the draft of `stage` from `in` in language `lang` into *out
 * (free with vk_inc_draft_free(); NULL on error).  Times are shown in Stockholm local
 * time.  VK_EINVAL for NULL or a bad stage/lang, VK_ENOMEM.
 */
int vk_inc_draft_build(const struct vk_inc_draft_input *in,
    enum vk_inc_stage stage, enum vk_lang lang, struct vk_inc_draft **out);
void vk_inc_draft_free(struct vk_inc_draft *dr);

/* Appends the draft as plain text ("Label: value" blocks, multi-line
 * values indented) to b.  VK_ETOOBIG from b's ceiling. */
int vk_inc_draft_text(const struct vk_inc_draft *dr, struct vk_buf *b);

/* The draft as a JSON object text (caller frees with free()):
 * {"stage","title","reference","authority","language","missing",
 *  "fields":[{"key","label","value","required","missing"}],
 *  "values":{key:value}}.  VK_ENOMEM. */
int vk_inc_draft_json(const struct vk_inc_draft *dr, char **out);

#endif
