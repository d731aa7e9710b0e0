//! Parent linking on hand-made cases: PID reuse, hosts, clock skew, GUIDs, cycles,
//! very deep chains.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use huntviz_process_tree::{build, Forest, Link, Linking, NodeId, NONE};
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
    forest_with(doc, &[])
}

/// The forest of a result, with role overrides; its invariants hold.
fn forest_with(doc: &str, columns: &[(&str, &str)]) -> (huntviz_table::Table, Forest) {
    let d = parse_str(doc).unwrap();
    let t = d.tables.into_iter().next().unwrap();
    let overrides = columns.iter().map(|(r, c)| (r.to_string(), c.to_string())).collect();
    let info = schema::detect(&t, &overrides);
    let f = build(&t, &info).unwrap();
    f.check_invariants().unwrap();
    (t, f)
}

/// The node of a row.
fn node_of(f: &Forest, row: u32) -> NodeId {
    f.nodes.iter().position(|n| n.row == row).unwrap() as NodeId
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
fn a_parent_that_started_after_its_child_is_never_its_parent_where_times_are_creation_times() {
    // 4688's TimeGenerated is stamped by the host as it creates the process: one clock,
    // so a "parent" half a second later is a reused PID, and the real parent is inferred.
    let doc = sec4688(&[
        ("2024-05-06T10:00:00.500Z", "ws1", "0x200", PS, "0x100", CMD),
        ("2024-05-06T10:00:01Z", "ws1", "0x100", CMD, "0x10", EXPLORER),
    ]);
    let (_, f) = forest(&doc);
    assert_eq!(parent_row(&f, 0), None);
    assert_eq!(f.link(node_of(&f, 0)), Link::Inferred);
    assert!(f.warnings.iter().any(|w| w.message.contains("reused")), "{:?}", f.warnings);
    assert!(!f.warnings.iter().any(|w| w.message.contains("clock")), "{:?}", f.warnings);
}

/// DeviceProcessEvents without the creation-time columns: (Timestamp, pid, name, ppid, parent name).
fn mde_report_times(rows: &[(&str, u32, &str, u32, &str)]) -> String {
    let mut doc = String::from(
        "Timestamp,DeviceName,ActionType,FileName,ProcessId,InitiatingProcessFileName,InitiatingProcessId\n",
    );
    for (t, pid, name, ppid, pname) in rows {
        doc.push_str(&format!("2024-05-06T{t}Z,ws1,ProcessCreated,{name},{pid},{pname},{ppid}\n"));
    }
    doc
}

#[test]
fn report_times_allow_a_parent_reported_up_to_2_s_after_its_child_and_say_so() {
    // Defender's Timestamp is when the sensor reported the event, each report after its
    // own creation: a parent's report can come after its child's.
    let doc = mde_report_times(&[
        ("10:00:00.500", 512, "powershell.exe", 256, "cmd.exe"),
        ("10:00:01.000", 256, "cmd.exe", 64, "explorer.exe"),
    ]);
    let (_, f) = forest(&doc);
    assert_eq!(f.linking, Linking::TimeJoin);
    assert_eq!(parent_row(&f, 0), Some(1));
    assert_eq!(f.link(node_of(&f, 0)), Link::ClockSkew);
    assert_eq!(f.summary.weak_links, 1);
    assert!(f.warnings.iter().any(|w| w.message.contains("clock-skew")), "{:?}", f.warnings);
    // Beyond the allowance it is not the parent.
    let doc = mde_report_times(&[
        ("10:00:00.000", 512, "powershell.exe", 256, "cmd.exe"),
        ("10:00:09.000", 256, "cmd.exe", 64, "explorer.exe"),
    ]);
    let (_, f) = forest(&doc);
    assert_eq!(parent_row(&f, 0), None);
    assert_eq!(f.link(node_of(&f, 0)), Link::Inferred);
}

#[test]
fn guids_link_exactly_and_cycles_are_broken() {
    let guid = |n: u32| format!("{{00000000-0000-0000-0000-{n:012}}}");
    let mut doc = String::from(
        "TimeGenerated,Computer,EventID,ProcessGuid,ProcessId,Image,ParentProcessGuid,ParentProcessId,ParentImage\n",
    );
    // 1 → 2 → 3, and a cycle 4 ↔ 5, and a self-parent 6. PIDs all equal: only GUIDs tell them apart.
    for (id, parent) in [(1, 99), (2, 1), (3, 2), (4, 5), (5, 4), (6, 6)] {
        // The cycle's members start within 10 µs: no parent starts after its child.
        let time = if id >= 4 { format!("09.000000{id}") } else { format!("0{id}") };
        doc.push_str(&format!("2024-05-06T10:00:{time}Z,ws1,1,{},7,a.exe,{},7,a.exe\n", guid(id), guid(parent)));
    }
    let (_, f) = forest(&doc);
    assert_eq!(f.linking, Linking::Guid);
    assert_eq!(parent_row(&f, 1), Some(0));
    assert_eq!(parent_row(&f, 2), Some(1));
    assert!(f.node(f.nodes[0].parent).unwrap().inferred(), "GUID 99 is inferred");
    let cyclic = [3u32, 4, 5];
    let roots_among: usize = f.nodes.iter().filter(|n| cyclic.contains(&n.row) && n.parent == NONE).count();
    assert_eq!(roots_among, 2, "one link of the 2-cycle and the self-link are broken");
    assert!(f.warnings.iter().any(|w| w.message.contains("2 cycles")), "{:?}", f.warnings);
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

/// A small hand-made memory image listing (Volatility `windows.pslist`) with the
/// shapes real images show: Registry recorded before System, a parent in the same
/// second as its child, smss's session instance (PID 548) exited and its PID reused two
/// seconds later by a svchost, and an exited cmd.exe that lingers with an ExitTime.
const SNAPSHOT: &str = include_str!("../../../tests/fixtures/memory_snapshot.csv");

#[test]
fn memory_snapshots_link_only_parents_alive_when_the_child_started() {
    let (_, f) = forest(SNAPSHOT);
    assert_eq!(f.linking, Linking::TimeJoin);
    let link = |row| f.link(node_of(&f, row));
    // Registry (05:04:54) under System (05:04:58) by the PID 4 rule, flagged.
    assert_eq!(parent_row(&f, 1), Some(0));
    assert_eq!(link(1), Link::System);
    // smss started in System's second: linked, weaker.
    assert_eq!(parent_row(&f, 2), Some(0));
    assert_eq!(link(2), Link::SameTick);
    // csrss and wininit (05:05:00) name PID 548, held by a svchost from 05:05:02: their
    // parent had exited and is inferred — the same inferred parent for both.
    for row in [3, 4] {
        assert_eq!(parent_row(&f, row), None, "row {row}");
        assert_eq!(link(row), Link::Inferred);
    }
    assert_eq!(f.nodes[node_of(&f, 3) as usize].parent, f.nodes[node_of(&f, 4) as usize].parent);
    assert!(
        f.warnings.iter().any(|w| w.message.starts_with("2 processes name a parent PID whose only holder")),
        "{:?}",
        f.warnings
    );
    // services (05:05:01) under wininit (05:05:00): proved by the order.
    assert_eq!(parent_row(&f, 5), Some(4));
    assert_eq!(link(5), Link::PidTime);
    // The exited cmd.exe was the parent of what started before 06:20, not after.
    assert_eq!(parent_row(&f, 10), Some(8));
    assert_eq!(parent_row(&f, 11), None);
    assert!(
        f.warnings
            .iter()
            .any(|w| w.message.starts_with("1 process names a parent PID whose holder had exited before it started")),
        "{:?}",
        f.warnings
    );
    // System (PPID 0) and the two dead parents are the inferred ones; no clock skew.
    assert_eq!(f.summary.inferred, 3);
    assert!(!f.links.contains(&Link::ClockSkew));
}

#[test]
fn a_listing_without_times_links_by_pid_alone_and_says_so() {
    let doc = "Pid,Ppid,Name\n4,0,System\n404,4,smss.exe\n556,404,csrss.exe\n";
    let (_, f) = forest(doc);
    assert_eq!(f.link(node_of(&f, 2)), Link::PidOnly);
    assert_eq!(parent_row(&f, 2), Some(1));
    assert_eq!(f.summary.weak_links, 2);
}

/// Defender's internal schema: (created pid, name, creation, initiating pid, name,
/// creation, initiating parent pid, name, creation).
type MdeRow<'a> = (u32, &'a str, &'a str, u32, &'a str, &'a str, u32, &'a str, &'a str);

fn mde_internal(rows: &[MdeRow]) -> String {
    let mut doc = String::from("ComputerDnsName,CreatedProcessId,CreatedProcessName,CreatedProcessCreationTime,InitiatingProcessId,InitiatingProcessName,InitiatingProcessCreationTime,InitiatingProcessParentProcessId,InitiatingProcessParentProcessName,InitiatingProcessParentCreationTime\n");
    for (pid, name, t, ppid, pname, pt, gpid, gname, gt) in rows {
        doc.push_str(&format!(
            "ws1,{pid},{name},2021-06-23 {t}+00:00,{ppid},{pname},2021-06-23 {pt}+00:00,{gpid},{gname},2021-06-23 {gt}+00:00\n"
        ));
    }
    doc
}

#[test]
fn defender_internal_paths_and_base_names_name_one_process() {
    let services = "\\Device\\HarddiskVolume3\\Windows\\System32\\services.exe";
    let doc = mde_internal(&[
        // services.exe itself, by its base name.
        (768, "services.exe", "00:00:01.1234567", 632, "wininit.exe", "00:00:00.5", 548, "smss.exe", "00:00:00.1"),
        // A child names it in capitals.
        (
            1048,
            "svchost.exe",
            "00:00:02.0000001",
            768,
            "SERVICES.EXE",
            "00:00:01.1234567",
            632,
            "wininit.exe",
            "00:00:00.5",
        ),
        // A grandchild whose parent (svchost 2000) is not in the result names it by path,
        // its creation time cut to microseconds.
        (3000, "cmd.exe", "00:10:00.0", 2000, "svchost.exe", "00:05:00.0", 768, services, "00:00:01.123456"),
    ]);
    let (_, f) = forest(&doc);
    assert_eq!(f.linking, Linking::CreationTime);
    let svc = node_of(&f, 0);
    assert_eq!(parent_row(&f, 1), Some(0), "SERVICES.EXE is services.exe");
    let absent = f.nodes[node_of(&f, 2) as usize].parent;
    assert!(f.node(absent).unwrap().inferred());
    assert_eq!(f.nodes[absent as usize].parent, svc, "the device path is services.exe: no second services node");
    assert_eq!(f.link(absent), Link::CreationTime);
    let services_nodes = (0..f.nodes.len() as NodeId).filter(|&n| f.nodes[n as usize].pid == 768).count();
    assert_eq!(services_nodes, 1);
    // It shows the longest name known, and keeps every spelling.
    assert_eq!(f.display_name(svc), services);
    assert_eq!(f.names(svc), ["services.exe", "SERVICES.EXE", services]);
    // wininit and smss are inferred once each: 3 rows, svchost 2000, wininit, smss.
    assert_eq!(f.summary.processes, 6);
    assert_eq!(f.summary.roots, 1);
    assert_eq!(f.summary.depth, 5);
}

#[test]
fn unix_names_keep_their_case() {
    // auditd with a parent-name column mapped by the user: Linux compares names as written.
    let doc = "TimeGenerated,Computer,pid,ppid,exe,pexe\n\
        2024-05-06T10:00:00Z,lx1,10,1,/usr/bin/Python3,/sbin/init\n\
        2024-05-06T10:00:01Z,lx1,11,10,/bin/sh,/usr/bin/python3\n\
        2024-05-06T10:00:02Z,lx1,12,10,/bin/sh,Python3\n";
    let (_, f) = forest_with(doc, &[("parent_name", "pexe")]);
    assert!(!f.hosts[0].windows);
    assert_eq!(parent_row(&f, 1), None, "python3 is not Python3 on Linux");
    assert_eq!(parent_row(&f, 2), Some(0), "a base name matches the path");
}

#[test]
fn a_source_of_either_os_is_judged_per_host_by_its_names() {
    // osquery runs on both: each host's names say which it is.
    let doc = "calendarTime,hostIdentifier,pid,parent,path,ppath\n\
        2024-05-06T10:00:00Z,lx1,10,1,/usr/bin/Python3,/sbin/init\n\
        2024-05-06T10:00:01Z,lx1,11,10,/bin/sh,/usr/bin/python3\n\
        2024-05-06T10:00:00Z,win1,10,1,C:\\Python\\Python3.exe,C:\\Windows\\explorer.exe\n\
        2024-05-06T10:00:01Z,win1,11,10,C:\\Windows\\System32\\cmd.exe,PYTHON3.EXE\n";
    let (_, f) = forest_with(doc, &[("parent_name", "ppath"), ("process_name", "path")]);
    assert_eq!(
        f.hosts.iter().map(|h| (h.name.as_str(), h.windows)).collect::<Vec<_>>(),
        [("lx1", false), ("win1", true)]
    );
    assert_eq!(parent_row(&f, 1), None, "python3 is not Python3 on Linux");
    assert_eq!(parent_row(&f, 3), Some(2), "PYTHON3.EXE is C:\\Python\\Python3.exe on Windows");
}

#[test]
fn an_exact_link_to_a_parent_recorded_after_its_child_is_cut() {
    let guid = |n: u32| format!("{{00000000-0000-0000-0000-{n:012}}}");
    let doc = format!(
        "TimeGenerated,Computer,EventID,ProcessGuid,ProcessId,Image,ParentProcessGuid,ParentProcessId,ParentImage\n\
         2024-05-06T10:00:00Z,ws1,1,{},8,b.exe,{},7,a.exe\n\
         2024-05-06T10:05:00Z,ws1,1,{},7,a.exe,{},6,c.exe\n",
        guid(2),
        guid(1),
        guid(1),
        guid(9)
    );
    let (_, f) = forest(&doc);
    assert_eq!(f.nodes[node_of(&f, 0) as usize].parent, NONE);
    assert!(f.warnings.iter().any(|w| w.message.contains("recorded as starting after")), "{:?}", f.warnings);
}

#[test]
fn a_guid_repeated_on_another_host_never_links_across_hosts() {
    // Found by the fuzzer: GUIDs are unique only if the data is honest.
    let doc = "TimeGenerated,Computer,EventID,ProcessGuid,ProcessId,Image,ParentProcessGuid,ParentProcessId,ParentImage\n\
        2024-05-06T10:00:00Z,ws1,1,{00000000-0000-0000-0000-00000000000a},7,cmd.exe,{00000000-0000-0000-0000-00000000000f},6,explorer.exe\n\
        2024-05-06T10:00:01Z,ws2,1,{00000000-0000-0000-0000-00000000000b},8,whoami.exe,{00000000-0000-0000-0000-00000000000a},7,cmd.exe\n";
    let (_, f) = forest(doc);
    assert_eq!(parent_row(&f, 1), None);
    assert_eq!(f.link(node_of(&f, 1)), Link::Inferred);
}
