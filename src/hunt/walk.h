/*
 * walk.h — turning the PATH arguments of `vaksam hunt` into a list of
 * inputs, in a reproducible order.
 *
 * A directory is walked recursively, its entries in byte order of their
 * names, so that output does not depend on the file system.  Inside
 * directories only regular files and directories are taken: symbolic links
 * are not followed (a link may lead out of the tree or into a cycle) and
 * special files (FIFOs, devices, sockets) are skipped; both are recorded
 * as skipped with the reason.  A path named on the command line is
 * followed even when it is a symbolic link, and a FIFO named there is read
 * (process substitution: <(zcat …)); devices and sockets are skipped
 * everywhere.  "-" is standard input.  Paths that cannot be examined or
 * opened are recorded as errors (errno kept), never dropped.
 */
#ifndef VK_HUNT_WALK_H
#define VK_HUNT_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum vk_walk_kind {
	VK_WALK_FILE, /* a regular file (seekable) */
	VK_WALK_STREAM, /* standard input or a FIFO: read sequentially */
	VK_WALK_SKIPPED, /* not read: see `why` */
	VK_WALK_ERROR, /* could not be examined: see errnum */
	VK_WALK_KIND_MAX
};

struct vk_walk_entry {
	char *path; /* as reached from the argument; owned */
	enum vk_walk_kind kind;
	uint64_t size; /* regular files: size from stat */
	int errnum; /* VK_WALK_ERROR */
	const char *why; /* VK_WALK_SKIPPED: static text */
	/* Regular files, from the walk's stat: to notice files that change
	 * or vanish before they are read (issue 3). */
	int64_t mtime_sec;
	long mtime_nsec;
	dev_t dev;
	ino_t ino;
};

struct vk_walk {
	struct vk_walk_entry *v;
	size_t n, cap;
	/* A file never to read (the -o output): device and inode. */
	bool have_exclude;
	dev_t exclude_dev;
	ino_t exclude_ino;
	size_t max_depth; /* 0 = 256 */
	/*
	 * Options of the file sweep (issue 3), set before vk_walk_add():
	 *   follow    follow symbolic links inside directories too (a
	 *             directory already on the current path is skipped as a
	 *             loop);
	 *   one_fs    do not descend into another file system than the
	 *             argument's;
	 *   excludes  fnmatch(3) globs tried against the whole path and the
	 *             base name; a match is skipped ("excluded"), a matching
	 *             directory is not entered.
	 * /proc and /sys (by file-system type, wherever mounted) are always
	 * skipped.
	 */
	bool follow;
	bool one_fs;
	const char *const *excludes;
	size_t nexcludes;
	/* internal */
	dev_t root_dev;
	struct vk_walk_dir *dirs; /* the directories on the current path */
};

void vk_walk_init(struct vk_walk *w);
void vk_walk_release(struct vk_walk *w);

/*
 * Appends the inputs reached from one command-line argument.  Problems
 * with individual paths become VK_WALK_ERROR / VK_WALK_SKIPPED entries;
 * the return is 0, or VK_ENOMEM (the list then holds what was added so
 * far and must still be released).
 */
int vk_walk_add(struct vk_walk *w, const char *arg);

/* Entries of kind k. */
size_t vk_walk_count(const struct vk_walk *w, enum vk_walk_kind k);

#endif
