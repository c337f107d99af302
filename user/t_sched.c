/* t_sched: the scheduler measured from inside the guest (docs/sched.md).
 *   share: two CPU-bound children at nice 0 and nice 10 for a while: the
 *          CPU each got (from /proc/N/sched) and the ratio, against the
 *          ratio of their weights;
 *   slice: two at nice 0: CPU time per involuntary switch, the time slice
 *          as it happens, against sched_rr_get_interval;
 *   wake:  a process that sleeps 20 ms at a time beside two hogs: how
 *          late it wakes (a waker is owed time and runs at the next
 *          tick; a sleep itself ends up to a tick late, so ~10 ms is
 *          what an idle machine shows too).
 * `t_sched [share|slice|wake] [SECONDS]` (default all, 3 s each); each
 * prints one line "t_sched: NAME: ..." with the figures. Exits 1 if a
 * figure is off: the nice 0 child got less than 3 times the nice 10
 * one's CPU, a slice is not within 20 % of the interval, or the median
 * wake-up was two ticks late or more. (The worst case says more about
 * the host: QEMU's own thread may wait for a busy host's CPU.) */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct sched_row {
	double ms; /* se.sum_exec_runtime */
	long weight, nivcsw;
};

/* pid's /proc/N/sched figures; 0, or -1 if it cannot be read. */
static int sched_of(pid_t pid, struct sched_row *r)
{
	char path[32], text[1024];
	snprintf(path, sizeof(path), "/proc/%d/sched", (int)pid);
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	text[n] = 0;
	const char *a = strstr(text, "se.sum_exec_runtime"), *w = strstr(text, "se.load.weight"),
	           *v = strstr(text, "nr_involuntary_switches");
	if (!a || !w || !v)
		return -1;
	r->ms = strtod(strchr(a, ':') + 1, NULL);
	r->weight = strtol(strchr(w, ':') + 1, NULL, 10) >> 10;
	r->nivcsw = strtol(strchr(v, ':') + 1, NULL, 10);
	return 0;
}

static pid_t hog(int nice_value)
{
	pid_t pid = fork();
	if (pid == 0) {
		setpriority(PRIO_PROCESS, 0, nice_value);
		for (volatile unsigned long i = 0;; i++)
			;
	}
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Two hogs at nice a and b for secs: the CPU each got meanwhile. */
static int race(int a, int b, double secs, struct sched_row *ra, struct sched_row *rb)
{
	struct sched_row a0, b0;
	pid_t pa = hog(a), pb = hog(b);
	if (pa < 0 || pb < 0)
		return fprintf(stderr, "t_sched: fork: %s\n", strerror(errno)), -1;
	usleep(100000); /* both running, at their nice values */
	int err = sched_of(pa, &a0) || sched_of(pb, &b0);
	usleep((useconds_t)(secs * 1e6));
	err = err || sched_of(pa, ra) || sched_of(pb, rb);
	stop(pa);
	stop(pb);
	if (err)
		return fprintf(stderr, "t_sched: cannot read /proc/N/sched\n"), -1;
	ra->ms -= a0.ms, rb->ms -= b0.ms;
	ra->nivcsw -= a0.nivcsw, rb->nivcsw -= b0.nivcsw;
	return 0;
}

static int share(double secs)
{
	struct sched_row r0, r10;
	if (race(0, 10, secs, &r0, &r10))
		return 1;
	double ratio = r10.ms > 0 ? r0.ms / r10.ms : 0;
	printf("t_sched: share: nice 0 ran %.0f ms, nice 10 ran %.0f ms in %.1f s: ratio %.2f "
	       "(weights %ld:%ld, %.2f)\n",
	       r0.ms, r10.ms, secs, ratio, r0.weight, r10.weight,
	       r10.weight ? (double)r0.weight / (double)r10.weight : 0);
	return r10.ms > 0 && ratio > 3 ? 0 : 1;
}

static int slice(double secs)
{
	struct sched_row a, b;
	struct timespec want;
	if (race(0, 0, secs, &a, &b) || sched_rr_get_interval(0, &want))
		return 1;
	long n = a.nivcsw + b.nivcsw;
	double ms = n ? (a.ms + b.ms) / (double)n : 0, want_ms = (double)want.tv_nsec / 1e6;
	printf("t_sched: slice: two at nice 0 ran %.0f and %.0f ms, preempted %ld and %ld "
	       "times: %.1f ms a slice (sched_rr_get_interval: %.0f ms)\n",
	       a.ms, b.ms, a.nivcsw, b.nivcsw, ms, want_ms);
	return ms > want_ms * 0.8 && ms < want_ms * 1.2 ? 0 : 1;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* A sleeper beside two hogs: how much later than asked it wakes. */
static int wake(double secs)
{
	static double late[1000];
	pid_t a = hog(0), b = hog(0);
	int n = 0;
	for (double end = now_s() + secs; now_s() < end && n < 1000; n++) {
		double t0 = now_s();
		usleep(20000);
		late[n] = (now_s() - t0 - 0.020) * 1000;
	}
	stop(a);
	stop(b);
	qsort(late, (size_t)n, sizeof(late[0]), by_value);
	double median = n ? late[n / 2] : 0;
	printf("t_sched: wake: a sleeper beside two hogs woke %.1f ms late (median), %.1f ms "
	       "(9 in 10), %.1f ms at worst, in %d sleeps of 20 ms\n",
	       median, n ? late[n * 9 / 10] : 0, n ? late[n - 1] : 0, n);
	return n && median < 20 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 && !strchr("0123456789", argv[1][0]) ? argv[1] : NULL;
	double secs = atof(argc > 1 && !only ? argv[1] : argc > 2 ? argv[2] : "3");
	int bad = 0;
	if (secs <= 0)
		secs = 3;
	if (!only || !strcmp(only, "share"))
		bad |= share(secs);
	if (!only || !strcmp(only, "slice"))
		bad |= slice(secs);
	if (!only || !strcmp(only, "wake"))
		bad |= wake(secs);
	fflush(stdout);
	return bad;
}
