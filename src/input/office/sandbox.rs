//! The sandbox one LibreOffice instance runs in (bubblewrap): its own
//! network namespace with no interfaces but loopback (so nothing can be
//! fetched), its own PID namespace (killing the sandbox kills every
//! process in it), the system read-only, and one writable folder: the
//! instance's own (profile, pipe, and the one document being converted).
//! An address-space limit caps its memory.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the instance's folder appears inside the sandbox.
pub const INSIDE_DIR: &str = "/lo";

/// Finds `bwrap` on the PATH or in /usr/bin.
pub fn find_bwrap() -> Option<PathBuf> {
    let candidates = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    candidates
        .into_iter()
        .chain([PathBuf::from("/usr/bin")])
        .map(|d| d.join("bwrap"))
        .find(|p| p.is_file())
}

/// A command that runs `program args` inside the sandbox, with `dir`
/// mounted read-write at [`INSIDE_DIR`] and `dir/tmp` as `/tmp` (where
/// LibreOffice puts its pipes).
pub fn command(
    bwrap: &Path,
    dir: &Path,
    office_root: &Path,
    memory_limit: u64,
    program: &str,
    args: &[&str],
) -> Command {
    let mut cmd = Command::new(bwrap);
    cmd.args(["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]);
    // Merged-/usr systems have these as symlinks; others need them bound.
    for top in ["/lib", "/lib64", "/bin", "/sbin"] {
        match std::fs::read_link(top) {
            Ok(target) => {
                cmd.arg("--symlink").arg(target).arg(top);
            }
            Err(_) if Path::new(top).is_dir() => {
                cmd.args(["--ro-bind", top, top]);
            }
            Err(_) => {}
        }
    }
    if Path::new("/var/cache/fontconfig").is_dir() {
        cmd.args([
            "--ro-bind",
            "/var/cache/fontconfig",
            "/var/cache/fontconfig",
        ]);
    }
    if !office_root.starts_with("/usr") {
        cmd.arg("--ro-bind").arg(office_root).arg(office_root);
    }
    cmd.args(["--proc", "/proc", "--dev", "/dev"])
        .arg("--bind")
        .arg(dir)
        .arg(INSIDE_DIR)
        .arg("--bind")
        .arg(dir.join("tmp"))
        .arg("/tmp")
        .args(["--setenv", "HOME", INSIDE_DIR, "--chdir", INSIDE_DIR])
        .args([
            "--unshare-net",
            "--unshare-pid",
            "--unshare-ipc",
            "--die-with-parent",
        ])
        .args(["--new-session", "--", program])
        .args(args);
    // SAFETY: setrlimit is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: memory_limit as libc::rlim_t,
                rlim_max: memory_limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd
}
