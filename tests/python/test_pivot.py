"""Pivots from the kernel's side: registered per entity kind, offered where the result has
such entities, run once per click with the selected rows (one batched call for many), the
returned rows merged into the same output (new ones only, marked, capped) and the output
rewritten once; errors and cancels reported to the view. The click in a real JupyterLab
is tested in tests/browser/specs/link.spec.ts."""

from __future__ import annotations

import json
import struct
import threading

import huntviz
import pytest
from huntviz import _pivot
from huntviz._show import MIME_TYPE, read_payload


@pytest.fixture(autouse=True)
def no_pivots_left():
    yield
    _pivot._pivots.clear()


class Page:
    """The page's end of the comm: what the kernel sends it, recorded."""

    def __init__(self):
        self.sent: list[tuple[dict, list[bytes]]] = []

    def send(self, data, buffers=None):
        self.sent.append((data, [bytes(b) for b in buffers or []]))

    def of(self, kind):
        return [d for d, _ in self.sent if d.get("type") == kind]


def linked(df, view="process-tree"):
    v = huntviz.show(df, view=view)
    page = Page()
    v._attach(page)
    return v, page


def payload_of(data, buffers):
    """The payload an update message carries (its text form, or its JSON)."""
    raw = buffers[0].decode("utf-8")
    return read_payload(raw if data["text"] else json.loads(raw))


def pivot_message(pivot_id, rows, **extra):
    data = {"type": "pivot", "pivot": pivot_id, "count": len(rows), **extra}
    return {"content": {"data": data}, "buffers": [struct.pack(f"<{len(rows)}I", *rows)]}


def run(v, message):
    """Sends a pivot message and waits for its worker thread."""
    v._on_message(message)
    running = v._running
    if running is not None:
        running.thread.join(timeout=60)
        assert not running.thread.is_alive()


def children_of(df, count, start_pid=900_000):
    """Rows for `count` new child processes of the first selected row (as a generator
    would give them: same host, the parent's pid as their parent)."""

    def fn(rows):
        parent = rows.iloc[0]
        new = df.iloc[[0] * count].copy()
        new["DeviceName"] = parent["DeviceName"]
        new["InitiatingProcessId"] = parent["ProcessId"]
        new["InitiatingProcessFileName"] = parent["FileName"]
        new["InitiatingProcessCreationTime"] = parent["ProcessCreationTime"]
        new["ProcessId"] = range(start_pid, start_pid + count)
        new["FileName"] = [f"child{i}.exe" for i in range(count)]
        return new

    return fn


def test_a_pivot_is_for_one_kind_and_is_offered_where_the_result_has_such_entities(process_events):
    with pytest.raises(ValueError, match="kind must be one of process, host, account, ip"):
        huntviz.pivot("pony", "x", lambda rows: rows)
    with pytest.raises(TypeError, match="callable"):
        huntviz.pivot("host", "x", "rm -rf /")
    with pytest.raises(ValueError, match="limit"):
        huntviz.pivot("host", "x", lambda rows: rows, limit=0)
    host = huntviz.pivot("host", "Host logons", lambda rows: rows)
    flows = huntviz.pivot("ip", "Flows", lambda rows: rows)
    offered = _pivot.available(process_events)
    assert [p["label"] for p in offered] == ["Host logons"], "the events have hosts but no IP column"
    assert offered[0]["id"] == host.id and offered[0]["kind"] == "host"
    ips = process_events.rename(columns={"DeviceName": "RemoteIP"})
    assert [p["label"] for p in _pivot.available(ips)] == ["Flows"]
    host.remove()
    flows.remove()
    assert _pivot.available(process_events) == []


def test_a_click_runs_the_function_once_and_the_output_grows_in_place(process_events):
    calls = []
    fn = children_of(process_events, 5)
    chosen = huntviz.pivot("process", "Children", lambda rows: calls.append(rows.copy()) or fn(rows))
    v, page = linked(process_events)
    before = len(process_events)
    run(v, pivot_message(chosen.id, [42]))
    assert len(calls) == 1 and calls[0].equals(process_events.iloc[[42]])
    states = [m["state"] for m in page.of("pivot")]
    assert states == ["running", "done"] and page.of("pivot")[-1]["added"] == 5
    # The output is rewritten once, with the grown result: what the page writes into the notebook.
    (update,) = [(d, b) for d, b in page.sent if d["type"] == "update"]
    data, buffers = update
    assert data["rows"] == before + 5
    payload = payload_of(data, buffers)
    assert payload["view"] == "process-tree"
    # Drawn apart: coloured by the pivot that added them (no colouring was chosen).
    assert payload["options"] == {"color_by": "HuntvizPivot"}
    columns = process_events.shape[1] + 1  # and HuntvizPivot
    assert data["bundle"]["text/plain"].endswith(f"table of {before + 5:,} rows × {columns} columns")
    # The result's own rows keep their places; the added ones say where they came from.
    grown = v._source
    assert grown.iloc[:before].drop(columns="HuntvizPivot").equals(process_events)
    parent = process_events.iloc[42]
    assert set(grown["HuntvizPivot"].iloc[before:]) == {f"Children: {parent['ProcessId']}"}
    assert set(grown["HuntvizPivot"].iloc[:before]) == {""}
    assert v._rows == before + 5


def test_many_selected_rows_are_one_batched_call_and_known_rows_are_not_added_again(process_events):
    calls = []

    def same_hosts(rows):
        calls.append(len(rows))
        # The hosts' processes: all already in the result, so nothing is new.
        return process_events[process_events["DeviceName"].isin(rows["DeviceName"])]

    chosen = huntviz.pivot("host", "Host processes", same_hosts)
    v, page = linked(process_events, "table")
    run(v, pivot_message(chosen.id, [1, 2, 3, 500]))
    assert calls == [4]
    assert page.of("pivot")[-1] == {
        "type": "pivot",
        "state": "done",
        "label": "Host processes",
        "added": 0,
        "capped": False,
        "limit": _pivot.DEFAULT_LIMIT,
    }
    assert page.of("update") == [] and v._source is process_events


def test_the_cap_is_shown_and_can_be_raised(process_events):
    chosen = huntviz.pivot("process", "Children", children_of(process_events, 50), limit=10)
    v = huntviz.show(process_events, view="process-tree", color_by="AccountName")
    page = Page()
    v._attach(page)
    run(v, pivot_message(chosen.id, [3]))
    done = page.of("pivot")[-1]
    assert (done["added"], done["capped"], done["limit"]) == (10, True, 10)
    # Raised from the view: the ten already there are not added twice.
    run(v, pivot_message(chosen.id, [3], limit=100))
    done = page.of("pivot")[-1]
    assert (done["added"], done["capped"]) == (40, False)
    assert len(v._source) == len(process_events) + 50
    assert v.options == {"color_by": "AccountName"}, "the hunter's colouring stays"
    for bad in (0, -1, "100", 10**9):
        v._on_message(pivot_message(chosen.id, [3], limit=bad))
        assert "row limit" in page.of("error")[-1]["message"]


def test_errors_unknown_pivots_and_empty_selections_are_said_in_the_view(process_events):
    def broken(rows):
        raise ConnectionError("workspace unreachable")

    chosen = huntviz.pivot("process", "Broken", broken)
    v, page = linked(process_events)
    run(v, pivot_message(chosen.id, [1]))
    assert page.of("pivot")[-1]["state"] == "error"
    assert page.of("pivot")[-1]["message"] == "Broken: ConnectionError: workspace unreachable"
    assert page.of("update") == []
    v._on_message(pivot_message("p999999", [1]))
    assert "not registered" in page.of("error")[-1]["message"]
    v._on_message(pivot_message(chosen.id, []))
    assert "select something" in page.of("error")[-1]["message"]
    v._on_message(pivot_message(chosen.id, [len(process_events)]))
    assert "beyond the result" in page.of("error")[-1]["message"]
    wrong = huntviz.pivot("process", "Wrong", lambda rows: "not a frame")
    run(v, pivot_message(wrong.id, [1]))
    assert "returns a pandas or polars DataFrame" in page.of("pivot")[-1]["message"]


def test_a_cancelled_pivot_changes_nothing_and_the_kernel_answers_meanwhile(process_events):
    release = threading.Event()
    started = threading.Event()
    fn = children_of(process_events, 3)

    def slow(rows):
        started.set()
        release.wait(timeout=60)
        return fn(rows)

    chosen = huntviz.pivot("process", "Slow", slow)
    v, page = linked(process_events)
    v._on_message(pivot_message(chosen.id, [5]))
    running = v._running
    assert started.wait(timeout=60)
    # While it runs, the kernel still takes messages: a second pivot is refused, a selection is held.
    v._on_message(pivot_message(chosen.id, [6]))
    assert "still running" in page.of("error")[-1]["message"]
    v._on_message({"content": {"data": {"type": "select", "count": 1}}, "buffers": [struct.pack("<I", 8)]})
    assert v.selection == [8]
    v._on_message({"content": {"data": {"type": "cancel"}}})
    release.set()
    running.thread.join(timeout=60)
    assert [m["state"] for m in page.of("pivot")] == ["running", "cancelled"]
    assert page.of("update") == [] and v._source is process_events and v._running is None


def test_update_add_highlight_and_focus_rewrite_the_linked_output(process_events):
    v = huntviz.show(process_events, view="process-tree")
    for act in (lambda: v.update(process_events), lambda: v.add(process_events), lambda: v.highlight("cmd.exe")):
        with pytest.raises(RuntimeError, match="not linked to the kernel yet"):
            act()
    page = Page()
    v._attach(page)
    v.update(process_events.iloc[:100])
    assert page.of("update")[-1]["rows"] == 100 and v._rows == 100
    v.add(process_events.iloc[100:130], name="next hour")
    assert page.of("update")[-1]["rows"] == 130
    assert list(v._source["HuntvizPivot"].iloc[100:].unique()) == ["next hour"]
    v.highlight("certutil.exe", "/-urlcache/")
    v.focus(4242)
    assert v.options == {"highlight": ["certutil.exe", "/-urlcache/"], "focus": "4242"}
    assert payload_of(*page.sent[-1])["options"] == v.options
    v.highlight()
    assert "highlight" not in v.options
    grid = huntviz.show(process_events, view="table")
    with pytest.raises(ValueError, match="highlight applies to process-tree views, not table"):
        grid.highlight("x")


def test_a_timeline_gains_a_lane_per_added_dataset(process_events):
    v, page = linked(process_events, "timeline")
    v.add(process_events.iloc[:10], name="alerts seen")
    assert [name for name, _, _ in v.datasets] == ["alerts seen"]
    data, buffers = page.sent[-1]
    payload = payload_of(data, buffers)
    assert [d["name"] for d in payload["datasets"]] == ["alerts seen"]
    assert MIME_TYPE not in data["bundle"]


def test_linked_views_hear_of_pivots_registered_and_removed_after_them(process_events):
    from huntviz import _link

    v, page = linked(process_events)
    _link._views["test-view"] = v
    try:
        registered = huntviz.pivot("host", "Logons", lambda rows: rows)
        assert page.of("pivots")[-1]["pivots"] == [
            {"id": registered.id, "kind": "host", "label": "Logons", "limit": 10_000}
        ]
        registered.remove()
        assert page.of("pivots")[-1]["pivots"] == []
    finally:
        del _link._views["test-view"]


def test_a_result_that_does_not_fit_opens_a_new_output_and_a_timeline_gains_a_lane(process_events):
    logons = process_events[["TimeGenerated", "DeviceName", "AccountName"]].iloc[:7].assign(LogonType=3)
    chosen = huntviz.pivot("host", "Logons", lambda rows: logons)
    tree, page = linked(process_events)
    run(tree, pivot_message(chosen.id, [2]))
    message = page.of("pivot")[-1]
    assert (message["state"], message["added"], message["opened"]) == ("done", 0, 7)
    assert message["why"] == "it has no ProcessId column"
    assert tree.pivot_result is logons and page.of("update") == [] and tree._source is process_events
    # A new output for the page to add under this one: the logons, as huntviz shows them.
    (opened,) = [(d, b) for d, b in page.sent if d["type"] == "output"]
    payload = payload_of(*opened)
    assert payload["view"] == "auto"
    host = process_events["DeviceName"].iloc[2]
    assert opened[0]["bundle"]["text/plain"].endswith(f"table of 7 rows × 4 columns: Logons: {host}")
    timeline, page = linked(process_events, "timeline")
    run(timeline, pivot_message(chosen.id, [2]))
    assert page.of("pivot")[-1]["added"] == 7
    host = process_events["DeviceName"].iloc[2]
    assert [name for name, _, _ in timeline.datasets] == [f"Logons: {host}"]
    assert [d["name"] for d in payload_of(*page.sent[-1])["datasets"]] == [f"Logons: {host}"]


def descendants_of(df, levels, width=2, start_pid=800_000):
    """A pivot returning `width` children per process for `levels` generations below the
    first selected row (linked as MDE links them: parent id and parent start time), plus
    one process of another host: what a whole-tree query could return."""
    import pandas as pd

    def fn(rows):
        parents = [rows.iloc[0]]
        out, pid = [], start_pid
        for level in range(levels):
            born = []
            for p in parents:
                for _ in range(width):
                    child = df.iloc[0].copy()
                    child["DeviceName"] = p["DeviceName"]
                    child["InitiatingProcessId"] = p["ProcessId"]
                    child["InitiatingProcessCreationTime"] = p["ProcessCreationTime"]
                    child["ProcessId"] = pid
                    child["ProcessCreationTime"] = p["ProcessCreationTime"] + pd.Timedelta(seconds=1)
                    child["FileName"] = f"gen{level + 1}_{pid}.exe"
                    pid += 1
                    born.append(child)
            out += born
            parents = born
        other = df.iloc[0].copy()
        other["DeviceName"], other["ProcessId"] = "elsewhere", pid
        return pd.DataFrame(out + [other])

    return fn


def test_a_level_cap_keeps_the_processes_within_it_and_says_how_many_lay_beyond(process_events):
    with pytest.raises(ValueError, match="descendants must be a whole number of levels"):
        huntviz.pivot("process", "x", lambda rows: rows, descendants=-1)
    chosen = huntviz.pivot("process", "Tree", descendants_of(process_events, 3), descendants=2)
    assert _pivot.available(process_events)[0]["descendants"] == 2
    v, page = linked(process_events)
    before = len(process_events)
    run(v, pivot_message(chosen.id, [42]))
    done = page.of("pivot")[-1]
    # 2 children, 4 grandchildren kept; 8 great-grandchildren and the other host's process cut.
    assert (done["added"], done["descendants"], done["beyond"]) == (6, 2, 9)
    added = v._source.iloc[before:]
    assert sorted(added["FileName"].str.slice(0, 4).unique()) == ["gen1", "gen2"]
    # Raised from the view: the next generation comes, the stranger still does not.
    run(v, pivot_message(chosen.id, [42], descendants=4))
    done = page.of("pivot")[-1]
    assert (done["added"], done["beyond"]) == (8, 1)
    v._on_message(pivot_message(chosen.id, [42], descendants=_pivot.MAX_LEVELS + 1))
    assert "descendants is a whole number of levels" in page.of("error")[-1]["message"]


def test_ancestor_levels_follow_parent_links_up_and_reused_ids_link_to_the_holder_then(process_events):
    import pandas as pd

    t0 = pd.Timestamp("2024-01-01T00:00:00Z")

    def proc(pid, ppid, start, parent_start, name, host="h1"):
        return {
            "DeviceName": host,
            "ProcessId": pid,
            "InitiatingProcessId": ppid,
            "ProcessCreationTime": t0 + pd.Timedelta(minutes=start),
            "InitiatingProcessCreationTime": t0 + pd.Timedelta(minutes=parent_start),
            "FileName": name,
        }

    result = pd.DataFrame([proc(10, 5, 30, 20, "selected.exe")])
    # Its parent (pid 5, started at 20) and grandparent; an earlier process that held pid 5.
    found = pd.DataFrame(
        [
            proc(5, 3, 20, 10, "parent.exe"),
            proc(3, 1, 10, 0, "grandparent.exe"),
            proc(5, 1, 2, 0, "old-holder-of-5.exe"),
        ]
    )
    up = _pivot.parents(pd.concat([result, found], ignore_index=True))
    assert up.tolist() == [1, 2, -1, -1]
    chosen = huntviz.pivot("process", "Ancestors", lambda rows: found, ancestors=1)
    v, page = linked(result)
    run(v, pivot_message(chosen.id, [0]))
    assert (page.of("pivot")[-1]["added"], page.of("pivot")[-1]["beyond"]) == (1, 2)
    assert v._source["FileName"].tolist() == ["selected.exe", "parent.exe"]
    # Without parent start times, the latest holder of the id at the child's start.
    bare = pd.concat([result, found], ignore_index=True).drop(columns="InitiatingProcessCreationTime")
    assert _pivot.parents(bare).tolist() == [1, 2, -1, -1]
