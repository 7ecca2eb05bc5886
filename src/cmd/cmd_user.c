/*
 * cmd_user.c — `vaksam user add|list|passwd|disable|enable|role`: local
 * accounts on the command line, each change audited as cli:<unix user>.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "account/account.h"
#include "audit/audit.h"
#include "cmd/cmd.h"
#include "cmd/store_opts.h"
#include "util/err.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: vaksam user add NAME --role ROLE [--display TEXT] "
	    "[--email ADDR]\n"
	    "                       [--password-stdin]\n"
	    "       vaksam user list [--limit N] [--offset N]\n"
	    "       vaksam user passwd NAME [--password-stdin]\n"
	    "       vaksam user disable|enable NAME\n"
	    "       vaksam user role NAME ROLE\n"
	    "\n"
	    "ROLE is employee, handler, admin or auditor.  Without\n"
	    "--password-stdin a random password is printed once.\n"
	    "  --password-stdin  read the password from the first line of "
	    "standard input\n"
	    "\n" VK_STORE_OPTS_USAGE);
}

/* Reads one line of at most VK_PASSWORD_MAX bytes from stdin into buf
 * (size VK_PASSWORD_MAX + 2), without the line end. */
static int
read_password(char *buf, size_t n)
{
	size_t len;

	if (fgets(buf, (int)n, stdin) == NULL) {
		fprintf(stderr, "vaksam user: no password on standard input\n");
		return -1;
	}
	len = strlen(buf);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	else if (!feof(stdin)) {
		fprintf(stderr,
		    "vaksam user: the password is longer than %d bytes\n",
		    VK_PASSWORD_MAX);
		return -1;
	}
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return 0;
}

static int
parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (*end != '\0' || v > 1000000)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int
list(struct vk_store *st, const struct vk_page *pg)
{
	struct vk_user_list *l = NULL;
	char t[32];
	size_t i;
	int r;

	if ((r = vk_store_user_list(st, pg, &l)) != 0) {
		fprintf(stderr, "vaksam user: %s\n", vk_strerror(r));
		return 1;
	}
	printf("%-6s %-24s %-9s %-8s %-4s %-20s %s\n", "ID", "NAME", "ROLE",
	    "STATUS", "LANG", "CREATED", "DISPLAY NAME");
	for (i = 0; i < l->n; i++) {
		const struct vk_user *u = &l->v[i];

		vk_cmd_fmt_time(u->created, t, sizeof(t));
		printf("%-6" PRId64 " %-24s %-9s %-8s %-4s %-20s %s\n", u->id,
		    u->username, vk_role_name(u->role),
		    u->disabled ? "disabled" : "active", vk_lang_name(u->lang),
		    t, u->display_name);
	}
	printf("# %zu of %" PRId64 " users\n", l->n, l->total);
	vk_user_list_free(l);
	return 0;
}

int
cmd_user(int argc, char **argv)
{
	struct vk_store_opts so = { 0 };
	struct vk_store *st = NULL;
	struct vk_page pg = { 0, 0 };
	struct vk_diag d;
	const char *pos[3] = { NULL, NULL, NULL };
	const char *role_s = NULL, *display = NULL, *email = NULL, *verb;
	char actor[300], pw[VK_PASSWORD_MAX + 2], gen[VK_PASSWORD_GEN_LEN + 1];
	bool from_stdin = false, generated = false;
	enum vk_role role = VK_ROLE_EMPLOYEE;
	int i, r, npos = 0, rc = 1;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((r = vk_store_opts_take(&so, argc, argv, &i)) < 0)
			return 2;
		if (r > 0)
			continue;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--password-stdin") == 0) {
			from_stdin = true;
		} else if (strcmp(a, "--role") == 0 ||
		    strcmp(a, "--display") == 0 || strcmp(a, "--email") == 0 ||
		    strcmp(a, "--limit") == 0 || strcmp(a, "--offset") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr,
				    "vaksam user: %s needs a value\n", a);
				return 2;
			}
			const char *v = argv[++i];

			if (strcmp(a, "--role") == 0)
				role_s = v;
			else if (strcmp(a, "--display") == 0)
				display = v;
			else if (strcmp(a, "--email") == 0)
				email = v;
			else if (parse_size(v,
				     strcmp(a, "--limit") == 0
					 ? &pg.limit
					 : &pg.offset) != 0) {
				fprintf(stderr,
				    "vaksam user: %s wants a number\n", a);
				return 2;
			}
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(
			    stderr, "vaksam user: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else if (npos < 3) {
			pos[npos++] = a;
		} else {
			fprintf(stderr, "vaksam user: too many arguments\n");
			return 2;
		}
	}
	verb = pos[0];
	if (verb == NULL) {
		usage(stderr);
		return 2;
	}
#define NEED(n) \
	do { \
		if (npos != (n)) { \
			usage(stderr); \
			return 2; \
		} \
	} while (0)
	if (strcmp(verb, "add") == 0) {
		NEED(2);
		if (role_s == NULL) {
			fprintf(stderr, "vaksam user: add needs --role ROLE\n");
			return 2;
		}
	} else if (strcmp(verb, "role") == 0) {
		NEED(3);
		role_s = pos[2];
	} else if (strcmp(verb, "list") == 0) {
		NEED(1);
	} else if (strcmp(verb, "passwd") == 0 ||
	    strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0) {
		NEED(2);
	} else {
		fprintf(stderr, "vaksam user: no subcommand '%s'\n", verb);
		usage(stderr);
		return 2;
	}
#undef NEED
	if (role_s != NULL && vk_role_parse(role_s, &role) != 0) {
		fprintf(stderr,
		    "vaksam user: unknown role '%s' (employee, handler, admin, "
		    "auditor)\n",
		    role_s);
		return 2;
	}
	if (from_stdin && read_password(pw, sizeof(pw)) != 0)
		return 2;
	if (vk_store_opts_open(&so, "user", true, &st) != 0)
		goto wipe;
	vk_audit_cli_actor(actor, sizeof(actor));
	vk_diag_init(&d);
	r = 0;
	if (strcmp(verb, "list") == 0) {
		rc = list(st, &pg);
		goto out;
	} else if (strcmp(verb, "add") == 0) {
		r = vk_account_create(st, actor, "", pos[1], role, display,
		    email, from_stdin ? pw : NULL, gen, sizeof(gen), NULL, &d);
		generated = !from_stdin;
	} else if (strcmp(verb, "passwd") == 0) {
		r = vk_account_set_password(st, actor, "", pos[1],
		    from_stdin ? pw : NULL, gen, sizeof(gen), &d);
		generated = !from_stdin;
	} else if (strcmp(verb, "disable") == 0 ||
	    strcmp(verb, "enable") == 0) {
		r = vk_account_set_disabled(
		    st, actor, "", pos[1], strcmp(verb, "disable") == 0, &d);
	} else {
		r = vk_account_set_role(st, actor, "", pos[1], role, &d);
	}
	if (r != 0) {
		fprintf(stderr, "vaksam user %s: %s\n", verb, vk_strerror(r));
		vk_diag_print(&d, stderr);
		goto out;
	}
	if (generated)
		printf("password for %s (shown once): %s\n", pos[1], gen);
	else
		printf("user %s: %s done\n", pos[1], verb);
	rc = 0;
out:
	vk_diag_release(&d);
	vk_store_close(st);
wipe:
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(gen, sizeof(gen));
	return rc;
}
