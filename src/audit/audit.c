/*
 * audit.c — appending to and verifying the hash-chained audit log.
 */
#include "audit/audit.h"

#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"

int
vk_audit_append(struct vk_store *st, const char *actor, const char *source,
    const char *action, const char *object_type, const char *object_id,
    const char *before_json, const char *after_json)
{
	struct vk_audit_entry e;

	memset(&e, 0, sizeof(e));
	/* The store only reads these; the casts let const strings sit in
	 * the row struct. */
	e.actor = (char *)(uintptr_t)actor;
	e.source = (char *)(uintptr_t)source;
	e.action = (char *)(uintptr_t)action;
	e.object_type = (char *)(uintptr_t)object_type;
	e.object_id = (char *)(uintptr_t)object_id;
	e.before = (char *)(uintptr_t)before_json;
	e.after = (char *)(uintptr_t)after_json;
	return vk_store_audit_append(st, &e, NULL);
}

struct verify {
	int64_t expect; /* next seq */
	char prev[VK_HASH_HEX];
	int64_t bad;
	int64_t checked;
	struct vk_diag *d;
};

static int
verify_one(void *arg, const struct vk_audit_entry *e)
{
	struct verify *v = arg;
	char h[VK_HASH_HEX], where[64];
	int r;

	v->checked++;
	snprintf(where, sizeof(where), "audit:%" PRId64, v->expect);
	if (e->seq != v->expect) {
		v->bad = v->expect;
		if (e->seq > v->expect)
			vk_diag_error(v->d, where,
			    "entry %" PRId64 " is missing (next is %" PRId64
			    "): removed",
			    v->expect, e->seq);
		else
			vk_diag_error(v->d, where,
			    "entry numbered %" PRId64 " out of order", e->seq);
		return 1;
	}
	if ((r = vk_audit_hash(e, h)) != 0)
		return r;
	if (strcmp(e->prev_hash, v->prev) != 0) {
		v->bad = e->seq;
		vk_diag_error(v->d, where,
		    "does not follow the previous entry (prev_hash differs): "
		    "an entry before it was removed, reordered or altered");
		return 1;
	}
	if (strcmp(h, e->hash) != 0) {
		v->bad = e->seq;
		vk_diag_error(v->d, where,
		    "content does not match its hash: the entry was altered "
		    "or moved");
		return 1;
	}
	memcpy(v->prev, e->hash, VK_HASH_HEX);
	v->expect++;
	return 0;
}

int
vk_audit_verify(struct vk_store *st, int64_t *first_bad_seq, int64_t *checked,
    struct vk_diag *d)
{
	struct verify v;
	int64_t head_seq;
	char head_hash[VK_HASH_HEX], where[64];
	int r;

	*first_bad_seq = 0;
	if (checked != NULL)
		*checked = 0;
	memset(&v, 0, sizeof(v));
	v.expect = 1;
	memset(v.prev, '0', VK_HASH_HEX - 1);
	v.d = d;
	/* Read the head first: entries appended while we verify only make
	 * the log longer than the head, which is fine. */
	if ((r = vk_store_audit_head(st, &head_seq, head_hash)) != 0)
		return r;
	r = vk_store_audit_iter(st, verify_one, &v);
	if (checked != NULL)
		*checked = v.checked;
	if (r < 0)
		return r;
	if (r > 0) {
		*first_bad_seq = v.bad;
		return VK_ECONFLICT;
	}
	if (v.expect - 1 < head_seq) {
		*first_bad_seq = v.expect;
		snprintf(where, sizeof(where), "audit:%" PRId64, v.expect);
		vk_diag_error(d, where,
		    "the log ends at %" PRId64 " but %" PRId64
		    " entries were written: the last ones were removed",
		    v.expect - 1, head_seq);
		return VK_ECONFLICT;
	}
	if (head_seq > 0 && v.expect - 1 == head_seq &&
	    strcmp(v.prev, head_hash) != 0) {
		*first_bad_seq = head_seq;
		snprintf(where, sizeof(where), "audit:%" PRId64, head_seq);
		vk_diag_error(d, where,
		    "the last entry does not match the recorded chain head: "
		    "it was replaced");
		return VK_ECONFLICT;
	}
	return 0;
}

void
vk_audit_cli_actor(char *buf, size_t n)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];
	uid_t uid = geteuid();

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res != NULL &&
	    res->pw_name != NULL && *res->pw_name != '\0')
		snprintf(buf, n, "cli:%s", res->pw_name);
	else
		snprintf(buf, n, "cli:uid%u", (unsigned)uid);
}
