/*
 * filecheck.h — the file checks of `vaksam hunt` (issue 3): one work unit
 * per regular file that checks its name against file-name indicators,
 * hashes it once for the hash indicators, runs the YARA rules over it and,
 * when it is a Windows event log (by content), matches every field of
 * every record like a log line.
 *
 * The engine (hunt/engine.c) runs vk_filecheck_run() as its "files"
 * scanner, on any worker thread; each thread keeps its own
 * struct vk_filecheck_worker (digest contexts, read buffer, YARA scanner,
 * regex match data).  What a check could not do over a file is recorded
 * in the file's stats (`skipped[kind]`, with the reason) and never
 * silently dropped.  See docs/formats.md, "Hunt output".
 */
#ifndef VK_HUNT_FILECHECK_H
#define VK_HUNT_FILECHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "hunt/engine.h"
#include "hunt/walk.h"

#define VK_FILECHECK_MAX_SIZE_DEFAULT (256ull * 1024 * 1024)
/* Bytes looked at to tell a binary file (NUL) or an event log. */
#define VK_FILECHECK_HEAD 8192

struct vk_filecheck {
	const struct vk_hashidx *hashes; /* hash indicators, or NULL */
	const struct vk_fnidx *names; /* file-name indicators, or NULL */
	const struct vk_yara *yara; /* rules, or NULL */
	bool evtx; /* parse event logs */
	uint64_t max_size; /* hashing and YARA skip larger files */
	int yara_timeout; /* seconds per file, 0 none */
	bool yara_strings; /* report matched strings */
};

struct vk_filecheck_worker;

void vk_filecheck_worker_free(struct vk_filecheck_worker *w);

/* A hit for the engine to emit (it fills h->file and h->scanner). */
typedef int (*vk_filecheck_hit_fn)(void *arg, struct vk_hunt_hit *h);

/*
 * Checks the regular file `f`.  *wp is the thread's state, made on first
 * use.  Problems with the file go to *st (status, skipped[], changed);
 * the return is 0, VK_ENOMEM, or fn's non-zero return.
 */
int vk_filecheck_run(const struct vk_filecheck *fc,
    struct vk_filecheck_worker **wp, const struct vk_walk_entry *f,
    vk_hunt_line_fn scan_line, const void *scan_ctx, vk_filecheck_hit_fn fn,
    void *arg, struct vk_hunt_file_stats *st);

/*
 * Why the line scanner should leave the file open on fd alone, from its
 * first VK_FILECHECK_HEAD bytes: "event log (parsed as one)" for an .evtx
 * by content, "binary (NUL in the first 8 KiB)" for an uncompressed file
 * with a NUL byte there; NULL to scan its lines.
 */
const char *vk_filecheck_lines_skip(int fd);

#endif
