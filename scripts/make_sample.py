#!/usr/bin/env python3
"""Write the deterministic synthetic work-order exports for 2022-10 to 2023-03.

The files go to data/sample/exports/ and are built so that an engine implementing
the spec (/work/shared/spec/README.md) exactly reproduces every published figure of
the March 2023 bulletin (golden/2023-03). The generator knows the targets (the table
below, derived from the golden tables); the engine must not.

February and March (exact targets), in order:
  1. plan   - per unit, how many rows of each *kind* (see KINDS) and which rows are
              unresolved / dissatisfied / late / extended / rejected / sent back;
  2. pair   - merge rows of two units into co-handled orders (one 工单编号, two rows);
  3. label  - order-level attributes: 诉求类型 (hot-topic quotas), 来源渠道, 营商环境类别,
              fake personal data;
  4. time   - timestamps per row, consistent with its kind and planned events, then
              every row is re-classified from its timestamps by the spec rules and
              compared with the plan (so the plan and the data cannot drift apart);
  5. write  - three snapshot files (Feb XLSX, March batch 1 GB18030 CSV, March batch 2
              UTF-8-BOM CSV); the last file by name holds the final state of a row.

The months without published targets (section 6) come from per-unit *profiles*: the
unit's March figures as rates, moved by a few trends (units improving or slipping) and
by seasonal volumes and topics (供暖取暖 in winter, 欠薪 before 春节, 雨水倒灌 in March).
October to January are generated from the profiles alone, each on its own random
stream; February's February-only rows (kind G) are re-drawn from its profile, and a few
seasonal topics are laid over February and March orders, all with their own streams, so
the exact-target machinery above draws exactly what it drew before. Every order is
dispatched and signed in its month and finished within the next one; a month's file
holds its rows as at the month's end plus the previous month's rows that changed since
(the later file wins); September rows finished in October give October its carry-over. Section 7 writes months/<YYYY-MM>/ (month.yaml, city_ranking.csv)
for the five months before March; issues are numbered within the reported month's year
with 第 1 期 being the annual review, so month m is 第 m+1 期 (〔2023〕第 4 期 = March).

Run: .venv/bin/python scripts/make_sample.py
"""

from __future__ import annotations

import csv
import random
import re
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
EXPORTS = SAMPLE / "exports"
MONTHS_DIR = SAMPLE / "months"
SEED = 20230331

FEB = datetime(2023, 2, 1)
MAR = datetime(2023, 3, 1)
APR = datetime(2023, 4, 1)
T0 = MAR                          # the February export was taken at 1 March 00:00
T1 = datetime(2023, 3, 21)        # March batch 1 snapshot
T2 = datetime(2023, 4, 3, 18, 0)  # March batch 2 snapshot = final state

FILE_FEB = "2023-02_工单明细.xlsx"
FILE_B1 = "2023-03_工单明细_第1批.csv"
FILE_B2 = "2023-03_工单明细_第2批.csv"

COLUMNS = ["工单编号", "承办单位", "来源渠道", "诉求类型", "营商环境类别", "派单时间", "签收时间",
           "首次联系时间", "办理时限", "办结时间", "延期次数", "驳回次数", "重复交办次数", "发回重办次数",
           "重点督办", "回访时间", "是否解决", "满意度", "诉求人", "联系电话", "诉求内容", "事发地址"]

# Row kinds. Signed in March: A closed+visited in March, B closed in March but not
# visited in March, C not closed in March. Signed in February: D closed in Feb and
# visited in March, E closed+visited in March, F closed in March, not visited,
# G February only. X: dispatched 31 March, not signed yet.
KINDS = "ABCDEFGX"

# ---------------------------------------------------------------------------
# Targets. Event counts are the published deductions divided by the per-event
# amount (e.g. 及时联系 9.86 -> 14 late contacts at 0.01). visited/unresolved: for
# the 13 units of below_district.csv the published counts; for the others a pair
# (V, U) with 20 * round_half_up((V-U)/V, 3) == published 问题解决, chosen so that
# sum(V) - 5150 = 152 co-handled orders visited by both units and
# sum(U) - 593 = 64 of them unresolved for both (distinct counts stay exact).
# dissat/basic: 不满意 / 基本满意 among rows visited in March (回访评价).
# columns: unit|signed|late_sign|late_contact|late_close|extensions|rejections|
#          send_backs|visited|unresolved|dissat|basic
TARGETS = """
东岸街道办事处|49|0|0|0|0|0|0|42|1|0|0
韭菜园街道办事处|77|0|4|0|0|0|0|61|2|0|0
东湖街道办事处|48|0|1|0|0|0|0|42|2|0|0
湘湖管理局|102|1|0|0|0|0|0|89|4|0|0
东屯渡街道办事处|215|0|2|1|0|0|0|207|16|0|0
五里牌街道办事处|76|0|0|0|0|0|0|83|7|0|0
火星街道办事处|117|0|0|0|0|0|0|107|9|0|0
马王堆街道办事处|571|0|3|0|0|0|0|495|45|0|0
文艺路街道办事处|85|0|2|0|0|0|0|83|9|0|0
荷花园街道办事处|262|0|5|0|0|0|1|236|24|0|0
朝阳街道办事处|143|0|2|0|0|0|0|148|18|0|0
定王台街道办事处|116|0|3|0|0|0|1|115|13|0|0
马坡岭街道办事处|101|2|9|0|0|20|0|108|13|0|0
隆平水稻博物馆|3|0|0|0|0|0|0|3|0|0|0
农业农村局|34|0|0|0|0|0|0|33|0|0|0
财政局|2|0|0|0|0|0|0|2|0|0|0
应急管理局|4|0|0|0|0|0|0|4|0|0|0
机关事务中心|1|0|0|0|0|0|0|2|0|0|0
长沙火车站地区综合管理办公室|7|0|0|0|0|0|0|7|0|0|0
组织部|2|0|0|0|0|0|0|2|0|0|0
信访局|0|0|0|0|0|0|0|2|0|0|0
民政局|13|0|0|0|0|0|0|12|0|0|0
文化旅游体育局|10|0|0|0|0|0|0|10|0|0|0
残联|4|0|0|0|0|0|0|4|0|0|0
行政审批服务局|76|0|0|0|0|0|0|73|0|0|0
金融事务中心|2|0|1|0|0|0|0|2|0|0|0
宣传部|5|1|0|0|0|0|0|5|0|0|0
商务局|33|0|3|0|0|0|0|96|1|0|0
园林绿化维护中心|27|0|0|0|0|0|0|23|1|0|0
市政设施维护中心|77|0|0|1|0|0|0|72|3|0|0
市容环境卫生维护中心|33|1|0|0|0|0|0|30|2|0|0
教育局|65|1|1|0|0|0|0|59|4|0|0
城建投公司|136|0|1|0|0|0|1|131|10|0|0
公共工程建设中心|19|0|0|0|0|0|0|20|1|2|9
退役军人事务局|8|0|0|0|0|0|0|8|1|0|0
卫生健康局|103|1|1|1|0|0|0|75|9|0|0
交通运输局|7|0|0|0|0|0|0|7|1|0|0
行政执法局|549|0|0|0|0|0|1|413|55|0|0
医疗保障局|327|2|1|4|0|21|1|276|27|0|0
人力资源和社会保障局|476|1|14|6|0|0|0|449|53|0|0
住房和城乡建设局|462|0|4|0|0|0|0|406|64|0|0
生态环境分局|6|0|0|0|18|1|0|6|0|0|0
城市人居环境局|9|0|1|0|10|0|0|8|1|0|0
市场监督管理局|1517|2|2|0|7|5|0|1226|255|0|0
城市管理局|10|0|0|0|0|0|0|7|2|0|0
发展和改革局|9|0|0|0|0|0|0|10|3|0|0
自然资源和规划分局|3|0|0|0|0|0|0|3|1|2|0
"""

DISTRICT_SIGNED, DISTRICT_CLOSED, DISTRICT_VISITED, DISTRICT_UNRESOLVED = 5804, 5231, 5150, 593
CHANNEL_QUOTAS = {"市长信箱": 52, "省交办件": 1, "政企通": 211, "省转办件": 62, "网络留言": 486}
DEFAULT_CHANNEL = "12345热线"
BB_PAIRS = 15          # co-handled orders closed (not visited) in March by both units
FEB_PAIRS = 150        # co-handled February-only orders, for plausible February figures
MARKET = "市场监督管理局"

# Hot topics: distinct orders signed in March per 诉求类型, split over the units whose
# domain they are ("街道" = spread over the streets in proportion to their orders).
TOP_QUOTAS = {
    "小区卫生": {"街道": 383, "市容环境卫生维护中心": 12},
    "小区绿化与公共设施": {"街道": 284, "园林绿化维护中心": 14, "住房和城乡建设局": 42},
    "其他网络消费纠纷": {MARKET: 337},
    "退费纠纷": {MARKET: 301, "教育局": 18, "商务局": 9, "文化旅游体育局": 5},
    "摊贩管理": {"街道": 84, "行政执法局": 120},
    "垃圾清理(含乱堆物堆料)": {"街道": 145, "行政执法局": 40, "市容环境卫生维护中心": 10},
}
OTHER_TYPE_CAP = 185   # every other type stays strictly below the 6th hot topic (195)
# 市场监督管理局's unresolved rows visited in March, by type (commentary: 69 and 59 lead).
MARKET_UNRESOLVED_TYPES = [("退费纠纷", 69), ("其他网络消费纠纷", 59), ("食品安全", 45),
                           ("产品质量", 38), ("价格争议", 26), ("预付卡消费", 18)]

STREET_TYPES = ["噪音扰民", "物业管理", "停车管理", "违章搭建", "房屋漏水", "邻里纠纷", "油烟污染",
                "下水道堵塞", "占道经营", "社区服务", "宠物扰民", "路灯故障", "电动车充电", "高空抛物", "供水"]
UNIT_TYPES = {
    MARKET: ["食品安全", "产品质量", "价格争议", "预付卡消费", "虚假宣传", "无证经营", "快递服务",
             "医疗美容纠纷", "计量器具", "特种设备安全"],
    "行政执法局": ["违章搭建", "占道经营", "油烟污染", "噪音扰民", "渣土运输", "户外广告"],
    "住房和城乡建设局": ["房屋质量", "物业管理", "电梯故障", "维修资金", "燃气安全", "老旧小区改造",
                       "建筑施工扰民", "供水"],
    "人力资源和社会保障局": ["劳动纠纷/欠薪", "社保缴费", "就业服务", "劳动合同", "退休待遇"],
    "医疗保障局": ["医保报销", "医保卡办理", "医保缴费", "异地就医备案"],
    "卫生健康局": ["医疗纠纷", "疫苗接种", "医疗服务", "计划生育"],
    "教育局": ["教育收费", "入学咨询", "校外培训", "校园安全"],
    "城建投公司": ["道路施工", "拆迁安置", "工程扰民"],
    "市政设施维护中心": ["道路破损", "路灯故障", "下水道堵塞", "井盖缺失"],
    "园林绿化维护中心": ["树木修剪", "绿化养护", "公园管理"],
    "市容环境卫生维护中心": ["道路清扫", "公厕管理", "垃圾清运"],
    "商务局": ["预付卡消费", "商业网点", "成品油经营"],
    "行政审批服务局": ["证照办理", "政务服务", "企业开办"],
    "农业农村局": ["动物防疫", "农资质量", "农村宅基地"],
    "民政局": ["低保救助", "养老服务", "婚姻登记", "殡葬管理"],
    "文化旅游体育局": ["文化市场", "旅游投诉", "体育场馆"],
    "生态环境分局": ["大气污染", "水污染", "噪音扰民"],
    "交通运输局": ["出租车服务", "公交线路", "网约车"],
    "退役军人事务局": ["优抚安置", "退役军人服务"],
    "城市人居环境局": ["人居环境整治", "城市更新"],
    "城市管理局": ["户外广告", "渣土运输", "燃气安全"],
    "发展和改革局": ["价格政策", "项目审批", "能源供应"],
    "自然资源和规划分局": ["规划审批", "不动产登记", "土地违法"],
    "公共工程建设中心": ["工程质量", "工程扰民"],
    "残联": ["残疾人补贴", "残疾证办理"],
    "应急管理局": ["安全生产", "消防隐患"],
    "金融事务中心": ["非法集资", "金融纠纷"],
    "财政局": ["财政补贴"],
    "组织部": ["党员管理"],
    "宣传部": ["公益广告"],
    "机关事务中心": ["公务用车"],
    "隆平水稻博物馆": ["场馆服务"],
    "信访局": ["信访事项"],
    "长沙火车站地区综合管理办公室": ["站前秩序", "黑车揽客"],
}
FALLBACK_TYPES = ["政策咨询", "建议意见", "其他"]

SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华霞平刚桂兰玉萍红娥玲芬燕斌浩凯鹏辉宇晨"
ROADS = ["晨光路", "杏林街", "芳华巷", "青禾路", "朝晖街", "锦绣路", "云帆路", "翠湖街", "聚贤路", "望月巷"]
ESTATES = ["金桂苑", "翠竹园", "滨河小区", "幸福里", "阳光家园", "书香名邸", "和煦小区", "新民小区"]


# ---------------------------------------------------------------------------
# Data model


@dataclass(frozen=True)
class Target:
    """Published figures for one unit, as whole event counts."""

    unit: str
    signed: int
    late_sign: int
    late_contact: int
    late_close: int
    extensions: int
    rejections: int
    send_backs: int
    visited: int
    unresolved: int
    dissat: int
    basic: int


@dataclass(eq=False)
class Row:
    """One (工单编号, 承办单位) row: its plan, then its final timestamps."""

    unit: str
    kind: str
    unresolved: bool = False
    satisfaction: str | None = None
    late_sign: bool = False
    late_contact: bool = False
    contact_missing: bool = False     # late contact because none was ever made
    late_close: bool = False
    feb_deadline_late: bool = False   # closed in March after a February deadline (not a March event)
    send_back: bool = False           # re-handled after T1: batch 1 shows the first closure
    revisit: bool = False             # re-visited after T1: batch 1 shows the first visit
    extensions: int = 0
    rejections: int = 0
    repeats: int = 0
    feb_send_backs: int = 0
    supervised: bool = False
    pin: str = ""                     # boundary case, see pin_boundaries()
    order: Order | None = None
    spelling: str = ""
    dispatch: datetime | None = None
    sign: datetime | None = None
    contact: datetime | None = None
    deadline: datetime | None = None
    close: datetime | None = None
    visit: datetime | None = None
    earlier: dict = field(default_factory=dict)   # field overrides for the batch-1 version

    @property
    def visited_in_march(self) -> bool:
        return self.kind in "ADE"


@dataclass(eq=False)
class Order:
    """One 工单编号 with its rows (two rows when co-handled) and order-level attributes."""

    rows: list[Row]
    order_id: str = ""
    channel: str = DEFAULT_CHANNEL
    topic: str = ""
    business: str = ""
    claimant: str = ""
    phone: str = ""
    content: str = ""
    address: str = ""

    @property
    def domain(self) -> str:
        """The unit whose domain decides the 诉求类型 (the first row's unit)."""
        return self.rows[0].unit

    @property
    def signed_in_march(self) -> bool:
        return self.rows[0].kind in "ABC"


# ---------------------------------------------------------------------------
# 1. Plan


def load_units() -> list[dict]:
    """The registry in display order: full name, category, alternative spellings."""
    with open(SAMPLE / "units.csv", encoding="utf-8-sig", newline="") as fh:
        units = []
        for rec in csv.DictReader(fh):
            aliases = [a.strip() for a in rec["别名"].split(";") if a.strip()]
            spellings = [s for s in dict.fromkeys([rec["简称"], *aliases]) if s and s != rec["全称"]]
            units.append({"full": rec["全称"], "category": rec["类别"], "spellings": spellings})
    return units


def parse_targets() -> dict[str, Target]:
    """TARGETS as Target records keyed by unit full name."""
    targets = {}
    for line in TARGETS.strip().splitlines():
        name, *nums = line.split("|")
        targets[name] = Target(name, *map(int, nums))
    return targets


def plan_unit(t: Target, rng: random.Random) -> list[Row]:
    """Rows of one unit for kinds A-E with visit outcomes and satisfaction set.

    Visited-in-March rows come mostly from March-signed rows (A); the rest are
    February-signed carry-over (D, E), at least 7 % of visits so every sizeable unit
    shows 含上月流转工单. Of the March-signed rows not visited, 20 % are closed (B)
    and the rest still open at month end (C).
    """
    carry = t.visited if t.signed == 0 else max(t.visited - (9 * t.signed) // 10, round(0.07 * t.visited))
    n_a = t.visited - carry
    assert 0 <= n_a <= t.signed, t
    rest = t.signed - n_a
    n_b = round(0.2 * rest)
    n_d = round(0.6 * carry)
    rows = [Row(t.unit, k) for k, n in (("A", n_a), ("B", n_b), ("C", rest - n_b),
                                        ("D", n_d), ("E", carry - n_d)) for _ in range(n)]
    a_rows = [r for r in rows if r.kind == "A"]
    carry_rows = [r for r in rows if r.kind in "DE"]
    u_a = min(round(t.unresolved * n_a / t.visited), n_a)
    for r in rng.sample(a_rows, u_a) + rng.sample(carry_rows, t.unresolved - u_a):
        r.unresolved = True
    visited = a_rows + carry_rows
    for r in visited:
        r.satisfaction = "满意"   # 回访评价 15 means no 不满意 and no 基本满意 at all
    marked = rng.sample(visited, t.dissat + t.basic)
    for r in marked[:t.dissat]:
        r.satisfaction = "不满意"
    for r in marked[t.dissat:]:
        r.satisfaction = "基本满意"
    return rows


def add_february_rows(rows_by_unit: dict[str, list[Row]], targets: dict[str, Target],
                      n_pairs: int, rng: random.Random) -> None:
    """Add F rows (Feb-signed, closed in March, not visited) so that the distinct
    orders closed in March come out at DISTRICT_CLOSED, and G rows (February only)."""
    count = Counter(r.kind for rows in rows_by_unit.values() for r in rows)
    # closed in March rows = A+B+E+F; co-handled A-A and B-B orders count once.
    n_f = DISTRICT_CLOSED + n_pairs - (count["A"] + count["B"] + count["E"])
    assert n_f >= 0, n_f
    for unit, share in largest_remainder({u: t.signed for u, t in targets.items()}, n_f).items():
        rows_by_unit[unit] += [Row(unit, "F") for _ in range(share)]
    for unit, t in targets.items():
        carried = sum(r.kind in "DEF" for r in rows_by_unit[unit])
        n_g = max(2, round(0.88 * t.signed) - carried)
        rows_by_unit[unit] += [Row(unit, "G") for _ in range(n_g)]


def largest_remainder(weights: dict[str, float], total: int) -> dict[str, int]:
    """Split `total` in proportion to `weights` in whole numbers (Hamilton method)."""
    wsum = sum(weights.values())
    exact = {k: total * w / wsum for k, w in weights.items()}
    shares = {k: int(v) for k, v in exact.items()}
    short = total - sum(shares.values())
    for k in sorted(exact, key=lambda k: exact[k] - shares[k], reverse=True)[:short]:
        shares[k] += 1
    return shares


def assign_events(rows: list[Row], t: Target, rng: random.Random) -> None:
    """Mark the unit's late/extension/rejection/send-back events on its March-signed rows."""
    march = [r for r in rows if r.kind in "ABC"]
    for r in rng.sample(march, t.late_sign):
        r.late_sign = True
    closable = [r for r in march if r.kind in "AB"]
    open_rows = [r for r in march if r.kind == "C"]
    # one late closure per unit with several is an order still open past a March deadline
    n_open_late = 1 if t.late_close >= 4 and open_rows else 0
    for r in rng.sample(closable, t.late_close - n_open_late) + rng.sample(open_rows, n_open_late):
        r.late_close = True
    late_contacts = rng.sample(march, t.late_contact)
    for r in late_contacts:
        r.late_contact = True
    if t.late_contact >= 9:
        # one late contact is a C row that never got a first contact at all
        candidates = [r for r in open_rows if not r.late_close and r not in late_contacts]
        late_contacts[0].late_contact = False
        chosen = rng.choice(candidates)
        chosen.late_contact = chosen.contact_missing = True
    spread(march, t.extensions, "extensions", rng)
    spread(march, t.rejections, "rejections", rng)
    plain_a = [r for r in march if r.kind == "A" and not r.late_close and not r.unresolved]
    for r in rng.sample(plain_a, t.send_backs):
        r.send_back = True


def spread(rows: list[Row], total: int, attr: str, rng: random.Random, most: int = 3) -> None:
    """Distribute `total` counts over rows, at most `most` per row."""
    assert total <= most * len(rows), (attr, total)
    while total:
        r = rng.choice(rows)
        if getattr(r, attr) < most:
            setattr(r, attr, getattr(r, attr) + 1)
            total -= 1


def mark_february_traps(rows: list[Row], rng: random.Random) -> None:
    """Counts on February-signed rows: they must NOT count for March (signed in Feb)."""
    for r in rows:
        if r.kind not in "DEFG":
            continue
        roll = rng.random()
        if roll < 0.02:
            r.extensions = rng.randint(1, 2)
        elif roll < 0.04:
            r.rejections = rng.randint(1, 3)
        elif roll < 0.05:
            r.repeats = 1
        elif roll < 0.06:
            r.supervised = True
        elif roll < 0.07 and r.kind == "G":
            r.feb_send_backs = 1   # closed in February: not a March 发回重办
        if r.kind == "G" and rng.random() < 0.03:
            r.late_sign = True
        if r.kind == "G" and rng.random() < 0.02:
            r.late_close = True
    for r in rng.sample([r for r in rows if r.kind in "EF"], 3):
        r.feb_deadline_late = True


# ---------------------------------------------------------------------------
# 2. Pair rows into orders


def make_orders(rows_by_unit: dict[str, list[Row]], category: dict[str, str],
                pair_plan: list[tuple[str, bool | None, int]], rng: random.Random) -> list[Order]:
    """Co-handled orders per pair_plan (kind, unresolved or None for any, count);
    every other row is an order of its own."""
    orders: list[Order] = []
    paired: set[int] = set()
    for kind, unresolved, n in pair_plan:
        pools = {u: [r for r in rows if r.kind == kind and not r.send_back and not r.revisit
                     and (unresolved is None or r.unresolved == unresolved)]
                 for u, rows in rows_by_unit.items()}
        # small units keep their few rows to themselves
        pools = {u: rng.sample(p, len(p)) for u, p in pools.items() if len(rows_by_unit[u]) >= 20}
        for _ in range(n):
            first = weighted_unit(pools, set(pools), rng)
            other = {u for u in pools if category[u] != category[first]}
            second = weighted_unit(pools, other, rng)
            if second == MARKET:      # the market regulator's orders keep its own topics
                first, second = second, first
            pair = [pools[first].pop(), pools[second].pop()]
            paired.update(map(id, pair))
            orders.append(Order(pair))
    for rows in rows_by_unit.values():
        orders += [Order([r]) for r in rows if id(r) not in paired]
    for o in orders:
        for r in o.rows:
            r.order = o
    return orders


def weighted_unit(pools: dict[str, list[Row]], allowed: set[str], rng: random.Random) -> str:
    """A unit from `allowed` with probability proportional to its remaining pool."""
    units = sorted(u for u in allowed if pools[u])
    return rng.choices(units, weights=[len(pools[u]) for u in units])[0]


# ---------------------------------------------------------------------------
# 3. Order-level labels


def assign_topics(orders: list[Order], units: list[dict], rng: random.Random) -> None:
    """诉求类型: exact hot-topic quotas among March-signed orders, the market
    regulator's unresolved mix, every other type capped below the 6th hot topic."""
    streets = [u["full"] for u in units if u["category"] == "街道"]
    march = [o for o in orders if o.signed_in_march]
    # the market regulator's unresolved rows visited in March, February carry-over first
    market_unres = sorted((r for o in orders for r in o.rows
                           if r.unit == MARKET and r.visited_in_march and r.unresolved),
                          key=lambda r: r.kind in "ABC")
    labels = [t for t, n in reversed(MARKET_UNRESOLVED_TYPES) for _ in range(n)]
    assert len(labels) == len(market_unres)
    for r, label in zip(market_unres, labels):
        r.order.topic = label
    used = Counter(o.topic for o in march if o.topic)
    by_domain = defaultdict(list)
    for o in march:
        if not o.topic:
            by_domain[o.domain].append(o)
    for topic, split in TOP_QUOTAS.items():
        for unit, n in expand_street_quota(split, streets, march).items():
            n -= sum(1 for o in march if o.topic == topic and o.domain == unit)
            free = by_domain[unit]
            assert 0 <= n <= len(free), (topic, unit, n, len(free))
            for o in rng.sample(free, n):
                o.topic = topic
                free.remove(o)
            used[topic] += n
    for o in march:
        if not o.topic:
            o.topic = capped_choice(type_pool(o.domain, streets), used, rng)
            used[o.topic] += 1
    for o in orders:
        if not o.topic:    # February and unsigned orders: no quotas
            pool = type_pool(o.domain, streets) + [t for t, s in TOP_QUOTAS.items()
                                                    if o.domain in s or (o.domain in streets and "街道" in s)]
            o.topic = rng.choice(pool)


def expand_street_quota(split: dict[str, int], streets: list[str], march: list[Order]) -> dict[str, int]:
    """Replace the "街道" share of a quota by per-street shares (by their order counts)."""
    out = {u: n for u, n in split.items() if u != "街道"}
    if "街道" in split:
        weights = Counter(o.domain for o in march if o.domain in streets)
        out.update(largest_remainder({s: weights[s] for s in streets}, split["街道"]))
    return out


def type_pool(unit: str, streets: list[str]) -> list[str]:
    return STREET_TYPES if unit in streets else UNIT_TYPES[unit]


def capped_choice(pool: list[str], used: Counter, rng: random.Random) -> str:
    """A type from the pool that is still below OTHER_TYPE_CAP (fallbacks otherwise)."""
    free = [t for t in pool if used[t] < OTHER_TYPE_CAP] or \
        [t for t in FALLBACK_TYPES if used[t] < OTHER_TYPE_CAP]
    return rng.choice(free)


def assign_channels(orders: list[Order], rng: random.Random) -> None:
    """来源渠道: exact quotas among March-signed orders; February drawn at similar rates."""
    march = [o for o in orders if o.signed_in_march]
    business_units = {MARKET, "行政审批服务局", "商务局", "金融事务中心", "发展和改革局", "人力资源和社会保障局"}
    free = list(march)
    for channel, n in CHANNEL_QUOTAS.items():
        pool = [o for o in free if o.domain in business_units] if channel == "政企通" else free
        for o in rng.sample(pool, n):
            o.channel = channel
            free.remove(o)
    weights = [n / DISTRICT_SIGNED for n in CHANNEL_QUOTAS.values()]
    for o in orders:
        if not o.signed_in_march:
            o.channel = rng.choices([*CHANNEL_QUOTAS, DEFAULT_CHANNEL], weights=[*weights, 1 - sum(weights)])[0]


def assign_business(orders: list[Order], rng: random.Random) -> None:
    """营商环境类别: March 表扬 城市管理局 + 马王堆, 投诉 市场监督管理局; February
    ones (one signed in Feb but closed in March) that must not count for March."""
    plan = [("表扬", "城市管理局", "ABC"), ("表扬", "马王堆街道办事处", "ABC"), ("投诉", MARKET, "ABC"),
            ("表扬", "东屯渡街道办事处", "G"), ("投诉", "行政审批服务局", "EF")]
    for label, unit, kinds in plan:
        single = [o for o in orders if len(o.rows) == 1 and o.domain == unit and o.rows[0].kind in kinds
                  and not o.business]
        rng.choice(single).business = label


def assign_personal(orders: list[Order], rng: random.Random) -> None:
    """Fake 诉求人, 联系电话, 诉求内容, 事发地址 (never to appear in any output)."""
    for o in orders:
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.7:
            o.claimant = surname + rng.choice(["先生", "女士"])
        else:
            o.claimant = surname + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        o.phone = "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
        o.address = (f"芙蓉区{rng.choice(ROADS)}{rng.randint(1, 399)}号{rng.choice(ESTATES)}"
                     f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元")
        o.content = f"{o.claimant}来电反映{o.address}附近{o.topic}问题，诉求尽快处理并回复。"


def assign_spellings(rows: list[Row], spellings: dict[str, list[str]], rng: random.Random) -> None:
    """承办单位 as written: mostly the full name, sometimes a registered alias. A row
    keeps one spelling in every file, so keys match however aliases are resolved."""
    for r in rows:
        alts = spellings[r.unit]
        r.spelling = rng.choice(alts) if alts and rng.random() < 0.08 else r.unit


# ---------------------------------------------------------------------------
# 4. Timestamps


def between(rng: random.Random, lo: datetime, hi: datetime) -> datetime:
    """A whole minute in [lo, hi] (lo rounded up, hi rounded down), in office hours if possible."""
    lo_m = int((lo - FEB).total_seconds() + 59) // 60
    hi_m = int((hi - FEB).total_seconds()) // 60
    assert lo_m <= hi_m, (lo, hi)
    for _ in range(30):   # prefer office hours (08:00-21:59); narrow windows may not allow it
        t = FEB + timedelta(minutes=rng.randint(lo_m, hi_m))
        if 8 <= t.hour < 22:
            return t
    return t


def office_time(rng: random.Random, first: datetime, last: datetime) -> datetime:
    """A dispatch time on a day in [first, last] between 08:00 and 21:00."""
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    return day.replace(hour=rng.randint(8, 20), minute=rng.randint(0, 59))


def mins(rng: random.Random, lo: int, hi: int) -> timedelta:
    return timedelta(minutes=rng.randint(lo, hi))


def d(month: int, day: int, hour: int = 0, minute_: int = 0) -> datetime:
    return datetime(2023, month, day, hour, minute_)


def sign_and_contact(r: Row, rng: random.Random) -> None:
    """签收 within 2 h unless late; first contact within 24 h unless late."""
    r.sign = r.dispatch + (mins(rng, 121, 900) if r.late_sign else mins(rng, 5, 110))
    if r.contact_missing:
        r.contact = None
    else:
        lo, hi = (1441, 3000) if r.late_contact else (10, 1200)
        r.contact = between(rng, r.sign + timedelta(minutes=lo), r.sign + timedelta(minutes=hi))


def schedule_A(r: Row, rng: random.Random) -> None:
    if r.send_back:      # first closed before T1, sent back, closed again after T1
        r.dispatch = office_time(rng, d(3, 11), d(3, 13))
    elif r.revisit:      # visited before T1, re-visited after T1
        r.dispatch = office_time(rng, d(3, 1), d(3, 6))
    else:
        r.dispatch = office_time(rng, d(3, 1), d(3, 24))
    sign_and_contact(r, rng)
    if r.late_close:
        r.deadline = r.dispatch + timedelta(days=3)
        r.close = r.deadline + mins(rng, 1, 1800)
    elif r.send_back:
        r.deadline = r.dispatch + timedelta(days=15)
        first_close = between(rng, r.contact + timedelta(minutes=30), d(3, 19, 18))
        r.close = between(rng, d(3, 21, 9), min(r.deadline, d(3, 25)))
        r.earlier = {"close": first_close, "visit": None, "send_backs": 0}
    else:
        r.deadline = r.dispatch + timedelta(days=10)
        last = d(3, 14, 18) if r.revisit else d(3, 30, 12)
        r.close = between(rng, r.contact + timedelta(minutes=30), min(r.deadline, last))
    if r.revisit:
        first_visit = between(rng, r.close + timedelta(hours=2), d(3, 19))
        r.visit = between(rng, d(3, 22), d(3, 30))
        r.earlier = {"visit": first_visit, "unresolved": not r.unresolved,
                     "satisfaction": "不满意" if not r.unresolved else "满意"}
    else:
        r.visit = between(rng, r.close + timedelta(hours=2), min(r.close + timedelta(days=3), d(3, 31, 22)))


def schedule_B(r: Row, rng: random.Random) -> None:
    r.dispatch = office_time(rng, d(3, 14), d(3, 25) if r.late_close else d(3, 27))
    sign_and_contact(r, rng)
    if r.late_close:
        r.deadline = r.dispatch + timedelta(days=2)
        r.close = max(r.deadline, r.contact) + mins(rng, 1, 1440)
    else:
        r.deadline = r.dispatch + timedelta(days=10)
        r.close = between(rng, r.contact + timedelta(minutes=30), min(r.deadline, d(3, 31, 23)))
    if rng.random() < 0.3:       # visited in April: not a March visit
        r.visit = between(rng, max(r.close, d(4, 1, 8)), d(4, 3, 12))
        r.unresolved = rng.random() < 0.1
        r.satisfaction = rng.choice(["满意", "满意", "满意", "基本满意"])


def schedule_C(r: Row, rng: random.Random) -> None:
    if r.late_close:
        r.dispatch = office_time(rng, d(3, 18), d(3, 24))
        r.deadline = r.dispatch + timedelta(days=5)       # in March, not met
    elif r.contact_missing:
        r.dispatch = office_time(rng, d(3, 20), d(3, 29))
        r.deadline = r.dispatch + timedelta(days=15)
    else:
        last = d(3, 30, 8) if (r.late_sign or r.late_contact) else d(3, 31, 21)
        r.dispatch = between(rng, d(3, 18, 8), last)
        r.deadline = r.dispatch + timedelta(days=15)      # in April
    sign_and_contact(r, rng)
    if not r.late_contact and not r.contact_missing and r.sign >= d(3, 31) and rng.random() < 0.5:
        r.contact = None     # contact limit not reached before the month's end: not late
    if r.contact is not None and rng.random() < 0.4:
        r.close = between(rng, max(r.contact, APR) + timedelta(minutes=30), d(4, 3, 16))


def schedule_D(r: Row, rng: random.Random) -> None:
    r.dispatch = office_time(rng, d(2, 6), d(2, 21))
    sign_and_contact(r, rng)
    r.deadline = r.dispatch + timedelta(days=7)
    r.close = between(rng, r.contact + timedelta(minutes=30), min(r.deadline, d(2, 28, 20)))
    r.visit = between(rng, d(3, 1), d(3, 10, 20))


def schedule_E(r: Row, rng: random.Random) -> None:
    r.dispatch = office_time(rng, d(2, 20), d(2, 25) if r.feb_deadline_late else d(2, 27))
    r.dispatch = min(r.dispatch, r.dispatch.replace(hour=18))
    sign_and_contact(r, rng)
    r.deadline = r.dispatch + timedelta(days=2 if r.feb_deadline_late else 15)
    r.close = between(rng, max(r.contact + timedelta(minutes=30), d(3, 1, 8)),
                      d(3, 12, 18) if r.feb_deadline_late else min(r.deadline, d(3, 12, 18)))
    if r.kind == "E":
        r.visit = between(rng, r.close + timedelta(hours=2), d(3, 28))


schedule_F = schedule_E


def schedule_G(r: Row, rng: random.Random) -> None:
    r.dispatch = office_time(rng, d(2, 1), d(2, 19))
    sign_and_contact(r, rng)
    r.deadline = r.dispatch + timedelta(days=7)
    if r.late_close:
        r.close = r.deadline + mins(rng, 30, 1440)
    else:
        r.close = between(rng, r.contact + timedelta(minutes=30), min(r.deadline, d(2, 27, 20)))
    if rng.random() < 0.75:
        r.visit = between(rng, r.close + timedelta(hours=2), d(2, 28, 22))
        r.unresolved = rng.random() < 0.12
        r.satisfaction = rng.choices(["满意", "基本满意", "不满意"], weights=[85, 10, 5])[0]


def schedule_X(r: Row, rng: random.Random) -> None:
    r.dispatch = between(rng, d(3, 31, 21), d(3, 31, 23, 30))
    r.deadline = r.dispatch + timedelta(days=15)


SCHEDULERS = {"A": schedule_A, "B": schedule_B, "C": schedule_C, "D": schedule_D, "E": schedule_E,
              "F": schedule_F, "G": schedule_G, "X": schedule_X}


def schedule(r: Row, rng: random.Random) -> None:
    """Timestamps for one row, by kind (see KINDS), honouring its planned events."""
    SCHEDULERS[r.kind](r, rng)


def pin_boundaries(rows: list[Row], rng: random.Random) -> None:
    """Move a few timestamps exactly onto rule boundaries (all classify as planned):
    signed exactly 2 h / contacted exactly 24 h after (on time), closed exactly at the
    deadline (on time), dispatched 28 Feb and signed 1 Mar 00:00 (a March row), visits
    at 1 Mar 00:00 (March), 31 Mar 23:59 (March), 1 Apr 00:00 (not March), 28 Feb 23:59
    (not March), a March closure at 1 Apr 00:00 (not March), a deadline at 1 Apr 00:00."""
    def plain(kind: str) -> list[Row]:
        """Rows of a kind with no planned event or earlier pin (safe to move)."""
        return [r for r in rows if r.kind == kind and not (r.late_sign or r.late_contact or r.late_close
                                                           or r.send_back or r.revisit or r.pin)]

    for r in rng.sample(plain("A"), 5):
        r.pin, r.sign = "sign+2h", r.dispatch + timedelta(hours=2)
        r.contact = r.sign + mins(rng, 10, 600)
        r.close = max(r.close, r.contact + timedelta(minutes=30))
        r.visit = max(r.visit, r.close + timedelta(hours=1))
    for r in rng.sample([r for r in plain("A") if r.dispatch < d(3, 20)], 5):
        r.pin, r.contact = "contact+24h", r.sign + timedelta(hours=24)
        r.close = between(rng, r.contact + timedelta(minutes=30), r.deadline)
        r.visit = between(rng, r.close + timedelta(hours=1), d(3, 31, 22))
    for r in rng.sample([r for r in plain("A") if r.deadline < d(3, 29)], 3):
        r.pin, r.close = "close=deadline", r.deadline
        r.visit = between(rng, r.close + timedelta(hours=1), d(3, 31, 22))
    r = next(r for r in plain("A") if r.unit == "马王堆街道办事处")
    r.pin, r.dispatch, r.sign = "feb-dispatch", d(2, 28, 23, 41), d(3, 1)
    r.contact, r.deadline = d(3, 1, 9, 12), d(3, 10, 23, 41)
    r.close = between(rng, d(3, 2), d(3, 9))
    r.visit = between(rng, r.close + timedelta(hours=1), d(3, 12))
    r = plain("A")[1]
    r.pin, r.visit = "visit 03-31 23:59", d(3, 31, 23, 59)
    r = next(r for r in plain("B") if r.visit is not None)
    r.pin, r.visit = "visit 04-01 00:00", APR
    r = next(r for r in plain("D"))
    r.pin, r.visit = "visit 03-01 00:00", d(3, 1)
    r = next(r for r in plain("G") if r.visit is not None)
    r.pin, r.visit = "visit 02-28 23:59", d(2, 28, 23, 59)
    r = next(r for r in plain("C") if r.contact is not None and r.contact < APR and r.close is not None)
    r.pin, r.close = "close 04-01 00:00", APR
    r = next(r for r in plain("C") if r.close is None)
    r.pin, r.deadline = "deadline 04-01 00:00", APR


def classify(r: Row) -> dict:
    """Re-derive a row's March facts from its timestamps by the spec rules (§2, §4)."""
    in_m = lambda t: t is not None and MAR <= t < APR
    signed = in_m(r.sign)
    return {
        "signed": signed,
        "closed": in_m(r.close),
        "visited": in_m(r.visit),
        "late_sign": signed and r.sign > r.dispatch + timedelta(hours=2),
        "late_contact": signed and ((r.contact is not None and r.contact > r.sign + timedelta(hours=24))
                                    or (r.contact is None and r.sign + timedelta(hours=24) < APR)),
        "late_close": in_m(r.deadline) and (r.close is None or r.close > r.deadline),
    }


def check_row(r: Row) -> None:
    """The row's timestamps must be ordered and must classify exactly as planned."""
    chain = [t for t in (r.dispatch, r.sign, r.close, r.visit) if t is not None]
    assert chain == sorted(chain), r
    assert r.contact is None or (r.sign <= r.contact and (r.close is None or r.contact <= r.close)), r
    assert all(t is None or t <= T2 for t in (r.sign, r.contact, r.close, r.visit)), r
    assert (r.visit is None) == (r.satisfaction is None) or r.kind in "CFX", r
    facts = classify(r)
    march_signed = r.kind in "ABC"
    expected = {
        "signed": march_signed,
        "closed": r.kind in "ABEF",
        "visited": r.kind in "ADE",
        "late_sign": march_signed and r.late_sign,
        "late_contact": march_signed and r.late_contact,
        "late_close": march_signed and r.late_close,
    }
    assert facts == expected, (r.unit, r.kind, r.pin, facts, expected)
    if r.earlier:
        close = r.earlier.get("close", r.close)
        visit = r.earlier.get("visit", r.visit)
        assert close <= T1 and (visit is None or close <= visit <= T1), r


# ---------------------------------------------------------------------------
# 5. Snapshots and files


def state(r: Row, cut: datetime, earlier: bool) -> dict:
    """The row as an export taken at `cut` shows it (events at or after `cut` blank)."""
    v = {"close": r.close, "visit": r.visit, "unresolved": r.unresolved,
         "satisfaction": r.satisfaction, "send_backs": int(r.send_back) + r.feb_send_backs}
    if earlier:
        v.update(r.earlier)
    seen = lambda t: t if t is not None and t < cut else None
    sign = seen(r.sign)
    contact = seen(r.contact) if sign else None
    close = seen(v["close"]) if sign else None
    visit = seen(v["visit"]) if close else None
    o = r.order
    return {
        "工单编号": o.order_id, "承办单位": r.spelling, "来源渠道": o.channel, "诉求类型": o.topic,
        "营商环境类别": o.business, "派单时间": r.dispatch, "签收时间": sign, "首次联系时间": contact,
        "办理时限": r.deadline, "办结时间": close, "延期次数": r.extensions, "驳回次数": r.rejections,
        "重复交办次数": r.repeats, "发回重办次数": v["send_backs"], "重点督办": "是" if r.supervised else "否",
        "回访时间": visit, "是否解决": ("未解决" if v["unresolved"] else "解决") if visit else None,
        "满意度": v["satisfaction"] if visit else None,
        "诉求人": o.claimant, "联系电话": o.phone, "诉求内容": o.content, "事发地址": o.address,
    }


def snapshots(rows: list[Row], rng: random.Random) -> tuple[list[dict], list[dict], list[dict]]:
    """Rows of the three files. Feb: everything dispatched before T0, as at T0.
    Batch 1: rows dispatched in [T0, T1) and earlier rows that changed since T0, as at
    T1. Batch 2: every row whose final state differs from what the files before it
    show, plus rows dispatched after T1 and a few unchanged repeats."""
    feb, b1, b2 = [], [], []
    for r in sorted(rows, key=lambda r: (r.order.order_id, r.unit)):
        final = state(r, T2, earlier=False)
        shown = None
        if r.dispatch < T0:
            shown = state(r, T0, earlier=True)
            feb.append(shown)
        if r.dispatch < T1:
            at_t1 = state(r, T1, earlier=True)
            if r.dispatch >= T0 or at_t1 != shown:
                shown = at_t1
                b1.append(at_t1)
        if shown != final or (shown is not None and rng.random() < 0.01):
            b2.append(final)
    return feb, b1, b2


def fmt_slash(t: datetime) -> str:
    return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}"


def fmt_iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S")


def write_csv(path: Path, records: list[dict], encoding: str, fmt) -> None:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for rec in records:
            w.writerow(["" if rec[c] is None else fmt(rec[c]) if isinstance(rec[c], datetime) else rec[c]
                        for c in COLUMNS])


def write_xlsx(path: Path, records: list[dict], stamp: datetime = T0) -> None:
    """Real Excel datetime cells (not text); `stamp` is the workbook's fixed creation time."""
    wb = Workbook()
    ws = wb.active
    ws.title = "工单明细"
    ws.append(COLUMNS)
    for rec in records:
        ws.append([rec[c] if rec[c] != "" else None for c in COLUMNS])
    for col in ws.iter_cols(min_row=2):
        for cell in col:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    wb.properties.created = wb.properties.modified = stamp
    wb.save(path)
    freeze_zip_times(path, stamp)


def freeze_zip_times(path: Path, stamp: datetime = T0) -> None:
    """Re-pack a zip with fixed entry times (and openpyxl's save-time 'modified'
    stamp fixed) so reruns give byte-identical files."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info)) for info in zin.infolist()]
    pattern = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [(info, pattern.sub(rb"\g<1>" + iso + rb"\g<2>", data) if info.filename == "docProps/core.xml"
                else data) for info, data in entries]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(fixed, data)


def number_orders(orders: list[Order]) -> None:
    """工单编号 GD + dispatch date + sequence, in dispatch order."""
    per_day = Counter()
    for o in sorted(orders, key=lambda o: min(r.dispatch for r in o.rows)):
        day = min(r.dispatch for r in o.rows).strftime("%y%m%d")
        per_day[day] += 1
        o.order_id = f"GD{day}{per_day[day]:05d}"


# ---------------------------------------------------------------------------
# 6. Earlier months from per-unit profiles (no published targets)

PROFILE_MONTHS = ["2022-10", "2022-11", "2022-12", "2023-01"]   # generated from profiles alone
FEB_MONTH = "2023-02"
# September rows still being handled in October (closed or visited then) live in the
# October file only, so that October's 办结 and 回访 include carry-over like any month.
CARRY_IN_MONTH = "2022-09"
# District signed orders per profile month (February and March come out of the exact
# machinery: about 5,190 and exactly 5,804). 国庆 (1-7 Oct) dents October, 春节 (21-27 Jan) January.
MONTH_SIGNED = {"2022-09": 5300, "2022-10": 5480, "2022-11": 5760, "2022-12": 6080, "2023-01": 4870}
# File name and format per profile month: (name, "xlsx" | CSV encoding).
MONTH_FILES = {"2022-10": ("2022-10_工单明细.xlsx", "xlsx"), "2022-11": ("2022-11_工单明细.csv", "gb18030"),
               "2022-12": ("2022-12_工单明细.csv", "utf-8-sig"), "2023-01": ("2023-01_工单明细.csv", "gb18030")}
HOLIDAYS = {"2022-10": (range(1, 8), 0.45), "2023-01": (range(21, 28), 0.35)}   # days, dispatch weight
PAIR_SHARE = 0.03       # co-handled orders among a month's orders
VISIT_SHARE = 0.88      # rows visited after closure (if the visit falls before the cut-off)
DEADLINE_DAYS = [3, 5, 7, 7, 10, 15]
RATE_FLOORS = {"late_sign": 0.002, "late_contact": 0.006, "late_close": 0.003, "extensions": 0.002,
               "rejections": 0.004, "unresolved": 0.05, "dissat": 0.001, "basic": 0.002,
               "repeats": 0.001, "supervised": 0.001, "send_backs": 0.002}
# Trends: change of a rate per month further back from March (positive: the unit was
# worse before, so it improved towards March; negative: it slipped). "volume" is the
# change of its order volume relative to March, per month back.
TRENDS = {
    MARKET: {"volume": -0.06, "unresolved": -0.018, "late_contact": -0.0002},   # 退费纠纷 wave
    "东屯渡街道办事处": {"unresolved": 0.016, "late_contact": 0.01},
    "火星街道办事处": {"unresolved": 0.01, "late_sign": 0.004},
    "朝阳街道办事处": {"unresolved": -0.016},
    "马坡岭街道办事处": {"late_sign": -0.004, "rejections": -0.035},
    "人力资源和社会保障局": {"late_contact": 0.006, "late_close": 0.002},
    "住房和城乡建设局": {"unresolved": 0.01},
    "医疗保障局": {"rejections": 0.01},
    "卫生健康局": {"late_close": 0.004},
}
# Seasonal volume factors of a unit in a month (1 otherwise).
SEASON_VOLUME = {
    "人力资源和社会保障局": {"2022-12": 1.2, "2023-01": 1.35},      # 欠薪 before 春节
    "医疗保障局": {"2022-10": 1.15, "2022-11": 1.3, "2022-12": 1.25},  # 城乡居民医保缴费期
    "卫生健康局": {"2022-12": 1.8, "2023-01": 1.3},
    "住房和城乡建设局": {"2022-12": 1.1, "2023-01": 1.15},
}
# Seasonal 诉求类型: topic -> (domains, share of the domain's orders per month).
# "街道" stands for every street.
SEASONAL_TOPICS = {
    "供暖取暖": (["街道", "住房和城乡建设局"], {"2022-11": 0.02, "2022-12": 0.07, "2023-01": 0.09, "2023-02": 0.04}),
    "烟花爆竹燃放": (["街道", "行政执法局", "应急管理局"], {"2022-12": 0.01, "2023-01": 0.05, "2023-02": 0.03}),
    "噪音扰民": (["街道"], {"2022-10": 0.09, "2022-11": 0.06}),
    "劳动纠纷/欠薪": (["人力资源和社会保障局"],
                  {"2022-10": 0.25, "2022-11": 0.3, "2022-12": 0.45, "2023-01": 0.55, "2023-02": 0.3}),
    "医保缴费": (["医疗保障局"], {"2022-10": 0.3, "2022-11": 0.45, "2022-12": 0.4}),
    "发热诊疗与药品供应": (["卫生健康局"], {"2022-12": 0.5, "2023-01": 0.3}),
    "退费纠纷": ([MARKET], {"2022-10": 0.07, "2022-11": 0.09, "2022-12": 0.11, "2023-01": 0.13, "2023-02": 0.16}),
    "雨水倒灌": (["街道"], {"2023-02": 0.01, "2023-03": 0.06}),
    "道路积水": (["市政设施维护中心"], {"2023-02": 0.03, "2023-03": 0.2}),
}
PRAISE_UNITS = ["城市管理局", "马王堆街道办事处", "东屯渡街道办事处", "火星街道办事处", "行政审批服务局"]
COMPLAINT_UNITS = [MARKET, "行政审批服务局"]


@dataclass(frozen=True)
class Profile:
    """A unit's expected volume and event rates in one month (events per row)."""

    volume: float
    late_sign: float
    late_contact: float
    late_close: float
    extensions: float
    rejections: float
    unresolved: float
    dissat: float
    basic: float
    repeats: float
    supervised: float
    send_backs: float


def month_start(month: str) -> datetime:
    year, mon = map(int, month.split("-"))
    return datetime(year, mon, 1)


def next_month(month: str) -> str:
    start = month_start(month)
    return f"{start.year + start.month // 12}-{start.month % 12 + 1:02d}"


def months_back(month: str) -> int:
    """How many months `month` lies before March 2023."""
    start = month_start(month)
    return (2023 - start.year) * 12 + 3 - start.month


def march_rates(t: Target) -> dict[str, float]:
    """A unit's March figures as rates per row (the profiles' starting point)."""
    per_sign = lambda n: n / t.signed if t.signed else 0.0
    per_visit = lambda n: n / t.visited if t.visited else 0.0
    return {"late_sign": per_sign(t.late_sign), "late_contact": per_sign(t.late_contact),
            "late_close": per_sign(t.late_close), "extensions": per_sign(t.extensions),
            "rejections": per_sign(t.rejections), "send_backs": per_sign(t.send_backs),
            "unresolved": per_visit(t.unresolved), "dissat": per_visit(t.dissat), "basic": per_visit(t.basic),
            "repeats": 0.0, "supervised": 0.0}


def unit_profiles(targets: dict[str, Target], rng: random.Random) -> dict[str, dict[str, Profile]]:
    """month -> unit -> Profile for the five months before March: the March rates
    (at least RATE_FLOORS), moved by TRENDS, SEASON_VOLUME and a little noise."""
    profiles = {}
    for month in PROFILE_MONTHS + [FEB_MONTH]:
        k = months_back(month)
        profiles[month] = {}
        for unit, t in targets.items():
            trend = TRENDS.get(unit, {})
            rates = {}
            for name, march in march_rates(t).items():
                base = max(march, RATE_FLOORS[name]) + trend.get(name, 0.0) * k
                rates[name] = max(0.0, base * rng.uniform(0.85, 1.15))
            volume = max(t.signed, 0.4) * max(0.2, 1 + trend.get("volume", 0.0) * k)
            volume *= SEASON_VOLUME.get(unit, {}).get(month, 1.0) * rng.uniform(0.93, 1.07)
            profiles[month][unit] = Profile(volume=volume, **rates)
    return profiles


def count_draw(rate: float, rng: random.Random) -> int:
    """A whole count with expectation `rate` (floor plus one with the fractional chance)."""
    n = int(rate)
    return n + (rng.random() < rate - n)


def plan_profile_row(r: Row, p: Profile, rng: random.Random) -> None:
    """Draw a row's events and visit outcome from its unit's profile."""
    r.late_sign = rng.random() < p.late_sign
    r.late_contact = rng.random() < p.late_contact
    r.late_close = rng.random() < p.late_close
    r.extensions = count_draw(p.extensions, rng)
    r.rejections = count_draw(p.rejections, rng)
    r.repeats = count_draw(p.repeats, rng)
    r.supervised = rng.random() < p.supervised
    r.send_back = rng.random() < p.send_backs
    r.unresolved = rng.random() < p.unresolved
    roll = rng.random()
    r.satisfaction = "不满意" if roll < p.dissat else "基本满意" if roll < p.dissat + p.basic else "满意"


def schedule_profile_row(r: Row, limit: datetime, deadline_days: list[int], rng: random.Random) -> None:
    """Timestamps after the (given) dispatch: sign, contact, deadline, close, and a visit
    unless none was drawn or it would fall at or after `limit`."""
    r.sign = r.dispatch + (mins(rng, 121, 179) if r.late_sign else mins(rng, 5, 110))
    lo, hi = (1441, 2880) if r.late_contact else (10, 1200)
    r.contact = r.sign + mins(rng, lo, hi)
    r.deadline = r.dispatch + timedelta(days=rng.choice(deadline_days))
    if r.late_close:
        r.close = r.deadline + mins(rng, 30, 1440)
    else:
        r.close = between(rng, r.contact + timedelta(minutes=30), r.deadline)
    visit = r.close + mins(rng, 120, 4320)
    if rng.random() < VISIT_SHARE and visit < limit:
        r.visit = visit
    else:
        r.visit, r.satisfaction, r.unresolved = None, None, False
    assert r.close < limit, r


def dispatch_days(month: str) -> tuple[list[datetime], list[float]]:
    """The month's days and their dispatch weights (holidays lower)."""
    start, end = month_start(month), month_start(next_month(month))
    days = [start + timedelta(days=i) for i in range((end - start).days)]
    holiday, weight = HOLIDAYS.get(month, (range(0), 1.0))
    return days, [weight if day.day in holiday else 1.0 for day in days]


def profile_month_rows(month: str, profiles: dict[str, Profile], rng: random.Random) -> list[Row]:
    """Rows of one profile month: per-unit counts from the profiles' volumes, each row
    dispatched in the month and finished before the end of the next month."""
    n_rows = round(MONTH_SIGNED[month] * (1 + PAIR_SHARE))
    counts = largest_remainder({u: p.volume for u, p in profiles.items()}, n_rows)
    days, weights = dispatch_days(month)
    limit = month_start(next_month(next_month(month)))
    rows = []
    for unit in sorted(counts):
        for _ in range(counts[unit]):
            r = Row(unit, "P")
            plan_profile_row(r, profiles[unit], rng)
            day = rng.choices(days, weights)[0]
            r.dispatch = day.replace(hour=rng.randint(8, 20), minute=rng.randint(0, 59))
            schedule_profile_row(r, limit, DEADLINE_DAYS, rng)
            rows.append(r)
    return rows


def pair_profile_rows(rows: list[Row], category: dict[str, str], n_pairs: int,
                      rng: random.Random) -> list[Order]:
    """Orders of a profile month: n_pairs street + department co-handled orders (the
    market regulator's row first, as its topics lead), every other row on its own."""
    size = Counter(r.unit for r in rows)
    pools = {}
    for cat in ("街道", "区直部门"):     # small units keep their few rows to themselves
        pool = [r for r in rows if category[r.unit] == cat and size[r.unit] >= 20]
        pools[cat] = rng.sample(pool, len(pool))
    orders = []
    for _ in range(n_pairs):
        pair = [pools["街道"].pop(), pools["区直部门"].pop()]
        if rng.random() < 0.5 or pair[1].unit == MARKET:
            pair.reverse()
        orders.append(Order(pair))
    paired = {id(r) for o in orders for r in o.rows}
    orders += [Order([r]) for r in rows if id(r) not in paired]
    for o in orders:
        for r in o.rows:
            r.order = o
    return orders


def hot_shares(targets: dict[str, Target], category: dict[str, str]) -> dict[str, dict[str, float]]:
    """domain ("街道" or a unit) -> {hot topic: its share of the domain's March orders}."""
    street_signed = sum(t.signed for u, t in targets.items() if category[u] == "街道")
    shares = defaultdict(dict)
    for topic, split in TOP_QUOTAS.items():
        for domain, n in split.items():
            signed = street_signed if domain == "街道" else targets[domain].signed
            shares[domain][topic] = n / signed
    return shares


def pick_topic(unit: str, month: str, streets: set[str], hot: dict[str, dict[str, float]],
               rng: random.Random) -> str:
    """诉求类型 of an order of `unit` in `month`: a seasonal topic with its share, else a
    hot topic with its March share, else any type of the unit's pool."""
    domain = "街道" if unit in streets else unit
    roll = rng.random()
    seasonal = set()
    for topic, (domains, share) in SEASONAL_TOPICS.items():
        if domain in domains:
            seasonal.add(topic)
            roll -= share.get(month, 0.0)
            if roll < 0:
                return topic
    for topic, share in hot.get(domain, {}).items():
        if topic not in seasonal:
            roll -= share
            if roll < 0:
                return topic
    return rng.choice(type_pool(unit, sorted(streets)))


def label_profile_orders(orders: list[Order], month: str, category: dict[str, str],
                         hot: dict[str, dict[str, float]], rng: random.Random) -> None:
    """Topics, channels and a few 营商环境 labels of a profile month's orders."""
    streets = {u for u, c in category.items() if c == "街道"}
    weights = [n / DISTRICT_SIGNED for n in CHANNEL_QUOTAS.values()]
    for o in orders:
        o.topic = pick_topic(o.domain, month, streets, hot, rng)
        o.channel = rng.choices([*CHANNEL_QUOTAS, DEFAULT_CHANNEL], weights=[*weights, 1 - sum(weights)])[0]
    singles = defaultdict(list)
    for o in orders:
        if len(o.rows) == 1:
            singles[o.domain].append(o)
    labels = [("表扬", u) for u in rng.sample(PRAISE_UNITS, rng.randint(1, 3))]
    labels += [("投诉", u) for u in rng.sample(COMPLAINT_UNITS, rng.randint(0, 2))]
    for label, unit in labels:
        rng.choice(singles[unit]).business = label


def check_profile_row(r: Row, month: str) -> None:
    """Ordered timestamps, signed in its month, finished before the month after next,
    nothing at or after 1 March 2023 except for February's own rows (none at all)."""
    start, nxt = month_start(month), month_start(next_month(month))
    limit = min(month_start(next_month(next_month(month))), T0)
    chain = [r.dispatch, r.sign, r.contact, r.close] + ([r.visit] if r.visit else [])
    assert chain == sorted(chain), r
    assert start <= r.dispatch and r.sign < nxt, r
    assert r.close < limit and r.deadline < limit and (r.visit is None or r.visit < limit), r
    assert (r.visit is None) == (r.satisfaction is None), r


def build_profile_months(targets: dict[str, Target], units: list[dict],
                         profiles: dict[str, dict[str, Profile]]) -> dict[str, list[Row]]:
    """Rows of every profile month (month -> rows), each month on its own random stream,
    and under CARRY_IN_MONTH the September rows that were closed or visited in October."""
    category = {u["full"]: u["category"] for u in units}
    spellings = {u["full"]: u["spellings"] for u in units}
    hot = hot_shares(targets, category)
    out = {}
    for i, month in enumerate([CARRY_IN_MONTH] + PROFILE_MONTHS):
        rng = random.Random(SEED + 99 + i)
        rows = profile_month_rows(month, profiles.get(month, profiles[PROFILE_MONTHS[0]]), rng)
        n_pairs = round(MONTH_SIGNED[month] * PAIR_SHARE)
        orders = pair_profile_rows(rows, category, n_pairs, rng)
        for r in rows:
            check_profile_row(r, month)
        number_orders(orders)
        label_profile_orders(orders, month, category, hot, rng)
        assign_personal(orders, rng)
        assign_spellings(rows, spellings, rng)
        out[month] = rows
    october = month_start(PROFILE_MONTHS[0])
    out[CARRY_IN_MONTH] = [r for r in out[CARRY_IN_MONTH]
                           if r.close >= october or (r.visit is not None and r.visit >= october)]
    return out


def restyle_february(rows: list[Row], profiles: dict[str, Profile], rng: random.Random) -> None:
    """Re-draw the February-only rows (kind G, not pinned) from February's profiles:
    events, outcomes and timestamps after the dispatch, all before 28 Feb 22:00 (so
    nothing of theirs touches March). Their own stream leaves every other row as drawn."""
    for r in rows:
        if r.kind != "G" or r.pin:
            continue
        plan_profile_row(r, profiles[r.unit], rng)
        r.feb_send_backs, r.send_back = int(r.send_back), False   # closed in February: not March's
        schedule_profile_row(r, d(2, 28, 22), [3, 5, 7], rng)


def add_seasonal_topics(orders: list[Order], category: dict[str, str], hot: dict[str, dict[str, float]],
                        rng: random.Random) -> None:
    """Topics no figure of March depends on, drawn as in the profile months: February-only
    orders get February's mix (seasonal, hot, pool); March-signed orders of a street (or
    of 市政设施维护中心) with an ordinary type of their pool, and no market regulator's
    row, may turn into a seasonal topic (雨水倒灌, 道路积水)."""
    streets = {u for u, c in category.items() if c == "街道"}
    for o in orders:
        kinds = {r.kind for r in o.rows}
        if kinds == {"G"}:
            o.topic = pick_topic(o.domain, FEB_MONTH, streets, hot, rng)
            continue
        if (not kinds <= set("ABC") or any(r.unit == MARKET for r in o.rows)
                or o.topic not in type_pool(o.domain, sorted(streets))):
            continue
        domain = "街道" if o.domain in streets else o.domain
        roll = rng.random()
        for topic, (domains, share) in SEASONAL_TOPICS.items():
            if domain in domains:
                roll -= share.get("2023-03", 0.0)
                if roll < 0:
                    o.topic = topic
                    break


def profile_files(rows_by_month: dict[str, list[Row]]) -> dict[str, list[dict]]:
    """Records of each profile month's file: the month's rows as at its end, plus the
    previous month's rows that changed since that month's file (for October, the
    September carry-in); and, under FEB_MONTH, January's rows that changed in February
    (to join the February file)."""
    files = {}
    previous: list[Row] = rows_by_month.get(CARRY_IN_MONTH, [])
    for month in PROFILE_MONTHS + [FEB_MONTH]:
        cut, before = month_start(next_month(month)), month_start(month)
        records = [state(r, cut, earlier=False) for r in previous
                   if state(r, cut, earlier=False) != state(r, before, earlier=False)]
        records += [state(r, cut, earlier=False) for r in rows_by_month.get(month, [])]
        files[month] = sorted(records, key=lambda rec: (rec["工单编号"], rec["承办单位"]))
        previous = rows_by_month.get(month, [])
    return files


def write_month_file(month: str, records: list[dict]) -> str:
    """Write one profile month's export in its format; returns the file name."""
    name, fmt = MONTH_FILES[month]
    if fmt == "xlsx":
        write_xlsx(EXPORTS / name, records, stamp=month_start(next_month(month)))
    else:
        write_csv(EXPORTS / name, records, fmt, fmt_slash if fmt == "gb18030" else fmt_iso)
    return name


# ---------------------------------------------------------------------------
# 7. Month inputs for the profile months and February (months/<YYYY-MM>/)

# The peer districts' city figures in March (签收总量, resolution rate), the base of
# their other months; 芙蓉区's row always comes from the data.
PEERS = {"雨花区": (10681, 0.892), "天心区": (6324, 0.886), "开福区": (7267, 0.880), "湘江新区(岳麓区)": (11996, 0.8175)}
DISTRICT = "芙蓉区"
CITY_ORDER = ["芙蓉区", "雨花区", "天心区", "开福区", "湘江新区(岳麓区)"]
CITY_COLUMNS = ["区", "签收总量", "按时签收", "及时联系", "按时办结", "延期办理", "工单驳回", "诉求响应率小计",
                "问题解决", "重点督办", "重复交办", "发回重办", "问题解决率小计", "即问即答", "知识库建设",
                "在线办结率小计", "回访评价", "总分", "排名"]
BONUS = {"2022-12": [("火星街道办事处", "0.5", "获市民赠送锦旗表扬")],
         "2023-02": [("行政审批服务局", "0.5", "企业开办“一件事”办理获企业致谢")]}


def half_up(x: Decimal, places: str) -> Decimal:
    return x.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def month_figures(records: list[dict], month: str) -> tuple[int, Decimal]:
    """(distinct orders signed, resolution rate) of the district in `month` from the
    final state of every row (spec §3)."""
    start, end = month_start(month), month_start(next_month(month))
    in_m = lambda t: t is not None and start <= t < end
    signed = {rec["工单编号"] for rec in records if in_m(rec["签收时间"])}
    visited = {rec["工单编号"] for rec in records if in_m(rec["回访时间"])}
    unresolved = {rec["工单编号"] for rec in records if in_m(rec["回访时间"]) and rec["是否解决"] == "未解决"}
    return len(signed), half_up(Decimal(len(visited) - len(unresolved)) / Decimal(len(visited)), "0.001")


def plain_number(x: Decimal) -> str:
    """96.80 -> 96.8, 30.00 -> 30 (as the city's tables print)."""
    text = f"{x:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def city_table(month: str, signed: int, rate: Decimal, rng: random.Random) -> list[dict]:
    """The city's 内五区 table for `month`: 芙蓉区 from the data (签收总量, 20 × rate),
    peers around their March figures; subtotals and totals added up, ranks by 总分."""
    scale = signed / DISTRICT_SIGNED
    rows = []
    for district in CITY_ORDER:
        if district == DISTRICT:
            volume, r = signed, rate
            contact = Decimal(10)
        else:
            base, base_rate = PEERS[district]
            volume = round(base * scale * rng.uniform(0.95, 1.05))
            r = half_up(Decimal(str(base_rate + rng.uniform(-0.012, 0.012))), "0.001")
            contact = Decimal(10) - Decimal("0.01") * rng.randint(1, 30) if rng.random() < 0.3 else Decimal(10)
        items = {"按时签收": Decimal(5), "及时联系": contact, "按时办结": Decimal(5), "延期办理": Decimal(5),
                 "工单驳回": Decimal(5), "问题解决": 20 * r, "重点督办": Decimal(5), "重复交办": Decimal(5),
                 "发回重办": Decimal(5), "即问即答": Decimal(10), "知识库建设": Decimal(10), "回访评价": Decimal(15)}
        items["诉求响应率小计"] = sum(items[k] for k in ("按时签收", "及时联系", "按时办结", "延期办理", "工单驳回"))
        items["问题解决率小计"] = sum(items[k] for k in ("问题解决", "重点督办", "重复交办", "发回重办"))
        items["在线办结率小计"] = items["即问即答"] + items["知识库建设"]
        items["总分"] = items["诉求响应率小计"] + items["问题解决率小计"] + items["在线办结率小计"] + items["回访评价"]
        rows.append({"区": district, "签收总量": volume, **items})
    for row in rows:
        row["排名"] = 1 + sum(other["总分"] > row["总分"] for other in rows)
    return [{c: plain_number(v) if isinstance(v, Decimal) else v for c, v in row.items()} for row in rows]


def issue_number(month: str) -> str:
    """〔year〕第 m+1 期: each year's 第 1 期 is the annual review (March 2023 is 第 4 期)."""
    start = month_start(month)
    return f"〔{start.year}〕第 {start.month + 1} 期"


def publish_date(month: str) -> date:
    """The first Wednesday at least 43 days after the month's end (March 2023: 17 May)."""
    day = (month_start(next_month(month)) - timedelta(days=1) + timedelta(days=43)).date()
    return day + timedelta(days=(2 - day.weekday()) % 7)


def write_month_inputs(month: str, signed: int, rate: Decimal, rng: random.Random) -> None:
    """months/<month>/month.yaml and city_ranking.csv (no stories: they are optional)."""
    folder = MONTHS_DIR / month
    folder.mkdir(parents=True, exist_ok=True)
    start = month_start(month)
    bonus = "".join(f"\n  - {{unit: {u}, points: {p}, reason: {why}}}" for u, p, why in BONUS.get(month, []))
    (folder / "month.yaml").write_text(
        f"# {start.year}年{start.month}月 通报的手工输入（工单导出中没有的内容）；样例数据，由 scripts/make_sample.py 生成\n"
        f"# 期号: 每年第 1 期为上年度通报，m 月通报为第 m+1 期\n"
        f"issue: {issue_number(month)}\n"
        f"publish_date: {publish_date(month).isoformat()}\n"
        f"# 加分: 单位全称或别名 → 分值与理由\n"
        f"bonus:{bonus or ' []'}\n"
        f"# 即问即答 / 知识库建设 手工评分；未列出的单位取默认满分\n"
        f"manual_scores: []\n", encoding="utf-8")
    with open(folder / "city_ranking.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, CITY_COLUMNS)
        w.writeheader()
        w.writerows(city_table(month, signed, rate, rng))


# ---------------------------------------------------------------------------


def build(rng: random.Random, feb_profiles: dict[str, Profile]) -> list[Row]:
    """Plan, pair, label and time every row of February and March; returns all rows.
    February's profiles re-draw its February-only rows (on their own stream)."""
    units = load_units()
    category = {u["full"]: u["category"] for u in units}
    targets = parse_targets()
    assert set(targets) == set(category), "TARGETS must list exactly the registered units"
    rows_by_unit = {u: plan_unit(t, rng) for u, t in targets.items()}
    n_aa = sum(t.visited for t in targets.values()) - DISTRICT_VISITED
    n_uu = sum(t.unresolved for t in targets.values()) - DISTRICT_UNRESOLVED
    n_cc = sum(t.signed for t in targets.values()) - DISTRICT_SIGNED - n_aa - BB_PAIRS
    assert 0 <= n_uu <= n_aa and n_cc >= 0
    add_february_rows(rows_by_unit, targets, n_aa + BB_PAIRS, rng)
    for u, t in targets.items():
        assign_events(rows_by_unit[u], t, rng)
    plain_a = [r for rows in rows_by_unit.values() for r in rows
               if r.kind == "A" and not (r.late_close or r.send_back or r.late_contact)]
    for r in rng.sample(plain_a, 12):
        r.revisit = True
    for unit in rng.sample(sorted(targets), 6):    # a few rows not yet signed on 31 March
        rows_by_unit[unit].append(Row(unit, "X"))
    all_rows = [r for rows in rows_by_unit.values() for r in rows]
    mark_february_traps(all_rows, rng)
    pair_plan = [("A", True, n_uu), ("A", False, n_aa - n_uu), ("B", None, BB_PAIRS), ("C", None, n_cc),
                 ("G", None, FEB_PAIRS)]
    orders = make_orders(rows_by_unit, category, pair_plan, rng)
    for r in all_rows:
        schedule(r, rng)
    pin_boundaries(all_rows, rng)
    restyle_february(all_rows, feb_profiles, random.Random(SEED + 2))
    for r in all_rows:
        check_row(r)
    number_orders(orders)
    assign_topics(orders, units, rng)
    add_seasonal_topics(orders, category, hot_shares(targets, category), random.Random(SEED + 3))
    assign_channels(orders, rng)
    assign_business(orders, rng)
    assign_personal(orders, rng)
    assign_spellings(all_rows, {u["full"]: u["spellings"] for u in units}, rng)
    return all_rows


def main() -> None:
    started = time.perf_counter()
    targets, units = parse_targets(), load_units()
    profiles = unit_profiles(targets, random.Random(SEED + 1))
    rng = random.Random(SEED)
    rows = build(rng, profiles[FEB_MONTH])
    feb, b1, b2 = snapshots(rows, rng)
    earlier = build_profile_months(targets, units, profiles)
    month_records = profile_files(earlier)
    feb = sorted(feb + month_records.pop(FEB_MONTH), key=lambda rec: (rec["工单编号"], rec["承办单位"]))
    EXPORTS.mkdir(parents=True, exist_ok=True)
    written = [(write_month_file(m, recs), len(recs)) for m, recs in month_records.items()]
    write_xlsx(EXPORTS / FILE_FEB, feb)
    write_csv(EXPORTS / FILE_B1, b1, "gb18030", fmt_slash)
    write_csv(EXPORTS / FILE_B2, b2, "utf-8-sig", fmt_iso)
    written += [(FILE_FEB, len(feb)), (FILE_B1, len(b1)), (FILE_B2, len(b2))]
    all_rows = rows + [r for month_rows in earlier.values() for r in month_rows]
    final = [state(r, T2, earlier=False) for r in all_rows]
    assert month_figures(final, "2023-03") == (DISTRICT_SIGNED, Decimal("0.885"))
    for i, month in enumerate(PROFILE_MONTHS + [FEB_MONTH]):
        signed, rate = month_figures(final, month)
        write_month_inputs(month, signed, rate, random.Random(SEED + 200 + i))
        print(f"{month}: {signed} orders signed, resolution rate {rate * 100:.1f}%")
    for name, n in written:
        print(f"  {name}: {n} rows")
    print(f"{len(all_rows)} rows in {len({r.order.order_id for r in all_rows})} orders, "
          f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
