/* Signal bookkeeping with no system around it (host-tested): Linux's
 * default actions, masks, which pending signal goes first, and what
 * taking one for a handler does to the taker's mask. Sets are words with
 * bit sig - 1 for each signal (PM_SIGBIT), as /proc shows them. */
#ifndef PM_SIGSTATE_H
#define PM_SIGSTATE_H

#include <stdbool.h>

#include "mica/proto/pm.h"

enum sig_default { SIGDFL_TERM, SIGDFL_CORE, SIGDFL_IGN, SIGDFL_STOP, SIGDFL_CONT };

#define SIG_ALL         (~0ul)
#define SIG_UNBLOCKABLE (PM_SIGBIT(MSIG_KILL) | PM_SIGBIT(MSIG_STOP))
#define SIG_STOPS                                                                                  \
	(PM_SIGBIT(MSIG_STOP) | PM_SIGBIT(MSIG_TSTP) | PM_SIGBIT(MSIG_TTIN) | PM_SIGBIT(MSIG_TTOU))

/* A process's dispositions (what its runtime told pm with PM_SIGACTION). */
struct sigacts {
	unsigned long ign, caught;        /* SIG_IGN; a handler */
	unsigned long nodefer, reset;     /* SA_NODEFER, SA_RESETHAND */
	bool nocldstop;                   /* SIGCHLD's SA_NOCLDSTOP */
	unsigned long mask[MSIG_MAX + 1]; /* each handler's sa_mask */
};

enum sig_default sig_default_action(int sig);
/* Whether sig, sent now, would do nothing at all (ignored explicitly, or
 * by default and not caught). */
bool sig_is_ignored(const struct sigacts *a, int sig);
/* sigprocmask's arithmetic: the new mask, or -1 for a bad how. */
long sig_mask_apply(unsigned long old, int how, unsigned long set, unsigned long *out);
/* The signal from set to act on first: SIGKILL, then SIGSTOP, then the
 * lowest number; 0 if set is empty. */
int sig_first(unsigned long set);
/* A handler takes sig: the mask it runs with (its sa_mask, and sig
 * itself unless SA_NODEFER), and SA_RESETHAND's reset. */
unsigned long sig_take(struct sigacts *a, int sig, unsigned long mask);
/* A new disposition for sig: 0 SIG_DFL, 1 SIG_IGN, 2 a handler (with
 * flags PM_SA_* and sa_mask). -1 for a signal that cannot change so. */
int sig_set_action(struct sigacts *a, int sig, int disp, unsigned flags, unsigned long mask);
/* exec: handlers go back to the default; what is ignored stays. */
void sig_exec_reset(struct sigacts *a);
/* The signal a fault (its scause) raises: SIGILL, SIGTRAP, SIGBUS, SIGSEGV. */
int sig_of_fault(unsigned long scause);

#endif
