/*
 * progress.h — the progress line of `vaksam hunt` on standard error.
 *
 * Shown only when enabled (standard error is a terminal and --no-progress
 * was not given) and only once the sweep has run for a second; refreshed
 * at most four times a second; erased when the sweep ends, so that the
 * summary starts on a clean line.
 */
#ifndef VK_HUNT_PROGRESS_H
#define VK_HUNT_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct vk_progress {
	FILE *fp;
	bool enabled;
	bool shown;
	double last; /* seconds at the last refresh */
};

void vk_progress_init(struct vk_progress *p, FILE *fp, bool enabled);

/*
 * Engine on_progress callback (arg is a struct vk_progress): done bytes of
 * total (total 0 = unknown, e.g. standard input), seconds since the start.
 */
void vk_progress_update(
    void *arg, uint64_t done, uint64_t total, double seconds, bool final);

/* The line for these figures, into out (for tests). */
void vk_progress_format(
    char *out, size_t cap, uint64_t done, uint64_t total, double seconds);

#endif
