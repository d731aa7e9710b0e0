"""MSTICPy's QueryProvider results into huntviz: the DataFrames its LocalData provider
returns from the shared MSTICPy datasets (its own read path, MSTICPy's column
conventions: hex PIDs as text, NewProcessName, naive TimeGenerated), drawn as the same
process tree MSTICPy builds.

Runs in bench/.venv-msticpy (MSTICPy pins pandas < 3): `make test-msticpy`.
"""

from __future__ import annotations

import json
import pathlib
import subprocess

import huntviz
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared/datasets/msticpy/process"
CLI = ROOT / "target/debug/huntviz"

pytestmark = pytest.mark.skipif(not SHARED.exists(), reason="../shared/datasets is not here")

QUERIES = """
metadata:
  version: 1
  description: huntviz's test queries over the shared MSTICPy datasets
  data_environments: [LocalData]
  data_families: [WindowsSecurity, MDE]
defaults:
  metadata:
    data_source: 'local'
  parameters: {}
sources:
  list_host_processes:
    description: 4688 process events of a host
    metadata:
      data_families: [WindowsSecurity]
    args:
      query: win_proc_test.csv
  list_host_processes_mde:
    description: DeviceProcessEvents of a host
    metadata:
      data_families: [MDE]
    args:
      query: mde_proc_pub.csv
"""


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    from msticpy.data import QueryProvider

    queries = tmp_path_factory.mktemp("queries")
    (queries / "huntviz.yaml").write_text(QUERIES, encoding="utf-8")
    return QueryProvider("LocalData", data_paths=[str(SHARED)], query_paths=[str(queries)])


def _tree_summary(text: str, tmp_path: pathlib.Path) -> dict:
    path = tmp_path / "view.hvc"
    path.write_bytes(text.encode("utf-8"))
    out = subprocess.run([str(CLI), "tree", "--json", str(path)], check=True, capture_output=True)
    return json.loads(out.stdout)["summary"]


def test_a_4688_query_gives_msticpys_own_process_tree(provider, tmp_path):
    from msticpy.transform.proc_tree_builder import build_process_tree
    from msticpy.transform.process_tree_utils import get_summary_info

    df = provider.WindowsSecurity.list_host_processes()
    view = huntviz.show(df, view="process-tree")
    assert f"table of {len(df):,} rows" in view.summary
    ours = _tree_summary(view.data, tmp_path)
    theirs = get_summary_info(build_process_tree(df.copy(), show_summary=False))
    assert (ours["processes"], ours["roots"], ours["leaves"], ours["branches"], ours["depth"]) == (
        theirs["Processes"],
        theirs["RootProcesses"],
        theirs["LeafProcesses"],
        theirs["BranchProcesses"],
        theirs["LargestTreeDepth"],
    )


@pytest.mark.parametrize(
    ("query", "file"),
    [("WindowsSecurity.list_host_processes", "win_proc_test.csv"), ("MDE.list_host_processes_mde", "mde_proc_pub.csv")],
)
def test_a_query_providers_dataframe_reads_as_the_file_it_came_from(provider, query, file, tmp_path):
    # (MSTICPy's own MDE tree builder fails on this DataFrame as LocalData reads it:
    # a column of NaN where it splits strings. huntviz draws it; here it must draw the
    # same tree as from the file itself.)
    family, name = query.split(".")
    df = getattr(getattr(provider, family), name)()
    view = huntviz.show(df, view="process-tree")
    raw = (SHARED / file).read_text(encoding="utf-8")
    assert _tree_summary(view.data, tmp_path) == _tree_summary(raw, tmp_path)


# The queries as MSTICPy's Sentinel provider declares them (entity parameters and a time
# range), each reading a shared dataset through LocalData.
PIVOT_QUERIES = """
metadata:
  version: 1
  description: huntviz's pivot queries over the shared MSTICPy datasets
  data_environments: [LocalData]
  data_families: [WindowsSecurity, Network]
defaults:
  metadata:
    data_source: 'local'
  parameters:
    start:
      description: Query start time
      type: datetime
    end:
      description: Query end time
      type: datetime
sources:
  list_host_processes:
    description: 4688 process events of a host
    metadata:
      data_families: [WindowsSecurity]
    args:
      query: processes_on_host.csv
    parameters:
      host_name:
        description: Name of host
        type: str
  get_process_tree:
    description: The process tree of a process
    metadata:
      data_families: [WindowsSecurity]
    args:
      query: process_tree.csv
    parameters:
      host_name:
        description: Name of host
        type: str
      process_id:
        description: The PID of the process
        type: str
      process_name:
        description: The process image
        type: str
  list_host_logons:
    description: 4624 logons of a host
    metadata:
      data_families: [WindowsSecurity]
    args:
      query: host_logons.csv
    parameters:
      host_name:
        description: Name of host
        type: str
  list_azure_network_flows_by_ip:
    description: Flows of IP addresses
    metadata:
      data_families: [Network]
    args:
      query: az_net_flows.csv
    parameters:
      ip_address_list:
        description: IP addresses
        type: list
"""


@pytest.fixture()
def pivot_provider(tmp_path):
    from msticpy.data import QueryProvider

    (tmp_path / "pivots.yaml").write_text(PIVOT_QUERIES, encoding="utf-8")
    data = [str(ROOT.parent / "shared/datasets/msticpy" / d) for d in ("process", "logons", "network")]
    provider = QueryProvider("LocalData", data_paths=data, query_paths=[str(tmp_path)])
    yield provider
    from huntviz import _pivot

    _pivot._pivots.clear()


class Page:
    def __init__(self):
        self.sent = []

    def send(self, data, buffers=None):
        self.sent.append(data)


def _pivot_on(view, chosen, rows):
    import struct

    view._on_message(
        {
            "content": {"data": {"type": "pivot", "pivot": chosen.id, "count": len(rows)}},
            "buffers": [struct.pack(f"<{len(rows)}I", *rows)],
        }
    )
    view._running.thread.join(timeout=60)


def test_use_provider_makes_a_pivot_of_each_query_that_names_an_entity(pivot_provider):
    import datetime as dt

    from huntviz import _provider

    pivots = {p.label: p.kind for p in huntviz.use_provider(pivot_provider, window=dt.timedelta(minutes=30))}
    assert pivots["WindowsSecurity.list_host_processes"] == "host"
    assert pivots["WindowsSecurity.get_process_tree"] == "process"
    assert pivots["WindowsSecurity.list_host_logons"] == "host"
    assert pivots["Network.list_azure_network_flows_by_ip"] == "ip"
    # LocalData's own queries declare no parameters: their names say what they pivot on.
    assert pivots["Network.list_azure_network_flows_by_host"] == "host"
    assert "SecurityAlert.list_alerts" not in pivots and "Azure.list_all_signins_geo" not in pivots

    # The arguments a query gets: its entity parameters from the selected rows, one
    # list for a list parameter (one query for many rows), the window around their times.
    df = pivot_provider.WindowsSecurity.list_host_processes(host_name="MSTICAlertsWin1")
    rows = df.iloc[[3, 4]]
    source = pivot_provider.query_store.get_query("WindowsSecurity.get_process_tree")
    with pytest.raises(ValueError, match="takes one process_id and the selection has 2"):
        _provider.arguments("tree", source.params, rows, dt.timedelta(minutes=30))
    args = _provider.arguments("tree", source.params, df.iloc[[3]], dt.timedelta(minutes=30))
    assert args["host_name"] == df["Computer"].iloc[3]
    assert (args["process_id"], args["process_name"]) == (df["NewProcessId"].iloc[3], df["NewProcessName"].iloc[3])
    import pandas as pd

    at = pd.Timestamp(df["TimeGenerated"].iloc[3], tz="UTC")
    assert (args["start"], args["end"]) == (at - dt.timedelta(minutes=30), at + dt.timedelta(minutes=30))
    flows = pivot_provider.query_store.get_query("Network.list_azure_network_flows_by_ip")
    ips = pd.DataFrame({"IpAddress": ["10.0.0.1", "10.0.0.2", "10.0.0.1"]})
    assert _provider.arguments("flows", flows.params, ips, dt.timedelta(hours=1)) == {
        "ip_address_list": ["10.0.0.1", "10.0.0.2"]
    }


def test_a_provider_pivot_runs_msticpys_query_and_grows_the_view(pivot_provider):
    pivots = {p.label: p for p in huntviz.use_provider(pivot_provider)}
    # The first 200 of the host's process events: the tree query finds more.
    df = pivot_provider.WindowsSecurity.list_host_processes(host_name="MSTICAlertsWin1").iloc[:200]
    view = huntviz.show(df, view="process-tree")
    page = Page()
    view._attach(page)
    # The process tree query (LocalData's file, read by MSTICPy): the processes not
    # already shown are added to the same tree.
    tree = pivot_provider.WindowsSecurity.get_process_tree(host_name="h", process_id="0x1", process_name="p")
    _pivot_on(view, pivots["WindowsSecurity.get_process_tree"], [5])
    done = [m for m in page.sent if m.get("type") == "pivot"][-1]
    assert done["state"] == "done", done
    # The same process (host, id, start) is not added twice.
    key = ["Computer", "NewProcessId", "TimeGenerated"]
    known = set(map(tuple, df[key].astype(str).to_numpy()))
    new = {k for k in map(tuple, tree[key].astype(str).to_numpy()) if k not in known}
    assert new and done["added"] == len(new) and len(view._source) == len(df) + len(new)
    assert any(m.get("type") == "update" for m in page.sent)
    # Logons do not fit a process tree: a new output beside it, and kept for the next cell.
    _pivot_on(view, pivots["WindowsSecurity.list_host_logons"], [5])
    said = [m for m in page.sent if m.get("type") == "pivot"][-1]
    assert (said["state"], said["opened"], said["why"]) == ("done", 14, "it has no NewProcessId column")
    assert [m["type"] for m in page.sent].count("output") == 1
    assert len(view.pivot_result) == 14 and "TargetLogonId" in view.pivot_result.columns
