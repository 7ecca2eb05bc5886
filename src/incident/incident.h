/*
 * incident.h — incident and weakness reports: the domain model, the state
 * machine, the category taxonomy, severities, references and the legal
 * clocks (NIS2 / cybersäkerhetslagen 2025:1506 and GDPR art. 33).
 *
 * No HTTP and no SQL here: the store (store/store.h) keeps what this
 * module defines, and the portal shows it.  docs/incidents.md explains the
 * process, the taxonomy mapping and the clock rules for people; the tables
 * below are the single source of truth for both.
 *
 * Times are int64_t microseconds since the epoch, UTC, like the store's.
 * Errors: 0 or a negative VK_E* (util/err.h).
 */
#ifndef VK_INCIDENT_INCIDENT_H
#define VK_INCIDENT_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

/* ------------------------------------------------------------------ */
/* States and transitions.                                             */

enum vk_inc_state {
	VK_INC_NEW, /* reported, nobody has looked yet */
	VK_INC_TRIAGED, /* accepted as an incident or weakness */
	VK_INC_INVESTIGATING,
	VK_INC_CONTAINED, /* spread stopped, not yet recovered */
	VK_INC_RECOVERED, /* systems back to normal */
	VK_INC_CLOSED,
	VK_INC_REJECTED, /* not an incident; the reporter sees the reason */
	VK_INC_DUPLICATE, /* merged into another incident */
	VK_INC_STATE_MAX
};

/* "new", "triaged", ... "duplicate"; "?" for an invalid value. */
const char *vk_inc_state_name(enum vk_inc_state s);
/* Reverse of vk_inc_state_name() (exact); VK_EINVAL if unknown. */
int vk_inc_state_parse(const char *s, enum vk_inc_state *out);

/*
 * Whether a handler may move an incident from `from` to `to`.  The table
 * (incident.c, docs/incidents.md) allows the forward path, going back to
 * investigating when containment fails or the incident recurs, reopening
 * closed incidents, and reconsidering rejected or duplicate reports.
 * Staying in the same state is not a transition.  Invalid values: false.
 */
bool vk_inc_transition_allowed(enum vk_inc_state from, enum vk_inc_state to);
/* Whether the state counts as open (not closed, rejected or duplicate). */
bool vk_inc_state_open(enum vk_inc_state s);

/* ------------------------------------------------------------------ */
/* Report types, severities, categories.                               */

enum vk_inc_type {
	VK_INC_TYPE_INCIDENT, /* something happened */
	VK_INC_TYPE_WEAKNESS, /* something could happen (open door, ...) */
	VK_INC_TYPE_MAX
};
const char *vk_inc_type_name(enum vk_inc_type t); /* "incident", "weakness" */
int vk_inc_type_parse(const char *s, enum vk_inc_type *out);

enum vk_inc_severity {
	VK_SEV_UNSET, /* not yet assessed (new reports) */
	VK_SEV_LOW,
	VK_SEV_MEDIUM,
	VK_SEV_HIGH,
	VK_SEV_CRITICAL,
	VK_SEV_MAX
};
/* "unset", "low", "medium", "high", "critical". */
const char *vk_inc_severity_name(enum vk_inc_severity s);
int vk_inc_severity_parse(const char *s, enum vk_inc_severity *out);

enum vk_inc_category {
	VK_CAT_UNSET, /* not yet categorised */
	VK_CAT_PHISHING,
	VK_CAT_MALWARE, /* malware and ransomware */
	VK_CAT_UNAUTHORISED_ACCESS,
	VK_CAT_DATA_LEAK,
	VK_CAT_LOST_DEVICE, /* lost or stolen device */
	VK_CAT_DOS, /* denial of service */
	VK_CAT_FRAUD,
	VK_CAT_MISCONFIGURATION,
	VK_CAT_PHYSICAL,
	VK_CAT_OTHER,
	VK_CAT_MAX
};
/* "unset", "phishing", "malware", "unauthorised_access", "data_leak",
 * "lost_device", "dos", "fraud", "misconfiguration", "physical", "other". */
const char *vk_inc_category_name(enum vk_inc_category c);
int vk_inc_category_parse(const char *s, enum vk_inc_category *out);

/*
 * The authority's view of a category: the class and type of the ENISA /
 * eCSIRT.net Reference Security Incident Taxonomy that CSIRTs (CERT-SE
 * among them) classify by, and the NIS2 root-cause group of
 * Implementing Regulation (EU) 2024/2690 it usually falls in.  See
 * docs/incidents.md for the reasoning of each row.
 */
struct vk_inc_authority_class {
	const char *rsit_class; /* "fraud", "malicious-code", ... */
	const char *rsit_type; /* "phishing", "infected-system", ... */
	const char *root_cause; /* "malicious action", "human error", ... */
};
/* The row for c; NULL for VK_CAT_UNSET or an invalid value. */
const struct vk_inc_authority_class *vk_inc_category_authority(
    enum vk_inc_category c);

/* ------------------------------------------------------------------ */
/* References: "VK-2026-0042", a per-year sequence.                    */

#define VK_INC_REF_MAX 24 /* "VK-9999-" + up to 10 digits + NUL, and more */
#define VK_INC_SEQ_MAX 9999999999LL

/* Writes "VK-<year>-<seq, at least 4 digits>" into buf (size n).
 * VK_EINVAL for year outside 1000-9999 or seq outside 1..VK_INC_SEQ_MAX;
 * VK_ETOOBIG when n < VK_INC_REF_MAX would not fit. */
int vk_inc_ref_format(int year, int64_t seq, char *buf, size_t n);
/* Parses a reference (exactly that form, "VK" in either case, 4 to 10
 * digits of sequence) into year and seq.  VK_EPARSE otherwise. */
int vk_inc_ref_parse(const char *s, size_t len, int *year, int64_t *seq);

/* ------------------------------------------------------------------ */
/* The clocks.                                                         */

enum vk_inc_stage {
	VK_STAGE_EARLY_WARNING, /* NIS2: awareness + 24 h */
	VK_STAGE_NOTIFICATION, /* NIS2: awareness + 72 h */
	VK_STAGE_FINAL, /* NIS2: notification + 1 calendar month */
	VK_STAGE_GDPR, /* IMY, GDPR art. 33: awareness + 72 h */
	VK_STAGE_MAX
};
/* "early_warning", "notification", "final", "gdpr". */
const char *vk_inc_stage_name(enum vk_inc_stage s);
int vk_inc_stage_parse(const char *s, enum vk_inc_stage *out);

/* A clock "due soon" when this little is left (notifications, colour). */
#define VK_CLOCK_SOON_US (6LL * 3600 * 1000000)

enum vk_clock_status {
	VK_CLOCK_OFF, /* does not apply (not significant / no personal data) */
	VK_CLOCK_RUNNING, /* due later than VK_CLOCK_SOON_US from now */
	VK_CLOCK_SOON, /* due within VK_CLOCK_SOON_US */
	VK_CLOCK_OVERDUE, /* past due, not sent */
	VK_CLOCK_SENT, /* sent in time */
	VK_CLOCK_SENT_LATE, /* sent, but after the deadline */
	VK_CLOCK_STATUS_MAX
};
/* "off", "running", "soon", "overdue", "sent", "sent_late". */
const char *vk_clock_status_name(enum vk_clock_status s);

/* What the clocks are computed from. */
struct vk_inc_clock_input {
	int64_t aware_at; /* when the organisation became aware; 0 unknown */
	bool significant; /* NIS2 significant incident */
	bool personal_data; /* a personal-data breach (GDPR) */
	int64_t sent_at[VK_STAGE_MAX]; /* when each report was sent; 0 not */
};

struct vk_inc_clock {
	enum vk_clock_status status;
	int64_t due; /* µs UTC; 0 when OFF */
	int64_t sent_at; /* 0 when not sent */
	int64_t left; /* due - now (negative when overdue); 0 when OFF/sent */
	bool due_estimated; /* final: computed from the notification's due
			     * time because the notification was not sent */
};

/*
 * Computes every clock at time `now` into out[VK_STAGE_MAX]:
 *   early warning = aware_at + 24 h, notification = aware_at + 72 h
 *   (elapsed hours: across a DST change the local wall time shifts by an
 *   hour); final = the notification's sent time, or its due time while it
 *   is unsent (due_estimated), + 1 calendar month in Stockholm local time
 *   with month-end clamping (Jan 31 -> Feb 28/29) and the same wall time
 *   (a wall time that falls in the spring gap moves forward an hour; one
 *   that exists twice takes the earlier); GDPR = aware_at + 72 h.
 * NIS2 clocks run only when significant, GDPR only with personal_data;
 * none runs without aware_at.  A sent report stops its clock.
 * VK_EINVAL for NULL or a time outside tz.h's range.
 */
int vk_inc_clocks(const struct vk_inc_clock_input *in, int64_t now,
    struct vk_inc_clock out[VK_STAGE_MAX]);

/* t plus one calendar month in Stockholm local time, as described for the
 * final report.  VK_EINVAL outside tz.h's range. */
int vk_inc_add_month(int64_t t, int64_t *out);

/* ------------------------------------------------------------------ */
/* Reports from employees: field limits and validation.                */

#define VK_INC_TITLE_MAX 200 /* bytes */
#define VK_INC_TEXT_MAX 10000 /* what happened, notes, messages */
#define VK_INC_SYSTEM_MAX 200 /* system or unit */
#define VK_INC_CONTACT_MAX 200 /* name / phone */
#define VK_INC_REASON_MAX 2000 /* rejection reason */

/* Yes / no / not known, for questions employees may not know. */
enum vk_tristate { VK_TRI_UNKNOWN, VK_TRI_YES, VK_TRI_NO, VK_TRI_MAX };
/* "unknown", "yes", "no". */
const char *vk_tristate_name(enum vk_tristate t);
int vk_tristate_parse(const char *s, enum vk_tristate *out);

/* What an employee types (strings borrowed, NUL-terminated; NULL = ""). */
struct vk_inc_report_form {
	const char *type; /* "incident" or "weakness" */
	const char *title; /* short summary, required */
	const char *what; /* what happened, required */
	const char *noticed_at; /* local "YYYY-MM-DDTHH:MM", required */
	const char *system; /* system or unit, optional */
	const char *personal_data; /* "yes", "no", "unknown" */
	const char *ongoing; /* "yes", "no", "unknown" */
	const char *contact_name, *contact_email, *contact_phone; /* opt. */
};

/* The form, checked and converted. */
struct vk_inc_report_fields {
	enum vk_inc_type type;
	int64_t noticed_at; /* µs UTC */
	enum vk_tristate personal_data, ongoing;
};

/*
 * Validates every field of f (all of them, not only the first bad one)
 * and fills *out.  Each problem goes to d with the form field's name as
 * location ("title", "noticed_at", ...) and a message saying what to do.
 * A noticed_at later than now + 5 minutes is refused (clock skew
 * tolerance).  Returns 0 or VK_EINVAL when any field is wrong.
 */
int vk_inc_report_validate(const struct vk_inc_report_form *f, int64_t now,
    struct vk_inc_report_fields *out, struct vk_diag *d);

/* Whether s (len bytes) is valid UTF-8 without NUL and other C0 controls
 * except TAB, LF and CR. */
bool vk_inc_text_ok(const char *s, size_t len);

/* ------------------------------------------------------------------ */
/* Attachments.                                                        */

#define VK_INC_ATTACH_MAX (10u * 1024 * 1024) /* bytes per file */
#define VK_INC_ATTACH_COUNT 5 /* files per report */
#define VK_INC_FILENAME_MAX 200 /* bytes */

enum vk_attach_kind {
	VK_ATTACH_PNG,
	VK_ATTACH_JPEG,
	VK_ATTACH_PDF,
	VK_ATTACH_TXT,
	VK_ATTACH_EML,
	VK_ATTACH_KIND_MAX
};
/* "png", "jpeg", "pdf", "txt", "eml". */
const char *vk_attach_kind_name(enum vk_attach_kind k);
/* "image/png", ..., "text/plain; charset=utf-8", "message/rfc822". */
const char *vk_attach_kind_mime(enum vk_attach_kind k);

/*
 * Decides what an uploaded file is from its content AND its name: the
 * extension (.png, .jpg/.jpeg, .pdf, .txt/.log, .eml, any case) must name
 * a kind and the content must match it (PNG and JPEG and PDF signatures;
 * text: valid UTF-8 without NUL; eml: text that starts with a header
 * line "Name: value").  An empty file, one over VK_INC_ATTACH_MAX, a
 * file name that is empty, too long, not UTF-8 or holds '/', '\\' or
 * control characters is refused.  VK_EINVAL with the reason in d
 * (location `field`, may be NULL).
 */
int vk_attach_check(const char *filename, const void *data, size_t len,
    const char *field, enum vk_attach_kind *out, struct vk_diag *d);

#endif
