/*
 * test_incident.c — the incident domain: the state machine (every pair),
 * UTC <-> Europe/Stockholm, the legal clocks across DST changes, month
 * ends, leap years and year ends, references, report validation,
 * attachment sniffing and the authority drafts.
 *
 * Expected instants were computed independently with Python's zoneinfo
 * (tzdata Europe/Stockholm); the conversion is also compared with glibc's
 * localtime_r() for every hour from 1996 to 2037 when the tzdata file is
 * present.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "incident/draft.h"
#include "incident/incident.h"
#include "incident/tz.h"
#include "util/err.h"

#define S (1000000LL)
#define H (3600LL * S)

/* ------------------------------------------------------------------ */
/* State machine.                                                      */

/* The documented table (docs/incidents.md), written out independently
 * of incident.c's bitmasks: from, to. */
static const char *const allowed_pairs[][2] = {
	{ "new", "triaged" },
	{ "new", "rejected" },
	{ "new", "duplicate" },
	{ "triaged", "investigating" },
	{ "triaged", "contained" },
	{ "triaged", "closed" },
	{ "triaged", "rejected" },
	{ "triaged", "duplicate" },
	{ "investigating", "contained" },
	{ "investigating", "recovered" },
	{ "investigating", "closed" },
	{ "investigating", "duplicate" },
	{ "contained", "investigating" },
	{ "contained", "recovered" },
	{ "contained", "closed" },
	{ "recovered", "investigating" },
	{ "recovered", "closed" },
	{ "closed", "investigating" },
	{ "rejected", "triaged" },
	{ "duplicate", "triaged" },
};

static bool
in_table(const char *from, const char *to)
{
	for (size_t i = 0; i < sizeof(allowed_pairs) / sizeof(*allowed_pairs);
	     i++)
		if (strcmp(allowed_pairs[i][0], from) == 0 &&
		    strcmp(allowed_pairs[i][1], to) == 0)
			return true;
	return false;
}

static void
test_transitions_every_pair(void **state)
{
	int allowed = 0;

	(void)state;
	for (int f = 0; f < VK_INC_STATE_MAX; f++) {
		for (int t = 0; t < VK_INC_STATE_MAX; t++) {
			const char *fn = vk_inc_state_name(f);
			const char *tn = vk_inc_state_name(t);
			bool want = in_table(fn, tn);
			bool got = vk_inc_transition_allowed(f, t);

			if (want != got)
				fail_msg("%s -> %s: expected %s", fn, tn,
				    want ? "allowed" : "refused");
			allowed += got;
		}
		/* No state moves to itself. */
		assert_false(vk_inc_transition_allowed(f, f));
		/* Invalid targets and sources are refused. */
		assert_false(vk_inc_transition_allowed(f, VK_INC_STATE_MAX));
		assert_false(vk_inc_transition_allowed(VK_INC_STATE_MAX, f));
		assert_false(
		    vk_inc_transition_allowed(f, (enum vk_inc_state) - 1));
	}
	assert_int_equal(
	    allowed, (int)(sizeof(allowed_pairs) / sizeof(*allowed_pairs)));
	/* Nothing may jump from new straight to closed or recovered. */
	assert_false(vk_inc_transition_allowed(VK_INC_NEW, VK_INC_CLOSED));
	assert_false(vk_inc_transition_allowed(VK_INC_NEW, VK_INC_RECOVERED));
	assert_false(vk_inc_transition_allowed(VK_INC_CLOSED, VK_INC_REJECTED));
}

static void
test_names_round_trip(void **state)
{
	enum vk_inc_state s;
	enum vk_inc_category c;
	enum vk_inc_severity v;
	enum vk_inc_type t;
	enum vk_inc_stage g;
	enum vk_tristate tri;

	(void)state;
	for (int i = 0; i < VK_INC_STATE_MAX; i++) {
		assert_int_equal(
		    vk_inc_state_parse(vk_inc_state_name(i), &s), 0);
		assert_int_equal(s, i);
	}
	for (int i = 0; i < VK_CAT_MAX; i++) {
		assert_int_equal(
		    vk_inc_category_parse(vk_inc_category_name(i), &c), 0);
		assert_int_equal(c, i);
		/* Every real category maps to the authority's taxonomy. */
		if (i != VK_CAT_UNSET) {
			const struct vk_inc_authority_class *a =
			    vk_inc_category_authority(i);
			assert_non_null(a);
			assert_true(strlen(a->rsit_class) > 0);
			assert_true(strlen(a->root_cause) > 0);
		}
	}
	assert_null(vk_inc_category_authority(VK_CAT_UNSET));
	assert_null(vk_inc_category_authority(VK_CAT_MAX));
	for (int i = 0; i < VK_SEV_MAX; i++) {
		assert_int_equal(
		    vk_inc_severity_parse(vk_inc_severity_name(i), &v), 0);
		assert_int_equal(v, i);
	}
	for (int i = 0; i < VK_INC_TYPE_MAX; i++) {
		assert_int_equal(vk_inc_type_parse(vk_inc_type_name(i), &t), 0);
		assert_int_equal(t, i);
	}
	for (int i = 0; i < VK_STAGE_MAX; i++) {
		assert_int_equal(
		    vk_inc_stage_parse(vk_inc_stage_name(i), &g), 0);
		assert_int_equal(g, i);
	}
	for (int i = 0; i < VK_TRI_MAX; i++) {
		assert_int_equal(
		    vk_tristate_parse(vk_tristate_name(i), &tri), 0);
		assert_int_equal(tri, i);
	}
	assert_int_equal(vk_inc_state_parse("New", &s), VK_EINVAL);
	assert_int_equal(vk_inc_state_parse("", &s), VK_EINVAL);
	assert_int_equal(vk_inc_state_parse(NULL, &s), VK_EINVAL);
	assert_int_equal(vk_inc_category_parse("ransomware", &c), VK_EINVAL);
	assert_string_equal(vk_inc_state_name(VK_INC_STATE_MAX), "?");
	assert_string_equal(vk_inc_severity_name(-1), "?");
	assert_true(vk_inc_state_open(VK_INC_NEW));
	assert_true(vk_inc_state_open(VK_INC_RECOVERED));
	assert_false(vk_inc_state_open(VK_INC_CLOSED));
	assert_false(vk_inc_state_open(VK_INC_REJECTED));
	assert_false(vk_inc_state_open(VK_INC_DUPLICATE));
	assert_false(vk_inc_state_open(VK_INC_STATE_MAX));
}

/* ------------------------------------------------------------------ */
/* Time zone.                                                          */

static void
test_tz_rule(void **state)
{
	struct vk_civil c;

	(void)state;
	/* Last Sundays: 1996-03-31/10-27, 2026-03-29/10-25, 2032-03-28/10-31. */
	assert_int_equal(vk_tz_dst_start(1996),
	    vk_days_from_civil(1996, 3, 31) * 86400 + 3600);
	assert_int_equal(vk_tz_dst_end(1996),
	    vk_days_from_civil(1996, 10, 27) * 86400 + 3600);
	assert_int_equal(vk_tz_dst_start(2026),
	    vk_days_from_civil(2026, 3, 29) * 86400 + 3600);
	assert_int_equal(vk_tz_dst_end(2026),
	    vk_days_from_civil(2026, 10, 25) * 86400 + 3600);
	assert_int_equal(vk_tz_dst_start(2032),
	    vk_days_from_civil(2032, 3, 28) * 86400 + 3600);
	assert_int_equal(vk_tz_dst_end(2032),
	    vk_days_from_civil(2032, 10, 31) * 86400 + 3600);
	/* One second before and at the spring change (01:00 UTC). */
	assert_int_equal(vk_tz_to_local(vk_tz_dst_start(2026) - 1, &c), 0);
	assert_int_equal(c.hour, 1);
	assert_int_equal(c.min, 59);
	assert_int_equal(c.sec, 59);
	assert_false(c.dst);
	assert_int_equal(vk_tz_to_local(vk_tz_dst_start(2026), &c), 0);
	assert_int_equal(c.hour, 3);
	assert_int_equal(c.min, 0);
	assert_true(c.dst);
	assert_int_equal(c.utc_offset, 7200);
	/* Autumn: 02:59:59 CEST, then 02:00:00 CET. */
	assert_int_equal(vk_tz_to_local(vk_tz_dst_end(2026) - 1, &c), 0);
	assert_int_equal(c.hour, 2);
	assert_int_equal(c.min, 59);
	assert_true(c.dst);
	assert_int_equal(vk_tz_to_local(vk_tz_dst_end(2026), &c), 0);
	assert_int_equal(c.hour, 2);
	assert_int_equal(c.min, 0);
	assert_false(c.dst);
	/* Range. */
	assert_int_equal(
	    vk_tz_to_local(vk_days_from_civil(1995, 12, 31) * 86400, &c),
	    VK_EINVAL);
	assert_int_equal(
	    vk_tz_to_local(vk_days_from_civil(1996, 1, 1) * 86400 - 3600, &c),
	    0);
	assert_int_equal(c.year, 1996);
	assert_int_equal(c.hour, 0);
	assert_int_equal(vk_tz_to_local(INT64_MAX / 2, &c), VK_EINVAL);
	assert_int_equal(vk_tz_to_local(-1, &c), VK_EINVAL);
	assert_int_equal(vk_tz_to_local(0, NULL), VK_EINVAL);
}

static void
test_tz_against_libc(void **state)
{
	int64_t from = vk_days_from_civil(1996, 1, 1) * 86400;
	int64_t to = vk_days_from_civil(2037, 12, 31) * 86400;
	long n = 0;

	(void)state;
	if (access("/usr/share/zoneinfo/Europe/Stockholm", R_OK) != 0)
		skip();
	/* Single-threaded test: the one place TZ may be set. */
	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	for (int64_t t = from; t < to; t += 1800 + 17, n++) {
		struct vk_civil c, back;
		struct tm tm;
		time_t tt = (time_t)t;
		int64_t u;

		assert_non_null(localtime_r(&tt, &tm));
		assert_int_equal(vk_tz_to_local(t, &c), 0);
		if (c.year != tm.tm_year + 1900 || c.month != tm.tm_mon + 1 ||
		    c.day != tm.tm_mday || c.hour != tm.tm_hour ||
		    c.min != tm.tm_min || c.sec != tm.tm_sec ||
		    c.dst != (tm.tm_isdst > 0))
			fail_msg(
			    "t=%lld: %04d-%02d-%02d %02d:%02d:%02d vs libc",
			    (long long)t, c.year, c.month, c.day, c.hour, c.min,
			    c.sec);
		/* Back again: exact except in the autumn overlap, where
		 * the earlier instant is chosen. */
		back = c;
		assert_int_equal(vk_tz_from_local(&back, VK_TZ_EARLIER, &u), 0);
		if (u != t)
			assert_int_equal(u, t - 3600);
	}
	unsetenv("TZ");
	assert_true(n > 700000);
}

static void
test_tz_from_local(void **state)
{
	struct vk_civil c = {
		.year = 2026, .month = 3, .day = 29, .hour = 2, .min = 30
	};
	int64_t u;

	(void)state;
	/* Spring gap: 02:30 does not exist; EARLIER gives 03:30 CEST. */
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_STRICT, &u), VK_EINVAL);
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_EARLIER, &u), 0);
	assert_int_equal(u, vk_tz_dst_start(2026) + 1800);
	/* Autumn overlap: 02:30 twice; EARLIER gives the CEST one. */
	c.month = 10;
	c.day = 25;
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_STRICT, &u), VK_EINVAL);
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_EARLIER, &u), 0);
	assert_int_equal(u, 1792888200); /* 00:30Z */
	/* 03:00 on the autumn day is unique (CET). */
	c.hour = 3;
	c.min = 0;
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_STRICT, &u), 0);
	assert_int_equal(u, vk_tz_dst_end(2026) + 3600);
	/* Bad fields. */
	c.day = 32;
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_EARLIER, &u), VK_EINVAL);
	c.month = 2;
	c.day = 29;
	c.year = 2027;
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_EARLIER, &u), VK_EINVAL);
	c.year = 2028;
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_EARLIER, &u), 0);
	c.hour = 24;
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_EARLIER, &u), VK_EINVAL);
	c.hour = 0;
	c.year = 1995;
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_EARLIER, &u), VK_EINVAL);
	c.year = 10000;
	assert_int_equal(vk_tz_from_local(&c, VK_TZ_EARLIER, &u), VK_EINVAL);
}

static void
test_tz_format_parse(void **state)
{
	char buf[32];
	int64_t u;

	(void)state;
	assert_int_equal(
	    vk_tz_format_us(1774827000LL * S, true, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-03-30 01:30 CEST");
	assert_int_equal(
	    vk_tz_format_us(1792967400LL * S, true, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-10-25 23:30 CET");
	assert_int_equal(
	    vk_tz_format_us(1792967400LL * S, false, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-10-25 23:30");
	assert_int_equal(
	    vk_tz_format_us(1792967400LL * S, true, buf, 10), VK_ETOOBIG);
	assert_int_equal(
	    vk_tz_format_utc_us(1792967400LL * S + 5, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2026-10-25T22:30:00Z");
	assert_int_equal(vk_tz_format_utc_us(0, buf, sizeof(buf)), VK_EINVAL);

	assert_int_equal(vk_tz_parse_local_us("2026-03-29T00:30", 16, &u), 0);
	assert_int_equal(u, 1774740600LL * S);
	assert_int_equal(
	    vk_tz_parse_local_us("2026-03-29 00:30:00", 19, &u), 0);
	assert_int_equal(u, 1774740600LL * S);
	assert_int_equal(vk_tz_parse_local_us("2032-03-28T02:30", 16, &u), 0);
	assert_int_equal(u, 1964050200LL * S);
	assert_int_equal(
	    vk_tz_parse_local_us("2026-3-29T00:30", 15, &u), VK_EPARSE);
	assert_int_equal(
	    vk_tz_parse_local_us("2026-03-29X00:30", 16, &u), VK_EPARSE);
	assert_int_equal(
	    vk_tz_parse_local_us("2026-03-29T00:3a", 16, &u), VK_EPARSE);
	assert_int_equal(
	    vk_tz_parse_local_us("2026-03-29T00:30:", 17, &u), VK_EPARSE);
	assert_int_equal(
	    vk_tz_parse_local_us("2026-02-30T00:30", 16, &u), VK_EINVAL);
	assert_int_equal(
	    vk_tz_parse_local_us("2026-13-01T00:30", 16, &u), VK_EINVAL);
	assert_int_equal(
	    vk_tz_parse_local_us("2026-01-01T00:60", 16, &u), VK_EINVAL);
	assert_int_equal(
	    vk_tz_parse_local_us("1970-01-01T00:00", 16, &u), VK_EINVAL);
}

/* ------------------------------------------------------------------ */
/* Clocks.                                                             */

static int64_t
local_us(const char *s)
{
	int64_t u = 0;

	assert_int_equal(vk_tz_parse_local_us(s, strlen(s), &u), 0);
	return u;
}

static void
test_add_month(void **state)
{
	static const struct {
		const char *from;
		int64_t want; /* seconds UTC, from zoneinfo */
	} cases[] = {
		/* Month end clamped, normal and leap year. */
		{ "2026-01-31T10:00", 1772269200 }, /* 2026-02-28 10:00 CET */
		{ "2028-01-31T12:00", 1835434800 }, /* 2028-02-29 12:00 CET */
		/* Year end. */
		{ "2026-12-31T23:30", 1801434600 }, /* 2027-01-31 23:30 CET */
		/* Across the spring change: same wall time, CEST. */
		{ "2026-03-10T12:00", 1775815200 }, /* 2026-04-10 12:00 */
		/* Lands in the spring gap: 02:30 -> 03:30 CEST. */
		{ "2032-02-28T02:30", 1964050200 },
		/* Lands in the autumn overlap: the earlier (CEST). */
		{ "2026-09-25T02:30", 1792888200 },
		/* Start at the far side of a change. */
		{ "2026-04-01T01:30", 1777591800 }, /* 2026-05-01 01:30 */
	};
	int64_t out;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		assert_int_equal(
		    vk_inc_add_month(local_us(cases[i].from), &out), 0);
		if (out != cases[i].want * S)
			fail_msg("%s + 1 month: got %lld want %lld",
			    cases[i].from, (long long)(out / S),
			    (long long)cases[i].want);
	}
	/* Sub-second parts survive. */
	assert_int_equal(
	    vk_inc_add_month(local_us("2026-01-31T10:00") + 7, &out), 0);
	assert_int_equal(out, 1772269200LL * S + 7);
	assert_int_equal(vk_inc_add_month(0, &out), VK_EINVAL);
	assert_int_equal(vk_inc_add_month(1, NULL), VK_EINVAL);
	/* The last supported month cannot move past 9999. */
	assert_int_equal(
	    vk_inc_add_month(local_us("9999-12-15T12:00"), &out), VK_EINVAL);
}

static void
test_clocks_spring_night(void **state)
{
	/* Awareness at 00:30 local on the night the clocks go forward. */
	struct vk_inc_clock_input in = { .aware_at =
					     local_us("2026-03-29T00:30"),
		.significant = true,
		.personal_data = true };
	struct vk_inc_clock c[VK_STAGE_MAX];
	int64_t now = in.aware_at + 1 * H;

	(void)state;
	assert_int_equal(in.aware_at, 1774740600LL * S);
	assert_int_equal(vk_inc_clocks(&in, now, c), 0);
	/* 24 elapsed hours: 2026-03-30 01:30 CEST (wall +25 h). */
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].due, 1774827000LL * S);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].status, VK_CLOCK_RUNNING);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].left, 23 * H);
	/* 72 h: 2026-04-01 01:30 CEST. */
	assert_int_equal(c[VK_STAGE_NOTIFICATION].due, 1774999800LL * S);
	/* Final while the notification is unsent: its due + 1 month. */
	assert_int_equal(c[VK_STAGE_FINAL].due, 1777591800LL * S);
	assert_true(c[VK_STAGE_FINAL].due_estimated);
	assert_int_equal(c[VK_STAGE_GDPR].due, 1774999800LL * S);
	assert_int_equal(c[VK_STAGE_GDPR].status, VK_CLOCK_RUNNING);
}

static void
test_clocks_autumn_night(void **state)
{
	struct vk_inc_clock_input in = {
		.aware_at = local_us("2026-10-25T00:30"), .significant = true
	};
	struct vk_inc_clock c[VK_STAGE_MAX];
	char buf[32];

	(void)state;
	assert_int_equal(in.aware_at, 1792881000LL * S);
	assert_int_equal(vk_inc_clocks(&in, in.aware_at, c), 0);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].due, 1792967400LL * S);
	assert_int_equal(vk_tz_format_us(c[VK_STAGE_EARLY_WARNING].due, true,
			     buf, sizeof(buf)),
	    0);
	/* 24 elapsed hours end at 23:30 the same day (wall +23 h). */
	assert_string_equal(buf, "2026-10-25 23:30 CET");
	assert_int_equal(c[VK_STAGE_NOTIFICATION].due, 1793140200LL * S);
	assert_int_equal(c[VK_STAGE_GDPR].status, VK_CLOCK_OFF);
	assert_int_equal(c[VK_STAGE_GDPR].due, 0);
}

static void
test_clocks_status_and_sent(void **state)
{
	struct vk_inc_clock_input in = { .aware_at =
					     local_us("2026-01-28T10:00"),
		.significant = true,
		.personal_data = true };
	struct vk_inc_clock c[VK_STAGE_MAX];
	int64_t ew_due;

	(void)state;
	ew_due = in.aware_at + 24 * H;
	/* Exactly 6 h left: soon.  6 h + 1 µs: running. */
	assert_int_equal(vk_inc_clocks(&in, ew_due - 6 * H, c), 0);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].status, VK_CLOCK_SOON);
	assert_int_equal(vk_inc_clocks(&in, ew_due - 6 * H - 1, c), 0);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].status, VK_CLOCK_RUNNING);
	/* At the deadline itself: not yet overdue; one µs later: overdue. */
	assert_int_equal(vk_inc_clocks(&in, ew_due, c), 0);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].status, VK_CLOCK_SOON);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].left, 0);
	assert_int_equal(vk_inc_clocks(&in, ew_due + 1, c), 0);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].status, VK_CLOCK_OVERDUE);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].left, -1);
	/* Sent in time stops the clock, also long after. */
	in.sent_at[VK_STAGE_EARLY_WARNING] = ew_due - H;
	assert_int_equal(vk_inc_clocks(&in, ew_due + 100 * H, c), 0);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].status, VK_CLOCK_SENT);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].left, 0);
	assert_int_equal(c[VK_STAGE_NOTIFICATION].status, VK_CLOCK_OVERDUE);
	/* Sent late is remembered as late. */
	in.sent_at[VK_STAGE_EARLY_WARNING] = ew_due + 1;
	assert_int_equal(vk_inc_clocks(&in, ew_due + 100 * H, c), 0);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].status, VK_CLOCK_SENT_LATE);
	/* The notification sent on 2026-01-31 10:00 puts the final report
	 * on 2026-02-28 10:00 (month end clamped), no longer estimated. */
	in.sent_at[VK_STAGE_NOTIFICATION] = local_us("2026-01-31T10:00");
	assert_int_equal(vk_inc_clocks(&in, ew_due, c), 0);
	assert_int_equal(c[VK_STAGE_FINAL].due, 1772269200LL * S);
	assert_false(c[VK_STAGE_FINAL].due_estimated);
	assert_int_equal(c[VK_STAGE_NOTIFICATION].status, VK_CLOCK_SENT);
	/* Not significant: NIS2 clocks off, GDPR still on. */
	in.significant = false;
	assert_int_equal(vk_inc_clocks(&in, ew_due, c), 0);
	for (int i = 0; i < VK_STAGE_GDPR; i++) {
		assert_int_equal(c[i].status, VK_CLOCK_OFF);
		assert_int_equal(c[i].due, 0);
	}
	assert_int_equal(c[VK_STAGE_GDPR].status, VK_CLOCK_RUNNING);
	/* No awareness time: nothing runs. */
	in.significant = true;
	in.aware_at = 0;
	assert_int_equal(vk_inc_clocks(&in, ew_due, c), 0);
	for (int i = 0; i < VK_STAGE_MAX; i++)
		assert_int_equal(c[i].status, VK_CLOCK_OFF);
	assert_int_equal(vk_inc_clocks(NULL, 0, c), VK_EINVAL);
	assert_string_equal(
	    vk_clock_status_name(VK_CLOCK_SENT_LATE), "sent_late");
	assert_string_equal(vk_clock_status_name(VK_CLOCK_STATUS_MAX), "?");
}

static void
test_clocks_leap_and_year_end(void **state)
{
	struct vk_inc_clock_input in = { .significant = true };
	struct vk_inc_clock c[VK_STAGE_MAX];
	char buf[32];

	(void)state;
	/* Notification sent 2028-01-31 12:00 -> final 2028-02-29 12:00. */
	in.aware_at = local_us("2028-01-29T12:00");
	in.sent_at[VK_STAGE_NOTIFICATION] = local_us("2028-01-31T12:00");
	assert_int_equal(vk_inc_clocks(&in, in.aware_at, c), 0);
	assert_int_equal(
	    vk_tz_format_us(c[VK_STAGE_FINAL].due, true, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2028-02-29 12:00 CET");
	/* Awareness on New Year's Eve: deadlines in the next year. */
	memset(&in, 0, sizeof(in));
	in.significant = true;
	in.aware_at = local_us("2026-12-31T23:30");
	assert_int_equal(vk_inc_clocks(&in, in.aware_at, c), 0);
	assert_int_equal(c[VK_STAGE_EARLY_WARNING].due, 1798842600LL * S);
	assert_int_equal(c[VK_STAGE_NOTIFICATION].due, 1799015400LL * S);
	assert_int_equal(
	    vk_tz_format_us(c[VK_STAGE_FINAL].due, true, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "2027-02-03 23:30 CET");
}

/* ------------------------------------------------------------------ */
/* References.                                                         */

static void
test_reference(void **state)
{
	char buf[VK_INC_REF_MAX];
	int y;
	int64_t q;

	(void)state;
	assert_int_equal(vk_inc_ref_format(2026, 42, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "VK-2026-0042");
	assert_int_equal(vk_inc_ref_format(2026, 12345, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "VK-2026-12345");
	assert_int_equal(
	    vk_inc_ref_format(2026, VK_INC_SEQ_MAX, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "VK-2026-9999999999");
	assert_int_equal(
	    vk_inc_ref_format(2026, 0, buf, sizeof(buf)), VK_EINVAL);
	assert_int_equal(
	    vk_inc_ref_format(2026, VK_INC_SEQ_MAX + 1, buf, sizeof(buf)),
	    VK_EINVAL);
	assert_int_equal(
	    vk_inc_ref_format(999, 1, buf, sizeof(buf)), VK_EINVAL);
	assert_int_equal(vk_inc_ref_format(2026, 1, buf, 8), VK_ETOOBIG);
	assert_string_equal(buf, "");

	assert_int_equal(vk_inc_ref_parse("VK-2026-0042", 12, &y, &q), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(q, 42);
	assert_int_equal(vk_inc_ref_parse("vk-2026-12345", 13, &y, &q), 0);
	assert_int_equal(q, 12345);
	assert_int_equal(
	    vk_inc_ref_parse("VK-2026-042", 11, &y, &q), VK_EPARSE);
	assert_int_equal(
	    vk_inc_ref_parse("VK-2026-0000", 12, &y, &q), VK_EPARSE);
	assert_int_equal(
	    vk_inc_ref_parse("VK-2026-00a2", 12, &y, &q), VK_EPARSE);
	assert_int_equal(
	    vk_inc_ref_parse("VK_2026-0042", 12, &y, &q), VK_EPARSE);
	assert_int_equal(
	    vk_inc_ref_parse("VK-0999-0042", 12, &y, &q), VK_EPARSE);
	assert_int_equal(
	    vk_inc_ref_parse("VK-2026-99999999999", 19, &y, &q), VK_EPARSE);
	/* Length is what counts, not a NUL. */
	assert_int_equal(vk_inc_ref_parse("VK-2026-0042x", 12, &y, &q), 0);
}

/* ------------------------------------------------------------------ */
/* Validation.                                                         */

static bool
has_error(const struct vk_diag *d, const char *field)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].where != NULL && strcmp(d->v[i].where, field) == 0)
			return true;
	return false;
}

static void
test_validate_ok(void **state)
{
	struct vk_inc_report_form f = { .type = "incident",
		.title = "Konstigt mejl från \"banken\"",
		.what = "Jag klickade på länken.\nSedan bad den om BankID.",
		.noticed_at = "2026-03-29T00:30",
		.system = "E-post",
		.personal_data = "unknown",
		.ongoing = "no",
		.contact_email = "anna.andersson@kommun.example.se" };
	struct vk_inc_report_fields v;
	struct vk_diag d;

	(void)state;
	vk_diag_init(&d);
	assert_int_equal(
	    vk_inc_report_validate(&f, 1800000000LL * S, &v, &d), 0);
	assert_int_equal(d.nerr, 0);
	assert_int_equal(v.type, VK_INC_TYPE_INCIDENT);
	assert_int_equal(v.noticed_at, 1774740600LL * S);
	assert_int_equal(v.personal_data, VK_TRI_UNKNOWN);
	assert_int_equal(v.ongoing, VK_TRI_NO);
	/* Optional fields may all be missing. */
	f.system = NULL;
	f.personal_data = NULL;
	f.ongoing = "";
	f.contact_email = NULL;
	f.type = "weakness";
	assert_int_equal(
	    vk_inc_report_validate(&f, 1800000000LL * S, &v, &d), 0);
	assert_int_equal(v.type, VK_INC_TYPE_WEAKNESS);
	vk_diag_release(&d);
}

static void
test_validate_every_field_reported(void **state)
{
	char longtitle[VK_INC_TITLE_MAX + 2];
	struct vk_inc_report_form f = { .type = "accident",
		.title = longtitle,
		.what = "",
		.noticed_at = "igår",
		.system = "a\nb",
		.personal_data = "kanske",
		.ongoing = "YES",
		.contact_name = "\x01",
		.contact_phone = "070\xff",
		.contact_email = "not-an-address" };
	struct vk_inc_report_fields v = { .type = 7 };
	static const char *const fields[] = { "type", "title", "what",
		"noticed_at", "system", "personal_data", "ongoing",
		"contact_name", "contact_phone", "contact_email" };
	struct vk_diag d;

	(void)state;
	memset(longtitle, 'x', sizeof(longtitle) - 1);
	longtitle[sizeof(longtitle) - 1] = '\0';
	vk_diag_init(&d);
	assert_int_equal(
	    vk_inc_report_validate(&f, 1800000000LL * S, &v, &d), VK_EINVAL);
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		if (!has_error(&d, fields[i]))
			fail_msg("no message for field %s", fields[i]);
	assert_int_equal(d.nerr, sizeof(fields) / sizeof(*fields));
	/* Nothing half-filled on failure. */
	assert_int_equal(v.type, 7);
	vk_diag_release(&d);

	/* Exactly at the limit is fine; the future is not. */
	vk_diag_init(&d);
	longtitle[VK_INC_TITLE_MAX] = '\0';
	f = (struct vk_inc_report_form){ .type = "incident",
		.title = longtitle,
		.what = "x",
		.noticed_at = "2026-09-21T16:00" };
	/* now = 2026-09-21T14:00:00Z = 16:00 CEST: 16:00 is now. */
	assert_int_equal(
	    vk_inc_report_validate(&f, 1790000000LL * S - 1200 * S, &v, &d),
	    VK_EINVAL);
	assert_int_equal(d.nerr, 1);
	assert_true(has_error(&d, "noticed_at"));
	vk_diag_release(&d);
	vk_diag_init(&d);
	f.noticed_at = "2026-01-01T00:00";
	assert_int_equal(
	    vk_inc_report_validate(&f, 1800000000LL * S, &v, &d), 0);
	/* Missing required fields. */
	f.title = NULL;
	f.what = NULL;
	f.noticed_at = NULL;
	f.type = NULL;
	assert_int_equal(
	    vk_inc_report_validate(&f, 1800000000LL * S, &v, &d), VK_EINVAL);
	assert_true(has_error(&d, "title"));
	assert_true(has_error(&d, "what"));
	assert_true(has_error(&d, "noticed_at"));
	assert_true(has_error(&d, "type"));
	vk_diag_release(&d);
}

static void
test_text_ok(void **state)
{
	(void)state;
	assert_true(vk_inc_text_ok("åäö\tx\r\n", 10));
	assert_true(vk_inc_text_ok("\xf0\x9f\x98\x80", 4));
	assert_false(vk_inc_text_ok("a\0b", 3));
	assert_false(vk_inc_text_ok("\x7f", 1));
	assert_false(vk_inc_text_ok("\xc3", 1)); /* truncated */
	assert_false(vk_inc_text_ok("\xc0\xaf", 2)); /* overlong */
	assert_false(vk_inc_text_ok("\xed\xa0\x80", 3)); /* surrogate */
	assert_false(vk_inc_text_ok("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_true(vk_inc_text_ok(NULL, 0));
}

/* ------------------------------------------------------------------ */
/* Attachments.                                                        */

static void
test_attach(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
		0x1a, '\n', 0, 0, 0, 13 };
	static const unsigned char jpg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 16 };
	static const char pdf[] = "%PDF-1.7\n";
	static const char eml[] = "From: a@b.se\r\nSubject: hej\r\n\r\nx";
	enum vk_attach_kind k;
	struct vk_diag d;

	(void)state;
	vk_diag_init(&d);
	assert_int_equal(
	    vk_attach_check("skärm.PNG", png, sizeof(png), "f", &k, &d), 0);
	assert_int_equal(k, VK_ATTACH_PNG);
	assert_int_equal(
	    vk_attach_check("a.jpg", jpg, sizeof(jpg), "f", &k, &d), 0);
	assert_int_equal(k, VK_ATTACH_JPEG);
	assert_int_equal(
	    vk_attach_check("a.jpeg", jpg, sizeof(jpg), "f", &k, &d), 0);
	assert_int_equal(vk_attach_check("a.pdf", pdf, 9, "f", &k, &d), 0);
	assert_int_equal(k, VK_ATTACH_PDF);
	assert_int_equal(
	    vk_attach_check("mejl.eml", eml, strlen(eml), "f", &k, &d), 0);
	assert_int_equal(k, VK_ATTACH_EML);
	assert_int_equal(
	    vk_attach_check("logg.txt", "rad 1\nrad 2", 11, "f", &k, &d), 0);
	assert_int_equal(k, VK_ATTACH_TXT);
	assert_int_equal(d.nerr, 0);
	assert_string_equal(
	    vk_attach_kind_mime(VK_ATTACH_EML), "message/rfc822");

	/* Content that does not match the name. */
	assert_int_equal(
	    vk_attach_check("a.png", jpg, sizeof(jpg), "f", &k, &d), VK_EINVAL);
	assert_int_equal(
	    vk_attach_check("a.pdf", "<html>", 6, "f", &k, &d), VK_EINVAL);
	assert_int_equal(
	    vk_attach_check("a.txt", png, sizeof(png), "f", &k, &d), VK_EINVAL);
	assert_int_equal(
	    vk_attach_check("a.eml", "no header here", 14, "f", &k, &d),
	    VK_EINVAL);
	/* Types not accepted, whatever the content. */
	assert_int_equal(
	    vk_attach_check("a.exe", "MZ", 2, "f", &k, &d), VK_EINVAL);
	assert_int_equal(
	    vk_attach_check("a.html", "<b>", 3, "f", &k, &d), VK_EINVAL);
	assert_int_equal(
	    vk_attach_check("png", png, sizeof(png), "f", &k, &d), VK_EINVAL);
	/* Names and sizes. */
	assert_int_equal(vk_attach_check("", "x", 1, "f", &k, &d), VK_EINVAL);
	assert_int_equal(vk_attach_check(NULL, "x", 1, "f", &k, &d), VK_EINVAL);
	assert_int_equal(
	    vk_attach_check("../a.txt", "x", 1, "f", &k, &d), VK_EINVAL);
	assert_int_equal(
	    vk_attach_check("a\\b.txt", "x", 1, "f", &k, &d), VK_EINVAL);
	assert_int_equal(
	    vk_attach_check("a.txt", "", 0, "f", &k, &d), VK_EINVAL);
	assert_int_equal(
	    vk_attach_check("a.txt", "x", VK_INC_ATTACH_MAX + 1, "f", &k, &d),
	    VK_EINVAL);
	assert_true(d.nerr >= 12);
	assert_true(has_error(&d, "f"));
	vk_diag_release(&d);
}

/* ------------------------------------------------------------------ */
/* Drafts.                                                             */

static const struct vk_inc_draft_field *
field(const struct vk_inc_draft *dr, const char *key)
{
	for (size_t i = 0; i < dr->n; i++)
		if (strcmp(dr->v[i].key, key) == 0)
			return &dr->v[i];
	return NULL;
}

static void
test_draft_early_warning(void **state)
{
	struct vk_inc_draft_input in = { .reference = "VK-2026-0042",
		.org_name = "Exempelby kommun",
		.authority = "CERT-SE",
		.title = "Ransomware på filserver",
		.category = VK_CAT_MALWARE,
		.aware_at = 1774740600LL * S,
		.malicious = VK_TRI_YES };
	struct vk_inc_draft *dr = NULL;
	struct vk_buf b;
	char *js = NULL;
	json_t *o;
	json_error_t je;

	(void)state;
	assert_int_equal(
	    vk_inc_draft_build(&in, VK_STAGE_EARLY_WARNING, VK_LANG_SV, &dr),
	    0);
	assert_string_equal(dr->title, "Tidig varning");
	assert_int_equal(dr->missing, 0);
	assert_string_equal(field(dr, "malicious_cause")->value, "Ja");
	assert_string_equal(field(dr, "cross_border")->value, "Inte känt ännu");
	assert_string_equal(
	    field(dr, "aware_at")->value, "2026-03-29 00:30 CET");
	assert_string_equal(field(dr, "authority_class")->value,
	    "malicious-code / infected-system");
	vk_buf_init(&b, 1 << 16);
	assert_int_equal(vk_inc_draft_text(dr, &b), 0);
	assert_non_null(strstr(vk_buf_str(&b), "Tidig varning\n"));
	assert_non_null(strstr(vk_buf_str(&b),
	    "Misstänkt olaglig eller avsiktligt skadlig orsak: Ja\n"));
	assert_non_null(strstr(vk_buf_str(&b), "Mottagare: CERT-SE\n"));
	vk_buf_release(&b);
	assert_int_equal(vk_inc_draft_json(dr, &js), 0);
	o = json_loads(js, 0, &je);
	assert_non_null(o);
	assert_string_equal(
	    json_string_value(json_object_get(o, "stage")), "early_warning");
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(o, "values"), "reference")),
	    "VK-2026-0042");
	assert_int_equal(json_integer_value(json_object_get(o, "missing")), 0);
	assert_int_equal(json_array_size(json_object_get(o, "fields")), dr->n);
	json_decref(o);
	free(js);
	vk_inc_draft_free(dr);
	/* A tiny buffer ceiling is reported, not overrun. */
	assert_int_equal(
	    vk_inc_draft_build(&in, VK_STAGE_EARLY_WARNING, VK_LANG_EN, &dr),
	    0);
	vk_buf_init(&b, 20);
	assert_int_equal(vk_inc_draft_text(dr, &b), VK_ETOOBIG);
	vk_buf_release(&b);
	vk_inc_draft_free(dr);
	vk_inc_draft_free(NULL);
}

static void
test_draft_missing_and_stages(void **state)
{
	struct vk_inc_draft_input in = { .reference = "VK-2026-0001",
		.org_name = "Exempelby kommun",
		.title = "Phishing",
		.category = VK_CAT_PHISHING,
		.aware_at = 1774740600LL * S,
		.subjects_approx = -1,
		.records_approx = 250,
		.description = "rad 1\nrad 2" };
	struct vk_inc_draft *dr = NULL;
	struct vk_buf b;

	(void)state;
	assert_int_equal(
	    vk_inc_draft_build(&in, VK_STAGE_NOTIFICATION, VK_LANG_EN, &dr), 0);
	assert_string_equal(dr->title, "Incident notification");
	/* severity, impact, iocs are missing. */
	assert_int_equal(dr->missing, 3);
	assert_true(field(dr, "severity")->missing);
	assert_true(field(dr, "impact")->missing);
	assert_true(field(dr, "iocs")->missing);
	assert_false(field(dr, "description")->missing);
	vk_buf_init(&b, 1 << 16);
	assert_int_equal(vk_inc_draft_text(dr, &b), 0);
	assert_non_null(
	    strstr(vk_buf_str(&b), "Impact: [MISSING – fill in]\n"));
	assert_non_null(
	    strstr(vk_buf_str(&b), "Description:\n  rad 1\n  rad 2\n"));
	/* Empty optional fields (authority unset) are left out. */
	assert_null(strstr(vk_buf_str(&b), "Recipient"));
	vk_buf_release(&b);
	vk_inc_draft_free(dr);

	in.still_handled = true;
	assert_int_equal(
	    vk_inc_draft_build(&in, VK_STAGE_FINAL, VK_LANG_EN, &dr), 0);
	assert_string_equal(dr->title, "Progress report");
	assert_true(field(dr, "measures_ongoing")->required);
	assert_true(field(dr, "root_cause")->missing);
	vk_inc_draft_free(dr);
	in.still_handled = false;
	assert_int_equal(
	    vk_inc_draft_build(&in, VK_STAGE_FINAL, VK_LANG_SV, &dr), 0);
	assert_string_equal(dr->title, "Slutrapport");
	assert_false(field(dr, "measures_ongoing")->required);
	vk_inc_draft_free(dr);

	/* IMY: on time, the delay reason is optional; late, required. */
	in.now = in.aware_at + 71 * H;
	in.contact_email = "dso@exempelby.se";
	assert_int_equal(
	    vk_inc_draft_build(&in, VK_STAGE_GDPR, VK_LANG_EN, &dr), 0);
	assert_false(field(dr, "delay_reason")->required);
	assert_true(field(dr, "subjects_approx")->missing);
	assert_string_equal(field(dr, "records_approx")->value, "250");
	assert_string_equal(field(dr, "contact")->value, "dso@exempelby.se");
	vk_inc_draft_free(dr);
	in.now = in.aware_at + 73 * H;
	assert_int_equal(
	    vk_inc_draft_build(&in, VK_STAGE_GDPR, VK_LANG_EN, &dr), 0);
	assert_true(field(dr, "delay_reason")->missing);
	vk_inc_draft_free(dr);

	assert_int_equal(
	    vk_inc_draft_build(&in, VK_STAGE_MAX, VK_LANG_EN, &dr), VK_EINVAL);
	assert_null(dr);
	assert_int_equal(
	    vk_inc_draft_build(&in, VK_STAGE_FINAL, VK_LANG_MAX, &dr),
	    VK_EINVAL);
	assert_int_equal(
	    vk_inc_draft_build(NULL, VK_STAGE_FINAL, VK_LANG_EN, &dr),
	    VK_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transitions_every_pair),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_tz_rule),
		cmocka_unit_test(test_tz_against_libc),
		cmocka_unit_test(test_tz_from_local),
		cmocka_unit_test(test_tz_format_parse),
		cmocka_unit_test(test_add_month),
		cmocka_unit_test(test_clocks_spring_night),
		cmocka_unit_test(test_clocks_autumn_night),
		cmocka_unit_test(test_clocks_status_and_sent),
		cmocka_unit_test(test_clocks_leap_and_year_end),
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_validate_ok),
		cmocka_unit_test(test_validate_every_field_reported),
		cmocka_unit_test(test_text_ok),
		cmocka_unit_test(test_attach),
		cmocka_unit_test(test_draft_early_warning),
		cmocka_unit_test(test_draft_missing_and_stages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
