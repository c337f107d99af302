#!/bin/sh
# Runs the host unit tests once, the QEMU system scenarios on both
# placements (micro: build/, mono: build/mono/), and the checks across
# them; then prints one line "N passed, N failed" summing all of it.
# Exits non-zero on any failure. Usage: tools/test.sh BUILD_DIR
set -u
B=${1:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
pass=0 fail=0

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
summary="unit: $u_pass passed, $u_fail failed"
pass=$((pass + u_pass)) fail=$((fail + u_fail))

# Adds the last "system: N passed, N failed" line of $log to the totals.
count() {
	line=$(grep '^system: ' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -n 's/system: \([0-9]*\) passed.*/\1/p')
		f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed/\1/p')
	else
		echo "$1 did not report a summary line"
		p=0 f=1
	fi
	summary="$summary; $1: $p passed, $f failed"
	pass=$((pass + p)) fail=$((fail + f))
}

echo "== system tests, micro placement (QEMU)"
python3 test/system/run.py --mode micro --kernel "$B/kernel.bin" --initrd "$B/initrd.cpio" | tee "$log"
count micro
echo "== system tests, mono placement (QEMU)"
python3 test/system/run.py --mode mono --kernel "$B/mono/kernel.bin" --initrd "$B/mono/initrd.cpio" |
	tee "$log"
count mono
echo "== both placements"
python3 test/system/placements.py "$B/initrd.cpio" "$B/mono/initrd.cpio" | tee "$log"
count placements

echo "$summary"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
