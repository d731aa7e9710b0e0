//! Visualization hints: Log Analytics `render` and Kusto `Visualization` properties.

use super::RawTable;
use crate::build::ParseCtx;
use crate::VisualizationHint;

fn get<'v>(obj: &'v serde_json::Map<String, serde_json::Value>, key: &str) -> Option<&'v serde_json::Value> {
    obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v)
}

fn text(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

fn list(v: Option<&serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::String(s)) => {
            s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
        }
        Some(serde_json::Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// Reads a hint object (`{"visualization": "timechart", …}` or Kusto's
/// `{"Visualization": "timechart", "XColumn": …}`). A JSON string holding such an
/// object is read too. `None` when it names no visualization.
pub(crate) fn from_value(v: &serde_json::Value) -> Option<VisualizationHint> {
    let parsed;
    let v = match v {
        serde_json::Value::String(s) => {
            parsed = serde_json::from_str::<serde_json::Value>(s).ok()?;
            &parsed
        }
        other => other,
    };
    let obj = v.as_object()?;
    let visualization = text(get(obj, "visualization"))?;
    let mut series = list(get(obj, "series"));
    if series.is_empty() {
        series = list(get(obj, "by"));
    }
    Some(VisualizationHint {
        visualization,
        title: text(get(obj, "title")),
        kind: text(get(obj, "kind")),
        x_column: text(get(obj, "xcolumn")),
        y_columns: list(get(obj, "ycolumns")),
        series,
        accumulate: get(obj, "accumulate").and_then(serde_json::Value::as_bool).unwrap_or(false),
    })
}

/// Kusto `@ExtendedProperties` / `QueryProperties` table: v2 has `Key`/`Value` columns
/// (the `Visualization` row's value is a JSON string); v1 has one `Value` column.
pub(crate) fn from_properties_table(t: &RawTable, ctx: &ParseCtx<'_>) -> Option<VisualizationHint> {
    let view = ctx.view();
    let value_col = t.columns.iter().find(|c| c.name == "Value")?;
    let key_col = t.columns.iter().find(|c| c.name == "Key");
    for row in 0..value_col.len() {
        if let Some(k) = key_col {
            if k.text_at(row, &view).as_deref() != Some("Visualization") {
                continue;
            }
        }
        let raw = value_col.text_at(row, &view)?;
        let value: serde_json::Value = serde_json::from_str(&raw).ok()?;
        if let Some(h) = from_value(&value) {
            return Some(h);
        }
    }
    None
}
