/*
 * import.h — reading indicator files into a set.
 *
 * Formats, detected by content (not by name):
 *   STIX 2.1 bundle (JSON object with "type": "bundle"), MISP event
 *   ({"Event": …}), list of MISP events, MISP feed directory (manifest.json
 *   + <uuid>.json), CSV with a header naming a type and a value column,
 *   Loki-style "value;comment" lines, plain lists (one value per line,
 *   type detected, "#" comments).
 * Every indicator keeps its provenance (ioc/ioc.h).  See
 * docs/formats.md and vaksam-ioc(1).
 */
#ifndef VK_IOC_IMPORT_H
#define VK_IOC_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "ioc/ioc.h"
#include "util/diag.h"

enum vk_ioc_format {
	VK_IOC_FMT_AUTO,
	VK_IOC_FMT_STIX,
	VK_IOC_FMT_MISP, /* event, list of events, or feed directory */
	VK_IOC_FMT_CSV,
	VK_IOC_FMT_LOKI,
	VK_IOC_FMT_TEXT,
	VK_IOC_FMT_MAX
};

const char *vk_ioc_format_name(enum vk_ioc_format f);

struct vk_ioc_load_opts {
	enum vk_ioc_format format; /* VK_IOC_FMT_AUTO to detect */
	bool keep_going; /* skip bad entries (counted, named in diag)
				 * instead of failing the whole file */
	size_t max_bytes; /* ceiling on one file; 0 = 512 MiB */
};

/* What one load did, for `vaksam ioc check` and the hunt summary. */
struct vk_ioc_load_stats {
	enum vk_ioc_format format;
	size_t added; /* indicators added */
	size_t by_type[VK_IOC_TYPE_MAX];
	size_t skipped; /* bad entries skipped (keep_going) */
	size_t unsupported; /* e.g. STIX patterns vaksam cannot
					 * evaluate (each named in diag) */
	size_t duplicates;
	size_t ignored; /* entries of kinds vaksam does not use: MISP
				 * attributes of other types (text, regkey,
				 * link, …) and deleted ones */
};

/*
 * Loads `path` (a file, "-" for standard input, or a MISP feed directory)
 * into `set`.  Errors and warnings go to `d` with file:line or
 * file:$.json.path locations.
 *
 * Atomic: on any error without opts->keep_going, nothing from this file
 * stays in the set (the set is as it was before the call) and the return
 * is negative (VK_EPARSE, VK_EINVAL, VK_EIO, VK_ETOOBIG, VK_ENOMEM).
 * `stats` may be NULL.
 */
int vk_ioc_load(struct vk_ioc_set *set, const char *path,
    const struct vk_ioc_load_opts *opts, struct vk_ioc_load_stats *stats,
    struct vk_diag *d);

/* The same over a memory buffer; `name` is used in locations. */
int vk_ioc_load_mem(struct vk_ioc_set *set, const char *name, const char *data,
    size_t len, const struct vk_ioc_load_opts *opts,
    struct vk_ioc_load_stats *stats, struct vk_diag *d);

#endif
