/*
 * filecheck.c — names, digests, YARA and event logs over one file.
 */
#include "hunt/filecheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hunt/evtx.h"
#include "hunt/filenames.h"
#include "hunt/hasher.h"
#include "hunt/input.h"
#include "hunt/yara.h"
#include "util/err.h"

#define NAME_HITS_MAX 64

static const char *const kind_names[VK_HUNT_KIND_MAX] = { "line", "hash",
	"yara", "evtx", "filename" };

const char *
vk_hunt_kind_name(enum vk_hunt_kind k)
{
	return (unsigned)k < VK_HUNT_KIND_MAX ? kind_names[k] : "?";
}

struct vk_filecheck_worker {
	struct vk_hasher *hasher; /* the index's algorithms */
	struct vk_hasher *hasher256; /* those and SHA-256, for hit files */
	struct vk_yara_scanner *yara;
	struct vk_fnscan *names;
	bool made;
};

void
vk_filecheck_worker_free(struct vk_filecheck_worker *w)
{
	if (w == NULL)
		return;
	vk_hasher_free(w->hasher);
	vk_hasher_free(w->hasher256);
	vk_yara_scanner_free(w->yara);
	vk_fnscan_free(w->names);
	free(w);
}

static int
worker_make(const struct vk_filecheck *fc, struct vk_filecheck_worker **wp)
{
	struct vk_filecheck_worker *w;
	unsigned algs = fc->hashes ? vk_hashidx_algs(fc->hashes) : 0;
	int r;

	if (*wp != NULL)
		return 0;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return VK_ENOMEM;
	if ((r = vk_hasher_new(algs, &w->hasher)) != 0 ||
	    (r = vk_hasher_new(
		 algs | VK_HASH_BIT(VK_HASH_SHA256), &w->hasher256)) != 0)
		goto out;
	if (fc->yara != NULL &&
	    (r = vk_yara_scanner_new(
		 fc->yara, fc->yara_timeout, fc->yara_strings, &w->yara)) != 0)
		goto out;
	if (fc->names != NULL && (r = vk_fnscan_new(fc->names, &w->names)) != 0)
		goto out;
	*wp = w;
	return 0;
out:
	vk_filecheck_worker_free(w);
	return r == VK_EINTERNAL ? VK_EINTERNAL : VK_ENOMEM;
}

const char *
vk_filecheck_lines_skip(int fd)
{
	char head[VK_FILECHECK_HEAD];
	ssize_t n;

	n = pread(fd, head, sizeof(head), 0);
	if (n <= 0)
		return NULL;
	if (vk_evtx_is_evtx(head, (size_t)n))
		return "event log (parsed as one)";
	if (vk_compress_detect(head, (size_t)n) != VK_COMPRESS_NONE)
		return NULL;
	if (memchr(head, '\0', (size_t)n) != NULL)
		return "binary (NUL in the first 8 KiB)";
	return NULL;
}

/* One file being checked. */
struct run {
	const struct vk_filecheck *fc;
	struct vk_filecheck_worker *w;
	const struct vk_walk_entry *f;
	int fd;
	struct vk_hunt_fileinfo fi;
	struct vk_file_digests d;
	bool have_digests;
	bool tried_sha256;
	vk_hunt_line_fn scan_line;
	const void *scan_ctx;
	vk_filecheck_hit_fn fn;
	void *arg;
	struct vk_hunt_file_stats *st;
	/* event logs */
	const struct vk_evtx_record *rec;
	const struct vk_evtx_field *field;
	char desc[512];
};

static void
skip(struct run *r, enum vk_hunt_kind k, const char *why)
{
	if (r->st->skipped[k] == NULL)
		r->st->skipped[k] = why;
}

/* Hits carry SHA-256 even when only other algorithms are looked for:
 * hash once more, but only for files that hit. */
static void
ensure_sha256(struct run *r)
{
	if (r->tried_sha256 ||
	    (r->have_digests && (r->d.algs & VK_HASH_BIT(VK_HASH_SHA256))))
		return;
	r->tried_sha256 = true;
	if (r->fi.size > r->fc->max_size || lseek(r->fd, 0, SEEK_SET) != 0)
		return;
	if (vk_hasher_fd(r->w->hasher256, r->fd, r->fc->max_size, &r->d) == 0) {
		r->have_digests = true;
		r->fi.digests = &r->d;
	}
}

static int
emit(struct run *r, struct vk_hunt_hit *h)
{
	ensure_sha256(r);
	h->fi = &r->fi;
	return r->fn(r->arg, h);
}

static int
name_hit(void *arg, uint32_t ioc)
{
	uint32_t *v = arg;

	if (v[0] < NAME_HITS_MAX)
		v[++v[0]] = ioc;
	return 0;
}

static int
check_names(struct run *r)
{
	uint32_t v[NAME_HITS_MAX + 1] = { 0 };
	struct vk_hunt_hit h;
	size_t len = strlen(r->f->path);
	uint32_t i;
	int rc;

	(void)vk_fnscan_path(r->w->names, r->f->path, len, name_hit, v);
	r->st->covered |= 1u << VK_HUNT_KIND_FILENAME;
	for (i = 1; i <= v[0]; i++) {
		memset(&h, 0, sizeof(h));
		h.kind = VK_HUNT_KIND_FILENAME;
		h.ioc = v[i];
		h.matched = r->f->path;
		h.matched_len = len;
		h.context = r->f->path;
		h.context_len = len;
		if ((rc = emit(r, &h)) != 0)
			return rc;
	}
	return 0;
}

static int
hash_hit(void *arg, enum vk_hash_alg a, uint32_t ioc)
{
	struct run *r = arg;
	struct vk_hunt_hit h;
	int n;

	memset(&h, 0, sizeof(h));
	h.kind = VK_HUNT_KIND_HASH;
	h.ioc = ioc;
	h.hash_alg = vk_hash_alg_name(a);
	h.matched = r->d.hex[a];
	h.matched_len = 2 * vk_hash_alg_len(a);
	n = snprintf(r->desc, sizeof(r->desc), "%s %s, %llu bytes",
	    vk_hash_alg_name(a), r->d.hex[a], (unsigned long long)r->fi.size);
	h.context = r->desc;
	h.context_len = n > 0 && (size_t)n < sizeof(r->desc) ? (size_t)n : 0;
	return emit(r, &h);
}

static int
check_hashes(struct run *r)
{
	unsigned need;
	int rc;

	if (r->fi.size > r->fc->max_size) {
		skip(r, VK_HUNT_KIND_HASH, "larger than --max-size");
		return 0;
	}
	if (lseek(r->fd, 0, SEEK_SET) != 0) {
		skip(r, VK_HUNT_KIND_HASH, "could not be read");
		return 0;
	}
	need = vk_hashidx_algs(r->fc->hashes);
	/* A file-name hit before may have hashed it already (with SHA-256
	 * and every algorithm the index needs): no second read. */
	if (r->have_digests && (r->d.algs & need) == need) {
		r->st->covered |= 1u << VK_HUNT_KIND_HASH;
		return vk_hashidx_lookup(r->fc->hashes, &r->d, hash_hit, r);
	}
	rc = vk_hasher_fd(r->w->hasher, r->fd, r->fc->max_size, &r->d);
	if (rc == VK_ETOOBIG) {
		r->st->changed = true;
		skip(r, VK_HUNT_KIND_HASH, "grew past --max-size while read");
		return 0;
	}
	if (rc == VK_EIO) {
		skip(r, VK_HUNT_KIND_HASH, "could not be read");
		return 0;
	}
	if (rc != 0)
		return rc;
	r->have_digests = true;
	r->fi.digests = &r->d;
	/* These digests may lack SHA-256: a hit hashes again for it. */
	r->tried_sha256 = false;
	r->st->covered |= 1u << VK_HUNT_KIND_HASH;
	return vk_hashidx_lookup(r->fc->hashes, &r->d, hash_hit, r);
}

static int
yara_hit(void *arg, const struct vk_yara_hit *y)
{
	struct run *r = arg;
	struct vk_hunt_hit h;
	int n;

	memset(&h, 0, sizeof(h));
	h.kind = VK_HUNT_KIND_YARA;
	/* A rule is not an indicator of the set; the engine's consumers
	 * look at h.yara.  UINT32_MAX says "no indicator". */
	h.ioc = UINT32_MAX;
	h.yara = y;
	h.matched = y->rule;
	h.matched_len = strlen(y->rule);
	n = snprintf(
	    r->desc, sizeof(r->desc), "YARA rule %s:%s", y->ns, y->rule);
	h.context = r->desc;
	h.context_len = n > 0 && (size_t)n < sizeof(r->desc) ? (size_t)n : 0;
	return emit(r, &h);
}

static int
check_yara(struct run *r)
{
	int rc;

	if (r->fi.size > r->fc->max_size) {
		skip(r, VK_HUNT_KIND_YARA, "larger than --max-size");
		return 0;
	}
	rc = vk_yara_scan_fd(
	    r->w->yara, r->fd, r->fi.size, r->f->path, yara_hit, r, NULL);
	switch (rc) {
	case 0:
		r->st->covered |= 1u << VK_HUNT_KIND_YARA;
		return 0;
	case VK_ETOOBIG:
		skip(r, VK_HUNT_KIND_YARA, "YARA timeout (--yara-timeout)");
		return 0;
	case VK_EIO:
		r->st->changed = true;
		skip(r, VK_HUNT_KIND_YARA,
		    "could not be mapped (changed while scanned?)");
		return 0;
	case VK_EINTERNAL:
		skip(r, VK_HUNT_KIND_YARA, "YARA failed on it");
		return 0;
	default:
		return rc;
	}
}

static int
evtx_match(void *arg, const struct vk_match *m)
{
	struct run *r = arg;
	const struct vk_evtx_field *f = r->field;
	struct vk_hunt_hit h;
	size_t cs = 0, ce = f->value_len;

	if (m->off > f->value_len || m->len > f->value_len - m->off)
		return 0;
	if (ce > VK_HUNT_CONTEXT_MAX) {
		cs = m->off > VK_HUNT_CONTEXT_MAX / 2
		    ? m->off - VK_HUNT_CONTEXT_MAX / 2
		    : 0;
		ce = cs + VK_HUNT_CONTEXT_MAX;
		if (ce > f->value_len) {
			ce = f->value_len;
			cs = ce - VK_HUNT_CONTEXT_MAX;
		}
	}
	memset(&h, 0, sizeof(h));
	h.kind = VK_HUNT_KIND_EVTX;
	h.ioc = m->ioc;
	h.matched = f->value + m->off;
	h.matched_len = m->len;
	h.match_off = m->off;
	h.context = f->value + cs;
	h.context_len = ce - cs;
	h.context_off = cs;
	h.field = f->name;
	h.evtx = r->rec;
	return emit(r, &h);
}

static int
evtx_field(
    void *arg, const struct vk_evtx_record *rec, const struct vk_evtx_field *f)
{
	struct run *r = arg;

	r->rec = rec;
	r->field = f;
	return r->scan_line(r->scan_ctx, f->value, f->value_len, evtx_match, r);
}

static int
check_evtx(struct run *r)
{
	struct vk_evtx_stats es;
	int rc;

	rc = vk_evtx_scan(r->f->path, r->fd, 1, evtx_field, r, &es);
	r->st->evtx_records += es.records;
	r->st->evtx_damaged += es.damaged;
	if (rc == VK_EPARSE) {
		skip(r, VK_HUNT_KIND_EVTX, "damaged event log (header)");
		return 0;
	}
	if (rc != 0)
		return rc;
	r->st->covered |= 1u << VK_HUNT_KIND_EVTX;
	if (es.corrupted && es.damaged == 0)
		r->st->evtx_damaged++; /* lost chunks have no record count */
	return 0;
}

static bool
same_file(const struct stat *a, int64_t sec, long nsec, uint64_t size)
{
	return (int64_t)a->st_mtim.tv_sec == sec &&
	    a->st_mtim.tv_nsec == nsec && (uint64_t)a->st_size == size;
}

int
vk_filecheck_run(const struct vk_filecheck *fc, struct vk_filecheck_worker **wp,
    const struct vk_walk_entry *f, vk_hunt_line_fn scan_line,
    const void *scan_ctx, vk_filecheck_hit_fn fn, void *arg,
    struct vk_hunt_file_stats *st)
{
	struct run r;
	struct stat sb, sb2;
	char head[VK_FILECHECK_HEAD];
	ssize_t n;
	int rc, k;

	if ((rc = worker_make(fc, wp)) != 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.fc = fc;
	r.w = *wp;
	r.f = f;
	r.scan_line = scan_line;
	r.scan_ctx = scan_ctx;
	r.fn = fn;
	r.arg = arg;
	r.st = st;
	/* O_NONBLOCK: a file replaced by a FIFO since the walk must not
	 * hang the sweep. */
	r.fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (r.fd < 0) {
		if (errno == ENOENT)
			st->changed = true;
		st->status = VK_HUNT_UNREADABLE;
		st->errnum = errno;
		for (k = 1; k < VK_HUNT_KIND_MAX; k++)
			skip(&r, (enum vk_hunt_kind)k,
			    errno == ENOENT ? "vanished" : "unreadable");
		return 0;
	}
	if (fstat(r.fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		for (k = 1; k < VK_HUNT_KIND_MAX; k++)
			skip(&r, (enum vk_hunt_kind)k,
			    "no longer a regular file");
		st->changed = true;
		rc = 0;
		goto out;
	}
	if (sb.st_dev != f->dev || sb.st_ino != f->ino ||
	    !same_file(&sb, f->mtime_sec, f->mtime_nsec, f->size))
		st->changed = true;
	r.fi.size = (uint64_t)sb.st_size;
	r.fi.mtime_sec = (int64_t)sb.st_mtim.tv_sec;
	r.fi.mtime_nsec = sb.st_mtim.tv_nsec;

	if (fc->names != NULL && (rc = check_names(&r)) != 0)
		goto out;
	if (fc->hashes != NULL && vk_hashidx_count(fc->hashes) > 0 &&
	    (rc = check_hashes(&r)) != 0)
		goto out;
	if (fc->yara != NULL && (rc = check_yara(&r)) != 0)
		goto out;
	if (fc->evtx && scan_line != NULL &&
	    (n = pread(r.fd, head, sizeof(head), 0)) > 0 &&
	    vk_evtx_is_evtx(head, (size_t)n) && (rc = check_evtx(&r)) != 0)
		goto out;
	/* Changed while it was read: its results may not be the whole
	 * truth, say so. */
	if (fstat(r.fd, &sb2) == 0 &&
	    !same_file(&sb2, (int64_t)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec,
		(uint64_t)sb.st_size))
		st->changed = true;
	rc = 0;
out:
	close(r.fd);
	return rc;
}
