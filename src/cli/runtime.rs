//! The one way a command runs async work: a fresh runtime, left behind without waiting once the
//! work is done — a probe past its deadline may still have a file check running on a blocking
//! thread, which must not keep the report from being written or the process from exiting.

use crate::error::Error;

/// Runs `work` to completion on a fresh multi-threaded runtime.
pub fn block_on<F: std::future::Future>(work: F) -> Result<F::Output, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io {
            path: "<tokio runtime>".into(),
            source,
        })?;
    let output = runtime.block_on(work);
    runtime.shutdown_background();
    Ok(output)
}
