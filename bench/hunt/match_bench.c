/*
 * match_bench.c — vk_matcher_scan() alone, without input or output: how
 * fast does the matcher tokenise and look up lines held in memory?
 *
 * Usage: match_bench INDICATORS LOG [ROUNDS [whole]]
 *   INDICATORS  a plain list, one indicator per line (type detected)
 *   LOG         an uncompressed log; read whole into memory, split at '\n'
 *   ROUNDS      scans of the log (default 3); the fastest is reported
 *   whole       hand the matcher pieces of about 256 KiB of whole lines
 *               (vk_matcher_scan_lines(), as `vaksam hunt` does) instead
 *               of one line at a time
 * Prints load and build time, memory of the set and matcher (RSS growth),
 * and scan throughput in MB/s (one thread, by its CPU time).  Not a test:
 * run by hand while tuning (bench/hunt/run.sh runs the whole `vaksam
 * hunt`).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hunt/match.h"
#include "ioc/ioc.h"

/* CPU time of this thread: on a shared machine wall time says more about
 * the neighbours than about the matcher. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long
rss_kib(void)
{
	FILE *fp = fopen("/proc/self/statm", "r");
	long pages = 0, res = 0;

	if (fp == NULL)
		return 0;
	if (fscanf(fp, "%ld %ld", &pages, &res) != 2)
		res = 0;
	fclose(fp);
	return res * 4;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		*len = fread(buf, 1, (size_t)n, fp);
		buf[*len] = '\0';
	}
	fclose(fp);
	return buf;
}

static int
count_hit(void *arg, const struct vk_match *m)
{
	(void)m;
	(*(size_t *)arg)++;
	return 0;
}

int
main(int argc, char **argv)
{
	struct vk_ioc_set *set;
	struct vk_matcher *m;
	struct vk_ioc_prov pv = { .source = "bench" };
	uint32_t prov;
	char *iocs, *log, *p, *e;
	size_t ilen, llen, hits = 0, bad = 0, lines = 0;
	int rounds = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 3;
	bool whole = argc > 4 && strcmp(argv[4], "whole") == 0;
	double t0, t1, best = 1e9;
	long rss0, rss1;

	if (argc < 3) {
		fprintf(stderr,
		    "usage: match_bench INDICATORS LOG [ROUNDS [whole]]\n");
		return 2;
	}
	if ((iocs = slurp(argv[1], &ilen)) == NULL ||
	    (log = slurp(argv[2], &llen)) == NULL) {
		perror("read");
		return 2;
	}
	rss0 = rss_kib();
	t0 = now();
	if ((set = vk_ioc_set_new()) == NULL ||
	    vk_ioc_set_add_prov(set, &pv, &prov) != 0)
		return 2;
	for (p = iocs; p < iocs + ilen; p = e + 1) {
		if ((e = memchr(p, '\n', (size_t)(iocs + ilen - p))) == NULL)
			e = iocs + ilen;
		if (e > p && *p != '#' &&
		    vk_ioc_set_add(set, VK_IOC_TYPE_MAX, p, (size_t)(e - p),
			prov, NULL, NULL) != 0)
			bad++;
	}
	t1 = now();
	rss1 = rss_kib();
	printf("indicators: %zu loaded (%zu rejected) in %.2f s, file %zu "
	       "bytes, set RSS %ld KiB\n",
	    vk_ioc_set_count(set), bad, t1 - t0, ilen, rss1 - rss0);
	rss0 = rss1;
	t0 = now();
	if (vk_matcher_build(set, &m) != 0)
		return 2;
	t1 = now();
	rss1 = rss_kib();
	printf("matcher: %zu indicators, built in %.2f s; matcher RSS "
	       "%ld KiB\n",
	    vk_matcher_count(m), t1 - t0, rss1 - rss0);
	for (int r = 0; r < rounds; r++) {
		hits = 0;
		lines = 0;
		t0 = now();
		if (whole) {
			/* vk_matcher_scan_lines() over pieces of about 256 KiB
			 * cut after a newline, as `vaksam hunt` reads them. */
			for (p = log; p < log + llen; p = e + 1) {
				size_t n = (size_t)(log + llen - p);

				if (n > 262144 &&
				    (e = memchr(
					 p + 262144, '\n', n - 262144)) != NULL)
					n = (size_t)(e - p) + 1;
				e = p + n - 1;
				vk_matcher_scan_lines(
				    m, p, n, count_hit, &hits);
			}
			t1 = now();
			if (t1 - t0 < best)
				best = t1 - t0;
			continue;
		}
		for (p = log; p < log + llen; p = e + 1) {
			if ((e = memchr(p, '\n', (size_t)(log + llen - p))) ==
			    NULL)
				e = log + llen;
			vk_matcher_scan(
			    m, p, (size_t)(e - p), count_hit, &hits);
			lines++;
		}
		t1 = now();
		if (t1 - t0 < best)
			best = t1 - t0;
	}
	printf("scan: %zu lines, %zu bytes, %zu hits; best of %d: %.3f s CPU = "
	       "%.0f MB/s\n",
	    lines, llen, hits, rounds, best, (double)llen / best / 1e6);
	vk_matcher_free(m);
	vk_ioc_set_free(set);
	free(iocs);
	free(log);
	return 0;
}
