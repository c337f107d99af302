/* <sys/utsname.h> for Mica (picolibc has none): uname() in lib/uname.c. */
#ifndef MICA_SYS_UTSNAME_H
#define MICA_SYS_UTSNAME_H

#ifdef __cplusplus
extern "C" {
#endif

#define _UTSNAME_LENGTH 65
struct utsname {
	char sysname[_UTSNAME_LENGTH];
	char nodename[_UTSNAME_LENGTH];
	char release[_UTSNAME_LENGTH];
	char version[_UTSNAME_LENGTH];
	char machine[_UTSNAME_LENGTH];
	char domainname[_UTSNAME_LENGTH];
};

int uname(struct utsname *u);

#ifdef __cplusplus
}
#endif

#endif
