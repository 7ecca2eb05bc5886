/*
 * filenames.h — file-name indicators (VK_IOC_FILENAME) checked against the
 * paths `vaksam hunt` walks.
 *
 * Two kinds of indicator value:
 *   - a plain name, as MISP `filename` and `filename|<hash>` attributes
 *     give it ("invoice.pdf.exe", sometimes a path "C:\Temp\x.exe"): its
 *     base name is compared with the file's base name, ASCII letters
 *     case-insensitively (Windows names are case-insensitive, and files
 *     from Windows shares are what this is for); when the indicator has
 *     directories too, the path must end with them, component-aligned, with
 *     `\` and `/` treated alike.
 *   - a Loki-style line `regex;score[;false-positive-regex]`: the regex
 *     (PCRE2, case-insensitive as Loki does it, compiled once with JIT) is
 *     searched in the full path, and in the path with every '/' made
 *     a '\' (Loki's regexes are written for Windows paths, the shares
 *     swept here are mounted with '/'); a path that also matches the
 *     false-positive regex (either way) is not reported.
 * See docs/matching.md, "File names".
 *
 * The index is built once and is read-only afterwards; each thread uses
 * its own struct vk_fnscan for matching.
 */
#ifndef VK_HUNT_FILENAMES_H
#define VK_HUNT_FILENAMES_H

#include <stddef.h>
#include <stdint.h>

#include "ioc/ioc.h"
#include "util/diag.h"

struct vk_fnidx;
struct vk_fnscan;

/* An empty index.  Returns 0 or VK_ENOMEM. */
int vk_fnidx_new(struct vk_fnidx **out);
void vk_fnidx_free(struct vk_fnidx *idx);

/*
 * Adds one file-name indicator (value as written, len bytes) as indicator
 * number `ioc`; `where` (may be NULL) locates it for messages in `d`
 * (may be NULL).  Returns 0; VK_EINVAL when a Loki regex does not compile
 * (a message naming `where` and the regex error is added to d); VK_ENOMEM.
 */
int vk_fnidx_add(struct vk_fnidx *idx, const char *value, size_t len,
    uint32_t ioc, const char *where, struct vk_diag *d);

/*
 * Adds a regex (re_len bytes) with an optional false-positive regex (fp,
 * fp_len; fp may be NULL) as indicator `ioc`.  Errors as vk_fnidx_add().
 */
int vk_fnidx_add_regex(struct vk_fnidx *idx, const char *re, size_t re_len,
    const char *fp, size_t fp_len, uint32_t ioc, const char *where,
    struct vk_diag *d);

/*
 * Indexes every VK_IOC_FILENAME indicator of `set` that is not suppressed:
 * those the importer marked as regexes (ioc->fn_regex, Loki lists, with
 * ioc->fn_fp_regex) as regexes, the others through vk_fnidx_add().
 * A regex that does not compile is a warning in d and is left out (the
 * rest of the sweep still runs).  `set` must outlive nothing here: the
 * index copies what it needs.  Returns 0 or VK_ENOMEM.
 */
int vk_fnidx_build(
    const struct vk_ioc_set *set, struct vk_diag *d, struct vk_fnidx **out);

/* Number of indicators indexed (plain names + regexes). */
size_t vk_fnidx_count(const struct vk_fnidx *idx);

/* Per-thread matching state.  Returns 0 or VK_ENOMEM. */
int vk_fnscan_new(const struct vk_fnidx *idx, struct vk_fnscan **out);
void vk_fnscan_free(struct vk_fnscan *s);

/* Called per matching indicator; a non-zero return stops the scan. */
typedef int (*vk_fn_hit_fn)(void *arg, uint32_t ioc);

/*
 * Checks `path` (len bytes, any bytes) against every indicator; calls fn
 * for each that matches.  Returns 0 or fn's non-zero return.
 */
int vk_fnscan_path(struct vk_fnscan *s, const char *path, size_t len,
    vk_fn_hit_fn fn, void *arg);

#endif
