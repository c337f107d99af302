/* which [-a] NAME...: the executable each NAME runs, searched along
 * $PATH as execvp would (a NAME with '/' is checked as it is). Status 1
 * if any was not found, as GNU which. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_exec(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

/* Prints where name is (every place with all); whether it was found. */
static int find(const char *name, int all)
{
	if (strchr(name, '/')) {
		if (!is_exec(name))
			return 0;
		puts(name);
		return 1;
	}
	const char *path = getenv("PATH");
	int found = 0;
	if (!path)
		path = "/bin";
	for (const char *p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char buf[4096];
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? p : ".", name);
		if (is_exec(buf)) {
			puts(buf);
			found = 1;
			if (!all)
				return 1;
		}
		if (!end)
			break;
		p = end;
	}
	return found;
}

int main(int argc, char **argv)
{
	int all = 0, i = 1, rc = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-a"))
			all = 1;
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			fprintf(stderr,
			        "which: invalid option -- '%s'\nusage: which [-a] name...\n",
			        argv[i] + 1);
			return 2;
		}
	}
	if (i >= argc)
		return 1;
	for (; i < argc; i++)
		if (!find(argv[i], all))
			rc = 1;
	return rc;
}
