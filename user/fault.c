/* fault: a test program that dereferences a null pointer, so the kernel
 * kills it and its parent sees SIGSEGV (the shell: "Segmentation fault"). */
#include <stdio.h>

int main(void)
{
	volatile int *p = (volatile int *)0;
	printf("fault: reading address 0\n");
	fflush(stdout);
	return *p;
}
