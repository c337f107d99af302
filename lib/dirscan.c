/* Directory helpers over opendir/readdir: scandir with alphasort and
 * versionsort, and readdir_r (the entry copied to the caller's). */
#define _GNU_SOURCE /* strverscmp */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int readdir_r(DIR *restrict d, struct dirent *restrict entry, struct dirent **restrict result)
{
	int was = errno;
	errno = 0;
	struct dirent *e = readdir(d);
	int err = errno;
	errno = was;
	if (!e) {
		*result = NULL;
		return err;
	}
	*entry = *e;
	*result = entry;
	return 0;
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
	return strcoll((*a)->d_name, (*b)->d_name);
}

int versionsort(const struct dirent **a, const struct dirent **b)
{
	return strverscmp((*a)->d_name, (*b)->d_name);
}

static void free_list(struct dirent **list, size_t n)
{
	while (n)
		free(list[--n]);
	free(list);
}

int scandir(const char *path, struct dirent ***out, int (*keep)(const struct dirent *),
            int (*order)(const struct dirent **, const struct dirent **))
{
	DIR *d = opendir(path);
	if (!d)
		return -1;
	struct dirent **list = NULL, *e;
	size_t n = 0, cap = 0;
	int err = 0;
	errno = 0;
	while ((e = readdir(d))) {
		if (keep && !keep(e))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			struct dirent **grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				err = ENOMEM;
				break;
			}
			list = grown;
		}
		if (!(list[n] = malloc(sizeof(*e)))) {
			err = ENOMEM;
			break;
		}
		*list[n++] = *e;
	}
	err = err ? err : errno;
	closedir(d);
	if (err || n > 0x7fffffff) {
		free_list(list, n);
		errno = err ? err : EOVERFLOW;
		return -1;
	}
	if (order)
		qsort(list, n, sizeof(*list), (int (*)(const void *, const void *))order);
	*out = list;
	return (int)n;
}
