/* kern/futex.c over a fake scheduler and user memory: waiters are woken
 * oldest first, a wake counts and stops at its number, waiters on other
 * words or in other tasks stay, cancel takes a waiter out, and
 * SYS_FUTEX checks its arguments before it queues anything. */
#include <criterion/criterion.h>
#include <string.h>

#include "errno.h"
#include "futex.h"

struct thread *cur;
struct task *acting;
static struct thread th[8];
static struct task ta, tb;
static uint32_t word; /* the fake user memory: one word at WORD */
#define WORD 0x20000ul
static int woken[8], nwoken;
static uint8_t blocked_in;

bool user_range_ok(uint64_t uva, size_t len)
{
	return uva < 0x4000000000ul && len <= 0x4000000000ul - uva;
}

int copy_from_user(struct task *t, void *dst, uint64_t uva, size_t len)
{
	(void)t;
	if (uva != WORD || len != 4)
		return -EFAULT;
	memcpy(dst, &word, 4);
	return 0;
}

void sched_wake(struct thread *t, long a0)
{
	t->tf.x[10] = (uint64_t)a0;
	t->state = TS_READY;
	woken[nwoken++] = (int)(t - th);
}

void sched_timeout(struct thread *t, uint64_t usec)
{
	t->wake_tick = usec;
}

void sched_block(uint8_t state)
{
	blocked_in = state;
	cur->state = state;
}

static void setup(void)
{
	for (int i = 0; i < 8; i++)
		futex_cancel(&th[i]); /* an earlier test's waiters, if any */
	memset(th, 0, sizeof(th));
	for (int i = 0; i < 8; i++) {
		th[i].index = (uint16_t)i;
		th[i].task = i < 6 ? &ta : &tb;
	}
	nwoken = 0, blocked_in = 0, word = 0, acting = NULL;
}

TestSuite(futex, .init = setup);

Test(futex, wake_takes_waiters_oldest_first)
{
	for (int i = 0; i < 4; i++)
		futex_enqueue(&th[(i * 3) % 4], WORD); /* 0, 3, 2, 1 */
	cr_assert_eq(futex_take(&ta, WORD), &th[0]);
	cr_assert_eq(futex_take(&ta, WORD), &th[3]);
	cr_assert_eq(futex_take(&ta, WORD), &th[2]);
	cr_assert_eq(futex_take(&ta, WORD), &th[1]);
	cr_assert_null(futex_take(&ta, WORD), "the queue is empty");
}

Test(futex, other_words_and_other_tasks_do_not_mix)
{
	futex_enqueue(&th[0], WORD);
	futex_enqueue(&th[1], WORD + 4);
	futex_enqueue(&th[6], WORD); /* the same address in task tb */
	cr_assert_null(futex_take(&tb, WORD + 4));
	cr_assert_eq(futex_take(&ta, WORD + 4), &th[1]);
	cr_assert_eq(futex_take(&tb, WORD), &th[6]);
	cr_assert_eq(futex_take(&ta, WORD), &th[0]);
	cr_assert_null(futex_take(&ta, WORD));
}

Test(futex, cancel_removes_only_that_waiter)
{
	for (int i = 0; i < 3; i++)
		futex_enqueue(&th[i], WORD);
	futex_cancel(&th[1]);
	cr_assert_null(th[1].link.on, "off every queue");
	futex_cancel(&th[1]); /* twice, or a thread never queued: nothing */
	futex_cancel(&th[5]);
	cr_assert_eq(futex_take(&ta, WORD), &th[0]);
	cr_assert_eq(futex_take(&ta, WORD), &th[2]);
	cr_assert_null(futex_take(&ta, WORD));
}

Test(futex, wait_queues_the_caller_when_the_word_matches)
{
	cur = &th[2];
	word = 7;
	cr_assert_eq(sys_futex(WORD, FUTEX_WAIT, 6, 0), -EAGAIN, "another value");
	cr_assert_null(th[2].link.on);
	sys_futex(WORD, FUTEX_WAIT, 7, 5000);
	cr_assert_eq(blocked_in, TS_FUTEX);
	cr_assert_eq(th[2].wake_tick, 5000, "the timeout is armed");
	cr_assert_eq(th[2].futex, WORD);
	cur = &th[3];
	sys_futex(WORD, FUTEX_WAIT, 0x100000007ul, 0); /* the low 32 bits count */
	cr_assert_eq(th[3].wake_tick, 0, "no timeout");
	cur = &th[0];
	cr_assert_eq(sys_futex(WORD, FUTEX_WAKE, 1, 0), 1);
	cr_assert_eq(nwoken, 1);
	cr_assert_eq(woken[0], 2, "the oldest first");
	cr_assert_eq(th[2].tf.x[10], 0, "its wait returns 0");
	cr_assert_eq(sys_futex(WORD, FUTEX_WAKE, 10, 0), 1, "as many as there are");
	cr_assert_eq(woken[1], 3);
	cr_assert_eq(sys_futex(WORD, FUTEX_WAKE, 10, 0), 0);
}

Test(futex, wake_stops_at_its_count_and_stays_in_the_task)
{
	word = 1;
	for (int i = 0; i < 5; i++) {
		cur = &th[i];
		sys_futex(WORD, FUTEX_WAIT, 1, 0);
	}
	cur = &th[6]; /* another task, the same address */
	cr_assert_eq(sys_futex(WORD, FUTEX_WAKE, 100, 0), 0);
	cur = &th[5];
	cr_assert_eq(sys_futex(WORD, FUTEX_WAKE, 0, 0), 0);
	cr_assert_eq(sys_futex(WORD, FUTEX_WAKE, 2, 0), 2);
	cr_assert_eq(sys_futex(WORD, FUTEX_WAKE, ~0ul, 0), 3, "a huge count: all");
	cr_assert_eq(nwoken, 5);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(woken[i], i);
}

Test(futex, bad_arguments_change_nothing)
{
	cur = &th[0];
	word = 0;
	cr_assert_eq(sys_futex(WORD + 1, FUTEX_WAIT, 0, 0), -EINVAL, "unaligned");
	cr_assert_eq(sys_futex(WORD, 2, 0, 0), -EINVAL, "no such operation");
	cr_assert_eq(sys_futex(WORD, -1, 0, 0), -EINVAL);
	cr_assert_eq(sys_futex(WORD, FUTEX_WAIT, 0, -1), -EINVAL, "a negative timeout");
	cr_assert_eq(sys_futex(WORD, FUTEX_WAIT, 0, FUTEX_TIMEOUT_MAX + 1), -EINVAL);
	cr_assert_eq(sys_futex(0xFFFFFFC000000000ul, FUTEX_WAIT, 0, 0), -EFAULT, "kernel");
	cr_assert_eq(sys_futex(0x3FFFFFFFFCul + 4, FUTEX_WAKE, 1, 0), -EFAULT);
	cr_assert_eq(sys_futex(WORD + 8, FUTEX_WAIT, 0, 0), -EFAULT, "not mapped");
	acting = &ta;
	cr_assert_eq(sys_futex(WORD, FUTEX_WAIT, 0, 0), -EPERM, "a server inside the kernel");
	acting = NULL;
	cr_assert_eq(blocked_in, 0, "nobody blocked");
	cr_assert_null(futex_take(&ta, WORD), "nobody queued");
}
