/*
 * diag.c — diagnostics with locations.
 */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
vk_diag_init(struct vk_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void
vk_diag_release(struct vk_diag *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->v[i].where);
		free(d->v[i].msg);
	}
	free(d->v);
	vk_diag_init(d);
}

void
vk_diag_add(struct vk_diag *d, enum vk_diag_level level, const char *where,
    const char *fmt, ...)
{
	struct vk_diag_entry *e;
	va_list ap;
	char msg[1024];

	if (d == NULL)
		return;
	if (level == VK_DIAG_ERROR)
		d->nerr++;
	else
		d->nwarn++;
	if (d->n >= VK_DIAG_MAX)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct vk_diag_entry *v = realloc(d->v, cap * sizeof(*v));

		if (v == NULL)
			return;
		d->v = v;
		d->cap = cap;
	}
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	e = &d->v[d->n];
	e->level = level;
	e->where = where ? strdup(where) : NULL;
	e->msg = strdup(msg);
	if (e->msg == NULL || (where && e->where == NULL)) {
		free(e->where);
		free(e->msg);
		return;
	}
	d->n++;
}

void
vk_diag_print(const struct vk_diag *d, FILE *fp)
{
	size_t i, shown;

	for (i = 0; i < d->n; i++) {
		const struct vk_diag_entry *e = &d->v[i];

		fprintf(fp, "%s%s%s: %s\n", e->where ? e->where : "",
		    e->where ? ": " : "",
		    e->level == VK_DIAG_ERROR ? "error" : "warning", e->msg);
	}
	shown = d->n;
	if (d->nerr + d->nwarn > shown)
		fprintf(fp, "... and %zu more messages not shown\n",
		    d->nerr + d->nwarn - shown);
}
