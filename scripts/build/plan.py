"""What a build must do: the book's pages in ``_toc.yml`` order, the notebooks among them, the
parameters each receives, which of them read earlier chapters, and the files the renderer needs.

Everything here is decided before any notebook runs, so a wrong ``--param`` or a chapter without
the folder parameters stops the build before it has changed anything."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from .console import BuildError

ROOT = Path(__file__).resolve().parent.parent.parent
BOOK_FILES = ("_config.yml", "_toc.yml", "references.bib")
ASSET_FOLDERS = ("_static", "_ext")  # static assets; local Sphinx extensions (_config.yml local_extensions)
FOLDER_PARAMETERS = ("seeds_dir", "data_dir", "fig_dir")  # every notebook declares them; the build passes absolute paths


def toc_files(root: Path = ROOT) -> list[str]:
    """Every file of ``_toc.yml`` in reading order (without extension)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)

    walk(toc)
    return files


def toc_notebooks(root: Path = ROOT) -> list[str]:
    """The notebooks to execute, in ``_toc.yml`` order (paths relative to the book root)."""
    return [f + ".ipynb" for f in toc_files(root) if (root / (f + ".ipynb")).is_file()]


def book_sources(root: Path = ROOT) -> list[Path]:
    """Files the renderer needs besides executed notebooks: config, toc, Markdown pages, bibliography,
    static assets and local extensions."""
    out = [root / f for f in BOOK_FILES if (root / f).is_file()]
    for f in toc_files(root):
        if (root / (f + ".md")).is_file() and not (root / (f + ".ipynb")).is_file():
            out.append(root / (f + ".md"))
    for folder in ASSET_FOLDERS:
        if (root / folder).is_dir():
            out.extend(p for p in sorted((root / folder).rglob("*")) if p.is_file() and "__pycache__" not in p.parts)
    return out


class ParamError(BuildError):
    """A ``--param`` the chapters cannot take: one line naming the parameter and the fix, before anything runs."""


def parse_params(pairs: list[str]) -> dict:
    """``NAME=VALUE`` pairs; VALUE is read as YAML (numbers, booleans, lists) else kept as text."""
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise ParamError(f"--param {pair!r}: write it as NAME=VALUE, e.g. --param top_n=15")
        name, value = pair.split("=", 1)
        try:
            out[name.strip()] = yaml.safe_load(value)
        except yaml.YAMLError:
            out[name.strip()] = value
    return out


_KINDS = ((bool, "true or false"), (int, "a whole number"), (float, "a number"), (list, "a list, e.g. [a, b]"),
          (dict, "a mapping, e.g. {a: 1}"), (str, "text"))


def _kind(value) -> tuple[type, str] | None:
    return next(((t, w) for t, w in _KINDS if isinstance(value, t)), None)


def check_param_value(rel: str, name: str, value, spec: dict) -> None:
    """Refuse a value whose type differs from the default's in the notebook's parameters cell.

    Why: papermill would inject ``top_n = "abc"`` and the chapter would fail half-way with a
    traceback; the reader needs one line that says which parameter and what to write instead.
    A number is accepted where the default is a float; ``None`` defaults accept anything.
    """
    try:
        default = yaml.safe_load(str(spec.get("default", "")))
    except yaml.YAMLError:
        return
    want = _kind(default)
    if default is None or want is None:
        return
    if want[0] is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return
    if isinstance(value, want[0]) and not (want[0] is int and isinstance(value, bool)):
        return
    help_text = f" ({spec['help']})" if spec.get("help") else ""
    raise ParamError(f"--param {name}={value!r}: {rel} expects {want[1]}{help_text}; "
                     f"write e.g. --param {name}={spec.get('default')}")


def notebook_parameters(nb_path: Path) -> dict:
    """Names and defaults of the notebook's ``parameters`` cell (via papermill's inspector)."""
    import papermill

    return dict(papermill.inspect_notebook(str(nb_path)))


def reads_earlier_chapters(nb_path: Path) -> bool:
    """True when the notebook's metadata says ``"report": {"reads_earlier_chapters": true}``: it reads
    the executed chapters before it (their parameters, CSVs), so it runs after them and its cache key
    includes theirs."""
    meta = json.loads(nb_path.read_text(encoding="utf-8")).get("metadata", {})
    return bool(meta.get("report", {}).get("reads_earlier_chapters"))


def reads_earlier_pages(nb_path: Path) -> bool:
    """True when the metadata also says ``"report": {"reads_earlier_pages": true}``: the page reads what
    the other pages that read earlier chapters wrote (the data page lists every table), so it runs after
    them. Pages that read earlier chapters without it run side by side, each seeing the chapters' tables."""
    meta = json.loads(nb_path.read_text(encoding="utf-8")).get("metadata", {})
    return bool(meta.get("report", {}).get("reads_earlier_pages"))


@dataclass(frozen=True)
class Plan:
    """The notebooks of one build. ``params``: per notebook, the ``--param`` values it declares
    (folder parameters are added when it runs); ``dependent``: notebooks that read earlier chapters;
    ``reads_pages``: those of them that also read the other dependent pages' tables."""

    root: Path
    seeds: Path
    notebooks: list[str]
    params: dict[str, dict]
    dependent: frozenset[str]
    reads_pages: frozenset[str] = frozenset()

    def label(self, rel: str) -> str:
        """``[3/7] chapters/02_terms.ipynb``: how progress lines name a notebook."""
        return f"[{self.notebooks.index(rel) + 1}/{len(self.notebooks)}] {rel}"

    def run_order(self) -> list[str]:
        """The order the notebooks run in: every notebook that only reads the seeds (book order), then
        the pages that read earlier chapters (book order). A summary page placed before the chapters
        in ``_toc.yml`` (e.g. findings) still runs after them."""
        return [r for r in self.notebooks if r not in self.dependent] + [r for r in self.notebooks if r in self.dependent]

    def page_waves(self) -> list[list[str]]:
        """The dependent pages in :meth:`run_order`, grouped into waves that may run side by side:
        consecutive pages that read only the chapters share a wave; a page that reads earlier pages
        (``reads_pages``) is a wave of its own, after every page before it. E.g. [findings, methods], [data]."""
        waves: list[list[str]] = []
        for rel in self.run_order():
            if rel not in self.dependent:
                continue
            if rel in self.reads_pages or not waves or waves[-1][0] in self.reads_pages:
                waves.append([rel])
            else:
                waves[-1].append(rel)
        return waves

    def before(self, rel: str) -> list[str]:
        """The notebooks that run before ``rel`` (:meth:`run_order`): what a dependent page may read,
        and whose cache keys enter its own."""
        order = self.run_order()
        return order[:order.index(rel)]


def make_plan(seeds: Path, params: dict, root: Path = ROOT) -> Plan:
    """Read the toc and each notebook's parameters cell once; refuse a notebook without the folder
    parameters and a ``--param`` that no notebook declares."""
    notebooks = toc_notebooks(root)
    per_notebook, declared_any = {}, set()
    for rel in notebooks:
        declared = notebook_parameters(root / rel)
        declared_any |= set(declared)
        missing = [k for k in FOLDER_PARAMETERS if k not in declared]
        if missing:
            raise BuildError(f"{rel}: its parameters cell lacks {', '.join(missing)}: add them (see chapters/01_corpus.ipynb)")
        per_notebook[rel] = {k: v for k, v in params.items() if k in declared}
        for name, value in per_notebook[rel].items():
            check_param_value(rel, name, value, declared[name])
    unknown = sorted(set(params) - declared_any)
    if unknown:
        raise ParamError(f"--param {', '.join(unknown)}: no chapter declares it; the parameters are listed at the top of each chapter")
    dependent = frozenset(rel for rel in notebooks if reads_earlier_chapters(root / rel))
    reads_pages = frozenset(rel for rel in dependent if reads_earlier_pages(root / rel))
    return Plan(root, seeds, notebooks, per_notebook, dependent, reads_pages)
