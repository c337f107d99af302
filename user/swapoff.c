/* swapoff DEVICE: swapon.c, which acts by the name it runs under. */
#include "swapon.c"
