/*
 * test_evtx.c — event logs: the XML field scanner, and libevtx over the
 * real files in ../shared/data/evtx (GPL: read from there, never copied
 * into the repository), whole, truncated and corrupted.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hunt/evtx.h"
#include "util/err.h"

static const char *evtx_dir;

/* The real event logs live in ../shared/data/evtx (GPL: read, not
 * copied).  Without them the test is skipped on a developer's machine
 * but fails in CI, where ../shared is always laid beside the clone. */
static void
need_shared(void)
{
	const char *ci = getenv("CI");

	if (evtx_dir != NULL)
		return;
	if (ci != NULL && strcmp(ci, "true") == 0)
		fail_msg("../shared/data/evtx not found (set VAKSAM_EVTX_DIR)");
	skip();
}

static const char *
shared(const char *name)
{
	static char path[4][512];
	static int k;
	char *p = path[k++ & 3];

	snprintf(p, 512, "%s/%s", evtx_dir, name);
	return p;
}

static const char *
field(const struct vk_evtx_fields *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return f->v[i].value;
	return NULL;
}

static void
test_xml_shapes(void **state)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/"
	    "event\">\n"
	    " <System>\n"
	    "  <Provider Name=\"Microsoft-Windows-Sysmon\" Guid='{G}'/>\n"
	    "  <EventID>3</EventID>\n"
	    "  <Channel>Security</Channel>\n"
	    "  <Security UserID=\"S-1-5-18\"/>\n"
	    "  <!-- a comment <Data Name=\"No\">x</Data> -->\n"
	    " </System>\n"
	    " <EventData>\n"
	    "  <Data Name=\"RuleName\"/>\n"
	    "  <Data Name=\"DestinationIp\">10.1.2.3</Data>\n"
	    "  <Data Name=\"Query\">a&amp;b &lt;c&gt; &#x41;&#66; &bogus; "
	    "&#0;</Data>\n"
	    "  <Data>unnamed</Data>\n"
	    "  <Data Name=\"Cdata\"><![CDATA[<raw &amp;>]]></Data>\n"
	    "  <Data Name=\"Empty\">   </Data>\n"
	    " </EventData>\n"
	    " <UserData><LogFileCleared xmlns:a=\"x\">"
	    "<SubjectUserSid>S-1-5-21-1</SubjectUserSid>"
	    "</LogFileCleared></UserData>\n"
	    "</Event>\n";
	struct vk_evtx_fields f;

	(void)state;
	vk_evtx_fields_init(&f);
	assert_int_equal(vk_evtx_xml_parse(xml, sizeof(xml) - 1, &f), 0);
	assert_string_equal(
	    field(&f, "System.Provider.Name"), "Microsoft-Windows-Sysmon");
	assert_string_equal(field(&f, "System.Provider.Guid"), "{G}");
	assert_string_equal(field(&f, "System.EventID"), "3");
	assert_string_equal(field(&f, "System.Channel"), "Security");
	assert_string_equal(field(&f, "System.Security.UserID"), "S-1-5-18");
	assert_string_equal(field(&f, "EventData.DestinationIp"), "10.1.2.3");
	/* Entities decoded; unknown ones and &#0; left as written. */
	assert_string_equal(
	    field(&f, "EventData.Query"), "a&b <c> AB &bogus; &#0;");
	assert_string_equal(field(&f, "EventData.Data"), "unnamed");
	assert_string_equal(field(&f, "EventData.Cdata"), "<raw &amp;>");
	assert_string_equal(
	    field(&f, "UserData.LogFileCleared.SubjectUserSid"), "S-1-5-21-1");
	/* Not fields: comments, empty values, xmlns, the Name attribute. */
	assert_null(field(&f, "System.No"));
	assert_null(field(&f, "EventData.RuleName"));
	assert_null(field(&f, "EventData.Empty"));
	assert_null(field(&f, "xmlns"));
	assert_null(field(&f, "EventData.DestinationIp.Name"));
	assert_int_equal(f.n, 10);
	/* The same struct is reused for the next record. */
	assert_int_equal(vk_evtx_xml_parse("<E><A>1</A></E>", 15, &f), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].name, "A");
	assert_int_equal(f.v[0].value_len, 1);
	vk_evtx_fields_release(&f);
}

static void
test_xml_malformed(void **state)
{
	struct vk_evtx_fields f;
	char *big;
	size_t i, n;

	(void)state;
	vk_evtx_fields_init(&f);
	/* Cut short: what came before the fault is kept. */
	assert_int_equal(
	    vk_evtx_xml_parse("<E><A>1</A><B>2", 15, &f), VK_EPARSE);
	assert_int_equal(f.n, 1);
	assert_int_equal(
	    vk_evtx_xml_parse("<E><A>1</B></E>", 15, &f), VK_EPARSE);
	assert_int_equal(vk_evtx_xml_parse("</E>", 4, &f), VK_EPARSE);
	assert_int_equal(vk_evtx_xml_parse("<E a=b>", 7, &f), VK_EPARSE);
	assert_int_equal(vk_evtx_xml_parse("<E a=\"b>", 8, &f), VK_EPARSE);
	assert_int_equal(vk_evtx_xml_parse("<>", 2, &f), VK_EPARSE);
	assert_int_equal(vk_evtx_xml_parse("<E><!-- x", 9, &f), VK_EPARSE);
	assert_int_equal(
	    vk_evtx_xml_parse("<E>&#x110000;&", 14, &f), VK_EPARSE);
	assert_int_equal(vk_evtx_xml_parse("", 0, &f), 0);
	assert_int_equal(f.n, 0);
	/* NUL and invalid UTF-8 are just bytes. */
	assert_int_equal(
	    vk_evtx_xml_parse("<E><A>\0\xff\xfe</A></E>", 17, &f), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].value_len, 3);

	/* Too deep. */
	big = malloc(1u << 21);
	assert_non_null(big);
	for (n = 0, i = 0; i < 40; i++)
		n += (size_t)snprintf(big + n, 8, "<a>");
	assert_int_equal(vk_evtx_xml_parse(big, n, &f), VK_ETOOBIG);
	/* Too many fields: the first VK_EVTX_MAX_FIELDS are kept. */
	n = (size_t)snprintf(big, 8, "<E>");
	for (i = 0; i < VK_EVTX_MAX_FIELDS + 10; i++)
		n += (size_t)snprintf(big + n, 16, "<a>%zu</a>", i % 10);
	assert_int_equal(vk_evtx_xml_parse(big, n, &f), VK_ETOOBIG);
	assert_int_equal(f.n, VK_EVTX_MAX_FIELDS);
	/* A value over the ceiling is cut, not dropped. */
	memcpy(big, "<E><A>", 6);
	memset(big + 6, 'x', (1u << 21) - 14);
	memcpy(big + (1u << 21) - 8, "</A></E>", 8);
	assert_int_equal(vk_evtx_xml_parse(big, 1u << 21, &f), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].value_len, VK_EVTX_MAX_VALUE);
	free(big);
	vk_evtx_fields_release(&f);
}

struct collected {
	uint64_t fields;
	int found; /* the planted value was seen */
	const char *want_field, *want_value;
	struct vk_evtx_record rec;
	char channel[128], provider[128], computer[64], sid[64];
};

static int
collect(
    void *arg, const struct vk_evtx_record *rec, const struct vk_evtx_field *f)
{
	struct collected *c = arg;

	c->fields++;
	if (c->want_field != NULL && strcmp(f->name, c->want_field) == 0 &&
	    strcmp(f->value, c->want_value) == 0) {
		c->found++;
		c->rec = *rec;
		snprintf(c->channel, sizeof(c->channel), "%s", rec->channel);
		snprintf(c->provider, sizeof(c->provider), "%s", rec->provider);
		snprintf(c->computer, sizeof(c->computer), "%s", rec->computer);
		snprintf(c->sid, sizeof(c->sid), "%s", rec->user_sid);
	}
	return 0;
}

static void
test_sysmon_network_connection(void **state)
{
	struct collected c = { .want_field = "EventData.DestinationIp",
		.want_value = "151.101.36.133" };
	struct vk_evtx_stats st;

	(void)state;
	need_shared();
	assert_int_equal(
	    vk_evtx_scan(
		shared("sysmon_3_10_Invoke-Mimikatz_hosted_Github.evtx"), -1, 0,
		collect, &c, &st),
	    0);
	assert_int_equal(st.records, 2);
	assert_int_equal(st.damaged, 0);
	assert_int_equal(st.fields, c.fields);
	assert_int_equal(c.found, 1);
	assert_int_equal(c.rec.event_id, 3);
	assert_int_equal(c.rec.record, 10272);
	assert_string_equal(c.rec.time, "2019-05-02T14:48:53.950750000Z");
	assert_string_equal(c.channel, "Microsoft-Windows-Sysmon/Operational");
	assert_string_equal(c.provider, "Microsoft-Windows-Sysmon");
	assert_string_equal(c.computer, "IEWIN7");
	assert_string_equal(c.sid, "S-1-5-18");
}

static void
test_real_files_counts(void **state)
{
	struct collected c = {
		.want_field = "UserData.LogFileCleared.SubjectUserSid",
		.want_value = "S-1-5-21-1587066498-1489273250-1035260531-1108"
	};
	struct vk_evtx_stats st;
	int fd;

	(void)state;
	need_shared();
	assert_int_equal(vk_evtx_scan(shared("DE_RDP_Tunnel_5156.evtx"), -1, 1,
			     collect, &c, &st),
	    0);
	assert_int_equal(st.records, 101);
	assert_int_equal(st.damaged, 0);
	assert_int_equal(st.corrupted, 0);
	assert_int_equal(c.found, 1);
	assert_int_equal(c.rec.event_id, 1102);
	assert_int_equal(c.rec.record, 227693);
	assert_string_equal(c.channel, "Security");
	assert_string_equal(c.computer, "PC01.example.corp");

	memset(&c, 0, sizeof(c));
	c.want_field = "EventData.PipeName";
	c.want_value = "\\svchost";
	assert_int_equal(
	    vk_evtx_scan(shared("DE_renamed_psexec_service_sysmon_17_18.evtx"),
		-1, 0, collect, &c, &st),
	    0);
	assert_int_equal(st.records, 11);
	assert_true(c.found >= 1);
	/* Sysmon 17 and 18: pipe created, pipe connected. */
	assert_true(c.rec.event_id == 17 || c.rec.event_id == 18);

	/* 21 records and 102 recovered ones that lack their templates:
	 * those are counted apart, not as damage.  Read through an open
	 * descriptor; the path is then only a name. */
	fd = open(shared("DFIR_RDP_Client_TimeZone_RdpCoreTs_104_example.evtx"),
	    O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(
	    vk_evtx_scan("/nonexistent", fd, 1, collect, &c, &st), 0);
	close(fd);
	assert_int_equal(st.records, 21);
	assert_int_equal(st.damaged, 0);
	assert_int_equal(st.recovered + st.recovered_unreadable, 102);
}

static size_t
read_all(const char *path, unsigned char **out)
{
	struct stat sb;
	unsigned char *p;
	FILE *fp = fopen(path, "rb");

	assert_non_null(fp);
	assert_int_equal(fstat(fileno(fp), &sb), 0);
	p = malloc((size_t)sb.st_size);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)sb.st_size, fp), sb.st_size);
	fclose(fp);
	*out = p;
	return (size_t)sb.st_size;
}

static void
write_tmp(char *tmpl, const unsigned char *p, size_t n)
{
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
}

static void
test_truncated_and_corrupted(void **state)
{
	const size_t cuts[] = { 0, 7, 100, 4096, 5000, 40000, 69631 };
	struct collected c = { 0 };
	struct vk_evtx_stats st;
	unsigned char *p, *q;
	uint32_t seed = 12345;
	size_t n, i, k;
	int r;

	(void)state;
	need_shared();
	n = read_all(shared("DE_RDP_Tunnel_5156.evtx"), &p);
	assert_true(vk_evtx_is_evtx(p, n));
	assert_false(vk_evtx_is_evtx(p, 7));
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		char tmpl[] = "/tmp/vk-evtx-XXXXXX";

		write_tmp(tmpl, p, cuts[i]);
		r = vk_evtx_scan(tmpl, -1, 1, collect, &c, &st);
		unlink(tmpl);
		/* The header gone: not an event log.  A chunk cut short:
		 * the file is flagged, the chunk's records are lost. */
		if (cuts[i] < 4096) {
			assert_int_equal(r, VK_EPARSE);
		} else {
			assert_int_equal(r, 0);
			assert_int_equal(st.corrupted, 1);
			assert_true(st.records < 101);
		}
	}
	/* Bytes flipped inside the chunk: some records readable, the rest
	 * counted as damaged or recovered, never a crash. */
	q = malloc(n);
	assert_non_null(q);
	for (k = 0; k < 8; k++) {
		char tmpl[] = "/tmp/vk-evtx-XXXXXX";

		memcpy(q, p, n);
		for (i = 0; i < 40; i++) {
			seed = seed * 1103515245u + 12345u;
			q[4096 + (seed >> 8) % (n - 4096)] ^=
			    (uint8_t)(seed >> 3);
		}
		write_tmp(tmpl, q, n);
		assert_int_equal(
		    vk_evtx_scan(tmpl, -1, 1, collect, &c, &st), 0);
		unlink(tmpl);
		assert_true(st.records + st.damaged > 0);
		assert_true(st.records - st.recovered + st.damaged <= 101);
	}
	free(q);
	free(p);
}

static void
test_not_an_event_log(void **state)
{
	char tmpl[] = "/tmp/vk-evtx-XXXXXX";
	struct collected c = { 0 };
	struct vk_evtx_stats st;

	(void)state;
	write_tmp(tmpl, (const unsigned char *)"ElfFilX\0 hello", 14);
	assert_int_equal(
	    vk_evtx_scan(tmpl, -1, 0, collect, &c, &st), VK_EPARSE);
	assert_int_equal(st.records, 0);
	unlink(tmpl);
	assert_int_equal(
	    vk_evtx_scan("/nonexistent/x.evtx", -1, 0, collect, &c, &st),
	    VK_EPARSE);
	assert_true(vk_evtx_is_evtx("ElfFile\0", 8));
	assert_false(vk_evtx_is_evtx("ElfFile!", 8));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xml_shapes),
		cmocka_unit_test(test_xml_malformed),
		cmocka_unit_test(test_sysmon_network_connection),
		cmocka_unit_test(test_real_files_counts),
		cmocka_unit_test(test_truncated_and_corrupted),
		cmocka_unit_test(test_not_an_event_log),
	};
	static const char *const dirs[] = { "../shared/data/evtx",
		"../../shared/data/evtx", "/work/shared/data/evtx" };
	struct stat sb;
	const char *env = getenv("VAKSAM_EVTX_DIR");
	size_t i;

	if (env != NULL && stat(env, &sb) == 0)
		evtx_dir = env;
	for (i = 0; evtx_dir == NULL && i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (stat(dirs[i], &sb) == 0)
			evtx_dir = dirs[i];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
