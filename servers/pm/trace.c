/* Who may trace whom (PM_TRACE); the kernel's SYS_TRACE is the
 * mechanism. As Linux's ptrace: root may trace anyone, a user only
 * processes of the same uid; never init, a server or oneself. A trace
 * goes on through exec, and with PM_TRACE_FOLLOW into the children
 * forked afterwards; it ends when the tracer's endpoint dies. */
#include "mica/errno.h"
#include "mica/proto/pm.h"
#include "proc.h"

int do_trace(struct server *s, const struct srv_req *req, struct srv_rep *rep)
{
	(void)s;
	struct proc *me = proc_sender(req), *p = proc_find((int)req->m[0]);
	long err = 0;
	if (!me)
		err = -ESRCH;
	else if (req->handle < 0 || req->m[1] & ~(unsigned long)PM_TRACE_FOLLOW)
		err = -EINVAL;
	else if (!p || p->state == P_ZOMBIE)
		err = -ESRCH;
	else if (p->state == P_SERVER || p->pid == 1 || p == me)
		err = -EPERM;
	else if (me->uid != 0 && me->uid != p->uid)
		err = -EPERM;
	else if ((err = mica_trace(p->task, TRACE_ATTACH, req->handle, (unsigned long)p->pid)) ==
	         -EBUSY)
		err = -EPERM; /* traced already, as ptrace says */
	if (err >= 0) {
		p->traced = true;
		p->trace_follow = req->m[1] & PM_TRACE_FOLLOW;
	}
	rep->result = err < 0 ? err : 0;
	return SRV_REPLY; /* the transport closes our copy of the handle */
}

/* The kernel says whether the trace went on (its tracer may have died):
 * an untraced process's fork and exec cost nothing more. */
void trace_fork(struct proc *child, const struct proc *parent, long task)
{
	child->trace_follow = parent->trace_follow;
	child->traced =
	    parent->traced && parent->trace_follow &&
	    mica_trace(task, TRACE_INHERIT, parent->task, (unsigned long)child->pid) > 0;
}

void trace_exec(struct proc *p, long task)
{
	p->traced =
	    p->traced && mica_trace(task, TRACE_INHERIT, p->task, (unsigned long)p->pid) > 0;
}
