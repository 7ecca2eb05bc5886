/*
 * cmd_ioc.c — `vaksam ioc check` (validate and summarise indicator files)
 * and `vaksam ioc convert` (write their normalised union as CSV or STIX).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "ioc/export.h"
#include "ioc/import.h"
#include "ioc/ioc.h"
#include "util/diag.h"
#include "util/err.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: vaksam ioc check [--keep-going] [--format text|json] "
	    "FILE...\n"
	    "       vaksam ioc convert [--to csv|stix] [--keep-going] "
	    "[-o OUT] FILE...\n"
	    "\n"
	    "Indicator files: STIX 2.1 bundles, MISP events (or a MISP feed\n"
	    "directory), CSV with a type and a value column, Loki lists,\n"
	    "plain lists; the format is detected by content.  '-' reads\n"
	    "standard input.\n"
	    "\n"
	    "check    loads each file on its own and reports its format,\n"
	    "         indicators per type, duplicates, unsupported and\n"
	    "         skipped entries, with file:line or JSON-path locations.\n"
	    "         Exit 0: all loaded cleanly; 1: loaded with warnings;\n"
	    "         2: a file could not be loaded.\n"
	    "convert  loads every file into one set and writes it as CSV\n"
	    "         (default) or a STIX 2.1 bundle to OUT or standard "
	    "output.\n"
	    "         Exit 0, or 2 when a file could not be loaded (nothing\n"
	    "         is written then).\n"
	    "\n"
	    "  --keep-going   skip bad entries (counted and named) instead of\n"
	    "                 refusing the whole file\n"
	    "  --format FMT   check's report: text (default) or json\n"
	    "  --to FMT       convert's output: csv (default) or stix\n"
	    "  -o OUT         convert's output file (default: standard "
	    "output)\n"
	    "\n"
	    "See vaksam-ioc(1).\n");
}

static void
print_counts(const struct vk_ioc_load_stats *st)
{
	bool first = true;
	int t;

	printf("%zu indicator%s", st->added, st->added == 1 ? "" : "s");
	for (t = 0; t < VK_IOC_TYPE_MAX; t++) {
		if (st->by_type[t] == 0)
			continue;
		printf("%s%s %zu", first ? " (" : ", ",
		    vk_ioc_type_name((enum vk_ioc_type)t), st->by_type[t]);
		first = false;
	}
	if (!first)
		printf(")");
	printf("; %zu duplicate%s, %zu unsupported, %zu skipped, %zu ignored\n",
	    st->duplicates, st->duplicates == 1 ? "" : "s", st->unsupported,
	    st->skipped, st->ignored);
}

static void
print_diag(const struct vk_diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		printf("  %s%s%s: %s\n", d->v[i].where ? d->v[i].where : "",
		    d->v[i].where ? ": " : "",
		    d->v[i].level == VK_DIAG_ERROR ? "error" : "warning",
		    d->v[i].msg);
	if (d->nwarn + d->nerr > d->n)
		printf(
		    "  … and %zu more messages\n", d->nwarn + d->nerr - d->n);
}

static json_t *
json_report(const char *file, int rc, const struct vk_ioc_load_stats *st,
    const struct vk_diag *d)
{
	json_t *o = json_object(), *bt = json_object(), *msgs = json_array();
	size_t i;
	int t;

	if (o == NULL || bt == NULL || msgs == NULL) {
		json_decref(o);
		json_decref(bt);
		json_decref(msgs);
		return NULL;
	}
	for (t = 0; t < VK_IOC_TYPE_MAX; t++)
		json_object_set_new(bt, vk_ioc_type_name((enum vk_ioc_type)t),
		    json_integer((json_int_t)st->by_type[t]));
	for (i = 0; i < d->n; i++)
		json_array_append_new(msgs,
		    json_pack("{s:s, s:s?, s:s}", "level",
			d->v[i].level == VK_DIAG_ERROR ? "error" : "warning",
			"where", d->v[i].where, "message", d->v[i].msg));
	json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "loaded", json_boolean(rc == 0));
	json_object_set_new(o, "format",
	    json_string(st->format == VK_IOC_FMT_AUTO
		    ? NULL
		    : vk_ioc_format_name(st->format)));
	json_object_set_new(
	    o, "indicators", json_integer((json_int_t)st->added));
	json_object_set_new(o, "by_type", bt);
	json_object_set_new(
	    o, "duplicates", json_integer((json_int_t)st->duplicates));
	json_object_set_new(
	    o, "unsupported", json_integer((json_int_t)st->unsupported));
	json_object_set_new(
	    o, "skipped", json_integer((json_int_t)st->skipped));
	json_object_set_new(
	    o, "ignored", json_integer((json_int_t)st->ignored));
	json_object_set_new(o, "errors", json_integer((json_int_t)d->nerr));
	json_object_set_new(o, "warnings", json_integer((json_int_t)d->nwarn));
	json_object_set_new(o, "messages", msgs);
	return o;
}

static int
check(int argc, char **argv, const struct vk_ioc_load_opts *opts, bool json)
{
	json_t *files = json ? json_array() : NULL;
	int status = 0, i;

	if (json && files == NULL)
		return 2;
	for (i = 0; i < argc; i++) {
		struct vk_ioc_set *set = vk_ioc_set_new();
		struct vk_ioc_load_stats st;
		struct vk_diag d;
		int rc;

		if (set == NULL) {
			fprintf(stderr, "vaksam ioc: out of memory\n");
			json_decref(files);
			return 2;
		}
		vk_diag_init(&d);
		rc = vk_ioc_load(set, argv[i], opts, &st, &d);
		if (rc != 0)
			status = 2;
		else if (d.nwarn + d.nerr > 0 && status < 1)
			status = 1;
		if (json) {
			json_array_append_new(
			    files, json_report(argv[i], rc, &st, &d));
		} else {
			printf("%s: ", argv[i]);
			if (rc != 0)
				printf("NOT LOADED (%s%s%s): %s\n",
				    st.format == VK_IOC_FMT_AUTO
					? ""
					: vk_ioc_format_name(st.format),
				    st.format == VK_IOC_FMT_AUTO ? "" : ", ",
				    vk_strerror(rc),
				    "nothing from this file "
				    "is used");
			else {
				printf("%s, ", vk_ioc_format_name(st.format));
				print_counts(&st);
			}
			print_diag(&d);
		}
		vk_diag_release(&d);
		vk_ioc_set_free(set);
	}
	if (json) {
		json_t *root =
		    json_pack("{s:o, s:i}", "files", files, "status", status);

		if (root == NULL ||
		    json_dumpf(
			root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER))
			status = 2;
		putchar('\n');
		json_decref(root);
	}
	if (fflush(stdout) != 0)
		status = 2;
	return status;
}

static void
created_now(char *out, size_t cap)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;

	if (sde != NULL && *sde != '\0') {
		char *end;
		long long v = strtoll(sde, &end, 10);

		if (*end == '\0' && v >= 0)
			t = (time_t)v;
	}
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, cap, "%Y-%m-%dT%H:%M:%S.000Z", &tm) == 0) {
		t = 0;
		/* The epoch always fits in the caller's 40 bytes. */
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(out, cap, "%Y-%m-%dT%H:%M:%S.000Z", &tm) == 0)
			out[0] = '\0';
	}
}

static int
convert(int argc, char **argv, const struct vk_ioc_load_opts *opts, bool stix,
    const char *out)
{
	struct vk_ioc_set *set = vk_ioc_set_new();
	char created[40], tmp[4096];
	struct vk_diag d;
	FILE *fp = stdout;
	int status = 0, rc, i, n;

	if (set == NULL) {
		fprintf(stderr, "vaksam ioc: out of memory\n");
		return 2;
	}
	vk_diag_init(&d);
	for (i = 0; i < argc; i++)
		if (vk_ioc_load(set, argv[i], opts, NULL, &d) != 0)
			status = 2;
	vk_diag_print(&d, stderr);
	if (status != 0) {
		fprintf(stderr, "vaksam ioc convert: nothing written\n");
		goto out;
	}
	if (out != NULL && strcmp(out, "-") != 0) {
		/* Write beside the target and rename, so that a failed
		 * conversion never leaves half a file under its name. */
		n = snprintf(tmp, sizeof(tmp), "%s.tmp", out);
		if (n < 0 || (size_t)n >= sizeof(tmp) ||
		    (fp = fopen(tmp, "w")) == NULL) {
			fprintf(stderr, "vaksam ioc convert: cannot write %s\n",
			    out);
			status = 2;
			fp = stdout;
			goto out;
		}
	}
	created_now(created, sizeof(created));
	rc = stix ? vk_ioc_write_stix(set, fp, created)
		  : vk_ioc_write_csv(set, fp);
	if (fp != stdout) {
		if (fclose(fp) != 0 && rc == 0)
			rc = VK_EIO;
		if (rc == 0 && rename(tmp, out) != 0)
			rc = VK_EIO;
		if (rc != 0)
			remove(tmp);
	}
	if (rc != 0) {
		fprintf(stderr, "vaksam ioc convert: writing %s failed: %s\n",
		    out ? out : "standard output", vk_strerror(rc));
		status = 2;
	}
out:
	vk_diag_release(&d);
	vk_ioc_set_free(set);
	return status;
}

int
cmd_ioc(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct vk_ioc_load_opts opts = { 0 };
	const char *out = NULL, *sub;
	bool json = false, stix = false, is_check;
	int c;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (strcmp(sub, "check") == 0)
		is_check = true;
	else if (strcmp(sub, "convert") == 0)
		is_check = false;
	else {
		fprintf(stderr,
		    "vaksam ioc: '%s' is not a subcommand (check, convert); "
		    "'vaksam ioc --help' explains them\n",
		    sub);
		return 2;
	}
	argc--;
	argv++;
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'k':
			opts.keep_going = true;
			break;
		case 'f':
			if (!is_check ||
			    (strcmp(optarg, "text") != 0 &&
				strcmp(optarg, "json") != 0)) {
				fprintf(stderr,
				    "vaksam ioc %s: --format is "
				    "text or json (check only)\n",
				    sub);
				return 2;
			}
			json = strcmp(optarg, "json") == 0;
			break;
		case 't':
			if (is_check ||
			    (strcmp(optarg, "csv") != 0 &&
				strcmp(optarg, "stix") != 0)) {
				fprintf(stderr,
				    "vaksam ioc %s: --to is csv or "
				    "stix (convert only)\n",
				    sub);
				return 2;
			}
			stix = strcmp(optarg, "stix") == 0;
			break;
		case 'o':
			if (is_check) {
				fprintf(stderr,
				    "vaksam ioc check: -o is for "
				    "convert\n");
				return 2;
			}
			out = optarg;
			break;
		default:
			fprintf(stderr,
			    "'vaksam ioc --help' lists the "
			    "options\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(
		    stderr, "vaksam ioc %s: no indicator files given\n", sub);
		usage(stderr);
		return 2;
	}
	if (is_check)
		return check(argc - optind, argv + optind, &opts, json);
	return convert(argc - optind, argv + optind, &opts, stix, out);
}
