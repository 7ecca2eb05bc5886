/*
 * router.c — path decoding, route matching and the access decision.
 */
#include "web/router.h"

#include <stdio.h>
#include <string.h>

#include "util/err.h"
#include "web/form.h"
#include "web/i18n.h"
#include "util/hex.h"

int
vk_router_decode_path(const char *raw, char *out, size_t outlen)
{
	size_t i, j = 0, seg = 0;

	if (outlen == 0)
		return VK_ETOOBIG;
	if (raw[0] != '/')
		return VK_EPARSE;
	for (i = 0; raw[i]; i++) {
		char c = raw[i];

		if (c == '%') {
			int hi = vk_hexval(raw[i + 1]), lo;

			if (hi < 0 || (lo = vk_hexval(raw[i + 2])) < 0)
				return VK_EPARSE;
			c = (char)(hi << 4 | lo);
			i += 2;
			/* An encoded separator would let a segment hide a
			 * path; refuse rather than guess. */
			if (c == '/' || c == '\\' || c == '\0')
				return VK_EPARSE;
		} else if (c == '\\')
			return VK_EPARSE;
		if (j + 1 >= outlen)
			return VK_ETOOBIG;
		if (c == '/' && raw[i] == '/') {
			size_t len = j - seg;

			if (j > 0) {
				if (len == 0)
					return VK_EPARSE; /* "//" */
				if ((len == 1 && out[seg] == '.') ||
				    (len == 2 && out[seg] == '.' &&
					out[seg + 1] == '.'))
					return VK_EPARSE;
			}
			out[j++] = '/';
			seg = j;
			continue;
		}
		out[j++] = c;
	}
	if ((j - seg == 1 && out[seg] == '.') ||
	    (j - seg == 2 && out[seg] == '.' && out[seg + 1] == '.'))
		return VK_EPARSE;
	out[j] = '\0';
	if (!vk_web_utf8_valid(out, j, NULL))
		return VK_EPARSE;
	return 0;
}

static int
param_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Does `path` match `pattern`?  Fills params on success. */
static int
match_pattern(const char *pattern, const char *path, struct vk_route_match *m)
{
	const char *p = pattern, *s = path;

	m->nparams = 0;
	while (*p && *s) {
		if (*p == '{') {
			size_t n = 0;

			while (*p && *p != '}')
				p++;
			if (*p == '}')
				p++;
			while (s[n] && s[n] != '/') {
				if (!param_char(s[n]))
					return 0;
				n++;
			}
			if (n == 0 || n >= VK_ROUTE_PARAM_MAX ||
			    m->nparams == VK_ROUTE_PARAMS)
				return 0;
			memcpy(m->params[m->nparams], s, n);
			m->params[m->nparams][n] = '\0';
			m->nparams++;
			s += n;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

int
vk_router_match(const struct vk_route *table, size_t n, const char *method,
    const char *path, struct vk_route_match *m)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	int path_seen = 0;
	size_t i, alen = 0;

	m->route = NULL;
	m->allow_methods[0] = '\0';
	for (i = 0; i < n; i++) {
		struct vk_route_match tmp;

		if (!match_pattern(table[i].pattern, path, &tmp))
			continue;
		if (strcmp(table[i].method, want) == 0) {
			*m = tmp;
			m->route = &table[i];
			m->index = i;
			m->allow_methods[0] = '\0';
			return 0;
		}
		path_seen = 1;
		if (alen + strlen(table[i].method) + 3 <
		    sizeof(m->allow_methods)) {
			int w = snprintf(m->allow_methods + alen,
			    sizeof(m->allow_methods) - alen, "%s%s",
			    alen ? ", " : "", table[i].method);

			if (w > 0)
				alen += (size_t)w;
		}
	}
	return path_seen ? VK_EUNSUPPORTED : VK_ENOTFOUND;
}

int
vk_route_allows(const struct vk_route *r, enum vk_web_role role)
{
	if ((unsigned)role >= VK_WROLE_MAX)
		return 0;
	return (r->allow & VK_ALLOW(role)) != 0;
}

static const char *const role_names[VK_WROLE_MAX] = {
	[VK_WROLE_ANON] = N_("anonymous"),
	[VK_WROLE_EMPLOYEE] = N_("employee"),
	[VK_WROLE_HANDLER] = N_("handler"),
	[VK_WROLE_ADMIN] = N_("admin"),
	[VK_WROLE_AUDITOR] = N_("auditor"),
};

const char *
vk_web_role_name(enum vk_web_role role)
{
	if ((unsigned)role >= VK_WROLE_MAX)
		return "anonymous";
	return role_names[role];
}

int
vk_web_role_parse(const char *name)
{
	int i;

	for (i = 1; i < VK_WROLE_MAX; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}
