//! `huntviz`: the native command line over the same crates the notebook view uses.

mod report;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use huntviz_table::schema::{self, SchemaInfo};
use huntviz_table::{parse, Dataset, Format, ParseOptions, Table, TableKind};

#[derive(Parser)]
#[command(name = "huntviz", version = env!("HUNTVIZ_VERSION"), about = "Inspect, export and render security-hunting query results")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Input {
    /// A query result file (Log Analytics, Kusto v1/v2, Defender, pandas JSON, CSV, JSON lines, huntviz columnar).
    file: PathBuf,
    /// Read as this format instead of detecting it (log-analytics, kusto-v1, kusto-v2, pandas-table,
    /// defender-hunting, pandas-split, json-records, json-lines, csv, huntviz-columnar).
    #[arg(long)]
    format: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    Csv,
    Jsonl,
}

#[derive(Subcommand)]
enum Command {
    /// Print the detected format, tables, rows, columns and types, the detected schema
    /// and column roles with their evidence, the render hint and the warnings.
    Inspect {
        #[command(flatten)]
        input: Input,
        /// Set a column role: --column process_id=NewProcessId (repeatable).
        #[arg(long = "column", value_name = "ROLE=COLUMN")]
        columns: Vec<String>,
        /// Print JSON (a stable shape, see docs/cli.md) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the primary table's rows as JSON lines of exact cell texts (null for
    /// null), after a first line with the column names.
    Rows {
        #[command(flatten)]
        input: Input,
        /// Print at most this many rows.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Build the process tree: the forest as JSON (nodes with their parent, depth, host,
    /// row; the summary) or as an indented text tree.
    Tree {
        #[command(flatten)]
        input: Input,
        /// Set a column role: --column parent_id=ProcessId (repeatable).
        #[arg(long = "column", value_name = "ROLE=COLUMN")]
        columns: Vec<String>,
        /// Print JSON.
        #[arg(long, conflicts_with = "text")]
        json: bool,
        /// Print an indented text tree (the default).
        #[arg(long)]
        text: bool,
    },
    /// Draw a view as a standalone SVG (what "Export SVG" gives in the notebook, at the
    /// given size, showing everything).
    /// Write a one-file interactive report: every view of the notebook, with the engine
    /// and the data inside one HTML file that opens offline and fetches nothing (the page
    /// `huntviz.save` writes). One section per FILE.
    Html {
        /// Result files (one section each).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Force a format (as for the other commands).
        #[arg(long)]
        format: Option<String>,
        /// The view of every file: auto, table, process-tree, timeline or graph.
        #[arg(long, default_value = "auto")]
        view: String,
        /// A view option, as the notebook's (repeatable).
        #[arg(long = "option", value_name = "KEY=VALUE")]
        options: Vec<String>,
        /// The report's title.
        #[arg(long, default_value = "huntviz report")]
        title: String,
        /// The HTML file to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    Render {
        #[command(flatten)]
        input: Input,
        /// The view: auto (as the notebook picks), table, process-tree, timeline or graph.
        #[arg(long, default_value = "auto")]
        view: String,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Width in CSS pixels.
        #[arg(long, default_value_t = 1200.0)]
        width: f32,
        /// Height in CSS pixels (default: what the view needs, at most 4000).
        #[arg(long)]
        height: Option<f32>,
        /// A view option as in the notebook: --option group_by=DeviceName,
        /// --option 'ref_times=[["2024-05-06T10:00:00Z","alert"]]' (values are JSON, or text).
        #[arg(long = "option", value_name = "KEY=VALUE")]
        options: Vec<String>,
    },
    /// Write the primary table with exact values as CSV (RFC 4180, spreadsheet formulas
    /// neutralised) or JSON lines.
    Export {
        #[command(flatten)]
        input: Input,
        /// Output format.
        #[arg(long = "to", value_enum)]
        to: ExportFormat,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("huntviz: {}", shown(&message));
            ExitCode::FAILURE
        }
    }
}

/// Text from data as a terminal may show it: control characters (ESC and OSC
/// sequences, BEL), bidi overrides and other invisible characters as `⟨U+XXXX⟩`
/// markers, newlines as `↵` — the rule every view draws text by.
fn shown(text: &str) -> String {
    huntviz_draw::text::visible(text, usize::MAX).0
}

/// JSON for a terminal: what serde_json writes raw but a terminal may obey (DEL and
/// the C1 controls, U+009B being CSI) as `\u` escapes; the JSON means the same.
fn json_for_terminal(json: String) -> String {
    if !json.chars().any(|c| ('\u{7f}'..='\u{9f}').contains(&c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if ('\u{7f}'..='\u{9f}').contains(&c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn load(input: &Input) -> Result<Dataset, String> {
    let bytes = std::fs::read(&input.file).map_err(|e| format!("cannot read {}: {e}", input.file.display()))?;
    let mut options = ParseOptions::default();
    if let Some(f) = &input.format {
        options.format = Some(format_named(f)?);
    }
    parse(bytes, &options).map_err(|e| format!("{}: {e}", input.file.display()))
}

fn primary(d: &Dataset) -> Result<&Table, String> {
    d.primary().ok_or_else(|| "the result holds no table".to_string())
}

fn run(cli: Cli) -> Result<(), String> {
    let stdout = std::io::stdout();
    match cli.command {
        Command::Inspect { input, columns, json } => {
            let dataset = load(&input)?;
            let mut overrides = BTreeMap::new();
            for c in columns {
                let (role, col) =
                    c.split_once('=').ok_or_else(|| format!("--column wants ROLE=COLUMN, got \"{c}\""))?;
                overrides.insert(role.trim().to_string(), col.trim().to_string());
            }
            let info = dataset.primary().map(|t| schema::detect(t, &overrides)).unwrap_or_default();
            let text =
                if json { json_for_terminal(inspect_json(&dataset, &info)) } else { inspect_text(&dataset, &info) };
            stdout.lock().write_all(text.as_bytes()).map_err(|e| e.to_string())
        }
        Command::Tree { input, columns, json, text: _ } => {
            let dataset = load(&input)?;
            let table = primary(&dataset)?;
            let info = schema::detect(table, &overrides(&columns)?);
            let forest = huntviz_process_tree::build(table, &info).map_err(|e| e.to_string())?;
            let out =
                if json { json_for_terminal(tree_json(&info, &forest)) } else { tree_text(table, &info, &forest) };
            stdout.lock().write_all(out.as_bytes()).map_err(|e| e.to_string())
        }
        Command::Html { files, format, view, options, title, output } => {
            html(&files, format, &view, &options, &title, &output)
        }
        Command::Render { input, view, output, width, height, options } => {
            let svg = render(&input, &view, width, height, &options)?;
            match &output {
                Some(p) => std::fs::write(p, svg).map_err(|e| format!("cannot write {}: {e}", p.display())),
                None => stdout.lock().write_all(svg.as_bytes()).map_err(|e| e.to_string()),
            }
        }
        Command::Rows { input, limit } => {
            let dataset = load(&input)?;
            let table = primary(&dataset)?;
            let mut out = std::io::BufWriter::new(stdout.lock());
            let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            writeln!(out, "{}", json_for_terminal(serde_json::to_string(&names).map_err(|e| e.to_string())?))
                .map_err(|e| e.to_string())?;
            for row in 0..table.rows().min(limit.unwrap_or(usize::MAX)) {
                let cells: Vec<Option<String>> = (0..table.columns.len()).map(|c| table.cell_text(row, c)).collect();
                writeln!(out, "{}", json_for_terminal(serde_json::to_string(&cells).map_err(|e| e.to_string())?))
                    .map_err(|e| e.to_string())?;
            }
            out.flush().map_err(|e| e.to_string())
        }
        Command::Export { input, to, output } => {
            let dataset = load(&input)?;
            let table = primary(&dataset)?;
            let write = |w: &mut dyn Write| match to {
                ExportFormat::Csv => huntviz_table::export::write_csv(table, w),
                ExportFormat::Jsonl => huntviz_table::export::write_jsonl(table, w),
            };
            if let Some(p) = &output {
                let mut w = std::io::BufWriter::new(
                    std::fs::File::create(p).map_err(|e| format!("cannot write {}: {e}", p.display()))?,
                );
                return write(&mut w).and_then(|()| w.flush()).map_err(|e| e.to_string());
            }
            use std::io::IsTerminal as _;
            if to == ExportFormat::Csv && stdout.is_terminal() {
                // Exact bytes are for files and pipes; a terminal would obey an ESC or
                // OSC sequence in a cell. Controls other than the CSV's own line breaks
                // are shown as markers.
                let mut buf = Vec::new();
                write(&mut buf).map_err(|e| e.to_string())?;
                let text = String::from_utf8_lossy(&buf);
                let safe: String = text
                    .split("\r\n")
                    .map(|line| huntviz_draw::text::visible(line, usize::MAX).0)
                    .collect::<Vec<_>>()
                    .join("\r\n");
                eprintln!("huntviz: control characters are shown as ⟨U+XXXX⟩ markers on a terminal; use -o FILE for exact bytes");
                return stdout.lock().write_all(safe.as_bytes()).map_err(|e| e.to_string());
            }
            let mut w = std::io::BufWriter::new(stdout.lock());
            write(&mut w).and_then(|()| w.flush()).map_err(|e| e.to_string())
        }
    }
}

/// The notebook's view options from `--option KEY=VALUE` (a value is JSON when it parses
/// as JSON, text otherwise), with `--format` as the `format` option.
fn view_options(input: &Input, options: &[String]) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let mut opts = serde_json::Map::new();
    for o in options {
        let (k, v) = o.split_once('=').ok_or_else(|| format!("--option wants KEY=VALUE, got \"{o}\""))?;
        let value = serde_json::from_str(v).unwrap_or_else(|_| serde_json::Value::String(v.to_string()));
        opts.insert(k.trim().to_string(), value);
    }
    if let Some(f) = &input.format {
        format_named(f)?;
        opts.insert("format".into(), serde_json::Value::String(f.clone()));
    }
    Ok(opts)
}

/// Opens `bytes` as the notebook would, strictly: an unknown option, a bad value or a
/// view the result cannot be shown in is an error naming it; other warnings go to
/// standard error.
fn open_strict(
    file: &std::path::Path,
    bytes: Vec<u8>,
    view: &str,
    options: serde_json::Map<String, serde_json::Value>,
) -> Result<huntviz_session::Session, String> {
    use huntviz_session::{Session, Spec, ViewKind, WarningKind};
    let spec = Spec { view: Some(view.to_string()), options, notes: Vec::new() };
    let session =
        Session::open(bytes, spec, huntviz_draw::Theme::light()).map_err(|e| format!("{}: {e}", file.display()))?;
    if let Some(w) = session.warnings().into_iter().find(|w| w.kind == WarningKind::Option) {
        return Err(w.message);
    }
    if let Some(want) = ViewKind::from_id(view).filter(|&k| k != session.active()) {
        let why = session.why_not(want).unwrap_or_default();
        return Err(format!("the {} cannot be built: {why}", want.label()));
    }
    for w in session.warnings() {
        eprintln!("huntviz: warning: {}", shown(&w.message));
    }
    Ok(session)
}

/// Draws the chosen view as SVG through the same session the notebook uses: every view
/// option is honoured, and an unknown option, a bad value or a view that cannot be built
/// is an error naming it. Other warnings go to standard error.
fn render(input: &Input, view: &str, width: f32, height: Option<f32>, options: &[String]) -> Result<String, String> {
    use huntviz_session::ViewKind;
    let opts = view_options(input, options)?;
    let bytes = std::fs::read(&input.file).map_err(|e| format!("cannot read {}: {e}", input.file.display()))?;
    let mut session = open_strict(&input.file, bytes, view, opts)?;
    let width = if width.is_finite() { width.clamp(200.0, 16_000.0) } else { 1200.0 };
    session.set_viewport(width, 400.0, 1.0);
    // A graph has no height of its own; every other view is as tall as its content.
    let content = session.view().content_size().1;
    let height = match session.active() {
        ViewKind::Graph => height.unwrap_or(700.0),
        _ => height.unwrap_or(content),
    };
    session.set_viewport(width, height.clamp(100.0, 4000.0), 1.0);
    session.view_mut().settle();
    Ok(session.export_svg())
}

/// Writes a one-file report of `files`, each checked as `render` checks it.
fn html(
    files: &[PathBuf],
    format: Option<String>,
    view: &str,
    options: &[String],
    title: &str,
    output: &std::path::Path,
) -> Result<(), String> {
    let mut outputs = Vec::new();
    for file in files {
        let input = Input { file: file.clone(), format: format.clone() };
        let opts = view_options(&input, options)?;
        let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        open_strict(file, bytes.clone(), view, opts.clone())?;
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        outputs.push((name.clone(), report::payload(bytes, view, &opts, &name)?));
    }
    report::write(output, title, outputs)
}

/// The format named `id`, or an error listing every name.
fn format_named(id: &str) -> Result<Format, String> {
    Format::from_id(id).ok_or_else(|| {
        let known: Vec<&str> = Format::ALL.iter().map(|f| f.id()).collect();
        format!("unknown format \"{id}\" (formats: {})", known.join(", "))
    })
}

fn overrides(columns: &[String]) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for c in columns {
        let (role, col) = c.split_once('=').ok_or_else(|| format!("--column wants ROLE=COLUMN, got \"{c}\""))?;
        out.insert(role.trim().to_string(), col.trim().to_string());
    }
    Ok(out)
}

fn node_name(forest: &huntviz_process_tree::Forest, id: u32) -> String {
    match forest.display_name(id) {
        "" => "(no name)".to_string(),
        name => name.to_string(),
    }
}

fn tree_json(info: &SchemaInfo, forest: &huntviz_process_tree::Forest) -> String {
    let nodes: Vec<serde_json::Value> = forest
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut start = String::new();
            if n.start != huntviz_process_tree::NO_TIME {
                huntviz_table::format_datetime(n.start, &mut start);
            }
            serde_json::json!({
                "key": i,
                "parent": (n.parent != huntviz_process_tree::NONE).then_some(n.parent),
                "inferred": n.inferred(),
                "depth": n.depth,
                "host": forest.hosts.get(n.host as usize).map(|h| h.name.clone()),
                "row": (!n.inferred()).then_some(n.row),
                "pid": n.pid,
                "name": forest.display_name(i as u32),
                "names": forest.names(i as u32),
                "start": (!start.is_empty()).then_some(start),
                "link": forest.link(i as u32),
            })
        })
        .collect();
    let v = serde_json::json!({
        "schema": info.name,
        "linking": forest.linking,
        "summary": forest.summary,
        "warnings": forest.warnings.iter().map(|w| &w.message).collect::<Vec<_>>(),
        "nodes": nodes,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

fn tree_text(table: &Table, info: &SchemaInfo, forest: &huntviz_process_tree::Forest) -> String {
    use std::fmt::Write as _;
    let s0 = forest.summary;
    let mut s = format!(
        "{} processes · {} roots · depth {} · {} host{} · {} inferred (linked by {:?})\n",
        s0.processes,
        s0.roots,
        s0.depth,
        s0.hosts,
        if s0.hosts == 1 { "" } else { "s" },
        s0.inferred,
        forest.linking
    );
    for w in &forest.warnings {
        let _ = writeln!(s, "warning: {}", shown(&w.message));
    }
    let cmd = info.column(table, schema::Role::CommandLine);
    for host in &forest.hosts {
        let _ = writeln!(s, "{}", if host.name.is_empty() { "(no host)".to_string() } else { shown(&host.name) });
        // Iterative depth-first walk.
        let mut stack: Vec<(u32, usize)> = host.roots.iter().rev().map(|&r| (r, 1)).collect();
        while let Some((id, level)) = stack.pop() {
            let Some(n) = forest.node(id) else { continue };
            let mut line = format!("{}{} ({})", "  ".repeat(level), shown(&node_name(forest, id)), n.pid);
            let link = forest.link(id);
            if link.evidence() == huntviz_process_tree::Evidence::Weak {
                let _ = write!(line, " [{}]", link.id());
            }
            if n.inferred() {
                line.push_str(" [inferred]");
            } else {
                if n.start != huntviz_process_tree::NO_TIME {
                    line.push(' ');
                    huntviz_table::format_datetime(n.start, &mut line);
                }
                if let Some(c) = cmd.and_then(|c| table.cell_text(n.row as usize, c)) {
                    let short: String = c.chars().take(120).collect();
                    let _ = write!(line, "  {}", shown(&short));
                }
            }
            let _ = writeln!(s, "{line}");
            for &c in forest.children(id).iter().rev() {
                stack.push((c, level + 1));
            }
        }
    }
    s
}

fn kind(t: &Table) -> &'static str {
    match t.kind {
        TableKind::PrimaryResult => "primary",
        TableKind::Secondary => "secondary",
    }
}

fn inspect_text(d: &Dataset, info: &SchemaInfo) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "format: {} ({})", d.format.label(), d.format.id());
    let _ = writeln!(s, "tables: {}", d.tables.len());
    for t in &d.tables {
        let _ = writeln!(s, "\n{} [{}]: {} rows × {} columns", shown(&t.name), kind(t), t.rows(), t.columns.len());
        let width = t.columns.iter().map(|c| shown(&c.name).chars().count()).max().unwrap_or(0);
        for c in &t.columns {
            let nulls = c.null_count();
            let _ = write!(s, "  {:width$}  {}", shown(&c.name), c.ty);
            if nulls > 0 {
                let _ = write!(s, "  ({nulls} null)");
            }
            s.push('\n');
        }
    }
    s.push('\n');
    match (&info.name, &info.label) {
        (Some(name), Some(label)) => {
            let _ = writeln!(s, "schema: {label} ({name})");
        }
        _ => s.push_str("schema: none recognised\n"),
    }
    for (role, col) in &info.roles {
        let why = info.evidence.get(role).map(|e| format!("{e:?}").to_lowercase()).unwrap_or_default();
        let _ = writeln!(s, "  {role:26} {}  ({why})", shown(col));
    }
    if let Some((col, value)) = &info.event_filter {
        let _ = writeln!(s, "  process-creation rows: {} == {value}", shown(col));
    }
    if info.scores.len() > 1 {
        let others: Vec<String> = info.scores.iter().skip(1).map(|(n, sc)| format!("{n} {sc}")).collect();
        let _ = writeln!(s, "  scores: {} {} · others: {}", info.scores[0].0, info.scores[0].1, others.join(", "));
    }
    for n in &info.notes {
        let _ = writeln!(s, "  note: {}", shown(n));
    }
    if let Some(h) = &d.hint {
        let _ = writeln!(s, "\nvisualization: {}", shown(&h.visualization));
    }
    let _ = writeln!(s, "\nwarnings: {}", d.warnings.len());
    for w in &d.warnings {
        let _ = writeln!(s, "  - {}", shown(&w.message));
    }
    s
}

fn inspect_json(d: &Dataset, info: &SchemaInfo) -> String {
    let tables: Vec<serde_json::Value> = d
        .tables
        .iter()
        .map(|t| {
            serde_json::json!({
                "name": t.name,
                "kind": kind(t),
                "rows": t.rows(),
                "columns": t.columns.iter().map(|c| serde_json::json!({
                    "name": c.name, "type": c.ty.name(), "nulls": c.null_count()
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let memory: usize = d.tables.first().map_or(0, |t| t.store().heap_bytes())
        + d.tables.iter().flat_map(|t| t.columns.iter()).map(|c| c.heap_bytes()).sum::<usize>();
    let v = serde_json::json!({
        "format": d.format.id(),
        "tables": tables,
        "schema": info,
        "hint": d.hint,
        "warnings": d.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>(),
        "warning_kinds": d.warnings.iter().map(|w| w.kind).collect::<Vec<_>>(),
        "memory_bytes": memory,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
