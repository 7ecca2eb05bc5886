/*
 * test_store_incident.c — the incident tables (store/store_incident.h),
 * every case once against SQLite (a fresh temp directory per case) and
 * once against PostgreSQL (a fresh schema per case in the database named
 * by $VAKSAM_TEST_PG), with the fixture of store_fixture.c.
 *
 * Without $VAKSAM_TEST_PG the PostgreSQL cases are left out, except when
 * CI=true: then they fail, so that CI cannot pass without PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit/audit.h"
#include "incident/incident.h"
#include "incident/tz.h"
#include "store/store_incident.h"
#include "store/backend.h"
#include "store/store.h"
#include "store_fixture.h"
#include "util/err.h"

#define S 1000000LL
/* 2026-03-29 12:00 UTC: a Sunday in 2026. */
#define NOW (1774785600LL * S)

static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
	'\n', 0, 1, 2, 0xff };

static void
fill(struct vk_incident *in, int64_t reporter, const char *title)
{
	memset(in, 0, sizeof(*in));
	in->type = VK_INC_TYPE_INCIDENT;
	in->title = (char *)(uintptr_t)title;
	in->what = (char *)(uintptr_t) "Jag klickade på en länk.\nSen...";
	in->noticed_at = NOW - 3600 * S;
	in->system = (char *)(uintptr_t) "E-post";
	in->personal_data = VK_TRI_YES;
	in->ongoing = VK_TRI_NO;
	in->reporter_id = reporter;
	in->contact_email = (char *)(uintptr_t) "anna@exempelby.se";
}

static int64_t
create(struct vk_store *st, int64_t reporter, const char *title, int64_t now,
    char ref[VK_INC_REF_MAX])
{
	struct vk_incident in;
	int64_t id = 0;

	fill(&in, reporter, title);
	assert_int_equal(vk_store_incident_create(
			     st, &in, NULL, 0, "user:anna", now, &id, ref),
	    0);
	assert_true(id > 0);
	return id;
}

static void
test_create_get(void **state)
{
	struct vk_store *st = fx_store(state, true);
	int64_t anna = fx_add_user(st, "anna"), id = 0;
	struct vk_inc_attachment_in att[2] = {
		{ "skärm.png", VK_ATTACH_PNG, png, sizeof(png) },
		{ "mejl.eml", VK_ATTACH_EML, "From: x@y\r\n\r\nhej", 16 },
	};
	struct vk_inc_attachment_list *al = NULL;
	struct vk_inc_attachment *a = NULL;
	struct vk_inc_event_list *ev = NULL;
	struct vk_incident in, *got = NULL, *got2 = NULL;
	char ref[VK_INC_REF_MAX];

	fill(&in, anna, "Konstigt mejl");
	assert_int_equal(vk_store_incident_create(
			     st, &in, att, 2, "user:anna", NOW, &id, ref),
	    0);
	assert_string_equal(ref, "VK-2026-0001");
	assert_int_equal(vk_store_incident_get(st, id, &got), 0);
	assert_string_equal(got->reference, "VK-2026-0001");
	assert_int_equal(got->year, 2026);
	assert_int_equal(got->seq, 1);
	assert_int_equal(got->state, VK_INC_NEW);
	assert_int_equal(got->type, VK_INC_TYPE_INCIDENT);
	assert_string_equal(got->title, "Konstigt mejl");
	assert_string_equal(got->what, "Jag klickade på en länk.\nSen...");
	assert_int_equal(got->noticed_at, NOW - 3600 * S);
	/* Awareness starts at the time noticed; personal data sets GDPR. */
	assert_int_equal(got->aware_at, NOW - 3600 * S);
	assert_true(got->gdpr);
	assert_false(got->significant);
	assert_int_equal(got->reporter_id, anna);
	assert_int_equal(got->severity, VK_SEV_UNSET);
	assert_int_equal(got->category, VK_CAT_UNSET);
	assert_int_equal(got->subjects_approx, -1);
	assert_int_equal(got->created, NOW);
	assert_string_equal(got->contact_email, "anna@exempelby.se");
	assert_string_equal(got->reject_reason, "");
	for (int s = 0; s < VK_STAGE_MAX; s++) {
		assert_int_equal(got->sent_at[s], 0);
		assert_string_equal(got->sent_by[s], "");
	}
	assert_int_equal(
	    vk_store_incident_get_by_ref(st, "vk-2026-0001", &got2), 0);
	assert_int_equal(got2->id, id);
	vk_incident_free(got2);
	assert_int_equal(
	    vk_store_incident_get_by_ref(st, "VK-2026-0002", &got2),
	    VK_ENOTFOUND);
	assert_null(got2);
	assert_int_equal(
	    vk_store_incident_get_by_ref(st, "nonsense", &got2), VK_ENOTFOUND);
	assert_int_equal(
	    vk_store_incident_get(st, id + 100, &got2), VK_ENOTFOUND);

	/* Attachments: metadata without content, content exactly back. */
	assert_int_equal(vk_store_incident_attachments(st, id, &al), 0);
	assert_int_equal(al->n, 2);
	assert_string_equal(al->v[0].filename, "skärm.png");
	assert_int_equal(al->v[0].kind, VK_ATTACH_PNG);
	assert_int_equal(al->v[0].size, sizeof(png));
	assert_null(al->v[0].data);
	assert_string_equal(al->v[0].uploaded_by, "user:anna");
	assert_int_equal(
	    vk_store_incident_attachment_get(st, id, al->v[0].id, &a), 0);
	assert_int_equal(a->size, sizeof(png));
	assert_memory_equal(a->data, png, sizeof(png));
	assert_int_equal(strlen(a->sha256), 64);
	vk_inc_attachment_free(a);
	/* Not through another incident's id. */
	assert_int_equal(
	    vk_store_incident_attachment_get(st, id + 1, al->v[0].id, &a),
	    VK_ENOTFOUND);
	assert_null(a);
	assert_int_equal(
	    vk_store_incident_attachment_get(st, id, al->v[1].id, &a), 0);
	assert_memory_equal(a->data, "From: x@y\r\n\r\nhej", 16);
	vk_inc_attachment_free(a);
	vk_inc_attachment_list_free(al);

	assert_int_equal(vk_store_incident_events(st, id, true, &ev), 0);
	assert_int_equal(ev->n, 1);
	assert_int_equal(ev->v[0].kind, VK_EV_REPORTED);
	assert_string_equal(ev->v[0].actor, "user:anna");
	vk_inc_event_list_free(ev);
	vk_incident_free(got);

	/* The next one counts on. */
	create(st, anna, "Två", NOW + 1, ref);
	assert_string_equal(ref, "VK-2026-0002");
}

static void
test_reference_year(void **state)
{
	struct vk_store *st = fx_store(state, true);
	char ref[VK_INC_REF_MAX];
	int64_t ny_eve_utc;

	create(st, 0, "a", NOW, ref);
	assert_string_equal(ref, "VK-2026-0001");
	/* 2026-12-31 23:30 UTC is already 2027 in Stockholm. */
	ny_eve_utc =
	    (vk_days_from_civil(2026, 12, 31) * 86400 + 23 * 3600 + 1800) * S;
	create(st, 0, "b", ny_eve_utc, ref);
	assert_string_equal(ref, "VK-2027-0001");
	create(st, 0, "c", ny_eve_utc, ref);
	assert_string_equal(ref, "VK-2027-0002");
	create(st, 0, "d", NOW, ref);
	assert_string_equal(ref, "VK-2026-0002");
}

static void
test_never_half_stored(void **state)
{
	struct vk_store *st = fx_store(state, true);
	struct vk_inc_attachment_in att[2] = {
		{ "a.png", VK_ATTACH_PNG, png, sizeof(png) },
		{ "b.txt", VK_ATTACH_TXT, "x", VK_INC_ATTACH_MAX + 1 },
	};
	struct vk_incident_list *l = NULL;
	struct vk_incident in;
	char ref[VK_INC_REF_MAX];
	int64_t id = 0;

	fill(&in, 0, "half");
	/* The second attachment fails after the incident row was written:
	 * everything rolls back, the number is not used up. */
	assert_int_equal(vk_store_incident_create(
			     st, &in, att, 2, "anonymous", NOW, &id, ref),
	    VK_EINVAL);
	assert_int_equal(id, 0);
	att[1].len = 1;
	att[1].filename = "b\xff.txt";
	assert_int_equal(vk_store_incident_create(
			     st, &in, att, 2, "anonymous", NOW, &id, ref),
	    VK_EINVAL);
	assert_int_equal(vk_store_incident_list(st, NULL, NULL, &l), 0);
	assert_int_equal(l->total, 0);
	vk_incident_list_free(l);
	/* Inside the caller's transaction a rollback removes it too. */
	assert_int_equal(vk_store_begin(st), 0);
	create(st, 0, "rolled back", NOW, ref);
	assert_string_equal(ref, "VK-2026-0001");
	assert_int_equal(vk_store_rollback(st), 0);
	create(st, 0, "kept", NOW, ref);
	assert_string_equal(ref, "VK-2026-0001");
	/* Bad input is refused before anything is written. */
	fill(&in, 0, "");
	assert_int_equal(vk_store_incident_create(
			     st, &in, NULL, 0, "anonymous", NOW, &id, ref),
	    VK_EINVAL);
	fill(&in, 0, "x");
	in.type = VK_INC_TYPE_MAX;
	assert_int_equal(vk_store_incident_create(
			     st, &in, NULL, 0, "anonymous", NOW, &id, ref),
	    VK_EINVAL);
	fill(&in, 12345, "unknown reporter");
	assert_int_equal(vk_store_incident_create(
			     st, &in, NULL, 0, "anonymous", NOW, &id, ref),
	    VK_EINVAL);
	fill(&in, 0, "too many");
	assert_int_equal(
	    vk_store_incident_create(st, &in, att, VK_INC_ATTACH_COUNT + 1,
		"anonymous", NOW, &id, ref),
	    VK_EINVAL);
	create(st, 0, "next", NOW, ref);
	assert_string_equal(ref, "VK-2026-0002");
}

static void
test_states(void **state)
{
	struct vk_store *st = fx_store(state, true);
	int64_t a = create(st, 0, "a", NOW, NULL),
		b = create(st, 0, "b", NOW, NULL);
	struct vk_inc_event_list *ev = NULL;
	struct vk_incident *got = NULL;

	assert_int_equal(vk_store_incident_set_state(st, a, VK_INC_NEW,
			     VK_INC_TRIAGED, NULL, 0, "user:h", NOW + 10),
	    0);
	/* Someone else moved it meanwhile. */
	assert_int_equal(vk_store_incident_set_state(st, a, VK_INC_NEW,
			     VK_INC_REJECTED, "no", 0, "user:h", NOW + 11),
	    VK_ECONFLICT);
	assert_int_equal(vk_store_incident_set_state(st, a + 100, VK_INC_NEW,
			     VK_INC_TRIAGED, NULL, 0, "user:h", NOW),
	    VK_ENOTFOUND);
	assert_int_equal(vk_store_incident_set_state(st, a, VK_INC_TRIAGED,
			     VK_INC_INVESTIGATING, NULL, 0, "user:h", NOW + 20),
	    0);
	assert_int_equal(vk_store_incident_get(st, a, &got), 0);
	assert_int_equal(got->state, VK_INC_INVESTIGATING);
	/* triaged_at keeps the first triage. */
	assert_int_equal(got->triaged_at, NOW + 10);
	assert_int_equal(got->closed_at, 0);
	vk_incident_free(got);
	assert_int_equal(
	    vk_store_incident_set_state(st, a, VK_INC_INVESTIGATING,
		VK_INC_CLOSED, NULL, 0, "user:h", NOW + 30),
	    0);
	assert_int_equal(vk_store_incident_get(st, a, &got), 0);
	assert_int_equal(got->closed_at, NOW + 30);
	vk_incident_free(got);
	/* Reopening clears closed_at. */
	assert_int_equal(vk_store_incident_set_state(st, a, VK_INC_CLOSED,
			     VK_INC_INVESTIGATING, NULL, 0, "user:h", NOW + 40),
	    0);
	assert_int_equal(vk_store_incident_get(st, a, &got), 0);
	assert_int_equal(got->closed_at, 0);
	vk_incident_free(got);

	/* Rejection needs a reason, which the reporter then sees. */
	assert_int_equal(vk_store_incident_set_state(st, b, VK_INC_NEW,
			     VK_INC_REJECTED, "", 0, "user:h", NOW),
	    VK_EINVAL);
	assert_int_equal(
	    vk_store_incident_set_state(st, b, VK_INC_NEW, VK_INC_REJECTED,
		"Inte en incident: testmejl", 0, "user:h", NOW + 50),
	    0);
	assert_int_equal(vk_store_incident_get(st, b, &got), 0);
	assert_string_equal(got->reject_reason, "Inte en incident: testmejl");
	assert_int_equal(got->closed_at, NOW + 50);
	vk_incident_free(got);
	assert_int_equal(vk_store_incident_events(st, b, true, &ev), 0);
	assert_int_equal(ev->n, 3);
	assert_int_equal(ev->v[1].kind, VK_EV_STATE);
	assert_string_equal(ev->v[1].body, "new -> rejected");
	assert_int_equal(ev->v[2].kind, VK_EV_MESSAGE);
	assert_string_equal(ev->v[2].body, "Inte en incident: testmejl");
	vk_inc_event_list_free(ev);

	/* Duplicate needs another, existing incident. */
	assert_int_equal(vk_store_incident_set_state(st, b, VK_INC_REJECTED,
			     VK_INC_TRIAGED, NULL, 0, "user:h", NOW + 60),
	    0);
	assert_int_equal(vk_store_incident_set_state(st, b, VK_INC_TRIAGED,
			     VK_INC_DUPLICATE, NULL, b, "user:h", NOW),
	    VK_EINVAL);
	assert_int_equal(vk_store_incident_set_state(st, b, VK_INC_TRIAGED,
			     VK_INC_DUPLICATE, NULL, a + 1000, "user:h", NOW),
	    VK_EINVAL);
	assert_int_equal(vk_store_incident_set_state(st, b, VK_INC_TRIAGED,
			     VK_INC_DUPLICATE, NULL, a, "user:h", NOW + 70),
	    0);
	assert_int_equal(vk_store_incident_get(st, b, &got), 0);
	assert_int_equal(got->duplicate_of, a);
	assert_int_equal(got->state, VK_INC_DUPLICATE);
	assert_string_equal(got->reject_reason, "");
	vk_incident_free(got);
	assert_int_equal(vk_store_incident_set_state(st, b, VK_INC_DUPLICATE,
			     VK_INC_DUPLICATE, NULL, a, "user:h", NOW),
	    VK_EINVAL);
}

static void
test_update_and_sent(void **state)
{
	struct vk_store *st = fx_store(state, true);
	int64_t h = fx_add_user(st, "handler1");
	int64_t id = create(st, 0, "a", NOW, NULL);
	struct vk_incident up, *got = NULL;

	memset(&up, 0, sizeof(up));
	up.severity = VK_SEV_HIGH;
	up.category = VK_CAT_MALWARE;
	up.assignee_id = h;
	up.significant = true;
	up.aware_at = NOW - 7200 * S;
	up.impact = (char *)(uintptr_t) "Filserver krypterad";
	up.iocs = (char *)(uintptr_t) "203.0.113.7\nevil.example";
	up.subjects_approx = 1200;
	up.malicious = VK_TRI_YES;
	assert_int_equal(
	    vk_store_incident_update(st, id, &up,
		VK_INC_F_SEVERITY | VK_INC_F_CATEGORY | VK_INC_F_ASSIGNEE |
		    VK_INC_F_SIGNIFICANT | VK_INC_F_AWARE_AT | VK_INC_F_IMPACT |
		    VK_INC_F_IOCS | VK_INC_F_SUBJECTS_APPROX |
		    VK_INC_F_MALICIOUS,
		NOW + 5),
	    0);
	assert_int_equal(vk_store_incident_get(st, id, &got), 0);
	assert_int_equal(got->severity, VK_SEV_HIGH);
	assert_int_equal(got->category, VK_CAT_MALWARE);
	assert_int_equal(got->assignee_id, h);
	assert_true(got->significant);
	assert_int_equal(got->aware_at, NOW - 7200 * S);
	assert_string_equal(got->impact, "Filserver krypterad");
	assert_string_equal(got->iocs, "203.0.113.7\nevil.example");
	assert_int_equal(got->subjects_approx, 1200);
	assert_int_equal(got->malicious, VK_TRI_YES);
	assert_int_equal(got->updated, NOW + 5);
	/* Untouched fields stay. */
	assert_string_equal(got->root_cause, "");
	assert_true(got->gdpr);
	vk_incident_free(got);
	/* Unassign. */
	up.assignee_id = 0;
	assert_int_equal(
	    vk_store_incident_update(st, id, &up, VK_INC_F_ASSIGNEE, NOW + 5),
	    0);
	assert_int_equal(vk_store_incident_get(st, id, &got), 0);
	assert_int_equal(got->assignee_id, 0);
	vk_incident_free(got);
	/* Bad values change nothing. */
	up.severity = VK_SEV_MAX;
	assert_int_equal(vk_store_incident_update(st, id, &up,
			     VK_INC_F_SEVERITY | VK_INC_F_IMPACT, NOW),
	    VK_EINVAL);
	up.severity = VK_SEV_LOW;
	up.assignee_id = h + 99;
	assert_int_equal(vk_store_incident_update(st, id, &up,
			     VK_INC_F_SEVERITY | VK_INC_F_ASSIGNEE, NOW + 9),
	    VK_EINVAL);
	assert_int_equal(vk_store_incident_get(st, id, &got), 0);
	assert_int_equal(got->severity, VK_SEV_HIGH);
	assert_int_equal(got->updated, NOW + 5);
	vk_incident_free(got);
	up.aware_at = 0;
	assert_int_equal(
	    vk_store_incident_update(st, id, &up, VK_INC_F_AWARE_AT, NOW),
	    VK_EINVAL);
	assert_int_equal(
	    vk_store_incident_update(st, id, &up, 1u << 30, NOW), VK_EINVAL);
	assert_int_equal(
	    vk_store_incident_update(st, id + 5, &up, VK_INC_F_SEVERITY, NOW),
	    VK_ENOTFOUND);

	/* A clock alert is recorded once per incident and stage. */
	assert_int_equal(
	    vk_store_incident_alert_once(st, id, VK_STAGE_EARLY_WARNING, NOW),
	    0);
	assert_int_equal(vk_store_incident_alert_once(
			     st, id, VK_STAGE_EARLY_WARNING, NOW + 1),
	    VK_EEXIST);
	assert_int_equal(
	    vk_store_incident_alert_once(st, id, VK_STAGE_GDPR, NOW), 0);
	assert_int_equal(
	    vk_store_incident_alert_once(st, id, VK_STAGE_MAX, NOW), VK_EINVAL);

	/* Sent reports stop clocks and come back with the incident. */
	assert_int_equal(
	    vk_store_incident_mark_sent(st, id, VK_STAGE_EARLY_WARNING,
		NOW + 100, "user:handler1", NOW + 101),
	    0);
	assert_int_equal(
	    vk_store_incident_mark_sent(st, id, VK_STAGE_EARLY_WARNING,
		NOW + 200, "user:handler1", NOW + 201),
	    VK_EEXIST);
	assert_int_equal(vk_store_incident_mark_sent(
			     st, id, VK_STAGE_MAX, NOW, "user:x", NOW),
	    VK_EINVAL);
	assert_int_equal(vk_store_incident_mark_sent(
			     st, id + 9, VK_STAGE_GDPR, NOW, "user:x", NOW),
	    VK_ENOTFOUND);
	assert_int_equal(vk_store_incident_get(st, id, &got), 0);
	assert_int_equal(got->sent_at[VK_STAGE_EARLY_WARNING], NOW + 100);
	assert_string_equal(
	    got->sent_by[VK_STAGE_EARLY_WARNING], "user:handler1");
	assert_int_equal(got->sent_at[VK_STAGE_NOTIFICATION], 0);
	vk_incident_free(got);
}

static void
test_timeline_tasks(void **state)
{
	struct vk_store *st = fx_store(state, true);
	int64_t h = fx_add_user(st, "handler1");
	int64_t id = create(st, 0, "a", NOW, NULL),
		other = create(st, 0, "b", NOW, NULL);
	struct vk_inc_event_list *ev = NULL;
	struct vk_inc_task_list *tl = NULL;
	struct vk_inc_attachment_list *al = NULL;
	struct vk_inc_attachment_in ev_att = { "logg.txt", VK_ATTACH_TXT, "rad",
		3 };
	int64_t t1 = 0, t2 = 0, aid = 0;

	assert_int_equal(
	    vk_store_incident_event_add(st, id, VK_EV_NOTE, "user:handler1",
		"intern anteckning", false, NOW + 1, NULL),
	    0);
	assert_int_equal(
	    vk_store_incident_event_add(st, id, VK_EV_MESSAGE, "user:handler1",
		"Tack, vi tittar på det", true, NOW + 2, NULL),
	    0);
	assert_int_equal(vk_store_incident_event_add(st, id + 50, VK_EV_NOTE,
			     "user:x", "x", false, NOW, NULL),
	    VK_ENOTFOUND);
	assert_int_equal(vk_store_incident_event_add(st, id, VK_EV_KIND_MAX,
			     "user:x", "x", false, NOW, NULL),
	    VK_EINVAL);
	assert_int_equal(vk_store_incident_attach(
			     st, id, &ev_att, "user:handler1", NOW + 3, &aid),
	    0);
	assert_true(aid > 0);
	/* Handlers see everything, oldest first. */
	assert_int_equal(vk_store_incident_events(st, id, false, &ev), 0);
	assert_int_equal(ev->n, 4);
	assert_int_equal(ev->v[1].kind, VK_EV_NOTE);
	assert_int_equal(ev->v[3].kind, VK_EV_EVIDENCE);
	assert_string_equal(ev->v[3].body, "logg.txt");
	vk_inc_event_list_free(ev);
	/* The reporter sees the receipt and the message only. */
	assert_int_equal(vk_store_incident_events(st, id, true, &ev), 0);
	assert_int_equal(ev->n, 2);
	assert_int_equal(ev->v[0].kind, VK_EV_REPORTED);
	assert_string_equal(ev->v[1].body, "Tack, vi tittar på det");
	vk_inc_event_list_free(ev);
	assert_int_equal(vk_store_incident_attachments(st, id, &al), 0);
	assert_int_equal(al->n, 1);
	vk_inc_attachment_list_free(al);

	assert_int_equal(vk_store_incident_task_add(st, id, "Byt lösenord", h,
			     NOW + 86400 * S, "user:handler1", NOW, &t1),
	    0);
	assert_int_equal(vk_store_incident_task_add(st, id, "Informera", 0, 0,
			     "user:handler1", NOW, &t2),
	    0);
	assert_int_equal(vk_store_incident_task_add(
			     st, id, "", 0, 0, "user:handler1", NOW, NULL),
	    VK_EINVAL);
	assert_int_equal(vk_store_incident_task_add(st, id, "x", h + 77, 0,
			     "user:handler1", NOW, NULL),
	    VK_EINVAL);
	assert_int_equal(
	    vk_store_incident_task_done(st, id, t1, true, NOW + 9), 0);
	/* Not through another incident. */
	assert_int_equal(
	    vk_store_incident_task_done(st, other, t2, true, NOW + 9),
	    VK_ENOTFOUND);
	assert_int_equal(vk_store_incident_tasks(st, id, &tl), 0);
	assert_int_equal(tl->n, 2);
	assert_string_equal(tl->v[0].title, "Byt lösenord");
	assert_int_equal(tl->v[0].owner_id, h);
	assert_int_equal(tl->v[0].due, NOW + 86400 * S);
	assert_int_equal(tl->v[0].done_at, NOW + 9);
	assert_int_equal(tl->v[1].owner_id, 0);
	assert_int_equal(tl->v[1].done_at, 0);
	vk_inc_task_list_free(tl);
	assert_int_equal(vk_store_incident_tasks(st, other, &tl), 0);
	assert_int_equal(tl->n, 0);
	vk_inc_task_list_free(tl);
}

static void
test_list_filters(void **state)
{
	struct vk_store *st = fx_store(state, true);
	int64_t anna = fx_add_user(st, "anna"), bo = fx_add_user(st, "bo");
	struct vk_incident_filter f = { .state = -1 };
	struct vk_incident_list *l = NULL;
	struct vk_page pg = { .limit = 2, .offset = 0 };
	int64_t a1 = create(st, anna, "a1", NOW, NULL);

	create(st, anna, "a2", NOW, NULL);
	create(st, bo, "b1", NOW, NULL);
	assert_int_equal(vk_store_incident_set_state(st, a1, VK_INC_NEW,
			     VK_INC_REJECTED, "nej", 0, "user:h", NOW),
	    0);
	f.reporter_id = anna;
	assert_int_equal(vk_store_incident_list(st, &f, NULL, &l), 0);
	assert_int_equal(l->total, 2);
	assert_int_equal(l->n, 2);
	/* Newest first. */
	assert_string_equal(l->v[0].title, "a2");
	for (size_t i = 0; i < l->n; i++)
		assert_int_equal(l->v[i].reporter_id, anna);
	vk_incident_list_free(l);
	f.open_only = true;
	assert_int_equal(vk_store_incident_list(st, &f, NULL, &l), 0);
	assert_int_equal(l->total, 1);
	vk_incident_list_free(l);
	f = (struct vk_incident_filter){ .state = VK_INC_NEW };
	assert_int_equal(vk_store_incident_list(st, &f, &pg, &l), 0);
	assert_int_equal(l->total, 2);
	vk_incident_list_free(l);
	assert_int_equal(vk_store_incident_list(st, NULL, &pg, &l), 0);
	assert_int_equal(l->total, 3);
	assert_int_equal(l->n, 2);
	vk_incident_list_free(l);
	pg.offset = 2;
	assert_int_equal(vk_store_incident_list(st, NULL, &pg, &l), 0);
	assert_int_equal(l->n, 1);
	assert_string_equal(l->v[0].title, "a1");
	assert_int_equal(l->v[0].state, VK_INC_REJECTED);
	vk_incident_list_free(l);
	f.state = VK_INC_STATE_MAX;
	assert_int_equal(vk_store_incident_list(st, &f, NULL, &l), VK_EINVAL);
}

static void
test_metachars(void **state)
{
	struct vk_store *st = fx_store(state, true);
	static const char evil[] = "x'); DROP TABLE incidents; -- <b>\"&\\";
	struct vk_incident in, *got = NULL;
	int64_t id = create(st, 0, evil, NOW, NULL);

	assert_int_equal(vk_store_incident_get(st, id, &got), 0);
	assert_string_equal(got->title, evil);
	vk_incident_free(got);
	fill(&in, 0, "ok");
	in.what = (char *)(uintptr_t) "bad \xc3\x28 utf-8";
	assert_int_equal(vk_store_incident_create(
			     st, &in, NULL, 0, "anonymous", NOW, NULL, NULL),
	    VK_EINVAL);
}

struct racer {
	struct vk_store *st;
	int64_t ids[10];
	int rc;
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	struct vk_incident in;

	fill(&in, 0, "race");
	for (int i = 0; i < 10 && r->rc == 0; i++)
		r->rc = vk_store_incident_create(
		    r->st, &in, NULL, 0, "anonymous", NOW, &r->ids[i], NULL);
	return NULL;
}

static void
test_concurrent_references(void **state)
{
	struct vk_store *st = fx_store(state, true);
	struct racer rs[4];
	pthread_t th[4];
	struct vk_incident_list *l = NULL;
	struct vk_page pg = { .limit = 100 };
	bool seen[41] = { false };

	for (int i = 0; i < 4; i++) {
		memset(&rs[i], 0, sizeof(rs[i]));
		rs[i].st = st;
		assert_int_equal(pthread_create(&th[i], NULL, race, &rs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(rs[i].rc, 0);
	}
	assert_int_equal(vk_store_incident_list(st, NULL, &pg, &l), 0);
	assert_int_equal(l->n, 40);
	/* 1..40, each once. */
	for (size_t i = 0; i < l->n; i++) {
		assert_true(l->v[i].seq >= 1 && l->v[i].seq <= 40);
		assert_false(seen[l->v[i].seq]);
		seen[l->v[i].seq] = true;
	}
	vk_incident_list_free(l);
}

static const struct fx_case cases[] = {
	{ "create_get", test_create_get },
	{ "reference_year", test_reference_year },
	{ "never_half_stored", test_never_half_stored },
	{ "states", test_states },
	{ "update_and_sent", test_update_and_sent },
	{ "timeline_tasks", test_timeline_tasks },
	{ "list_filters", test_list_filters },
	{ "metachars", test_metachars },
	{ "concurrent_references", test_concurrent_references },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

int
main(void)
{
	return fx_run("store_incident", cases, NCASES, NULL, 0);
}
