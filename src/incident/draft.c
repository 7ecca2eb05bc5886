/*
 * draft.c — drafting the authorities' reports (draft.h).
 */
#include "incident/draft.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident/tz.h"
#include "util/err.h"

#define FIELDS_MAX 24

struct label {
	const char *key, *en, *sv;
};

static const struct label labels[] = {
	{ "reference", "Reference", "Referens" },
	{ "organisation", "Organisation", "Organisation" },
	{ "authority", "Recipient", "Mottagare" },
	{ "summary", "Summary", "Sammanfattning" },
	{ "category", "Category", "Kategori" },
	{ "authority_class", "Incident class (taxonomy)",
	    "Incidentklass (taxonomi)" },
	{ "aware_at", "Became aware", "Kännedom om incidenten" },
	{ "malicious_cause", "Suspected unlawful or malicious cause",
	    "Misstänkt olaglig eller avsiktligt skadlig orsak" },
	{ "cross_border", "Possible cross-border impact",
	    "Möjlig gränsöverskridande påverkan" },
	{ "description", "Description", "Beskrivning" },
	{ "severity", "Severity", "Allvarlighetsgrad" },
	{ "impact", "Impact", "Påverkan" },
	{ "iocs", "Indicators of compromise", "Indikatorer på intrång" },
	{ "root_cause", "Root cause or threat type",
	    "Grundorsak eller typ av hot" },
	{ "measures_applied", "Measures applied", "Vidtagna åtgärder" },
	{ "measures_ongoing", "Measures ongoing", "Pågående åtgärder" },
	{ "breach_nature", "Nature of the breach",
	    "Personuppgiftsincidentens art" },
	{ "subject_categories", "Categories of people concerned",
	    "Kategorier av registrerade" },
	{ "subjects_approx", "Approximate number of people",
	    "Ungefärligt antal registrerade" },
	{ "record_categories", "Categories of personal data records",
	    "Kategorier av personuppgiftsposter" },
	{ "records_approx", "Approximate number of records",
	    "Ungefärligt antal poster" },
	{ "consequences", "Likely consequences", "Sannolika konsekvenser" },
	{ "measures", "Measures taken or proposed",
	    "Vidtagna eller föreslagna åtgärder" },
	{ "contact", "Contact point", "Kontaktpunkt" },
	{ "delay_reason", "Reasons for the delay", "Skäl till förseningen" },
};

static const char *
label_of(const char *key, enum vk_lang lang)
{
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i].key, key) == 0)
			return lang == VK_LANG_SV ? labels[i].sv : labels[i].en;
	return key;
}

static const char *
stage_title(enum vk_inc_stage s, bool progress, enum vk_lang lang)
{
	bool sv = lang == VK_LANG_SV;

	switch (s) {
	case VK_STAGE_EARLY_WARNING:
		return sv ? "Tidig varning" : "Early warning";
	case VK_STAGE_NOTIFICATION:
		return sv ? "Incidentanmälan" : "Incident notification";
	case VK_STAGE_FINAL:
		if (progress)
			return sv ? "Lägesrapport" : "Progress report";
		return sv ? "Slutrapport" : "Final report";
	case VK_STAGE_GDPR:
	default:
		return sv ? "Anmälan av personuppgiftsincident"
			  : "Personal data breach notification";
	}
}

static const char *
tri_text(enum vk_tristate t, enum vk_lang lang)
{
	bool sv = lang == VK_LANG_SV;

	switch (t) {
	case VK_TRI_YES:
		return sv ? "Ja" : "Yes";
	case VK_TRI_NO:
		return sv ? "Nej" : "No";
	case VK_TRI_UNKNOWN:
	default:
		return sv ? "Inte känt ännu" : "Not known yet";
	}
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

struct builder {
	struct vk_inc_draft *dr;
	int err;
};

static void
add(struct builder *b, const char *key, const char *value, bool required)
{
	struct vk_inc_draft_field *f;

	if (b->err != 0)
		return;
	if (b->dr->n >= FIELDS_MAX) {
		b->err = VK_EINTERNAL;
		return;
	}
	f = &b->dr->v[b->dr->n];
	f->key = key;
	f->label = label_of(key, b->dr->lang);
	f->value = strdup(nz(value));
	if (f->value == NULL) {
		b->err = VK_ENOMEM;
		return;
	}
	f->required = required;
	f->missing = required && f->value[0] == '\0';
	if (f->missing)
		b->dr->missing++;
	b->dr->n++;
}

static void
add_time(struct builder *b, const char *key, int64_t t, bool required)
{
	char buf[32] = "";

	if (t != 0 && vk_tz_format_us(t, true, buf, sizeof(buf)) != 0)
		buf[0] = '\0';
	add(b, key, buf, required);
}

static void
add_count(struct builder *b, const char *key, int64_t n, bool required)
{
	char buf[32] = "";

	if (n >= 0)
		(void)snprintf(buf, sizeof(buf), "%lld", (long long)n);
	add(b, key, buf, required);
}

/* "a, b, c" of the non-empty ones into buf. */
static int
join3(char *buf, size_t n, const char *a, const char *b, const char *c)
{
	const char *parts[3] = { nz(a), nz(b), nz(c) };
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < 3; i++) {
		int w;

		if (parts[i][0] == '\0')
			continue;
		w = snprintf(
		    buf + len, n - len, "%s%s", len ? ", " : "", parts[i]);
		if (w < 0 || (size_t)w >= n - len)
			return VK_ETOOBIG;
		len += (size_t)w;
	}
	return 0;
}

static void
add_header(struct builder *b, const struct vk_inc_draft_input *in)
{
	const struct vk_inc_authority_class *ac =
	    vk_inc_category_authority(in->category);
	char cls[128] = "";

	add(b, "reference", in->reference, true);
	add(b, "organisation", in->org_name, true);
	add(b, "authority", in->authority, false);
	add(b, "summary", in->title, true);
	add(b, "category",
	    in->category == VK_CAT_UNSET ? ""
					 : vk_inc_category_name(in->category),
	    true);
	if (ac != NULL)
		(void)snprintf(
		    cls, sizeof(cls), "%s / %s", ac->rsit_class, ac->rsit_type);
	add(b, "authority_class", cls, false);
	add_time(b, "aware_at", in->aware_at, true);
}

int
vk_inc_draft_build(const struct vk_inc_draft_input *in, enum vk_inc_stage stage,
    enum vk_lang lang, struct vk_inc_draft **out)
{
	struct vk_inc_draft *dr = NULL;
	struct builder b = { 0 };
	char contact[3 * 256 + 8];
	bool late;
	int r;

	if (out == NULL)
		return VK_EINVAL;
	*out = NULL;
	if (in == NULL || (unsigned)stage >= VK_STAGE_MAX ||
	    (unsigned)lang >= VK_LANG_MAX)
		return VK_EINVAL;
	if ((dr = calloc(1, sizeof(*dr))) == NULL ||
	    (dr->v = calloc(FIELDS_MAX, sizeof(*dr->v))) == NULL ||
	    (dr->reference = strdup(nz(in->reference))) == NULL ||
	    (dr->authority = strdup(nz(in->authority))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	dr->stage = stage;
	dr->lang = lang;
	dr->title = stage_title(stage, in->still_handled, lang);
	b.dr = dr;
	add_header(&b, in);
	switch (stage) {
	case VK_STAGE_EARLY_WARNING:
		add(&b, "malicious_cause", tri_text(in->malicious, lang), true);
		add(&b, "cross_border", tri_text(in->cross_border, lang), true);
		break;
	case VK_STAGE_NOTIFICATION:
		add(&b, "description", in->description, true);
		add(&b, "severity",
		    in->severity == VK_SEV_UNSET
			? ""
			: vk_inc_severity_name(in->severity),
		    true);
		add(&b, "impact", in->impact, true);
		add(&b, "iocs", in->iocs, true);
		add(&b, "malicious_cause", tri_text(in->malicious, lang), true);
		add(&b, "cross_border", tri_text(in->cross_border, lang), true);
		break;
	case VK_STAGE_FINAL:
		add(&b, "description", in->description, true);
		add(&b, "severity",
		    in->severity == VK_SEV_UNSET
			? ""
			: vk_inc_severity_name(in->severity),
		    true);
		add(&b, "impact", in->impact, true);
		add(&b, "root_cause", in->root_cause, true);
		add(&b, "measures_applied", in->measures_applied, true);
		add(&b, "measures_ongoing", in->measures_ongoing,
		    in->still_handled);
		add(&b, "cross_border", tri_text(in->cross_border, lang), true);
		break;
	case VK_STAGE_GDPR:
	default:
		add(&b, "breach_nature", in->breach_nature, true);
		add(&b, "subject_categories", in->subject_categories, true);
		add_count(&b, "subjects_approx", in->subjects_approx, true);
		add(&b, "record_categories", in->record_categories, true);
		add_count(&b, "records_approx", in->records_approx, true);
		add(&b, "consequences", in->consequences, true);
		add(&b, "measures", in->measures_applied, true);
		if ((r = join3(contact, sizeof(contact), in->contact_name,
			 in->contact_email, in->contact_phone)) != 0)
			goto out;
		add(&b, "contact", contact, true);
		late = in->aware_at != 0 &&
		    in->now > in->aware_at + 72LL * 3600 * 1000000;
		add(&b, "delay_reason", in->delay_reason, late);
		break;
	}
	if ((r = b.err) != 0)
		goto out;
	*out = dr;
	dr = NULL;
out:
	vk_inc_draft_free(dr);
	return r;
}

void
vk_inc_draft_free(struct vk_inc_draft *dr)
{
	if (dr == NULL)
		return;
	for (size_t i = 0; i < dr->n; i++)
		free(dr->v[i].value);
	free(dr->v);
	free(dr->reference);
	free(dr->authority);
	free(dr);
}

int
vk_inc_draft_text(const struct vk_inc_draft *dr, struct vk_buf *b)
{
	const char *missing_word;
	int r;

	if (dr == NULL || b == NULL)
		return VK_EINVAL;
	missing_word = dr->lang == VK_LANG_SV ? "[SAKNAS – fyll i]"
					      : "[MISSING – fill in]";
	if ((r = vk_buf_appendf(b, "%s\n", dr->title)) != 0)
		return r;
	for (size_t i = 0; i < dr->n; i++) {
		const struct vk_inc_draft_field *f = &dr->v[i];
		const char *v = f->value;

		if (!f->required && v[0] == '\0')
			continue;
		if ((r = vk_buf_appendf(b, "\n%s:", f->label)) != 0)
			return r;
		if (f->missing) {
			r = vk_buf_appendf(b, " %s\n", missing_word);
		} else if (strchr(v, '\n') == NULL) {
			r = vk_buf_appendf(b, " %s\n", v);
		} else {
			/* Multi-line values indented so that the labels
			 * stand out when pasted into a plain text field. */
			if ((r = vk_buf_appends(b, "\n  ")) != 0)
				return r;
			for (const char *p = v; *p != '\0' && r == 0; p++) {
				if (*p == '\r')
					continue;
				r = *p == '\n' ? vk_buf_appends(b, "\n  ")
					       : vk_buf_appendc(b, *p);
			}
			if (r == 0)
				r = vk_buf_appendc(b, '\n');
		}
		if (r != 0)
			return r;
	}
	return 0;
}

int
vk_inc_draft_json(const struct vk_inc_draft *dr, char **out)
{
	json_t *o = NULL, *fields, *values, *f;
	int r = VK_ENOMEM;

	if (dr == NULL || out == NULL)
		return VK_EINVAL;
	*out = NULL;
	o = json_object();
	fields = json_array();
	values = json_object();
	if (o == NULL || fields == NULL || values == NULL) {
		json_decref(fields);
		json_decref(values);
		goto out;
	}
	if (json_object_set_new(o, "fields", fields) != 0 ||
	    json_object_set_new(o, "values", values) != 0)
		goto out;
	if (json_object_set_new(
		o, "stage", json_string(vk_inc_stage_name(dr->stage))) != 0 ||
	    json_object_set_new(o, "title", json_string(dr->title)) != 0 ||
	    json_object_set_new(o, "reference", json_string(dr->reference)) !=
		0 ||
	    json_object_set_new(o, "authority", json_string(dr->authority)) !=
		0 ||
	    json_object_set_new(
		o, "language", json_string(vk_lang_name(dr->lang))) != 0 ||
	    json_object_set_new(
		o, "missing", json_integer((json_int_t)dr->missing)) != 0)
		goto out;
	for (size_t i = 0; i < dr->n; i++) {
		const struct vk_inc_draft_field *df = &dr->v[i];

		f = json_pack("{s:s, s:s, s:s, s:b, s:b}", "key", df->key,
		    "label", df->label, "value", df->value, "required",
		    df->required, "missing", df->missing);
		if (f == NULL || json_array_append_new(fields, f) != 0)
			goto out;
		if (json_object_set_new(
			values, df->key, json_string(df->value)) != 0)
			goto out;
	}
	if ((*out = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) ==
	    NULL)
		goto out;
	r = 0;
out:
	json_decref(o);
	return r;
}
