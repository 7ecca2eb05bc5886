/*
 * cmd_audit.c — `vaksam audit verify|list`: check the hash chain of the
 * audit log and read it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "cmd/store_opts.h"
#include "util/err.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: vaksam audit verify\n"
	    "       vaksam audit list [--limit N] [--offset N] [--actor A]\n"
	    "                         [--action X] [--object TYPE[:ID]]\n"
	    "\n"
	    "verify exits 0 when the chain is intact, 1 when an entry was\n"
	    "altered, removed or reordered (the first is named).\n"
	    "\n" VK_STORE_OPTS_USAGE);
}

static int
list(struct vk_store *st, const struct vk_audit_filter *f,
    const struct vk_page *pg)
{
	struct vk_audit_list *l = NULL;
	char t[32];
	size_t i;
	int r;

	if ((r = vk_store_audit_list(st, f, pg, &l)) != 0) {
		fprintf(stderr, "vaksam audit: %s\n", vk_strerror(r));
		return 1;
	}
	for (i = 0; i < l->n; i++) {
		const struct vk_audit_entry *e = &l->v[i];

		vk_cmd_fmt_time(e->time, t, sizeof(t));
		printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s%s%s\n", e->seq, t,
		    e->actor, *e->source ? e->source : "-", e->action,
		    e->object_type, *e->object_id ? ":" : "", e->object_id);
	}
	fprintf(stderr, "# %zu of %" PRId64 " entries\n", l->n, l->total);
	vk_audit_list_free(l);
	return 0;
}

int
cmd_audit(int argc, char **argv)
{
	struct vk_store_opts so = { 0 };
	struct vk_store *st = NULL;
	struct vk_audit_filter f;
	struct vk_page pg = { 50, 0 };
	struct vk_diag d;
	const char *verb = NULL;
	char *object = NULL, *colon;
	int64_t bad = 0, checked = 0;
	int i, r, rc = 1;

	memset(&f, 0, sizeof(f));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((r = vk_store_opts_take(&so, argc, argv, &i)) < 0)
			return 2;
		if (r > 0)
			continue;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--limit") == 0 || strcmp(a, "--offset") == 0 ||
		    strcmp(a, "--actor") == 0 || strcmp(a, "--action") == 0 ||
		    strcmp(a, "--object") == 0) {
			const char *v;

			if (i + 1 >= argc) {
				fprintf(stderr,
				    "vaksam audit: %s needs a value\n", a);
				return 2;
			}
			v = argv[++i];
			if (strcmp(a, "--actor") == 0)
				f.actor = v;
			else if (strcmp(a, "--action") == 0)
				f.action = v;
			else if (strcmp(a, "--object") == 0)
				object = (char *)(uintptr_t)v;
			else {
				char *end;
				unsigned long long n = strtoull(v, &end, 10);

				if (*v < '0' || *v > '9' || *end != '\0' ||
				    n > 1000000000) {
					fprintf(stderr,
					    "vaksam audit: %s wants a number\n",
					    a);
					return 2;
				}
				if (strcmp(a, "--limit") == 0)
					pg.limit = (size_t)n;
				else
					pg.offset = (size_t)n;
			}
		} else if (a[0] == '-' || verb != NULL) {
			fprintf(stderr, "vaksam audit: unexpected '%s'\n", a);
			usage(stderr);
			return 2;
		} else
			verb = a;
	}
	if (verb == NULL ||
	    (strcmp(verb, "verify") != 0 && strcmp(verb, "list") != 0)) {
		usage(stderr);
		return 2;
	}
	if (object != NULL) {
		if ((object = strdup(object)) == NULL)
			return 1;
		if ((colon = strchr(object, ':')) != NULL) {
			*colon = '\0';
			f.object_id = colon + 1;
		}
		f.object_type = object;
	}
	if (vk_store_opts_open(&so, "audit", false, &st) != 0) {
		free(object);
		return 1;
	}
	vk_diag_init(&d);
	if (strcmp(verb, "list") == 0) {
		rc = list(st, &f, &pg);
	} else {
		r = vk_audit_verify(st, &bad, &checked, &d);
		if (r == 0) {
			printf(
			    "audit log intact: %" PRId64 " entries\n", checked);
			rc = 0;
		} else if (r == VK_ECONFLICT) {
			printf("audit log BROKEN at entry %" PRId64 "\n", bad);
			vk_diag_print(&d, stdout);
		} else
			fprintf(stderr, "vaksam audit: %s\n", vk_strerror(r));
	}
	vk_diag_release(&d);
	vk_store_close(st);
	free(object);
	return rc;
}
