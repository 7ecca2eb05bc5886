/*
 * test_import.c — the indicator importers on real published files
 * (../shared/data/{stix,misp}) and on hand-made files (tests/data/ioc):
 * counts, provenance, detection, bad input with locations, atomic
 * rollback, --keep-going, size ceilings, and the convert round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ioc/export.h"
#include "ioc/import.h"
#include "ioc/stix_pattern.h"
#include "util/err.h"

/* The set of the last load(). */
static const struct vk_ioc_set *cur_set;

/* The indicator's location (the text lives until the next call). */
static const char *
ioc_where(const struct vk_ioc *ioc)
{
	static char buf[VK_IOC_WHERE_MAX];

	return vk_ioc_where(cur_set, ioc, buf, sizeof(buf));
}

#define DATA "tests/data/ioc/"

static char shared[512];

/* ../shared/data from the main checkout, ../../shared/data from a
 * worktree; $SHARED overrides (as in tests/cli/lib.sh). */
static const char *
sh(const char *rel)
{
	static char path[1024];
	const char *env = getenv("SHARED");
	int n;

	if (shared[0] == '\0') {
		struct stat sb;

		if (env && *env)
			n = snprintf(shared, sizeof(shared), "%s/data", env);
		else if (stat("../shared/data", &sb) == 0)
			n = snprintf(shared, sizeof(shared), "../shared/data");
		else
			n = snprintf(
			    shared, sizeof(shared), "../../shared/data");
		assert_true(n > 0 && (size_t)n < sizeof(shared));
	}
	n = snprintf(path, sizeof(path), "%s/%s", shared, rel);
	assert_true(n > 0 && (size_t)n < sizeof(path));
	return path;
}

struct run {
	struct vk_ioc_set *set;
	struct vk_ioc_load_stats st;
	struct vk_diag d;
	int rc;
};

static void
load_opts(struct run *r, const char *path, bool keep_going)
{
	struct vk_ioc_load_opts o = { .keep_going = keep_going };

	if (r->set == NULL) {
		r->set = vk_ioc_set_new();
		vk_diag_init(&r->d);
	}
	assert_non_null(r->set);
	cur_set = r->set;
	r->rc = vk_ioc_load(r->set, path, &o, &r->st, &r->d);
}

static void
load(struct run *r, const char *path)
{
	load_opts(r, path, false);
}

static void
done(struct run *r)
{
	vk_ioc_set_free(r->set);
	vk_diag_release(&r->d);
	memset(r, 0, sizeof(*r));
}

static const struct vk_ioc *
find(struct run *r, enum vk_ioc_type t, const char *norm)
{
	size_t i, n = vk_ioc_set_count(r->set);

	for (i = 0; i < n; i++) {
		const struct vk_ioc *o = vk_ioc_set_get(r->set, i);

		if (o->type == t && strcmp(o->norm, norm) == 0)
			return o;
	}
	fail_msg("no %s indicator '%s'", vk_ioc_type_name(t), norm);
	return NULL;
}

static bool
has(struct run *r, enum vk_ioc_type t, const char *norm)
{
	size_t i, n = vk_ioc_set_count(r->set);

	for (i = 0; i < n; i++) {
		const struct vk_ioc *o = vk_ioc_set_get(r->set, i);

		if (o->type == t && strcmp(o->norm, norm) == 0)
			return true;
	}
	return false;
}

static const struct vk_ioc_prov *
prov(struct run *r, const struct vk_ioc *o)
{
	return vk_ioc_set_prov(r->set, o->prov);
}

/* A diagnostic whose location and message contain the given texts. */
static void
expect_diag(struct run *r, int level, const char *where, const char *msg)
{
	size_t i;

	for (i = 0; i < r->d.n; i++) {
		const struct vk_diag_entry *e = &r->d.v[i];

		if ((int)e->level == level && e->where &&
		    strstr(e->where, where) && strstr(e->msg, msg))
			return;
	}
	vk_diag_print(&r->d, stderr);
	fail_msg("no %s at '%s' saying '%s'",
	    level == VK_DIAG_ERROR ? "error" : "warning", where, msg);
}

static void
assert_str(const char *got, const char *want)
{
	if (want == NULL) {
		if (got != NULL)
			fail_msg("expected NULL, got '%s'", got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
}

/* --- STIX, real files -------------------------------------------- */

static void
test_stix_apt1(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;

	(void)state;
	load(&r, sh("stix/apt1.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_STIX);
	assert_int_equal(r.st.added, 10);
	assert_int_equal(r.st.by_type[VK_IOC_DOMAIN], 3);
	assert_int_equal(r.st.by_type[VK_IOC_IPV4], 4);
	assert_int_equal(r.st.by_type[VK_IOC_MD5], 3);
	assert_int_equal(r.st.unsupported, 2);
	assert_int_equal(r.st.skipped, 0);
	expect_diag(&r, VK_DIAG_WARNING, "apt1.json:$.objects[20].pattern",
	    "x509-certificate:issuer");
	expect_diag(&r, VK_DIAG_WARNING, "apt1.json:$.objects[21].pattern",
	    "not supported");
	/* indicator → indicates → threat-actor, and the intrusion set
	 * attributed to that actor. */
	o = find(&r, VK_IOC_DOMAIN, "hugesoft.org");
	assert_str(prov(&r, o)->campaign, "Ugly Gorilla, APT1");
	assert_str(prov(&r, o)->report,
	    "APT1: Exposing One of China's Cyber Espionage Units");
	assert_str(prov(&r, o)->source, sh("stix/apt1.json"));
	assert_str(vk_ioc_first_seen(o), "2015-05-15T09:12:16.432678Z");
	assert_str(vk_ioc_comment(o), "Test description.");
	assert_int_equal(o->to_ids, -1);
	/* No relationship names an actor: the report's intrusion set. */
	o = find(&r, VK_IOC_MD5, "001dd76872d80801692ff942308c64e6");
	assert_str(prov(&r, o)->campaign, "APT1");
	o = find(&r, VK_IOC_IPV4, "223.166.0.0/15");
	assert_int_equal(o->prefix, 15);
	done(&r);
}

static void
test_stix_poisonivy(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;

	(void)state;
	/* One pattern holds 'domain autuo.xicp.net': the whole report is
	 * refused without --keep-going, and nothing of it stays. */
	load(&r, sh("stix/poisonivy.json"));
	assert_int_equal(r.rc, VK_EINVAL);
	assert_int_equal(vk_ioc_set_count(r.set), 0);
	assert_int_equal(vk_ioc_set_prov_count(r.set), 0);
	assert_int_equal(r.st.added, 0);
	expect_diag(&r, VK_DIAG_ERROR, "poisonivy.json:$.objects[42].pattern",
	    "domain autuo.xicp.net");
	done(&r);

	load_opts(&r, sh("stix/poisonivy.json"), true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 51);
	assert_int_equal(r.st.by_type[VK_IOC_DOMAIN], 24);
	assert_int_equal(r.st.by_type[VK_IOC_IPV4], 25);
	assert_int_equal(r.st.by_type[VK_IOC_FILENAME], 2);
	assert_int_equal(r.st.skipped, 1);
	assert_int_equal(r.st.duplicates, 15);
	assert_int_equal(r.st.unsupported, 0);
	expect_diag(&r, VK_DIAG_WARNING, "poisonivy.json:$.objects[42].pattern",
	    "skipped");
	/* The other value of the bad pattern is kept. */
	assert_true(has(&r, VK_IOC_IPV4, "60.10.1.115"));
	o = find(&r, VK_IOC_DOMAIN, "3q.wubangtu.info");
	assert_str(prov(&r, o)->campaign, "menuPass");
	assert_str(prov(&r, o)->report,
	    "Poison Ivy: Assessing Damage and Extracting Intelligence");
	o = find(&r, VK_IOC_DOMAIN, "nkr.iphone.qpoe.com");
	assert_str(prov(&r, o)->campaign, "th3bug");
	o = find(&r, VK_IOC_DOMAIN, "www.webserver.dynssl.com");
	assert_str(prov(&r, o)->campaign, "admin@338");
	/* No relationships at all: the report's campaigns. */
	o = find(&r, VK_IOC_DOMAIN, "www.webserver.freetcp.com");
	assert_str(prov(&r, o)->campaign, "admin@338, th3bug, menuPass");
	/* Through malware used by the campaign. */
	o = find(&r, VK_IOC_FILENAME, "CPiShellPutDoc");
	assert_str(prov(&r, o)->campaign, "menuPass");
	done(&r);
}

static void
test_stix_small_real(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;

	(void)state;
	load(&r, sh("stix/indicator-to-campaign-relationship.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 1);
	o = find(&r, VK_IOC_IPV4, "10.0.0.0");
	assert_str(prov(&r, o)->campaign, "Operation Omega");
	assert_str(prov(&r, o)->report, "test_name");
	assert_str(vk_ioc_comment(o), "Test description.");
	done(&r);

	load(&r, sh("stix/indicators-for-C2-with-COA.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 2);
	assert_int_equal(r.st.by_type[VK_IOC_IPV4], 1);
	assert_int_equal(r.st.by_type[VK_IOC_SHA256], 1);
	o = find(&r, VK_IOC_SHA256,
	    "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c");
	/* It indicates malware, which no actor uses: no campaign. */
	assert_str(prov(&r, o)->campaign, NULL);
	done(&r);

	load(&r, sh("stix/indicator-for-c2-ip-address.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 1);
	assert_int_equal(r.st.by_type[VK_IOC_IPV4], 1);
	done(&r);

	load(&r, sh("stix/malicious-email-indicator-with-attachment.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 0);
	assert_int_equal(r.st.unsupported, 2);
	expect_diag(&r, VK_DIAG_WARNING, "$.objects[2].pattern",
	    "email-message:subject");
	expect_diag(&r, VK_DIAG_WARNING, "$.objects[3].pattern",
	    "email-message:body_multipart[*].body_raw_ref.name");
	done(&r);

	/* Observed objects and infrastructure, but no indicator. */
	load(&r, sh("stix/infrastructure.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 0);
	expect_diag(&r, VK_DIAG_WARNING, "infrastructure.json",
	    "without indicator objects");
	done(&r);

	/* A lone campaign object, not a bundle. */
	load(&r, sh("stix/interop-objectmarking-test.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_STIX);
	assert_int_equal(r.st.added, 0);
	done(&r);
}

/* --- STIX, hand-made --------------------------------------------- */

static void
test_stix_campaign(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;

	(void)state;
	load(&r, DATA "stix-campaign.json");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 10);
	assert_int_equal(r.st.by_type[VK_IOC_DOMAIN], 2);
	assert_int_equal(r.st.by_type[VK_IOC_IPV4], 3);
	assert_int_equal(r.st.by_type[VK_IOC_IPV6], 1);
	assert_int_equal(r.st.by_type[VK_IOC_URL], 1);
	assert_int_equal(r.st.by_type[VK_IOC_EMAIL], 1);
	assert_int_equal(r.st.by_type[VK_IOC_SHA256], 2);
	assert_int_equal(r.st.unsupported, 3);
	expect_diag(&r, VK_DIAG_WARNING, "$.objects[8].pattern",
	    "only partly supported: process:name");
	expect_diag(&r, VK_DIAG_WARNING, "$.objects[9].pattern", "FOLLOWEDBY");
	expect_diag(
	    &r, VK_DIAG_WARNING, "$.objects[10].pattern", "a yara pattern");

	o = find(&r, VK_IOC_DOMAIN, "c2.fika.example");
	assert_str(prov(&r, o)->campaign, "Operation Fika, Kanelbulle Group");
	assert_str(prov(&r, o)->report, "C2 of Operation Fika");
	assert_str(prov(&r, o)->tlp, "green");
	assert_str(vk_ioc_first_seen(o), "2024-02-01T00:00:00Z");
	assert_str(vk_ioc_last_seen(o), "2024-12-31T00:00:00Z");
	assert_str(vk_ioc_comment(o), "C2 servers");
	assert_str(
	    ioc_where(o), DATA "stix-campaign.json:$.objects[5].pattern");
	o = find(&r, VK_IOC_IPV6, "2001:db8::5");
	assert_str(prov(&r, o)->campaign, "Operation Fika, Kanelbulle Group");
	/* Through malware that an intrusion set uses; several markings:
	 * the strictest. */
	o = find(&r, VK_IOC_SHA256,
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
	assert_str(prov(&r, o)->campaign, "APT-Semla");
	assert_str(prov(&r, o)->tlp, "red");
	o = find(&r, VK_IOC_EMAIL, "ceo@fika.example");
	assert_str(prov(&r, o)->tlp, "amber+strict");
	assert_str(prov(&r, o)->campaign, NULL);
	assert_true(has(&r, VK_IOC_IPV4, "198.51.100.9"));
	assert_true(has(&r, VK_IOC_IPV4, "198.51.100.0/25"));
	assert_true(has(&r, VK_IOC_URL, "http://fika.example/login"));
	o = find(&r, VK_IOC_DOMAIN, "part.example");
	assert_str(prov(&r, o)->tlp, NULL);
	assert_false(has(&r, VK_IOC_DOMAIN, "a.example"));
	done(&r);
}

static void
test_stix_bad(void **state)
{
	struct run r = { 0 };

	(void)state;
	load(&r, DATA "stix-badpattern.json");
	assert_int_equal(r.rc, VK_EPARSE);
	assert_int_equal(vk_ioc_set_count(r.set), 0);
	expect_diag(&r, VK_DIAG_ERROR,
	    "stix-badpattern.json:$.objects[1].pattern",
	    "syntax error at column 37");
	done(&r);

	load_opts(&r, DATA "stix-badpattern.json", true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 1);
	assert_int_equal(r.st.skipped, 2);
	expect_diag(&r, VK_DIAG_WARNING, "$.objects[2].pattern",
	    "\"pattern\" must be a string");
	done(&r);

	load(&r, DATA "stix-wrongtype.json");
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(&r, VK_DIAG_ERROR, "stix-wrongtype.json:$.objects",
	    "must be an array");
	done(&r);

	load(&r, DATA "bad-json.json");
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(
	    &r, VK_DIAG_ERROR, DATA "bad-json.json:3:68", "JSON syntax error");
	done(&r);
}

/* --- MISP -------------------------------------------------------- */

static void
test_misp_real(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;

	(void)state;
	load(&r, sh("misp/existing_event.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_MISP);
	assert_int_equal(r.st.added, 81);
	assert_int_equal(r.st.by_type[VK_IOC_DOMAIN], 18);
	assert_int_equal(r.st.by_type[VK_IOC_IPV4], 11);
	assert_int_equal(r.st.by_type[VK_IOC_SHA1], 37);
	assert_int_equal(r.st.by_type[VK_IOC_FILENAME], 15);
	assert_int_equal(r.st.duplicates, 2);
	assert_int_equal(r.st.ignored, 39);
	expect_diag(&r, VK_DIAG_WARNING, "existing_event.json",
	    "38 attributes of type 'text' not used");
	expect_diag(&r, VK_DIAG_WARNING, "existing_event.json",
	    "1 attribute of type 'link' not used");
	o = find(&r, VK_IOC_DOMAIN, "servicecdp.com");
	assert_str(prov(&r, o)->report,
	    "OSINT - Sednit update: How Fancy Bear Spent the Year");
	assert_str(prov(&r, o)->campaign, "Sofacy");
	assert_str(prov(&r, o)->tlp, "clear");
	assert_str(prov(&r, o)->first_seen, "2017-12-21");
	assert_int_equal(o->to_ids, 1);
	o = find(&r, VK_IOC_FILENAME, "Trump’s_Attack_on_Syria_English.docx");
	assert_non_null(strstr(ioc_where(o), "$.Object["));
	done(&r);

	load(&r, sh("misp/57c4445b-c548-4654-af0b-4be3950d210f.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 4);
	assert_int_equal(r.st.by_type[VK_IOC_MD5], 1);
	assert_int_equal(r.st.by_type[VK_IOC_SHA1], 1);
	assert_int_equal(r.st.by_type[VK_IOC_SHA256], 1);
	assert_int_equal(r.st.by_type[VK_IOC_FILENAME], 1);
	assert_int_equal(r.st.ignored, 5);
	o = find(&r, VK_IOC_FILENAME, "3Z4wnG9603it23y.exe");
	assert_str(prov(&r, o)->report, "Ransomware - Xorist");
	assert_str(prov(&r, o)->tlp, "clear");
	assert_str(vk_ioc_comment(o), "Imported via the Freetext Import Tool");
	assert_int_equal(o->to_ids, 1);
	done(&r);

	/* {"response": [bare event]} with a malware-sample composite. */
	load(&r, sh("misp/malware_exist.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 4);
	assert_int_equal(r.st.duplicates, 2);
	assert_int_equal(r.st.ignored, 1);
	o = find(&r, VK_IOC_FILENAME, "simple.json");
	assert_str(prov(&r, o)->report, "Test existing malware PyMISP");
	assert_str(ioc_where(o),
	    sh("misp/malware_exist.json:"
	       "$.response[0].Object[0].Attribute[0].value"));
	assert_true(has(&r, VK_IOC_MD5, "7637beddacbeac59d44469b2b120b9e6"));
	done(&r);

	/* A bare event (no "Event" wrapper). */
	load(&r, sh("misp/misp_event.json"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 1);
	o = find(&r, VK_IOC_URL, "http://fake.website.com/malware/is/here");
	assert_int_equal(o->to_ids, 0);
	assert_str(prov(&r, o)->report, "A Random Event");
	done(&r);

	/* A directory that is not a feed. */
	load(&r, sh("misp"));
	assert_int_equal(r.rc, VK_EINVAL);
	expect_diag(&r, VK_DIAG_ERROR, "misp", "no manifest.json");
	done(&r);
}

static void
test_misp_composite(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;

	(void)state;
	load(&r, DATA "misp-composite.json");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 12);
	assert_int_equal(r.st.by_type[VK_IOC_DOMAIN], 2);
	assert_int_equal(r.st.by_type[VK_IOC_IPV4], 2);
	assert_int_equal(r.st.by_type[VK_IOC_URL], 1);
	assert_int_equal(r.st.by_type[VK_IOC_EMAIL], 1);
	assert_int_equal(r.st.by_type[VK_IOC_MD5], 1);
	assert_int_equal(r.st.by_type[VK_IOC_SHA1], 1);
	assert_int_equal(r.st.by_type[VK_IOC_SHA256], 1);
	assert_int_equal(r.st.by_type[VK_IOC_SHA512], 1);
	assert_int_equal(r.st.by_type[VK_IOC_FILENAME], 2);
	/* target-email, link, 2 regkey, size-in-bytes, a deleted attribute
	 * and a deleted object. */
	assert_int_equal(r.st.ignored, 7);
	expect_diag(&r, VK_DIAG_WARNING, "misp-composite.json",
	    "2 attributes of type 'regkey' not used");
	expect_diag(&r, VK_DIAG_WARNING, "misp-composite.json",
	    "type 'target-email' not used (the victim's");
	assert_false(has(&r, VK_IOC_DOMAIN, "deleted.example"));
	assert_false(has(&r, VK_IOC_MD5, "92eb5ffee6ae2fec3ad71c777531578f"));

	o = find(&r, VK_IOC_DOMAIN, "c2.fika.example");
	assert_str(prov(&r, o)->campaign, "Kanelbulle Group, APT-Semla");
	assert_str(prov(&r, o)->tlp, "green");
	assert_str(prov(&r, o)->report, "Fika phishing wave");
	assert_int_equal(o->to_ids, 1);
	o = find(&r, VK_IOC_IPV4, "203.0.113.5");
	assert_str(vk_ioc_value(o), "203.0.113.5");
	o = find(&r, VK_IOC_IPV4, "198.51.100.9");
	assert_int_equal(o->to_ids, 1);
	o = find(&r, VK_IOC_DOMAIN, "mail.fika.example");
	assert_int_equal(o->to_ids, 0);
	assert_true(has(&r, VK_IOC_FILENAME, "faktura.pdf.exe"));
	assert_true(has(&r, VK_IOC_FILENAME, "loader.dll"));
	assert_true(has(&r, VK_IOC_MD5, "0cc175b9c0f1b6a831c399e269772661"));
	o = find(&r, VK_IOC_URL, "https://fika.example/login");
	assert_str(vk_ioc_value(o), "hxxps://fika[.]example/login");
	assert_str(vk_ioc_first_seen(o), "2024-03-01T08:00:00Z");
	assert_str(vk_ioc_last_seen(o), "2024-03-02T08:00:00Z");
	assert_str(vk_ioc_comment(o), "landing page");
	/* The attribute's own tag is stricter than the event's. */
	o = find(&r, VK_IOC_EMAIL, "ceo@fika.example");
	assert_str(prov(&r, o)->tlp, "red");
	assert_str(prov(&r, o)->campaign, "Kanelbulle Group, APT-Semla");
	o = find(&r, VK_IOC_SHA1, "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8");
	assert_int_equal(o->to_ids, 0);
	done(&r);
}

static void
test_misp_list_feed(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;

	(void)state;
	load(&r, DATA "misp-list.json");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 3);
	o = find(&r, VK_IOC_DOMAIN, "first.example");
	assert_str(prov(&r, o)->report, "First");
	assert_str(prov(&r, o)->tlp, "amber");
	o = find(&r, VK_IOC_IPV6, "2001:db8::1");
	assert_str(prov(&r, o)->report, "Second");
	assert_str(prov(&r, o)->tlp, NULL);
	assert_str(
	    ioc_where(o), DATA "misp-list.json:$[1].Event.Attribute[1].value");
	done(&r);

	load(&r, DATA "misp-feed");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_MISP);
	assert_int_equal(r.st.added, 3);
	o = find(&r, VK_IOC_URL, "http://feed-two.example/x");
	assert_str(prov(&r, o)->report, "Feed two");
	assert_str(prov(&r, o)->source, DATA "misp-feed");
	assert_str(ioc_where(o),
	    DATA "misp-feed/aaaaaaaa-0000-4000-8000-"
		 "000000000002.json:$.Event.Attribute[0].value");
	done(&r);
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static void
test_misp_feed_bad(void **state)
{
	char dir[] = "/tmp/vk-feed-XXXXXX", path[256];
	struct run r = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/manifest.json", dir);
	/* A manifest key must never become a path outside the feed. */
	write_file(path,
	    "{\"../../etc/passwd\": {}, "
	    "\"bbbbbbbb-0000-4000-8000-000000000001\": {}}");
	load(&r, dir);
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(&r, VK_DIAG_ERROR, "manifest.json", "not an event uuid");
	done(&r);
	/* keep-going: the bad key and the missing event file are skipped. */
	load_opts(&r, dir, true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.skipped, 2);
	expect_diag(&r, VK_DIAG_ERROR,
	    "bbbbbbbb-0000-4000-8000-000000000001.json", "cannot open");
	done(&r);
	write_file(path, "[1, 2]");
	load(&r, dir);
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(&r, VK_DIAG_ERROR, "manifest.json", "JSON object");
	done(&r);
	unlink(path);
	rmdir(dir);
}

static void
test_misp_bad(void **state)
{
	struct run r = { 0 };

	(void)state;
	load(&r, DATA "misp-wrongtype.json");
	assert_int_equal(r.rc, VK_EPARSE);
	assert_int_equal(vk_ioc_set_count(r.set), 0);
	expect_diag(&r, VK_DIAG_ERROR,
	    "misp-wrongtype.json:$.Event.Attribute[1].value",
	    "\"value\" string");
	done(&r);
	load_opts(&r, DATA "misp-wrongtype.json", true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 1);
	assert_int_equal(r.st.skipped, 3);
	expect_diag(&r, VK_DIAG_WARNING, "$.Event.Attribute[2].value",
	    "two parts joined by '|'");
	expect_diag(
	    &r, VK_DIAG_WARNING, "$.Event.Attribute[3]", "must be an object");
	done(&r);
}

/* --- CSV, Loki, text --------------------------------------------- */

static void
test_csv(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;
	size_t i;
	uint32_t provs[8];
	size_t np = 0, j;

	(void)state;
	load(&r, DATA "quoted.csv");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_CSV);
	assert_int_equal(r.st.added, 6);
	o = find(&r, VK_IOC_DOMAIN, "evil.example");
	assert_str(vk_ioc_value(o), "evil[.]example");
	assert_str(vk_ioc_comment(o), "a \"quoted\" comment, with a comma");
	assert_str(vk_ioc_first_seen(o), "2024-01-02");
	assert_str(prov(&r, o)->campaign, "Operation X");
	assert_str(prov(&r, o)->tlp, "amber");
	assert_str(ioc_where(o), DATA "quoted.csv:3");
	o = find(&r, VK_IOC_IPV4, "192.0.2.0/24");
	assert_str(vk_ioc_comment(o), "two\r\nlines");
	o = find(&r, VK_IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e");
	assert_str(prov(&r, o)->tlp, "red");
	assert_str(prov(&r, o)->campaign, "Operation Y");
	/* The row after a field with a line break names its own line. */
	assert_str(ioc_where(o), DATA "quoted.csv:6");
	o = find(&r, VK_IOC_URL, "https://evil.example/a?b=1");
	assert_str(prov(&r, o)->campaign, NULL);
	o = find(&r, VK_IOC_EMAIL, "bad@evil.example");
	assert_str(ioc_where(o), DATA "quoted.csv:9");
	assert_true(has(&r, VK_IOC_FILENAME, "invoice, final.exe"));
	/* Row provenance is shared: three distinct records. */
	for (i = 0; i < vk_ioc_set_count(r.set); i++) {
		uint32_t p = vk_ioc_set_get(r.set, i)->prov;

		for (j = 0; j < np && provs[j] != p; j++)
			;
		if (j == np)
			provs[np++] = p;
	}
	assert_int_equal(np, 3);
	done(&r);

	load(&r, DATA "semicolon.csv");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 3);
	o = find(&r, VK_IOC_SHA256,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_str(vk_ioc_comment(o), "empty file");
	assert_true(has(&r, VK_IOC_IPV6, "2001:db8::1"));
	assert_true(has(&r, VK_IOC_DOMAIN, "mail.evil.example"));
	done(&r);
}

static void
test_csv_bad(void **state)
{
	struct run r = { 0 };
	size_t before;
	uint32_t pbefore;

	(void)state;
	/* Atomic: a good file, then a failing one; the set is unchanged. */
	load(&r, DATA "semicolon.csv");
	assert_int_equal(r.rc, 0);
	before = vk_ioc_set_count(r.set);
	pbefore = (uint32_t)vk_ioc_set_prov_count(r.set);
	load(&r, DATA "bad-type.csv");
	assert_int_equal(r.rc, VK_EPARSE);
	assert_int_equal(vk_ioc_set_count(r.set), before);
	assert_int_equal(vk_ioc_set_prov_count(r.set), pbefore);
	assert_false(has(&r, VK_IOC_DOMAIN, "ok.example"));
	expect_diag(&r, VK_DIAG_ERROR, DATA "bad-type.csv:4",
	    "unknown indicator type 'regkey'");
	/* The same file again with keep-going. */
	load_opts(&r, DATA "bad-type.csv", true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 3);
	assert_int_equal(r.st.skipped, 1);
	assert_int_equal(vk_ioc_set_count(r.set), before + 3);
	done(&r);

	load(&r, DATA "bad-quote.csv");
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(&r, VK_DIAG_ERROR, DATA "bad-quote.csv:3", "not closed");
	done(&r);
}

static void
load_mem(struct run *r, const char *text, enum vk_ioc_format f, bool kg)
{
	struct vk_ioc_load_opts o = { .format = f, .keep_going = kg };

	if (r->set == NULL) {
		r->set = vk_ioc_set_new();
		vk_diag_init(&r->d);
	}
	r->rc = vk_ioc_load_mem(
	    r->set, "mem", text, strlen(text), &o, &r->st, &r->d);
}

static void
test_csv_mem(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;

	(void)state;
	/* Tab separator, header with other columns, case-insensitive. */
	load_mem(&r,
	    "# exported\nID\tKind\tObservable\tTLP\n"
	    "1\tSHA-1\tda39a3ee5e6b4b0d3255bfef95601890afd80709\tWHITE\n"
	    "2\thash\t"
	    "d41d8cd98f00b204e9800998ecf8427e\t\n",
	    VK_IOC_FMT_AUTO, false);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_CSV);
	o = find(&r, VK_IOC_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	assert_str(prov(&r, o)->tlp, "clear");
	assert_true(has(&r, VK_IOC_MD5, "d41d8cd98f00b204e9800998ecf8427e"));
	done(&r);
	load_mem(&r, "type,value\nhash,abc\n", VK_IOC_FMT_CSV, false);
	assert_int_equal(r.rc, VK_EINVAL);
	expect_diag(&r, VK_DIAG_ERROR, "mem:2", "32, 40, 64 or 128");
	done(&r);
	load_mem(&r, "type,value,tlp\ndomain,a.example,purple\n",
	    VK_IOC_FMT_CSV, false);
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(&r, VK_DIAG_ERROR, "mem:2", "unknown TLP 'purple'");
	done(&r);
	load_mem(
	    &r, "type,value\ndomain,\"a.example\"x\n", VK_IOC_FMT_CSV, false);
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(&r, VK_DIAG_ERROR, "mem:2", "after the closing quote");
	done(&r);
	load_mem(&r, "value,comment\na.example,x\n", VK_IOC_FMT_CSV, false);
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(&r, VK_DIAG_ERROR, "mem:1", "a CSV header must name");
	done(&r);
	load_mem(&r, "type,value\ndomain\n,a.example\n", VK_IOC_FMT_CSV, true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.skipped, 2);
	expect_diag(&r, VK_DIAG_WARNING, "mem:2", "no value");
	expect_diag(&r, VK_DIAG_WARNING, "mem:3", "no type");
	done(&r);
	/* Spaces are trimmed outside quotes only (RFC 4180). */
	load_mem(&r,
	    "type,value\nfilename,\" spaced.exe \"\n"
	    "filename,  plain.exe  \n",
	    VK_IOC_FMT_CSV, false);
	assert_int_equal(r.rc, 0);
	assert_true(has(&r, VK_IOC_FILENAME, " spaced.exe "));
	assert_true(has(&r, VK_IOC_FILENAME, "plain.exe"));
	done(&r);
	load_mem(&r, "type,value\n", VK_IOC_FMT_CSV, false);
	assert_int_equal(r.rc, 0);
	expect_diag(&r, VK_DIAG_WARNING, "mem", "no indicators found");
	done(&r);
}

static void
test_loki(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;

	(void)state;
	load(&r, DATA "loki-hashes.txt");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_LOKI);
	assert_int_equal(r.st.added, 3);
	o = find(&r, VK_IOC_SHA256,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_str(vk_ioc_comment(o), "Empty file; SHA256");
	assert_str(ioc_where(o), DATA "loki-hashes.txt:4");
	done(&r);

	load(&r, DATA "loki-filenames.txt");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_LOKI);
	assert_int_equal(r.st.added, 2);
	o = find(&r, VK_IOC_FILENAME, "\\\\evil\\.exe");
	assert_str(vk_ioc_comment(o), "score 80");
	o = find(&r, VK_IOC_FILENAME, "\\\\Temp\\\\[a-z]{8}\\.dll");
	assert_str(vk_ioc_comment(o), "score 65");
	done(&r);

	load_mem(&r, "evil.example;c2\nnot an indicator;x\n", VK_IOC_FMT_AUTO,
	    false);
	assert_int_equal(r.rc, VK_EINVAL);
	expect_diag(&r, VK_DIAG_ERROR, "mem:2", "not a recognisable");
	done(&r);
}

static void
test_text(void **state)
{
	struct run r = { 0 };
	const struct vk_ioc *o;

	(void)state;
	load(&r, DATA "defanged.txt");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_TEXT);
	assert_int_equal(r.st.added, 6);
	/* "#" inside a URL is its fragment, not a comment. */
	o = find(&r, VK_IOC_URL, "http://evil.example/path");
	assert_str(vk_ioc_value(o), "hxxp://evil[.]example/path#frag");
	assert_str(vk_ioc_comment(o), NULL);
	o = find(&r, VK_IOC_DOMAIN, "evil.example");
	assert_str(vk_ioc_comment(o), "the C2 domain");
	assert_str(vk_ioc_value(o), "evil[.]example");
	assert_str(ioc_where(o), DATA "defanged.txt:3");
	assert_true(has(&r, VK_IOC_IPV4, "192.0.2.1"));
	assert_true(has(&r, VK_IOC_IPV6, "2001:db8::dead:beef"));
	assert_true(has(&r, VK_IOC_EMAIL, "user@evil.example"));
	o = find(&r, VK_IOC_URL, "https://evil.example/a");
	assert_str(vk_ioc_comment(o), "b");
	done(&r);

	load(&r, DATA "bad.txt");
	assert_int_equal(r.rc, VK_EINVAL);
	assert_int_equal(vk_ioc_set_count(r.set), 0);
	expect_diag(
	    &r, VK_DIAG_ERROR, DATA "bad.txt:3", "'this is not an indicator'");
	done(&r);
	load_opts(&r, DATA "bad.txt", true);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.added, 3);
	assert_int_equal(r.st.skipped, 1);
	done(&r);

	/* Duplicates are counted, not added. */
	load_mem(&r, "evil.example\nEVIL.example.\n", VK_IOC_FMT_AUTO, false);
	assert_int_equal(r.st.added, 1);
	assert_int_equal(r.st.duplicates, 1);
	done(&r);
	/* An empty file is fine, with a warning. */
	load_mem(&r, "\n# nothing\n", VK_IOC_FMT_AUTO, false);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_TEXT);
	expect_diag(&r, VK_DIAG_WARNING, "mem", "no indicators found");
	done(&r);
}

static void
test_detect(void **state)
{
	struct run r = { 0 };

	(void)state;
	load_mem(&r,
	    "{\"response\": [{\"Event\": {\"info\": \"x\", "
	    "\"Attribute\": [{\"type\": \"domain\", \"value\": "
	    "\"r.example\"}]}}]}",
	    VK_IOC_FMT_AUTO, false);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_MISP);
	assert_int_equal(r.st.added, 1);
	done(&r);
	load_mem(&r, "{\"type\": \"identity\"}", VK_IOC_FMT_AUTO, false);
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(&r, VK_DIAG_ERROR, "mem", "neither a STIX 2.1 bundle");
	done(&r);
	load_mem(&r, "[1, 2]", VK_IOC_FMT_AUTO, false);
	assert_int_equal(r.rc, VK_EPARSE);
	done(&r);
	load_mem(&r, "{\"response\": 5}", VK_IOC_FMT_AUTO, false);
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(&r, VK_DIAG_ERROR, "mem:$.response", "array of events");
	done(&r);
	/* Forcing a format: a plain list read as text even with ';'. */
	load_mem(&r, "http://a.example/x;y=1\n", VK_IOC_FMT_TEXT, false);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.by_type[VK_IOC_URL], 1);
	done(&r);
	/* JSON forced on text. */
	load_mem(&r, "evil.example\n", VK_IOC_FMT_STIX, false);
	assert_int_equal(r.rc, VK_EPARSE);
	expect_diag(&r, VK_DIAG_ERROR, "mem:1:", "JSON syntax error");
	done(&r);
	assert_string_equal(vk_ioc_format_name(VK_IOC_FMT_LOKI), "loki");
	assert_string_equal(vk_ioc_format_name(VK_IOC_FMT_MAX), "unknown");
}

static void
test_limits(void **state)
{
	struct vk_ioc_load_opts o = { .max_bytes = 10 };
	struct run r = { 0 };

	(void)state;
	r.set = vk_ioc_set_new();
	vk_diag_init(&r.d);
	r.rc = vk_ioc_load_mem(
	    r.set, "mem", "evil.example\n", 13, &o, &r.st, &r.d);
	assert_int_equal(r.rc, VK_ETOOBIG);
	expect_diag(&r, VK_DIAG_ERROR, "mem", "larger than the limit");
	o.max_bytes = 100;
	r.rc = vk_ioc_load(r.set, DATA "stix-campaign.json", &o, &r.st, &r.d);
	assert_int_equal(r.rc, VK_ETOOBIG);
	assert_int_equal(vk_ioc_set_count(r.set), 0);
	r.rc = vk_ioc_load(r.set, DATA "no-such-file", NULL, NULL, &r.d);
	assert_int_equal(r.rc, VK_EIO);
	expect_diag(&r, VK_DIAG_ERROR, "no-such-file", "cannot open");
	done(&r);
}

/* --- convert ----------------------------------------------------- */

static char *
write_to_mem(struct vk_ioc_set *set, bool stix, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);

	assert_non_null(fp);
	if (stix)
		assert_int_equal(
		    vk_ioc_write_stix(set, fp, "2024-01-01T00:00:00.000Z"), 0);
	else
		assert_int_equal(vk_ioc_write_csv(set, fp), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static void
same_keys(struct vk_ioc_set *a, struct vk_ioc_set *b)
{
	size_t i, j;

	for (i = 0; i < vk_ioc_set_count(a); i++) {
		const struct vk_ioc *x = vk_ioc_set_get(a, i);

		for (j = 0; j < vk_ioc_set_count(b); j++) {
			const struct vk_ioc *y = vk_ioc_set_get(b, j);

			if (x->type == y->type && strcmp(x->norm, y->norm) == 0)
				break;
		}
		if (j == vk_ioc_set_count(b))
			fail_msg("%s %s lost in the round trip",
			    vk_ioc_type_name(x->type), x->norm);
	}
}

static void
test_round_trip(void **state)
{
	static const char *const files[] = { DATA "stix-campaign.json",
		DATA "misp-composite.json", DATA "quoted.csv",
		DATA "defanged.txt", DATA "loki-filenames.txt" };
	struct run r = { 0 }, back = { 0 };
	char *csv, *stix, *stix2;
	size_t clen, slen, slen2, i;
	int pass;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		load(&r, files[i]);
		assert_int_equal(r.rc, 0);
	}
	csv = write_to_mem(r.set, false, &clen);
	stix = write_to_mem(r.set, true, &slen);
	stix2 = write_to_mem(r.set, true, &slen2);
	/* Deterministic ids and order. */
	assert_int_equal(slen, slen2);
	assert_memory_equal(stix, stix2, slen);
	assert_non_null(strstr(csv,
	    "type,value,normalized,source,report,"
	    "campaign,tlp,first_seen,last_seen,"
	    "comment\n"));
	assert_non_null(strstr(csv,
	    "\"a \"\"quoted\"\" comment, with a "
	    "comma\""));
	assert_non_null(strstr(stix,
	    "\"pattern\": \"[file:name = "
	    "'"
	    "\\\\\\\\\\\\\\\\evil\\\\\\\\.exe']\""));
	assert_non_null(strstr(stix, "\"name\": \"Operation Fika\""));
	assert_non_null(strstr(stix,
	    "marking-definition--e828b379-4e03-"
	    "4974-9ac4-e53a884c97c1"));
	for (pass = 0; pass < 2; pass++) {
		back.set = vk_ioc_set_new();
		vk_diag_init(&back.d);
		back.rc = vk_ioc_load_mem(back.set, "back", pass ? stix : csv,
		    pass ? slen : clen, NULL, &back.st, &back.d);
		if (back.rc != 0)
			vk_diag_print(&back.d, stderr);
		assert_int_equal(back.rc, 0);
		assert_int_equal(
		    back.st.format, pass ? VK_IOC_FMT_STIX : VK_IOC_FMT_CSV);
		assert_int_equal(back.st.unsupported, 0);
		same_keys(r.set, back.set);
		same_keys(back.set, r.set);
		if (pass == 1) {
			const struct vk_ioc *o =
			    find(&back, VK_IOC_DOMAIN, "c2.fika.example");

			assert_str(prov(&back, o)->campaign,
			    "Operation Fika, Kanelbulle Group, APT-Semla");
			assert_str(prov(&back, o)->tlp, "green");
		}
		done(&back);
	}
	free(csv);
	free(stix);
	free(stix2);
	done(&r);
}

static void
test_pattern_escape(void **state)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_stix_result res;
	char pat[256];
	int n;

	(void)state;
	assert_non_null(set);
	assert_int_equal(
	    vk_ioc_set_add(set, VK_IOC_FILENAME, "it's\\x", 6, 0, NULL, NULL),
	    0);
	n = vk_ioc_stix_pattern(vk_ioc_set_get(set, 0), pat, sizeof(pat));
	assert_true(n > 0);
	assert_string_equal(pat, "[file:name = 'it\\'s\\\\x']");
	vk_stix_result_init(&res);
	assert_int_equal(vk_stix_pattern_eval(pat, (size_t)n, &res), 0);
	assert_int_equal(res.n, 1);
	assert_string_equal(vk_stix_value_str(&res, 0), "it's\\x");
	vk_stix_result_release(&res);
	assert_int_equal(
	    vk_ioc_stix_pattern(vk_ioc_set_get(set, 0), pat, 10), VK_ETOOBIG);
	vk_ioc_set_free(set);
}

/* Writes a file for a test: head, nlines of pre<number>post, tail. */
static void
write_lines(const char *path, const char *head, const char *pre, size_t nlines,
    const char *post, const char *tail)
{
	FILE *fp = fopen(path, "wb");
	size_t k;

	assert_non_null(fp);
	assert_true(fputs(head, fp) >= 0);
	for (k = 0; k < nlines; k++)
		assert_true(fprintf(fp, "%s%zu%s", pre, k, post) > 0);
	assert_true(fputs(tail, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

/* A plain list larger than the read block (1 MiB) is read block by block:
 * every line counts once, lines cut by a block edge are whole, a BOM and
 * CRLF are handled, and locations carry the right line numbers. */
static void
test_text_streamed(void **state)
{
	char path[64];
	struct run r = { 0 };
	const struct vk_ioc *o;
	char v[160];
	size_t k, n = 150000;

	(void)state;
	assert_true(snprintf(path, sizeof(path), "/tmp/vk-test-import-%ld.txt",
			(long)getpid()) > 0);
	write_lines(path, "\xef\xbb\xbf# big list\r\n", "h", n,
	    ".evil.example\r\n", "LAST.example.org # the end");
	load(&r, path);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_TEXT);
	assert_int_equal(vk_ioc_set_count(r.set), n + 1);
	for (k = 0; k < n; k += 997) {
		int m = snprintf(v, sizeof(v), "h%zu.evil.example", k);

		assert_true(m > 0);
		o = vk_ioc_set_get(r.set, k);
		assert_string_equal(vk_ioc_value(o), v);
		m = snprintf(v, sizeof(v), "%s:%zu", path, k + 2);
		assert_true(m > 0);
		assert_string_equal(ioc_where(o), v);
	}
	o = vk_ioc_set_get(r.set, n);
	assert_string_equal(vk_ioc_value(o), "LAST.example.org");
	assert_string_equal(o->norm, "last.example.org");
	assert_string_equal(vk_ioc_comment(o), "the end");
	assert_true(snprintf(v, sizeof(v), "%s:%zu", path, n + 2) > 0);
	assert_string_equal(ioc_where(o), v);
	done(&r);

	/* A bad line far into the file: nothing stays loaded. */
	write_lines(path, "", "h", n, ".evil.example\n", "not an indicator\n");
	load(&r, path);
	assert_int_equal(r.rc, VK_EINVAL);
	assert_int_equal(vk_ioc_set_count(r.set), 0);
	assert_true(snprintf(v, sizeof(v), "%s:%zu", path, n + 1) > 0);
	expect_diag(&r, VK_DIAG_ERROR, v, "not a recognisable indicator");
	done(&r);

	/* The first block all comments: read whole, a CSV header after it
	 * still decides the format. */
	write_lines(path, "", "# comment ", 60000, "\n",
	    "type,value\ndomain,csv.example\n");
	load(&r, path);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.st.format, VK_IOC_FMT_CSV);
	assert_int_equal(vk_ioc_set_count(r.set), 1);
	assert_true(snprintf(v, sizeof(v), "%s:60002", path) > 0);
	assert_string_equal(
	    ioc_where(find(&r, VK_IOC_DOMAIN, "csv.example")), v);
	done(&r);
	assert_int_equal(unlink(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stix_apt1),
		cmocka_unit_test(test_stix_poisonivy),
		cmocka_unit_test(test_stix_small_real),
		cmocka_unit_test(test_stix_campaign),
		cmocka_unit_test(test_stix_bad),
		cmocka_unit_test(test_misp_real),
		cmocka_unit_test(test_misp_composite),
		cmocka_unit_test(test_misp_list_feed),
		cmocka_unit_test(test_misp_feed_bad),
		cmocka_unit_test(test_misp_bad),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_bad),
		cmocka_unit_test(test_csv_mem),
		cmocka_unit_test(test_loki),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_streamed),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_pattern_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
