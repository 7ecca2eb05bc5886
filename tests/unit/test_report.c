/*
 * test_report.c — the escapers of the hunt output and the progress line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hunt/progress.h"
#include "hunt/report.h"
#include "util/err.h"

typedef int (*escape_fn)(struct vk_buf *, const char *, size_t);

static const char *
esc(escape_fn fn, const char *s, size_t n)
{
	static char out[1024];
	struct vk_buf b;

	vk_buf_init(&b, 1000);
	assert_int_equal(fn(&b, s, n), 0);
	assert_true(b.len < sizeof(out));
	memcpy(out, vk_buf_str(&b), b.len + 1);
	vk_buf_release(&b);
	return out;
}

#define E(fn, lit) esc(fn, lit, sizeof(lit) - 1)

static void
test_json(void **state)
{
	(void)state;
	assert_string_equal(
	    E(vk_escape_json, "plain evil.se"), "plain evil.se");
	assert_string_equal(E(vk_escape_json, "q\"b\\s"), "q\\\"b\\\\s");
	assert_string_equal(E(vk_escape_json, "a\nb\rc\td"), "a\\nb\\rc\\td");
	assert_string_equal(
	    E(vk_escape_json, "\0\x01\x1b\x7f"), "\\u0000\\u0001\\u001b\x7f");
	/* Valid UTF-8 passes; invalid bytes become the text \xNN. */
	assert_string_equal(E(vk_escape_json, "k\xc3\xb6k"), "k\xc3\xb6k");
	assert_string_equal(E(vk_escape_json, "\xff\xfe"), "\\\\xff\\\\xfe");
	/* Overlong, surrogate, truncated and too-large sequences. */
	assert_string_equal(E(vk_escape_json, "\xc0\xaf"), "\\\\xc0\\\\xaf");
	assert_string_equal(
	    E(vk_escape_json, "\xed\xa0\x80"), "\\\\xed\\\\xa0\\\\x80");
	assert_string_equal(E(vk_escape_json, "\xe2\x82"), "\\\\xe2\\\\x82");
	assert_string_equal(E(vk_escape_json, "\xf4\x90\x80\x80"),
	    "\\\\xf4\\\\x90\\\\x80\\\\x80");
	assert_string_equal(
	    E(vk_escape_json, "\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
}

static void
test_term(void **state)
{
	(void)state;
	assert_string_equal(E(vk_escape_term, "a\tb"), "a\tb");
	assert_string_equal(
	    E(vk_escape_term, "\x1b[31mred\x07"), "\\x1b[31mred\\x07");
	assert_string_equal(
	    E(vk_escape_term, "new\nline\r"), "new\\x0aline\\x0d");
	assert_string_equal(E(vk_escape_term, "\x7f\xff"), "\\x7f\\xff");
	/* C1 controls (a CSI in one byte) and bidirectional overrides. */
	assert_string_equal(E(vk_escape_term, "\xc2\x9b"), "\\u{009b}");
	assert_string_equal(E(vk_escape_term, "x\xe2\x80\xaey"), "x\\u{202e}y");
	assert_string_equal(E(vk_escape_term, "\xe2\x81\xa6"), "\\u{2066}");
	assert_string_equal(E(vk_escape_term, "Malm\xc3\xb6"), "Malm\xc3\xb6");
}

static void
test_csv(void **state)
{
	(void)state;
	assert_string_equal(E(vk_escape_csv, "plain"), "plain");
	assert_string_equal(E(vk_escape_csv, "a,b"), "\"a,b\"");
	assert_string_equal(
	    E(vk_escape_csv, "say \"hi\""), "\"say \"\"hi\"\"\"");
	assert_string_equal(E(vk_escape_csv, "two\nlines"), "\"two\nlines\"");
	assert_string_equal(E(vk_escape_csv, " pad"), "\" pad\"");
	/* Spreadsheet formulas are defused. */
	assert_string_equal(E(vk_escape_csv, "=1+1"), "'=1+1");
	assert_string_equal(E(vk_escape_csv, "@SUM(A1)"), "'@SUM(A1)");
	assert_string_equal(E(vk_escape_csv, "-2"), "'-2");
	assert_string_equal(E(vk_escape_csv, "=a,b"), "\"'=a,b\"");
	assert_string_equal(E(vk_escape_csv, "\xff"), "\\xff");
	assert_string_equal(E(vk_escape_csv, ""), "");
}

static void
test_ceiling(void **state)
{
	struct vk_buf b;
	char big[600];

	(void)state;
	memset(big, '"', sizeof(big));
	vk_buf_init(&b, 100);
	assert_int_equal(vk_escape_json(&b, big, sizeof(big)), VK_ETOOBIG);
	vk_buf_release(&b);
}

static void
test_format_name(void **state)
{
	enum vk_report_format f;

	(void)state;
	assert_int_equal(vk_report_format_from_name("jsonl", &f), 0);
	assert_int_equal(f, VK_REPORT_JSONL);
	assert_int_equal(vk_report_format_from_name("csv", &f), 0);
	assert_int_equal(f, VK_REPORT_CSV);
	assert_int_equal(vk_report_format_from_name("text", &f), 0);
	assert_int_equal(f, VK_REPORT_TEXT);
	assert_int_equal(vk_report_format_from_name("json", &f), VK_EINVAL);
}

static void
test_progress(void **state)
{
	char line[160];

	(void)state;
	vk_progress_format(line, sizeof(line), 500000000, 2000000000, 2.0);
	assert_string_equal(
	    line, "hunt: 500.0 MB of 2.00 GB (25%), 250.0 MB/s, 6 s left");
	/* Unknown total (standard input). */
	vk_progress_format(line, sizeof(line), 3000000, 0, 1.5);
	assert_string_equal(line, "hunt: 3.0 MB, 2.0 MB/s");
	/* Never past the total. */
	vk_progress_format(line, sizeof(line), 300, 200, 1.0);
	assert_string_equal(
	    line, "hunt: 0.0 MB of 0.0 MB (100%), 0.0 MB/s, 0 s left");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_term),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_ceiling),
		cmocka_unit_test(test_format_name),
		cmocka_unit_test(test_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
