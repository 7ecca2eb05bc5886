/*
 * input.c — byte streams (plain, gzip, bzip2, xz, zstd) and the line
 * reader of `vaksam hunt`.  See input.h.
 */
#include "hunt/input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "util/err.h"

#define RAW_SIZE (64u * 1024)
/* xz streams needing more memory than this to decode are refused. */
#define XZ_MEMLIMIT (256u * 1024 * 1024)

enum dec_state {
	DEC_IN, /* inside a member / stream */
	DEC_BETWEEN, /* one ended; another may follow */
	DEC_DONE
};

struct vk_input {
	int fd;
	off_t pos; /* next pread offset, or -1 for read() */
	const uint8_t *mem;
	size_t memlen, mempos;

	enum vk_compress c;
	bool detected;

	uint8_t *raw;
	size_t raw_start, raw_end;
	bool raw_eof;
	uint64_t raw_bytes;

	enum dec_state state;
	bool dec_live;
	z_stream z;
	bz_stream bz;
	lzma_stream xz;
	ZSTD_DStream *zs;
	size_t zs_last; /* last ZSTD_decompressStream() return */

	int err;
	int errnum;
	const char *why;
};

static const char *const compress_names[VK_COMPRESS_MAX] = { "none", "gzip",
	"bzip2", "xz", "zstd", "auto" };

const char *
vk_compress_name(enum vk_compress c)
{
	return c < VK_COMPRESS_MAX ? compress_names[c] : "?";
}

enum vk_compress
vk_compress_detect(const void *p, size_t n)
{
	const uint8_t *b = p;

	if (n >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 0x08)
		return VK_COMPRESS_GZIP;
	/* "BZh" and a block size digit 1..9. */
	if (n >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' &&
	    b[3] >= '1' && b[3] <= '9')
		return VK_COMPRESS_BZIP2;
	if (n >= 6 &&
	    memcmp(b,
		"\xfd"
		"7zXZ\0",
		6) == 0)
		return VK_COMPRESS_XZ;
	if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f &&
	    b[3] == 0xfd)
		return VK_COMPRESS_ZSTD;
	return VK_COMPRESS_NONE;
}

static int
input_new(struct vk_input **out)
{
	struct vk_input *in;

	if ((in = calloc(1, sizeof(*in))) == NULL)
		return VK_ENOMEM;
	in->fd = -1;
	in->pos = -1;
	in->c = VK_COMPRESS_AUTO;
	*out = in;
	return 0;
}

int
vk_input_open_fd(int fd, off_t pos, enum vk_compress c, struct vk_input **out)
{
	struct vk_input *in;
	int r;

	if ((r = input_new(&in)) != 0)
		return r;
	in->fd = fd;
	in->pos = pos < 0 ? -1 : pos;
	in->c = c;
	*out = in;
	return 0;
}

int
vk_input_open_mem(
    const void *p, size_t n, enum vk_compress c, struct vk_input **out)
{
	struct vk_input *in;
	int r;

	if ((r = input_new(&in)) != 0)
		return r;
	in->mem = p;
	in->memlen = n;
	in->c = c;
	*out = in;
	return 0;
}

static void
dec_end(struct vk_input *in)
{
	if (!in->dec_live)
		return;
	switch (in->c) {
	case VK_COMPRESS_GZIP:
		inflateEnd(&in->z);
		break;
	case VK_COMPRESS_BZIP2:
		BZ2_bzDecompressEnd(&in->bz);
		break;
	case VK_COMPRESS_XZ:
		lzma_end(&in->xz);
		break;
	case VK_COMPRESS_ZSTD:
		ZSTD_freeDStream(in->zs);
		in->zs = NULL;
		break;
	default:
		break;
	}
	in->dec_live = false;
}

void
vk_input_free(struct vk_input *in)
{
	if (in == NULL)
		return;
	dec_end(in);
	free(in->raw);
	free(in);
}

enum vk_compress
vk_input_compression(const struct vk_input *in)
{
	return in->c;
}

uint64_t
vk_input_raw_bytes(const struct vk_input *in)
{
	return in->raw_bytes;
}

const char *
vk_input_error(const struct vk_input *in)
{
	return in->why;
}

int
vk_input_errno(const struct vk_input *in)
{
	return in->errnum;
}

static int
fail(struct vk_input *in, int err, const char *why)
{
	if (in->err == 0) {
		in->err = err;
		in->why = why;
		if (err == VK_EIO)
			in->errnum = errno;
	}
	return in->err;
}

/* Reads up to cap bytes from the underlying file or memory. */
static int
source_read(struct vk_input *in, void *buf, size_t cap, size_t *n)
{
	ssize_t k;

	*n = 0;
	if (in->mem != NULL || in->fd < 0) {
		size_t left = in->memlen - in->mempos;

		if (cap > left)
			cap = left;
		if (cap)
			memcpy(buf, in->mem + in->mempos, cap);
		in->mempos += cap;
		*n = cap;
		in->raw_bytes += cap;
		return 0;
	}
	for (;;) {
		if (in->pos >= 0)
			k = pread(in->fd, buf, cap, in->pos);
		else
			k = read(in->fd, buf, cap);
		if (k >= 0)
			break;
		if (errno != EINTR)
			return fail(in, VK_EIO, "read error");
	}
	if (in->pos >= 0)
		in->pos += k;
	*n = (size_t)k;
	in->raw_bytes += (size_t)k;
	return 0;
}

/* Moves unread raw bytes to the front and reads more behind them. */
static int
raw_fill(struct vk_input *in)
{
	size_t left, n;
	int r;

	if (in->raw == NULL && (in->raw = malloc(RAW_SIZE)) == NULL)
		return fail(in, VK_ENOMEM, "out of memory");
	left = in->raw_end - in->raw_start;
	if (in->raw_start > 0) {
		memmove(in->raw, in->raw + in->raw_start, left);
		in->raw_start = 0;
		in->raw_end = left;
	}
	if (in->raw_eof || in->raw_end == RAW_SIZE)
		return 0;
	if ((r = source_read(
		 in, in->raw + in->raw_end, RAW_SIZE - in->raw_end, &n)) != 0)
		return r;
	if (n == 0)
		in->raw_eof = true;
	in->raw_end += n;
	return 0;
}

static size_t
raw_avail(const struct vk_input *in)
{
	return in->raw_end - in->raw_start;
}

static int
dec_start(struct vk_input *in)
{
	switch (in->c) {
	case VK_COMPRESS_GZIP:
		memset(&in->z, 0, sizeof(in->z));
		/* 16 + 15: gzip wrapper only, largest window. */
		if (inflateInit2(&in->z, 16 + 15) != Z_OK)
			return fail(in, VK_EINTERNAL, "zlib failed to start");
		break;
	case VK_COMPRESS_BZIP2:
		memset(&in->bz, 0, sizeof(in->bz));
		if (BZ2_bzDecompressInit(&in->bz, 0, 0) != BZ_OK)
			return fail(in, VK_EINTERNAL, "bzip2 failed to start");
		break;
	case VK_COMPRESS_XZ: {
		lzma_stream init = LZMA_STREAM_INIT;

		in->xz = init;
		if (lzma_stream_decoder(
			&in->xz, XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK)
			return fail(
			    in, VK_EINTERNAL, "liblzma failed to start");
		break;
	}
	case VK_COMPRESS_ZSTD:
		if ((in->zs = ZSTD_createDStream()) == NULL ||
		    ZSTD_isError(ZSTD_initDStream(in->zs)))
			return fail(in, VK_EINTERNAL, "zstd failed to start");
		in->zs_last = 1;
		break;
	default:
		return 0;
	}
	in->dec_live = true;
	in->state = DEC_IN;
	return 0;
}

static int
detect(struct vk_input *in)
{
	int r;

	/* Six bytes tell every supported magic apart. */
	while (raw_avail(in) < 6 && !in->raw_eof)
		if ((r = raw_fill(in)) != 0)
			return r;
	if (in->c == VK_COMPRESS_AUTO)
		in->c =
		    vk_compress_detect(in->raw + in->raw_start, raw_avail(in));
	in->detected = true;
	return dec_start(in);
}

/*
 * Between gzip members or bzip2 streams: end of input, another member, or
 * trailing garbage (reported as damage, as gzip(1) does).
 */
static int
next_member(
    struct vk_input *in, const uint8_t *magic, size_t mlen, const char *garbage)
{
	int r;

	while (raw_avail(in) < mlen && !in->raw_eof)
		if ((r = raw_fill(in)) != 0)
			return r;
	if (raw_avail(in) == 0) {
		in->state = DEC_DONE;
		return 0;
	}
	if (raw_avail(in) < mlen ||
	    memcmp(in->raw + in->raw_start, magic, mlen) != 0)
		return fail(in, VK_EPARSE, garbage);
	if (in->c == VK_COMPRESS_GZIP) {
		if (inflateReset(&in->z) != Z_OK)
			return fail(in, VK_EINTERNAL, "zlib failed");
	} else {
		dec_end(in);
		if ((r = dec_start(in)) != 0)
			return r;
	}
	in->state = DEC_IN;
	return 0;
}

static int
read_gzip(struct vk_input *in, uint8_t *buf, size_t cap, size_t *n)
{
	static const uint8_t magic[] = { 0x1f, 0x8b };
	int r, zr;

	*n = 0;
	while (*n == 0) {
		size_t before;

		if (in->state == DEC_DONE)
			return 0;
		if (in->state == DEC_BETWEEN) {
			if ((r = next_member(in, magic, sizeof(magic),
				 "trailing garbage after gzip data")) != 0)
				return r;
			continue;
		}
		if (raw_avail(in) == 0) {
			if ((r = raw_fill(in)) != 0)
				return r;
			if (raw_avail(in) == 0)
				return fail(
				    in, VK_EPARSE, "truncated gzip data");
		}
		before = raw_avail(in);
		in->z.next_in = in->raw + in->raw_start;
		in->z.avail_in = (uInt)before;
		in->z.next_out = buf;
		in->z.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
		zr = inflate(&in->z, Z_NO_FLUSH);
		in->raw_start += before - in->z.avail_in;
		*n = (size_t)(in->z.next_out - buf);
		if (zr == Z_STREAM_END)
			in->state = DEC_BETWEEN;
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return fail(in, VK_EPARSE, "corrupt gzip data");
		else if (*n == 0 && in->z.avail_in == before) {
			/* No progress: it needs input we do not have yet. */
			if (in->raw_eof)
				return fail(
				    in, VK_EPARSE, "truncated gzip data");
			if ((r = raw_fill(in)) != 0)
				return r;
		}
	}
	return 0;
}

static int
read_bzip2(struct vk_input *in, uint8_t *buf, size_t cap, size_t *n)
{
	static const uint8_t magic[] = { 'B', 'Z', 'h' };
	int r, br;

	*n = 0;
	while (*n == 0) {
		size_t before;

		if (in->state == DEC_DONE)
			return 0;
		if (in->state == DEC_BETWEEN) {
			if ((r = next_member(in, magic, sizeof(magic),
				 "trailing garbage after bzip2 data")) != 0)
				return r;
			continue;
		}
		if (raw_avail(in) == 0) {
			if ((r = raw_fill(in)) != 0)
				return r;
			if (raw_avail(in) == 0)
				return fail(
				    in, VK_EPARSE, "truncated bzip2 data");
		}
		before = raw_avail(in);
		in->bz.next_in = (char *)in->raw + in->raw_start;
		in->bz.avail_in = (unsigned)before;
		in->bz.next_out = (char *)buf;
		in->bz.avail_out =
		    (unsigned)(cap > UINT32_MAX ? UINT32_MAX : cap);
		br = BZ2_bzDecompress(&in->bz);
		in->raw_start += before - in->bz.avail_in;
		*n = (size_t)(in->bz.next_out - (char *)buf);
		if (br == BZ_STREAM_END)
			in->state = DEC_BETWEEN;
		else if (br != BZ_OK)
			return fail(in, VK_EPARSE, "corrupt bzip2 data");
		else if (*n == 0 && in->bz.avail_in == before) {
			if (in->raw_eof)
				return fail(
				    in, VK_EPARSE, "truncated bzip2 data");
			if ((r = raw_fill(in)) != 0)
				return r;
		}
	}
	return 0;
}

static int
read_xz(struct vk_input *in, uint8_t *buf, size_t cap, size_t *n)
{
	lzma_ret lr;
	int r;

	*n = 0;
	while (*n == 0) {
		size_t before;

		if (in->state == DEC_DONE)
			return 0;
		if (raw_avail(in) == 0 && !in->raw_eof &&
		    (r = raw_fill(in)) != 0)
			return r;
		before = raw_avail(in);
		in->xz.next_in = in->raw + in->raw_start;
		in->xz.avail_in = before;
		in->xz.next_out = buf;
		in->xz.avail_out = cap;
		lr = lzma_code(&in->xz,
		    in->raw_eof && before == 0 ? LZMA_FINISH : LZMA_RUN);
		in->raw_start += before - in->xz.avail_in;
		*n = (size_t)(in->xz.next_out - buf);
		if (lr == LZMA_STREAM_END)
			in->state = DEC_DONE;
		else if (lr == LZMA_BUF_ERROR)
			return fail(in, VK_EPARSE, "truncated xz data");
		else if (lr == LZMA_MEMLIMIT_ERROR)
			return fail(in, VK_EPARSE,
			    "xz data needs more than 256 MiB to decode");
		else if (lr != LZMA_OK)
			return fail(in, VK_EPARSE, "corrupt xz data");
	}
	return 0;
}

static int
read_zstd(struct vk_input *in, uint8_t *buf, size_t cap, size_t *n)
{
	ZSTD_inBuffer zin;
	ZSTD_outBuffer zout;
	int r;

	*n = 0;
	while (*n == 0) {
		if (raw_avail(in) == 0 && (r = raw_fill(in)) != 0)
			return r;
		if (raw_avail(in) == 0) {
			/* End of input.  0 from the last call: the last frame
			 * was complete and flushed. */
			if (in->zs_last == 0)
				return 0;
			/* Otherwise flush what the decoder still holds. */
			zin.src = in->raw;
			zin.size = 0;
			zin.pos = 0;
			zout.dst = buf;
			zout.size = cap;
			zout.pos = 0;
			in->zs_last =
			    ZSTD_decompressStream(in->zs, &zout, &zin);
			if (ZSTD_isError(in->zs_last))
				return fail(in, VK_EPARSE, "corrupt zstd data");
			*n = zout.pos;
			if (*n == 0 && in->zs_last != 0)
				return fail(
				    in, VK_EPARSE, "truncated zstd data");
			return 0;
		}
		zin.src = in->raw + in->raw_start;
		zin.size = raw_avail(in);
		zin.pos = 0;
		zout.dst = buf;
		zout.size = cap;
		zout.pos = 0;
		in->zs_last = ZSTD_decompressStream(in->zs, &zout, &zin);
		if (ZSTD_isError(in->zs_last))
			return fail(in, VK_EPARSE, "corrupt zstd data");
		in->raw_start += zin.pos;
		*n = zout.pos;
		if (zin.pos == 0 && zout.pos == 0) {
			/* Needs more input than the buffer holds at once. */
			size_t before = raw_avail(in);

			if ((r = raw_fill(in)) != 0)
				return r;
			if (raw_avail(in) == before && in->raw_eof)
				return fail(
				    in, VK_EPARSE, "truncated zstd data");
		}
	}
	return 0;
}

int
vk_input_read(struct vk_input *in, void *buf, size_t cap, size_t *n)
{
	int r;

	*n = 0;
	if (in->err)
		return in->err;
	if (cap == 0)
		return 0;
	if (!in->detected && (r = detect(in)) != 0)
		return r;
	switch (in->c) {
	case VK_COMPRESS_GZIP:
		return read_gzip(in, buf, cap, n);
	case VK_COMPRESS_BZIP2:
		return read_bzip2(in, buf, cap, n);
	case VK_COMPRESS_XZ:
		return read_xz(in, buf, cap, n);
	case VK_COMPRESS_ZSTD:
		return read_zstd(in, buf, cap, n);
	default:
		break;
	}
	/* Plain: first what detection read ahead, then straight through. */
	if (raw_avail(in) > 0) {
		size_t k = raw_avail(in) < cap ? raw_avail(in) : cap;

		memcpy(buf, in->raw + in->raw_start, k);
		in->raw_start += k;
		*n = k;
		return 0;
	}
	if (in->raw_eof)
		return 0;
	if ((r = source_read(in, buf, cap, n)) != 0)
		return r;
	if (*n == 0)
		in->raw_eof = true;
	return 0;
}

/* ---- lines ---- */

#define READ_SIZE (128u * 1024)

int
vk_lines_init(
    struct vk_lines *lr, struct vk_input *in, uint64_t base, size_t max_line)
{
	memset(lr, 0, sizeof(*lr));
	lr->max_line = max_line ? max_line : VK_LINE_MAX;
	lr->read_size = READ_SIZE < lr->max_line ? READ_SIZE : lr->max_line;
	lr->cap = 2 * lr->read_size;
	if ((lr->buf = malloc(lr->cap)) == NULL)
		return VK_ENOMEM;
	vk_lines_reset(lr, in, base);
	return 0;
}

void
vk_lines_reset(struct vk_lines *lr, struct vk_input *in, uint64_t base)
{
	lr->in = in;
	lr->start = lr->end = lr->scan = 0;
	lr->base = base;
	lr->line_off = 0;
	lr->eof = false;
	lr->in_piece = false;
	lr->err = 0;
}

void
vk_lines_release(struct vk_lines *lr)
{
	free(lr->buf);
	lr->buf = NULL;
	lr->cap = 0;
}

uint64_t
vk_lines_tell(const struct vk_lines *lr)
{
	return lr->base + lr->start;
}

/*
 * Reads more behind the unread bytes, first moving them to the front and
 * growing the buffer when a long line needs it.
 */
static int
lines_fill(struct vk_lines *lr)
{
	size_t left = lr->end - lr->start, n;
	int r;

	if (lr->start > 0 && (lr->end + lr->read_size > lr->cap)) {
		memmove(lr->buf, lr->buf + lr->start, left);
		lr->base += lr->start;
		lr->scan -= lr->start;
		lr->start = 0;
		lr->end = left;
	}
	if (lr->end + lr->read_size > lr->cap) {
		size_t cap = lr->cap * 2;
		char *p;

		if (cap < lr->end + lr->read_size)
			cap = lr->end + lr->read_size;
		if ((p = realloc(lr->buf, cap)) == NULL)
			return VK_ENOMEM;
		lr->buf = p;
		lr->cap = cap;
	}
	r = vk_input_read(lr->in, lr->buf + lr->end, lr->read_size, &n);
	if (r != 0) {
		lr->err = r;
		lr->eof = true;
		return 0;
	}
	if (n == 0)
		lr->eof = true;
	lr->end += n;
	return 0;
}

int
vk_lines_next(struct vk_lines *lr, struct vk_line *line)
{
	char *nl;
	size_t len;
	int r;

	for (;;) {
		nl = NULL;
		if (lr->scan < lr->end)
			nl = memchr(
			    lr->buf + lr->scan, '\n', lr->end - lr->scan);
		if (nl != NULL) {
			len = (size_t)(nl - (lr->buf + lr->start));
			if (len <= lr->max_line)
				break;
			/* The newline lies beyond this piece. */
			nl = NULL;
		} else
			lr->scan = lr->end;
		if (lr->eof && lr->end - lr->start <= lr->max_line) {
			len = lr->end - lr->start;
			if (len == 0) {
				lr->in_piece = false;
				return lr->err;
			}
			goto last;
		}
		if (lr->end - lr->start >= lr->max_line) {
			len = lr->max_line;
			goto piece;
		}
		if ((r = lines_fill(lr)) != 0)
			return r;
	}
	line->p = lr->buf + lr->start;
	line->off = lr->in_piece ? lr->line_off : lr->base + lr->start;
	line->piece = lr->in_piece;
	line->cut = false;
	lr->start += len + 1;
	lr->scan = lr->start;
	lr->in_piece = false;
	if (len > 0 && line->p[len - 1] == '\r')
		len--;
	line->len = len;
	return 1;
last:
	line->p = lr->buf + lr->start;
	line->off = lr->in_piece ? lr->line_off : lr->base + lr->start;
	line->piece = lr->in_piece;
	line->cut = false;
	lr->start += len;
	lr->scan = lr->start;
	lr->in_piece = false;
	if (len > 0 && line->p[len - 1] == '\r')
		len--;
	line->len = len;
	return 1;
piece:
	line->p = lr->buf + lr->start;
	if (!lr->in_piece) {
		lr->line_off = lr->base + lr->start;
		lr->long_lines++;
	}
	line->off = lr->line_off;
	line->piece = lr->in_piece;
	line->cut = true;
	line->len = len;
	lr->start += len;
	lr->scan = lr->start;
	lr->in_piece = true;
	return 1;
}

int
vk_lines_skip_partial(struct vk_lines *lr, uint64_t limit)
{
	char *nl;
	int r;

	for (;;) {
		if (lr->start < lr->end &&
		    (nl = memchr(lr->buf + lr->start, '\n',
			 lr->end - lr->start)) != NULL) {
			lr->start = (size_t)(nl - lr->buf) + 1;
			lr->scan = lr->start;
			return 1;
		}
		/* Nothing of the partial line is kept: drop it all. */
		lr->base += lr->end;
		lr->start = lr->end = lr->scan = 0;
		if (lr->base >= limit)
			return 0;
		if (lr->eof)
			return lr->err;
		if ((r = lines_fill(lr)) != 0)
			return r;
	}
}

int
vk_lines_run(struct vk_lines *lr, uint64_t limit, struct vk_line *run)
{
	const char *nl = NULL;
	size_t len, cut;
	int r;

	if (lr->in_piece)
		return 0;
	if (lr->start < lr->end)
		nl = memrchr(lr->buf + lr->start, '\n', lr->end - lr->start);
	if (nl == NULL) {
		if (lr->eof)
			return 0;
		if ((r = lines_fill(lr)) != 0)
			return r;
		if (lr->start < lr->end)
			nl = memrchr(
			    lr->buf + lr->start, '\n', lr->end - lr->start);
		if (nl == NULL)
			return 0;
	}
	len = (size_t)(nl - (lr->buf + lr->start)) + 1;
	if (len > lr->max_line + 1) {
		/* A line in it may be over the ceiling: the lines before. */
		nl = memrchr(lr->buf + lr->start, '\n', lr->max_line + 1);
		if (nl == NULL)
			return 0;
		len = (size_t)(nl - (lr->buf + lr->start)) + 1;
	}
	if (lr->base + lr->start >= limit)
		return 0;
	if (lr->base + lr->start + len > limit) {
		/* Up to the end of the line that holds byte limit - 1. */
		cut = (size_t)(limit - (lr->base + lr->start));
		nl = memchr(lr->buf + lr->start + cut - 1, '\n', len - cut + 1);
		len = (size_t)(nl - (lr->buf + lr->start)) + 1;
	}
	run->p = lr->buf + lr->start;
	run->len = len;
	run->off = lr->base + lr->start;
	run->piece = false;
	run->cut = false;
	lr->start += len;
	lr->scan = lr->start;
	return 1;
}

#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define VK_COUNT_AVX2 1

/* 32 bytes at a time; the caller checks that the CPU has AVX2. */
__attribute__((target("avx2"))) static size_t
count_avx2(const char *p, size_t n, char c, size_t *done)
{
	const __m256i want = _mm256_set1_epi8(c);
	size_t cnt = 0, i = 0;

	while (n - i >= 32) {
		__m256i acc = _mm256_setzero_si256(), s;
		size_t lim = n - i >= 32 * 255 ? i + 32 * 255 : n - 31;

		for (; i < lim; i += 32)
			acc = _mm256_sub_epi8(acc,
			    _mm256_cmpeq_epi8(
				_mm256_loadu_si256(
				    (const __m256i *)(const void *)(p + i)),
				want));
		s = _mm256_sad_epu8(acc, _mm256_setzero_si256());
		cnt += (size_t)_mm256_extract_epi64(s, 0) +
		    (size_t)_mm256_extract_epi64(s, 1) +
		    (size_t)_mm256_extract_epi64(s, 2) +
		    (size_t)_mm256_extract_epi64(s, 3);
	}
	*done = i;
	return cnt;
}
#endif

size_t
vk_count_byte(const char *p, size_t n, char c)
{
	size_t cnt = 0, i = 0;

#if defined(VK_COUNT_AVX2)
	static int avx2 = -1; /* not known yet; threads may race to set it */
	int a = __atomic_load_n(&avx2, __ATOMIC_RELAXED);

	if (a < 0) {
		__builtin_cpu_init();
		a = __builtin_cpu_supports("avx2") ? 1 : 0;
		__atomic_store_n(&avx2, a, __ATOMIC_RELAXED);
	}
	if (a == 1 && n >= 64)
		cnt = count_avx2(p, n, c, &i);
#endif

#if defined(__SSE2__)
	const __m128i want = _mm_set1_epi8(c);

	while (n - i >= 16) {
		/* Byte counters in 16 lanes, summed before they overflow. */
		__m128i acc = _mm_setzero_si128();
		size_t lim = n - i >= 16 * 255 ? i + 16 * 255 : n - 15;

		for (; i < lim; i += 16)
			acc = _mm_sub_epi8(acc,
			    _mm_cmpeq_epi8(
				_mm_loadu_si128(
				    (const __m128i *)(const void *)(p + i)),
				want));
		acc = _mm_sad_epu8(acc, _mm_setzero_si128());
		cnt += (size_t)_mm_cvtsi128_si32(acc) +
		    (size_t)_mm_cvtsi128_si32(_mm_srli_si128(acc, 8));
	}
#endif
	for (; i < n; i++)
		cnt += p[i] == c;
	return cnt;
}
