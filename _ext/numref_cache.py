"""Resolve ``{numref}`` references without unpickling the target page once per reference.

Sphinx 7.4's standard domain loads the whole doctree of the target page (``env.get_doctree``:
a pickle of up to ~370 kB here) for every ``{numref}`` it resolves, only to look up the node's type.
The book has a few dozen such references into a handful of pages, so a cold HTML build unpickled
49 doctrees, 36 of them for numrefs (the largest single cost in the profile of the render, 2026-12-01).

While pages are written (after reading, when no doctree on disk changes any more) the doctrees that
numref resolution reads are kept, one per page, and dropped when the build ends. The numref code is
Sphinx's own and the doctree it reads is the same one (read-only use: the node type and its ids), so
the output is identical; only the number of unpickles changes.
"""
from __future__ import annotations

from sphinx.domains.std import StandardDomain

_ORIGINAL = StandardDomain._resolve_numref_xref
_DOCTREES: dict[str, object] = {}  # page -> its doctree, for the write phase of one build only
_ACTIVE = [False]


class _CachingEnv:
    """The build environment as the numref resolver sees it, with ``get_doctree`` memoised."""

    def __init__(self, env):
        self._env = env

    def __getattr__(self, name):
        return getattr(self._env, name)

    def get_doctree(self, docname: str):
        if docname not in _DOCTREES:
            _DOCTREES[docname] = self._env.get_doctree(docname)
        return _DOCTREES[docname]


def _resolve_numref_xref(self, env, *args, **kwargs):
    return _ORIGINAL(self, _CachingEnv(env) if _ACTIVE[0] else env, *args, **kwargs)


def _start(app, env):
    """Reading is over (``env-updated``): doctrees on disk are final until the build ends."""
    _DOCTREES.clear()
    _ACTIVE[0] = True


def _stop(app, exception):
    _DOCTREES.clear()
    _ACTIVE[0] = False


def setup(app):
    StandardDomain._resolve_numref_xref = _resolve_numref_xref
    app.connect("env-updated", _start)
    app.connect("build-finished", _stop)
    return {"parallel_read_safe": True, "parallel_write_safe": True}  # forked writers each keep their own
