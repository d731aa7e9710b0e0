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
