"""Write an output-free notebook from a plain-text cell list (developer tool, not used by the build).

    .venv/bin/python tools/mknb.py SOURCE.py OUT.ipynb

SOURCE.py separates cells with lines ``# %% [markdown]``, ``# %%`` or ``# %% parameters``;
markdown cells are either commented ("# text", as jupytext writes them: the "# " is removed
when every line has it) or plain text between the markers. Keeps notebooks diffable
as plain Python ("percent" format) while the book gets real .ipynb files.
"""
import sys
from pathlib import Path

import nbformat


def convert(src: Path) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    kind, tags, buf = None, [], []

    def flush():
        text = "\n".join(buf).strip("\n")
        if kind is None and not text:
            return
        if kind == "markdown":
            lines = text.split("\n")
            if all(l.startswith("# ") or l == "#" for l in lines if l.strip()):  # jupytext style "# text"
                text = "\n".join(l[2:] if l.startswith("# ") else "" for l in lines)
            cell = nbformat.v4.new_markdown_cell(text)
        else:
            cell = nbformat.v4.new_code_cell(text)
            if tags:
                cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)

    for line in src.read_text(encoding="utf-8").splitlines():
        if line.startswith("# %%"):
            if buf or kind is not None:
                flush()
            rest = line[4:].strip()
            kind = "markdown" if rest == "[markdown]" else "code"
            tags = [t for t in rest.split() if t != "[markdown]"]
            buf = []
        else:
            buf.append(line)
    flush()
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i:02d}"
    return nb

if __name__ == "__main__":
    nbformat.write(convert(Path(sys.argv[1])), sys.argv[2])
