"""Lookups that Sphinx and its extensions repeat with the same answer, done once per process (speed only).

Found in the profile of a cold HTML render of the seeds book (2026-12-01, pyinstrument):

* ``pybtex.plugin.find_plugin`` scans the entry points of every installed distribution on each call,
  and sphinxcontrib-bibtex calls it for every citation it resolves (the plain-text backend, the
  style): ≈ 0.8 s of a ≈ 14 s profile. The answer for a (group, name) cannot change within a build,
  so it is kept; registering a plugin at run time empties the memo.
* Sphinx's search index stems every word of every page with a memo per page only (Porter's
  stemmer in pure Python): ≈ 1.6 s, on the main process, while the writers wait. The stemmer has
  no state, so one memo per process serves every page.

The functions called are the originals and their answers are the same; only repeated calls are
skipped, so the book is byte-identical (the build's tests compare parallel, serial and incremental renders).
"""
from __future__ import annotations

import functools

_MEMO: dict[tuple, object] = {}


def _memo_find_plugin(original):
    @functools.wraps(original)
    def find_plugin(plugin_group, name=None, filename=None):
        if not isinstance(name, (str, type(None))) or not isinstance(filename, (str, type(None))):
            return original(plugin_group, name, filename)  # a plugin class, or a path object: as before
        key = (plugin_group, name, filename)
        if key not in _MEMO:
            _MEMO[key] = original(plugin_group, name, filename)
        return _MEMO[key]

    find_plugin.__wrapped_original__ = original
    return find_plugin


def _clearing(original):
    @functools.wraps(original)
    def register_plugin(*args, **kwargs):
        _MEMO.clear()
        return original(*args, **kwargs)

    register_plugin.__wrapped_original__ = original
    return register_plugin


def _memo_stem(original):
    memo: dict[str, str] = {}

    @functools.wraps(original)
    def stem(self, word: str) -> str:
        try:
            return memo[word]
        except KeyError:
            memo[word] = out = original(self, word)
            return out

    stem.__wrapped_original__ = original
    return stem


def install() -> None:
    """Wrap the lookups (once per process, whatever calls it)."""
    import pybtex.plugin
    from sphinx.search.en import SearchEnglish

    if not hasattr(pybtex.plugin.find_plugin, "__wrapped_original__"):
        pybtex.plugin.find_plugin = _memo_find_plugin(pybtex.plugin.find_plugin)
        pybtex.plugin.register_plugin = _clearing(pybtex.plugin.register_plugin)
    if not hasattr(SearchEnglish.stem, "__wrapped_original__"):
        SearchEnglish.stem = _memo_stem(SearchEnglish.stem)


def setup(app):
    install()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
