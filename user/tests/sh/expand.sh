# Parameter expansion, command substitution and arithmetic.
unset u
e=
v=value
echo ${u:-def} ${e:-edef} ${e-set} ${v:-no} ${u-unset}
echo ${u:+alt}/${e:+alt}/${e+alt}/${v:+alt}
echo ${n:=assigned} $n
echo ${#v} ${#u} ${#e}
p=/usr/lib/libc.so.6
echo ${p%.*} ${p%%.*} ${p#*/} ${p##*/} ${p%/*}
echo "${p##*/}" "${p%"${p##*/}"}"
s='a*b*c'
echo "${s#*\*}" "${s%'*'*}"
echo $(echo one $(echo two $(echo three)))
echo "$(echo "inner quotes")" `echo back` "`echo bq in dq`"
echo $(case x in x) echo case-in-subst;; esac)
out=$(printf 'trail\n\n\n')
echo "[$out]"
echo $((1 + 2 * 3)) $(((1 + 2) * 3)) $((7 / 2)) $((7 % 3)) $((-7 / 2))
echo $((1 << 4)) $((256 >> 2)) $((5 & 3)) $((5 | 3)) $((5 ^ 3)) $((~5)) $((!5)) $((!0))
echo $((3 < 4)) $((3 <= 2)) $((3 > 4)) $((4 >= 4)) $((3 == 3)) $((3 != 3))
echo $((1 && 0)) $((1 || 0)) $((0 ? 10 : 20)) $((1 ? 10 : 20))
i=5
echo $((i + 1)) $(($i * 2)) $((i += 3)) $i $((i -= 1)) $((i *= 2)) $((i /= 3)) $((i %= 3)) $i
echo $((j = 4)) $j $((0x1f)) $((010)) $(( (i + j) * 2 ))
echo $((1 || (k = 5))) "k=${k-unset}"
(echo $((1 / 0))) 2>/dev/null
echo "division status $?"
(echo $((1 +))) 2>/dev/null
echo "syntax status $?"
(echo ${u:?}) 2>/dev/null
echo "unset status $?"
h=$HOME
HOME=/home/test
echo ~ ~/x "~" a~
HOME=$h
