//! The files providers read (the CLI's profile file, an OIDC token file), read on tokio's
//! blocking threads and bounded in time and size: a FIFO nobody writes to or a stalled network
//! file system must hold neither the async threads nor a call, and a device must not fill
//! memory.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::task::JoinHandle;

/// How long reading one file may take: a local file is read in microseconds, so a read still
/// running after this is stuck (a FIFO, a network file system that does not answer).
pub(crate) const FILE_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a file could not be read; each text follows "the file" (and never shows its content).
#[derive(Debug, thiserror::Error)]
pub(crate) enum FileReadError {
    /// There is no such file.
    #[error("does not exist")]
    NotFound,
    /// Opening it failed for another reason (permissions, a directory...).
    #[error("cannot be opened: {0}")]
    Open(io::Error),
    /// Reading it failed.
    #[error("cannot be read: {0}")]
    Read(io::Error),
    /// It holds more than the reader accepts.
    #[error("is over {0} bytes")]
    TooLarge(u64),
    /// Opening or reading it did not finish in time.
    #[error(
        "was not read within {} s (a FIFO nobody writes to, or a network file system that does not answer?)",
        .0.as_secs()
    )]
    Stalled(Duration),
    /// The read was cancelled, the runtime shutting down.
    #[error("was not read: the async runtime is shutting down")]
    Cancelled,
}

type BlockingRead = JoinHandle<Result<Vec<u8>, FileReadError>>;

/// Reads files of at most `limit` bytes, each within [`FILE_READ_TIMEOUT`].
///
/// A read that outlives its time bound cannot be stopped (the thread is stuck in the kernel);
/// it is kept, and the next read of the same file waits for it instead of leaving one more
/// thread stuck on that file at every attempt.
pub(crate) struct FileReader {
    limit: u64,
    stalled: Mutex<Option<(PathBuf, BlockingRead)>>,
}

impl std::fmt::Debug for FileReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileReader")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl FileReader {
    pub(crate) const fn new(limit: u64) -> Self {
        FileReader {
            limit,
            stalled: Mutex::new(None),
        }
    }

    /// The whole content of `path`.
    pub(crate) async fn read(&self, path: &Path) -> Result<Vec<u8>, FileReadError> {
        let kept = self
            .stalled
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .filter(|(stalled, _)| stalled == path)
            .map(|(_, read)| read);
        let read = kept.unwrap_or_else(|| {
            let path = path.to_owned();
            let limit = self.limit;
            tokio::task::spawn_blocking(move || read_blocking(&path, limit))
        });
        let mut in_flight = InFlight {
            reader: self,
            path,
            read: Some(read),
        };
        let Some(read) = in_flight.read.as_mut() else {
            return Err(FileReadError::Cancelled);
        };
        let outcome = tokio::time::timeout(FILE_READ_TIMEOUT, read).await;
        match outcome {
            Ok(joined) => {
                in_flight.read = None;
                joined.unwrap_or(Err(FileReadError::Cancelled))
            }
            Err(_) => Err(FileReadError::Stalled(FILE_READ_TIMEOUT)),
        }
    }
}

/// A read being waited for: when the wait ends before the read (time bound, or the caller's
/// future dropped), the read is handed back to the reader for the next attempt.
struct InFlight<'a> {
    reader: &'a FileReader,
    path: &'a Path,
    read: Option<BlockingRead>,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Some(read) = self.read.take() {
            *self
                .reader
                .stalled
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some((self.path.to_owned(), read));
        }
    }
}

fn read_blocking(path: &Path, limit: u64) -> Result<Vec<u8>, FileReadError> {
    let file = std::fs::File::open(path).map_err(|err| match err.kind() {
        io::ErrorKind::NotFound => FileReadError::NotFound,
        _ => FileReadError::Open(err),
    })?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(FileReadError::Read)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(FileReadError::TooLarge(limit));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_up_to_the_limit_and_refuses_more() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(FileReader::new(5).read(&path).await.unwrap(), b"12345");
        let err = FileReader::new(4).read(&path).await.unwrap_err();
        assert!(matches!(err, FileReadError::TooLarge(4)), "{err}");
        let err = FileReader::new(4)
            .read(&dir.path().join("none"))
            .await
            .unwrap_err();
        assert!(matches!(err, FileReadError::NotFound), "{err}");
    }
}
