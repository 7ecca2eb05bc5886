/*
 * cmd_hunt.c — `vaksam hunt`: sweep logs for indicators of compromise.
 *
 * Loads every indicator file (-i) into one set — a bad file stops the
 * command before anything is scanned — applies the allow-lists, builds
 * the matcher, walks the PATHs and runs the engine, writing hits in the
 * chosen format and a summary to standard error.  Exit status: 0 no hits,
 * 1 hits, 2 trouble (see vaksam-hunt(1), EXIT STATUS).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "hunt/engine.h"
#include "hunt/filecheck.h"
#include "hunt/filenames.h"
#include "hunt/hasher.h"
#include "hunt/yara.h"
#include "hunt/match.h"
#include "hunt/progress.h"
#include "hunt/report.h"
#include "hunt/walk.h"
#include "ioc/allow.h"
#include "ioc/import.h"
#include "ioc/ioc.h"
#include "util/diag.h"
#include "util/err.h"

#define MAX_LISTS 1024

static void
usage(FILE *fp)
{
	fputs("usage: vaksam hunt -i INDICATORS [-i INDICATORS ...] "
	      "[--allow LIST ...]\n"
	      "           [--format text|jsonl|csv] [-j N] [--keep-going] "
	      "[-o FILE]\n"
	      "           [--color auto|always|never] [--no-progress] "
	      "[--quiet]\n"
	      "           [--yara RULES ...] [--strings] [--yara-timeout S] "
	      "[--max-size SIZE]\n"
	      "           [--list-skipped] [--exclude GLOB ...] [--follow] "
	      "[--one-file-system]\n"
	      "           [--checks LIST] PATH ...\n"
	      "\n"
	      "Sweeps logs for published indicators of compromise.\n"
	      "\n"
	      "  -i, --indicators FILE  STIX 2.1, MISP event or feed "
	      "directory, CSV, Loki\n"
	      "                         value;comment or a plain list "
	      "(detected)\n"
	      "      --allow LIST       MISP warninglist or plain list; what "
	      "it catches is\n"
	      "                         suppressed and counted in the "
	      "summary\n"
	      "  -f, --format FORMAT    text (default: grouped by campaign and "
	      "indicator),\n"
	      "                         jsonl (one object per hit) or csv\n"
	      "  -j, --jobs N           threads (default: every online CPU)\n"
	      "      --keep-going       skip bad entries of indicator files "
	      "(counted and\n"
	      "                         named) instead of stopping\n"
	      "  -o, --output FILE      write hits to FILE (mode 0600), not "
	      "standard output\n"
	      "      --color WHEN       colour text: auto (on a terminal), "
	      "always, never\n"
	      "      --no-progress      no progress line on standard error\n"
	      "  -q, --quiet            no summary and no progress line\n"
	      "\n"
	      "Files (every file is also hashed for hash indicators, checked "
	      "for file-name\n"
	      "indicators and, when it is a Windows event log, parsed as "
	      "one):\n"
	      "      --yara RULES       YARA rules: .yar/.yara files, "
	      "directories of them, or\n"
	      "                         one precompiled rules file "
	      "(repeatable)\n"
	      "      --strings          report the strings YARA matched, with "
	      "offsets\n"
	      "      --yara-timeout S   seconds per file for YARA (default "
	      "60; 0: none)\n"
	      "      --max-size SIZE    hash and YARA only files up to SIZE "
	      "(default 256M;\n"
	      "                         suffixes K, M, G); larger ones are "
	      "counted as skipped\n"
	      "      --list-skipped     name every skipped file and why in "
	      "the summary\n"
	      "      --exclude GLOB     skip paths or names matching GLOB "
	      "(repeatable)\n"
	      "      --follow           follow symbolic links inside "
	      "directories\n"
	      "      --one-file-system  stay on the file system of each "
	      "PATH\n"
	      "      --checks LIST      only these checks: lines, hashes, "
	      "names, evtx, yara\n"
	      "                         (comma-separated; default all)\n"
	      "  -h, --help             this help\n"
	      "\n"
	      "PATH is a file, a directory (walked recursively, in name order) "
	      "or - for\n"
	      "standard input; gzip, bzip2, xz and zstd are read by content.\n"
	      "Exit status: 0 no hits, 1 hits, 2 errors (also when some input "
	      "could not\n"
	      "be read: its hits so far are still reported).  See "
	      "vaksam-hunt(1).\n",
	    fp);
}

struct hunt_args {
	const char *ind[MAX_LISTS];
	size_t nind;
	const char *allow[MAX_LISTS];
	size_t nallow;
	enum vk_report_format format;
	unsigned jobs;
	bool keep_going;
	const char *output;
	int color; /* -1 auto, 0 never, 1 always */
	bool no_progress;
	bool quiet;
	/* Issue 3: file checks. */
	const char *yara[MAX_LISTS];
	size_t nyara;
	bool strings;
	int yara_timeout;
	uint64_t max_size;
	bool list_skipped;
	const char *exclude[MAX_LISTS];
	size_t nexclude;
	bool follow;
	bool one_fs;
	unsigned checks; /* CHECK_* bits that may run */
};

/* The kinds of check --checks chooses among. */
enum {
	CHECK_LINES = 1u << 0, /* indicators in log lines */
	CHECK_HASHES = 1u << 1, /* file digests against hash indicators */
	CHECK_NAMES = 1u << 2, /* paths against file-name indicators */
	CHECK_EVTX = 1u << 3, /* Windows event logs, field by field */
	CHECK_YARA = 1u << 4, /* YARA rules (needs --yara) */
	CHECK_ALL = (1u << 5) - 1
};

/* "lines,hashes" → bits; false naming the bad word in *bad. */
static bool
parse_checks(const char *s, unsigned *out, const char **bad)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {
		{ "lines", CHECK_LINES },
		{ "hashes", CHECK_HASHES },
		{ "names", CHECK_NAMES },
		{ "evtx", CHECK_EVTX },
		{ "yara", CHECK_YARA },
		{ "all", CHECK_ALL },
	};
	static char word[16];
	size_t i, n;

	*out = 0;
	while (*s != '\0') {
		n = strcspn(s, ",");
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n &&
			    strncmp(names[i].name, s, n) == 0)
				break;
		if (i == sizeof(names) / sizeof(names[0])) {
			snprintf(word, sizeof(word), "%.*s",
			    (int)(n < sizeof(word) - 1 ? n : sizeof(word) - 1),
			    s);
			*bad = word;
			return false;
		}
		*out |= names[i].bit;
		s += n;
		if (*s == ',')
			s++;
	}
	if (*out == 0) {
		*bad = "";
		return false;
	}
	return true;
}

/* "256M" → bytes; false when it is not a size. */
static bool
parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;
	unsigned shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return false;
	if (*end == 'k' || *end == 'K')
		shift = 10;
	else if (*end == 'm' || *end == 'M')
		shift = 20;
	else if (*end == 'g' || *end == 'G')
		shift = 30;
	else if (*end == 't' || *end == 'T')
		shift = 40;
	if (shift != 0)
		end++;
	if (*end != '\0' || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

static int bad_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
bad_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("vaksam hunt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; 'vaksam hunt --help' shows the options\n", stderr);
	return 2;
}

/* Returns -1 to go on, or an exit status. */
static int
parse_args(int argc, char **argv, struct hunt_args *a)
{
	enum {
		OPT_ALLOW = 256,
		OPT_KEEP,
		OPT_COLOR,
		OPT_NOPROG,
		OPT_YARA,
		OPT_STRINGS,
		OPT_YTIMEOUT,
		OPT_MAXSIZE,
		OPT_LISTSKIP,
		OPT_EXCLUDE,
		OPT_FOLLOW,
		OPT_ONEFS,
		OPT_CHECKS,
	};
	static const struct option longopts[] = {
		{ "indicators", required_argument, NULL, 'i' },
		{ "allow", required_argument, NULL, OPT_ALLOW },
		{ "format", required_argument, NULL, 'f' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "keep-going", no_argument, NULL, OPT_KEEP },
		{ "output", required_argument, NULL, 'o' },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "no-progress", no_argument, NULL, OPT_NOPROG },
		{ "quiet", no_argument, NULL, 'q' },
		{ "yara", required_argument, NULL, OPT_YARA },
		{ "strings", no_argument, NULL, OPT_STRINGS },
		{ "yara-timeout", required_argument, NULL, OPT_YTIMEOUT },
		{ "max-size", required_argument, NULL, OPT_MAXSIZE },
		{ "list-skipped", no_argument, NULL, OPT_LISTSKIP },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "follow", no_argument, NULL, OPT_FOLLOW },
		{ "one-file-system", no_argument, NULL, OPT_ONEFS },
		{ "checks", required_argument, NULL, OPT_CHECKS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	size_t i;
	char *end;
	int c, k;

	memset(a, 0, sizeof(*a));
	a->color = -1;
	a->yara_timeout = VK_YARA_TIMEOUT_DEFAULT;
	a->max_size = VK_FILECHECK_MAX_SIZE_DEFAULT;
	a->checks = CHECK_ALL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:f:j:o:qh", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			if (a->nind == MAX_LISTS)
				return bad_usage(
				    "too many -i (at most %s)", "1024");
			a->ind[a->nind++] = optarg;
			break;
		case OPT_ALLOW:
			if (a->nallow == MAX_LISTS)
				return bad_usage(
				    "too many --allow (at most %s)", "1024");
			a->allow[a->nallow++] = optarg;
			break;
		case 'f':
			if (vk_report_format_from_name(optarg, &a->format) != 0)
				return bad_usage("unknown format '%s' (text, "
						 "jsonl or csv)",
				    optarg);
			break;
		case 'j':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    v < 1 || v > 256)
				return bad_usage(
				    "-j wants a number of threads from 1 to "
				    "256, not '%s'",
				    optarg);
			a->jobs = (unsigned)v;
			break;
		case OPT_KEEP:
			a->keep_going = true;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				a->color = -1;
			else if (strcmp(optarg, "always") == 0)
				a->color = 1;
			else if (strcmp(optarg, "never") == 0)
				a->color = 0;
			else
				return bad_usage("--color wants auto, always "
						 "or never, not '%s'",
				    optarg);
			break;
		case OPT_NOPROG:
			a->no_progress = true;
			break;
		case 'q':
			a->quiet = true;
			break;
		case OPT_YARA:
			if (a->nyara == MAX_LISTS)
				return bad_usage(
				    "too many --yara (at most %s)", "1024");
			a->yara[a->nyara++] = optarg;
			break;
		case OPT_STRINGS:
			a->strings = true;
			break;
		case OPT_YTIMEOUT:
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    v > 86400)
				return bad_usage("--yara-timeout wants seconds "
						 "from 0 to 86400, not '%s'",
				    optarg);
			a->yara_timeout = (int)v;
			break;
		case OPT_MAXSIZE:
			if (!parse_size(optarg, &a->max_size))
				return bad_usage("--max-size wants a size such "
						 "as 256M or 2G, not '%s'",
				    optarg);
			break;
		case OPT_LISTSKIP:
			a->list_skipped = true;
			break;
		case OPT_EXCLUDE:
			if (a->nexclude == MAX_LISTS)
				return bad_usage(
				    "too many --exclude (at most %s)", "1024");
			a->exclude[a->nexclude++] = optarg;
			break;
		case OPT_FOLLOW:
			a->follow = true;
			break;
		case OPT_ONEFS:
			a->one_fs = true;
			break;
		case OPT_CHECKS: {
			const char *bad = NULL;

			if (!parse_checks(optarg, &a->checks, &bad))
				return bad_usage("--checks wants a list of "
						 "lines, hashes, names, evtx, "
						 "yara or all, not '%s'",
				    bad);
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			return bad_usage(
			    "option '%s' needs a value", argv[optind - 1]);
		default:
			return bad_usage(
			    "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (a->nind == 0 && a->nyara == 0)
		return bad_usage("%s",
		    "no indicators: give at least one -i "
		    "FILE or --yara RULES");
	if (a->nyara > 0 && !(a->checks & CHECK_YARA))
		return bad_usage(
		    "%s", "--yara is given but --checks leaves out yara");
	if (optind >= argc)
		return bad_usage("%s",
		    "no PATH to sweep (use - for standard "
		    "input)");
	/* Standard input can be read once: for indicators or for a log. */
	for (i = 0; i < a->nind; i++)
		for (k = optind; k < argc && strcmp(a->ind[i], "-") == 0; k++)
			if (strcmp(argv[k], "-") == 0)
				return bad_usage("%s",
				    "standard input (-) cannot be both "
				    "indicators and a log");
	return -1;
}

/* Matcher adapter for the engine's line-scanning hook. */
static int
scan_line(
    const void *ctx, const char *line, size_t len, vk_match_fn fn, void *arg)
{
	return vk_matcher_scan(ctx, line, len, fn, arg);
}

static int
scan_lines(
    const void *ctx, const char *buf, size_t len, vk_match_fn fn, void *arg)
{
	return vk_matcher_scan_lines(ctx, buf, len, fn, arg);
}

static int
on_hit(void *arg, const struct vk_hunt_hit *h)
{
	return vk_report_hit(arg, h);
}

static void
on_file(void *arg, size_t file, const struct vk_hunt_file_stats *st)
{
	vk_report_file(arg, file, st);
}

/* Loads every -i file; prints diagnostics; returns 0 or an exit status. */
static int
load_indicators(const struct hunt_args *a, struct vk_ioc_set *set)
{
	struct vk_ioc_load_opts lo;
	struct vk_ioc_load_stats ls;
	struct vk_diag d;
	size_t i;
	int r, rc = 0;

	memset(&lo, 0, sizeof(lo));
	lo.format = VK_IOC_FMT_AUTO;
	lo.keep_going = a->keep_going;
	for (i = 0; i < a->nind && rc == 0; i++) {
		vk_diag_init(&d);
		memset(&ls, 0, sizeof(ls));
		r = vk_ioc_load(set, a->ind[i], &lo, &ls, &d);
		vk_diag_print(&d, stderr);
		if (r != 0) {
			fprintf(stderr,
			    "vaksam hunt: %s: cannot load indicators (%s); "
			    "nothing was scanned — fix the file%s\n",
			    a->ind[i], vk_strerror(r),
			    a->keep_going ? "" : " or use --keep-going");
			rc = 2;
		} else if (ls.skipped > 0 && !a->quiet)
			fprintf(stderr,
			    "vaksam hunt: %s: %zu bad entr%s skipped "
			    "(--keep-going)\n",
			    a->ind[i], ls.skipped,
			    ls.skipped == 1 ? "y" : "ies");
		vk_diag_release(&d);
	}
	if (rc == 0 && vk_ioc_set_count(set) == 0 && a->nyara == 0) {
		fprintf(stderr,
		    "vaksam hunt: no indicators in the -i files; nothing to "
		    "look for\n");
		rc = 2;
	}
	return rc;
}

static int
load_allow(
    const struct hunt_args *a, struct vk_ioc_set *set, struct vk_allow *al)
{
	struct vk_diag d;
	size_t i;
	long n;
	int r, rc = 0;

	for (i = 0; i < a->nallow && rc == 0; i++) {
		vk_diag_init(&d);
		r = vk_allow_load(al, a->allow[i], &d);
		vk_diag_print(&d, stderr);
		vk_diag_release(&d);
		if (r != 0) {
			fprintf(stderr,
			    "vaksam hunt: %s: cannot load allow-list (%s); "
			    "nothing was scanned\n",
			    a->allow[i], vk_strerror(r));
			rc = 2;
		}
	}
	if (rc == 0 && a->nallow > 0 && (n = vk_allow_apply(al, set)) < 0) {
		fprintf(stderr, "vaksam hunt: applying allow-lists: %s\n",
		    vk_strerror((int)n));
		rc = 2;
	}
	return rc;
}

static bool
want_color(int mode, FILE *out)
{
	const char *t;

	if (mode >= 0)
		return mode == 1;
	if (getenv("NO_COLOR") != NULL && *getenv("NO_COLOR") != '\0')
		return false;
	if ((t = getenv("TERM")) == NULL || strcmp(t, "dumb") == 0)
		return false;
	return isatty(fileno(out));
}

int
cmd_hunt(int argc, char **argv)
{
	struct hunt_args a;
	struct vk_ioc_set *set = NULL;
	struct vk_allow *al = NULL;
	struct vk_matcher *m = NULL;
	struct vk_report *rep = NULL;
	struct vk_report_opts ro;
	struct vk_hunt_opts ho;
	struct vk_hunt_totals tot;
	struct vk_progress prog;
	struct vk_walk w;
	const char **names = NULL;
	struct vk_filecheck fc;
	struct vk_hashidx *hashes = NULL;
	struct vk_fnidx *fnames = NULL;
	struct vk_yara *yara = NULL;
	struct vk_diag d;
	FILE *out = stdout;
	struct stat st;
	size_t i;
	int rc, r, fd;

	vk_walk_init(&w);
	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	rc = 2;
	if ((set = vk_ioc_set_new()) == NULL || (al = vk_allow_new()) == NULL) {
		fputs("vaksam hunt: out of memory\n", stderr);
		goto out;
	}
	if (load_indicators(&a, set) != 0 || load_allow(&a, set, al) != 0)
		goto out;
	/* Loading is done: the duplicate table goes before the matcher's
	 * indexes are built, so the two never take memory together. */
	vk_ioc_set_freeze(set);
	/* Text indicators are looked for in log lines and event-log
	 * fields; without either check the matcher is built empty. */
	if ((r = vk_matcher_build(set, &m)) != 0) {
		fprintf(stderr, "vaksam hunt: building the matcher: %s\n",
		    vk_strerror(r));
		goto out;
	}
	/* Issue 3: the file checks, all ready before anything is read —
	 * rules that do not compile stop the run here. */
	memset(&fc, 0, sizeof(fc));
	vk_diag_init(&d);
	if (a.nyara > 0 &&
	    (r = vk_yara_load(a.yara, a.nyara, &d, &yara)) != 0) {
		vk_diag_print(&d, stderr);
		vk_diag_release(&d);
		fprintf(stderr,
		    "vaksam hunt: YARA rules cannot be used (%s); nothing was "
		    "scanned\n",
		    vk_strerror(r));
		goto out;
	}
	if (((a.checks & CHECK_HASHES) &&
		(r = vk_hashidx_build(set, &hashes)) != 0) ||
	    ((a.checks & CHECK_NAMES) &&
		(r = vk_fnidx_build(set, &d, &fnames)) != 0)) {
		vk_diag_release(&d);
		fputs("vaksam hunt: out of memory\n", stderr);
		goto out;
	}
	if (!a.quiet)
		vk_diag_print(&d, stderr);
	vk_diag_release(&d);
	fc.hashes = hashes && vk_hashidx_count(hashes) > 0 ? hashes : NULL;
	fc.names = fnames && vk_fnidx_count(fnames) > 0 ? fnames : NULL;
	fc.yara = yara;
	fc.evtx = (a.checks & CHECK_EVTX) != 0;
	fc.max_size = a.max_size;
	fc.yara_timeout = a.yara_timeout;
	fc.yara_strings = a.strings;
	w.follow = a.follow;
	w.one_fs = a.one_fs;
	w.excludes = a.exclude;
	w.nexcludes = a.nexclude;
	if (vk_matcher_count(m) == 0 && fc.hashes == NULL && fc.names == NULL &&
	    fc.yara == NULL)
		fputs("vaksam hunt: warning: every indicator is suppressed or "
		      "cannot appear in logs; no hits are possible\n",
		    stderr);
	if (a.output != NULL) {
		fd = open(
		    a.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || (out = fdopen(fd, "w")) == NULL) {
			fprintf(stderr, "vaksam hunt: %s: %s\n", a.output,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			out = stdout;
			goto out;
		}
		if (fstat(fd, &st) == 0) {
			w.have_exclude = true;
			w.exclude_dev = st.st_dev;
			w.exclude_ino = st.st_ino;
		}
	}
	for (i = (size_t)optind; i < (size_t)argc; i++)
		if (vk_walk_add(&w, argv[i]) != 0) {
			fputs("vaksam hunt: out of memory\n", stderr);
			goto out;
		}
	if (vk_allow_count(al) > 0 &&
	    (names = calloc(vk_allow_count(al), sizeof(*names))) == NULL)
		goto out;
	for (i = 0; i < vk_allow_count(al); i++)
		names[i] = vk_allow_name(al, i);
	memset(&ro, 0, sizeof(ro));
	ro.format = a.format;
	ro.out = out;
	ro.color = a.format == VK_REPORT_TEXT && want_color(a.color, out);
	ro.set = set;
	ro.walk = &w;
	ro.allow_names = names;
	ro.nallow = vk_allow_count(al);
	ro.list_skipped = a.list_skipped;
	if (vk_report_new(&ro, &rep) != 0)
		goto out;
	vk_progress_init(
	    &prog, stderr, !a.quiet && !a.no_progress && isatty(STDERR_FILENO));
	memset(&ho, 0, sizeof(ho));
	ho.jobs = a.jobs;
	/* Nothing to look for in text (a YARA- or hash-only sweep): lines
	 * are still read and counted, not tokenised. */
	ho.scan_line = vk_matcher_count(m) > 0 && (a.checks & CHECK_LINES)
	    ? scan_line
	    : NULL;
	ho.scan_lines = ho.scan_line != NULL ? scan_lines : NULL;
	ho.scan_ctx = m;
	ho.on_hit = on_hit;
	ho.on_file = on_file;
	ho.on_progress = vk_progress_update;
	ho.arg = rep;
	ho.progress_arg = &prog;
	/* No file check at all (--checks lines): no file units either. */
	ho.files = fc.hashes || fc.names || fc.yara || fc.evtx ? &fc : NULL;
	r = vk_hunt_run(&w, &ho, &tot);
	if (vk_report_finish(rep) != 0 && r == 0)
		r = VK_EIO;
	if (!a.quiet)
		vk_report_summary(rep, stderr, &tot);
	if (r != 0)
		fprintf(stderr, "vaksam hunt: sweep stopped: %s\n",
		    r == VK_EIO ? "cannot write the output" : vk_strerror(r));
	if (r != 0 || vk_report_failed(rep) > 0 ||
	    vk_walk_count(&w, VK_WALK_ERROR) > 0)
		rc = 2;
	else
		rc = tot.hits > 0 ? 1 : 0;
out:
	if (out != stdout && fclose(out) != 0 && rc != 2) {
		fprintf(
		    stderr, "vaksam hunt: %s: %s\n", a.output, strerror(errno));
		rc = 2;
	}
	vk_report_free(rep);
	free(names);
	vk_walk_release(&w);
	vk_matcher_free(m);
	vk_hashidx_free(hashes);
	vk_fnidx_free(fnames);
	vk_yara_free(yara);
	vk_allow_free(al);
	vk_ioc_set_free(set);
	return rc;
}
