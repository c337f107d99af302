/* pstree [-n] [PID]: the process tree (from PID, default every root) with
 * pids, drawn like "pstree -p": init(1)-+-a(2) / |-b(3) / `-c(4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mica/posix.h"

#define MAXPROC  256
#define MAXDEPTH 64

static struct pm_procinfo procs[MAXPROC];
static int nprocs, by_pid;
static int width[MAXDEPTH], more[MAXDEPTH];

static int usage(int status)
{
	fprintf(status ? stderr : stdout, "Usage: pstree [-n] [PID]\n"
	                                  "Display a tree of processes, with their PIDs.\n\n"
	                                  "  -n  sort children by PID instead of by name\n");
	return status;
}

/* Children in name order (then pid), or pid order with -n. */
static int cmp(const void *a, const void *b)
{
	const struct pm_procinfo *p = *(const struct pm_procinfo *const *)a;
	const struct pm_procinfo *q = *(const struct pm_procinfo *const *)b;
	int c = by_pid ? 0 : strncmp(p->name, q->name, sizeof(p->name));
	return c ? c : (p->pid > q->pid) - (p->pid < q->pid);
}

static int children(int pid, const struct pm_procinfo **out)
{
	int n = 0;
	for (int i = 0; i < nprocs; i++)
		if (procs[i].ppid == pid && procs[i].pid != pid)
			out[n++] = &procs[i];
	qsort(out, (size_t)n, sizeof(*out), cmp);
	return n;
}

/* pstree's dump_tree: leaf means the node continues the current line. */
static void dump(const struct pm_procinfo *p, int level, int leaf, int last)
{
	if (!leaf)
		for (int lvl = 0; lvl < level; lvl++) {
			printf("%*s", width[lvl] + 1, "");
			if (lvl == level - 1)
				fputs(last ? "`-" : "|-", stdout);
			else
				fputs(more[lvl + 1] ? "| " : "  ", stdout);
		}
	int w = printf("%.*s(%d)", (int)sizeof(p->name), p->name, p->pid);
	if (level < MAXDEPTH)
		width[level] = w;
	const struct pm_procinfo **kids = malloc(MAXPROC * sizeof(*kids));
	int n = kids ? children(p->pid, kids) : 0;
	if (!n || level + 1 >= MAXDEPTH) {
		putchar('\n');
		free(kids);
		return;
	}
	more[level] = !last;
	fputs(n > 1 ? "-+-" : "---", stdout);
	for (int i = 0; i < n; i++)
		dump(kids[i], level + 1, i == 0, i == n - 1);
	free(kids);
}

static const struct pm_procinfo *find(int pid)
{
	for (int i = 0; i < nprocs; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

int main(int argc, char **argv)
{
	int root = 0, dashdash = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (dashdash || a[0] != '-' || !a[1]) {
			char *end;
			long v = strtol(a, &end, 10);
			if (root || !*a || *end || v <= 0) {
				fprintf(stderr, "pstree: invalid PID '%s'\n", a);
				return usage(1);
			}
			root = (int)v;
		} else if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if (!strcmp(a, "--help")) {
			return usage(0);
		} else if (a[1] == '-') {
			fprintf(stderr, "pstree: unrecognized option '%s'\n", a);
			return usage(1);
		} else {
			for (char *o = a + 1; *o; o++) {
				if (*o == 'n')
					by_pid = 1;

				else if (*o != 'p') { /* -p: pids are always shown */
					fprintf(stderr, "pstree: invalid option -- '%c'\n", *o);
					return usage(1);
				}
			}
		}
	}
	if ((nprocs = mica_ps(procs, MAXPROC)) < 0) {
		perror("pstree");
		return 1;
	}
	if (root) {
		const struct pm_procinfo *p = find(root);
		if (!p)
			return 1;
		dump(p, 0, 1, 1);
		return 0;
	}
	/* init's tree, as on Linux (the servers, no one's children, are not
	 * in it: pstree 2 shows pm); without init, every process whose
	 * parent is not listed starts one */
	if (find(1)) {
		dump(find(1), 0, 1, 1);
		return 0;
	}
	for (int i = 0; i < nprocs; i++)
		if (!find(procs[i].ppid) || procs[i].ppid == procs[i].pid)
			dump(&procs[i], 0, 1, 1);
	return 0;
}
