/*
 * tz.c — UTC <-> Europe/Stockholm by the EU summer-time rule (tz.h).
 *
 * Pure arithmetic on integers: no global state, no locks, no libc time
 * zone functions, so every function is safe from any thread.
 */
#include "incident/tz.h"

#include <stdio.h>

#include "util/err.h"

/* Howard Hinnant's days_from_civil (public domain algorithm). */
int64_t
vk_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t mp = (m + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
vk_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp, yy;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
vk_days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

int
vk_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday. */
	int64_t w = (days + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* 01:00 UTC on the last Sunday of month m (31 days) of year y. */
static int64_t
last_sunday_0100(int y, int m)
{
	int64_t last = vk_days_from_civil(y, m, 31);

	return (last - vk_weekday(last)) * 86400 + 3600;
}

int64_t
vk_tz_dst_start(int y)
{
	return last_sunday_0100(y, 3);
}

int64_t
vk_tz_dst_end(int y)
{
	return last_sunday_0100(y, 10);
}

static int
utc_year(int64_t utc)
{
	int64_t days = utc >= 0 ? utc / 86400 : (utc - 86399) / 86400;
	int y, m, d;

	vk_civil_from_days(days, &y, &m, &d);
	return y;
}

/* Offset in seconds at instant utc.  The changes lie in March and
 * October, far from New Year, so the UTC year picks the right pair. */
static int
offset_at(int64_t utc)
{
	int y = utc_year(utc);

	if (utc >= vk_tz_dst_start(y) && utc < vk_tz_dst_end(y))
		return 7200;
	return 3600;
}

/* Seconds bounding the supported range, computed once per call; cheap. */
static bool
in_range(int64_t utc)
{
	int64_t lo = vk_days_from_civil(VK_TZ_YEAR_MIN, 1, 1) * 86400 - 3600;
	int64_t hi =
	    vk_days_from_civil(VK_TZ_YEAR_MAX + 1, 1, 1) * 86400 - 3600;

	return utc >= lo && utc < hi;
}

int
vk_tz_to_local(int64_t utc, struct vk_civil *out)
{
	int64_t local, days, secs;
	int off;

	if (out == NULL || !in_range(utc))
		return VK_EINVAL;
	off = offset_at(utc);
	local = utc + off;
	days = local / 86400;
	secs = local % 86400;
	vk_civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(secs / 3600);
	out->min = (int)(secs / 60 % 60);
	out->sec = (int)(secs % 60);
	out->utc_offset = off;
	out->dst = off == 7200;
	return 0;
}

int
vk_tz_from_local(
    const struct vk_civil *in, enum vk_tz_resolve how, int64_t *out)
{
	int64_t wall, cet, cest;
	bool cet_ok, cest_ok;

	if (in == NULL || out == NULL || how >= VK_TZ_RESOLVE_MAX)
		return VK_EINVAL;
	if (in->year < VK_TZ_YEAR_MIN || in->year > VK_TZ_YEAR_MAX ||
	    in->month < 1 || in->month > 12 || in->day < 1 ||
	    in->day > vk_days_in_month(in->year, in->month) || in->hour < 0 ||
	    in->hour > 23 || in->min < 0 || in->min > 59 || in->sec < 0 ||
	    in->sec > 59)
		return VK_EINVAL;
	wall = vk_days_from_civil(in->year, in->month, in->day) * 86400 +
	    in->hour * 3600 + in->min * 60 + in->sec;
	cet = wall - 3600;
	cest = wall - 7200;
	cet_ok = offset_at(cet) == 3600;
	cest_ok = offset_at(cest) == 7200;
	if (cet_ok && cest_ok) {
		if (how == VK_TZ_STRICT)
			return VK_EINVAL;
		*out = cest;
	} else if (cet_ok) {
		*out = cet;
	} else if (cest_ok) {
		*out = cest;
	} else {
		if (how == VK_TZ_STRICT)
			return VK_EINVAL;
		/* In the gap: read with the offset before it (CET), which
		 * lands as far past the change as the time was past 02:00. */
		*out = cet;
	}
	if (!in_range(*out))
		return VK_EINVAL;
	return 0;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int
vk_tz_format_us(int64_t utc_us, bool with_zone, char *buf, size_t n)
{
	struct vk_civil c;
	int r;

	if (buf == NULL || n == 0)
		return VK_EINVAL;
	buf[0] = '\0';
	if ((r = vk_tz_to_local(floor_div(utc_us, 1000000), &c)) != 0)
		return r;
	r = snprintf(buf, n, "%04d-%02d-%02d %02d:%02d%s%s", c.year, c.month,
	    c.day, c.hour, c.min, with_zone ? " " : "",
	    with_zone ? (c.dst ? "CEST" : "CET") : "");
	if (r < 0)
		return VK_EINTERNAL;
	if ((size_t)r >= n)
		return VK_ETOOBIG;
	return 0;
}

int
vk_tz_format_utc_us(int64_t utc_us, char *buf, size_t n)
{
	int64_t s = floor_div(utc_us, 1000000), days, secs;
	int y, m, d, r;

	if (buf == NULL || n == 0)
		return VK_EINVAL;
	buf[0] = '\0';
	if (!in_range(s))
		return VK_EINVAL;
	days = floor_div(s, 86400);
	secs = s - days * 86400;
	vk_civil_from_days(days, &y, &m, &d);
	r = snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	if (r < 0)
		return VK_EINTERNAL;
	if ((size_t)r >= n)
		return VK_ETOOBIG;
	return 0;
}

/* n decimal digits at s into *v; false unless all are digits. */
static bool
digits(const char *s, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return true;
}

int
vk_tz_parse_local_us(const char *s, size_t len, int64_t *out)
{
	struct vk_civil c = { 0 };
	int64_t utc;
	int r;

	if (s == NULL || out == NULL)
		return VK_EINVAL;
	if (len != 16 && len != 19)
		return VK_EPARSE;
	if (!digits(s, 4, &c.year) || s[4] != '-' ||
	    !digits(s + 5, 2, &c.month) || s[7] != '-' ||
	    !digits(s + 8, 2, &c.day) || (s[10] != 'T' && s[10] != ' ') ||
	    !digits(s + 11, 2, &c.hour) || s[13] != ':' ||
	    !digits(s + 14, 2, &c.min))
		return VK_EPARSE;
	if (len == 19 && (s[16] != ':' || !digits(s + 17, 2, &c.sec)))
		return VK_EPARSE;
	if ((r = vk_tz_from_local(&c, VK_TZ_EARLIER, &utc)) != 0)
		return r;
	*out = utc * 1000000;
	return 0;
}
