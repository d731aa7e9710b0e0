//! From result tables to timeline events: lanes, series, durations, values and markers,
//! every event sorted by (lane, series, time) so a view finds what is in a time range
//! with a binary search.

use huntviz_draw::view::{ViewError, Warning, WarningKind};
use std::collections::HashMap;
use std::sync::Arc;

use huntviz_draw::text::{thousands, visible};
use huntviz_draw::{Color, OTHER, PALETTE};
use huntviz_table::schema::{Role, SchemaInfo};
use huntviz_table::{parse_datetime, ColumnData, ColumnType, StrColumn, Table, VisualizationHint};

/// Lanes beyond this many are merged into one "other values" lane (and reported).
pub const MAX_LANES: usize = 1000;
/// Reference markers beyond this many are not drawn (and reported).
const MAX_MARKERS: usize = 1000;
/// Columns whose values name an event's kind, best first.
const EVENT_TYPE_NAMES: [&str; 10] = [
    "ActionType",
    "EventID",
    "EventId",
    "EventType",
    "Activity",
    "OperationName",
    "Operation",
    "EventName",
    "Category",
    "Type",
];
/// Start/end column pairs that make a duration timeline.
const DURATION_PAIRS: [(&str, &str); 6] = [
    ("StartTime", "EndTime"),
    ("StartTimeUtc", "EndTimeUtc"),
    ("FirstSeen", "LastSeen"),
    ("StartTimeUTC", "EndTimeUTC"),
    ("start_time", "end_time"),
    ("Start", "End"),
];

/// One result on the axis: the primary result or one of the payload's `datasets`.
#[derive(Debug, Clone)]
pub struct Source {
    /// Its label (the dataset's name).
    pub name: String,
    /// Its rows.
    pub table: Arc<Table>,
    /// What its columns mean.
    pub schema: SchemaInfo,
    /// Alerts: each row becomes a labelled reference marker instead of events.
    pub alerts: bool,
}

impl Source {
    /// A source whose schema is detected without overrides.
    pub fn new(name: &str, table: Arc<Table>, alerts: bool) -> Source {
        let schema = huntviz_table::schema::detect(&table, &Default::default());
        Source { name: name.to_string(), table, schema, alerts }
    }
}

/// Lane order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LaneOrder {
    /// By each lane's first event (the story's order).
    #[default]
    First,
    /// Most events first.
    Count,
    /// By label.
    Name,
}

/// How values are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValueKind {
    /// Vertical bars from zero.
    #[default]
    Bars,
    /// A line per series.
    Line,
    /// A point per value.
    Points,
}

/// Timeline options (the payload's `options`).
#[derive(Debug, Clone, Default)]
pub struct TimelineOptions {
    /// The time column (default: the detected time role).
    pub time_column: Option<String>,
    /// One lane per value of this column (`"dataset"` for one per dataset).
    pub group_by: Option<String>,
    /// Colour (and legend series) by this column.
    pub color_by: Option<String>,
    /// End times: events become spans.
    pub end_column: Option<String>,
    /// Plot this number over time.
    pub value_column: Option<String>,
    /// How values are drawn.
    pub kind: ValueKind,
    /// Columns shown in the hover tooltip.
    pub tooltip: Vec<String>,
    /// Labelled reference times.
    pub ref_times: Vec<(i64, String)>,
    /// Lane order.
    pub lane_order: LaneOrder,
}

fn text_list(v: &serde_json::Value) -> Option<Vec<String>> {
    match v {
        serde_json::Value::String(s) => Some(vec![s.clone()]),
        serde_json::Value::Array(items) => items.iter().map(|i| i.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

fn ref_time(v: &serde_json::Value) -> Option<(i64, String)> {
    let (time, label) = match v {
        serde_json::Value::String(s) => (s.as_str(), ""),
        serde_json::Value::Array(a) => (a.first()?.as_str()?, a.get(1).and_then(|l| l.as_str()).unwrap_or("")),
        serde_json::Value::Object(o) => {
            (o.get("time")?.as_str()?, o.get("label").and_then(|l| l.as_str()).unwrap_or(""))
        }
        _ => return None,
    };
    Some((parse_datetime(time.as_bytes())?.ticks, label.to_string()))
}

impl TimelineOptions {
    /// The keys this view reads.
    pub const KEYS: [&'static str; 9] = [
        "time_column",
        "group_by",
        "color_by",
        "end_column",
        "value_column",
        "kind",
        "tooltip",
        "ref_times",
        "lane_order",
    ];

    /// Reads the timeline keys of `options`; a value of the wrong shape is a note.
    pub fn from_json(
        options: &serde_json::Map<String, serde_json::Value>,
        notes: &mut Vec<Warning>,
    ) -> TimelineOptions {
        let mut o = TimelineOptions::default();
        let name = |key: &str, notes: &mut Vec<Warning>| match options.get(key) {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(_) => {
                notes.push(Warning::new(WarningKind::Option, format!("options.{key} must be a column name")));
                None
            }
        };
        o.time_column = name("time_column", notes);
        o.group_by = name("group_by", notes);
        o.end_column = name("end_column", notes);
        o.value_column = name("value_column", notes);
        // `color_by` is shared with the process tree, which reads it too.
        o.color_by = options.get("color_by").and_then(|v| v.as_str()).map(str::to_string);
        match options.get("kind").map(|v| v.as_str()) {
            None => {}
            Some(Some("bars" | "vbar" | "bar")) => o.kind = ValueKind::Bars,
            Some(Some("line")) => o.kind = ValueKind::Line,
            Some(Some("points" | "circle" | "point")) => o.kind = ValueKind::Points,
            Some(_) => {
                notes.push(Warning::new(WarningKind::Option, "options.kind must be \"bars\", \"line\" or \"points\""))
            }
        }
        if let Some(v) = options.get("tooltip") {
            match text_list(v) {
                Some(cols) => o.tooltip = cols,
                None => notes
                    .push(Warning::new(WarningKind::Option, "options.tooltip must be a column name or a list of them")),
            }
        }
        if let Some(v) = options.get("ref_times") {
            let items: Vec<serde_json::Value> = match v {
                serde_json::Value::Array(a) => a.clone(),
                other => vec![other.clone()],
            };
            for item in &items {
                match ref_time(item) {
                    Some(r) => o.ref_times.push(r),
                    None => notes.push(Warning::new(
                        WarningKind::Option,
                        "options.ref_times entries must be {\"time\": ISO 8601, \"label\": text} or [time, label]",
                    )),
                }
            }
        }
        match options.get("lane_order").map(|v| v.as_str()) {
            None => {}
            Some(Some("first")) => o.lane_order = LaneOrder::First,
            Some(Some("count")) => o.lane_order = LaneOrder::Count,
            Some(Some("name")) => o.lane_order = LaneOrder::Name,
            Some(_) => notes
                .push(Warning::new(WarningKind::Option, "options.lane_order must be \"first\", \"count\" or \"name\"")),
        }
        o
    }
}

/// A lane.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Its label (visible text).
    pub label: String,
    /// Events in it.
    pub count: usize,
    /// Its first event.
    pub first: i64,
}

/// A colour series (a legend entry).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its label (visible text).
    pub label: String,
    /// Its colour.
    pub color: Color,
    /// Events in it.
    pub count: usize,
}

/// The events of one series in one lane: `start..end` of the sorted arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    /// Lane index.
    pub lane: u32,
    /// Series index.
    pub series: u16,
    /// First event.
    pub start: u32,
    /// One past the last event.
    pub end: u32,
    /// Longest duration in it (0 without durations).
    pub max_duration: i64,
}

/// A labelled vertical line.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// When.
    pub at: i64,
    /// Label (visible text).
    pub label: String,
}

/// What the events are drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Points in lanes.
    Events,
    /// Spans from start to end.
    Durations,
    /// Numbers over time.
    Values(ValueKind),
}

/// A column choice that may be the dataset name instead of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    None,
    Dataset,
    Column(String),
}

impl Key {
    fn label(&self) -> Option<String> {
        match self {
            Key::None => None,
            Key::Dataset => Some("dataset".to_string()),
            Key::Column(c) => Some(c.clone()),
        }
    }
}

/// Every event of every source, sorted by (lane, series, time).
#[derive(Debug, Clone)]
pub struct Model {
    /// The results.
    pub sources: Vec<Source>,
    /// Points, spans or values.
    pub mode: Mode,
    /// Lanes, in display order.
    pub lanes: Vec<Lane>,
    /// Colour series (legend), most events first, "other" last.
    pub series: Vec<Series>,
    /// Non-empty (lane, series) groups in lane order.
    pub groups: Vec<Group>,
    /// `groups[lane_groups[l].0..lane_groups[l].1]` are lane `l`'s.
    pub lane_groups: Vec<(u32, u32)>,
    /// Start times.
    pub time: Vec<i64>,
    /// End times (durations mode; equal to the start for points).
    pub end: Vec<i64>,
    /// Values (values mode).
    pub value: Vec<f64>,
    /// Source row of each event.
    pub row: Vec<u32>,
    /// Source index of each event (empty with one source).
    pub src: Vec<u16>,
    /// First start and last end.
    pub extent: (i64, i64),
    /// Reference lines, in time order.
    pub markers: Vec<Marker>,
    /// What the user must know (rows not drawn, lanes merged).
    pub warnings: Vec<Warning>,
    /// The lane column's name (`dataset` for datasets), if any.
    pub group_by: Option<String>,
    /// The colour column's name, if any.
    pub color_by: Option<String>,
    /// The time column of the first source.
    pub time_column: String,
    /// The end column, in durations mode.
    pub end_column: Option<String>,
    /// The value column, in values mode.
    pub value_column: Option<String>,
    /// Tooltip columns.
    pub tooltip: Vec<String>,
}

fn datetime_column(table: &Table, name: &str) -> Option<usize> {
    table.column_index(name).filter(|&c| table.column(c).is_some_and(|c| c.ty == ColumnType::DateTime))
}

/// Distinct values of a column, counted up to `cap` (`cap` means "at least").
fn distinct(table: &Table, col: usize, cap: usize) -> usize {
    match table.column(col).map(|c| &c.data) {
        Some(ColumnData::Str(StrColumn::Dict { dict, .. })) => dict.len(),
        Some(ColumnData::I64(v, valid)) => {
            let mut seen = std::collections::HashSet::<i64, foldhash::fast::RandomState>::default();
            for (i, x) in v.iter().enumerate() {
                if valid.is_valid(i) {
                    seen.insert(*x);
                    if seen.len() >= cap {
                        break;
                    }
                }
            }
            seen.len()
        }
        Some(ColumnData::Bool(_)) => 2,
        _ => cap,
    }
}

fn find_name(table: &Table, names: &[&str]) -> Vec<String> {
    names.iter().filter_map(|n| table.column_index(n).map(|_| (*n).to_string())).collect()
}

/// The default lane column: host, then event type, then account — the first with a
/// useful number of distinct values.
fn default_group(s: &Source) -> Key {
    let t = &s.table;
    let mut candidates: Vec<String> = Vec::new();
    if let Some(c) = s.schema.column(t, Role::Host) {
        candidates.push(t.columns[c].name.clone());
    }
    candidates.extend(find_name(t, &EVENT_TYPE_NAMES));
    if let Some(c) = s.schema.column(t, Role::User) {
        candidates.push(t.columns[c].name.clone());
    }
    candidates.extend(find_name(t, &["AccountName", "Account", "UserPrincipalName", "Computer", "DeviceName"]));
    let good = candidates.iter().find(|c| t.column_index(c).is_some_and(|i| (2..=500).contains(&distinct(t, i, 501))));
    match good.or(candidates.first()) {
        Some(c) => Key::Column(c.clone()),
        None => Key::None,
    }
}

fn default_color(s: &Source, group: &Key) -> Key {
    let t = &s.table;
    find_name(t, &EVENT_TYPE_NAMES)
        .into_iter()
        .find(|c| {
            Key::Column(c.clone()) != *group
                && t.column_index(c).is_some_and(|i| (2..=50).contains(&distinct(t, i, 51)))
        })
        .map_or(Key::None, Key::Column)
}

/// Sort keys: every ordering in this crate sorts `(i64, i64, u32)` triples, so the
/// sort is compiled once (each distinct sort closure adds kilobytes to the wasm).
pub(crate) type Keys = Vec<(i64, i64, u32)>;

/// The rank of each label in text order (ties broken by index).
pub(crate) fn rank_labels(labels: &[String]) -> Vec<i64> {
    let mut order: Vec<u32> = (0..labels.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| labels[a as usize].cmp(&labels[b as usize]).then(a.cmp(&b)));
    let mut rank = vec![0i64; labels.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as i64;
    }
    rank
}

/// Indices in the order of their keys.
pub(crate) fn sort_by_keys(mut keys: Keys) -> Vec<usize> {
    keys.sort_unstable();
    keys.into_iter().map(|k| k.2 as usize).collect()
}

/// Interns keys of every source's rows: one id per distinct text, `None` for rows
/// without a value (they get the "(empty)" id).
struct Interner {
    ids: HashMap<String, u32>,
    labels: Vec<String>,
}

impl Interner {
    fn new() -> Self {
        Interner { ids: HashMap::new(), labels: Vec::new() }
    }

    fn id(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.ids.get(text) {
            return i;
        }
        let i = self.labels.len() as u32;
        self.ids.insert(text.to_string(), i);
        self.labels.push(text.to_string());
        i
    }

    /// Ids of each row of `s` for `key`.
    fn keys(&mut self, s: &Source, key: &Key, fallback: &str) -> Vec<u32> {
        let rows = s.table.rows();
        match key {
            Key::None => vec![self.id(fallback); rows],
            Key::Dataset => vec![self.id(&s.name); rows],
            Key::Column(c) => match s.table.column_index(c) {
                None => vec![self.id("(no such column)"); rows],
                Some(col) => {
                    let mapped = s.table.map_text(col, |t| self.id(t));
                    let empty = self.id("(empty)");
                    mapped.into_iter().map(|v| v.unwrap_or(empty)).collect()
                }
            },
        }
    }
}

/// Columns worth a lane or a colour each: text columns stored as a dictionary of 2 to
/// 1,000 values, booleans, and whole numbers with 2 to 1,000 values (event ids).
pub fn group_choices(table: &Table) -> Vec<String> {
    table
        .columns
        .iter()
        .enumerate()
        .filter(|(i, c)| match &c.data {
            ColumnData::Str(StrColumn::Dict { dict, .. }) => (2..=1000).contains(&dict.len()),
            ColumnData::Bool(_) => true,
            ColumnData::I64(..) if matches!(c.ty, ColumnType::Int | ColumnType::Long) => {
                (2..=1000).contains(&distinct(table, *i, 1001))
            }
            _ => false,
        })
        .map(|(_, c)| c.name.clone())
        .collect()
}

fn numeric(table: &Table, col: usize, row: usize) -> Option<f64> {
    let c = table.column(col)?;
    match &c.data {
        ColumnData::I64(v, valid) if !matches!(c.ty, ColumnType::DateTime) => {
            valid.is_valid(row).then(|| v.get(row).map(|&x| x as f64)).flatten()
        }
        ColumnData::F64(v, valid) => {
            valid.is_valid(row).then(|| v.get(row).copied()).flatten().filter(|x| x.is_finite())
        }
        ColumnData::Bool(v) => v.get(row).filter(|&&b| b < 2).map(|&b| f64::from(b)),
        _ => None,
    }
}

/// Applies a Kusto / Log Analytics `timechart` hint: values of the first numeric y
/// column per series. Explicit options win.
pub fn apply_hint(options: &mut TimelineOptions, hint: Option<&VisualizationHint>, table: &Table) {
    let Some(h) = hint.filter(|h| h.visualization.eq_ignore_ascii_case("timechart")) else { return };
    if options.value_column.is_none() {
        let is_number = |c: &huntviz_table::Column| {
            matches!(c.ty, ColumnType::Int | ColumnType::Long | ColumnType::Real | ColumnType::Decimal)
        };
        options.value_column = h
            .y_columns
            .iter()
            .find(|y| table.column_index(y).and_then(|i| table.column(i)).is_some_and(is_number))
            .cloned()
            .or_else(|| table.columns.iter().find(|c| is_number(c)).map(|c| c.name.clone()));
        if options.kind == ValueKind::Bars {
            options.kind = ValueKind::Line;
        }
    }
    if options.time_column.is_none() {
        options.time_column = h.x_column.clone().filter(|x| datetime_column(table, x).is_some());
    }
    if options.group_by.is_none() && options.color_by.is_none() {
        options.group_by = h.series.first().cloned().or_else(|| {
            table
                .columns
                .iter()
                .find(|c| matches!(c.data, ColumnData::Str(_)) && c.ty == ColumnType::String)
                .map(|c| c.name.clone())
        });
    }
}

/// Builds the events of `sources` (the first is the primary result).
pub fn build(sources: Vec<Source>, options: &TimelineOptions) -> Result<Model, ViewError> {
    let primary = sources.first().ok_or_else(|| ViewError("no result to show".into()))?;
    let mut warnings = Vec::new();
    // Time (and end) column of each source.
    let mut end_column = options.end_column.clone();
    let time_of = |s: &Source, end: &Option<String>| -> Option<(usize, Option<usize>)> {
        let t = &s.table;
        if let Some(name) = &options.time_column {
            let c = datetime_column(t, name)?;
            return Some((c, end.as_deref().and_then(|e| datetime_column(t, e))));
        }
        if end.is_none() {
            for (a, b) in DURATION_PAIRS {
                if let (Some(x), Some(y)) = (datetime_column(t, a), datetime_column(t, b)) {
                    return Some((x, Some(y)));
                }
            }
        }
        let c =
            s.schema.column(t, Role::Time).filter(|&c| t.column(c).is_some_and(|c| c.ty == ColumnType::DateTime))?;
        Some((c, end.as_deref().and_then(|e| datetime_column(t, e))))
    };
    let Some((primary_time, primary_end)) = time_of(primary, &end_column) else {
        return Err(ViewError(match &options.time_column {
            Some(c) => format!("options.time_column \"{}\" is not a datetime column of the result", visible(c, 60).0),
            None => "the result has no datetime column".to_string(),
        }));
    };
    if let Some(e) = &options.end_column {
        if primary_end.is_none() {
            return Err(ViewError(format!("options.end_column \"{}\" is not a datetime column", visible(e, 60).0)));
        }
    }
    let time_column = primary.table.columns[primary_time].name.clone();
    if end_column.is_none() {
        end_column = primary_end.map(|c| primary.table.columns[c].name.clone());
    }
    let mode = if options.value_column.is_some() {
        Mode::Values(options.kind)
    } else if end_column.is_some() {
        Mode::Durations
    } else {
        Mode::Events
    };
    let event_sources: Vec<usize> = (0..sources.len()).filter(|&i| !sources[i].alerts).collect();
    let several = event_sources.len() > 1;
    let key_of = |opt: &Option<String>| match opt.as_deref() {
        Some("dataset") => Some(Key::Dataset),
        Some(c) => Some(Key::Column(c.to_string())),
        None => None,
    };
    let (mut group, mut color) = (key_of(&options.group_by), key_of(&options.color_by));
    if let Mode::Values(_) = mode {
        // One plot; series are the groups (MSTICPy's values timeline).
        color = color.or(group.take()).or(if several { Some(Key::Dataset) } else { None });
        group = Some(Key::None);
    }
    let group = group.unwrap_or_else(|| if several { Key::Dataset } else { default_group(primary) });
    let color = color.unwrap_or_else(|| {
        if several && group != Key::Dataset {
            Key::Dataset
        } else {
            default_color(primary, &group)
        }
    });
    for key in [&group, &color] {
        if let Key::Column(c) = key {
            if !event_sources.iter().any(|&i| sources[i].table.column_index(c).is_some()) {
                return Err(ViewError(format!("the result has no column \"{}\"", visible(c, 60).0)));
            }
        }
    }
    let value_of = |s: &Source| options.value_column.as_deref().and_then(|v| s.table.column_index(v));
    if let Some(v) = &options.value_column {
        if value_of(primary).is_none_or(|c| numeric_column(&primary.table, c).is_none()) {
            return Err(ViewError(format!("options.value_column \"{}\" is not a numeric column", visible(v, 60).0)));
        }
    }

    // Keys of every row.
    let mut lane_ids = Interner::new();
    let mut color_ids = Interner::new();
    struct Rows {
        src: usize,
        time: usize,
        end: Option<usize>,
        value: Option<usize>,
        lane: Vec<u32>,
        color: Vec<u32>,
    }
    let mut per_source = Vec::new();
    for &i in &event_sources {
        let s = &sources[i];
        let Some((time, end)) = time_of(s, &end_column) else {
            warnings.push(Warning::new(
                WarningKind::Data,
                format!("{} has no datetime column and is not on the timeline", visible(&s.name, 60).0),
            ));
            continue;
        };
        let lane = lane_ids.keys(s, &group, "events");
        let color = color_ids.keys(s, &color, "events");
        per_source.push(Rows { src: i, time, end, value: value_of(s), lane, color });
    }

    // Lane statistics over the rows that have a time.
    let time_at = |s: &Source, col: usize, row: usize| s.table.column(col).and_then(|c| c.i64_value(row));
    let mut lane_count = vec![0usize; lane_ids.labels.len()];
    let mut lane_first = vec![i64::MAX; lane_ids.labels.len()];
    let mut color_count = vec![0usize; color_ids.labels.len()];
    let (mut no_time, mut no_value) = (0usize, 0usize);
    let mut keep: Vec<Vec<bool>> = Vec::new();
    for r in &per_source {
        let s = &sources[r.src];
        let mut k = vec![false; s.table.rows()];
        for (row, kept) in k.iter_mut().enumerate() {
            let Some(t) = time_at(s, r.time, row) else {
                no_time += 1;
                continue;
            };
            if let Some(v) = r.value {
                if numeric(&s.table, v, row).is_none() {
                    no_value += 1;
                    continue;
                }
            } else if options.value_column.is_some() {
                no_value += 1;
                continue;
            }
            *kept = true;
            let l = r.lane[row] as usize;
            lane_count[l] += 1;
            lane_first[l] = lane_first[l].min(t);
            color_count[r.color[row] as usize] += 1;
        }
        keep.push(k);
    }
    if no_time > 0 {
        warnings.push(Warning::new(
            WarningKind::Data,
            format!("{} rows have no {} and are not drawn", thousands(no_time), visible(&time_column, 60).0),
        ));
    }
    if no_value > 0 {
        let v = options.value_column.as_deref().unwrap_or_default();
        warnings.push(Warning::new(
            WarningKind::Data,
            format!("{} rows have no numeric {} and are not drawn", thousands(no_value), visible(v, 60).0),
        ));
    }

    // Lane order, and the cap.
    let lane_rank = rank_labels(&lane_ids.labels);
    let mut order = sort_by_keys(
        (0..lane_ids.labels.len())
            .filter(|&l| lane_count[l] > 0)
            .map(|l| match options.lane_order {
                LaneOrder::First => (lane_first[l], lane_rank[l], l as u32),
                LaneOrder::Count => (-(lane_count[l] as i64), lane_rank[l], l as u32),
                LaneOrder::Name => (lane_rank[l], 0, l as u32),
            })
            .collect(),
    );
    let mut lane_of = vec![u32::MAX; lane_ids.labels.len()];
    let mut lanes: Vec<Lane> = Vec::new();
    if order.len() > MAX_LANES {
        // Keep the busiest lanes in the chosen order; the rest share one lane.
        let by_count = sort_by_keys(order.iter().map(|&l| (-(lane_count[l] as i64), lane_rank[l], l as u32)).collect());
        let kept: std::collections::HashSet<usize> = by_count.iter().take(MAX_LANES - 1).copied().collect();
        let rest: Vec<usize> = order.iter().copied().filter(|l| !kept.contains(l)).collect();
        order.retain(|l| kept.contains(l));
        warnings.push(Warning::new(
            WarningKind::Data,
            format!(
                "{} values of {} share the last lane (a timeline shows at most {} lanes)",
                thousands(rest.len()),
                group.label().unwrap_or_default(),
                thousands(MAX_LANES)
            ),
        ));
        let other = MAX_LANES as u32 - 1;
        let mut lane = Lane { label: format!("({} other values)", thousands(rest.len())), count: 0, first: i64::MAX };
        for l in rest {
            lane_of[l] = other;
            lane.count += lane_count[l];
            lane.first = lane.first.min(lane_first[l]);
        }
        for (i, &l) in order.iter().enumerate() {
            lane_of[l] = i as u32;
        }
        lanes.extend(order.iter().map(|&l| Lane {
            label: visible(&lane_ids.labels[l], 80).0,
            count: lane_count[l],
            first: lane_first[l],
        }));
        lanes.push(lane);
    } else {
        for (i, &l) in order.iter().enumerate() {
            lane_of[l] = i as u32;
        }
        lanes.extend(order.iter().map(|&l| Lane {
            label: visible(&lane_ids.labels[l], 80).0,
            count: lane_count[l],
            first: lane_first[l],
        }));
    }

    // Series: the nine most common colour values, then "other".
    let color_rank = rank_labels(&color_ids.labels);
    let ranked = sort_by_keys(
        (0..color_ids.labels.len())
            .filter(|&c| color_count[c] > 0)
            .map(|c| (-(color_count[c] as i64), color_rank[c], c as u32))
            .collect(),
    );
    let kept = if ranked.len() <= PALETTE.len() { ranked.len() } else { PALETTE.len() - 1 };
    let mut series_of = vec![kept as u16; color_ids.labels.len()];
    let mut series: Vec<Series> = Vec::new();
    for (i, &c) in ranked.iter().take(kept).enumerate() {
        series_of[c] = i as u16;
        series.push(Series {
            label: visible(&color_ids.labels[c], 60).0,
            color: PALETTE[i % PALETTE.len()],
            count: color_count[c],
        });
    }
    if ranked.len() > kept {
        let rest: usize = ranked.iter().skip(kept).map(|&c| color_count[c]).sum();
        series.push(Series { label: "other".into(), color: OTHER, count: rest });
    }

    // Counting sort by group id, then each group by time.
    let nseries = series.len().max(1);
    let gid = |lane: u32, s: u16| lane as usize * nseries + s as usize;
    let ngroups = lanes.len() * nseries;
    let mut counts = vec![0u32; ngroups + 1];
    for (r, k) in per_source.iter().zip(&keep) {
        for (row, _) in k.iter().enumerate().filter(|(_, &k)| k) {
            counts[gid(lane_of[r.lane[row] as usize], series_of[r.color[row] as usize]) + 1] += 1;
        }
    }
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
    let total = counts[ngroups] as usize;
    let mut next = counts.clone();
    let durations = mode == Mode::Durations;
    let values = matches!(mode, Mode::Values(_));
    let mut time = vec![0i64; total];
    let mut end = if durations { vec![0i64; total] } else { Vec::new() };
    let mut value = if values { vec![0f64; total] } else { Vec::new() };
    let mut row_of = vec![0u32; total];
    let mut src = if per_source.len() > 1 { vec![0u16; total] } else { Vec::new() };
    let mut end_before_start = 0usize;
    for (r, k) in per_source.iter().zip(&keep) {
        let s = &sources[r.src];
        for (row, _) in k.iter().enumerate().filter(|(_, &k)| k) {
            let g = gid(lane_of[r.lane[row] as usize], series_of[r.color[row] as usize]);
            let at = next[g] as usize;
            next[g] += 1;
            let t = time_at(s, r.time, row).unwrap_or_default();
            time[at] = t;
            if durations {
                let e = r.end.and_then(|c| time_at(s, c, row)).unwrap_or(t);
                if e < t {
                    end_before_start += 1;
                }
                end[at] = e.max(t);
            }
            if values {
                value[at] = r.value.and_then(|c| numeric(&s.table, c, row)).unwrap_or_default();
            }
            row_of[at] = row as u32;
            if let Some(x) = src.get_mut(at) {
                *x = r.src as u16;
            }
        }
    }
    if end_before_start > 0 {
        warnings.push(Warning::new(
            WarningKind::Data,
            format!("{} events end before they start and are drawn as points", thousands(end_before_start)),
        ));
    }
    let mut groups = Vec::new();
    let mut lane_groups = vec![(0u32, 0u32); lanes.len()];
    let mut keys: Keys = Vec::new();
    for g in 0..ngroups {
        let (a, b) = (counts[g] as usize, counts[g + 1] as usize);
        if a == b {
            continue;
        }
        let sorted = time[a..b].windows(2).all(|w| w[0] <= w[1]);
        if !sorted {
            // By time, equal times in input order.
            keys.clear();
            keys.extend((a..b).map(|i| (time[i], i as i64, i as u32)));
            let perm = sort_by_keys(std::mem::take(&mut keys));
            let take = |v: &mut Vec<i64>| {
                if !v.is_empty() {
                    let c: Vec<i64> = perm.iter().map(|&p| v[p]).collect();
                    v[a..b].copy_from_slice(&c);
                }
            };
            take(&mut time);
            take(&mut end);
            if !value.is_empty() {
                let c: Vec<f64> = perm.iter().map(|&p| value[p]).collect();
                value[a..b].copy_from_slice(&c);
            }
            let c: Vec<u32> = perm.iter().map(|&p| row_of[p]).collect();
            row_of[a..b].copy_from_slice(&c);
            if !src.is_empty() {
                let c: Vec<u16> = perm.iter().map(|&p| src[p]).collect();
                src[a..b].copy_from_slice(&c);
            }
        }
        let lane = (g / nseries) as u32;
        let max_duration =
            if durations { (a..b).map(|i| end[i].saturating_sub(time[i])).max().unwrap_or(0) } else { 0 };
        let entry = &mut lane_groups[lane as usize];
        if entry.0 == entry.1 {
            *entry = (groups.len() as u32, groups.len() as u32);
        }
        groups.push(Group { lane, series: (g % nseries) as u16, start: a as u32, end: b as u32, max_duration });
        entry.1 = groups.len() as u32;
    }
    let first = groups.iter().filter_map(|g| time.get(g.start as usize)).min().copied();
    let last = groups
        .iter()
        .filter_map(|g| {
            if durations {
                end[g.start as usize..g.end as usize].iter().max()
            } else {
                time.get(g.end as usize - 1)
            }
        })
        .max()
        .copied();

    // Markers: ref_times, then alert rows.
    let mut markers: Vec<Marker> =
        options.ref_times.iter().map(|(at, l)| Marker { at: *at, label: visible(l, 60).0 }).collect();
    for s in sources.iter().filter(|s| s.alerts) {
        let t = &s.table;
        let time = ["StartTimeUtc", "StartTime", "TimeGenerated"]
            .iter()
            .find_map(|n| datetime_column(t, n))
            .or_else(|| s.schema.column(t, Role::Time));
        let Some(time) = time else {
            warnings.push(Warning::new(
                WarningKind::Data,
                format!("alerts {} have no time column", visible(&s.name, 60).0),
            ));
            continue;
        };
        let label =
            ["AlertName", "DisplayName", "AlertDisplayName", "Title", "Name"].iter().find_map(|n| t.column_index(n));
        for row in 0..t.rows() {
            if let Some(at) = t.column(time).and_then(|c| c.i64_value(row)) {
                let text = label.and_then(|c| t.cell_text(row, c)).unwrap_or_else(|| s.name.clone());
                markers.push(Marker { at, label: visible(&text, 60).0 });
            }
        }
    }
    let labels: Vec<String> = markers.iter().map(|m| m.label.clone()).collect();
    let rank = rank_labels(&labels);
    let order = sort_by_keys(markers.iter().enumerate().map(|(i, m)| (m.at, rank[i], i as u32)).collect());
    let mut slots: Vec<Option<Marker>> = markers.into_iter().map(Some).collect();
    let mut markers: Vec<Marker> = order.into_iter().filter_map(|i| slots[i].take()).collect();
    if markers.len() > MAX_MARKERS {
        warnings.push(Warning::new(
            WarningKind::Data,
            format!("{} reference times are not drawn (at most {MAX_MARKERS})", thousands(markers.len() - MAX_MARKERS)),
        ));
        markers.truncate(MAX_MARKERS);
    }
    let (lo, hi) = match (first, last) {
        (Some(a), Some(b)) => (a, b),
        _ => match (markers.first(), markers.last()) {
            (Some(a), Some(b)) => (a.at, b.at),
            _ => return Err(ViewError(format!("no row has a {}", visible(&time_column, 60).0))),
        },
    };
    let tooltip = if options.tooltip.is_empty() {
        default_tooltip(primary, &group, &color)
    } else {
        for c in &options.tooltip {
            if primary.table.column_index(c).is_none() {
                warnings.push(Warning::new(
                    WarningKind::Data,
                    format!("options.tooltip: the result has no column \"{}\"", visible(c, 60).0),
                ));
            }
        }
        options.tooltip.clone()
    };
    Ok(Model {
        mode,
        lanes,
        series,
        groups,
        lane_groups,
        time,
        end,
        value,
        row: row_of,
        src,
        extent: (lo, hi),
        markers,
        warnings,
        group_by: match mode {
            Mode::Values(_) => None,
            _ => group.label(),
        },
        color_by: color.label(),
        time_column,
        end_column: if durations { end_column } else { None },
        value_column: options.value_column.clone(),
        tooltip,
        sources,
    })
}

fn numeric_column(table: &Table, col: usize) -> Option<()> {
    let c = table.column(col)?;
    matches!(c.ty, ColumnType::Int | ColumnType::Long | ColumnType::Real | ColumnType::Bool).then_some(())
}

/// MSTICPy's default hover columns when present, then the process name, command line
/// and account roles.
fn default_tooltip(s: &Source, group: &Key, color: &Key) -> Vec<String> {
    let t = &s.table;
    let mut cols: Vec<String> = Vec::new();
    let mut add = |c: String| {
        if !cols.contains(&c) && cols.len() < 8 {
            cols.push(c);
        }
    };
    for k in [group, color] {
        if let Key::Column(c) = k {
            add(c.clone());
        }
    }
    for n in ["NewProcessName", "EventID"] {
        if t.column_index(n).is_some() {
            add(n.to_string());
        }
    }
    for role in [Role::ProcessName, Role::CommandLine, Role::User] {
        if let Some(c) = s.schema.column(t, role) {
            add(t.columns[c].name.clone());
        }
    }
    for n in ["CommandLine", "Account", "IpAddress", "Activity", "Description"] {
        if t.column_index(n).is_some() {
            add(n.to_string());
        }
    }
    cols
}

impl Model {
    /// Number of events on the axis.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Whether no event is on the axis.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// The source and row of an event.
    pub fn source_row(&self, event: usize) -> Option<(&Source, usize)> {
        let s = self.src.get(event).map_or(0, |&s| s as usize);
        Some((self.sources.get(s)?, *self.row.get(event)? as usize))
    }

    /// The events `keep` marks (by event), lanes left without one left out, with the
    /// index here of each event kept (ascending). The order stays, so nothing is sorted
    /// again: one pass over the events. The rest of the model (sources, extent, markers)
    /// is not copied: [`Model::swap_events`] puts the events in place of these.
    pub fn subset(&self, keep: &[bool]) -> (Events, Vec<u32>) {
        let kept = |e: usize| keep.get(e).copied().unwrap_or(false);
        let durations = !self.end.is_empty();
        let mut index: Vec<u32> = Vec::new();
        let (mut lanes, mut groups, mut lane_groups) = (Vec::new(), Vec::new(), Vec::new());
        let mut series: Vec<Series> = self.series.iter().map(|s| Series { count: 0, ..s.clone() }).collect();
        for (lane, &(ga, gb)) in self.lanes.iter().zip(&self.lane_groups) {
            let first_group = groups.len();
            let mut first = i64::MAX;
            for g in self.groups.get(ga as usize..gb as usize).unwrap_or_default() {
                let start = index.len();
                let mut max_duration = 0i64;
                for e in (g.start as usize..g.end as usize).filter(|&e| kept(e)) {
                    index.push(e as u32);
                    first = first.min(self.time[e]);
                    if durations {
                        max_duration = max_duration.max(self.end[e].saturating_sub(self.time[e]));
                    }
                }
                if index.len() > start {
                    if let Some(s) = series.get_mut(g.series as usize) {
                        s.count += index.len() - start;
                    }
                    let (start, end) = (start as u32, index.len() as u32);
                    let lane = lanes.len() as u32;
                    groups.push(Group { lane, series: g.series, start, end, max_duration });
                }
            }
            if groups.len() > first_group {
                let count = groups[first_group..].iter().map(|g| (g.end - g.start) as usize).sum();
                lane_groups.push((first_group as u32, groups.len() as u32));
                lanes.push(Lane { label: lane.label.clone(), count, first });
            }
        }
        fn pick<T: Copy>(v: &[T], index: &[u32]) -> Vec<T> {
            if v.is_empty() {
                Vec::new()
            } else {
                index.iter().map(|&e| v[e as usize]).collect()
            }
        }
        let events = Events {
            lanes,
            series,
            groups,
            lane_groups,
            time: pick(&self.time, &index),
            end: pick(&self.end, &index),
            value: pick(&self.value, &index),
            row: pick(&self.row, &index),
            src: pick(&self.src, &index),
        };
        (events, index)
    }

    /// Puts `events` in place of this model's (and this model's in `events`).
    pub fn swap_events(&mut self, events: &mut Events) {
        std::mem::swap(&mut self.lanes, &mut events.lanes);
        std::mem::swap(&mut self.series, &mut events.series);
        std::mem::swap(&mut self.groups, &mut events.groups);
        std::mem::swap(&mut self.lane_groups, &mut events.lane_groups);
        std::mem::swap(&mut self.time, &mut events.time);
        std::mem::swap(&mut self.end, &mut events.end);
        std::mem::swap(&mut self.value, &mut events.value);
        std::mem::swap(&mut self.row, &mut events.row);
        std::mem::swap(&mut self.src, &mut events.src);
    }
}

/// A model's events, lanes and series (what "matches only" keeps a part of).
#[derive(Debug, Clone, Default)]
pub struct Events {
    /// Lanes, in display order.
    pub lanes: Vec<Lane>,
    /// Colour series.
    pub series: Vec<Series>,
    /// Non-empty (lane, series) groups in lane order.
    pub groups: Vec<Group>,
    /// Each lane's groups.
    pub lane_groups: Vec<(u32, u32)>,
    /// Start times.
    pub time: Vec<i64>,
    /// End times.
    pub end: Vec<i64>,
    /// Values.
    pub value: Vec<f64>,
    /// Source rows.
    pub row: Vec<u32>,
    /// Sources.
    pub src: Vec<u16>,
}
