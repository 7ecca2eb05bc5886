/*
 * yara.h — YARA rules for `vaksam hunt`, through libyara.
 *
 * A struct vk_yara holds compiled rules: source files (.yar / .yara, or
 * directories of them, searched recursively) compiled once, or one
 * precompiled rules file (yarac output) loaded as it is — which of the two
 * a file is, is decided by its content ("YARA" magic), not its name.  The
 * external variables `filename`, `filepath` and `extension` are defined
 * at compile time and set for every file scanned.
 *
 * The rules are read-only once loaded; every thread makes its own
 * struct vk_yara_scanner (libyara's scanners are not thread-safe, its
 * rules are).  Files are scanned memory-mapped; libyara catches the
 * SIGBUS of a file truncated under the scan and reports it as an error.
 */
#ifndef VK_HUNT_YARA_H
#define VK_HUNT_YARA_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

#define VK_YARA_TIMEOUT_DEFAULT 60 /* seconds per file */

struct vk_yara;
struct vk_yara_scanner;

/*
 * Loads rules from `paths` (n entries: files or directories).  Every
 * compile error goes to `d` as "rulefile:line" with YARA's message, and
 * then VK_EPARSE is returned and *out stays NULL: no scan may start with
 * half the rules.  Also VK_EIO (a path cannot be read; named in d),
 * VK_EINVAL (no rules found, or a precompiled file mixed with others;
 * named in d), VK_ENOMEM, VK_EINTERNAL.
 */
int vk_yara_load(const char *const *paths, size_t n, struct vk_diag *d,
    struct vk_yara **out);
void vk_yara_free(struct vk_yara *y);
/* Number of rules loaded. */
size_t vk_yara_rule_count(const struct vk_yara *y);

struct vk_yara_meta {
	const char *id;
	const char *value; /* strings as they are; integers in decimal;
			    * booleans "true" / "false" */
	int is_string; /* 1 when value is a YARA text string */
};

struct vk_yara_string {
	const char *id; /* "$a" */
	uint64_t offset; /* in the file */
	size_t len; /* length of the match */
	const uint8_t *data; /* its first data_len bytes (any bytes) */
	size_t data_len;
};

#define VK_YARA_MAX_TAGS 32
#define VK_YARA_MAX_META 64
#define VK_YARA_MAX_STRINGS 100 /* matched strings reported per rule */
#define VK_YARA_EXCERPT 64 /* bytes of each matched string kept */

/* One rule that matched.  Valid only during the callback. */
struct vk_yara_hit {
	const char *rule;
	const char *ns;
	const char *tags[VK_YARA_MAX_TAGS];
	size_t ntags;
	struct vk_yara_meta meta[VK_YARA_MAX_META];
	size_t nmeta;
	struct vk_yara_string strings[VK_YARA_MAX_STRINGS];
	size_t nstrings; /* 0 unless strings were asked for */
	int strings_truncated; /* more matches than VK_YARA_MAX_STRINGS */
};

/* Called once per matching rule; non-zero aborts the scan. */
typedef int (*vk_yara_hit_fn)(void *arg, const struct vk_yara_hit *h);

/*
 * A scanner for one thread.  timeout: seconds per file (0: none);
 * strings: report matched strings with offsets (otherwise libyara runs in
 * fast mode: one match per string is enough to decide a rule).
 * Returns 0 or VK_ENOMEM.
 */
int vk_yara_scanner_new(const struct vk_yara *y, int timeout, int strings,
    struct vk_yara_scanner **out);
void vk_yara_scanner_free(struct vk_yara_scanner *s);

/*
 * Scans open file fd (size bytes, as measured by fstat) whose path is
 * `path` (for the external variables); calls fn per matching rule.
 * Returns 0; VK_ETOOBIG on the per-file timeout ("yara timeout"); VK_EIO
 * when the file cannot be mapped or shrank during the scan; VK_EINTERNAL
 * on another libyara error (*yr_err, which may be NULL, gets its code);
 * or fn's non-zero return.
 */
int vk_yara_scan_fd(struct vk_yara_scanner *s, int fd, uint64_t size,
    const char *path, vk_yara_hit_fn fn, void *arg, int *yr_err);

/* The same over a memory range (tests, decompressed data). */
int vk_yara_scan_mem(struct vk_yara_scanner *s, const void *p, size_t n,
    const char *path, vk_yara_hit_fn fn, void *arg, int *yr_err);

#endif
