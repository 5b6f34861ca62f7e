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
# # 草稿本：查看、核对一个月的数据
#
# 这个笔记本给分析人员核对、试算用。**`hotline run` 从不运行它**，这里写的东西不会进入任何通报，
# 随便加单元格、改代码都可以。要写进通报的内容（段落、图表）请写在 `bulletin.ipynb` 里
# （见 docs/editing.md 第三节）。
#
# 改下面的 `month`、`workspace`，然后从头运行（Run → Run All Cells）。`b` 是这个月通报用到的全部数字，
# 与 `bulletin.ipynb` 里的 `b` 相同。
# `b.figures` 是算出的数字（工单、各单位件数、得分、排名、全区数字），`b.selections` 是通报从中挑出的单位和
# 诉求类型，`b.text` 是通报的句子和表格。

# %%
# %load_ext hotline.notebook

# %% tags=["parameters"]
month = "2023-03"  # 月份 YYYY-MM
workspace = "../data/sample"  # 区县工作区目录（相对本笔记本所在目录，或绝对路径）

# %%
from pathlib import Path

import pandas as pd

from hotline.bulletin import build_bulletin
from hotline.inputs.workspace import load_workspace
from hotline.names import EXPORT_COLUMNS

ws = load_workspace(Path(workspace))
b = build_bulletin(month, ws)
b.figures.district  # 全区签收、办结、回访、未解决件数和问题解决率

# %% [markdown]
# ## 本月工单
# 每行一张工单，列名换回平台导出的中文表头（诉求人、联系电话、诉求内容、事发地址不读入，这里也没有）。

# %%
orders = b.figures.orders.rename(columns={v: k for k, v in EXPORT_COLUMNS.items()})
orders.head()

# %% [markdown]
# ## 各单位的件数、得分和排名

# %%
units = b.figures.counts[["signed", "visited", "unresolved"]].join(b.figures.ranked[["category", "total", "bonus", "rank"]])
units.sort_values(["category", "rank"]).head(20)

# %% [markdown]
# ## 例：未解决工单最多的单位和诉求类型

# %%
unresolved = b.figures.orders[b.figures.flags["unresolved"] > 0]  # 回访为未解决的工单，与通报的口径相同
pd.crosstab(unresolved["unit"], unresolved["category"]).stack().sort_values(ascending=False).head(10)
