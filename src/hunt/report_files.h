/*
 * report_files.h — the parts of `vaksam hunt`'s output that the file
 * checks add (issue 3), used by report.c: the `kind` of every hit and the
 * fields of hash, YARA, event-log and file-name hits in JSON lines and
 * CSV, a label for the text format, and the per-check summary (how many
 * inputs each kind of check covered and skipped, and why; files that
 * changed while being swept; with --list-skipped every skipped file).
 * docs/formats.md, "Hunt output", describes the fields.
 */
#ifndef VK_HUNT_REPORT_FILES_H
#define VK_HUNT_REPORT_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hunt/engine.h"
#include "hunt/walk.h"
#include "util/buf.h"

/* Appends ,"kind":… and the file-hit fields (the inside of the object). */
int vk_report_json_file_fields(struct vk_buf *b, const struct vk_hunt_hit *h);

/* The CSV columns these add (after the log columns), without a leading
 * comma or a line end. */
#define VK_REPORT_CSV_FILE_HEADER \
	"kind,size,mtime,md5,sha1,sha256,sha512,rule,namespace,tags,meta," \
	"strings,channel,provider,computer,event_id,record,time"
/* Appends the values of those columns, each preceded by a comma. */
int vk_report_csv_file_fields(struct vk_buf *b, const struct vk_hunt_hit *h);

/* For the text format: appends a short label of a file hit (kind, and
 * for event logs channel, EventID, record, time). */
int vk_report_text_label(struct vk_buf *b, const struct vk_hunt_hit *h);

/* UTC ISO 8601 of a modification time, "1970-01-01T00:00:00.000000000Z". */
void vk_report_iso_time(char *out, size_t cap, int64_t sec, long nsec);

/* Per-check tallies for the summary. */
struct vk_report_checks {
	struct {
		int kind;
		const char *why;
		uint64_t n;
	} why[64];
	size_t nwhy;
	size_t *changed; /* files that changed, first CHANGED_SHOWN */
	size_t nchanged, capchanged;
	/* --list-skipped: every (file, kind, why) */
	bool list;
	struct vk_report_skip {
		size_t file;
		int kind;
		const char *why;
	} * skips;
	size_t nskips, capskips;
};

void vk_report_checks_init(struct vk_report_checks *c, bool list);
void vk_report_checks_release(struct vk_report_checks *c);
void vk_report_checks_file(struct vk_report_checks *c, size_t file,
    const struct vk_hunt_file_stats *st);
/* Appends the summary lines (nothing when no file check ran). */
void vk_report_checks_summary(const struct vk_report_checks *c,
    const struct vk_walk *w, const struct vk_hunt_totals *t, struct vk_buf *b);
/* With --list-skipped: every skipped file and why, one per line, to fp
 * (written directly: the list has no ceiling but SKIPS_MAX). */
void vk_report_checks_list(
    const struct vk_report_checks *c, const struct vk_walk *w, FILE *fp);

#endif
