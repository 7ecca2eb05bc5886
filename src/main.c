/*
 * main.c — the `vaksam` program: a table of subcommands (after git.c).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "version.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static int cmd_version(int argc, char **argv);

static const struct command commands[] = {
	{ .name = "hunt",
	    .fn = cmd_hunt,
	    .summary = "sweep logs for indicators of compromise" },
	{ .name = "ioc",
	    .fn = cmd_ioc,
	    .summary = "check and convert indicator files" },
	{ .name = "serve",
	    .fn = cmd_serve,
	    .summary = "run the portal and the JSON API" },
	{ .name = "db",
	    .fn = cmd_db,
	    .summary = "migrate the store or show its state" },
	{ .name = "user",
	    .fn = cmd_user,
	    .summary = "add and manage local accounts" },
	{ .name = "token",
	    .fn = cmd_token,
	    .summary = "create, list and revoke API tokens" },
	{ .name = "audit",
	    .fn = cmd_audit,
	    .summary = "verify and read the audit log" },
	{ .name = "backup",
	    .fn = cmd_backup,
	    .summary = "copy the store to a file" },
	{ .name = "restore",
	    .fn = cmd_restore,
	    .summary = "replace the store with a backup" },
	{ .name = "version",
	    .fn = cmd_version,
	    .summary = "print the version" },
};

static const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "usage: vaksam [--version] [--help] COMMAND [ARGS]\n"
	    "\n"
	    "vaksam — information security for municipalities and\n"
	    "organisations like them.\n"
	    "\n"
	    "Commands:\n");
	for (i = 0; i < ncommands; i++)
		fprintf(
		    fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp,
	    "\n"
	    "'vaksam help COMMAND' or 'vaksam COMMAND --help' shows the\n"
	    "options of one command; 'man vaksam-COMMAND' explains it.\n");
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("vaksam %s\n", VK_VERSION);
	return 0;
}

static const struct command *
find(const char *name)
{
	size_t i;

	for (i = 0; i < ncommands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int
main(int argc, char **argv)
{
	const struct command *c;

	/* Blocks of 128 KiB and more always come from mmap: freed, they go
	 * back at once, and zeroed ones (a hunt's per-indicator counters)
	 * take memory only where they are written.  glibc's default raises
	 * the threshold after the first large free, after which a calloc of
	 * megabytes is cleared, and resident, in full. */
	(void)mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv + 1);
	if (strcmp(argv[1], "help") == 0) {
		char opt[] = "--help";
		char *help[] = { NULL, opt, NULL };

		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		if ((c = find(argv[2])) == NULL) {
			fprintf(stderr,
			    "vaksam: no command '%s'; "
			    "'vaksam --help' lists them\n",
			    argv[2]);
			return 2;
		}
		help[0] = argv[2];
		return c->fn(2, help);
	}
	if ((c = find(argv[1])) == NULL) {
		fprintf(stderr,
		    "vaksam: '%s' is not a command; "
		    "'vaksam --help' lists them\n",
		    argv[1]);
		return 2;
	}
	return c->fn(argc - 1, argv + 1);
}
