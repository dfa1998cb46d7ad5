//! Rewrites the example reports under `reports/examples/` from the reference ENT, with the same
//! recipe the test `reports::committed_examples_are_what_the_code_writes` checks them against:
//!
//! ```sh
//! cargo run --example regenerate
//! ```
//!
//! Run it after a change to a renderer, a grid or the reference ENT, and commit what it wrote.

#[path = "../tests/common/examples.rs"]
mod examples;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let dir = examples::folder();
    let files = examples::files().await;
    let stale = examples::stale(&dir, &files);
    for (name, text) in files.iter().filter(|(name, _)| stale.contains(name)) {
        std::fs::write(dir.join(name), text)?;
    }
    if stale.is_empty() {
        println!("reports/examples/ is up to date ({} files)", files.len());
    } else {
        println!(
            "rewrote {} of {} files in reports/examples/: {}",
            stale.len(),
            files.len(),
            stale.join(", ")
        );
    }
    Ok(())
}
