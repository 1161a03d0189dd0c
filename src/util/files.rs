//! Writing files so that a crash never leaves half of one and only the owner can read
//! them: a temporary file in the same folder, synced, then renamed over the target.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Creates `dir` and its parents, owner-only where newly made.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Refuses a target that exists and is not a regular file: a rename would replace a
/// symlink, a FIFO or a device node (`/dev/full` as root) with a file.
fn check_target(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if !m.file_type().is_file() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "sudah ada dan bukan berkas biasa (folder, tautan, FIFO atau perangkat); tidak ditimpa",
        )),
        _ => Ok(()),
    }
}

/// Writes `bytes` to `path` atomically with mode 0600, over a regular file only.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    check_target(path)?;
    let (_, tmp) = write_temporary(path, bytes)?;
    let result = fs::rename(&tmp, path);
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to a new file at `path`, atomically and with mode 0600, and never over
/// an existing one: the file appears whole or not at all, and `ErrorKind::AlreadyExists`
/// says something was there. For evidence that must not be replaced, such as a letter.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (dir, tmp) = write_temporary(path, bytes)?;
    // A hard link is made whole or not at all, and fails if the name is taken: the
    // exclusive twin of rename.
    let result = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    sync_dir(dir);
    result
}

/// `bytes` synced to an owner-only temporary file beside `path` (`.NAME.PID.tmp`, what
/// [`stale_temporaries`] finds after a kill); returns the folder and the file.
fn write_temporary<'a>(path: &'a Path, bytes: &[u8]) -> io::Result<(&'a Path, PathBuf)> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = dir.unwrap_or_else(|| Path::new("."));
    create_private_dir(dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut f = open_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    Ok((dir, tmp))
}

/// Makes a rename or link in `dir` durable; best effort (not every file system allows it).
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Leftover temporary files of [`write_atomic`] and [`write_new`] in `dir` (not below it)
/// whose writer is no longer running: what a `kill -9` mid-write leaves behind.
pub fn stale_temporaries(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for e in entries {
        let p = e?.path();
        let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(pid) = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.rsplit_once('.'))
            .and_then(|(_, pid)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists();
        if !alive {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

/// Creates (or truncates) a file readable by its owner only.
pub fn open_private(path: &Path) -> io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Creates an empty owner-only file if none exists (so that SQLite, which copies the
/// database's mode to its -wal and -shm files, never makes a world-readable register).
pub fn touch_private(path: &Path) -> io::Result<()> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    match o.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}
