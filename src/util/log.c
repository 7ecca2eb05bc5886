/*
 * log.c — structured logging to standard error.
 */
#include "util/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static enum vk_log_level log_min = VK_LOG_INFO;
static int log_json;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void
vk_log_set_level(enum vk_log_level min)
{
	log_min = min;
}

void
vk_log_set_json(int on)
{
	log_json = on;
}

static void
json_str(FILE *fp, const char *s)
{
	const unsigned char *p;

	fputc('"', fp);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

void
vk_log(enum vk_log_level level, const char *event, const char *fmt, ...)
{
	static const char *const names[VK_LOG_LEVEL_MAX] = { "debug", "info",
		"warn", "error" };
	char ts[32], msg[2048];
	struct tm tm;
	time_t now;
	va_list ap;

	if (level < log_min || level >= VK_LOG_LEVEL_MAX)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	msg[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
			msg[0] = '\0';
		va_end(ap);
	}
	pthread_mutex_lock(&log_lock);
	if (log_json) {
		fprintf(stderr,
		    "{\"time\":\"%s\",\"level\":\"%s\",\"event\":", ts,
		    names[level]);
		json_str(stderr, event);
		fputs(",\"msg\":", stderr);
		json_str(stderr, msg);
		fputs("}\n", stderr);
	} else {
		fprintf(stderr, "%s %s %s%s%s\n", ts, names[level], event,
		    msg[0] ? " " : "", msg);
	}
	pthread_mutex_unlock(&log_lock);
}
