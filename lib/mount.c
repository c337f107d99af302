/* mount, umount, umount2 and sync: requests to fs (FS_MOUNT, FS_UMOUNT,
 * FS_SYNC). Only ext2 on a disk (/dev/vdX) can be mounted; sync returns
 * once every dirty block is on its disk. */
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "mica/errno.h"
#include "mica/posix.h"
#include "mica/proto/fs.h"
#include "mica/runtime.h"

/* Strings one after another into the payload: its length, or -errno. */
static long pack(const char *const *s, int n)
{
	char *buf = mica_ipcbuf();
	size_t len = 0;
	for (int i = 0; i < n; i++) {
		size_t k = strlen(s[i]) + 1;
		if (!buf || len + k > IPC_MAX)
			return buf ? -ENAMETOOLONG : -ENOMEM;
		memcpy(buf + len, s[i], k);
		len += k;
	}
	return (long)len;
}

int mount(const char *source, const char *target, const char *type, unsigned long flags,
          const void *data)
{
	(void)data;
	if (!source || !target || !type)
		return (int)mica_fail(-EFAULT);
	const char *s[] = {source, target, type};
	long len = pack(s, 3);
	unsigned long m[4] = {(flags & MS_RDONLY) ? FS_MNT_RDONLY : 0};
	return (int)mica_fail(len < 0 ? len : mica_fs_call(FS_MOUNT, m, (size_t)len, NULL));
}

int umount2(const char *target, int flags)
{
	(void)flags;
	const char *s[] = {target ? target : ""};
	long len = pack(s, 1);
	unsigned long m[4] = {0, 0, 0, 0};
	return (int)mica_fail(len < 0 ? len : mica_fs_call(FS_UMOUNT, m, (size_t)len, NULL));
}

int umount(const char *target)
{
	return umount2(target, 0);
}

void sync(void)
{
	unsigned long m[4] = {0};
	mica_fs_call(FS_SYNC, m, 0, NULL);
}
