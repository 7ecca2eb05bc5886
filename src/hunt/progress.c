/*
 * progress.c — the progress line.  See progress.h.
 */
#include "hunt/progress.h"

#include <stdio.h>

void
vk_progress_init(struct vk_progress *p, FILE *fp, bool enabled)
{
	p->fp = fp;
	p->enabled = enabled;
	p->shown = false;
	p->last = 0;
}

static void
mb(char *out, size_t cap, double bytes)
{
	if (bytes >= 1e9)
		(void)snprintf(out, cap, "%.2f GB", bytes / 1e9);
	else
		(void)snprintf(out, cap, "%.1f MB", bytes / 1e6);
}

void
vk_progress_format(
    char *out, size_t cap, uint64_t done, uint64_t total, double seconds)
{
	char d[32], t[32], r[32];
	double rate = seconds > 0 ? (double)done / seconds : 0;
	int n;

	if (done > total && total > 0)
		done = total;
	mb(d, sizeof(d), (double)done);
	mb(r, sizeof(r), rate);
	if (total == 0) {
		n = snprintf(out, cap, "hunt: %s, %s/s", d, r);
	} else {
		double left = rate > 0 ? (double)(total - done) / rate : 0;

		mb(t, sizeof(t), (double)total);
		n = snprintf(out, cap,
		    "hunt: %s of %s (%.0f%%), %s/s, %.0f s left", d, t,
		    100.0 * (double)done / (double)total, r, left);
	}
	if (n < 0 && cap > 0)
		out[0] = '\0';
}

void
vk_progress_update(
    void *arg, uint64_t done, uint64_t total, double seconds, bool final)
{
	struct vk_progress *p = arg;
	char line[160];

	if (p == NULL || !p->enabled)
		return;
	if (final) {
		if (p->shown)
			fputs("\r\033[K", p->fp);
		p->shown = false;
		fflush(p->fp);
		return;
	}
	if (seconds < 1.0 || seconds - p->last < 0.25)
		return;
	p->last = seconds;
	vk_progress_format(line, sizeof(line), done, total, seconds);
	fprintf(p->fp, "\r%s\033[K", line);
	fflush(p->fp);
	p->shown = true;
}
