//! The peer of the parse benchmark (`bench/run.mjs`): what a Rust-to-wasm renderer
//! without its own reader would do — `serde_json::from_slice` of the generated Log
//! Analytics response into typed structs, one tuple struct per row with the 15
//! `DeviceProcessEvents` columns `huntviz-gen` writes (strings owned, datetimes left as
//! text: serde has no Kusto datetime type). It reads the same bytes, written into its own
//! wasm memory the way the engine's are, and is timed in the same page.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[derive(Deserialize)]
struct Response {
    tables: Vec<Table>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Table {
    name: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Column {
    name: String,
    #[serde(rename = "type")]
    ty: String,
}

/// TimeGenerated, DeviceName, ActionType, FileName, FolderPath, ProcessId,
/// ProcessCommandLine, ProcessCreationTime, AccountName, LogonId,
/// InitiatingProcessFileName, InitiatingProcessId, InitiatingProcessCommandLine,
/// InitiatingProcessCreationTime, SHA1.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Row(
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    i64,
    String,
    i64,
    String,
    String,
    String,
);

/// A response's bytes in wasm memory, and what serde made of them.
#[wasm_bindgen]
pub struct SerdeInput {
    bytes: Vec<u8>,
    parsed: Option<Response>,
}

#[wasm_bindgen]
impl SerdeInput {
    /// A zeroed buffer for the response's `len` bytes of UTF-8.
    #[wasm_bindgen(constructor)]
    pub fn new(len: usize) -> SerdeInput {
        SerdeInput { bytes: vec![0; len], parsed: None }
    }

    /// Where the buffer starts in wasm memory (the page writes the UTF-8 there).
    pub fn ptr(&mut self) -> usize {
        self.bytes.as_mut_ptr() as usize
    }

    /// Parses the buffer into typed rows, kept until the input is freed (as the engine
    /// keeps its table); returns the number of rows.
    pub fn parse(&mut self) -> Result<usize, JsError> {
        let response: Response = serde_json::from_slice(&self.bytes).map_err(|e| JsError::new(&e.to_string()))?;
        let rows = response.tables.first().map_or(0, |t| t.rows.len());
        self.parsed = Some(response);
        Ok(rows)
    }
}
