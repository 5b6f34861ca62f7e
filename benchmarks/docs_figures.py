"""The times the README and the docs quote, written from the benchmarks' own figures.

    .venv/bin/python benchmarks/docs_figures.py          # rewrite every block from the JSON files

A figure in the docs stands between ``<!-- figures:NAME -->`` and ``<!-- /figures -->``; this
script writes each block from BENCHMARKS.json (benchmarks/bench.py) and benchmarks/edit_loop.json
(benchmarks/edit_loop.py), and tests/test_docs.py checks that every block is what these figures
give, so a time in the docs is never typed by hand or left behind by a new measurement.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {"bench": ROOT / "BENCHMARKS.json", "edit": Path(__file__).with_name("edit_loop.json")}
DOCS = [ROOT / "README.md", ROOT / "docs" / "rendering.md", ROOT / "docs" / "editing.md"]
BLOCK = re.compile(r"(<!-- figures:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /figures -->)", re.S)


def _s(x: float) -> str:
    """Seconds as the docs print them: 0.06 s, 2.2 s, 30 s."""
    if x < 0.1:
        return f"{x:.2f} s"
    return f"{x:.1f} s" if x < 20 else f"{x:.0f} s"


def _cn(x: float) -> str:
    return f"{x:.2f}" if x < 0.1 else f"{x:.1f}"


def figures() -> dict:
    return {name: json.loads(path.read_text(encoding="utf-8")) for name, path in SOURCES.items()}


def sample_month(f: dict) -> str:
    warm, both = f["bench"]["sample"]["warm"], f["bench"]["sample"]["both"]
    return (f"Time on the sample month (`BENCHMARKS.md`: {f['bench']['machine'].split(';')[0]}; caches warm, "
            f"Python API): `official` {_s(warm['total'])} (kernel start {_s(warm['kernel_start'])}, notebook "
            f"{_s(warm['notebook'])}, then HTML {_s(warm['html'])}, PDF {_s(warm['pdf'])} and the Word document "
            f"{_s(warm['docx'])}); `both` {_s(both['total'])} (the analysis cells, five earlier months for the 环比, "
            f"the charts and 47 drill-downs, take most of the notebook's {_s(both['notebook'])}; the analysis PDF's "
            f"{both['pages']['analysis.pdf']} pages {_s(both['analysis_pdf'])}). The exports overlap the notebook's "
            "later cells, so the stages add up to more than the total.\n")


def typst_pages(f: dict) -> str:
    sample, city = f["bench"]["sample"]["both"], f["bench"]["city"]
    per_page = sample["analysis_pdf"] / sample["pages"]["analysis.pdf"]
    return (f"Typst sets the PDF in about {per_page * 1000:.0f} ms a page (`BENCHMARKS.md`): the sample's "
            f"{sample['pages']['bulletin.pdf']} pages in {_s(sample['pdf'])} and the analysis flavour's "
            f"{sample['pages']['analysis.pdf']} in {_s(sample['analysis_pdf'])}; a synthetic city's (500 units) "
            f"{city['pages']['analysis.pdf']:,}-page analysis PDF in {_s(city['analysis_pdf'])}.\n")


def _edit_loop(f: dict) -> dict[str, float]:
    """The editing loop's figures the docs quote (an edit within GB2312)."""
    lab, cmd = f["edit"]["lab"], f["edit"]["command (render_month, official)"]["within GB2312"]
    return {"shown": lab["edit within GB2312: shown"], "all": lab["edit within GB2312: Run All"],
            "first": lab["first Run All, new kernel"], "command": cmd["total"], "html": cmd["html"]}


def edit_loop(f: dict) -> str:
    e = _edit_loop(f)
    return (f"After a wording edit with characters the bulletin had not used (`benchmarks/edit_loop.py`): "
            f"Run All in the lab's running kernel shows it after {_s(e['shown'])} and ends after {_s(e['all'])} "
            f"with the analysis cells (a new kernel's first Run All: {_s(e['first'])}); "
            f"`hotline run 2023-03 --flavour official` {_s(e['command'])}, its HTML {_s(e['html'])}.\n")


def edit_loop_cn(f: dict) -> str:
    e = _edit_loop(f)
    return (f"改了措辞（哪怕用了通报里原来没有的字）以后，在 JupyterLab 里不重启内核、重新运行全部单元格，约 "
            f"{_cn(e['shown'])} 秒后就能看到改过的句子（后面分析版的单元格全部跑完约 {_cn(e['all'])} 秒）；"
            f"`hotline run 2023-03 --flavour official` 约 {_cn(e['command'])} 秒，其中 HTML {_cn(e['html'])} 秒"
            "（2 核电脑上 `benchmarks/edit_loop.py` 实测）。\n")


WRITERS = {"sample-month": sample_month, "typst-pages": typst_pages, "edit-loop": edit_loop, "edit-loop-cn": edit_loop_cn}


def rewrite(text: str, f: dict) -> str:
    """`text` with every figures block written anew."""
    return BLOCK.sub(lambda m: m[1] + WRITERS[m["name"]](f) + m[4], text)


def main() -> None:
    f = figures()
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        new = rewrite(text, f)
        if new != text:
            doc.write_text(new, encoding="utf-8")
            print(f"wrote {doc.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
