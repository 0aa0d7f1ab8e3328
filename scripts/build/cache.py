"""What a notebook depends on, as one hash per notebook, and the state that remembers the hashes of
the last successful build.

A notebook's key covers: the notebook file; the ``--param`` values it declares, and the bytes of the
file a ``*_file`` parameter names (e.g. ``annotations_file``: editing the coded sheet re-runs the tone
chapter, though its path is unchanged); the seeds folder
(its path, shown on the data page, and the bytes of every file in it); the code it runs, i.e. the
``scripts`` modules it imports followed transitively through their own imports (absolute and
relative, sub-packages such as ``scripts.narrative`` and ``scripts.plots`` module by module), the
non-Python files of those sub-packages that the modules name (``templates/tone.yml`` belongs to
a notebook whose closure holds the string ``"tone"``, as in ``PAGE = "tone"``), every file under
``scripts/data`` and ``requirements.txt``. A notebook that reads earlier chapters adds their keys.
Editing ``scripts/narrative/tone.py`` or ``templates/tone.yml`` thus re-executes the tone chapter
and the pages that read it, not the terms chapter."""
from __future__ import annotations

import ast
import hashlib
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .plan import Plan

STATE_FILE = ".build-state.json"
LAYOUT = 3  # staging layout (2: per-notebook output folders; 3: code cells remove-input); another layout's state is ignored
PACKAGE = "scripts"
SHARED_DATA = ("scripts/data", "requirements.txt")  # in every key: read through many paths
MAGIC = re.compile(r"^\s*[%!].*$", flags=re.M)  # IPython magics and shell lines are not Python


def hash_files(paths: Iterable[Path], base: Path) -> str:
    """One sha256 over the relative paths and bytes of ``paths`` (order-independent)."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(base)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def param_files_hash(params: dict) -> str:
    """sha256 over the name and bytes of every file named by a ``*_file`` parameter ("absent" when the
    value names no file: the notebook reports that itself)."""
    h = hashlib.sha256()
    for name in sorted(k for k in params if k.endswith("_file")):
        path = Path(str(params[name])) if params[name] else None
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes() if path is not None and path.is_file() else b"absent")
        h.update(b"\0")
    return h.hexdigest()


def seeds_hash(seeds: Path) -> str:
    return hash_files([p for p in seeds.rglob("*") if p.is_file() and not p.name.startswith(".")], seeds)


@lru_cache(maxsize=512)  # one parse per module per build, though seven notebooks import it
def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(MAGIC.sub("", source))
    except SyntaxError:
        return None


@lru_cache(maxsize=512)
def _facts(source: str) -> tuple[tuple[tuple[int, str | None, tuple[str, ...]], ...], frozenset[str]] | None:
    """The import statements of ``source`` (``(level, module, names)``; level -1 for ``import a, b``)
    and its string constants, in one walk of its tree (None when it does not parse).

    Why one walk: walking every module's tree twice (imports, then strings) was most of the cost
    of the notebook keys, which a build computes before any notebook may start."""
    tree = _parse(source)
    if tree is None:
        return None
    imports, strings = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                strings.add(node.value)
        elif isinstance(node, ast.Import):
            imports.append((-1, None, tuple(a.name for a in node.names)))
        elif isinstance(node, ast.ImportFrom):
            imports.append((node.level, node.module, tuple(a.name for a in node.names)))
    return tuple(imports), frozenset(strings)


@lru_cache(maxsize=1024)
def imported_modules(source: str, package: str = "") -> frozenset[str]:
    """Dotted names under ``scripts`` that ``source`` imports: ``import scripts.x``, ``from scripts.x
    import y`` (``scripts.x`` and ``scripts.x.y``, which may be a submodule), and relative imports
    resolved against ``package`` (the package the source lives in). ``{"*"}`` when the source does
    not parse: then the notebook depends on the whole package."""
    facts = _facts(source)
    if facts is None:
        return frozenset({"*"})
    found: set[str] = set()
    for level, module, names in facts[0]:
        if level < 0:
            found.update(n for n in names if n.split(".")[0] == PACKAGE)
            continue
        if level:
            parts = package.split(".") if package else []
            if level - 1 > len(parts):
                continue
            base = parts[:len(parts) - (level - 1)] + ([module] if module else [])
            module = ".".join(base)
        else:
            module = module or ""
        if module.split(".")[0] == PACKAGE:
            found.add(module)
            found.update(f"{module}.{n}" for n in names if n != "*")
    return frozenset(found)


def module_file(name: str, root: Path) -> Path | None:
    """The file of module ``name`` (``pkg/__init__.py`` or ``pkg/mod.py``), or None if it is not a module."""
    path = root.joinpath(*name.split("."))
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return None


def _package_files(root: Path) -> list[Path]:
    return [p for p in sorted((root / PACKAGE).rglob("*")) if p.is_file() and "__pycache__" not in p.parts]


def import_closure(sources: Iterable[str], root: Path) -> list[Path]:
    """The module files that running ``sources`` imports from ``scripts``, transitively (importing
    ``scripts.a.b`` also runs ``scripts/__init__.py`` and ``scripts/a/__init__.py``)."""
    todo: set[str] = set().union(*(imported_modules(s) for s in sources))
    seen: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        if name == "*":
            return [p for p in _package_files(root) if p.suffix == ".py"]
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            module = ".".join(parts[:i])
            path = seen.get(module) or module_file(module, root)
            if path is None or module in seen:
                continue
            seen[module] = path
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            todo |= imported_modules(path.read_text(encoding="utf-8"), package)
    return sorted(set(seen.values()))


def _strings(source: str) -> frozenset[str]:
    facts = _facts(source)
    return frozenset() if facts is None else facts[1]


def named_package_data(modules: list[Path], sources: Iterable[str], root: Path) -> list[Path]:
    """Non-Python files of the sub-packages in ``modules`` (e.g. ``scripts/narrative/templates/*.yml``)
    whose name without extension is a string constant of one of the modules or sources."""
    packages = {m.parent for m in modules}
    names = set().union(*(_strings(m.read_text(encoding="utf-8")) for m in modules), *(_strings(s) for s in sources))
    shared = root / SHARED_DATA[0]
    out = []
    for p in _package_files(root):
        if p.suffix == ".py" or p.is_relative_to(shared) or p.stem not in names:
            continue
        owner = next((d for d in p.parents if (d / "__init__.py").is_file()), None)
        if owner in packages:
            out.append(p)
    return out


def code_files(notebook: Path, root: Path) -> list[Path]:
    """Every file of code and data that executing ``notebook`` reads (see the module docstring)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    sources = ["".join(c.get("source", "")) for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    modules = import_closure(sources, root)
    shared = [p for p in (root / SHARED_DATA[0]).rglob("*") if p.is_file()]
    shared += [root / f for f in SHARED_DATA[1:] if (root / f).is_file()]
    return sorted(set(modules) | set(named_package_data(modules, sources, root)) | set(shared))


def notebook_keys(plan: Plan) -> dict[str, str]:
    """The key of every notebook of ``plan``, in book order (see the module docstring)."""
    seeds_digest = seeds_hash(plan.seeds)
    keys: dict[str, str] = {}
    for rel in plan.run_order():  # a dependent page's key takes the keys of the notebooks that run before it
        src = plan.root / rel
        h = hashlib.sha256()
        for part in (src.read_bytes(), json.dumps(plan.params[rel], sort_keys=True, default=str).encode(),
                     param_files_hash(plan.params[rel]).encode(), str(plan.seeds).encode(), seeds_digest.encode(),
                     hash_files(code_files(src, plan.root), plan.root).encode()):
            h.update(part)
            h.update(b"\0")
        if rel in plan.dependent:  # e.g. the methods and data pages: stale whenever an earlier notebook is
            for earlier in plan.before(rel):
                h.update(keys[earlier].encode())
        keys[rel] = h.hexdigest()
    return {rel: keys[rel] for rel in plan.notebooks}


def load_state(work: Path, ignore: bool = False) -> dict:
    """The state of the last successful build staged in ``work`` (empty if ``ignore``, absent,
    unreadable or written for another layout: then everything runs)."""
    path = work / STATE_FILE
    if ignore or not path.is_file():
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    return state if isinstance(state, dict) and state.get("layout") == LAYOUT else {}


def save_state(work: Path, state: dict) -> None:
    (work / STATE_FILE).write_text(json.dumps({"layout": LAYOUT, **state}, indent=1), encoding="utf-8")


def input_fingerprint(root: Path, seeds: Path, params: dict, store: str, notebooks: list[str], book_files: list[Path]) -> str:
    """One sha256 over everything a build reads: every file of the ``scripts`` package and of the
    shared data, the notebooks and book sources, the seeds (path and bytes), the ``--param`` values
    and the files they name, and where the analysis tables go.

    Why: it is a superset of the inputs of every notebook key, of the plan and of the rendered
    sources, so when it equals the last successful build's the build has nothing to do, and saying
    so costs hashing a few hundred files instead of parsing every module, importing papermill
    and copying the staging folder (the no-change rebuild)."""
    files = set(_package_files(root)) | {p for p in (root / SHARED_DATA[0]).rglob("*") if p.is_file()}
    files |= {root / f for f in SHARED_DATA[1:] if (root / f).is_file()}
    files |= {root / rel for rel in notebooks if (root / rel).is_file()} | set(book_files)
    h = hashlib.sha256()
    for part in (str(LAYOUT), str(root), str(seeds), seeds_hash(seeds), json.dumps(params, sort_keys=True, default=str),
                 param_files_hash(params), store, hash_files(files, root)):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()
