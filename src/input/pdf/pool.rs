//! The parent side of the PDF workers: a pool of `faxrender pdf-worker`
//! processes, each with its own PDFium.
//!
//! - **Lazy and reused.** Workers start on first use, up to the configured
//!   count, and serve every later document (one pool per process).
//! - **Affinity.** A worker keeps the last document it loaded; a request
//!   prefers an idle worker that already holds the document, so a
//!   document's bytes cross the pipe once per worker, not once per page.
//! - **Contained failures.** A request waits at most its time limit (poll on
//!   the pipe); a worker that times out, dies (crash, or the address-space
//!   limit set with `setrlimit` before exec) or talks nonsense is killed and
//!   reaped, and a fresh one is started for the next request. The caller
//!   gets a [`PoolError`], never a signal.
//! - **No temp files.** Documents and pages travel through the pipes; the
//!   worker dies with the parent (`PR_SET_PDEATHSIG`, set up from one
//!   long-lived spawner thread) or when its stdin closes.

use super::protocol::*;
use crate::bilevel::BilevelMode;
use crate::bitmap::{BitImage, GrayImage};
use crate::geometry::PageGeometry;
use crate::input::RenderedPage;
use std::io::{self, Read, Write};
use std::ops::Range;
use std::os::fd::AsRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{mpsc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The hidden subcommand that runs a worker (see `src/cli/pdf_worker.rs`).
pub const WORKER_SUBCOMMAND: &str = "pdf-worker";
/// How long a new worker may take to say hello (loading PDFium).
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// Pipe buffer size asked for each worker pipe (Linux F_SETPIPE_SZ).
const PIPE_BYTES: libc::c_int = 1 << 20;

/// How the pool starts its workers.
#[derive(Debug, Clone)]
pub struct PoolConfig {
    /// `libpdfium.so`.
    pub library: PathBuf,
    /// The `faxrender` binary to run in worker mode.
    pub worker_exe: PathBuf,
    /// Most workers alive at once.
    pub workers: usize,
    /// Address-space limit of each worker, bytes (0: none).
    pub memory_limit: u64,
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// No worker can be started (library missing or broken, executable
    /// missing, version mismatch): PDFium is unavailable.
    Unavailable(String),
    /// PDFium refused the document or page.
    Refused(Failure, String),
    /// The worker died while working on the request.
    Crashed(String),
    /// The request took longer than its limit; the worker was killed.
    TimedOut,
}

/// What loading a document told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocInfo {
    pub pages: u32,
    pub form: FormKind,
    /// False when PDFium had to rebuild the cross-reference table (damaged).
    pub xref_valid: bool,
    /// A short document (at most [`BANDED_MAX_PAGES`] pages) with a page
    /// PDFium will take long over: worth rendering in bands.
    pub heavy_pages: bool,
}

/// A document as the pool sees it: a process-unique id and its bytes.
#[derive(Clone, Copy)]
pub struct DocRef<'a> {
    pub id: u64,
    pub bytes: &'a [u8],
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
    /// Id of the document this worker holds.
    loaded: Option<u64>,
    /// Its hello has been read: it is up, with PDFium bound. A worker
    /// [`Pool::prestart`] started is greeted when it is first used.
    greeted: bool,
}

#[derive(Default)]
struct State {
    idle: Vec<Worker>,
    /// Workers alive (idle or busy).
    live: usize,
    /// Set once starting a worker failed for a reason that will not go away.
    unavailable: Option<String>,
}

/// The pool.
pub struct Pool {
    config: PoolConfig,
    state: Mutex<State>,
    freed: Condvar,
}

impl Pool {
    pub fn new(config: PoolConfig) -> Pool {
        Pool {
            config,
            state: Mutex::new(State::default()),
            freed: Condvar::new(),
        }
    }

    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    /// Process ids of the idle workers (diagnostics and tests).
    pub fn worker_pids(&self) -> Vec<u32> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.idle.iter().map(|w| w.child.id()).collect()
    }

    /// Starts workers, without waiting for them to come up, until `wanted`
    /// (at most the pool size) are alive. A worker takes ~8 ms to start
    /// (exec, binding PDFium); started together with the one that reads a
    /// document's page count, the others are ready when its pages are (a
    /// multi-page PDF used to start its second worker only then).
    pub fn prestart(&self, wanted: usize) {
        let wanted = wanted.min(self.config.workers.max(1));
        loop {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if state.live >= wanted || state.unavailable.is_some() {
                return;
            }
            state.live += 1;
            drop(state);
            match self.start() {
                Ok(worker) => self.release(worker),
                Err(e) => {
                    self.started_nothing(&e);
                    return;
                }
            }
        }
    }

    /// Loads `doc` in a worker: page count and form kind.
    pub fn load(&self, doc: DocRef<'_>, timeout: Duration) -> Result<DocInfo, PoolError> {
        self.with_worker(doc.id, timeout, |w, deadline| {
            // a fresh load even if the worker holds it: the reply is needed
            w.loaded = None;
            load_in(w, doc, deadline)
        })
    }

    /// Renders page `index` (0-based) of `doc` onto a full page of `geom`.
    pub fn render(
        &self,
        doc: DocRef<'_>,
        index: u32,
        geom: &PageGeometry,
        limits: &WireLimits,
        timeout: Duration,
    ) -> Result<GrayImage, PoolError> {
        self.with_worker(doc.id, timeout, |w, deadline| {
            if w.loaded != Some(doc.id) {
                load_in(w, doc, deadline)?;
            }
            match render_in(w, doc.id, index, geom, limits, Request::Gray, deadline)? {
                RenderedPage::Gray(gray) => Ok(gray),
                RenderedPage::Bits(_) => unreachable!("a gray request gets a gray reply"),
            }
        })
    }

    /// Renders rows `rows` of page `index` (0-based) of `doc`, as on a full
    /// page of `geom`: the band of [`Pool::render`]'s page, in gray.
    pub fn render_band(
        &self,
        doc: DocRef<'_>,
        index: u32,
        geom: &PageGeometry,
        limits: &WireLimits,
        rows: Range<u32>,
        timeout: Duration,
    ) -> Result<GrayImage, PoolError> {
        if rows.is_empty() || rows.end > geom.rows() {
            return Err(PoolError::Refused(
                Failure::Other,
                format!(
                    "rows {rows:?} are not within the page's {} rows",
                    geom.rows()
                ),
            ));
        }
        self.with_worker(doc.id, timeout, |w, deadline| {
            if w.loaded != Some(doc.id) {
                load_in(w, doc, deadline)?;
            }
            let request = Request::Band(rows.clone());
            match render_in(w, doc.id, index, geom, limits, request, deadline)? {
                RenderedPage::Gray(gray) => Ok(gray),
                RenderedPage::Bits(_) => unreachable!("a band request gets a gray reply"),
            }
        })
    }

    /// Renders page `index` and makes it bilevel in the worker: the same
    /// bits as [`Pool::render`] + [`to_bilevel`](crate::bilevel::to_bilevel),
    /// an eighth of the bytes through the pipe.
    pub fn render_bits(
        &self,
        doc: DocRef<'_>,
        index: u32,
        geom: &PageGeometry,
        limits: &WireLimits,
        mode: BilevelMode,
        timeout: Duration,
    ) -> Result<BitImage, PoolError> {
        self.with_worker(doc.id, timeout, |w, deadline| {
            if w.loaded != Some(doc.id) {
                load_in(w, doc, deadline)?;
            }
            match render_in(
                w,
                doc.id,
                index,
                geom,
                limits,
                Request::Bits(mode),
                deadline,
            )? {
                RenderedPage::Bits(bits) => Ok(bits),
                RenderedPage::Gray(_) => unreachable!("a bits request gets a bits reply"),
            }
        })
    }

    /// Runs one exchange on a worker, then returns the worker to the pool,
    /// or kills it if the exchange failed in a way that leaves it unusable.
    fn with_worker<T>(
        &self,
        doc_id: u64,
        timeout: Duration,
        f: impl FnOnce(&mut Worker, Instant) -> Result<T, PoolError>,
    ) -> Result<T, PoolError> {
        let mut worker = self.acquire(doc_id)?;
        let deadline = Instant::now() + timeout;
        let result = f(&mut worker, deadline);
        match &result {
            Ok(_) | Err(PoolError::Refused(..)) => self.release(worker),
            Err(_) => self.discard(worker),
        }
        result
    }

    fn acquire(&self, doc_id: u64) -> Result<Worker, PoolError> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(reason) = &state.unavailable {
                return Err(PoolError::Unavailable(reason.clone()));
            }
            if !state.idle.is_empty() {
                // prefer a worker that holds the document already
                let pos = state
                    .idle
                    .iter()
                    .position(|w| w.loaded == Some(doc_id))
                    .unwrap_or(state.idle.len() - 1);
                let worker = state.idle.swap_remove(pos);
                if worker.greeted {
                    return Ok(worker);
                }
                drop(state);
                return self.greet(worker).inspect_err(|e| self.started_nothing(e));
            }
            if state.live < self.config.workers.max(1) {
                state.live += 1;
                drop(state);
                let started = self.start().and_then(|w| self.greet(w));
                if let Err(e) = &started {
                    self.started_nothing(e);
                }
                return started;
            }
            state = self.freed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn release(&self, worker: Worker) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.idle.push(worker);
        self.freed.notify_one();
    }

    fn discard(&self, mut worker: Worker) {
        let _ = worker.child.kill();
        let _ = worker.child.wait();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.live -= 1;
        self.freed.notify_one();
    }

    /// Undoes the count of a worker that failed to start; a reason that
    /// will not go away makes the pool unavailable.
    fn started_nothing(&self, e: &PoolError) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.live -= 1;
        if let PoolError::Unavailable(reason) = e {
            state.unavailable = Some(reason.clone());
        }
        self.freed.notify_all();
    }

    /// Starts a worker process; [`greet`](Self::greet) waits for it.
    fn start(&self) -> Result<Worker, PoolError> {
        let cfg = &self.config;
        let mut cmd = Command::new(&cfg.worker_exe);
        cmd.arg(WORKER_SUBCOMMAND)
            .arg("--pdfium")
            .arg(&cfg.library)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // PDFium's own diagnostics are not for the user
            .stderr(Stdio::null())
            // the pool's workers are the parallelism: a worker's bilevel
            // pass on threads of its own only adds wake-ups and context
            // switches (measured: ~50 per page with 2 threads per worker)
            .env("RAYON_NUM_THREADS", "1");
        let memory_limit = cfg.memory_limit;
        // SAFETY: only async-signal-safe calls (setrlimit, prctl) between
        // fork and exec, no allocation.
        unsafe {
            cmd.pre_exec(move || {
                if memory_limit > 0 {
                    let lim = libc::rlimit {
                        rlim_cur: memory_limit as libc::rlim_t,
                        rlim_max: memory_limit as libc::rlim_t,
                    };
                    if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                        return Err(io::Error::last_os_error());
                    }
                }
                // the worker must not outlive a parent killed with SIGKILL
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let mut child = spawn_from_long_lived_thread(cmd).map_err(|e| {
            PoolError::Unavailable(format!(
                "cannot start the PDF worker {} ({e})",
                cfg.worker_exe.display()
            ))
        })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(PoolError::Crashed("the PDF worker has no pipes".into()));
        };
        // a page comes back as 466 KB of bits (3.7 MB of gray): a 1 MB pipe
        // takes it in one or two wake-ups instead of eight with the default
        // 64 KB (the kernel caps the size at fs.pipe-max-size; on failure the
        // default stays, which only costs speed)
        for fd in [stdout.as_raw_fd(), stdin.as_raw_fd()] {
            // SAFETY: fcntl on a pipe descriptor this function owns.
            unsafe { libc::fcntl(fd, libc::F_SETPIPE_SZ, PIPE_BYTES) };
        }
        Ok(Worker {
            child,
            stdin,
            stdout,
            loaded: None,
            greeted: false,
        })
    }

    /// Reads a started worker's hello; kills it if the hello is wrong.
    fn greet(&self, mut worker: Worker) -> Result<Worker, PoolError> {
        match read_hello(&mut worker, Instant::now() + START_TIMEOUT, &self.config) {
            Ok(()) => {
                worker.greeted = true;
                Ok(worker)
            }
            Err(e) => {
                let _ = worker.child.kill();
                let _ = worker.child.wait();
                Err(e)
            }
        }
    }
}

/// Spawns `cmd` from one thread that lives as long as the process.
/// `PR_SET_PDEATHSIG` fires when the *thread* that forked the child ends, not
/// the process: a worker started from a rayon or request thread would be
/// killed when that thread exits.
fn spawn_from_long_lived_thread(cmd: Command) -> io::Result<Child> {
    type Request = (Command, mpsc::Sender<io::Result<Child>>);
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<Request>>> = OnceLock::new();
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("faxrender-pdf-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
            })
            .expect("start the PDF worker spawner thread");
        Mutex::new(tx)
    });
    let (reply_tx, reply_rx) = mpsc::channel();
    let sent = spawner
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send((cmd, reply_tx));
    if sent.is_err() {
        return Err(io::Error::other("the PDF worker spawner thread is gone"));
    }
    reply_rx
        .recv()
        .unwrap_or_else(|_| Err(io::Error::other("the PDF worker spawner thread is gone")))
}

impl Drop for Pool {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        for mut w in state.idle.drain(..) {
            let _ = w.child.kill();
            let _ = w.child.wait();
        }
    }
}

fn read_hello(w: &mut Worker, deadline: Instant, cfg: &PoolConfig) -> Result<(), PoolError> {
    let exe = cfg.worker_exe.display();
    let mut r = DeadlineReader::new(&mut w.stdout, deadline);
    let unavailable = |what: String| PoolError::Unavailable(what);
    let mut magic = [0u8; 4];
    r.read_exact(&mut magic)
        .map_err(|e| unavailable(format!("{exe} did not start as a PDF worker ({e})")))?;
    if &magic != HELLO_MAGIC {
        return Err(unavailable(format!("{exe} is not a faxrender PDF worker")));
    }
    let version = read_u32(&mut r).map_err(|e| unavailable(e.to_string()))?;
    let crate_version = read_str(&mut r).map_err(|e| unavailable(e.to_string()))?;
    if version != PROTOCOL_VERSION {
        return Err(unavailable(format!(
            "{exe} is faxrender {crate_version} with worker protocol {version}, this is {} with protocol {PROTOCOL_VERSION}",
            env!("CARGO_PKG_VERSION")
        )));
    }
    if read_u8(&mut r).map_err(|e| unavailable(e.to_string()))? != STATUS_OK {
        let why = read_str(&mut r).unwrap_or_default();
        return Err(unavailable(format!(
            "PDFium could not be loaded from {} ({why})",
            cfg.library.display()
        )));
    }
    Ok(())
}

fn load_in(w: &mut Worker, doc: DocRef<'_>, deadline: Instant) -> Result<DocInfo, PoolError> {
    let sent = (|| {
        let mut out = io::BufWriter::new(&mut w.stdin);
        write_u8(&mut out, REQ_LOAD)?;
        write_u64(&mut out, doc.id)?;
        write_u64(&mut out, doc.bytes.len() as u64)?;
        out.write_all(doc.bytes)?;
        out.flush()
    })();
    sent.map_err(|e| died(w, &e))?;
    let mut r = DeadlineReader::new(&mut w.stdout, deadline);
    let reply = (|| -> io::Result<Result<DocInfo, (Failure, String)>> {
        if read_u8(&mut r)? == STATUS_OK {
            let pages = read_u32(&mut r)?;
            let form = FormKind::from_code(read_u8(&mut r)?);
            let xref_valid = read_u8(&mut r)? != 0;
            let heavy_pages = read_u8(&mut r)? != 0;
            Ok(Ok(DocInfo {
                pages,
                form,
                xref_valid,
                heavy_pages,
            }))
        } else {
            let failure = Failure::from_code(read_u8(&mut r)?);
            Ok(Err((failure, read_str(&mut r)?)))
        }
    })();
    match reply {
        Ok(Ok(info)) => {
            w.loaded = Some(doc.id);
            Ok(info)
        }
        Ok(Err((failure, msg))) => Err(PoolError::Refused(failure, msg)),
        Err(e) => Err(exchange_failed(w, &e)),
    }
}

/// What a render request asks the worker for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Request {
    /// The whole page, gray.
    Gray,
    /// The whole page, bilevel (made in the worker).
    Bits(BilevelMode),
    /// These rows of the page, gray.
    Band(Range<u32>),
}

fn render_in(
    w: &mut Worker,
    doc_id: u64,
    index: u32,
    geom: &PageGeometry,
    limits: &WireLimits,
    request: Request,
    deadline: Instant,
) -> Result<RenderedPage, PoolError> {
    let wire = WireGeometry::from_geometry(geom);
    let (tag, rows) = match &request {
        Request::Gray => (REQ_RENDER, 0..geom.rows()),
        Request::Bits(_) => (REQ_RENDER_BITS, 0..geom.rows()),
        Request::Band(rows) => (REQ_RENDER_BAND, rows.clone()),
    };
    let sent = (|| {
        let mut out = io::BufWriter::new(&mut w.stdin);
        write_u8(&mut out, tag)?;
        write_u64(&mut out, doc_id)?;
        write_u32(&mut out, index)?;
        write_u8(&mut out, wire.resolution)?;
        write_u8(&mut out, wire.paper)?;
        write_u32(&mut out, wire.header_rows)?;
        write_u64(&mut out, limits.max_image_pixels)?;
        write_u64(&mut out, limits.max_decoded_bytes)?;
        match &request {
            Request::Gray => {}
            Request::Bits(mode) => write_u8(&mut out, mode_code(*mode))?,
            Request::Band(rows) => {
                write_u32(&mut out, rows.start)?;
                write_u32(&mut out, rows.len() as u32)?;
            }
        }
        out.flush()
    })();
    sent.map_err(|e| died(w, &e))?;
    let mut r = DeadlineReader::new(&mut w.stdout, deadline);
    let reply = (|| -> io::Result<Result<RenderedPage, (Failure, String)>> {
        if read_u8(&mut r)? == STATUS_OK {
            let width = read_u32(&mut r)?;
            let height = read_u32(&mut r)?;
            if (width, height) != (geom.width(), rows.len() as u32)
                || width as u64 * height as u64 > MAX_PAGE_PIXELS
            {
                return Err(invalid("page of the wrong size"));
            }
            if matches!(request, Request::Bits(_)) {
                let mut bits = BitImage::new(width, height);
                r.read_exact(&mut bits.data)?;
                return Ok(Ok(RenderedPage::Bits(bits)));
            }
            let data = read_bytes(&mut r, width as u64 * height as u64)?;
            Ok(Ok(RenderedPage::Gray(GrayImage::from_raw(
                width, height, data,
            ))))
        } else {
            let failure = Failure::from_code(read_u8(&mut r)?);
            Ok(Err((failure, read_str(&mut r)?)))
        }
    })();
    match reply {
        Ok(Ok(page)) => Ok(page),
        Ok(Err((failure, msg))) => Err(PoolError::Refused(failure, msg)),
        Err(e) => Err(exchange_failed(w, &e)),
    }
}

/// Classifies a failed read: past the deadline, or the worker died.
fn exchange_failed(w: &mut Worker, e: &io::Error) -> PoolError {
    if e.kind() == io::ErrorKind::TimedOut {
        let _ = w.child.kill();
        let _ = w.child.wait();
        return PoolError::TimedOut;
    }
    died(w, e)
}

/// Describes a worker that stopped answering: by its exit status when it has
/// one (killed by a signal: a crash or the memory limit).
fn died(w: &mut Worker, e: &io::Error) -> PoolError {
    // it closed its end: give it a moment to finish dying, then make sure
    let mut status = None;
    for _ in 0..50 {
        if let Ok(Some(s)) = w.child.try_wait() {
            status = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    if status.is_none() {
        let _ = w.child.kill();
        status = w.child.wait().ok();
    }
    let how = match status {
        Some(s) => match s.signal() {
            Some(sig) => format!("killed by signal {sig}"),
            None => format!("exited with status {}", s.code().unwrap_or(-1)),
        },
        None => format!("{e}"),
    };
    PoolError::Crashed(how)
}

/// Reads from a pipe, failing with `TimedOut` once the deadline passes.
struct DeadlineReader<'a, R: AsRawFd + Read> {
    inner: &'a mut R,
    deadline: Instant,
}

impl<'a, R: AsRawFd + Read> DeadlineReader<'a, R> {
    fn new(inner: &'a mut R, deadline: Instant) -> Self {
        DeadlineReader { inner, deadline }
    }
}

impl<R: AsRawFd + Read> Read for DeadlineReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "time limit"));
            }
            let mut fds = libc::pollfd {
                fd: self.inner.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            let ms = left.as_millis().clamp(1, i32::MAX as u128) as i32;
            // SAFETY: one valid pollfd for the duration of the call.
            let n = unsafe { libc::poll(&mut fds, 1, ms) };
            if n < 0 {
                let err = io::Error::last_os_error();
                if err.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(err);
            }
            if n > 0 {
                // readable, or hung up (read then returns what is left or 0)
                return self.inner.read(buf);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_reader_times_out_on_a_silent_pipe() {
        let mut child = Command::new("sleep")
            .arg("5")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let start = Instant::now();
        let mut r = DeadlineReader::new(&mut out, Instant::now() + Duration::from_millis(100));
        let e = r.read(&mut [0u8; 4]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert!(start.elapsed() < Duration::from_secs(2));
        child.kill().unwrap();
        child.wait().unwrap();
    }

    /// A pool whose workers are `exe` (with no usable PDFium).
    fn pool_of(exe: &str, workers: usize) -> Pool {
        Pool::new(PoolConfig {
            library: "/nonexistent/libpdfium.so".into(),
            worker_exe: exe.into(),
            workers,
            memory_limit: 0,
        })
    }

    const NOT_LOADED: DocRef<'static> = DocRef {
        id: 1,
        bytes: b"%PDF-1.4",
    };

    /// Asserts that loading fails with "unavailable" saying `why`, and
    /// that the pool remembers it: the next request fails at once.
    fn assert_unavailable(pool: &Pool, why: &str) {
        let e = pool.load(NOT_LOADED, Duration::from_secs(1)).unwrap_err();
        assert!(
            matches!(e, PoolError::Unavailable(ref m) if m.contains(why)),
            "{e:?}"
        );
        assert!(matches!(
            pool.load(NOT_LOADED, Duration::from_secs(1)),
            Err(PoolError::Unavailable(_))
        ));
    }

    #[test]
    fn a_missing_worker_executable_makes_pdfium_unavailable() {
        let pool = pool_of("/nonexistent/faxrender", 2);
        assert_unavailable(&pool, "/nonexistent/faxrender");
        // nothing left running
        assert_eq!(pool.state.lock().unwrap().live, 0);
    }

    #[test]
    fn a_program_that_is_not_a_worker_is_refused() {
        // `true` exits at once without a hello
        assert_unavailable(&pool_of("/bin/true", 1), "did not start");
    }

    #[test]
    fn a_prestarted_program_that_is_not_a_worker_is_refused_when_used() {
        let pool = pool_of("/bin/true", 2);
        // started, not yet greeted: counted as live until first used
        pool.prestart(2);
        assert_eq!(pool.state.lock().unwrap().live, 2);
        // the first use finds out; the other prestarted one is not tried
        assert_unavailable(&pool, "did not start");
    }
}
