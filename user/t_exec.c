/* t_exec: in-guest checks of running programs: each exec function, the
 * PATH search (with a script run by sh), ARG_MAX (128 KiB of arguments
 * arriving intact, E2BIG just past it), 5000 arguments, system, popen
 * and pclose, the environment, and pm refusing bad argument blocks.
 * Children are this program again, started with a mode flag that checks
 * what arrived ("t_exec --gen ..."). Prints "t_exec: N passed, M failed". */
#define _GNU_SOURCE /* execvpe */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/check.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

#define SELF   "/bin/t_exec"
#define DIR    "/tmp/t_exec.d"
#define SCRIPT DIR "/script"
#define WORD   8

extern char **environ;

/* --- the child side ------------------------------------------------------- */

/* Byte j of generated argument i. */
static char gen_byte(long i, long j, long seed)
{
	return (char)('!' + (i * 7 + j * 3 + seed) % 94);
}

/* Argument i of a generated set: len bytes. */
static char *gen_arg(long i, long len, long seed)
{
	char *s = malloc((size_t)len + 1);
	for (long j = 0; s && j < len; j++)
		s[j] = gen_byte(i, j, seed);
	if (s)
		s[len] = 0;
	return s;
}

/* "--gen N LEN SEED LAST": N generated arguments follow, each LEN bytes
 * but the last, LAST bytes. Every count and byte is checked. */
static int child_gen(int argc, char **argv)
{
	long n = atol(argv[2]), len = atol(argv[3]), seed = atol(argv[4]), last = atol(argv[5]);
	if (argc != 6 + n) {
		fprintf(stderr, "t_exec child: argc %d, want %ld\n", argc, 6 + n);
		return 2;
	}
	for (long i = 0; i < n; i++) {
		long l = i == n - 1 ? last : len;
		const char *a = argv[6 + i];
		for (long j = 0; j < l; j++)
			if (a[j] != gen_byte(i, j, seed)) {
				fprintf(stderr, "t_exec child: arg %ld byte %ld\n", i, j);
				return 2;
			}
		if (a[l]) {
			fprintf(stderr, "t_exec child: arg %ld too long\n", i);
			return 2;
		}
	}
	return 0;
}

/* "--stdin TEXT": stdin holds exactly TEXT. */
static int child_stdin(const char *want)
{
	char buf[256];
	size_t n = fread(buf, 1, sizeof(buf) - 1, stdin);
	buf[n] = 0;
	return strcmp(buf, want) ? 5 : 0;
}

/* "--bigenv LEN SEED": $BIG is a generated string of LEN bytes. */
static int child_bigenv(char **argv)
{
	long len = atol(argv[2]), seed = atol(argv[3]);
	char *want = gen_arg(0, len, seed), *got = getenv("BIG");
	return want && got && !strcmp(want, got) ? 0 : 6;
}

static int child(int argc, char **argv)
{
	const char *m = argv[1];
	if (!strcmp(m, "--exact")) /* the arguments "one", "", "three words" */
		return argc == 5 && !strcmp(argv[2], "one") && !strcmp(argv[3], "") &&
		               !strcmp(argv[4], "three words")
		           ? 0
		           : 4;
	if (!strcmp(m, "--env") && argc == 4) /* NAME VALUE */
		return getenv(argv[2]) && !strcmp(getenv(argv[2]), argv[3]) ? 0 : 3;
	if (!strcmp(m, "--noenv") && argc == 3)
		return getenv(argv[2]) ? 3 : 0;
	if (!strcmp(m, "--exit") && argc == 3)
		return atoi(argv[2]);
	if (!strcmp(m, "--gen") && argc >= 6)
		return child_gen(argc, argv);
	if (!strcmp(m, "--stdin") && argc == 3)
		return child_stdin(argv[2]);
	if (!strcmp(m, "--bigenv") && argc == 4)
		return child_bigenv(argv);
	fprintf(stderr, "t_exec: unknown mode %s\n", m);
	return 9;
}

/* --- the parent side ------------------------------------------------------ */

/* Runs fn in a child and returns its wait status; an exec that returns
 * exits with 100 + errno. */
static int in_child(void (*fn)(void *), void *arg)
{
	int status;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(100 + (errno & 0x1f));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* The child exited 0 (an exit of 100 + e is an exec that failed with e). */
#define EXITS_OK(status, what)                                                                     \
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: status %#x", what, status)

static char *exact_argv[] = {"t_exec", "--exact", "one", "", "three words", NULL};

static void do_execv(void *a)
{
	(void)a;
	execv(SELF, exact_argv);
}

static void do_execl(void *a)
{
	(void)a;
	execl(SELF, "t_exec", "--exact", "one", "", "three words", (char *)NULL);
}

static void do_execle(void *a)
{
	(void)a;
	char *env[] = {"T_MARK=le", NULL};
	execle(SELF, "t_exec", "--env", "T_MARK", "le", (char *)NULL, env);
}

static void do_execvp(void *a)
{
	execvp((const char *)a, exact_argv);
}

static void do_execlp(void *a)
{
	execlp((const char *)a, "t_exec", "--exact", "one", "", "three words", (char *)NULL);
}

static void do_execvpe(void *a)
{
	(void)a;
	char *argv[] = {"t_exec", "--env", "T_MARK", "vpe", NULL}, *env[] = {"T_MARK=vpe", NULL};
	execvpe("t_exec", argv, env);
}

static void do_env_vp(void *a)
{
	char *argv[] = {"t_exec", "--env", "T_INHERIT", (char *)a, NULL};
	execvp("t_exec", argv);
}

static void do_noenv(void *a)
{
	(void)a;
	char *argv[] = {"t_exec", "--noenv", "T_GONE", NULL};
	execlp("t_exec", argv[0], argv[1], argv[2], (char *)NULL);
}

static void do_vector(void *a)
{
	execv(SELF, (char **)a);
}

static int t_exec_functions(void)
{
	int st = in_child(do_execv, NULL);
	EXITS_OK(st, "execv");
	st = in_child(do_execl, NULL);
	EXITS_OK(st, "execl");
	st = in_child(do_execle, NULL);
	EXITS_OK(st, "execle");
	st = in_child(do_execvpe, NULL);
	EXITS_OK(st, "execvpe");
	ERR(execv("/nonexistent/prog", exact_argv), ENOENT);
	return 0;
}

static int t_path_search(void)
{
	OK(setenv("PATH", "/nonexistent:/etc/inittab:/bin", 1));
	int st = in_child(do_execvp, "t_exec");
	EXITS_OK(st, "execvp past a missing dir and a file");
	st = in_child(do_execlp, "t_exec");
	EXITS_OK(st, "execlp");
	OK(unsetenv("PATH"));
	st = in_child(do_execvp, "t_exec");
	EXITS_OK(st, "execvp with PATH unset (/bin:/usr/bin)");
	ERR(execvp("t_exec_nonexistent", exact_argv), ENOENT);
	ERR(execvp("", exact_argv), ENOENT);
	OK(setenv("PATH", "/bin", 1));
	return 0;
}

static int t_environment(void)
{
	OK(setenv("T_INHERIT", "yes", 1));
	int st = in_child(do_env_vp, "yes");
	EXITS_OK(st, "setenv reaches an execvp child");
	OK(setenv("T_INHERIT", "again", 1));
	st = in_child(do_env_vp, "again");
	EXITS_OK(st, "setenv overwrites");
	static char put[] = "T_INHERIT=put";
	OK(putenv(put));
	CHECK(getenv("T_INHERIT") && !strcmp(getenv("T_INHERIT"), "put"), "putenv/getenv");
	st = in_child(do_env_vp, "put");
	EXITS_OK(st, "putenv reaches an execvp child");
	OK(setenv("T_GONE", "x", 1));
	OK(unsetenv("T_GONE"));
	CHECK(!getenv("T_GONE"), "unsetenv");
	st = in_child(do_noenv, NULL);
	EXITS_OK(st, "unsetenv reaches an execlp child");
	return 0;
}

static void do_script_vp(void *a)
{
	(void)a;
	char *argv[] = {"script", NULL};
	execvp("script", argv);
}

/* A file without #! is run by /bin/sh from execvp; execv says ENOEXEC. */
static int t_script(void)
{
	mkdir(DIR, 0755);
	FILE *f = fopen(SCRIPT, "w");
	CHECK(f, "create %s: %s", SCRIPT, strerror(errno));
	fputs("true\nexit 7\n", f);
	fclose(f);
	OK(chmod(SCRIPT, 0755)); /* run only what may be run */
	OK(setenv("PATH", "/nonexistent:" DIR ":/bin", 1));
	int st = in_child(do_script_vp, NULL);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "script through PATH: status %#x", st);
	char *argv[] = {"script", NULL};
	ERR(execv(SCRIPT, argv), ENOEXEC);
	OK(setenv("PATH", "/bin", 1));
	return 0;
}

/* What argv and envp charge against ARG_MAX: strings, NULs, pointers and
 * the two NULL pointers. */
static long charge(char *const v[])
{
	long c = 0;
	for (int i = 0; v && v[i]; i++)
		c += (long)strlen(v[i]) + 1 + WORD;
	return c;
}

/* A "--gen" vector: n arguments of len bytes, the last one last bytes. */
static char **gen_vector(long n, long len, long seed, long last)
{
	char **v = calloc((size_t)n + 7, sizeof(char *));
	char *hdr[] = {"t_exec", "--gen", NULL, NULL, NULL, NULL};
	for (int i = 2; v && i < 6; i++) {
		hdr[i] = malloc(24);
		snprintf(hdr[i], 24, "%ld", i == 2 ? n : i == 3 ? len : i == 4 ? seed : last);
	}
	for (int i = 0; v && i < 6; i++)
		v[i] = hdr[i];
	for (long i = 0; v && i < n; i++)
		v[6 + i] = gen_arg(i, i == n - 1 ? last : len, seed);
	return v;
}

static void free_vector(char **v)
{
	for (int i = 2; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Arguments exactly at ARG_MAX arrive intact; one byte more is E2BIG in
 * the caller, which carries on unchanged. */
static int t_arg_max(void)
{
	const long len = 100, seed = 5;
	long env = charge(environ) + 2 * WORD;
	char **probe = gen_vector(1, len, seed, len);
	CHECK(probe, "out of memory");
	long fixed = charge(probe) - (len + 1 + WORD); /* the header arguments */
	free_vector(probe);
	long room = ARG_MAX - env - fixed, n = room / (len + 1 + WORD);
	long last = room - (n - 1) * (len + 1 + WORD) - 1 - WORD;
	/* the header's digits change with last: settle it */
	char **v = NULL;
	for (int tries = 0; tries < 4; tries++) {
		free_vector(v);
		v = gen_vector(n, len, seed, last);
		CHECK(v, "out of memory");
		last -= charge(v) + env - ARG_MAX;
	}
	CHECK(charge(v) + env == ARG_MAX, "setup: charge %ld", charge(v) + env);
	int st = in_child(do_vector, v);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "%ld arguments, %d bytes in all: child status %#x", n, ARG_MAX, st);
	free_vector(v);
	v = gen_vector(n, len, seed, last + 1);
	CHECK(v && charge(v) + env == ARG_MAX + 1, "setup past the limit");
	pid_t me = getpid();
	ERR(execv(SELF, v), E2BIG);
	CHECK(getpid() == me && !strcmp(v[1], "--gen"), "the caller changed after E2BIG");
	free_vector(v);
	return 0;
}

static int t_many_args(void)
{
	char **v = gen_vector(5000, 1, 9, 1);
	CHECK(v, "out of memory");
	int st = in_child(do_vector, v);
	free_vector(v);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "5000 arguments: child status %#x", st);
	return 0;
}

static void do_bigenv(void *a)
{
	char *argv[] = {"t_exec", "--bigenv", "100000", "3", NULL};
	char *env[] = {(char *)a, NULL};
	execve(SELF, argv, env);
}

/* A 100,000-byte environment string arrives intact. */
static int t_big_env(void)
{
	char *val = gen_arg(0, 100000, 3), *var = malloc(100010);
	CHECK(val && var, "out of memory");
	snprintf(var, 100010, "BIG=%s", val);
	int st = in_child(do_bigenv, var);
	free(val);
	free(var);
	EXITS_OK(st, "a 100000-byte environment string");
	return 0;
}

static int t_system(void)
{
	CHECK(system(NULL) != 0, "system(NULL) says there is no shell");
	int st = system("exit 3");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "system(\"exit 3\"): %#x", st);
	st = system("t_exec_no_such_command");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 127, "system of a missing command: %#x", st);
	st = system(SELF " --exit 0 && " SELF " --exit 5");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5, "system with &&: %#x", st);
	return 0;
}

static int t_popen(void)
{
	char line[64] = "";
	FILE *f = popen("echo hello popen", "r");
	CHECK(f, "popen r: %s", strerror(errno));
	CHECK(fgets(line, sizeof(line), f), "popen r: no line");
	int st = pclose(f);
	CHECK(!strcmp(line, "hello popen\n"), "popen r read %s", line);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pclose r: %#x", st);
	f = popen("exit 4", "r");
	CHECK(f, "popen r: %s", strerror(errno));
	st = pclose(f);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 4, "pclose of exit 4: %#x", st);
	f = popen(SELF " --stdin 'to the child'", "w");
	CHECK(f, "popen w: %s", strerror(errno));
	FILE *g = popen("echo second", "r"); /* its child must not hold f's pipe */
	CHECK(g, "second popen: %s", strerror(errno));
	fputs("to the child", f);
	st = pclose(f);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pclose w: %#x", st);
	CHECK(fgets(line, sizeof(line), g) && !strcmp(line, "second\n"), "second popen read");
	st = pclose(g);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "second pclose: %#x", st);
	ERR(pclose(stdin), ECHILD);
	errno = 0;
	CHECK(!popen("true", "x") && errno == EINVAL, "popen with mode x");
	return 0;
}

/* PM_EXEC with the block in our memory: pm refuses what it cannot read or trust. */
static long raw_exec(unsigned long va, unsigned long len)
{
	struct ipc_msg m = {.tag = MAKE_TAG(PM_EXEC, 0), .m = {va, len}};
	long r = mica_call(SLOT_PM, &m);
	return r < 0 ? r : (long)(short)TAG_LABEL(m.tag);
}

static int t_hostile_blocks(void)
{
	static char blk[64];
	CHECK(mica_ipcbuf(), "no IPC buffer");
	CHECK(raw_exec(0, 100) == -EFAULT, "NULL block: %ld", raw_exec(0, 100));
	CHECK(raw_exec(0xFFFFFFFF80200000ul, 100) == -EFAULT, "a kernel address");
	CHECK(raw_exec(USER_STACK_TOP - 8, 64) == -EFAULT, "a block past the stack");
	CHECK(raw_exec((unsigned long)blk, 1ul << 40) == -E2BIG, "a huge length");
	CHECK(raw_exec((unsigned long)blk, ARG_MAX + 8192) == -E2BIG, "past the limit");
	CHECK(raw_exec((unsigned long)blk, 0) == -EINVAL, "an empty block");
	memset(blk, 'x', sizeof(blk)); /* no NUL after the counts */
	memset(blk, 0, 8);
	CHECK(raw_exec((unsigned long)blk, sizeof(blk)) == -EINVAL, "unterminated");
	memset(blk, 0, sizeof(blk));
	blk[0] = 3; /* argc 3, but one string */
	memcpy(blk + 8, "/bin/true\0a", 12);
	CHECK(raw_exec((unsigned long)blk, 20) == -EINVAL, "counts past the strings");
	blk[0] = 0xff, blk[1] = 0xff, blk[2] = 0xff, blk[3] = 0x7f;
	CHECK(raw_exec((unsigned long)blk, 20) == -E2BIG, "a huge argc");
	CHECK(getpid() > 0 && access("/bin/sh", 0) == 0, "pm stopped answering");
	return 0;
}

static void run(const char *name, int (*fn)(void))
{
	check_run("t_exec", name, fn);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strncmp(argv[1], "--", 2))
		return child(argc, argv);
	run("exec functions", t_exec_functions);
	run("PATH search", t_path_search);
	run("environment", t_environment);
	run("script without #! via sh", t_script);
	run("ARG_MAX intact, E2BIG past it", t_arg_max);
	run("5000 arguments", t_many_args);
	run("big environment", t_big_env);
	run("system", t_system);
	run("popen and pclose", t_popen);
	run("bad argument blocks", t_hostile_blocks);
	unlink(SCRIPT);
	rmdir(DIR);
	printf("t_exec: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
