/*
 * stix.c — STIX 2.1 bundles: indicator objects, their patterns (through
 * ioc/stix_pattern.c) and their provenance: report names, campaigns /
 * intrusion sets / threat actors reached through relationships or reports,
 * valid_from / valid_until, and TLP from object markings.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ioc/import_int.h"
#include "ioc/stix_pattern.h"
#include "util/buf.h"
#include "util/err.h"

/* Relationship hops followed from an indicator, and nodes visited. */
#define CAMPAIGN_DEPTH 3
#define CAMPAIGN_VISIT_MAX 256
#define CAMPAIGN_STEPS_MAX 4096
/* Longest joined list of names kept in a provenance record. */
#define NAMES_MAX 4096

struct bundle {
	json_t *objects; /* array (borrowed, or owned when lone) */
	json_t *byid; /* id → object */
	/* id → ids one hop towards who is behind it: targets of its
	 * "indicates" / "attributed-to", sources of "uses" pointing at it */
	json_t *next;
	json_t *attr_rev; /* id → sources of "attributed-to" pointing at it */
	json_t *reports_of; /* indicator id → array of report objects */
	json_t *tlp; /* marking-definition id → "green", … */
	json_t *reports; /* every report object */
	json_t *report_camps; /* report id → its actors' names (cache) */
	char *all_reports; /* names of all reports (cache), or NULL */
	bool all_reports_done;
	bool lone; /* a single object, not a bundle */
	bool owned; /* objects was made here */
};

static const struct {
	const char *id;
	const char *tlp;
} tlp_ids[] = {
	/* TLP 1.0, STIX 2.1 part 7.2.1.4 */
	{ "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "clear" },
	{ "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "green" },
	{ "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "amber" },
	{ "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "red" },
	/* TLP 2.0, the OASIS TLP 2.0 marking definitions */
	{ "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear" },
	{ "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green" },
	{ "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber" },
	{ "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	    "amber+strict" },
	{ "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red" },
};

static const char *
str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *
tlp_word(const char *s)
{
	return vk_import_tlp_word(s, strlen(s));
}

static int
append_to(json_t *map, const char *key, json_t *v)
{
	json_t *a = json_object_get(map, key);

	if (a == NULL) {
		if ((a = json_array()) == NULL ||
		    json_object_set_new(map, key, a) != 0)
			return VK_ENOMEM;
	}
	return json_array_append(a, v) == 0 ? 0 : VK_ENOMEM;
}

static void
bundle_release(struct bundle *b)
{
	if (b->owned)
		json_decref(b->objects);
	json_decref(b->report_camps);
	free(b->all_reports);
	json_decref(b->byid);
	json_decref(b->next);
	json_decref(b->attr_rev);
	json_decref(b->reports_of);
	json_decref(b->tlp);
	json_decref(b->reports);
}

static int
bundle_index(struct vk_import *im, json_t *root, struct bundle *b)
{
	char where[VK_WHERE_MAX];
	json_t *o;
	size_t i;

	memset(b, 0, sizeof(*b));
	if (strcmp(str(root, "type") ? str(root, "type") : "", "bundle") != 0) {
		b->lone = true;
		b->owned = true;
		if ((b->objects = json_array()) == NULL ||
		    json_array_append(b->objects, root) != 0)
			return VK_ENOMEM;
	} else {
		b->objects = json_object_get(root, "objects");
		if (b->objects == NULL) {
			b->objects = json_array();
			b->owned = true;
		} else if (!json_is_array(b->objects)) {
			vk_import_where(
			    where, sizeof(where), "%s:$.objects", im->name);
			vk_diag_error(im->d, where,
			    "\"objects\" must be an array of STIX objects");
			return VK_EPARSE;
		}
	}
	if ((b->byid = json_object()) == NULL ||
	    (b->next = json_object()) == NULL ||
	    (b->attr_rev = json_object()) == NULL ||
	    (b->reports_of = json_object()) == NULL ||
	    (b->tlp = json_object()) == NULL ||
	    (b->reports = json_array()) == NULL ||
	    (b->report_camps = json_object()) == NULL || b->objects == NULL)
		return VK_ENOMEM;
	json_array_foreach(b->objects, i, o)
	{
		const char *type = str(o, "type"), *id = str(o, "id");

		if (type == NULL || id == NULL)
			continue;
		if (json_object_set(b->byid, id, o) != 0)
			return VK_ENOMEM;
		if (strcmp(type, "relationship") == 0) {
			const char *s = str(o, "source_ref");
			const char *t = str(o, "target_ref");
			const char *rt = str(o, "relationship_type");
			json_t *sv = json_object_get(o, "source_ref");
			json_t *tv = json_object_get(o, "target_ref");

			if (s == NULL || t == NULL || rt == NULL)
				continue;
			/* Only the edges the campaign search follows are
			 * kept, so a malware object indicated by thousands
			 * of indicators costs nothing per indicator. */
			if (strcmp(rt, "indicates") == 0 ||
			    strcmp(rt, "attributed-to") == 0) {
				if (append_to(b->next, s, tv) != 0)
					return VK_ENOMEM;
			} else if (strcmp(rt, "uses") == 0) {
				if (append_to(b->next, t, sv) != 0)
					return VK_ENOMEM;
			}
			if (strcmp(rt, "attributed-to") == 0 &&
			    append_to(b->attr_rev, t, sv) != 0)
				return VK_ENOMEM;
		} else if (strcmp(type, "report") == 0) {
			json_t *refs = json_object_get(o, "object_refs"), *r;
			size_t j;

			if (json_array_append(b->reports, o) != 0)
				return VK_ENOMEM;
			json_array_foreach(refs, j, r) if (json_is_string(r) &&
			    append_to(b->reports_of, json_string_value(r), o) !=
				0) return VK_ENOMEM;
		} else if (strcmp(type, "marking-definition") == 0) {
			const char *w = NULL, *dt = str(o, "definition_type");
			json_t *def = json_object_get(o, "definition");

			if (dt && strcmp(dt, "tlp") == 0 && str(def, "tlp"))
				w = tlp_word(str(def, "tlp"));
			if (w == NULL && str(o, "name") &&
			    strncasecmp(str(o, "name"), "tlp:", 4) == 0)
				w = tlp_word(str(o, "name"));
			if (w &&
			    json_object_set_new(b->tlp, id, json_string(w)) !=
				0)
				return VK_ENOMEM;
		}
	}
	return 0;
}

static bool
is_actor(const char *type)
{
	return type &&
	    (strcmp(type, "campaign") == 0 ||
		strcmp(type, "intrusion-set") == 0 ||
		strcmp(type, "threat-actor") == 0);
}

static int
add_name(struct vk_buf *names, const char *name)
{
	return vk_import_add_name(names, name, strlen(name));
}

/*
 * Campaigns, intrusion sets and threat actors behind an indicator: follow
 * "indicates" and "attributed-to" forwards and "uses" backwards (the actor
 * that uses the malware the indicator indicates) up to CAMPAIGN_DEPTH hops;
 * then add the intrusion sets / campaigns attributed to an actor found
 * (one hop back, not onward to that set's other actors).
 */
static int
campaigns(struct bundle *b, const char *ind, struct vk_buf *names)
{
	const char *queue[CAMPAIGN_VISIT_MAX];
	int depth[CAMPAIGN_VISIT_MAX];
	size_t head = 0, tail = 0, i, steps = 0;
	json_t *seen = json_object();
	int rc = 0;

	if (seen == NULL)
		return VK_ENOMEM;
	queue[tail] = ind;
	depth[tail++] = 0;
	json_object_set_new(seen, ind, json_true());
	while (head < tail) {
		const char *node = queue[head];
		const char *name = str(json_object_get(b->byid, node), "name");
		int d = depth[head++];
		json_t *r;
		size_t j;

		if (is_actor(str(json_object_get(b->byid, node), "type")) &&
		    name && (rc = add_name(names, name)) != 0)
			goto out;
		if (d >= CAMPAIGN_DEPTH)
			continue;
		json_array_foreach(json_object_get(b->next, node), j, r)
		{
			const char *nx = json_string_value(r);

			/* A bound on the work per indicator, for hostile
			 * graphs with huge fan-out. */
			if (++steps > CAMPAIGN_STEPS_MAX)
				break;
			if (json_object_get(seen, nx) ||
			    tail == CAMPAIGN_VISIT_MAX)
				continue;
			json_object_set_new(seen, nx, json_true());
			queue[tail] = nx;
			depth[tail++] = d + 1;
		}
	}
	for (i = 0; i < tail; i++) {
		json_t *r;
		size_t j;

		if (!is_actor(str(json_object_get(b->byid, queue[i]), "type")))
			continue;
		json_array_foreach(json_object_get(b->attr_rev, queue[i]), j, r)
		{
			json_t *src =
			    json_object_get(b->byid, json_string_value(r));

			if (++steps > CAMPAIGN_STEPS_MAX)
				break;
			if (is_actor(str(src, "type")) && str(src, "name") &&
			    (rc = add_name(names, str(src, "name"))) != 0)
				goto out;
		}
	}
out:
	json_decref(seen);
	return rc;
}

/* The actors a report lists: campaigns and intrusion sets, else threat
 * actors.  Cached per report, as a big report lists every indicator. */
static int
report_actors(struct bundle *b, json_t *rep, const char **out)
{
	const char *id = str(rep, "id");
	json_t *refs = json_object_get(rep, "object_refs"), *r, *c;
	struct vk_buf names;
	size_t j, pass;
	int rc = 0;

	if (id && (c = json_object_get(b->report_camps, id)) != NULL) {
		*out = json_string_value(c);
		return 0;
	}
	vk_buf_init(&names, NAMES_MAX);
	for (pass = 0; pass < 2 && names.len == 0; pass++)
		json_array_foreach(refs, j, r)
		{
			json_t *o =
			    json_object_get(b->byid, json_string_value(r));
			const char *t = str(o, "type");

			if (!is_actor(t) || str(o, "name") == NULL)
				continue;
			if ((pass == 0) == (strcmp(t, "threat-actor") == 0))
				continue;
			if ((rc = add_name(&names, str(o, "name"))) != 0)
				goto out;
		}
	if (id == NULL ||
	    json_object_set_new(
		b->report_camps, id, json_string(vk_buf_str(&names))) != 0) {
		rc = VK_ENOMEM;
		goto out;
	}
	*out = json_string_value(json_object_get(b->report_camps, id));
out:
	vk_buf_release(&names);
	return rc;
}

/* When no relationship names an actor: those of the reports that list
 * the indicator. */
static int
report_campaigns(struct bundle *b, const char *ind, struct vk_buf *names)
{
	json_t *reps = json_object_get(b->reports_of, ind), *rep;
	const char *a;
	size_t i;
	int rc;

	json_array_foreach(reps, i, rep)
	{
		if (str(rep, "id") == NULL)
			continue;
		if ((rc = report_actors(b, rep, &a)) != 0)
			return rc;
		while (*a) {
			const char *sep = strstr(a, ", ");
			size_t n = sep ? (size_t)(sep - a) : strlen(a);

			if ((rc = vk_import_add_name(names, a, n)) != 0)
				return rc;
			a += n + (sep ? 2 : 0);
		}
	}
	return 0;
}

static int
report_names(struct bundle *b, json_t *ind, struct vk_buf *names)
{
	const char *id = str(ind, "id");
	json_t *reps = id ? json_object_get(b->reports_of, id) : NULL, *rep;
	size_t i;
	int rc;

	json_array_foreach(reps, i, rep) if (str(rep, "name") &&
	    (rc = add_name(names, str(rep, "name"))) != 0) return rc;
	if (names->len == 0 && json_array_size(b->reports) > 0) {
		/* Not listed by any report: the bundle's reports, joined
		 * once. */
		if (!b->all_reports_done) {
			struct vk_buf all;

			vk_buf_init(&all, NAMES_MAX);
			json_array_foreach(
			    b->reports, i, rep) if (str(rep, "name") &&
			    (rc = add_name(&all, str(rep, "name"))) != 0)
			{
				vk_buf_release(&all);
				return rc;
			}
			b->all_reports =
			    all.len ? vk_buf_detach(&all, NULL) : NULL;
			vk_buf_release(&all);
			b->all_reports_done = true;
		}
		if (b->all_reports)
			return vk_buf_appends(names, b->all_reports) ==
				VK_ENOMEM
			    ? VK_ENOMEM
			    : 0;
	}
	if (names->len == 0 && str(ind, "name"))
		return add_name(names, str(ind, "name"));
	return 0;
}

static const char *
indicator_tlp(struct bundle *b, json_t *ind)
{
	json_t *refs = json_object_get(ind, "object_marking_refs"), *r;
	const char *best = NULL;
	size_t i, k;

	json_array_foreach(refs, i, r)
	{
		const char *id = json_string_value(r), *t = NULL;

		if (id == NULL)
			continue;
		for (k = 0; k < sizeof(tlp_ids) / sizeof(tlp_ids[0]); k++)
			if (strcmp(id, tlp_ids[k].id) == 0)
				t = tlp_ids[k].tlp;
		if (t == NULL)
			t = json_string_value(json_object_get(b->tlp, id));
		/* Several markings: the most restrictive one holds. */
		if (t &&
		    (best == NULL ||
			vk_import_tlp_rank(t) > vk_import_tlp_rank(best)))
			best = t;
	}
	return best;
}

static int
indicator(struct vk_import *im, struct bundle *b, json_t *o, const char *path,
    struct vk_stix_result *res)
{
	char where[VK_WHERE_MAX];
	struct vk_buf camp, rep;
	struct vk_ioc_prov prov = { 0 };
	struct vk_ioc_extra ex = { 0 };
	const char *ptype = str(o, "pattern_type"), *id = str(o, "id");
	json_t *pat = json_object_get(o, "pattern");
	uint32_t pid;
	size_t i;
	int rc = 0;

	vk_buf_init(&camp, NAMES_MAX);
	vk_buf_init(&rep, NAMES_MAX);
	vk_import_where(where, sizeof(where), "%s:%s.pattern", im->name, path);
	if (json_object_get(o, "pattern_type") && ptype == NULL) {
		vk_import_where(
		    where, sizeof(where), "%s:%s.pattern_type", im->name, path);
		rc = vk_import_bad(
		    im, VK_EPARSE, where, "\"pattern_type\" must be a string");
		goto out;
	}
	if (ptype && strcmp(ptype, "stix") != 0) {
		im->st->unsupported++;
		vk_diag_warn(im->d, where,
		    "a %s pattern, not a STIX pattern: vaksam cannot use it "
		    "(not loaded)",
		    ptype);
		goto out;
	}
	if (!json_is_string(pat)) {
		rc = vk_import_bad(im, VK_EPARSE, where,
		    pat ? "\"pattern\" must be a string"
			: "an indicator without a \"pattern\"");
		goto out;
	}
	rc = vk_stix_pattern_eval(
	    json_string_value(pat), json_string_length(pat), res);
	if (rc == VK_EPARSE || rc == VK_ETOOBIG) {
		if (rc == VK_ETOOBIG)
			rc = vk_import_bad(im, rc, where,
			    "pattern longer than %d bytes",
			    VK_STIX_PATTERN_MAX);
		else
			rc = vk_import_bad(im, rc, where,
			    "pattern syntax error at column %zu: %s",
			    res->errpos + 1, res->err);
		goto out;
	}
	if (rc != 0)
		goto out;
	if (res->why[0] != '\0') {
		im->st->unsupported++;
		if (res->n == 0)
			vk_diag_warn(im->d, where,
			    "pattern not supported: %s (not loaded)", res->why);
		else
			vk_diag_warn(im->d, where,
			    "pattern only partly supported: %s; loaded the "
			    "%zu value(s) of the parts joined by OR that can "
			    "be evaluated",
			    res->why, res->n);
		if (res->n == 0)
			goto out;
	}
	if (id && (rc = campaigns(b, id, &camp)) != 0)
		goto out;
	if (id && camp.len == 0 && (rc = report_campaigns(b, id, &camp)) != 0)
		goto out;
	if ((rc = report_names(b, o, &rep)) != 0)
		goto out;
	prov.source = im->source;
	prov.report = rep.len ? vk_buf_str(&rep) : NULL;
	prov.campaign = camp.len ? vk_buf_str(&camp) : NULL;
	prov.tlp = indicator_tlp(b, o);
	if ((rc = vk_import_prov(im, &prov, &pid)) != 0)
		goto out;
	ex.comment = str(o, "description");
	if (ex.comment == NULL || ex.comment[0] == '\0')
		ex.comment = str(o, "name");
	ex.first_seen = str(o, "valid_from");
	ex.last_seen = str(o, "valid_until");
	ex.where = where;
	ex.to_ids = -1;
	for (i = 0; i < res->n; i++) {
		rc = vk_import_add(im, res->v[i].type,
		    vk_stix_value_str(res, i), res->v[i].len, pid, &ex);
		if (rc != 0)
			goto out;
	}
out:
	vk_buf_release(&camp);
	vk_buf_release(&rep);
	return rc;
}

int
vk_stix_load(struct vk_import *im, json_t *root)
{
	struct vk_stix_result res;
	struct bundle b;
	char path[64];
	json_t *o;
	size_t i, nind = 0;
	int rc;

	vk_stix_result_init(&res);
	if ((rc = bundle_index(im, root, &b)) != 0)
		goto out;
	json_array_foreach(b.objects, i, o)
	{
		const char *type = str(o, "type");

		if (type == NULL || strcmp(type, "indicator") != 0)
			continue;
		nind++;
		if (b.lone)
			vk_import_where(path, sizeof(path), "$");
		else
			vk_import_where(
			    path, sizeof(path), "$.objects[%zu]", i);
		if ((rc = indicator(im, &b, o, path, &res)) != 0)
			goto out;
	}
	if (nind == 0)
		vk_diag_warn(im->d, im->name,
		    "a STIX %s without indicator objects (vaksam reads the "
		    "patterns of indicators)",
		    b.lone ? "object" : "bundle");
out:
	bundle_release(&b);
	vk_stix_result_release(&res);
	return rc;
}
