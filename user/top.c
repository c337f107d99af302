/* top [-b] [-n N] [-d SECONDS]: the process list every 2 s (or -d),
 * with %CPU from the change in each process's CPU time, a header with
 * the uptime, task counts and memory (/proc/uptime, /proc/meminfo).
 * Interactive: q quits (the terminal in raw mode, without echo); -b
 * prints plain frames for scripts, -n N stops after N frames. */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "mica/posix.h"

#define MAXP 64

static struct pm_procinfo now[MAXP], before[MAXP];
static int nnow, nbefore;

static long read_kb(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	return p ? atol(p + strlen(key)) : 0;
}

static void read_text(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t r = fd < 0 ? 0 : read(fd, buf, n - 1);
	buf[r > 0 ? r : 0] = 0;
	if (fd >= 0)
		close(fd);
}

static unsigned long cpu_before(int pid)
{
	for (int i = 0; i < nbefore; i++)
		if (before[i].pid == pid)
			return before[i].cpu_us;
	return 0;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void frame(int batch, double elapsed)
{
	char up[128], mem[1024];
	int run = 0, sleep_ = 0, zombie = 0;
	read_text("/proc/uptime", up, sizeof(up));
	read_text("/proc/meminfo", mem, sizeof(mem));
	for (int i = 0; i < nnow; i++)
		now[i].state == 'R' ? run++ : now[i].state == 'Z' ? zombie++ : sleep_++;
	long secs = atol(up);
	if (!batch)
		printf("\033[H\033[2J");
	printf("top - up %ld:%02ld:%02ld, load average: n/a\n", secs / 3600, secs / 60 % 60,
	       secs % 60);
	printf("Tasks: %3d total, %3d running, %3d sleeping, %3d zombie\n", nnow, run, sleep_,
	       zombie);
	long total = read_kb(mem, "MemTotal:"), freek = read_kb(mem, "MemFree:");
	printf("KiB Mem: %8ld total, %8ld free, %8ld used\n\n", total, freek, total - freek);
	printf("  PID USER      NI S   VIRT    RES  %%CPU     TIME COMMAND\n");
	for (int i = 0; i < nnow; i++) {
		const struct pm_procinfo *p = &now[i];
		unsigned long d = p->cpu_us - cpu_before(p->pid);
		double pct = elapsed > 0 ? (double)d / 1e4 / elapsed : 0;
		if (pct > 100)
			pct = 100;
		printf("%5d %-8s %3d %c %6lu %6lu %5.1f %4lu.%02lu %s\n", p->pid,
		       p->uid ? "user" : "root", p->nice, p->state, p->vsz_kb, p->rss_kb, pct,
		       p->cpu_us / 1000000, p->cpu_us / 10000 % 100, p->name);
	}
	fflush(stdout);
}

/* Waits up to secs for a key; whether it was q. */
static int wait_quit(double secs, int batch)
{
	if (batch) {
		usleep((useconds_t)(secs * 1e6));
		return 0;
	}
	struct pollfd p = {.fd = 0, .events = POLLIN};
	double end = now_s() + secs;
	while (now_s() < end) {
		int ms = (int)((end - now_s()) * 1000) + 1;
		if (poll(&p, 1, ms) > 0) {
			char c;
			if (read(0, &c, 1) != 1 || c == 'q' || c == 'Q')
				return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int batch = 0, frames = -1;
	double delay = 2;
	int opt;
	while ((opt = getopt(argc, argv, "bn:d:")) != -1) {
		if (opt == 'b')
			batch = 1;
		else if (opt == 'n')
			frames = atoi(optarg);
		else if (opt == 'd')
			delay = atof(optarg);
		else {
			fprintf(stderr, "usage: top [-b] [-n frames] [-d seconds]\n");
			return 1;
		}
	}
	if (delay < 0.1)
		delay = 0.1;
	struct termios saved, raw;
	int interactive = !batch && tcgetattr(0, &saved) == 0;
	if (interactive) {
		raw = saved;
		raw.c_lflag &= ~(unsigned)(ICANON | ECHO);
		tcsetattr(0, TCSANOW, &raw);
	}
	/* a first sample, so the first frame already has a %CPU */
	nbefore = mica_ps(before, MAXP);
	double t0 = now_s();
	usleep(200000);
	for (int n = 0; frames < 0 || n < frames; n++) {
		if ((nnow = mica_ps(now, MAXP)) < 0) {
			perror("top");
			break;
		}
		double t1 = now_s();
		frame(batch || !interactive, t1 - t0);
		memcpy(before, now, sizeof(now));
		nbefore = nnow, t0 = t1;
		if ((frames < 0 || n + 1 < frames) && wait_quit(delay, batch || !interactive))
			break;
		if (batch && (frames < 0 || n + 1 < frames))
			putchar('\n');
	}
	if (interactive)
		tcsetattr(0, TCSANOW, &saved);
	return 0;
}
