/*
 * test_input.c — byte streams (plain and compressed) and the line reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "hunt/input.h"
#include "util/err.h"

/* ---- compressors, so the tests need no files ---- */

static size_t
gz(const char *in, size_t n, unsigned char *out, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(
	    deflateInit2(&z, 6, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY),
	    Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return cap - z.avail_out;
}

static size_t
bz(const char *in, size_t n, unsigned char *out, size_t cap)
{
	unsigned int len = (unsigned int)cap;

	assert_int_equal(BZ2_bzBuffToBuffCompress((char *)out, &len,
			     (char *)(uintptr_t)in, (unsigned int)n, 1, 0, 0),
	    BZ_OK);
	return len;
}

static size_t
xz(const char *in, size_t n, unsigned char *out, size_t cap)
{
	size_t pos = 0;

	assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL,
			     (const uint8_t *)in, n, out, &pos, cap),
	    LZMA_OK);
	return pos;
}

static size_t
zs(const char *in, size_t n, unsigned char *out, size_t cap)
{
	/* With a checksum, as zstd(1) writes by default: without one a
	 * flipped byte can go unnoticed. */
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t r;

	assert_non_null(cc);
	assert_false(
	    ZSTD_isError(ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1)));
	r = ZSTD_compress2(cc, out, cap, in, n);
	assert_false(ZSTD_isError(r));
	ZSTD_freeCCtx(cc);
	return r;
}

typedef size_t (*compress_fn)(const char *, size_t, unsigned char *, size_t);

static const struct {
	enum vk_compress c;
	compress_fn fn;
} codecs[] = {
	{ VK_COMPRESS_GZIP, gz },
	{ VK_COMPRESS_BZIP2, bz },
	{ VK_COMPRESS_XZ, xz },
	{ VK_COMPRESS_ZSTD, zs },
};
#define NCODECS (sizeof(codecs) / sizeof(codecs[0]))

/* Reads the whole stream with small reads; returns the stream's final
 * status and the bytes in out. */
static int
drain(struct vk_input *in, char *out, size_t cap, size_t *len)
{
	size_t n;
	int r;

	*len = 0;
	for (;;) {
		r = vk_input_read(
		    in, out + *len, cap - *len < 7 ? cap - *len : 7, &n);
		*len += n;
		if (r != 0 || n == 0)
			return r;
	}
}

static char *
sample(size_t *len)
{
	size_t cap = 300000, n = 0;
	char *s = malloc(cap);
	unsigned i = 0;

	assert_non_null(s);
	while (n + 100 < cap)
		n += (size_t)snprintf(s + n, cap - n,
		    "line %u host%u.evil.se 10.0.%u.%u\n", i, i * 7919 % 1000,
		    i % 256, (i * 31) % 256),
		    i++;
	*len = n;
	return s;
}

static void
test_detect(void **state)
{
	(void)state;
	assert_int_equal(
	    vk_compress_detect("\x1f\x8b\x08\0", 4), VK_COMPRESS_GZIP);
	assert_int_equal(vk_compress_detect("\x1f\x8b", 2), VK_COMPRESS_NONE);
	assert_int_equal(vk_compress_detect("BZh9", 4), VK_COMPRESS_BZIP2);
	assert_int_equal(vk_compress_detect("BZh0", 4), VK_COMPRESS_NONE);
	assert_int_equal(vk_compress_detect("\xfd"
					    "7zXZ\0",
			     6),
	    VK_COMPRESS_XZ);
	assert_int_equal(
	    vk_compress_detect("\x28\xb5\x2f\xfd", 4), VK_COMPRESS_ZSTD);
	assert_int_equal(vk_compress_detect("hello", 5), VK_COMPRESS_NONE);
	assert_int_equal(vk_compress_detect("", 0), VK_COMPRESS_NONE);
	assert_string_equal(vk_compress_name(VK_COMPRESS_XZ), "xz");
}

static void
test_roundtrip(void **state)
{
	size_t len, clen, got, i;
	char *plain = sample(&len), *out = malloc(len + 10);
	unsigned char *c = malloc(2 * len + 1000);
	struct vk_input *in;

	(void)state;
	for (i = 0; i < NCODECS; i++) {
		clen = codecs[i].fn(plain, len, c, 2 * len + 1000);
		assert_int_equal(
		    vk_input_open_mem(c, clen, VK_COMPRESS_AUTO, &in), 0);
		assert_int_equal(drain(in, out, len + 10, &got), 0);
		assert_int_equal(vk_input_compression(in), codecs[i].c);
		assert_int_equal(got, len);
		assert_memory_equal(out, plain, len);
		assert_int_equal(vk_input_raw_bytes(in), clen);
		assert_null(vk_input_error(in));
		vk_input_free(in);
	}
	free(plain);
	free(out);
	free(c);
}

static void
test_concatenated(void **state)
{
	const char *a = "first member\n", *b = "second member\n";
	unsigned char c[4096];
	char out[128];
	size_t n, got, i;
	struct vk_input *in;

	(void)state;
	for (i = 0; i < NCODECS; i++) {
		n = codecs[i].fn(a, strlen(a), c, sizeof(c));
		n += codecs[i].fn(b, strlen(b), c + n, sizeof(c) - n);
		assert_int_equal(
		    vk_input_open_mem(c, n, VK_COMPRESS_AUTO, &in), 0);
		assert_int_equal(drain(in, out, sizeof(out), &got), 0);
		assert_int_equal(got, strlen(a) + strlen(b));
		assert_memory_equal(out, "first member\nsecond member\n", got);
		vk_input_free(in);
	}
}

static void
test_truncated_and_corrupt(void **state)
{
	size_t len, clen, got, i, cut;
	char *plain = sample(&len), *out = malloc(len + 10);
	unsigned char *c = malloc(2 * len + 1000);
	struct vk_input *in;
	int r;

	(void)state;
	for (i = 0; i < NCODECS; i++) {
		clen = codecs[i].fn(plain, len, c, 2 * len + 1000);
		/* Truncated: the good part comes out, then VK_EPARSE. */
		/* (Shorter than its magic, a stream is plain text.) */
		for (cut = 8; cut < clen; cut += clen / 7 + 1) {
			assert_int_equal(
			    vk_input_open_mem(c, cut, VK_COMPRESS_AUTO, &in),
			    0);
			r = drain(in, out, len + 10, &got);
			assert_int_equal(r, VK_EPARSE);
			assert_true(got < len);
			assert_memory_equal(out, plain, got);
			assert_non_null(vk_input_error(in));
			/* The error sticks. */
			assert_int_equal(
			    vk_input_read(in, out, 10, &got), VK_EPARSE);
			assert_int_equal(got, 0);
			vk_input_free(in);
		}
		/* Garbage after a complete stream is damage, too. */
		memcpy(c + clen, "GARBAGE!", 8);
		assert_int_equal(
		    vk_input_open_mem(c, clen + 8, VK_COMPRESS_AUTO, &in), 0);
		r = drain(in, out, len + 10, &got);
		assert_int_equal(r, VK_EPARSE);
		assert_memory_equal(out, plain, got);
		vk_input_free(in);
		/* A flipped byte in the middle. */
		clen = codecs[i].fn(plain, len, c, 2 * len + 1000);
		c[clen / 2] ^= 0x55;
		assert_int_equal(
		    vk_input_open_mem(c, clen, VK_COMPRESS_AUTO, &in), 0);
		r = drain(in, out, len + 10, &got);
		assert_int_equal(r, VK_EPARSE);
		vk_input_free(in);
	}
	free(plain);
	free(out);
	free(c);
}

static size_t
put_line(char *out, size_t o, size_t cap, const struct vk_line *l)
{
	o += (size_t)snprintf(out + o, cap - o, "%s%llu:", l->piece ? "+" : "",
	    (unsigned long long)l->off);
	assert_true(o + l->len + 2 < cap);
	memcpy(out + o, l->p, l->len);
	o += l->len;
	out[o++] = '|';
	return o;
}

/* Collects the lines that begin before `limit` as "off:text|" with pieces
 * marked "+"; with `runs`, taking whole lines by vk_lines_run() where it
 * gives them and cutting them here. */
static void
lines_mode(const char *data, size_t n, size_t max_line, bool runs,
    uint64_t limit, char *out, size_t cap)
{
	struct vk_input *in;
	struct vk_lines lr;
	struct vk_line l;
	size_t o = 0;
	int r;

	assert_int_equal(vk_input_open_mem(data, n, VK_COMPRESS_AUTO, &in), 0);
	assert_int_equal(vk_lines_init(&lr, in, 0, max_line), 0);
	for (;;) {
		if (runs && (r = vk_lines_run(&lr, limit, &l)) == 1) {
			struct vk_line one = { .piece = false };
			size_t at = 0, k = 0;

			assert_true(l.len > 0 && l.p[l.len - 1] == '\n');
			for (size_t i = 0; i < l.len; i++) {
				if (l.p[i] != '\n')
					continue;
				one.p = l.p + at;
				one.len = i - at;
				if (one.len > 0 && one.p[one.len - 1] == '\r')
					one.len--;
				one.off = l.off + at;
				assert_true(one.off < limit);
				o = put_line(out, o, cap, &one);
				at = i + 1;
				k++;
			}
			assert_int_equal(vk_count_byte(l.p, l.len, '\n'), k);
			continue;
		}
		assert_true(!runs || r == 0);
		if ((r = vk_lines_next(&lr, &l)) != 1)
			break;
		if (!l.piece && l.off >= limit)
			break;
		o = put_line(out, o, cap, &l);
	}
	assert_true(r == 0 || r == 1);
	out[o] = '\0';
	vk_lines_release(&lr);
	vk_input_free(in);
}

/* The lines of data both ways (which must agree). */
static void
lines_of(const char *data, size_t n, size_t max_line, char *out, size_t cap)
{
	char *other = malloc(cap);

	assert_non_null(other);
	lines_mode(data, n, max_line, false, UINT64_MAX, out, cap);
	lines_mode(data, n, max_line, true, UINT64_MAX, other, cap);
	assert_string_equal(other, out);
	free(other);
}

static void
test_lines(void **state)
{
	char out[4096];

	(void)state;
	lines_of("a\nbb\r\n\nlast", 11, 0, out, sizeof(out));
	assert_string_equal(out, "0:a|2:bb|6:|7:last|");
	lines_of("a\n", 2, 0, out, sizeof(out));
	assert_string_equal(out, "0:a|");
	lines_of("", 0, 0, out, sizeof(out));
	assert_string_equal(out, "");
	lines_of("\n\n", 2, 0, out, sizeof(out));
	assert_string_equal(out, "0:|1:|");
	/* A lone \r inside a line stays; only the one before \n goes. */
	lines_of("a\rb\r\r\n", 6, 0, out, sizeof(out));
	assert_string_equal(out, "0:a\rb\r|");
}

/* Runs stop before a line that begins at or after the limit (a chunk's
 * end), and count their newlines. */
static void
test_runs(void **state)
{
	static const char data[] = "aa\nbb\r\ncc\ndd\n\nee";
	char a[256], b[256];
	char big[3000];

	(void)state;
	for (uint64_t lim = 0; lim <= sizeof(data); lim++) {
		lines_mode(data, sizeof(data) - 1, 0, false, lim, a, sizeof(a));
		lines_mode(data, sizeof(data) - 1, 0, true, lim, b, sizeof(b));
		assert_string_equal(a, b);
	}
	lines_mode(data, sizeof(data) - 1, 0, true, 4, b, sizeof(b));
	assert_string_equal(b, "0:aa|3:bb|");
	/* Newline counts over lengths around the vector widths. */
	for (size_t k = 0; k < sizeof(big); k++)
		big[k] = k % 7 == 0 ? '\n' : 'x';
	for (size_t n = 0; n < sizeof(big); n += 13) {
		size_t want = 0;

		for (size_t k = 0; k < n; k++)
			want += big[k] == '\n';
		assert_int_equal(vk_count_byte(big, n, '\n'), want);
	}
	/* Past 255 vectors the byte counters are summed and start over. */
	{
		size_t n = 16 * 255 * 3 + 5;
		char *many = malloc(n);

		assert_non_null(many);
		memset(many, '\n', n);
		assert_int_equal(vk_count_byte(many, n, '\n'), n);
		free(many);
	}
}

static void
test_nul_bytes(void **state)
{
	static const char data[] = "x\0y\nz\0\n";
	struct vk_input *in;
	struct vk_lines lr;
	struct vk_line l;

	(void)state;
	assert_int_equal(
	    vk_input_open_mem(data, sizeof(data) - 1, VK_COMPRESS_AUTO, &in),
	    0);
	assert_int_equal(vk_lines_init(&lr, in, 0, 0), 0);
	assert_int_equal(vk_lines_next(&lr, &l), 1);
	assert_int_equal(l.len, 3);
	assert_memory_equal(l.p, "x\0y", 3);
	assert_int_equal(vk_lines_next(&lr, &l), 1);
	assert_int_equal(l.len, 2);
	assert_int_equal(l.off, 4);
	assert_int_equal(vk_lines_next(&lr, &l), 0);
	vk_lines_release(&lr);
	vk_input_free(in);
}

static void
test_long_lines(void **state)
{
	char out[4096];

	(void)state;
	/* Ceiling 4: longer lines come in pieces that keep the offset. */
	lines_of("abcdefghij\nxy\nabcd\nabcde", 24, 4, out, sizeof(out));
	assert_string_equal(
	    out, "0:abcd|+0:efgh|+0:ij|11:xy|14:abcd|19:abcd|+19:e|");
}

static void
test_long_line_big(void **state)
{
	/* A 2 MiB line with the default ceiling arrives whole. */
	size_t n = 2u * 1024 * 1024, got = 0;
	char *data = malloc(n + 3);
	struct vk_input *in;
	struct vk_lines lr;
	struct vk_line l;

	(void)state;
	memset(data, 'q', n);
	memcpy(data + n - 7, "evil.se", 7);
	memcpy(data + n, "\nz", 2);
	assert_int_equal(
	    vk_input_open_mem(data, n + 2, VK_COMPRESS_AUTO, &in), 0);
	assert_int_equal(vk_lines_init(&lr, in, 0, 0), 0);
	assert_int_equal(vk_lines_next(&lr, &l), 1);
	assert_int_equal(l.len, n);
	assert_false(l.piece);
	assert_memory_equal(l.p + n - 7, "evil.se", 7);
	assert_int_equal(vk_lines_next(&lr, &l), 1);
	assert_int_equal(l.off, n + 1);
	got = l.len;
	assert_int_equal(got, 1);
	assert_int_equal(vk_lines_next(&lr, &l), 0);
	assert_int_equal(lr.long_lines, 0);
	vk_lines_release(&lr);
	vk_input_free(in);
	free(data);
}

static void
test_skip_partial_and_fd(void **state)
{
	char path[] = "/tmp/vk_test_input_XXXXXX";
	const char *text = "aaaa\nbbbb\ncccc\n";
	struct vk_input *in;
	struct vk_lines lr;
	struct vk_line l;
	int fd, dfd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	/* Start at offset 6 (inside "bbbb"): the next line is "cccc". */
	assert_int_equal(vk_input_open_fd(fd, 6, VK_COMPRESS_NONE, &in), 0);
	assert_int_equal(vk_lines_init(&lr, in, 6, 0), 0);
	assert_int_equal(vk_lines_skip_partial(&lr, UINT64_MAX), 1);
	assert_int_equal(vk_lines_tell(&lr), 10);
	assert_int_equal(vk_lines_next(&lr, &l), 1);
	assert_int_equal(l.off, 10);
	assert_memory_equal(l.p, "cccc", 4);
	assert_int_equal(vk_lines_next(&lr, &l), 0);
	vk_input_free(in);
	/* Start at offset 4 (the newline): the next line starts at 5. */
	assert_int_equal(vk_input_open_fd(fd, 4, VK_COMPRESS_NONE, &in), 0);
	vk_lines_reset(&lr, in, 4);
	assert_int_equal(vk_lines_skip_partial(&lr, UINT64_MAX), 1);
	assert_int_equal(vk_lines_next(&lr, &l), 1);
	assert_int_equal(l.off, 5);
	vk_input_free(in);
	/* The limit bounds only what is discarded: a newline already read
	 * still counts. */
	assert_int_equal(vk_input_open_fd(fd, 11, VK_COMPRESS_NONE, &in), 0);
	vk_lines_reset(&lr, in, 11);
	assert_int_equal(vk_lines_skip_partial(&lr, 12), 1);
	vk_input_free(in);
	/* A read error is reported, not taken for the end. */
	dfd = open("/", O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	assert_int_equal(vk_input_open_fd(dfd, 0, VK_COMPRESS_AUTO, &in), 0);
	vk_lines_reset(&lr, in, 0);
	assert_int_equal(vk_lines_next(&lr, &l), VK_EIO);
	assert_int_equal(vk_input_errno(in), EISDIR);
	vk_input_free(in);
	close(dfd);
	vk_lines_release(&lr);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_truncated_and_corrupt),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_long_line_big),
		cmocka_unit_test(test_skip_partial_and_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
