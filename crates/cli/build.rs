//! huntviz's version is written once, in package.json: `huntviz --version` reads it here.

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../package.json");
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    // The first "version" key is the package's own (package.json starts with it).
    let version = text
        .split("\"version\"")
        .nth(1)
        .and_then(|rest| rest.split('"').nth(1))
        .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c)))
        .unwrap_or("0.0.0+unknown");
    println!("cargo:rustc-env=HUNTVIZ_VERSION={version}");

    // The one-file report template (`npm run build` makes it): `huntviz html` embeds it.
    println!("cargo::rustc-check-cfg=cfg(huntviz_report)");
    let template = concat!(env!("CARGO_MANIFEST_DIR"), "/../../python/huntviz/report-template.html");
    println!("cargo:rerun-if-changed={template}");
    if std::path::Path::new(template).exists() {
        println!("cargo:rustc-cfg=huntviz_report");
        println!("cargo:rustc-env=HUNTVIZ_REPORT_TEMPLATE={template}");
    }
}
