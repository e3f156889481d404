//! Decodes one large `DescribeInstances` page once, for measuring a decode's CPU time and peak
//! memory from outside (`/usr/bin/time -v`): the page is built, then decoded leniently into the
//! generated response type, as the client decodes it.
//!
//! Usage: `decode_instances <instances> <good|odd|build-only>`. `odd` gives the middle instance
//! `"Cpu": "four"` (one field that fits no reading of its type, so that the decode takes the
//! recovering road); `build-only` builds the page and stops, for the memory the page itself
//! takes. Prints the body's size, the decode's wall time and what it decoded.

use std::process::ExitCode;
use std::time::Instant;

use acs_benches::responses::describe_instances_page;
use acs_catalog::OPERATIONS;
use acs_runtime::catalog;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(mode)) = (
        args.first().and_then(|count| count.parse::<usize>().ok()),
        args.get(1),
    ) else {
        eprintln!("usage: decode_instances <instances> <good|odd|build-only>");
        return ExitCode::FAILURE;
    };
    let odd = match mode.as_str() {
        "good" | "build-only" => None,
        "odd" => Some(count / 2),
        other => {
            eprintln!("unknown mode {other:?}: good, odd or build-only");
            return ExitCode::FAILURE;
        }
    };
    let body = describe_instances_page(count, odd);
    println!(
        "body: {} instances, {} bytes ({:.1} MiB)",
        count,
        body.len(),
        body.len() as f64 / (1024.0 * 1024.0)
    );
    if mode == "build-only" {
        return ExitCode::SUCCESS;
    }
    // Through the catalog, which decodes into the typed response as the client does: the
    // operation is imported, and a workspace without the imported specs still builds this.
    let entry = match catalog::find(&OPERATIONS, "ecs", "DescribeInstances") {
        Ok(entry) => entry,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::FAILURE;
        }
    };
    let start = Instant::now();
    let decoded = (entry.decode)(&body);
    let elapsed = start.elapsed();
    match decoded {
        Ok(anomalies) => {
            println!(
                "decoded {count} instances in {:.3} s, {} anomalies{}",
                elapsed.as_secs_f64(),
                anomalies.len(),
                anomalies
                    .first()
                    .map(|a| format!(" (first at {})", a.path))
                    .unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("the page did not decode: {err}");
            ExitCode::FAILURE
        }
    }
}
