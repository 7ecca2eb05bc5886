/*
 * allow.c — allow-lists: MISP warninglists and plain lists, and marking
 * the indicators they catch as suppressed.
 *
 * Each list keeps its entries in the containers its match types need:
 * hash sets for exact strings, host names (looked up suffix by suffix)
 * and network prefixes (looked up once per prefix length the list holds),
 * plus plain arrays for substrings and compiled regular expressions, which
 * real lists keep short.  The semantics are in docs/matching.md.
 */
#include "ioc/allow.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>

#include "ioc/normalize.h"
#include "util/arena.h"
#include "util/err.h"

/* Ceilings: one list file, one entry. */
#define VK_ALLOW_FILE_MAX (256u * 1024 * 1024)
#define VK_ALLOW_ENTRY_MAX (64u * 1024)
/* Backtracking budget per regex match, so that a hostile pattern cannot
 * stall the hunt. */
#define VK_ALLOW_MATCH_LIMIT 1000000

struct vk_strset_slot {
	uint64_t h;
	const char *s; /* NULL = empty */
	size_t len;
};

/* A set of byte strings (copied into the list's arena). */
struct vk_strset {
	struct vk_strset_slot *v;
	size_t cap, n;
};

struct vk_allow_list {
	char *name;
	uint32_t types; /* bit (1 << enum vk_ioc_type) per type it covers */
	struct vk_arena arena;
	struct vk_strset exact; /* lower-cased strings and their keys */
	struct vk_strset subdom; /* "string" entries ".x": subdomains of x */
	struct vk_strset host; /* host names: themselves and subdomains */
	struct vk_strset net; /* cidr: family, prefix, 16 address bytes */
	bool plen4[33], plen6[129]; /* prefix lengths present in net */
	bool has_net;
	char **subs; /* lower-cased substrings */
	size_t *sublen;
	size_t nsubs, subcap;
	pcre2_code **re;
	size_t nre, recap;
};

struct vk_allow {
	struct vk_allow_list **v;
	size_t n, cap;
};

#define ALL_TYPES ((uint32_t)((1u << VK_IOC_TYPE_MAX) - 1))
#define T(x) (1u << (x))

static uint64_t
hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h ^ (h >> 29);
}

static bool
strset_has(const struct vk_strset *set, const char *s, size_t n)
{
	uint64_t h;
	size_t j, mask;

	if (set->n == 0)
		return false;
	h = hash_bytes(s, n);
	mask = set->cap - 1;
	for (j = h & mask; set->v[j].s != NULL; j = (j + 1) & mask)
		if (set->v[j].h == h && set->v[j].len == n &&
		    memcmp(set->v[j].s, s, n) == 0)
			return true;
	return false;
}

static int
strset_add(
    struct vk_strset *set, struct vk_arena *arena, const char *s, size_t n)
{
	uint64_t h;
	size_t j, mask;

	if (strset_has(set, s, n))
		return 0;
	if ((set->n + 1) * 2 > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64, i;
		struct vk_strset_slot *v = calloc(cap, sizeof(*v));

		if (v == NULL)
			return VK_ENOMEM;
		for (i = 0; i < set->cap; i++) {
			if (set->v[i].s == NULL)
				continue;
			for (j = set->v[i].h & (cap - 1); v[j].s != NULL;
			     j = (j + 1) & (cap - 1))
				;
			v[j] = set->v[i];
		}
		free(set->v);
		set->v = v;
		set->cap = cap;
	}
	h = hash_bytes(s, n);
	mask = set->cap - 1;
	for (j = h & mask; set->v[j].s != NULL; j = (j + 1) & mask)
		;
	if ((set->v[j].s = vk_arena_strdup(arena, s, n)) == NULL)
		return VK_ENOMEM;
	set->v[j].h = h;
	set->v[j].len = n;
	set->n++;
	return 0;
}

static void
list_free(struct vk_allow_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	free(l->name);
	free(l->exact.v);
	free(l->subdom.v);
	free(l->host.v);
	free(l->net.v);
	free(l->subs);
	free(l->sublen);
	for (i = 0; i < l->nre; i++)
		pcre2_code_free(l->re[i]);
	free(l->re);
	vk_arena_release(&l->arena);
	free(l);
}

struct vk_allow *
vk_allow_new(void)
{
	return calloc(1, sizeof(struct vk_allow));
}

void
vk_allow_free(struct vk_allow *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++)
		list_free(a->v[i]);
	free(a->v);
	free(a);
}

size_t
vk_allow_count(const struct vk_allow *a)
{
	return a->n;
}

const char *
vk_allow_name(const struct vk_allow *a, size_t i)
{
	return i < a->n ? a->v[i]->name : NULL;
}

static void
lower_copy(char *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] =
		    (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
}

/* The network key: family, prefix, address masked to the prefix. */
static void
net_key(
    char key[18], enum vk_ioc_type t, const uint8_t addr[16], unsigned prefix)
{
	unsigned i;

	key[0] = (char)t;
	key[1] = (char)prefix;
	memcpy(key + 2, addr, 16);
	for (i = prefix; i < 128; i++)
		key[2 + i / 8] = (char)((unsigned char)key[2 + i / 8] &
		    (unsigned char)~(0x80u >> (i % 8)));
}

static int
add_net(struct vk_allow_list *l, enum vk_ioc_type t, const uint8_t addr[16],
    unsigned prefix)
{
	char key[18];

	net_key(key, t, addr, prefix);
	if (t == VK_IOC_IPV4)
		l->plen4[prefix] = true;
	else
		l->plen6[prefix] = true;
	l->has_net = true;
	return strset_add(&l->net, &l->arena, key, sizeof(key));
}

/* An exact string: lower-cased, and its normalised key as well when it
 * reads as an indicator (so "2001:DB8:0::1" also stands for
 * "2001:db8::1"). */
static int
add_exact(struct vk_allow_list *l, const char *s, size_t n, char *tmp)
{
	enum vk_ioc_type t;
	uint8_t addr[16], p;
	size_t kn;
	int r;

	lower_copy(tmp, s, n);
	if ((r = strset_add(&l->exact, &l->arena, tmp, n)) != 0)
		return r;
	if (vk_ioc_detect_type(s, n, &t) != 0)
		return 0;
	switch (t) {
	case VK_IOC_DOMAIN:
		if (vk_norm_domain(s, n, tmp, &kn) != 0)
			return 0;
		break;
	case VK_IOC_IPV4:
	case VK_IOC_IPV6:
		if (vk_norm_ip(s, n, &t, addr, &p) != 0)
			return 0;
		vk_ip_format(t, addr, p, tmp);
		kn = strlen(tmp);
		break;
	case VK_IOC_URL:
		if (vk_norm_url(s, n, tmp, 3 * VK_ALLOW_ENTRY_MAX + 16, &kn,
			NULL, NULL) != 0)
			return 0;
		lower_copy(tmp, tmp, kn);
		break;
	case VK_IOC_EMAIL:
		if (vk_norm_email(
			s, n, tmp, 3 * VK_ALLOW_ENTRY_MAX + 16, &kn) != 0)
			return 0;
		break;
	default:
		return 0;
	}
	return strset_add(&l->exact, &l->arena, tmp, kn);
}

/* A host name entry; "*." or "." in front means the same (the name and
 * its subdomains).  false when it is not a host name. */
static int
add_host(struct vk_allow_list *l, const char *s, size_t n, char *tmp, bool *ok)
{
	size_t kn;

	if (n >= 2 && s[0] == '*' && s[1] == '.') {
		s += 2;
		n -= 2;
	} else if (n >= 1 && s[0] == '.') {
		s++;
		n--;
	}
	*ok = vk_norm_domain(s, n, tmp, &kn) == 0;
	if (!*ok)
		return 0;
	return strset_add(&l->host, &l->arena, tmp, kn);
}

static int
add_sub(struct vk_allow_list *l, const char *s, size_t n)
{
	char *c;

	if (l->nsubs == l->subcap) {
		size_t cap = l->subcap ? l->subcap * 2 : 8;
		char **v = realloc(l->subs, cap * sizeof(*v));
		size_t *ln;

		if (v == NULL)
			return VK_ENOMEM;
		l->subs = v;
		if ((ln = realloc(l->sublen, cap * sizeof(*ln))) == NULL)
			return VK_ENOMEM;
		l->sublen = ln;
		l->subcap = cap;
	}
	if ((c = vk_arena_alloc(&l->arena, n + 1, 1)) == NULL)
		return VK_ENOMEM;
	lower_copy(c, s, n);
	c[n] = '\0';
	l->subs[l->nsubs] = c;
	l->sublen[l->nsubs++] = n;
	return 0;
}

/* A regex entry, either bare or in PHP's delimited form "/re/flags" as
 * MISP writes them; flags i, m, s, x are honoured. */
static int
add_regex(
    struct vk_allow_list *l, const char *s, size_t n, char *err, size_t errcap)
{
	uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	pcre2_code *re;
	int ec;
	PCRE2_SIZE eoff;

	if (n >= 2 && s[0] == '/') {
		size_t end = n - 1, k;
		bool flags_ok = true;

		while (end > 0 && s[end] != '/')
			end--;
		for (k = end + 1; k < n && end > 0; k++)
			if (strchr("imsxu", s[k]) == NULL || s[k] == '\0')
				flags_ok = false;
		if (end > 0 && flags_ok) {
			for (k = end + 1; k < n; k++) {
				if (s[k] == 'i')
					opts |= PCRE2_CASELESS;
				else if (s[k] == 'm')
					opts |= PCRE2_MULTILINE;
				else if (s[k] == 's')
					opts |= PCRE2_DOTALL;
				else if (s[k] == 'x')
					opts |= PCRE2_EXTENDED;
			}
			s++;
			n = end - 1;
		}
	}
	if (l->nre == l->recap) {
		size_t cap = l->recap ? l->recap * 2 : 8;
		pcre2_code **v = realloc(l->re, cap * sizeof(*v));

		if (v == NULL)
			return VK_ENOMEM;
		l->re = v;
		l->recap = cap;
	}
	re = pcre2_compile((PCRE2_SPTR)s, n, opts, &ec, &eoff, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[200];

		if (pcre2_get_error_message(ec, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", ec);
		snprintf(err, errcap, "%s at offset %zu", (const char *)msg,
		    (size_t)eoff);
		return VK_EPARSE;
	}
	l->re[l->nre++] = re;
	return 0;
}

enum vk_allow_kind {
	VK_ALLOW_STRING,
	VK_ALLOW_SUBSTRING,
	VK_ALLOW_HOSTNAME,
	VK_ALLOW_CIDR,
	VK_ALLOW_REGEX,
	VK_ALLOW_KIND_MAX
};

static const char *const kind_names[VK_ALLOW_KIND_MAX] = {
	"string",
	"substring",
	"hostname",
	"cidr",
	"regex",
};

/* What a MISP attribute type covers among vaksam's indicator types. */
static uint32_t
misp_types(const char *name)
{
	static const struct {
		const char *name;
		uint32_t types;
	} tab[] = {
		{ "domain", T(VK_IOC_DOMAIN) },
		{ "hostname", T(VK_IOC_DOMAIN) },
		{ "hostname|port", T(VK_IOC_DOMAIN) },
		{ "domain|ip",
		    T(VK_IOC_DOMAIN) | T(VK_IOC_IPV4) | T(VK_IOC_IPV6) },
		{ "ip-src", T(VK_IOC_IPV4) | T(VK_IOC_IPV6) },
		{ "ip-dst", T(VK_IOC_IPV4) | T(VK_IOC_IPV6) },
		{ "ip-src|port", T(VK_IOC_IPV4) | T(VK_IOC_IPV6) },
		{ "ip-dst|port", T(VK_IOC_IPV4) | T(VK_IOC_IPV6) },
		{ "url", T(VK_IOC_URL) },
		{ "uri", T(VK_IOC_URL) },
		{ "link", T(VK_IOC_URL) },
		{ "email", T(VK_IOC_EMAIL) },
		{ "email-src", T(VK_IOC_EMAIL) },
		{ "email-dst", T(VK_IOC_EMAIL) },
		{ "target-email", T(VK_IOC_EMAIL) },
		{ "md5", T(VK_IOC_MD5) },
		{ "filename|md5", T(VK_IOC_MD5) },
		{ "sha1", T(VK_IOC_SHA1) },
		{ "filename|sha1", T(VK_IOC_SHA1) },
		{ "sha256", T(VK_IOC_SHA256) },
		{ "filename|sha256", T(VK_IOC_SHA256) },
		{ "sha512", T(VK_IOC_SHA512) },
		{ "filename|sha512", T(VK_IOC_SHA512) },
		{ "filename", T(VK_IOC_FILENAME) },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(name, tab[i].name) == 0)
			return tab[i].types;
	return 0;
}

static struct vk_allow_list *
list_new(const char *name)
{
	struct vk_allow_list *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	vk_arena_init(&l->arena);
	if ((l->name = strdup(name)) == NULL) {
		free(l);
		return NULL;
	}
	l->types = ALL_TYPES;
	return l;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] != '\0' ? s + 1 : path;
}

static int
push_list(struct vk_allow *a, struct vk_allow_list *l)
{
	/* struct vk_ioc's `allow` holds 1 + a list's index in 16 bits. */
	if (a->n >= UINT16_MAX - 1)
		return VK_ETOOBIG;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 4;
		struct vk_allow_list **v = realloc(a->v, cap * sizeof(*v));

		if (v == NULL)
			return VK_ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = l;
	return 0;
}

/* One entry of a warninglist of kind k. */
static int
add_entry(struct vk_allow_list *l, enum vk_allow_kind k, const char *s,
    size_t n, char *tmp, const char *where, struct vk_diag *d)
{
	enum vk_ioc_type t;
	uint8_t addr[16], p;
	char err[300];
	bool ok;
	int r;

	switch (k) {
	case VK_ALLOW_STRING:
		if (n > 1 && s[0] == '.' &&
		    vk_norm_domain(s + 1, n - 1, tmp, &(size_t){ 0 }) == 0)
			return strset_add(
			    &l->subdom, &l->arena, tmp, strlen(tmp));
		return add_exact(l, s, n, tmp);
	case VK_ALLOW_SUBSTRING:
		if (n == 0) {
			vk_diag_warn(d, where,
			    "empty substring ignored (it would match "
			    "everything)");
			return 0;
		}
		return add_sub(l, s, n);
	case VK_ALLOW_HOSTNAME:
		if ((r = add_host(l, s, n, tmp, &ok)) != 0)
			return r;
		if (!ok)
			vk_diag_warn(d, where,
			    "not a host name, entry ignored; a hostname list "
			    "holds names such as example.com");
		return 0;
	case VK_ALLOW_CIDR:
		if (vk_norm_ip(s, n, &t, addr, &p) != 0) {
			vk_diag_warn(d, where,
			    "not an address or CIDR range, entry ignored; a "
			    "cidr list holds entries such as 192.0.2.0/24");
			return 0;
		}
		return add_net(l, t, addr, p);
	case VK_ALLOW_REGEX:
		if ((r = add_regex(l, s, n, err, sizeof(err))) == VK_EPARSE)
			vk_diag_error(d, where,
			    "regular expression does not compile: %s; fix or "
			    "remove the entry",
			    err);
		return r;
	default:
		return VK_EINVAL;
	}
}

static int
load_json(struct vk_allow_list *l, const char *name, const char *data,
    size_t len, char *tmp, struct vk_diag *d)
{
	json_error_t jerr;
	json_t *root, *list, *type, *jname, *attrs, *v;
	enum vk_allow_kind k = VK_ALLOW_STRING;
	char where[1100];
	size_t i;
	int r = 0;

	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		snprintf(where, sizeof(where), "%s:%d:%d", name, jerr.line,
		    jerr.column);
		vk_diag_error(d, where,
		    "not valid JSON: %s; a warninglist is a JSON object with "
		    "\"name\", \"type\" and \"list\"",
		    jerr.text);
		return VK_EPARSE;
	}
	if (!json_is_object(root)) {
		snprintf(where, sizeof(where), "%s:$", name);
		vk_diag_error(d, where, "expected a JSON object");
		r = VK_EPARSE;
		goto out;
	}
	if ((jname = json_object_get(root, "name")) != NULL) {
		if (!json_is_string(jname)) {
			snprintf(where, sizeof(where), "%s:$.name", name);
			vk_diag_error(d, where, "expected a string");
			r = VK_EPARSE;
			goto out;
		}
		if (json_string_length(jname) > 0) {
			char *nn = strdup(json_string_value(jname));

			if (nn == NULL) {
				r = VK_ENOMEM;
				goto out;
			}
			free(l->name);
			l->name = nn;
		}
	}
	if ((type = json_object_get(root, "type")) != NULL) {
		snprintf(where, sizeof(where), "%s:$.type", name);
		if (!json_is_string(type)) {
			vk_diag_error(d, where, "expected a string");
			r = VK_EPARSE;
			goto out;
		}
		for (k = 0; k < VK_ALLOW_KIND_MAX; k++)
			if (strcmp(json_string_value(type), kind_names[k]) == 0)
				break;
		if (k == VK_ALLOW_KIND_MAX) {
			vk_diag_error(d, where,
			    "unknown match type; use string, substring, "
			    "hostname, cidr or regex");
			r = VK_EPARSE;
			goto out;
		}
	}
	if ((attrs = json_object_get(root, "matching_attributes")) != NULL) {
		if (!json_is_array(attrs)) {
			snprintf(where, sizeof(where),
			    "%s:$.matching_attributes", name);
			vk_diag_error(d, where, "expected an array of strings");
			r = VK_EPARSE;
			goto out;
		}
		if (json_array_size(attrs) > 0)
			l->types = 0;
		json_array_foreach(attrs, i, v)
		{
			if (!json_is_string(v)) {
				snprintf(where, sizeof(where),
				    "%s:$.matching_attributes[%zu]", name, i);
				vk_diag_error(d, where, "expected a string");
				r = VK_EPARSE;
				goto out;
			}
			l->types |= misp_types(json_string_value(v));
		}
	}
	list = json_object_get(root, "list");
	if (!json_is_array(list)) {
		snprintf(where, sizeof(where), "%s:$.list", name);
		vk_diag_error(d, where,
		    list == NULL ? "missing; a warninglist needs a \"list\" "
				   "array of values"
				 : "expected an array of strings");
		r = VK_EPARSE;
		goto out;
	}
	json_array_foreach(list, i, v)
	{
		size_t n;

		snprintf(where, sizeof(where), "%s:$.list[%zu]", name, i);
		if (!json_is_string(v)) {
			vk_diag_error(d, where, "expected a string");
			r = VK_EPARSE;
			goto out;
		}
		n = json_string_length(v);
		if (n > VK_ALLOW_ENTRY_MAX) {
			vk_diag_error(d, where, "entry longer than 64 KiB");
			r = VK_ETOOBIG;
			goto out;
		}
		if ((r = add_entry(
			 l, k, json_string_value(v), n, tmp, where, d)) != 0)
			goto out;
	}
out:
	json_decref(root);
	return r;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A plain list: one value per line, "#" starts a comment line; domains
 * allow their subdomains, addresses and ranges what they cover, anything
 * else is an exact string. */
static int
load_plain(struct vk_allow_list *l, const char *name, const char *data,
    size_t len, char *tmp, struct vk_diag *d)
{
	size_t pos = 0, lineno = 0;
	char where[1100];
	int r;

	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		enum vk_ioc_type t;
		uint8_t addr[16], p;
		bool ok;

		pos += n + (nl != NULL);
		lineno++;
		while (n > 0 && is_blank(s[0])) {
			s++;
			n--;
		}
		while (n > 0 && is_blank(s[n - 1]))
			n--;
		if (n == 0 || s[0] == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%zu", name, lineno);
		if (n > VK_ALLOW_ENTRY_MAX) {
			vk_diag_error(d, where, "line longer than 64 KiB");
			return VK_ETOOBIG;
		}
		if (memchr(s, '\0', n) != NULL) {
			vk_diag_error(d, where,
			    "NUL byte: this is not a text file; an allow-list "
			    "has one value per line");
			return VK_EPARSE;
		}
		if (vk_norm_ip(s, n, &t, addr, &p) == 0) {
			r = add_net(l, t, addr, p);
		} else if (vk_ioc_detect_type(s, n, &t) == 0 &&
		    t == VK_IOC_DOMAIN) {
			r = add_host(l, s, n, tmp, &ok);
		} else if (n > 2 && (s[0] == '.' || s[0] == '*') &&
		    (r = add_host(l, s, n, tmp, &ok)) == 0 && ok) {
			r = 0;
		} else {
			r = add_exact(l, s, n, tmp);
		}
		if (r != 0)
			return r;
	}
	return 0;
}

/* "[" then "{", "\"", "[" or "]": JSON (which is then refused as not a
 * warninglist), not a plain list whose first line is bracketed. */
static bool
looks_like_json_array(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] != '[')
		return false;
	for (i = 1; i < n && (is_blank(s[i]) || s[i] == '\n'); i++)
		;
	return i < n &&
	    (s[i] == '{' || s[i] == '"' || s[i] == '[' || s[i] == ']');
}

int
vk_allow_load_mem(struct vk_allow *a, const char *name, const char *data,
    size_t len, struct vk_diag *d)
{
	struct vk_allow_list *l = NULL;
	char *tmp = NULL;
	size_t i;
	int r;

	if ((l = list_new(base_name(name))) == NULL ||
	    (tmp = malloc(3 * VK_ALLOW_ENTRY_MAX + 16 + 1)) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	/* A UTF-8 byte order mark is not part of the content. */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	for (i = 0; i < len && (is_blank(data[i]) || data[i] == '\n'); i++)
		;
	if (i < len &&
	    (data[i] == '{' || looks_like_json_array(data + i, len - i)))
		r = load_json(l, name, data, len, tmp, d);
	else
		r = load_plain(l, name, data, len, tmp, d);
	if (r != 0)
		goto out;
	if ((r = push_list(a, l)) != 0)
		goto out;
	l = NULL;
out:
	list_free(l);
	free(tmp);
	return r;
}

int
vk_allow_load(struct vk_allow *a, const char *path, struct vk_diag *d)
{
	FILE *fp;
	char *data = NULL;
	size_t len = 0, cap = 0, got;
	int r;

	if ((fp = fopen(path, "rb")) == NULL) {
		vk_diag_error(
		    d, path, "cannot open the allow-list: %s", strerror(errno));
		return VK_EIO;
	}
	for (;;) {
		if (len == cap) {
			char *nd;

			if (cap >= VK_ALLOW_FILE_MAX) {
				vk_diag_error(
				    d, path, "allow-list larger than 256 MiB");
				r = VK_ETOOBIG;
				goto out;
			}
			cap = cap ? cap * 2 : 64 * 1024;
			if ((nd = realloc(data, cap)) == NULL) {
				r = VK_ENOMEM;
				goto out;
			}
			data = nd;
		}
		got = fread(data + len, 1, cap - len, fp);
		len += got;
		if (got == 0) {
			if (ferror(fp)) {
				vk_diag_error(d, path,
				    "cannot read the allow-list: %s",
				    strerror(errno));
				r = VK_EIO;
				goto out;
			}
			break;
		}
	}
	r = vk_allow_load_mem(a, path, data ? data : "", len, d);
out:
	free(data);
	fclose(fp);
	return r;
}

/* The host part of an indicator's key: the domain itself, a URL's host
 * (without brackets or port), an e-mail address's domain. */
static bool
ioc_host(const struct vk_ioc *ioc, const char **h, size_t *hn)
{
	const char *s = ioc->norm, *p, *e;
	size_t n = ioc->norm_len;

	switch (ioc->type) {
	case VK_IOC_DOMAIN:
		*h = s;
		*hn = n;
		return true;
	case VK_IOC_EMAIL:
		if ((p = memchr(s, '@', n)) == NULL)
			return false;
		*h = p + 1;
		*hn = n - (size_t)(p + 1 - s);
		return true;
	case VK_IOC_URL:
		if ((p = strstr(s, "://")) == NULL)
			return false;
		p += 3;
		if (*p == '[')
			return false;
		for (e = p; e < s + n && *e != '/' && *e != ':' && *e != '?';
		     e++)
			;
		*h = p;
		*hn = (size_t)(e - p);
		return *hn > 0;
	default:
		return false;
	}
}

static bool
host_in(const struct vk_strset *set, const char *h, size_t n, bool self)
{
	size_t i;

	if (set->n == 0)
		return false;
	if (self && strset_has(set, h, n))
		return true;
	for (i = 0; i < n; i++)
		if (h[i] == '.' && strset_has(set, h + i + 1, n - i - 1))
			return true;
	return false;
}

static bool
list_catches(const struct vk_allow_list *l, const struct vk_ioc *ioc, char *lw,
    pcre2_match_data *md, pcre2_match_context *mc)
{
	const char *h;
	size_t hn, i;

	if ((l->types & T(ioc->type)) == 0)
		return false;
	lower_copy(lw, ioc->norm, ioc->norm_len);
	if (strset_has(&l->exact, lw, ioc->norm_len))
		return true;
	if (ioc_host(ioc, &h, &hn) &&
	    (host_in(&l->host, h, hn, true) ||
		(ioc->type != VK_IOC_EMAIL &&
		    host_in(&l->subdom, h, hn, false))))
		return true;
	if (l->has_net &&
	    (ioc->type == VK_IOC_IPV4 || ioc->type == VK_IOC_IPV6)) {
		const bool *plen =
		    ioc->type == VK_IOC_IPV4 ? l->plen4 : l->plen6;
		uint8_t a16[16] = { 0 };
		unsigned q;
		char key[18];

		vk_ioc_addr(ioc, a16);
		for (q = 0; q <= ioc->prefix; q++) {
			if (!plen[q])
				continue;
			net_key(key, ioc->type, a16, q);
			if (strset_has(&l->net, key, sizeof(key)))
				return true;
		}
	}
	for (i = 0; i < l->nsubs; i++)
		if (memmem(lw, ioc->norm_len, l->subs[i], l->sublen[i]) != NULL)
			return true;
	for (i = 0; i < l->nre; i++)
		if (pcre2_match(l->re[i], (PCRE2_SPTR)ioc->norm, ioc->norm_len,
			0, 0, md, mc) >= 0)
			return true;
	return false;
}

long
vk_allow_apply(const struct vk_allow *a, struct vk_ioc_set *set)
{
	pcre2_match_data *md = NULL;
	pcre2_match_context *mc = NULL;
	char *lw = NULL;
	size_t n = vk_ioc_set_count(set), i, j, maxlen = 0;
	long caught = 0;

	if (a->n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (vk_ioc_set_get(set, i)->norm_len > maxlen)
			maxlen = vk_ioc_set_get(set, i)->norm_len;
	if ((lw = malloc(maxlen + 1)) == NULL ||
	    (md = pcre2_match_data_create(1, NULL)) == NULL ||
	    (mc = pcre2_match_context_create(NULL)) == NULL) {
		caught = VK_ENOMEM;
		goto out;
	}
	pcre2_set_match_limit(mc, VK_ALLOW_MATCH_LIMIT);
	pcre2_set_depth_limit(mc, VK_ALLOW_MATCH_LIMIT / 10);
	for (i = 0; i < n; i++) {
		struct vk_ioc *ioc = vk_ioc_set_get_mut(set, i);

		if (ioc->allow != 0)
			continue;
		for (j = 0; j < a->n; j++) {
			if (list_catches(a->v[j], ioc, lw, md, mc)) {
				ioc->allow = (uint16_t)(j + 1);
				caught++;
				break;
			}
		}
	}
out:
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	free(lw);
	return caught;
}
