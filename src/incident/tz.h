/*
 * tz.h — exact, thread-safe conversion between UTC and Europe/Stockholm.
 *
 * vaksam keeps every time in UTC and shows it in Swedish local time.  A
 * server cannot use setenv("TZ") + localtime(): the environment is shared
 * by every thread.  The EU rule is simple enough to compute exactly:
 * standard time CET is UTC+1; summer time CEST is UTC+2 from the last
 * Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC
 * (Directive 2000/84/EC, the same rule in force since 1996).
 *
 * Range: years 1996 to 9999.  Earlier years had other rules (Sweden's
 * summer time 1980-1995 ended in September) and are refused with
 * VK_EINVAL, as is anything outside that range.  Should the EU abolish
 * the change, this file is the one place to edit.
 *
 * Times are seconds since 1970-01-01T00:00:00Z; the store's microseconds
 * are divided by 1 000 000 by the caller (vk_tz_*_us wrap that).
 */
#ifndef VK_INCIDENT_TZ_H
#define VK_INCIDENT_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VK_TZ_YEAR_MIN 1996
#define VK_TZ_YEAR_MAX 9999

/* A civil (calendar and wall-clock) time. */
struct vk_civil {
	int year; /* e.g. 2026 */
	int month; /* 1-12 */
	int day; /* 1-31 */
	int hour, min, sec; /* 0-23, 0-59, 0-59 */
	int utc_offset; /* seconds east of UTC: 3600 or 7200 */
	bool dst; /* summer time (CEST) */
};

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (negative before 1970).  No range check. */
int64_t vk_days_from_civil(int y, int m, int d);
/* The reverse of vk_days_from_civil(). */
void vk_civil_from_days(int64_t days, int *y, int *m, int *d);
/* 28-31; 0 for a month outside 1-12. */
int vk_days_in_month(int y, int m);
/* 0 = Sunday ... 6 = Saturday for a day count from 1970-01-01. */
int vk_weekday(int64_t days);

/* The start and end of summer time in year y, in seconds UTC (the last
 * Sundays of March and October at 01:00 UTC).  No range check. */
int64_t vk_tz_dst_start(int y);
int64_t vk_tz_dst_end(int y);

/*
 * Converts utc (seconds) to Stockholm local time in *out.
 * VK_EINVAL outside years VK_TZ_YEAR_MIN..VK_TZ_YEAR_MAX.
 */
int vk_tz_to_local(int64_t utc, struct vk_civil *out);

/* How vk_tz_from_local() resolves wall times that occur 0 or 2 times. */
enum vk_tz_resolve {
	/* Non-existent (spring gap, 02:00-02:59 on the March day): the
	 * time that far past the gap's start, i.e. 02:30 -> 03:30 CEST.
	 * Ambiguous (autumn, 02:00-02:59 twice): the earlier, CEST one.
	 * For deadlines this is the conservative choice. */
	VK_TZ_EARLIER,
	/* Refuse both with VK_EINVAL (input typed by people, where the
	 * form should ask again). */
	VK_TZ_STRICT,
	VK_TZ_RESOLVE_MAX
};

/*
 * Converts the wall time in `in` (year..sec; utc_offset and dst are
 * ignored) to seconds UTC in *out.  Fields must be in range (month 1-12,
 * day within the month, hour 0-23, ...).  VK_EINVAL for fields out of
 * range, years outside the supported range, or (VK_TZ_STRICT) a time
 * that does not exist or exists twice.
 */
int vk_tz_from_local(
    const struct vk_civil *in, enum vk_tz_resolve how, int64_t *out);

/*
 * Formats utc microseconds as Stockholm local time
 * "2026-03-29 03:30 CEST" (with_zone) or "2026-03-29 03:30" into buf
 * (size n).  VK_EINVAL out of range, VK_ETOOBIG when buf is too small
 * (24 bytes are always enough).
 */
int vk_tz_format_us(int64_t utc_us, bool with_zone, char *buf, size_t n);

/* Formats utc microseconds as RFC 3339 UTC "2026-03-29T01:30:00Z".
 * Same errors as vk_tz_format_us(); 21 bytes are always enough. */
int vk_tz_format_utc_us(int64_t utc_us, char *buf, size_t n);

/*
 * Parses a local Stockholm time typed into a form or the API:
 * "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM" (optionally ":SS"), the format
 * of <input type=datetime-local>, strictly (no spaces, no other forms).
 * *out gets microseconds UTC.  A time in the spring gap or the autumn
 * overlap is resolved as VK_TZ_EARLIER.  VK_EPARSE for bad syntax,
 * VK_EINVAL for fields or years out of range.
 */
int vk_tz_parse_local_us(const char *s, size_t len, int64_t *out);

#endif
