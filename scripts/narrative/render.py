"""Statement templates: the wording of the book, kept out of Python.

Each ``templates/<page>.yml`` maps a statement name to its named variants (cases), each a Jinja2
template. A :class:`Facts` object says which statement, which case and which values; :func:`render`
fills the template. Undefined values raise, so a template can never print an empty hole.

Filters available in templates (see :mod:`scripts.narrative.common`): ``plural``, ``join``,
``num``, ``signed``, ``pct``, ``pct_range``, ``interval``, ``language``, ``times``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from . import common

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Facts:
    """What one statement of the book says: ``page`` (template file), ``statement`` (its key),
    ``case`` (the variant that is true) and the ``values`` the variant prints.

    Tests assert on facts (``facts.case == "no_change"``) rather than on wording."""

    page: str
    statement: str
    case: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def text(self) -> str:
        return render(self)


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(plural=common.plural, join=common.join_words, num=common.num, signed=common.signed,
                       pct=common.pct, pct_range=common.pct_range, interval=common.interval,
                       language=common.language_name, times=common.times)
    return env


@cache
def templates(page: str) -> dict[str, dict[str, str]]:
    """The templates of ``templates/<page>.yml``: statement -> case -> Jinja2 source, whitespace folded.

    Compiled when first rendered (:func:`template`): a kernel renders a few cases of a page, and
    compiling every case of it up front took 0.01–0.17 s a page (49 templates for the corpus page)."""
    path = TEMPLATES / f"{page}.yml"
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    out: dict[str, dict[str, str]] = {}
    for statement, cases in raw.items():
        if not isinstance(cases, dict):
            raise ValueError(f"{path}: statement {statement!r} must map case names to templates")
        out[statement] = {case: " ".join(str(text).split()) for case, text in cases.items()}
    return out


@cache
def template(page: str, statement: str, case: str) -> jinja2.Template:
    """The compiled template of one case (KeyError when the page has no such statement or case)."""
    return _environment().from_string(templates(page)[statement][case])


def template_names() -> dict[str, dict[str, list[str]]]:
    """Every page, statement and case that exists: page -> statement -> [cases]."""
    return {p.stem: {s: list(c) for s, c in templates(p.stem).items()} for p in sorted(TEMPLATES.glob("*.yml"))}


def render(facts: Facts) -> str:
    """The sentence(s) of ``facts``: its case's template filled with its values (whitespace folded).

    Raises KeyError naming the file when the statement or case has no template."""
    pages = templates(facts.page)
    if facts.statement not in pages:
        raise KeyError(f"templates/{facts.page}.yml has no statement {facts.statement!r}")
    cases = pages[facts.statement]
    if facts.case not in cases:
        raise KeyError(f"templates/{facts.page}.yml: statement {facts.statement!r} has no case {facts.case!r} "
                       f"(it has {', '.join(cases)})")
    return template(facts.page, facts.statement, facts.case).render(**facts.values).strip()
