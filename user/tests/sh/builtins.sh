# Builtins: test, read, set, shift, ., eval, exec, trap, export, unset,
# readonly, command, cd, pwd, umask, wait, printf, true, false, :.
t() { if "$@"; then echo "yes: $*"; else echo "no($?): $*"; fi; }
echo data > ./f.txt
: > ./empty.txt
mkdir -p ./dir
t test -e ./f.txt
t test -f ./dir
t test -d ./dir
t [ -s ./f.txt ]
t [ -s ./empty.txt ]
t [ -r ./f.txt -a -w ./f.txt ]
t [ -x ./dir ]
t [ -z "" ]
t [ -n "" ]
t [ abc = abc ]
t [ abc != abc ]
t [ 3 -eq 3 ]
t [ 3 -ne 3 ]
t [ 2 -lt 10 ]
t [ 10 -le 2 ]
t [ 5 -gt 4 ]
t [ 4 -ge 5 ]
t [ ! -e ./nope ]
t [ -e ./nope -o -d ./dir ]
t [ \( 1 -eq 1 \) -a \( 2 -eq 3 \) ]
t [ "" ]
t [ x ]
t test
t [ -L ./f.txt ]
t [ -h ./f.txt ]
t [ 1 -eq x ] 2>/dev/null
printf 'a b c d\n  lead  trail  \nback\\slash\n' > ./in.txt
{ read one two rest; read -r line; read raw; read -r raw2; } < ./in.txt
echo "[$one][$two][$rest][$line][$raw]"
echo 'x:y:z' | { IFS=: read a b; echo "[$a][$b]"; }
read gone < /dev/null; echo "read at eof $?"
set -- a b c d e
shift; echo "$# $*"
shift 2; echo "$# $*"
(shift 5) 2>/dev/null; echo "shift too far $?"
set -- x y; echo "$1$2"
set -f; echo *.txt; set +f
set -e; set -u; case $- in *e*u* | *u*e*) echo "flags e and u" ;; esac; set +e +u; echo "flags [$-]"
echo 'sourced_var=from_dot; echo "in dot $1"' > ./dot.sh
. ./dot.sh; echo "$sourced_var"
cmd='echo evaluated; ev=1'; eval "$cmd"; echo "ev=$ev"
eval 'for i in 1 2; do echo "eval loop $i"; done'
export EXPORTED=yes
sh -c 'echo "child sees $EXPORTED"'
NOTEXP=no; sh -c 'echo "child sees [${NOTEXP-}]"'
PREFIX=tmp sh -c 'echo "prefix $PREFIX"'; echo "after prefix [${PREFIX-}]"
unset EXPORTED; echo "unset [${EXPORTED-gone}]"
readonly RO=fixed
(RO=changed) 2>/dev/null; echo "readonly status $?"
echo "$RO"
command -v cd; command -v true
command echo "via command"
exec 3>./fd3.txt; echo to-fd3 >&3; exec 3>&-; cat ./fd3.txt
exec 4<./f.txt; read from4 <&4; exec 4<&-; echo "fd4 $from4"
(exec echo "exec replaces"; echo never)
here=$(pwd); cd ./dir; p=$(pwd); echo "${p##*/}"; cd "$here"
cd ./dir; cd - > /dev/null; [ "$(pwd)" = "$here" ] && echo "cd - back"
umask 027; umask; umask 022
sleep 0 & wait $!; echo "wait status $?"
(exit 3) & wait $!; echo "wait bg status $?"
printf '%s-%d-%x-%o-%c|%5s|%-5s|%05d\n' str 42 255 8 char ab ab 42
printf '%s\n' one two three
printf 'no newline'; printf '\n'
printf '%b\n' 'esc\tb'
true; echo "true $?"; false; echo "false $?"; :; echo "colon $?"
trap 'echo exit trap ran' EXIT
trap
rm -rf ./f.txt ./empty.txt ./dir ./in.txt ./dot.sh ./fd3.txt
echo end
