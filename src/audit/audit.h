/*
 * audit.h — the append-only, hash-chained audit log (issue 4, "Audit").
 *
 * Every state change goes through vk_audit_append() inside the store
 * transaction that makes it, so the change and its record commit or roll
 * back together.  Each entry carries the SHA-256 of the previous one; the
 * store keeps the chain head (seq, hash) in a row of its own so that a
 * removed last entry is found too.  vk_audit_verify() recomputes the
 * chain and names the first entry that was altered, removed or
 * reordered.  The canonical form is in docs/design/store.md.
 *
 * Actor conventions: "user:<name>" (portal session), "token:<id>" (API
 * token), "cli:<unix user>" (vaksam on the command line), "system".
 */
#ifndef VK_AUDIT_AUDIT_H
#define VK_AUDIT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/diag.h"

/*
 * Appends one entry stamped now.  actor and action must be non-empty;
 * the other strings may be NULL ("").  before/after are JSON texts (not
 * checked here).  Returns what vk_store_audit_append() returns.
 */
int vk_audit_append(struct vk_store *st, const char *actor, const char *source,
    const char *action, const char *object_type, const char *object_id,
    const char *before_json, const char *after_json);

/*
 * Verifies the whole chain in seq order: seq must run 1, 2, 3 ... without
 * gaps, each prev_hash must equal the previous entry's hash, each hash
 * must be vk_audit_hash() of its entry, and the last entry must match the
 * recorded chain head.  Returns 0 when intact (*first_bad_seq = 0);
 * VK_ECONFLICT when not, with *first_bad_seq set to the first bad seq
 * (for a removed entry: the seq that is missing; for a removed tail: the
 * head's seq) and a message in d saying what is wrong.  *checked (may be
 * NULL) gets the number of entries read.  Other errors: from the store.
 */
int vk_audit_verify(struct vk_store *st, int64_t *first_bad_seq,
    int64_t *checked, struct vk_diag *d);

/* Writes "cli:<unix user>" for the effective user into buf (size n).
 * Falls back to "cli:uid<N>" when the user has no name. */
void vk_audit_cli_actor(char *buf, size_t n);

#endif
