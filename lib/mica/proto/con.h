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
	CON_NOPS
};

#define CON_MODE_COOKED 0
#define CON_MODE_RAW    1

#endif
