/*
 * incident.c — the incident model's tables and rules (incident.h).
 */
#include "incident/incident.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "incident/tz.h"
#include "util/err.h"

/* Looks s up in names[0..n); the index or -1. */
static int
lookup(const char *const *names, int n, const char *s)
{
	if (s == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

#define NAME_FN(fn, type, max, names) \
	const char *fn##_name(type v) \
	{ \
		return (unsigned)v < (unsigned)(max) ? names[v] : "?"; \
	} \
	int fn##_parse(const char *s, type *out) \
	{ \
		int i = lookup(names, (int)(max), s); \
		if (i < 0 || out == NULL) \
			return VK_EINVAL; \
		*out = (type)i; \
		return 0; \
	}

static const char *const state_names[VK_INC_STATE_MAX] = {
	[VK_INC_NEW] = "new",
	[VK_INC_TRIAGED] = "triaged",
	[VK_INC_INVESTIGATING] = "investigating",
	[VK_INC_CONTAINED] = "contained",
	[VK_INC_RECOVERED] = "recovered",
	[VK_INC_CLOSED] = "closed",
	[VK_INC_REJECTED] = "rejected",
	[VK_INC_DUPLICATE] = "duplicate",
};
NAME_FN(vk_inc_state, enum vk_inc_state, VK_INC_STATE_MAX, state_names)

static const char *const type_names[VK_INC_TYPE_MAX] = {
	[VK_INC_TYPE_INCIDENT] = "incident",
	[VK_INC_TYPE_WEAKNESS] = "weakness",
};
NAME_FN(vk_inc_type, enum vk_inc_type, VK_INC_TYPE_MAX, type_names)

static const char *const severity_names[VK_SEV_MAX] = {
	[VK_SEV_UNSET] = "unset",
	[VK_SEV_LOW] = "low",
	[VK_SEV_MEDIUM] = "medium",
	[VK_SEV_HIGH] = "high",
	[VK_SEV_CRITICAL] = "critical",
};
NAME_FN(vk_inc_severity, enum vk_inc_severity, VK_SEV_MAX, severity_names)

static const char *const category_names[VK_CAT_MAX] = {
	[VK_CAT_UNSET] = "unset",
	[VK_CAT_PHISHING] = "phishing",
	[VK_CAT_MALWARE] = "malware",
	[VK_CAT_UNAUTHORISED_ACCESS] = "unauthorised_access",
	[VK_CAT_DATA_LEAK] = "data_leak",
	[VK_CAT_LOST_DEVICE] = "lost_device",
	[VK_CAT_DOS] = "dos",
	[VK_CAT_FRAUD] = "fraud",
	[VK_CAT_MISCONFIGURATION] = "misconfiguration",
	[VK_CAT_PHYSICAL] = "physical",
	[VK_CAT_OTHER] = "other",
};
NAME_FN(vk_inc_category, enum vk_inc_category, VK_CAT_MAX, category_names)

static const char *const stage_names[VK_STAGE_MAX] = {
	[VK_STAGE_EARLY_WARNING] = "early_warning",
	[VK_STAGE_NOTIFICATION] = "notification",
	[VK_STAGE_FINAL] = "final",
	[VK_STAGE_GDPR] = "gdpr",
};
NAME_FN(vk_inc_stage, enum vk_inc_stage, VK_STAGE_MAX, stage_names)

static const char *const tristate_names[VK_TRI_MAX] = {
	[VK_TRI_UNKNOWN] = "unknown",
	[VK_TRI_YES] = "yes",
	[VK_TRI_NO] = "no",
};
NAME_FN(vk_tristate, enum vk_tristate, VK_TRI_MAX, tristate_names)

static const char *const clock_names[VK_CLOCK_STATUS_MAX] = {
	[VK_CLOCK_OFF] = "off",
	[VK_CLOCK_RUNNING] = "running",
	[VK_CLOCK_SOON] = "soon",
	[VK_CLOCK_OVERDUE] = "overdue",
	[VK_CLOCK_SENT] = "sent",
	[VK_CLOCK_SENT_LATE] = "sent_late",
};

const char *
vk_clock_status_name(enum vk_clock_status s)
{
	return (unsigned)s < VK_CLOCK_STATUS_MAX ? clock_names[s] : "?";
}

/* ------------------------------------------------------------------ */

#define T(s) (1u << (s))
/* allowed[from] = the set of states `from` may move to. */
static const unsigned allowed[VK_INC_STATE_MAX] = {
	[VK_INC_NEW] =
	    T(VK_INC_TRIAGED) | T(VK_INC_REJECTED) | T(VK_INC_DUPLICATE),
	/* A weakness fixed at once may close straight from triage. */
	[VK_INC_TRIAGED] = T(VK_INC_INVESTIGATING) | T(VK_INC_CONTAINED) |
	    T(VK_INC_CLOSED) | T(VK_INC_REJECTED) | T(VK_INC_DUPLICATE),
	/* Investigation may find a false alarm (closed) or the same
	 * incident reported already (duplicate). */
	[VK_INC_INVESTIGATING] = T(VK_INC_CONTAINED) | T(VK_INC_RECOVERED) |
	    T(VK_INC_CLOSED) | T(VK_INC_DUPLICATE),
	/* Containment can fail: back to investigating. */
	[VK_INC_CONTAINED] =
	    T(VK_INC_INVESTIGATING) | T(VK_INC_RECOVERED) | T(VK_INC_CLOSED),
	/* The incident can recur after recovery. */
	[VK_INC_RECOVERED] = T(VK_INC_INVESTIGATING) | T(VK_INC_CLOSED),
	/* Reopening: new facts after closing. */
	[VK_INC_CLOSED] = T(VK_INC_INVESTIGATING),
	/* A rejection or a merge can be reconsidered. */
	[VK_INC_REJECTED] = T(VK_INC_TRIAGED),
	[VK_INC_DUPLICATE] = T(VK_INC_TRIAGED),
};
#undef T

bool
vk_inc_transition_allowed(enum vk_inc_state from, enum vk_inc_state to)
{
	if ((unsigned)from >= VK_INC_STATE_MAX ||
	    (unsigned)to >= VK_INC_STATE_MAX)
		return false;
	return (allowed[from] >> to) & 1u;
}

bool
vk_inc_state_open(enum vk_inc_state s)
{
	return (unsigned)s < VK_INC_STATE_MAX && s != VK_INC_CLOSED &&
	    s != VK_INC_REJECTED && s != VK_INC_DUPLICATE;
}

/* docs/incidents.md gives the reasoning of each row. */
static const struct vk_inc_authority_class authority[VK_CAT_MAX] = {
	[VK_CAT_PHISHING] = { "fraud", "phishing", "malicious action" },
	[VK_CAT_MALWARE] = { "malicious-code", "infected-system",
	    "malicious action" },
	[VK_CAT_UNAUTHORISED_ACCESS] = { "intrusions", "system-compromise",
	    "malicious action" },
	[VK_CAT_DATA_LEAK] = { "information-content-security",
	    "unauthorised-information-access", "human error" },
	[VK_CAT_LOST_DEVICE] = { "information-content-security", "data-loss",
	    "human error" },
	[VK_CAT_DOS] = { "availability", "ddos", "malicious action" },
	[VK_CAT_FRAUD] = { "fraud", "masquerade", "malicious action" },
	[VK_CAT_MISCONFIGURATION] = { "vulnerable", "vulnerable-system",
	    "human error" },
	[VK_CAT_PHYSICAL] = { "other", "other", "physical or environmental" },
	[VK_CAT_OTHER] = { "other", "other", "unknown" },
};

const struct vk_inc_authority_class *
vk_inc_category_authority(enum vk_inc_category c)
{
	if ((unsigned)c >= VK_CAT_MAX || c == VK_CAT_UNSET)
		return NULL;
	return &authority[c];
}

/* ------------------------------------------------------------------ */

int
vk_inc_ref_format(int year, int64_t seq, char *buf, size_t n)
{
	int r;

	if (buf == NULL || n == 0)
		return VK_EINVAL;
	buf[0] = '\0';
	if (year < 1000 || year > 9999 || seq < 1 || seq > VK_INC_SEQ_MAX)
		return VK_EINVAL;
	r = snprintf(buf, n, "VK-%04d-%04lld", year, (long long)seq);
	if (r < 0)
		return VK_EINTERNAL;
	if ((size_t)r >= n) {
		buf[0] = '\0';
		return VK_ETOOBIG;
	}
	return 0;
}

int
vk_inc_ref_parse(const char *s, size_t len, int *year, int64_t *seq)
{
	int y = 0;
	int64_t q = 0;
	size_t nd;

	if (s == NULL || year == NULL || seq == NULL)
		return VK_EINVAL;
	if (len < 12 || len > 18)
		return VK_EPARSE;
	if ((s[0] != 'V' && s[0] != 'v') || (s[1] != 'K' && s[1] != 'k') ||
	    s[2] != '-' || s[7] != '-')
		return VK_EPARSE;
	for (int i = 3; i < 7; i++) {
		if (s[i] < '0' || s[i] > '9')
			return VK_EPARSE;
		y = y * 10 + (s[i] - '0');
	}
	nd = len - 8;
	for (size_t i = 8; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return VK_EPARSE;
		q = q * 10 + (s[i] - '0');
	}
	if (nd < 4 || nd > 10 || y < 1000 || q < 1 || q > VK_INC_SEQ_MAX)
		return VK_EPARSE;
	*year = y;
	*seq = q;
	return 0;
}

/* ------------------------------------------------------------------ */

#define HOUR_US (3600LL * 1000000)

int
vk_inc_add_month(int64_t t, int64_t *out)
{
	struct vk_civil c;
	int64_t sec = t >= 0 ? t / 1000000 : -((-t + 999999) / 1000000);
	int64_t frac = t - sec * 1000000, r;
	int dim, rc;

	if (out == NULL)
		return VK_EINVAL;
	if ((rc = vk_tz_to_local(sec, &c)) != 0)
		return rc;
	if (++c.month > 12) {
		c.month = 1;
		c.year++;
	}
	dim = vk_days_in_month(c.year, c.month);
	if (c.day > dim)
		c.day = dim;
	if ((rc = vk_tz_from_local(&c, VK_TZ_EARLIER, &r)) != 0)
		return rc;
	*out = r * 1000000 + frac;
	return 0;
}

static void
set_clock(struct vk_inc_clock *c, int64_t due, int64_t sent, int64_t now)
{
	c->due = due;
	c->sent_at = sent;
	if (sent != 0) {
		c->status = sent <= due ? VK_CLOCK_SENT : VK_CLOCK_SENT_LATE;
		c->left = 0;
		return;
	}
	c->left = due - now;
	if (now > due)
		c->status = VK_CLOCK_OVERDUE;
	else if (due - now <= VK_CLOCK_SOON_US)
		c->status = VK_CLOCK_SOON;
	else
		c->status = VK_CLOCK_RUNNING;
}

int
vk_inc_clocks(const struct vk_inc_clock_input *in, int64_t now,
    struct vk_inc_clock out[VK_STAGE_MAX])
{
	struct vk_inc_clock c[VK_STAGE_MAX];
	int64_t base, final_due;
	int r;

	if (in == NULL || out == NULL)
		return VK_EINVAL;
	memset(c, 0, sizeof(c));
	if (in->aware_at != 0 && in->significant) {
		set_clock(&c[VK_STAGE_EARLY_WARNING],
		    in->aware_at + 24 * HOUR_US,
		    in->sent_at[VK_STAGE_EARLY_WARNING], now);
		set_clock(&c[VK_STAGE_NOTIFICATION],
		    in->aware_at + 72 * HOUR_US,
		    in->sent_at[VK_STAGE_NOTIFICATION], now);
		base = in->sent_at[VK_STAGE_NOTIFICATION];
		if (base == 0)
			base = c[VK_STAGE_NOTIFICATION].due;
		if ((r = vk_inc_add_month(base, &final_due)) != 0)
			return r;
		set_clock(&c[VK_STAGE_FINAL], final_due,
		    in->sent_at[VK_STAGE_FINAL], now);
		c[VK_STAGE_FINAL].due_estimated =
		    in->sent_at[VK_STAGE_NOTIFICATION] == 0;
	}
	if (in->aware_at != 0 && in->personal_data)
		set_clock(&c[VK_STAGE_GDPR], in->aware_at + 72 * HOUR_US,
		    in->sent_at[VK_STAGE_GDPR], now);
	memcpy(out, c, sizeof(c));
	return 0;
}

/* ------------------------------------------------------------------ */

bool
vk_inc_text_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		unsigned c = p[i];
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			    c == 0x7f)
				return false;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 2 &&
			(cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		i += n + 1;
	}
	return true;
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

/* Checks a text field; false (with a message in d) when wrong. */
static bool
check_text(struct vk_diag *d, const char *field, const char *s, size_t max,
    bool required, bool one_line)
{
	size_t len = strlen(s);

	if (required && len == 0) {
		vk_diag_error(d, field, "required: please fill this in");
		return false;
	}
	if (len > max) {
		vk_diag_error(d, field,
		    "too long: %zu bytes, at most %zu; please shorten it", len,
		    max);
		return false;
	}
	if (!vk_inc_text_ok(s, len) ||
	    (one_line &&
		(strchr(s, '\n') != NULL || strchr(s, '\r') != NULL))) {
		vk_diag_error(d, field, "%s",
		    one_line ? "contains characters that are not allowed "
			       "(control characters, invalid UTF-8 or a line "
			       "break); please retype it"
			     : "contains characters that are not allowed "
			       "(control characters or invalid UTF-8); please "
			       "retype it");
		return false;
	}
	return true;
}

/* A plain check: one '@', something before, a dotted domain after, no
 * spaces or controls.  Whether the mailbox exists is for the mail. */
static bool
email_ok(const char *s)
{
	const char *at = strchr(s, '@'), *dot;
	size_t len = strlen(s);

	if (len == 0 || len > 254 || at == NULL || at == s ||
	    strchr(at + 1, '@') != NULL)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '<' ||
		    *p == '>' || *p == ',' || *p == ';')
			return false;
	dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

int
vk_inc_report_validate(const struct vk_inc_report_form *f, int64_t now,
    struct vk_inc_report_fields *out, struct vk_diag *d)
{
	struct vk_inc_report_fields v = { 0 };
	bool ok = true;
	const char *s;

	if (f == NULL || out == NULL)
		return VK_EINVAL;
	if (vk_inc_type_parse(nz(f->type), &v.type) != 0) {
		vk_diag_error(d, "type",
		    "choose whether this is an incident or a weakness");
		ok = false;
	}
	ok &=
	    check_text(d, "title", nz(f->title), VK_INC_TITLE_MAX, true, true);
	ok &= check_text(d, "what", nz(f->what), VK_INC_TEXT_MAX, true, false);
	s = nz(f->noticed_at);
	if (*s == '\0') {
		vk_diag_error(d, "noticed_at",
		    "required: when did you notice it (date and time)?");
		ok = false;
	} else if (vk_tz_parse_local_us(s, strlen(s), &v.noticed_at) != 0) {
		vk_diag_error(d, "noticed_at",
		    "not a date and time; write it as 2026-03-29T14:30");
		ok = false;
	} else if (v.noticed_at > now + 5LL * 60 * 1000000) {
		vk_diag_error(d, "noticed_at",
		    "lies in the future; give the time you noticed it");
		ok = false;
	}
	ok &= check_text(
	    d, "system", nz(f->system), VK_INC_SYSTEM_MAX, false, true);
	s = nz(f->personal_data);
	if (*s == '\0')
		v.personal_data = VK_TRI_UNKNOWN;
	else if (vk_tristate_parse(s, &v.personal_data) != 0) {
		vk_diag_error(d, "personal_data", "answer yes, no or unknown");
		ok = false;
	}
	s = nz(f->ongoing);
	if (*s == '\0')
		v.ongoing = VK_TRI_UNKNOWN;
	else if (vk_tristate_parse(s, &v.ongoing) != 0) {
		vk_diag_error(d, "ongoing", "answer yes, no or unknown");
		ok = false;
	}
	ok &= check_text(d, "contact_name", nz(f->contact_name),
	    VK_INC_CONTACT_MAX, false, true);
	ok &= check_text(d, "contact_phone", nz(f->contact_phone),
	    VK_INC_CONTACT_MAX, false, true);
	s = nz(f->contact_email);
	if (*s != '\0' && !email_ok(s)) {
		vk_diag_error(d, "contact_email",
		    "not an e-mail address; write it as name@example.se or "
		    "leave it empty");
		ok = false;
	}
	if (!ok)
		return VK_EINVAL;
	*out = v;
	return 0;
}

/* ------------------------------------------------------------------ */

static const char *const kind_names[VK_ATTACH_KIND_MAX] = {
	[VK_ATTACH_PNG] = "png",
	[VK_ATTACH_JPEG] = "jpeg",
	[VK_ATTACH_PDF] = "pdf",
	[VK_ATTACH_TXT] = "txt",
	[VK_ATTACH_EML] = "eml",
};
static const char *const kind_mimes[VK_ATTACH_KIND_MAX] = {
	[VK_ATTACH_PNG] = "image/png",
	[VK_ATTACH_JPEG] = "image/jpeg",
	[VK_ATTACH_PDF] = "application/pdf",
	[VK_ATTACH_TXT] = "text/plain; charset=utf-8",
	[VK_ATTACH_EML] = "message/rfc822",
};

const char *
vk_attach_kind_name(enum vk_attach_kind k)
{
	return (unsigned)k < VK_ATTACH_KIND_MAX ? kind_names[k] : "?";
}

const char *
vk_attach_kind_mime(enum vk_attach_kind k)
{
	return (unsigned)k < VK_ATTACH_KIND_MAX ? kind_mimes[k]
						: "application/octet-stream";
}

static bool
ext_is(const char *ext, const char *want)
{
	return strcasecmp(ext, want) == 0;
}

/* An RFC 5322 header line at the start: a field name of printable ASCII
 * without ':' followed by ':'. */
static bool
starts_with_header(const unsigned char *p, size_t len)
{
	size_t i = 0;

	while (i < len && i < 80 && p[i] > ' ' && p[i] < 0x7f && p[i] != ':')
		i++;
	return i > 0 && i < len && p[i] == ':';
}

int
vk_attach_check(const char *filename, const void *data, size_t len,
    const char *field, enum vk_attach_kind *out, struct vk_diag *d)
{
	const unsigned char *p = data;
	const char *dot, *ext;
	size_t flen;
	enum vk_attach_kind want;
	bool match;

	if (out == NULL || (data == NULL && len != 0))
		return VK_EINVAL;
	flen = filename != NULL ? strlen(filename) : 0;
	if (flen == 0 || flen > VK_INC_FILENAME_MAX ||
	    !vk_inc_text_ok(filename, flen) || strpbrk(filename, "/\\\t\r\n")) {
		vk_diag_error(d, field,
		    "the file name is empty, longer than %d bytes or holds "
		    "characters that are not allowed; rename the file",
		    VK_INC_FILENAME_MAX);
		return VK_EINVAL;
	}
	if (len == 0) {
		vk_diag_error(d, field, "%s: the file is empty", filename);
		return VK_EINVAL;
	}
	if (len > VK_INC_ATTACH_MAX) {
		vk_diag_error(d, field,
		    "%s: too large (%zu bytes); at most %u MiB per file",
		    filename, len, VK_INC_ATTACH_MAX / (1024 * 1024));
		return VK_EINVAL;
	}
	dot = strrchr(filename, '.');
	ext = dot != NULL ? dot + 1 : "";
	if (ext_is(ext, "png"))
		want = VK_ATTACH_PNG;
	else if (ext_is(ext, "jpg") || ext_is(ext, "jpeg"))
		want = VK_ATTACH_JPEG;
	else if (ext_is(ext, "pdf"))
		want = VK_ATTACH_PDF;
	else if (ext_is(ext, "txt") || ext_is(ext, "log"))
		want = VK_ATTACH_TXT;
	else if (ext_is(ext, "eml"))
		want = VK_ATTACH_EML;
	else {
		vk_diag_error(d, field,
		    "%s: this type of file is not accepted; attach PNG, JPEG, "
		    "PDF, text (.txt) or e-mail (.eml) files",
		    filename);
		return VK_EINVAL;
	}
	switch (want) {
	case VK_ATTACH_PNG:
		match = len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0;
		break;
	case VK_ATTACH_JPEG:
		match =
		    len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff;
		break;
	case VK_ATTACH_PDF:
		match = len >= 5 && memcmp(p, "%PDF-", 5) == 0;
		break;
	case VK_ATTACH_TXT:
		match = vk_inc_text_ok(data, len);
		break;
	case VK_ATTACH_EML:
	default:
		/* Mail is often 8-bit in other charsets than UTF-8: only
		 * NUL bytes and a missing header are refused. */
		match =
		    memchr(p, '\0', len) == NULL && starts_with_header(p, len);
		break;
	}
	if (!match) {
		vk_diag_error(d, field,
		    "%s: the content is not a %s file although the name says "
		    "so; attach the original file",
		    filename, kind_names[want]);
		return VK_EINVAL;
	}
	*out = want;
	return 0;
}
