// Generated from the Rust types by crates/session/tests/types.rs: do not edit.
// HUNTVIZ_BLESS=1 cargo test -p huntviz-session --test types writes it again.

/**
 * What the host should do after an event.
 */
export type Response = { 
/**
 * Draw again.
 */
redraw: boolean, 
/**
 * The content size changed.
 */
resized: boolean, 
/**
 * Scroll so this content point is visible.
 */
scroll_to: [number, number] | null, 
/**
 * CSS cursor.
 */
cursor: string, 
/**
 * The selection changed.
 */
selection: boolean, 
/**
 * A drag began: the host keeps the pointer (pointer capture) until it is released,
 * so the drag follows it outside the view.
 */
capture: boolean, };

/**
 * What a reader changed in a view that a new rendering of the same output keeps
 * ([`View::memory`]): folds by result row (inferred processes by host and PID, hosts
 * by name) and a moved camera (`[x, y, scale]`; empty: fitted).
 */
export type Memory = { 
/**
 * Rows of processes shown open.
 */
open: Array<number>, 
/**
 * Rows of processes shown shut.
 */
shut: Array<number>, 
/**
 * Inferred processes shown open, as `host\u{1f}pid`.
 */
open_inferred: Array<string>, 
/**
 * Inferred processes shown shut.
 */
shut_inferred: Array<string>, 
/**
 * Hosts shown shut.
 */
hosts_shut: Array<string>, 
/**
 * A graph's camera once moved: offset x, y and scale.
 */
camera: Array<number>, };

/**
 * A tooltip: visible text anchored at a viewport point.
 */
export type Tooltip = { 
/**
 * Visible text.
 */
text: string, 
/**
 * Anchor x (viewport px).
 */
x: number, 
/**
 * Anchor y (viewport px).
 */
y: number, };

/**
 * A legend entry that can hide and show what it stands for.
 */
export type LegendItem = { 
/**
 * Label (visible text).
 */
label: string, 
/**
 * `#rrggbb`.
 */
color: string, 
/**
 * How many it stands for.
 */
count: number, 
/**
 * Hidden by the user.
 */
hidden: boolean, };

/**
 * The visible part as text: a table mirrored for screen readers and tests.
 */
export type VisibleText = { 
/**
 * Column titles.
 */
columns: Array<string>, 
/**
 * 1-based index of the first column listed.
 */
first_col: number, 
/**
 * Left edge and width of each column (viewport px).
 */
geometry: Array<[number, number]>, 
/**
 * The visible rows.
 */
rows: Array<VisibleRow>, };

/**
 * One row of [`VisibleText`].
 */
export type VisibleRow = { 
/**
 * 1-based position.
 */
position: number, 
/**
 * The thing's index + 1.
 */
row: number, 
/**
 * Top edge, or centre for a point (viewport px).
 */
top: number, 
/**
 * x of its mark (first event in view, node centre), when it has one.
 */
mark?: number, 
/**
 * Tree level (process-tree hosts are 1); absent outside trees.
 */
level?: number, 
/**
 * Expanded (`Some(true)`), folded (`Some(false)`); absent for leaves and non-trees.
 */
expanded?: boolean, 
/**
 * Left edge of the fold control (viewport px), for rows that have one.
 */
toggle?: number, 
/**
 * Selected (or holding the selection: a timeline lane with a selected event);
 * absent when not.
 */
selected?: boolean, 
/**
 * Cell texts.
 */
cells: Array<string>, };

/**
 * How much a relation (a process's link to its parent) can be trusted, which is how it
 * is drawn.
 */
export type Evidence = "none" | "exact" | "weak" | "inferred";

/**
 * How a detail's item is related to its parent (a process tree's parent link).
 */
export type LinkDetail = { 
/**
 * The kind's id (`pid-time`, …).
 */
kind: string, 
/**
 * Its short label.
 */
label: string, 
/**
 * How it is drawn.
 */
evidence: Evidence, 
/**
 * Why, in a sentence.
 */
explanation: string, };

/**
 * One kind of relation in a view, for its legend (a process tree's parent links).
 */
export type LinkLegendItem = { 
/**
 * The kind's id.
 */
kind: string, 
/**
 * Its label.
 */
label: string, 
/**
 * How it is drawn.
 */
evidence: Evidence, 
/**
 * How many there are.
 */
count: number, };

/**
 * The selected item described for a detail panel: a process, an event, an entity.
 */
export type Detail = { 
/**
 * The item (node id, event index).
 */
item: number, 
/**
 * Its title (visible text).
 */
title: string, 
/**
 * Known only from others (an inferred process).
 */
inferred: boolean, 
/**
 * Every field: (name, visible value); copying asks for the exact value by index.
 */
fields: Array<[string, string]>, 
/**
 * Related items, each selectable: a process's ancestors (root first), an entity's
 * neighbours.
 */
related: Array<[number, string]>, 
/**
 * Children (a process tree's).
 */
children: number, 
/**
 * How it is related to its parent (a process tree's link).
 */
link?: LinkDetail, 
/**
 * Every spelling of its name, when there are several.
 */
names?: Array<string>, };

/**
 * A selected entity of a graph as Python's `View.selected_entities` gets it: what it
 * is, its own properties (exact values), and the result rows it came from.
 */
export type Entity = { 
/**
 * Its type (`account`, `host`, `ip`, …, `alert`, or an edge list column's).
 */
kind: string, 
/**
 * What the view shows for it.
 */
label: string, 
/**
 * Every property: (name, value).
 */
props: Array<[string, string]>, 
/**
 * The result rows it came from, ascending.
 */
rows: Array<number>, };

/**
 * The selected cell of a grid, for its detail bar.
 */
export type CellSelection = { 
/**
 * Source row (0-based).
 */
row: number, 
/**
 * Column name.
 */
column: string, 
/**
 * Column type name.
 */
column_type: string, 
/**
 * The cell is null.
 */
null: boolean, 
/**
 * Visible text, capped (the detail bar shows it).
 */
text: string, 
/**
 * Size of the exact value in bytes.
 */
bytes: number, };

/**
 * What a warning is about: the result's own kinds (from the parser), then what the
 * options and the views noticed.
 */
export type WarningKind = "partial-error" | "truncated" | "bad-value" | "no-offset" | "precision" | "encoding" | "structure" | "option" | "view" | "data";

/**
 * Something the user must know: its kind, one readable sentence, and how many things it
 * is about when it counts them.
 */
export type Warning = { 
/**
 * What it is about.
 */
kind: WarningKind, 
/**
 * One sentence; data values, if quoted, come last.
 */
message: string, 
/**
 * How many things it is about, when it counts them.
 */
count?: number, };

/**
 * A view of a result.
 */
export type ViewKind = "table" | "process-tree" | "timeline" | "graph";

/**
 * A view a result can be shown in, for a view selector.
 */
export type ViewChoice = { 
/**
 * Its name in the MIME contract.
 */
id: ViewKind, 
/**
 * Its title (`Process tree`).
 */
title: string, };

/**
 * The JSON shape of a payload's `options`, for the TypeScript declarations (the
 * options are read key by key by [`Options::from_json`], each view's by its own crate,
 * so that one bad value is a warning, not a failed output). A test checks that its
 * fields are exactly [`Options::keys`].
 */
export type OptionsShape = { 
/**
 * Force a format by name.
 */
format?: string, 
/**
 * The output's height in CSS pixels.
 */
height?: number, 
/**
 * Role → column overrides.
 */
columns?: { [key in string]: string }, 
/**
 * Linked views side by side: their names, or `"investigation"` (all).
 */
panes?: string | Array<string>, 
/**
 * How the panes are laid out, as the reader left them.
 */
layout?: Partial<{ direction: "row" | "column"; sizes: Array<number>; collapsed: Array<boolean> }>, 
/**
 * Process tree and timeline: colour by this column.
 */
color_by?: string, 
/**
 * Process tree: how PIDs are shown.
 */
pid_format?: "hex" | "decimal" | "auto", 
/**
 * Process tree: levels unfolded below the hosts.
 */
expand_depth?: number, 
/**
 * Process tree: values (or `/regex/`) to mark.
 */
highlight?: string | number | Array<string | number>, 
/**
 * Process tree: focus on this PID or process name.
 */
focus?: string | number, 
/**
 * Timeline: the time column.
 */
time_column?: string, 
/**
 * Timeline: one lane per value of this column (`"dataset"`: per dataset).
 */
group_by?: string, 
/**
 * Timeline: end times (events become spans).
 */
end_column?: string, 
/**
 * Timeline: plot this number over time.
 */
value_column?: string, 
/**
 * Timeline: how values are drawn.
 */
kind?: "bars" | "line" | "points", 
/**
 * Timeline: columns in the tooltip.
 */
tooltip?: Array<string>, 
/**
 * Timeline: labelled reference times.
 */
ref_times?: Array<[string, string] | { time: string; label: string }>, 
/**
 * Timeline: lane order.
 */
lane_order?: "first" | "count" | "name", 
/**
 * Graph: the edge list's source column.
 */
source?: string, 
/**
 * Graph: its target column.
 */
target?: string, 
/**
 * Graph: whether links have a direction.
 */
directed?: boolean, 
/**
 * Graph: size nodes by this numeric property (default: degree).
 */
size_by?: string, };

/**
 * What the plugin hands the engine with the result: the view asked for, the payload's
 * options, and what it noticed while reading the output.
 */
export type Spec = { 
/**
 * `auto` (or absent) or a view's name.
 */
view?: string, 
/**
 * The payload's `options` (their shape: [`OptionsShape`]).
 */
options: OptionsShape, 
/**
 * What the plugin noticed (rounded integers, unknown output keys).
 */
notes: Array<string>, };

/**
 * Theme values read from JupyterLab's CSS variables; missing ones keep the defaults.
 */
export type ThemeSpec = { 
/**
 * A dark theme.
 */
dark: boolean, 
/**
 * The background (CSS colours, as the browser computes them).
 */
background?: string, 
/**
 * Text.
 */
foreground?: string, 
/**
 * Secondary text and lines.
 */
muted?: string, 
/**
 * Borders and grid lines.
 */
border?: string, 
/**
 * Column headers.
 */
header_background?: string, 
/**
 * The selected row or item.
 */
selection?: string, 
/**
 * Hover, focus and matches.
 */
accent?: string, 
/**
 * The code font's family.
 */
mono_family?: string, 
/**
 * Its size in CSS pixels.
 */
font_size?: number, 
/**
 * Its character width in CSS pixels (measured).
 */
char_width?: number, };

/**
 * What only one kind of view does: the session's one typed dispatch.
 *
 * As JSON it is internally tagged (`{"command": "zoom", "factor": 0.5}`); it is read
 * through [`CommandFields`], a flat struct (which the browser binding fills from the
 * JavaScript object directly): a fraction of the code serde's buffering of a tagged
 * enum costs the wasm module.
 */
export type Command = { "command": "expand_all" } | { "command": "collapse_all" } | { "command": "expand_to_depth", 
/**
 * Levels.
 */
depth: number, } | { "command": "set_focus", 
/**
 * Focus.
 */
on: boolean, } | { "command": "set_matches_only", 
/**
 * Only matches.
 */
on: boolean, } | { "command": "set_color_by", 
/**
 * The column.
 */
column: string, } | { "command": "zoom", 
/**
 * The factor.
 */
factor: number, } | { "command": "set_time_zone", 
/**
 * Minutes east of UTC.
 */
offset_minutes: number, 
/**
 * The zone's name.
 */
name: string, } | { "command": "set_grouping", 
/**
 * Lanes by.
 */
group_by: string, 
/**
 * Colours by.
 */
color_by: string, 
/**
 * Lane order.
 */
lane_order: string, } | { "command": "fit" } | { "command": "relayout" };

/**
 * What a view's toolbar shows, for the active view.
 */
export type ViewState = { "view": "table" } | { "view": "process-tree", 
/**
 * Focused on a process.
 */
focused: boolean, 
/**
 * Columns worth colouring by.
 */
color_choices: Array<string>, 
/**
 * The column the processes are coloured by (from the options or the toolbar).
 */
color_by: string | null, 
/**
 * The kinds of parent link and their counts.
 */
link_legend: Array<LinkLegendItem>, } | { "view": "timeline", 
/**
 * The visible range as text.
 */
range_text: string, 
/**
 * Its centre in milliseconds since the epoch.
 */
range_center_ms: number, 
/**
 * Lanes by (`""` when chosen automatically).
 */
group_by: string, 
/**
 * Colours by.
 */
color_by: string, 
/**
 * Columns lanes and colours can be by (`dataset` first with datasets).
 */
group_choices: Array<string>, } | { "view": "graph", 
/**
 * Layout iterations so far.
 */
iterations: number, 
/**
 * Whether the layout has settled.
 */
settled: boolean, };
