/*
 * test_html.c — the escaping HTML writer: hostile text and attribute
 * values come out escaped, bad names and URLs are refused, and there is
 * no way to write raw text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/err.h"
#include "web/html.h"
#include "web/page.h"

static const char *const hostile[] = {
	"<script>alert(1)</script>",
	"\"><img src=x onerror=alert(1)>",
	"' onmouseover='alert(1)",
	"&lt;already&gt; & more",
	"Robert'); DROP TABLE users;--",
	"</textarea><script>x</script>",
	"\x01\x02control\x7f",
};

static void
test_text_escaped(void **state)
{
	struct vk_html h;
	struct vk_buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		vk_buf_init(&b, 4096);
		vk_html_init(&h, &b);
		assert_int_equal(vk_html_open(&h, "p", NULL), 0);
		assert_int_equal(vk_html_text(&h, hostile[i]), 0);
		assert_int_equal(vk_html_finish(&h), 0);
		/* Only the writer's own <p> and </p> contain '<' or '>'. */
		assert_memory_equal(vk_buf_str(&b), "<p>", 3);
		assert_string_equal(vk_buf_str(&b) + b.len - 4, "</p>");
		vk_buf_truncate(&b, b.len - 4);
		assert_null(strpbrk(vk_buf_str(&b) + 3, "<>"));
		assert_null(strchr(vk_buf_str(&b), '"'));
		assert_null(strchr(vk_buf_str(&b), '\''));
		assert_null(strchr(vk_buf_str(&b), '\x01'));
		vk_buf_release(&b);
	}
}

static void
test_exact_output(void **state)
{
	struct vk_html h;
	struct vk_buf b;

	(void)state;
	vk_buf_init(&b, 4096);
	vk_html_init(&h, &b);
	vk_html_open(&h, "a", "href", "/x?a=1&b=\"2\"", "class", "c'd", NULL);
	vk_html_text(&h, "<b>&</b>");
	vk_html_close(&h);
	vk_html_void(&h, "input", "name", "q", "required", NULL, NULL);
	assert_int_equal(vk_html_finish(&h), 0);
	assert_string_equal(vk_buf_str(&b),
	    "<a href=\"/x?a=1&amp;b=&quot;2&quot;\" class=\"c&#39;d\">"
	    "&lt;b&gt;&amp;&lt;/b&gt;</a><input name=\"q\" required>");
	vk_buf_release(&b);
}

static void
test_bad_names_refused(void **state)
{
	static const char *const bad[] = { "script onload=x", "A", "p>", "",
		"x\"y", "img/src", "a b" };
	struct vk_html h;
	struct vk_buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vk_buf_init(&b, 4096);
		vk_html_init(&h, &b);
		assert_int_equal(vk_html_open(&h, bad[i], NULL), VK_EINVAL);
		assert_int_equal(b.len, 0);
		/* sticky: nothing more is written */
		assert_int_equal(vk_html_text(&h, "x"), VK_EINVAL);
		assert_int_equal(b.len, 0);
		vk_buf_release(&b);

		vk_buf_init(&b, 4096);
		vk_html_init(&h, &b);
		assert_int_equal(
		    vk_html_open(&h, "p", bad[i], "v", NULL), VK_EINVAL);
		assert_int_equal(b.len, 0);
		vk_buf_release(&b);
	}
}

static void
test_url_attributes(void **state)
{
	static const char *const bad[] = { "javascript:alert(1)",
		"JaVaScRiPt:x", "data:text/html,x", "//evil.example/",
		"/\\evil.example", " javascript:x", "vbscript:x" };
	static const char *const good[] = { "/", "/users/3", "?a=b", "#main",
		"https://example.se/", "mailto:a@example.se" };
	struct vk_html h;
	struct vk_buf b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vk_buf_init(&b, 4096);
		vk_html_init(&h, &b);
		assert_int_equal(
		    vk_html_open(&h, "a", "href", bad[i], NULL), VK_EINVAL);
		assert_int_equal(b.len, 0);
		vk_html_init(&h, &b);
		assert_int_equal(
		    vk_html_open(&h, "form", "action", bad[i], NULL),
		    VK_EINVAL);
		vk_buf_release(&b);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		vk_buf_init(&b, 4096);
		vk_html_init(&h, &b);
		assert_int_equal(
		    vk_html_open(&h, "a", "href", good[i], NULL), 0);
		vk_buf_release(&b);
	}
}

static void
test_nesting_and_close(void **state)
{
	struct vk_html h;
	struct vk_buf b;
	size_t i;

	(void)state;
	vk_buf_init(&b, 1 << 16);
	vk_html_init(&h, &b);
	assert_int_equal(vk_html_close(&h), VK_EINVAL); /* nothing open */
	vk_buf_release(&b);

	vk_buf_init(&b, 1 << 16);
	vk_html_init(&h, &b);
	vk_html_open(&h, "div", NULL);
	vk_html_open(&h, "ul", NULL);
	vk_html_open(&h, "li", NULL);
	assert_int_equal(vk_html_close_to(&h, 1), 0);
	assert_int_equal(vk_html_finish(&h), 0);
	assert_string_equal(vk_buf_str(&b), "<div><ul><li></li></ul></div>");
	vk_buf_release(&b);

	vk_buf_init(&b, 1 << 16);
	vk_html_init(&h, &b);
	for (i = 0; i < VK_HTML_DEPTH; i++)
		assert_int_equal(vk_html_open(&h, "div", NULL), 0);
	assert_int_equal(vk_html_open(&h, "div", NULL), VK_ETOOBIG);
	vk_buf_release(&b);
}

static void
test_ceiling(void **state)
{
	struct vk_html h;
	struct vk_buf b;
	char big[200];

	(void)state;
	memset(big, '<', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	vk_buf_init(&b, 100);
	vk_html_init(&h, &b);
	assert_int_equal(vk_html_text(&h, big), VK_ETOOBIG);
	assert_int_equal(vk_html_finish(&h), VK_ETOOBIG);
	vk_buf_release(&b);
}

static void
test_textf_escapes(void **state)
{
	struct vk_html h;
	struct vk_buf b;

	(void)state;
	vk_buf_init(&b, 4096);
	vk_html_init(&h, &b);
	vk_html_textf(&h, "%s=%d", "<x>", 5);
	assert_string_equal(vk_buf_str(&b), "&lt;x&gt;=5");
	vk_buf_release(&b);
}

/* Times on pages are Stockholm time with the zone, to the second. */
static void
test_page_time(void **state)
{
	char b[64];

	(void)state;
	/* 2026-11-27 21:16:56 UTC: winter, CET = UTC+1. */
	vk_page_time(INT64_C(1795814216) * 1000000, b, sizeof(b));
	assert_string_equal(b, "2026-11-27 22:16:56 CET");
	/* 2026-07-01 10:00:00 UTC: summer, CEST = UTC+2. */
	vk_page_time(INT64_C(1782900000) * 1000000, b, sizeof(b));
	assert_string_equal(b, "2026-07-01 12:00:00 CEST");
	/* The hour that occurs twice: 2026-10-25 00:30 and 01:30 UTC are
	 * both 02:30 local, told apart by the zone. */
	vk_page_time(INT64_C(1792888200) * 1000000, b, sizeof(b));
	assert_string_equal(b, "2026-10-25 02:30:00 CEST");
	vk_page_time(INT64_C(1792891800) * 1000000, b, sizeof(b));
	assert_string_equal(b, "2026-10-25 02:30:00 CET");
	/* Unknown (0) is a dash. */
	vk_page_time(0, b, sizeof(b));
	assert_string_equal(b, "–");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_escaped),
		cmocka_unit_test(test_exact_output),
		cmocka_unit_test(test_bad_names_refused),
		cmocka_unit_test(test_url_attributes),
		cmocka_unit_test(test_nesting_and_close),
		cmocka_unit_test(test_ceiling),
		cmocka_unit_test(test_textf_escapes),
		cmocka_unit_test(test_page_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
