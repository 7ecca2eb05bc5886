/*
 * config.c — config file, environment and flags for `vaksam serve`.
 */
#include "web/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/err.h"

const char *const vk_web_config_keys[] = { "listen", "data", "db", "tls_cert",
	"tls_key", "trusted_proxy", "threads", "connection_limit",
	"per_ip_limit", "timeout", "memory_limit", "body_limit", "idle_timeout",
	"absolute_timeout", "log_format", "demo", "metrics_token", NULL };

int
vk_web_config_init(struct vk_web_config *c)
{
	memset(c, 0, sizeof(*c));
	if ((c->listen = strdup("127.0.0.1:8080")) == NULL)
		return VK_ENOMEM;
	c->threads = 0;
	c->connection_limit = 1000;
	/* Generous: a reverse proxy may hold many connections (set 0 for
	 * no limit behind one). */
	c->per_ip_limit = 256;
	c->timeout = 30;
	c->memory_limit = 64 * 1024;
	c->body_limit = 1024 * 1024;
	c->idle_timeout = 30 * 60;
	c->absolute_timeout = 12 * 3600;
	return 0;
}

void
vk_web_config_release(struct vk_web_config *c)
{
	if (c == NULL)
		return;
	free(c->listen);
	free(c->data_dir);
	free(c->db_url);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->metrics_token);
	memset(c, 0, sizeof(*c));
}

int
vk_cidr_parse(const char *s, struct vk_cidr *out)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned max;

	if (n == 0 || n >= sizeof(host))
		return VK_EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, host, out->addr) == 1) {
		out->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, out->addr) == 1) {
		out->family = AF_INET6;
		max = 128;
	} else
		return VK_EINVAL;
	out->bits = max;
	if (slash) {
		char *end;
		unsigned long b;

		errno = 0;
		b = strtoul(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || b > max)
			return VK_EINVAL;
		out->bits = (unsigned)b;
	}
	return 0;
}

int
vk_cidr_contains(const struct vk_cidr *c, int family, const unsigned char *addr)
{
	unsigned full, rest;

	if (family != c->family)
		return 0;
	full = c->bits / 8;
	rest = c->bits % 8;
	if (memcmp(c->addr, addr, full) != 0)
		return 0;
	if (rest) {
		unsigned char m = (unsigned char)(0xff << (8 - rest));

		if ((c->addr[full] & m) != (addr[full] & m))
			return 0;
	}
	return 1;
}

static int
set_str(char **dst, const char *v)
{
	char *p = strdup(v);

	if (p == NULL)
		return VK_ENOMEM;
	free(*dst);
	*dst = p;
	return 0;
}

static int
parse_uint(
    const char *v, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	unsigned long x;

	if (!isdigit((unsigned char)v[0]))
		return VK_EINVAL;
	errno = 0;
	x = strtoul(v, &end, 10);
	if (errno || *end || x < lo || x > hi)
		return VK_EINVAL;
	*out = x;
	return 0;
}

static int
set_proxies(struct vk_web_config *c, const char *v, const char *where,
    struct vk_diag *d)
{
	char item[80];
	const char *p = v;

	c->nproxies = 0;
	while (*p) {
		size_t n = 0;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		while (p[n] && p[n] != ' ' && p[n] != ',' && p[n] != '\t')
			n++;
		if (n == 0)
			break;
		if (n >= sizeof(item) || c->nproxies == VK_PROXIES_MAX ||
		    (memcpy(item, p, n), item[n] = '\0',
			vk_cidr_parse(item, &c->proxies[c->nproxies]) != 0)) {
			vk_diag_error(d, where,
			    "trusted_proxy: '%.*s' is not an address or "
			    "CIDR (e.g. 10.0.0.0/8), or more than %d given",
			    (int)(n > 60 ? 60 : n), p, VK_PROXIES_MAX);
			return VK_EINVAL;
		}
		c->nproxies++;
		p += n;
	}
	return 0;
}

int
vk_web_config_set(struct vk_web_config *c, const char *key, const char *value,
    const char *where, struct vk_diag *d)
{
	unsigned long x;

	if (strcmp(key, "listen") == 0) {
		if (strchr(value, ':') == NULL) {
			vk_diag_error(d, where,
			    "listen: '%s' needs ADDRESS:PORT, e.g. "
			    "127.0.0.1:8080",
			    value);
			return VK_EINVAL;
		}
		return set_str(&c->listen, value);
	}
	if (strcmp(key, "data") == 0)
		return set_str(&c->data_dir, value);
	if (strcmp(key, "db") == 0)
		return set_str(&c->db_url, value);
	if (strcmp(key, "tls_cert") == 0)
		return set_str(&c->tls_cert, value);
	if (strcmp(key, "tls_key") == 0)
		return set_str(&c->tls_key, value);
	if (strcmp(key, "metrics_token") == 0)
		return set_str(&c->metrics_token, value);
	if (strcmp(key, "trusted_proxy") == 0)
		return set_proxies(c, value, where, d);
	if (strcmp(key, "log_format") == 0) {
		if (strcmp(value, "text") == 0)
			c->log_json = 0;
		else if (strcmp(value, "json") == 0)
			c->log_json = 1;
		else {
			vk_diag_error(d, where,
			    "log_format: '%s' is not 'text' or 'json'", value);
			return VK_EINVAL;
		}
		return 0;
	}
	if (strcmp(key, "demo") == 0) {
		if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
			c->demo = 1;
		else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
			c->demo = 0;
		else {
			vk_diag_error(
			    d, where, "demo: '%s' is not true or false", value);
			return VK_EINVAL;
		}
		return 0;
	}
#define NUM(name, lo, hi, field) \
	if (strcmp(key, name) == 0) { \
		if (parse_uint(value, lo, hi, &x) != 0) { \
			vk_diag_error(d, where, \
			    "%s: '%s' is not a whole number from %lu " \
			    "to %lu", \
			    name, value, (unsigned long)(lo), \
			    (unsigned long)(hi)); \
			return VK_EINVAL; \
		} \
		c->field = x; \
		return 0; \
	}
	NUM("threads", 0, 256, threads)
	NUM("connection_limit", 1, 100000, connection_limit)
	NUM("per_ip_limit", 0, 100000, per_ip_limit)
	NUM("timeout", 1, 3600, timeout)
	NUM("memory_limit", 8192, 16 * 1024 * 1024, memory_limit)
	NUM("body_limit", 1024, 64 * 1024 * 1024, body_limit)
	NUM("idle_timeout", 60, 7 * 24 * 3600, idle_timeout)
	NUM("absolute_timeout", 60, 30 * 24 * 3600, absolute_timeout)
#undef NUM
	vk_diag_error(d, where,
	    "'%s' is not a setting; see vaksam-serve(1) for the list", key);
	return VK_EINVAL;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s &&
	    (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int
vk_web_config_load_file(
    struct vk_web_config *c, const char *path, struct vk_diag *d)
{
	char line[4096], where[512];
	unsigned lineno = 0;
	FILE *fp;
	int r = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		vk_diag_error(d, path, "cannot read the config file: %s",
		    strerror(errno));
		return VK_EIO;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *s, *eq, *key, *val;
		size_t len = strlen(line);

		lineno++;
		snprintf(where, sizeof(where), "%s:%u", path, lineno);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			vk_diag_error(d, where, "line is too long");
			r = VK_EINVAL;
			break;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if ((eq = strchr(s, '=')) == NULL) {
			vk_diag_error(d, where,
			    "expected 'key = value', e.g. "
			    "'listen = 127.0.0.1:8080'");
			r = VK_EINVAL;
			continue;
		}
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		if (vk_web_config_set(c, key, val, where, d) != 0)
			r = VK_EINVAL;
	}
	if (ferror(fp)) {
		vk_diag_error(d, path, "read error");
		r = VK_EIO;
	}
	fclose(fp);
	return r;
}

int
vk_web_config_load_env(struct vk_web_config *c, struct vk_diag *d)
{
	char var[64];
	const char *v;
	size_t i, k;
	int r = 0;

	for (i = 0; vk_web_config_keys[i]; i++) {
		int w = snprintf(
		    var, sizeof(var), "VAKSAM_%s", vk_web_config_keys[i]);

		if (w < 0 || (size_t)w >= sizeof(var))
			return VK_EINTERNAL;
		for (k = 7; var[k]; k++)
			var[k] = (char)toupper((unsigned char)var[k]);
		if ((v = getenv(var)) == NULL)
			continue;
		if (vk_web_config_set(c, vk_web_config_keys[i], v, var, d) != 0)
			r = VK_EINVAL;
	}
	return r;
}
