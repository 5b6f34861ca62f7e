"""The domain's Chinese terms, mapped once to the English identifiers used in code.

Every other module refers to columns and items by the English names below; the
Chinese names appear only where data is read or a table is written.
"""

# 工单明细 export columns -> internal column names.
EXPORT_COLUMNS = {
    "工单编号": "order_id",
    "承办单位": "unit",
    "来源渠道": "channel",
    "诉求类型": "category",
    "营商环境类别": "business_env",
    "派单时间": "dispatched_at",
    "签收时间": "signed_at",
    "首次联系时间": "first_contact_at",
    "办理时限": "deadline",
    "办结时间": "closed_at",
    "延期次数": "extensions",
    "驳回次数": "rejections",
    "重复交办次数": "repeat_assignments",
    "发回重办次数": "send_backs",
    "重点督办": "supervised",
    "回访时间": "visited_at",
    "是否解决": "resolved",
    "满意度": "satisfaction",
}

REQUIRED_COLUMNS = [
    "工单编号", "承办单位", "来源渠道", "诉求类型",
    "派单时间", "签收时间", "首次联系时间", "办理时限", "办结时间",
    "回访时间", "是否解决", "满意度",
]
# Names other versions of the platform give a column -> the name read here. A file using one
# is accepted with a warning; a file holding both names of one column is an error.
COLUMN_SYNONYMS = {
    "工单号": "工单编号",
    "受理单位": "承办单位",
    "办理单位": "承办单位",
    "诉求来源": "来源渠道",
    "问题分类": "诉求类型",
    "首次响应时间": "首次联系时间",
    "办结时限": "办理时限",
    "满意度评价": "满意度",
}
DATETIME_COLUMNS = ["派单时间", "签收时间", "首次联系时间", "办理时限", "办结时间", "回访时间"]
COUNT_COLUMNS = ["延期次数", "驳回次数", "重复交办次数", "发回重办次数"]

# 诉求人, 联系电话, 诉求内容, 事发地址: dropped at load, never kept in any frame.
PERSONAL_COLUMNS = ["诉求人", "联系电话", "诉求内容", "事发地址"]
# A row whose 工单编号 (or, in exports with a 序号 column, any cell) reads like this is a total line;
# spaces between the characters (合　计) are ignored.
TOTAL_ROW_LABELS = ["合计", "总计", "合计：", "总计："]

RESOLVED = "解决"
UNRESOLVED = "未解决"
SATISFIED = "满意"
BASICALLY_SATISFIED = "基本满意"
DISSATISFIED = "不满意"
SATISFACTION_VALUES = [SATISFIED, BASICALLY_SATISFIED, DISSATISFIED]
PRAISE = "表扬"
COMPLAINT = "投诉"

STREET = "街道"
DEPARTMENT = "区直部门"
UNIT_CATEGORIES = [STREET, DEPARTMENT]

# Channels the opening paragraph names, in the seed's order.
REPORTED_CHANNELS = ["市长信箱", "省交办件", "政企通", "省转办件"]

# Scoring events (rule `event:` values in district.yaml) and what they count.
EVENTS = {
    "late_signing": "签收超时",
    "late_contact": "联系超时",
    "late_closure": "办结超时",
    "extensions": "延期次数",
    "rejections": "驳回次数",
    "supervised": "重点督办",
    "repeat_assignments": "重复交办次数",
    "send_backs": "发回重办次数",
}
SATISFACTION_DEDUCTIONS = {"dissatisfied": DISSATISFIED, "basically_satisfied": BASICALLY_SATISFIED}

# Output table headers (golden files' spelling).
UNIT_TABLE_LEAD = ["责任单位", "签收总量"]
TOTAL = "总分"
BONUS = "加分"
UNIT_TABLE_TAIL = [TOTAL, BONUS, "排名"]
# A period's 附件 table (hotline.render.period_tables): the months' 总分 under one head, a month's
# column named as the bulletin writes it (1月), a dash where the unit was not ranked that month.
MONTHLY_SCORES = "月度得分"
MONTH_COLUMN = "{}月"
NOT_RANKED = "—"
SUBTOTAL = "小计"  # a scoring group's subtotal: its head in the tables, and its column '<group>小计'
BELOW_DISTRICT_COLUMNS = ["单位", "回访工单数", "占全区回访工单比重", "未解决工单数", "占全区未解决工单比重", "问题解决率"]
HOT_TOPIC_COLUMNS = ["类型", "工单数量"]
