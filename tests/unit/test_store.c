/*
 * test_store.c — every store case, run once against SQLite (a fresh temp
 * directory per case) and once against PostgreSQL (a fresh schema per
 * case in the database named by $VAKSAM_TEST_PG, dropped afterwards).
 *
 * Without $VAKSAM_TEST_PG the PostgreSQL cases are skipped, except when
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
#include "store/backend.h"
#include "store/store.h"
#include "store_fixture.h"
#include "util/err.h"

#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H2 "2222222222222222222222222222222222222222222222222222222222222222"
#define H3 "3333333333333333333333333333333333333333333333333333333333333333"

static void
test_migrate_status(void **state)
{
	struct vk_store *st = fx_store(state, false);
	struct vk_store_status s;
	int n = -1;

	assert_int_equal(vk_store_status(st, &s), 0);
	assert_int_equal(s.current, 0);
	assert_true(s.latest >= 1);
	assert_int_equal(s.pending, s.latest);
	assert_int_equal(vk_store_migrate(st, &n, NULL), 0);
	assert_int_equal(n, s.latest);
	assert_int_equal(vk_store_migrate(st, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_int_equal(vk_store_status(st, &s), 0);
	assert_int_equal(s.current, s.latest);
	assert_int_equal(s.pending, 0);
	assert_int_equal(vk_store_ping(st), 0);
	/* A store migrated by a newer vaksam is refused, not touched. */
	assert_int_equal(vk_store_exec_raw(st,
			     "INSERT INTO schema_migrations (version, name, "
			     "applied_at) VALUES (999, 'future', 0)"),
	    0);
	assert_int_equal(vk_store_status(st, &s), 0);
	assert_int_equal(s.current, 999);
	assert_int_equal(s.pending, 0);
	assert_int_equal(vk_store_migrate(st, &n, NULL), VK_EUNSUPPORTED);
	assert_int_equal(n, 0);
	assert_string_equal(
	    vk_store_backend(st), fx_use_pg ? "postgresql" : "sqlite");
}

static void
test_users(void **state)
{
	struct vk_store *st = fx_store(state, true);
	struct vk_user in, *u = NULL;
	struct vk_user_update upd;
	struct vk_user_list *l = NULL;
	struct vk_page pg = { 2, 1 };
	int64_t id, n;

	memset(&in, 0, sizeof(in));
	in.username = (char *)(uintptr_t) "Alice";
	in.display_name = (char *)(uintptr_t) "Alice Andersson";
	in.email = (char *)(uintptr_t) "alice@kommun.se";
	in.role = VK_ROLE_HANDLER;
	in.lang = VK_LANG_EN;
	in.password_hash = (char *)(uintptr_t) "$argon2id$x";
	assert_int_equal(vk_store_user_add(st, &in, &id), 0);
	/* Unique ignoring case. */
	in.username = (char *)(uintptr_t) "aLICE";
	assert_int_equal(vk_store_user_add(st, &in, NULL), VK_EEXIST);
	in.username = (char *)(uintptr_t) "";
	assert_int_equal(vk_store_user_add(st, &in, NULL), VK_EINVAL);
	in.username = (char *)(uintptr_t) "bob";
	in.role = VK_ROLE_MAX;
	assert_int_equal(vk_store_user_add(st, &in, NULL), VK_EINVAL);

	assert_int_equal(vk_store_user_get_by_name(st, "ALICE", &u), 0);
	assert_int_equal(u->id, id);
	assert_string_equal(u->username, "Alice");
	assert_string_equal(u->display_name, "Alice Andersson");
	assert_string_equal(u->email, "alice@kommun.se");
	assert_int_equal(u->role, VK_ROLE_HANDLER);
	assert_int_equal(u->lang, VK_LANG_EN);
	assert_false(u->disabled);
	assert_string_equal(u->password_hash, "$argon2id$x");
	assert_true(u->created > 0 && u->created == u->updated);
	assert_int_equal(u->password_changed, u->created);
	vk_user_free(u);
	assert_int_equal(vk_store_user_get(st, id + 100, &u), VK_ENOTFOUND);
	assert_null(u);
	assert_int_equal(
	    vk_store_user_get_by_name(st, "nobody", &u), VK_ENOTFOUND);

	memset(&upd, 0, sizeof(upd));
	upd.fields = VK_USER_F_ROLE | VK_USER_F_DISABLED | VK_USER_F_LANG |
	    VK_USER_F_DISPLAY | VK_USER_F_EMAIL | VK_USER_F_PASSWORD;
	upd.role = VK_ROLE_AUDITOR;
	upd.disabled = true;
	upd.lang = VK_LANG_SV;
	upd.display_name = "A. A.";
	upd.email = NULL;
	upd.password_hash = "$argon2id$y";
	assert_int_equal(vk_store_user_update(st, id, &upd), 0);
	assert_int_equal(vk_store_user_get(st, id, &u), 0);
	assert_int_equal(u->role, VK_ROLE_AUDITOR);
	assert_true(u->disabled);
	assert_int_equal(u->lang, VK_LANG_SV);
	assert_string_equal(u->display_name, "A. A.");
	assert_string_equal(u->email, "");
	assert_string_equal(u->password_hash, "$argon2id$y");
	assert_true(u->updated >= u->created);
	assert_int_equal(u->password_changed, u->updated);
	vk_user_free(u);
	/* Only the flagged field changes. */
	memset(&upd, 0, sizeof(upd));
	upd.fields = VK_USER_F_DISABLED;
	upd.disabled = false;
	assert_int_equal(vk_store_user_update(st, id, &upd), 0);
	assert_int_equal(vk_store_user_get(st, id, &u), 0);
	assert_false(u->disabled);
	assert_int_equal(u->role, VK_ROLE_AUDITOR);
	assert_string_equal(u->password_hash, "$argon2id$y");
	vk_user_free(u);
	assert_int_equal(
	    vk_store_user_update(st, id + 100, &upd), VK_ENOTFOUND);
	upd.fields = VK_USER_F_ROLE;
	upd.role = (enum vk_role)42;
	assert_int_equal(vk_store_user_update(st, id, &upd), VK_EINVAL);

	fx_add_user(st, "carl");
	fx_add_user(st, "Bertil");
	fx_add_user(st, "david");
	assert_int_equal(vk_store_user_count(st, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(vk_store_user_list(st, &pg, &l), 0);
	assert_int_equal(l->total, 4);
	assert_int_equal(l->n, 2);
	assert_string_equal(l->v[0].username, "Bertil");
	assert_string_equal(l->v[1].username, "carl");
	vk_user_list_free(l);
	assert_int_equal(vk_store_user_list(st, NULL, &l), 0);
	assert_int_equal(l->n, 4);
	assert_string_equal(l->v[0].username, "Alice");
	vk_user_list_free(l);
	pg.offset = 10;
	assert_int_equal(vk_store_user_list(st, &pg, &l), 0);
	assert_int_equal(l->n, 0);
	assert_int_equal(l->total, 4);
	vk_user_list_free(l);
	vk_user_free(NULL);
	vk_user_list_free(NULL);
}

static void
test_sessions(void **state)
{
	struct vk_store *st = fx_store(state, true);
	struct vk_session in, *s = NULL;
	int64_t uid = fx_add_user(st, "sam"), uid2 = fx_add_user(st, "tove"), n;

	memset(&in, 0, sizeof(in));
	memcpy(in.id_hash, H1, VK_HASH_HEX);
	in.user_id = uid;
	in.csrf_token = (char *)(uintptr_t) "csrf1";
	in.source = (char *)(uintptr_t) "192.0.2.7";
	in.created = in.last_seen = 1000;
	in.expires = 2000;
	assert_int_equal(vk_store_session_create(st, &in), 0);
	assert_int_equal(vk_store_session_create(st, &in), VK_EEXIST);
	memcpy(in.id_hash, H2, VK_HASH_HEX);
	in.user_id = uid2;
	in.expires = 5000;
	assert_int_equal(vk_store_session_create(st, &in), 0);
	memcpy(in.id_hash, H3, VK_HASH_HEX);
	in.user_id = 9999;
	assert_int_equal(vk_store_session_create(st, &in), VK_EINVAL);
	memcpy(in.id_hash, "zz", 3);
	assert_int_equal(vk_store_session_create(st, &in), VK_EINVAL);

	assert_int_equal(vk_store_session_get(st, H1, 1500, &s), 0);
	assert_int_equal(s->user_id, uid);
	assert_string_equal(s->csrf_token, "csrf1");
	assert_string_equal(s->source, "192.0.2.7");
	assert_int_equal(s->created, 1000);
	assert_int_equal(s->expires, 2000);
	vk_session_free(s);
	/* The absolute timeout: expired at 2000. */
	assert_int_equal(vk_store_session_get(st, H1, 2000, &s), VK_ENOTFOUND);
	assert_null(s);
	assert_int_equal(vk_store_session_get(st, "junk", 0, &s), VK_ENOTFOUND);
	assert_int_equal(vk_store_session_touch(st, H1, 1800), 0);
	assert_int_equal(vk_store_session_get(st, H1, 1900, &s), 0);
	assert_int_equal(s->last_seen, 1800);
	vk_session_free(s);
	assert_int_equal(vk_store_session_touch(st, H3, 1), VK_ENOTFOUND);
	assert_int_equal(vk_store_session_count(st, 1500, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(vk_store_session_purge(st, 2000, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vk_store_session_count(st, 0, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vk_store_session_delete(st, H2), 0);
	assert_int_equal(vk_store_session_delete(st, H2), VK_ENOTFOUND);
	memcpy(in.id_hash, H3, VK_HASH_HEX);
	in.user_id = uid;
	assert_int_equal(vk_store_session_create(st, &in), 0);
	memcpy(in.id_hash, H1, VK_HASH_HEX);
	assert_int_equal(vk_store_session_create(st, &in), 0);
	assert_int_equal(vk_store_session_delete_for_user(st, uid), 0);
	assert_int_equal(vk_store_session_count(st, 0, &n), 0);
	assert_int_equal(n, 0);
	vk_session_free(NULL);
}

static void
test_tokens(void **state)
{
	struct vk_store *st = fx_store(state, true);
	int64_t uid = fx_add_user(st, "api"), uid2 = fx_add_user(st, "other");
	int64_t t1, t2, t3;
	struct vk_token *t = NULL;
	struct vk_token_list *l = NULL;

	assert_int_equal(vk_store_token_create(st, uid, "siem", H1, &t1), 0);
	assert_int_equal(vk_store_token_create(st, uid, "ci", H2, &t2), 0);
	assert_int_equal(vk_store_token_create(st, uid2, "x", H3, &t3), 0);
	assert_int_equal(
	    vk_store_token_create(st, uid2, "y", H3, NULL), VK_EEXIST);
	assert_int_equal(
	    vk_store_token_create(st, 9999, "y", H1 "0", NULL), VK_EINVAL);
	assert_int_equal(vk_store_token_list(st, uid, NULL, &l), 0);
	assert_int_equal(l->n, 2);
	assert_int_equal(l->total, 2);
	assert_string_equal(l->v[0].name, "siem");
	assert_string_equal(l->v[1].token_hash, H2);
	vk_token_list_free(l);
	assert_int_equal(vk_store_token_list(st, 0, NULL, &l), 0);
	assert_int_equal(l->total, 3);
	vk_token_list_free(l);
	assert_int_equal(vk_store_token_get_by_hash(st, H2, &t), 0);
	assert_int_equal(t->id, t2);
	assert_int_equal(t->user_id, uid);
	assert_false(t->revoked);
	assert_int_equal(t->last_used, 0);
	vk_token_free(t);
	assert_int_equal(vk_store_token_touch(st, t2, 777), 0);
	assert_int_equal(vk_store_token_revoke(st, t2), 0);
	assert_int_equal(vk_store_token_get(st, t2, &t), 0);
	assert_true(t->revoked);
	assert_true(t->revoked_at > 0);
	assert_int_equal(t->last_used, 777);
	vk_token_free(t);
	assert_int_equal(vk_store_token_revoke(st, t2), 0);
	assert_int_equal(vk_store_token_revoke(st, 9999), VK_ENOTFOUND);
	assert_int_equal(vk_store_token_get(st, 9999, &t), VK_ENOTFOUND);
	assert_int_equal(
	    vk_store_token_get_by_hash(st, "nothex", &t), VK_ENOTFOUND);
	(void)t1;
	(void)t3;
}

static void
test_throttle(void **state)
{
	struct vk_store *st = fx_store(state, true);
	int64_t n, at;

	assert_int_equal(vk_store_throttle_fail(st, "user:a", 100), 0);
	assert_int_equal(vk_store_throttle_fail(st, "user:a", 200), 0);
	assert_int_equal(vk_store_throttle_fail(st, "user:a", 300), 0);
	assert_int_equal(vk_store_throttle_fail(st, "addr:192.0.2.1", 300), 0);
	assert_int_equal(vk_store_throttle_count(st, "user:a", 0, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(vk_store_throttle_count(st, "user:a", 200, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(vk_store_throttle_oldest(st, "user:a", 150, &at), 0);
	assert_int_equal(at, 200);
	assert_int_equal(vk_store_throttle_oldest(st, "user:b", 0, &at), 0);
	assert_int_equal(at, 0);
	assert_int_equal(vk_store_throttle_purge(st, 250), 0);
	assert_int_equal(vk_store_throttle_count(st, "user:a", 0, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vk_store_throttle_clear(st, "user:a"), 0);
	assert_int_equal(vk_store_throttle_count(st, "user:a", 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(
	    vk_store_throttle_count(st, "addr:192.0.2.1", 0, &n), 0);
	assert_int_equal(n, 1);
}

static void
test_settings(void **state)
{
	struct vk_store *st = fx_store(state, true);
	struct vk_setting_list *l = NULL;
	char *v = NULL;

	assert_int_equal(
	    vk_store_setting_get(st, "org.name", &v), VK_ENOTFOUND);
	assert_null(v);
	assert_int_equal(vk_store_setting_set(st, "org.name", "Vaksala"), 0);
	assert_int_equal(
	    vk_store_setting_set(st, "org.name", "Vaksala kommun"), 0);
	assert_int_equal(vk_store_setting_set(st, "default_lang", "sv"), 0);
	assert_int_equal(vk_store_setting_get(st, "org.name", &v), 0);
	assert_string_equal(v, "Vaksala kommun");
	free(v);
	assert_int_equal(vk_store_setting_list(st, &l), 0);
	assert_int_equal(l->n, 2);
	assert_string_equal(l->v[0].key, "default_lang");
	assert_string_equal(l->v[1].value, "Vaksala kommun");
	vk_setting_list_free(l);
	assert_int_equal(vk_store_setting_delete(st, "default_lang"), 0);
	assert_int_equal(
	    vk_store_setting_delete(st, "default_lang"), VK_ENOTFOUND);
	assert_int_equal(vk_store_setting_set(st, "", "x"), VK_EINVAL);
	assert_int_equal(vk_store_setting_set(st, "k", NULL), VK_EINVAL);
}

static void
append(
    struct vk_store *st, const char *actor, const char *action, const char *oid)
{
	assert_int_equal(vk_audit_append(st, actor, "192.0.2.9", action, "user",
			     oid, "{\"a\":1}", "{\"a\":2}"),
	    0);
}

static int64_t
verify(struct vk_store *st)
{
	int64_t bad = -1, checked;
	int r;

	r = vk_audit_verify(st, &bad, &checked, NULL);
	if (r == 0)
		assert_int_equal(bad, 0);
	else
		assert_int_equal(r, VK_ECONFLICT);
	return bad;
}

/* Lets raw SQL change the audit log, as an attacker with database
 * access could. */
static void
disarm(struct vk_store *st)
{
	assert_int_equal(
	    vk_store_exec_raw(st,
		fx_use_pg ? "ALTER TABLE audit_log DISABLE TRIGGER USER"
			  : "DROP TRIGGER audit_log_no_update; "
			    "DROP TRIGGER audit_log_no_delete"),
	    0);
}

static void
test_audit_chain(void **state)
{
	struct vk_store *st = fx_store(state, true);
	struct vk_audit_list *l = NULL;
	struct vk_audit_filter f;
	struct vk_page pg = { 2, 0 };
	char hash[VK_HASH_HEX];
	int64_t seq, checked;
	int i;

	assert_int_equal(verify(st), 0);
	assert_int_equal(vk_store_audit_head(st, &seq, hash), 0);
	assert_int_equal(seq, 0);
	for (i = 1; i <= 6; i++) {
		char oid[8];

		snprintf(oid, sizeof(oid), "u%d", i);
		append(st, i % 2 ? "cli:root" : "user:alice",
		    i < 4 ? "user.create" : "user.role", oid);
	}
	assert_int_equal(vk_audit_verify(st, &seq, &checked, NULL), 0);
	assert_int_equal(checked, 6);
	/* Missing actor or action is refused. */
	assert_int_equal(
	    vk_audit_append(st, "", "", "x", "", "", "", ""), VK_EINVAL);
	assert_int_equal(
	    vk_audit_append(st, "system", "", "", "", "", "", ""), VK_EINVAL);

	memset(&f, 0, sizeof(f));
	assert_int_equal(vk_store_audit_list(st, &f, &pg, &l), 0);
	assert_int_equal(l->total, 6);
	assert_int_equal(l->n, 2);
	assert_int_equal(l->v[0].seq, 6);
	assert_string_equal(l->v[0].before, "{\"a\":1}");
	assert_string_equal(l->v[0].source, "192.0.2.9");
	assert_string_equal(l->v[1].prev_hash, l->v[1].prev_hash);
	assert_string_equal(l->v[0].prev_hash, l->v[1].hash);
	vk_audit_list_free(l);
	f.actor = "user:alice";
	assert_int_equal(vk_store_audit_list(st, &f, NULL, &l), 0);
	assert_int_equal(l->total, 3);
	vk_audit_list_free(l);
	f.action = "user.role";
	assert_int_equal(vk_store_audit_list(st, &f, NULL, &l), 0);
	assert_int_equal(l->total, 2);
	vk_audit_list_free(l);
	memset(&f, 0, sizeof(f));
	f.object_type = "user";
	f.object_id = "u3";
	assert_int_equal(vk_store_audit_list(st, &f, NULL, &l), 0);
	assert_int_equal(l->total, 1);
	assert_int_equal(l->v[0].seq, 3);
	f.since = l->v[0].time;
	f.object_id = NULL;
	vk_audit_list_free(l);
	assert_int_equal(vk_store_audit_list(st, &f, NULL, &l), 0);
	assert_true(l->total >= 4);
	vk_audit_list_free(l);
	f.since = 0;
	f.until = 1;
	assert_int_equal(vk_store_audit_list(st, &f, NULL, &l), 0);
	assert_int_equal(l->total, 0);
	vk_audit_list_free(l);

	/* The log refuses UPDATE and DELETE. */
	assert_int_not_equal(
	    vk_store_exec_raw(st, "UPDATE audit_log SET actor = 'x'"), 0);
	assert_int_not_equal(vk_store_exec_raw(st, "DELETE FROM audit_log"), 0);
	assert_int_equal(verify(st), 0);
}

static void
test_audit_tamper_alter(void **state)
{
	struct vk_store *st = fx_store(state, true);
	int i;

	for (i = 0; i < 5; i++)
		append(st, "system", "x.y", "o");
	disarm(st);
	assert_int_equal(vk_store_exec_raw(st,
			     "UPDATE audit_log SET after_json = '{\"a\":3}' "
			     "WHERE seq = 3"),
	    0);
	assert_int_equal(verify(st), 3);
}

static void
test_audit_tamper_delete(void **state)
{
	struct vk_store *st = fx_store(state, true);
	struct vk_diag d;
	int64_t bad;
	int i;

	for (i = 0; i < 5; i++)
		append(st, "system", "x.y", "o");
	disarm(st);
	assert_int_equal(
	    vk_store_exec_raw(st, "DELETE FROM audit_log WHERE seq = 2"), 0);
	vk_diag_init(&d);
	assert_int_equal(vk_audit_verify(st, &bad, NULL, &d), VK_ECONFLICT);
	assert_int_equal(bad, 2);
	assert_int_equal(d.nerr, 1);
	assert_non_null(strstr(d.v[0].msg, "missing"));
	vk_diag_release(&d);
}

static void
test_audit_tamper_tail(void **state)
{
	struct vk_store *st = fx_store(state, true);
	int i;

	for (i = 0; i < 5; i++)
		append(st, "system", "x.y", "o");
	disarm(st);
	assert_int_equal(
	    vk_store_exec_raw(st, "DELETE FROM audit_log WHERE seq >= 4"), 0);
	assert_int_equal(verify(st), 4);
}

static void
test_audit_tamper_swap(void **state)
{
	struct vk_store *st = fx_store(state, true);
	int i;

	for (i = 0; i < 5; i++) {
		char oid[8];

		snprintf(oid, sizeof(oid), "o%d", i + 1);
		append(st, "system", "x.y", oid);
	}
	disarm(st);
	/* Swap entries 2 and 4 whole (hashes included) by moving seq. */
	assert_int_equal(vk_store_exec_raw(st,
			     "UPDATE audit_log SET seq = 100 WHERE seq = 2; "
			     "UPDATE audit_log SET seq = 2 WHERE seq = 4; "
			     "UPDATE audit_log SET seq = 4 WHERE seq = 100"),
	    0);
	assert_int_equal(verify(st), 2);
}

/* Every text field with SQL metacharacters and non-ASCII text comes
 * back byte for byte; invalid UTF-8 is refused and writes nothing. */
static void
test_metachars(void **state)
{
	static const char *const nasty[] = {
		"'; DROP TABLE users; --",
		"\" OR 1=1 --",
		"back\\slash %_ $1 ?1 :x",
		"Åsa Öberg — ☃ 🦔",
		"line\nbreak\ttab\r",
	};
	static const char bad_utf8[] = "ok\xff\xfe";
	static const char overlong[] = "\xc0\xaf";
	static const char surrogate[] = "\xed\xa0\x80";
	struct vk_store *st = fx_store(state, true);
	struct vk_user in, *u = NULL;
	struct vk_session s, *sp = NULL;
	struct vk_audit_list *l = NULL;
	struct vk_token *t = NULL;
	int64_t id, n, tid;
	char *v = NULL, name[32];
	size_t i;

	for (i = 0; i < sizeof(nasty) / sizeof(nasty[0]); i++) {
		const char *x = nasty[i];

		memset(&in, 0, sizeof(in));
		snprintf(name, sizeof(name), "%.20s%zu", x, i);
		in.username = name;
		in.display_name = (char *)(uintptr_t)x;
		in.email = (char *)(uintptr_t)x;
		in.password_hash = (char *)(uintptr_t)x;
		assert_int_equal(vk_store_user_add(st, &in, &id), 0);
		assert_int_equal(vk_store_user_get_by_name(st, name, &u), 0);
		assert_string_equal(u->username, name);
		assert_string_equal(u->display_name, x);
		assert_string_equal(u->email, x);
		assert_string_equal(u->password_hash, x);
		vk_user_free(u);

		assert_int_equal(vk_store_setting_set(st, x, x), 0);
		assert_int_equal(vk_store_setting_get(st, x, &v), 0);
		assert_string_equal(v, x);
		free(v);

		memset(&s, 0, sizeof(s));
		memcpy(s.id_hash, i % 2 ? H1 : H2, VK_HASH_HEX);
		s.user_id = id;
		s.csrf_token = (char *)(uintptr_t)x;
		s.source = (char *)(uintptr_t)x;
		s.expires = 10;
		assert_int_equal(
		    vk_store_session_delete_for_user(st, id - 1), 0);
		assert_int_equal(vk_store_session_create(st, &s), 0);
		assert_int_equal(
		    vk_store_session_get(st, s.id_hash, 0, &sp), 0);
		assert_string_equal(sp->csrf_token, x);
		assert_string_equal(sp->source, x);
		vk_session_free(sp);

		assert_int_equal(vk_store_token_create(st, id, x,
				     i % 2 ? H3
					   : "444444444444444444444444444444444"
					     "4444444444444444444444444444444",
				     &tid),
		    0);
		assert_int_equal(vk_store_token_get(st, tid, &t), 0);
		assert_string_equal(t->name, x);
		vk_token_free(t);
		assert_int_equal(vk_store_token_revoke(st, tid), 0);
		if (i % 2 == 0)
			assert_int_equal(
			    vk_store_exec_raw(st, "DELETE FROM api_tokens"), 0);
		else
			assert_int_equal(
			    vk_store_exec_raw(st, "DELETE FROM api_tokens"), 0);

		assert_int_equal(vk_store_throttle_fail(st, x, 1), 0);
		assert_int_equal(vk_store_throttle_count(st, x, 0, &n), 0);
		assert_int_equal(n, 1);

		assert_int_equal(vk_audit_append(st, x, x, x, x, x, x, x), 0);
		assert_int_equal(vk_store_audit_list(st, NULL, NULL, &l), 0);
		assert_string_equal(l->v[0].actor, x);
		assert_string_equal(l->v[0].source, x);
		assert_string_equal(l->v[0].action, x);
		assert_string_equal(l->v[0].object_type, x);
		assert_string_equal(l->v[0].object_id, x);
		assert_string_equal(l->v[0].before, x);
		assert_string_equal(l->v[0].after, x);
		vk_audit_list_free(l);
	}
	assert_int_equal(verify(st), 0);

	/* Invalid UTF-8: refused everywhere, nothing written. */
	const char *const bads[] = { bad_utf8, overlong, surrogate };
	for (i = 0; i < 3; i++) {
		const char *b = bads[i];

		memset(&in, 0, sizeof(in));
		in.username = (char *)(uintptr_t)b;
		assert_int_equal(vk_store_user_add(st, &in, NULL), VK_EINVAL);
		in.username = (char *)(uintptr_t) "fine";
		in.display_name = (char *)(uintptr_t)b;
		assert_int_equal(vk_store_user_add(st, &in, NULL), VK_EINVAL);
		assert_int_equal(vk_store_setting_set(st, "k", b), VK_EINVAL);
		assert_int_equal(vk_store_throttle_fail(st, b, 1), VK_EINVAL);
		assert_int_equal(
		    vk_audit_append(st, "system", "", "a", "", "", "", b),
		    VK_EINVAL);
		assert_int_equal(
		    vk_store_token_create(st, id, b, H1, NULL), VK_EINVAL);
	}
	assert_int_equal(
	    vk_store_user_get_by_name(st, "fine", &u), VK_ENOTFOUND);
	assert_int_equal(vk_store_setting_get(st, "k", &v), VK_ENOTFOUND);
	assert_int_equal(vk_store_user_count(st, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(verify(st), 0);
	assert_int_equal(vk_store_audit_list(st, NULL, NULL, &l), 0);
	assert_int_equal(l->total, 5);
	vk_audit_list_free(l);
}

struct appender {
	struct vk_store *st;
	int n;
	int failures;
};

static void *
append_many(void *arg)
{
	struct appender *a = arg;
	int i;

	for (i = 0; i < a->n; i++) {
		/* Half inside an explicit transaction with another change,
		 * half on their own. */
		if (i % 2) {
			char key[32];

			snprintf(key, sizeof(key), "t%p.%d", (void *)a, i);
			if (vk_store_begin(a->st) != 0 ||
			    vk_store_setting_set(a->st, key, "v") != 0 ||
			    vk_audit_append(a->st, "system", "", "setting.set",
				"setting", key, "", "{}") != 0 ||
			    vk_store_commit(a->st) != 0) {
				(void)vk_store_rollback(a->st);
				a->failures++;
			}
		} else if (vk_audit_append(a->st, "system", "", "t.append", "",
			       "", "", "") != 0)
			a->failures++;
	}
	return NULL;
}

static void
test_audit_concurrent(void **state)
{
	struct vk_store *st = fx_store(state, true);
	/* More threads than pooled connections (VK_STORE_POOL_MAX), so
	 * some wait for a free one. */
	enum { THREADS = VK_STORE_POOL_MAX + 4, EACH = 12 };
	struct appender a[THREADS];
	pthread_t th[THREADS];
	char hash[VK_HASH_HEX];
	int64_t seq;
	int i;

	for (i = 0; i < THREADS; i++) {
		a[i].st = st;
		a[i].n = EACH;
		a[i].failures = 0;
		assert_int_equal(
		    pthread_create(&th[i], NULL, append_many, &a[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(a[i].failures, 0);
	}
	assert_int_equal(vk_store_audit_head(st, &seq, hash), 0);
	assert_int_equal(seq, THREADS * EACH);
	assert_int_equal(verify(st), 0);
}

static void
test_rollback(void **state)
{
	struct vk_store *st = fx_store(state, true);
	struct vk_user in;
	char hash[VK_HASH_HEX], *v = NULL;
	int64_t n, seq;

	fx_add_user(st, "keep");
	assert_int_equal(vk_store_begin(st), 0);
	assert_int_equal(vk_store_begin(st), VK_EINVAL);
	fx_add_user(st, "gone");
	assert_int_equal(vk_store_setting_set(st, "k", "v"), 0);
	append(st, "system", "user.create", "gone");
	/* An error in the middle: the caller rolls back everything. */
	memset(&in, 0, sizeof(in));
	in.username = (char *)(uintptr_t) "KEEP";
	assert_int_equal(vk_store_user_add(st, &in, NULL), VK_EEXIST);
	assert_int_equal(vk_store_rollback(st), 0);
	assert_int_equal(vk_store_rollback(st), VK_EINVAL);
	assert_int_equal(vk_store_commit(st), VK_EINVAL);
	assert_int_equal(vk_store_user_count(st, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vk_store_setting_get(st, "k", &v), VK_ENOTFOUND);
	assert_int_equal(vk_store_audit_head(st, &seq, hash), 0);
	assert_int_equal(seq, 0);
	/* And a committed one stays. */
	assert_int_equal(vk_store_begin(st), 0);
	fx_add_user(st, "new");
	append(st, "system", "user.create", "new");
	assert_int_equal(vk_store_commit(st), 0);
	assert_int_equal(vk_store_user_count(st, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(verify(st), 0);
}

static void
test_jobs(void **state)
{
	struct vk_store *st = fx_store(state, true);
	struct vk_job *j = NULL;
	int64_t a, b;

	assert_int_equal(vk_store_job_add(st, "feed.import", "{}", 100, &a), 0);
	assert_int_equal(
	    vk_store_job_add(st, "hunt.sweep", "{\"x\":1}", 50, &b), 0);
	assert_int_equal(vk_store_job_claim(st, "w1", 10, &j), VK_ENOTFOUND);
	assert_int_equal(vk_store_job_claim(st, "w1", 100, &j), 0);
	assert_int_equal(j->id, b);
	assert_int_equal(j->state, VK_JOB_RUNNING);
	assert_string_equal(j->claimed_by, "w1");
	assert_int_equal(j->attempts, 1);
	assert_string_equal(j->payload, "{\"x\":1}");
	vk_job_free(j);
	assert_int_equal(vk_store_job_claim(st, "w2", 100, &j), 0);
	assert_int_equal(j->id, a);
	vk_job_free(j);
	assert_int_equal(vk_store_job_claim(st, "w2", 100, &j), VK_ENOTFOUND);
	assert_int_equal(vk_store_job_finish(st, a, true, "ok"), 0);
	assert_int_equal(vk_store_job_finish(st, a, true, "ok"), VK_ENOTFOUND);
	assert_int_equal(vk_store_job_add(st, "", "", 0, NULL), VK_EINVAL);
}

static void
test_backup_restore(void **state)
{
	struct fixture *f = *state;
	struct vk_store *st = fx_store(state, true);
	struct vk_diag d;
	char path[512], hash[VK_HASH_HEX];
	int64_t n, seq;

	vk_diag_init(&d);
	if (fx_use_pg) {
		assert_int_equal(
		    vk_store_backup(st, "/tmp/x", &d), VK_EUNSUPPORTED);
		assert_non_null(strstr(d.v[0].msg, "pg_dump"));
		vk_diag_release(&d);
		return;
	}
	fx_add_user(st, "saved");
	append(st, "system", "user.create", "saved");
	snprintf(path, sizeof(path), "%s/backup.db", f->dir);
	assert_int_equal(vk_store_backup(st, path, &d), 0);
	assert_int_equal(vk_store_backup(st, path, &d), VK_EEXIST);
	fx_add_user(st, "later");
	append(st, "system", "user.create", "later");
	/* Non-empty: refused without force. */
	assert_int_equal(vk_store_restore(st, path, false, &d), VK_EEXIST);
	assert_int_equal(vk_store_restore(st, path, true, &d), 0);
	assert_int_equal(vk_store_user_count(st, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vk_store_audit_head(st, &seq, hash), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(verify(st), 0);
	/* Not a vaksam database. */
	snprintf(path, sizeof(path), "%s/junk.db", f->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("this is not sqlite\n", fp);
	fclose(fp);
	assert_int_equal(vk_store_restore(st, path, true, &d), VK_EPARSE);
	assert_int_equal(vk_store_user_count(st, &n), 0);
	assert_int_equal(n, 1);
	vk_diag_release(&d);
}

static void
test_open_modes(void **state)
{
	struct fixture *f = *state;
	struct vk_store *st2 = NULL;
	struct stat sb;
	char path[1100];

	(void)fx_store(state, false);
	if (fx_use_pg) {
		struct vk_diag d;

		vk_diag_init(&d);
		assert_int_equal(
		    vk_store_open("postgresql://127.0.0.1:1/none", &st2, &d),
		    VK_ESTORE);
		assert_null(st2);
		assert_true(d.nerr > 0);
		vk_diag_release(&d);
		return;
	}
	assert_int_equal(stat(f->spec, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/vaksam.db", f->spec);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(vk_store_open("", &st2, NULL), VK_EINVAL);
	assert_int_equal(
	    vk_store_open("/proc/no/such/dir", &st2, NULL), VK_EIO);
	assert_null(st2);
}

static void
test_spec_redact(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(vk_store_spec_redact("postgresql://u:secret@h:5432/db",
			     buf, sizeof(buf)),
	    0);
	assert_string_equal(buf, "postgresql://u:***@h:5432/db");
	assert_int_equal(
	    vk_store_spec_redact(
		"postgres://h/db?user=u&password=pw&x=1", buf, sizeof(buf)),
	    0);
	assert_string_equal(buf, "postgres://h/db?user=u&password=***&x=1");
	assert_int_equal(
	    vk_store_spec_redact("/var/lib/vaksam", buf, 8), VK_ETOOBIG);
	assert_string_equal(buf, "/var/li");
	assert_int_equal(
	    vk_store_spec_redact("postgresql://u@h/db", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "postgresql://u@h/db");
}

static const struct fx_case cases[] = {
	{ "migrate_status", test_migrate_status },
	{ "users", test_users },
	{ "sessions", test_sessions },
	{ "tokens", test_tokens },
	{ "throttle", test_throttle },
	{ "settings", test_settings },
	{ "audit_chain", test_audit_chain },
	{ "audit_tamper_alter", test_audit_tamper_alter },
	{ "audit_tamper_delete", test_audit_tamper_delete },
	{ "audit_tamper_tail", test_audit_tamper_tail },
	{ "audit_tamper_swap", test_audit_tamper_swap },
	{ "metachars", test_metachars },
	{ "audit_concurrent", test_audit_concurrent },
	{ "rollback", test_rollback },
	{ "jobs", test_jobs },
	{ "backup_restore", test_backup_restore },
	{ "open_modes", test_open_modes },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

int
main(void)
{
	static const struct fx_case extra[] = {
		{ "spec_redact", test_spec_redact },
	};

	return fx_run("store", cases, NCASES, extra, 1);
}
