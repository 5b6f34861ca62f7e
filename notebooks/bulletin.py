# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 12345 政务热线月度情况通报
#
# This notebook lays out one month's bulletin (情况通报). It computes nothing itself:
# every figure, table and sentence comes from `hotline.build_bulletin()`, and every piece
# of markup from `hotline.render.sections`. Run it top to bottom in JupyterLab to read the bulletin
# of the month set below, or let `hotline run MONTH` execute it and publish HTML, PDF,
# Excel and CSV tables to `output/<district folder>/<MONTH>/`.
#
# What ends up in the bulletin: the **display outputs** of the code cells below. Markdown
# cells (like this one), code, and cells tagged `analyst` (input checks, file writing)
# stay out of the HTML and PDF. Cells tagged `analysis` (环比, charts, each unit's
# drill-down) make the analysis flavour: the official flavour's exporter leaves them out,
# so one run of this notebook renders both.

# %% tags=["analyst"]
# The bundled Chinese fonts for every chart, and input errors shown as one clear message.
# %load_ext hotline.notebook

# %% tags=["parameters"]
month = "2023-03"  # 通报月份 YYYY-MM；季度 2023Q1、年度 2022 也可（季度、年度通报）
workspace = "../data/sample"  # 区县工作区目录（相对本笔记本所在目录，或绝对路径）
output_dir = ""  # 非空时把 tables/（CSV、summary.json）和 Excel 写到此目录；hotline run 会设置
flavour = "analysis"  # official: 只算通报正文；analysis: 另算环比、图表和各单位得分明细（两种版本都由此生成）

# %% tags=["analyst"]
from pathlib import Path

from IPython.display import display

from hotline.bulletin import build_bulletin, load_history
from hotline.inputs.workspace import load_workspace
from hotline.render import fonts, sections

if flavour not in ("official", "analysis"):
    raise ValueError(f"flavour must be 'official' or 'analysis', not {flavour!r}")
analysis = flavour == "analysis"
ws = load_workspace(Path(workspace))  # read once: earlier months' bulletins for 环比 come from it too
b = build_bulletin(month, ws)
# Styles (and, when run interactively, the Chinese fonts) for showing the sections here;
# the exported HTML and PDF bring their own.
# Its metadata carries the district's typefaces (district.yaml → fonts) to the PDF and Word exporters.
display(sections.style_html(None if output_dir else b), metadata=fonts.style_metadata(b.settings.fonts, ws.path))
display(sections.warnings_html(b.warnings))

# %% [markdown]
# ## 版头 and opening paragraph
# Title, issue number and publish date come from `months/<MONTH>/month.yaml`; the issuer
# and the red title from `district.yaml`.

# %%
display(sections.section_head(b))

# %% [markdown]
# ## 一、全市排名情况
# The city's table is `months/<MONTH>/city_ranking.csv` as the city sent it.

# %%
display(sections.section_city(b))

# %% [markdown]
# ## 二、区内情况统计
# (一) the district's deduction, (二) units doing well, (三) units whose resolution
# rate is below the district's, with the commentary on the unit that pulls it down most.

# %%
display(sections.section_district(b))

# %% [markdown]
# ## 三、本月热线特点
# (一) the most frequent 诉求类型, two to a table row; (二) 营商环境 praise and complaints.

# %%
display(sections.section_features(b))

# %% [markdown]
# ## 四、“接诉即办、未诉先办”专栏
# The stories are the Markdown files in `months/<MONTH>/stories/`.

# %%
display(sections.section_stories(b))

# %% [markdown]
# ## 附件: ranking tables of 街道 and 区直部门
# Printed on landscape pages; a bonus shows as `98.34+0.5`.

# %%
display(sections.section_appendix(b))

# %% [markdown]
# ## 附件2: 考核评分规则
# Generated from the scoring rules in `district.yaml`, so the bulletin states the rules it used;
# `display.rules_attachment: false` there leaves them out (and out of the 附件 line).

# %%
display(sections.section_rules(b))

# %% [markdown]
# ## Analysis flavour: 环比 and charts
# Earlier months' figures (up to 12) are built from the same workspace for the trends;
# the charts are SVG. Tagged `analysis`: not in the official bulletin.

# %% tags=["analysis"]
if analysis:
    from hotline.compute import trends
    from hotline.compute.drilldown import unit_drilldowns
    from hotline.render import analysis as hotline_analysis

    t = trends.build_trends(load_history(ws, b))
    display(hotline_analysis.section_analysis(b, t))

# %% [markdown]
# ## Analysis flavour: every unit's score in an overview, the drill-downs of the units below the district rate
# A drill-down gives each item's score, the 工单编号 behind every deduction with its times, and
# the unit's unresolved orders by 诉求类型 (`hotline.compute.drilldown.unit_drilldowns`). Every
# unit's own page (HTML and PDF) is written to units/ by the last cell, not shown here: the
# executed notebook stays a record of the run, however many units the district ranks.

# %% tags=["analysis"]
if analysis:
    drilldowns = unit_drilldowns(b.figures, hotline_analysis.ranked_units(b))
    display(hotline_analysis.section_drilldowns(b, drilldowns, t))

# %% [markdown]
# ## Files for `hotline run`
# With `output_dir` set, the tables (CSV + summary.json) and the Excel workbook are written there.

# %% tags=["analyst"]
if output_dir:
    from hotline.run.outputs import write_month_files

    pages = hotline_analysis.unit_pages(b, drilldowns, t) if analysis else None  # units/<全称>.html
    out = Path(output_dir)
    written = write_month_files(b, out, Path(workspace), pages)
    print(f"写出 {len(written)} 个文件: " + "、".join(str(p.relative_to(out)) for p in written[:12])
          + ("……" if len(written) > 12 else ""))
