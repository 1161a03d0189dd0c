//! The web page's open workspace and register connections, kept between requests: a
//! page would otherwise parse the profile and the catalog and open (and migrate) the
//! register twice per request, which was most of its cost.

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::config::workspace::{DATABASE_FILE, PROFILE_FILE, TEMPLATES_DIR, Workspace};
use crate::store::Register;

use super::WebError;

/// Megabytes of register pages each kept connection holds (a worklist reads a few hundred
/// requests spread over the whole file).
const PAGES_MB: i64 = 8;

/// Idle connections kept; more are opened under load and closed when given back.
const IDLE_MAX: usize = super::PAGES_AT_ONCE + 2;

/// What the cache was built from: a change to any of these files (an edited profile or
/// catalog, a register restored from a backup) starts a new generation.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Files {
    profil: Option<(SystemTime, u64)>,
    katalog: Option<(SystemTime, u64)>,
    /// The register file's identity (device, inode): a restored file is another one,
    /// and a connection to the old one would write where no one reads.
    register: Option<(u64, u64)>,
}

impl Files {
    fn now(dir: &Path) -> Files {
        use std::os::unix::fs::MetadataExt;
        let stamp = |p: PathBuf| {
            std::fs::metadata(p)
                .ok()
                .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
        };
        Files {
            profil: stamp(dir.join(PROFILE_FILE)),
            katalog: stamp(dir.join(TEMPLATES_DIR).join("katalog.toml")),
            register: std::fs::metadata(dir.join(DATABASE_FILE))
                .ok()
                .map(|m| (m.dev(), m.ino())),
        }
    }
}

#[derive(Default)]
struct State {
    files: Option<Files>,
    ws: Option<Arc<Workspace>>,
    idle: Vec<Register>,
    generation: u64,
}

/// The workspace, parsed once per change of its files, and idle register connections.
#[derive(Default)]
pub(super) struct Pool {
    state: Mutex<State>,
}

impl Pool {
    /// The workspace and a register connection, as `Workspace::open` and
    /// `arsip::open_register` give them, reused while the files are unchanged.
    pub(super) fn open(self: &Arc<Self>, dir: &Path) -> Result<(Arc<Workspace>, Pooled), WebError> {
        let (ws, idle, generation) = self.current(dir, true)?;
        let reg = match idle {
            Some(r) => r,
            // Opened outside the lock: the first requests after a change open in parallel.
            None => {
                let reg = crate::services::arsip::open_register(&ws)?;
                reg.keep_pages_mb(PAGES_MB)?;
                reg
            }
        };
        let pool = Arc::clone(self);
        Ok((
            ws,
            Pooled {
                reg: Some(reg),
                generation,
                pool,
            },
        ))
    }

    /// The workspace alone (pages that need no register).
    pub(super) fn workspace(&self, dir: &Path) -> Result<Arc<Workspace>, WebError> {
        Ok(self.current(dir, false)?.0)
    }

    /// The workspace as its files are now (parsed again when they changed, which also
    /// lets go of every idle connection), and an idle connection if `lend`.
    fn current(
        &self,
        dir: &Path,
        lend: bool,
    ) -> Result<(Arc<Workspace>, Option<Register>, u64), WebError> {
        let files = Files::now(dir);
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let ws = match &s.ws {
            Some(ws) if s.files.as_ref() == Some(&files) => Arc::clone(ws),
            _ => {
                s.idle.clear();
                s.ws = None;
                s.generation += 1;
                let ws = Arc::new(Workspace::open(dir)?);
                s.ws = Some(Arc::clone(&ws));
                s.files = Some(files);
                ws
            }
        };
        let idle = if lend { s.idle.pop() } else { None };
        Ok((ws, idle, s.generation))
    }
}

/// A register connection lent by the pool; given back when dropped, unless the files
/// changed meanwhile or it is inside a transaction (a handler that failed halfway).
pub(super) struct Pooled {
    reg: Option<Register>,
    generation: u64,
    pool: Arc<Pool>,
}

impl Deref for Pooled {
    type Target = Register;
    fn deref(&self) -> &Register {
        self.reg.as_ref().expect("present until dropped")
    }
}

impl DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut Register {
        self.reg.as_mut().expect("present until dropped")
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let Some(reg) = self.reg.take() else { return };
        if !reg.is_idle() {
            return;
        }
        let mut s = self.pool.state.lock().unwrap_or_else(|e| e.into_inner());
        if s.generation == self.generation && s.idle.len() < IDLE_MAX {
            s.idle.push(reg);
        }
    }
}
