/* Facts every protocol shares, kept once: how a result travels in a
 * reply label, the badges the servers give each other, the device
 * numbers fs and its clients agree on, and the signal numbers pm,
 * the console and the POSIX layer use (Linux's). */
#ifndef MICA_PROTO_COMMON_H
#define MICA_PROTO_COMMON_H

#include "mica/abi.h"

/* A reply label carries a result: a count, or -errno as 16 bits. */
#define PROTO_RESULT(tag)      ((long)(short)TAG_LABEL(tag))
#define PROTO_TAG(result, len) MAKE_TAG((unsigned long)(result)&0xFFFFu, (len))

/* Badges. A process's handles to pm, the console and fs carry its pid
 * (low 32 bits), pm's generation for it (bits 32..47) and its slot in
 * pm's table (48..55). The servers' own badges are below any pid's
 * generation-0 form or above 2^31. */
#define PM_BADGE_CONSOLE 0xC0ul       /* the console's handle to pm (^C) */
#define PM_BADGE_FS      0xC1ul       /* fs's exit and fault messages to pm */
#define PM_BADGE_BLK     0xC2ul       /* blk's exit and fault messages to pm */
#define FS_BADGE_PM      0xF5000000ul /* pm's handle to fs */

/* Device numbers (Linux's major:minor as major << 8 | minor). */
#define DEV_CONSOLE 0x0501 /* 5:1 */
#define DEV_NULL    0x0103 /* 1:3 */
#define DEV_ZERO    0x0105 /* 1:5 */

/* Signal numbers: Linux's, everywhere Mica passes one. */
#define MSIG_HUP   1
#define MSIG_INT   2
#define MSIG_QUIT  3
#define MSIG_ILL   4
#define MSIG_TRAP  5
#define MSIG_ABRT  6
#define MSIG_BUS   7
#define MSIG_FPE   8
#define MSIG_KILL  9
#define MSIG_USR1  10
#define MSIG_SEGV  11
#define MSIG_USR2  12
#define MSIG_PIPE  13
#define MSIG_ALRM  14
#define MSIG_TERM  15
#define MSIG_CHLD  17
#define MSIG_CONT  18
#define MSIG_STOP  19
#define MSIG_TSTP  20
#define MSIG_TTIN  21
#define MSIG_TTOU  22
#define MSIG_URG   23
#define MSIG_XCPU  24
#define MSIG_XFSZ  25
#define MSIG_WINCH 28
#define MSIG_MAX   64

#endif
