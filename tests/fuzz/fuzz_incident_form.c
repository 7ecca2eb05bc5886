/*
 * fuzz_incident_form.c — the incident report's field validation, the
 * attachment sniffing, reference and local-time parsing (incident.h, tz.h).
 *
 * Input: up to 12 fields separated by 0x1e (record separator).  Fields
 * 0-9 fill the report form; field 10 is an attachment's file name and
 * field 11 its content (which may hold anything, also 0x1e is not
 * special there: the rest of the input is the content).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "incident/incident.h"
#include "incident/tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NF 12

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *field[NF] = { 0 };
	size_t flen[NF] = { 0 }, start = 0;
	int nf = 0;
	struct vk_inc_report_form f;
	struct vk_inc_report_fields v;
	struct vk_diag d;
	enum vk_attach_kind k;
	int64_t us, seq;
	int year;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0; i <= size && nf < NF; i++) {
		if (nf == NF - 1) {
			field[nf] = copy + start;
			flen[nf] = size - start;
			nf++;
			break;
		}
		if (i == size || copy[i] == 0x1e) {
			field[nf] = copy + start;
			flen[nf] = i - start;
			nf++;
			if (i < size)
				copy[i] = '\0';
			start = i + 1;
		}
	}
	memset(&f, 0, sizeof(f));
	f.type = field[0];
	f.title = field[1];
	f.what = field[2];
	f.noticed_at = field[3];
	f.system = field[4];
	f.personal_data = field[5];
	f.ongoing = field[6];
	f.contact_name = field[7];
	f.contact_email = field[8];
	f.contact_phone = field[9];
	vk_diag_init(&d);
	if (vk_inc_report_validate(&f, 1800000000LL * 1000000, &v, &d) == 0) {
		/* Accepted input never has errors, and a time in range. */
		if (d.nerr != 0 || v.noticed_at <= 0)
			__builtin_trap();
	} else if (d.nerr == 0) {
		__builtin_trap();
	}
	if (field[3] != NULL &&
	    vk_tz_parse_local_us(field[3], flen[3], &us) == 0) {
		char buf[32];

		if (vk_tz_format_us(us, true, buf, sizeof(buf)) != 0)
			__builtin_trap();
	}
	if (field[0] != NULL &&
	    vk_inc_ref_parse(field[0], flen[0], &year, &seq) == 0) {
		char buf[VK_INC_REF_MAX];

		if (vk_inc_ref_format(year, seq, buf, sizeof(buf)) != 0)
			__builtin_trap();
	}
	if (field[10] != NULL && field[11] != NULL &&
	    vk_attach_check(
		field[10], field[11], flen[11], "attachment", &k, &d) == 0) {
		if ((unsigned)k >= VK_ATTACH_KIND_MAX || flen[11] == 0)
			__builtin_trap();
	}
	vk_diag_release(&d);
	free(copy);
	return 0;
}
