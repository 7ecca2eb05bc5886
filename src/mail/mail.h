/*
 * mail.h — e-mail from vaksam: composing a plain-text UTF-8 message,
 * sending it over SMTP with libcurl, and a queue of messages in the
 * store's jobs table (kind "mail.send") that a worker thread sends with
 * retries.
 *
 * Settings (docs/incidents.md, "Notifications"): "mail.smtp_url"
 * (smtp://host:port or smtps://host:port; empty: mail is queued but not
 * sent), "mail.from" (the sender address), "mail.smtp_user" and
 * "mail.smtp_password" (optional; AUTH over TLS only).
 */
#ifndef VK_MAIL_MAIL_H
#define VK_MAIL_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"

#define VK_MAIL_SUBJECT_MAX 200
#define VK_MAIL_BODY_MAX (64 * 1024)
#define VK_MAIL_ATTEMPTS 5 /* sends per message before giving up */

/*
 * Writes the RFC 5322 message (headers From, To, Subject — RFC 2047
 * encoded when not ASCII —, Date, Message-ID, MIME headers for UTF-8 text
 * — and the body with CRLF line ends and dot-safe lines) into b.
 * VK_EINVAL for an address that is empty, over 254 bytes or holds
 * whitespace, control characters, '<', '>' or ','; a subject or body
 * over the maximum or not UTF-8 text; VK_ETOOBIG from b.
 */
int vk_mail_compose(const char *from, const char *to, const char *subject,
    const char *body, int64_t now, struct vk_buf *b);

struct vk_mail_server {
	const char *url; /* smtp://127.0.0.1:2525 */
	const char *from;
	const char *user, *password; /* NULL: no AUTH */
	long timeout; /* seconds, 0: 30 */
};

/* Sends one message.  VK_EIO with libcurl's reason in err (errlen
 * bytes) when the server cannot be reached or refuses it. */
int vk_mail_send(const struct vk_mail_server *srv, const char *to,
    const char *subject, const char *body, char *err, size_t errlen);

/* Queues one message (inside the caller's transaction when there is
 * one) to be sent at run_at (0: now). */
int vk_mail_enqueue(struct vk_store *st, const char *to, const char *subject,
    const char *body, int64_t run_at);

/*
 * Claims and sends the due "mail.send" jobs until none is left (at most
 * `max`), reading the server from the settings each time.  A failed send
 * is queued again after 30 s, 1, 2, 4 min ... up to VK_MAIL_ATTEMPTS;
 * *sent and *failed (may be NULL) count the outcomes.  Without
 * "mail.smtp_url" nothing is claimed.
 */
int vk_mail_run_queue(struct vk_store *st, const char *worker, size_t max,
    size_t *sent, size_t *failed);

/*
 * Queues a mail to every active handler and admin with an address for
 * each clock of an open incident that is due within 6 hours or overdue
 * and not yet sent — once per incident and stage (recorded in
 * incident_clock_alerts in the same transaction).  *n (may be NULL) gets
 * the number of clocks alerted.
 */
int vk_mail_clock_alerts(struct vk_store *st, int64_t now, size_t *n);

struct vk_mailer;
/* Starts a thread that runs the queue every `interval_ms`, and looks for
 * clocks to alert about every 5 s, until vk_mailer_stop(). */
int vk_mailer_start(
    struct vk_store *st, unsigned interval_ms, struct vk_mailer **out);
/* Stops and frees the thread; NULL is a no-op. */
void vk_mailer_stop(struct vk_mailer *m);

#endif
