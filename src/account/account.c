/*
 * account.c — passwords, sessions, API tokens, login throttling and
 * audited account changes (see account.h).
 */
#include "account/account.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "store/backend.h"
#include "util/err.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result;

static void
init(void)
{
	init_result = sodium_init() < 0 ? VK_EINTERNAL : 0;
}

int
vk_account_init(void)
{
	pthread_once(&init_once, init);
	return init_result;
}

/* ------------------------------------------------------------------ */
/* Passwords.                                                          */

static bool
ascii_caseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

int
vk_password_check(const char *username, const char *password, struct vk_diag *d)
{
	size_t n;

	if (password == NULL) {
		vk_diag_error(d, "password", "a password is required");
		return VK_EINVAL;
	}
	n = strlen(password);
	if (n > VK_PASSWORD_MAX) {
		vk_diag_error(d, "password",
		    "the password is longer than %d bytes; choose a shorter "
		    "one",
		    VK_PASSWORD_MAX);
		return VK_EINVAL;
	}
	if (!vk_utf8_valid(password, n)) {
		vk_diag_error(
		    d, "password", "the password is not valid UTF-8 text");
		return VK_EINVAL;
	}
	if (n < VK_PASSWORD_MIN) {
		vk_diag_error(d, "password",
		    "the password must be at least %d characters long",
		    VK_PASSWORD_MIN);
		return VK_EINVAL;
	}
	if (username != NULL && ascii_caseeq(username, password)) {
		vk_diag_error(
		    d, "password", "the password must not be the user name");
		return VK_EINVAL;
	}
	return 0;
}

int
vk_password_hash(const char *password, char **hash)
{
	char buf[crypto_pwhash_STRBYTES];
	size_t n;

	*hash = NULL;
	if (vk_account_init() != 0)
		return VK_EINTERNAL;
	if (password == NULL || (n = strlen(password)) > VK_PASSWORD_MAX)
		return VK_EINVAL;
	if (crypto_pwhash_str(buf, password, n,
		crypto_pwhash_OPSLIMIT_INTERACTIVE,
		crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return VK_ENOMEM;
	*hash = strdup(buf);
	sodium_memzero(buf, sizeof(buf));
	return *hash ? 0 : VK_ENOMEM;
}

int
vk_password_verify(const char *hash, const char *password)
{
	size_t n;

	if (vk_account_init() != 0)
		return VK_EINTERNAL;
	if (hash == NULL || password == NULL ||
	    strncmp(hash, "$argon2id$", 10) != 0 ||
	    strlen(hash) >= crypto_pwhash_STRBYTES)
		return VK_EINVAL;
	if ((n = strlen(password)) > VK_PASSWORD_MAX)
		return VK_EPERM;
	return crypto_pwhash_str_verify(hash, password, n) == 0 ? 0 : VK_EPERM;
}

void
vk_password_generate(char *out, size_t n)
{
	/* No 0/O, 1/l/I: easy to read aloud and type.  56 symbols, 20 of
	 * them: log2(56) * 20 = 116 bits. */
	static const char alphabet[] =
	    "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	size_t i, len = VK_PASSWORD_GEN_LEN;

	if (n == 0)
		return;
	(void)vk_account_init();
	if (len > n - 1)
		len = n - 1;
	for (i = 0; i < len; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[len] = '\0';
}

int
vk_username_check(const char *username, struct vk_diag *d)
{
	size_t i, n;

	if (username == NULL || (n = strlen(username)) == 0) {
		vk_diag_error(d, "username", "a user name is required");
		return VK_EINVAL;
	}
	if (n > VK_USERNAME_MAX) {
		vk_diag_error(d, "username",
		    "the user name is longer than %d characters",
		    VK_USERNAME_MAX);
		return VK_EINVAL;
	}
	for (i = 0; i < n; i++) {
		char c = username[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '.' || c == '_' ||
			c == '@' || c == '-')) {
			vk_diag_error(d, "username",
			    "a user name may contain only letters a-z, digits "
			    "and . _ @ -");
			return VK_EINVAL;
		}
	}
	if (username[0] == '.' || username[0] == '-') {
		vk_diag_error(d, "username",
		    "a user name must not start with '.' or '-'");
		return VK_EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Sessions.                                                           */

static void
sha256_hex(const void *p, size_t n, char out[VK_HASH_HEX])
{
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(md, p, n);
	sodium_bin2hex(out, VK_HASH_HEX, md, sizeof(md));
}

static void
random_b64(char *out, size_t n)
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(
	    out, n, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

int
vk_session_hash(const char *cookie, char id_hash[VK_HASH_HEX])
{
	size_t i;

	if (cookie == NULL || strlen(cookie) != VK_SESSION_COOKIE_LEN)
		return VK_EINVAL;
	for (i = 0; i < VK_SESSION_COOKIE_LEN; i++) {
		char c = cookie[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_'))
			return VK_EINVAL;
	}
	if (vk_account_init() != 0)
		return VK_EINTERNAL;
	sha256_hex(cookie, VK_SESSION_COOKIE_LEN, id_hash);
	return 0;
}

int
vk_session_start(struct vk_store *st, int64_t user_id, const char *source,
    int64_t now, char *cookie, size_t n, struct vk_session **out)
{
	struct vk_session s;
	char csrf[VK_CSRF_LEN + 1];
	int r;

	if (out != NULL)
		*out = NULL;
	if (vk_account_init() != 0)
		return VK_EINTERNAL;
	if (cookie == NULL || n < VK_SESSION_COOKIE_LEN + 1)
		return VK_EINVAL;
	memset(&s, 0, sizeof(s));
	random_b64(cookie, n);
	random_b64(csrf, sizeof(csrf));
	sha256_hex(cookie, VK_SESSION_COOKIE_LEN, s.id_hash);
	s.user_id = user_id;
	s.csrf_token = csrf;
	s.source = (char *)(uintptr_t)(source ? source : "");
	s.created = s.last_seen = now;
	s.expires = now + VK_SESSION_ABS_US;
	if ((r = vk_store_session_create(st, &s)) != 0)
		goto out;
	if (out != NULL)
		r = vk_store_session_get(st, s.id_hash, now, out);
out:
	sodium_memzero(csrf, sizeof(csrf));
	if (r != 0)
		sodium_memzero(cookie, n);
	return r;
}

int
vk_session_resume(struct vk_store *st, const char *cookie, int64_t now,
    struct vk_session **out)
{
	char h[VK_HASH_HEX];
	struct vk_session *s = NULL;
	int r;

	*out = NULL;
	if (vk_session_hash(cookie, h) != 0)
		return VK_ENOTFOUND;
	if ((r = vk_store_session_get(st, h, now, &s)) != 0)
		return r;
	if (s->last_seen + VK_SESSION_IDLE_US <= now) {
		(void)vk_store_session_delete(st, h);
		vk_session_free(s);
		return VK_ENOTFOUND;
	}
	if ((r = vk_store_session_touch(st, h, now)) != 0) {
		vk_session_free(s);
		return r;
	}
	s->last_seen = now;
	*out = s;
	return 0;
}

bool
vk_secret_equal(const char *a, const char *b)
{
	size_t n;

	if (a == NULL || b == NULL)
		return false;
	n = strlen(a);
	if (n != strlen(b))
		return false;
	if (vk_account_init() != 0)
		return false;
	return sodium_memcmp(a, b, n) == 0;
}

/* ------------------------------------------------------------------ */
/* API tokens.                                                         */

#define TOKEN_NAME_MAX 100

int
vk_token_parse(const char *tok, int64_t *id, char hash[VK_HASH_HEX])
{
	unsigned char secret[32];
	const char *p, *us;
	size_t bin = 0, i;
	int64_t v = 0;

	if (tok == NULL || strncmp(tok, "vk_", 3) != 0)
		return VK_EINVAL;
	p = tok + 3;
	if ((us = strchr(p, '_')) == NULL || us == p || us - p > 18 ||
	    *p == '0')
		return VK_EINVAL;
	for (; p < us; p++) {
		if (*p < '0' || *p > '9')
			return VK_EINVAL;
		v = v * 10 + (*p - '0');
	}
	p = us + 1;
	if (strlen(p) != 64)
		return VK_EINVAL;
	for (i = 0; i < 64; i++)
		if (!((p[i] >= '0' && p[i] <= '9') ||
			(p[i] >= 'a' && p[i] <= 'f')))
			return VK_EINVAL;
	if (vk_account_init() != 0)
		return VK_EINTERNAL;
	if (sodium_hex2bin(secret, sizeof(secret), p, 64, NULL, &bin, NULL) !=
		0 ||
	    bin != sizeof(secret))
		return VK_EINVAL;
	sha256_hex(secret, sizeof(secret), hash);
	sodium_memzero(secret, sizeof(secret));
	*id = v;
	return 0;
}

static char *
token_json(int64_t id, int64_t user_id, const char *name, bool revoked)
{
	json_t *o;
	char *s;

	o = json_pack("{sIsIsssb}", "id", (json_int_t)id, "user_id",
	    (json_int_t)user_id, "name", name, "revoked", revoked);
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

int
vk_token_issue(struct vk_store *st, const char *actor, const char *source,
    const char *username, const char *name, char *tok, size_t n, int64_t *id)
{
	unsigned char secret[32];
	char hex[65], hash[VK_HASH_HEX], oid[24];
	struct vk_user *u = NULL;
	char *after = NULL;
	int64_t tid = 0;
	int r, k;

	if (vk_account_init() != 0)
		return VK_EINTERNAL;
	if (name == NULL || *name == '\0' || strlen(name) > TOKEN_NAME_MAX ||
	    tok == NULL || n < VK_TOKEN_STR_MAX)
		return VK_EINVAL;
	randombytes_buf(secret, sizeof(secret));
	sodium_bin2hex(hex, sizeof(hex), secret, sizeof(secret));
	sha256_hex(secret, sizeof(secret), hash);
	sodium_memzero(secret, sizeof(secret));
	if ((r = vk_store_begin(st)) != 0)
		goto wipe;
	if ((r = vk_store_user_get_by_name(st, username, &u)) != 0)
		goto out;
	if ((r = vk_store_token_create(st, u->id, name, hash, &tid)) != 0)
		goto out;
	if ((after = token_json(tid, u->id, name, false)) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	snprintf(oid, sizeof(oid), "%" PRId64, tid);
	if ((r = vk_audit_append(st, actor, source, "token.create", "token",
		 oid, "", after)) != 0)
		goto out;
	k = snprintf(tok, n, "vk_%" PRId64 "_%s", tid, hex);
	if (k < 0 || (size_t)k >= n) {
		r = VK_ETOOBIG;
		goto out;
	}
	if (id != NULL)
		*id = tid;
out:
	if (r == 0)
		r = vk_store_commit(st);
	else
		(void)vk_store_rollback(st);
	free(after);
	vk_user_free(u);
wipe:
	sodium_memzero(hex, sizeof(hex));
	if (r != 0)
		sodium_memzero(tok, n);
	return r;
}

int
vk_token_authenticate(struct vk_store *st, const char *tok, int64_t now,
    struct vk_user **user, int64_t *token_id)
{
	char hash[VK_HASH_HEX];
	struct vk_token *t = NULL;
	struct vk_user *u = NULL;
	int64_t id;
	int r;

	*user = NULL;
	if (vk_token_parse(tok, &id, hash) != 0)
		return VK_EPERM;
	if ((r = vk_store_token_get_by_hash(st, hash, &t)) != 0)
		return r == VK_ENOTFOUND ? VK_EPERM : r;
	if (t->id != id || t->revoked) {
		r = VK_EPERM;
		goto out;
	}
	if ((r = vk_store_user_get(st, t->user_id, &u)) != 0) {
		r = r == VK_ENOTFOUND ? VK_EPERM : r;
		goto out;
	}
	if (u->disabled) {
		r = VK_EPERM;
		goto out;
	}
	if ((r = vk_store_token_touch(st, t->id, now)) != 0)
		goto out;
	if (token_id != NULL)
		*token_id = t->id;
	*user = u;
	u = NULL;
out:
	vk_user_free(u);
	vk_token_free(t);
	return r;
}

int
vk_token_revoke_audited(
    struct vk_store *st, const char *actor, const char *source, int64_t id)
{
	struct vk_token *t = NULL;
	char *before = NULL, *after = NULL;
	char oid[24];
	int r;

	if ((r = vk_store_begin(st)) != 0)
		return r;
	if ((r = vk_store_token_get(st, id, &t)) != 0)
		goto out;
	before = token_json(t->id, t->user_id, t->name, t->revoked);
	after = token_json(t->id, t->user_id, t->name, true);
	if (before == NULL || after == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	if ((r = vk_store_token_revoke(st, id)) != 0)
		goto out;
	snprintf(oid, sizeof(oid), "%" PRId64, id);
	r = vk_audit_append(
	    st, actor, source, "token.revoke", "token", oid, before, after);
out:
	if (r == 0)
		r = vk_store_commit(st);
	else
		(void)vk_store_rollback(st);
	free(before);
	free(after);
	vk_token_free(t);
	return r;
}

/* ------------------------------------------------------------------ */
/* Login and throttling.                                               */

/* "user:<name lower-cased>" for a plausible name, else "user:#<sha256>"
 * so that any input gives a short, valid key. */
static void
user_key(const char *username, char *key, size_t n)
{
	char h[VK_HASH_HEX];
	size_t i, len;

	if (username != NULL && vk_username_check(username, NULL) == 0) {
		len = strlen(username);
		snprintf(key, n, "user:");
		for (i = 0; i < len && 5 + i + 1 < n; i++) {
			char c = username[i];

			key[5 + i] =
			    (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
		}
		key[5 + i] = '\0';
		return;
	}
	(void)vk_account_init();
	sha256_hex(
	    username ? username : "", username ? strlen(username) : 0, h);
	snprintf(key, n, "user:#%s", h);
}

static bool
addr_key(const char *source, char *key, size_t n)
{
	char h[VK_HASH_HEX];
	size_t len;

	if (source == NULL || *source == '\0')
		return false;
	len = strlen(source);
	if (len <= 64 && vk_utf8_valid(source, len)) {
		snprintf(key, n, "addr:%s", source);
		return true;
	}
	(void)vk_account_init();
	sha256_hex(source, len, h);
	snprintf(key, n, "addr:#%s", h);
	return true;
}

static int
throttle_one(struct vk_store *st, const char *key, int64_t max, int64_t now,
    int64_t *retry)
{
	int64_t since = now - VK_THROTTLE_WINDOW_US, n, oldest, wait;
	int r;

	if ((r = vk_store_throttle_count(st, key, since, &n)) != 0)
		return r;
	if (n < max)
		return 0;
	if ((r = vk_store_throttle_oldest(st, key, since, &oldest)) != 0)
		return r;
	wait = oldest + VK_THROTTLE_WINDOW_US - now;
	if (wait < 1000000)
		wait = 1000000;
	if (wait > *retry)
		*retry = wait;
	return VK_EPERM;
}

int
vk_login_throttled(struct vk_store *st, const char *username,
    const char *source, int64_t now, int64_t *retry_after_us)
{
	char uk[128], ak[128];
	int64_t retry = 0;
	int r, r2 = 0;

	user_key(username, uk, sizeof(uk));
	r = throttle_one(st, uk, VK_THROTTLE_USER, now, &retry);
	if (r != 0 && r != VK_EPERM)
		return r;
	if (addr_key(source, ak, sizeof(ak))) {
		r2 = throttle_one(st, ak, VK_THROTTLE_ADDR, now, &retry);
		if (r2 != 0 && r2 != VK_EPERM)
			return r2;
	}
	if (retry_after_us != NULL)
		*retry_after_us = retry;
	return (r == VK_EPERM || r2 == VK_EPERM) ? VK_EPERM : 0;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char *dummy_hash;

static void
make_dummy(void)
{
	char pw[VK_PASSWORD_GEN_LEN + 1];

	vk_password_generate(pw, sizeof(pw));
	(void)vk_password_hash(pw, &dummy_hash);
	sodium_memzero(pw, sizeof(pw));
}

int
vk_login(struct vk_store *st, const char *username, const char *password,
    const char *source, int64_t now, struct vk_user **user,
    int64_t *retry_after_us)
{
	char uk[128], ak[128];
	struct vk_user *u = NULL;
	bool have_addr;
	int r, vr;

	*user = NULL;
	if (retry_after_us != NULL)
		*retry_after_us = 0;
	if (vk_account_init() != 0)
		return VK_EINTERNAL;
	if ((r = vk_login_throttled(
		 st, username, source, now, retry_after_us)) != 0)
		return r;
	user_key(username, uk, sizeof(uk));
	have_addr = addr_key(source, ak, sizeof(ak));
	r = username ? vk_store_user_get_by_name(st, username, &u)
		     : VK_ENOTFOUND;
	if (r != 0 && r != VK_ENOTFOUND)
		return r;
	if (u != NULL && u->password_hash[0] != '\0') {
		vr = vk_password_verify(u->password_hash, password);
	} else {
		/* Spend the same time as for a real account. */
		pthread_once(&dummy_once, make_dummy);
		if (dummy_hash != NULL)
			(void)vk_password_verify(dummy_hash, password);
		vr = VK_EPERM;
	}
	if (vr == 0 && !u->disabled) {
		if ((r = vk_store_begin(st)) != 0)
			goto out;
		if ((r = vk_store_throttle_clear(st, uk)) == 0 &&
		    (!have_addr || (r = vk_store_throttle_clear(st, ak)) == 0))
			r = vk_audit_append(st, "system", source,
			    "session.login", "user", u->username, "", "");
		if (r == 0)
			r = vk_store_commit(st);
		else
			(void)vk_store_rollback(st);
		if (r == 0) {
			*user = u;
			u = NULL;
		}
		goto out;
	}
	if ((r = vk_store_begin(st)) != 0)
		goto out;
	if ((r = vk_store_throttle_fail(st, uk, now)) == 0 &&
	    (!have_addr || (r = vk_store_throttle_fail(st, ak, now)) == 0))
		r = vk_audit_append(st, "system", source,
		    "session.login_failed", "user", u ? u->username : "", "",
		    "");
	if (r == 0)
		r = vk_store_commit(st);
	else
		(void)vk_store_rollback(st);
	if (r == 0)
		r = VK_EPERM;
out:
	vk_user_free(u);
	return r;
}

/* ------------------------------------------------------------------ */
/* Account changes.                                                    */

char *
vk_account_user_json(const struct vk_user *u)
{
	json_t *o;
	char *s;

	o = json_pack("{sIsssssssssbss}", "id", (json_int_t)u->id, "username",
	    u->username, "display_name", u->display_name, "email", u->email,
	    "role", vk_role_name(u->role), "disabled", u->disabled, "lang",
	    vk_lang_name(u->lang));
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

static int
take_password(const char *username, const char *password, char *gen,
    size_t gen_n, char **hash, struct vk_diag *d)
{
	int r;

	if (password == NULL) {
		if (gen == NULL || gen_n < VK_PASSWORD_GEN_LEN + 1)
			return VK_EINVAL;
		vk_password_generate(gen, gen_n);
		password = gen;
	} else if ((r = vk_password_check(username, password, d)) != 0)
		return r;
	return vk_password_hash(password, hash);
}

static void
free_secret(char *s)
{
	if (s == NULL)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

int
vk_account_create(struct vk_store *st, const char *actor, const char *source,
    const char *username, enum vk_role role, const char *display,
    const char *email, const char *password, char *gen, size_t gen_n,
    int64_t *id, struct vk_diag *d)
{
	struct vk_user in, *u = NULL;
	char *hash = NULL, *after = NULL;
	int64_t uid = 0;
	int r;

	if (vk_account_init() != 0)
		return VK_EINTERNAL;
	if ((r = vk_username_check(username, d)) != 0)
		return r;
	if ((unsigned)role >= VK_ROLE_MAX) {
		vk_diag_error(d, "role", "unknown role");
		return VK_EINVAL;
	}
	if ((display &&
		(strlen(display) > VK_DISPLAY_MAX ||
		    !vk_utf8_valid(display, strlen(display)))) ||
	    (email &&
		(strlen(email) > VK_EMAIL_MAX ||
		    !vk_utf8_valid(email, strlen(email))))) {
		vk_diag_error(d,
		    display && strlen(display) > VK_DISPLAY_MAX ? "display"
								: "email",
		    "too long or not valid UTF-8 text");
		return VK_EINVAL;
	}
	if ((r = take_password(username, password, gen, gen_n, &hash, d)) != 0)
		return r;
	memset(&in, 0, sizeof(in));
	in.username = (char *)(uintptr_t)username;
	in.display_name = (char *)(uintptr_t)display;
	in.email = (char *)(uintptr_t)email;
	in.role = role;
	in.lang = VK_LANG_SV;
	in.password_hash = hash;
	if ((r = vk_store_begin(st)) != 0)
		goto done;
	if ((r = vk_store_user_add(st, &in, &uid)) != 0) {
		if (r == VK_EEXIST)
			vk_diag_error(d, "username",
			    "the user name '%s' is taken", username);
		goto out;
	}
	if ((r = vk_store_user_get(st, uid, &u)) != 0)
		goto out;
	if ((after = vk_account_user_json(u)) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	r = vk_audit_append(
	    st, actor, source, "user.create", "user", u->username, "", after);
out:
	if (r == 0)
		r = vk_store_commit(st);
	else
		(void)vk_store_rollback(st);
	if (r == 0 && id != NULL)
		*id = uid;
done:
	if (r != 0 && password == NULL && gen != NULL)
		sodium_memzero(gen, gen_n);
	free_secret(hash);
	free(after);
	vk_user_free(u);
	return r;
}

/* Applies upd to the user, audits `action` with before/after, and ends
 * the user's sessions when end_sessions; one transaction. */
static int
change_user(struct vk_store *st, const char *actor, const char *source,
    const char *username, const char *action, const struct vk_user_update *upd,
    bool end_sessions, struct vk_diag *d)
{
	struct vk_user *u = NULL, *v = NULL;
	char *before = NULL, *after = NULL;
	int r;

	if ((r = vk_store_begin(st)) != 0)
		return r;
	if ((r = vk_store_user_get_by_name(st, username, &u)) != 0) {
		if (r == VK_ENOTFOUND)
			vk_diag_error(d, "username", "no user '%s'",
			    username ? username : "");
		goto out;
	}
	if ((r = vk_store_user_update(st, u->id, upd)) != 0)
		goto out;
	if (end_sessions &&
	    (r = vk_store_session_delete_for_user(st, u->id)) != 0)
		goto out;
	if ((r = vk_store_user_get(st, u->id, &v)) != 0)
		goto out;
	before = vk_account_user_json(u);
	after = vk_account_user_json(v);
	if (before == NULL || after == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	r = vk_audit_append(
	    st, actor, source, action, "user", u->username, before, after);
out:
	if (r == 0)
		r = vk_store_commit(st);
	else
		(void)vk_store_rollback(st);
	free(before);
	free(after);
	vk_user_free(u);
	vk_user_free(v);
	return r;
}

int
vk_account_set_password(struct vk_store *st, const char *actor,
    const char *source, const char *username, const char *password, char *gen,
    size_t gen_n, struct vk_diag *d)
{
	struct vk_user_update upd;
	char *hash = NULL;
	int r;

	if (vk_account_init() != 0)
		return VK_EINTERNAL;
	if ((r = take_password(username, password, gen, gen_n, &hash, d)) != 0)
		return r;
	memset(&upd, 0, sizeof(upd));
	upd.fields = VK_USER_F_PASSWORD;
	upd.password_hash = hash;
	r = change_user(
	    st, actor, source, username, "user.password", &upd, true, d);
	if (r != 0 && password == NULL && gen != NULL)
		sodium_memzero(gen, gen_n);
	free_secret(hash);
	return r;
}

int
vk_account_set_disabled(struct vk_store *st, const char *actor,
    const char *source, const char *username, bool disabled, struct vk_diag *d)
{
	struct vk_user_update upd;

	memset(&upd, 0, sizeof(upd));
	upd.fields = VK_USER_F_DISABLED;
	upd.disabled = disabled;
	return change_user(st, actor, source, username,
	    disabled ? "user.disable" : "user.enable", &upd, disabled, d);
}

int
vk_account_set_role(struct vk_store *st, const char *actor, const char *source,
    const char *username, enum vk_role role, struct vk_diag *d)
{
	struct vk_user_update upd;

	if ((unsigned)role >= VK_ROLE_MAX) {
		vk_diag_error(d, "role", "unknown role");
		return VK_EINVAL;
	}
	memset(&upd, 0, sizeof(upd));
	upd.fields = VK_USER_F_ROLE;
	upd.role = role;
	return change_user(
	    st, actor, source, username, "user.role", &upd, false, d);
}

int
vk_account_set_profile(struct vk_store *st, const char *actor,
    const char *source, const char *username, const enum vk_lang *lang,
    const char *display, const char *email, struct vk_diag *d)
{
	struct vk_user_update upd;

	memset(&upd, 0, sizeof(upd));
	if (lang != NULL) {
		if ((unsigned)*lang >= VK_LANG_MAX) {
			vk_diag_error(d, "lang", "unknown language");
			return VK_EINVAL;
		}
		upd.fields |= VK_USER_F_LANG;
		upd.lang = *lang;
	}
	if (display != NULL) {
		if (strlen(display) > VK_DISPLAY_MAX ||
		    !vk_utf8_valid(display, strlen(display))) {
			vk_diag_error(d, "display",
			    "at most %d bytes of UTF-8 text", VK_DISPLAY_MAX);
			return VK_EINVAL;
		}
		upd.fields |= VK_USER_F_DISPLAY;
		upd.display_name = display;
	}
	if (email != NULL) {
		if (strlen(email) > VK_EMAIL_MAX ||
		    !vk_utf8_valid(email, strlen(email))) {
			vk_diag_error(d, "email",
			    "at most %d bytes of UTF-8 text", VK_EMAIL_MAX);
			return VK_EINVAL;
		}
		upd.fields |= VK_USER_F_EMAIL;
		upd.email = email;
	}
	return change_user(
	    st, actor, source, username, "user.profile", &upd, false, d);
}

int
vk_account_bootstrap(struct vk_store *st, char *password, size_t n)
{
	int64_t count;
	int r;

	if ((r = vk_store_user_count(st, &count)) != 0)
		return r;
	if (count > 0)
		return VK_EEXIST;
	return vk_account_create(st, "system", "", "admin", VK_ROLE_ADMIN,
	    "Administrator", "", NULL, password, n, NULL, NULL);
}
