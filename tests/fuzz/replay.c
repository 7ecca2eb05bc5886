/*
 * replay.c — runs a fuzz harness over its committed corpus, as a test.
 *
 * Usage: replay_NAME DIR|FILE...  Feeds every file to
 * LLVMFuzzerTestOneInput() and prints TAP, one line per file.  A crash
 * (or a sanitizer report in the sanitizer build) fails the test run.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ntests;

static int
run_file(const char *path)
{
	FILE *fp;
	uint8_t *buf;
	long n;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		return -1;
	}
	/* malloc of exactly n bytes so ASan sees reads past the input. */
	if ((buf = malloc(n ? (size_t)n : 1)) == NULL ||
	    fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	printf("ok %d - %s\n", ++ntests, path);
	fflush(stdout);
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_path(const char *path)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL, full[4096];
	size_t n = 0, i;
	DIR *d;
	int r = 0;

	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char **v;

		if (de->d_name[0] == '.')
			continue;
		if ((v = realloc(names, (n + 1) * sizeof(*v))) == NULL ||
		    (v[n] = strdup(de->d_name)) == NULL) {
			r = -1;
			break;
		}
		names = v;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		int w = snprintf(full, sizeof(full), "%s/%s", path, names[i]);

		if (r == 0 &&
		    (w < 0 || (size_t)w >= sizeof(full) || run_path(full) != 0))
			r = -1;
		free(names[i]);
	}
	free(names);
	return r;
}

int
main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (run_path(argv[i]) != 0) {
			printf(
			    "not ok %d - cannot read %s\n", ++ntests, argv[i]);
			printf("1..%d\n", ntests);
			return 1;
		}
	}
	if (ntests == 0) {
		printf("not ok 1 - empty corpus\n1..1\n");
		return 1;
	}
	printf("1..%d\n", ntests);
	return 0;
}
