/* Signal bookkeeping without a system around it: see sigstate.h. */
#include <string.h>

#include "sigstate.h"

#define B(s) PM_SIGBIT(MSIG_##s)

/* Linux's signal(7) table; the real-time signals (32 and up) terminate. */
enum sig_default sig_default_action(int sig)
{
	unsigned long b = PM_SIGBIT(sig);
	if (b & (B(QUIT) | B(ILL) | B(TRAP) | B(ABRT) | B(BUS) | B(FPE) | B(SEGV) |
	         PM_SIGBIT(24) /* XCPU */ | PM_SIGBIT(25) /* XFSZ */ | PM_SIGBIT(31) /* SYS */))
		return SIGDFL_CORE;
	if (b & (B(CHLD) | B(URG) | B(WINCH)))
		return SIGDFL_IGN;
	if (b & B(CONT))
		return SIGDFL_CONT;
	if (b & SIG_STOPS)
		return SIGDFL_STOP;
	return SIGDFL_TERM;
}

bool sig_is_ignored(const struct sigacts *a, int sig)
{
	unsigned long b = PM_SIGBIT(sig);
	if (b & SIG_UNBLOCKABLE)
		return false;
	if (a->ign & b)
		return true;
	enum sig_default d = sig_default_action(sig);
	return !(a->caught & b) && d == SIGDFL_IGN;
}

long sig_mask_apply(unsigned long old, int how, unsigned long set, unsigned long *out)
{
	switch (how) {
	case PM_SIG_BLOCK:
		old |= set;
		break;
	case PM_SIG_UNBLOCK:
		old &= ~set;
		break;
	case PM_SIG_SETMASK:
		old = set;
		break;
	default:
		return -1;
	}
	*out = old & ~SIG_UNBLOCKABLE; /* POSIX: never blocked */
	return 0;
}

int sig_first(unsigned long set)
{
	if (set & B(KILL))
		return MSIG_KILL;
	if (set & B(STOP))
		return MSIG_STOP;
	return set ? __builtin_ctzl(set) + 1 : 0;
}

unsigned long sig_take(struct sigacts *a, int sig, unsigned long mask)
{
	unsigned long b = PM_SIGBIT(sig);
	mask |= a->mask[sig];
	if (!(a->nodefer & b))
		mask |= b;
	if (a->reset & b) { /* SA_RESETHAND: back to SIG_DFL once taken */
		a->caught &= ~b;
		a->reset &= ~b;
		a->nodefer &= ~b;
		a->mask[sig] = 0;
	}
	return mask & ~SIG_UNBLOCKABLE;
}

int sig_set_action(struct sigacts *a, int sig, int disp, unsigned flags, unsigned long mask)
{
	unsigned long b = PM_SIGBIT(sig);
	if (sig < 1 || sig > MSIG_MAX || disp < 0 || disp > 2)
		return -1;
	if ((b & SIG_UNBLOCKABLE) && disp != 0)
		return -1;
	a->ign &= ~b, a->caught &= ~b, a->nodefer &= ~b, a->reset &= ~b;
	a->mask[sig] = 0;
	if (disp == 1)
		a->ign |= b;
	if (disp == 2) {
		a->caught |= b;
		a->mask[sig] = mask & ~SIG_UNBLOCKABLE;
		if (flags & PM_SA_NODEFER)
			a->nodefer |= b;
		if (flags & PM_SA_RESETHAND)
			a->reset |= b;
	}
	if (sig == MSIG_CHLD)
		a->nocldstop = disp == 2 && (flags & PM_SA_NOCLDSTOP);
	return 0;
}

int sig_of_fault(unsigned long scause)
{
	switch (scause) {
	case 2:
		return MSIG_ILL; /* illegal instruction */
	case 3:
		return MSIG_TRAP; /* breakpoint */
	case 0:
	case 4:
	case 6:
		return MSIG_BUS; /* misaligned */
	default:
		return MSIG_SEGV; /* access and page faults */
	}
}

void sig_exec_reset(struct sigacts *a)
{
	unsigned long ign = a->ign;
	memset(a, 0, sizeof(*a));
	a->ign = ign;
}
