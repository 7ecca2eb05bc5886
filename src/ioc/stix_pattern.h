/*
 * stix_pattern.h — the STIX 2.1 patterning language, parsed by hand.
 *
 * vk_stix_pattern_eval() parses a whole pattern (observation expressions
 * joined by OR / AND / FOLLOWEDBY, qualifiers, comparison expressions with
 * every operator of the specification, every literal kind) and reduces it
 * to what vaksam can look for: "any of these values".  Equality and IN on
 * the object paths vaksam knows yield values; OR yields the union; anything
 * whose meaning is more than "any of these values" (AND of different
 * things, negation, LIKE, MATCHES, FOLLOWEDBY, qualifiers, unknown object
 * types) is reported as unsupported with a reason.  Used by ioc/stix.c;
 * public for its unit tests and fuzz harness.
 */
#ifndef VK_IOC_STIX_PATTERN_H
#define VK_IOC_STIX_PATTERN_H

#include <stddef.h>

#include "ioc/ioc.h"
#include "util/buf.h"

/* Patterns longer than this are refused (VK_ETOOBIG). */
#define VK_STIX_PATTERN_MAX (1024 * 1024)
/* Deepest nesting of brackets and parentheses accepted. */
#define VK_STIX_PATTERN_DEPTH 64

struct vk_stix_value {
	enum vk_ioc_type type; /* VK_IOC_TYPE_MAX: detect from the value */
	size_t off; /* into vk_stix_result.text; NUL-terminated */
	size_t len;
};

struct vk_stix_result {
	struct vk_stix_value *v; /* the values, in pattern order */
	size_t n, cap;
	struct vk_buf text; /* decoded string literals */
	/* Non-empty when all or part of the pattern cannot be evaluated:
	 * then v holds only the values of the OR-branches that can (none
	 * when nothing can). */
	char why[256];
	/* After VK_EPARSE: byte offset in the pattern and what was wrong. */
	size_t errpos;
	char err[160];
};

void vk_stix_result_init(struct vk_stix_result *r);
void vk_stix_result_release(struct vk_stix_result *r);
/* The text of value i. */
const char *vk_stix_value_str(const struct vk_stix_result *r, size_t i);

/*
 * Parses `pat` (len bytes) and evaluates it into `r` (initialised by the
 * caller; emptied first).  Returns 0 (check r->why), VK_EPARSE (r->errpos,
 * r->err), VK_ETOOBIG (longer than VK_STIX_PATTERN_MAX) or VK_ENOMEM.
 */
int vk_stix_pattern_eval(const char *pat, size_t len, struct vk_stix_result *r);

#endif
