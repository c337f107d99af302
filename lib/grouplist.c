/* A user's groups from /etc/group: getgrouplist and initgroups (the
 * list su and login give the new shell, so root's groups do not leak
 * into a user's session). */
#include <grp.h>
#include <string.h>
#include <unistd.h>

#include "mica/proto/pm.h"

static int is_member(const struct group *gr, const char *user)
{
	for (char **m = gr->gr_mem; m && *m; m++)
		if (!strcmp(*m, user))
			return 1;
	return 0;
}

/* The primary group first, then every group naming user; *n in: room,
 * out: the count. -1 if there was not room for them all. */
int getgrouplist(const char *user, gid_t group, gid_t *groups, int *n)
{
	int k = 0, room = *n;
	if (k < room)
		groups[k] = group;
	k++;
	struct group *gr;
	setgrent();
	while ((gr = getgrent()))
		if (gr->gr_gid != group && is_member(gr, user)) {
			if (k < room)
				groups[k] = gr->gr_gid;
			k++;
		}
	endgrent();
	*n = k;
	return k > room ? -1 : k;
}

int initgroups(const char *user, gid_t group)
{
	gid_t list[PM_NGROUPS];
	int n = PM_NGROUPS;
	getgrouplist(user, group, list, &n); /* the first PM_NGROUPS: as Linux */
	return setgroups(n < PM_NGROUPS ? n : PM_NGROUPS, list);
}
