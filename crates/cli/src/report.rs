//! `huntviz html`: one-file interactive reports, the same page `huntviz.save` writes.
//!
//! The template (engine, viewer, styles and a Content-Security-Policy that allows only
//! its own script) is built by `npm run build` and embedded at compile time; this puts
//! the results in, as a JSON script element that cannot end or comment out its element.

use std::path::Path;

use base64::Engine as _;
use std::io::Write as _;

/// Where the template takes the data.
const MARKER: &str = "<!--HUNTVIZ-DATA-->";
/// Results above this many bytes go in compressed (as `huntviz.show` sends them; a
/// report, written once and kept, at zlib's best level).
const COMPRESS_ABOVE: usize = 256 * 1024;

#[cfg(huntviz_report)]
fn template() -> Result<&'static str, String> {
    Ok(include_str!(env!("HUNTVIZ_REPORT_TEMPLATE")))
}

#[cfg(not(huntviz_report))]
fn template() -> Result<&'static str, String> {
    Err("this huntviz was built without the report template: run `npm run build`, then build the CLI again".into())
}

/// The payload of one result: its text (compressed when large), view and options.
pub fn payload(
    bytes: Vec<u8>,
    view: &str,
    options: &serde_json::Map<String, serde_json::Value>,
    title: &str,
) -> Result<serde_json::Value, String> {
    let mut out = serde_json::Map::new();
    out.insert("view".into(), view.into());
    if bytes.len() > COMPRESS_ABOVE {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&bytes).map_err(|e| e.to_string())?;
        let packed = z.finish().map_err(|e| e.to_string())?;
        out.insert("data".into(), base64::engine::general_purpose::STANDARD.encode(packed).into());
        out.insert("encoding".into(), "zlib-base64".into());
        out.insert("size".into(), bytes.len().into());
    } else {
        let text = String::from_utf8(bytes).map_err(|_| "the result is not UTF-8 text".to_string())?;
        out.insert("data".into(), text.into());
    }
    out.insert("options".into(), serde_json::Value::Object(options.clone()));
    out.insert("title".into(), title.into());
    Ok(serde_json::Value::Object(out))
}

/// JSON that cannot end or comment out the script element holding it.
fn script_json(value: &serde_json::Value) -> Result<String, String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    Ok(text.replace('&', "\\u0026").replace('<', "\\u003c").replace('>', "\\u003e"))
}

/// Writes the report of `outputs` (title, payload) to `path`.
pub fn write(path: &Path, title: &str, outputs: Vec<(String, serde_json::Value)>) -> Result<(), String> {
    let page = template()?;
    let (before, after) =
        page.split_once(MARKER).ok_or("the report template is damaged (no data marker): rebuild huntviz")?;
    let outputs: Vec<serde_json::Value> =
        outputs.into_iter().map(|(title, payload)| serde_json::json!({"title": title, "payload": payload})).collect();
    let data = script_json(&serde_json::json!({"title": title, "outputs": outputs}))?;
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?,
    );
    let write = |f: &mut std::io::BufWriter<std::fs::File>, s: &str| f.write_all(s.as_bytes());
    write(&mut f, before)
        .and_then(|()| write(&mut f, r#"<script type="application/json" id="huntviz-data">"#))
        .and_then(|()| write(&mut f, &data))
        .and_then(|()| write(&mut f, "</script>"))
        .and_then(|()| write(&mut f, after))
        .and_then(|()| f.flush())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
