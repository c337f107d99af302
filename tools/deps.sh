#!/bin/sh
# Makes sure the Debian packages Mica builds, runs and tests with are
# installed. As root it installs what is missing with apt-get; otherwise
# it prints the one line to run and fails.
set -eu

PKGS="gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf qemu-system-misc opensbi
libcriterion-dev picolibc-riscv64-unknown-elf gdb-multiarch python3 cpio e2fsprogs
clang-format make gcc python3-matplotlib"

missing=""
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: missing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
	echo "deps: installed:$missing"
else
	echo "deps: run this, then try again:"
	echo "  sudo apt-get install -y$missing"
	exit 1
fi
