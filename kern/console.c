/* The kernel's boot console: bytes go to the SBI legacy console, and
 * each line starts with a "[seconds.micros] " stamp read from the time
 * CSR. User-mode console servers take over the UART later; this stays
 * the kernel's own log and panic channel. */
#include "kprintf.h"
#include "riscv.h"
#include "sbi.h"
#include "spinlock.h"

static uint64_t timebase_hz;      /* set once from the device tree */
static bool at_line_start = true; /* guarded by console_lock */
static struct spinlock console_lock = SPINLOCK_INIT("console");

void console_set_timebase(uint64_t hz)
{
	timebase_hz = hz;
}

/* The log ring dmesg reads (SYS_KLOG): the last KLOG_SIZE bytes written;
 * klog_len counts every byte ever written. Guarded by console_lock. */
static char klog[KLOG_SIZE];
static uint64_t klog_len;

/* OpenSBI's console already turns "\n" into "\r\n". */
static void put_raw(char c)
{
	klog[klog_len++ % KLOG_SIZE] = c;
	sbi_console_putchar(c);
}

size_t console_log_read(char *dst, size_t len, size_t back)
{
	spin_lock_irqsave(&console_lock);
	size_t have = klog_len < KLOG_SIZE ? klog_len : KLOG_SIZE;
	size_t n = back > have ? 0 : MIN(len, back);
	if (!dst)
		n = have; /* only asking how much is kept */
	for (size_t i = 0; dst && i < n; i++)
		dst[i] = klog[(klog_len - back + i) % KLOG_SIZE];
	spin_unlock_irqrestore(&console_lock);
	return n;
}

static void put_stamp(void)
{
	char stamp[32];
	uint64_t t = r_time();
	uint64_t sec = timebase_hz ? t / timebase_hz : 0;
	uint64_t usec = timebase_hz ? (t % timebase_hz) * 1000000 / timebase_hz : 0;
	ksnprintf(stamp, sizeof(stamp), "[%5lu.%06lu] ", (unsigned long)sec, (unsigned long)usec);
	for (char *p = stamp; *p; p++)
		put_raw(*p);
}

static void console_putc(void *arg, char c)
{
	(void)arg;
	if (at_line_start)
		put_stamp();
	put_raw(c);
	at_line_start = (c == '\n');
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	spin_lock_irqsave(&console_lock);
	int n = kvformat(console_putc, NULL, fmt, ap);
	spin_unlock_irqrestore(&console_lock);
	va_end(ap);
	return n;
}

/* panic may interrupt a kprintf on this hart: take the console anyway. */
void console_break_lock(void)
{
	spin_force_release(&console_lock);
	at_line_start = true;
}

void console_write(const char *buf, size_t len)
{
	spin_lock_irqsave(&console_lock);
	for (size_t i = 0; i < len; i++)
		put_raw(buf[i]);
	if (len)
		at_line_start = buf[len - 1] == '\n';
	spin_unlock_irqrestore(&console_lock);
}
