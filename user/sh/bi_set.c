/* set (options, positional parameters, the variable listing) and trap.
 * Mica runs no signal handlers yet, so a trap can only be recorded and
 * listed, run at exit (EXIT), or ignore a signal ('' is SIG_IGN). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

int sh_options(int argc, char **argv, bool *cflag);

static const struct {
	const char *name;
	char flag;
} long_opts[] = {{"errexit", 'e'}, {"noglob", 'f'},    {"noexec", 'n'}, {"nounset", 'u'},
                 {"xtrace", 'x'},  {"noclobber", 'C'}, {"emacs", 0},    {"vi", 0}};

/* set -o NAME / +o NAME: the same as the one-letter form. The prompt's
 * editor has fixed emacs-like keys, so emacs is always on and vi refused. */
static int set_o(char sign, const char *name)
{
	char opt[3] = {sign, 0, 0}, *v[] = {"set", opt, NULL};
	if (name && !strcmp(name, "emacs"))
		return 0;
	if (name && !strcmp(name, "vi")) {
		sh_error("set: vi: not supported (the line editor has emacs-like keys only)");
		return 1;
	}
	for (size_t i = 0; name && i < sizeof(long_opts) / sizeof(long_opts[0]); i++)
		if (!strcmp(name, long_opts[i].name)) {
			opt[1] = long_opts[i].flag;
			return sh_options(2, v, NULL) < 0;
		}
	if (name) {
		sh_error("set: %s: invalid option name", name);
		return 1;
	}
	bool on[] = {sh.opt_e, sh.opt_f, sh.opt_n, sh.opt_u, sh.opt_x, sh.opt_C, true, false};
	for (size_t i = 0; i < sizeof(long_opts) / sizeof(long_opts[0]); i++)
		if (sign == '-')
			printf("%-15s %s\n", long_opts[i].name, on[i] ? "on" : "off");
		else
			printf("set %co %s\n", on[i] ? '-' : '+', long_opts[i].name);
	return 0;
}

int bi_set(int argc, char **argv)
{
	if (argc == 1) {
		var_print(0, "");
		return 0;
	}
	if ((!strcmp(argv[1], "-o") || !strcmp(argv[1], "+o")))
		return set_o(argv[1][0], argc > 2 ? argv[2] : NULL);
	int i = sh_options(argc, argv, NULL);
	if (i < 0)
		return sh.interactive ? 2 : (sh_exit(2), 2);
	bool dashdash = false;
	for (int k = 1; k < i; k++)
		dashdash = dashdash || !strcmp(argv[k], "--");
	if (i < argc || dashdash)
		params_set(argc - i, argv + i);
	return 0;
}

/* --- trap ------------------------------------------------------------------------ */

static const char *const signames[] = {
    "EXIT", "HUP",  "INT",  "QUIT", "ILL",    "TRAP",   "ABRT",  "BUS",  "FPE",  "KILL", "USR1",
    "SEGV", "USR2", "PIPE", "ALRM", "TERM",   "STKFLT", "CHLD",  "CONT", "STOP", "TSTP", "TTIN",
    "TTOU", "URG",  "XCPU", "XFSZ", "VTALRM", "PROF",   "WINCH", "IO",   "PWR",  "SYS"};

const char *sig_name(int sig)
{
	return sig > 0 && sig < (int)(sizeof(signames) / sizeof(signames[0])) ? signames[sig]
	                                                                      : NULL;
}

int trap_signal(const char *name)
{
	char *end;
	long n = strtol(name, &end, 10);
	if (*name && !*end)
		return n >= 0 && n < SH_NSIG ? (int)n : -1;
	if (!strncmp(name, "SIG", 3))
		name += 3;
	for (size_t i = 0; i < sizeof(signames) / sizeof(signames[0]); i++)
		if (!strcmp(name, signames[i]))
			return (int)i;
	return -1;
}

static void trap_list(void)
{
	for (int i = 0; i < SH_NSIG; i++) {
		if (!sh.traps[i])
			continue;
		printf("trap -- '");
		for (const char *s = sh.traps[i]; *s; s++)
			fputs(*s == '\'' ? "'\\''" : (char[2]){*s, 0}, stdout);
		if (i < (int)(sizeof(signames) / sizeof(signames[0])))
			printf("' %s\n", signames[i]);
		else
			printf("' %d\n", i);
	}
}

/* Signals that came for a trap, run at the next command boundary. */
static volatile sig_atomic_t trap_pending[SH_NSIG], any_pending;

static void trap_caught(int sig)
{
	if (sig > 0 && sig < SH_NSIG)
		trap_pending[sig] = any_pending = 1;
}

static bool jc_ignored; /* sh_jobctl_signals ignored them */

static bool is_jobctl_sig(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU || sig == SIGQUIT;
}

/* What an interactive shell does with a signal nobody trapped: ^Z, ^\
 * and the terminal's stops are not for it (as in bash). */
static _sig_func_ptr untrapped(int sig)
{
	return jc_ignored && !sh.is_child && is_jobctl_sig(sig) ? SIG_IGN : SIG_DFL;
}

void sh_jobctl_signals(void)
{
	jc_ignored = true;
	for (int sig = 1; sig < SH_NSIG; sig++)
		if (is_jobctl_sig(sig) && !sh.traps[sig])
			signal(sig, SIG_IGN);
}

void traps_child(void)
{
	for (int i = 1; i < SH_NSIG; i++) {
		if (sh.traps[i] && sh.traps[i][0]) { /* traps are not inherited, ignoring is */
			free(sh.traps[i]);
			sh.traps[i] = NULL;
			signal(i, SIG_DFL);
		} else if (!sh.traps[i] && jc_ignored && is_jobctl_sig(i)) {
			signal(i, SIG_DFL); /* a job's own: ^Z stops it */
		}
		trap_pending[i] = 0;
	}
	any_pending = 0;
}

void traps_run(void)
{
	static bool running;
	if (!any_pending || running || sh.is_child)
		return;
	running = true;
	any_pending = 0;
	for (int sig = 1; sig < SH_NSIG; sig++) {
		if (!trap_pending[sig])
			continue;
		trap_pending[sig] = 0;
		if (sh.traps[sig] && sh.traps[sig][0]) {
			int status = sh.status;
			char *action = strdup(sh.traps[sig]);
			run_text(action, NULL);
			free(action);
			sh.status = status; /* a trap leaves $? as it found it */
		}
	}
	running = false;
}

/* Sets one trap: "-" resets, "" ignores, anything else runs the action
 * when the signal comes (at the next command boundary). */
static int trap_set(int sig, const char *action)
{
	bool reset = !strcmp(action, "-");
	if (sig == SIGKILL || sig == SIGSTOP) {
		sh_error("trap: %s: cannot trap", signames[sig]);
		return 1;
	}
	free(sh.traps[sig]);
	sh.traps[sig] = reset ? NULL : strdup(action);
	if (sig == 0)
		return 0;
	struct sigaction sa = {.sa_handler = reset      ? untrapped(sig)
	                                     : !*action ? SIG_IGN
	                                                : trap_caught,
	                       .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	return 0;
}

int bi_trap(int argc, char **argv)
{
	int i = 1, status = 0;
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		trap_list();
		return 0;
	}
	const char *action = argv[i];
	if (trap_signal(action) >= 0 && i + 1 == argc)
		action = "-"; /* "trap INT": reset, as POSIX allows */
	else
		i++;
	for (; i < argc; i++) {
		int sig = trap_signal(argv[i]);
		if (sig < 0) {
			sh_error("trap: %s: bad trap", argv[i]);
			status = 1;
		} else if (trap_set(sig, action)) {
			status = 1;
		}
	}
	return status;
}
