/*
 * engine.c — threads, work units and ordered output of `vaksam hunt`.
 *
 * Units are handed out in order (input by input, chunk by chunk) from a
 * ring of WINDOW slots: a worker may take unit i only while
 * i < emitted + WINDOW and while the hits held by finished units waiting
 * for a slower one before them stay under HELD_MAX bytes.  The window is
 * wide (thousands of units) so that while one worker is busy with a large
 * file the others can go through the many small files after it; the byte
 * ceiling, not the unit count, is what bounds memory.  A finished unit's hits are
 * emitted as soon as every unit before it has been emitted.  A unit whose
 * buffered hits pass DIRECT_BYTES waits until it is the oldest unit not
 * yet emitted and then emits its hits as it finds them: the oldest unit
 * is always held by a running worker, so this cannot deadlock, and memory
 * stays bounded however many hits a file has.
 *
 * Scanners: `scanners[]` lists what is run over each input.  A scanner
 * says whether it can work on chunks of a file (the line scanner can; a
 * file hasher or YARA would not) and scans one unit.  Issue 3 adds
 * scanners here.
 */
#include "hunt/engine.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hunt/filecheck.h"
#include "hunt/jsonpath.h"
#include "util/buf.h"
#include "util/err.h"

#define NONE ((size_t)-1)
/* Hits of one line gathered before their fields are computed together. */
#define PENDING_MAX 256
/* Buffered hit memory of one unit before it switches to direct output. */
#define DIRECT_BYTES (8u * 1024 * 1024)
/* Hits held by finished units not yet emitted, all units together. */
#define HELD_MAX (64u * 1024 * 1024)
/* Units in flight at the most (ring slots; each slot is small). */
#define WINDOW_MIN 4096
/* A slot's buffers are given back after emission past these sizes. */
#define SLOT_KEEP_TEXT (1u * 1024 * 1024)
#define SLOT_KEEP_RECS 4096
/* Ceiling on one unit's buffer (text plus records). */
#define UNIT_TEXT_MAX (64u * 1024 * 1024)

struct hitrec {
	uint64_t line; /* relative to the unit's first line (1-based) */
	uint64_t offset;
	uint32_t ioc;
	size_t matched, matched_len; /* in text */
	size_t match_off;
	size_t ctx, ctx_len, ctx_off;
	size_t field; /* in text, or NONE */
};

enum unit_state { SLOT_FREE, SLOT_RUNNING, SLOT_DONE };

struct unit {
	size_t idx; /* sequence number */
	size_t file;
	unsigned scanner;
	unsigned chunk, nchunks;
	uint64_t start, end; /* chunk byte range; end = UINT64_MAX: to EOF */
	enum vk_compress compression; /* AUTO unless known */
	bool last_of_file;
	enum unit_state state;
	bool direct; /* emitting as it goes */

	struct hitrec *recs;
	size_t nrecs, caprecs;
	struct vk_buf text;
	size_t held; /* bytes counted in engine.held while DONE */
	struct vk_hunt_file_stats st;
};

struct engine;

/* Everything one worker reuses from unit to unit. */
struct worker {
	struct engine *e;
	pthread_t tid;
	struct vk_lines lines;
	bool lines_ok;
	struct unit *u; /* the unit being scanned */
	/* Per line: */
	const char *line;
	size_t line_len;
	uint64_t line_no, line_off;
	size_t piece_base;
	/* A run of whole lines (vk_lines_run) and the line in it that the
	 * last hit was on: [at, nl), nl its newline, idx its index. */
	const char *run;
	size_t run_len, run_at, run_nl, run_idx;
	uint64_t run_off, run_lines; /* stream offset; lines before it */
	struct vk_match pending[PENDING_MAX];
	size_t npending;
	size_t offs[PENDING_MAX], at[PENDING_MAX];
	struct vk_buf paths;
	int err;
	struct vk_filecheck_worker *fc; /* file checks (issue 3) */
};

struct scanner {
	const char *name;
	bool splittable; /* may work on line-aligned chunks */
	void (*scan)(struct worker *wk, struct unit *u);
};

static void scan_lines(struct worker *wk, struct unit *u);
static void scan_files(struct worker *wk, struct unit *u);

static const struct scanner scanners[] = {
	{ .name = "lines", .splittable = true, .scan = scan_lines },
	/* Issue 3: names, digests, YARA, event logs; only with o->files. */
	{ .name = "files", .splittable = false, .scan = scan_files },
};
#define SCANNER_FILES 1
/* Scanners in use: the file scanner only with o->files. */
#define NSCANNERS ((unsigned)(e->o->files != NULL ? 2 : 1))

struct engine {
	const struct vk_walk *w;
	const struct vk_hunt_opts *o;
	size_t chunk_size;
	size_t window;
	struct unit *slots;

	pthread_mutex_t mu;
	pthread_cond_t cv; /* a unit finished or was emitted */
	/* Unit generator (under mu). */
	size_t gen_file;
	unsigned gen_scanner, gen_chunk, gen_nchunks;
	enum vk_compress gen_compression;
	size_t next_idx; /* next unit to hand out */
	bool gen_done;
	/* Emission (under mu, or by the direct unit). */
	size_t emitted;
	size_t held; /* hit bytes of DONE units not yet emitted */
	size_t emit_file;
	uint64_t emit_line_base;
	struct vk_hunt_file_stats emit_st;
	bool emit_have_file;
	atomic_int stop; /* on_hit's non-zero return, or VK_ENOMEM; read
			  * without the lock by scanning workers */
	unsigned running;

	atomic_uint_fast64_t done_bytes;
	uint64_t total_bytes;
	struct vk_hunt_totals t;
};

/* ---- the unit generator ---- */

static bool
is_input(const struct vk_walk_entry *e)
{
	return e->kind == VK_WALK_FILE || e->kind == VK_WALK_STREAM;
}

/* The compression of a regular file from its first bytes (AUTO when it
 * cannot be read now: the unit will report the error). */
static enum vk_compress
peek_compression(const char *path)
{
	unsigned char b[8];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return VK_COMPRESS_AUTO;
	n = pread(fd, b, sizeof(b), 0);
	close(fd);
	if (n < 0)
		return VK_COMPRESS_AUTO;
	return vk_compress_detect(b, (size_t)n);
}

/* Fills u with the next unit; false when there is none.  Under mu. */
static bool
next_unit(struct engine *e, struct unit *u)
{
	const struct vk_walk_entry *f;

	for (;;) {
		if (e->gen_file >= e->w->n)
			return false;
		f = &e->w->v[e->gen_file];
		if (!is_input(f) || e->gen_scanner >= NSCANNERS) {
			e->gen_file++;
			e->gen_scanner = 0;
			e->gen_chunk = 0;
			e->gen_nchunks = 0;
			continue;
		}
		break;
	}
	if (e->gen_chunk == 0) {
		/* First unit of this scanner over this input: plan it. */
		e->gen_nchunks = 1;
		e->gen_compression = VK_COMPRESS_AUTO;
		if (f->kind == VK_WALK_FILE &&
		    scanners[e->gen_scanner].splittable &&
		    f->size > e->chunk_size) {
			e->gen_compression = peek_compression(f->path);
			if (e->gen_compression == VK_COMPRESS_NONE) {
				uint64_t n = (f->size + e->chunk_size - 1) /
				    e->chunk_size;

				e->gen_nchunks =
				    n > 1000000 ? 1000000 : (unsigned)n;
			}
		}
	}
	memset(u, 0, sizeof(*u));
	u->file = e->gen_file;
	u->scanner = e->gen_scanner;
	u->chunk = e->gen_chunk;
	u->nchunks = e->gen_nchunks;
	u->compression = e->gen_compression;
	if (u->nchunks > 1) {
		uint64_t per = (f->size + u->nchunks - 1) / u->nchunks;

		u->start = (uint64_t)u->chunk * per;
		u->end =
		    u->chunk + 1 == u->nchunks ? UINT64_MAX : u->start + per;
	} else {
		u->start = 0;
		u->end = UINT64_MAX;
	}
	if (++e->gen_chunk >= e->gen_nchunks) {
		e->gen_chunk = 0;
		/* The file scanner takes regular files only: standard
		 * input and FIFOs are read once, by the line scanner. */
		if (++e->gen_scanner >= NSCANNERS ||
		    (e->gen_scanner == SCANNER_FILES &&
			f->kind != VK_WALK_FILE)) {
			e->gen_scanner = 0;
			e->gen_file++;
		}
	}
	/* The last unit of the input: no further scanner or chunk. */
	u->last_of_file = e->gen_chunk == 0 && e->gen_scanner == 0;
	u->idx = e->next_idx++;
	return true;
}

/* ---- emission ---- */

static void
stats_add(struct vk_hunt_file_stats *a, const struct vk_hunt_file_stats *b)
{
	if (a->status == VK_HUNT_OK && b->status != VK_HUNT_OK) {
		a->status = b->status;
		a->errnum = b->errnum;
		a->why = b->why;
	}
	if (b->compression != VK_COMPRESS_AUTO)
		a->compression = b->compression;
	a->raw_bytes += b->raw_bytes;
	a->bytes += b->bytes;
	a->lines += b->lines;
	a->long_lines += b->long_lines;
	a->hits += b->hits;
	a->chunks++;
	a->covered |= b->covered;
	for (int k = 0; k < VK_HUNT_KIND_MAX; k++)
		if (a->skipped[k] == NULL)
			a->skipped[k] = b->skipped[k];
	a->changed = a->changed || b->changed;
	a->evtx_records += b->evtx_records;
	a->evtx_damaged += b->evtx_damaged;
}

static int
emit_rec(struct engine *e, struct unit *u, const struct hitrec *r)
{
	struct vk_hunt_hit h;

	h.file = u->file;
	h.line = e->emit_line_base + r->line;
	h.offset = r->offset;
	h.ioc = r->ioc;
	h.matched = u->text.data + r->matched;
	h.matched_len = r->matched_len;
	h.match_off = r->match_off;
	h.context = u->text.data + r->ctx;
	h.context_len = r->ctx_len;
	h.context_off = r->ctx_off;
	h.field = r->field == NONE ? NULL : u->text.data + r->field;
	h.scanner = scanners[u->scanner].name;
	h.kind = VK_HUNT_KIND_LINE;
	h.fi = NULL;
	h.hash_alg = NULL;
	h.yara = NULL;
	h.evtx = NULL;
	e->t.hits++;
	return e->o->on_hit ? e->o->on_hit(e->o->arg, &h) : 0;
}

/* Starts emitting unit u (the oldest not yet emitted). */
static void
emit_begin(struct engine *e, struct unit *u)
{
	if (!e->emit_have_file || e->emit_file != u->file) {
		e->emit_file = u->file;
		e->emit_line_base = 0;
		memset(&e->emit_st, 0, sizeof(e->emit_st));
		e->emit_st.compression = VK_COMPRESS_AUTO;
		e->emit_have_file = true;
	}
}

static int
emit_buffered(struct engine *e, struct unit *u)
{
	size_t i;
	int r;

	for (i = 0; i < u->nrecs; i++)
		if (e->stop == 0 && (r = emit_rec(e, u, &u->recs[i])) != 0)
			e->stop = r;
	u->nrecs = 0;
	vk_buf_reset(&u->text);
	return e->stop;
}

/* Finishes emitting unit u: stats, line base, the input's summary. */
static void
emit_end(struct engine *e, struct unit *u)
{
	stats_add(&e->emit_st, &u->st);
	e->emit_line_base += u->st.lines;
	if (u->last_of_file) {
		if (e->emit_st.compression == VK_COMPRESS_AUTO)
			e->emit_st.compression = VK_COMPRESS_NONE;
		e->t.files++;
		e->t.raw_bytes += e->emit_st.raw_bytes;
		e->t.bytes += e->emit_st.bytes;
		e->t.lines += e->emit_st.lines;
		e->t.long_lines += e->emit_st.long_lines;
		e->t.unreadable += e->emit_st.status == VK_HUNT_UNREADABLE;
		e->t.damaged += e->emit_st.status == VK_HUNT_DAMAGED;
		for (int k = 0; k < VK_HUNT_KIND_MAX; k++) {
			e->t.covered[k] += (e->emit_st.covered >> k) & 1u;
			e->t.skipped[k] += e->emit_st.skipped[k] != NULL;
		}
		e->t.changed += e->emit_st.changed;
		e->t.evtx_records += e->emit_st.evtx_records;
		e->t.evtx_damaged += e->emit_st.evtx_damaged;
		if (e->o->on_file)
			e->o->on_file(e->o->arg, u->file, &e->emit_st);
		e->emit_have_file = false;
	}
}

/* Emits every finished unit at the head of the ring.  Under mu. */
static void
emit_ready(struct engine *e)
{
	struct unit *u;

	for (;;) {
		u = &e->slots[e->emitted % e->window];
		if (u->state != SLOT_DONE || u->idx != e->emitted)
			break;
		if (!u->direct) {
			emit_begin(e, u);
			emit_buffered(e, u);
		}
		emit_end(e, u);
		e->held -= u->held;
		u->held = 0;
		/* One unit with many hits must not leave its large buffers
		 * in the ring for good. */
		if (u->text.cap > SLOT_KEEP_TEXT)
			vk_buf_release(&u->text);
		if (u->caprecs > SLOT_KEEP_RECS) {
			free(u->recs);
			u->recs = NULL;
			u->caprecs = 0;
		}
		u->state = SLOT_FREE;
		e->emitted++;
	}
	pthread_cond_broadcast(&e->cv);
}

/* ---- hits ---- */

static size_t
utf8_back(const char *p, size_t i, size_t lo)
{
	/* Do not start a window on a UTF-8 continuation byte. */
	size_t k;

	for (k = 0; k < 3 && i > lo && ((unsigned char)p[i] & 0xc0) == 0x80;
	     k++)
		i--;
	return i;
}

static int
unit_push(struct worker *wk, const struct vk_match *m, size_t field_at)
{
	struct unit *u = wk->u;
	struct hitrec *r;
	size_t cs, ce, need;
	int rc;

	if (u->nrecs == u->caprecs) {
		size_t cap = u->caprecs ? u->caprecs * 2 : 64;

		if ((r = realloc(u->recs, cap * sizeof(*r))) == NULL)
			return VK_ENOMEM;
		u->recs = r;
		u->caprecs = cap;
	}
	/* The context: the whole line, or a window around the match. */
	if (wk->line_len <= VK_HUNT_CONTEXT_MAX) {
		cs = 0;
		ce = wk->line_len;
	} else {
		need = m->len < VK_HUNT_CONTEXT_MAX
		    ? VK_HUNT_CONTEXT_MAX - m->len
		    : 0;
		cs = m->off > need / 2 ? m->off - need / 2 : 0;
		cs = utf8_back(wk->line, cs, 0);
		ce = cs + VK_HUNT_CONTEXT_MAX;
		if (ce > wk->line_len) {
			ce = wk->line_len;
			cs = ce - VK_HUNT_CONTEXT_MAX;
		}
	}
	r = &u->recs[u->nrecs];
	r->line = wk->line_no;
	r->offset = wk->line_off;
	r->ioc = m->ioc;
	r->match_off = wk->piece_base + m->off;
	r->matched = u->text.len;
	r->matched_len = m->len;
	if ((rc = vk_buf_append(&u->text, wk->line + m->off, m->len)) != 0)
		return rc;
	r->ctx = u->text.len;
	r->ctx_len = ce - cs;
	r->ctx_off = wk->piece_base + cs;
	if ((rc = vk_buf_append(&u->text, wk->line + cs, ce - cs)) != 0)
		return rc;
	r->field = NONE;
	if (field_at != NONE) {
		r->field = u->text.len;
		if ((rc = vk_buf_appends(
			 &u->text, wk->paths.data + field_at)) != 0 ||
		    (rc = vk_buf_appendc(&u->text, '\0')) != 0)
			return rc;
	}
	u->nrecs++;
	u->st.hits++;
	return 0;
}

/* Goes to direct output: waits to be the oldest unit, then emits. */
static int
unit_go_direct(struct worker *wk)
{
	struct engine *e = wk->e;
	struct unit *u = wk->u;
	int r;

	pthread_mutex_lock(&e->mu);
	while (e->emitted != u->idx && e->stop == 0)
		pthread_cond_wait(&e->cv, &e->mu);
	if (e->stop == 0) {
		emit_begin(e, u);
		u->direct = true;
		emit_buffered(e, u);
	}
	r = e->stop;
	pthread_mutex_unlock(&e->mu);
	return r;
}

/* Emits what a direct unit has found so far. */
static int
unit_emit_direct(struct engine *e, struct unit *u)
{
	int r;

	pthread_mutex_lock(&e->mu);
	r = emit_buffered(e, u);
	pthread_mutex_unlock(&e->mu);
	return r;
}

/* Computes fields for the pending hits of the current line and keeps
 * them. */
static int
flush_pending(struct worker *wk)
{
	struct unit *u = wk->u;
	size_t i, n = wk->npending;
	bool json;
	int r = 0;

	if (n == 0)
		return 0;
	wk->npending = 0;
	json = wk->piece_base == 0 &&
	    vk_jsonpath_candidate(wk->line, wk->line_len);
	for (i = 0; i < n; i++) {
		wk->offs[i] = wk->pending[i].off;
		wk->at[i] = NONE;
	}
	vk_buf_reset(&wk->paths);
	if (json) {
		/* Offsets must ascend; the matcher reports by position. */
		for (i = 1; i < n && wk->offs[i - 1] <= wk->offs[i]; i++)
			;
		if (i == n)
			(void)vk_jsonpath_find_many(wk->line, wk->line_len,
			    wk->offs, n, &wk->paths, wk->at);
	}
	for (i = 0; i < n && r == 0; i++)
		r = unit_push(wk, &wk->pending[i], wk->at[i]);
	if (r != 0)
		return r;
	if (u->direct)
		return unit_emit_direct(wk->e, u);
	if (u->text.len + u->nrecs * sizeof(struct hitrec) > DIRECT_BYTES)
		return unit_go_direct(wk);
	return 0;
}

static int
on_match(void *arg, const struct vk_match *m)
{
	struct worker *wk = arg;

	if (m->off > wk->line_len || m->len > wk->line_len - m->off)
		return 0; /* defensive: never copy outside the line */
	wk->pending[wk->npending++] = *m;
	if (wk->npending == PENDING_MAX)
		return flush_pending(wk);
	return 0;
}

/* A hit in a run: finds its line (counting newlines since the last
 * hit's), flushing the hits of the line before. */
static int
on_run_match(void *arg, const struct vk_match *m)
{
	struct worker *wk = arg;
	const char *p = wk->run, *nl;
	size_t at, end;
	struct vk_match h;
	int r;

	if (m->off >= wk->run_len || m->len > wk->run_len - m->off)
		return 0; /* defensive: never copy outside the run */
	if (m->off < wk->run_at)
		return 0; /* hits come in order of offset */
	if (m->off >= wk->run_nl) {
		if (wk->npending > 0 && (r = flush_pending(wk)) != 0)
			return r;
		/* The line holding m->off: after the last newline before it
		 * (hits come in order: none before the last one's line). */
		at = wk->run_nl < wk->run_len ? wk->run_nl : wk->run_at;
		wk->run_idx += vk_count_byte(p + at, m->off - at, '\n');
		nl = memrchr(p + at, '\n', m->off - at);
		wk->run_at = nl != NULL ? (size_t)(nl - p) + 1 : at;
		nl = memchr(p + m->off, '\n', wk->run_len - m->off);
		wk->run_nl = nl != NULL ? (size_t)(nl - p) : wk->run_len;
		end = wk->run_nl;
		if (end > wk->run_at && p[end - 1] == '\r')
			end--;
		wk->line = p + wk->run_at;
		wk->line_len = end - wk->run_at;
		wk->line_no = wk->run_lines + wk->run_idx + 1;
		wk->line_off = wk->run_off + wk->run_at;
		wk->piece_base = 0;
	}
	h = *m;
	h.off -= wk->run_at;
	return on_match(wk, &h);
}

/* Scans a run of whole lines (each ending in '\n'). */
static int
scan_run(struct worker *wk, struct unit *u, const struct vk_line *run)
{
	const struct vk_hunt_opts *o = wk->e->o;
	int r = 0;

	if (o->scan_lines != NULL) {
		wk->run = run->p;
		wk->run_len = run->len;
		wk->run_off = run->off;
		wk->run_lines = u->st.lines;
		wk->run_at = 0;
		wk->run_nl = 0; /* no line yet */
		wk->run_idx = 0;
		wk->npending = 0;
		r = o->scan_lines(
		    o->scan_ctx, run->p, run->len, on_run_match, wk);
		if (r == 0 && wk->npending > 0)
			r = flush_pending(wk);
	}
	u->st.lines += vk_count_byte(run->p, run->len, '\n');
	return r;
}

/* ---- the line scanner ---- */

/* Counts the bytes read since the last call as done (the progress line);
 * true when the sweep is to stop. */
static bool
progress(struct engine *e, const struct vk_input *in, uint64_t *reported)
{
	uint64_t raw = vk_input_raw_bytes(in);

	atomic_fetch_add(&e->done_bytes, raw - *reported);
	*reported = raw;
	return e->stop != 0;
}

static void
set_unreadable(struct unit *u, int errnum)
{
	u->st.status = VK_HUNT_UNREADABLE;
	u->st.errnum = errnum;
}

static void
scan_lines(struct worker *wk, struct unit *u)
{
	struct engine *e = wk->e;
	const struct vk_walk_entry *f = &e->w->v[u->file];
	struct vk_input *in = NULL;
	struct vk_line line;
	uint64_t first_off = 0, reported = 0, raw, last_off = 0;
	/* Runs of lines when the hook takes them, or when lines are only
	 * counted. */
	bool runs = e->o->scan_lines != NULL || e->o->scan_line == NULL;
	bool chunked = u->nchunks > 1,
	     stdin_ = strcmp(f->path, "-") == 0 && f->kind == VK_WALK_STREAM;
	off_t pos;
	size_t n = 0;
	int fd = -1, r;

	if (stdin_)
		fd = STDIN_FILENO;
	else if ((fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		set_unreadable(u, errno);
		return;
	}
	/* Issue 3: binary files and event logs are not logs of lines (the
	 * file scanner hashes and parses them); every chunk decides the
	 * same from the file's head. */
	if (e->o->files != NULL && f->kind == VK_WALK_FILE &&
	    (u->st.skipped[VK_HUNT_KIND_LINE] = vk_filecheck_lines_skip(fd)) !=
		NULL) {
		u->st.compression = VK_COMPRESS_NONE;
		/* The progress line counts these bytes as done. */
		raw = u->end < f->size ? u->end : f->size;
		atomic_fetch_add(
		    &e->done_bytes, raw > u->start ? raw - u->start : 0);
		goto out;
	}
	u->st.covered |= 1u << VK_HUNT_KIND_LINE;
	if (f->kind == VK_WALK_FILE && u->chunk == 0)
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	/* A chunk after the first starts one byte early: if that byte is a
	 * newline, the chunk's first line starts exactly at `start`. */
	pos = f->kind != VK_WALK_FILE
	    ? -1
	    : (off_t)(u->start > 0 ? u->start - 1 : 0);
	if ((r = vk_input_open_fd(fd, pos,
		 chunked ? VK_COMPRESS_NONE : VK_COMPRESS_AUTO, &in)) != 0) {
		wk->err = r;
		goto out;
	}
	vk_lines_reset(&wk->lines, in, pos < 0 ? 0 : (uint64_t)pos);
	if (u->start > 0) {
		r = vk_lines_skip_partial(&wk->lines, u->end);
		if (r <= 0)
			goto done;
	}
	first_off = vk_lines_tell(&wk->lines);
	last_off = first_off;
	for (;;) {
		/* Whole lines in the buffer at once, then one line the long
		 * way when the next is not whole in it (or is over the
		 * ceiling, or at the end). */
		if (runs &&
		    (r = vk_lines_run(&wk->lines, u->end, &line)) == 1) {
			if ((r = scan_run(wk, u, &line)) != 0) {
				wk->err = r;
				break;
			}
			last_off = vk_lines_tell(&wk->lines);
			if (progress(e, in, &reported))
				break;
			continue;
		}
		if (runs && r != 0)
			break;
		if ((r = vk_lines_next(&wk->lines, &line)) != 1)
			break;
		if (!line.piece) {
			if (line.off >= u->end)
				break;
			u->st.lines++;
			wk->piece_base = 0;
		}
		wk->line = line.p;
		wk->line_len = line.len;
		wk->line_no = u->st.lines;
		wk->line_off = line.off;
		wk->npending = 0;
		if (e->o->scan_line != NULL) {
			r = e->o->scan_line(
			    e->o->scan_ctx, line.p, line.len, on_match, wk);
			if (r == 0)
				r = flush_pending(wk);
			if (r != 0) {
				wk->err = r;
				break;
			}
		}
		wk->piece_base += line.len;
		last_off = vk_lines_tell(&wk->lines);
		if (++n % 1024 == 0 && progress(e, in, &reported))
			break;
	}
done:
	if (r < 0 && wk->err == 0) {
		if (r == VK_EPARSE) {
			u->st.status = VK_HUNT_DAMAGED;
			u->st.why = vk_input_error(in);
		} else if (r == VK_EIO)
			set_unreadable(u, vk_input_errno(in));
		else
			wk->err = r;
	}
	u->st.long_lines = wk->lines.long_lines;
	u->st.compression = vk_input_compression(in);
	raw = vk_input_raw_bytes(in);
	atomic_fetch_add(&e->done_bytes, raw > reported ? raw - reported : 0);
	if (chunked) {
		u->st.bytes = last_off > first_off ? last_off - first_off : 0;
		u->st.raw_bytes = u->st.bytes;
	} else {
		u->st.bytes = last_off;
		u->st.raw_bytes = raw;
	}
out:
	vk_input_free(in);
	if (fd >= 0 && !stdin_)
		close(fd);
}

/* ---- the file scanner (issue 3) ---- */

/* A file hit: emitted at once, in order (the unit waits until it is the
 * oldest not yet emitted; file hits are rare, so waiting is too). */
static int
file_hit(void *arg, struct vk_hunt_hit *h)
{
	struct worker *wk = arg;
	struct engine *e = wk->e;
	struct unit *u = wk->u;
	int r;

	if (!u->direct && (r = unit_go_direct(wk)) != 0)
		return r;
	h->file = u->file;
	h->scanner = scanners[u->scanner].name;
	pthread_mutex_lock(&e->mu);
	u->st.hits++;
	if (e->stop == 0) {
		e->t.hits++;
		if (e->o->on_hit && (r = e->o->on_hit(e->o->arg, h)) != 0)
			e->stop = r;
	}
	r = e->stop;
	pthread_mutex_unlock(&e->mu);
	return r;
}

static void
scan_files(struct worker *wk, struct unit *u)
{
	struct engine *e = wk->e;
	int r;

	u->st.compression = VK_COMPRESS_AUTO;
	r = vk_filecheck_run(e->o->files, &wk->fc, &e->w->v[u->file],
	    e->o->scan_line, e->o->scan_ctx, file_hit, wk, &u->st);
	if (r != 0)
		wk->err = r;
}

/* ---- workers ---- */

static void *
worker_main(void *arg)
{
	struct worker *wk = arg;
	struct engine *e = wk->e;
	struct unit *slot, next;

	pthread_mutex_lock(&e->mu);
	for (;;) {
		/* When held > 0 the oldest unit is running (a finished
		 * oldest unit is emitted at once), so this wait ends. */
		while (e->stop == 0 && !e->gen_done &&
		    (e->next_idx >= e->emitted + e->window ||
			e->held > HELD_MAX))
			pthread_cond_wait(&e->cv, &e->mu);
		if (e->stop != 0 || e->gen_done)
			break;
		if (!next_unit(e, &next)) {
			e->gen_done = true;
			pthread_cond_broadcast(&e->cv);
			break;
		}
		slot = &e->slots[next.idx % e->window];
		if (slot->text.max == 0)
			vk_buf_init(&slot->text, UNIT_TEXT_MAX);
		next.text = slot->text;
		next.recs = slot->recs;
		next.caprecs = slot->caprecs;
		*slot = next;
		slot->nrecs = 0;
		vk_buf_reset(&slot->text);
		slot->state = SLOT_RUNNING;
		pthread_mutex_unlock(&e->mu);

		wk->u = slot;
		wk->err = 0;
		scanners[slot->scanner].scan(wk, slot);

		pthread_mutex_lock(&e->mu);
		if (wk->err != 0 && e->stop == 0)
			e->stop = wk->err;
		slot->state = SLOT_DONE;
		slot->held = slot->text.len + slot->nrecs * sizeof(*slot->recs);
		e->held += slot->held;
		emit_ready(e);
	}
	e->running--;
	pthread_cond_broadcast(&e->cv);
	pthread_mutex_unlock(&e->mu);
	return NULL;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
chunk_size_from(const struct vk_hunt_opts *o)
{
	const char *s;
	char *end;
	unsigned long long v;

	if (o->chunk_size)
		return o->chunk_size;
	/* For tests: small chunks without a public option. */
	if ((s = getenv("VAKSAM_CHUNK_SIZE")) != NULL && *s) {
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 1)
			return (size_t)v;
	}
	return VK_HUNT_CHUNK;
}

int
vk_hunt_run(const struct vk_walk *w, const struct vk_hunt_opts *o,
    struct vk_hunt_totals *totals)
{
	struct engine e;
	struct worker *wks = NULL;
	unsigned jobs, started = 0, i;
	double t0 = now();
	long ncpu;
	int r = 0;

	memset(&e, 0, sizeof(e));
	e.w = w;
	e.o = o;
	e.chunk_size = chunk_size_from(o);
	jobs = o->jobs;
	if (jobs == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = ncpu > 0 ? (unsigned)ncpu : 1;
	}
	if (jobs > 256)
		jobs = 256;
	e.window = 4 * (size_t)jobs + 4;
	if (e.window < WINDOW_MIN)
		e.window = WINDOW_MIN;
	atomic_init(&e.done_bytes, 0);
	atomic_init(&e.stop, 0);
	for (i = 0; i < w->n; i++)
		if (w->v[i].kind == VK_WALK_FILE)
			e.total_bytes += w->v[i].size;
	/* Anonymous pages: zeroed, and resident only once a slot is used. */
	e.slots = mmap(NULL, e.window * sizeof(*e.slots),
	    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (e.slots == MAP_FAILED)
		e.slots = NULL;
	if (e.slots == NULL || (wks = calloc(jobs, sizeof(*wks))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	/* Slots are set up when first taken (worker_main): calloc's pages
	 * of a wide ring that a short run never reaches stay untouched. */
	pthread_mutex_init(&e.mu, NULL);
	pthread_cond_init(&e.cv, NULL);
	for (i = 0; i < jobs; i++) {
		wks[i].e = &e;
		vk_buf_init(&wks[i].paths, PENDING_MAX * (VK_JSONPATH_MAX + 1));
		if (vk_lines_init(&wks[i].lines, NULL, 0, o->max_line) != 0) {
			r = VK_ENOMEM;
			break;
		}
		wks[i].lines_ok = true;
	}
	pthread_mutex_lock(&e.mu);
	for (i = 0; r == 0 && i < jobs; i++) {
		e.running++;
		if (pthread_create(&wks[i].tid, NULL, worker_main, &wks[i]) !=
		    0) {
			e.running--;
			if (i == 0)
				r = VK_EINTERNAL;
			break;
		}
		started++;
	}
	/* The calling thread reports progress until the workers are done. */
	while (e.running > 0) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&e.cv, &e.mu, &ts);
		if (o->on_progress && e.running > 0) {
			/* Not under the lock: a slow terminal must not hold
			 * up the workers. */
			pthread_mutex_unlock(&e.mu);
			o->on_progress(o->progress_arg,
			    atomic_load(&e.done_bytes), e.total_bytes,
			    now() - t0, false);
			pthread_mutex_lock(&e.mu);
		}
	}
	pthread_mutex_unlock(&e.mu);
	for (i = 0; i < started; i++)
		pthread_join(wks[i].tid, NULL);
	if (o->on_progress)
		o->on_progress(o->progress_arg, atomic_load(&e.done_bytes),
		    e.total_bytes, now() - t0, true);
	if (r == 0)
		r = e.stop;
	pthread_cond_destroy(&e.cv);
	pthread_mutex_destroy(&e.mu);
out:
	e.t.seconds = now() - t0;
	e.t.jobs = jobs;
	if (totals)
		*totals = e.t;
	if (wks != NULL)
		for (i = 0; i < jobs; i++) {
			if (wks[i].lines_ok)
				vk_lines_release(&wks[i].lines);
			vk_buf_release(&wks[i].paths);
			vk_filecheck_worker_free(wks[i].fc);
		}
	free(wks);
	if (e.slots != NULL)
		for (i = 0; i < e.window; i++) {
			if (e.slots[i].text.max == 0)
				continue; /* never used: nothing to free */
			vk_buf_release(&e.slots[i].text);
			free(e.slots[i].recs);
		}
	if (e.slots != NULL)
		munmap(e.slots, e.window * sizeof(*e.slots));
	return r;
}
