/*
 * import_int.h — what the per-format importers share (not public).
 *
 * import.c detects the format and calls one of the loaders below with a
 * struct vk_import describing the load in progress; the loaders add
 * through vk_import_add() so that counting, duplicates, keep-going and
 * messages work the same in every format.
 */
#ifndef VK_IOC_IMPORT_INT_H
#define VK_IOC_IMPORT_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "ioc/import.h"
#include "ioc/ioc.h"
#include "util/buf.h"
#include "util/diag.h"

/* Longest location string ("file:line" or "file:$.path"). */
#define VK_WHERE_MAX 4400

struct vk_import_prov_slot;

struct vk_import {
	struct vk_ioc_set *set;
	const char *name; /* the source as given: used in locations */
	const char *source; /* provenance "source" (usually == name) */
	bool keep_going;
	struct vk_ioc_load_stats *st; /* never NULL inside the loaders */
	struct vk_diag *d; /* may be NULL */
	/* Provenance records added by this load, deduplicated. */
	struct vk_import_prov_slot *prov;
	size_t nprov, provcap;
};

/*
 * Adds one indicator (see vk_ioc_set_add) and keeps the statistics.  A
 * value that is not a valid indicator is a bad entry: with keep_going it
 * is counted in st->skipped, named in a warning and 0 is returned;
 * otherwise it is named in an error and the error code is returned.
 */
int vk_import_add(struct vk_import *im, enum vk_ioc_type type,
    const char *value, size_t len, uint32_t prov,
    const struct vk_ioc_extra *extra);

/*
 * A bad entry found by a parser (unknown type, wrong JSON type, …): as
 * for vk_import_add, returns 0 with keep_going (counted, warned) or
 * `err` after recording an error.
 */
int vk_import_bad(struct vk_import *im, int err, const char *where,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A provenance record for this load; equal records share one id. */
int vk_import_prov(
    struct vk_import *im, const struct vk_ioc_prov *p, uint32_t *id);

/* Appends name (n bytes) to a ", "-joined list unless it is there
 * already; a list that reaches its buffer's ceiling is cut, not an error.
 * Returns 0 or VK_ENOMEM. */
int vk_import_add_name(struct vk_buf *names, const char *name, size_t n);

/* "TLP:AMBER", "amber", "white" → "amber" / "clear"; NULL if no TLP. */
const char *vk_import_tlp_word(const char *s, size_t n);
/* Rank of a vk_import_tlp_word() result (clear 0 … red 4), -1 for NULL. */
int vk_import_tlp_rank(const char *t);

/* Formats a location into buf (cap >= VK_WHERE_MAX); never fails (a
 * location that does not fit is cut). */
void vk_import_where(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Loaders; each returns 0 or a negative VK_E* after recording why. */
int vk_stix_load(struct vk_import *im, json_t *root);
/* root: an event, {"Event":…}, a list of them or {"response":[…]}. */
int vk_misp_load(struct vk_import *im, json_t *root);
/* One event file of a feed directory; `name` is used in locations. */
int vk_misp_load_event_file(
    struct vk_import *im, const char *name, json_t *root);
int vk_csv_load(struct vk_import *im, const char *data, size_t len);
int vk_loki_load(struct vk_import *im, const char *data, size_t len);
int vk_text_load(struct vk_import *im, const char *data, size_t len);
/*
 * The plain list loader in pieces, for reading a file block by block:
 * vk_text_begin() makes the provenance record, then vk_text_lines() takes
 * whole lines (data ends at a line end or at the end of the file);
 * *line counts the lines seen so far (0 at first) and is updated.
 */
int vk_text_begin(struct vk_import *im, uint32_t *pid);
int vk_text_lines(struct vk_import *im, const char *data, size_t len,
    uint32_t pid, size_t *line);

/* True when a line is a CSV header naming a type and a value column. */
bool vk_csv_is_header(const char *line, size_t len);

/* MISP tag / type helpers shared with the CSV reader. */
/* "tlp:amber" → "amber" ("white" → "clear"); NULL if not a TLP tag. */
const char *vk_misp_tlp_tag(const char *tag);

/* Lines: the next line of data[0..len) from *pos, without its end of line
 * ("\n", "\r\n"); returns false at the end. */
bool vk_import_next_line(const char *data, size_t len, size_t *pos,
    const char **line, size_t *linelen);

#endif
