//! Repeats one hot-path operation a given number of times, for `scripts/callgrind.sh`: under
//! `valgrind --tool=callgrind --toggle-collect='*hot_paths::measured*'` only the repeated work
//! is counted, so instructions per operation are the total divided by the count.
//!
//! Usage: `hot_paths <operation> <iterations>`; `hot_paths list` names the operations.

use std::hint::black_box;
use std::process::ExitCode;
use std::sync::Arc;

use acs_benches::floor;
use acs_benches::requests::{self, SigningSetup};
use acs_benches::transport::CannedTransport;
use acs_benches::{plain, responses, synthetic};
use acs_ecs as ecs;
use acs_runtime::decode::decode_response;
use acs_runtime::http::HttpResponse;
use acs_runtime::sign::SignatureVersion;
use acs_swas_open as swas_open;

/// The operations, with what each repeats.
const OPERATIONS: &[(&str, &str)] = &[
    (
        "sign-v3",
        "build, validate, write and sign (V3) ListCustomImages with 100 IDs and 20 tags",
    ),
    ("sign-v2", "the same request signed with V2"),
    (
        "sign-v3-prewritten",
        "sign (V3) the ListCustomImages parameters, already written",
    ),
    (
        "floor-v3",
        "SHA-256 of the canonical request and HMAC-SHA256 of the string to sign",
    ),
    (
        "call",
        "a whole ListCustomImages call through the client to a canned in-memory response",
    ),
    (
        "decode-1000",
        "decode a 1,000-image DescribeImages page (about 1 MB) leniently",
    ),
    (
        "decode-1000-plain",
        "decode the same page into plain derived serde structs",
    ),
    (
        "decode-1000-value",
        "decode the same page into serde_json::Value",
    ),
    (
        "generate-20",
        "generate the SDK from a synthetic spec of 20 operations, on one thread",
    ),
];

/// The repeated work; its name is what callgrind's `--toggle-collect` matches, so it must never
/// be inlined into `main`.
#[inline(never)]
fn measured(iterations: u64, operation: &mut dyn FnMut() -> usize) -> usize {
    let mut total = 0_usize;
    for _ in 0..iterations {
        total = total.wrapping_add(black_box(operation()));
    }
    total
}

fn run(name: &str, iterations: u64) -> Result<usize, String> {
    let swas = || SigningSetup::new(&swas_open::SERVICE).map_err(|e| e.to_string());
    let input = requests::ListCustomImagesInput::default();
    match name {
        "sign-v3" => {
            let setup = swas()?;
            Ok(measured(iterations, &mut || {
                setup.build_and_sign_list_custom_images(SignatureVersion::V3, &input)
            }))
        }
        "sign-v2" => {
            let setup = swas()?;
            Ok(measured(iterations, &mut || {
                setup.build_and_sign_list_custom_images(SignatureVersion::V2, &input)
            }))
        }
        "sign-v3-prewritten" => {
            let setup = swas()?;
            let request = requests::list_custom_images(&input).map_err(|e| e.to_string())?;
            let params = requests::params_of(&request);
            Ok(measured(iterations, &mut || {
                setup.sign_list_custom_images(SignatureVersion::V3, &params)
            }))
        }
        "floor-v3" => {
            let setup = swas()?;
            let request = requests::list_custom_images(&input).map_err(|e| e.to_string())?;
            let params = requests::params_of(&request);
            let floor_input =
                setup.v3_floor_input(&swas_open::SERVICE, &swas_open::LIST_CUSTOM_IMAGES, &params);
            Ok(measured(iterations, &mut || {
                usize::from(floor::sha2_floor(&floor_input).signature[0])
            }))
        }
        "call" => {
            let body = responses::success_samples()
                .map_err(|e| e.to_string())?
                .into_iter()
                .find(|sample| sample.action == "ListCustomImages")
                .map(|sample| sample.body)
                .ok_or("no ListCustomImages sample")?;
            let transport = CannedTransport::new(HttpResponse::new(200, body));
            let client = requests::swas_client(Arc::new(transport)).map_err(|e| e.to_string())?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .map_err(|e| e.to_string())?;
            Ok(measured(iterations, &mut || {
                runtime
                    .block_on(requests::call_list_custom_images(&client, &input))
                    .map(|response| response.custom_images.len())
                    .unwrap_or(0)
            }))
        }
        "decode-1000" => {
            let body = responses::describe_images_page(1000);
            Ok(measured(iterations, &mut || {
                decode_response::<ecs::DescribeImagesResponse>(&body)
                    .map(|(response, _)| response.images.len())
                    .unwrap_or(0)
            }))
        }
        "decode-1000-plain" => {
            let body = responses::describe_images_page(1000);
            Ok(measured(iterations, &mut || {
                serde_json::from_slice::<plain::DescribeImagesResponse>(&body)
                    .ok()
                    .and_then(|response| response.images)
                    .map_or(0, |images| images.image.len())
            }))
        }
        "decode-1000-value" => {
            let body = responses::describe_images_page(1000);
            Ok(measured(iterations, &mut || {
                serde_json::from_slice::<serde_json::Value>(&body)
                    .map(|value| value.as_object().map_or(0, |object| object.len()))
                    .unwrap_or(0)
            }))
        }
        "generate-20" => {
            let source = [synthetic::synthetic_spec(20)];
            // One worker: the formatting threads' work would not be counted otherwise.
            Ok(measured(iterations, &mut || {
                acs_codegen::generate_with_workers(&source, std::num::NonZeroUsize::MIN)
                    .map_or(0, |files| files.len())
            }))
        }
        other => Err(format!(
            "unknown operation `{other}`; run `hot_paths list` for the list"
        )),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [list] if list == "list" => {
            for (name, what) in OPERATIONS {
                println!("{name}\t{what}");
            }
            ExitCode::SUCCESS
        }
        [name, iterations] => {
            let Ok(iterations) = iterations.parse::<u64>() else {
                eprintln!("iterations must be a whole number, got `{iterations}`");
                return ExitCode::FAILURE;
            };
            match run(name, iterations) {
                Ok(checksum) => {
                    println!("{name} x{iterations}: checksum {checksum}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: hot_paths <operation> <iterations> | hot_paths list");
            ExitCode::FAILURE
        }
    }
}
