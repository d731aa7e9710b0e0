//! What the columns of a result mean: which known event schema it is (process
//! creation events of MDE, Windows 4688, Sysmon, auditd, osquery, Velociraptor,
//! Volatility) and which column plays each role (process id, parent id, host, time, …).
//!
//! Detection scores every schema instead of MSTICPy's "most matching names, last wins":
//! each role lists the column names sources use for it, in order of preference; a
//! schema needs all its required roles; its score is 3 per required role matched and
//! 1 per optional role (an exact-case name; a case-insensitive match scores one less);
//! the highest score wins and ties go to the schema listed first. The result says what
//! was chosen, from which columns, and how the other schemas scored. Any role can be
//! set by the user (`options.columns`), which wins over detection.

use std::collections::BTreeMap;

use crate::types::ColumnType;
use crate::Table;

/// A role a column can play.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// When the event happened.
    Time,
    /// The machine it happened on.
    Host,
    /// The created process's id.
    ProcessId,
    /// The created process's image name or path.
    ProcessName,
    /// The created process's command line.
    CommandLine,
    /// When the created process started (exact identity with the id).
    ProcessCreationTime,
    /// When the process exited (memory images list exited processes that linger).
    ExitTime,
    /// A unique process identifier (Sysmon `ProcessGuid`).
    ProcessGuid,
    /// The parent's process id.
    ParentId,
    /// The parent's image name or path.
    ParentName,
    /// The parent's command line.
    ParentCommandLine,
    /// When the parent started.
    ParentCreationTime,
    /// The parent's unique identifier.
    ParentGuid,
    /// The grandparent's process id.
    GrandparentId,
    /// The grandparent's image name.
    GrandparentName,
    /// When the grandparent started.
    GrandparentCreationTime,
    /// The account that ran the process.
    User,
    /// The account's SID or uid.
    UserId,
    /// The logon session.
    LogonId,
    /// The target logon session (4688).
    TargetLogonId,
    /// Alert entities (JSON).
    Entities,
    /// Edge list: source node.
    Source,
    /// Edge list: target node.
    Target,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 23] = [
        Role::Time,
        Role::Host,
        Role::ProcessId,
        Role::ProcessName,
        Role::CommandLine,
        Role::ProcessCreationTime,
        Role::ExitTime,
        Role::ProcessGuid,
        Role::ParentId,
        Role::ParentName,
        Role::ParentCommandLine,
        Role::ParentCreationTime,
        Role::ParentGuid,
        Role::GrandparentId,
        Role::GrandparentName,
        Role::GrandparentCreationTime,
        Role::User,
        Role::UserId,
        Role::LogonId,
        Role::TargetLogonId,
        Role::Entities,
        Role::Source,
        Role::Target,
    ];

    /// The role's name in options and output (`process_id`, `parent_id`, …).
    pub fn id(self) -> &'static str {
        match self {
            Role::Time => "time",
            Role::Host => "host",
            Role::ProcessId => "process_id",
            Role::ProcessName => "process_name",
            Role::CommandLine => "command_line",
            Role::ProcessCreationTime => "process_creation_time",
            Role::ExitTime => "exit_time",
            Role::ProcessGuid => "process_guid",
            Role::ParentId => "parent_id",
            Role::ParentName => "parent_name",
            Role::ParentCommandLine => "parent_command_line",
            Role::ParentCreationTime => "parent_creation_time",
            Role::ParentGuid => "parent_guid",
            Role::GrandparentId => "grandparent_id",
            Role::GrandparentName => "grandparent_name",
            Role::GrandparentCreationTime => "grandparent_creation_time",
            Role::User => "user",
            Role::UserId => "user_id",
            Role::LogonId => "logon_id",
            Role::TargetLogonId => "target_logon_id",
            Role::Entities => "entities",
            Role::Source => "source",
            Role::Target => "target",
        }
    }

    /// Reads a role name (as in `options.columns`).
    pub fn from_id(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == id)
    }
}

/// A known event schema.
struct Schema {
    id: &'static str,
    label: &'static str,
    /// (role, candidate column names in order of preference, required).
    roles: &'static [(Role, &'static [&'static str], bool)],
    /// A column and the value that marks process-creation rows, when the schema has one.
    event_filter: Option<(&'static str, &'static str)>,
}

use Role::*;

const SCHEMAS: &[Schema] = &[
    Schema {
        id: "mde-device-process-events",
        label: "Microsoft Defender DeviceProcessEvents",
        roles: &[
            (ProcessId, &["ProcessId"], true),
            (ProcessName, &["FileName"], true),
            (ParentId, &["InitiatingProcessId"], true),
            (ParentName, &["InitiatingProcessFileName"], true),
            (Time, &["Timestamp", "TimeGenerated"], false),
            (Host, &["DeviceName"], false),
            (CommandLine, &["ProcessCommandLine"], false),
            (ProcessCreationTime, &["ProcessCreationTime"], false),
            (ParentCommandLine, &["InitiatingProcessCommandLine"], false),
            (ParentCreationTime, &["InitiatingProcessCreationTime"], false),
            (GrandparentId, &["InitiatingProcessParentId"], false),
            (GrandparentName, &["InitiatingProcessParentFileName"], false),
            (GrandparentCreationTime, &["InitiatingProcessParentCreationTime"], false),
            (User, &["AccountName"], false),
            (UserId, &["AccountSid"], false),
            (LogonId, &["LogonId", "InitiatingProcessLogonId"], false),
        ],
        event_filter: Some(("ActionType", "ProcessCreated")),
    },
    Schema {
        id: "mde-internal",
        label: "Microsoft Defender internal process events",
        roles: &[
            (ProcessId, &["CreatedProcessId"], true),
            (ProcessName, &["CreatedProcessName"], true),
            (ParentId, &["InitiatingProcessId", "CreatedProcessParentId"], true),
            (ParentName, &["InitiatingProcessName", "CreatedProcessParentName"], true),
            (Time, &["CreatedProcessCreationTime", "ReportTime"], false),
            (Host, &["ComputerDnsName"], false),
            (CommandLine, &["CreatedProcessCommandLine"], false),
            (ProcessCreationTime, &["CreatedProcessCreationTime"], false),
            (ParentCommandLine, &["Process_CommandLine", "InitiatingProcessCommandLine"], false),
            (ParentCreationTime, &["InitiatingProcessCreationTime", "CreatedProcessParentCreationTimeUtc"], false),
            (GrandparentId, &["InitiatingProcessParentProcessId", "InitiatingProcessParentId"], false),
            (GrandparentName, &["InitiatingProcessParentProcessName", "InitiatingProcessParentName"], false),
            (GrandparentCreationTime, &["InitiatingProcessParentCreationTime"], false),
            (User, &["CreatedProcessAccountName"], false),
            (UserId, &["CreatedProcessAccountSid"], false),
            (LogonId, &["LogonId", "InitiatingProcessLogonId"], false),
        ],
        event_filter: None,
    },
    Schema {
        id: "sysmon-process-create",
        label: "Sysmon event 1 (process create)",
        roles: &[
            (ProcessId, &["ProcessId"], true),
            (ProcessName, &["Image"], true),
            (ParentId, &["ParentProcessId"], true),
            (ParentName, &["ParentImage"], true),
            (Time, &["UtcTime", "TimeGenerated", "TimeCreated"], false),
            (Host, &["Computer"], false),
            (CommandLine, &["CommandLine"], false),
            (ParentCommandLine, &["ParentCommandLine"], false),
            (ProcessGuid, &["ProcessGuid"], false),
            (ParentGuid, &["ParentProcessGuid"], false),
            (User, &["User"], false),
            (LogonId, &["LogonId"], false),
        ],
        event_filter: Some(("EventID", "1")),
    },
    Schema {
        id: "windows-4688",
        label: "Windows security event 4688 (SecurityEvent)",
        roles: &[
            (ProcessId, &["NewProcessId"], true),
            (ProcessName, &["NewProcessName"], true),
            (ParentId, &["ProcessId"], true),
            (Time, &["TimeGenerated", "TimeCreatedUtc"], false),
            (ParentName, &["ParentProcessName"], false),
            (Host, &["Computer"], false),
            (CommandLine, &["CommandLine"], false),
            (User, &["SubjectUserName"], false),
            (UserId, &["SubjectUserSid"], false),
            (LogonId, &["SubjectLogonId"], false),
            (TargetLogonId, &["TargetLogonId"], false),
        ],
        event_filter: Some(("EventID", "4688")),
    },
    Schema {
        id: "linux-auditd",
        label: "Linux auditd process events (MSTICPy's extracted shape)",
        roles: &[
            (ProcessId, &["pid"], true),
            (ParentId, &["ppid"], true),
            (ProcessName, &["exe"], true),
            (Time, &["TimeGenerated"], false),
            (Host, &["Computer"], false),
            (CommandLine, &["cmdline"], false),
            (User, &["acct"], false),
            (UserId, &["uid", "auid"], false),
            (LogonId, &["ses"], false),
        ],
        event_filter: Some(("EventType", "SYSCALL_EXECVE")),
    },
    Schema {
        id: "osquery-processes",
        label: "osquery processes",
        roles: &[
            (ProcessId, &["pid"], true),
            (ParentId, &["parent"], true),
            (ProcessName, &["columns.name", "name", "path"], true),
            (Time, &["calendarTime", "unixTime"], false),
            (Host, &["hostIdentifier"], false),
            (CommandLine, &["cmdline"], false),
            (ParentCommandLine, &["pcmdline"], false),
            (User, &["username"], false),
            (UserId, &["uid"], false),
        ],
        event_filter: None,
    },
    Schema {
        id: "velociraptor-pslist",
        label: "Velociraptor Windows.System.Pslist",
        roles: &[
            (ProcessId, &["Pid"], true),
            (ParentId, &["Ppid"], true),
            (ProcessName, &["Name", "Exe"], true),
            (Time, &["CreateTime", "Timestamp"], false),
            (CommandLine, &["CommandLine"], false),
            (User, &["Username"], false),
            (Host, &["Fqdn", "ClientId"], false),
        ],
        event_filter: None,
    },
    Schema {
        id: "volatility-pstree",
        label: "Volatility windows.pstree",
        roles: &[
            (ProcessId, &["PID"], true),
            (ParentId, &["PPID"], true),
            (ProcessName, &["ImageFileName"], true),
            (Time, &["CreateTime"], false),
            (ExitTime, &["ExitTime"], false),
        ],
        event_filter: None,
    },
];

const TIME_NAMES: &[&str] = &[
    "TimeGenerated",
    "Timestamp",
    "EventTime",
    "TimeCreated",
    "TimeCreatedUtc",
    "StartTime",
    "StartTimeUtc",
    "FlowStartTime",
    "CreationTime",
    "time",
    "timestamp",
    "_time",
    "@timestamp",
];
const HOST_NAMES: &[&str] = &[
    "Computer",
    "DeviceName",
    "HostName",
    "Hostname",
    "hostname",
    "ComputerName",
    "hostIdentifier",
    "Host",
    "host",
    "VMName",
];
const EDGE_PAIRS: &[(&str, &str)] = &[
    ("SrcIP", "DestIP"),
    ("SourceIP", "DestinationIP"),
    ("SourceIp", "DestinationIp"),
    ("SrcIpAddr", "DstIpAddr"),
    ("src_ip", "dst_ip"),
    ("SourceAddress", "DestinationAddress"),
    ("LocalIP", "RemoteIP"),
    ("Source", "Target"),
    ("source", "target"),
    ("From", "To"),
];

/// Why a role points at a column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The schema's name for the role.
    Schema,
    /// A conventional name for the role, outside any schema.
    Name,
    /// The only or first column of the right type.
    Type,
    /// The user set it in `options.columns`.
    Option,
}

/// What the columns mean.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SchemaInfo {
    /// The detected schema's id (`mde-device-process-events`, …), if any.
    pub name: Option<String>,
    /// Its readable name.
    pub label: Option<String>,
    /// Role → column.
    pub roles: BTreeMap<String, String>,
    /// Role → why that column.
    pub evidence: BTreeMap<String, Evidence>,
    /// Every schema that could apply, with its score (best first).
    pub scores: Vec<(String, usize)>,
    /// The column and value of the schema's process-creation event filter, when present.
    pub event_filter: Option<(String, String)>,
    /// Problems with `options.columns`.
    pub notes: Vec<String>,
}

impl SchemaInfo {
    /// The column index playing a role.
    pub fn column(&self, table: &Table, role: Role) -> Option<usize> {
        self.roles.get(role.id()).and_then(|name| table.column_index(name))
    }
}

/// A role matched by a schema: the role, its column, whether the role is required.
type Found = (Role, String, bool);

fn find(table: &Table, names: &[&str]) -> Option<(String, bool)> {
    for n in names {
        if let Some(c) = table.columns.iter().find(|c| c.name == *n) {
            return Some((c.name.clone(), true));
        }
    }
    for n in names {
        if let Some(c) = table.columns.iter().find(|c| c.name.eq_ignore_ascii_case(n)) {
            return Some((c.name.clone(), false));
        }
    }
    None
}

/// Detects the schema and roles of a table. `overrides` maps role names to column names.
pub fn detect(table: &Table, overrides: &BTreeMap<String, String>) -> SchemaInfo {
    let mut info = SchemaInfo::default();
    // (score, schema index, matched roles)
    let mut best: Option<(usize, usize, Vec<Found>)> = None;
    for (k, schema) in SCHEMAS.iter().enumerate() {
        let mut score = 0;
        let mut found = Vec::new();
        let mut complete = true;
        for &(role, names, required) in schema.roles {
            match find(table, names) {
                Some((col, exact)) => {
                    let weight = if required { 3 } else { 1 };
                    score += if exact { weight } else { weight - 1 };
                    found.push((role, col, required));
                }
                None if required => complete = false,
                None => {}
            }
        }
        if !complete {
            continue;
        }
        info.scores.push((schema.id.to_string(), score));
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, k, found));
        }
    }
    info.scores.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if let Some((_, k, found)) = best {
        if let Some(schema) = SCHEMAS.get(k) {
            info.name = Some(schema.id.to_string());
            info.label = Some(schema.label.to_string());
            for (role, col, _) in found {
                info.roles.entry(role.id().to_string()).or_insert(col);
                info.evidence.entry(role.id().to_string()).or_insert(Evidence::Schema);
            }
            info.event_filter = schema
                .event_filter
                .filter(|(col, _)| table.column_index(col).is_some())
                .map(|(c, v)| (c.to_string(), v.to_string()));
        }
    }
    // Roles outside any schema.
    let mut set = |role: Role, col: String, why: Evidence| {
        info.roles.entry(role.id().to_string()).or_insert(col);
        info.evidence.entry(role.id().to_string()).or_insert(why);
    };
    if let Some((col, _)) = find(table, TIME_NAMES).filter(|(c, _)| is_type(table, c, ColumnType::DateTime)) {
        set(Time, col, Evidence::Name);
    } else if let Some(c) = table.columns.iter().find(|c| c.ty == ColumnType::DateTime) {
        set(Time, c.name.clone(), Evidence::Type);
    }
    if let Some((col, _)) = find(table, HOST_NAMES) {
        set(Host, col, Evidence::Name);
    }
    if let Some(c) = table.columns.iter().find(|c| c.name == "Entities" && looks_like_entities(table, &c.name)) {
        set(Entities, c.name.clone(), Evidence::Name);
    }
    for (s, t) in EDGE_PAIRS {
        if let (Some((sc, _)), Some((tc, _))) = (find(table, &[s]), find(table, &[t])) {
            set(Source, sc, Evidence::Name);
            set(Target, tc, Evidence::Name);
            break;
        }
    }
    // The user's word wins.
    for (role, col) in overrides {
        match (Role::from_id(role), table.column_index(col)) {
            (Some(r), Some(_)) => {
                info.roles.insert(r.id().to_string(), col.clone());
                info.evidence.insert(r.id().to_string(), Evidence::Option);
            }
            (None, _) => info.notes.push(format!(
                "options.columns: unknown role \"{}\" (roles: {})",
                role.chars().take(40).collect::<String>(),
                Role::ALL.iter().map(|r| r.id()).collect::<Vec<_>>().join(", ")
            )),
            (Some(_), None) => info.notes.push(format!(
                "options.columns: {role} names column \"{}\", which the result does not have",
                col.chars().take(80).collect::<String>()
            )),
        }
    }
    info
}

fn is_type(table: &Table, col: &str, ty: ColumnType) -> bool {
    table.column_index(col).and_then(|i| table.column(i)).is_some_and(|c| c.ty == ty)
}

/// Whether the first non-null values of a column are JSON arrays of entity objects.
fn looks_like_entities(table: &Table, col: &str) -> bool {
    let Some(i) = table.column_index(col) else { return false };
    // Most of the first five non-empty values: one broken row does not hide the rest.
    let (mut checked, mut good) = (0, 0);
    for row in 0..table.rows() {
        let Some(text) = table.cell_text(row, i) else { continue };
        let t = text.trim();
        if t.is_empty() || t == "[]" {
            continue;
        }
        checked += 1;
        if (t.starts_with('[') || t.starts_with('{')) && (t.contains("\"$id\"") || t.contains("\"Type\"")) {
            good += 1;
        }
        if checked >= 5 {
            break;
        }
    }
    good > 0 && good * 2 > checked
}
