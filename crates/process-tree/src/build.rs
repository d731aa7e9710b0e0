//! Building the process forest from a table of process-creation events.
//!
//! Three ways to find a process's parent, the most exact the data allows:
//! 1. **GUIDs** (Sysmon `ProcessGuid`/`ParentProcessGuid`, or any mapped GUID columns):
//!    the parent is the process with that GUID.
//! 2. **Creation times** (MDE): a process is (host, pid, creation time); its parent is
//!    (host, initiating pid, initiating creation time) — PID reuse cannot confuse it.
//! 3. **Time-aware join** (4688, auditd, osquery, …), per host: the parent is the most
//!    recent process with the parent's PID — and image name, where the schema has it —
//!    that started at or before the child. A parent that started a little after its
//!    child (clock skew, up to [`SKEW_TICKS`]) is taken when no earlier one exists, with
//!    a warning. A process never gets a parent from another host.
//!
//! Parents that are referenced but not in the result become *inferred* processes built
//! from the parent columns (no invented timestamp). Cycles and self-parents are broken
//! and reported. Everything is iterative: a 100,000-deep chain is just a long loop.

use std::collections::{HashMap, HashSet};

/// Maps keyed by ids and hashes: foldhash, fixed seed (deterministic, and several times
/// faster than SipHash on a million keys).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

use huntviz_table::schema::{Role, SchemaInfo};
use huntviz_table::{ColumnData, ColumnType, Table};

/// A node id.
pub type NodeId = u32;
/// No node.
pub const NONE: NodeId = u32::MAX;
/// "Unknown time" for a node.
pub const NO_TIME: i64 = i64::MIN;
/// How much later than its child a parent may be logged and still be its parent.
pub const SKEW_TICKS: i64 = 2 * 10_000_000;

/// One process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    /// Source row, or `NONE` for an inferred process.
    pub row: u32,
    /// Parent node, or `NONE` for a root.
    pub parent: NodeId,
    /// Host index into [`Forest::hosts`].
    pub host: u32,
    /// Process id as a number (hex and decimal sources alike).
    pub pid: u64,
    /// Start time in ticks, `NO_TIME` when unknown.
    pub start: i64,
    /// Depth: a root is 1.
    pub depth: u32,
}

impl Node {
    /// Whether this process was inferred from its children's parent columns.
    pub fn inferred(&self) -> bool {
        self.row == NONE
    }
}

/// What an inferred process is known by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inferred {
    /// Image name or path.
    pub name: String,
    /// Command line, when a child's row carries it.
    pub command_line: Option<String>,
    /// The process id as the source wrote it.
    pub pid_text: String,
}

/// A host and its root processes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// Host name (empty when the result has no host column).
    pub name: String,
    /// Root nodes in start order.
    pub roots: Vec<NodeId>,
}

/// The shape of the forest, as MSTICPy reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Processes, inferred ones included.
    pub processes: usize,
    /// Roots.
    pub roots: usize,
    /// Processes with no children that are not roots.
    pub leaves: usize,
    /// Processes with children that are not roots.
    pub branches: usize,
    /// Levels of the deepest path (a lone root is 1).
    pub depth: usize,
    /// Inferred processes.
    pub inferred: usize,
    /// Hosts.
    pub hosts: usize,
}

/// How parents were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Linking {
    /// By process GUIDs.
    Guid,
    /// By (pid, creation time) pairs.
    CreationTime,
    /// By the most recent earlier process with the parent's PID (and name).
    TimeJoin,
}

/// The process forest.
#[derive(Debug, Clone)]
pub struct Forest {
    /// All processes; ids index this.
    pub nodes: Vec<Node>,
    /// Children of each node (CSR: `children[child_start[n]..child_start[n + 1]]`), in start order.
    child_start: Vec<u32>,
    children: Vec<NodeId>,
    /// Inferred processes' details (`inferred_info[&node]`).
    pub inferred_info: HashMap<NodeId, Inferred>,
    /// Hosts in name order.
    pub hosts: Vec<Host>,
    /// Shape.
    pub summary: Summary,
    /// How parents were found.
    pub linking: Linking,
    /// What the build noticed (cycles, clock skew, rows without ids).
    pub warnings: Vec<String>,
    /// Earliest and latest known start.
    pub time_range: Option<(i64, i64)>,
}

impl Forest {
    /// The children of a node, in start order.
    pub fn children(&self, n: NodeId) -> &[NodeId] {
        let i = n as usize;
        match (self.child_start.get(i), self.child_start.get(i + 1)) {
            (Some(&a), Some(&b)) => self.children.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// A node.
    pub fn node(&self, n: NodeId) -> Option<&Node> {
        self.nodes.get(n as usize)
    }

    /// Ancestors of a node, nearest first.
    pub fn ancestors(&self, n: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut cur = self.node(n).map_or(NONE, |x| x.parent);
        while cur != NONE && out.len() <= self.nodes.len() {
            out.push(cur);
            cur = self.node(cur).map_or(NONE, |x| x.parent);
        }
        out
    }
}

/// Creation times closer than this are the same process's (10 µs).
pub const SAME_TIME_TICKS: i64 = 100;

/// (host, pid, name key): what identifies a process at a moment.
type Key = (u32, u64, u64);

/// Processes by (host, pid, name key), each list in start order: one array sorted by
/// (key, start) with a map from key to its run — no allocation per key, which at a
/// million processes cost more than the lookups. Processes added while linking (inferred
/// parents, a few) go to a small side map.
#[derive(Default)]
struct Index {
    entries: Vec<(i64, NodeId)>,
    runs: FastMap<Key, (u32, u32)>,
    extra: FastMap<Key, Vec<(i64, NodeId)>>,
}

impl Index {
    fn new(mut items: Vec<(Key, i64, NodeId)>) -> Self {
        items.sort_unstable();
        let mut runs: FastMap<Key, (u32, u32)> = FastMap::default();
        runs.reserve(items.len() / 2);
        let mut i = 0;
        while let Some(&(key, _, _)) = items.get(i) {
            let len = items.get(i..).unwrap_or_default().iter().take_while(|e| e.0 == key).count();
            runs.insert(key, (i as u32, (i + len) as u32));
            i += len;
        }
        let entries = items.into_iter().map(|(_, s, id)| (s, id)).collect();
        Index { entries, runs, extra: FastMap::default() }
    }

    /// The processes with this key, in start order (not those added later).
    fn list(&self, key: &Key) -> &[(i64, NodeId)] {
        self.runs.get(key).and_then(|&(a, b)| self.entries.get(a as usize..b as usize)).unwrap_or_default()
    }

    fn insert_sorted(&mut self, key: Key, start: i64, node: NodeId) {
        let list = self.extra.entry(key).or_default();
        let at = list.partition_point(|&e| e < (start, node));
        list.insert(at, (start, node));
    }

    /// The process with this key whose start is nearest `start`, within
    /// [`SAME_TIME_TICKS`] (unknown times only match unknown times); never `not`.
    fn find_near(&self, key: Key, start: i64, not: NodeId) -> Option<NodeId> {
        let near = |list: &[(i64, NodeId)]| {
            let at = list.partition_point(|&(s, _)| s < start.saturating_sub(SAME_TIME_TICKS));
            list.get(at..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&(s, _)| s <= start.saturating_add(SAME_TIME_TICKS))
                .filter(|&&(s, id)| id != not && (s == NO_TIME) == (start == NO_TIME))
                .min_by_key(|&&(s, id)| (s.abs_diff(start), s, id))
                .copied()
        };
        let a = near(self.list(&key));
        let b = self.extra.get(&key).and_then(|l| near(l));
        match (a, b) {
            (Some(x), Some(y)) => {
                Some(if (y.0.abs_diff(start), y.0, y.1) < (x.0.abs_diff(start), x.0, x.1) { y } else { x })
            }
            (x, y) => x.or(y),
        }
        .map(|(_, id)| id)
    }
}

/// The columns the build reads.
struct Cols {
    pid: usize,
    ppid: usize,
    name: Option<usize>,
    parent_name: Option<usize>,
    time: Option<usize>,
    host: Option<usize>,
    creation: Option<usize>,
    parent_creation: Option<usize>,
    guid: Option<usize>,
    parent_guid: Option<usize>,
    grandparent_id: Option<usize>,
    grandparent_name: Option<usize>,
    grandparent_creation: Option<usize>,
    parent_command_line: Option<usize>,
    filter: Option<(usize, String)>,
}

/// Why a forest could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(pub String);

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a process id: a number, or text in decimal or `0x` hex. `None` when empty.
pub fn parse_pid(text: &str) -> Option<u64> {
    let t = text.trim();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok();
    }
    if let Ok(v) = t.parse::<u64>() {
        return Some(v);
    }
    if let Ok(v) = t.parse::<i64>() {
        return Some(v as u64);
    }
    t.parse::<f64>().ok().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64)
}

fn pid_of(table: &Table, col: usize, row: usize, buf: &mut String) -> Option<u64> {
    let c = table.column(col)?;
    match (&c.data, c.ty) {
        (ColumnData::I64(..), ColumnType::Int | ColumnType::Long) => c.i64_value(row).map(|v| v as u64),
        _ => {
            buf.clear();
            if table.write_cell(row, col, buf) {
                if c.ty == ColumnType::Guid || buf.len() > 20 {
                    Some(hash_text(buf))
                } else {
                    parse_pid(buf)
                }
            } else {
                None
            }
        }
    }
}

fn hash_text(t: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(7).hash_one(t.to_ascii_lowercase())
}

fn time_of(table: &Table, col: Option<usize>, row: usize) -> i64 {
    col.and_then(|c| table.column(c))
        .filter(|c| c.ty == ColumnType::DateTime)
        .and_then(|c| c.i64_value(row))
        .unwrap_or(NO_TIME)
}

fn text_of(table: &Table, col: Option<usize>, row: usize) -> Option<String> {
    col.and_then(|c| table.cell_text(row, c))
}

/// Lower-cased image names of every row, hashed for matching a parent by name (0 when
/// absent) — computed once per distinct name.
fn name_keys(table: &Table, col: Option<usize>) -> Vec<u64> {
    match col {
        Some(c) => table.map_text(c, hash_text).into_iter().map(|k| k.unwrap_or(0)).collect(),
        None => vec![0; table.rows()],
    }
}

/// Builds the forest of the process-creation rows of `table`, as `schema` maps them.
pub fn build(table: &Table, schema: &SchemaInfo) -> Result<Forest, BuildError> {
    let col = |r: Role| schema.column(table, r);
    let (Some(pid), Some(ppid)) = (col(Role::ProcessId), col(Role::ParentId)) else {
        return Err(BuildError(
            "the result has no process id and parent process id columns; set them with options.columns (process_id, parent_id)".into(),
        ));
    };
    let cols = Cols {
        pid,
        ppid,
        name: col(Role::ProcessName),
        parent_name: col(Role::ParentName),
        time: col(Role::ProcessCreationTime).or_else(|| col(Role::Time)),
        host: col(Role::Host),
        creation: col(Role::ProcessCreationTime),
        parent_creation: col(Role::ParentCreationTime),
        guid: col(Role::ProcessGuid),
        parent_guid: col(Role::ParentGuid),
        grandparent_id: col(Role::GrandparentId),
        grandparent_name: col(Role::GrandparentName),
        grandparent_creation: col(Role::GrandparentCreationTime),
        parent_command_line: col(Role::ParentCommandLine),
        filter: schema.event_filter.as_ref().and_then(|(c, v)| table.column_index(c).map(|i| (i, v.clone()))),
    };
    let linking = if cols.guid.is_some() && cols.parent_guid.is_some() {
        Linking::Guid
    } else if cols.creation.is_some() && cols.parent_creation.is_some() {
        Linking::CreationTime
    } else {
        Linking::TimeJoin
    };
    let mut b = Builder::new(table, cols, linking);
    b.add_rows();
    match linking {
        Linking::Guid => b.link_by_guid(),
        Linking::CreationTime => b.link_by_creation_time(),
        Linking::TimeJoin => b.link_by_time(),
    }
    Ok(b.finish())
}

struct Builder<'t> {
    table: &'t Table,
    cols: Cols,
    linking: Linking,
    nodes: Vec<Node>,
    inferred_info: HashMap<NodeId, Inferred>,
    host_names: Vec<String>,
    /// Host id of each row.
    host_of: Vec<u32>,
    /// Name keys of each row: process, parent, grandparent.
    name_key: Vec<u64>,
    parent_name_key: Vec<u64>,
    grandparent_name_key: Vec<u64>,
    warnings: Vec<String>,
    skipped_rows: usize,
    filtered_rows: usize,
    duplicate_rows: usize,
    skewed: usize,
    buf: String,
}

impl<'t> Builder<'t> {
    fn new(table: &'t Table, cols: Cols, linking: Linking) -> Self {
        let mut host_names: Vec<String> = Vec::new();
        let mut host_index: FastMap<String, u32> = FastMap::default();
        let mut intern = |name: &str| match host_index.get(name) {
            Some(&h) => h,
            None => {
                let h = host_names.len() as u32;
                host_names.push(name.to_string());
                host_index.insert(name.to_string(), h);
                h
            }
        };
        let host_of: Vec<u32> = match cols.host {
            Some(c) => {
                let ids = table.map_text(c, &mut intern);
                ids.into_iter().map(|h| h.unwrap_or_else(|| intern(""))).collect()
            }
            None => vec![intern(""); table.rows()],
        };
        let name_key = name_keys(table, cols.name);
        let parent_name_key = name_keys(table, cols.parent_name);
        let grandparent_name_key = name_keys(table, cols.grandparent_name);
        Builder {
            table,
            cols,
            linking,
            nodes: Vec::new(),
            inferred_info: HashMap::new(),
            host_names,
            host_of,
            name_key,
            parent_name_key,
            grandparent_name_key,
            warnings: Vec::new(),
            skipped_rows: 0,
            filtered_rows: 0,
            duplicate_rows: 0,
            skewed: 0,
            buf: String::new(),
        }
    }

    /// One node per process-creation row with a process id.
    fn add_rows(&mut self) {
        let t = self.table;
        let mut seen: FastSet<(u32, u64, i64, u64)> = FastSet::default();
        seen.reserve(t.rows());
        let keep: Option<Vec<Option<bool>>> = self.cols.filter.as_ref().map(|(c, v)| t.map_text(*c, |x| x == v));
        for row in 0..t.rows() {
            if let Some(keep) = &keep {
                if keep.get(row).copied().flatten() != Some(true) {
                    self.filtered_rows += 1;
                    continue;
                }
            }
            let Some(pid) = pid_of(t, self.cols.pid, row, &mut self.buf) else {
                self.skipped_rows += 1;
                continue;
            };
            let host = self.host_of.get(row).copied().unwrap_or(0);
            let start = time_of(t, self.cols.time, row);
            // The same process logged twice (same host, pid, start and name): keep the first.
            let name = self.name_key.get(row).copied().unwrap_or(0);
            if !seen.insert((host, pid, start, name)) {
                self.duplicate_rows += 1;
                continue;
            }
            self.nodes.push(Node { row: row as u32, parent: NONE, host, pid, start, depth: 0 });
        }
    }

    fn add_inferred(&mut self, host: u32, pid: u64, start: i64, info: Inferred) -> NodeId {
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node { row: NONE, parent: NONE, host, pid, start, depth: 0 });
        self.inferred_info.insert(id, info);
        id
    }

    fn parent_info(&self, row: usize, name_col: Option<usize>, pid_col: usize) -> Inferred {
        Inferred {
            name: text_of(self.table, name_col, row).unwrap_or_default(),
            command_line: if name_col == self.cols.parent_name {
                text_of(self.table, self.cols.parent_command_line, row)
            } else {
                None
            },
            pid_text: self.table.cell_text(row, pid_col).unwrap_or_default(),
        }
    }

    fn link_by_guid(&mut self) {
        let (Some(gcol), Some(pgcol)) = (self.cols.guid, self.cols.parent_guid) else { return };
        let mut by_guid: FastMap<u64, NodeId> = FastMap::default();
        for (i, n) in self.nodes.iter().enumerate() {
            if let Some(g) = pid_of(self.table, gcol, n.row as usize, &mut self.buf) {
                by_guid.entry(g).or_insert(i as NodeId);
            }
        }
        let mut inferred: FastMap<u64, NodeId> = FastMap::default();
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            if n.inferred() {
                continue;
            }
            let row = n.row as usize;
            let Some(pg) = pid_of(self.table, pgcol, row, &mut self.buf) else { continue };
            let parent = match by_guid.get(&pg).or_else(|| inferred.get(&pg)) {
                Some(&p) => p,
                None => {
                    let ppid = pid_of(self.table, self.cols.ppid, row, &mut self.buf).unwrap_or(0);
                    let info = self.parent_info(row, self.cols.parent_name, self.cols.ppid);
                    let p = self.add_inferred(n.host, ppid, NO_TIME, info);
                    inferred.insert(pg, p);
                    p
                }
            };
            self.nodes[i].parent = parent;
        }
    }

    /// MDE: a process is (host, pid, image name, creation time). Creation times of the
    /// same process differ in their last digits between its own row and its children's
    /// `InitiatingProcessCreationTime`, so times match within [`SAME_TIME_TICKS`].
    fn link_by_creation_time(&mut self) {
        let items = (self.nodes.iter().enumerate())
            .map(|(i, n)| {
                ((n.host, n.pid, self.name_key.get(n.row as usize).copied().unwrap_or(0)), n.start, i as NodeId)
            })
            .collect();
        let mut index = Index::new(items);
        let real = self.nodes.len();
        for i in 0..real {
            let n = self.nodes[i];
            let row = n.row as usize;
            let Some(ppid) = pid_of(self.table, self.cols.ppid, row, &mut self.buf) else { continue };
            let pstart = time_of(self.table, self.cols.parent_creation, row);
            let pname = self.parent_name_key.get(row).copied().unwrap_or(0);
            let parent = match index.find_near((n.host, ppid, pname), pstart, i as NodeId) {
                Some(p) => p,
                None => {
                    let info = self.parent_info(row, self.cols.parent_name, self.cols.ppid);
                    let p = self.add_inferred(n.host, ppid, pstart, info);
                    index.insert_sorted((n.host, ppid, pname), pstart, p);
                    p
                }
            };
            self.nodes[i].parent = parent;
            // An inferred process learns its own parent from any row that names it as
            // the initiating process: that row's *Parent* columns.
            let needs_parent = self.nodes.get(parent as usize).is_some_and(|p| p.inferred() && p.parent == NONE);
            if let (true, Some(gcol)) = (needs_parent, self.cols.grandparent_id) {
                let Some(gpid) = pid_of(self.table, gcol, row, &mut self.buf) else { continue };
                let gstart = time_of(self.table, self.cols.grandparent_creation, row);
                let gname = self.grandparent_name_key.get(row).copied().unwrap_or(0);
                let g = match index.find_near((n.host, gpid, gname), gstart, parent) {
                    Some(g) => g,
                    None => {
                        let info = self.parent_info(row, self.cols.grandparent_name, gcol);
                        let g = self.add_inferred(n.host, gpid, gstart, info);
                        index.insert_sorted((n.host, gpid, gname), gstart, g);
                        g
                    }
                };
                if let Some(pn) = self.nodes.get_mut(parent as usize) {
                    pn.parent = g;
                }
            }
        }
    }

    fn link_by_time(&mut self) {
        // Candidates per (host, pid, name) in start order.
        let with_names = self.cols.parent_name.is_some() && self.cols.name.is_some();
        let items = (self.nodes.iter().enumerate())
            .map(|(i, n)| {
                let name = if with_names { self.name_key.get(n.row as usize).copied().unwrap_or(0) } else { 0 };
                ((n.host, n.pid, name), n.start, i as NodeId)
            })
            .collect();
        let by_key = Index::new(items);
        let mut inferred: FastMap<(u32, u64, u64), NodeId> = FastMap::default();
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            let row = n.row as usize;
            let Some(ppid) = pid_of(self.table, self.cols.ppid, row, &mut self.buf) else { continue };
            let pname = if with_names { self.parent_name_key.get(row).copied().unwrap_or(0) } else { 0 };
            let key = (n.host, ppid, pname);
            let mut parent = NONE;
            let list = by_key.list(&key);
            if !list.is_empty() {
                // The most recent candidate that started at or before the child (not itself).
                let upto = list.partition_point(|&(s, _)| s <= n.start);
                parent = list
                    .get(..upto)
                    .unwrap_or_default()
                    .iter()
                    .rev()
                    .map(|&(_, id)| id)
                    .find(|&id| id != i as NodeId)
                    .unwrap_or(NONE);
                if parent == NONE && n.start != NO_TIME {
                    // Clock skew: a parent logged shortly after its child.
                    if let Some(&(s, id)) =
                        list.get(upto).filter(|&&(s, id)| s - n.start <= SKEW_TICKS && id != i as NodeId)
                    {
                        let _ = s;
                        parent = id;
                        self.skewed += 1;
                    }
                }
            }
            if parent == NONE {
                parent = match inferred.get(&key) {
                    Some(&p) => p,
                    None => {
                        let info = self.parent_info(row, self.cols.parent_name, self.cols.ppid);
                        let p = self.add_inferred(n.host, ppid, NO_TIME, info);
                        inferred.insert(key, p);
                        p
                    }
                };
            }
            self.nodes[i].parent = parent;
        }
    }

    fn finish(mut self) -> Forest {
        let n = self.nodes.len();
        // Break cycles and self-parents (iteratively: colour each parent chain once).
        let mut state = vec![0u8; n]; // 0 new, 1 on the current path, 2 done
        let mut path: Vec<NodeId> = Vec::new();
        let mut cycles = 0;
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            path.clear();
            let mut cur = start as NodeId;
            loop {
                if cur == NONE || state[cur as usize] == 2 {
                    break;
                }
                if state[cur as usize] == 1 {
                    // `cur` is on the path: the last node's link closes a cycle.
                    if let Some(&last) = path.last() {
                        self.nodes[last as usize].parent = NONE;
                        cycles += 1;
                    }
                    break;
                }
                state[cur as usize] = 1;
                path.push(cur);
                cur = self.nodes[cur as usize].parent;
            }
            for &p in &path {
                state[p as usize] = 2;
            }
        }
        // Children lists (CSR), each in start order.
        let mut counts = vec![0u32; n + 1];
        for node in &self.nodes {
            if node.parent != NONE {
                counts[node.parent as usize] += 1;
            }
        }
        let mut child_start = vec![0u32; n + 1];
        for i in 0..n {
            child_start[i + 1] = child_start[i] + counts[i];
        }
        let mut fill = child_start.clone();
        let mut children = vec![NONE; child_start[n] as usize];
        for (i, node) in self.nodes.iter().enumerate() {
            if node.parent != NONE {
                let slot = &mut fill[node.parent as usize];
                children[*slot as usize] = i as NodeId;
                *slot += 1;
            }
        }
        let key = |nodes: &[Node], id: NodeId| {
            let x = nodes[id as usize];
            (x.start, x.row)
        };
        for i in 0..n {
            let (a, b) = (child_start[i] as usize, child_start[i + 1] as usize);
            let nodes = &self.nodes;
            children[a..b].sort_by_key(|&c| key(nodes, c));
        }
        // Hosts and their roots; depths breadth-first.
        let mut order: Vec<u32> = (0..self.host_names.len() as u32).collect();
        order.sort_by(|&a, &b| self.host_names[a as usize].cmp(&self.host_names[b as usize]));
        let mut roots_of: Vec<Vec<NodeId>> = vec![Vec::new(); self.host_names.len()];
        for (i, node) in self.nodes.iter().enumerate() {
            if node.parent == NONE {
                roots_of[node.host as usize].push(i as NodeId);
            }
        }
        for roots in &mut roots_of {
            let nodes = &self.nodes;
            roots.sort_by_key(|&r| key(nodes, r));
        }
        let mut queue: std::collections::VecDeque<NodeId> = roots_of.iter().flatten().copied().collect();
        for &r in &queue {
            self.nodes[r as usize].depth = 1;
        }
        let mut max_depth = 0;
        while let Some(id) = queue.pop_front() {
            let d = self.nodes[id as usize].depth;
            max_depth = max_depth.max(d);
            let (a, b) = (child_start[id as usize] as usize, child_start[id as usize + 1] as usize);
            for &c in &children[a..b] {
                self.nodes[c as usize].depth = d + 1;
                queue.push_back(c);
            }
        }
        let roots = roots_of.iter().map(Vec::len).sum();
        let mut leaves = 0;
        let mut branches = 0;
        for (i, node) in self.nodes.iter().enumerate() {
            if node.parent == NONE {
                continue;
            }
            if child_start[i + 1] > child_start[i] {
                branches += 1;
            } else {
                leaves += 1;
            }
        }
        let hosts: Vec<Host> = order
            .iter()
            .map(|&h| Host {
                name: self.host_names[h as usize].clone(),
                roots: std::mem::take(&mut roots_of[h as usize]),
            })
            .collect();
        // Host indices in nodes follow first-seen order; remap to name order.
        let mut remap = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old as usize] = new as u32;
        }
        for node in &mut self.nodes {
            node.host = remap[node.host as usize];
        }
        let times: Vec<i64> = self.nodes.iter().map(|x| x.start).filter(|&s| s != NO_TIME).collect();
        let time_range = times.iter().min().zip(times.iter().max()).map(|(a, b)| (*a, *b));
        let summary = Summary {
            processes: n,
            roots,
            leaves,
            branches,
            depth: max_depth as usize,
            inferred: self.inferred_info.len(),
            hosts: hosts.len(),
        };
        let plural = |k: usize, one: &str, many: &str| if k == 1 { format!("1 {one}") } else { format!("{k} {many}") };
        if cycles > 0 {
            self.warnings.push(format!(
                "{} in the parent links were broken (the process shows as a root)",
                plural(cycles, "cycle", "cycles")
            ));
        }
        if self.skewed > 0 {
            self.warnings.push(format!(
                "{} logged before {} parent (clock skew under 2 s); linked to the parent that started just after",
                plural(self.skewed, "process was", "processes were"),
                if self.skewed == 1 { "its" } else { "their" }
            ));
        }
        if self.skipped_rows > 0 {
            self.warnings.push(format!(
                "{} without a process id {} left out of the tree",
                plural(self.skipped_rows, "row", "rows"),
                if self.skipped_rows == 1 { "was" } else { "were" }
            ));
        }
        if self.filtered_rows > 0 {
            self.warnings.push(format!(
                "{} that {} not process creation events {} left out of the tree",
                plural(self.filtered_rows, "row", "rows"),
                if self.filtered_rows == 1 { "is" } else { "are" },
                if self.filtered_rows == 1 { "was" } else { "were" }
            ));
        }
        if self.duplicate_rows > 0 {
            self.warnings.push(format!(
                "{} repeated an earlier process (same host, id, start and name) and {} merged",
                plural(self.duplicate_rows, "row", "rows"),
                if self.duplicate_rows == 1 { "was" } else { "were" }
            ));
        }
        Forest {
            nodes: self.nodes,
            child_start,
            children,
            inferred_info: self.inferred_info,
            hosts,
            summary,
            linking: self.linking,
            warnings: self.warnings,
            time_range,
        }
    }
}
