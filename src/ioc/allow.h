/*
 * allow.h — allow-lists: known false positives that must not alarm.
 *
 * Reads MISP warninglists (JSON with "name", "type" and "list"; match types
 * string, substring, hostname, cidr, regex) and plain allow-lists (one value
 * per line, type detected as for indicators: a domain allows itself and its
 * subdomains, an address or CIDR range allows what it covers, anything else
 * is an exact string).  vk_allow_apply() marks every indicator that a list
 * catches as suppressed (ioc->allow = 1 + list index) — suppressed
 * indicators are counted and named in the hunt summary, never dropped
 * silently.  A warninglist's "matching_attributes" limits it to the
 * indicator types they stand for.  The exact rules are in
 * docs/matching.md ("Allow-lists").
 */
#ifndef VK_IOC_ALLOW_H
#define VK_IOC_ALLOW_H

#include <stddef.h>

#include "ioc/ioc.h"
#include "util/diag.h"

struct vk_allow;

struct vk_allow *vk_allow_new(void);
void vk_allow_free(struct vk_allow *a);

/* Loads one list file.  Errors go to d with file:line or JSON path;
 * returns 0 or a negative VK_E* code (the list is then not added).  An
 * entry of a hostname or cidr list that is not a host name or range is
 * only a warning in d (that entry is skipped; the list is added). */
int vk_allow_load(struct vk_allow *a, const char *path, struct vk_diag *d);

/* The same over a memory buffer: a warninglist when its first non-blank
 * byte is "{", else a plain list.  `name` (a path) names the list in
 * locations; its last component is the list's name when the warninglist
 * gives none. */
int vk_allow_load_mem(struct vk_allow *a, const char *name, const char *data,
    size_t len, struct vk_diag *d);

size_t vk_allow_count(const struct vk_allow *a);
/* The list's name (warninglist "name", or the file name). */
const char *vk_allow_name(const struct vk_allow *a, size_t i);

/* Marks caught indicators in set; returns how many were newly suppressed
 * (>= 0) or a negative VK_E* code. */
long vk_allow_apply(const struct vk_allow *a, struct vk_ioc_set *set);

#endif
