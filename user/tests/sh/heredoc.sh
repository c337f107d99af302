# Here-documents: expansion, quoted delimiters, <<- and several at once.
v=world
cat <<EOF
hello $v $(echo subst) $((1 + 1))
  indented "quotes" 'single' \$escaped
EOF
cat <<'EOF'
no $v expansion $(here)
EOF
cat <<"E O F"
also quoted $v
E O F
	cat <<-EOF
	tabs stripped $v
		twice
	EOF
cat <<A; cat <<B
first A $v
A
second B
B
while read line; do echo "read: $line"; done <<EOF
l1
l2 two
EOF
f() {
	cat <<END
in function $1
END
}
f arg
cat <<EOF | { n=0; while read l; do n=$((n + 1)); done; echo "lines $n"; }
1
2
3
EOF
cat <<EOF >./hd.out
to a file
EOF
cat ./hd.out
rm -f ./hd.out
