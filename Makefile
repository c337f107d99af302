# Mica: one non-recursive Makefile. Everything is built under build/.
#   make            kernel image (build/kernel.elf, build/kernel.bin)
#   make run        boot headless in QEMU (Ctrl-A x quits)
#   make debug      the same, halted for gdb-multiarch on :1234
#   make test       host unit tests, then scripted QEMU boots
#   make fuzz       a /bin/fuzz campaign in QEMU (CALLS=1000000 SEED=1)
#   make compare    micro against mono with /bin/cmpbench: build/compare/report.md
#   make format     clang-format every C file; make format-check verifies
# Every target takes MODE=micro (default: the servers are user-mode
# processes) or MODE=mono (the same servers linked into the kernel).

CROSS   ?= riscv64-unknown-elf-
CC      := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
SIZE    := $(CROSS)size
STRIP   := $(CROSS)strip
HOSTCC  ?= gcc
QEMU    ?= qemu-system-riscv64
PYTHON  ?= python3

HZ       ?= 100
MEM      ?= 128M
SMP      ?= 1
BOOTARGS ?=
EXTRA    ?=  # more programs for /bin, e.g. make run EXTRA=hello
CALLS    ?= 1000000 # make fuzz: system calls in the campaign
SEED     ?= 1       # make fuzz: the campaign's seed

B := build
MODE ?= micro
ifeq ($(MODE),micro)
KB        := $(B)
PLACEMENT := kern/micro.c
else ifeq ($(MODE),mono)
KB        := $(B)/mono
PLACEMENT := kern/mono.c
else
$(error MODE is micro or mono, not $(MODE))
endif
INITRD := $(KB)/initrd.cpio
V ?= 0
ifeq ($(V),0)
Q := @
endif

ARCH_FLAGS := -march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany
WARN       := -Wall -Wextra -Werror
KCFLAGS    := $(ARCH_FLAGS) $(WARN) -std=gnu11 -O2 -g -ffreestanding -nostdlib -fno-common \
              -fno-omit-frame-pointer -fno-stack-protector -fno-pie -MMD -MP -Ikern -Ilib -DHZ=$(HZ)
KASFLAGS   := $(ARCH_FLAGS) -ffreestanding -g -MMD -MP -Ikern -Ilib -D__ASSEMBLER__
KLDFLAGS   := $(ARCH_FLAGS) -nostdlib -static -no-pie -T kernel.ld -Wl,-z,max-page-size=4096

KERN_SRCS := boot/entry.S kern/trapvec.S \
	kern/kmain.c kern/console.c kern/kprintf.c kern/dtb.c kern/bootarg.c \
	kern/frame.c kern/vm.c kern/kvm.c kern/trap.c kern/timer.c kern/rtc.c kern/panic.c \
	kern/power.c kern/string.c kern/runq.c kern/handle.c kern/task.c kern/dzone.c kern/sched.c \
	kern/ipc.c kern/upcall.c kern/trace.c kern/futex.c kern/acct.c kern/serve.c kern/uaccess.c kern/syscall.c \
	kern/plic.c kern/loader.c $(PLACEMENT) lib/elf.c lib/cpio.c lib/srv_dispatch.c lib/memops.c
KERN_OBJS := $(patsubst %,$(KB)/%.o,$(basename $(KERN_SRCS)))

# MODE=mono: the servers' handlers (not their user-mode main.c) and the
# runtime they need, compiled against picolibc for the kernel and linked
# into it with picolibc's libc.a.
MONO_SRCS  := $(filter-out %/main.c,$(wildcard servers/pm/*.c servers/fs/*.c servers/console/*.c servers/blk/*.c)) \
              lib/execstack.c lib/execargs.c lib/loadimage.c lib/bootinfo.c lib/monort.c lib/heap.c \
              lib/malloc.c lib/mmregion.c
MONO_CFLAGS = $(ARCH_FLAGS) --specs=picolibc.specs $(WARN) -std=gnu11 -O2 -g -Ilib/include -Ilib \
              -DMICA_MONO -fno-omit-frame-pointer -fno-stack-protector -fno-pie -MMD -MP
MONO_OBJS  := $(if $(filter mono,$(MODE)),$(patsubst %,$(KB)/srv/%.o,$(basename $(MONO_SRCS))))
LIBC_A      = /usr/lib/picolibc/riscv64-unknown-elf/lib/$(shell $(CC) $(ARCH_FLAGS) -print-multi-directory)/libc.a
MONO_LIBS  := $(if $(filter mono,$(MODE)),$(LIBC_A))

# Logic of some text utilities, kept apart so the unit tests reach it: a
# program links the modules named for it below (user/lib/ is no program).
TEXT_SRCS := $(wildcard user/lib/*.c)
TEXT_OBJ   = $(patsubst %,$(B)/user/user/lib/%.o,$(1))

# Kernel sources whose logic the host unit tests exercise directly.
HOST_KERN_SRCS := kern/kprintf.c kern/dtb.c kern/bootarg.c kern/frame.c kern/vm.c kern/runq.c kern/handle.c kern/dzone.c \
	kern/acct.c kern/futex.c lib/elf.c lib/cpio.c
# The utilities' pure logic (mode parsing, sed, find's expressions, ed's
# addresses), built against the host's libc.
UTIL_HOST_SRCS := $(wildcard user/chmod/mode.c user/sed/parse.c user/sed/subst.c user/find/expr.c \
	user/ed/addr.c)
# User-space logic (servers, shell, runtime) the unit tests exercise;
# listed by wildcard so each module joins the tests as soon as it exists.
# Server handler files build here too (linked with test/unit/fake_sys.c,
# a fake kernel and transport); only the main.c of each stays out.
HOST_USER_SRCS := $(wildcard servers/console/ldisc.c servers/console/console.c user/sh/parse.c user/sh/lex.c user/sh/arena.c user/sh/getopts.c \
	user/sh/expand.c user/sh/xparam.c user/sh/match.c user/sh/arith.c servers/fs/vfs.c \
	servers/fs/ramfs.c servers/fs/blockmap.c servers/fs/pipebuf.c \
	servers/fs/pipe.c servers/fs/files.c servers/fs/fs.c servers/fs/rw.c servers/fs/names.c servers/fs/disk.c \
	servers/fs/blkdev.c servers/fs/mounts.c \
	servers/fs/pmops.c servers/fs/attrs.c servers/fs/ready.c servers/fs/procfs.c servers/fs/proclimits.c servers/fs/devfs.c servers/fs/swap.c servers/pm/proc.c \
	servers/fs/bcache.c servers/fs/blkmem.c servers/fs/dcache.c servers/fs/ext2super.c servers/fs/ext2inode.c servers/fs/ext2alloc.c servers/fs/ext2dir.c \
	servers/fs/ext2file.c servers/fs/ext2ops.c servers/fs/ext2names.c \
	servers/pm/pm.c servers/pm/fs.c servers/pm/diskwait.c servers/pm/vm.c servers/pm/swap.c servers/pm/swapmap.c servers/pm/clock.c servers/pm/signal.c servers/pm/sigstate.c servers/pm/trace.c servers/pm/nice.c servers/pm/rlimit.c servers/pm/ipcperm.c servers/pm/sysvipc.c lib/getline.c lib/inittab.c lib/execstack.c lib/execargs.c lib/srv_dispatch.c \
	lib/memops.c lib/fround.c lib/strtodhex.c lib/heap.c lib/errtext.c lib/sigset.c lib/pwparse.c lib/glob.c \
	lib/mmregion.c lib/sha2.c lib/crypt.c $(TEXT_SRCS) $(UTIL_HOST_SRCS))
UNIT_SRCS      := $(wildcard test/unit/*.c)
HOST_CFLAGS    := $(WARN) -std=gnu11 -O1 -g -DHOST_TEST -Ikern -Ilib -MMD -MP
UNIT_OBJS      := $(patsubst %,$(B)/host/%.o,$(basename $(HOST_KERN_SRCS) $(HOST_USER_SRCS) \
	$(UNIT_SRCS)))
# lib/getline.c and its test use errno: the host's <errno.h>, not kern/errno.h.
$(B)/host/lib/getline.o $(B)/host/test/unit/test_getline.o: HOST_CFLAGS := $(filter-out -Ikern,$(HOST_CFLAGS))
# So do the libc pieces tested against the host's glibc.
HOST_LIBC_OBJS := $(patsubst %,$(B)/host/%.o,lib/errtext lib/sigset lib/pwparse lib/sha2 lib/crypt \
	test/unit/test_strerror test/unit/test_crypt test/unit/test_sigset test/unit/test_pwparse test/unit/test_utils $(basename $(UTIL_HOST_SRCS)))
$(HOST_LIBC_OBJS): HOST_CFLAGS := $(filter-out -Ikern,$(HOST_CFLAGS))
# lib/glob.c is compared with the host's glob, so on the host it is mica_glob.
$(B)/host/lib/glob.o $(B)/host/test/unit/test_glob.o: HOST_CFLAGS := $(filter-out -Ikern,$(HOST_CFLAGS))
$(B)/host/lib/glob.o: HOST_CFLAGS += -Dglob=mica_glob -Dglobfree=mica_globfree
# lib/crypt.c is compared with the host's libcrypt: its crypt() is renamed.
$(B)/host/lib/crypt.o: HOST_CFLAGS += -Dcrypt=mica_crypt

# The text utilities' logic (user/lib/): host libc, not the kernel's headers.
HOST_TEXT_OBJS := $(patsubst %,$(B)/host/%.o,$(basename $(TEXT_SRCS) $(wildcard test/unit/test_text_*.c)))
$(HOST_TEXT_OBJS): HOST_CFLAGS := $(filter-out -Ikern,$(HOST_CFLAGS))

# User programs: picolibc for the C library, our crt0 and runtime.
USER_CFLAGS  := $(ARCH_FLAGS) --specs=picolibc.specs $(WARN) -std=gnu11 -O2 -g -Ilib/include -Ilib \
                -ffunction-sections -fdata-sections -MMD -MP
USER_LDFLAGS := $(ARCH_FLAGS) --specs=picolibc.specs -nostartfiles -static -T user/user.ld \
                -Wl,--gc-sections -Wl,-z,max-page-size=4096 -Wl,--wrap=fileno -Wl,--wrap=strtod
ULIB_SRCS := lib/crt0.S lib/memops.c lib/memlibc.c lib/fround.c lib/strtodhex.c lib/libcfix.c \
             lib/strtodlibc.c lib/fmemopen.c lib/runtime.c lib/elf.c lib/cpio.c lib/server.c \
             lib/srv_dispatch.c lib/loadimage.c lib/bootinfo.c lib/posix.c lib/exec.c lib/util.c \
             lib/getline.c lib/execstack.c lib/execargs.c lib/inittab.c lib/time.c lib/heap.c lib/malloc.c \
             lib/fsapi.c lib/poll.c lib/sigset.c lib/signal.c lib/errtext.c lib/strerror.c lib/termios.c \
             lib/uname.c lib/sysconf.c lib/pwparse.c lib/pwd.c lib/syslog.c lib/err.c lib/setjmp.S \
             lib/sigjmp.c lib/glob.c lib/mmregion.c lib/mman.c lib/ids.c lib/tty.c lib/fileio.c lib/prio.c \
             lib/search.c lib/dirscan.c lib/stdiox.c lib/memstream.c lib/utilopt.c lib/mount.c \
             lib/nice.c lib/rlimit.c lib/sysvipc.c lib/sched.c lib/statvfs.c lib/pthread.c lib/pthread_sync.c \
             lib/sha2.c lib/crypt.c lib/shadow.c lib/utmp.c lib/auth.c lib/grouplist.c
ULIB_OBJS := $(patsubst %,$(B)/user/%.o,$(basename $(ULIB_SRCS)))
# Every user/NAME.c is the program /bin/NAME; user/sh/ is the shell.
# Programs link into build/debug/ (for gdb); the boot archive gets them
# stripped.
PROGRAMS  := $(basename $(notdir $(wildcard user/*.c)))
PROG_BINS := $(patsubst %,$(B)/initrd/bin/%,$(PROGRAMS)) $(B)/initrd/bin/sh
SH_OBJS   := $(patsubst %.c,$(B)/user/%.o,$(wildcard user/sh/*.c)) $(B)/user/user/lib/pfmt.o
SERVERS   := pm console fs blk
SRV_BINS  := $(patsubst %,$(B)/initrd/sbin/%,$(SERVERS))
DEBUG_BINS := $(patsubst $(B)/initrd/%,$(B)/debug/%,$(PROG_BINS) $(SRV_BINS))
SRV_SRCS  := $(wildcard $(patsubst %,servers/%/*.c,$(SERVERS)))

comma := ,
# The root on a disk (ROOT=disk, the default for make run): the boot
# archive holds only the servers, the root file system is $(ROOT_IMG) on
# /dev/vda (rebuilt from the same tree whenever a program changes), and
# $(HOME_IMG) on /dev/vdb is mounted on /home by /etc/fstab: made once,
# never rebuilt, not removed by make clean, so a user's files survive both
# poweroff and rebuilds. ROOT=ram boots today's RAM root from the whole
# archive; there DISK=img attaches a raw image as /dev/vda.
ROOT     ?= disk
ROOT_IMG := $(B)/root.img
HOME_IMG ?= mica-home.img
ifeq ($(ROOT),disk)
RUN_INITRD := $(KB)/boot.cpio
RUN_ARGS   := root=/dev/vda $(BOOTARGS)
RUN_DISKS   = $(call drive,$(ROOT_IMG),0) $(call drive,$(HOME_IMG),1)
else
RUN_INITRD := $(INITRD)
RUN_ARGS   := $(BOOTARGS)
RUN_DISKS   = $(if $(DISK),$(call drive,$(DISK),0))
endif
drive = -drive file=$(1)$(comma)format=raw$(comma)if=none$(comma)id=d$(2) \
	-device virtio-blk-device$(comma)drive=d$(2)
QEMU_FLAGS = -machine virt -m $(MEM) -smp $(SMP) -bios default -nographic \
	-kernel $(KB)/kernel.bin -initrd $(RUN_INITRD) -append "$(RUN_ARGS)" $(RUN_DISKS)

.PHONY: all run debug test unit systest bench compare fuzz deps format format-check size clean
all: $(KB)/kernel.elf $(KB)/kernel.bin $(INITRD) $(B)/libmica.a $(B)/crt0.o $(DEBUG_BINS) \
	$(KB)/boot.cpio $(ROOT_IMG)

$(KB)/srv/%.o: %.c
	@mkdir -p $(@D)
	@echo "  MONOCC  $<"
	$(Q)$(CC) $(MONO_CFLAGS) -c $< -o $@

$(KB)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(KB)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

# Two link passes: the first gives the addresses for the symbol table that
# the second links in (rodata only, so text must come out identical).
$(KB)/ksyms0.c:
	@mkdir -p $(@D)
	$(Q)tools/ksyms.sh $(CROSS)nm > $@

$(KB)/kernel.pass1.elf: $(KERN_OBJS) $(MONO_OBJS) $(KB)/ksyms0.o kernel.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(KLDFLAGS) $(KERN_OBJS) $(MONO_OBJS) $(KB)/ksyms0.o $(MONO_LIBS) -lgcc -o $@

$(KB)/ksyms.c: $(KB)/kernel.pass1.elf tools/ksyms.sh
	@echo "  KSYMS   $@"
	$(Q)tools/ksyms.sh $(CROSS)nm $< > $@

$(KB)/kernel.elf: $(KERN_OBJS) $(MONO_OBJS) $(KB)/ksyms.o kernel.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(KLDFLAGS) $(KERN_OBJS) $(MONO_OBJS) $(KB)/ksyms.o $(MONO_LIBS) -lgcc -o $@
	@tools/ksyms.sh $(CROSS)nm $@ | cmp -s - $(KB)/ksyms.c || \
		{ echo "ksyms: text moved between link passes"; rm -f $@; exit 1; }

$(KB)/ksyms0.o $(KB)/ksyms.o: $(KB)/%.o: $(KB)/%.c
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(KB)/kernel.bin: $(KB)/kernel.elf
	$(Q)$(OBJCOPY) -O binary $< $@

$(B)/user/%.o: %.c
	@mkdir -p $(@D)
	@echo "  UCC     $<"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(B)/user/%.o: %.S
	@mkdir -p $(@D)
	@echo "  UAS     $<"
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

# The programs built from more than their own file (user/lib/).
$(B)/debug/bin/md5sum: $(call TEXT_OBJ,md5)
$(B)/debug/bin/cksum: $(call TEXT_OBJ,crc)
$(B)/debug/bin/diff: $(call TEXT_OBJ,lcs)
$(B)/debug/bin/printf: $(call TEXT_OBJ,pfmt)
$(B)/debug/bin/sort: $(call TEXT_OBJ,sortkey)
$(B)/debug/bin/tr: $(call TEXT_OBJ,trset)
$(B)/debug/bin/trace: $(call TEXT_OBJ,tracefmt tracefs tracepm)

$(B)/initrd/etc/%: user/etc/%
	@mkdir -p $(@D)
	$(Q)cp $< $@

# The shell's language tests (test/system/run.py runs them in the guest).
SH_TESTS := $(patsubst user/tests/sh/%,$(B)/initrd/etc/sh-tests/%,$(wildcard user/tests/sh/*.sh))
$(B)/initrd/etc/sh-tests/%: user/tests/sh/%
	@mkdir -p $(@D)
	$(Q)cp $< $@

# For programs built outside the tree (see README): the runtime and crt0.
$(B)/libmica.a: $(filter-out %/crt0.o,$(ULIB_OBJS))
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(CROSS)ar rcs $@ $^

$(B)/crt0.o: $(B)/user/lib/crt0.o
	$(Q)cp $< $@

$(B)/debug/bin/sh: $(SH_OBJS) $(ULIB_OBJS) user/user.ld
	@mkdir -p $(@D)
	@echo "  ULD     $@"
	$(Q)$(CC) $(USER_LDFLAGS) $(ULIB_OBJS) $(SH_OBJS) -o $@

# A program is user/NAME.c and the helpers in user/NAME/, if any (sed,
# ed, find, chmod); find also takes chmod's mode parser, ed sed's s///.
.SECONDEXPANSION:
$(B)/debug/bin/%: $(B)/user/user/%.o $$(addprefix $(B)/user/,$$(subst .c,.o,$$(wildcard user/$$*/*.c))) \
		$(ULIB_OBJS) user/user.ld
	@mkdir -p $(@D)
	@echo "  ULD     $@"
	$(Q)$(CC) $(USER_LDFLAGS) $(ULIB_OBJS) $(filter %.o,$(filter-out $(ULIB_OBJS),$^)) -o $@
$(B)/debug/bin/find: $(B)/user/user/chmod/mode.o
$(B)/debug/bin/ed: $(B)/user/user/sed/subst.o

# A server is every .c file in its folder.
$(B)/debug/sbin/%: $$(addprefix $(B)/user/,$$(subst .c,.o,$$(wildcard servers/$$*/*.c))) $(ULIB_OBJS) \
		user/user.ld
	@mkdir -p $(@D)
	@echo "  ULD     $@"
	$(Q)$(CC) $(USER_LDFLAGS) $(ULIB_OBJS) $(filter %.o,$(filter-out $(ULIB_OBJS),$^)) -o $@

$(B)/initrd/bin/%: $(B)/debug/bin/%
	@mkdir -p $(@D)
	$(Q)$(STRIP) -o $@ $<

$(B)/initrd/sbin/%: $(B)/debug/sbin/%
	@mkdir -p $(@D)
	$(Q)$(STRIP) -o $@ $<

# Accounts: /etc/shadow for root only, su and passwd set-user-ID root,
# and the (empty) utmp and wtmp that login fills in.
ACCOUNTS = chmod 600 $(B)/initrd/etc/shadow && chmod 4755 $(B)/initrd/bin/su $(B)/initrd/bin/passwd && \
	mkdir -p $(B)/initrd/var/run $(B)/initrd/var/log && \
	touch $(B)/initrd/var/run/utmp $(B)/initrd/var/log/wtmp

# The boot archive: sorted names, so the same inputs give the same bytes.
# MODE=mono's has no sbin/: its servers are in the kernel; /bin is the
# same files, byte for byte.
$(B)/initrd.cpio: $(PROG_BINS) $(SRV_BINS) $(EXTRA) $(patsubst user/%,$(B)/initrd/%,$(wildcard user/etc/*)) $(SH_TESTS)
	@echo "  CPIO    $@"
	$(Q)mkdir -p $(B)/initrd/tmp $(B)/initrd/home && chmod 1777 $(B)/initrd/tmp
	$(Q)$(ACCOUNTS)
	$(Q)$(if $(EXTRA),cp $(EXTRA) $(B)/initrd/bin/)
	$(Q)cp $(B)/initrd/bin/test '$(B)/initrd/bin/['
	$(Q)cd $(B)/initrd && find . -mindepth 1 | LC_ALL=C sort | \
		cpio --quiet -o -H newc --reproducible > ../initrd.cpio

$(B)/mono/initrd.cpio: $(PROG_BINS) $(EXTRA) $(patsubst user/%,$(B)/initrd/%,$(wildcard user/etc/*)) $(SH_TESTS)
	@echo "  CPIO    $@"
	$(Q)mkdir -p $(B)/initrd/tmp $(B)/initrd/home $(@D) && chmod 1777 $(B)/initrd/tmp
	$(Q)$(ACCOUNTS)
	$(Q)$(if $(EXTRA),cp $(EXTRA) $(B)/initrd/bin/)
	$(Q)cp $(B)/initrd/bin/test '$(B)/initrd/bin/['
	$(Q)cd $(B)/initrd && find . -mindepth 1 -not -path './sbin' -not -path './sbin/*' | \
		LC_ALL=C sort | cpio --quiet -o -H newc --reproducible > $(abspath $@)

# What reaches the root: the servers (mono: none, they are in the kernel).
$(B)/boot.cpio: $(SRV_BINS)
	@echo "  CPIO    $@"
	$(Q)cd $(B)/initrd && find sbin | LC_ALL=C sort | \
		cpio --quiet -o -H newc --reproducible > ../boot.cpio

$(B)/mono/boot.cpio:
	@echo "  CPIO    $@"
	$(Q)mkdir -p $(@D) && echo mica > $(@D)/boot.txt && cd $(@D) && \
		echo boot.txt | cpio --quiet -o -H newc --reproducible > boot.cpio

# The root file system: the boot archive's tree plus the mount points and
# /etc/fstab of a disk root, as ext2 made by mke2fs (e2fsprogs).
ROOT_SIZE ?= 64M
$(ROOT_IMG): $(B)/initrd.cpio user/fstab
	@echo "  MKE2FS  $@"
	$(Q)rm -rf $(B)/rootfs && cp -a $(B)/initrd $(B)/rootfs
	$(Q)mkdir -p $(B)/rootfs/dev $(B)/rootfs/proc $(B)/rootfs/mnt
	$(Q)cp user/fstab $(B)/rootfs/etc/fstab
	$(Q)rm -f $@ && mke2fs -q -F -t ext2 -b 4096 -L mica-root -d $(B)/rootfs $@ $(ROOT_SIZE) >/dev/null

$(HOME_IMG):
	@echo "  MKE2FS  $@ (once: a rebuild never touches it)"
	$(Q)mkdir -p $(B)/homefs && mke2fs -q -F -t ext2 -b 4096 -L mica-home -d $(B)/homefs $@ 32M >/dev/null

$(B)/host/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(B)/unit-tests: $(UNIT_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(UNIT_OBJS) -lcriterion -lcrypt -lm -o $@

deps:
	@tools/deps.sh

# At a terminal QEMU reads it directly; from a pipe, tools/piperun.py
# holds the input back until the console server is up.
run: deps all $(RUN_INITRD) $(if $(filter disk,$(ROOT)),$(ROOT_IMG) $(HOME_IMG))
	$(Q)if [ -t 0 ]; then $(QEMU) $(QEMU_FLAGS); \
	else $(PYTHON) tools/piperun.py $(QEMU) $(QEMU_FLAGS); fi

debug: deps all $(RUN_INITRD) $(if $(filter disk,$(ROOT)),$(HOME_IMG))
	@echo "QEMU halted; attach with:"
	@echo "  gdb-multiarch $(KB)/kernel.elf -ex 'target remote :1234' -ex 'break kmain' -ex continue"
	$(QEMU) $(QEMU_FLAGS) -s -S

unit: $(B)/unit-tests
	$(B)/unit-tests

systest: all
	$(PYTHON) test/system/run.py --kernel $(KB)/kernel.bin --initrd $(INITRD) --mode $(MODE)

test: deps
	@$(MAKE) --no-print-directory MODE=micro all $(B)/unit-tests format-check
	@$(MAKE) --no-print-directory MODE=mono all
	@tools/test.sh $(B)

bench: deps all
	@$(PYTHON) tools/bench.py --kernel $(KB)/kernel.bin --initrd $(INITRD)

# Both placements, measured: instructions under icount, wall time as the
# median of RUNS interleaved boots each (tools/compare.py).
# matplotlib comes from Debian (tools/deps.sh), so the Debian python runs it.
RUNS      ?= 5
DEBPYTHON ?= $(if $(wildcard /usr/bin/python3),/usr/bin/python3,$(PYTHON))
compare: deps
	@$(MAKE) --no-print-directory MODE=micro all
	@$(MAKE) --no-print-directory MODE=mono all
	@$(DEBPYTHON) tools/compare.py --build $(B) --runs $(RUNS)

fuzz: deps all
	@$(PYTHON) tools/fuzz.py --kernel $(KB)/kernel.bin --initrd $(INITRD) --mem $(MEM) \
		--seed $(SEED) --calls $(CALLS)

size: $(KB)/kernel.elf
	$(SIZE) $<

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h' 2>/dev/null || \
		find boot kern lib servers user test -name '*.[ch]') && echo "  FORMAT  ok"

clean:
	rm -rf $(B)

-include $(KERN_OBJS:.o=.d) $(MONO_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(ULIB_OBJS:.o=.d) \
	$(patsubst %.c,$(B)/user/%.d,$(SRV_SRCS)) $(SH_OBJS:.o=.d) \
	$(patsubst %,$(B)/user/user/%.d,$(PROGRAMS)) $(patsubst %.c,$(B)/user/%.d,$(wildcard user/*/*.c))
