/* Signal bookkeeping (servers/pm/sigstate.c): Linux's default actions,
 * what counts as ignored, mask arithmetic, the order pending signals go
 * in, and what a handler taking a signal does to the mask and to
 * SA_RESETHAND's disposition. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../servers/pm/sigstate.h"

#define B(s) PM_SIGBIT(s)

Test(sigstate, default_actions_are_linuxs)
{
	static const struct {
		int sig;
		enum sig_default want;
	} table[] = {
	    {1, SIGDFL_TERM},  {2, SIGDFL_TERM},  {3, SIGDFL_CORE},  {4, SIGDFL_CORE},
	    {5, SIGDFL_CORE},  {6, SIGDFL_CORE},  {7, SIGDFL_CORE},  {8, SIGDFL_CORE},
	    {9, SIGDFL_TERM},  {10, SIGDFL_TERM}, {11, SIGDFL_CORE}, {12, SIGDFL_TERM},
	    {13, SIGDFL_TERM}, {14, SIGDFL_TERM}, {15, SIGDFL_TERM}, {16, SIGDFL_TERM},
	    {17, SIGDFL_IGN},  {18, SIGDFL_CONT}, {19, SIGDFL_STOP}, {20, SIGDFL_STOP},
	    {21, SIGDFL_STOP}, {22, SIGDFL_STOP}, {23, SIGDFL_IGN},  {24, SIGDFL_CORE},
	    {25, SIGDFL_CORE}, {26, SIGDFL_TERM}, {27, SIGDFL_TERM}, {28, SIGDFL_IGN},
	    {29, SIGDFL_TERM}, {30, SIGDFL_TERM}, {31, SIGDFL_CORE}, {34, SIGDFL_TERM},
	    {64, SIGDFL_TERM},
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		cr_assert_eq(sig_default_action(table[i].sig), table[i].want, "signal %d",
		             table[i].sig);
}

Test(sigstate, ignored_means_sig_ign_or_an_uncaught_default_ignore)
{
	struct sigacts a = {0};
	cr_assert(sig_is_ignored(&a, MSIG_CHLD));
	cr_assert(sig_is_ignored(&a, MSIG_WINCH));
	cr_assert_not(sig_is_ignored(&a, MSIG_TERM));
	cr_assert_not(sig_is_ignored(&a, MSIG_CONT), "SIGCONT's default continues");
	a.caught = B(MSIG_CHLD);
	cr_assert_not(sig_is_ignored(&a, MSIG_CHLD), "a handler wants it");
	a.ign = B(MSIG_TERM) | B(MSIG_KILL);
	cr_assert(sig_is_ignored(&a, MSIG_TERM));
	cr_assert_not(sig_is_ignored(&a, MSIG_KILL), "KILL is never ignored");
}

Test(sigstate, masks_never_hold_kill_or_stop_and_refuse_a_bad_how)
{
	unsigned long m = 0;
	cr_assert_eq(sig_mask_apply(0, PM_SIG_BLOCK, SIG_ALL, &m), 0);
	cr_assert_eq(m, SIG_ALL & ~SIG_UNBLOCKABLE);
	cr_assert_eq(sig_mask_apply(m, PM_SIG_UNBLOCK, B(MSIG_INT), &m), 0);
	cr_assert_not(m & B(MSIG_INT));
	cr_assert(m & B(MSIG_TERM));
	cr_assert_eq(sig_mask_apply(m, PM_SIG_SETMASK, B(MSIG_USR1), &m), 0);
	cr_assert_eq(m, B(MSIG_USR1));
	unsigned long before = m;
	cr_assert_eq(sig_mask_apply(m, 7, 0, &m), -1);
	cr_assert_eq(m, before, "a bad how changes nothing");
}

Test(sigstate, kill_and_stop_go_first_then_the_lowest_number)
{
	cr_assert_eq(sig_first(0), 0);
	cr_assert_eq(sig_first(B(MSIG_TERM) | B(MSIG_INT)), MSIG_INT);
	cr_assert_eq(sig_first(B(MSIG_HUP) | B(MSIG_STOP)), MSIG_STOP);
	cr_assert_eq(sig_first(B(MSIG_STOP) | B(MSIG_KILL)), MSIG_KILL);
	cr_assert_eq(sig_first(B(64)), 64);
}

Test(sigstate, a_handler_runs_with_its_mask_and_its_own_signal_blocked)
{
	struct sigacts a = {0};
	cr_assert_eq(sig_set_action(&a, MSIG_USR1, 2, 0, B(MSIG_USR2) | B(MSIG_KILL)), 0);
	cr_assert_eq(a.mask[MSIG_USR1], B(MSIG_USR2), "KILL never enters a mask");
	unsigned long m = sig_take(&a, MSIG_USR1, B(MSIG_HUP));
	cr_assert_eq(m, B(MSIG_HUP) | B(MSIG_USR2) | B(MSIG_USR1));
	cr_assert(a.caught & B(MSIG_USR1), "still caught");
}

Test(sigstate, nodefer_leaves_the_signal_open_and_resethand_resets_once_taken)
{
	struct sigacts a = {0};
	sig_set_action(&a, MSIG_INT, 2, PM_SA_NODEFER | PM_SA_RESETHAND, 0);
	unsigned long m = sig_take(&a, MSIG_INT, 0);
	cr_assert_eq(m, 0, "SA_NODEFER: INT not blocked during its handler");
	cr_assert_not(a.caught & B(MSIG_INT), "SA_RESETHAND: SIG_DFL again");
	cr_assert_not(a.nodefer & B(MSIG_INT));
}

Test(sigstate, kill_and_stop_take_only_the_default)
{
	struct sigacts a = {0};
	cr_assert_eq(sig_set_action(&a, MSIG_KILL, 1, 0, 0), -1);
	cr_assert_eq(sig_set_action(&a, MSIG_STOP, 2, 0, 0), -1);
	cr_assert_eq(sig_set_action(&a, MSIG_STOP, 0, 0, 0), 0);
	cr_assert_eq(sig_set_action(&a, 0, 0, 0, 0), -1);
	cr_assert_eq(sig_set_action(&a, MSIG_MAX + 1, 0, 0, 0), -1);
	cr_assert_eq(a.ign | a.caught, 0);
}

Test(sigstate, sigchld_nocldstop_follows_its_handler)
{
	struct sigacts a = {0};
	sig_set_action(&a, MSIG_CHLD, 2, PM_SA_NOCLDSTOP, 0);
	cr_assert(a.nocldstop);
	sig_set_action(&a, MSIG_CHLD, 0, 0, 0);
	cr_assert_not(a.nocldstop);
}

Test(sigstate, exec_keeps_what_is_ignored_and_drops_handlers)
{
	struct sigacts a = {0};
	sig_set_action(&a, MSIG_PIPE, 1, 0, 0);
	sig_set_action(&a, MSIG_USR1, 2, PM_SA_NODEFER, B(MSIG_HUP));
	sig_exec_reset(&a);
	cr_assert_eq(a.ign, B(MSIG_PIPE));
	cr_assert_eq(a.caught | a.nodefer | a.mask[MSIG_USR1], 0);
}
