# Pathname expansion: * ? [...] [!...], hidden files, no match, quoting.
mkdir -p ./g/sub && cd ./g
: > a.c; : > b.c; : > c.h; : > .hidden.c; : > 'sp ace.c'; : > sub/x.c; : > sub/y.h
echo *.c
echo ?.[ch]
echo [!a].*
echo [a-b]*
echo */*.c
echo .*.c
echo *.none
echo "*.c" '*'.c \*.c
for f in *.c; do echo "file: $f"; done
p='*.h'; echo $p "$p"
echo s*/[xy].?
set -f; echo *.c; set +f
case "sp ace.c" in *' '*) echo "space matched" ;; esac
cd .. && rm -r ./g
