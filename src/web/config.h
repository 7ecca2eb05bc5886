/*
 * config.h — settings of `vaksam serve`.
 *
 * Three sources, applied in this order (a later one wins):
 *   1. the config file (--config FILE, else $VAKSAM_CONFIG, else
 *      /etc/vaksam/vaksam.conf when it exists): lines "key = value",
 *      '#' starts a comment, blank lines ignored;
 *   2. the environment: VAKSAM_<KEY> with the key upper-cased
 *      (VAKSAM_LISTEN, VAKSAM_DATA, VAKSAM_TRUSTED_PROXY, ...);
 *   3. command-line flags (--listen, --data, ...; see vaksam-serve(1)).
 * The keys are the rows of vk_web_config_keys[] (config.c); docs/
 * vaksam.conf.5 lists them.  An unknown key or a bad value is an error
 * with the file and line, never ignored.
 */
#ifndef VK_WEB_CONFIG_H
#define VK_WEB_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

#define VK_PROXIES_MAX 16

struct vk_cidr {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned bits;
};

struct vk_web_config {
	char *listen; /* "127.0.0.1:8080" */
	char *data_dir; /* --data */
	char *db_url; /* --db */
	char *tls_cert, *tls_key; /* file paths */
	struct vk_cidr proxies[VK_PROXIES_MAX];
	size_t nproxies;
	unsigned threads; /* 0: number of cores */
	unsigned connection_limit;
	unsigned per_ip_limit;
	unsigned timeout; /* seconds idle before MHD drops a connection */
	size_t memory_limit; /* per connection (headers) */
	size_t body_limit; /* forms / JSON bodies */
	unsigned idle_timeout; /* session, seconds */
	unsigned absolute_timeout; /* session, seconds */
	int log_json;
	int demo;
	char *metrics_token; /* optional; else only loopback may scrape */
};

/* Defaults (listen 127.0.0.1:8080, 1 MiB bodies, 30 min / 12 h). */
int vk_web_config_init(struct vk_web_config *c);
void vk_web_config_release(struct vk_web_config *c);
/*
 * Sets key to value (from source `where`, e.g. "vaksam.conf:3" or
 * "VAKSAM_LISTEN" or "--listen").  VK_EINVAL with a diag on a bad key or
 * value.
 */
int vk_web_config_set(struct vk_web_config *c, const char *key,
    const char *value, const char *where, struct vk_diag *d);
/* Reads a config file.  VK_EIO when it cannot be read. */
int vk_web_config_load_file(
    struct vk_web_config *c, const char *path, struct vk_diag *d);
/* Applies VAKSAM_<KEY> variables from the environment. */
int vk_web_config_load_env(struct vk_web_config *c, struct vk_diag *d);
/* Parses "10.0.0.0/8" or "::1" into *out. */
int vk_cidr_parse(const char *s, struct vk_cidr *out);
/* Is the address (family AF_INET/AF_INET6, raw bytes) inside cidr? */
int vk_cidr_contains(
    const struct vk_cidr *c, int family, const unsigned char *addr);

/* The keys a config file may hold, NULL-terminated. */
extern const char *const vk_web_config_keys[];

#endif
