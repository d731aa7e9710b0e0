"""Loads a generated Log Analytics response (bench/gen) into a pandas DataFrame the way
the Azure Monitor Query SDK / MSTICPy hand results to a notebook: datetimes as
`datetime64[ns, UTC]`, longs as `int64` (nullable `Int64` only when a null is present;
MSTICPy's plot fills nulls with the text "NA", which a nullable integer column refuses). Both sides of the process-tree
benchmark (huntviz and MSTICPy) start from this same frame."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def load(path: str | Path) -> pd.DataFrame:
    with open(path, encoding="utf-8") as f:
        table = json.load(f)["tables"][0]
    names = [c["name"] for c in table["columns"]]
    df = pd.DataFrame(table["rows"], columns=names)
    for col in table["columns"]:
        name, kind = col["name"], col["type"]
        if kind == "datetime":
            df[name] = pd.to_datetime(df[name], utc=True, format="ISO8601")
        elif kind in ("long", "int"):
            df[name] = df[name].astype("Int64" if df[name].isna().any() else "int64")
    return df
