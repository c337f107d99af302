/* mount: with no operands lists the mounted file systems from /proc/mounts
 * as util-linux does ("SOURCE on TARGET type TYPE (OPTIONS)"); with
 * DEVICE DIR mounts the ext2 file system on a disk (root only); -a mounts
 * what /etc/fstab lists (but noauto), skipping what is mounted already,
 * and with nofail a device that is not there. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "mica/util.h"

static const struct util_prog prog = {
    .name = "mount",
    .help = "Usage:\n mount [-l]\n mount [-t ext2] [-r] [-o ro|rw] DEVICE DIR\n\n"
            "List the mounted file systems, or mount the one on DEVICE at DIR.\n",
    .usage_status = 1,
};

/* Undoes /proc/mounts' octal escapes (\040 for a blank) in place. */
static char *unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

static void print_line(char *line)
{
	char *f[4];
	int n = 0;
	for (char *p = strtok(line, " \t"); p && n < 4; p = strtok(NULL, " \t"))
		f[n++] = p;
	if (n < 3)
		return;
	printf("%s on ", unescape(f[0]));
	printf("%s type ", unescape(f[1]));
	printf("%s", unescape(f[2]));
	if (n == 4)
		printf(" (%s)", unescape(f[3]));
	putchar('\n');
}

static int do_mount(const char *dev, const char *dir, const char *type, unsigned long fl)
{
	if (mount(dev, dir, type, fl, NULL) == 0)
		return 0;
	if (errno == ENODEV)
		fprintf(stderr, "mount: %s: unknown filesystem type '%s'.\n", dir, type);
	else if (errno == EINVAL)
		fprintf(stderr, "mount: %s: wrong fs type, bad superblock on %s.\n", dir, dev);
	else
		fprintf(stderr, "mount: %s: %s.\n", dir, strerror(errno));
	return 32; /* util-linux's "mount failure" */
}

/* Whether /proc/mounts lists dir as a mount point. */
static int is_mounted(const char *dir)
{
	FILE *f = fopen("/proc/mounts", "r");
	char line[512], src[256], mp[256];
	int found = 0;
	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%255s %255s", src, mp) == 2 && !strcmp(unescape(mp), dir);
	if (f)
		fclose(f);
	return found;
}

static int has_opt(const char *opts, const char *want)
{
	size_t n = strlen(want);
	for (const char *p = opts; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, want, n) && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* mount -a: every /etc/fstab line "DEVICE DIR TYPE OPTIONS ...". */
static int mount_all(void)
{
	FILE *f = fopen("/etc/fstab", "r");
	if (!f)
		return 0; /* nothing to mount */
	char line[512], dev[128], dir[128], type[32], opts[128];
	int status = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %127s %31s %127s", dev, dir, type, opts) != 4 ||
		    dev[0] == '#')
			continue;
		if (has_opt(opts, "noauto") || !strcmp(type, "swap") || is_mounted(dir))
			continue;
		if (has_opt(opts, "nofail") && access(dev, F_OK) != 0)
			continue;
		unsigned long fl = has_opt(opts, "ro") ? MS_RDONLY : 0;
		if (do_mount(dev, dir, type, fl))
			status = 32;
	}
	fclose(f);
	return status;
}

int main(int argc, char **argv)
{
	const char *type = "ext2", *ops[2];
	unsigned long fl = 0;
	int nops = 0;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (!strcmp(a, "--help"))
			util_help(&prog);
		if (!strcmp(a, "-l"))
			continue;
		if (!strcmp(a, "-a"))
			return nops ? util_usage_error(&prog, "bad usage"), 1 : mount_all();
		if (!strcmp(a, "-r") ||
		    ((!strcmp(a, "-o")) && i + 1 < argc && !strcmp(argv[i + 1], "ro")))
			fl |= MS_RDONLY, i += a[1] == 'o';
		else if (!strcmp(a, "-o") && i + 1 < argc && !strcmp(argv[i + 1], "rw"))
			fl &= ~(unsigned long)MS_RDONLY, i++;
		else if (!strcmp(a, "-t") && i + 1 < argc)
			type = argv[++i];
		else if (a[0] == '-' && a[1] && a[1] != '-' && a[2] == '\0')
			util_usage_error(&prog, "invalid option -- '%c'", a[1]);
		else if (a[0] == '-' && a[1])
			util_usage_error(&prog, "unrecognized option '%s'", a);
		else if (nops < 2)
			ops[nops++] = a;
		else
			util_usage_error(&prog, "bad usage");
	}
	if (nops == 2)
		return do_mount(ops[0], ops[1], type, fl);
	if (nops == 1)
		util_usage_error(&prog, "bad usage (DEVICE and DIR are both needed)");
	int fd = open("/proc/mounts", O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "mount: /proc/mounts: %s\n", strerror(errno));
		return 1;
	}
	static char buf[8192];
	size_t len = 0;
	ssize_t n;
	while ((n = util_read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += (size_t)n;
		buf[len] = '\0';
		char *line = buf, *nl;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			print_line(line);
			line = nl + 1;
		}
		len = strlen(line);
		memmove(buf, line, len);
		if (len == sizeof(buf) - 1) /* an absurdly long line: show what we have */
			buf[len] = '\0', print_line(buf), len = 0;
	}
	if (n < 0) {
		fprintf(stderr, "mount: /proc/mounts: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	if (len) {
		buf[len] = '\0';
		print_line(buf);
	}
	close(fd);
	return 0;
}
