/*
 * account.h — local accounts: passwords, sessions, API tokens, login
 * throttling and the account changes that the CLI and the portal share.
 *
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str,
 * OPSLIMIT/MEMLIMIT_INTERACTIVE: 64 MiB, 2 passes; measured ~350 ms per
 * hash on the shared 2-core build machine, MODERATE 1.3-1.8 s and 256 MiB,
 * too slow and too much memory per concurrent login; see
 * docs/design/store.md).  Secrets (cookie values, token secrets, new
 * passwords) come from randombytes_buf(); only their SHA-256 reaches the
 * store; comparisons are constant-time (sodium_memcmp) and buffers that
 * held secrets are wiped (sodium_memzero).
 *
 * Every function that changes an account writes an audit entry in the
 * same store transaction (audit/audit.h); `actor` and `source` are the
 * audit actor ("user:<name>", "cli:<unix user>", "system") and client
 * address ("" when none).
 *
 * All functions call vk_account_init() themselves; it is idempotent and
 * thread-safe.  Errors: 0 or negative VK_E*; messages for people go to
 * `d` (may be NULL) with the form field as location ("username",
 * "password", "role", ...).
 */
#ifndef VK_ACCOUNT_ACCOUNT_H
#define VK_ACCOUNT_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/* Initialises libsodium.  VK_EINTERNAL if that fails. */
int vk_account_init(void);

/* ------------------------------------------------------------------ */
/* Passwords.                                                          */

#define VK_PASSWORD_MIN 12 /* characters (bytes of UTF-8) */
#define VK_PASSWORD_MAX 1024 /* bytes */
#define VK_PASSWORD_GEN_LEN 20 /* length of generated passwords */

/*
 * Checks the policy: at least VK_PASSWORD_MIN and at most VK_PASSWORD_MAX
 * bytes, valid UTF-8, not equal to the user name (ignoring ASCII case).
 * VK_EINVAL with the reason in d (location "password").
 */
int vk_password_check(
    const char *username, const char *password, struct vk_diag *d);

/* *hash (caller frees) gets the argon2id string of password.
 * VK_EINVAL when longer than VK_PASSWORD_MAX; VK_ENOMEM. */
int vk_password_hash(const char *password, char **hash);

/* 0 when password matches hash, VK_EPERM when not, VK_EINVAL when hash
 * is not an argon2id string (e.g. "" for an account without one). */
int vk_password_verify(const char *hash, const char *password);

/* Fills out (size >= VK_PASSWORD_GEN_LEN + 1) with a random password of
 * VK_PASSWORD_GEN_LEN characters from an unambiguous alphabet (about 113
 * bits).  The caller wipes it after use. */
void vk_password_generate(char *out, size_t n);

/* User names: 1..VK_USERNAME_MAX bytes of [A-Za-z0-9._@-], not starting
 * with '.' or '-'.  VK_EINVAL with the reason in d ("username"). */
int vk_username_check(const char *username, struct vk_diag *d);

/* ------------------------------------------------------------------ */
/* Sessions.                                                           */

#define VK_SESSION_COOKIE_LEN 43 /* base64url of 32 random bytes */
#define VK_CSRF_LEN 43
#define VK_SESSION_IDLE_US (30 * 60 * INT64_C(1000000)) /* 30 min */
#define VK_SESSION_ABS_US (12 * 3600 * INT64_C(1000000)) /* 12 h */

/*
 * Creates a session for user_id: a new random cookie value (written to
 * cookie, size >= VK_SESSION_COOKIE_LEN + 1; the caller sends it and
 * wipes it) and a row with its hash, a new CSRF token, created =
 * last_seen = now, expires = now + VK_SESSION_ABS_US.  *out (may be NULL;
 * caller frees) gets the stored row.
 */
int vk_session_start(struct vk_store *st, int64_t user_id, const char *source,
    int64_t now, char *cookie, size_t n, struct vk_session **out);

/* hex SHA-256 of a cookie value.  VK_EINVAL when the value is not
 * VK_SESSION_COOKIE_LEN base64url characters (so junk never reaches the
 * store). */
int vk_session_hash(const char *cookie, char id_hash[VK_HASH_HEX]);

/*
 * Looks up the session of a cookie and checks both timeouts (absolute:
 * expires; idle: last_seen + VK_SESSION_IDLE_US).  On success touches it
 * and *out (caller frees) gets the row; an idle-expired session is
 * deleted.  VK_ENOTFOUND for a missing, malformed or expired cookie.
 */
int vk_session_resume(struct vk_store *st, const char *cookie, int64_t now,
    struct vk_session **out);

/* Constant-time comparison of two NUL-terminated strings (lengths may
 * leak).  For CSRF tokens and hashes.  true when equal. */
bool vk_secret_equal(const char *a, const char *b);

/* ------------------------------------------------------------------ */
/* API tokens: "vk_<id>_<64 hex>" (id decimal; the secret is 32 random */
/* bytes; the store holds hex SHA-256 of those 32 bytes).              */

#define VK_TOKEN_STR_MAX 96

/*
 * Creates a token for user `username` labelled `name`, audited as
 * token.create.  tok (size n >= VK_TOKEN_STR_MAX) gets the token string,
 * to show once; *id (may be NULL) its id.  VK_ENOTFOUND: no such user;
 * VK_EINVAL: empty or too long label (max 100 bytes).
 */
int vk_token_issue(struct vk_store *st, const char *actor, const char *source,
    const char *username, const char *name, char *tok, size_t n, int64_t *id);

/* Parses "vk_<id>_<64 hex>": *id and the hash of the secret.
 * VK_EINVAL when malformed. */
int vk_token_parse(const char *tok, int64_t *id, char hash[VK_HASH_HEX]);

/*
 * Authenticates an API token: parses it, finds it by hash, checks the id
 * matches, it is not revoked and its user exists and is not disabled;
 * touches last_used.  *user (caller frees) gets the user.  VK_EPERM for
 * anything else (no detail is given to the client).
 */
int vk_token_authenticate(struct vk_store *st, const char *tok, int64_t now,
    struct vk_user **user, int64_t *token_id);

/* Revokes token id, audited as token.revoke. */
int vk_token_revoke_audited(
    struct vk_store *st, const char *actor, const char *source, int64_t id);

/* ------------------------------------------------------------------ */
/* Login and throttling.                                               */

/* Policy: at most VK_THROTTLE_USER failures per account name and
 * VK_THROTTLE_ADDR per source address within VK_THROTTLE_WINDOW_US. */
#define VK_THROTTLE_USER 5
#define VK_THROTTLE_ADDR 20
#define VK_THROTTLE_WINDOW_US (15 * 60 * INT64_C(1000000))

/*
 * Checks throttling only: 0 when a login attempt for (username, source)
 * may proceed; VK_EPERM when refused, with *retry_after_us (may be NULL)
 * set to how long until the oldest counted failure leaves the window.
 */
int vk_login_throttled(struct vk_store *st, const char *username,
    const char *source, int64_t now, int64_t *retry_after_us);

/*
 * One login attempt.  Checks throttling, then the password (a dummy hash
 * is verified when the user does not exist, so timing does not reveal
 * names), then that the account is enabled.  Success clears the
 * account's and address's failures, writes session.login to the audit
 * log and gives *user (caller frees).  Failure records a failure for both
 * keys and returns VK_EPERM (*retry_after_us > 0 when throttled, else 0).
 * Failed logins are audited as session.login_failed.
 */
int vk_login(struct vk_store *st, const char *username, const char *password,
    const char *source, int64_t now, struct vk_user **user,
    int64_t *retry_after_us);

/* ------------------------------------------------------------------ */
/* Account changes, each in one transaction with its audit entry.      */

/*
 * Creates a user after checking the name and password policies.  When
 * password is NULL a random one is generated and written to gen (size
 * >= VK_PASSWORD_GEN_LEN + 1; must then be non-NULL; the caller shows it
 * once and wipes it).  display/email may be NULL.  *id may be NULL.
 * VK_EEXIST when the name is taken; VK_EINVAL with reasons in d.
 */
int vk_account_create(struct vk_store *st, const char *actor,
    const char *source, const char *username, enum vk_role role,
    const char *display, const char *email, const char *password, char *gen,
    size_t gen_n, int64_t *id, struct vk_diag *d);

/* Sets a new password (policy checked) and ends the user's sessions.
 * password NULL: generated into gen as for vk_account_create(). */
int vk_account_set_password(struct vk_store *st, const char *actor,
    const char *source, const char *username, const char *password, char *gen,
    size_t gen_n, struct vk_diag *d);

/* Enables or disables; disabling ends the user's sessions. */
int vk_account_set_disabled(struct vk_store *st, const char *actor,
    const char *source, const char *username, bool disabled, struct vk_diag *d);

int vk_account_set_role(struct vk_store *st, const char *actor,
    const char *source, const char *username, enum vk_role role,
    struct vk_diag *d);

/* Language, display name and e-mail of a user (NULL: unchanged). */
int vk_account_set_profile(struct vk_store *st, const char *actor,
    const char *source, const char *username, const enum vk_lang *lang,
    const char *display, const char *email, struct vk_diag *d);

/*
 * First start: when the store has no users, creates "admin" (role admin)
 * with a random password written to password (size >=
 * VK_PASSWORD_GEN_LEN + 1) to be printed once; returns 0.  Returns
 * VK_EEXIST (and writes nothing) when any user exists.  Audited with
 * actor "system".
 */
int vk_account_bootstrap(struct vk_store *st, char *password, size_t n);

/* A user as JSON for audit before/after (no password hash).  Caller
 * frees; NULL on ENOMEM. */
char *vk_account_user_json(const struct vk_user *u);

#endif
