/* The shell's state and the interfaces between its parts: the executor
 * (exec.c, run.c), redirections (redir.c), variables (vars.c), builtins
 * (builtins.c, bi_*.c), line editing (lineedit.c) and main.c. */
#ifndef MICA_SH_SH_H
#define MICA_SH_SH_H

#include <stdbool.h>
#include <sys/types.h>

#include "ast.h"
#include "expand.h"

#define SH_NSIG 65 /* trap slots: 0 is EXIT, then the Linux signal numbers */

struct shell {
	int status;       /* $? */
	int subst_status; /* of the last command substitution in this command */
	pid_t pid;        /* $$: the shell, also in its subshells */
	pid_t lastbg;     /* $! */
	pid_t pgrp;       /* the shell's own process group */
	bool interactive;
	bool jobctl;   /* give the terminal to each foreground job (interactive, not a subshell) */
	bool is_child; /* a forked subshell */
	bool opt_e, opt_x, opt_u, opt_f, opt_n, opt_C;
	int noerrexit;    /* > 0 while running a condition, where set -e does not apply */
	int loops;        /* loops entered */
	int brk, cont;    /* break/continue levels still to unwind */
	bool ret;         /* return is unwinding a function */
	int funcs;        /* function calls entered */
	bool interrupted; /* a foreground job died of ^C: abandon the command line */
	int lineno;
	pid_t ppid;           /* $PPID */
	char *arg0;           /* $0 */
	struct arena *ar;     /* the tree of the command running */
	char *traps[SH_NSIG]; /* the action of each trap; "" ignores */
	bool in_exit;
	bool show_line;    /* messages name the line: reading a script or -c */
	char jobtext[128]; /* the command at the prompt, for a job it stops */
};

extern struct shell sh;
extern struct xenv sh_xenv;

/* vars.c */
#define V_EXPORT   1
#define V_READONLY 2
const char *var_get(const char *name);
int var_set(const char *name, const char *value, unsigned flags); /* -1: readonly */
int var_set_assign(const char *assign, unsigned flags);           /* "NAME=value" */
int var_unset(const char *name);
int var_flag(const char *name, unsigned flags);     /* export/readonly without a value */
void var_print(unsigned flags, const char *prefix); /* all with flags (0: all) */
char **var_environ(void);                           /* exported, malloc'ed array */
int var_local(const char *name);
void var_push_frame(void);
void var_pop_frame(void);
void params_set(int n, char **v); /* copies */
int params_count(void);
const char *params_get(int i);
char **params_argv(void);
void params_save(char ***v, int *n); /* takes the current ones out */
void params_restore(char **v, int n);
int params_shift(int n);
struct node *func_get(const char *name);
void func_set(const char *name, struct node *body);
void func_unset(const char *name);

/* exec.c, run.c */
int run_node(struct node *n);
int run_text(const char *text, const char *what); /* parse and run all of it */
int run_cmd(struct node *n, bool forked);
int run_simple(struct node *n, bool forked);
int run_function(struct node *body, int argc, char **argv);
int run_argv(int argc, char **argv);
void sh_exit(int status) __attribute__((noreturn));
void sh_flush(void); /* stdout and stderr (picolibc has no fflush(NULL)) */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sh_fatal_expansion(void);
pid_t sh_fork(pid_t *pgid, bool bg);
int sh_wait(pid_t *pids, int n, pid_t pgid);
void traps_run(void);         /* the traps whose signals came (bi_set.c) */
void traps_child(void);       /* a forked subshell: traps go, job-control signals default */
void sh_jobctl_signals(void); /* an interactive shell ignores ^Z, ^\\ and tty stops */
int bi_fg(int argc, char **argv);
int bi_bg(int argc, char **argv);
void exec_path(char **argv, char **envp);
const char *exec_error(int e); /* after exec_path: the message for errno e */
const char *sh_find_path(const char *name, char *buf, size_t len);
int jobs_add(pid_t pid, pid_t pgid, const char *cmd); /* its job number */
pid_t jobs_pid(const char *who, const char *arg, bool group);
void jobs_reap(bool report);
int jobs_wait(pid_t pid);
void jobs_print(void);

/* redir.c */
struct saved_fds {
	int fd[16], copy[16];
	int n;
};
int redir_apply(const struct redir *r, struct saved_fds *save);
void redir_restore(struct saved_fds *save);

/* builtins.c */
typedef int (*builtin_fn)(int argc, char **argv);
struct builtin_def {
	const char *name;
	builtin_fn fn;
};
builtin_fn builtin_find(const char *name, bool *special);
extern const struct builtin_def alias_builtins[], job_builtins[]; /* bi_alias.c, bi_jobs.c */
const char *alias_lookup(const char *name);
const char *sig_name(int sig); /* bi_set.c: "INT" for 2, NULL if unknown */
int bi_test(int argc, char **argv);
int bi_read(int argc, char **argv);
int bi_printf(int argc, char **argv);
int bi_trap(int argc, char **argv);
int bi_set(int argc, char **argv);
int trap_signal(const char *name); /* a signal number, 0 for EXIT, -1 if unknown */

/* lineedit.c */
char *le_readline(const char *prompt, bool *interrupted); /* malloc'ed, NULL at EOF */
void le_history_add(const char *line);
void le_history_print(void);
int le_history_last(void);
const char *le_history_get(int n);

#endif
