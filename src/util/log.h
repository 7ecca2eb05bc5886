/*
 * log.h — structured logging to standard error.
 *
 * vk_log(VK_LOG_INFO, "listening", "addr=%s", addr) writes
 *   2026-11-27T20:23:16Z info listening addr=127.0.0.1:8080
 * or, with vk_log_set_json(1), one JSON object per line.  Never pass a
 * secret (password, token, cookie) to a log call.
 */
#ifndef VK_UTIL_LOG_H
#define VK_UTIL_LOG_H

enum vk_log_level {
	VK_LOG_DEBUG,
	VK_LOG_INFO,
	VK_LOG_WARN,
	VK_LOG_ERROR,
	VK_LOG_LEVEL_MAX
};

void vk_log_set_level(enum vk_log_level min);
void vk_log_set_json(int on);
/* `event` is a short fixed word; `fmt` formats key=value pairs. */
void vk_log(enum vk_log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
