//! A pool of warm LibreOffice instances that turn office documents into
//! PDF (which the PDF path then renders).
//!
//! A cold `soffice --convert-to pdf` costs ~1.5 s and ~210 MB per document,
//! most of it start-up. Each instance here is started once (lazily), runs
//! in its own sandbox ([`super::sandbox`]: no network, read-only system,
//! memory cap) with its own profile, and is driven by a small Python UNO
//! bridge (`bridge.py`, run with Debian's python3-uno) over stdin/stdout:
//! a warm conversion takes 30-270 ms on the corpus .doc files.
//!
//! (Handing `--convert-to` to a running instance through LibreOffice's own
//! IPC pipe is not usable: the instance exits after the first request.
//! Debian's `libreoffice-*-nogui` build aborts on UNO loads of some files,
//! a missing UI resource, so the regular `libreoffice-writer` is needed.)
//!
//! LibreOffice's word is not trusted: the output must be a complete PDF.
//! A conversion that runs past the time limit, or an instance that dies
//! (a crash, the memory cap), fails that document with a clear error and
//! the instance is replaced; instances are also replaced after a number of
//! conversions. Every document file is deleted after its conversion and
//! the pool's folder when the pool shuts down.

use super::sandbox::{self, INSIDE_DIR};
use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// The UNO bridge, passed to python3 on its command line (no file written).
const BRIDGE: &str = include_str!("bridge.py");
/// The pipe name the instance accepts UNO connections on (inside its own
/// sandbox, so it need not be unique).
const PIPE_NAME: &str = "faxrender";

/// Settings of the pool (flags and environment variables of the CLI and
/// the service map onto these).
#[derive(Debug, Clone)]
pub struct LibreOfficeSettings {
    /// `soffice` to run; `None` looks in the usual places.
    pub soffice: Option<PathBuf>,
    /// A python3 with the `uno` module (Debian: python3-uno).
    pub python: PathBuf,
    /// Instances running at most (each converts one document at a time).
    pub instances: usize,
    /// Longest a conversion may take.
    pub time_limit: Duration,
    /// Longest an instance may take to start.
    pub start_limit: Duration,
    /// Conversions after which an instance is replaced.
    pub conversions_per_instance: u32,
    /// Address-space cap of each instance, bytes.
    pub memory_limit: u64,
    /// Largest PDF accepted back, bytes.
    pub max_output_bytes: u64,
}

impl Default for LibreOfficeSettings {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        LibreOfficeSettings {
            soffice: None,
            python: PathBuf::from("/usr/bin/python3"),
            instances: cores.clamp(1, 4),
            time_limit: Duration::from_secs(30),
            start_limit: Duration::from_secs(60),
            conversions_per_instance: 200,
            memory_limit: 3 << 30,
            max_output_bytes: 256 << 20,
        }
    }
}

impl LibreOfficeSettings {
    /// Defaults, overridden by FAXRENDER_SOFFICE, FAXRENDER_LO_PYTHON,
    /// FAXRENDER_LO_INSTANCES, FAXRENDER_LO_TIMEOUT_SECS and
    /// FAXRENDER_LO_MEMORY_MB where set.
    pub fn from_env() -> Self {
        let mut s = LibreOfficeSettings::default();
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(v) = var("FAXRENDER_SOFFICE") {
            s.soffice = Some(PathBuf::from(v));
        }
        if let Some(v) = var("FAXRENDER_LO_PYTHON") {
            s.python = PathBuf::from(v);
        }
        if let Some(n) = var("FAXRENDER_LO_INSTANCES").and_then(|v| v.parse::<usize>().ok()) {
            s.instances = n.clamp(1, 64);
        }
        if let Some(n) = var("FAXRENDER_LO_TIMEOUT_SECS").and_then(|v| v.parse::<u64>().ok()) {
            s.time_limit = Duration::from_secs(n.max(1));
        }
        if let Some(n) = var("FAXRENDER_LO_MEMORY_MB").and_then(|v| v.parse::<u64>().ok()) {
            s.memory_limit = n.max(256) << 20;
        }
        s
    }
}

/// What `/readyz` and reports say about the pool.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PoolState {
    /// LibreOffice, python3-uno and the sandbox are all there.
    pub available: bool,
    /// Why not, when not.
    pub problem: Option<String>,
    pub instances_running: usize,
    pub instances_max: usize,
    pub conversions: u64,
    pub failures: u64,
}

/// The pool.
pub struct LibreOffice {
    settings: LibreOfficeSettings,
    /// bwrap and soffice, or why they cannot be used.
    tools: std::result::Result<(PathBuf, PathBuf), String>,
    base: PathBuf,
    slots: Vec<Mutex<Slot>>,
    next: AtomicUsize,
    conversions: AtomicU64,
    failures: AtomicU64,
}

/// One instance's place: its folder and, while warm, the instance.
struct Slot {
    dir: PathBuf,
    instance: Option<Instance>,
    conversions: u32,
}

/// A running sandbox with LibreOffice and the bridge in it.
struct Instance {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<String>,
}

impl Drop for Instance {
    fn drop(&mut self) {
        // Killing bwrap takes its PID namespace, LibreOffice included, down.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

static POOL_DIRS: AtomicUsize = AtomicUsize::new(0);

impl LibreOffice {
    /// A pool with `settings`; nothing starts until the first conversion.
    pub fn new(settings: LibreOfficeSettings) -> Self {
        let tools = find_tools(&settings);
        let base = std::env::temp_dir().join(format!(
            "faxrender-lo-{}-{}",
            std::process::id(),
            POOL_DIRS.fetch_add(1, Ordering::Relaxed)
        ));
        let slots = (0..settings.instances.max(1))
            .map(|i| {
                Mutex::new(Slot {
                    dir: base.join(format!("instance-{i}")),
                    instance: None,
                    conversions: 0,
                })
            })
            .collect();
        LibreOffice {
            settings,
            tools,
            base,
            slots,
            next: AtomicUsize::new(0),
            conversions: AtomicU64::new(0),
            failures: AtomicU64::new(0),
        }
    }

    /// The process-wide pool, configured from the environment.
    pub fn global() -> &'static LibreOffice {
        GLOBAL.get_or_init(|| LibreOffice::new(LibreOfficeSettings::from_env()))
    }

    /// Shuts the process-wide pool down if it was used (CLI exit, service
    /// shutdown): instances stopped, folders removed.
    pub fn shutdown_global() {
        if let Some(pool) = GLOBAL.get() {
            pool.shutdown();
        }
    }

    /// Whether conversions can run, and the pool's figures.
    pub fn state(&self) -> PoolState {
        let running = self
            .slots
            .iter()
            .filter(|s| s.try_lock().map_or(true, |s| s.instance.is_some()))
            .count();
        PoolState {
            available: self.tools.is_ok(),
            problem: self.tools.as_ref().err().cloned(),
            instances_running: running,
            instances_max: self.slots.len(),
            conversions: self.conversions.load(Ordering::Relaxed),
            failures: self.failures.load(Ordering::Relaxed),
        }
    }

    /// Converts one document (its bytes and the extension LibreOffice
    /// should see, e.g. "doc") to PDF bytes.
    pub fn convert_to_pdf(&self, bytes: &[u8], extension: &str) -> Result<Vec<u8>> {
        let (bwrap, soffice) = self
            .tools
            .as_ref()
            .map_err(|why| Error::unsupported(why.clone()))?;
        let mut slot = self.take_slot();
        let result = self.convert_in(&mut slot, bwrap, soffice, bytes, extension);
        clear_dir(&slot.dir.join("job"));
        match &result {
            Ok(_) => self.conversions.fetch_add(1, Ordering::Relaxed),
            Err(_) => self.failures.fetch_add(1, Ordering::Relaxed),
        };
        result
    }

    /// The pool's private folder (instance profiles, the document being
    /// converted); removed by [`LibreOffice::shutdown`].
    pub fn folder(&self) -> &Path {
        &self.base
    }

    /// Stops every instance and removes the pool's folder.
    pub fn shutdown(&self) {
        for slot in &self.slots {
            let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
            slot.instance = None;
        }
        // The sandbox's processes die with it, but not instantly: one may
        // still be writing its profile while the folder is removed.
        for _ in 0..40 {
            match std::fs::remove_dir_all(&self.base) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                _ if self.base.exists() => std::thread::sleep(Duration::from_millis(50)),
                _ => break,
            }
        }
    }

    /// A free slot if there is one, else waits for the next in turn.
    fn take_slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        let n = self.slots.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..n {
            if let Ok(slot) = self.slots[(start + i) % n].try_lock() {
                return slot;
            }
        }
        self.slots[start % n]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn convert_in(
        &self,
        slot: &mut Slot,
        bwrap: &Path,
        soffice: &Path,
        bytes: &[u8],
        extension: &str,
    ) -> Result<Vec<u8>> {
        let s = &self.settings;
        if slot.instance.is_none() {
            slot.instance = Some(start_instance(s, &slot.dir, bwrap, soffice)?);
            slot.conversions = 0;
        }
        let job = slot.dir.join("job");
        clear_dir(&job);
        std::fs::create_dir_all(&job)
            .map_err(|e| Error::io(format!("cannot create the LibreOffice job folder ({e})")))?;
        let input_name = format!("document.{extension}");
        std::fs::write(job.join(&input_name), bytes)
            .map_err(|e| Error::io(format!("cannot write the document for LibreOffice ({e})")))?;
        let request = serde_json::json!({
            "input": format!("{INSIDE_DIR}/job/{input_name}"),
            "output": format!("{INSIDE_DIR}/job/out.pdf"),
        });
        let instance = slot.instance.as_mut().expect("started above");
        let reply = writeln!(instance.stdin, "{request}")
            .and_then(|()| instance.stdin.flush())
            .map_err(|_| RecvTimeoutError::Disconnected)
            .and_then(|()| instance.replies.recv_timeout(s.time_limit));
        let reply = match reply {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => {
                slot.instance = None;
                return Err(Error::limit(format!(
                    "LibreOffice did not finish converting within {} s (time limit); the conversion was stopped",
                    s.time_limit.as_secs()
                )));
            }
            Err(RecvTimeoutError::Disconnected) => {
                slot.instance = None;
                return Err(Error::bad_input(format!(
                    "LibreOffice stopped while converting the document (a crash, or the memory cap of {} MB)",
                    s.memory_limit >> 20
                )));
            }
        };
        slot.conversions += 1;
        if slot.conversions >= s.conversions_per_instance {
            slot.instance = None;
        }
        let reply: serde_json::Value = serde_json::from_str(&reply)
            .map_err(|_| Error::internal("the LibreOffice bridge sent an unreadable reply"))?;
        if reply["ok"] != serde_json::Value::Bool(true) {
            let why = reply["error"].as_str().unwrap_or("no reason given");
            if why.contains("bridge disposed") || why.contains("DisposedException") {
                slot.instance = None;
                return Err(Error::bad_input(
                    "LibreOffice crashed while converting the document",
                ));
            }
            return Err(Error::bad_input(format!(
                "LibreOffice could not convert the document ({})",
                first_line(why)
            )));
        }
        read_pdf(&job.join("out.pdf"), s.max_output_bytes)
    }
}

impl Drop for LibreOffice {
    fn drop(&mut self) {
        self.shutdown();
    }
}

static GLOBAL: OnceLock<LibreOffice> = OnceLock::new();

/// Finds bwrap and soffice, or says what is missing.
fn find_tools(s: &LibreOfficeSettings) -> std::result::Result<(PathBuf, PathBuf), String> {
    let soffice = match &s.soffice {
        Some(p) if p.is_file() => p.clone(),
        Some(p) => return Err(format!("LibreOffice was not found at {}", p.display())),
        None => [
            "/usr/lib/libreoffice/program/soffice",
            "/opt/libreoffice/program/soffice",
        ]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or("LibreOffice is not installed (needed for .doc, .xls and .ppt files)")?,
    };
    let bwrap = sandbox::find_bwrap()
        .ok_or("bubblewrap (bwrap) is not installed: LibreOffice is only run in its sandbox")?;
    if !s.python.is_file() {
        return Err(format!(
            "{} is missing (python3 with python3-uno drives LibreOffice)",
            s.python.display()
        ));
    }
    Ok((bwrap, soffice))
}

/// Starts LibreOffice and the bridge in a fresh sandbox and waits until
/// the bridge says it is connected.
fn start_instance(
    s: &LibreOfficeSettings,
    dir: &Path,
    bwrap: &Path,
    soffice: &Path,
) -> Result<Instance> {
    for sub in ["tmp", "job"] {
        std::fs::create_dir_all(dir.join(sub))
            .map_err(|e| Error::io(format!("cannot create the LibreOffice folder ({e})")))?;
    }
    // The office root: .../program/soffice -> ...
    let office_root = soffice
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("/usr"));
    let script = format!(
        "\"$0\" --headless --invisible --nologo --norestore --nodefault --nolockcheck \
         --nocrashreport --nofirststartwizard \"--accept=pipe,name={PIPE_NAME};urp;\" \
         -env:UserInstallation=file://{INSIDE_DIR}/profile >{INSIDE_DIR}/office.log 2>&1 & \
         exec \"$1\" -c \"$FAXRENDER_BRIDGE\" {PIPE_NAME} 2>{INSIDE_DIR}/bridge.log"
    );
    let soffice_arg = soffice.to_string_lossy().into_owned();
    let python_arg = s.python.to_string_lossy().into_owned();
    let mut cmd = sandbox::command(
        bwrap,
        dir,
        office_root,
        s.memory_limit,
        "/bin/sh",
        &["-c", &script, &soffice_arg, &python_arg],
    );
    cmd.env("FAXRENDER_BRIDGE", BRIDGE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::internal(format!("cannot start the LibreOffice sandbox ({e})")))?;
    let stdin = child.stdin.take().expect("piped");
    let stdout = child.stdout.take().expect("piped");
    let (tx, replies) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut instance = Instance {
        child,
        stdin,
        replies,
    };
    match instance.replies.recv_timeout(s.start_limit) {
        Ok(line) if line.contains("\"ready\"") => Ok(instance),
        outcome => {
            let _ = instance.child.kill();
            let log = std::fs::read_to_string(dir.join("bridge.log")).unwrap_or_default();
            let why = match outcome {
                Err(RecvTimeoutError::Timeout) => {
                    format!("it did not start within {} s", s.start_limit.as_secs())
                }
                _ => match log.lines().rev().find(|l| !l.trim().is_empty()) {
                    Some(last) => format!("it stopped: {}", last.trim()),
                    None => "it stopped during start-up".to_string(),
                },
            };
            Err(Error::internal(format!(
                "LibreOffice could not be started ({why})"
            )))
        }
    }
}

/// Reads LibreOffice's PDF, checking it is one and is complete.
fn read_pdf(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    let len = std::fs::metadata(path)
        .map_err(|_| Error::bad_input("LibreOffice produced no PDF for the document"))?
        .len();
    if len > max_bytes {
        return Err(Error::limit(format!(
            "LibreOffice's PDF of the document is {} MB, over the {} MB limit",
            len >> 20,
            max_bytes >> 20
        )));
    }
    let pdf = std::fs::read(path)
        .map_err(|e| Error::io(format!("cannot read LibreOffice's PDF ({e})")))?;
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    let complete = tail.windows(5).any(|w| w == b"%%EOF");
    if !pdf.starts_with(b"%PDF-") || !complete {
        return Err(Error::bad_input(
            "LibreOffice produced an incomplete PDF for the document",
        ));
    }
    Ok(pdf)
}

fn clear_dir(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The first line of a message, at most 200 characters.
fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or("");
    line.char_indices()
        .nth(200)
        .map_or(line, |(i, _)| &line[..i])
}
