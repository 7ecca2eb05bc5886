/*
 * metrics.h — counters for GET /metrics (Prometheus text format).
 *
 * Requests are counted per route (the name column of routes[]; "none"
 * for requests that matched no route) and status code; durations go into
 * one latency histogram per route; store time is summed.  All updates are
 * lock-free atomics, so counting costs nothing measurable per request.
 */
#ifndef VK_WEB_METRICS_H
#define VK_WEB_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct vk_metrics;

int vk_metrics_new(size_t nroutes, struct vk_metrics **out);
void vk_metrics_free(struct vk_metrics *m);
/* Counts one finished request; route SIZE_MAX when none matched. */
void vk_metrics_observe(struct vk_metrics *m, size_t route, unsigned status,
    uint64_t duration_ns, uint64_t store_ns);
/* Appends the exposition text; sessions < 0 leaves that gauge out. */
int vk_metrics_write(
    struct vk_metrics *m, struct vk_buf *out, int64_t sessions);

#endif
