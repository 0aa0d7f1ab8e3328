"""What readers read: sentences and reader tables, built from results the analysis modules computed.

Analysis modules (``scripts.corpus``, ``terms``, ``actors``, ``tone``) return data only. This package
turns their results into prose and display tables, and never computes a statistic itself:

- ``render``: :class:`Facts` (which statement, which case, which values) and :func:`render`, which
  fills the statement's template from ``templates/<page>.yml``;
- ``common``: plurals, lists, number/percent/interval formatting, language names;
- one module per chapter (``corpus``, ``terms``, ``actors``, ``tone``): a ``*_facts`` function
  decides which case of a statement is true, a ``*_text`` function renders it, ``*_table``
  functions shape reader tables.

To change a sentence's wording, edit its template in ``templates/``; Python only decides *which*
sentence is true and with which numbers.
"""
from .render import Facts, render, template_names

__all__ = ["Facts", "render", "template_names"]
