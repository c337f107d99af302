/* Console server protocol (servers/console). Shared by the server and
 * its clients. Results are in the reply label: >= 0, or a negated errno
 * in 16 bits (see PROTO_RESULT). */
#ifndef MICA_PROTO_CON_H
#define MICA_PROTO_CON_H

#include "mica/proto/common.h"

enum con_op {
	CON_WRITE = 1, /* payload: bytes -> label: count written */
	CON_READ,      /* m0: max bytes -> payload: the bytes; label: count, 0 = EOF */
	CON_SETMODE,   /* m0: CON_MODE_* -> 0 */
	CON_SETFG,     /* m0: foreground process group -> 0 */
	CON_POLL,      /* -> 1: a CON_READ would be answered now, 0: it would wait */
	CON_GETATTR,   /* -> 0; m0 CON_F_*, m1 rows << 16 | columns, m2 input queued, m3 fg group */
	CON_SETATTR,   /* m0: CON_F_* -> 0 (termios ICANON, ECHO, ISIG) */
	CON_SETWINSZ,  /* m0 rows, m1 columns (1..9999 each) -> 0 */
	CON_NOPS
};

#define CON_MODE_COOKED 0
#define CON_MODE_RAW    1

/* The line discipline's switches, as CON_GETATTR and CON_SETATTR carry
 * them; CON_MODE_COOKED is all three, CON_MODE_RAW none. */
#define CON_F_CANON 1u
#define CON_F_ECHO  2u
#define CON_F_ISIG  4u
#define CON_F_ALL   (CON_F_CANON | CON_F_ECHO | CON_F_ISIG)

#define CON_ROWS     24 /* the window size until someone sets it */
#define CON_COLS     80
#define CON_WINSZMAX 9999

#endif
