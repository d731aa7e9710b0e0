//! Process-tree ground truth: simulated Windows machines whose every process, listed
//! or not, is known with its true parent, written as the two result shapes the
//! process tree gets wrong most easily.
//!
//! - [`defender_internal`]: Defender's internal schema (`CreatedProcess*`,
//!   `InitiatingProcess*`, `InitiatingProcessParent*`) for the processes created in a
//!   capture window. The same process is spelled several ways across columns — a base
//!   name in its own row, another case in its children's `InitiatingProcessName`, a
//!   `\Device\HarddiskVolume3\…` or `C:\…` path in its grandchildren's
//!   `InitiatingProcessParentProcessName` — and references carry its creation time cut
//!   to microseconds, as the real data does.
//! - [`memory_snapshot`]: a Volatility `windows.pslist` listing per machine (a `Host`
//!   column added, as when many images are compared): the processes alive at the
//!   moment of the image plus a few exited ones that linger with an `ExitTime`, times
//!   cut to whole seconds, names cut to 14 characters. Parents exit and leave orphans;
//!   their PIDs are reused by processes started a second or more later; `Registry` is
//!   recorded starting before `System`.
//!
//! The machines live from boot: System, Registry, smss and its per-session instances
//! (which start csrss, wininit and winlogon and exit), services and its service hosts,
//! the user's logon through userinit (which exits) to explorer, then random activity —
//! shells, consoles, tools, browsers — each process living for a while and spawning
//! children while it lives. PIDs are multiples of 4; a freed PID goes back to a queue
//! (to its front when its holder leaves orphans, so it is soon reused) and is taken
//! again only from the next whole second after the exit: within the same second as an
//! orphan's start, a reused PID cannot be told from the parent at a listing's one-second
//! resolution by any rule, which the tree flags as a *same-tick* link instead.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::{write_time, Rng, TICKS_PER_SECOND};

/// One process of a simulated machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// Machine index into [`Truth::hosts`].
    pub host: usize,
    /// Process id.
    pub pid: u64,
    /// Image file name as on disk (`WmiPrvSE.exe`).
    pub name: String,
    /// Its folder (`C:\Windows\System32`).
    pub folder: String,
    /// When it started, in 100-ns ticks since the Unix epoch (as recorded: System's is
    /// after Registry's).
    pub start: i64,
    /// When it exited, if it did before the end of the simulation.
    pub exit: Option<i64>,
    /// Its true parent (an index into [`Truth::processes`]); `None` for the Idle process.
    pub parent: Option<usize>,
}

/// A generated result and the truth behind it.
#[derive(Debug, Clone)]
pub struct Truth {
    /// The result, as CSV text.
    pub text: String,
    /// Machine names.
    pub hosts: Vec<String>,
    /// Every process of every machine, listed or not.
    pub processes: Vec<Process>,
    /// The process each data row describes, in row order.
    pub rows: Vec<usize>,
}

impl Truth {
    /// For each process, its data row, if listed.
    pub fn row_of_process(&self) -> Vec<Option<usize>> {
        let mut out = vec![None; self.processes.len()];
        for (row, &p) in self.rows.iter().enumerate() {
            if let Some(x) = out.get_mut(p) {
                *x = Some(row);
            }
        }
        out
    }
}

const SYS32: &str = "C:\\Windows\\System32";

/// What a kind of process is: (name, folder, lifetime in seconds (0: until the end),
/// children it spawns at random while it lives, a child it starts at once (a console)).
struct Kind {
    name: &'static str,
    folder: &'static str,
    life: (u64, u64),
    spawns: &'static [&'static str],
    console: bool,
}

const KINDS: &[Kind] = &[
    Kind { name: "System", folder: "", life: (0, 0), spawns: &[], console: false },
    Kind { name: "Registry", folder: "", life: (0, 0), spawns: &[], console: false },
    Kind { name: "smss.exe", folder: SYS32, life: (0, 0), spawns: &[], console: false },
    Kind { name: "MemCompression", folder: "", life: (0, 0), spawns: &[], console: false },
    Kind { name: "csrss.exe", folder: SYS32, life: (0, 0), spawns: &[], console: false },
    Kind { name: "wininit.exe", folder: SYS32, life: (0, 0), spawns: &[], console: false },
    Kind { name: "winlogon.exe", folder: SYS32, life: (0, 0), spawns: &[], console: false },
    Kind {
        name: "services.exe",
        folder: SYS32,
        life: (0, 0),
        spawns: &["svchost.exe", "msiexec.exe", "TrustedInstaller.exe", "MpCmdRun.exe"],
        console: false,
    },
    Kind { name: "lsass.exe", folder: SYS32, life: (0, 0), spawns: &[], console: false },
    Kind { name: "fontdrvhost.exe", folder: SYS32, life: (0, 0), spawns: &[], console: false },
    Kind { name: "dwm.exe", folder: SYS32, life: (0, 0), spawns: &[], console: false },
    Kind { name: "userinit.exe", folder: SYS32, life: (0, 0), spawns: &[], console: false },
    Kind {
        name: "explorer.exe",
        folder: "C:\\Windows",
        life: (0, 0),
        spawns: &["cmd.exe", "powershell.exe", "msedge.exe", "notepad.exe", "OUTLOOK.EXE", "mmc.exe"],
        console: false,
    },
    Kind {
        name: "svchost.exe",
        folder: SYS32,
        life: (60, 36_000),
        spawns: &[
            "WmiPrvSE.exe",
            "taskhostw.exe",
            "RuntimeBroker.exe",
            "backgroundTaskHost.exe",
            "dllhost.exe",
            "cmd.exe",
            "powershell.exe",
        ],
        console: false,
    },
    Kind {
        name: "WmiPrvSE.exe",
        folder: "C:\\Windows\\System32\\wbem",
        life: (30, 900),
        spawns: &["powershell.exe", "cmd.exe", "wmic.exe"],
        console: false,
    },
    Kind {
        name: "taskhostw.exe",
        folder: SYS32,
        life: (5, 600),
        spawns: &["cmd.exe", "powershell.exe"],
        console: false,
    },
    Kind { name: "RuntimeBroker.exe", folder: SYS32, life: (10, 3600), spawns: &[], console: false },
    Kind { name: "backgroundTaskHost.exe", folder: SYS32, life: (2, 60), spawns: &[], console: false },
    Kind { name: "dllhost.exe", folder: SYS32, life: (2, 120), spawns: &[], console: false },
    Kind { name: "msiexec.exe", folder: SYS32, life: (5, 300), spawns: &["msiexec.exe", "cmd.exe"], console: false },
    Kind {
        name: "TrustedInstaller.exe",
        folder: "C:\\Windows\\servicing",
        life: (30, 900),
        spawns: &["TiWorker.exe"],
        console: false,
    },
    Kind {
        name: "TiWorker.exe",
        folder: "C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.19041.3996_none",
        life: (10, 600),
        spawns: &[],
        console: false,
    },
    Kind {
        name: "MpCmdRun.exe",
        folder: "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24030.9-0",
        life: (1, 60),
        spawns: &[],
        console: true,
    },
    Kind {
        name: "cmd.exe",
        folder: SYS32,
        life: (1, 300),
        spawns: &[
            "powershell.exe",
            "net.exe",
            "whoami.exe",
            "reg.exe",
            "certutil.exe",
            "schtasks.exe",
            "cmd.exe",
            "ping.exe",
        ],
        console: true,
    },
    Kind {
        name: "powershell.exe",
        folder: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
        life: (2, 900),
        spawns: &["csc.exe", "whoami.exe", "net.exe", "cmd.exe", "rundll32.exe"],
        console: true,
    },
    Kind { name: "conhost.exe", folder: SYS32, life: (0, 0), spawns: &[], console: false },
    Kind { name: "net.exe", folder: SYS32, life: (1, 5), spawns: &["net1.exe"], console: true },
    Kind { name: "net1.exe", folder: SYS32, life: (1, 3), spawns: &[], console: false },
    Kind { name: "whoami.exe", folder: SYS32, life: (1, 2), spawns: &[], console: true },
    Kind { name: "reg.exe", folder: SYS32, life: (1, 3), spawns: &[], console: true },
    Kind { name: "certutil.exe", folder: SYS32, life: (1, 20), spawns: &[], console: true },
    Kind { name: "schtasks.exe", folder: SYS32, life: (1, 3), spawns: &[], console: true },
    Kind { name: "ping.exe", folder: SYS32, life: (3, 10), spawns: &[], console: true },
    Kind {
        name: "wmic.exe",
        folder: "C:\\Windows\\System32\\wbem",
        life: (1, 10),
        spawns: &["cmd.exe"],
        console: true,
    },
    Kind {
        name: "csc.exe",
        folder: "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319",
        life: (1, 10),
        spawns: &["cvtres.exe"],
        console: true,
    },
    Kind {
        name: "cvtres.exe",
        folder: "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319",
        life: (1, 3),
        spawns: &[],
        console: false,
    },
    Kind { name: "rundll32.exe", folder: SYS32, life: (1, 600), spawns: &[], console: false },
    Kind {
        name: "msedge.exe",
        folder: "C:\\Program Files (x86)\\Microsoft\\Edge\\Application",
        life: (60, 7200),
        spawns: &["msedge.exe"],
        console: false,
    },
    Kind { name: "notepad.exe", folder: SYS32, life: (10, 3600), spawns: &[], console: false },
    Kind {
        name: "OUTLOOK.EXE",
        folder: "C:\\Program Files\\Microsoft Office\\root\\Office16",
        life: (600, 36000),
        spawns: &["WINWORD.EXE", "EXCEL.EXE", "msedge.exe"],
        console: false,
    },
    Kind {
        name: "WINWORD.EXE",
        folder: "C:\\Program Files\\Microsoft Office\\root\\Office16",
        life: (30, 3600),
        spawns: &["cmd.exe", "powershell.exe", "splwow64.exe"],
        console: false,
    },
    Kind {
        name: "EXCEL.EXE",
        folder: "C:\\Program Files\\Microsoft Office\\root\\Office16",
        life: (30, 3600),
        spawns: &["splwow64.exe"],
        console: false,
    },
    Kind { name: "splwow64.exe", folder: "C:\\Windows", life: (5, 300), spawns: &[], console: false },
    Kind { name: "mmc.exe", folder: SYS32, life: (30, 1800), spawns: &[], console: false },
    Kind { name: "Idle", folder: "", life: (0, 0), spawns: &[], console: false },
];

/// A lifetime that never ends (the machine's own processes).
const FOREVER: i64 = -1;

fn kind(name: &str) -> usize {
    KINDS.iter().position(|k| k.name == name).unwrap_or(0)
}

/// A machine being simulated: its live processes, its PID allocator and the spawns
/// scheduled ahead.
struct Machine<'a> {
    host: usize,
    rng: &'a mut Rng,
    procs: &'a mut Vec<Process>,
    kinds: Vec<usize>,
    /// Live processes (indices), with their kind, and when each exits.
    live: Vec<usize>,
    /// Freed PIDs and the first tick each may be taken again.
    free: VecDeque<(u64, i64)>,
    /// The PIDs in `free`.
    queued: std::collections::HashSet<u64>,
    in_use: std::collections::HashSet<u64>,
    next_pid: u64,
    /// (time, sequence, parent, kind) of spawns to come.
    pending: BinaryHeap<Reverse<(i64, u64, usize, usize)>>,
    seq: u64,
    /// Whether each process has started a child (its PID then goes to the queue's front).
    had_children: Vec<bool>,
}

impl Machine<'_> {
    fn second_after(t: i64) -> i64 {
        (t.div_euclid(TICKS_PER_SECOND) + 1) * TICKS_PER_SECOND
    }

    /// Retires every process that exited by `t`, freeing its PID.
    fn retire(&mut self, t: i64) {
        let mut i = 0;
        while let Some(&p) = self.live.get(i) {
            match self.procs[p].exit {
                Some(x) if x <= t => {
                    self.live.swap_remove(i);
                    let pid = self.procs[p].pid;
                    self.in_use.remove(&pid);
                    let entry = (pid, Self::second_after(x));
                    self.queued.insert(pid);
                    if self.had_children.get(p).copied().unwrap_or(false) {
                        // Orphans left behind: their parent's PID comes back soon.
                        self.free.push_front(entry);
                    } else {
                        self.free.push_back(entry);
                    }
                }
                _ => i += 1,
            }
        }
    }

    /// A PID for a process starting at `t`: mostly a freed one whose holder exited
    /// before this second (the queue's front first), else a fresh one; never one held
    /// or queued.
    fn alloc_pid(&mut self, t: i64) -> u64 {
        if self.rng.chance(0.6) {
            if let Some(at) = self.free.iter().position(|&(_, from)| from <= t) {
                if let Some((pid, _)) = self.free.remove(at) {
                    self.queued.remove(&pid);
                    self.in_use.insert(pid);
                    return pid;
                }
            }
        }
        loop {
            self.next_pid += 4 * (1 + self.rng.below(3));
            if self.next_pid > 40_000 {
                self.next_pid = 200;
            }
            let pid = self.next_pid;
            if !self.in_use.contains(&pid) && !self.queued.contains(&pid) {
                self.in_use.insert(pid);
                return pid;
            }
        }
    }

    /// Starts a process of kind `k` at `t` under `parent` (with a fixed PID, or one from
    /// the allocator) and schedules the console and first child it starts.
    fn spawn(&mut self, t: i64, parent: Option<usize>, k: usize, pid: Option<u64>, life: Option<i64>) -> usize {
        self.retire(t);
        let pid = match pid {
            Some(p) => {
                self.in_use.insert(p);
                p
            }
            None => self.alloc_pid(t),
        }; // hold the PID before anything else can take it
        let kd = &KINDS[k];
        let life = life.or_else(|| {
            (kd.life.1 > 0).then(|| {
                let secs = kd.life.0 + self.rng.below(kd.life.1 - kd.life.0 + 1);
                secs as i64 * TICKS_PER_SECOND + self.rng.below(TICKS_PER_SECOND as u64) as i64
            })
        });
        let life = life.filter(|&l| l != FOREVER);
        let id = self.procs.len();
        self.procs.push(Process {
            host: self.host,
            pid,
            name: kd.name.to_string(),
            folder: kd.folder.to_string(),
            start: t,
            exit: life.map(|l| t + l.max(1)),
            parent,
        });
        self.kinds.push(k);
        self.had_children.push(false);
        if let Some(p) = parent {
            if let Some(h) = self.had_children.get_mut(p) {
                *h = true;
            }
        }
        self.live.push(id);
        if kd.console {
            // A console host, within the same second most often.
            let at = t + 20_000 + self.rng.below(3_000_000) as i64;
            self.schedule(at, id, kind("conhost.exe"));
        }
        if !kd.spawns.is_empty() && life.is_some() && self.rng.chance(0.5) {
            let name: &&str = self.rng.pick(kd.spawns);
            let child = kind(name);
            let at = t + 50_000 + self.rng.below(40_000_000) as i64;
            self.schedule(at, id, child);
        }
        id
    }

    fn schedule(&mut self, at: i64, parent: usize, k: usize) {
        self.seq += 1;
        self.pending.push(Reverse((at, self.seq, parent, k)));
    }

    /// Runs the pending spawns due by `t`, skipping those whose parent has exited.
    fn run_pending(&mut self, t: i64) {
        while let Some(&Reverse((at, _, parent, k))) = self.pending.peek() {
            if at > t {
                break;
            }
            self.pending.pop();
            if self.procs[parent].exit.is_none_or(|x| x > at) {
                // A console host ends with its console process.
                let life = if KINDS[k].name == "conhost.exe" {
                    self.procs[parent].exit.map(|x| (x - at).max(1) + 1_000)
                } else {
                    None
                };
                self.spawn(at, Some(parent), k, None, life);
            }
        }
    }
}

/// Simulates one machine from `boot` to `end`, appending its processes to `procs`.
/// `activity` is the mean number of spawns a minute.
fn simulate(rng: &mut Rng, procs: &mut Vec<Process>, host: usize, boot: i64, end: i64, activity: f64) {
    let s = TICKS_PER_SECOND;
    let mut m = Machine {
        host,
        rng,
        procs,
        kinds: Vec::new(),
        live: Vec::new(),
        free: VecDeque::new(),
        queued: Default::default(),
        in_use: Default::default(),
        next_pid: 200,
        pending: BinaryHeap::new(),
        seq: 0,
        had_children: Vec::new(),
    };
    // The processes before `procs` belong to other machines.
    m.kinds = vec![usize::MAX; m.procs.len()];
    m.had_children = vec![false; m.procs.len()];
    let jitter = |m: &mut Machine, n: i64| m.rng.below((n * s) as u64) as i64;
    let idle = m.spawn(boot - 10 * s, None, kind("Idle"), Some(0), None);
    // Registry starts first; System's recorded start comes seconds later.
    let system_start = boot + 4 * s + jitter(&mut m, 1) / 2;
    let registry_pid = 88 + 4 * m.rng.below(8);
    let system = m.procs.len();
    m.procs.push(Process {
        host,
        pid: 4,
        name: "System".into(),
        folder: String::new(),
        start: system_start,
        exit: None,
        parent: Some(idle),
    });
    m.kinds.push(kind("System"));
    m.had_children.push(true);
    m.in_use.insert(4);
    m.live.push(system);
    m.spawn(boot, Some(system), kind("Registry"), Some(registry_pid), None);
    let (smss_start, smss_pid) = (system_start + jitter(&mut m, 1) / 4, 300 + 4 * m.rng.below(40));
    let smss = m.spawn(smss_start, Some(system), kind("smss.exe"), Some(smss_pid), None);
    // One smss instance per session: it starts the session's csrss and wininit or
    // winlogon, then exits, leaving them orphans.
    let t0 = boot + 6 * s + jitter(&mut m, 1) / 2;
    let life = s / 2 + jitter(&mut m, 1) / 3;
    let session0 = m.spawn(t0, Some(smss), kind("smss.exe"), None, Some(life));
    m.spawn(t0 + s / 20, Some(session0), kind("csrss.exe"), None, None);
    let wininit = m.spawn(t0 + s / 10, Some(session0), kind("wininit.exe"), None, None);
    let t1 = t0 + s + jitter(&mut m, 1) / 2;
    let session1 = m.spawn(t1, Some(smss), kind("smss.exe"), None, Some(s / 2));
    m.spawn(t1 + s / 20, Some(session1), kind("csrss.exe"), None, None);
    let winlogon = m.spawn(t1 + s / 10, Some(session1), kind("winlogon.exe"), None, None);
    let services = m.spawn(t1 + s / 5, Some(wininit), kind("services.exe"), None, None);
    m.spawn(t1 + s / 4, Some(wininit), kind("lsass.exe"), None, None);
    m.spawn(t1 + s / 3, Some(wininit), kind("fontdrvhost.exe"), None, None);
    m.spawn(boot + 12 * s, Some(system), kind("MemCompression"), None, None);
    let mut t = t1 + s / 2;
    let mut hosts_of_services = Vec::new();
    for _ in 0..(12 + m.rng.below(20)) {
        t += jitter(&mut m, 2) / 2;
        hosts_of_services.push(m.spawn(t, Some(services), kind("svchost.exe"), None, Some(FOREVER)));
    }
    // The user logs on: winlogon → userinit (exits) → explorer.
    let logon = t + (20 + m.rng.below(100) as i64) * s;
    m.spawn(logon, Some(winlogon), kind("dwm.exe"), None, None);
    let userinit = m.spawn(logon + s / 3, Some(winlogon), kind("userinit.exe"), None, Some(3 * s));
    let explorer = m.spawn(logon + s, Some(userinit), kind("explorer.exe"), None, None);
    // Activity until the end.
    let mut spawners: Vec<usize> = vec![explorer, explorer, services];
    spawners.extend(hosts_of_services.iter().copied());
    let mean_gap = (60.0 * s as f64 / activity.max(0.01)) as u64;
    let mut t = logon + 5 * s;
    while t < end {
        t += 1 + m.rng.below(2 * mean_gap.max(1)) as i64;
        if t >= end {
            break;
        }
        m.run_pending(t);
        m.retire(t);
        // A spawner: a long-lived one, or any live process that spawns.
        let live_spawners: Vec<usize> = m
            .live
            .iter()
            .copied()
            .filter(|&p| m.kinds.get(p).is_some_and(|&k| k < KINDS.len() && !KINDS[k].spawns.is_empty()))
            .collect();
        let parent = if !live_spawners.is_empty() && m.rng.chance(0.5) {
            *m.rng.pick(&live_spawners)
        } else {
            *m.rng.pick(&spawners)
        };
        let pk = m.kinds.get(parent).copied().unwrap_or(0);
        let Some(children) = KINDS.get(pk).map(|k| k.spawns).filter(|c| !c.is_empty()) else { continue };
        let name: &&str = m.rng.pick(children);
        let child = kind(name);
        m.spawn(t, Some(parent), child, None, None);
    }
    m.run_pending(end);
}

/// Appends `text` as a CSV field (quoted when it needs to be).
fn csv_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Defender-internal process events for the processes created in the last `window`
/// seconds of each machine's life, about `rows` of them over `rows / 5,000` machines
/// (at least one), deterministic for `seed`.
pub fn defender_internal(rows: usize, seed: u64) -> Truth {
    let mut rng = Rng(seed ^ 0x006d_6465_5f69_6e74);
    let s = TICKS_PER_SECOND;
    let hosts: Vec<String> = (0..(rows / 5_000).max(1))
        .map(|h| format!("computerpii_{:040x}", u128::from(rng.next_u64()) << 32 | h as u128))
        .collect();
    let end = 1_624_406_400 * s; // 2021-06-23
    let window = 86_400 * s;
    let mut procs = Vec::new();
    let per_host = rows.div_ceil(hosts.len());
    for h in 0..hosts.len() {
        let boot = end - window - (3_600 + rng.below(3 * 86_400) as i64) * s;
        // Spawns a minute so that the window holds about `per_host` processes.
        let activity = per_host as f64 / 1_440.0 / 1.8;
        simulate(&mut rng, &mut procs, h, boot, end, activity);
    }
    let mut rows_of: Vec<usize> =
        (0..procs.len()).filter(|&p| procs[p].start >= end - window && procs[p].parent.is_some()).collect();
    // Reported in report order (creation plus the sensor's delay).
    rows_of.sort_by_key(|&p| (procs[p].start, p));
    rows_of.truncate(rows);
    let mut text = String::from(
        "ComputerDnsName,CreatedProcessId,CreatedProcessName,CreatedProcessCreationTime,CreatedProcessFilePath,InitiatingProcessId,InitiatingProcessName,InitiatingProcessCreationTime,InitiatingProcessParentProcessId,InitiatingProcessParentProcessName,InitiatingProcessParentCreationTime,CreatedProcessParentId,CreatedProcessParentName,CreatedProcessParentCreationTimeUtc,ReportTime\n",
    );
    let none =
        Process { host: 0, pid: 0, name: String::new(), folder: String::new(), start: 0, exit: None, parent: None };
    for &p in &rows_of {
        let me = &procs[p];
        let parent = me.parent.and_then(|x| procs.get(x)).unwrap_or(&none);
        let grand = parent.parent.and_then(|x| procs.get(x)).unwrap_or(&none);
        csv_field(&mut text, &hosts[me.host]);
        text.push_str(&format!(",{},", me.pid));
        // Its own row: the base name, now and then in lower case.
        let own = if rng.chance(0.1) { me.name.to_lowercase() } else { me.name.clone() };
        csv_field(&mut text, &own);
        text.push(',');
        write_time(&mut text, me.start, ' ', 7, "+00:00");
        text.push(',');
        csv_field(&mut text, &drive_path(me, &mut rng, false));
        text.push_str(&format!(",{},", parent.pid));
        let name = match rng.below(10) {
            0 | 1 => parent.name.to_lowercase(),
            2 => parent.name.to_uppercase(),
            _ => parent.name.clone(),
        };
        csv_field(&mut text, &name);
        text.push(',');
        reference_time(&mut text, parent.start, &mut rng);
        text.push_str(&format!(",{},", grand.pid));
        let gname = match rng.below(20) {
            0..=11 => device_path(grand),
            12..=16 => drive_path(grand, &mut rng, true),
            _ => grand.name.clone(),
        };
        csv_field(&mut text, &gname);
        text.push(',');
        reference_time(&mut text, grand.start, &mut rng);
        text.push_str(&format!(",{},", parent.pid));
        csv_field(&mut text, &device_path(parent));
        text.push(',');
        write_time(&mut text, parent.start, ' ', 7, "+00:00");
        text.push(',');
        write_time(&mut text, me.start + 3_000 + rng.below(2 * s as u64) as i64, ' ', 7, "+00:00");
        text.push('\n');
    }
    Truth { text, hosts, processes: procs, rows: rows_of }
}

/// A creation time as another row refers to it: every digit, or cut to microseconds.
fn reference_time(out: &mut String, ticks: i64, rng: &mut Rng) {
    if rng.chance(0.5) {
        write_time(out, ticks, ' ', 7, "+00:00");
    } else {
        write_time(out, ticks - ticks.rem_euclid(10), ' ', 6, "+00:00");
    }
}

/// `\Device\HarddiskVolume3\Windows\System32\svchost.exe` (the bare name for
/// processes without a folder).
fn device_path(p: &Process) -> String {
    match p.folder.get(2..) {
        Some(rest) if !rest.is_empty() => format!("\\Device\\HarddiskVolume3{rest}\\{}", p.name),
        _ => p.name.clone(),
    }
}

/// `C:\Windows\System32\svchost.exe`, with the case of the folder (and with `mixed`,
/// the name) changed the way Windows tools write it.
fn drive_path(p: &Process, rng: &mut Rng, mixed: bool) -> String {
    if p.folder.is_empty() {
        return p.name.clone();
    }
    let folder = match rng.below(3) {
        0 => p.folder.to_uppercase(),
        1 => p.folder.replace("System32", "system32"),
        _ => p.folder.clone(),
    };
    let name = if mixed && rng.chance(0.3) { p.name.to_uppercase() } else { p.name.clone() };
    format!("{folder}\\{name}")
}

/// Volatility `windows.pslist` listings of memory images of about `rows / 200`
/// machines (at least one), whole machines until `rows` is reached, deterministic for
/// `seed`.
pub fn memory_snapshot(rows: usize, seed: u64) -> Truth {
    let mut rng = Rng(seed ^ 0x736e_6170);
    let s = TICKS_PER_SECOND;
    let mut procs = Vec::new();
    let mut hosts = Vec::new();
    let mut rows_of = Vec::new();
    let mut text =
        String::from("Host,PID,PPID,ImageFileName,Offset(V),Threads,Handles,SessionId,Wow64,CreateTime,ExitTime\n");
    while rows_of.len() < rows.max(1) {
        let h = hosts.len();
        hosts.push(format!("mem-{h:04}.contoso.local"));
        let boot = 1_617_253_494 * s + rng.below(86_400) as i64 * s; // 2021-04-01
        let end = boot + (1_800 + rng.below(8 * 3_600) as i64) * s;
        let first = procs.len();
        let activity = 1.0 + rng.below(4) as f64;
        simulate(&mut rng, &mut procs, h, boot, end, activity);
        // Alive at the image, and a few exited ones whose structures linger.
        let listed: Vec<usize> = (first..procs.len())
            .filter(|&p| {
                procs[p].parent.is_some()
                    && match procs[p].exit {
                        None => true,
                        Some(x) if x > end => true,
                        Some(x) => x > end - 600 * s && rng.chance(0.1),
                    }
            })
            .collect();
        for &p in &listed {
            let me = &procs[p];
            let ppid = me.parent.and_then(|x| procs.get(x)).map_or(0, |x| x.pid);
            csv_field(&mut text, &hosts[h]);
            let image: String = me.name.chars().take(14).collect();
            text.push_str(&format!(",{},{ppid},", me.pid));
            csv_field(&mut text, &image);
            text.push_str(&format!(
                ",0x{:012x},{},-,{},False,",
                0xac81_0000_0000u64 + rng.below(0xffff_ffff),
                1 + rng.below(40),
                if me.name == "System" || me.name == "Registry" {
                    "N/A".to_string()
                } else {
                    (rng.below(2)).to_string()
                }
            ));
            write_time(&mut text, me.start - me.start.rem_euclid(s), ' ', 6, " ");
            text.push(',');
            match me.exit {
                Some(x) if x <= end => write_time(&mut text, x - x.rem_euclid(s), ' ', 6, " "),
                _ => text.push_str("N/A"),
            }
            text.push('\n');
        }
        rows_of.extend(listed);
    }
    Truth { text, hosts, processes: procs, rows: rows_of }
}
