//! Real responses from other projects, read in place from `../shared/datasets` when the
//! checkout has it (a user's clone does not: these tests then say so and pass).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use huntviz_table::{parse, Format, ParseOptions, WarningKind};

fn shared() -> Option<PathBuf> {
    huntviz_table::testing::shared_datasets()
}

#[test]
fn real_responses_parse_with_expected_shapes() {
    let Some(dir) = shared() else { return };
    // (file, format, primary rows, primary columns)
    let cases: &[(&str, Format, usize, usize)] = &[
        ("responses/msticpy/az_mon_raw_query.json", Format::LogAnalytics, 3, 34),
        ("responses/msticpy/kusto_raw_resp.json", Format::KustoV2, 10, 130),
        ("responses/azure-rest-api-specs/oms-post-example.json", Format::LogAnalytics, 2, 21),
        ("responses/azure-kusto-python/deft.json", Format::KustoV2, 11, 19),
        ("responses/azure-kusto-python/alternative_order.json", Format::KustoV2, 11, 19),
        ("responses/azure-kusto-python/deft_with_progressive_result.json", Format::KustoV2, 11, 19),
        ("responses/azure-kusto-python/progressive_result.json", Format::KustoV2, 5, 22),
        ("responses/azure-kusto-python/dynamic.json", Format::KustoV2, 1, 6),
        ("responses/azure-kusto-python/null_values.json", Format::KustoV2, 1, 10),
        ("responses/azure-kusto-python/zero_results.json", Format::KustoV2, 0, 1),
        ("responses/azure-kusto-python/pandas_bool.json", Format::KustoV2, 3, 1),
        ("responses/azure-kusto-python/dataframe.json", Format::KustoV2, 8, 13),
        ("responses/azure-kusto-python/query_partial_results_defer_is_false.json", Format::KustoV2, 5, 1),
        ("responses/azure-kusto-python/query_partial_results_defer_is_true.json", Format::KustoV2, 5, 1),
        ("responses/azure-kusto-python/adminthenquery.json", Format::KustoV1, 2, 2),
        ("responses/azure-kusto-python/versionshowcommandresult.json", Format::KustoV1, 1, 4),
        ("responses/grafana-adx/v1-supported_types_with_vals.json", Format::KustoV1, 1, 10),
        ("responses/defender/advancedhunting-run-response.json", Format::DefenderHunting, 2, 3),
        ("responses/defender/graph-runHuntingQuery-response.json", Format::DefenderHunting, 2, 3),
    ];
    for &(file, format, rows, cols) in cases {
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let d = parse(bytes, &ParseOptions::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(d.format, format, "{file}");
        let t = d.primary().unwrap_or_else(|| panic!("{file}: no table"));
        assert_eq!((t.rows(), t.columns.len()), (rows, cols), "{file}");
    }
}

#[test]
fn real_partial_failures_become_warnings() {
    let Some(dir) = shared() else { return };
    let read = |f: &str| parse(std::fs::read(dir.join(f)).unwrap_or_default(), &ParseOptions::default()).unwrap();
    let d = read("responses/azure-kusto-python/query_partial_results_defer_is_false.json");
    assert!(d.warnings.iter().any(|w| w.kind == WarningKind::PartialError && w.message.contains("80DA0003")));
    let d = read("responses/azure-kusto-python/query_partial_results_defer_is_true.json");
    assert!(d
        .warnings
        .iter()
        .any(|w| w.kind == WarningKind::PartialError && w.message.contains("QueryLimitsExceeded")));
}

#[test]
fn real_exact_values() {
    let Some(dir) = shared() else { return };
    let read = |f: &str| parse(std::fs::read(dir.join(f)).unwrap_or_default(), &ParseOptions::default()).unwrap();
    let d = read("responses/grafana-adx/v1-supported_types_with_vals.json");
    let t = d.primary().unwrap();
    let at = |c: &str| t.cell_text(0, t.column_index(c).unwrap());
    assert_eq!(at("XLong").as_deref(), Some("9223372036854775807"));
    assert_eq!(at("XInt").as_deref(), Some("2147483647"));
    assert_eq!(at("XDateTime").as_deref(), Some("2006-01-02T22:04:05.100Z"));
    assert_eq!(at("XTimeSpan").as_deref(), Some("00:00:00.0000001"));
    let d = read("responses/azure-kusto-python/dataframe.json");
    let t = d.primary().unwrap();
    let at = |r: usize, c: &str| t.cell_text(r, t.column_index(c).unwrap());
    assert_eq!(at(1, "RecordTime").as_deref(), Some("0000-01-01T00:00:00Z"));
    assert_eq!(at(2, "RecordTime").as_deref(), Some("9999-12-31T23:59:59Z"));
    assert_eq!(at(6, "RecordOffset").as_deref(), Some("1.01:01:01"));
}

#[test]
fn real_service_error_is_a_clear_message() {
    let Some(dir) = shared() else { return };
    let bytes = std::fs::read(dir.join("responses/grafana-adx/error-response.json")).unwrap_or_default();
    let err = parse(bytes, &ParseOptions::default()).unwrap_err().to_string();
    assert!(err.starts_with("the query failed: General_BadRequest"), "{err}");
    assert!(err.contains("SYN0002") && err.contains("line 1, position 9"), "{err}");
}

#[test]
fn msticpy_process_and_alert_files() {
    let Some(dir) = shared() else { return };
    // (file, format, primary rows, primary columns, detected schema)
    let cases: &[(&str, Format, usize, usize, Option<&str>)] = &[
        ("msticpy/process/win_proc_test.csv", Format::Csv, 1000, 18, Some("windows-4688")),
        ("msticpy/process/win_proc_test.json", Format::JsonRecords, 1000, 18, Some("windows-4688")),
        ("msticpy/process/processes_on_host.csv", Format::Csv, 363, 19, Some("windows-4688")),
        ("msticpy/process/process_tree.csv", Format::Csv, 117, 23, Some("windows-4688")),
        ("msticpy/process/linux_proc_test.csv", Format::Csv, 1000, 22, Some("linux-auditd")),
        ("msticpy/process/linux_proc_test.json", Format::JsonRecords, 1000, 22, Some("linux-auditd")),
        ("msticpy/process/mde_proc_pub.csv", Format::Csv, 200, 59, Some("mde-device-process-events")),
        ("msticpy/process/mde_proc_pub.json", Format::JsonRecords, 200, 59, Some("mde-device-process-events")),
        ("msticpy/process/osqueryd.results.log", Format::JsonLines, 21, 19, Some("osquery-processes")),
        // Hash and Authenticode objects flattened one level.
        ("msticpy/process/Windows.System.Pslist.json", Format::JsonLines, 10, 21, Some("velociraptor-pslist")),
        ("msticpy/alerts/alertlist.csv", Format::Csv, 189, 25, None),
        ("msticpy/alerts/alerts_list.csv", Format::Csv, 25, 31, None),
        ("msticpy/alerts/alerts_list.json", Format::JsonRecords, 25, 31, None),
        ("msticpy/alerts/sent_incidents.csv", Format::Csv, 5, 26, None),
        ("msticpy/alerts/sent_incidents.json", Format::JsonRecords, 5, 26, None),
        ("msticpy/alerts/entities.json", Format::JsonRecords, 7, 25, None),
        ("responses/msticpy/kusto_raw_resp.json", Format::KustoV2, 10, 130, Some("mde-internal")),
    ];
    for &(file, format, rows, cols, schema_name) in cases {
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let d = parse(bytes, &ParseOptions::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(d.format, format, "{file}");
        let t = d.primary().unwrap();
        assert_eq!((t.rows(), t.columns.len()), (rows, cols), "{file}");
        let info = huntviz_table::schema::detect(t, &Default::default());
        assert_eq!(info.name.as_deref(), schema_name, "{file}: {:?}", info.scores);
    }
}

#[test]
fn msticpy_types_and_warnings() {
    let Some(dir) = shared() else { return };
    use huntviz_table::ColumnType::*;
    let read = |f: &str| parse(std::fs::read(dir.join(f)).unwrap_or_default(), &ParseOptions::default()).unwrap();
    let ty = |d: &huntviz_table::Dataset, c: &str| {
        let t = d.primary().unwrap();
        t.column(t.column_index(c).unwrap_or_else(|| panic!("no column {c}"))).unwrap().ty
    };
    let d = read("msticpy/process/win_proc_test.csv");
    assert_eq!((ty(&d, "TimeGenerated"), ty(&d, "EventID"), ty(&d, "NewProcessId")), (DateTime, Long, String));
    assert!(d.warnings.iter().any(|w| w.kind == WarningKind::NoOffset), "pandas wrote naive datetimes");
    let d = read("msticpy/process/mde_proc_pub.csv");
    assert_eq!((ty(&d, "Timestamp"), ty(&d, "ProcessId"), ty(&d, "FileSize")), (DateTime, Long, Real));
    assert!(d.warnings.iter().all(|w| w.kind != WarningKind::NoOffset), "these datetimes carry +00:00");
    let d = read("msticpy/alerts/alertlist.csv");
    assert_eq!((ty(&d, "IsIncident"), ty(&d, "TenantId")), (Bool, Guid));
    let d = read("msticpy/process/linux_proc_test.json");
    assert_eq!((ty(&d, "pid"), ty(&d, "ppid")), (Long, Real), "pandas floats stay real");
    let d = read("msticpy/process/osqueryd.results.log");
    assert_eq!(d.tables.len(), 18, "one table per osquery query name");
}
