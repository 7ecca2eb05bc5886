/*
 * cmd_restore.c — `vaksam restore [--force] FILE`: replace the embedded
 * SQLite store with a backup made by `vaksam backup`.
 */
#include <stdbool.h>
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
	    "usage: vaksam restore [--force] [--data DIR] FILE\n"
	    "\n"
	    "Checks that FILE is an intact vaksam backup at a known\n"
	    "migration version, then replaces the store with it.  A store\n"
	    "that holds users or audit entries is replaced only with\n"
	    "--force.  Stop 'vaksam serve' first.\n"
	    "PostgreSQL: use pg_restore (see vaksam-restore(1)).\n"
	    "\n" VK_STORE_OPTS_USAGE);
}

int
cmd_restore(int argc, char **argv)
{
	struct vk_store_opts so = { 0 };
	struct vk_store *st = NULL;
	struct vk_diag d;
	const char *file = NULL;
	char actor[300];
	bool force = false;
	int i, r, rc = 1;

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
		if (strcmp(argv[i], "--force") == 0) {
			force = true;
			continue;
		}
		if ((argv[i][0] == '-' && argv[i][1] != '\0') || file != NULL) {
			fprintf(stderr, "vaksam restore: unexpected '%s'\n",
			    argv[i]);
			usage(stderr);
			return 2;
		}
		file = argv[i];
	}
	if (file == NULL) {
		usage(stderr);
		return 2;
	}
	if (vk_store_opts_open_raw(&so, "restore", &st) != 0)
		return 1;
	vk_diag_init(&d);
	if ((r = vk_store_restore(st, file, force, &d)) != 0) {
		fprintf(stderr, "vaksam restore: %s\n", vk_strerror(r));
		vk_diag_print(&d, stderr);
		goto out;
	}
	/* A backup from an older vaksam is brought up to date. */
	if ((r = vk_store_migrate(st, NULL, &d)) != 0) {
		fprintf(stderr,
		    "vaksam restore: restored, but migrating "
		    "failed\n");
		vk_diag_print(&d, stderr);
		goto out;
	}
	vk_audit_cli_actor(actor, sizeof(actor));
	if ((r = vk_audit_append(
		 st, actor, "", "store.restore", "store", "", "", "")) != 0) {
		fprintf(stderr,
		    "vaksam restore: cannot write the audit log: "
		    "%s\n",
		    vk_strerror(r));
		goto out;
	}
	printf("restored from %s\n", file);
	rc = 0;
out:
	vk_diag_release(&d);
	vk_store_close(st);
	return rc;
}
