/*
 * ioc.h — the indicator model and the indicator set.
 *
 * An indicator (struct vk_ioc) is one published value — a domain, an
 * address or range, a URL, an e-mail address, a file hash, a file name —
 * with the text exactly as its source wrote it, its normalised form (the
 * key matching uses, see docs/matching.md) and where it came from.
 *
 * A struct vk_ioc_set owns every indicator and string added to it.
 * Importers (ioc/import.h) fill a set; allow-lists (ioc/allow.h) mark
 * indicators as suppressed; the matcher (hunt/match.h) is built from a set
 * and keeps pointers into it, so the set must outlive the matcher.
 * A set is not thread-safe while being filled; once filled it is read-only
 * and may be shared by any number of threads.
 */
#ifndef VK_IOC_IOC_H
#define VK_IOC_IOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/diag.h"

enum vk_ioc_type {
	VK_IOC_DOMAIN, /* "evil.se": also matches its subdomains */
	VK_IOC_IPV4, /* address or CIDR range (prefix < 32) */
	VK_IOC_IPV6, /* address or CIDR range (prefix < 128) */
	VK_IOC_URL,
	VK_IOC_EMAIL,
	VK_IOC_MD5,
	VK_IOC_SHA1,
	VK_IOC_SHA256,
	VK_IOC_SHA512,
	VK_IOC_FILENAME, /* a file name or path (issue: hunt over files) */
	VK_IOC_TYPE_MAX
};

/* "domain", "ipv4", "ipv6", "url", "email", "md5", "sha1", "sha256",
 * "sha512", "filename". */
const char *vk_ioc_type_name(enum vk_ioc_type t);
/* The reverse of vk_ioc_type_name(); VK_EINVAL for an unknown name. */
int vk_ioc_type_from_name(const char *name, enum vk_ioc_type *t);

/*
 * Provenance shared by the indicators of one report, bundle or event.
 * All strings may be NULL.
 */
struct vk_ioc_prov {
	const char *source; /* indicator file as given on the command line */
	const char *report; /* report / bundle / event name */
	const char *campaign; /* campaign, intrusion set, threat actor names,
				 * joined by ", " */
	const char *tlp; /* "clear", "green", "amber", "amber+strict",
				 * "red" (lower case, without "tlp:") */
	const char *first_seen; /* ISO 8601 */
	const char *last_seen; /* ISO 8601 */
};

/* Per-indicator details an importer may know; all fields optional. */
struct vk_ioc_extra {
	const char *comment; /* description, comment, Loki comment */
	const char *first_seen; /* ISO 8601; overrides the provenance's */
	const char *last_seen;
	const char *where; /* location in the source: "file:line" or
				 * "file:$.objects[3].pattern" */
	uint32_t line; /* when not 0, `where` is only the file and this
			* its line (saves formatting a million of them) */
	int to_ids; /* MISP to_ids: 1, 0, or -1 unknown */
	/* FILENAME only (issue 3): the value is a regex (Loki), and the
	 * regex of paths that are false positives, or NULL. */
	int fn_regex;
	const char *fn_fp_regex;
};

/*
 * The rarely set details of an indicator, kept apart from struct vk_ioc so
 * that a million indicators from a plain list cost little.  Records are
 * owned by the set and shared: consecutive indicators with equal details
 * (typically: every line of one file) point at the same record.
 */
struct vk_ioc_more {
	const char *comment; /* or NULL */
	const char *first_seen; /* or NULL (then see the provenance) */
	const char *last_seen; /* or NULL */
	const char *where; /* location in the source, or NULL; when the
			    * indicator's `line` is not 0 this is only the
			    * file part: use vk_ioc_where() */
	const char *fn_fp_regex; /* FILENAME only (issue 3): regex of paths
				  * that are false positives, or NULL */
};

/*
 * One indicator: 24 bytes (a million of them are a plain list's normal
 * size).  Read the value and the details through the accessors below
 * (vk_ioc_value(), vk_ioc_comment() ... vk_ioc_where(), vk_ioc_addr()),
 * not through `line` or the flag bits directly.
 */
struct vk_ioc {
	const char *norm; /* normalised form: the matching key (NUL-
			   * terminated; the value follows it in memory,
			   * the details' pointer precedes it) */
	uint32_t norm_len;
	uint32_t prov : 24; /* index for vk_ioc_set_prov() (< 2^24) */
	uint32_t type : 8; /* enum vk_ioc_type */
	uint32_t line; /* line of the source in "file:line" locations,
			* or 0 */
	uint16_t allow; /* 0, or 1 + index of the allow-list that
			 * suppressed it (see ioc/allow.h) */
	uint8_t prefix; /* IPs: prefix length (32 / 128 = one address) */
	signed int to_ids : 2; /* 1, 0, -1 unknown */
	unsigned int value_sep : 1; /* value stored apart from norm */
	unsigned int has_more : 1; /* a struct vk_ioc_more pointer is
				    * stored right before norm */
	unsigned int where_src : 1; /* location: the provenance's source,
				     * ":", line */
	unsigned int fn_regex : 1; /* FILENAME: the value is a PCRE2 regex
				    * (Loki), see vk_ioc_fn_fp_regex() */
	unsigned int spare : 2; /* zero; free for small flags */
};

/* The indicator's details, or NULL when it has none. */
static inline const struct vk_ioc_more *
vk_ioc_more(const struct vk_ioc *ioc)
{
	const struct vk_ioc_more *m = NULL;

	if (ioc->has_more)
		memcpy(&m, ioc->norm - sizeof(m), sizeof(m));
	return m;
}

/* Bytes after the norm's NUL that hold the address (IPv6: 16). */
static inline size_t
vk_ioc_addr_len(const struct vk_ioc *ioc)
{
	return ioc->type == VK_IOC_IPV6 ? 16 : 0;
}

/* The value exactly as written in the source (NUL-terminated). */
static inline const char *
vk_ioc_value(const struct vk_ioc *ioc)
{
	return ioc->value_sep
	    ? ioc->norm + ioc->norm_len + 1 + vk_ioc_addr_len(ioc)
	    : ioc->norm;
}

/* The indicator's comment (description, Loki comment), or NULL. */
static inline const char *
vk_ioc_comment(const struct vk_ioc *ioc)
{
	const struct vk_ioc_more *m = vk_ioc_more(ioc);

	return m ? m->comment : NULL;
}

/* FILENAME with fn_regex: the regex of paths that are false positives,
 * or NULL. */
static inline const char *
vk_ioc_fn_fp_regex(const struct vk_ioc *ioc)
{
	const struct vk_ioc_more *m = vk_ioc_more(ioc);

	return m ? m->fn_fp_regex : NULL;
}

/* First / last seen given for this indicator (ISO 8601), or NULL: then
 * the provenance's apply. */
static inline const char *
vk_ioc_first_seen(const struct vk_ioc *ioc)
{
	const struct vk_ioc_more *m = vk_ioc_more(ioc);

	return m ? m->first_seen : NULL;
}

static inline const char *
vk_ioc_last_seen(const struct vk_ioc *ioc)
{
	const struct vk_ioc_more *m = vk_ioc_more(ioc);

	return m ? m->last_seen : NULL;
}

/* Size of a buffer that always holds vk_ioc_where()'s text. */
#define VK_IOC_WHERE_MAX 4416

/*
 * The indicator's location in its source ("file:line" or
 * "file:$.objects[3].pattern"), or NULL when unknown; `set` is the
 * indicator's (a plain list's lines name the provenance's source rather
 * than keep a record each).  The text is either
 * the set's (valid as long as the set) or written into buf (cap bytes,
 * VK_IOC_WHERE_MAX always suffices; a smaller buffer may truncate it).
 */
struct vk_ioc_set;
const char *vk_ioc_where(const struct vk_ioc_set *set, const struct vk_ioc *ioc,
    char *buf, size_t cap);

/*
 * IPV4 only: the address (the network's for a range) in host order, read
 * from the normalised text ("192.0.2.1", "192.0.2.0/24"), so that it
 * costs no memory.
 */
static inline uint32_t
vk_ioc_ipv4(const struct vk_ioc *ioc)
{
	uint32_t a = 0, part = 0;

	for (const char *p = ioc->norm;; p++) {
		if (*p >= '0' && *p <= '9') {
			part = part * 10 + (uint32_t)(*p - '0');
		} else {
			a = a << 8 | (part & 0xff);
			part = 0;
			if (*p != '.')
				return a;
		}
	}
}

/* IPV6 only: the address's 16 bytes in network order, stored after the
 * normalised text. */
static inline const uint8_t *
vk_ioc_ipv6(const struct vk_ioc *ioc)
{
	return (const uint8_t *)ioc->norm + ioc->norm_len + 1;
}

/* IPV4 / IPV6: the address in network order into out (IPv4 in the first
 * 4 bytes, the rest zero); all zero for other types. */
void vk_ioc_addr(const struct vk_ioc *ioc, uint8_t out[16]);

struct vk_ioc_set;

/* A new empty set, or NULL on ENOMEM.  Free with vk_ioc_set_free(). */
struct vk_ioc_set *vk_ioc_set_new(void);
void vk_ioc_set_free(struct vk_ioc_set *set);

/* Highest provenance index (struct vk_ioc keeps it in 24 bits). */
#define VK_IOC_PROV_MAX 0xffffffu

/*
 * Adds a provenance record (its strings are copied) and stores its index in
 * *id.  Returns 0, VK_ENOMEM, or VK_ETOOBIG past VK_IOC_PROV_MAX records.
 */
int vk_ioc_set_add_prov(
    struct vk_ioc_set *set, const struct vk_ioc_prov *p, uint32_t *id);

/* extra's location as "file:line" (formatted into buf, of
 * VK_IOC_WHERE_MAX bytes, when extra->line is set), or NULL. */
const char *vk_ioc_extra_where(
    const struct vk_ioc_extra *extra, char *buf, size_t cap);

/*
 * Adds one indicator.  `value` (len bytes, need not be NUL-terminated) is
 * kept as written; it is refanged and normalised for matching.  With
 * type == VK_IOC_TYPE_MAX the type is detected from the value.  `extra`
 * may be NULL.  An exact duplicate (same type, normalised value and
 * provenance) is not added again and returns 0.
 *
 * Returns 0; VK_EINVAL when the value is not a valid indicator of the type
 * (a message naming extra->where is then added to `d`, which may be NULL);
 * VK_ETOOBIG for values over 64 KiB; VK_ENOMEM.
 * Surrounding white space is not part of the key (except for FILENAME,
 * whose key is the value as given, not refanged).  An address declared
 * IPV4 that is IPv6 (or the reverse, or IPv4-mapped) is stored with the
 * family it really has.  `prov` is not checked against the provenance
 * records, but one above VK_IOC_PROV_MAX is VK_EINVAL.  Details:
 * docs/matching.md.
 */
int vk_ioc_set_add(struct vk_ioc_set *set, enum vk_ioc_type type,
    const char *value, size_t len, uint32_t prov,
    const struct vk_ioc_extra *extra, struct vk_diag *d);

size_t vk_ioc_set_count(const struct vk_ioc_set *set);
/* Indicator i (0 <= i < count; NULL otherwise); the pointer stays valid
 * until the set is freed (but not across vk_ioc_set_add calls). */
const struct vk_ioc *vk_ioc_set_get(const struct vk_ioc_set *set, size_t i);
struct vk_ioc *vk_ioc_set_get_mut(struct vk_ioc_set *set, size_t i);
/* Provenance record id, or NULL when there is no such record. */
const struct vk_ioc_prov *vk_ioc_set_prov(
    const struct vk_ioc_set *set, uint32_t id);
size_t vk_ioc_set_prov_count(const struct vk_ioc_set *set);
/* Count of indicators of type t. */
size_t vk_ioc_set_count_type(const struct vk_ioc_set *set, enum vk_ioc_type t);

/*
 * Atomic loading: vk_ioc_set_mark() notes the set's current state and
 * vk_ioc_set_rollback() removes every indicator and provenance record added
 * since (including their duplicate-detection entries), so that a file that
 * fails half-way leaves the set exactly as it was.  (The rolled-back
 * strings' memory is only given back when the set is freed.)
 */
struct vk_ioc_set_mark {
	size_t niocs;
	size_t nprov;
};
int vk_ioc_set_mark(const struct vk_ioc_set *set, struct vk_ioc_set_mark *m);
int vk_ioc_set_rollback(
    struct vk_ioc_set *set, const struct vk_ioc_set_mark *m);

/*
 * Done loading: frees what only adding needs (the duplicate table, the
 * scratch buffers, the indicator array's growth room), so call it before
 * building the matcher.  The set is read-only afterwards:
 * vk_ioc_set_add(), vk_ioc_set_add_prov(), vk_ioc_set_mark() and
 * vk_ioc_set_rollback() return VK_EINVAL and change nothing
 * (vk_ioc_set_get_mut() still works: allow-lists may mark indicators).
 * Indicator pointers may move once more here.  Idempotent.
 */
void vk_ioc_set_freeze(struct vk_ioc_set *set);
bool vk_ioc_set_frozen(const struct vk_ioc_set *set);

/*
 * Copies a string into the set's arena (for importers that must keep text
 * alive as long as the set).  Returns NULL on ENOMEM.
 */
const char *vk_ioc_set_strdup(
    struct vk_ioc_set *set, const char *s, size_t len);

#endif
