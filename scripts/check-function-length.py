#!/usr/bin/env python3
"""Lists C++ functions longer than a limit (default 80 lines, body braces included).

A function is a brace block opened at namespace or class scope whose header ends with ')'
(optionally followed by const, noexcept, override, a trailing return type or an initialiser
list); lambdas and local blocks count toward the function that holds them.
Usage: check-function-length.py [--max N] DIR_OR_FILE...; exit 1 if any function is too long.
       check-function-length.py --self-test: checks that it finds a long function and nothing else.
"""
import re
import sys
import tempfile
from pathlib import Path

CONTROL = re.compile(r"\b(if|for|while|switch|catch|do|else)\s*(\(|$)")
HEADER_END = re.compile(r"\)\s*(const)?\s*(noexcept)?\s*(override|final)?\s*(->\s*[\w:<>,\s\*&]+)?\s*$")


def strip(text):
    """Removes comments, string and character literals (keeping newlines)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    text = strip(path.read_text(encoding="utf-8", errors="replace"))
    # Scopes: a stack of (kind, start_line, name); kind 'scope' (namespace/class/extern) or 'fn'.
    stack, header, line, found = [], "", 1, []
    for c in text:
        if c == "\n":
            line += 1
            header += " "
            continue
        if c == "{":
            in_fn = any(k == "fn" for k, _, _ in stack)
            h = re.sub(r"\s+", " ", header).strip()
            h_no_init = re.sub(r"\)\s*:\s*[^{]*$", ")", h)  # constructor initialiser list
            if not in_fn and (HEADER_END.search(h) or HEADER_END.search(h_no_init)) and not CONTROL.search(h) \
                    and not re.search(r"=\s*\[", h):
                name = re.findall(r"([~\w:]+(?:operator\s*\S+)?)\s*\(", h)
                stack.append(("fn", line, name[0] if name else h[-40:]))
            else:
                stack.append(("scope" if not in_fn else "block", line, ""))
            header = ""
        elif c == "}":
            if stack:
                kind, start, name = stack.pop()
                if kind == "fn":
                    found.append((name, start, line - start + 1))
            header = ""
        elif c == ";":
            header = ""
        else:
            header += c
    return found


def self_test():
    """A 90-line function, a 20-line one, and a long class and lambda-holding namespace that are
    not functions: exactly the first must be found."""
    body = "\n".join(f"  x += {i};" for i in range(88))
    lines = "\n".join(f"  int f{i}() const {{ return {i}; }}" for i in range(90))
    src = (f"namespace a {{\nint long_one(int x) {{\n{body}\n}}\n"
           f"int short_one(int x) {{\n" + "\n".join("  ++x;" for _ in range(18)) + "\n}\n"
           f"struct Big {{\n{lines}\n}};\n}}  // namespace a\n")
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "t.cpp"
        f.write_text(src)
        found = {name: length for name, _, length in functions(f)}
    long_ones = [n for n, length in found.items() if length > 80]
    if long_ones != ["long_one"] or found.get("short_one") != 20:
        print(f"self-test failed: found {found}")
        return 1
    print("self-test: the long function found, nothing else")
    return 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    limit, paths = 80, []
    args = iter(argv)
    for a in args:
        if a == "--max":
            limit = int(next(args))
        else:
            paths.append(Path(a))
    files = []
    for p in paths:
        files += sorted(p.rglob("*.[ch]pp")) if p.is_dir() else [p]
    long_ones = []
    for f in files:
        for name, start, length in functions(f):
            if length > limit:
                long_ones.append((length, f"{f}:{start}: {name} is {length} lines (limit {limit})"))
    for _, msg in sorted(long_ones, reverse=True):
        print(msg)
    return 1 if long_ones else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
