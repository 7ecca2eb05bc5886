/*
 * engine.h — the sweep of `vaksam hunt`: inputs, threads, order.
 *
 * The engine takes the inputs listed by a walk (hunt/walk.h) and runs a
 * table of scanners over each of them on N threads.  Today there is one
 * scanner, "lines": it reads the input as a (possibly compressed) stream
 * of lines (hunt/input.h) and hands each line to a line-scanning function
 * — the indicator matcher (hunt/match.h).  Later scanners (file hashes,
 * YARA, evtx, file names) slot into the same table; see engine.c.
 *
 * Work is cut into units: a whole input, or — for uncompressed regular
 * files larger than the chunk size — a chunk of it that starts and ends at
 * line boundaries.  Each worker thread has one reused line buffer and
 * allocates nothing per line.  Hits are kept per unit and handed to the
 * caller in input order, and within an input in order of position, so the
 * output is the same for every number of threads.  Line numbers and
 * offsets are exact across chunks: each chunk counts its lines, and the
 * counts of the chunks before it are added as it is emitted.
 */
#ifndef VK_HUNT_ENGINE_H
#define VK_HUNT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hunt/input.h"
#include "hunt/match.h"
#include "hunt/walk.h"

/* Longest context kept per hit (a window around the match). */
#define VK_HUNT_CONTEXT_MAX 1024

/* What kind of check found a hit (issue 3: files). */
enum vk_hunt_kind {
	VK_HUNT_KIND_LINE, /* a line of a log */
	VK_HUNT_KIND_HASH, /* the file's digest */
	VK_HUNT_KIND_YARA, /* a YARA rule */
	VK_HUNT_KIND_EVTX, /* a field of a Windows event log record */
	VK_HUNT_KIND_FILENAME, /* the file's name or path */
	VK_HUNT_KIND_MAX
};

/* "line", "hash", "yara", "evtx", "filename". */
const char *vk_hunt_kind_name(enum vk_hunt_kind k);

struct vk_file_digests;
struct vk_yara_hit;
struct vk_evtx_record;
struct vk_filecheck;

/* The file a file hit (kind != LINE) is about. */
struct vk_hunt_fileinfo {
	uint64_t size;
	int64_t mtime_sec; /* UTC */
	long mtime_nsec;
	/* The digests computed (at least SHA-256 when the file was not too
	 * big to hash), or NULL. */
	const struct vk_file_digests *digests;
};

/* One hit, as handed to on_hit(); its pointers are valid only during the
 * call. */
struct vk_hunt_hit {
	size_t file; /* index in the walk list */
	uint64_t line; /* 1-based line number */
	uint64_t offset; /* of the line's first byte, decompressed */
	uint32_t ioc; /* index in the indicator set */
	const char *matched; /* the text as it stands in the log */
	size_t matched_len;
	size_t match_off; /* of the match within the line */
	const char *context; /* the line, or a window of it */
	size_t context_len; /* <= VK_HUNT_CONTEXT_MAX */
	size_t context_off; /* where the window starts in the line */
	const char *field; /* JSON field path, or NULL */
	const char *scanner; /* "lines", "files" */
	/* Issue 3.  For kind != LINE: line and offset are 0, `matched` is
	 * the digest / path / rule name / matched text of the field,
	 * `context` a short description (or the event-log field's value),
	 * `field` the event-log field name. */
	enum vk_hunt_kind kind;
	const struct vk_hunt_fileinfo *fi; /* kind != LINE */
	const char *hash_alg; /* HASH: "md5", "sha1", "sha256", "sha512" */
	const struct vk_yara_hit *yara; /* YARA */
	const struct vk_evtx_record *evtx; /* EVTX */
};

enum vk_hunt_status {
	VK_HUNT_OK,
	VK_HUNT_UNREADABLE, /* could not be opened or read (errnum) */
	VK_HUNT_DAMAGED, /* compressed data truncated or corrupt (why) */
	VK_HUNT_STATUS_MAX
};

/* What the sweep of one input found, handed to on_file(). */
struct vk_hunt_file_stats {
	enum vk_hunt_status status;
	int errnum; /* UNREADABLE */
	const char *why; /* DAMAGED: static text */
	enum vk_compress compression;
	uint64_t raw_bytes; /* bytes read from the file */
	uint64_t bytes; /* bytes after decompression */
	uint64_t lines;
	uint64_t long_lines; /* lines scanned in pieces */
	uint64_t hits;
	unsigned chunks; /* work units the input was cut into */
	/* Per kind of check (issue 3). */
	unsigned covered; /* bit 1u << kind: that check ran over the input */
	const char *skipped[VK_HUNT_KIND_MAX]; /* why a check did not run over
						* it (static text), or NULL */
	bool changed; /* changed or vanished while being swept */
	uint64_t evtx_records, evtx_damaged;
};

/* Scans one line (no newline) and reports hits through fn; the matcher's
 * vk_matcher_scan() has this shape with the matcher as `ctx`. */
typedef int (*vk_hunt_line_fn)(
    const void *ctx, const char *line, size_t len, vk_match_fn fn, void *arg);

struct vk_hunt_opts {
	unsigned jobs; /* threads; 0 = online CPUs */
	size_t chunk_size; /* 0 = VK_HUNT_CHUNK (also: VAKSAM_CHUNK_SIZE) */
	size_t max_line; /* 0 = VK_LINE_MAX */
	vk_hunt_line_fn scan_line;
	/* The same for a buffer of whole lines, each ending in '\n'
	 * (vk_matcher_scan_lines()); hits' offsets are the buffer's.  Used
	 * for runs of short lines when not NULL; needs scan_line too. */
	vk_hunt_line_fn scan_lines;
	const void *scan_ctx;
	/*
	 * Called one at a time, in input order (never concurrently); a
	 * non-zero return stops the sweep and is returned by vk_hunt_run.
	 */
	int (*on_hit)(void *arg, const struct vk_hunt_hit *h);
	void (*on_file)(
	    void *arg, size_t file, const struct vk_hunt_file_stats *st);
	/* Called about 4 times a second from the calling thread, and once
	 * more with final = true; may be NULL. */
	void (*on_progress)(void *arg, uint64_t done, uint64_t total,
	    double seconds, bool final);
	void *arg; /* for on_hit and on_file */
	void *progress_arg; /* for on_progress */
	/* File checks (hashes, YARA, event logs, file names; issue 3), or
	 * NULL for logs only.  Event-log fields are matched with scan_line. */
	const struct vk_filecheck *files;
};

#define VK_HUNT_CHUNK (16u * 1024 * 1024)

/* The whole sweep. */
struct vk_hunt_totals {
	uint64_t files; /* inputs read (without errors or with) */
	uint64_t raw_bytes, bytes, lines, long_lines, hits;
	uint64_t unreadable, damaged;
	/* Per kind of check (issue 3): inputs covered, inputs skipped. */
	uint64_t covered[VK_HUNT_KIND_MAX], skipped[VK_HUNT_KIND_MAX];
	uint64_t changed, evtx_records, evtx_damaged;
	double seconds;
	unsigned jobs;
};

/*
 * Sweeps every VK_WALK_FILE and VK_WALK_STREAM entry of w.  Inputs that
 * fail are reported through on_file() and counted; the sweep goes on.
 * Returns 0, on_hit()'s non-zero return, or VK_ENOMEM / VK_EINTERNAL
 * (threads could not start).  `totals` may be NULL.
 */
int vk_hunt_run(const struct vk_walk *w, const struct vk_hunt_opts *o,
    struct vk_hunt_totals *totals);

#endif
