/*
 * cmd_backup.c — `vaksam backup FILE`: a consistent copy of the embedded
 * SQLite store, taken with SQLite's online backup API while the server
 * keeps running.  PostgreSQL stores are backed up with pg_dump.
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
	    "usage: vaksam backup [--data DIR] FILE\n"
	    "\n"
	    "Writes a consistent copy of the store to the new file FILE\n"
	    "(refuses an existing one); safe while 'vaksam serve' runs.\n"
	    "PostgreSQL: use pg_dump (see vaksam-backup(1)).\n"
	    "\n" VK_STORE_OPTS_USAGE);
}

int
cmd_backup(int argc, char **argv)
{
	struct vk_store_opts so = { 0 };
	struct vk_store *st = NULL;
	struct vk_diag d;
	const char *file = NULL;
	char actor[300];
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
		if ((argv[i][0] == '-' && argv[i][1] != '\0') || file != NULL) {
			fprintf(stderr, "vaksam backup: unexpected '%s'\n",
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
	if (vk_store_opts_open_raw(&so, "backup", &st) != 0)
		return 1;
	vk_diag_init(&d);
	if ((r = vk_store_backup(st, file, &d)) != 0) {
		fprintf(stderr, "vaksam backup: %s\n", vk_strerror(r));
		vk_diag_print(&d, stderr);
		goto out;
	}
	vk_audit_cli_actor(actor, sizeof(actor));
	/* Recorded after the copy, so the backup does not contain it. */
	(void)vk_audit_append(
	    st, actor, "", "store.backup", "store", "", "", "");
	printf("backup written to %s\n", file);
	rc = 0;
out:
	vk_diag_release(&d);
	vk_store_close(st);
	return rc;
}
