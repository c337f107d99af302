/* The builtins that change the shell or its flow: the special builtins of
 * XCU 2.14 (break : continue . eval exec exit export readonly return set
 * shift trap unset) and cd, pwd, wait, jobs, umask, local, command, type,
 * history, true, false, echo. test, read, printf, set, trap: bi_*.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parse.h"
#include "sh.h"

int sh_source(const char *path);

/* A non-negative decimal argument, or -1 after a message. */
static long number_arg(const char *who, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0) {
		sh_error("%s: %s: numeric argument required", who, s);
		return -1;
	}
	return v;
}

static int bi_colon(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 0;
}

static int bi_false(int argc, char **argv)
{
	(void)argc, (void)argv;
	return 1;
}

static int bi_exit(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : sh.status;
	sh_exit((int)(n & 255));
}

/* break [n] and continue [n]. */
static int bi_loopctl(int argc, char **argv)
{
	long n = argc > 1 ? number_arg(argv[0], argv[1]) : 1;
	if (n < 1) {
		if (n == 0)
			sh_error("%s: 0: loop count out of range", argv[0]);
		return 1;
	}
	if (sh.loops == 0)
		return 0;
	if (n > sh.loops)
		n = sh.loops;
	if (argv[0][0] == 'b')
		sh.brk = (int)n;
	else
		sh.cont = (int)n;
	return 0;
}

static int bi_return(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) & 255 : sh.status;
	sh.status = (int)n;
	sh.ret = sh.funcs > 0;
	return (int)n;
}

static int bi_shift(int argc, char **argv)
{
	long n = argc > 1 ? number_arg("shift", argv[1]) : 1;
	if (n < 0)
		return 1;
	if (params_shift((int)n)) {
		sh_error("shift: can't shift that many");
		if (!sh.interactive) /* a special builtin's error ends a script */
			sh_exit(2);
		return 1;
	}
	return 0;
}

/* Joins the arguments with spaces into one string to run. */
static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 1; i < argc; i++) {
		strcat(s, argv[i]);
		if (i + 1 < argc)
			strcat(s, " ");
	}
	return s;
}

static int bi_eval(int argc, char **argv)
{
	char *s = join_args(argc, argv);
	if (!s)
		return 1;
	sh.status = 0;
	int status = run_text(s, "eval");
	free(s);
	return status;
}

static int bi_dot(int argc, char **argv)
{
	char buf[512], **ov;
	int on;
	if (argc < 2) {
		sh_error(".: filename argument required");
		return 2;
	}
	const char *path = strchr(argv[1], '/') ? argv[1] : sh_find_path(argv[1], buf, sizeof(buf));
	if (!path)
		path = argv[1];
	if (argc > 2) {
		params_save(&ov, &on);
		params_set(argc - 2, argv + 2);
	}
	int status = sh_source(path);
	if (argc > 2)
		params_restore(ov, on);
	if (status == 127 && !sh.interactive)
		sh_exit(127);
	return status;
}

static int bi_exec(int argc, char **argv)
{
	if (argc < 2)
		return 0;
	exec_path(argv + 1, var_environ());
	int e = errno;
	sh_error("%s: %s", argv[1], exec_error(e));
	if (!sh.interactive)
		sh_exit(e == ENOENT ? 127 : 126);
	return e == ENOENT ? 127 : 126;
}

/* export and readonly: NAME[=value]..., or -p to list. */
static int bi_export(int argc, char **argv)
{
	unsigned flag = argv[0][0] == 'e' ? V_EXPORT : V_READONLY;
	int status = 0;
	if (argc == 1 || !strcmp(argv[1], "-p")) {
		var_print(flag, flag == V_EXPORT ? "export " : "readonly ");
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (!sh_is_name(argv[i], eq ? eq - argv[i] : -1)) {
			sh_error("%s: `%s': not a valid identifier", argv[0], argv[i]);
			status = 1;
		} else if (eq ? var_set_assign(argv[i], flag) : var_flag(argv[i], flag)) {
			status = 1;
		}
	}
	return status;
}

static int bi_unset(int argc, char **argv)
{
	int i = 1, status = 0;
	bool funcs = false;
	if (i < argc && (!strcmp(argv[i], "-f") || !strcmp(argv[i], "-v")))
		funcs = argv[i++][1] == 'f';
	for (; i < argc; i++) {
		if (funcs)
			func_unset(argv[i]);
		else if (var_unset(argv[i]))
			status = 1;
	}
	return status;
}

static int bi_local(int argc, char **argv)
{
	if (sh.funcs == 0) {
		sh_error("local: not in a function");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - argv[i] : 255), argv[i]);
		if (!sh_is_name(name, -1)) {
			sh_error("local: `%s': not a valid identifier", argv[i]);
			return 1;
		}
		var_local(name);
		if (eq && var_set(name, eq + 1, 0))
			return 1;
	}
	return 0;
}

static int bi_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	char old[512], cwd[512];
	bool dash = dir && !strcmp(dir, "-");
	if (dash && !(dir = var_get("OLDPWD"))) {
		sh_error("cd: OLDPWD not set");
		return 1;
	}
	if (!dir)
		dir = "/";
	if (!getcwd(old, sizeof(old)))
		old[0] = '\0';
	if (chdir(dir) < 0) {
		sh_error("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	if (old[0])
		var_set("OLDPWD", old, V_EXPORT);
	if (getcwd(cwd, sizeof(cwd)))
		var_set("PWD", cwd, V_EXPORT);
	if (dash)
		puts(cwd);
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	char cwd[512];
	(void)argc, (void)argv;
	if (!getcwd(cwd, sizeof(cwd))) {
		sh_error("pwd: %s", strerror(errno));
		return 1;
	}
	puts(cwd);
	return 0;
}

static int bi_wait(int argc, char **argv)
{
	int status = 0;
	if (argc == 1) {
		jobs_reap(false);
		while (wait(NULL) > 0 || errno == EINTR)
			;
		jobs_reap(false);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		pid_t pid = jobs_pid("wait", argv[i], false);
		status = pid <= 0 ? 127 : jobs_wait(pid);
	}
	return status;
}

static int bi_jobs(int argc, char **argv)
{
	(void)argc, (void)argv;
	jobs_print();
	return 0;
}

static int bi_umask(int argc, char **argv)
{
	if (argc < 2) {
		mode_t m = umask(0);
		umask(m);
		printf("%04o\n", (unsigned)m);
		return 0;
	}
	char *end;
	long m = strtol(argv[1], &end, 8);
	if (*end || m < 0 || m > 0777) {
		sh_error("umask: %s: invalid mask", argv[1]);
		return 1;
	}
	umask((mode_t)m);
	return 0;
}

/* What a name runs as: 1 builtin, 2 function, 3 program (path in buf),
 * 4 keyword, 5 alias (value in buf), 6 special builtin, 0 none. */
static int what_is(const char *name, char *buf, size_t len)
{
	bool special;
	const char *alias = alias_lookup(name);
	static const char *const kws[] = {"if",   "then", "else", "elif",  "fi",    "do",
	                                  "done", "case", "esac", "while", "until", "for",
	                                  "in",   "{",    "}",    "!"};
	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (!strcmp(name, kws[i]))
			return 4;
	if (alias) {
		snprintf(buf, len, "%s", alias);
		return 5;
	}
	if (builtin_find(name, &special) && special)
		return 6;
	if (func_get(name))
		return 2;
	if (builtin_find(name, &special))
		return 1;
	const char *p = sh_find_path(name, buf, len);
	if (p && p != buf)
		snprintf(buf, len, "%s", p);
	return p && access(buf, X_OK) == 0 ? 3 : 0;
}

static int bi_type(int argc, char **argv)
{
	static const char *const kinds[] = {"",
	                                    "a shell builtin",
	                                    "a shell function",
	                                    "",
	                                    "a shell keyword",
	                                    "an alias for ",
	                                    "a special shell builtin"};
	char buf[512];
	int status = 0;
	for (int i = 1; i < argc; i++) {
		int k = what_is(argv[i], buf, sizeof(buf));
		if (k == 0) {
			sh_error("type: %s: not found", argv[i]);
			status = 1;
		} else if (k == 3 || k == 5) {
			printf("%s is %s%s\n", argv[i], k == 5 ? kinds[5] : "", buf);
		} else {
			printf("%s is %s\n", argv[i], kinds[k]);
		}
	}
	return status;
}

/* command -v NAME..., command -V NAME..., command NAME ARGS. */
static int bi_command(int argc, char **argv)
{
	char buf[512];
	int status = 0;
	if (argc > 1 && !strcmp(argv[1], "-V"))
		return bi_type(argc - 1, argv + 1);
	if (argc < 2 || strcmp(argv[1], "-v"))
		return argc < 2 ? 0 : run_argv(argc - 1, argv + 1);
	for (int i = 2; i < argc; i++) {
		int k = what_is(argv[i], buf, sizeof(buf));
		if (k == 0)
			status = 1;
		else if (k == 5)
			printf("alias %s='%s'\n", argv[i], buf);
		else
			puts(k == 3 ? buf : argv[i]);
	}
	return status;
}

static int bi_history(int argc, char **argv)
{
	(void)argc, (void)argv;
	le_history_print();
	return 0;
}

/* Writes s with echo's XSI escapes (\a \b \c \f \n \r \t \v \\ \0nnn), as
 * dash's echo does; false after \c, which ends the output. */
static bool echo_escaped(const char *s)
{
	static const char from[] = "abfnrtv\\", to[] = "\a\b\f\n\r\t\v\\";
	for (; *s; s++) {
		const char *e = s[0] == '\\' && s[1] ? strchr(from, s[1]) : NULL;
		if (*s != '\\' || !s[1]) {
			putchar(*s);
		} else if (s[1] == 'c') {
			return false;
		} else if (e && *e) {
			putchar(to[e - from]);
			s++;
		} else if (s[1] == '0') {
			int v = 0, n = 0;
			for (s += 2; n < 3 && *s >= '0' && *s <= '7'; n++, s++)
				v = v * 8 + (*s - '0');
			putchar(v);
			s--;
		} else {
			putchar(*s);
		}
	}
	return true;
}

/* echo [-n] args: -n and the XSI escapes, as dash's builtin echo. */
static int bi_echo(int argc, char **argv)
{
	int i = 1;
	bool newline = true;
	if (argc > 1 && !strcmp(argv[1], "-n"))
		newline = false, i = 2;
	for (; i < argc; i++) {
		if (!echo_escaped(argv[i]))
			return fflush(stdout), 0;
		if (i + 1 < argc)
			putchar(' ');
	}
	if (newline)
		putchar('\n');
	return ferror(stdout) ? (clearerr(stdout), 1) : 0;
}

static const struct builtin {
	const char *name;
	builtin_fn fn;
	bool special;
} builtins[] = {
    {":", bi_colon, true},          {".", bi_dot, true},          {"break", bi_loopctl, true},
    {"continue", bi_loopctl, true}, {"eval", bi_eval, true},      {"exec", bi_exec, true},
    {"exit", bi_exit, true},        {"export", bi_export, true},  {"readonly", bi_export, true},
    {"return", bi_return, true},    {"set", bi_set, true},        {"shift", bi_shift, true},
    {"trap", bi_trap, true},        {"unset", bi_unset, true},    {"true", bi_colon, false},
    {"false", bi_false, false},     {"cd", bi_cd, false},         {"pwd", bi_pwd, false},
    {"wait", bi_wait, false},       {"jobs", bi_jobs, false},     {"fg", bi_fg, false},
    {"bg", bi_bg, false},           {"umask", bi_umask, false},   {"local", bi_local, false},
    {"command", bi_command, false}, {"type", bi_type, false},     {"history", bi_history, false},
    {"echo", bi_echo, false},       {"test", bi_test, false},     {"[", bi_test, false},
    {"read", bi_read, false},       {"printf", bi_printf, false},
};

builtin_fn builtin_find(const char *name, bool *special)
{
	static const struct builtin_def *const more[] = {alias_builtins, job_builtins};
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, name)) {
			*special = builtins[i].special;
			return builtins[i].fn;
		}
	*special = false;
	for (size_t k = 0; k < sizeof(more) / sizeof(more[0]); k++)
		for (const struct builtin_def *b = more[k]; b->name; b++)
			if (!strcmp(b->name, name))
				return b->fn;
	return NULL;
}
