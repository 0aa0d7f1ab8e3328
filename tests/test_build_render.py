"""The HTML render started ahead (:mod:`scripts.build.render`): it renders only when told to, and the
extensions it declares parallel-safe say so to Sphinx. That a parallel render (the default, ``--jobs``
up to 2) gives the same pages as a serial one (``--jobs 1``) is tested with the whole build in
``tests/test_build_parallel.py``."""
from __future__ import annotations

import types

from scripts.build import render


def test_declared_parallel_safe_keeps_the_extension_metadata():
    calls = []
    ext = types.SimpleNamespace(setup=lambda app: calls.append(app) or {"version": "1"})
    render.declare_parallel_safe(ext)
    assert ext.setup("app") == {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
    assert calls == ["app"]
    silent = types.SimpleNamespace(setup=lambda app: None)  # sphinx_multitoc_numbering returns nothing
    render.declare_parallel_safe(silent)
    assert silent.setup("app") == {"parallel_read_safe": True, "parallel_write_safe": True}


def test_the_extensions_declared_safe_are_loaded_by_jupyter_book():
    """A name that Jupyter Book stopped loading for this book would make the declaration dead code."""
    from jupyter_book.config import get_final_config

    from scripts.build.plan import ROOT

    config, _ = get_final_config(user_yaml=ROOT / "_config.yml", cli_config={"latex_individualpages": False}, sourcedir=ROOT)
    assert set(render.PARALLEL_SAFE) <= set(config["extensions"])


def test_a_cancelled_render_renders_nothing(tmp_path):
    """The build stopped before the render (a notebook failed): the process exits, nothing is written."""
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    renderer = render.Renderer(tmp_path, ["build", str(tmp_path), "--builder", "html"], jobs=1)
    renderer.cancel()
    assert renderer.process.returncode == 1
    assert not (tmp_path / "_build").exists()
