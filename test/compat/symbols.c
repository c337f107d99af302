/* Link coverage: every function and variable a portable C program
 * commonly takes from ISO C and POSIX, referenced by address so that
 * tools/linkcheck can build it with the README's compiler line and name
 * what fails to compile (undeclared) or to link (undefined). */
#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <glob.h>
#include <grp.h>
#include <inttypes.h>
#include <langinfo.h>
#include <libgen.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <regex.h>
#include <search.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <syslog.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include <wchar.h>
#include <wctype.h>

/* One entry per name; the list is what tools/linkcheck reads. */
#define S(name) (const void *)&name,

const void *const mica_symbols[] = {
    /* <stdio.h> */
    S(fopen) S(freopen) S(fdopen) S(fclose) S(fflush) S(setvbuf) S(setbuf) S(fread) S(fwrite)
        S(fgetc) S(getc) S(getchar) S(fgets) S(fputc) S(putc) S(putchar) S(fputs) S(puts) S(ungetc)
            S(printf) S(fprintf) S(sprintf) S(snprintf) S(vprintf) S(vfprintf) S(vsprintf)
                S(vsnprintf) S(dprintf) S(vdprintf) S(asprintf) S(vasprintf) S(scanf) S(fscanf)
                    S(sscanf) S(vscanf) S(vfscanf) S(vsscanf) S(fseek) S(ftell) S(fseeko) S(ftello)
                        S(rewind) S(fgetpos) S(fsetpos) S(feof) S(ferror) S(clearerr) S(fileno)
                            S(perror) S(remove) S(rename) S(tmpfile) S(tmpnam) S(getline)
                                S(getdelim) S(popen) S(pclose) S(fmemopen) S(open_memstream)
                                    S(ctermid) S(flockfile) S(funlockfile) S(getc_unlocked)
                                        S(putc_unlocked) S(stdin) S(stdout) S(stderr)
    /* <stdlib.h> */
    S(malloc) S(calloc) S(realloc) S(free) S(reallocarray) S(posix_memalign) S(aligned_alloc)
        S(atoi) S(atol) S(atoll) S(atof) S(strtol) S(strtoll) S(strtoul) S(strtoull) S(strtod)
            S(strtof) S(strtold) S(qsort) S(bsearch) S(abs) S(labs) S(llabs) S(div) S(ldiv) S(rand)
                S(srand) S(random) S(srandom) S(drand48) S(srand48) S(lrand48) S(rand_r) S(atexit)
                    S(exit) S(_Exit) S(abort) S(getenv) S(setenv) S(unsetenv) S(putenv) S(system)
                        S(mkstemp) S(mkdtemp) S(mktemp) S(realpath) S(mblen) S(mbtowc) S(wctomb)
                            S(mbstowcs) S(wcstombs) S(strtoimax) S(strtoumax) S(imaxabs)
    /* <string.h>, <strings.h> */
    S(memcpy) S(memmove) S(memset) S(memcmp) S(memchr) S(memrchr) S(memmem) S(strlen) S(strnlen)
        S(strcpy) S(strncpy) S(stpcpy) S(stpncpy) S(strcat) S(strncat) S(strcmp) S(strncmp)
            S(strcoll) S(strxfrm) S(strchr) S(strrchr) S(strstr) S(strcasestr) S(strspn) S(strcspn)
                S(strpbrk) S(strtok) S(strtok_r) S(strsep) S(strdup) S(strndup) S(strerror)
                    S(strerror_r) S(strsignal) S(strcasecmp) S(strncasecmp) S(bzero) S(bcopy)
                        S(bcmp) S(index) S(rindex) S(ffs) S(strlcpy) S(strlcat) S(memccpy)
    /* <ctype.h>, <wctype.h>, <wchar.h> */
    S(isalnum) S(isalpha) S(isblank) S(iscntrl) S(isdigit) S(isgraph) S(islower) S(isprint)
        S(ispunct) S(isspace) S(isupper) S(isxdigit) S(isascii) S(tolower) S(toupper) S(iswalpha)
            S(iswspace) S(towlower) S(towupper) S(wcslen) S(wcscmp) S(wcscpy) S(wcsncpy) S(wcschr)
                S(wcrtomb) S(mbrtowc) S(mbrlen) S(mbsrtowcs) S(wcsrtombs) S(mbsinit) S(btowc)
                    S(wctob) S(wcwidth) S(wcswidth) S(swprintf) S(fputwc) S(fgetwc)
    /* <locale.h>, <langinfo.h> */
    S(setlocale) S(localeconv) S(nl_langinfo)
    /* <math.h> */
    S(sin) S(cos) S(tan) S(asin) S(acos) S(atan) S(atan2) S(sinh) S(cosh) S(tanh) S(exp) S(exp2)
        S(log) S(log10) S(log2) S(log1p) S(expm1) S(pow) S(sqrt) S(cbrt) S(hypot) S(ceil) S(floor)
            S(trunc) S(round) S(lround) S(llround) S(rint) S(lrint) S(nearbyint) S(fabs) S(fmod)
                S(remainder) S(modf) S(frexp) S(ldexp) S(scalbn) S(fmin) S(fmax) S(copysign) S(nan)
                    S(sqrtf) S(powf) S(floorf) S(ceilf) S(fabsf) S(sinf) S(cosf) S(expf) S(logf)
                        S(fmodf) S(sqrtl) S(fabsl) S(erf) S(tgamma) S(lgamma)
    /* <time.h>, <sys/time.h>, <sys/times.h> */
    S(time) S(clock) S(difftime) S(mktime) S(timegm) S(gmtime) S(gmtime_r) S(localtime)
        S(localtime_r) S(asctime) S(asctime_r) S(ctime) S(ctime_r) S(strftime) S(strptime) S(tzset)
            S(nanosleep) S(clock_gettime) S(clock_getres) S(gettimeofday) S(times) S(utimes)
                S(utime) S(timezone) S(tzname)
    /* <setjmp.h>, <signal.h> */
    S(setjmp) S(longjmp) S(_setjmp) S(_longjmp) S(sigsetjmp) S(siglongjmp) S(signal) S(raise)
        S(kill) S(killpg) S(sigaction) S(sigemptyset) S(sigfillset) S(sigaddset) S(sigdelset)
            S(sigismember) S(sigprocmask) S(sigpending) S(sigsuspend) S(psignal) S(pause) S(alarm)
    /* <unistd.h> */
    S(access) S(faccessat) S(alarm) S(chdir) S(fchdir) S(chown) S(fchown) S(lchown) S(close) S(dup)
        S(dup2) S(execl) S(execle) S(execlp) S(execv) S(execve) S(execvp) S(_exit) S(fork)
            S(fpathconf) S(pathconf) S(sysconf) S(fsync) S(ftruncate) S(truncate) S(getcwd)
                S(getegid) S(geteuid) S(getgid) S(getuid) S(getgroups) S(gethostname) S(getlogin)
                    S(getpgrp) S(getpgid) S(setpgid) S(setpgrp) S(getpid) S(getppid) S(getsid)
                        S(setsid) S(setuid) S(setgid) S(seteuid) S(setegid) S(isatty) S(link)
                            S(linkat) S(lseek) S(pipe) S(read) S(write) S(pread) S(pwrite)
                                S(readlink) S(readlinkat) S(rmdir) S(sleep) S(usleep) S(symlink)
                                    S(symlinkat) S(tcgetpgrp) S(tcsetpgrp) S(ttyname) S(ttyname_r)
                                        S(unlink) S(unlinkat) S(getopt) S(optarg) S(optind)
                                            S(opterr) S(optopt) S(getpagesize) S(nice) S(getpass)
                                                S(environ) S(sync) S(vfork) S(getdtablesize)
                                                    S(lockf)
    /* <fcntl.h>, <sys/stat.h>, <sys/wait.h> */
    S(open) S(openat) S(creat) S(fcntl) S(stat) S(fstat) S(lstat) S(fstatat) S(chmod) S(fchmod)
        S(fchmodat) S(mkdir) S(mkdirat) S(mkfifo) S(mknod) S(umask) S(utimensat) S(futimens) S(wait)
            S(waitpid)
    /* <dirent.h>, <fnmatch.h>, <glob.h>, <regex.h>, <libgen.h> */
    S(opendir) S(fdopendir) S(readdir) S(readdir_r) S(closedir) S(rewinddir) S(dirfd) S(scandir)
        S(alphasort) S(telldir) S(seekdir) S(fnmatch) S(glob) S(globfree) S(regcomp) S(regexec)
            S(regerror) S(regfree) S(basename) S(dirname)
    /* <pwd.h>, <grp.h> */
    S(getpwnam) S(getpwuid) S(getpwnam_r) S(getpwuid_r) S(getpwent) S(setpwent) S(endpwent)
        S(getgrnam) S(getgrgid) S(getgrent) S(setgrent) S(endgrent)
    /* <termios.h>, <sys/ioctl.h> */
    S(tcgetattr) S(tcsetattr) S(tcdrain) S(tcflush) S(tcflow) S(tcsendbreak) S(cfgetispeed)
        S(cfgetospeed) S(cfsetispeed) S(cfsetospeed) S(cfmakeraw) S(tcgetsid) S(ioctl)
    /* <sys/resource.h>, <sys/utsname.h>, <poll.h>, <sys/select.h> */
    S(getrlimit) S(setrlimit) S(getrusage) S(getpriority) S(setpriority) S(uname) S(poll) S(select)
    /* <sys/mman.h> */
    S(mmap) S(munmap) S(mprotect) S(msync) S(madvise)
    /* <pthread.h> */
    S(pthread_create) S(pthread_join) S(pthread_detach) S(pthread_exit) S(pthread_self)
        S(pthread_equal) S(pthread_once) S(pthread_atfork) S(pthread_attr_init)
            S(pthread_attr_destroy) S(pthread_attr_setdetachstate) S(pthread_attr_setstacksize)
                S(pthread_mutex_init) S(pthread_mutex_destroy) S(pthread_mutex_lock)
                    S(pthread_mutex_trylock) S(pthread_mutex_unlock) S(pthread_mutexattr_init)
                        S(pthread_mutexattr_settype) S(pthread_cond_init) S(pthread_cond_destroy)
                            S(pthread_cond_wait) S(pthread_cond_timedwait) S(pthread_cond_signal)
                                S(pthread_cond_broadcast) S(pthread_rwlock_init)
                                    S(pthread_rwlock_rdlock) S(pthread_rwlock_wrlock)
                                        S(pthread_rwlock_unlock) S(pthread_key_create)
                                            S(pthread_key_delete) S(pthread_getspecific)
                                                S(pthread_setspecific)
    /* <syslog.h>, <err.h>, <getopt.h>, <search.h> */
    S(openlog) S(syslog) S(vsyslog) S(closelog) S(setlogmask) S(err) S(errx) S(warn) S(warnx)
        S(verr) S(verrx) S(vwarn) S(vwarnx) S(getopt_long) S(getopt_long_only) S(hcreate) S(hsearch)
            S(hdestroy) S(tsearch) S(tfind) S(tdelete) S(twalk) S(lsearch) S(lfind) S(insque)
                S(remque)};

/* The setjmp family may be macros (glibc's sigsetjmp is one): called too. */
int mica_symbols_jumps(void)
{
	static jmp_buf jb;
	static sigjmp_buf sjb;
	if (setjmp(jb) == 0)
		longjmp(jb, 1);
	if (sigsetjmp(sjb, 1) == 0)
		siglongjmp(sjb, 1);
	if (_setjmp(jb) == 0)
		_longjmp(jb, 1);
	return errno;
}

/* Read through a volatile pointer: the link (with picolibc.specs'
 * --gc-sections) must keep the whole table. */
int main(void)
{
	const void *const *volatile table = mica_symbols;
	return table[0] != 0 && mica_symbols_jumps() == 0 ? 0 : 1;
}
