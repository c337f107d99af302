# getopts, alias, set -C, echo's escapes, type/command, kill -l, jobs and
# wait %n, scripts without #!, LINENO/PPID/PWD/IFS: compared with dash.

# --- getopts
parse() {
	OPTIND=1
	while getopts ab:c opt "$@"; do
		case $opt in
		b) echo "opt b arg $OPTARG" ;;
		\?) echo "bad option" ;;
		*) echo "opt $opt" ;;
		esac
	done
	shift $((OPTIND - 1))
	echo "OPTIND=$OPTIND rest: $*"
}
parse -a -b x -c file1 file2
parse -acb y -- -a
parse -ab 2>/dev/null
parse -bval -- x
parse nothing here
parse -a -x 2>/dev/null
silent() {
	OPTIND=1
	while getopts :ab: opt "$@"; do
		case $opt in
		:) echo "missing arg for $OPTARG" ;;
		\?) echo "unknown $OPTARG" ;;
		*) echo "opt $opt" ;;
		esac
	done
}
silent -z -a -b
set -- -a -b arg rest
OPTIND=1
getopts ab: o; echo "$o $OPTIND"
getopts ab: o; echo "$o $OPTARG $OPTIND"
getopts ab: o; echo "status $? $o $OPTIND"

# --- alias (a script's aliases apply to the commands after the definition)
alias say='echo said:' quiet='echo ' word=substituted
alias say
alias | while read -r l; do case $l in quiet=* | say=* | word=*) echo "$l" ;; esac; done | sort
say hello
quiet word
\say not an alias 2>/dev/null || echo "quoted: no alias"
unalias say
say gone 2>/dev/null || echo "unaliased: $?"
alias nosuch 2>/dev/null || echo "alias nosuch: $?"
unalias -a
alias | wc -l

# --- noclobber
cd "${TMPDIR:-.}"
echo one > clob
set -C
{ echo two > clob; } 2>/dev/null || echo "noclobber refused"
echo three >| clob
echo four >> clob
cat clob
echo null > /dev/null && echo "devices still open"
case $- in *C*) echo "C in \$-" ;; esac
set +C
echo five > clob; cat clob
rm -f clob

# --- echo: -n and the XSI escapes, as dash
echo 'tab\there' 'nl\nx' 'oct\0101' 'back\\slash'
echo 'stop\c' never
echo -n no-newline; echo

# --- type, command -v / -V
type cd | head -n 1
type if
command -v cd
f() { :; }
command -v f
command -V f | head -n 1
command -v nosuchcmd || echo "command -v: not found"

# --- jobs and wait %n, kill -l
sleep 0 &
wait %1; echo "wait %1: $?"
(exit 3) &
wait $!; echo "wait \$!: $?"
kill -l 130
kill -l 15

# --- a text file without #! runs as a script
printf 'echo "no shebang: $# $1"\nexit 5\n' > noshebang
chmod +x noshebang
./noshebang a b; echo "status $?"
rm -f noshebang

# --- a line ending in | && || goes on on the next
echo cont |
	tr a-z A-Z
true &&
	echo and-next
false ||

	echo or-after-a-blank-line

# --- the shell's variables
echo "IFS=[$IFS]" | od -c | head -n 1
test "$PPID" -gt 0 && echo "PPID is a number"
cd /; echo "PWD=$PWD"; cd "$OLDPWD" && test "$PWD" != / && echo "OLDPWD back"
