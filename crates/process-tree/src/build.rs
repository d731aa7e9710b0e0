//! Building the process forest from a table of process-creation events.
//!
//! Three ways to find a process's parent, the most exact the data allows:
//! 1. **GUIDs** (Sysmon `ProcessGuid`/`ParentProcessGuid`, or any mapped GUID columns):
//!    the parent is the process with that GUID.
//! 2. **Creation times** (MDE): a process is (host, pid, image base name, creation
//!    time); its parent is (host, initiating pid, initiating name, initiating creation
//!    time) — PID reuse cannot confuse it.
//! 3. **Time-aware join** (4688, auditd, snapshots, …), per host: the parent is the most
//!    recent process with the parent's PID — and image name, where the schema has it —
//!    that started no later than the child and had not exited. A parent that started in
//!    the same clock tick is linked as *same tick* (the order is not provable); one that
//!    started after the child is never the parent, except within [`SKEW_TICKS`] where
//!    the times are report stamps rather than creation times (MDE `Timestamp`), and
//!    Windows' System process (PID 4), which memory images show starting after its
//!    first children. A process never gets a parent from another host.
//!
//! Image names are compared as the OS means them: the base name of a path, without
//! case on Windows. Parents that are referenced but not in the result become *inferred*
//! processes built from the parent columns (no invented timestamp). Every node records
//! how its link was made ([`Link`]). Cycles and self-parents are broken and reported.
//! Everything is iterative: a 100,000-deep chain is just a long loop.

use std::collections::{HashMap, HashSet};

/// Maps keyed by ids and hashes: foldhash, fixed seed (deterministic, and several times
/// faster than SipHash on a million keys).
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

use huntviz_draw::view::{ViewError, Warning, WarningKind};
use huntviz_table::schema::{Role, SchemaInfo};
use huntviz_table::{parse_datetime, ColumnData, ColumnType, Table};

/// A node id.
pub type NodeId = u32;
/// No node.
pub const NONE: NodeId = u32::MAX;
/// "Unknown time" for a node.
pub const NO_TIME: i64 = i64::MIN;
/// How much later than its child a parent may be reported and still be its parent,
/// where the time column is a report stamp, not the creation time (2 s).
pub const SKEW_TICKS: i64 = 2 * 10_000_000;
/// Creation times closer than this are the same process's (10 µs).
pub const SAME_TIME_TICKS: i64 = 100;
/// The process id Windows gives the kernel's System process for the machine's life.
pub const WINDOWS_SYSTEM_PID: u64 = 4;
/// No name spelling.
const NO_NAME: u32 = u32::MAX;

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

/// How a process's link to its parent was made — the evidence a hunter weighs before
/// trusting the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Link {
    /// No parent: a root.
    Root,
    /// The parent's GUID (Sysmon `ParentProcessGuid`).
    Guid,
    /// The parent's PID and creation time as the sensor recorded them (MDE).
    CreationTime,
    /// PID + time join: the latest process on the host with the parent's PID (and image
    /// name) that started before the child.
    PidTime,
    /// As [`Link::PidTime`], but the parent started in the same clock tick as the child
    /// (a second, for memory images): which came first cannot be proved.
    SameTick,
    /// By PID (and name) alone: the parent or the child has no time.
    PidOnly,
    /// Clock-skew allowance: the only process with the parent's PID was reported up to
    /// 2 s after the child, where times are report stamps, not creation times.
    ClockSkew,
    /// Windows' System process (PID 4), whatever the times say: it holds PID 4 for the
    /// machine's whole life, and memory images record it starting after its first
    /// children (Registry).
    System,
    /// The parent is not in the result: inferred from the child's parent columns.
    Inferred,
}

/// How much a kind of link can be trusted, which is how it is drawn (the view contract's).
pub use huntviz_draw::view::Evidence;

impl Link {
    /// Every kind, in legend order.
    pub const ALL: [Link; 9] = [
        Link::Guid,
        Link::CreationTime,
        Link::PidTime,
        Link::SameTick,
        Link::PidOnly,
        Link::ClockSkew,
        Link::System,
        Link::Inferred,
        Link::Root,
    ];

    /// The kind's name in JSON and the CLI (`pid-time`, …).
    pub fn id(self) -> &'static str {
        match self {
            Link::Root => "root",
            Link::Guid => "guid",
            Link::CreationTime => "creation-time",
            Link::PidTime => "pid-time",
            Link::SameTick => "same-tick",
            Link::PidOnly => "pid-only",
            Link::ClockSkew => "clock-skew",
            Link::System => "system",
            Link::Inferred => "inferred",
        }
    }

    /// A short label (legend, tooltip).
    pub fn label(self) -> &'static str {
        match self {
            Link::Root => "root",
            Link::Guid => "GUID",
            Link::CreationTime => "PID + creation time",
            Link::PidTime => "PID + earlier start",
            Link::SameTick => "PID, started in the same tick",
            Link::PidOnly => "PID only (no times)",
            Link::ClockSkew => "clock-skew allowance",
            Link::System => "System process (PID 4)",
            Link::Inferred => "inferred parent",
        }
    }

    /// How it is drawn.
    pub fn evidence(self) -> Evidence {
        match self {
            Link::Root => Evidence::None,
            Link::Guid | Link::CreationTime | Link::PidTime => Evidence::Exact,
            Link::SameTick | Link::PidOnly | Link::ClockSkew | Link::System => Evidence::Weak,
            Link::Inferred => Evidence::Inferred,
        }
    }
}

/// What an inferred process is known by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inferred {
    /// Image name or path, as the first child that named it wrote it.
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
    /// Whether its image names are Windows names (compared by base name, without case).
    pub windows: bool,
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
    /// Links made on weaker evidence ([`Evidence::Weak`]).
    pub weak_links: usize,
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
    /// How each node's parent link was made (indexed like `nodes`).
    pub links: Vec<Link>,
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
    /// Whether the time join matched image names as well as PIDs.
    pub join_names: bool,
    /// What the build noticed (cycles, clock skew, reused PIDs, rows without ids), each
    /// with the number of processes or rows it is about.
    pub warnings: Vec<Warning>,
    /// Earliest and latest known start.
    pub time_range: Option<(i64, i64)>,
    /// Every distinct spelling of an image name the result uses.
    spellings: Vec<String>,
    /// Each node's own spelling (its row's name, or what the first child called it).
    node_name: Vec<u32>,
    /// (node, spelling): other spellings of a node's name, from its children's parent
    /// and grandparent columns; sorted.
    aliases: Vec<(NodeId, u32)>,
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

    /// How a node's link to its parent was made.
    pub fn link(&self, n: NodeId) -> Link {
        self.links.get(n as usize).copied().unwrap_or(Link::Root)
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

    /// Every spelling of a node's image name the result uses: its own first, then what
    /// its children's (and grandchildren's) parent columns call it.
    pub fn names(&self, n: NodeId) -> Vec<&str> {
        self.name_iter(n).collect()
    }

    fn name_iter(&self, n: NodeId) -> impl Iterator<Item = &str> {
        let own = self.node_name.get(n as usize).copied().unwrap_or(NO_NAME);
        let at = self.aliases.partition_point(|&(m, _)| m < n);
        std::iter::once(own)
            .chain(
                self.aliases.get(at..).unwrap_or_default().iter().take_while(move |&&(m, _)| m == n).map(|&(_, s)| s),
            )
            .filter_map(|s| self.spellings.get(s as usize).map(String::as_str))
    }

    /// The name a node is shown by: the longest spelling known (a full path over a base
    /// name), the node's own on a tie.
    pub fn display_name(&self, n: NodeId) -> &str {
        let mut best = "";
        let mut best_len = 0;
        for name in self.name_iter(n) {
            let len = name.chars().count();
            if len > best_len {
                (best, best_len) = (name, len);
            }
        }
        best
    }

    /// A node's identity as the invariants see it: (host, pid, image base-name key).
    fn identity(&self, n: NodeId) -> Option<(u32, u64, u64)> {
        let node = self.node(n)?;
        let windows = self.hosts.get(node.host as usize).is_some_and(|h| h.windows);
        let key = self
            .node_name
            .get(n as usize)
            .and_then(|&s| self.spellings.get(s as usize))
            .map_or(0, |name| name_key(name, windows));
        Some((node.host, node.pid, key))
    }

    /// Checks what the forest promises, returning the first broken promise:
    /// no two nodes are the same process (host, PID, image base name and a known start);
    /// no parent started after its child (beyond [`SAME_TIME_TICKS`]) except by the
    /// clock-skew allowance (up to [`SKEW_TICKS`]) or the System rule; no link crosses
    /// hosts; every root says so and every inferred parent is marked.
    pub fn check_invariants(&self) -> Result<(), String> {
        let mut seen: FastSet<(u32, u64, u64, i64)> = FastSet::default();
        for (i, n) in self.nodes.iter().enumerate() {
            let id = i as NodeId;
            if n.start != NO_TIME {
                let (h, pid, key) = self.identity(id).unwrap_or_default();
                if !seen.insert((h, pid, key, n.start)) {
                    return Err(format!("node {i} duplicates another (host {h}, pid {pid}, start {})", n.start));
                }
            }
            let link = self.link(id);
            let Some(p) = self.node(n.parent) else {
                if link != Link::Root {
                    return Err(format!("node {i} has no parent but its link is {}", link.id()));
                }
                continue;
            };
            if p.host != n.host {
                return Err(format!("node {i}'s parent {} is on another host", n.parent));
            }
            if p.inferred() != (link == Link::Inferred) {
                return Err(format!("node {i}'s link is {} but its parent inferred = {}", link.id(), p.inferred()));
            }
            if p.start != NO_TIME && n.start != NO_TIME {
                let late = p.start.saturating_sub(n.start);
                let allowed = match link {
                    Link::System => i64::MAX,
                    Link::ClockSkew => SKEW_TICKS,
                    _ => SAME_TIME_TICKS,
                };
                if late > allowed {
                    return Err(format!(
                        "node {i}'s parent {} started {late} ticks after it (link {})",
                        n.parent,
                        link.id()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A name's base name, as the OS means it: the part after the last path separator
/// (`\` or `/` on Windows, `/` elsewhere), without surrounding quotes or spaces.
pub fn base_name(name: &str, windows: bool) -> &str {
    let t = name.trim().trim_matches('"').trim();
    let cut = if windows { t.rfind(['\\', '/']) } else { t.rfind('/') };
    match cut.and_then(|i| t.get(i + 1..)) {
        Some(b) if !b.is_empty() => b,
        _ => t,
    }
}

/// Whether an image name is spelled the Windows way: a backslash, a drive letter or
/// an `.exe` suffix.
fn looks_windows(name: &str) -> bool {
    let b = name.trim().trim_matches('"').as_bytes();
    b.contains(&b'\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
        || (b.len() >= 4 && b[b.len() - 4..].eq_ignore_ascii_case(b".exe"))
}

/// The key two spellings of the same image share: the base name's hash, without case
/// on Windows. Never 0 (0 is "no name").
fn name_key(name: &str, windows: bool) -> u64 {
    use std::hash::BuildHasher;
    let base = base_name(name, windows);
    let h = foldhash::fast::FixedState::with_seed(11);
    let k = if windows { h.hash_one(base.to_lowercase()) } else { h.hash_one(base) };
    k.max(1)
}

/// Whether a schema's sources are Windows (`Some(true)`), Unix (`Some(false)`), or
/// either (decided per host from the names).
fn schema_windows(schema: Option<&str>) -> Option<bool> {
    match schema? {
        "linux-auditd" => Some(false),
        "osquery-processes" => None,
        _ => Some(true),
    }
}

/// The columns the build reads.
struct Cols {
    pid: usize,
    ppid: usize,
    name: Option<usize>,
    parent_name: Option<usize>,
    time: Option<usize>,
    exit: Option<usize>,
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

/// Every row's time in a column that may hold datetimes as text among other words
/// (Volatility writes `N/A` for processes that have not exited): `NO_TIME` where the
/// text is not a datetime.
fn times_of(table: &Table, col: Option<usize>) -> Option<Vec<i64>> {
    let c = col?;
    let column = table.column(c)?;
    Some(if column.ty == ColumnType::DateTime {
        (0..table.rows()).map(|r| column.i64_value(r).unwrap_or(NO_TIME)).collect()
    } else {
        table
            .map_text(c, |t| parse_datetime(t.as_bytes()).map_or(NO_TIME, |d| d.ticks))
            .into_iter()
            .map(|t| t.unwrap_or(NO_TIME))
            .collect()
    })
}

fn text_of(table: &Table, col: Option<usize>, row: usize) -> Option<String> {
    col.and_then(|c| table.cell_text(row, c))
}

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

/// Builds the forest of the process-creation rows of `table`, as `schema` maps them.
pub fn build(table: &Table, schema: &SchemaInfo) -> Result<Forest, ViewError> {
    let col = |r: Role| schema.column(table, r);
    let (Some(pid), Some(ppid)) = (col(Role::ProcessId), col(Role::ParentId)) else {
        return Err(ViewError(
            "the result has no process id and parent process id columns; set them with options.columns (process_id, parent_id)".into(),
        ));
    };
    let cols = Cols {
        pid,
        ppid,
        name: col(Role::ProcessName),
        parent_name: col(Role::ParentName),
        time: col(Role::ProcessCreationTime).or_else(|| col(Role::Time)),
        exit: col(Role::ExitTime),
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
    // Defender's `Timestamp` (and `ReportTime`) is when the sensor reported the event,
    // each report after its own creation: a parent's report can come after its child's.
    let report_times =
        cols.creation.is_none() && matches!(schema.name.as_deref(), Some("mde-device-process-events" | "mde-internal"));
    let mut b = Builder::new(table, cols, linking, schema_windows(schema.name.as_deref()), report_times);
    b.add_rows();
    match linking {
        Linking::Guid => b.link_by_guid(),
        Linking::CreationTime => b.link_by_creation_time(),
        Linking::TimeJoin => b.link_by_time(),
    }
    b.learn_grandparent_spellings();
    Ok(b.finish())
}

/// Counts of what linking noticed, for the warnings.
#[derive(Default)]
struct Noticed {
    skipped_rows: usize,
    filtered_rows: usize,
    duplicate_rows: usize,
    skewed: usize,
    self_parents: usize,
    /// The PID's holder in the result started after the child (reused after the real
    /// parent exited).
    reused_later: usize,
    /// The PID's holder before the child had exited when the child started.
    exited: usize,
    /// An exact link (GUID, creation time) to a parent recorded as starting after its
    /// child, cut.
    later_parent: usize,
}

struct Builder<'t> {
    table: &'t Table,
    cols: Cols,
    linking: Linking,
    report_times: bool,
    nodes: Vec<Node>,
    links: Vec<Link>,
    node_name: Vec<u32>,
    aliases: Vec<(NodeId, u32)>,
    inferred_info: HashMap<NodeId, Inferred>,
    host_names: Vec<String>,
    /// Whether each host (first-seen order) names images the Windows way.
    host_windows: Vec<bool>,
    /// Host id of each row.
    host_of: Vec<u32>,
    spellings: Vec<String>,
    /// Each spelling's name key: (Windows, Unix).
    spelling_keys: Vec<(u64, u64)>,
    /// Spellings of each row: process, parent, grandparent.
    name_sp: Vec<u32>,
    parent_sp: Vec<u32>,
    grandparent_sp: Vec<u32>,
    /// Exit time of each row, when the source lists exited processes.
    exit: Option<Vec<i64>>,
    noticed: Noticed,
    warnings: Vec<Warning>,
    buf: String,
}

impl<'t> Builder<'t> {
    fn new(table: &'t Table, cols: Cols, linking: Linking, windows: Option<bool>, report_times: bool) -> Self {
        let mut host_names: Vec<String> = Vec::new();
        let mut host_index: FastMap<String, u32> = FastMap::default();
        let mut intern_host = |name: &str| match host_index.get(name) {
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
                let ids = table.map_text(c, &mut intern_host);
                ids.into_iter().map(|h| h.unwrap_or_else(|| intern_host(""))).collect()
            }
            None => vec![intern_host(""); table.rows()],
        };
        // Every spelling of an image name, interned once per distinct value.
        let mut spellings: Vec<String> = Vec::new();
        let mut spelling_index: FastMap<Box<str>, u32> = FastMap::default();
        let mut spell = |c: Option<usize>| -> Vec<u32> {
            let Some(c) = c else { return vec![NO_NAME; table.rows()] };
            table
                .map_text(c, |t| {
                    if t.trim().is_empty() {
                        return NO_NAME;
                    }
                    if let Some(&s) = spelling_index.get(t) {
                        return s;
                    }
                    let s = spellings.len() as u32;
                    spellings.push(t.to_string());
                    spelling_index.insert(t.into(), s);
                    s
                })
                .into_iter()
                .map(|s| s.unwrap_or(NO_NAME))
                .collect()
        };
        let name_sp = spell(cols.name);
        let parent_sp = spell(cols.parent_name);
        let grandparent_sp = spell(cols.grandparent_name);
        let spelling_keys: Vec<(u64, u64)> =
            spellings.iter().map(|s| (name_key(s, true), name_key(s, false))).collect();
        let host_windows = match windows {
            Some(w) => vec![w; host_names.len()],
            None => {
                let win: Vec<bool> = spellings.iter().map(|s| looks_windows(s)).collect();
                let mut hw = vec![false; host_names.len()];
                for (row, &h) in host_of.iter().enumerate() {
                    let any = [&name_sp, &parent_sp, &grandparent_sp]
                        .iter()
                        .any(|sp| sp.get(row).and_then(|&s| win.get(s as usize)).copied().unwrap_or(false));
                    if any {
                        if let Some(x) = hw.get_mut(h as usize) {
                            *x = true;
                        }
                    }
                }
                hw
            }
        };
        let exit = times_of(table, cols.exit);
        Builder {
            table,
            cols,
            linking,
            report_times,
            nodes: Vec::new(),
            links: Vec::new(),
            node_name: Vec::new(),
            aliases: Vec::new(),
            inferred_info: HashMap::new(),
            host_names,
            host_windows,
            host_of,
            spellings,
            spelling_keys,
            name_sp,
            parent_sp,
            grandparent_sp,
            exit,
            noticed: Noticed::default(),
            warnings: Vec::new(),
            buf: String::new(),
        }
    }

    /// The name key of a spelling on a host (0 for no name).
    fn key(&self, spelling: u32, host: u32) -> u64 {
        let windows = self.host_windows.get(host as usize).copied().unwrap_or(true);
        self.spelling_keys.get(spelling as usize).map_or(0, |&(w, u)| if windows { w } else { u })
    }

    fn row_spelling(list: &[u32], row: usize) -> u32 {
        list.get(row).copied().unwrap_or(NO_NAME)
    }

    /// The key of a node's own name.
    fn node_key(&self, node: NodeId) -> u64 {
        let n = self.nodes.get(node as usize);
        let sp = self.node_name.get(node as usize).copied().unwrap_or(NO_NAME);
        n.map_or(0, |n| self.key(sp, n.host))
    }

    /// One node per process-creation row with a process id.
    fn add_rows(&mut self) {
        let t = self.table;
        let mut seen: FastSet<(u32, u64, i64, u64)> = FastSet::default();
        seen.reserve(t.rows());
        let keep: Option<Vec<Option<bool>>> = self.cols.filter.as_ref().map(|(c, v)| t.map_text(*c, |x| x == v));
        self.nodes.reserve(t.rows());
        for row in 0..t.rows() {
            if let Some(keep) = &keep {
                if keep.get(row).copied().flatten() != Some(true) {
                    self.noticed.filtered_rows += 1;
                    continue;
                }
            }
            let Some(pid) = pid_of(t, self.cols.pid, row, &mut self.buf) else {
                self.noticed.skipped_rows += 1;
                continue;
            };
            let host = self.host_of.get(row).copied().unwrap_or(0);
            let start = time_of(t, self.cols.time, row);
            // The same process logged twice (same host, pid, start and name): keep the first.
            let sp = Self::row_spelling(&self.name_sp, row);
            if !seen.insert((host, pid, start, self.key(sp, host))) {
                self.noticed.duplicate_rows += 1;
                continue;
            }
            self.nodes.push(Node { row: row as u32, parent: NONE, host, pid, start, depth: 0 });
            self.links.push(Link::Root);
            self.node_name.push(sp);
        }
    }

    fn add_inferred(&mut self, host: u32, pid: u64, start: i64, info: Inferred, spelling: u32) -> NodeId {
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node { row: NONE, parent: NONE, host, pid, start, depth: 0 });
        self.links.push(Link::Root);
        self.node_name.push(spelling);
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

    /// Links `child` to `parent` by `link`, remembering how the child's row spelled the
    /// parent's name when that differs from the parent's own spelling.
    fn set_parent(&mut self, child: NodeId, parent: NodeId, link: Link, spelling: u32) {
        let Some(n) = self.nodes.get_mut(child as usize) else { return };
        n.parent = parent;
        if let Some(l) = self.links.get_mut(child as usize) {
            *l = if self.nodes.get(parent as usize).is_some_and(Node::inferred) { Link::Inferred } else { link };
        }
        self.add_alias(parent, spelling);
    }

    fn add_alias(&mut self, node: NodeId, spelling: u32) {
        if spelling != NO_NAME && self.node_name.get(node as usize).is_some_and(|&own| own != spelling) {
            self.aliases.push((node, spelling));
        }
    }

    /// Whether a parent recorded as starting at `parent_start` can be the parent of a
    /// process that started at `start` (unknown times can).
    fn in_order(parent_start: i64, start: i64) -> bool {
        parent_start == NO_TIME || start == NO_TIME || parent_start <= start.saturating_add(SAME_TIME_TICKS)
    }

    fn link_by_guid(&mut self) {
        let (Some(gcol), Some(pgcol)) = (self.cols.guid, self.cols.parent_guid) else { return };
        // GUIDs per host: a GUID repeated on another host (hostile or merged data) never
        // links across hosts.
        let mut by_guid: FastMap<(u32, u64), NodeId> = FastMap::default();
        for (i, n) in self.nodes.iter().enumerate() {
            if let Some(g) = pid_of(self.table, gcol, n.row as usize, &mut self.buf) {
                by_guid.entry((n.host, g)).or_insert(i as NodeId);
            }
        }
        let mut inferred: FastMap<(u32, u64), NodeId> = FastMap::default();
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            if n.inferred() {
                continue;
            }
            let row = n.row as usize;
            let Some(pg) = pid_of(self.table, pgcol, row, &mut self.buf) else { continue };
            let spelling = Self::row_spelling(&self.parent_sp, row);
            let pg = (n.host, pg);
            let parent = match by_guid.get(&pg).or_else(|| inferred.get(&pg)) {
                Some(&p) => p,
                None => {
                    let ppid = pid_of(self.table, self.cols.ppid, row, &mut self.buf).unwrap_or(0);
                    let info = self.parent_info(row, self.cols.parent_name, self.cols.ppid);
                    let p = self.add_inferred(n.host, ppid, NO_TIME, info, spelling);
                    inferred.insert(pg, p);
                    p
                }
            };
            if !Self::in_order(self.nodes[parent as usize].start, n.start) {
                self.noticed.later_parent += 1;
                continue;
            }
            self.set_parent(i as NodeId, parent, Link::Guid, spelling);
        }
    }

    /// MDE: a process is (host, pid, image base name, creation time). Creation times of
    /// the same process differ in their last digits between its own row and its
    /// children's `InitiatingProcessCreationTime`, so times match within
    /// [`SAME_TIME_TICKS`].
    fn link_by_creation_time(&mut self) {
        let items = (0..self.nodes.len())
            .map(|i| {
                let n = self.nodes[i];
                ((n.host, n.pid, self.node_key(i as NodeId)), n.start, i as NodeId)
            })
            .collect();
        let mut index = Index::new(items);
        let real = self.nodes.len();
        for i in 0..real {
            let n = self.nodes[i];
            let row = n.row as usize;
            let Some(ppid) = pid_of(self.table, self.cols.ppid, row, &mut self.buf) else { continue };
            let pstart = time_of(self.table, self.cols.parent_creation, row);
            let spelling = Self::row_spelling(&self.parent_sp, row);
            let pkey = self.key(spelling, n.host);
            let key = (n.host, ppid, pkey);
            if ppid == n.pid && pkey == self.node_key(i as NodeId) && (pstart == n.start || pstart == NO_TIME) {
                self.noticed.self_parents += 1;
                continue;
            }
            if !Self::in_order(pstart, n.start) {
                self.noticed.later_parent += 1;
                continue;
            }
            let parent = match index.find_near(key, pstart, i as NodeId) {
                Some(p) if Self::in_order(self.nodes[p as usize].start, n.start) => p,
                Some(_) => {
                    self.noticed.later_parent += 1;
                    continue;
                }
                None => {
                    let info = self.parent_info(row, self.cols.parent_name, self.cols.ppid);
                    let p = self.add_inferred(n.host, ppid, pstart, info, spelling);
                    index.insert_sorted(key, pstart, p);
                    p
                }
            };
            self.set_parent(i as NodeId, parent, Link::CreationTime, spelling);
            // An inferred process learns its own parent from any row that names it as
            // the initiating process: that row's *Parent* columns.
            let needs_parent = self.nodes.get(parent as usize).is_some_and(|p| p.inferred() && p.parent == NONE);
            if let (true, Some(gcol)) = (needs_parent, self.cols.grandparent_id) {
                let Some(gpid) = pid_of(self.table, gcol, row, &mut self.buf) else { continue };
                let gstart = time_of(self.table, self.cols.grandparent_creation, row);
                let gspelling = Self::row_spelling(&self.grandparent_sp, row);
                let gkey = (n.host, gpid, self.key(gspelling, n.host));
                let parent_start = self.nodes[parent as usize].start;
                if (gkey == key && (gstart == pstart || gstart == NO_TIME)) || !Self::in_order(gstart, parent_start) {
                    continue;
                }
                let g = match index.find_near(gkey, gstart, parent) {
                    Some(g) if Self::in_order(self.nodes[g as usize].start, parent_start) => g,
                    Some(_) => continue,
                    None => {
                        let info = self.parent_info(row, self.cols.grandparent_name, gcol);
                        let g = self.add_inferred(n.host, gpid, gstart, info, gspelling);
                        index.insert_sorted(gkey, gstart, g);
                        g
                    }
                };
                self.set_parent(parent, g, Link::CreationTime, gspelling);
            }
        }
    }

    /// Rows that name their grandparent (MDE `InitiatingProcessParent*`) spell it too:
    /// where the linked grandparent is the process they name (PID and base name), their
    /// spelling is one of its names (a device path for a base name, another case).
    fn learn_grandparent_spellings(&mut self) {
        let Some(gcol) = self.cols.grandparent_id else { return };
        for i in 0..self.nodes.len() {
            let n = self.nodes[i];
            if n.inferred() {
                continue;
            }
            let sp = Self::row_spelling(&self.grandparent_sp, n.row as usize);
            let g = self.nodes.get(n.parent as usize).map_or(NONE, |p| p.parent);
            let Some(gnode) = self.nodes.get(g as usize).copied() else { continue };
            let own = self.node_name.get(g as usize).copied().unwrap_or(NO_NAME);
            if sp == NO_NAME || sp == own || self.key(sp, gnode.host) != self.key(own, gnode.host) {
                continue;
            }
            if pid_of(self.table, gcol, n.row as usize, &mut self.buf) == Some(gnode.pid) {
                self.aliases.push((g, sp));
            }
        }
    }

    fn link_by_time(&mut self) {
        // Candidates per (host, pid, name) in start order.
        let with_names = self.cols.parent_name.is_some() && self.cols.name.is_some();
        let items = (0..self.nodes.len())
            .map(|i| {
                let n = self.nodes[i];
                let name = if with_names { self.node_key(i as NodeId) } else { 0 };
                ((n.host, n.pid, name), n.start, i as NodeId)
            })
            .collect();
        let by_key = Index::new(items);
        // Windows' System process of each host, for the PID 4 rule.
        let mut system_of: FastMap<u32, NodeId> = FastMap::default();
        for (i, n) in self.nodes.iter().enumerate() {
            let windows = self.host_windows.get(n.host as usize).copied().unwrap_or(false);
            let sp = self.node_name.get(i).copied().unwrap_or(NO_NAME);
            let is_system =
                self.spellings.get(sp as usize).is_some_and(|s| base_name(s, true).eq_ignore_ascii_case("system"));
            if windows && n.pid == WINDOWS_SYSTEM_PID && is_system {
                system_of.entry(n.host).or_insert(i as NodeId);
            }
        }
        let mut inferred: FastMap<Key, NodeId> = FastMap::default();
        for i in 0..self.nodes.len() {
            let id = i as NodeId;
            let n = self.nodes[i];
            let row = n.row as usize;
            let Some(ppid) = pid_of(self.table, self.cols.ppid, row, &mut self.buf) else { continue };
            let spelling = Self::row_spelling(&self.parent_sp, row);
            let pname = if with_names { self.key(spelling, n.host) } else { 0 };
            if ppid == n.pid && (!with_names || pname == self.node_key(id)) {
                // Its own parent: no live process can have its parent's PID.
                self.noticed.self_parents += 1;
                continue;
            }
            let key = (n.host, ppid, pname);
            let list = by_key.list(&key);
            let mut found: Option<(NodeId, Link)> = None;
            // The most recent candidate that started no later than the child (not itself).
            let upto = list.partition_point(|&(s, _)| s <= n.start);
            let latest = list.get(..upto).unwrap_or_default().iter().rev().find(|&&(_, c)| c != id);
            if let Some(&(s, c)) = latest {
                let exit = self.exit.as_ref().and_then(|e| e.get(self.nodes[c as usize].row as usize)).copied();
                if n.start != NO_TIME && exit.is_some_and(|x| x != NO_TIME && x < n.start) {
                    // It had exited: the real parent held the PID after it and is gone.
                    self.noticed.exited += 1;
                } else {
                    let link = if s == NO_TIME || n.start == NO_TIME {
                        Link::PidOnly
                    } else if s == n.start {
                        Link::SameTick
                    } else {
                        Link::PidTime
                    };
                    found = Some((c, link));
                }
            } else if let Some(&(s, c)) = list.get(upto).filter(|&&(_, c)| c != id) {
                if self.report_times && n.start != NO_TIME && s.saturating_sub(n.start) <= SKEW_TICKS {
                    // Reported up to 2 s after the child it created.
                    self.noticed.skewed += 1;
                    found = Some((c, Link::ClockSkew));
                } else if ppid != WINDOWS_SYSTEM_PID || !system_of.contains_key(&n.host) {
                    self.noticed.reused_later += 1;
                }
            }
            if found.is_none() && ppid == WINDOWS_SYSTEM_PID {
                found = system_of.get(&n.host).filter(|&&s| s != id).map(|&s| (s, Link::System));
            }
            let (parent, link) = match found {
                Some(f) => f,
                None => match inferred.get(&key) {
                    Some(&p) => (p, Link::Inferred),
                    None => {
                        let info = self.parent_info(row, self.cols.parent_name, self.cols.ppid);
                        let p = self.add_inferred(n.host, ppid, NO_TIME, info, spelling);
                        inferred.insert(key, p);
                        (p, Link::Inferred)
                    }
                },
            };
            self.set_parent(id, parent, link, spelling);
        }
    }

    fn finish(mut self) -> Forest {
        let n = self.nodes.len();
        // Break cycles and self-parents (iteratively: colour each parent chain once).
        let mut state = vec![0u8; n]; // 0 new, 1 on the current path, 2 done
        let mut path: Vec<NodeId> = Vec::new();
        let mut cycles = self.noticed.self_parents;
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
        for (node, link) in self.nodes.iter().zip(self.links.iter_mut()) {
            if node.parent == NONE {
                *link = Link::Root;
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
                windows: self.host_windows.get(h as usize).copied().unwrap_or(true),
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
        self.aliases.sort_unstable();
        self.aliases.dedup();
        let summary = Summary {
            processes: n,
            roots,
            leaves,
            branches,
            depth: max_depth as usize,
            inferred: self.inferred_info.len(),
            hosts: hosts.len(),
            weak_links: self.links.iter().filter(|l| l.evidence() == Evidence::Weak).count(),
        };
        self.warn(cycles);
        Forest {
            nodes: self.nodes,
            links: self.links,
            child_start,
            children,
            inferred_info: self.inferred_info,
            hosts,
            summary,
            linking: self.linking,
            join_names: self.linking == Linking::TimeJoin
                && self.cols.parent_name.is_some()
                && self.cols.name.is_some(),
            warnings: self.warnings,
            time_range,
            spellings: self.spellings,
            node_name: self.node_name,
            aliases: self.aliases,
        }
    }

    /// The warnings for what linking noticed.
    fn warn(&mut self, cycles: usize) {
        let plural = |k: usize, one: &str, many: &str| if k == 1 { format!("1 {one}") } else { format!("{k} {many}") };
        // The word for one or for many.
        let one = |k: usize, single: &'static str, many: &'static str| if k == 1 { single } else { many };
        let was = |k: usize| one(k, "was", "were");
        let its = |k: usize| one(k, "its", "their");
        let names = |k: usize| one(k, "names", "name");
        let s = &self.noticed;
        let mut w = Vec::new();
        if cycles > 0 {
            w.push(Warning::counted(
                WarningKind::Data,
                cycles,
                format!(
                    "{} in the parent links were broken (the process shows as a root)",
                    plural(cycles, "cycle", "cycles")
                ),
            ));
        }
        if s.skewed > 0 {
            w.push(Warning::counted(WarningKind::Data, s.skewed, format!(
                "{} reported before {} parent (report times, not creation times); linked to the parent reported up to 2 s after (clock-skew links, drawn dashed)",
                plural(s.skewed, "process was", "processes were"),
                its(s.skewed)
            )));
        }
        if s.reused_later > 0 {
            w.push(Warning::counted(WarningKind::Data, s.reused_later, format!(
                "{} {} a parent PID whose only holder in the result started after {} (the PID was reused once the parent exited); {} {} inferred",
                plural(s.reused_later, "process", "processes"),
                names(s.reused_later),
                one(s.reused_later, "it", "them"),
                its(s.reused_later),
                one(s.reused_later, "parent is", "parents are")
            )));
        }
        if s.exited > 0 {
            w.push(Warning::counted(
                WarningKind::Data,
                s.exited,
                format!(
                    "{} {} a parent PID whose holder had exited before {} started; {} {} inferred",
                    plural(s.exited, "process", "processes"),
                    names(s.exited),
                    one(s.exited, "it", "they"),
                    its(s.exited),
                    one(s.exited, "parent is", "parents are")
                ),
            ));
        }
        if s.later_parent > 0 {
            w.push(Warning::counted(
                WarningKind::Data,
                s.later_parent,
                format!(
                    "{} {} a parent recorded as starting after {} (impossible); {} cut",
                    plural(s.later_parent, "process", "processes"),
                    names(s.later_parent),
                    one(s.later_parent, "it", "them"),
                    one(s.later_parent, "that link was", "those links were")
                ),
            ));
        }
        if s.skipped_rows > 0 {
            w.push(Warning::counted(
                WarningKind::Data,
                s.skipped_rows,
                format!(
                    "{} without a process id {} left out of the tree",
                    plural(s.skipped_rows, "row", "rows"),
                    was(s.skipped_rows)
                ),
            ));
        }
        if s.filtered_rows > 0 {
            w.push(Warning::counted(
                WarningKind::Data,
                s.filtered_rows,
                format!(
                    "{} that {} not process creation events {} left out of the tree",
                    plural(s.filtered_rows, "row", "rows"),
                    one(s.filtered_rows, "is", "are"),
                    was(s.filtered_rows)
                ),
            ));
        }
        if s.duplicate_rows > 0 {
            w.push(Warning::counted(
                WarningKind::Data,
                s.duplicate_rows,
                format!(
                    "{} repeated an earlier process (same host, id, start and name) and {} merged",
                    plural(s.duplicate_rows, "row", "rows"),
                    was(s.duplicate_rows)
                ),
            ));
        }
        self.warnings.extend(w);
    }
}
