/*
 * walk.c — inputs from the PATH arguments, in byte order.  See walk.h.
 */
#include "hunt/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/err.h"

#define PATH_CEILING 65536
#define PROC_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572

struct vk_walk_dir {
	dev_t dev;
	ino_t ino;
};

void
vk_walk_init(struct vk_walk *w)
{
	memset(w, 0, sizeof(*w));
}

void
vk_walk_release(struct vk_walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i].path);
	free(w->v);
	free(w->dirs);
	w->dirs = NULL;
	w->v = NULL;
	w->n = w->cap = 0;
}

size_t
vk_walk_count(const struct vk_walk *w, enum vk_walk_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < w->n; i++)
		n += w->v[i].kind == k;
	return n;
}

static int
push(struct vk_walk *w, const char *path, enum vk_walk_kind kind, uint64_t size,
    int errnum, const char *why)
{
	struct vk_walk_entry *e;

	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;

		if ((e = realloc(w->v, cap * sizeof(*e))) == NULL)
			return VK_ENOMEM;
		w->v = e;
		w->cap = cap;
	}
	e = &w->v[w->n];
	if ((e->path = strdup(path)) == NULL)
		return VK_ENOMEM;
	e->kind = kind;
	e->size = size;
	e->errnum = errnum;
	e->why = why;
	e->mtime_sec = 0;
	e->mtime_nsec = 0;
	e->dev = 0;
	e->ino = 0;
	w->n++;
	return 0;
}

static int
push_file(struct vk_walk *w, const char *path, const struct stat *st)
{
	struct vk_walk_entry *e;
	int r;

	if ((r = push(w, path, VK_WALK_FILE, (uint64_t)st->st_size, 0, NULL)) !=
	    0)
		return r;
	e = &w->v[w->n - 1];
	e->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	e->mtime_nsec = st->st_mtim.tv_nsec;
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	return 0;
}

static bool
excluded(const struct vk_walk *w, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base && base[1] ? base + 1 : path;
	for (i = 0; i < w->nexcludes; i++)
		if (fnmatch(w->excludes[i], path, 0) == 0 ||
		    fnmatch(w->excludes[i], base, 0) == 0)
			return true;
	return false;
}

/* /proc and /sys hold no evidence and files that never end. */
static bool
pseudo_fs(const char *path)
{
	struct statfs sf;

	if (statfs(path, &sf) != 0)
		return false;
	return sf.f_type == PROC_MAGIC || sf.f_type == SYSFS_MAGIC;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_path(
    struct vk_walk *w, struct vk_buf *path, bool named, size_t depth);

static int
walk_dir(struct vk_walk *w, struct vk_buf *path, size_t depth)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i, keep;
	DIR *d;
	int r = 0;

	if (depth >= (w->max_depth ? w->max_depth : 256))
		return push(w, vk_buf_str(path), VK_WALK_SKIPPED, 0, 0,
		    "directory nested too deep");
	if (pseudo_fs(vk_buf_str(path)))
		return push(w, vk_buf_str(path), VK_WALK_SKIPPED, 0, 0,
		    "/proc or /sys (not swept)");
	if ((d = opendir(vk_buf_str(path))) == NULL)
		return push(w, vk_buf_str(path), VK_WALK_ERROR, 0, errno, NULL);
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0)
				r = push(w, vk_buf_str(path), VK_WALK_ERROR, 0,
				    errno, NULL);
			break;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			char **v;

			cap = cap ? cap * 2 : 32;
			if ((v = realloc(names, cap * sizeof(*v))) == NULL) {
				r = VK_ENOMEM;
				break;
			}
			names = v;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			r = VK_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (r == 0 && n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	keep = path->len;
	for (i = 0; r == 0 && i < n; i++) {
		if (keep == 0 || path->data[keep - 1] != '/')
			r = vk_buf_appendc(path, '/');
		if (r == 0)
			r = vk_buf_appends(path, names[i]);
		if (r == VK_ETOOBIG)
			r = push(w, vk_buf_str(path), VK_WALK_ERROR, 0,
			    ENAMETOOLONG, NULL);
		else if (r == 0)
			r = walk_path(w, path, false, depth + 1);
		vk_buf_truncate(path, keep);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

static int
walk_path(struct vk_walk *w, struct vk_buf *path, bool named, size_t depth)
{
	const char *p = vk_buf_str(path);
	struct stat st;
	int r;

	size_t i;

	r = named || w->follow ? stat(p, &st) : lstat(p, &st);
	if (r != 0 && !named && w->follow && errno == ENOENT &&
	    lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
		return push(
		    w, p, VK_WALK_SKIPPED, 0, 0, "dangling symbolic link");
	if (r != 0)
		return push(w, p, VK_WALK_ERROR, 0, errno, NULL);
	if (!named && w->nexcludes > 0 && excluded(w, p))
		return push(
		    w, p, VK_WALK_SKIPPED, 0, 0, "excluded (--exclude)");
	if (w->have_exclude && st.st_dev == w->exclude_dev &&
	    st.st_ino == w->exclude_ino)
		return push(w, p, VK_WALK_SKIPPED, 0, 0, "the output file");
	if (named)
		w->root_dev = st.st_dev;
	if (S_ISDIR(st.st_mode)) {
		if (w->one_fs && st.st_dev != w->root_dev)
			return push(w, p, VK_WALK_SKIPPED, 0, 0,
			    "another file system (--one-file-system)");
		if (w->dirs == NULL &&
		    (w->dirs = calloc(257, sizeof(*w->dirs))) == NULL)
			return VK_ENOMEM;
		for (i = 0; i < depth && i < 257; i++)
			if (w->dirs[i].dev == st.st_dev &&
			    w->dirs[i].ino == st.st_ino)
				return push(w, p, VK_WALK_SKIPPED, 0, 0,
				    "directory loop (--follow)");
		if (depth < 257) {
			w->dirs[depth].dev = st.st_dev;
			w->dirs[depth].ino = st.st_ino;
		}
		return walk_dir(w, path, depth);
	}
	if (S_ISREG(st.st_mode))
		return push_file(w, p, &st);
	if (S_ISLNK(st.st_mode))
		return push(w, p, VK_WALK_SKIPPED, 0, 0,
		    "symbolic link (not followed inside directories)");
	if (S_ISFIFO(st.st_mode) && named)
		return push(w, p, VK_WALK_STREAM, 0, 0, NULL);
	return push(w, p, VK_WALK_SKIPPED, 0, 0, "special file");
}

int
vk_walk_add(struct vk_walk *w, const char *arg)
{
	struct vk_buf path;
	int r;

	if (strcmp(arg, "-") == 0)
		return push(w, "-", VK_WALK_STREAM, 0, 0, NULL);
	vk_buf_init(&path, PATH_CEILING);
	if ((r = vk_buf_appends(&path, arg)) == VK_ETOOBIG)
		r = push(
		    w, "(path too long)", VK_WALK_ERROR, 0, ENAMETOOLONG, NULL);
	else if (r == 0)
		r = walk_path(w, &path, true, 0);
	vk_buf_release(&path);
	return r;
}
