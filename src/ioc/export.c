/*
 * export.c — the indicator set as CSV or as a STIX 2.1 bundle, in a
 * reproducible order with deterministic (UUIDv5) ids.
 */
#include "ioc/export.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"

/* vaksam's UUIDv5 namespace (RFC 9562 section 5.5): fixed forever, so
 * that the same indicator always gets the same STIX id. */
static const uint8_t vk_uuid_ns[16] = { 0xf6, 0xee, 0xbf, 0xe2, 0x95, 0xeb,
	0x4b, 0xee, 0x9f, 0xa7, 0x1e, 0x01, 0x7d, 0xb0, 0x78, 0x9a };

/* Longest normalised value the set holds (ioc/set.c: 3 x 64 KiB + 16). */
#define NORM_MAX ((size_t)3 * 64 * 1024 + 16)

/* The TLP 2.0 marking definitions (OASIS). */
static const struct {
	const char *tlp;
	const char *id;
} tlp2[] = {
	{ "clear", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487" },
	{ "green", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb" },
	{ "amber", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421" },
	{ "amber+strict",
	    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003" },
	{ "red", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1" },
};

static const struct vk_ioc_set *sort_set;

static int
cmp_ioc(const void *a, const void *b)
{
	const struct vk_ioc *x = vk_ioc_set_get(sort_set, *(const size_t *)a);
	const struct vk_ioc *y = vk_ioc_set_get(sort_set, *(const size_t *)b);
	size_t n = x->norm_len < y->norm_len ? x->norm_len : y->norm_len;
	int c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if ((c = memcmp(x->norm, y->norm, n)) != 0)
		return c;
	if (x->norm_len != y->norm_len)
		return x->norm_len < y->norm_len ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* Indices of the set's indicators sorted by (type, norm, index).  Not
 * thread-safe (qsort has no context argument in C17). */
static size_t *
sorted(const struct vk_ioc_set *set)
{
	size_t n = vk_ioc_set_count(set), i, *ix;

	if ((ix = calloc(n ? n : 1, sizeof(*ix))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		ix[i] = i;
	sort_set = set;
	qsort(ix, n, sizeof(*ix), cmp_ioc);
	sort_set = NULL;
	return ix;
}

static bool
same_key(const struct vk_ioc *a, const struct vk_ioc *b)
{
	return a->type == b->type && a->norm_len == b->norm_len &&
	    memcmp(a->norm, b->norm, a->norm_len) == 0;
}

static int
csv_field(FILE *fp, const char *s, size_t n, bool last)
{
	bool q = false;
	size_t i;

	if (s == NULL)
		n = 0;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			q = true;
	if (n > 0 &&
	    (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' ||
		s[n - 1] == '\t' || s[0] == '#'))
		q = true;
	if (q && fputc('"', fp) == EOF)
		return VK_EIO;
	for (i = 0; i < n; i++) {
		if (s[i] == '"' && fputc('"', fp) == EOF)
			return VK_EIO;
		if (fputc(s[i], fp) == EOF)
			return VK_EIO;
	}
	if (q && fputc('"', fp) == EOF)
		return VK_EIO;
	if (fputc(last ? '\n' : ',', fp) == EOF)
		return VK_EIO;
	return 0;
}

static int
csv_str(FILE *fp, const char *s, bool last)
{
	return csv_field(fp, s, s ? strlen(s) : 0, last);
}

int
vk_ioc_write_csv(const struct vk_ioc_set *set, FILE *fp)
{
	size_t n = vk_ioc_set_count(set), i, *ix;
	int rc = 0;

	if ((ix = sorted(set)) == NULL)
		return VK_ENOMEM;
	if (fputs("type,value,normalized,source,report,campaign,tlp,"
		  "first_seen,last_seen,comment\n",
		fp) == EOF) {
		rc = VK_EIO;
		goto out;
	}
	for (i = 0; i < n && rc == 0; i++) {
		const struct vk_ioc *o = vk_ioc_set_get(set, ix[i]);
		const struct vk_ioc_prov *p = vk_ioc_set_prov(set, o->prov);
		const char *fs = vk_ioc_first_seen(o),
			   *ls = vk_ioc_last_seen(o);

		if (fs == NULL && p != NULL)
			fs = p->first_seen;
		if (ls == NULL && p != NULL)
			ls = p->last_seen;
		if ((rc = csv_str(fp, vk_ioc_type_name(o->type), false)) ||
		    (rc = csv_str(fp, vk_ioc_value(o), false)) ||
		    (rc = csv_field(fp, o->norm, o->norm_len, false)) ||
		    (rc = csv_str(fp, p ? p->source : NULL, false)) ||
		    (rc = csv_str(fp, p ? p->report : NULL, false)) ||
		    (rc = csv_str(fp, p ? p->campaign : NULL, false)) ||
		    (rc = csv_str(fp, p ? p->tlp : NULL, false)) ||
		    (rc = csv_str(fp, fs, false)) ||
		    (rc = csv_str(fp, ls, false)) ||
		    (rc = csv_str(fp, vk_ioc_comment(o), true)))
			break;
	}
	if (rc == 0 && fflush(fp) != 0)
		rc = VK_EIO;
out:
	free(ix);
	return rc;
}

int
vk_ioc_stix_pattern(const struct vk_ioc *ioc, char *out, size_t cap)
{
	const char *path;
	struct vk_buf b;
	size_t i;
	int rc = 0, n;

	switch (ioc->type) {
	case VK_IOC_DOMAIN:
		path = "domain-name:value";
		break;
	case VK_IOC_IPV4:
		path = "ipv4-addr:value";
		break;
	case VK_IOC_IPV6:
		path = "ipv6-addr:value";
		break;
	case VK_IOC_URL:
		path = "url:value";
		break;
	case VK_IOC_EMAIL:
		path = "email-addr:value";
		break;
	case VK_IOC_MD5:
		path = "file:hashes.MD5";
		break;
	case VK_IOC_SHA1:
		path = "file:hashes.'SHA-1'";
		break;
	case VK_IOC_SHA256:
		path = "file:hashes.'SHA-256'";
		break;
	case VK_IOC_SHA512:
		path = "file:hashes.'SHA-512'";
		break;
	default:
		path = "file:name";
		break;
	}
	vk_buf_init(&b, cap > 0 ? cap - 1 : 0);
	if ((rc = vk_buf_appendf(&b, "[%s = '", path)) != 0)
		goto out;
	for (i = 0; i < ioc->norm_len && rc == 0; i++) {
		char c = ioc->norm[i];

		if (c == '\'' || c == '\\')
			rc = vk_buf_appendc(&b, '\\');
		if (rc == 0)
			rc = vk_buf_appendc(&b, c);
	}
	if (rc == 0)
		rc = vk_buf_appends(&b, "']");
	if (rc != 0)
		goto out;
	memcpy(out, b.data, b.len + 1);
	n = (int)b.len;
	vk_buf_release(&b);
	return n;
out:
	vk_buf_release(&b);
	return rc;
}

struct uuid5 {
	EVP_MD_CTX *md;
};

static int
uuid5_begin(struct uuid5 *u)
{
	if ((u->md = EVP_MD_CTX_new()) == NULL)
		return VK_ENOMEM;
	if (EVP_DigestInit_ex(u->md, EVP_sha1(), NULL) != 1 ||
	    EVP_DigestUpdate(u->md, vk_uuid_ns, sizeof(vk_uuid_ns)) != 1) {
		EVP_MD_CTX_free(u->md);
		return VK_EINTERNAL;
	}
	return 0;
}

static int
uuid5_add(struct uuid5 *u, const void *p, size_t n)
{
	return EVP_DigestUpdate(u->md, p, n) == 1 ? 0 : VK_EINTERNAL;
}

/* Ends the hash and writes "<prefix>--xxxxxxxx-xxxx-5xxx-yxxx-…" to
 * out[cap]. */
static int
uuid5_end(struct uuid5 *u, const char *prefix, char *out, size_t cap)
{
	uint8_t h[EVP_MAX_MD_SIZE];
	unsigned int hl = 0;
	int n;

	if (EVP_DigestFinal_ex(u->md, h, &hl) != 1 || hl < 16) {
		EVP_MD_CTX_free(u->md);
		return VK_EINTERNAL;
	}
	EVP_MD_CTX_free(u->md);
	h[6] = (uint8_t)((h[6] & 0x0f) | 0x50);
	h[8] = (uint8_t)((h[8] & 0x3f) | 0x80);
	n = snprintf(out, cap,
	    "%s--%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    prefix, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9],
	    h[10], h[11], h[12], h[13], h[14], h[15]);
	return n > 0 && (size_t)n < cap ? 0 : VK_ETOOBIG;
}

static int
uuid5_of(const char *prefix, const char *a, size_t an, const char *b, size_t bn,
    char *out, size_t cap)
{
	struct uuid5 u;
	int rc;

	if ((rc = uuid5_begin(&u)) != 0)
		return rc;
	if ((rc = uuid5_add(&u, a, an)) != 0 ||
	    (rc = uuid5_add(&u, "\0", 1)) != 0 ||
	    (rc = uuid5_add(&u, b, bn)) != 0) {
		EVP_MD_CTX_free(u.md);
		return rc;
	}
	return uuid5_end(&u, prefix, out, cap);
}

/* A STIX timestamp from "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" or an RFC 3339
 * UTC time; false for anything else. */
static bool
stix_time(const char *in, char *out, size_t cap)
{
	size_t n = in ? strlen(in) : 0, i;
	int w;

	if (n < 10 || cap < 32)
		return false;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? in[i] != '-'
				     : (in[i] < '0' || in[i] > '9'))
			return false;
	if (n == 10) {
		w = snprintf(out, cap, "%.10sT00:00:00Z", in);
		return w > 0 && (size_t)w < cap;
	}
	if (n == 19 && (in[10] == ' ' || in[10] == 'T')) {
		w = snprintf(out, cap, "%.10sT%.8sZ", in, in + 11);
		return w > 0 && (size_t)w < cap;
	}
	if (n >= 20 && n < cap && in[10] == 'T' && in[n - 1] == 'Z') {
		memcpy(out, in, n + 1);
		return true;
	}
	return false;
}

static const char *
tlp2_id(const char *tlp)
{
	size_t i;

	for (i = 0; tlp && i < sizeof(tlp2) / sizeof(tlp2[0]); i++)
		if (strcmp(tlp, tlp2[i].tlp) == 0)
			return tlp2[i].id;
	return NULL;
}

static int
set_str(json_t *o, const char *k, const char *v)
{
	if (v == NULL)
		return 0;
	return json_object_set_new(o, k, json_string(v)) == 0 ? 0 : VK_ENOMEM;
}

/* Adds campaign objects and relationships for a ", "-joined list. */
static int
campaigns(json_t *objects, json_t *camps, const char *ind_id, const char *list,
    const char *created, json_t *done)
{
	char cid[64], rid[64];
	const char *p = list;
	int rc;

	while (p && *p) {
		const char *sep = strstr(p, ", ");
		size_t n = sep ? (size_t)(sep - p) : strlen(p);
		json_t *o;

		if (n == 0)
			goto next;
		if ((rc = uuid5_of("campaign", "campaign", 8, p, n, cid,
			 sizeof(cid))) != 0)
			return rc;
		if (json_object_get(camps, cid) == NULL) {
			if ((o = json_object()) == NULL ||
			    json_object_set_new(camps, cid, o) != 0)
				return VK_ENOMEM;
			if (set_str(o, "type", "campaign") ||
			    set_str(o, "spec_version", "2.1") ||
			    set_str(o, "id", cid) ||
			    set_str(o, "created", created) ||
			    set_str(o, "modified", created) ||
			    json_object_set_new(
				o, "name", json_stringn(p, n)) != 0)
				return VK_ENOMEM;
		}
		if ((rc = uuid5_of("relationship", ind_id, strlen(ind_id), cid,
			 strlen(cid), rid, sizeof(rid))) != 0)
			return rc;
		if (json_object_get(done, rid) == NULL) {
			if ((o = json_object()) == NULL ||
			    json_object_set_new(done, rid, json_true()) != 0 ||
			    json_array_append_new(objects, o) != 0 ||
			    set_str(o, "type", "relationship") ||
			    set_str(o, "spec_version", "2.1") ||
			    set_str(o, "id", rid) ||
			    set_str(o, "created", created) ||
			    set_str(o, "modified", created) ||
			    set_str(o, "relationship_type", "indicates") ||
			    set_str(o, "source_ref", ind_id) ||
			    set_str(o, "target_ref", cid))
				return VK_ENOMEM;
		}
	next:
		p = sep ? sep + 2 : NULL;
	}
	return 0;
}

static int
tlp_rank(const char *t)
{
	size_t i;

	for (i = 0; t && i < sizeof(tlp2) / sizeof(tlp2[0]); i++)
		if (strcmp(t, tlp2[i].tlp) == 0)
			return (int)i;
	return -1;
}

int
vk_ioc_write_stix(const struct vk_ioc_set *set, FILE *fp, const char *created)
{
	size_t n = vk_ioc_set_count(set), i, j, *ix = NULL;
	json_t *root = NULL, *objects, *camps = NULL, *done = NULL, *c;
	const char *k;
	char id[64], ts[64], *pat = NULL;
	size_t patcap = 2 * NORM_MAX + 64;
	struct uuid5 bu;
	int rc;

	if ((rc = uuid5_begin(&bu)) != 0)
		return rc;
	if ((ix = sorted(set)) == NULL || (root = json_object()) == NULL ||
	    (pat = malloc(patcap)) == NULL || set_str(root, "type", "bundle") ||
	    set_str(root, "id", "") || (objects = json_array()) == NULL ||
	    json_object_set_new(root, "objects", objects) != 0 ||
	    (camps = json_object()) == NULL || (done = json_object()) == NULL) {
		rc = VK_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i = j) {
		const struct vk_ioc *o = vk_ioc_set_get(set, ix[i]);
		const char *tname = vk_ioc_type_name(o->type);
		const char *report = NULL, *tlp = NULL, *fs = NULL, *ls = NULL;
		json_t *ind;
		int plen;

		if ((rc = uuid5_of("indicator", tname, strlen(tname), o->norm,
			 o->norm_len, id, sizeof(id))) != 0 ||
		    (rc = uuid5_add(&bu, id, strlen(id))) != 0)
			goto out;
		if ((plen = vk_ioc_stix_pattern(o, pat, patcap)) < 0) {
			rc = plen;
			goto out;
		}
		if ((ind = json_object()) == NULL ||
		    json_array_append_new(objects, ind) != 0) {
			rc = VK_ENOMEM;
			goto out;
		}
		/* Every entry with this (type, value): their provenance
		 * merges into the one indicator. */
		for (j = i; j < n && same_key(o, vk_ioc_set_get(set, ix[j]));
		     j++) {
			const struct vk_ioc *e = vk_ioc_set_get(set, ix[j]);
			const struct vk_ioc_prov *p =
			    vk_ioc_set_prov(set, e->prov);

			if (p && report == NULL)
				report = p->report;
			if (p && tlp_rank(p->tlp) > tlp_rank(tlp))
				tlp = p->tlp;
			if (fs == NULL)
				fs = vk_ioc_first_seen(e)
				    ? vk_ioc_first_seen(e)
				    : (p ? p->first_seen : NULL);
			if (ls == NULL)
				ls = vk_ioc_last_seen(e)
				    ? vk_ioc_last_seen(e)
				    : (p ? p->last_seen : NULL);
			if (p && p->campaign &&
			    (rc = campaigns(objects, camps, id, p->campaign,
				 created, done)) != 0)
				goto out;
		}
		if (set_str(ind, "type", "indicator") ||
		    set_str(ind, "spec_version", "2.1") ||
		    set_str(ind, "id", id) ||
		    set_str(ind, "created", created) ||
		    set_str(ind, "modified", created) ||
		    set_str(ind, "name", report ? report : vk_ioc_value(o)) ||
		    set_str(ind, "description", vk_ioc_comment(o)) ||
		    json_object_set_new(ind, "indicator_types",
			json_pack("[s]", "malicious-activity")) != 0 ||
		    set_str(ind, "pattern", pat) ||
		    set_str(ind, "pattern_type", "stix") ||
		    set_str(ind, "pattern_version", "2.1") ||
		    set_str(ind, "valid_from",
			stix_time(fs, ts, sizeof(ts)) ? ts : created)) {
			rc = VK_ENOMEM;
			goto out;
		}
		if (stix_time(ls, ts, sizeof(ts)) &&
		    set_str(ind, "valid_until", ts)) {
			rc = VK_ENOMEM;
			goto out;
		}
		if (tlp2_id(tlp) &&
		    json_object_set_new(ind, "object_marking_refs",
			json_pack("[s]", tlp2_id(tlp))) != 0) {
			rc = VK_ENOMEM;
			goto out;
		}
	}
	json_object_foreach(camps, k, c) if (json_array_append(objects, c) != 0)
	{
		rc = VK_ENOMEM;
		goto out;
	}
	if ((rc = uuid5_end(&bu, "bundle", id, sizeof(id))) != 0) {
		bu.md = NULL;
		goto out;
	}
	bu.md = NULL;
	if (set_str(root, "id", id)) {
		rc = VK_ENOMEM;
		goto out;
	}
	if (json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', fp) == EOF || fflush(fp) != 0)
		rc = VK_EIO;
out:
	if (bu.md != NULL)
		EVP_MD_CTX_free(bu.md);
	json_decref(camps);
	json_decref(done);
	json_decref(root);
	free(pat);
	free(ix);
	return rc;
}
