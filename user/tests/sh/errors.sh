# Error statuses: syntax errors (2), not found (127), set -e, set -u,
# set -x, set -n, expansion errors and exit codes.
sh -c 'if true; then' 2>/dev/null; echo "unterminated if $?"
sh -c 'echo (' 2>/dev/null; echo "bad paren $?"
sh -c 'fi' 2>/dev/null; echo "stray fi $?"
sh -c 'echo ok; done; echo never' 2>/dev/null; echo "stray done $?"
echo 'echo before; if; echo after' > ./syn.sh
sh ./syn.sh 2>/dev/null; echo "script syntax error $?"
rm -f ./syn.sh
eval 'echo "unclosed' 2>/dev/null; echo "eval error $?"
sh -c 'set -e; echo one; false; echo never'; echo "set -e $?"
sh -c 'set -e; false || echo handled; if false; then :; fi; ! true; echo survived'
sh -c 'set -e; f() { false; echo no; }; f; echo never'; echo "set -e in function $?"
sh -c 'set -u; echo "$undefined"; echo never' 2>/dev/null; echo "set -u $?"
sh -c 'set -u; echo "${undefined-default}"'
sh -c 'set -x; echo traced' 2>&1
sh -c 'set -n; echo not-run'; echo "set -n $?"
sh -c 'echo ${x:?custom message}' 2>/dev/null; echo "x:? $?"
sh -c 'exit 300'; echo "exit 300 -> $?"
sh -c 'exit'; echo "exit no arg $?"
sh -c 'false; exit'; echo "exit after false $?"
sh -c 'trap "echo trap on exit" EXIT; exit 4'; echo "trap exit $?"
sh -c 'trap "" INT; trap' 
sh -c 'cd /nonexistent' 2>/dev/null; echo "cd fails $?"
sh -c 'nosuch_cmd' 2>/dev/null; echo "nosuch $?"
sh -c 'break; echo after-break'
sh -c 'return 3' 2>/dev/null; echo "return outside $?"
