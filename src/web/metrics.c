/*
 * metrics.c — request counters and latency histograms.
 */
#include "web/metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/err.h"
#include "web/router.h"

/* Status codes counted one by one; anything else goes to "other". */
static const unsigned statuses[] = { 200, 201, 204, 301, 302, 303, 304, 400,
	401, 403, 404, 405, 409, 413, 415, 429, 500, 503, 0 };
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))

/* Histogram upper bounds in seconds (Prometheus' default set). */
static const double bounds[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
	0.25, 0.5, 1, 2.5, 5, 10 };
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

struct route_stats {
	atomic_uint_fast64_t count[NSTATUS];
	atomic_uint_fast64_t bucket[NBOUNDS + 1];
	atomic_uint_fast64_t sum_ns;
};

struct vk_metrics {
	size_t nroutes; /* rows; the last one is "none" */
	struct route_stats *r;
	atomic_uint_fast64_t store_ns;
};

int
vk_metrics_new(size_t nroutes, struct vk_metrics **out)
{
	struct vk_metrics *m;

	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->r = calloc(nroutes + 1, sizeof(*m->r))) == NULL) {
		free(m);
		return VK_ENOMEM;
	}
	m->nroutes = nroutes + 1;
	*out = m;
	return 0;
}

void
vk_metrics_free(struct vk_metrics *m)
{
	if (m == NULL)
		return;
	free(m->r);
	free(m);
}

void
vk_metrics_observe(struct vk_metrics *m, size_t route, unsigned status,
    uint64_t duration_ns, uint64_t store_ns)
{
	struct route_stats *s;
	size_t i;

	if (m == NULL)
		return;
	s = &m->r[route < m->nroutes - 1 ? route : m->nroutes - 1];
	for (i = 0; i < NSTATUS - 1 && statuses[i] != status; i++)
		;
	atomic_fetch_add_explicit(&s->count[i], 1, memory_order_relaxed);
	for (i = 0; i < NBOUNDS && (double)duration_ns / 1e9 > bounds[i]; i++)
		;
	atomic_fetch_add_explicit(&s->bucket[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(
	    &s->sum_ns, duration_ns, memory_order_relaxed);
	atomic_fetch_add_explicit(&m->store_ns, store_ns, memory_order_relaxed);
}

int
vk_metrics_write(struct vk_metrics *m, struct vk_buf *out, int64_t sessions)
{
	size_t i, k;
	int r = 0;

	r |= vk_buf_appends(out,
	    "# HELP vaksam_http_requests_total Requests by route and "
	    "status.\n"
	    "# TYPE vaksam_http_requests_total counter\n");
	for (i = 0; i < m->nroutes; i++) {
		const char *name =
		    i < m->nroutes - 1 ? vk_routes[i].name : "none";

		for (k = 0; k < NSTATUS; k++) {
			uint64_t n = atomic_load(&m->r[i].count[k]);
			char st[16];

			if (n == 0)
				continue;
			if (statuses[k])
				(void)snprintf(
				    st, sizeof(st), "%u", statuses[k]);
			else
				(void)snprintf(st, sizeof(st), "other");
			r |= vk_buf_appendf(out,
			    "vaksam_http_requests_total{route=\"%s\","
			    "status=\"%s\"} %llu\n",
			    name, st, (unsigned long long)n);
		}
	}
	r |= vk_buf_appends(out,
	    "# HELP vaksam_http_request_duration_seconds Time from the "
	    "first byte of a request to the end of its response.\n"
	    "# TYPE vaksam_http_request_duration_seconds histogram\n");
	for (i = 0; i < m->nroutes; i++) {
		const char *name =
		    i < m->nroutes - 1 ? vk_routes[i].name : "none";
		uint64_t cum = 0;

		for (k = 0; k <= NBOUNDS; k++)
			cum += atomic_load(&m->r[i].bucket[k]);
		if (cum == 0)
			continue;
		cum = 0;
		for (k = 0; k <= NBOUNDS; k++) {
			cum += atomic_load(&m->r[i].bucket[k]);
			if (k < NBOUNDS)
				r |= vk_buf_appendf(out,
				    "vaksam_http_request_duration_seconds_"
				    "bucket{route=\"%s\",le=\"%g\"} %llu\n",
				    name, bounds[k], (unsigned long long)cum);
			else
				r |= vk_buf_appendf(out,
				    "vaksam_http_request_duration_seconds_"
				    "bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
				    name, (unsigned long long)cum);
		}
		r |= vk_buf_appendf(out,
		    "vaksam_http_request_duration_seconds_sum{route=\"%s\"} "
		    "%.6f\n"
		    "vaksam_http_request_duration_seconds_count{route=\"%s\"} "
		    "%llu\n",
		    name, (double)atomic_load(&m->r[i].sum_ns) / 1e9, name,
		    (unsigned long long)cum);
	}
	r |= vk_buf_appendf(out,
	    "# HELP vaksam_store_seconds_total Time spent waiting for the "
	    "store while serving requests.\n"
	    "# TYPE vaksam_store_seconds_total counter\n"
	    "vaksam_store_seconds_total %.6f\n",
	    (double)atomic_load(&m->store_ns) / 1e9);
	if (sessions >= 0)
		r |= vk_buf_appendf(out,
		    "# HELP vaksam_sessions_active Sessions that have not "
		    "expired.\n"
		    "# TYPE vaksam_sessions_active gauge\n"
		    "vaksam_sessions_active %lld\n",
		    (long long)sessions);
	return r ? VK_ETOOBIG : 0;
}
