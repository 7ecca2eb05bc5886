/*
 * test_engine.c — the hunt engine with a stand-in line scanner: order and
 * line numbers for every number of threads and chunk size, direct output
 * of units with many hits, stopping on an output error, unreadable and
 * damaged inputs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <zlib.h>

#include "hunt/engine.h"
#include "hunt/walk.h"
#include "util/buf.h"
#include "util/err.h"

static char dir[64];

/* The stand-in scanner: every "HIT" is a hit of indicator 0. */
static int
scan_hits(
    const void *ctx, const char *line, size_t len, vk_match_fn fn, void *arg)
{
	const char *p = line, *end = line + len;
	struct vk_match m;
	int r;

	(void)ctx;
	while ((p = memmem(p, (size_t)(end - p), "HIT", 3)) != NULL) {
		m.ioc = 0;
		m.off = (size_t)(p - line);
		m.len = 3;
		if ((r = fn(arg, &m)) != 0)
			return r;
		p += 3;
	}
	return 0;
}

/* Whether the engine gets the buffer hook too (runs of whole lines at
 * once): every test runs both ways.  scan_hits() serves for both, since
 * "HIT" never spans a newline. */
static bool use_runs;

struct collect {
	struct vk_buf out;
	size_t hits, stop_at;
	struct vk_hunt_file_stats st[16];
	size_t nfiles;
};

static int
on_hit(void *arg, const struct vk_hunt_hit *h)
{
	struct collect *c = arg;

	if (c->stop_at && c->hits == c->stop_at)
		return VK_EIO;
	c->hits++;
	return vk_buf_appendf(&c->out, "%zu:%llu:%llu:%zu:%.*s\n", h->file,
	    (unsigned long long)h->line, (unsigned long long)h->offset,
	    h->match_off, (int)h->matched_len, h->matched);
}

static void
on_file(void *arg, size_t file, const struct vk_hunt_file_stats *st)
{
	struct collect *c = arg;

	(void)file;
	if (c->nfiles < 16)
		c->st[c->nfiles] = *st;
	c->nfiles++;
}

static int
run(struct vk_walk *w, unsigned jobs, size_t chunk, struct collect *c,
    struct vk_hunt_totals *t)
{
	struct vk_hunt_opts o;

	memset(&o, 0, sizeof(o));
	o.jobs = jobs;
	o.chunk_size = chunk;
	o.scan_line = scan_hits;
	o.scan_lines = use_runs ? scan_hits : NULL;
	o.on_hit = on_hit;
	o.on_file = on_file;
	o.arg = c;
	/* c->stop_at is the caller's; everything else starts afresh. */
	vk_buf_init(&c->out, 256u * 1024 * 1024);
	c->hits = 0;
	c->nfiles = 0;
	return vk_hunt_run(w, &o, t);
}

static char *
path_of(const char *name)
{
	static char p[128];

	(void)snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static void
write_file(const char *name, const char *data, size_t n)
{
	FILE *fp = fopen(path_of(name), "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	fclose(fp);
}

/* The expected output for one input made of `data`, computed plainly. */
static void
expect(struct vk_buf *b, size_t file, const char *data, size_t n)
{
	size_t start = 0, line = 1, i;

	while (start < n) {
		const char *nl = memchr(data + start, '\n', n - start);
		size_t end = nl ? (size_t)(nl - data) : n, len = end - start;
		const char *p = data + start;

		if (len > 0 && p[len - 1] == '\r')
			len--;
		for (i = 0; i + 3 <= len; i++)
			if (memcmp(p + i, "HIT", 3) == 0) {
				vk_buf_appendf(b, "%zu:%zu:%zu:%zu:HIT\n", file,
				    line, start, i);
				i += 2;
			}
		start = end + 1;
		line++;
	}
}

static char *
make_log(size_t lines, unsigned seed, size_t *n)
{
	size_t cap = lines * 120 + 1, len = 0, i, k, w;
	char *s = malloc(cap);

	assert_non_null(s);
	srand(seed);
	for (i = 0; i < lines; i++) {
		w = (size_t)(rand() % 100);
		for (k = 0; k < w; k++)
			s[len++] = "abc xyz.-"[rand() % 9];
		if (rand() % 5 == 0) {
			memcpy(s + len, "HIT", 3);
			len += 3;
		}
		if (rand() % 4 == 0)
			s[len++] = '\r';
		s[len++] = '\n';
	}
	/* And a last line without a newline. */
	memcpy(s + len, "end HIT", 7);
	len += 7;
	*n = len;
	return s;
}

static int
setup(void **state)
{
	(void)state;
	(void)snprintf(dir, sizeof(dir), "/tmp/vk_test_engine_XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Runs every thread count over w with the given chunk sizes and checks
 * the output against `want`. */
static void
check_all(struct vk_walk *w, const size_t *chunks, size_t nchunks,
    const struct vk_buf *want, uint64_t lines, size_t files)
{
	static const unsigned jobs[] = { 1, 2, 3, 8 };
	struct vk_hunt_totals t;
	struct collect c = { .stop_at = 0 };
	size_t i, j;

	for (i = 0; i < nchunks; i++)
		for (j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
			assert_int_equal(run(w, jobs[j], chunks[i], &c, &t), 0);
			assert_string_equal(
			    vk_buf_str(&c.out), vk_buf_str(want));
			assert_int_equal(t.lines, lines);
			assert_int_equal(t.files, files);
			assert_int_equal(c.nfiles, files);
			assert_int_equal(c.st[0].status, VK_HUNT_OK);
			vk_buf_release(&c.out);
		}
}

static void
test_order_and_lines(void **state)
{
	static const size_t big_chunks[] = { 777, 4096, 100000, 1u << 24 };
	static const size_t tiny_chunks[] = { 1, 2, 7 };
	struct vk_buf want, want_small;
	struct collect c = { .stop_at = 0 };
	struct vk_hunt_totals t;
	struct vk_walk w, ws;
	char *big, *small, name[32];
	size_t nbig, nsmall, i;

	(void)state;
	vk_buf_init(&want, 256u * 1024 * 1024);
	vk_buf_init(&want_small, 256u * 1024 * 1024);
	vk_walk_init(&w);
	vk_walk_init(&ws);
	big = make_log(20000, 1, &nbig);
	write_file("a-big.log", big, nbig);
	assert_int_equal(vk_walk_add(&w, path_of("a-big.log")), 0);
	expect(&want, 0, big, nbig);
	for (i = 0; i < 5; i++) {
		small = make_log(8, (unsigned)(10 + i), &nsmall);
		(void)snprintf(name, sizeof(name), "small-%zu.log", i);
		write_file(name, small, nsmall);
		assert_int_equal(vk_walk_add(&w, path_of(name)), 0);
		assert_int_equal(vk_walk_add(&ws, path_of(name)), 0);
		expect(&want, i + 1, small, nsmall);
		expect(&want_small, i, small, nsmall);
		free(small);
	}
	check_all(&w, big_chunks, 4, &want, 20001 + 5 * 9, 6);
	/* Chunks of a byte or two: every line boundary case. */
	check_all(&ws, tiny_chunks, 3, &want_small, 5 * 9, 5);
	/* The big file was cut, and its figures add up. */
	assert_int_equal(run(&w, 2, 4096, &c, &t), 0);
	assert_true(c.st[0].chunks > 100);
	assert_int_equal(c.st[0].lines, 20001);
	assert_int_equal(c.st[0].bytes, nbig);
	assert_int_equal(c.st[0].raw_bytes, nbig);
	vk_buf_release(&c.out);
	free(big);
	vk_buf_release(&want);
	vk_buf_release(&want_small);
	vk_walk_release(&w);
	vk_walk_release(&ws);
}

static void
test_direct_output(void **state)
{
	/* 400,000 hits: far more than a unit buffers before it writes
	 * directly; the order must not change. */
	size_t n = 200000 * 12, i, len = 0;
	char *s = malloc(n + 1);
	struct vk_buf want;
	struct collect c = { .stop_at = 0 };
	struct vk_hunt_totals t;
	struct vk_walk w;
	unsigned j;

	(void)state;
	for (i = 0; i < 200000; i++) {
		memcpy(s + len, "HIT x HIT y\n", 12);
		len += 12;
	}
	write_file("many.log", s, len);
	vk_walk_init(&w);
	assert_int_equal(vk_walk_add(&w, path_of("many.log")), 0);
	vk_buf_init(&want, 256u * 1024 * 1024);
	expect(&want, 0, s, len);
	for (j = 1; j <= 3; j++) {
		assert_int_equal(run(&w, j, 100000, &c, &t), 0);
		assert_int_equal(c.hits, 400000);
		assert_int_equal(t.hits, 400000);
		assert_true(vk_buf_str(&c.out) != NULL);
		assert_int_equal(c.out.len, want.len);
		assert_memory_equal(c.out.data, want.data, want.len);
		vk_buf_release(&c.out);
	}
	vk_buf_release(&want);
	vk_walk_release(&w);
	free(s);
}

static void
test_stop_on_error(void **state)
{
	struct collect c = { .stop_at = 0 };
	struct vk_hunt_totals t;
	struct vk_walk w;
	char *s;
	size_t n;

	(void)state;
	s = make_log(5000, 3, &n);
	write_file("stop.log", s, n);
	vk_walk_init(&w);
	assert_int_equal(vk_walk_add(&w, path_of("stop.log")), 0);
	memset(&c, 0, sizeof(c));
	c.stop_at = 10;
	assert_int_equal(run(&w, 2, 1000, &c, &t), VK_EIO);
	assert_int_equal(c.hits, 10);
	vk_buf_release(&c.out);
	vk_walk_release(&w);
	free(s);
}

static void
test_unreadable_and_damaged(void **state)
{
	const char *text = "one HIT\ntwo HIT\nthree\n";
	unsigned char gz[256], big[8192];
	struct collect c = { .stop_at = 0 };
	struct vk_hunt_totals t;
	struct vk_walk w;
	z_stream z;
	size_t gzlen;

	(void)state;
	/* A gzip stream cut in the middle of a second member. */
	memset(&z, 0, sizeof(z));
	assert_int_equal(
	    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	gzlen = sizeof(gz) - z.avail_out;
	deflateEnd(&z);
	memcpy(big, gz, gzlen);
	memcpy(big + gzlen, gz, gzlen / 2);
	write_file("cut.gz", (const char *)big, gzlen + gzlen / 2);

	vk_walk_init(&w);
	assert_int_equal(vk_walk_add(&w, path_of("cut.gz")), 0);
	assert_int_equal(vk_walk_add(&w, path_of("missing.log")), 0);
	assert_int_equal(w.v[1].kind, VK_WALK_ERROR);
	/* A file that vanishes between the walk and the scan. */
	write_file("gone.log", "HIT\n", 4);
	assert_int_equal(vk_walk_add(&w, path_of("gone.log")), 0);
	assert_int_equal(unlink(path_of("gone.log")), 0);
	assert_int_equal(run(&w, 2, 0, &c, &t), 0);
	/* The first member's hits are kept (and perhaps some of the second
	 * member's, decoded before the cut). */
	assert_memory_equal(
	    vk_buf_str(&c.out), "0:1:0:4:HIT\n0:2:8:4:HIT\n", 24);
	assert_int_equal(c.nfiles, 2);
	assert_int_equal(c.st[0].status, VK_HUNT_DAMAGED);
	assert_int_equal(c.st[0].compression, VK_COMPRESS_GZIP);
	assert_non_null(c.st[0].why);
	assert_int_equal(c.st[1].status, VK_HUNT_UNREADABLE);
	assert_int_equal(c.st[1].errnum, ENOENT);
	assert_int_equal(t.damaged, 1);
	assert_int_equal(t.unreadable, 1);
	vk_buf_release(&c.out);
	vk_walk_release(&w);
}

static void
test_walk(void **state)
{
	struct vk_walk w;
	char sub[128];

	(void)state;
	(void)snprintf(sub, sizeof(sub), "%s/tree", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file("tree/b.log", "x\n", 2);
	write_file("tree/a.log", "x\n", 2);
	assert_int_equal(mkdir(path_of("tree/c"), 0700), 0);
	write_file("tree/c/z.log", "x\n", 2);
	assert_int_equal(symlink("a.log", path_of("tree/link")), 0);
	assert_int_equal(mkfifo(path_of("tree/fifo"), 0600), 0);
	vk_walk_init(&w);
	assert_int_equal(vk_walk_add(&w, sub), 0);
	assert_int_equal(w.n, 5);
	assert_string_equal(w.v[0].path + strlen(sub), "/a.log");
	assert_string_equal(w.v[1].path + strlen(sub), "/b.log");
	assert_string_equal(w.v[2].path + strlen(sub), "/c/z.log");
	assert_string_equal(w.v[3].path + strlen(sub), "/fifo");
	assert_int_equal(w.v[3].kind, VK_WALK_SKIPPED);
	assert_string_equal(w.v[4].path + strlen(sub), "/link");
	assert_int_equal(w.v[4].kind, VK_WALK_SKIPPED);
	assert_int_equal(w.v[0].size, 2);
	/* Named on the command line, the link is followed and the FIFO
	 * is read. */
	assert_int_equal(vk_walk_add(&w, path_of("tree/link")), 0);
	assert_int_equal(w.v[5].kind, VK_WALK_FILE);
	assert_int_equal(vk_walk_add(&w, path_of("tree/fifo")), 0);
	assert_int_equal(w.v[6].kind, VK_WALK_STREAM);
	assert_int_equal(vk_walk_add(&w, "-"), 0);
	assert_int_equal(w.v[7].kind, VK_WALK_STREAM);
	assert_int_equal(vk_walk_count(&w, VK_WALK_SKIPPED), 2);
	vk_walk_release(&w);
}

static int
runs_on(void **state)
{
	(void)state;
	use_runs = true;
	return 0;
}

static int
runs_off(void **state)
{
	(void)state;
	use_runs = false;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_order_and_lines, runs_off),
		cmocka_unit_test_setup(test_order_and_lines, runs_on),
		cmocka_unit_test_setup(test_direct_output, runs_off),
		cmocka_unit_test_setup(test_direct_output, runs_on),
		cmocka_unit_test_setup(test_stop_on_error, runs_off),
		cmocka_unit_test_setup(test_stop_on_error, runs_on),
		cmocka_unit_test_setup(test_unreadable_and_damaged, runs_off),
		cmocka_unit_test_setup(test_unreadable_and_damaged, runs_on),
		cmocka_unit_test(test_walk),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
