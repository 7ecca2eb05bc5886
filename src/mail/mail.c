/*
 * mail.c — composing and sending mail, and the mail queue (mail.h).
 */
#include "mail/mail.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "incident/incident.h"
#include "util/err.h"
#include "util/log.h"

static bool
addr_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 254 || strchr(s, '@') == NULL)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '<' ||
		    *p == '>' || *p == ',' || *p == ';' || *p == '"')
			return false;
	return true;
}

static bool
ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

int
vk_mail_compose(const char *from, const char *to, const char *subject,
    const char *body, int64_t now, struct vk_buf *b)
{
	static const char *const wd[7] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char *const mon[12] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	unsigned char rnd[12];
	char id[25],
	    b64[sodium_base64_ENCODED_LEN(
		VK_MAIL_SUBJECT_MAX, sodium_base64_VARIANT_ORIGINAL)];
	time_t t = (time_t)(now / 1000000);
	struct tm tm;
	int r;

	if (!addr_ok(from) || !addr_ok(to) || subject == NULL || body == NULL ||
	    strlen(subject) > VK_MAIL_SUBJECT_MAX ||
	    strlen(body) > VK_MAIL_BODY_MAX ||
	    !vk_inc_text_ok(subject, strlen(subject)) ||
	    strpbrk(subject, "\r\n") != NULL ||
	    !vk_inc_text_ok(body, strlen(body)) || gmtime_r(&t, &tm) == NULL)
		return VK_EINVAL;
	if (sodium_init() < 0)
		return VK_EINTERNAL;
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(id, sizeof(id), rnd, sizeof(rnd));
	r = vk_buf_appendf(b,
	    "From: <%s>\r\nTo: <%s>\r\nDate: %s, %02d %s %04d %02d:%02d:%02d "
	    "+0000\r\nMessage-ID: <%s@vaksam.invalid>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: "
	    "auto-generated\r\n",
	    from, to, wd[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, id);
	if (r != 0)
		return r;
	if (ascii_printable(subject)) {
		r = vk_buf_appendf(b, "Subject: %s\r\n\r\n", subject);
	} else {
		/* RFC 2047: one encoded word fits, the subject being at
		 * most VK_MAIL_SUBJECT_MAX bytes. */
		sodium_bin2base64(b64, sizeof(b64),
		    (const unsigned char *)subject, strlen(subject),
		    sodium_base64_VARIANT_ORIGINAL);
		r = vk_buf_appendf(b, "Subject: =?UTF-8?B?%s?=\r\n\r\n", b64);
	}
	/* Bare LF becomes CRLF; libcurl escapes lines that start with a
	 * dot itself. */
	for (const char *p = body; *p && r == 0; p++) {
		if (*p == '\r')
			continue;
		r = *p == '\n' ? vk_buf_append(b, "\r\n", 2)
			       : vk_buf_appendc(b, *p);
	}
	if (r == 0)
		r = vk_buf_append(b, "\r\n", 2);
	return r;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int curl_ok;

static void
curl_setup(void)
{
	curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

struct reader {
	const char *p;
	size_t left;
};

static size_t
read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct reader *rd = arg;
	size_t n = size * nmemb;

	if (n > rd->left)
		n = rd->left;
	memcpy(buf, rd->p, n);
	rd->p += n;
	rd->left -= n;
	return n;
}

int
vk_mail_send(const struct vk_mail_server *srv, const char *to,
    const char *subject, const char *body, char *err, size_t errlen)
{
	struct curl_slist *rcpt = NULL;
	char addr[300], ebuf[CURL_ERROR_SIZE] = "";
	struct reader rd;
	struct vk_buf msg;
	CURL *c = NULL;
	CURLcode cr;
	int r;

	snprintf(err, errlen, "%s", "");
	if (srv == NULL || srv->url == NULL || *srv->url == '\0')
		return VK_EINVAL;
	pthread_once(&curl_once, curl_setup);
	if (!curl_ok)
		return VK_EINTERNAL;
	vk_buf_init(&msg, VK_MAIL_BODY_MAX * 2 + 4096);
	if ((r = vk_mail_compose(
		 srv->from, to, subject, body, vk_store_now(), &msg)) != 0) {
		snprintf(err, errlen, "%s",
		    "the message or an address is "
		    "not valid");
		goto out;
	}
	if ((c = curl_easy_init()) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	snprintf(addr, sizeof(addr), "<%s>", to);
	if ((rcpt = curl_slist_append(NULL, addr)) == NULL) {
		r = VK_ENOMEM;
		goto out;
	}
	snprintf(addr, sizeof(addr), "<%s>", srv->from);
	rd.p = msg.data;
	rd.left = msg.len;
	curl_easy_setopt(c, CURLOPT_URL, srv->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &rd);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(
	    c, CURLOPT_TIMEOUT, srv->timeout > 0 ? srv->timeout : 30L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	if (srv->user != NULL && *srv->user != '\0') {
		/* Credentials only over TLS. */
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
		curl_easy_setopt(c, CURLOPT_USERNAME, srv->user);
		curl_easy_setopt(
		    c, CURLOPT_PASSWORD, srv->password ? srv->password : "");
	} else {
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	}
	if ((cr = curl_easy_perform(c)) != CURLE_OK) {
		snprintf(
		    err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(cr));
		r = VK_EIO;
	}
out:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	vk_buf_release(&msg);
	return r;
}

static int
enqueue(struct vk_store *st, const char *to, const char *subject,
    const char *body, int attempt, int64_t run_at)
{
	json_t *j;
	char *payload;
	int r;

	if (!addr_ok(to) || subject == NULL || body == NULL)
		return VK_EINVAL;
	j = json_pack("{ss ss ss si}", "to", to, "subject", subject, "body",
	    body, "attempt", attempt);
	if (j == NULL)
		return VK_EINVAL;
	payload = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (payload == NULL)
		return VK_ENOMEM;
	r = vk_store_job_add(
	    st, "mail.send", payload, run_at ? run_at : vk_store_now(), NULL);
	free(payload);
	return r;
}

int
vk_mail_enqueue(struct vk_store *st, const char *to, const char *subject,
    const char *body, int64_t run_at)
{
	return enqueue(st, to, subject, body, 0, run_at);
}

static char *
setting(struct vk_store *st, const char *key)
{
	char *v = NULL;

	if (vk_store_setting_get(st, key, &v) != 0)
		return NULL;
	if (*v == '\0') {
		free(v);
		return NULL;
	}
	return v;
}

int
vk_mail_run_queue(struct vk_store *st, const char *worker, size_t max,
    size_t *sent, size_t *failed)
{
	struct vk_mail_server srv = { 0 };
	char *url, *from, *user, *pw;
	size_t ns = 0, nf = 0;
	int r = 0;

	if ((url = setting(st, "mail.smtp_url")) == NULL)
		goto out;
	from = setting(st, "mail.from");
	user = setting(st, "mail.smtp_user");
	pw = setting(st, "mail.smtp_password");
	srv.url = url;
	srv.from = from ? from : "vaksam@localhost";
	srv.user = user;
	srv.password = pw;
	for (size_t i = 0; i < max; i++) {
		struct vk_job *j = NULL;
		json_t *pl;
		const char *to, *subject, *body;
		char err[CURL_ERROR_SIZE + 64];
		int attempt = 0;

		r = vk_store_job_claim_kind(
		    st, "mail.send", worker, vk_store_now(), &j);
		if (r == VK_ENOTFOUND) {
			r = 0;
			break;
		}
		if (r != 0)
			break;
		pl = json_loads(j->payload, 0, NULL);
		to = json_string_value(json_object_get(pl, "to"));
		subject = json_string_value(json_object_get(pl, "subject"));
		body = json_string_value(json_object_get(pl, "body"));
		attempt =
		    (int)json_integer_value(json_object_get(pl, "attempt"));
		if (to == NULL || subject == NULL || body == NULL) {
			r = vk_store_job_finish(
			    st, j->id, false, "payload is not a mail");
			nf++;
		} else if (vk_mail_send(&srv, to, subject, body, err,
			       sizeof(err)) == 0) {
			r = vk_store_job_finish(st, j->id, true, "sent");
			ns++;
		} else {
			vk_log(VK_LOG_WARN, "mail",
			    "to=%s attempt=%d err=\"%s\"", to, attempt + 1,
			    err);
			r = vk_store_job_finish(st, j->id, false, err);
			/* Try again later: 30 s, 1, 2, 4 min. */
			if (r == 0 && attempt + 1 < VK_MAIL_ATTEMPTS)
				r = enqueue(st, to, subject, body, attempt + 1,
				    vk_store_now() +
					(30LL << attempt) * 1000000);
			nf++;
		}
		json_decref(pl);
		vk_job_free(j);
		if (r != 0)
			break;
	}
	free(from);
	free(user);
	free(pw);
out:
	free(url);
	if (sent)
		*sent = ns;
	if (failed)
		*failed = nf;
	return r;
}

struct vk_mailer {
	struct vk_store *st;
	unsigned interval_ms;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
};

static void *
mailer_main(void *arg)
{
	struct vk_mailer *m = arg;
	char worker[64];

	int64_t last_scan = 0;

	snprintf(worker, sizeof(worker), "mailer:%ld", (long)getpid());
	pthread_mutex_lock(&m->lock);
	while (!m->stop) {
		struct timespec ts;
		int64_t now = vk_store_now();

		pthread_mutex_unlock(&m->lock);
		if (now - last_scan >= 5LL * 1000000) {
			(void)vk_mail_clock_alerts(m->st, now, NULL);
			last_scan = now;
		}
		(void)vk_mail_run_queue(m->st, worker, 100, NULL, NULL);
		pthread_mutex_lock(&m->lock);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += m->interval_ms / 1000;
		ts.tv_nsec += (long)(m->interval_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (!m->stop)
			pthread_cond_timedwait(&m->cond, &m->lock, &ts);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

int
vk_mailer_start(
    struct vk_store *st, unsigned interval_ms, struct vk_mailer **out)
{
	struct vk_mailer *m;

	*out = NULL;
	pthread_once(&curl_once, curl_setup);
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return VK_ENOMEM;
	m->st = st;
	m->interval_ms = interval_ms ? interval_ms : 1000;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	if (pthread_create(&m->thread, NULL, mailer_main, m) != 0) {
		pthread_mutex_destroy(&m->lock);
		pthread_cond_destroy(&m->cond);
		free(m);
		return VK_EINTERNAL;
	}
	*out = m;
	return 0;
}

void
vk_mailer_stop(struct vk_mailer *m)
{
	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	m->stop = true;
	pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->cond);
	free(m);
}
