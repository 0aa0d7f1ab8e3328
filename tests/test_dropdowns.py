"""_ext/dropdowns.py: the PDF prints collapsed boxes open (their title as a small heading,
their content in the flow, so a long table in one can break across pages)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree

ROOT = Path(__file__).resolve().parent.parent


def _module():
    spec = importlib.util.spec_from_file_location("dropdowns", ROOT / "_ext" / "dropdowns.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dropdown_admonitions_become_a_rubric_and_their_content():
    doctree = publish_doctree("""
Before.

.. admonition:: Checks of the tone
   :class: dropdown

   First paragraph.

   =====  =====
   a      b
   =====  =====
   1      2
   =====  =====

.. admonition:: Kept as a box

   Other.
""")
    assert _module().unfold_dropdowns(doctree) == 1
    boxes = list(doctree.findall(nodes.Admonition))
    assert len(boxes) == 1 and boxes[0].astext().startswith("Kept as a box")   # a box without the class stays
    rubric = next(iter(doctree.findall(nodes.rubric)))
    assert rubric.astext() == "Checks of the tone"
    siblings = [n.tagname for n in rubric.parent.children]
    assert siblings[siblings.index("rubric") + 1:siblings.index("rubric") + 3] == ["paragraph", "table"]
    assert not any(isinstance(a, nodes.Admonition) for t in doctree.findall(nodes.table) for a in _ancestors(t))


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node
