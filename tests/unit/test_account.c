/*
 * test_account.c — passwords, policy, sessions, tokens, throttling and
 * audited account changes, on a SQLite store in a temp directory.
 * (The store itself is tested on both backends in test_store.c.)
 * Each argon2id hash costs ~64 MiB and tens of milliseconds, so the
 * cases share few of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "account/account.h"
#include "audit/audit.h"
#include "store/store.h"
#include "util/err.h"

struct fixture {
	char dir[64];
	struct vk_store *st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char spec[128];

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/vk_test_account_XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(spec, sizeof(spec), "%s/data", f->dir);
	if (vk_store_open(spec, &f->st, NULL) != 0 ||
	    vk_store_migrate(f->st, NULL, NULL) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	vk_store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static struct vk_store *
st_of(void **state)
{
	return ((struct fixture *)*state)->st;
}

static void
test_password_hash(void **state)
{
	char *h = NULL, *h2 = NULL;

	(void)state;
	assert_int_equal(vk_password_hash("correct horse battery", &h), 0);
	assert_non_null(strstr(h, "$argon2id$"));
	assert_int_equal(vk_password_verify(h, "correct horse battery"), 0);
	assert_int_equal(
	    vk_password_verify(h, "correct horse batterY"), VK_EPERM);
	assert_int_equal(vk_password_verify(h, ""), VK_EPERM);
	assert_int_equal(vk_password_verify("", "x"), VK_EINVAL);
	assert_int_equal(vk_password_verify("$2y$10$abc", "x"), VK_EINVAL);
	assert_int_equal(vk_password_verify("$argon2id$junk", "x"), VK_EPERM);
	/* Salted: the same password hashes differently. */
	assert_int_equal(vk_password_hash("correct horse battery", &h2), 0);
	assert_string_not_equal(h, h2);
	free(h);
	free(h2);
}

static void
test_password_policy(void **state)
{
	char big[VK_PASSWORD_MAX + 2], *h = NULL;
	struct vk_diag d;

	(void)state;
	vk_diag_init(&d);
	assert_int_equal(vk_password_check("alice", "abcdefghijkl", &d), 0);
	assert_int_equal(
	    vk_password_check("alice", "abcdefghijk", &d), VK_EINVAL);
	assert_string_equal(d.v[0].where, "password");
	assert_int_equal(
	    vk_password_check("Alice.Andersson", "alice.andersson", NULL),
	    VK_EINVAL);
	assert_int_equal(
	    vk_password_check("bob", "bad\xff utf-8 here", NULL), VK_EINVAL);
	assert_int_equal(vk_password_check("bob", NULL, NULL), VK_EINVAL);
	memset(big, 'x', sizeof(big));
	big[VK_PASSWORD_MAX] = '\0';
	assert_int_equal(vk_password_check("bob", big, NULL), 0);
	big[VK_PASSWORD_MAX] = 'x';
	big[VK_PASSWORD_MAX + 1] = '\0';
	assert_int_equal(vk_password_check("bob", big, NULL), VK_EINVAL);
	assert_int_equal(vk_password_hash(big, &h), VK_EINVAL);
	assert_null(h);
	/* Non-ASCII passwords are fine (12 bytes of UTF-8 here). */
	assert_int_equal(vk_password_check("bob", "åäöåäöåäöå", NULL), 0);
	vk_diag_release(&d);
}

static void
test_generate_and_names(void **state)
{
	char a[VK_PASSWORD_GEN_LEN + 1], b[VK_PASSWORD_GEN_LEN + 1], tiny[5];
	size_t i;

	(void)state;
	vk_password_generate(a, sizeof(a));
	vk_password_generate(b, sizeof(b));
	assert_int_equal(strlen(a), VK_PASSWORD_GEN_LEN);
	assert_string_not_equal(a, b);
	for (i = 0; i < VK_PASSWORD_GEN_LEN; i++)
		assert_null(strchr("0O1lI", a[i]));
	assert_int_equal(vk_password_check("admin", a, NULL), 0);
	vk_password_generate(tiny, sizeof(tiny));
	assert_int_equal(strlen(tiny), 4);

	assert_int_equal(vk_username_check("alice", NULL), 0);
	assert_int_equal(vk_username_check("a.b-c_d@kommun.se", NULL), 0);
	assert_int_equal(vk_username_check("", NULL), VK_EINVAL);
	assert_int_equal(vk_username_check("-x", NULL), VK_EINVAL);
	assert_int_equal(vk_username_check(".x", NULL), VK_EINVAL);
	assert_int_equal(vk_username_check("a b", NULL), VK_EINVAL);
	assert_int_equal(vk_username_check("a'b", NULL), VK_EINVAL);
	assert_int_equal(vk_username_check("åsa", NULL), VK_EINVAL);
	assert_int_equal(vk_username_check(
			     "x234567890123456789012345678901234567890123456789"
			     "0123456789012345",
			     NULL),
	    VK_EINVAL);

	assert_true(vk_secret_equal("abc", "abc"));
	assert_false(vk_secret_equal("abc", "abd"));
	assert_false(vk_secret_equal("abc", "abcd"));
	assert_false(vk_secret_equal(NULL, "abc"));
}

static void
test_token_parse(void **state)
{
	char h[VK_HASH_HEX], h2[VK_HASH_HEX];
	int64_t id;
	static const char good[] = "vk_42_"
				   "00112233445566778899aabbccddeeff"
				   "00112233445566778899aabbccddeeff";

	(void)state;
	assert_int_equal(vk_token_parse(good, &id, h), 0);
	assert_int_equal(id, 42);
	assert_int_equal(strlen(h), 64);
	assert_int_equal(vk_token_parse(good, &id, h2), 0);
	assert_string_equal(h, h2);
	assert_int_equal(vk_token_parse("vk_042_00112233445566778899aabbccddee"
					"ff00112233445566778899aabbccddeeff",
			     &id, h),
	    VK_EINVAL);
	assert_int_equal(vk_token_parse("vk_42_00112233445566778899AABBCCDDEE"
					"FF00112233445566778899aabbccddeeff",
			     &id, h),
	    VK_EINVAL);
	assert_int_equal(vk_token_parse("vk_42_00112233445566778899aabbccddee"
					"ff00112233445566778899aabbccddee",
			     &id, h),
	    VK_EINVAL);
	assert_int_equal(vk_token_parse("xk_42_00112233445566778899aabbccddee"
					"ff00112233445566778899aabbccddeeff",
			     &id, h),
	    VK_EINVAL);
	assert_int_equal(vk_token_parse("vk__00112233445566778899aabbccddee"
					"ff00112233445566778899aabbccddeeff",
			     &id, h),
	    VK_EINVAL);
	assert_int_equal(vk_token_parse("vk_1234567890123456789_001122334455"
					"66778899aabbccddeeff00112233445566778"
					"899aabbccddeeff",
			     &id, h),
	    VK_EINVAL);
	assert_int_equal(vk_token_parse("", &id, h), VK_EINVAL);
	assert_int_equal(vk_token_parse(NULL, &id, h), VK_EINVAL);
}

static void
test_sessions(void **state)
{
	struct vk_store *st = st_of(state);
	char cookie[VK_SESSION_COOKIE_LEN + 1], h[VK_HASH_HEX];
	struct vk_session *s = NULL, *r = NULL;
	struct vk_user u;
	int64_t uid, t0 = 1000000000;

	memset(&u, 0, sizeof(u));
	u.username = (char *)(uintptr_t) "sess";
	assert_int_equal(vk_store_user_add(st, &u, &uid), 0);
	assert_int_equal(vk_session_start(st, uid, "192.0.2.1", t0, cookie,
			     sizeof(cookie), &s),
	    0);
	assert_int_equal(strlen(cookie), VK_SESSION_COOKIE_LEN);
	assert_int_equal(strlen(s->csrf_token), VK_CSRF_LEN);
	assert_int_equal(vk_session_hash(cookie, h), 0);
	/* Only the hash is stored. */
	assert_string_equal(s->id_hash, h);
	assert_string_not_equal(s->id_hash, cookie);
	assert_int_equal(s->expires, t0 + VK_SESSION_ABS_US);
	assert_int_equal(vk_session_resume(st, cookie, t0 + 1000, &r), 0);
	assert_string_equal(r->csrf_token, s->csrf_token);
	vk_session_free(r);
	/* Idle: resumed at t0+1000, idle limit after that. */
	assert_int_equal(vk_session_resume(st, cookie,
			     t0 + 1000 + VK_SESSION_IDLE_US - 1, &r),
	    0);
	vk_session_free(r);
	assert_int_equal(vk_session_resume(st, cookie,
			     t0 + 1000 + 2 * VK_SESSION_IDLE_US, &r),
	    VK_ENOTFOUND);
	/* ...and the idle session was deleted. */
	assert_int_equal(vk_store_session_get(st, h, t0, &r), VK_ENOTFOUND);
	vk_session_free(s);
	/* Absolute: even when touched. */
	assert_int_equal(
	    vk_session_start(st, uid, "", t0, cookie, sizeof(cookie), NULL), 0);
	assert_int_equal(
	    vk_session_resume(st, cookie, t0 + VK_SESSION_ABS_US, &r),
	    VK_ENOTFOUND);
	assert_int_equal(vk_session_resume(st, "short", t0, &r), VK_ENOTFOUND);
	assert_int_equal(
	    vk_session_resume(
		st, "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!", t0, &r),
	    VK_ENOTFOUND);
	assert_int_equal(vk_session_hash("a", h), VK_EINVAL);
}

static int64_t
audit_count(struct vk_store *st)
{
	char h[VK_HASH_HEX];
	int64_t seq = -1;

	assert_int_equal(vk_store_audit_head(st, &seq, h), 0);
	return seq;
}

static void
test_accounts_and_login(void **state)
{
	struct vk_store *st = st_of(state);
	char pw[VK_PASSWORD_GEN_LEN + 1], gen[VK_PASSWORD_GEN_LEN + 1];
	char tok[VK_TOKEN_STR_MAX];
	struct vk_user *u = NULL;
	struct vk_diag d;
	int64_t retry = -1, id, tid, bad;

	vk_diag_init(&d);
	/* First start: admin with a random password, once. */
	assert_int_equal(vk_account_bootstrap(st, pw, sizeof(pw)), 0);
	assert_int_equal(strlen(pw), VK_PASSWORD_GEN_LEN);
	assert_int_equal(vk_account_bootstrap(st, gen, sizeof(gen)), VK_EEXIST);
	assert_int_equal(audit_count(st), 1);
	assert_int_equal(
	    vk_login(st, "ADMIN", pw, "192.0.2.5", vk_store_now(), &u, &retry),
	    0);
	assert_string_equal(u->username, "admin");
	assert_int_equal(u->role, VK_ROLE_ADMIN);
	vk_user_free(u);

	/* Policy is enforced and nothing is written on refusal. */
	assert_int_equal(
	    vk_account_create(st, "cli:test", "", "eve", VK_ROLE_HANDLER, NULL,
		NULL, "eve", NULL, 0, NULL, &d),
	    VK_EINVAL);
	assert_int_equal(
	    vk_account_create(st, "cli:test", "", "bad name", VK_ROLE_HANDLER,
		NULL, NULL, "long enough password", NULL, 0, NULL, &d),
	    VK_EINVAL);
	assert_int_equal(
	    vk_account_create(st, "cli:test", "", "Admin", VK_ROLE_HANDLER,
		NULL, NULL, "long enough password", NULL, 0, NULL, &d),
	    VK_EEXIST);
	assert_int_equal(audit_count(st), 2); /* the login */
	assert_int_equal(
	    vk_account_create(st, "cli:test", "", "eve", VK_ROLE_HANDLER, "Eve",
		"eve@kommun.se", "long enough password", NULL, 0, &id, &d),
	    0);
	assert_int_equal(
	    vk_account_set_role(st, "cli:test", "", "eve", VK_ROLE_AUDITOR, &d),
	    0);
	enum vk_lang en = VK_LANG_EN;
	assert_int_equal(vk_account_set_profile(st, "user:eve", "192.0.2.5",
			     "eve", &en, "Eve E", NULL, &d),
	    0);
	assert_int_equal(vk_store_user_get(st, id, &u), 0);
	assert_int_equal(u->role, VK_ROLE_AUDITOR);
	assert_int_equal(u->lang, VK_LANG_EN);
	assert_string_equal(u->display_name, "Eve E");
	assert_string_equal(u->email, "eve@kommun.se");
	vk_user_free(u);

	/* API token: issued, authenticates, revoked. */
	assert_int_equal(vk_token_issue(st, "cli:test", "", "eve", "siem", tok,
			     sizeof(tok), &tid),
	    0);
	assert_int_equal(strncmp(tok, "vk_", 3), 0);
	assert_int_equal(
	    vk_token_authenticate(st, tok, vk_store_now(), &u, &id), 0);
	assert_string_equal(u->username, "eve");
	assert_int_equal(id, tid);
	vk_user_free(u);
	tok[strlen(tok) - 1] = tok[strlen(tok) - 1] == 'a' ? 'b' : 'a';
	assert_int_equal(
	    vk_token_authenticate(st, tok, vk_store_now(), &u, NULL), VK_EPERM);
	tok[strlen(tok) - 1] = tok[strlen(tok) - 1] == 'a' ? 'b' : 'a';
	assert_int_equal(vk_token_issue(st, "cli:test", "", "nobody", "x", tok,
			     sizeof(tok), NULL),
	    VK_ENOTFOUND);

	/* Disabling ends access: login and tokens. */
	assert_int_equal(
	    vk_account_set_disabled(st, "cli:test", "", "eve", true, &d), 0);
	assert_int_equal(vk_login(st, "eve", "long enough password", "",
			     vk_store_now(), &u, &retry),
	    VK_EPERM);
	assert_null(u);
	assert_int_equal(
	    vk_account_set_disabled(st, "cli:test", "", "eve", false, &d), 0);
	assert_int_equal(vk_account_set_password(st, "cli:test", "", "eve",
			     NULL, gen, sizeof(gen), &d),
	    0);
	assert_int_equal(
	    vk_login(st, "eve", gen, "", vk_store_now(), &u, &retry), 0);
	vk_user_free(u);
	assert_int_equal(vk_account_set_password(st, "cli:test", "", "nobody",
			     "long enough password", NULL, 0, &d),
	    VK_ENOTFOUND);
	assert_int_equal(vk_token_revoke_audited(st, "cli:test", "", tid), 0);
	assert_int_equal(
	    vk_token_authenticate(st, tok, vk_store_now(), &u, NULL), VK_EPERM);

	/* Every change above is in one intact chain. */
	assert_int_equal(vk_audit_verify(st, &bad, NULL, NULL), 0);
	assert_true(audit_count(st) >= 12);
	vk_diag_release(&d);
}

static void
test_throttling(void **state)
{
	struct vk_store *st = st_of(state);
	struct vk_user *u = NULL;
	int64_t now = vk_store_now(), retry = 0, n;
	int i;

	/* Four failures for the account are allowed... */
	for (i = 0; i < VK_THROTTLE_USER - 1; i++)
		assert_int_equal(
		    vk_store_throttle_fail(st, "user:mallory", now - 1000), 0);
	assert_int_equal(
	    vk_login_throttled(st, "Mallory", "198.51.100.1", now, &retry), 0);
	assert_int_equal(retry, 0);
	/* ...a fifth one (a real attempt, counted for both keys)... */
	assert_int_equal(vk_login(st, "mallory", "wrong password!",
			     "198.51.100.1", now, &u, &retry),
	    VK_EPERM);
	assert_int_equal(retry, 0);
	/* ...and then the account is refused without checking, with a
	 * retry-after inside the window. */
	assert_int_equal(vk_login(st, "MALLORY", "wrong password!",
			     "198.51.100.2", now, &u, &retry),
	    VK_EPERM);
	assert_true(retry > 0 && retry <= VK_THROTTLE_WINDOW_US);
	assert_int_equal(
	    vk_store_throttle_count(st, "addr:198.51.100.2", 0, &n), 0);
	assert_int_equal(n, 0); /* refused attempts are not counted */
	/* The window passes. */
	assert_int_equal(vk_login_throttled(st, "mallory", "",
			     now + VK_THROTTLE_WINDOW_US, &retry),
	    0);
	/* Per address: 20 failures over many names. */
	for (i = 0; i < VK_THROTTLE_ADDR; i++)
		assert_int_equal(
		    vk_store_throttle_fail(st, "addr:203.0.113.9", now - 10),
		    0);
	assert_int_equal(
	    vk_login_throttled(st, "anyone", "203.0.113.9", now, &retry),
	    VK_EPERM);
	assert_true(retry > 0);
	assert_int_equal(
	    vk_login_throttled(st, "anyone", "203.0.113.10", now, &retry), 0);
	/* Hostile names and addresses still give valid keys. */
	assert_int_equal(vk_login_throttled(st, "x\xff\xfe' OR 1=1",
			     "\xff\xff not an address", now, &retry),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test(test_password_policy),
		cmocka_unit_test(test_generate_and_names),
		cmocka_unit_test(test_token_parse),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_accounts_and_login, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_throttling, setup, teardown),
	};

	return cmocka_run_group_tests_name("account", tests, NULL, NULL);
}
