"""The README's compiler line for programs built outside the tree, read
out of README.md so that tools/linkcheck and tools/compat.py build with
exactly what the README promises (the two cannot drift)."""
import os
import re
import shlex

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme_argv():
    """The line as an argument list, with its `-o hello hello.c` kept."""
    text = open(os.path.join(ROOT, "README.md")).read()
    sec = text.split("### Writing a program for Mica", 1)[1]
    block = re.search(r"```sh\n(.*?)```", sec, re.S).group(1)
    line = re.search(r"^riscv64-unknown-elf-gcc.*?(?<!\\)$", block, re.S | re.M).group(0)
    return shlex.split(line.replace("\\\n", " "))


def compile_argv(out, sources, extra=()):
    """The README line building `out` from `sources`, with `extra` flags
    (feature macros, -std) put just after the compiler's name; run it
    from the top of the tree."""
    argv = readme_argv()
    i = argv.index("-o")
    assert argv[i + 1] == "hello" and argv[i + 2] == "hello.c", argv
    return [argv[0], *extra, *argv[1:i], "-o", out, *sources, *argv[i + 3:]]


if __name__ == "__main__":
    print(shlex.join(readme_argv()))
