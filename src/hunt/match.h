/*
 * match.h — the line matcher: the heart of `vaksam hunt`.
 *
 * Built once from an indicator set, then used read-only by any number of
 * threads.  vk_matcher_scan() tokenises one line once and looks every
 * token up in indexes whose cost does not grow with the number of
 * indicators (hash tables behind a cache-sized prefilter; CIDR ranges by
 * prefix length).  It allocates nothing and accepts any bytes.  The rules
 * — what counts as a token, where a domain may begin and end, how
 * addresses are recognised — are in docs/matching.md.
 */
#ifndef VK_HUNT_MATCH_H
#define VK_HUNT_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "ioc/ioc.h"

struct vk_matcher;

/* One hit within a line. */
struct vk_match {
	uint32_t ioc; /* index in the set (vk_ioc_set_get) */
	size_t off; /* matched text: line[off .. off+len) */
	size_t len;
};

/* Called for every hit, in order of position; a non-zero return stops the
 * scan and is returned by vk_matcher_scan(). */
typedef int (*vk_match_fn)(void *arg, const struct vk_match *m);

/*
 * Builds a matcher over every indicator of `set` that is not suppressed
 * (ioc->allow == 0) and that can appear in text (not hashes of type
 * FILENAME).  `set` must outlive the matcher.  Returns 0 or VK_ENOMEM.
 */
int vk_matcher_build(const struct vk_ioc_set *set, struct vk_matcher **out);
void vk_matcher_free(struct vk_matcher *m);

/* Number of indicators the matcher looks for. */
size_t vk_matcher_count(const struct vk_matcher *m);

/*
 * Scans one line (without its newline; any bytes, any length) and calls
 * fn for every hit.  The same indicator found twice in a line is reported
 * twice (at both places).  Thread-safe for a shared matcher.
 * Returns 0 or fn's non-zero return.
 */
int vk_matcher_scan(const struct vk_matcher *m, const char *line, size_t len,
    vk_match_fn fn, void *arg);

/*
 * Scans a buffer of whole lines, each ending in "\n" (or "\r\n"; the
 * last may lack it), and reports exactly the hits vk_matcher_scan() would
 * report for each line on its own, with offsets in the buffer, in order.
 * Saves the per-line work of many short lines (a log's).
 */
int vk_matcher_scan_lines(const struct vk_matcher *m, const char *buf,
    size_t len, vk_match_fn fn, void *arg);

#endif
