/*
 * store_opts.c — finding and opening the store for a subcommand (see
 * store_opts.h for the order of options, environment and defaults).
 */
#include "cmd/store_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"

int
vk_store_opts_take(struct vk_store_opts *o, int argc, char **argv, int *i)
{
	static const struct {
		const char *name;
		size_t len;
	} opts[] = { { "--data", 6 }, { "--db", 4 } };
	const char *a = argv[*i], *v;
	size_t k;

	for (k = 0; k < 2; k++) {
		if (strncmp(a, opts[k].name, opts[k].len) != 0)
			continue;
		if (a[opts[k].len] == '=') {
			v = a + opts[k].len + 1;
		} else if (a[opts[k].len] == '\0') {
			if (*i + 1 >= argc) {
				fprintf(stderr, "vaksam: %s needs a value\n",
				    opts[k].name);
				return -1;
			}
			v = argv[++*i];
		} else
			continue;
		if (*v == '\0') {
			fprintf(
			    stderr, "vaksam: %s needs a value\n", opts[k].name);
			return -1;
		}
		if (k == 0)
			o->data = v;
		else
			o->db = v;
		return 1;
	}
	return 0;
}

static int
put(char *buf, size_t n, const char *a, const char *b)
{
	int k = snprintf(buf, n, "%s%s", a, b);

	return (k < 0 || (size_t)k >= n) ? VK_ETOOBIG : 0;
}

int
vk_store_opts_spec(const struct vk_store_opts *o, char *buf, size_t n)
{
	const char *e;

	if (o != NULL && o->db != NULL)
		return put(buf, n, o->db, "");
	if (o != NULL && o->data != NULL)
		return put(buf, n, o->data, "");
	if ((e = getenv("VAKSAM_DB")) != NULL && *e != '\0')
		return put(buf, n, e, "");
	if ((e = getenv("VAKSAM_DATA")) != NULL && *e != '\0')
		return put(buf, n, e, "");
	if (geteuid() == 0)
		return put(buf, n, "/var/lib/vaksam", "");
	if ((e = getenv("XDG_DATA_HOME")) != NULL && *e == '/')
		return put(buf, n, e, "/vaksam");
	if ((e = getenv("HOME")) != NULL && *e == '/')
		return put(buf, n, e, "/.local/share/vaksam");
	return VK_EINVAL;
}

static int
open_store(const struct vk_store_opts *o, const char *cmd, int mode,
    struct vk_store **out)
{
	struct vk_store_status s;
	struct vk_diag d;
	char spec[4096], red[4096];
	int r;

	*out = NULL;
	if ((r = vk_store_opts_spec(o, spec, sizeof(spec))) != 0) {
		fprintf(stderr,
		    "vaksam %s: no store: give --data DIR or --db URL "
		    "(or set VAKSAM_DATA / VAKSAM_DB)\n",
		    cmd);
		return r;
	}
	(void)vk_store_spec_redact(spec, red, sizeof(red));
	vk_diag_init(&d);
	if ((r = vk_store_open(spec, out, &d)) != 0) {
		fprintf(
		    stderr, "vaksam %s: cannot open the store %s\n", cmd, red);
		vk_diag_print(&d, stderr);
		goto out;
	}
	if (mode == 2) {
		/* raw: no migration check */
	} else if (mode == 1) {
		if ((r = vk_store_migrate(*out, NULL, &d)) != 0) {
			fprintf(
			    stderr, "vaksam %s: cannot migrate %s\n", cmd, red);
			vk_diag_print(&d, stderr);
		}
	} else if ((r = vk_store_status(*out, &s)) != 0) {
		fprintf(stderr, "vaksam %s: cannot read %s: %s\n", cmd, red,
		    vk_strerror(r));
	} else if (s.pending > 0 || s.current > s.latest) {
		fprintf(stderr,
		    "vaksam %s: the store %s is at migration %d, this vaksam "
		    "needs %d: run 'vaksam db migrate'%s\n",
		    cmd, red, s.current, s.latest,
		    s.current > s.latest ? " with a newer vaksam" : " first");
		r = VK_EINVAL;
	}
out:
	if (r != 0) {
		vk_store_close(*out);
		*out = NULL;
	}
	vk_diag_release(&d);
	return r;
}

int
vk_store_opts_open(const struct vk_store_opts *o, const char *cmd, bool migrate,
    struct vk_store **out)
{
	return open_store(o, cmd, migrate ? 1 : 0, out);
}

int
vk_store_opts_open_raw(
    const struct vk_store_opts *o, const char *cmd, struct vk_store **out)
{
	return open_store(o, cmd, 2, out);
}

void
vk_cmd_fmt_time(int64_t us, char *buf, size_t n)
{
	struct tm tm;
	time_t t;

	if (us == 0) {
		snprintf(buf, n, "-");
		return;
	}
	t = (time_t)(us / 1000000);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, n, "?");
}
