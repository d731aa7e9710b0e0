//! From result tables to an entity graph: alerts and their `Entities` (with `$id` /
//! `$ref` resolved at any depth, entities merged across alerts by their strong
//! identifiers), or any table as an edge list (parallel rows aggregated).

use huntviz_draw::view::{ViewError, Warning, WarningKind};
use std::collections::HashMap;

use huntviz_draw::text::{thousands, visible};
use huntviz_table::schema::{Role, SchemaInfo};
use huntviz_table::{ColumnType, Table};
use petgraph::graph::{DiGraph, NodeIndex};
use serde_json::Value;

/// Entities of one alert beyond this many are not read (and reported).
const MAX_ENTITIES_PER_ALERT: usize = 10_000;
/// Characters kept of a property value.
const MAX_VALUE_CHARS: usize = 4_000;

/// A node: an alert or an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Entity type (`account`, `host`, `ip`, …), `alert`, or an edge-list column's kind.
    pub kind: String,
    /// What the view shows (visible text).
    pub label: String,
    /// The identity it was merged by.
    pub key: String,
    /// Every scalar property: (name, value).
    pub props: Vec<(String, String)>,
    /// Source rows it came from.
    pub rows: Vec<u32>,
}

/// A link.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The property name (`Host`, `ImageFile`, …), `entity` for alert → entity, or the
    /// edge list's target column.
    pub label: String,
    /// Rows (or alerts) that gave it.
    pub count: u32,
    /// First and last time of those rows, when the table has a time column.
    pub first: Option<i64>,
    /// Last time.
    pub last: Option<i64>,
}

/// What a graph was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Alert rows with an `Entities` column.
    Alerts,
    /// A table of source/target rows.
    EdgeList,
}

/// An entity graph.
#[derive(Debug, Clone)]
pub struct EntityGraph {
    /// Nodes and directed edges (undirected edge lists keep one direction per pair).
    pub graph: DiGraph<Node, Edge>,
    /// Whether edges have a direction.
    pub directed: bool,
    /// Where it came from.
    pub origin: Origin,
    /// Node kinds, most common first.
    pub kinds: Vec<(String, usize)>,
    /// What the user must know (unresolved references, unreadable entities).
    pub warnings: Vec<String>,
}

/// Graph options (the payload's `options`).
#[derive(Debug, Clone, Default)]
pub struct GraphOptions {
    /// Edge-list source column.
    pub source: Option<String>,
    /// Edge-list target column.
    pub target: Option<String>,
    /// Whether edge-list edges have a direction (default true).
    pub directed: Option<bool>,
    /// Size nodes by this numeric property instead of their degree.
    pub size_by: Option<String>,
}

impl GraphOptions {
    /// The keys this view reads.
    pub const KEYS: [&'static str; 4] = ["source", "target", "directed", "size_by"];

    /// Reads the graph keys of `options`; a value of the wrong shape is a note.
    pub fn from_json(options: &serde_json::Map<String, Value>, notes: &mut Vec<Warning>) -> GraphOptions {
        let mut o = GraphOptions::default();
        let mut text = |key: &str| match options.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                notes.push(Warning::new(WarningKind::Option, format!("options.{key} must be a column name")));
                None
            }
        };
        o.source = text("source");
        o.target = text("target");
        o.size_by = text("size_by");
        match options.get("directed") {
            None => {}
            Some(Value::Bool(b)) => o.directed = Some(*b),
            Some(_) => notes.push(Warning::new(WarningKind::Option, "options.directed must be true or false")),
        }
        o
    }
}

/// Whether a table can be a graph: alerts with entities, or an edge list.
pub fn can_build(table: &Table, schema: &SchemaInfo, options: &GraphOptions) -> bool {
    schema.column(table, Role::Entities).is_some()
        || (options.source.is_some() && options.target.is_some())
        || (schema.column(table, Role::Source).is_some() && schema.column(table, Role::Target).is_some())
}

/// Builds the graph of `table`: its alerts' entities when it has an `Entities` column,
/// else its source → target rows.
pub fn build(table: &Table, schema: &SchemaInfo, options: &GraphOptions) -> Result<EntityGraph, ViewError> {
    let explicit = options.source.is_some() || options.target.is_some();
    if let (false, Some(col)) = (explicit, schema.column(table, Role::Entities)) {
        return Ok(from_alerts(table, col));
    }
    let pick = |opt: &Option<String>, role: Role| -> Result<Option<usize>, ViewError> {
        match opt {
            Some(name) => table
                .column_index(name)
                .map(Some)
                .ok_or_else(|| ViewError(format!("the result has no column \"{}\"", visible(name, 60).0))),
            None => Ok(schema.column(table, role)),
        }
    };
    match (pick(&options.source, Role::Source)?, pick(&options.target, Role::Target)?) {
        (Some(s), Some(t)) => Ok(from_edges(table, schema, s, t, options.directed.unwrap_or(true))),
        _ => Err(ViewError(
            "the result has no Entities column and no source/target columns (set options.source and options.target)"
                .to_string(),
        )),
    }
}

/// One entity as read from an alert's JSON, before merging.
#[derive(Debug, Default)]
struct Raw {
    kind: String,
    scalars: Vec<(String, String)>,
    /// (property, target raw index)
    links: Vec<(String, usize)>,
    /// (property, `$ref` id) not yet resolved
    refs: Vec<(String, String)>,
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn get<'a>(raw: &'a Raw, name: &str) -> Option<&'a str> {
    raw.scalars.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

/// Reads one alert's entities: every object with a `Type` or `$id` at any depth is an
/// entity; `{"$ref": id}` points to one defined anywhere in the same alert. Iterative,
/// so depth costs memory, not stack. Returns the entities and the top-level ones.
fn read_entities(root: &Value, alert: &str, warnings: &mut Vec<String>) -> (Vec<Raw>, Vec<usize>) {
    let mut raws: Vec<Raw> = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut top = Vec::new();
    // (value, owner entity and property)
    let mut stack: Vec<(&Value, Option<(usize, String)>)> = Vec::new();
    match root {
        Value::Array(items) => stack.extend(items.iter().rev().map(|v| (v, None))),
        Value::Object(map) if !map.contains_key("Type") => stack.extend(map.values().rev().map(|v| (v, None))),
        other => stack.push((other, None)),
    }
    let mut dropped = 0usize;
    while let Some((value, owner)) = stack.pop() {
        let Value::Object(o) = value else {
            if let (Some((idx, prop)), Some(s)) = (&owner, scalar(value)) {
                // A scalar inside an array property: joined with the others.
                let raw = &mut raws[*idx];
                match raw.scalars.iter_mut().find(|(k, _)| k == prop) {
                    Some((_, v)) => {
                        v.push_str(", ");
                        v.push_str(&s);
                    }
                    None => raw.scalars.push((prop.clone(), s)),
                }
            }
            continue;
        };
        if let Some(id) = o.get("$ref").and_then(scalar) {
            if let Some((idx, prop)) = owner {
                raws[idx].refs.push((prop, id));
            }
            continue;
        }
        let is_entity = o.contains_key("Type") || o.contains_key("$id");
        if !is_entity {
            // A plain object property (e.g. Location): kept as JSON text.
            if let Some((idx, prop)) = owner {
                let text = serde_json::to_string(value).unwrap_or_default();
                raws[idx].scalars.push((prop, text.chars().take(MAX_VALUE_CHARS).collect()));
            }
            continue;
        }
        let id = o.get("$id").and_then(scalar);
        if let Some(&existing) = id.as_ref().and_then(|i| ids.get(i)) {
            // The same `$id` repeated inline (Sentinel repeats nested entities): one entity.
            match owner {
                Some((idx, prop)) => raws[idx].links.push((prop, existing)),
                None => top.push(existing),
            }
            continue;
        }
        if raws.len() >= MAX_ENTITIES_PER_ALERT {
            dropped += 1;
            continue;
        }
        let idx = raws.len();
        let kind = o.get("Type").and_then(scalar).unwrap_or_else(|| "entity".to_string()).to_lowercase();
        raws.push(Raw { kind, ..Raw::default() });
        if let Some(id) = id {
            ids.insert(id, idx);
        }
        match owner {
            Some((owner_idx, prop)) => raws[owner_idx].links.push((prop, idx)),
            None => top.push(idx),
        }
        for (k, v) in o.iter().rev() {
            if k == "$id" || k == "Type" {
                continue;
            }
            match v {
                Value::Null => {}
                Value::Object(_) => stack.push((v, Some((idx, k.clone())))),
                Value::Array(items) => stack.extend(items.iter().rev().map(|i| (i, Some((idx, k.clone()))))),
                _ => {
                    if let Some(s) = scalar(v) {
                        raws[idx].scalars.push((k.clone(), s.chars().take(MAX_VALUE_CHARS).collect()));
                    }
                }
            }
        }
    }
    if dropped > 0 {
        warnings.push(format!(
            "{alert}: {} more entities were not read (at most {MAX_ENTITIES_PER_ALERT})",
            thousands(dropped)
        ));
    }
    // Resolve references.
    for (i, raw) in raws.iter_mut().enumerate() {
        let refs = std::mem::take(&mut raw.refs);
        for (prop, id) in refs {
            match ids.get(&id) {
                Some(&t) if t == i => {
                    warnings.push(format!("{alert}: entity {} refers to itself ({prop})", visible(&id, 20).0))
                }
                Some(&t) => raw.links.push((prop, t)),
                None => warnings.push(format!(
                    "{alert}: $ref \"{}\" ({prop}) points to no entity in the alert",
                    visible(&id, 20).0
                )),
            }
        }
    }
    if let Some(prop) = cycle(&raws) {
        warnings.push(format!("{alert}: entities refer to each other in a cycle (through {prop})"));
    }
    (raws, top)
}

/// A property on a cycle of entity references, if the alert's references loop (a
/// process that is its own ancestor). Iterative depth-first search.
fn cycle(raws: &[Raw]) -> Option<String> {
    // 0 unvisited, 1 on the current path, 2 done.
    let mut state = vec![0u8; raws.len()];
    for start in 0..raws.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some((prop, t)) = raws[node].links.get(*next) {
                *next += 1;
                match state[*t] {
                    1 => return Some(prop.clone()),
                    0 => {
                        state[*t] = 1;
                        stack.push((*t, 0));
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    None
}

/// The identity an entity is merged by (Sentinel's strong identifiers), from its own
/// properties and the base identities of what it links to.
fn identity(raws: &[Raw], i: usize, base: &[String]) -> String {
    let r = &raws[i];
    let low = |s: &str| s.to_lowercase();
    let link = |prop: &str| r.links.iter().find(|(p, _)| p.eq_ignore_ascii_case(prop)).map(|(_, t)| base[*t].clone());
    let g = |k: &str| get(r, k).map(low);
    let key = match r.kind.as_str() {
        "account" => g("Sid")
            .or_else(|| g("AadUserId"))
            .or_else(|| g("ObjectGuid"))
            .or_else(|| g("Upn").or_else(|| g("UPNSuffix").and_then(|s| g("Name").map(|n| format!("{n}@{s}")))))
            .or_else(|| {
                g("Name").map(|n| format!("{}\\{n}", g("NTDomain").or_else(|| g("DnsDomain")).unwrap_or_default()))
            }),
        "host" => g("FQDN").or_else(|| g("AzureID")).or_else(|| g("OMSAgentID")).or_else(|| {
            g("HostName").or_else(|| g("NetBiosName")).map(|h| match g("DnsDomain") {
                Some(d) => format!("{h}.{d}"),
                None => h,
            })
        }),
        "ip" => g("Address"),
        "filehash" => g("Value").map(|v| format!("{}:{v}", g("Algorithm").unwrap_or_default())),
        "file" => {
            let mut hashes: Vec<String> = r
                .links
                .iter()
                .filter(|(p, t)| p.eq_ignore_ascii_case("FileHashes") && raws[*t].kind == "filehash")
                .map(|(_, t)| base[*t].clone())
                .collect();
            hashes.sort();
            if hashes.is_empty() {
                g("Name").map(|n| format!("{}\\{n}", g("Directory").unwrap_or_default().trim_end_matches('\\')))
            } else {
                Some(hashes.join("|"))
            }
        }
        "process" => {
            let host = link("Host").unwrap_or_default();
            match (g("ProcessId"), g("CreationTimeUtc")) {
                (Some(pid), Some(t)) => Some(format!("{host}|{pid}|{t}")),
                (pid, _) => Some(format!(
                    "{host}|{}|{}|{}",
                    pid.unwrap_or_default(),
                    g("CommandLine").unwrap_or_default(),
                    link("ImageFile").unwrap_or_default()
                )),
            }
        }
        "host-logon-session" => g("SessionId")
            .map(|s| format!("{}|{s}|{}", link("Host").unwrap_or_default(), g("StartTimeUtc").unwrap_or_default())),
        "url" => g("Url"),
        "dns" => g("DomainName"),
        "registry-key" => g("Key").map(|k| format!("{}\\{k}", g("Hive").unwrap_or_default())),
        "registry-value" => g("Name").map(|n| format!("{}|{n}", link("Key").unwrap_or_default())),
        "mailbox" => g("MailboxPrimaryAddress"),
        "azure-resource" => g("ResourceId"),
        "cloud-application" => g("AppId").or_else(|| g("Name")),
        "security-group" => g("Sid").or_else(|| g("ObjectGuid")).or_else(|| g("DistinguishedName")),
        "malware" => g("Name").map(|n| format!("{n}|{}", g("Category").unwrap_or_default())),
        "mail-message" => g("NetworkMessageId"),
        _ => None,
    };
    let key = key.unwrap_or_else(|| {
        // No strong identifier: every scalar but counts.
        let mut parts: Vec<String> = r
            .scalars
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("Count"))
            .map(|(k, v)| format!("{k}={}", low(v)))
            .collect();
        parts.sort();
        parts.join("|")
    });
    format!("{}:{key}", r.kind)
}

/// What the view shows for an entity.
fn label(raws: &[Raw], i: usize) -> String {
    let r = &raws[i];
    let g = |k: &str| get(r, k).map(str::to_string);
    let linked = |prop: &str| {
        r.links
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(prop))
            .and_then(|(_, t)| get(&raws[*t], "Name"))
            .map(str::to_string)
    };
    let text = match r.kind.as_str() {
        "account" => g("Name")
            .map(|n| match g("NTDomain") {
                Some(d) => format!("{d}\\{n}"),
                None => n,
            })
            .or_else(|| g("Upn"))
            .or_else(|| g("AadUserId"))
            .or_else(|| g("Sid")),
        "host" => g("HostName").or_else(|| g("NetBiosName")).or_else(|| g("FQDN")).or_else(|| g("AzureID")),
        "ip" => g("Address"),
        "file" => g("Name"),
        "filehash" => g("Value")
            .map(|v| format!("{} {}", g("Algorithm").unwrap_or_default(), v.chars().take(12).collect::<String>())),
        "process" => {
            let name = linked("ImageFile").or_else(|| g("CommandLine")).unwrap_or_else(|| "process".to_string());
            Some(match g("ProcessId") {
                Some(pid) => format!("{name} ({pid})"),
                None => name,
            })
        }
        "host-logon-session" => g("SessionId").map(|s| format!("session {s}")),
        "url" => g("Url"),
        "dns" => g("DomainName"),
        "registry-key" => g("Key"),
        "registry-value" => g("Name"),
        "mailbox" => g("MailboxPrimaryAddress"),
        "azure-resource" => g("ResourceId"),
        _ => g("Name").or_else(|| g("DisplayName")),
    };
    let text = text.or_else(|| r.scalars.first().map(|(_, v)| v.clone())).unwrap_or_else(|| r.kind.clone());
    visible(&text, 80).0
}

/// Adds a node or merges into the one with the same key.
fn merge(g: &mut DiGraph<Node, Edge>, index: &mut HashMap<String, NodeIndex>, node: Node) -> NodeIndex {
    if let Some(&n) = index.get(&node.key) {
        let existing = &mut g[n];
        for (k, v) in node.props {
            if !existing.props.iter().any(|(ek, _)| *ek == k) {
                existing.props.push((k, v));
            }
        }
        for r in node.rows {
            if existing.rows.last() != Some(&r) {
                existing.rows.push(r);
            }
        }
        return n;
    }
    let key = node.key.clone();
    let n = g.add_node(node);
    index.insert(key, n);
    n
}

fn link(
    g: &mut DiGraph<Node, Edge>,
    edges: &mut HashMap<(NodeIndex, NodeIndex, String), petgraph::graph::EdgeIndex>,
    a: NodeIndex,
    b: NodeIndex,
    label: &str,
    time: Option<i64>,
) {
    match edges.get(&(a, b, label.to_string())) {
        Some(&e) => {
            let edge = &mut g[e];
            edge.count += 1;
            if let Some(t) = time {
                edge.first = Some(edge.first.map_or(t, |f| f.min(t)));
                edge.last = Some(edge.last.map_or(t, |l| l.max(t)));
            }
        }
        None => {
            let e = g.add_edge(a, b, Edge { label: label.to_string(), count: 1, first: time, last: time });
            edges.insert((a, b, label.to_string()), e);
        }
    }
}

fn kinds(g: &DiGraph<Node, Edge>) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for n in g.node_weights() {
        *counts.entry(n.kind.as_str()).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().map(|(k, c)| (k.to_string(), c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

fn time_of(table: &Table, row: usize) -> Option<i64> {
    let col = ["StartTimeUtc", "TimeGenerated", "StartTime"]
        .iter()
        .find_map(|n| table.column_index(n))
        .filter(|&c| table.column(c).is_some_and(|c| c.ty == ColumnType::DateTime))?;
    table.column(col)?.i64_value(row)
}

fn from_alerts(table: &Table, entities: usize) -> EntityGraph {
    let mut g: DiGraph<Node, Edge> = DiGraph::new();
    let mut index: HashMap<String, NodeIndex> = HashMap::new();
    let mut edges = HashMap::new();
    let mut warnings = Vec::new();
    let title = ["AlertDisplayName", "AlertName", "DisplayName", "Title"].iter().find_map(|n| table.column_index(n));
    let id = ["SystemAlertId", "ProviderAlertId", "AlertId", "Id"].iter().find_map(|n| table.column_index(n));
    let mut unreadable = 0usize;
    for row in 0..table.rows() {
        let name = title.and_then(|c| table.cell_text(row, c)).unwrap_or_else(|| format!("alert {}", row + 1));
        let alert_key = id.and_then(|c| table.cell_text(row, c)).unwrap_or_else(|| format!("row {row}"));
        let props = table
            .columns
            .iter()
            .enumerate()
            .filter(|&(c, _)| c != entities)
            .filter_map(|(c, col)| {
                table.cell_text(row, c).map(|v| (col.name.clone(), v.chars().take(MAX_VALUE_CHARS).collect()))
            })
            .collect();
        let time = time_of(table, row);
        let alert = merge(
            &mut g,
            &mut index,
            Node {
                kind: "alert".into(),
                label: visible(&name, 80).0,
                key: format!("alert:{alert_key}"),
                props,
                rows: vec![row as u32],
            },
        );
        let Some(text) = table.cell_text(row, entities) else { continue };
        let json: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                unreadable += 1;
                if unreadable <= 5 {
                    warnings.push(format!("row {}: its Entities are not JSON ({e})", row + 1));
                }
                continue;
            }
        };
        let where_ = format!("row {} ({})", row + 1, visible(&name, 40).0);
        let (raws, top) = read_entities(&json, &where_, &mut warnings);
        let none = vec![String::new(); raws.len()];
        let base: Vec<String> = (0..raws.len()).map(|i| identity(&raws, i, &none)).collect();
        let nodes: Vec<NodeIndex> = (0..raws.len())
            .map(|i| {
                let node = Node {
                    kind: raws[i].kind.clone(),
                    label: label(&raws, i),
                    key: identity(&raws, i, &base),
                    props: raws[i].scalars.clone(),
                    rows: vec![row as u32],
                };
                merge(&mut g, &mut index, node)
            })
            .collect();
        for &t in &top {
            link(&mut g, &mut edges, alert, nodes[t], "entity", time);
        }
        for (i, r) in raws.iter().enumerate() {
            for (prop, t) in &r.links {
                if nodes[i] != nodes[*t] {
                    link(&mut g, &mut edges, nodes[i], nodes[*t], prop, time);
                }
            }
        }
    }
    if unreadable > 5 {
        warnings.push(format!("{} more rows have Entities that are not JSON", thousands(unreadable - 5)));
    }
    let kinds = kinds(&g);
    EntityGraph { graph: g, directed: true, origin: Origin::Alerts, kinds, warnings }
}

/// The kind of the values of an edge-list column, from its name.
fn column_kind(name: &str) -> String {
    let n = name.to_lowercase();
    if n.contains("ip") || n.contains("address") {
        "ip".into()
    } else if n.contains("account") || n.contains("user") || n.contains("upn") {
        "account".into()
    } else if n.contains("host") || n.contains("computer") || n.contains("device") || n.contains("vm") {
        "host".into()
    } else {
        n
    }
}

fn from_edges(table: &Table, schema: &SchemaInfo, s: usize, t: usize, directed: bool) -> EntityGraph {
    let mut g: DiGraph<Node, Edge> = DiGraph::new();
    let mut index: HashMap<String, NodeIndex> = HashMap::new();
    let mut edges = HashMap::new();
    let time_col =
        schema.column(table, Role::Time).filter(|&c| table.column(c).is_some_and(|c| c.ty == ColumnType::DateTime));
    let (sk, tk) = (column_kind(&table.columns[s].name), column_kind(&table.columns[t].name));
    let target_name = table.columns[t].name.clone();
    let mut missing = 0usize;
    for row in 0..table.rows() {
        let (Some(a), Some(b)) = (table.cell_text(row, s), table.cell_text(row, t)) else {
            missing += 1;
            continue;
        };
        if a.is_empty() || b.is_empty() {
            missing += 1;
            continue;
        }
        // One node per value, whichever column it is in (its kind: the first seen).
        let node = |kind: &str, v: &str| Node {
            kind: kind.to_string(),
            label: visible(v, 80).0,
            key: format!("value:{v}"),
            props: vec![("value".to_string(), v.chars().take(MAX_VALUE_CHARS).collect())],
            rows: vec![row as u32],
        };
        let mut na = merge(&mut g, &mut index, node(&sk, &a));
        let mut nb = merge(&mut g, &mut index, node(&tk, &b));
        if !directed && na.index() > nb.index() {
            std::mem::swap(&mut na, &mut nb);
        }
        let time = time_col.and_then(|c| table.column(c)).and_then(|c| c.i64_value(row));
        link(&mut g, &mut edges, na, nb, &target_name, time);
    }
    let mut warnings = Vec::new();
    if missing > 0 {
        warnings.push(format!(
            "{} rows have no {} or no {} and are not linked",
            thousands(missing),
            table.columns[s].name,
            target_name
        ));
    }
    let kinds = kinds(&g);
    EntityGraph { graph: g, directed, origin: Origin::EdgeList, kinds, warnings }
}
