# Compound commands, functions and exit statuses.
if false; then echo no; elif true; then echo elif; else echo no; fi
if true; then echo then; fi
if ! false; then echo bang; fi
i=0
while [ $i -lt 3 ]; do i=$((i + 1)); echo "while $i"; done
until [ $i -eq 0 ]; do i=$((i - 1)); done; echo "until $i"
for w in a "b c" d; do echo "for $w"; done
set -- p1 p2
for w; do echo "params $w"; done
for w in; do echo never; done
for i in 1 2 3 4 5; do
	if [ $i = 2 ]; then continue; fi
	if [ $i = 4 ]; then break; fi
	echo "loop $i"
done
for i in 1 2 3; do
	for j in a b c; do
		[ $j = b ] && continue 2
		[ $i = 3 ] && break 2
		echo "nested $i$j"
	done
done
for f in x.c y.h z.txt "a b"; do
	case $f in
	*.c | *.h) echo "source $f" ;;
	"a b") echo "quoted pattern" ;;
	z.*) echo "z file $f" ;;
	*) echo "other $f" ;;
	esac
done
case abc in [a-b]*) echo range ;; esac
case '*' in \*) echo star ;; esac
case x in y) ;; esac
echo "case no match $?"
true && echo and1; false && echo and2; false || echo or1; true || echo or2
! true; echo "bang $?"
false | true; echo "pipe $?"
true | false; echo "pipe2 $?"
(x=inner; echo "subshell $x"); echo "outer ${x-unset}"
{ echo group1; echo group2; } | cat
fact() {
	if [ $1 -le 1 ]; then echo 1; return; fi
	echo $(($1 * $(fact $(($1 - 1)))))
}
echo "fact $(fact 6)"
st() { return $1; }
st 3; echo "return $?"
args() { echo "$# args: $*"; shift; echo "after shift: $*"; }
args one two three
echo "caller params: $*"
g() { local lv=inner; echo "in g $lv"; }
lv=outer; g; echo "after g $lv"
out=$(exit 7); echo "subst status $?"
sh -c 'exit 5'; echo "sh -c $?"
nosuchcommand 2>/dev/null; echo "not found $?"
echo 'echo sourced $1' > ./notexec.sh
./notexec.sh 2>/dev/null; echo "not executable $?"
rm -f ./notexec.sh
sh -c 'kill -9 $$'; echo "killed $?"
