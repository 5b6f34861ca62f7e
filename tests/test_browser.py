"""The notebook in JupyterLab, as an analyst sees it: served headless, driven by Playwright.

JupyterLab (the venv's) serves a copy of the notebook from a temporary folder, on 127.0.0.1 with a
token; Debian's Chromium (/usr/bin/chromium; Playwright's own browser download is not used) opens
it and runs all cells from the Run menu. Then: no cell ends in an error, and every character shown
in an output area or a rendered Markdown cell is drawn by the page's own web fonts (the bundled
Hotline Sans SC / Serif SC of the style output, sections.style_html), none by a system font, which on
a machine without CJK fonts would draw boxes; in the code editor, a system monospace may draw the
Latin text but the Chinese comes from the bundled fonts. Chromium reports the fonts it used for each
text node through the DevTools Protocol (CSS.getPlatformFontsForNode).

Skips, saying why, without Chromium (`apt-get install chromium`), Playwright or JupyterLab
(`pip install -e '.[test,lab]'`).
"""

import contextlib
import importlib.util
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

import hotline
from factories import stop_jupyter
from hotline import config
from hotline.render import fonts
from hotline.run.lab import write_settings

pytestmark = pytest.mark.slow  # drives a browser over rendered pages and the lab

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent (Debian: apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
if importlib.util.find_spec("jupyterlab") is None:
    pytest.skip("JupyterLab is not installed (pip install -e '.[test,lab]')", allow_module_level=True)

# A closed network: no background connections, no first-run work; a fresh profile (user_data_dir).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SERVER_START = 90  # seconds for JupyterLab to answer
RUN_ALL = 420  # seconds for the kernel to run every cell (the sample month's bulletin, fonts subset afresh)
STARTED = 30  # seconds for the first cell to be queued after Run All Cells
UI = 60_000  # milliseconds for a page element to appear
# Lab settings: every cell in the DOM (no windowing, so every output can be checked); no news or update checks.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]")
# What an analyst adds to the notebook: printed text, a warning (stderr), Markdown, a pandas table.
ANALYST_CELL = """\
import warnings

import pandas as pd
from IPython.display import Markdown

print("打印：芙蓉区本月签收工单，环比上升。")
warnings.warn("提示：这是分析人员的警告。", stacklevel=1)
display(Markdown("**加粗的说明** 与 `代码：得分`"))
pd.DataFrame({"单位": ["定王台街道", "区城管局"], "得分": [98.5, 97.25]})
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _notebook(path: Path, workspace: str = str(config.DEFAULT_WORKSPACE)) -> None:
    """The package's notebook as `path` (.ipynb), reading `workspace` (the sample's, by its absolute path)."""
    import jupytext

    nb = jupytext.read(config.NOTEBOOK)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source, n = re.subn(r"(?m)^workspace = .*$", f"workspace = {workspace!r}", params.source)
    assert n == 1, params.source
    nb.cells.append(nbformat.v4.new_code_cell(ANALYST_CELL))
    jupytext.write(nb, path)


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read()


@pytest.fixture
def lab(tmp_path):
    """JupyterLab serving tmp_path/nb (holding bulletin.ipynb) on 127.0.0.1: yields (base URL, token, folder)."""
    root = tmp_path / "nb"
    root.mkdir()
    _notebook(root / "bulletin.ipynb")
    _notebook(root / "failing.ipynb", workspace=str(tmp_path / "没有这个工作区"))
    (root / "填写说明.md").write_text("# 说明\n", encoding="utf-8")  # a Chinese name in the file browser
    settings = tmp_path / "lab-settings"
    for name, values in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values), encoding="utf-8")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ,
               # The kernel imports the hotline under test (a checkout's lib/, not only the installed one).
               PYTHONPATH=os.pathsep.join(filter(None, [str(Path(hotline.__file__).parents[1]), os.environ.get("PYTHONPATH")])),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"))
    # as `hotline lab` starts it: the whole page in the bundled fonts (custom.css)
    cmd = [sys.executable, "-m", "jupyterlab", f"--config={write_settings(tmp_path / 'hotline-lab')}", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.news_url=None"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log = (tmp_path / "lab.log").open("wb")
    server = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START
        while True:
            assert server.poll() is None, f"jupyter lab exited ({server.returncode}):\n{(tmp_path / 'lab.log').read_text(errors='replace')}"
            try:
                _get(f"{base}/api/status?token={token}")
                break
            except OSError:
                assert time.monotonic() < deadline, f"jupyter lab did not answer in {SERVER_START} s"
                time.sleep(0.5)
        yield base, token, root
    finally:
        # Shut down through the API (its kernels too), then by signal to the server's own process group.
        stop_jupyter(server, base, token)
        log.close()


def _prompts(page) -> list[str]:
    return page.eval_on_selector_all(".jp-CodeCell .jp-InputPrompt", "els => els.map(e => e.textContent.trim())")


def _click_run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def _run_all(page) -> None:
    """Run → Run All Cells, then wait until every code cell has an execution count and the kernel is idle."""
    _click_run_all(page)
    start = time.monotonic()
    while True:
        prompts = _prompts(page)
        status = page.get_attribute(".jp-Notebook-ExecutionIndicator", "data-status")
        if prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts) and status == "idle":
            return
        # Run before the session has its kernel, JupyterLab asks which one: the notebook's own (the default).
        dialog = page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept")
        if dialog.count():
            dialog.first.click()
        waited = time.monotonic() - start
        assert waited < STARTED or set(prompts) != {"[ ]:"}, f"no cell started in {STARTED} s (kernel {status})"
        assert waited < RUN_ALL, f"cells not run in {RUN_ALL} s: kernel {status}, prompts {prompts}"
        time.sleep(1)


def _texts(cdp, doc, selector: str) -> dict[int, tuple[str, str]]:
    """The text nodes under `selector` in `doc` (DOM.getDocument) holding non-ASCII characters:
    nodeId -> (their element's tag, the text)."""
    ids = set(cdp.send("DOM.querySelectorAll", {"nodeId": doc["root"]["nodeId"], "selector": selector})["nodeIds"])
    found: dict[int, tuple[str, str]] = {}

    def walk(node, inside: bool):
        inside = inside or node["nodeId"] in ids
        for child in node.get("children", []):
            if child["nodeType"] == 3:
                if inside and not child["nodeValue"].isascii() and node["nodeName"] not in ("STYLE", "SCRIPT"):
                    found[child["nodeId"]] = (node["nodeName"].lower(), child["nodeValue"])
            else:
                walk(child, inside)

    walk(doc["root"], False)
    return found


def _used_fonts(cdp, node_id: int) -> list[dict]:
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]


@contextlib.contextmanager
def _notebook_page(lab, tmp_path, name: str):
    """Chromium showing notebook `name` of the served folder, its kernel idle: yields (context, page);
    a screenshot of the page when the test fails."""
    base, token, _ = lab
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000})
        page = context.pages[0] if context.pages else context.new_page()
        try:
            context.set_default_timeout(UI)
            page.goto(f"{base}/lab/tree/{name}?token={token}", wait_until="domcontentloaded")
            page.wait_for_selector(".jp-Notebook .jp-CodeCell")
            # The kernel's session first ("No Kernel" until then), then the kernel idle.
            page.wait_for_function("""() => {
                const name = document.querySelector('.jp-KernelName'), state = document.querySelector('.jp-Notebook-ExecutionIndicator');
                return name && state && !/No Kernel/.test(name.textContent) && state.dataset.status === 'idle';
            }""")
            yield context, page
        except BaseException:
            page.screenshot(path=str(tmp_path / "failed.png"))  # what the page showed, for the failure's report
            print(f"screenshot of the failure: {tmp_path / 'failed.png'}")
            raise
        finally:
            context.close()


def test_lab_runs_all_cells_and_its_fonts_cover_every_character(lab, tmp_path):
    root = lab[2]
    bundled = {f.name for f in fonts.fonts()}  # Noto Sans SC, Noto Serif SC: the families inside the web fonts
    with _notebook_page(lab, tmp_path, "bulletin.ipynb") as (context, page):
        _run_all(page)

        # Saved, the notebook's outputs say whether a cell failed: no error, no traceback on stderr.
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while True:
            try:
                saved = json.loads((root / "bulletin.ipynb").read_text(encoding="utf-8"))
            except ValueError:  # being written
                saved = {"cells": [{"cell_type": "code"}]}
            if all(c.get("execution_count") for c in saved["cells"] if c["cell_type"] == "code"):
                break
            assert time.monotonic() < deadline, "the notebook was not saved"
            time.sleep(0.5)
        outputs = [o for c in saved["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
        errors = [o for o in outputs if o["output_type"] == "error"]
        assert not errors, "\n".join(f"{o['ename']}: {o['evalue']}" for o in errors)
        stderr = ["".join(o["text"]) for o in outputs if o["output_type"] == "stream" and o["name"] == "stderr"]
        assert not any("Traceback" in t for t in stderr), stderr
        assert page.locator(".jp-OutputArea-output .bulletin").count() > 0, "no bulletin section shown"
        for shown in ("打印：芙蓉区", "提示：这是分析人员的警告", "加粗的说明", "定王台街道"):  # the analyst's cell
            assert page.locator(".jp-OutputArea-output", has_text=shown).count(), shown

        screenshot = tmp_path / "lab.png"
        page.locator(".jp-OutputArea-output .doc-head").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot))
        page.locator(".jp-OutputArea-output", has_text="定王台街道").last.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "lab-analyst.png"))
        print(f"screenshots: {screenshot}, {tmp_path / 'lab-analyst.png'}")

        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        # Output areas and Markdown prose: every glyph from the page's own fonts.
        doc = cdp.send("DOM.getDocument", {"depth": -1})  # once: a second call would renumber the nodes
        shown = _texts(cdp, doc, ".jp-OutputArea-output, .jp-MarkdownOutput")
        code = _texts(cdp, doc, ".jp-MarkdownOutput code, .jp-MarkdownOutput pre, .jp-CodeMirrorEditor .cm-content")
        prose = {k: v for k, v in shown.items() if k not in code}
        # Fonts per text node; none for a node not laid out (not shown: a rendered Markdown cell's editor).
        drawn = {k: _used_fonts(cdp, k) for k in {**prose, **code}}
        chinese = sum(bool(drawn[k] and CJK.search(t)) for k, (_, t) in prose.items())
        assert chinese > 100, f"only {chinese} texts with Chinese shown: too few to check"
        fallback = {}
        for node_id, (tag, text) in prose.items():
            bad = [f["familyName"] for f in drawn[node_id] if not (f["isCustomFont"] and f["familyName"] in bundled)]
            if bad:
                fallback[f"<{tag}> {text[:40]!r}"] = bad
        assert not fallback, f"{len(fallback)} texts drawn (partly) in fonts other than the bundled ones: {dict(list(fallback.items())[:15])}"
        # Code: a system monospace may draw the Latin text, the bundled fonts draw the Chinese.
        missing = {}
        for node_id, (tag, text) in code.items():
            used = drawn[node_id]
            bundled_glyphs = sum(f["glyphCount"] for f in used if f["isCustomFont"] and f["familyName"] in bundled)
            if used and bundled_glyphs < len(CJK.findall(text)):
                missing[f"<{tag}> {text[:40]!r}"] = used
        assert not missing, f"Chinese in code not drawn by the bundled fonts: {dict(list(missing.items())[:10])}"
        print(f"fonts checked: {len(prose)} texts shown ({chinese} with Chinese), {sum(bool(drawn[k]) for k in code)} of code")


def _foreign_fonts(cdp, doc, selector: str, bundled: set[str]) -> tuple[int, dict]:
    """(how many texts with Chinese under `selector` were laid out, those drawn partly in other fonts)."""
    texts = _texts(cdp, doc, selector)
    checked, bad = 0, {}
    for node_id, (tag, text) in texts.items():
        used = _used_fonts(cdp, node_id)
        if not used or not CJK.search(text):
            continue
        checked += 1
        cjk = sum(f["glyphCount"] for f in used if f["isCustomFont"] and f["familyName"] in bundled)
        if cjk < len(CJK.findall(text)):
            bad[f"<{tag}> {text[:40]!r}"] = used
    return checked, bad


def test_a_failing_first_cell_is_in_the_bundled_fonts_and_the_file_browser_at_the_root(lab, tmp_path):
    """The notebook's cell that reads the workspace fails before any output has brought the fonts:
    its Chinese message is drawn by the bundled fonts of the lab's custom.css. The file browser
    shows the served root's files. (Its Chinese file names still take a system font in Chromium,
    although the face is loaded and covers them: not yet solved.)"""
    bundled = {f.name for f in fonts.fonts()}
    with _notebook_page(lab, tmp_path, "failing.ipynb") as (context, page):
        _click_run_all(page)
        message = page.locator(".jp-OutputArea-output", has_text="找不到")
        message.first.wait_for(timeout=RUN_ALL * 1000)
        assert page.locator(".jp-OutputArea-output .bulletin").count() == 0  # no output brought the fonts
        listing = page.locator(".jp-DirListing-itemText").all_inner_texts()
        assert {"bulletin.ipynb", "failing.ipynb", "填写说明.md"} <= set(listing), listing
        page.screenshot(path=str(tmp_path / "failing.png"))
        print(f"screenshot: {tmp_path / 'failing.png'}")

        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        doc = cdp.send("DOM.getDocument", {"depth": -1})
        shown, bad = _foreign_fonts(cdp, doc, ".jp-OutputArea-output", bundled)
        assert shown >= 1 and not bad, f"the failing cell's message: {bad}"
