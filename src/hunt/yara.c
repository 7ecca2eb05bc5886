/*
 * yara.c — rules compiled once, one libyara scanner per thread.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <yara.h>

#include "hunt/yara.h"
#include "util/err.h"

#define MAX_RULE_FILES 100000
#define MAX_DEPTH 32

struct vk_yara {
	YR_RULES *rules;
	size_t nrules;
};

struct vk_yara_scanner {
	YR_SCANNER *sc;
	int strings;
	vk_yara_hit_fn fn;
	void *arg;
	int fn_ret;
	struct vk_yara_hit hit;
	char ints[VK_YARA_MAX_META][24];
};

struct file_list {
	char **v;
	size_t *ns_off; /* where the namespace starts in v[i] */
	size_t n, cap;
	size_t root_len; /* while collecting a directory: its length + 1 */
};

static void
file_list_free(struct file_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->ns_off);
}

static int
file_list_add(struct file_list *l, const char *path)
{
	const char *slash;
	size_t ncap, *no;
	char **nv;

	if (l->n >= MAX_RULE_FILES)
		return VK_ETOOBIG;
	if (l->n == l->cap) {
		ncap = l->cap ? 2 * l->cap : 16;
		if ((nv = realloc(l->v, ncap * sizeof(*nv))) == NULL)
			return VK_ENOMEM;
		l->v = nv;
		if ((no = realloc(l->ns_off, ncap * sizeof(*no))) == NULL)
			return VK_ENOMEM;
		l->ns_off = no;
		l->cap = ncap;
	}
	if ((l->v[l->n] = strdup(path)) == NULL)
		return VK_ENOMEM;
	/* The namespace: the path below the directory given, or the base
	 * name of a file given ("apt10", "windows/apt10"). */
	slash = strrchr(path, '/');
	l->ns_off[l->n] = l->root_len > 0 ? l->root_len
	    : slash != NULL               ? (size_t)(slash + 1 - path)
					  : 0;
	l->n++;
	return 0;
}

static int
has_rule_ext(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot != NULL &&
	    (strcmp(dot, ".yar") == 0 || strcmp(dot, ".yara") == 0);
}

/* Collects rule files under dir, sorted by name so that the same rules
 * always compile in the same order. */
static int
collect_dir(const char *dir, int depth, struct file_list *l, struct vk_diag *d)
{
	struct dirent **ents = NULL;
	char path[PATH_MAX];
	struct stat st;
	int n, i, r = 0, w;

	if (depth > MAX_DEPTH) {
		vk_diag_error(d, dir, "rule directories nested too deep");
		return VK_EINVAL;
	}
	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0) {
		vk_diag_error(
		    d, dir, "cannot read rule directory: %s", strerror(errno));
		return VK_EIO;
	}
	for (i = 0; i < n; i++) {
		if (r != 0 || ents[i]->d_name[0] == '.')
			goto next;
		w = snprintf(path, sizeof(path), "%s%s%s", dir,
		    dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/",
		    ents[i]->d_name);
		if (w < 0 || (size_t)w >= sizeof(path)) {
			vk_diag_error(d, dir, "rule file path too long");
			r = VK_ETOOBIG;
			goto next;
		}
		if (stat(path, &st) != 0)
			goto next; /* dangling link: nothing to compile */
		if (S_ISDIR(st.st_mode))
			r = collect_dir(path, depth + 1, l, d);
		else if (S_ISREG(st.st_mode) && has_rule_ext(ents[i]->d_name))
			r = file_list_add(l, path);
	next:
		free(ents[i]);
	}
	free(ents);
	return r;
}

struct compile_ctx {
	struct vk_diag *d;
	int errors;
};

static void
compile_cb(int level, const char *file, int line, const YR_RULE *rule,
    const char *msg, void *user)
{
	struct compile_ctx *c = user;
	char where[PATH_MAX + 32];
	int w;

	(void)rule;
	w = snprintf(where, sizeof(where), "%s:%d", file ? file : "?", line);
	if (w < 0 || (size_t)w >= sizeof(where))
		where[0] = '\0';
	if (level == YARA_ERROR_LEVEL_ERROR) {
		c->errors++;
		vk_diag_error(c->d, where, "YARA: %s; fix the rule", msg);
	} else {
		vk_diag_warn(c->d, where, "YARA: %s", msg);
	}
}

static int
is_compiled(const char *path, struct vk_diag *d, int *compiled)
{
	unsigned char magic[4];
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL) {
		vk_diag_error(
		    d, path, "cannot open rules: %s", strerror(errno));
		return VK_EIO;
	}
	n = fread(magic, 1, sizeof(magic), fp);
	fclose(fp);
	*compiled = n == 4 && memcmp(magic, "YARA", 4) == 0;
	return 0;
}

/* The namespace of a rule file: its path without the extension, so that
 * two files may use the same rule names and a hit says where it came
 * from. */
static void
ns_of(const char *path, char *ns, size_t cap)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	size_t n = strlen(path);

	if (dot != NULL && (slash == NULL || dot > slash))
		n = (size_t)(dot - path);
	if (n >= cap)
		n = cap - 1;
	memcpy(ns, path, n);
	ns[n] = '\0';
}

static int
define_externals(YR_COMPILER *c)
{
	if (yr_compiler_define_string_variable(c, "filename", "") != 0 ||
	    yr_compiler_define_string_variable(c, "filepath", "") != 0 ||
	    yr_compiler_define_string_variable(c, "extension", "") != 0)
		return VK_ENOMEM;
	return 0;
}

static int
compile_all(const struct file_list *l, struct vk_diag *d, YR_RULES **rules)
{
	struct compile_ctx cc = { .d = d };
	YR_COMPILER *c = NULL;
	char ns[PATH_MAX];
	FILE *fp;
	size_t i;
	int r;

	if (yr_compiler_create(&c) != ERROR_SUCCESS)
		return VK_ENOMEM;
	yr_compiler_set_callback(c, compile_cb, &cc);
	if ((r = define_externals(c)) != 0)
		goto out;
	for (i = 0; i < l->n; i++) {
		if ((fp = fopen(l->v[i], "r")) == NULL) {
			vk_diag_error(d, l->v[i], "cannot open rules: %s",
			    strerror(errno));
			r = VK_EIO;
			goto out;
		}
		ns_of(l->v[i] + l->ns_off[i], ns, sizeof(ns));
		yr_compiler_add_file(c, fp, ns, l->v[i]);
		fclose(fp);
		/* libyara cannot go on compiling after an error. */
		if (cc.errors > 0) {
			r = VK_EPARSE;
			goto out;
		}
	}
	if (yr_compiler_get_rules(c, rules) != ERROR_SUCCESS) {
		r = VK_ENOMEM;
		goto out;
	}
	r = 0;
out:
	yr_compiler_destroy(c);
	return r;
}

int
vk_yara_load(
    const char *const *paths, size_t n, struct vk_diag *d, struct vk_yara **out)
{
	struct file_list l = { 0 };
	struct vk_yara *y = NULL;
	const char *compiled = NULL;
	struct stat st;
	YR_RULE *rule;
	int r, c, inited = 0;
	size_t i;

	*out = NULL;
	for (i = 0; i < n; i++) {
		if (stat(paths[i], &st) != 0) {
			vk_diag_error(d, paths[i], "cannot read rules: %s",
			    strerror(errno));
			r = VK_EIO;
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			l.root_len = strlen(paths[i]);
			while (
			    l.root_len > 1 && paths[i][l.root_len - 1] == '/')
				l.root_len--;
			l.root_len++;
			r = collect_dir(paths[i], 0, &l, d);
			l.root_len = 0;
		} else {
			r = file_list_add(&l, paths[i]);
		}
		if (r != 0)
			goto out;
	}
	for (i = 0; i < l.n; i++) {
		if ((r = is_compiled(l.v[i], d, &c)) != 0)
			goto out;
		if (c && compiled != NULL) {
			vk_diag_error(d, l.v[i],
			    "only one precompiled rules "
			    "file can be used");
			r = VK_EINVAL;
			goto out;
		}
		if (c)
			compiled = l.v[i];
	}
	if (l.n == 0) {
		vk_diag_error(d, n > 0 ? paths[0] : NULL,
		    "no YARA rules found (files ending .yar or .yara)");
		r = VK_EINVAL;
		goto out;
	}
	if (compiled != NULL && l.n > 1) {
		vk_diag_error(d, compiled,
		    "precompiled rules cannot be mixed "
		    "with rule sources; compile them together with yarac");
		r = VK_EINVAL;
		goto out;
	}
	if (yr_initialize() != ERROR_SUCCESS) {
		r = VK_EINTERNAL;
		goto out;
	}
	inited = 1;
	if ((y = calloc(1, sizeof(*y))) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	if (compiled != NULL) {
		if (yr_rules_load(compiled, &y->rules) != ERROR_SUCCESS) {
			vk_diag_error(d, compiled,
			    "cannot load precompiled "
			    "rules (made by another YARA version?); "
			    "recompile them with this yarac");
			r = VK_EPARSE;
			goto out;
		}
	} else if ((r = compile_all(&l, d, &y->rules)) != 0) {
		goto out;
	}
	yr_rules_foreach(y->rules, rule) y->nrules++;
	*out = y;
	y = NULL;
	inited = 0;
	r = 0;
out:
	if (y != NULL) {
		if (y->rules != NULL)
			yr_rules_destroy(y->rules);
		free(y);
	}
	if (inited)
		yr_finalize();
	file_list_free(&l);
	return r;
}

void
vk_yara_free(struct vk_yara *y)
{
	if (y == NULL)
		return;
	yr_rules_destroy(y->rules);
	free(y);
	yr_finalize();
}

size_t
vk_yara_rule_count(const struct vk_yara *y)
{
	return y->nrules;
}

/* libyara keeps its match records in a notebook that does not align them
 * for their type, and reads them the same way itself.  UBSan's alignment
 * check would stop on every --strings match, so it is off here only. */
__attribute__((no_sanitize("alignment"))) static void
collect_hit(
    struct vk_yara_scanner *s, YR_SCAN_CONTEXT *ctx, const YR_RULE *rule)
{
	struct vk_yara_hit *h = &s->hit;
	const YR_META *meta;
	const YR_STRING *str;
	const YR_MATCH *m;
	const char *tag;

	h->rule = rule->identifier;
	h->ns = rule->ns->name;
	h->ntags = h->nmeta = h->nstrings = 0;
	h->strings_truncated = 0;
	yr_rule_tags_foreach(rule, tag)
	{
		if (h->ntags < VK_YARA_MAX_TAGS)
			h->tags[h->ntags++] = tag;
	}
	yr_rule_metas_foreach(rule, meta)
	{
		struct vk_yara_meta *vm;

		if (h->nmeta >= VK_YARA_MAX_META)
			break;
		vm = &h->meta[h->nmeta];
		vm->id = meta->identifier;
		vm->is_string = meta->type == META_TYPE_STRING;
		if (meta->type == META_TYPE_STRING) {
			vm->value = meta->string ? meta->string : "";
		} else if (meta->type == META_TYPE_BOOLEAN) {
			vm->value = meta->integer ? "true" : "false";
		} else {
			if (snprintf(s->ints[h->nmeta], sizeof(s->ints[0]),
				"%lld", (long long)meta->integer) < 0)
				s->ints[h->nmeta][0] = '\0';
			vm->value = s->ints[h->nmeta];
		}
		h->nmeta++;
	}
	if (!s->strings)
		return;
	yr_rule_strings_foreach(rule, str)
	{
		yr_string_matches_foreach(ctx, str, m)
		{
			struct vk_yara_string *vs;

			if (h->nstrings >= VK_YARA_MAX_STRINGS) {
				h->strings_truncated = 1;
				break;
			}
			vs = &h->strings[h->nstrings++];
			vs->id = str->identifier;
			vs->offset = (uint64_t)(m->base + m->offset);
			vs->len = (size_t)m->match_length;
			vs->data = m->data;
			vs->data_len = (size_t)m->data_length;
			if (vs->data_len > VK_YARA_EXCERPT)
				vs->data_len = VK_YARA_EXCERPT;
		}
	}
}

static int
scan_cb(YR_SCAN_CONTEXT *ctx, int msg, void *msg_data, void *user)
{
	struct vk_yara_scanner *s = user;

	if (msg != CALLBACK_MSG_RULE_MATCHING)
		return CALLBACK_CONTINUE;
	collect_hit(s, ctx, msg_data);
	if ((s->fn_ret = s->fn(s->arg, &s->hit)) != 0)
		return CALLBACK_ABORT;
	return CALLBACK_CONTINUE;
}

int
vk_yara_scanner_new(const struct vk_yara *y, int timeout, int strings,
    struct vk_yara_scanner **out)
{
	struct vk_yara_scanner *s;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return VK_ENOMEM;
	if (yr_scanner_create(y->rules, &s->sc) != ERROR_SUCCESS) {
		free(s);
		return VK_ENOMEM;
	}
	s->strings = strings;
	yr_scanner_set_callback(s->sc, scan_cb, s);
	if (timeout > 0)
		yr_scanner_set_timeout(s->sc, timeout);
	yr_scanner_set_flags(s->sc, strings ? 0 : SCAN_FLAGS_FAST_MODE);
	*out = s;
	return 0;
}

void
vk_yara_scanner_free(struct vk_yara_scanner *s)
{
	if (s == NULL)
		return;
	yr_scanner_destroy(s->sc);
	free(s);
}

static void
set_externals(struct vk_yara_scanner *s, const char *path)
{
	const char *base = strrchr(path, '/');
	const char *ext;

	base = base ? base + 1 : path;
	ext = strrchr(base, '.');
	ext = (ext != NULL && ext != base) ? ext + 1 : "";
	/* Precompiled rules may lack the variables: then there is nothing
	 * to set, and the error says only that. */
	(void)yr_scanner_define_string_variable(s->sc, "filename", base);
	(void)yr_scanner_define_string_variable(s->sc, "filepath", path);
	(void)yr_scanner_define_string_variable(s->sc, "extension", ext);
}

int
vk_yara_scan_mem(struct vk_yara_scanner *s, const void *p, size_t n,
    const char *path, vk_yara_hit_fn fn, void *arg, int *yr_err)
{
	static const uint8_t empty[1];
	int e;

	s->fn = fn;
	s->arg = arg;
	s->fn_ret = 0;
	set_externals(s, path);
	e = yr_scanner_scan_mem(s->sc, n ? p : empty, n);
	if (yr_err != NULL)
		*yr_err = e;
	if (s->fn_ret != 0)
		return s->fn_ret;
	switch (e) {
	case ERROR_SUCCESS:
		return 0;
	case ERROR_SCAN_TIMEOUT:
		return VK_ETOOBIG;
	case ERROR_COULD_NOT_MAP_FILE:
		return VK_EIO;
	case ERROR_INSUFFICIENT_MEMORY:
		return VK_ENOMEM;
	default:
		return VK_EINTERNAL;
	}
}

int
vk_yara_scan_fd(struct vk_yara_scanner *s, int fd, uint64_t size,
    const char *path, vk_yara_hit_fn fn, void *arg, int *yr_err)
{
	void *p;
	int r;

	if (size == 0)
		return vk_yara_scan_mem(s, NULL, 0, path, fn, arg, yr_err);
	if (size > SIZE_MAX)
		return VK_ETOOBIG;
	p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return VK_EIO;
	(void)madvise(p, (size_t)size, MADV_SEQUENTIAL);
	r = vk_yara_scan_mem(s, p, (size_t)size, path, fn, arg, yr_err);
	munmap(p, (size_t)size);
	return r;
}
