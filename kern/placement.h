/* Where the servers run: one of kern/micro.c or kern/mono.c is linked
 * (make MODE=micro|mono); kmain calls it to bring the system up. */
#ifndef MICA_PLACEMENT_H
#define MICA_PLACEMENT_H

struct bootinfo;

extern const char placement_name[];
extern const int placement_mono; /* 1 in kern/mono.c: SYS_KINFO says so */
/* Starts pm, which starts the console, fs and init. 0 or -errno. */
int placement_start(const struct bootinfo *bi);

#endif
