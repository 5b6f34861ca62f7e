"""Small hand-made work-order frames in the loader's output shape, for hand-worked tests."""

from __future__ import annotations

import pandas as pd

from hotline.names import EXPORT_COLUMNS

TIME_COLUMNS = ["dispatched_at", "signed_at", "first_contact_at", "deadline", "closed_at", "visited_at"]
COUNTS = ["extensions", "rejections", "repeat_assignments", "send_backs"]


def order(order_id: str, unit: str = "东岸街道办事处", **fields) -> dict:
    """One row; times as strings ('2023-03-02 09:00'), defaults: dispatched 03-02 09:00, signed 30 min later,
    contacted an hour after signing, deadline 03-10, not closed, not visited."""
    row = {
        "order_id": order_id, "unit": unit, "channel": "12345热线", "category": "小区卫生", "business_env": None,
        "dispatched_at": "2023-03-02 09:00", "signed_at": "2023-03-02 09:30", "first_contact_at": "2023-03-02 10:30",
        "deadline": "2023-03-10 18:00", "closed_at": None, "visited_at": None,
        "extensions": 0, "rejections": 0, "repeat_assignments": 0, "send_backs": 0, "supervised": False,
        "resolved": None, "satisfaction": None,
    }
    row.update(fields)
    return row


def frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(EXPORT_COLUMNS.values()))
    for c in TIME_COLUMNS:
        df[c] = pd.to_datetime(df[c])
    for c in COUNTS:
        df[c] = df[c].astype("int64")
    df["supervised"] = df["supervised"].astype(bool)
    df["resolved"] = df["resolved"].astype("boolean")
    return df
