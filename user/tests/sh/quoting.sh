# Quoting, field splitting on IFS and the special parameters.
x='a  b'
echo $x "$x" '$x' \$x "\$x \"q\" \\"
printf '[%s]\n' $x "$x" ''"" "" a""b
e=
printf '[%s]\n' $e "$e" x$e
IFS=:
v='one::two:'
printf '<%s>\n' $v
IFS=' :'
v=' a : b  c '
printf '<%s>\n' $v
unset IFS
set -- "first arg" second "" last
echo $#
printf '(%s)\n' "$@"
printf '(%s)\n' $@
printf '(%s)\n' "$*"
IFS=-
printf '(%s)\n' "$*"
unset IFS
printf '(%s)\n' "x$@y"
set --
printf '(%s)\n' "$@" end
echo "$# [$*]"
f() { echo "${0##*/}-like $# $1 ${2}"; }
f p q
set -- 1 2 3 4 5 6 7 8 9 10 11
echo ${10} ${11} $10
echo "a
b"
echo 'it''s' "tab	here"
echo a\
b
