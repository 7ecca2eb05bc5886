/*
 * import.c — reading indicator files: format detection, dispatch to the
 * per-format loaders, reading files / stdin / MISP feed directories with a
 * size ceiling, and atomic loading (a failed file leaves the set as it
 * was, through vk_ioc_set_mark / vk_ioc_set_rollback).
 */
#include "ioc/import.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ioc/import_int.h"
#include "ioc/normalize.h"
#include "util/buf.h"
#include "util/err.h"

#define DEFAULT_MAX_BYTES ((size_t)512 * 1024 * 1024)
/* manifest.json of a feed: event uuids are short; anything else is not a
 * MISP feed and must not become a path. */
#define FEED_UUID_MAX 64

struct vk_import_prov_slot {
	uint64_t hash;
	uint32_t id;
	char *key; /* NULL: empty slot */
};

const char *
vk_ioc_format_name(enum vk_ioc_format f)
{
	static const char *const names[VK_IOC_FMT_MAX] = {
		[VK_IOC_FMT_AUTO] = "auto",
		[VK_IOC_FMT_STIX] = "stix",
		[VK_IOC_FMT_MISP] = "misp",
		[VK_IOC_FMT_CSV] = "csv",
		[VK_IOC_FMT_LOKI] = "loki",
		[VK_IOC_FMT_TEXT] = "text",
	};

	if ((unsigned)f >= VK_IOC_FMT_MAX)
		return "unknown";
	return names[f];
}

void
vk_import_where(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	/* A location cut short still points the reader at the place. */
	if (n < 0 && cap > 0)
		buf[0] = '\0';
}

int
vk_import_add_name(struct vk_buf *names, const char *name, size_t n)
{
	const char *p = vk_buf_str(names), *end = p + names->len;
	int rc;

	if (n == 0)
		return 0;
	while (p < end) {
		const char *sep = strstr(p, ", ");
		size_t len = sep ? (size_t)(sep - p) : (size_t)(end - p);

		if (len == n && memcmp(p, name, n) == 0)
			return 0;
		if (sep == NULL)
			break;
		p = sep + 2;
	}
	if (names->len > 0 && (rc = vk_buf_appends(names, ", ")) != 0)
		return rc == VK_ETOOBIG ? 0 : rc;
	rc = vk_buf_append(names, name, n);
	return rc == VK_ETOOBIG ? 0 : rc;
}

static const char *const tlp_words[] = { "clear", "green", "amber",
	"amber+strict", "red" };

const char *
vk_import_tlp_word(const char *s, size_t n)
{
	size_t i;

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 4 && strncasecmp(s, "tlp:", 4) == 0) {
		s += 4;
		n -= 4;
	}
	if (n == 5 && strncasecmp(s, "white", 5) == 0)
		return "clear";
	for (i = 0; i < sizeof(tlp_words) / sizeof(tlp_words[0]); i++)
		if (strlen(tlp_words[i]) == n &&
		    strncasecmp(s, tlp_words[i], n) == 0)
			return tlp_words[i];
	return NULL;
}

int
vk_import_tlp_rank(const char *t)
{
	size_t i;

	for (i = 0; t && i < sizeof(tlp_words) / sizeof(tlp_words[0]); i++)
		if (strcmp(t, tlp_words[i]) == 0)
			return (int)i;
	return -1;
}

/* A printable excerpt of a value for messages: at most 60 bytes, control
 * characters and bytes >= 0x7f shown as '?'. */
static void
excerpt(const char *v, size_t len, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 4 < cap && i < 60; i++) {
		unsigned char c = (unsigned char)v[i];

		out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (i < len && o + 4 < cap) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

int
vk_import_add(struct vk_import *im, enum vk_ioc_type type, const char *value,
    size_t len, uint32_t prov, const struct vk_ioc_extra *extra)
{
	struct vk_diag tmp;
	size_t before = vk_ioc_set_count(im->set);
	char wb[VK_IOC_WHERE_MAX];
	const char *where;
	int rc;

	vk_diag_init(&tmp);
	rc = vk_ioc_set_add(im->set, type, value, len, prov, extra, &tmp);
	if (rc == 0) {
		size_t after = vk_ioc_set_count(im->set);

		if (after > before) {
			const struct vk_ioc *ioc =
			    vk_ioc_set_get(im->set, after - 1);

			im->st->added++;
			if ((unsigned)ioc->type < VK_IOC_TYPE_MAX)
				im->st->by_type[ioc->type]++;
		} else {
			im->st->duplicates++;
		}
	} else if (rc == VK_EINVAL || rc == VK_ETOOBIG) {
		char ex[80], msg[400];

		where = vk_ioc_extra_where(extra, wb, sizeof(wb));
		if (tmp.n > 0) {
			if (tmp.v[0].where != NULL)
				where = tmp.v[0].where;
			vk_import_where(msg, sizeof(msg), "%s", tmp.v[0].msg);
		} else {
			excerpt(value, len, ex, sizeof(ex));
			vk_import_where(msg, sizeof(msg),
			    "'%s' is not a valid %s indicator", ex,
			    type < VK_IOC_TYPE_MAX ? vk_ioc_type_name(type)
						   : "known");
		}
		rc = vk_import_bad(im, rc, where, "%s", msg);
	}
	vk_diag_release(&tmp);
	return rc;
}

int
vk_import_bad(
    struct vk_import *im, int err, const char *where, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	if (im->keep_going) {
		im->st->skipped++;
		vk_diag_warn(im->d, where, "%s (skipped)", msg);
		return 0;
	}
	vk_diag_error(im->d, where,
	    "%s; fix the entry, or use --keep-going to skip bad entries", msg);
	return err;
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static int
prov_key(const struct vk_ioc_prov *p, struct vk_buf *k)
{
	const char *f[6] = { p->source, p->report, p->campaign, p->tlp,
		p->first_seen, p->last_seen };
	size_t i;
	int rc;

	for (i = 0; i < 6; i++) {
		/* \x01 marks NULL so that NULL and "" stay different. */
		if ((rc = vk_buf_appends(k, f[i] ? f[i] : "\x01")) != 0 ||
		    (rc = vk_buf_appendc(k, '\x1f')) != 0)
			return rc;
	}
	return 0;
}

static int
prov_grow(struct vk_import *im)
{
	size_t cap = im->provcap ? im->provcap * 2 : 64, i;
	struct vk_import_prov_slot *t = calloc(cap, sizeof(*t));

	if (t == NULL)
		return VK_ENOMEM;
	for (i = 0; i < im->provcap; i++) {
		size_t j;

		if (im->prov[i].key == NULL)
			continue;
		j = im->prov[i].hash & (cap - 1);
		while (t[j].key != NULL)
			j = (j + 1) & (cap - 1);
		t[j] = im->prov[i];
	}
	free(im->prov);
	im->prov = t;
	im->provcap = cap;
	return 0;
}

int
vk_import_prov(struct vk_import *im, const struct vk_ioc_prov *p, uint32_t *id)
{
	struct vk_buf k;
	uint64_t h;
	size_t j;
	int rc;

	vk_buf_init(&k, 1024 * 1024);
	if ((rc = prov_key(p, &k)) != 0)
		goto out;
	h = fnv1a(vk_buf_str(&k));
	if ((im->nprov + 1) * 2 > im->provcap && (rc = prov_grow(im)) != 0)
		goto out;
	j = h & (im->provcap - 1);
	while (im->prov[j].key != NULL) {
		if (im->prov[j].hash == h &&
		    strcmp(im->prov[j].key, vk_buf_str(&k)) == 0) {
			*id = im->prov[j].id;
			goto out;
		}
		j = (j + 1) & (im->provcap - 1);
	}
	if ((rc = vk_ioc_set_add_prov(im->set, p, id)) != 0)
		goto out;
	im->prov[j].hash = h;
	im->prov[j].id = *id;
	im->prov[j].key = vk_buf_detach(&k, NULL);
	im->nprov++;
out:
	vk_buf_release(&k);
	return rc;
}

static void
import_release(struct vk_import *im)
{
	size_t i;

	for (i = 0; i < im->provcap; i++)
		free(im->prov[i].key);
	free(im->prov);
	im->prov = NULL;
	im->nprov = im->provcap = 0;
}

bool
vk_import_next_line(const char *data, size_t len, size_t *pos,
    const char **line, size_t *linelen)
{
	const char *nl;
	size_t n;

	if (*pos >= len)
		return false;
	*line = data + *pos;
	nl = memchr(*line, '\n', len - *pos);
	n = nl ? (size_t)(nl - *line) : len - *pos;
	*pos += n + (nl ? 1 : 0);
	if (n > 0 && (*line)[n - 1] == '\r')
		n--;
	*linelen = n;
	return true;
}

static bool
blank_or_comment(const char *l, size_t n)
{
	size_t i = 0;

	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	return i == n || l[i] == '#';
}

/* Loki lines are "value;comment" or "regex;score[;fp-regex]". */
static bool
looks_loki(const char *l, size_t n)
{
	const char *semi = memchr(l, ';', n);
	char buf[1024];
	enum vk_ioc_type t;
	size_t i;
	int len;

	if (semi == NULL || semi == l)
		return false;
	i = (size_t)(semi - l) + 1;
	if (i < n && l[i] >= '0' && l[i] <= '9') {
		while (i < n && l[i] >= '0' && l[i] <= '9')
			i++;
		if (i == n || l[i] == ';')
			return true;
	}
	len = vk_refang(l, (size_t)(semi - l), buf, sizeof(buf));
	return len > 0 && vk_ioc_detect_type(buf, (size_t)len, &t) == 0;
}

static enum vk_ioc_format
detect_text(const char *data, size_t len)
{
	size_t pos = 0, n;
	const char *l;

	while (vk_import_next_line(data, len, &pos, &l, &n)) {
		if (blank_or_comment(l, n))
			continue;
		if (vk_csv_is_header(l, n))
			return VK_IOC_FMT_CSV;
		if (looks_loki(l, n))
			return VK_IOC_FMT_LOKI;
		return VK_IOC_FMT_TEXT;
	}
	return VK_IOC_FMT_TEXT;
}

static bool
has_member(json_t *o, const char *k)
{
	return json_object_get(o, k) != NULL;
}

static bool
misp_event_like(json_t *o)
{
	return json_is_object(o) &&
	    (has_member(o, "Event") ||
		((has_member(o, "Attribute") || has_member(o, "Object")) &&
		    (has_member(o, "info") || has_member(o, "uuid"))));
}

static enum vk_ioc_format
detect_json(json_t *root)
{
	json_t *t;

	if (json_is_object(root)) {
		t = json_object_get(root, "type");
		if (json_is_string(t) &&
		    strcmp(json_string_value(t), "bundle") == 0)
			return VK_IOC_FMT_STIX;
		if (misp_event_like(root) ||
		    json_object_get(root, "response") != NULL)
			return VK_IOC_FMT_MISP;
		/* A lone STIX object ("type" and an "x--uuid" id). */
		if (json_is_string(t) &&
		    json_is_string(json_object_get(root, "id")) &&
		    strstr(json_string_value(json_object_get(root, "id")),
			"--") != NULL)
			return VK_IOC_FMT_STIX;
		return VK_IOC_FMT_AUTO;
	}
	if (json_is_array(root)) {
		if (json_array_size(root) == 0 ||
		    misp_event_like(json_array_get(root, 0)))
			return VK_IOC_FMT_MISP;
	}
	return VK_IOC_FMT_AUTO;
}

static int
parse_json(struct vk_import *im, const char *data, size_t len, json_t **root)
{
	json_error_t jerr;
	char where[VK_WHERE_MAX];

	*root = json_loadb(data, len, 0, &jerr);
	if (*root != NULL)
		return 0;
	vk_import_where(
	    where, sizeof(where), "%s:%d:%d", im->name, jerr.line, jerr.column);
	vk_diag_error(im->d, where, "JSON syntax error: %s", jerr.text);
	return VK_EPARSE;
}

static void
reset_counts(struct vk_ioc_load_stats *st)
{
	enum vk_ioc_format f = st->format;

	memset(st, 0, sizeof(*st));
	st->format = f;
}

static int
load_data(
    struct vk_import *im, const char *data, size_t len, enum vk_ioc_format fmt)
{
	json_t *root = NULL;
	size_t i = 0;
	int rc;

	/* A UTF-8 byte order mark says nothing about the content. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	while (i < len &&
	    (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
		data[i] == '\n'))
		i++;
	if (fmt == VK_IOC_FMT_STIX || fmt == VK_IOC_FMT_MISP ||
	    (fmt == VK_IOC_FMT_AUTO && i < len &&
		(data[i] == '{' || data[i] == '['))) {
		if ((rc = parse_json(im, data, len, &root)) != 0)
			return rc;
		if (fmt == VK_IOC_FMT_AUTO)
			fmt = detect_json(root);
		im->st->format = fmt;
		if (fmt == VK_IOC_FMT_STIX)
			rc = vk_stix_load(im, root);
		else if (fmt == VK_IOC_FMT_MISP)
			rc = vk_misp_load(im, root);
		else {
			vk_diag_error(im->d, im->name,
			    "JSON, but neither a STIX 2.1 bundle (\"type\": "
			    "\"bundle\") nor a MISP event (\"Event\", "
			    "\"response\" or a list of events)");
			rc = VK_EPARSE;
		}
		json_decref(root);
		return rc;
	}
	if (fmt == VK_IOC_FMT_AUTO)
		fmt = detect_text(data, len);
	im->st->format = fmt;
	switch (fmt) {
	case VK_IOC_FMT_CSV:
		return vk_csv_load(im, data, len);
	case VK_IOC_FMT_LOKI:
		return vk_loki_load(im, data, len);
	default:
		return vk_text_load(im, data, len);
	}
}

static void
import_init(struct vk_import *im, struct vk_ioc_set *set, const char *name,
    const struct vk_ioc_load_opts *opts, struct vk_ioc_load_stats *st,
    struct vk_diag *d)
{
	memset(im, 0, sizeof(*im));
	memset(st, 0, sizeof(*st));
	im->set = set;
	im->name = name;
	im->source = name;
	im->keep_going = opts ? opts->keep_going : false;
	im->st = st;
	im->d = d;
}

static void
finish(struct vk_import *im, const struct vk_ioc_set_mark *mark, int rc)
{
	if (rc != 0) {
		vk_ioc_set_rollback(im->set, mark);
		reset_counts(im->st);
	} else if (im->st->format != VK_IOC_FMT_STIX && im->st->added == 0 &&
	    im->st->duplicates == 0 && im->st->skipped == 0 &&
	    im->st->unsupported == 0) {
		vk_diag_warn(im->d, im->name, "no indicators found");
	}
	import_release(im);
}

int
vk_ioc_load_mem(struct vk_ioc_set *set, const char *name, const char *data,
    size_t len, const struct vk_ioc_load_opts *opts,
    struct vk_ioc_load_stats *stats, struct vk_diag *d)
{
	struct vk_ioc_load_stats st0;
	struct vk_ioc_set_mark mark;
	struct vk_import im;
	size_t max =
	    opts && opts->max_bytes ? opts->max_bytes : DEFAULT_MAX_BYTES;
	int rc;

	if (stats == NULL)
		stats = &st0;
	import_init(&im, set, name, opts, stats, d);
	vk_ioc_set_mark(set, &mark);
	if (len > max) {
		vk_diag_error(d, name,
		    "larger than the limit of %zu bytes; split the file", max);
		rc = VK_ETOOBIG;
	} else {
		rc = load_data(
		    &im, data, len, opts ? opts->format : VK_IOC_FMT_AUTO);
	}
	finish(&im, &mark, rc);
	return rc;
}

/* Reads all of fd into b (ceiling b->max). */
static int
read_fd(int fd, struct vk_buf *b)
{
	int rc;

	for (;;) {
		size_t room = b->max - b->len;
		ssize_t n;

		if (room > 65536)
			room = 65536;
		if (room == 0) {
			/* At the ceiling: the input is too big unless it
			 * ends here. */
			char c;

			n = read(fd, &c, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return VK_EIO;
			return n == 0 ? 0 : VK_ETOOBIG;
		}
		if ((rc = vk_buf_grow(b, room)) != 0)
			return rc;
		n = read(fd, b->data + b->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return VK_EIO;
		if (n == 0)
			return 0;
		b->len += (size_t)n;
		b->data[b->len] = '\0';
	}
}

static int
read_path(struct vk_import *im, const char *path, size_t max, struct vk_buf *b)
{
	struct stat sb;
	int fd, rc;

	vk_buf_init(b, max);
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		vk_diag_error(im->d, path, "cannot open: %s", strerror(errno));
		return VK_EIO;
	}
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (uintmax_t)sb.st_size > (uintmax_t)max) {
		rc = VK_ETOOBIG;
	} else {
		rc = read_fd(fd, b);
	}
	if (rc == VK_ETOOBIG)
		vk_diag_error(im->d, path,
		    "larger than the limit of %zu bytes; split the file", max);
	else if (rc == VK_EIO)
		vk_diag_error(im->d, path, "cannot read: %s", strerror(errno));
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc != 0)
		vk_buf_release(b);
	return rc;
}

static bool
feed_uuid_ok(const char *k)
{
	size_t i;

	for (i = 0; k[i]; i++)
		if (!((k[i] >= '0' && k[i] <= '9') ||
			(k[i] >= 'a' && k[i] <= 'f') ||
			(k[i] >= 'A' && k[i] <= 'F') || k[i] == '-'))
			return false;
	return i > 0 && i <= FEED_UUID_MAX;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A MISP feed: manifest.json names the events, <uuid>.json holds each. */
static int
load_feed(struct vk_import *im, const char *dir, size_t max)
{
	char path[VK_WHERE_MAX], where[VK_WHERE_MAX];
	const char **keys = NULL;
	struct vk_buf b;
	json_t *man = NULL, *ev;
	const char *k;
	size_t n = 0, i;
	int rc;

	im->st->format = VK_IOC_FMT_MISP;
	vk_import_where(path, sizeof(path), "%s/manifest.json", dir);
	if ((rc = read_path(im, path, max, &b)) != 0)
		return rc;
	{
		struct vk_import sub = *im;

		sub.name = path;
		rc = parse_json(&sub, b.data ? b.data : "", b.len, &man);
	}
	vk_buf_release(&b);
	if (rc != 0)
		return rc;
	if (!json_is_object(man)) {
		vk_diag_error(im->d, path,
		    "a MISP feed manifest must be a JSON object of event "
		    "uuids");
		rc = VK_EPARSE;
		goto out;
	}
	if ((keys = calloc(json_object_size(man) + 1, sizeof(*keys))) == NULL) {
		rc = VK_ENOMEM;
		goto out;
	}
	json_object_foreach(man, k, ev) keys[n++] = k;
	/* Sorted, so that loading (and error order) is reproducible. */
	qsort(keys, n, sizeof(*keys), cmp_str);
	for (i = 0; i < n; i++) {
		json_t *root = NULL;

		if (!feed_uuid_ok(keys[i])) {
			vk_import_where(where, sizeof(where), "%s:$", path);
			rc = vk_import_bad(im, VK_EPARSE, where,
			    "manifest key is not an event uuid");
			if (rc != 0)
				goto out;
			continue;
		}
		vk_import_where(path, sizeof(path), "%s/%s.json", dir, keys[i]);
		if ((rc = read_path(im, path, max, &b)) != 0) {
			if (rc == VK_EIO && im->keep_going) {
				im->st->skipped++;
				rc = 0;
				continue;
			}
			goto out;
		}
		{
			struct vk_import sub = *im;

			sub.name = path;
			rc = parse_json(
			    &sub, b.data ? b.data : "", b.len, &root);
		}
		vk_buf_release(&b);
		if (rc != 0) {
			if (!im->keep_going)
				goto out;
			im->st->skipped++;
			rc = 0;
			continue;
		}
		rc = vk_misp_load_event_file(im, path, root);
		json_decref(root);
		if (rc != 0)
			goto out;
	}
	if (n == 0)
		vk_diag_warn(im->d, path, "the feed lists no events");
out:
	free(keys);
	json_decref(man);
	return rc;
}

/* A plain list is read in blocks of this size (whole lines each). */
#define STREAM_BLOCK ((size_t)256 * 1024)

/*
 * Reads from fd until b holds at least `want` bytes or the input ends
 * (*eof); *total counts every byte read, which may not pass max.
 */
static int
read_more(
    int fd, struct vk_buf *b, size_t want, size_t max, size_t *total, bool *eof)
{
	int rc;

	while (b->len < want) {
		size_t room = want - b->len;
		ssize_t n;

		if (room > 65536)
			room = 65536;
		if ((rc = vk_buf_grow(b, room)) != 0)
			return rc;
		n = read(fd, b->data + b->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return VK_EIO;
		if (n == 0) {
			*eof = true;
			return 0;
		}
		if ((size_t)n > max - *total)
			return VK_ETOOBIG;
		*total += (size_t)n;
		b->len += (size_t)n;
		b->data[b->len] = '\0';
	}
	return 0;
}

/* The end of the last whole line in data[0..len), or 0. */
static size_t
whole_lines(const char *data, size_t len)
{
	const char *nl = memrchr(data, '\n', len);

	return nl ? (size_t)(nl - data) + 1 : 0;
}

/*
 * Whether the first block (ending at a line end) shows a plain list that
 * may be read block by block: not JSON, and (auto-detected) its first
 * line that is not blank or a comment is in this block and reads as a
 * plain list.
 */
static bool
streamable(const char *data, size_t len, enum vk_ioc_format fmt)
{
	size_t pos = 0, n;
	const char *l;

	if (fmt == VK_IOC_FMT_TEXT)
		return true;
	if (fmt != VK_IOC_FMT_AUTO)
		return false;
	while (vk_import_next_line(data, len, &pos, &l, &n)) {
		size_t i = 0;

		while (i < n && (l[i] == ' ' || l[i] == '\t' || l[i] == '\r'))
			i++;
		if (i < n && (l[i] == '{' || l[i] == '['))
			return false;
		if (!blank_or_comment(l, n))
			return detect_text(data, len) == VK_IOC_FMT_TEXT;
	}
	return false;
}

/*
 * Loads one file (or "-").  A plain list is read and added block by
 * block, so that a list of a million indicators never sits in memory
 * whole; every other format is read whole and parsed.
 */
static int
load_path(
    struct vk_import *im, const char *path, size_t max, enum vk_ioc_format fmt)
{
	struct vk_buf b;
	struct stat sb;
	size_t total = 0, line = 0, start = 0, cut;
	bool eof = false;
	uint32_t pid;
	int fd, rc;

	vk_buf_init(&b, max);
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		vk_diag_error(im->d, path, "cannot open: %s", strerror(errno));
		return VK_EIO;
	}
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (uintmax_t)sb.st_size > (uintmax_t)max) {
		rc = VK_ETOOBIG;
		goto out;
	}
	if ((rc = read_more(fd, &b, STREAM_BLOCK, max, &total, &eof)) != 0)
		goto out;
	if (b.len >= 3 && memcmp(b.data, "\xef\xbb\xbf", 3) == 0)
		start = 3;
	cut = whole_lines(b.data ? b.data : "", b.len);
	if (eof || cut <= start ||
	    !streamable(b.data + start, cut - start, fmt)) {
		/* Everything else: read it whole. */
		if (!eof && (rc = read_fd(fd, &b)) != 0)
			goto out;
		rc = load_data(im, b.data ? b.data : "", b.len, fmt);
		goto out;
	}
	im->st->format = VK_IOC_FMT_TEXT;
	if ((rc = vk_text_begin(im, &pid)) != 0)
		goto out;
	for (;;) {
		if ((rc = vk_text_lines(
			 im, b.data + start, cut - start, pid, &line)) != 0)
			goto out;
		memmove(b.data, b.data + cut, b.len - cut);
		b.len -= cut;
		start = 0;
		if (eof)
			break;
		/* A line longer than a block makes the buffer grow. */
		if ((rc = read_more(
			 fd, &b, b.len + STREAM_BLOCK, max, &total, &eof)) != 0)
			goto out;
		cut = eof ? b.len : whole_lines(b.data, b.len);
	}
out:
	if (rc == VK_ETOOBIG)
		vk_diag_error(im->d, path,
		    "larger than the limit of %zu bytes; split the file", max);
	else if (rc == VK_EIO)
		vk_diag_error(im->d, path, "cannot read: %s", strerror(errno));
	if (fd != STDIN_FILENO)
		close(fd);
	vk_buf_release(&b);
	return rc;
}

int
vk_ioc_load(struct vk_ioc_set *set, const char *path,
    const struct vk_ioc_load_opts *opts, struct vk_ioc_load_stats *stats,
    struct vk_diag *d)
{
	struct vk_ioc_load_stats st0;
	struct vk_ioc_set_mark mark;
	struct vk_import im;
	struct stat sb;
	size_t max =
	    opts && opts->max_bytes ? opts->max_bytes : DEFAULT_MAX_BYTES;
	int rc;

	if (stats == NULL)
		stats = &st0;
	import_init(&im, set, path, opts, stats, d);
	vk_ioc_set_mark(set, &mark);
	if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
	    S_ISDIR(sb.st_mode)) {
		char man[VK_WHERE_MAX];

		vk_import_where(man, sizeof(man), "%s/manifest.json", path);
		if (access(man, F_OK) != 0) {
			vk_diag_error(d, path,
			    "a directory, but not a MISP feed (no "
			    "manifest.json); give indicator files instead");
			rc = VK_EINVAL;
		} else {
			rc = load_feed(&im, path, max);
		}
	} else {
		rc = load_path(
		    &im, path, max, opts ? opts->format : VK_IOC_FMT_AUTO);
	}
	finish(&im, &mark, rc);
	return rc;
}
