//! `huntviz-gen ROWS [--hosts H] [--seed S] [--full | --mde] [-o FILE]`: a Log Analytics
//! response of Microsoft Defender `DeviceProcessEvents` rows (15 columns; `--full` adds
//! `Timestamp`, `InitiatingProcessFolderPath` and the `InitiatingProcessParent*` columns
//! MSTICPy's MDE builder requires; `--mde` writes 39 columns named and ordered as
//! Defender's `DeviceProcessEvents` table returns them — hashes, sizes, version info,
//! integrity, token elevation, account domains and SIDs of both processes, `ReportId`),
//! deterministic for a given (ROWS, HOSTS, SEED); the events are the same in every mode.
//!
//! Per host: long-lived boot processes (System, smss, services, svchost groups,
//! WmiPrvSE, explorer per user) started before the window, which appear only as
//! initiating processes (a time-windowed hunting query never returns them); then
//! activities at random times that spawn trees from realistic parent → child pairs.
//! PIDs are multiples of 4 from a small space and are reused over the day, never
//! while the holder lives. Command lines carry random GUIDs, paths and hosts.

use std::io::{BufWriter, Write};

use huntviz_bench_gen::{write_time_json as write_time, Rng, TICKS_PER_SECOND};

/// 2024-05-06T00:00:00Z in 100-ns ticks since the Unix epoch.
const WINDOW_START: i64 = 1_714_953_600 * TICKS_PER_SECOND;
const WINDOW: i64 = 86_400 * TICKS_PER_SECOND;
const PID_SPACE: u64 = 32_768;

const SYS32: &str = "C:\\Windows\\System32";

/// (file name, folder, command-line template, children it may spawn).
/// `{g}` a GUID, `{h}` a host, `{u}` a user, `{n}` a number, `{f}` a file name.
const KINDS: &[(&str, &str, &str, &[&str])] = &[
    ("services.exe", SYS32, "C:\\Windows\\system32\\services.exe", &["svchost.exe", "msiexec.exe", "TrustedInstaller.exe", "MpCmdRun.exe", "sppsvc.exe"]),
    ("svchost.exe", SYS32, "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule", &["taskhostw.exe", "powershell.exe", "cmd.exe", "WmiPrvSE.exe", "rundll32.exe", "MpCmdRun.exe", "backgroundTaskHost.exe"]),
    ("WmiPrvSE.exe", "C:\\Windows\\System32\\wbem", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding", &["powershell.exe", "cmd.exe", "net.exe", "wmic.exe"]),
    ("explorer.exe", "C:\\Windows", "C:\\Windows\\Explorer.EXE", &["chrome.exe", "msedge.exe", "OUTLOOK.EXE", "WINWORD.EXE", "cmd.exe", "powershell.exe", "notepad.exe", "Teams.exe"]),
    ("chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application", "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=renderer --field-trial-handle={n},i,{n} --lang=en-US --renderer-client-id={n} --mojo-platform-channel-handle={n} /prefetch:1", &["chrome.exe"]),
    ("msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application", "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService --service-sandbox-type=none --field-trial-handle={n}", &["msedge.exe"]),
    ("OUTLOOK.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" /recycle", &["WINWORD.EXE", "EXCEL.EXE", "msedge.exe"]),
    ("WINWORD.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"C:\\Users\\{u}\\Downloads\\{f}.docx\" /o \"\"", &["cmd.exe", "powershell.exe", "splwow64.exe"]),
    ("EXCEL.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE\" \"C:\\Users\\{u}\\Documents\\{f}.xlsx\"", &["splwow64.exe"]),
    ("cmd.exe", SYS32, "C:\\Windows\\system32\\cmd.exe /c \"C:\\ProgramData\\{f}\\run_{n}.bat\"", &["conhost.exe", "powershell.exe", "net.exe", "whoami.exe", "reg.exe", "schtasks.exe", "certutil.exe"]),
    ("powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", "powershell.exe -NoProfile -ExecutionPolicy Bypass -Command \"Get-ChildItem -Path C:\\Users\\{u} -Recurse | Where-Object {{ $_.Length -gt {n} }}\"", &["conhost.exe", "csc.exe", "whoami.exe", "net.exe", "cmd.exe"]),
    ("taskhostw.exe", SYS32, "taskhostw.exe Install $(Arg0)", &["cmd.exe", "powershell.exe"]),
    ("msiexec.exe", SYS32, "C:\\Windows\\system32\\msiexec.exe /V", &["msiexec.exe", "cmd.exe"]),
    ("TrustedInstaller.exe", "C:\\Windows\\servicing", "C:\\Windows\\servicing\\TrustedInstaller.exe", &["TiWorker.exe"]),
    ("rundll32.exe", SYS32, "C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\{f}.dll,DllRegisterServer {g}", &[]),
    ("conhost.exe", SYS32, "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1", &[]),
    ("net.exe", SYS32, "net  user {u} /domain", &["net1.exe"]),
    ("net1.exe", SYS32, "C:\\Windows\\system32\\net1  user {u} /domain", &[]),
    ("whoami.exe", SYS32, "whoami  /all", &[]),
    ("reg.exe", SYS32, "reg  query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run /s", &[]),
    ("schtasks.exe", SYS32, "schtasks  /create /tn \"Update{n}\" /tr \"C:\\ProgramData\\{f}.exe\" /sc daily /st 09:00", &[]),
    ("certutil.exe", SYS32, "certutil  -urlcache -split -f http://{h}/{f}.txt C:\\Users\\Public\\{f}.txt", &[]),
    ("wmic.exe", "C:\\Windows\\System32\\wbem", "wmic  process call create \"cmd.exe /c {f}\"", &[]),
    ("csc.exe", "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319", "\"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe\" /noconfig /fullpaths @\"C:\\Users\\{u}\\AppData\\Local\\Temp\\{f}.cmdline\"", &["cvtres.exe"]),
    ("cvtres.exe", "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319", "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\cvtres.exe /NOLOGO /READONLY /MACHINE:IX86 \"/OUT:C:\\Users\\{u}\\AppData\\Local\\Temp\\RES{n}.tmp\"", &[]),
    ("MpCmdRun.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24030.9-0", "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24030.9-0\\MpCmdRun.exe\" -wdenable", &["conhost.exe"]),
    ("sppsvc.exe", SYS32, "C:\\Windows\\system32\\sppsvc.exe", &[]),
    ("backgroundTaskHost.exe", SYS32, "\"C:\\Windows\\system32\\backgroundTaskHost.exe\" -ServerName:BackgroundTaskHost.WebAccountProvider", &[]),
    ("notepad.exe", SYS32, "\"C:\\Windows\\system32\\NOTEPAD.EXE\" C:\\Users\\{u}\\Desktop\\{f}.txt", &[]),
    ("Teams.exe", "C:\\Users\\{u}\\AppData\\Local\\Microsoft\\Teams\\current", "\"C:\\Users\\{u}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe\" --type=gpu-process --field-trial-handle={n}", &["Teams.exe"]),
    ("splwow64.exe", "C:\\Windows", "C:\\Windows\\splwow64.exe 12288", &[]),
    ("TiWorker.exe", "C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.19041.3996_none_7e1d3d5f1f9b6a86", "C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.19041.3996_none_7e1d3d5f1f9b6a86\\TiWorker.exe -Embedding", &[]),
];

const USERS: &[&str] = &["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
const FILES: &[&str] =
    &["report", "invoice_2024", "update", "setup", "payload", "notes", "q2_budget", "svc", "helper", "tmp"];
const REMOTE: &[&str] = &["203.0.113.7", "cdn.contoso-update.com", "198.51.100.23", "files.example.net"];

fn kind(name: &str) -> usize {
    KINDS.iter().position(|k| k.0 == name).unwrap_or(0)
}

#[derive(Clone)]
struct Proc {
    kind: usize,
    /// Its own parent: (file name, pid, creation time).
    parent: (&'static str, u64, i64),
    pid: u64,
    created: i64,
    ends: i64,
    cmd: String,
    user: String,
    logon: u64,
}

struct Host {
    name: String,
    spawners: Vec<Proc>,
    live: Vec<Proc>,
    next_pid: u64,
}

fn fill(template: &str, rng: &mut Rng, user: &str) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(p) = rest.find('{') {
        out.push_str(&rest[..p]);
        let tail = &rest[p..];
        let (text, skip) = if tail.starts_with("{g}") {
            (rng.guid(), 3)
        } else if tail.starts_with("{h}") {
            (rng.pick(REMOTE).to_string(), 3)
        } else if tail.starts_with("{u}") {
            (user.to_string(), 3)
        } else if tail.starts_with("{n}") {
            ((rng.below(90_000) + 1000).to_string(), 3)
        } else if tail.starts_with("{f}") {
            (rng.pick(FILES).to_string(), 3)
        } else if tail.starts_with("{{") {
            ("{".to_string(), 2)
        } else {
            ("{".to_string(), 1)
        };
        out.push_str(&text);
        rest = &tail[skip..];
    }
    out.push_str(&rest.replace("}}", "}"));
    out
}

fn alloc_pid(host: &mut Host, rng: &mut Rng) -> u64 {
    loop {
        host.next_pid = (host.next_pid + 4 * (1 + rng.below(8))) % PID_SPACE;
        let pid = host.next_pid.max(8);
        if !host.live.iter().any(|p| p.pid == pid) && !host.spawners.iter().any(|p| p.pid == pid) {
            return pid;
        }
    }
}

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut rows: Option<usize> = None;
    let mut hosts: Option<usize> = None;
    let mut seed = 42u64;
    let mut out_path: Option<String> = None;
    let mut full = false;
    let mut mde = false;
    let mut i = 1;
    while i < args.len() {
        let next = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--hosts" => {
                hosts = next.parse().ok();
                i += 1;
            }
            "--seed" => {
                seed = next.parse().unwrap_or(42);
                i += 1;
            }
            "-o" | "--out" => {
                out_path = Some(next);
                i += 1;
            }
            "--full" => full = true,
            "--mde" => mde = true,
            "-h" | "--help" => {
                eprintln!("usage: huntviz-gen ROWS [--hosts H] [--seed S] [--full | --mde] [-o FILE]");
                return;
            }
            other => rows = other.replace('_', "").parse().ok(),
        }
        i += 1;
    }
    let Some(rows) = rows else {
        eprintln!("usage: huntviz-gen ROWS [--hosts H] [--seed S] [--full | --mde] [-o FILE]");
        std::process::exit(2);
    };
    let hosts = hosts.unwrap_or_else(|| (rows / 10_000).clamp(1, 100).max(if rows >= 1000 { 5 } else { 1 }));
    let mut rng = Rng(seed ^ (rows as u64).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ hosts as u64);

    let boot = WINDOW_START - 3 * 86_400 * TICKS_PER_SECOND;
    let mut machines: Vec<Host> = (0..hosts)
        .map(|h| {
            let mut host = Host {
                name: format!("wks-{h:03}.contoso.local"),
                spawners: Vec::new(),
                live: Vec::new(),
                next_pid: 600,
            };
            let user = USERS[h % USERS.len()].to_string();
            for (n, (name, pid, owner)) in [
                ("services.exe", 712, "system"),
                ("svchost.exe", 1048, "system"),
                ("svchost.exe", 1296, "network service"),
                ("WmiPrvSE.exe", 3260, "network service"),
                ("explorer.exe", 5412, user.as_str()),
            ]
            .into_iter()
            .enumerate()
            {
                // wininit starts services; services starts the service hosts; userinit
                // (gone by now) started explorer.
                let parent = match name {
                    "services.exe" => ("wininit.exe", 560, boot - 2 * TICKS_PER_SECOND),
                    "explorer.exe" => ("userinit.exe", 5388, boot + 120 * TICKS_PER_SECOND),
                    _ => ("services.exe", 712, boot),
                };
                host.spawners.push(Proc {
                    kind: kind(name),
                    parent,
                    pid,
                    created: boot + (n as i64) * 37 * TICKS_PER_SECOND + rng.below(9_999_999) as i64,
                    ends: i64::MAX,
                    cmd: fill(KINDS[kind(name)].2, &mut rng, owner),
                    user: owner.to_string(),
                    logon: if owner == "system" {
                        999
                    } else if owner == "network service" {
                        996
                    } else {
                        0x3e7_0000 + h as u64
                    },
                });
            }
            host
        })
        .collect();

    let mut times: Vec<i64> = (0..rows).map(|_| WINDOW_START + rng.below(WINDOW as u64) as i64).collect();
    times.sort_unstable();

    let writer: Box<dyn Write> = match &out_path {
        Some(p) => Box::new(std::fs::File::create(p).unwrap_or_else(|e| {
            eprintln!("huntviz-gen: cannot write {p}: {e}");
            std::process::exit(1)
        })),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::with_capacity(1 << 20, writer);
    let mut columns = vec![
        ("TimeGenerated", "datetime"),
        ("DeviceName", "string"),
        ("ActionType", "string"),
        ("FileName", "string"),
        ("FolderPath", "string"),
        ("ProcessId", "long"),
        ("ProcessCommandLine", "string"),
        ("ProcessCreationTime", "datetime"),
        ("AccountName", "string"),
        ("LogonId", "long"),
        ("InitiatingProcessFileName", "string"),
        ("InitiatingProcessId", "long"),
        ("InitiatingProcessCommandLine", "string"),
        ("InitiatingProcessCreationTime", "datetime"),
        ("SHA1", "string"),
    ];
    if mde {
        columns = MDE_COLUMNS.to_vec();
    } else if full {
        columns.extend([
            ("Timestamp", "datetime"),
            ("InitiatingProcessFolderPath", "string"),
            ("InitiatingProcessParentFileName", "string"),
            ("InitiatingProcessParentId", "long"),
            ("InitiatingProcessParentCreationTime", "datetime"),
        ]);
    }
    let mut head = String::from("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[");
    for (k, (name, ty)) in columns.iter().enumerate() {
        if k > 0 {
            head.push(',');
        }
        head.push_str(&format!("{{\"name\":\"{name}\",\"type\":\"{ty}\"}}"));
    }
    head.push_str("],\"rows\":[");
    let fail = |e: std::io::Error| -> ! {
        eprintln!("huntviz-gen: write failed: {e}");
        std::process::exit(1)
    };
    w.write_all(head.as_bytes()).unwrap_or_else(|e| fail(e));
    let mut row = String::with_capacity(1024);
    for (n, &t) in times.iter().enumerate() {
        let h = rng.below(hosts as u64) as usize;
        let host = &mut machines[h];
        host.live.retain(|p| p.ends > t);
        // Parent: a live activity process that can spawn (60%), else a spawner.
        let candidates: Vec<usize> =
            host.live.iter().enumerate().filter(|(_, p)| !KINDS[p.kind].3.is_empty()).map(|(i, _)| i).collect();
        let parent = if !candidates.is_empty() && rng.chance(0.6) {
            host.live[*rng.pick(&candidates)].clone()
        } else {
            host.spawners[rng.below(host.spawners.len() as u64) as usize].clone()
        };
        let children = KINDS[parent.kind].3;
        let child_kind = if children.is_empty() {
            kind("conhost.exe")
        } else {
            let name: &&str = rng.pick(children);
            kind(name)
        };
        let pid = alloc_pid(host, &mut rng);
        let user =
            if parent.user == "system" && rng.chance(0.2) { "local service".to_string() } else { parent.user.clone() };
        let (file, folder, template, _) = KINDS[child_kind];
        let folder = folder.replace("{u}", &user);
        // Reported slightly after creation, and never created before its parent.
        let created = (t - rng.below(20_000) as i64).max(parent.created + 1);
        let life = (1 + rng.below(if children.is_empty() { 30 } else { 600 })) as i64 * TICKS_PER_SECOND;
        let cmd = fill(template, &mut rng, &user);
        let proc_ = Proc {
            kind: child_kind,
            parent: (KINDS[parent.kind].0, parent.pid, parent.created),
            pid,
            created,
            ends: created + life,
            cmd: cmd.clone(),
            user: user.clone(),
            logon: parent.logon,
        };
        host.live.push(proc_);
        row.clear();
        if n > 0 {
            row.push(',');
        }
        row.push('[');
        if mde {
            let ev = Event {
                time: t,
                host: &host.name,
                file,
                folder: &folder,
                pid,
                cmd: &cmd,
                created,
                user: &user,
                logon: parent.logon,
            };
            write_mde_row(&mut row, &ev, &parent, n as u64, h);
        } else {
            write_time(&mut row, t);
            row.push(',');
            json_str(&mut row, &host.name);
            row.push_str(",\"ProcessCreated\",");
            json_str(&mut row, file);
            row.push(',');
            json_str(&mut row, &format!("{folder}\\{file}"));
            row.push_str(&format!(",{pid},"));
            json_str(&mut row, &cmd);
            row.push(',');
            write_time(&mut row, created);
            row.push(',');
            json_str(&mut row, &user);
            row.push_str(&format!(",{},", parent.logon));
            json_str(&mut row, KINDS[parent.kind].0);
            row.push_str(&format!(",{},", parent.pid));
            json_str(&mut row, &parent.cmd);
            row.push(',');
            write_time(&mut row, parent.created);
            row.push(',');
            // A stable hash per (file, folder): the same binary has the same SHA1.
            let mut hrng = Rng(file
                .bytes()
                .chain(folder.bytes())
                .fold(0xcbf2_9ce4_8422_2325u64, |a, b| (a ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)));
            json_str(&mut row, &hrng.hex(40));
            if full {
                row.push(',');
                write_time(&mut row, t);
                row.push(',');
                let (pfile, pfolder, _, _) = KINDS[parent.kind];
                json_str(&mut row, &format!("{}\\{pfile}", pfolder.replace("{u}", &parent.user)));
                row.push(',');
                json_str(&mut row, parent.parent.0);
                row.push_str(&format!(",{},", parent.parent.1));
                write_time(&mut row, parent.parent.2);
            }
        }
        row.push(']');
        w.write_all(row.as_bytes()).unwrap_or_else(|e| fail(e));
    }
    w.write_all(b"]}]}").unwrap_or_else(|e| fail(e));
    w.flush().unwrap_or_else(|e| fail(e));
}

/// The 39 columns of Defender's `DeviceProcessEvents`, in the order it returns them.
const MDE_COLUMNS: &[(&str, &str)] = &[
    ("Timestamp", "datetime"),
    ("DeviceId", "string"),
    ("DeviceName", "string"),
    ("ActionType", "string"),
    ("FileName", "string"),
    ("FolderPath", "string"),
    ("SHA1", "string"),
    ("SHA256", "string"),
    ("MD5", "string"),
    ("FileSize", "long"),
    ("ProcessVersionInfoCompanyName", "string"),
    ("ProcessVersionInfoProductName", "string"),
    ("ProcessId", "long"),
    ("ProcessCommandLine", "string"),
    ("ProcessIntegrityLevel", "string"),
    ("ProcessTokenElevation", "string"),
    ("ProcessCreationTime", "datetime"),
    ("AccountDomain", "string"),
    ("AccountName", "string"),
    ("AccountSid", "string"),
    ("LogonId", "long"),
    ("InitiatingProcessAccountDomain", "string"),
    ("InitiatingProcessAccountName", "string"),
    ("InitiatingProcessAccountSid", "string"),
    ("InitiatingProcessLogonId", "long"),
    ("InitiatingProcessIntegrityLevel", "string"),
    ("InitiatingProcessSHA1", "string"),
    ("InitiatingProcessSHA256", "string"),
    ("InitiatingProcessMD5", "string"),
    ("InitiatingProcessFileName", "string"),
    ("InitiatingProcessFileSize", "long"),
    ("InitiatingProcessId", "long"),
    ("InitiatingProcessCommandLine", "string"),
    ("InitiatingProcessCreationTime", "datetime"),
    ("InitiatingProcessFolderPath", "string"),
    ("InitiatingProcessParentId", "long"),
    ("InitiatingProcessParentFileName", "string"),
    ("InitiatingProcessParentCreationTime", "datetime"),
    ("ReportId", "long"),
];

/// One created process, as the `--mde` row writer needs it.
struct Event<'a> {
    time: i64,
    host: &'a str,
    file: &'a str,
    folder: &'a str,
    pid: u64,
    cmd: &'a str,
    created: i64,
    user: &'a str,
    logon: u64,
}

/// What a binary's file says about itself, stable per (file, folder): its hashes,
/// size, company and product.
fn binary_facts(file: &str, folder: &str) -> (String, String, String, u64, &'static str, &'static str) {
    let mut r = Rng(file
        .bytes()
        .chain(folder.bytes())
        .fold(0xcbf2_9ce4_8422_2325u64, |a, b| (a ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)));
    let sha1 = r.hex(40);
    let sha256 = r.hex(64);
    let md5 = r.hex(32);
    let size = 20_000 + r.below(4_000_000);
    let (company, product) = if folder.contains("Google") {
        ("Google LLC", "Google Chrome")
    } else if folder.contains("Office") || file == "Teams.exe" {
        ("Microsoft Corporation", "Microsoft Office")
    } else if folder.contains("Edge") {
        ("Microsoft Corporation", "Microsoft Edge")
    } else {
        ("Microsoft Corporation", "Microsoft® Windows® Operating System")
    };
    (sha1, sha256, md5, size, company, product)
}

fn is_service_account(user: &str) -> bool {
    matches!(user, "system" | "local service" | "network service")
}

/// (domain, SID) of an account on host `h`.
fn account(user: &str, h: usize) -> (&'static str, String) {
    match user {
        "system" => ("nt authority", "S-1-5-18".to_string()),
        "local service" => ("nt authority", "S-1-5-19".to_string()),
        "network service" => ("nt authority", "S-1-5-20".to_string()),
        _ => {
            let rid = 1100 + USERS.iter().position(|u| *u == user).unwrap_or(0);
            ("contoso", format!("S-1-5-21-1004336348-1177238915-{}-{rid}", 682003330 + h % 3))
        }
    }
}

fn integrity(user: &str, file: &str) -> &'static str {
    if is_service_account(user) {
        "System"
    } else if matches!(file, "powershell.exe" | "cmd.exe") && user.len() % 2 == 0 {
        "High"
    } else {
        "Medium"
    }
}

fn write_mde_row(row: &mut String, ev: &Event, parent: &Proc, n: u64, h: usize) {
    let str_ = |row: &mut String, s: &str| {
        json_str(row, s);
        row.push(',');
    };
    let num = |row: &mut String, v: u64| row.push_str(&format!("{v},"));
    let time = |row: &mut String, t: i64| {
        write_time(row, t);
        row.push(',');
    };
    let mut device = Rng(ev.host.bytes().fold(0x9e37_79b9_7f4a_7c15u64, |a, b| (a ^ u64::from(b)).wrapping_mul(31)));
    let (sha1, sha256, md5, size, company, product) = binary_facts(ev.file, ev.folder);
    let (pfile, pfolder_t, _, _) = KINDS[parent.kind];
    let pfolder = pfolder_t.replace("{u}", &parent.user);
    let (psha1, psha256, pmd5, psize, _, _) = binary_facts(pfile, &pfolder);
    let (domain, sid) = account(ev.user, h);
    let (pdomain, psid) = account(&parent.user, h);
    time(row, ev.time);
    str_(row, &device.hex(40));
    str_(row, ev.host);
    str_(row, "ProcessCreated");
    str_(row, ev.file);
    str_(row, &format!("{}\\{}", ev.folder, ev.file));
    str_(row, &sha1);
    str_(row, &sha256);
    str_(row, &md5);
    num(row, size);
    str_(row, company);
    str_(row, product);
    num(row, ev.pid);
    str_(row, ev.cmd);
    str_(row, integrity(ev.user, ev.file));
    str_(row, if is_service_account(ev.user) { "TokenElevationTypeDefault" } else { "TokenElevationTypeLimited" });
    time(row, ev.created);
    str_(row, domain);
    str_(row, ev.user);
    str_(row, &sid);
    num(row, ev.logon);
    str_(row, pdomain);
    str_(row, &parent.user);
    str_(row, &psid);
    num(row, parent.logon);
    str_(row, integrity(&parent.user, pfile));
    str_(row, &psha1);
    str_(row, &psha256);
    str_(row, &pmd5);
    str_(row, pfile);
    num(row, psize);
    num(row, parent.pid);
    str_(row, &parent.cmd);
    time(row, parent.created);
    str_(row, &format!("{pfolder}\\{pfile}"));
    num(row, parent.parent.1);
    str_(row, parent.parent.0);
    time(row, parent.parent.2);
    row.push_str(&format!("{}", 1000 + 7 * n));
}
