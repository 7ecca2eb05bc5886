/*
 * input.h — log input for `vaksam hunt`: byte streams and lines.
 *
 * A struct vk_input is one byte stream read from a file descriptor or a
 * memory buffer, transparently decompressed when it starts with the magic
 * bytes of gzip, bzip2, xz or zstd (detected by content, never by name).
 * Compressed streams are decoded sequentially with a fixed amount of
 * memory: multi-member gzip, concatenated bzip2 streams, concatenated xz
 * streams and concatenated or skippable zstd frames are all read to the
 * end.  A stream that is truncated or corrupt yields every byte decoded
 * before the damage and then VK_EPARSE, with a short reason
 * (vk_input_error()).
 *
 * A struct vk_lines splits such a stream into lines, reusing one buffer:
 * a line ends at '\n' (a preceding '\r' is dropped), the last line need
 * not end in a newline, and lines may hold any bytes (NUL, invalid UTF-8).
 * A line longer than the ceiling (VK_LINE_MAX unless set otherwise) is
 * delivered in pieces of the ceiling's size, each flagged as a piece of
 * the same line, so that nothing in it goes unscanned; a match that spans
 * two pieces can be missed.  Nothing is allocated per line.
 */
#ifndef VK_HUNT_INPUT_H
#define VK_HUNT_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Longest line scanned as one piece. */
#define VK_LINE_MAX (16u * 1024 * 1024)

enum vk_compress {
	VK_COMPRESS_NONE,
	VK_COMPRESS_GZIP,
	VK_COMPRESS_BZIP2,
	VK_COMPRESS_XZ,
	VK_COMPRESS_ZSTD,
	VK_COMPRESS_AUTO, /* detect from the first bytes */
	VK_COMPRESS_MAX
};

/* "none", "gzip", "bzip2", "xz", "zstd", "auto". */
const char *vk_compress_name(enum vk_compress c);

/* The compression whose magic bytes begin p[0..n); VK_COMPRESS_NONE when
 * none does (or n is too short to tell). */
enum vk_compress vk_compress_detect(const void *p, size_t n);

struct vk_input;

/*
 * Opens a stream over fd, which the caller keeps owning (and closes after
 * vk_input_free).  With `pos` >= 0 the file is read with pread() from
 * offset pos (so several streams may share one file); with pos < 0 it is
 * read with read() from where it stands (pipes, standard input).
 * With `c` == VK_COMPRESS_AUTO the first bytes decide.
 * Returns 0 or VK_ENOMEM / VK_EINTERNAL (a decoder failed to start).
 */
int vk_input_open_fd(
    int fd, off_t pos, enum vk_compress c, struct vk_input **out);

/* The same over memory (p must outlive the stream). */
int vk_input_open_mem(
    const void *p, size_t n, enum vk_compress c, struct vk_input **out);

void vk_input_free(struct vk_input *in);

/*
 * Reads up to cap decompressed bytes into buf; *n is the count, 0 at the
 * end of the stream.  Returns 0; VK_EIO on a read error (errno kept in
 * vk_input_errno()); VK_EPARSE when the compressed data is truncated or
 * corrupt (every good byte before it has been delivered).  After an error
 * every further call returns the same error.  Short reads are normal.
 */
int vk_input_read(struct vk_input *in, void *buf, size_t cap, size_t *n);

/* The compression detected (after the first read when AUTO). */
enum vk_compress vk_input_compression(const struct vk_input *in);
/* Bytes taken from the file or memory so far (compressed bytes). */
uint64_t vk_input_raw_bytes(const struct vk_input *in);
/* What went wrong, for people ("truncated xz stream"), or NULL. */
const char *vk_input_error(const struct vk_input *in);
int vk_input_errno(const struct vk_input *in);

/* One line (or one piece of an over-long line). */
struct vk_line {
	const char *p; /* not NUL-terminated; valid until the next call */
	size_t len; /* without "\n" or "\r\n" */
	uint64_t off; /* offset of the line's first byte in the stream */
	bool piece; /* a later piece of an over-long line (same line) */
	bool cut; /* more pieces of this line follow */
};

struct vk_lines {
	struct vk_input *in; /* not owned */
	char *buf;
	size_t cap; /* allocated */
	size_t start, end; /* unread bytes: buf[start .. end) */
	size_t scan; /* buf[start .. scan) holds no newline */
	uint64_t base; /* stream offset of buf[0] */
	uint64_t line_off; /* offset of the line being cut in pieces */
	size_t max_line;
	size_t read_size;
	bool eof;
	bool in_piece; /* the next line is a piece of an over-long one */
	int err;
	uint64_t long_lines; /* lines delivered in pieces */
};

/*
 * Initialises a line reader over `in`, whose bytes start at stream offset
 * `base`.  max_line 0 means VK_LINE_MAX.  Memory grows only as long lines
 * need it, never past max_line plus one read.  Returns 0 or VK_ENOMEM.
 */
int vk_lines_init(
    struct vk_lines *lr, struct vk_input *in, uint64_t base, size_t max_line);
/* Points the reader at another stream, keeping its buffer. */
void vk_lines_reset(struct vk_lines *lr, struct vk_input *in, uint64_t base);
void vk_lines_release(struct vk_lines *lr);

/*
 * The next line: returns 1 and fills *line, 0 at the end of the stream, or
 * the stream's error (VK_EIO, VK_EPARSE) once the lines before it are
 * delivered.
 */
int vk_lines_next(struct vk_lines *lr, struct vk_line *line);

/*
 * Discards bytes up to and including the next '\n' (for a reader that
 * starts in the middle of a line).  Returns 1 when a newline was found, 0
 * at the end of the stream or once the stream offset `limit` is passed
 * without one, or an error.
 */
int vk_lines_skip_partial(struct vk_lines *lr, uint64_t limit);

/*
 * The unread whole lines (each ending in '\n') in the buffer, after one
 * more read when there are none, that begin before the stream offset
 * `limit`, as one run: returns 1 and sets run->p, len (with the newlines)
 * and off; 0 when the next line is not whole in the buffer, is over the
 * ceiling, begins at or after `limit`, or the stream has ended
 * (vk_lines_next() takes it from there); or VK_ENOMEM.  Saves the per-line
 * work of short lines for a caller that can take many at once.
 */
int vk_lines_run(struct vk_lines *lr, uint64_t limit, struct vk_line *run);

/* How many bytes of p[0..n) are c (newlines: lines in a run). */
size_t vk_count_byte(const char *p, size_t n, char c);

/* Stream offset of the next unread byte. */
uint64_t vk_lines_tell(const struct vk_lines *lr);

#endif
