/* mmap and friends, and System V shared memory: requests to pm, whose
 * pager (servers/pm/vm.c) keeps every process's mappings, maps their
 * pages and answers their faults. shm_open is a file in /dev/shm. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mica/posix.h"
#include "mica/proto/pm.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

static long pm(unsigned op, unsigned long m0, unsigned long m1, unsigned long m2, unsigned long m3,
               struct ipc_msg *out)
{
	struct ipc_msg m = {.tag = MAKE_TAG(op, 0), .m = {m0, m1, m2, m3}};
	long r = mica_call(SLOT_PM, &m);
	if (out)
		*out = m;
	return r < 0 ? r : PROTO_RESULT(m.tag);
}

static long fail(long r)
{
	return mica_fail(r); /* pm's -errno, as this C library numbers it */
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct ipc_msg m;
	if (flags & MAP_ANONYMOUS)
		fd = -1;
	else if (fd < 0)
		return errno = EBADF, MAP_FAILED;
	long r = pm(PM_MMAP, (unsigned long)addr, len, PM_MMAP_ARGS(prot, flags, fd),
	            (unsigned long)off, &m);
	if (r < 0)
		return fail(r), MAP_FAILED;
	return (void *)m.m[0];
}

int munmap(void *addr, size_t len)
{
	return (int)fail(pm(PM_MUNMAP, (unsigned long)addr, len, 0, 0, NULL));
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)fail(pm(PM_MPROTECT, (unsigned long)addr, len, (unsigned long)prot, 0, NULL));
}

int msync(void *addr, size_t len, int flags)
{
	return (int)fail(pm(PM_MSYNC, (unsigned long)addr, len, (unsigned long)flags, 0, NULL));
}

int madvise(void *addr, size_t len, int advice)
{
	return (int)fail(pm(PM_MADVISE, (unsigned long)addr, len, (unsigned long)advice, 0, NULL));
}

int posix_madvise(void *addr, size_t len, int advice)
{
	return madvise(addr, len, advice) < 0 ? errno : 0;
}

/* Nothing is paged out from under a lock: pages stay where they are
 * until swapping exists to take them. */
int mlock(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

int munlock(const void *addr, size_t len)
{
	(void)addr;
	(void)len;
	return 0;
}

int shmget(key_t key, size_t size, int shmflg)
{
	return (int)fail(
	    pm(PM_SHMGET, (unsigned long)(long)key, size, (unsigned long)shmflg, 0, NULL));
}

void *shmat(int shmid, const void *addr, int shmflg)
{
	struct ipc_msg m;
	long r =
	    pm(PM_SHMAT, (unsigned long)shmid, (unsigned long)addr, (unsigned long)shmflg, 0, &m);
	if (r < 0)
		return fail(r), (void *)-1;
	return (void *)m.m[0];
}

int shmdt(const void *addr)
{
	return (int)fail(pm(PM_SHMDT, (unsigned long)addr, 0, 0, 0, NULL));
}

int shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	struct pm_shmid_ds *d = mica_ipcbuf();
	if (!d)
		return errno = ENOMEM, -1;
	if (cmd == IPC_SET) {
		if (!buf)
			return errno = EFAULT, -1;
		memset(d, 0, sizeof(*d));
		d->uid = (int32_t)buf->shm_perm.uid, d->gid = (int32_t)buf->shm_perm.gid;
		d->mode = (int32_t)buf->shm_perm.mode;
	}
	struct ipc_msg m = {.tag = MAKE_TAG(PM_SHMCTL, cmd == IPC_SET ? sizeof(*d) : 0),
	                    .m = {(unsigned long)shmid, (unsigned long)cmd}};
	long r = mica_call(SLOT_PM, &m);
	r = r < 0 ? r : PROTO_RESULT(m.tag);
	if (r < 0)
		return (int)fail(r);
	if (cmd == IPC_STAT || cmd == SHM_STAT) {
		if (!buf)
			return errno = EFAULT, -1;
		memset(buf, 0, sizeof(*buf));
		buf->shm_perm.__key = d->key;
		buf->shm_perm.uid = (uid_t)d->uid, buf->shm_perm.gid = (gid_t)d->gid;
		buf->shm_perm.cuid = (uid_t)d->cuid, buf->shm_perm.cgid = (gid_t)d->cgid;
		buf->shm_perm.mode = (mode_t)d->mode;
		buf->shm_segsz = d->segsz, buf->shm_nattch = d->nattch;
		buf->shm_cpid = d->cpid, buf->shm_lpid = d->lpid;
		buf->shm_atime = (time_t)d->atime, buf->shm_dtime = (time_t)d->dtime;
		buf->shm_ctime = (time_t)d->ctime;
	}
	return (int)r;
}

/* POSIX shared memory objects are files in /dev/shm (a RAM file system). */
static int shm_path(const char *name, char *path, size_t cap)
{
	while (*name == '/')
		name++;
	size_t n = strlen(name);
	if (!n || strchr(name, '/'))
		return errno = EINVAL, -1;
	if (n + sizeof("/dev/shm/") > cap)
		return errno = ENAMETOOLONG, -1;
	memcpy(path, "/dev/shm/", 9);
	memcpy(path + 9, name, n + 1);
	return 0;
}

int shm_open(const char *name, int oflag, mode_t mode)
{
	char path[256];
	if (shm_path(name, path, sizeof(path)))
		return -1;
	return open(path, oflag | O_CLOEXEC, mode);
}

int shm_unlink(const char *name)
{
	char path[256];
	if (shm_path(name, path, sizeof(path)))
		return -1;
	return unlink(path);
}

/* System V's key from a file's identity and a project id. */
key_t ftok(const char *path, int id)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return (key_t)-1;
	return (key_t)(((unsigned)(id & 0xff) << 24) | ((unsigned)(st.st_dev & 0xff) << 16) |
	               ((unsigned)st.st_ino & 0xffff));
}
