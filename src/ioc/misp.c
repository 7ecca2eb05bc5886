/*
 * misp.c — MISP events: {"Event": …}, a bare event, a list of events,
 * {"response": [...]} (the MISP REST API) and the event files of a feed.
 * Attributes and object attributes are mapped to indicator types
 * (composites such as domain|ip and filename|sha256 give one indicator per
 * part); types vaksam does not use are counted and summarised once per
 * type; tags give TLP and campaigns (galaxies of threat actors and
 * intrusion sets).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ioc/import_int.h"
#include "util/buf.h"
#include "util/err.h"

#define NAMES_MAX 4096
/* Distinct unused attribute types listed in the summary. */
#define UNUSED_TYPES_MAX 64
#define TYPE_NAME_MAX 48

/* Attribute types beyond enum vk_ioc_type: an address of either family,
 * and a part that is dropped (the port of ip-dst|port). */
#define T_IP (VK_IOC_TYPE_MAX + 1)
#define T_DROP (VK_IOC_TYPE_MAX + 2)
#define T_NONE (-1)

static const struct {
	const char *misp;
	int t1, t2; /* t2 != T_NONE: a composite "a|b" */
} type_map[] = {
	{ "domain", VK_IOC_DOMAIN, T_NONE },
	{ "hostname", VK_IOC_DOMAIN, T_NONE },
	{ "ip-src", T_IP, T_NONE },
	{ "ip-dst", T_IP, T_NONE },
	{ "url", VK_IOC_URL, T_NONE },
	{ "email", VK_IOC_EMAIL, T_NONE },
	{ "email-src", VK_IOC_EMAIL, T_NONE },
	{ "email-dst", VK_IOC_EMAIL, T_NONE },
	{ "email-reply-to", VK_IOC_EMAIL, T_NONE },
	{ "md5", VK_IOC_MD5, T_NONE },
	{ "sha1", VK_IOC_SHA1, T_NONE },
	{ "sha256", VK_IOC_SHA256, T_NONE },
	{ "sha512", VK_IOC_SHA512, T_NONE },
	{ "filename", VK_IOC_FILENAME, T_NONE },
	{ "domain|ip", VK_IOC_DOMAIN, T_IP },
	{ "ip-src|port", T_IP, T_DROP },
	{ "ip-dst|port", T_IP, T_DROP },
	{ "hostname|port", VK_IOC_DOMAIN, T_DROP },
	{ "filename|md5", VK_IOC_FILENAME, VK_IOC_MD5 },
	{ "filename|sha1", VK_IOC_FILENAME, VK_IOC_SHA1 },
	{ "filename|sha256", VK_IOC_FILENAME, VK_IOC_SHA256 },
	{ "filename|sha512", VK_IOC_FILENAME, VK_IOC_SHA512 },
	{ "malware-sample", VK_IOC_FILENAME, VK_IOC_MD5 },
};

/* Galaxies whose clusters name who is behind an event. */
static const char *const actor_galaxies[] = {
	"threat-actor",
	"intrusion-set",
	"mitre-intrusion-set",
	"mitre-enterprise-attack-intrusion-set",
	"mitre-mobile-attack-intrusion-set",
	"mitre-pre-attack-intrusion-set",
	"microsoft-activity-group",
	"campaign",
	"campaigns",
};

struct unused {
	char type[TYPE_NAME_MAX];
	size_t n;
};

struct misp {
	struct vk_import *im;
	struct unused unused[UNUSED_TYPES_MAX];
	size_t nunused, unused_other;
	size_t deleted;
};

/* What an event (or an attribute with its own tags) contributes. */
struct ctx {
	const char *report;
	const char *tlp;
	const char *date;
	struct vk_buf campaign;
};

static const char *
str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* MISP writes booleans as true/false, "1"/"0" or 1/0. */
static int
boolish(json_t *v)
{
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_string(v))
		return strcmp(json_string_value(v), "1") == 0 ||
		    strcasecmp(json_string_value(v), "true") == 0;
	return -1;
}

const char *
vk_misp_tlp_tag(const char *tag)
{
	if (strncasecmp(tag, "tlp:", 4) != 0)
		return NULL;
	return vk_import_tlp_word(tag, strlen(tag));
}

static bool
actor_galaxy(const char *g, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(actor_galaxies) / sizeof(actor_galaxies[0]); i++)
		if (strlen(actor_galaxies[i]) == n &&
		    strncmp(g, actor_galaxies[i], n) == 0)
			return true;
	return false;
}

static int
add_name(struct vk_buf *names, const char *name, size_t n)
{
	return vk_import_add_name(names, name, n);
}

/* Tags: "tlp:amber" and misp-galaxy:threat-actor="Sofacy". */
static int
tags(json_t *list, struct ctx *c)
{
	json_t *t;
	size_t i;
	int rc;

	json_array_foreach(list, i, t)
	{
		const char *name = str(t, "name"), *w, *eq;

		if (name == NULL)
			continue;
		if ((w = vk_misp_tlp_tag(name)) != NULL) {
			if (vk_import_tlp_rank(w) > vk_import_tlp_rank(c->tlp))
				c->tlp = w;
			continue;
		}
		if (strncmp(name, "misp-galaxy:", 12) != 0)
			continue;
		name += 12;
		if ((eq = strchr(name, '=')) == NULL ||
		    !actor_galaxy(name, (size_t)(eq - name)))
			continue;
		eq++;
		if (*eq == '"') {
			size_t n = strlen(eq + 1);

			if (n > 0 && eq[n] == '"')
				n--;
			if ((rc = add_name(&c->campaign, eq + 1, n)) != 0)
				return rc;
		} else if ((rc = add_name(&c->campaign, eq, strlen(eq))) != 0) {
			return rc;
		}
	}
	return 0;
}

static int
galaxies(json_t *list, struct ctx *c)
{
	json_t *g, *cl;
	size_t i, j;
	int rc;

	json_array_foreach(list, i, g)
	{
		const char *type = str(g, "type");

		if (type == NULL || !actor_galaxy(type, strlen(type)))
			continue;
		json_array_foreach(json_object_get(g, "GalaxyCluster"), j, cl)
		{
			const char *v = str(cl, "value");

			if (v &&
			    (rc = add_name(&c->campaign, v, strlen(v))) != 0)
				return rc;
		}
	}
	return 0;
}

static void
count_unused(struct misp *m, const char *type)
{
	size_t i;

	for (i = 0; i < m->nunused; i++)
		if (strcmp(m->unused[i].type, type) == 0) {
			m->unused[i].n++;
			return;
		}
	if (m->nunused < UNUSED_TYPES_MAX && strlen(type) < TYPE_NAME_MAX) {
		memcpy(m->unused[m->nunused].type, type, strlen(type) + 1);
		m->unused[m->nunused++].n = 1;
	} else {
		m->unused_other++;
	}
}

static int
add_part(struct vk_import *im, int t, const char *v, size_t n, uint32_t pid,
    const struct vk_ioc_extra *ex)
{
	enum vk_ioc_type type;

	if (t == T_DROP)
		return 0;
	if (t == T_IP)
		type = memchr(v, ':', n) ? VK_IOC_IPV6 : VK_IOC_IPV4;
	else
		type = (enum vk_ioc_type)t;
	return vk_import_add(im, type, v, n, pid, ex);
}

static int
attribute(struct misp *m, const struct ctx *ev, json_t *a, const char *path)
{
	struct vk_import *im = m->im;
	char where[VK_WHERE_MAX];
	struct ctx c = { 0 };
	struct vk_ioc_prov prov = { 0 };
	struct vk_ioc_extra ex = { 0 };
	const char *type, *value, *bar;
	uint32_t pid;
	size_t k, vlen;
	int rc = 0;

	vk_buf_init(&c.campaign, NAMES_MAX);
	vk_import_where(where, sizeof(where), "%s:%s", im->name, path);
	if (!json_is_object(a)) {
		rc = vk_import_bad(
		    im, VK_EPARSE, where, "an attribute must be an object");
		goto out;
	}
	if (boolish(json_object_get(a, "deleted")) == 1) {
		m->deleted++;
		goto out;
	}
	if ((type = str(a, "type")) == NULL) {
		vk_import_where(
		    where, sizeof(where), "%s:%s.type", im->name, path);
		rc = vk_import_bad(im, VK_EPARSE, where,
		    "an attribute needs a \"type\" string");
		goto out;
	}
	vk_import_where(where, sizeof(where), "%s:%s.value", im->name, path);
	if ((value = str(a, "value")) == NULL) {
		rc = vk_import_bad(im, VK_EPARSE, where,
		    "an attribute needs a \"value\" string");
		goto out;
	}
	vlen = json_string_length(json_object_get(a, "value"));
	for (k = 0; k < sizeof(type_map) / sizeof(type_map[0]); k++)
		if (strcmp(type, type_map[k].misp) == 0)
			break;
	if (k == sizeof(type_map) / sizeof(type_map[0])) {
		count_unused(m, type);
		goto out;
	}
	c.report = ev->report;
	c.tlp = ev->tlp;
	if ((rc = vk_buf_append(&c.campaign, vk_buf_str(&ev->campaign),
		 ev->campaign.len)) != 0 ||
	    (rc = tags(json_object_get(a, "Tag"), &c)) != 0)
		goto out;
	prov.source = im->source;
	prov.report = c.report;
	prov.campaign = c.campaign.len ? vk_buf_str(&c.campaign) : NULL;
	prov.tlp = c.tlp;
	prov.first_seen = ev->date;
	if ((rc = vk_import_prov(im, &prov, &pid)) != 0)
		goto out;
	ex.comment = str(a, "comment");
	if (ex.comment && ex.comment[0] == '\0')
		ex.comment = NULL;
	ex.first_seen = str(a, "first_seen");
	ex.last_seen = str(a, "last_seen");
	ex.where = where;
	ex.to_ids = boolish(json_object_get(a, "to_ids"));
	if (type_map[k].t2 == T_NONE) {
		rc = add_part(im, type_map[k].t1, value, vlen, pid, &ex);
		goto out;
	}
	if ((bar = memchr(value, '|', vlen)) == NULL) {
		rc = vk_import_bad(im, VK_EPARSE, where,
		    "a '%s' value must have two parts joined by '|'", type);
		goto out;
	}
	if ((rc = add_part(im, type_map[k].t1, value, (size_t)(bar - value),
		 pid, &ex)) != 0)
		goto out;
	rc = add_part(im, type_map[k].t2, bar + 1,
	    vlen - (size_t)(bar - value) - 1, pid, &ex);
out:
	vk_buf_release(&c.campaign);
	return rc;
}

static int
attributes(struct misp *m, const struct ctx *c, json_t *list, const char *path)
{
	char p[VK_WHERE_MAX], where[VK_WHERE_MAX];
	json_t *a;
	size_t i;
	int rc;

	if (list == NULL)
		return 0;
	if (!json_is_array(list)) {
		vk_import_where(
		    where, sizeof(where), "%s:%s", m->im->name, path);
		return vk_import_bad(
		    m->im, VK_EPARSE, where, "\"Attribute\" must be an array");
	}
	json_array_foreach(list, i, a)
	{
		vk_import_where(p, sizeof(p), "%s[%zu]", path, i);
		if ((rc = attribute(m, c, a, p)) != 0)
			return rc;
	}
	return 0;
}

static int
event(struct misp *m, json_t *ev, const char *path)
{
	struct vk_import *im = m->im;
	char where[VK_WHERE_MAX], p[VK_WHERE_MAX];
	struct ctx c = { 0 };
	json_t *objs, *o;
	size_t i;
	int rc;

	vk_buf_init(&c.campaign, NAMES_MAX);
	if (!json_is_object(ev)) {
		vk_import_where(where, sizeof(where), "%s:%s", im->name, path);
		rc = vk_import_bad(
		    im, VK_EPARSE, where, "a MISP event must be an object");
		goto out;
	}
	c.report = str(ev, "info");
	c.date = str(ev, "date");
	if ((rc = tags(json_object_get(ev, "Tag"), &c)) != 0 ||
	    (rc = galaxies(json_object_get(ev, "Galaxy"), &c)) != 0)
		goto out;
	vk_import_where(p, sizeof(p), "%s.Attribute", path);
	if ((rc = attributes(m, &c, json_object_get(ev, "Attribute"), p)) != 0)
		goto out;
	objs = json_object_get(ev, "Object");
	if (objs != NULL && !json_is_array(objs)) {
		vk_import_where(
		    where, sizeof(where), "%s:%s.Object", im->name, path);
		rc = vk_import_bad(
		    im, VK_EPARSE, where, "\"Object\" must be an array");
		goto out;
	}
	json_array_foreach(objs, i, o)
	{
		if (boolish(json_object_get(o, "deleted")) == 1) {
			m->deleted++;
			continue;
		}
		vk_import_where(
		    p, sizeof(p), "%s.Object[%zu].Attribute", path, i);
		if ((rc = attributes(
			 m, &c, json_object_get(o, "Attribute"), p)) != 0)
			goto out;
	}
out:
	vk_buf_release(&c.campaign);
	return rc;
}

/* An element of a list or response: {"Event": …} or a bare event. */
static int
wrapped(struct misp *m, json_t *e, const char *path)
{
	char p[VK_WHERE_MAX];

	if (json_is_object(e) && json_object_get(e, "Event")) {
		vk_import_where(p, sizeof(p), "%s.Event", path);
		return event(m, json_object_get(e, "Event"), p);
	}
	return event(m, e, path);
}

static int
list(struct misp *m, json_t *a, const char *path)
{
	char p[VK_WHERE_MAX];
	json_t *e;
	size_t i;
	int rc;

	json_array_foreach(a, i, e)
	{
		vk_import_where(p, sizeof(p), "%s[%zu]", path, i);
		if ((rc = wrapped(m, e, p)) != 0)
			return rc;
	}
	return 0;
}

static void
summary(struct misp *m)
{
	size_t i;

	for (i = 0; i < m->nunused; i++) {
		m->im->st->ignored += m->unused[i].n;
		vk_diag_warn(m->im->d, m->im->name,
		    "%zu attribute%s of type '%s' not used%s", m->unused[i].n,
		    m->unused[i].n == 1 ? "" : "s", m->unused[i].type,
		    strcmp(m->unused[i].type, "link") == 0
			? " (links to reports, not indicators)"
			: strcmp(m->unused[i].type, "target-email") == 0
			? " (the victim's address, not the attacker's)"
			: "");
	}
	if (m->unused_other > 0) {
		m->im->st->ignored += m->unused_other;
		vk_diag_warn(m->im->d, m->im->name,
		    "%zu attributes of other types not used", m->unused_other);
	}
	m->im->st->ignored += m->deleted;
}

int
vk_misp_load(struct vk_import *im, json_t *root)
{
	struct misp m;
	int rc;

	memset(&m, 0, sizeof(m));
	m.im = im;
	if (json_is_array(root))
		rc = list(&m, root, "$");
	else if (json_is_object(root) && json_object_get(root, "response")) {
		json_t *r = json_object_get(root, "response");

		if (json_is_array(r)) {
			rc = list(&m, r, "$.response");
		} else {
			char where[VK_WHERE_MAX];

			vk_import_where(
			    where, sizeof(where), "%s:$.response", im->name);
			vk_diag_error(im->d, where,
			    "\"response\" must be an array of events");
			rc = VK_EPARSE;
		}
	} else
		rc = wrapped(&m, root, "$");
	if (rc == 0)
		summary(&m);
	return rc;
}

int
vk_misp_load_event_file(struct vk_import *im, const char *name, json_t *root)
{
	const char *saved = im->name;
	int rc;

	im->name = name;
	rc = vk_misp_load(im, root);
	im->name = saved;
	return rc;
}
