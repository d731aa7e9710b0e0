//! Parent links against ground truth: simulated machines whose every process is known
//! with its true parent (`huntviz_bench_gen::truth`), written as Defender-internal rows
//! (the same process spelled as a base name, a device path, a drive path, in any case)
//! and as memory-snapshot listings (exited parents, reused PIDs, whole-second times,
//! Registry recorded before System). Every link must be right, every missing parent
//! inferred and no parent invented.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};

use huntviz_bench_gen::truth::{defender_internal, memory_snapshot, Truth};
use huntviz_process_tree::{base_name, build, Forest, Link, NodeId, NONE};
use huntviz_table::{parse_str, schema};

/// What the tree made of a generated result, checked against its truth.
struct Checked {
    forest: Forest,
    links: usize,
    /// Inferred node → the processes of the truth it stands for.
    stands_for: HashMap<NodeId, HashSet<usize>>,
}

fn check(truth: &Truth, expected_schema: &str) -> Checked {
    let d = parse_str(&truth.text).unwrap();
    let t = d.primary().unwrap();
    assert_eq!(t.rows(), truth.rows.len());
    let info = schema::detect(t, &Default::default());
    assert_eq!(info.name.as_deref(), Some(expected_schema));
    let forest = build(t, &info).unwrap();
    forest.check_invariants().unwrap();
    let mut node_of_row = vec![NONE; truth.rows.len()];
    for (i, n) in forest.nodes.iter().enumerate() {
        if !n.inferred() {
            node_of_row[n.row as usize] = i as NodeId;
        }
    }
    assert!(node_of_row.iter().all(|&n| n != NONE), "every row is a process (none merged away)");
    let row_of = truth.row_of_process();
    let mut wrong = Vec::new();
    let mut stands_for: HashMap<NodeId, HashSet<usize>> = HashMap::new();
    for (row, &p) in truth.rows.iter().enumerate() {
        let node = node_of_row[row];
        let got = forest.nodes[node as usize].parent;
        let truth_parent = truth.processes[p].parent.unwrap();
        match row_of[truth_parent] {
            Some(prow) if got == node_of_row[prow] => {}
            None if forest.node(got).is_some_and(|g| g.inferred() && g.pid == truth.processes[truth_parent].pid) => {
                stands_for.entry(got).or_default().insert(truth_parent);
            }
            _ => wrong.push((row, p, truth_parent, got, forest.link(node))),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} links wrong, e.g. (row, process, true parent, got, link) {:?}",
        wrong.len(),
        truth.rows.len(),
        &wrong[..wrong.len().min(5)]
    );
    Checked { forest, links: truth.rows.len(), stands_for }
}

fn kinds(f: &Forest) -> Vec<(Link, usize)> {
    let mut by: HashMap<Link, usize> = HashMap::new();
    for &l in &f.links {
        *by.entry(l).or_default() += 1;
    }
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort();
    v
}

#[test]
fn defender_internal_rows_link_exactly_whatever_the_spelling() {
    let truth = defender_internal(50_000, 1);
    let c = check(&truth, "mde-internal");
    let f = &c.forest;
    let row_of = truth.row_of_process();
    let parents_of_rows: HashSet<usize> = truth.rows.iter().filter_map(|&p| truth.processes[p].parent).collect();
    // Each inferred process is one absent process of the truth, spelled and timed as it.
    let mut inferred_of: HashMap<usize, NodeId> = HashMap::new();
    let mut work: Vec<(NodeId, usize)> =
        c.stands_for.iter().map(|(&n, set)| (n, *set.iter().next().unwrap())).collect();
    for (n, set) in &c.stands_for {
        assert_eq!(set.len(), 1, "inferred node {n} stands for {} processes", set.len());
    }
    while let Some((node, p)) = work.pop() {
        let proc_ = &truth.processes[p];
        if let Some(&other) = inferred_of.get(&p) {
            assert_eq!(other, node, "process {p} is inferred twice");
            continue;
        }
        inferred_of.insert(p, node);
        let n = f.nodes[node as usize];
        assert!(n.inferred() && n.pid == proc_.pid && n.start.abs_diff(proc_.start) <= 100, "{n:?} is not {proc_:?}");
        assert!(f.names(node).iter().all(|s| base_name(s, true).eq_ignore_ascii_case(&proc_.name)));
        // Its own parent, from its children's InitiatingProcessParent* columns — when a
        // listed row is its child; known only as a grandparent, it is a root.
        let got = n.parent;
        let Some(gp) = proc_.parent.filter(|_| parents_of_rows.contains(&p)) else {
            assert_eq!(got, NONE, "inferred {node} is known only as a grandparent");
            continue;
        };
        match row_of[gp] {
            Some(grow) => {
                let real = f.nodes.iter().position(|x| x.row as usize == grow).unwrap() as NodeId;
                assert_eq!(got, real, "inferred {node}'s parent is row {grow}");
                assert_eq!(f.link(node), Link::CreationTime);
            }
            None => {
                assert!(f.node(got).is_some_and(|g| g.inferred()), "inferred {node} has its inferred parent");
                work.push((got, gp));
            }
        }
    }
    assert_eq!(inferred_of.len(), f.summary.inferred, "every inferred node is an absent process, none invented");
    // One process, however spelled: nodes whose names differ only by path and case.
    let spelled = (0..f.nodes.len() as NodeId).filter(|&n| f.names(n).len() > 1).count();
    assert!(spelled > 1_000, "the generator spells processes several ways ({spelled})");
    let shown = (0..f.nodes.len() as NodeId).filter(|&n| f.display_name(n).contains('\\')).count();
    assert!(shown > 1_000, "a process known by its path is shown by it ({shown})");
    eprintln!(
        "defender-internal: {} rows, {} processes, {} inferred, {} roots; links {:?}",
        c.links,
        f.summary.processes,
        f.summary.inferred,
        f.summary.roots,
        kinds(f)
    );
}

#[test]
fn memory_snapshots_never_link_a_reused_pid_and_infer_every_dead_parent() {
    let truth = memory_snapshot(50_000, 1);
    let c = check(&truth, "volatility-pstree");
    let f = &c.forest;
    // One inferred process per (host, PID) of absent parents: what a listing can tell.
    let row_of = truth.row_of_process();
    let absent: HashSet<(usize, u64)> = truth
        .rows
        .iter()
        .filter_map(|&p| truth.processes[p].parent)
        .filter(|&tp| row_of[tp].is_none())
        .map(|tp| (truth.processes[tp].host, truth.processes[tp].pid))
        .collect();
    assert_eq!(f.summary.inferred, absent.len(), "no parent invented");
    assert_eq!(c.stands_for.len(), absent.len());
    // The shapes the listing must show: a PID reused after its holder left orphans, a
    // lingering exited process, Registry before System, parents in the same second.
    let by = kinds(f);
    let count = |k: Link| by.iter().find(|x| x.0 == k).map_or(0, |x| x.1);
    assert_eq!(count(Link::System), truth.hosts.len(), "Registry under System on every machine");
    assert!(count(Link::SameTick) > 100, "{by:?}");
    assert!(f.warnings.iter().any(|w| w.message.contains("reused")), "{:?}", f.warnings);
    assert!(f.warnings.iter().any(|w| w.message.contains("had exited")), "{:?}", f.warnings);
    assert!(count(Link::ClockSkew) == 0, "no clock-skew allowance on snapshots");
    eprintln!(
        "memory snapshot: {} rows over {} machines, {} processes, {} inferred, {} roots; links {by:?}; warnings {:?}",
        c.links,
        truth.hosts.len(),
        f.summary.processes,
        f.summary.inferred,
        f.summary.roots,
        f.warnings
    );
}

#[test]
fn other_seeds_are_right_too() {
    for seed in 2..6 {
        check(&defender_internal(4_000, seed), "mde-internal");
        check(&memory_snapshot(4_000, seed), "volatility-pstree");
    }
}
