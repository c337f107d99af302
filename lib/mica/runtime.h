/* The user runtime: what crt0 learned at start-up, the thread's IPC
 * buffer, and spawning a task from an ELF image. */
#ifndef MICA_RUNTIME_H
#define MICA_RUNTIME_H

#include <stddef.h>

/* a0..a2 at start. Root task: archive address, archive size, boot
 * arguments. Spawned tasks: the spawner's arg, 0, 0. */
extern unsigned long mica_start_arg[3];

/* This thread's IPC buffer (IPC_MAX bytes), mapped and registered on
 * first use; NULL if that failed. */
void *mica_ipcbuf(void);
/* Registers the page at va (mapped) as this thread's IPC buffer: a new
 * thread's first act (lib/pthread.c). 0 or -errno. */
long mica_ipcbuf_set(void *va);
/* The first thread's thread-local block (picolibc's TLS); every other
 * thread's is a fresh copy of the template, made by _init_tls. */
extern char __tls_main[];
/* fork() around PM_FORK: phase 0 before (takes the runtime's locks and
 * runs pthread_atfork's prepare handlers), 1 after in the parent, 2 in
 * the child, where the caller is the only thread (lib/pthread.c). */
void mica_fork_phase(int phase);
/* The standard streams' lock (lib/runtime.c; flockfile takes it), held
 * across fork with stdout flushed, and the heap's (lib/malloc.c). */
struct mica_rlock;
extern struct mica_rlock mica_stdio;
void mica_stdio_fork(int take);
extern int mica_heap_lock;

struct spawn_opts {
	const char *name;
	long super_ep;       /* endpoint for exit/fault messages, or -1 */
	unsigned long badge; /* badge on those messages */
	unsigned flags;      /* TASK_PRIV */
	int prio;
	unsigned long arg; /* the child's a0 */
	const long *grant; /* handles given to the child: slots 0, 1, ... */
	int ngrant;
};

struct elf_image;
/* Maps a checked ELF image's segments into task (with the file's bytes)
 * and a USER_STACK_SIZE stack below USER_STACK_TOP. 0 or -errno. */
long mica_load_image(long task, const void *file, const struct elf_image *img);

/* Builds a task from an ELF image in memory and starts its first thread.
 * Returns the task handle, or a negative error; *why explains refusals. */
long mica_spawn(const void *elf, size_t size, const struct spawn_opts *o, const char **why);

/* Finds a file in the boot archive (root task only). 0 or -ENOENT. */
int mica_archive_find(const char *path, const void **data, size_t *size);

/* The value of key in the boot arguments, copied to out; 0 or -ENOENT. */
int mica_bootarg(const char *key, char *out, size_t outsz);

#endif
