//! Parent linking on hand-made cases: PID reuse, hosts, clock skew, GUIDs, cycles,
//! very deep chains.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huntviz_process_tree::{build, Forest, Linking, NONE};
use huntviz_table::{parse_str, schema};

/// A 4688-shaped table: (time, host, pid, name, ppid, parent name).
fn sec4688(rows: &[(&str, &str, &str, &str, &str, &str)]) -> String {
    let mut doc = String::from(
        "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"TimeGenerated\",\"type\":\"datetime\"},{\"name\":\"Computer\",\"type\":\"string\"},{\"name\":\"EventID\",\"type\":\"int\"},{\"name\":\"NewProcessId\",\"type\":\"string\"},{\"name\":\"NewProcessName\",\"type\":\"string\"},{\"name\":\"ProcessId\",\"type\":\"string\"},{\"name\":\"ParentProcessName\",\"type\":\"string\"}],\"rows\":[",
    );
    for (i, (t, host, pid, name, ppid, pname)) in rows.iter().enumerate() {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&format!("[\"{t}\",\"{host}\",4688,\"{pid}\",\"{name}\",\"{ppid}\",\"{pname}\"]"));
    }
    doc.push_str("]}]}");
    doc
}

fn forest(doc: &str) -> (huntviz_table::Table, Forest) {
    let d = parse_str(doc).unwrap();
    let t = d.tables.into_iter().next().unwrap();
    let info = schema::detect(&t, &Default::default());
    let f = build(&t, &info).unwrap();
    (t, f)
}

/// The parent's row of the node built from `row`, or None for an inferred/no parent.
fn parent_row(f: &Forest, row: u32) -> Option<u32> {
    let n = f.nodes.iter().find(|n| n.row == row).unwrap();
    f.node(n.parent).filter(|p| !p.inferred()).map(|p| p.row)
}

const CMD: &str = "C:\\\\Windows\\\\System32\\\\cmd.exe";
const PS: &str = "C:\\\\Windows\\\\System32\\\\WindowsPowerShell\\\\v1.0\\\\powershell.exe";
const EXPLORER: &str = "C:\\\\Windows\\\\explorer.exe";

#[test]
fn pid_reuse_links_to_the_most_recent_earlier_process() {
    // cmd.exe 0x100 runs twice (the PID is reused); each powershell belongs to the
    // cmd.exe alive when it started.
    let doc = sec4688(&[
        ("2024-05-06T10:00:00Z", "ws1", "0x100", CMD, "0x10", EXPLORER),
        ("2024-05-06T10:00:05Z", "ws1", "0x200", PS, "0x100", CMD),
        ("2024-05-06T11:00:00Z", "ws1", "0x100", CMD, "0x10", EXPLORER),
        ("2024-05-06T11:00:05Z", "ws1", "0x204", PS, "0x100", CMD),
        // A parent that started after the child is never its parent.
        ("2024-05-06T09:00:00Z", "ws1", "0x208", PS, "0x100", CMD),
    ]);
    let (_, f) = forest(&doc);
    assert_eq!(f.linking, Linking::TimeJoin);
    assert_eq!(parent_row(&f, 1), Some(0));
    assert_eq!(parent_row(&f, 3), Some(2));
    assert_eq!(parent_row(&f, 4), None, "the 09:00 child gets an inferred parent");
    let orphan = f.nodes.iter().find(|n| n.row == 4).unwrap();
    assert!(f.node(orphan.parent).unwrap().inferred());
    // Hex PIDs are numbers.
    assert_eq!(f.nodes.iter().find(|n| n.row == 1).unwrap().pid, 0x200);
}

#[test]
fn the_same_pid_on_two_hosts_never_crosses_hosts() {
    let doc = sec4688(&[
        ("2024-05-06T10:00:00Z", "ws1", "0x100", CMD, "0x10", EXPLORER),
        ("2024-05-06T10:00:01Z", "ws2", "0x100", CMD, "0x10", EXPLORER),
        ("2024-05-06T10:00:05Z", "ws2", "0x200", PS, "0x100", CMD),
    ]);
    let (_, f) = forest(&doc);
    assert_eq!(parent_row(&f, 2), Some(1), "ws2's powershell belongs to ws2's cmd");
    assert_eq!(f.summary.hosts, 2);
    let names: Vec<&str> = f.hosts.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["ws1", "ws2"]);
    for n in &f.nodes {
        if let Some(p) = f.node(n.parent) {
            assert_eq!(p.host, n.host);
        }
    }
}

#[test]
fn a_child_logged_just_before_its_parent_is_linked_and_warned() {
    let doc = sec4688(&[
        ("2024-05-06T10:00:00.500Z", "ws1", "0x200", PS, "0x100", CMD),
        ("2024-05-06T10:00:01Z", "ws1", "0x100", CMD, "0x10", EXPLORER),
    ]);
    let (_, f) = forest(&doc);
    assert_eq!(parent_row(&f, 0), Some(1));
    assert!(f.warnings.iter().any(|w| w.contains("clock skew")), "{:?}", f.warnings);
    // Beyond the tolerance it is not the parent.
    let doc = sec4688(&[
        ("2024-05-06T10:00:00Z", "ws1", "0x200", PS, "0x100", CMD),
        ("2024-05-06T10:00:09Z", "ws1", "0x100", CMD, "0x10", EXPLORER),
    ]);
    let (_, f) = forest(&doc);
    assert_eq!(parent_row(&f, 0), None);
}

#[test]
fn guids_link_exactly_and_cycles_are_broken() {
    let guid = |n: u32| format!("{{00000000-0000-0000-0000-{n:012}}}");
    let mut doc = String::from(
        "TimeGenerated,Computer,EventID,ProcessGuid,ProcessId,Image,ParentProcessGuid,ParentProcessId,ParentImage\n",
    );
    // 1 → 2 → 3, and a cycle 4 ↔ 5, and a self-parent 6. PIDs all equal: only GUIDs tell them apart.
    for (id, parent) in [(1, 99), (2, 1), (3, 2), (4, 5), (5, 4), (6, 6)] {
        doc.push_str(&format!("2024-05-06T10:00:0{id}Z,ws1,1,{},7,a.exe,{},7,a.exe\n", guid(id), guid(parent)));
    }
    let (_, f) = forest(&doc);
    assert_eq!(f.linking, Linking::Guid);
    assert_eq!(parent_row(&f, 1), Some(0));
    assert_eq!(parent_row(&f, 2), Some(1));
    assert!(f.node(f.nodes[0].parent).unwrap().inferred(), "GUID 99 is inferred");
    let cyclic = [3u32, 4, 5];
    let roots_among: usize = f.nodes.iter().filter(|n| cyclic.contains(&n.row) && n.parent == NONE).count();
    assert_eq!(roots_among, 2, "one link of the 2-cycle and the self-link are broken");
    assert!(f.warnings.iter().any(|w| w.contains("2 cycles")), "{:?}", f.warnings);
    // Every node reaches a root.
    for (i, _) in f.nodes.iter().enumerate() {
        assert!(f.ancestors(i as u32).len() < f.nodes.len());
    }
}

#[test]
fn a_100000_deep_chain_builds_without_recursion() {
    let depth = 100_000u32;
    let mut doc = String::from("{\"tables\":[{\"name\":\"T\",\"columns\":[{\"name\":\"TimeGenerated\",\"type\":\"datetime\"},{\"name\":\"Computer\",\"type\":\"string\"},{\"name\":\"pid\",\"type\":\"long\"},{\"name\":\"ppid\",\"type\":\"long\"},{\"name\":\"exe\",\"type\":\"string\"}],\"rows\":[");
    for i in 0..depth {
        if i > 0 {
            doc.push(',');
        }
        let (s, ms) = (i / 1000, i % 1000);
        doc.push_str(&format!(
            "[\"2024-05-06T00:{:02}:{:02}.{ms:03}Z\",\"h\",{},{},\"/bin/sh\"]",
            s / 60,
            s % 60,
            i + 2,
            i + 1
        ));
    }
    doc.push_str("]}]}");
    let (_, f) = forest(&doc);
    assert_eq!(f.summary.processes, depth as usize + 1, "plus the inferred pid 1");
    assert_eq!(f.summary.depth, depth as usize + 1);
    assert_eq!(f.summary.roots, 1);
    assert_eq!(f.summary.leaves, 1);
    assert_eq!(f.ancestors(f.nodes.iter().position(|n| n.row == depth - 1).unwrap() as u32).len(), depth as usize);
}

#[test]
fn mde_creation_times_resolve_pid_reuse_exactly_and_infer_grandparents() {
    let mut doc = String::from("Timestamp,DeviceName,ActionType,FileName,ProcessId,ProcessCreationTime,InitiatingProcessFileName,InitiatingProcessId,InitiatingProcessCreationTime,InitiatingProcessParentFileName,InitiatingProcessParentId,InitiatingProcessParentCreationTime\n");
    let rows = [
        // cmd 100 started at 10:00; its child ps 200 (parent time 10:00).
        ("10:00:00", "cmd.exe", 100, "10:00:00", "explorer.exe", 50, "08:00:00", "userinit.exe", 40, "07:59:00"),
        ("10:00:05", "powershell.exe", 200, "10:00:05", "cmd.exe", 100, "10:00:00", "explorer.exe", 50, "08:00:00"),
        // PID 100 reused by another cmd at 11:00; its child names that start time.
        ("11:00:00", "cmd.exe", 100, "11:00:00", "explorer.exe", 50, "08:00:00", "userinit.exe", 40, "07:59:00"),
        ("11:30:00", "whoami.exe", 300, "11:30:00", "cmd.exe", 100, "10:00:00.0000009", "explorer.exe", 50, "08:00:00"),
    ];
    for (ts, name, pid, pct, pname, ppid, ppct, gname, gpid, gct) in rows {
        doc.push_str(&format!(
            "2024-05-06T{ts}Z,ws1,ProcessCreated,{name},{pid},2024-05-06T{pct}Z,{pname},{ppid},2024-05-06T{ppct}Z,{gname},{gpid},2024-05-06T{gct}Z\n"
        ));
    }
    let (_, f) = forest(&doc);
    assert_eq!(f.linking, Linking::CreationTime);
    assert_eq!(parent_row(&f, 1), Some(0));
    assert_eq!(parent_row(&f, 3), Some(0), "whoami's parent is the 10:00 cmd (times within 10 µs), not the 11:00 one");
    // explorer (inferred, shared) → userinit (inferred grandparent).
    let explorer = f.nodes[0].parent;
    assert!(f.node(explorer).unwrap().inferred());
    assert_eq!(f.nodes[2].parent, explorer);
    let userinit = f.node(explorer).unwrap().parent;
    assert_eq!(f.inferred_info.get(&userinit).map(|i| i.name.as_str()), Some("userinit.exe"));
    assert_eq!(f.summary.depth, 4);
    assert_eq!(f.summary.inferred, 2);
}
