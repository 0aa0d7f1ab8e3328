"""Provenance helpers behind the Methods and Data pages: worked examples on small files."""
from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from scripts import provenance as P
from scripts import report

ROOT = Path(__file__).resolve().parent.parent


def test_file_inventory_counts_yaml_csv_and_text(tmp_path):
    (tmp_path / "lex.yml").write_text("# header\nen: [a, b, c]\nfr: {x: 1, y: 2}\nthreshold: 0.5\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    (tmp_path / "s.txt").write_text("one\n\ntwo\n# not a comment in prose? counted as comment\n", encoding="utf-8")
    inv = P.file_inventory(tmp_path).set_index("file")
    assert list(inv.index) == ["lex.yml", "s.txt", "t.csv"]
    assert inv.loc["lex.yml", "entries"] == 6 and inv.loc["lex.yml", "structure"] == "en 3, fr 2, threshold 1"
    assert inv.loc["t.csv", "entries"] == 2
    assert inv.loc["s.txt", "entries"] == 2
    assert inv.loc["t.csv", "sha256"] == hashlib.sha256(b"a,b\n1,2\n3,4\n").hexdigest()
    assert inv.loc["t.csv", "bytes"] == 12


def test_entry_count_of_a_file_or_one_key(tmp_path):
    (tmp_path / "lex.yml").write_text("# header\nen: [a, b, c]\nfr: {x: 1, y: 2}\nthreshold: 0.5\n", encoding="utf-8")
    assert P.entry_count(tmp_path, "lex.yml") == 6  # as file_inventory counts it
    assert P.entry_count(tmp_path, "lex.yml", "en") == 3 and P.entry_count(tmp_path, "lex.yml", "fr") == 2
    assert P.entry_count(tmp_path, "lex.yml", "threshold") == 1 and P.entry_count(tmp_path, "lex.yml", "absent") == 0
    assert P.entry_count(tmp_path, "missing.yml") == 0


@pytest.mark.e2e
def test_chapter_parameters_reports_passed_and_default_values(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('seeds_dir = "x"\ntop_n = 10  # terms shown\nalpha = 0.05  # level',
                                          metadata={"tags": ["parameters"]})]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["papermill"] = {"parameters": {"seeds_dir": "/abs", "top_n": 15}}
    nbformat.write(nb, tmp_path / "02_terms.ipynb")
    df = P.chapter_parameters(tmp_path).set_index("parameter")
    assert "seeds_dir" not in df.index
    assert df.loc["top_n", "value"] == "15" and bool(df.loc["top_n", "passed"]) and df.loc["top_n", "default"] == "10"
    assert df.loc["top_n", "help"] == "terms shown"
    assert df.loc["alpha", "value"] == "0.05" and not bool(df.loc["alpha", "passed"])
    assert set(df["chapter"]) == {"02_terms"}


def test_package_versions_compares_pins(tmp_path):
    req = tmp_path / "requirements.txt"
    version = __import__("importlib.metadata").metadata.version("pyyaml")
    req.write_text(f"# comment\npandas==0.0.1   # old\npyyaml=={version}\nnot-a-pin>=1\nsurely-not-installed-pkg==1.0\n",
                   encoding="utf-8")
    df = P.package_versions(req).set_index("package")
    assert list(df.index) == ["pandas", "pyyaml", "surely-not-installed-pkg"]
    assert df.loc["pandas", "installed"] == pd.__version__ and not df.loc["pandas", "matches"]
    assert df.loc["pyyaml", "matches"]
    assert df.loc["surely-not-installed-pkg", "installed"] == ""


def test_column_dictionary_types_examples_and_descriptions(tmp_path):
    pd.DataFrame({"doc_id": ["004", "010"], "n": [3, 12], "x": [0.5, 1.0], "date": ["2017-04-12", "2019-05-14"],
                  "ok": [True, False], "text": ["a long sentence " * 5, ""]}).to_csv(tmp_path / "t.csv", index=False)
    descr = {"columns": {"doc_id": "article id", "text": "shared"}, "tables": {"t": {"text": "specific"}}}
    df = P.column_dictionary(tmp_path / "t.csv", descr, width=10).set_index("column")
    assert df.loc["doc_id", "type"] == "text"  # leading zeros: an identifier
    assert df.loc["n", "type"] == "integer" and df.loc["x", "type"] == "number"
    assert df.loc["date", "type"] == "date" and df.loc["ok", "type"] == "true/false"
    assert df.loc["doc_id", "description"] == "article id"
    assert df.loc["text", "description"] == "specific" and df.loc["n", "description"] == ""
    assert df.loc["text", "non_empty"] == 1 and df.loc["text", "example"] == "a long se…"


def test_table_report_is_the_inventory_and_each_dictionary_in_one_read(tmp_path, monkeypatch):
    pd.DataFrame({"doc_id": ["004", "010"], "n": [3, 12]}).to_csv(tmp_path / "b.csv", index=False)
    pd.DataFrame({"ok": [True, False, True], "note": ["x", "", "y"]}).to_csv(tmp_path / "a.csv", index=False)
    descr = {"columns": {"doc_id": "article id"}, "tables": {"a": {"note": "a note"}}}
    expected_inventory = P.table_inventory(tmp_path)
    expected = pd.concat([P.column_dictionary(tmp_path / f, descr, width=5).assign(table=t)
                          for t, f in zip(expected_inventory["table"], expected_inventory["file"])], ignore_index=True)
    reads = []
    real = pd.read_csv
    monkeypatch.setattr(P.pd, "read_csv", lambda path, **kw: reads.append(path) or real(path, **kw))
    inventory, dictionary = P.table_report(tmp_path, descr, width=5)
    pd.testing.assert_frame_equal(inventory, expected_inventory)
    pd.testing.assert_frame_equal(dictionary, expected)
    assert sorted(reads) == [tmp_path / "a.csv", tmp_path / "b.csv"]  # each CSV once
    empty_inventory, empty = P.table_report(tmp_path / "none", descr)
    assert empty_inventory.empty and empty.empty and list(empty.columns) == [*P.DICTIONARY_COLUMNS, "table"]


def test_column_types_look_at_every_value_not_only_the_first():
    ints = [str(i) for i in range(1, 2000)]
    assert P._kind(pd.Series(ints)) == "integer"
    assert P._kind(pd.Series(ints + ["abc"])) == "text"           # one text value after the first 500
    assert P._kind(pd.Series(ints + ["2.5"])) == "number"
    assert P._kind(pd.Series(ints + ["0123"])) == "text"           # a leading zero anywhere: an identifier
    assert P._kind(pd.Series(["2017-04-12"] * 900 + ["x"])) == "text"
    assert P._kind(pd.Series(["True"] * 900 + ["False", ""])) == "true/false"


def test_bundled_column_glossary_is_valid_yaml():
    g = P.column_descriptions()
    assert g["columns"]["doc_id"] and g["tables"]["documents"]["sha256"]


def test_markup_sentences_finds_tags_only():
    s = pd.DataFrame({"doc_id": ["a", "a", "b"], "sentence_id": ["a-s000", "a-s001", "b-s000"],
                      "text": ['quoted <script>alert("x")</script>', "3 < 4 and 5 > 2", "<img src=x onerror=alert(1)>"]})
    assert P.markup_sentences(s)["sentence_id"].tolist() == ["a-s000", "b-s000"]


def test_rebuild_command_and_download_role(tmp_path):
    root = tmp_path / "repo"
    (root / "seeds").mkdir(parents=True)
    assert P.rebuild_command(root / "seeds", root, {"top_n": 15, "window": "sentence"}) == \
        "python -m scripts.build --seeds seeds --param top_n=15 --param window=sentence --pdf"
    cmd = P.rebuild_command(tmp_path / "other seeds", root, {}, pdf=False)
    assert cmd.endswith(f"--seeds '{tmp_path / 'other seeds'}'")
    assert P.download_role(tmp_path / "data" / "terms.csv", tmp_path) == "{download}`terms.csv <data/terms.csv>`"
    with pytest.raises(ValueError):
        P.download_role(tmp_path / "x`y.csv", tmp_path)


def test_md_table_raw_columns_and_numbered_block():
    df = pd.DataFrame({"name": ["<b>x</b>"], "link": ["{download}`a.csv <data/a.csv>`"]})
    text = report.md_table(df, raw=("link",))
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "{download}`a.csv <data/a.csv>`" in text
    block = report.md_table_block(df, caption="Caption <i>", name="tbl-x")
    table = block[block.index("````{table}"):block.rindex("````") + 4]  # raw LaTeX font lines around it
    assert table.startswith("````{table} Caption &lt;i&gt;\n:name: tbl-x\n") and table.endswith("\n````")
    with pytest.raises(ValueError):
        report.md_table_block(df, caption="c", name="bad name")


def test_data_and_methods_pages_declare_they_read_earlier_chapters():
    from scripts.build import reads_earlier_chapters

    for page in ("data.ipynb", "methods.ipynb"):
        assert reads_earlier_chapters(ROOT / page), page
    assert not reads_earlier_chapters(ROOT / "chapters" / "01_corpus.ipynb")


@pytest.mark.e2e
@pytest.mark.parametrize("page", ["intro.ipynb", "methods.ipynb", "data.ipynb"])
def test_report_pages_execute_on_tiny_corpus(page, tmp_path):
    """The report's own notebooks run on another corpus, with non-default folders, and glue their keys."""

    import papermill

    (tmp_path / "data").mkdir()
    pd.DataFrame({"doc_id": ["x"], "text": ["y"]}).to_csv(tmp_path / "data" / "sample.csv", index=False)
    params = {"seeds_dir": str(ROOT / "tests" / "fixtures" / "tiny"), "data_dir": str(tmp_path / "data"),
              "fig_dir": str(tmp_path / "figures")}
    if page == "methods.ipynb":
        params["chapters_dir"] = str(tmp_path / "no_chapters_yet")
        (tmp_path / "no_chapters_yet").mkdir()
    out = tmp_path / page
    papermill.execute_notebook(str(ROOT / page), str(out), parameters=params, cwd=str(tmp_path), kernel_name="python3",
                               progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    glued = {o["metadata"]["scrapbook"]["name"] for c in nb.cells if c.cell_type == "code"
             for o in c.get("outputs", []) if "scrapbook" in o.get("metadata", {})}
    expected = {"intro.ipynb": {"fig_intro_timeline", "coverage_text", "holdings_text"},
                "methods.ipynb": {"fig_pipeline", "tbl_parameters", "tbl_data_files", "bias_language_text"},
                "data.ipynb": {"tbl_downloads", "tbl_dictionary", "tbl_markup", "rebuild_cmd"}}[page]
    assert expected <= glued
    def glued_value(name: str, mime: str) -> str:
        out = next(o for c in nb.cells for o in c.get("outputs", []) if o.get("metadata", {}).get("scrapbook", {}).get("name") == name)
        return next(v for k, v in out["data"].items() if k.endswith(mime))

    if page == "data.ipynb":
        text = glued_value("tbl_markup", "text/markdown")
        assert "&lt;script&gt;alert(\"seed\")&lt;/script&gt;" in text and "<script>" not in text
        assert {"sample.csv", "inputs.csv", "packages.csv"} <= {p.name for p in (tmp_path / "data").iterdir()}
        assert glued_value("n_tables", "text/plain") == "3"
    if page == "intro.ipynb":
        assert (tmp_path / "figures" / "intro_timeline.png").stat().st_size > 10_000


def test_md_table_of_an_empty_frame_has_a_body_row():
    """Sphinx's LaTeX writer crashes on a table without body rows (StopIteration in depart_table)."""
    text = report.md_table(pd.DataFrame({"doc_id": [], "text": []}))
    assert text.splitlines()[2] == "| (none) |  |"
