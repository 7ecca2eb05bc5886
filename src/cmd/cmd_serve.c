/*
 * cmd_serve.c — `vaksam serve`: the portal and the JSON API.
 *
 * Settings come from the config file, then VAKSAM_* variables, then the
 * flags (web/config.h).  On the first start with an empty store the admin
 * account is created and its password printed once; --demo loads a
 * fictional municipality.  SIGTERM/SIGINT stop accepting, let requests in
 * flight finish and close the store.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "account/account.h"
#include "cmd/cmd.h"
#include "cmd/store_opts.h"
#include "store/store.h"
#include "util/err.h"
#include "util/log.h"
#include "mail/mail.h"
#include "web/config.h"
#include "web/server.h"
#include "web/session.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: vaksam serve [--listen ADDR:PORT] [--data DIR | --db URL]\n"
	    "                    [--config FILE] [--tls-cert FILE --tls-key "
	    "FILE]\n"
	    "                    [--trusted-proxy CIDR]... [--threads N] "
	    "[--demo]\n"
	    "                    [--log-format text|json]\n"
	    "\n"
	    "Runs the portal and the JSON API (default 127.0.0.1:8080).\n"
	    "Settings: the config file (--config, $VAKSAM_CONFIG or\n"
	    "/etc/vaksam/vaksam.conf), then VAKSAM_<KEY> variables, then\n"
	    "these flags; a later source wins.  See vaksam-serve(1).\n"
	    "\n"
	    "  --listen ADDR:PORT   where to listen; port 0 picks a free one\n"
	    "  --data DIR           data directory of the embedded SQLite "
	    "store\n"
	    "  --db URL             PostgreSQL store, postgresql://...\n"
	    "  --config FILE        read settings from FILE ('key = value')\n"
	    "  --tls-cert FILE      PEM certificate (with --tls-key): HTTPS\n"
	    "  --tls-key FILE       PEM private key\n"
	    "  --trusted-proxy CIDR honour X-Forwarded-For/-Proto from these\n"
	    "                       addresses (repeat or comma-separate)\n"
	    "  --threads N          worker threads (default: the cores)\n"
	    "  --demo               load a fictional municipality "
	    "(Exempelkommun)\n"
	    "  --log-format F       text (default) or json\n");
}

/* Flags and their config keys; all take one value except --demo. */
static const struct {
	const char *flag, *key;
} flags[] = {
	{ "--listen", "listen" },
	{ "--data", "data" },
	{ "--db", "db" },
	{ "--tls-cert", "tls_cert" },
	{ "--tls-key", "tls_key" },
	{ "--trusted-proxy", "trusted_proxy" },
	{ "--threads", "threads" },
	{ "--log-format", "log_format" },
	{ "--body-limit", "body_limit" },
	{ "--idle-timeout", "idle_timeout" },
	{ "--absolute-timeout", "absolute_timeout" },
};

/* The store spec, resolved like every other subcommand's
 * (cmd/store_opts.h), from the merged file/environment/flag settings. */
static int
default_spec(const struct vk_web_config *cfg, char *buf, size_t n)
{
	struct vk_store_opts so = { 0 };

	so.data = cfg->data_dir && *cfg->data_dir ? cfg->data_dir : NULL;
	so.db = cfg->db_url && *cfg->db_url ? cfg->db_url : NULL;
	return vk_store_opts_spec(&so, buf, n);
}

struct demo_user {
	const char *name, *display, *email;
	enum vk_role role;
};

static const struct demo_user demo_users[] = {
	{ "anna.andersson", "Anna Andersson", "anna.andersson@exempelkommun.se",
	    VK_ROLE_EMPLOYEE },
	{ "bo.berg", "Bo Berg", "bo.berg@exempelkommun.se", VK_ROLE_EMPLOYEE },
	{ "cecilia.carlsson", "Cecilia Carlsson",
	    "cecilia.carlsson@exempelkommun.se", VK_ROLE_HANDLER },
	{ "david.dahl", "David Dahl", "david.dahl@exempelkommun.se",
	    VK_ROLE_HANDLER },
	{ "eva.ek", "Eva Ek", "eva.ek@exempelkommun.se", VK_ROLE_ADMIN },
	{ "fredrik.falk", "Fredrik Falk", "fredrik.falk@exempelkommun.se",
	    VK_ROLE_AUDITOR },
};

/*
 * Loads the demo municipality, or refreshes it: every start with --demo
 * gives the demo accounts (and admin) new passwords and prints them, so
 * the printed list always works.  Refuses a store that was not made by
 * --demo and already has users.
 */
static int
load_demo(struct vk_store *st, int fresh)
{
	static const char *const settings[][2] = {
		{ "org.name", "Exempelkommun" },
		{ "org.mail_domains", "exempelkommun.se" },
		{ "org.web_domains", "exempelkommun.se\nwww.exempelkommun.se" },
		{ "default_lang", "sv" },
		{ "demo", "1" },
	};
	char pw[VK_PASSWORD_GEN_LEN + 1], *v = NULL;
	struct vk_diag d;
	size_t i;
	int r;

	r = vk_store_setting_get(st, "demo", &v);
	free(v);
	if (r == VK_ENOTFOUND && !fresh) {
		fprintf(stderr,
		    "vaksam serve: --demo: this store already holds real "
		    "users; use an empty --data directory for the demo\n");
		return VK_EEXIST;
	}
	vk_diag_init(&d);
	if (r == VK_ENOTFOUND) {
		for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
			if ((r = vk_store_setting_set(
				 st, settings[i][0], settings[i][1])) != 0)
				goto out;
		for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]);
		     i++) {
			const struct demo_user *u = &demo_users[i];

			r = vk_account_create(st, "system", "", u->name,
			    u->role, u->display, u->email, NULL, pw, sizeof(pw),
			    NULL, &d);
			if (r != 0 && r != VK_EEXIST)
				goto out;
		}
	}
	printf("\nDemo: Exempelkommun, a fictional municipality.  Log in as "
	       "any of these\n(new passwords at every start with --demo):\n\n");
	printf("  %-9s  %-17s  %s\n", "role", "user", "password");
	for (i = 0; i <= sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		const char *name =
		    i < sizeof(demo_users) / sizeof(demo_users[0])
		    ? demo_users[i].name
		    : "admin";
		enum vk_role role =
		    i < sizeof(demo_users) / sizeof(demo_users[0])
		    ? demo_users[i].role
		    : VK_ROLE_ADMIN;

		r = vk_account_set_password(
		    st, "system", "", name, NULL, pw, sizeof(pw), &d);
		if (r != 0)
			goto out;
		printf("  %-9s  %-17s  %s\n", vk_role_name(role), name, pw);
		sodium_memzero(pw, sizeof(pw));
	}
	printf("\n");
	r = 0;
out:
	if (r != 0) {
		fprintf(stderr, "vaksam serve: --demo: %s\n",
		    (d.n && d.v[0].msg ? d.v[0].msg : vk_strerror(r)));
	}
	vk_diag_release(&d);
	return r;
}

int
cmd_serve(int argc, char **argv)
{
	struct vk_web_config cfg;
	struct vk_store *st = NULL;
	struct vk_web *w = NULL;
	struct vk_mailer *mailer = NULL;
	struct vk_diag d;
	const char *config = NULL;
	char spec[4096], shown[4096], url[300];
	char pw[VK_PASSWORD_GEN_LEN + 1];
	sigset_t sigs;
	int i, sig, r, ret = 1, fresh = 0;
	size_t k;

	vk_diag_init(&d);
	if (vk_web_config_init(&cfg) != 0)
		return 1;
	/* The config file comes first, so find --config before the rest. */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			ret = 0;
			goto out;
		}
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config = argv[++i];
	}
	if (config == NULL)
		config = getenv("VAKSAM_CONFIG");
	if (config == NULL && access("/etc/vaksam/vaksam.conf", R_OK) == 0)
		config = "/etc/vaksam/vaksam.conf";
	if (config && vk_web_config_load_file(&cfg, config, &d) != 0)
		goto bad;
	if (vk_web_config_load_env(&cfg, &d) != 0)
		goto bad;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0) {
			if (++i == argc)
				goto missing;
			continue;
		}
		if (strcmp(argv[i], "--demo") == 0) {
			cfg.demo = 1;
			continue;
		}
		for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
			if (strcmp(argv[i], flags[k].flag) == 0)
				break;
		if (k == sizeof(flags) / sizeof(flags[0])) {
			fprintf(stderr,
			    "vaksam serve: unknown option '%s'; see "
			    "'vaksam serve --help'\n",
			    argv[i]);
			ret = 2;
			goto out;
		}
		if (++i == argc)
			goto missing;
		if (strcmp(flags[k].key, "trusted_proxy") == 0 &&
		    cfg.nproxies > 0) {
			/* repeated flags add up */
			struct vk_web_config tmp;
			size_t n = cfg.nproxies, m;

			vk_web_config_init(&tmp);
			r = vk_web_config_set(
			    &tmp, "trusted_proxy", argv[i], argv[i - 1], &d);
			for (m = 0;
			     r == 0 && m < tmp.nproxies && n < VK_PROXIES_MAX;
			     m++)
				cfg.proxies[n++] = tmp.proxies[m];
			cfg.nproxies = n;
			vk_web_config_release(&tmp);
			if (r != 0)
				goto bad;
			continue;
		}
		if (vk_web_config_set(
			&cfg, flags[k].key, argv[i], argv[i - 1], &d) != 0)
			goto bad;
	}
	vk_log_set_json(cfg.log_json);
	if (default_spec(&cfg, spec, sizeof(spec)) != 0) {
		fprintf(stderr,
		    "vaksam serve: no store given and no default; use "
		    "--data DIR or --db URL\n");
		goto out;
	}
	if (vk_store_open(spec, &st, &d) != 0 ||
	    vk_store_migrate(st, NULL, &d) != 0)
		goto bad;
	(void)vk_store_spec_redact(spec, shown, sizeof(shown));

	r = vk_account_bootstrap(st, pw, sizeof(pw));
	if (r == 0 && cfg.demo) {
		fresh = 1; /* load_demo() prints every password */
		sodium_memzero(pw, sizeof(pw));
	} else if (r == 0) {
		fresh = 1;
		printf("vaksam: first start: created the account 'admin' with "
		       "the password\n\n    %s\n\n"
		       "It is shown only this once; change it under Profile.\n",
		    pw);
		sodium_memzero(pw, sizeof(pw));
	} else if (r != VK_EEXIST) {
		fprintf(stderr,
		    "vaksam serve: cannot create the first "
		    "account: %s\n",
		    vk_strerror(r));
		goto out;
	}
	if (cfg.demo && load_demo(st, fresh) != 0)
		goto out;
	{
		char *dl = NULL;
		enum vk_lang l;

		if (vk_store_setting_get(st, "default_lang", &dl) == 0 &&
		    vk_lang_parse(dl, &l) == 0)
			vk_web_set_default_lang(l);
		free(dl);
	}

	/* Block the stop signals before MHD starts its threads, so that
	 * only sigwait() below receives them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (vk_web_start(&cfg, st, &w, url, sizeof(url), &d) != 0)
		goto bad;
	vk_log(VK_LOG_INFO, "listening", "url=%s store=%s backend=%s", url,
	    shown, vk_store_backend(st));
	/* Mail (notifications) goes out from the job queue. */
	if (vk_mailer_start(st, 1000, &mailer) != 0)
		vk_log(
		    VK_LOG_WARN, "mail", "the mail queue thread did not start");
	printf("vaksam: the portal is at %s\n", url);
	fflush(stdout);
	if (sigwait(&sigs, &sig) != 0)
		sig = SIGTERM;
	vk_log(VK_LOG_INFO, "stopping", "signal=%d", sig);
	vk_mailer_stop(mailer);
	mailer = NULL;
	vk_web_stop(w, 10);
	w = NULL;
	ret = 0;
	goto out;
missing:
	fprintf(stderr, "vaksam serve: %s needs a value\n", argv[i - 1]);
	ret = 2;
	goto out;
bad:
	vk_diag_print(&d, stderr);
	if (d.n == 0)
		fprintf(stderr, "vaksam serve: cannot start\n");
out:
	vk_mailer_stop(mailer);
	vk_web_stop(w, 0);
	vk_store_close(st);
	vk_web_config_release(&cfg);
	vk_diag_release(&d);
	return ret;
}
