/*
 * cmd_db.c — `vaksam db migrate|status`: the store's schema version.
 */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cmd/cmd.h"
#include "cmd/store_opts.h"
#include "util/err.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: vaksam db migrate|status [--data DIR | --db URL]\n"
	    "\n"
	    "  migrate      apply the pending numbered migrations\n"
	    "  status       show the applied and the known migration\n"
	    "\n" VK_STORE_OPTS_USAGE);
}

int
cmd_db(int argc, char **argv)
{
	struct vk_store_opts so = { 0 };
	struct vk_store *st = NULL;
	struct vk_store_status s;
	struct vk_diag d;
	const char *verb = NULL;
	char actor[300], after[64];
	int i, r, applied = 0, rc = 1;

	for (i = 1; i < argc; i++) {
		if ((r = vk_store_opts_take(&so, argc, argv, &i)) < 0)
			return 2;
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (argv[i][0] == '-' || verb != NULL) {
			fprintf(
			    stderr, "vaksam db: unexpected '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
		verb = argv[i];
	}
	if (verb == NULL ||
	    (strcmp(verb, "migrate") != 0 && strcmp(verb, "status") != 0)) {
		usage(stderr);
		return 2;
	}
	if (vk_store_opts_open_raw(&so, "db", &st) != 0)
		return 1;
	vk_diag_init(&d);
	if (strcmp(verb, "migrate") == 0) {
		if ((r = vk_store_migrate(st, &applied, &d)) != 0) {
			fprintf(stderr, "vaksam db: migration failed\n");
			vk_diag_print(&d, stderr);
			goto out;
		}
		if (applied > 0) {
			vk_audit_cli_actor(actor, sizeof(actor));
			if ((r = vk_store_status(st, &s)) != 0)
				goto out;
			snprintf(after, sizeof(after), "{\"version\":%d}",
			    s.current);
			if ((r = vk_audit_append(st, actor, "", "store.migrate",
				 "store", "", "", after)) != 0) {
				fprintf(stderr,
				    "vaksam db: cannot write the audit log: "
				    "%s\n",
				    vk_strerror(r));
				goto out;
			}
		}
		printf("applied %d migration%s\n", applied,
		    applied == 1 ? "" : "s");
	}
	if ((r = vk_store_status(st, &s)) != 0) {
		fprintf(stderr, "vaksam db: %s\n", vk_strerror(r));
		goto out;
	}
	printf("backend: %s\ncurrent: %d\nlatest: %d\npending: %d\n",
	    vk_store_backend(st), s.current, s.latest, s.pending);
	if (s.current > s.latest)
		fprintf(
		    stderr, "vaksam db: the store is newer than this vaksam\n");
	rc = 0;
out:
	vk_diag_release(&d);
	vk_store_close(st);
	return rc;
}
