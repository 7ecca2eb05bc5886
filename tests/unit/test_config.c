/*
 * test_config.c — serve settings: file, environment, flags, CIDRs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "util/err.h"
#include "web/config.h"

static char *
write_tmp(const char *text)
{
	char *path = strdup("/tmp/vk_test_config_XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
test_defaults(void **state)
{
	struct vk_web_config c;

	(void)state;
	assert_int_equal(vk_web_config_init(&c), 0);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.body_limit, 1024 * 1024);
	assert_int_equal(c.idle_timeout, 1800);
	assert_int_equal(c.absolute_timeout, 12 * 3600);
	vk_web_config_release(&c);
}

static void
test_file_env_flag_order(void **state)
{
	struct vk_web_config c;
	struct vk_diag d;
	char *path = write_tmp("# comment\n\n listen = 0.0.0.0:9000 \n"
			       "data=/srv/vaksam\nthreads = 3\n"
			       "trusted_proxy = 10.0.0.0/8, ::1\n"
			       "log_format = json\n");

	(void)state;
	vk_diag_init(&d);
	vk_web_config_init(&c);
	assert_int_equal(vk_web_config_load_file(&c, path, &d), 0);
	assert_string_equal(c.listen, "0.0.0.0:9000");
	assert_string_equal(c.data_dir, "/srv/vaksam");
	assert_int_equal(c.threads, 3);
	assert_int_equal(c.nproxies, 2);
	assert_int_equal(c.log_json, 1);
	/* the environment overrides the file ... */
	setenv("VAKSAM_LISTEN", "127.0.0.1:9100", 1);
	setenv("VAKSAM_THREADS", "5", 1);
	assert_int_equal(vk_web_config_load_env(&c, &d), 0);
	assert_string_equal(c.listen, "127.0.0.1:9100");
	assert_int_equal(c.threads, 5);
	assert_string_equal(c.data_dir, "/srv/vaksam");
	/* ... and a flag overrides both */
	assert_int_equal(
	    vk_web_config_set(&c, "listen", "[::1]:1", "--listen", &d), 0);
	assert_string_equal(c.listen, "[::1]:1");
	unsetenv("VAKSAM_LISTEN");
	unsetenv("VAKSAM_THREADS");
	assert_int_equal(d.n, 0);
	vk_web_config_release(&c);
	vk_diag_release(&d);
	unlink(path);
	free(path);
}

static void
test_bad_values(void **state)
{
	static const char *const bad[][2] = { { "threads", "-1" },
		{ "threads", "1000" }, { "threads", "3x" }, { "threads", "" },
		{ "body_limit", "10" }, { "listen", "8080" },
		{ "log_format", "xml" }, { "trusted_proxy", "10.0.0.0/33" },
		{ "trusted_proxy", "not-an-ip" }, { "demo", "maybe" },
		{ "no_such_key", "1" }, { "idle_timeout", "99999999999" } };
	struct vk_web_config c;
	struct vk_diag d;
	size_t i;

	(void)state;
	vk_web_config_init(&c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vk_diag_init(&d);
		if (vk_web_config_set(&c, bad[i][0], bad[i][1], "x:1", &d) !=
		    VK_EINVAL)
			fail_msg(
			    "%s = '%s' was accepted", bad[i][0], bad[i][1]);
		assert_int_equal(d.n, 1);
		assert_string_equal(d.v[0].where, "x:1");
		vk_diag_release(&d);
	}
	vk_web_config_release(&c);
}

static void
test_file_errors_have_lines(void **state)
{
	struct vk_web_config c;
	struct vk_diag d;
	char *path = write_tmp("listen = 127.0.0.1:1\nthis line is wrong\n"
			       "colour = blue\n");
	char where[300];

	(void)state;
	vk_diag_init(&d);
	vk_web_config_init(&c);
	assert_int_equal(vk_web_config_load_file(&c, path, &d), VK_EINVAL);
	assert_int_equal(d.n, 2);
	snprintf(where, sizeof(where), "%s:2", path);
	assert_string_equal(d.v[0].where, where);
	snprintf(where, sizeof(where), "%s:3", path);
	assert_string_equal(d.v[1].where, where);
	vk_diag_release(&d);
	vk_diag_init(&d);
	assert_int_equal(
	    vk_web_config_load_file(&c, "/nonexistent/vaksam.conf", &d),
	    VK_EIO);
	vk_diag_release(&d);
	vk_web_config_release(&c);
	unlink(path);
	free(path);
}

static void
test_cidr(void **state)
{
	struct vk_cidr c;
	unsigned char a[16];

	(void)state;
	assert_int_equal(vk_cidr_parse("10.1.0.0/16", &c), 0);
	inet_pton(AF_INET, "10.1.200.3", a);
	assert_true(vk_cidr_contains(&c, AF_INET, a));
	inet_pton(AF_INET, "10.2.0.1", a);
	assert_false(vk_cidr_contains(&c, AF_INET, a));
	assert_int_equal(vk_cidr_parse("192.168.1.7", &c), 0);
	inet_pton(AF_INET, "192.168.1.7", a);
	assert_true(vk_cidr_contains(&c, AF_INET, a));
	inet_pton(AF_INET, "192.168.1.8", a);
	assert_false(vk_cidr_contains(&c, AF_INET, a));
	assert_int_equal(vk_cidr_parse("fd00::/8", &c), 0);
	inet_pton(AF_INET6, "fd12::1", a);
	assert_true(vk_cidr_contains(&c, AF_INET6, a));
	assert_false(vk_cidr_contains(&c, AF_INET, a));
	assert_int_equal(vk_cidr_parse("10.0.0.0/12", &c), 0);
	inet_pton(AF_INET, "10.15.255.255", a);
	assert_true(vk_cidr_contains(&c, AF_INET, a));
	inet_pton(AF_INET, "10.16.0.0", a);
	assert_false(vk_cidr_contains(&c, AF_INET, a));
	assert_int_equal(vk_cidr_parse("/8", &c), VK_EINVAL);
	assert_int_equal(vk_cidr_parse("1.2.3.4/", &c), VK_EINVAL);
	assert_int_equal(vk_cidr_parse("::1/129", &c), VK_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file_env_flag_order),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_file_errors_have_lines),
		cmocka_unit_test(test_cidr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
