/* <dirent.h> for Mica: picolibc leaves directories to the system.
 * opendir/readdir/closedir are in lib/posix.c over FS_GETDENTS, scandir
 * and the rest in lib/dirscan.c. */
#ifndef MICA_DIRENT_H
#define MICA_DIRENT_H

#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_REG     8
#define DT_LNK     10

struct dirent {
	ino_t d_ino;
	unsigned char d_type;
	char d_name[256];
};

typedef struct mica_dir DIR;

DIR *opendir(const char *path);
DIR *fdopendir(int fd);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
void rewinddir(DIR *d);
int dirfd(DIR *d);
long telldir(DIR *d);
void seekdir(DIR *d, long pos);
int readdir_r(DIR *__restrict d, struct dirent *__restrict entry,
              struct dirent **__restrict result);
int scandir(const char *path, struct dirent ***list, int (*keep)(const struct dirent *),
            int (*order)(const struct dirent **, const struct dirent **));
int alphasort(const struct dirent **a, const struct dirent **b);
int versionsort(const struct dirent **a, const struct dirent **b);

#endif
