/*
 * report.h — what `vaksam hunt` writes: hits and the summary.
 *
 * Three hit formats (docs/formats.md, "Hunt output", is the public
 * description):
 *   jsonl  one JSON object per hit, written as hits arrive;
 *   csv    RFC 4180 with a header row, the same fields;
 *   text   for people: hits grouped by campaign and indicator, written at
 *          the end; at most VK_REPORT_TEXT_PER_IOC hits are listed per
 *          indicator (the rest are counted), and nothing from a log
 *          reaches a terminal unescaped.
 * The summary (stderr) counts inputs, bytes, lines, hits by indicator and
 * by campaign, suppressed indicators by allow-list, skipped and failed
 * inputs, time and throughput.
 */
#ifndef VK_HUNT_REPORT_H
#define VK_HUNT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "hunt/engine.h"
#include "hunt/walk.h"
#include "ioc/ioc.h"
#include "util/buf.h"

enum vk_report_format {
	VK_REPORT_TEXT,
	VK_REPORT_JSONL,
	VK_REPORT_CSV,
	VK_REPORT_FORMAT_MAX
};

#define VK_REPORT_TEXT_PER_IOC 100

/* "text", "jsonl", "csv" → format; VK_EINVAL otherwise. */
int vk_report_format_from_name(const char *s, enum vk_report_format *f);

struct vk_report_opts {
	enum vk_report_format format;
	FILE *out; /* hits go here; not closed */
	bool color; /* text: ANSI colour */
	const struct vk_ioc_set *set; /* must outlive the report */
	const struct vk_walk *walk; /* must outlive the report */
	/* Names of the allow-lists, by index (ioc->allow - 1). */
	const char *const *allow_names;
	size_t nallow;
	/* Issue 3: list every skipped file in the summary (--list-skipped). */
	bool list_skipped;
};

struct vk_report;

/* Returns 0 or VK_ENOMEM; opts is copied (its pointers are not). */
int vk_report_new(const struct vk_report_opts *o, struct vk_report **out);
void vk_report_free(struct vk_report *r);

/* One hit (engine on_hit); returns 0, or VK_EIO when writing failed. */
int vk_report_hit(struct vk_report *r, const struct vk_hunt_hit *h);
/* One input is done (engine on_file). */
void vk_report_file(
    struct vk_report *r, size_t file, const struct vk_hunt_file_stats *st);

/* Writes what is still held (the text format) and flushes; VK_EIO when
 * the output could not be written. */
int vk_report_finish(struct vk_report *r);

/* The summary, to fp (standard error). */
void vk_report_summary(
    struct vk_report *r, FILE *fp, const struct vk_hunt_totals *t);

/* Inputs that could not be read or were damaged (for the exit status). */
size_t vk_report_failed(const struct vk_report *r);

/*
 * Escapers, exposed for tests.  Each appends to b and returns 0 or the
 * buffer's error.
 *   json: the inside of a JSON string; invalid UTF-8 bytes become the
 *         text "\xNN" (JSON "\\xNN").
 *   term: printable on a terminal; control characters, C1 controls,
 *         bidirectional overrides and invalid bytes become "\xNN" or
 *         "\u{NNNN}"; tab stays.
 *   csv:  one RFC 4180 field, quoted when needed; invalid bytes as
 *         "\xNN"; a field starting with = + - @ gets a leading "'" so that
 *         spreadsheets do not run it as a formula.
 */
int vk_escape_json(struct vk_buf *b, const char *s, size_t n);
int vk_escape_term(struct vk_buf *b, const char *s, size_t n);
int vk_escape_csv(struct vk_buf *b, const char *s, size_t n);

#endif
