/*
 * jsonpath.h — which JSON field of a log line holds a hit.
 *
 * For JSON-lines logs `vaksam hunt` names the field a hit lies in, as a
 * dotted path: "destination.domain", "dns.answers[0].data".  The path is
 * computed only for lines that have hits, by a small scanner that needs no
 * allocation beyond the caller's buffer.  Rules:
 *   - the line must be exactly one JSON object (surrounding whitespace
 *     allowed); anything else — other JSON values, trailing text, bad
 *     syntax, nesting deeper than VK_JSONPATH_DEPTH — has no fields;
 *   - string contents are taken leniently: any byte other than a control
 *     character is accepted (logs carry invalid UTF-8);
 *   - object keys appear as written between their quotes (escape sequences
 *     are not decoded), joined with "."; array elements as "[i]";
 *   - an offset inside a string, number or literal value gets that value's
 *     path; an offset inside a key gets the path of the member it names;
 *     an offset anywhere else (punctuation, whitespace) gets none;
 *   - a path longer than VK_JSONPATH_MAX bytes is not reported.
 */
#ifndef VK_HUNT_JSONPATH_H
#define VK_HUNT_JSONPATH_H

#include <stddef.h>

#include "util/buf.h"

#define VK_JSONPATH_DEPTH 64
#define VK_JSONPATH_MAX 512

/* Whether a line looks like JSON lines (first non-blank byte is '{'). */
int vk_jsonpath_candidate(const char *line, size_t len);

/*
 * Writes the path of the field containing byte `off` of line[0..len) to
 * out (NUL-terminated; cap >= VK_JSONPATH_MAX + 1 always suffices).
 * Returns 1 when there is one, 0 otherwise (out is then "").
 */
int vk_jsonpath_find(
    const char *line, size_t len, size_t off, char *out, size_t cap);

/*
 * The same for n offsets in ascending order, in one pass over the line.
 * For each i, at[i] receives the offset within `paths` of a NUL-terminated
 * path, or (size_t)-1 when offs[i] has none.  Paths are appended to
 * `paths` (not reset first).  Returns the number of offsets that have a
 * path, or a negative VK_E* code when `paths` cannot grow (VK_ETOOBIG,
 * VK_ENOMEM).
 */
int vk_jsonpath_find_many(const char *line, size_t len, const size_t *offs,
    size_t n, struct vk_buf *paths, size_t *at);

#endif
