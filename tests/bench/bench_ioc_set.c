/*
 * bench_ioc_set.c — how long adding N indicators to a set takes and how
 * much memory the set holds (a measurement, never a timed test).
 *
 * Usage: bench_ioc_set [N [domain|ipv4|sha256|mixed [ALLOWLIST...]]]
 * (N = 1000000).  Prints the time, the rate and the peak resident size;
 * with allow-lists, also the time vk_allow_apply() takes over the set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ioc/allow.h"
#include "ioc/ioc.h"
#include "util/diag.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this process: on a shared machine the fair measure. */
static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	size_t n = 1000000, i, bytes = 0;
	const char *kind = argc > 2 ? argv[2] : "domain";
	struct vk_ioc_set *set;
	struct rusage ru;
	uint64_t x = 0x2545f4914f6cdd1dULL;
	char v[160];
	double t0, t1, c0, c1;
	int k;

	if (argc > 1)
		n = strtoul(argv[1], NULL, 10);
	if ((set = vk_ioc_set_new()) == NULL)
		return 1;
	t0 = now();
	c0 = cpu();
	for (i = 0; i < n; i++) {
		int which = strcmp(kind, "mixed") == 0 ? (int)(i % 3)
		    : strcmp(kind, "ipv4") == 0        ? 1
		    : strcmp(kind, "sha256") == 0      ? 2
						       : 0;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (which == 0)
			k = snprintf(v, sizeof(v), "h%llx.c2-%zu.example.se",
			    (unsigned long long)(x & 0xffffff), i);
		else if (which == 1)
			k = snprintf(v, sizeof(v), "%u.%u.%u.%u",
			    (unsigned)(x >> 24 & 255),
			    (unsigned)(x >> 16 & 255), (unsigned)(x >> 8 & 255),
			    (unsigned)(x & 255));
		else
			k = snprintf(v, sizeof(v),
			    "%016llx%016llx%016llx%016zx",
			    (unsigned long long)x, (unsigned long long)~x,
			    (unsigned long long)(x * 3), i);
		bytes += (size_t)k + 1;
		if (vk_ioc_set_add(set, VK_IOC_TYPE_MAX, v, (size_t)k, 0, NULL,
			NULL) != 0) {
			fprintf(stderr, "add failed: %s\n", v);
			return 1;
		}
	}
	t1 = now();
	c1 = cpu();
	getrusage(RUSAGE_SELF, &ru);
	printf("%zu %s indicators (%zu bytes as a list, %zu kept after "
	       "duplicates): %.3f s CPU (%.3f s wall), %.0f/s, peak RSS %ld "
	       "MiB\n",
	    n, kind, bytes, vk_ioc_set_count(set), c1 - c0, t1 - t0,
	    (double)n / (c1 - c0), ru.ru_maxrss / 1024);
	if (argc > 3) {
		struct vk_allow *a = vk_allow_new();
		struct vk_diag d;
		long caught;

		vk_diag_init(&d);
		for (k = 3; k < argc; k++)
			if (vk_allow_load(a, argv[k], &d) != 0) {
				vk_diag_print(&d, stderr);
				return 1;
			}
		t0 = now();
		c0 = cpu();
		caught = vk_allow_apply(a, set);
		c1 = cpu();
		t1 = now();
		getrusage(RUSAGE_SELF, &ru);
		printf("allow-lists (%d): %ld suppressed in %.3f s CPU (%.3f s "
		       "wall), peak RSS %ld MiB\n",
		    argc - 3, caught, c1 - c0, t1 - t0, ru.ru_maxrss / 1024);
		vk_diag_release(&d);
		vk_allow_free(a);
	}
	vk_ioc_set_free(set);
	return 0;
}
