/*
 * store_opts.h — how every subcommand finds the store (`vaksam db`,
 * `user`, `token`, `audit`, `backup`, `restore`, and `serve`).
 *
 * Order, first found wins:
 *   1. --db URL          (PostgreSQL)
 *   2. --data DIR        (SQLite in DIR/vaksam.db)
 *   3. $VAKSAM_DB
 *   4. $VAKSAM_DATA
 *   5. the default data directory: /var/lib/vaksam when run as root,
 *      else $XDG_DATA_HOME/vaksam, else $HOME/.local/share/vaksam.
 * Both options also accept the "--data=DIR" form.
 *
 * Use in a subcommand's argument loop:
 *
 *	struct vk_store_opts so = { 0 };
 *	for (i = 1; i < argc; i++) {
 *		if ((r = vk_store_opts_take(&so, argc, argv, &i)) < 0)
 *			return 2;	// message already printed
 *		if (r > 0)
 *			continue;
 *		... the command's own options ...
 *	}
 *	if (vk_store_opts_open(&so, "serve", true, &st) != 0)
 *		return 1;		// message already printed
 */
#ifndef VK_CMD_STORE_OPTS_H
#define VK_CMD_STORE_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct vk_store_opts {
	const char *data; /* --data, not owned */
	const char *db; /* --db, not owned */
};

/* The usage lines for the two options, for --help texts. */
#define VK_STORE_OPTS_USAGE \
	"  --data DIR   data directory of the embedded SQLite store\n" \
	"               (env VAKSAM_DATA; default /var/lib/vaksam for root,\n" \
	"               else $XDG_DATA_HOME/vaksam or " \
	"~/.local/share/vaksam)\n" \
	"  --db URL     PostgreSQL store, postgresql://... (env VAKSAM_DB)\n"

/*
 * If argv[*i] is --data or --db (with its value as the next argument or
 * after '='), records it, advances *i past what it used and returns 1.
 * Returns 0 when argv[*i] is something else, -1 (after a message on
 * stderr naming the option) when the value is missing.
 */
int vk_store_opts_take(struct vk_store_opts *o, int argc, char **argv, int *i);

/* Writes the resolved spec (see the order above) into buf (size n).
 * VK_ETOOBIG when it does not fit; VK_EINVAL when no default directory
 * can be derived (no HOME). */
int vk_store_opts_spec(const struct vk_store_opts *o, char *buf, size_t n);

/*
 * Resolves the spec, opens the store and, when migrate is true, applies
 * pending migrations; when false, refuses a store with pending migrations
 * (telling the user to run `vaksam db migrate`).  Errors are printed to
 * stderr as "vaksam CMD: ..." and returned (VK_E*); *out is then NULL.
 */
int vk_store_opts_open(const struct vk_store_opts *o, const char *cmd,
    bool migrate, struct vk_store **out);

/* Like vk_store_opts_open() but neither migrates nor checks the
 * migration state (for `db status`, `backup`, `restore`). */
int vk_store_opts_open_raw(
    const struct vk_store_opts *o, const char *cmd, struct vk_store **out);

/* Formats a store time (µs since the epoch) as "2026-11-27T20:23:16Z" into
 * buf (size >= 21); "-" for 0. */
void vk_cmd_fmt_time(int64_t us, char *buf, size_t n);

#endif
