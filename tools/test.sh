#!/bin/sh
# Runs the host unit tests and the QEMU system scenarios, then prints one
# line "N passed, N failed" summing both. Exits non-zero on any failure.
# Usage: tools/test.sh BUILD_DIR
set -u
B=${1:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== unit tests (Criterion, host)"
"$B/unit-tests" --jobs 1 >"$log" 2>&1
cat "$log"
synth=$(grep 'Synthesis:' "$log" | tail -n 1)
if [ -n "$synth" ]; then
	u_tested=$(echo "$synth" | sed -n 's/.*Tested: \([0-9]*\).*/\1/p')
	u_pass=$(echo "$synth" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	u_fail=$((u_tested - u_pass))
else
	echo "unit tests did not report a synthesis line"
	u_pass=0 u_fail=1
fi

echo "== system tests (QEMU)"
python3 test/system/run.py --kernel "$B/kernel.bin" --initrd "$B/initrd.cpio" | tee "$log"
sys_line=$(grep '^system: ' "$log" | tail -n 1)
if [ -n "$sys_line" ]; then
	s_pass=$(echo "$sys_line" | sed -n 's/system: \([0-9]*\) passed.*/\1/p')
	s_fail=$(echo "$sys_line" | sed -n 's/.* \([0-9]*\) failed/\1/p')
else
	echo "system tests did not report a summary line"
	s_pass=0 s_fail=1
fi

echo "unit: $u_pass passed, $u_fail failed; system: $s_pass passed, $s_fail failed"
echo "$((u_pass + s_pass)) passed, $((u_fail + s_fail)) failed"
[ $((u_fail + s_fail)) -eq 0 ]
