#!/usr/bin/env python3
"""The include graph follows the layers (docs/architecture.md, "Layers").

support <- io <- core <- learn <- lab <- plot <- report <- apps (and the faces: python/, bench/)

Every file of include/wst/<layer>/, src/<layer>/ and tests/<layer>/ may include public headers
of its own layer and of the layers below only; every public header lives in a layer folder; a
library file (include/, src/) includes no other header by a quoted name than a private one
beside it (so not the CLI's commands.hpp).
Prints each violation as FILE:LINE: ... and exits 1 if there is any (0 otherwise).
--self-test runs the check on a small tree with known violations and exits 0 if all are found."""
import pathlib
import re
import sys
import tempfile

ORDER = ["support", "io", "core", "learn", "lab", "plot", "report", "apps"]
RANK = {name: i for i, name in enumerate(ORDER)}
FACES = {"apps": "apps", "python": "apps", "bench": "apps", "fuzz": "core"}
INCLUDE = re.compile(r'^\s*#\s*include\s*"wst/([^"]+)"')
LOCAL = re.compile(r'^\s*#\s*include\s*"([^"/]+)"')


def layer_of(path: pathlib.Path):
    parts = path.parts
    if parts[:2] == ("include", "wst") and len(parts) > 3:
        return parts[2]
    if parts[0] in ("src", "tests") and len(parts) > 2:
        return parts[1]
    if parts[0] == "tests":
        return "support"  # the shared test helpers, used by every layer's tests
    return FACES.get(parts[0])


def check(root: pathlib.Path):
    """The violations under root, and the number of files read."""
    problems = []
    files = [p for d in ("include", "src", "tests", "apps", "python", "bench", "fuzz")
             for p in sorted((root / d).rglob("*")) if p.suffix in (".hpp", ".cpp")]
    for f in files:
        rel = f.relative_to(root)
        own = layer_of(rel)
        if own is None or own not in RANK:
            problems.append(f"{rel}: not in a layer folder ({', '.join(ORDER)})")
            continue
        library = rel.parts[0] in ("include", "src")
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            local = LOCAL.match(line)
            if library and local and not (f.parent / local.group(1)).exists():
                problems.append(f"{rel}:{n}: includes \"{local.group(1)}\", which is not beside it "
                                "(a header of the apps?)")
            m = INCLUDE.match(line)
            if not m:
                continue
            target = m.group(1).split("/")
            if len(target) < 2 or target[0] not in RANK:
                problems.append(f"{rel}:{n}: includes wst/{m.group(1)}, which is in no layer")
            elif RANK[target[0]] > RANK[own]:
                problems.append(f"{rel}:{n}: {own} includes wst/{m.group(1)}, a layer above it")
    return problems, len(files)


def main(root: pathlib.Path) -> int:
    problems, count = check(root)
    for p in problems:
        print(p)
    print(f"check-layers: {count} files, {len(problems)} problem(s)")
    return 1 if problems else 0


def self_test() -> int:
    with tempfile.TemporaryDirectory() as d:
        root = pathlib.Path(d)
        files = {
            "include/wst/core/a.hpp": '#include "wst/support/error.hpp"\n',   # fine
            "src/core/a.cpp": '#include "wst/core/a.hpp"\n#include "wst/plot/plot.hpp"\n',  # up
            "src/io/b.cpp": '#include "wst/npy.hpp"\n',                     # no layer
            "src/report/c.hpp": "",
            "src/report/c.cpp": '#include "c.hpp"\n#include "commands.hpp"\n',  # an app's
            "include/wst/flat.hpp": "",                                      # outside a layer
            "apps/wst/main.cpp": '#include "wst/report/report.hpp"\n',     # a face: fine
        }
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        problems, _ = check(root)
    expected = ["include/wst/flat.hpp: not in a layer folder",
                "src/core/a.cpp:2: core includes wst/plot/plot.hpp, a layer above it",
                "src/io/b.cpp:1: includes wst/npy.hpp, which is in no layer",
                "src/report/c.cpp:2: includes \"commands.hpp\", which is not beside it"]
    ok = len(problems) == len(expected) and all(
        p.startswith(e) for p, e in zip(sorted(problems), expected))
    print("check-layers --self-test:", "ok" if ok else f"FAILED: {problems}")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(self_test())
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()))
