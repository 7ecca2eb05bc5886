/*
 * test_filecheck.c — the per-file checks of `vaksam hunt` without the
 * engine: which checks run, what is skipped and why, files that changed
 * since the walk or vanished, binary and event-log detection.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hunt/filecheck.h"
#include "hunt/filenames.h"
#include "hunt/hasher.h"
#include "util/err.h"

#define ABC_SHA1 "a9993e364706816aba3e25717850c26c9cd0d89d"
#define ABC_SHA256 \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

struct got {
	int n;
	enum vk_hunt_kind kind[8];
	uint32_t ioc[8];
	char sha256[8][129];
	uint64_t size[8];
};

static int
collect(void *arg, struct vk_hunt_hit *h)
{
	struct got *g = arg;

	if (g->n < 8) {
		g->kind[g->n] = h->kind;
		g->ioc[g->n] = h->ioc;
		g->size[g->n] = h->fi ? h->fi->size : 0;
		snprintf(g->sha256[g->n], sizeof(g->sha256[0]), "%s",
		    h->fi && h->fi->digests &&
			    (h->fi->digests->algs & VK_HASH_BIT(VK_HASH_SHA256))
			? h->fi->digests->hex[VK_HASH_SHA256]
			: "");
		g->n++;
	}
	return 0;
}

static void
entry_of(const char *path, struct vk_walk_entry *e)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	memset(e, 0, sizeof(*e));
	e->path = (char *)(uintptr_t)path;
	e->kind = VK_WALK_FILE;
	e->size = (uint64_t)sb.st_size;
	e->mtime_sec = (int64_t)sb.st_mtim.tv_sec;
	e->mtime_nsec = sb.st_mtim.tv_nsec;
	e->dev = sb.st_dev;
	e->ino = sb.st_ino;
}

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, n, fp), n);
	fclose(fp);
}

static void
test_hash_and_name_hits(void **state)
{
	char dir[] = "/tmp/vk-fc-XXXXXX", path[256];
	struct vk_filecheck fc = { 0 };
	struct vk_filecheck_worker *w = NULL;
	struct vk_hunt_file_stats st;
	struct vk_walk_entry e;
	struct vk_hashidx *hx;
	struct vk_fnidx *fx;
	struct got g = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/Invoice.EXE", dir);
	write_file(path, "abc", 3);
	assert_int_equal(vk_hashidx_new(&hx), 0);
	/* Only SHA-1 is looked for: a hit still carries SHA-256. */
	assert_int_equal(vk_hashidx_add(hx, VK_HASH_SHA1, ABC_SHA1, 40, 4), 0);
	assert_int_equal(vk_fnidx_new(&fx), 0);
	assert_int_equal(vk_fnidx_add(fx, "invoice.exe", 11, 9, NULL, NULL), 0);
	fc.hashes = hx;
	fc.names = fx;
	fc.max_size = 1000;
	entry_of(path, &e);
	memset(&st, 0, sizeof(st));
	assert_int_equal(
	    vk_filecheck_run(&fc, &w, &e, NULL, NULL, collect, &g, &st), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.kind[0], VK_HUNT_KIND_FILENAME);
	assert_int_equal(g.ioc[0], 9);
	assert_int_equal(g.kind[1], VK_HUNT_KIND_HASH);
	assert_int_equal(g.ioc[1], 4);
	assert_string_equal(g.sha256[0], ABC_SHA256);
	assert_string_equal(g.sha256[1], ABC_SHA256);
	assert_int_equal(g.size[1], 3);
	assert_true(st.covered & (1u << VK_HUNT_KIND_HASH));
	assert_true(st.covered & (1u << VK_HUNT_KIND_FILENAME));
	assert_false(st.changed);

	/* Over the size limit: skipped with the reason, never silent. */
	fc.max_size = 2;
	memset(&st, 0, sizeof(st));
	memset(&g, 0, sizeof(g));
	assert_int_equal(
	    vk_filecheck_run(&fc, &w, &e, NULL, NULL, collect, &g, &st), 0);
	assert_int_equal(g.n, 1); /* the name still hits */
	assert_string_equal(
	    st.skipped[VK_HUNT_KIND_HASH], "larger than --max-size");
	assert_false(st.covered & (1u << VK_HUNT_KIND_HASH));

	/* Changed since the walk (another size): reported as changed. */
	fc.max_size = 1000;
	write_file(path, "abcd", 4);
	memset(&st, 0, sizeof(st));
	memset(&g, 0, sizeof(g));
	assert_int_equal(
	    vk_filecheck_run(&fc, &w, &e, NULL, NULL, collect, &g, &st), 0);
	assert_true(st.changed);
	assert_int_equal(g.n, 1); /* the new content no longer hits */

	/* Vanished: unreadable, every file check skipped as vanished. */
	unlink(path);
	memset(&st, 0, sizeof(st));
	assert_int_equal(
	    vk_filecheck_run(&fc, &w, &e, NULL, NULL, collect, &g, &st), 0);
	assert_true(st.changed);
	assert_int_equal(st.status, VK_HUNT_UNREADABLE);
	assert_string_equal(st.skipped[VK_HUNT_KIND_HASH], "vanished");

	rmdir(dir);
	vk_filecheck_worker_free(w);
	vk_filecheck_worker_free(NULL);
	vk_hashidx_free(hx);
	vk_fnidx_free(fx);
}

static void
test_lines_skip(void **state)
{
	char path[] = "/tmp/vk-fc-XXXXXX";
	char head[VK_FILECHECK_HEAD + 10];
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, "plain text\n", 11), 11);
	assert_null(vk_filecheck_lines_skip(fd));
	/* A NUL in the head: binary. */
	assert_int_equal(pwrite(fd, "a\0b", 3, 5), 3);
	assert_non_null(strstr(vk_filecheck_lines_skip(fd), "binary"));
	/* A NUL only after the first 8 KiB: still text. */
	memset(head, 'x', sizeof(head));
	head[sizeof(head) - 1] = '\0';
	assert_int_equal(pwrite(fd, head, sizeof(head), 0), sizeof(head));
	assert_null(vk_filecheck_lines_skip(fd));
	/* gzip with NULs in it: compressed, so read as lines. */
	assert_int_equal(pwrite(fd, "\x1f\x8b\x08\0\0\0", 6, 0), 6);
	assert_null(vk_filecheck_lines_skip(fd));
	/* An event log by its magic. */
	assert_int_equal(pwrite(fd, "ElfFile\0", 8, 0), 8);
	assert_non_null(strstr(vk_filecheck_lines_skip(fd), "event log"));
	close(fd);
	assert_string_equal(vk_hunt_kind_name(VK_HUNT_KIND_EVTX), "evtx");
	assert_string_equal(vk_hunt_kind_name(VK_HUNT_KIND_MAX), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_and_name_hits),
		cmocka_unit_test(test_lines_skip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
