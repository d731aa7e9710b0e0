//! `huntviz`: the native command line over the same crates the notebook view uses.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use huntviz_table::{parse, Dataset, Format, ParseOptions, Table};

#[derive(Parser)]
#[command(name = "huntviz", version, about = "Inspect and render security-hunting query results")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the detected format, tables, rows, columns and types, and warnings.
    Inspect {
        /// A query result file (Log Analytics, Kusto v1/v2, pandas table JSON, huntviz columnar).
        file: PathBuf,
        /// Read as this format instead of detecting it (log-analytics, kusto-v1, kusto-v2, pandas-table, huntviz-columnar).
        #[arg(long)]
        format: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the primary table's rows as JSON lines: one array of exact cell texts
    /// (null for null) per row, after a first line with the column names.
    Rows {
        /// A query result file.
        file: PathBuf,
        /// Read as this format instead of detecting it.
        #[arg(long)]
        format: Option<String>,
        /// Print at most this many rows.
        #[arg(long)]
        limit: Option<usize>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("huntviz: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load(file: &PathBuf, format: Option<String>) -> Result<Dataset, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let mut options = ParseOptions::default();
    if let Some(f) = format {
        options.format = Some(Format::from_id(&f).ok_or_else(|| format!("unknown format \"{f}\""))?);
    }
    parse(bytes, &options).map_err(|e| format!("{}: {e}", file.display()))
}

fn run(cli: Cli) -> Result<(), String> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match cli.command {
        Command::Inspect { file, format, json } => {
            let dataset = load(&file, format)?;
            let text = if json { inspect_json(&dataset) } else { inspect_text(&dataset) };
            out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
        }
        Command::Rows { file, format, limit } => {
            let dataset = load(&file, format)?;
            let table = dataset.primary().ok_or("the result holds no table")?;
            let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
            let mut line = serde_json::to_string(&names).map_err(|e| e.to_string())?;
            line.push('\n');
            out.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
            for row in 0..table.rows().min(limit.unwrap_or(usize::MAX)) {
                let cells: Vec<Option<String>> = (0..table.columns.len()).map(|c| table.cell_text(row, c)).collect();
                let mut line = serde_json::to_string(&cells).map_err(|e| e.to_string())?;
                line.push('\n');
                out.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
            }
        }
    }
    out.flush().map_err(|e| e.to_string())
}

fn inspect_text(d: &Dataset) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "format: {} ({})", d.format.label(), d.format.id());
    let _ = writeln!(s, "tables: {}", d.tables.len());
    for t in &d.tables {
        let _ = writeln!(s, "\n{} [{}]: {} rows × {} columns", t.name, kind(t), t.rows(), t.columns.len());
        let width = t.columns.iter().map(|c| c.name.chars().count()).max().unwrap_or(0);
        for c in &t.columns {
            let nulls = c.null_count();
            let _ = write!(s, "  {:width$}  {}", c.name, c.ty);
            if nulls > 0 {
                let _ = write!(s, "  ({nulls} null)");
            }
            s.push('\n');
        }
    }
    if let Some(h) = &d.hint {
        let _ = writeln!(s, "\nvisualization: {}", h.visualization);
    }
    let _ = writeln!(s, "\nwarnings: {}", d.warnings.len());
    for w in &d.warnings {
        let _ = writeln!(s, "  - {w}");
    }
    s
}

fn kind(t: &Table) -> &'static str {
    match t.kind {
        huntviz_table::TableKind::PrimaryResult => "primary",
        huntviz_table::TableKind::Secondary => "secondary",
    }
}

fn inspect_json(d: &Dataset) -> String {
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
        "memory_bytes": memory,
        "tables": tables,
        "hint": d.hint,
        "warnings": d.warnings,
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}
