/*
 * export.h — writing an indicator set as CSV or as a STIX 2.1 bundle
 * (`vaksam ioc convert`).  Both outputs are sorted by type and normalised
 * value and carry deterministic ids, so converting the same input twice
 * gives the same bytes (apart from the STIX "created" time, which is
 * $SOURCE_DATE_EPOCH when set).  Either output read back with
 * vk_ioc_load() gives the same set of (type, normalised value).
 */
#ifndef VK_IOC_EXPORT_H
#define VK_IOC_EXPORT_H

#include <stdio.h>

#include "ioc/ioc.h"

/*
 * CSV (RFC 4180) with the header
 *   type,value,normalized,source,report,campaign,tlp,first_seen,
 *   last_seen,comment
 * one row per indicator and provenance.  Returns 0, VK_ENOMEM or VK_EIO.
 */
int vk_ioc_write_csv(const struct vk_ioc_set *set, FILE *fp);

/*
 * A STIX 2.1 bundle: one indicator per (type, normalised value), with id
 * indicator--UUIDv5(type, value), pattern, name (the report), description
 * (the comment), valid_from / valid_until, the TLP 2.0 marking; plus one
 * campaign object per campaign name and an "indicates" relationship from
 * each indicator to its campaigns.  `created` is an RFC 3339 UTC time.
 * Returns 0, VK_ENOMEM or VK_EIO.
 */
int vk_ioc_write_stix(
    const struct vk_ioc_set *set, FILE *fp, const char *created);

/* Writes the STIX pattern for one indicator into out (cap bytes), quotes
 * and backslashes escaped.  Returns the length or VK_ETOOBIG. */
int vk_ioc_stix_pattern(const struct vk_ioc *ioc, char *out, size_t cap);

#endif
