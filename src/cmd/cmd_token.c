/*
 * cmd_token.c — `vaksam token create|list|revoke`: API tokens for
 * integrations.  The token is printed once; the store keeps its hash.
 */
#include <errno.h>
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
	    "usage: vaksam token create --user NAME --name LABEL\n"
	    "       vaksam token list [--user NAME]\n"
	    "       vaksam token revoke ID\n"
	    "\n"
	    "create prints the token (vk_<id>_<secret>) once on standard\n"
	    "output; send it as 'Authorization: Bearer <token>'.\n"
	    "\n" VK_STORE_OPTS_USAGE);
}

static int
parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (*s < '1' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return -1;
	*id = (int64_t)v;
	return 0;
}

static int
list(struct vk_store *st, const char *user)
{
	struct vk_token_list *l = NULL;
	struct vk_page pg = { VK_PAGE_MAX, 0 };
	struct vk_user *u = NULL;
	char c[32], lu[32];
	size_t i;
	int r, rc = 1;

	if (user != NULL &&
	    (r = vk_store_user_get_by_name(st, user, &u)) != 0) {
		fprintf(stderr, "vaksam token: no user '%s'\n", user);
		return 1;
	}
	printf("%-6s %-8s %-20s %-20s %-8s %s\n", "ID", "USER_ID", "CREATED",
	    "LAST_USED", "STATUS", "NAME");
	do {
		if ((r = vk_store_token_list(st, u ? u->id : 0, &pg, &l)) !=
		    0) {
			fprintf(stderr, "vaksam token: %s\n", vk_strerror(r));
			goto out;
		}
		for (i = 0; i < l->n; i++) {
			const struct vk_token *t = &l->v[i];

			vk_cmd_fmt_time(t->created, c, sizeof(c));
			vk_cmd_fmt_time(t->last_used, lu, sizeof(lu));
			printf("%-6" PRId64 " %-8" PRId64 " %-20s %-20s %-8s "
			       "%s\n",
			    t->id, t->user_id, c, lu,
			    t->revoked ? "revoked" : "active", t->name);
		}
		pg.offset += l->n;
		i = l->n;
		vk_token_list_free(l);
		l = NULL;
	} while (i == pg.limit);
	rc = 0;
out:
	vk_user_free(u);
	return rc;
}

int
cmd_token(int argc, char **argv)
{
	struct vk_store_opts so = { 0 };
	struct vk_store *st = NULL;
	const char *verb = NULL, *arg = NULL, *user = NULL, *name = NULL;
	char actor[300], tok[VK_TOKEN_STR_MAX];
	int64_t id = 0;
	int i, r, rc = 1;

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
		if (strcmp(a, "--user") == 0 || strcmp(a, "--name") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr,
				    "vaksam token: %s needs a value\n", a);
				return 2;
			}
			if (strcmp(a, "--user") == 0)
				user = argv[++i];
			else
				name = argv[++i];
		} else if (a[0] == '-') {
			fprintf(
			    stderr, "vaksam token: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		} else if (verb == NULL) {
			verb = a;
		} else if (arg == NULL) {
			arg = a;
		} else {
			fprintf(stderr, "vaksam token: too many arguments\n");
			return 2;
		}
	}
	if (verb == NULL) {
		usage(stderr);
		return 2;
	}
	if (strcmp(verb, "create") == 0) {
		if (user == NULL || name == NULL || arg != NULL) {
			fprintf(stderr,
			    "vaksam token: create needs --user NAME and "
			    "--name LABEL\n");
			return 2;
		}
	} else if (strcmp(verb, "revoke") == 0) {
		if (arg == NULL || parse_id(arg, &id) != 0) {
			fprintf(stderr,
			    "vaksam token: revoke needs a token ID (see "
			    "'vaksam token list')\n");
			return 2;
		}
	} else if (strcmp(verb, "list") != 0 || arg != NULL) {
		usage(stderr);
		return 2;
	}
	if (vk_store_opts_open(&so, "token", true, &st) != 0)
		return 1;
	vk_audit_cli_actor(actor, sizeof(actor));
	if (strcmp(verb, "list") == 0) {
		rc = list(st, user);
	} else if (strcmp(verb, "create") == 0) {
		r = vk_token_issue(
		    st, actor, "", user, name, tok, sizeof(tok), &id);
		if (r == VK_ENOTFOUND)
			fprintf(stderr, "vaksam token: no user '%s'\n", user);
		else if (r == VK_EINVAL)
			fprintf(stderr,
			    "vaksam token: the label must be 1 to 100 bytes of "
			    "text\n");
		else if (r != 0)
			fprintf(stderr, "vaksam token: %s\n", vk_strerror(r));
		else {
			printf("%s\n", tok);
			fprintf(stderr,
			    "vaksam token: token %" PRId64 " for %s created; "
			    "it is shown only now\n",
			    id, user);
			rc = 0;
		}
		sodium_memzero(tok, sizeof(tok));
	} else {
		r = vk_token_revoke_audited(st, actor, "", id);
		if (r == VK_ENOTFOUND)
			fprintf(
			    stderr, "vaksam token: no token %" PRId64 "\n", id);
		else if (r != 0)
			fprintf(stderr, "vaksam token: %s\n", vk_strerror(r));
		else {
			printf("token %" PRId64 " revoked\n", id);
			rc = 0;
		}
	}
	vk_store_close(st);
	return rc;
}
