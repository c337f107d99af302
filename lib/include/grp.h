/* <grp.h>: picolibc's, plus getgrouplist (lib/grouplist.c). */
#ifndef MICA_GRP_H
#define MICA_GRP_H

#include_next <grp.h>

int getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups);

#endif
