//! A new product needs no Rust: a scratch copy of the workspace gets the spec of a product no
//! other spec declares, `cargo xtask codegen` regenerates the SDK there (a new crate, which the
//! workspace's `generated/*` members take in), and the copy's tests then pass: the new product
//! crate's (its sample and limit tests), and the
//! test binaries whose cases cover every operation of the specs (request edges, response
//! mutations, conformance, the benchmarks' fixtures), which would fail if they still kept
//! per-operation tables by hand.
//!
//! The copy leaves out the imported operations (`specs/imported/`), so that it builds the
//! hand-written operations and the new product, not the whole SDK again.
//!
//! The copy lives in the target directory (`scratch-workspace/new-product`, rewritten on every
//! run) and builds into `scratch-build` there, so that its dependencies are built once and kept
//! across runs and across scratch-workspace tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The new product's spec file name, its module, and the package of its generated crate.
const SPEC_FILE: &str = "parcel-locker-2024-03-01.yaml";
const MODULE: &str = "parcel_locker";
const PACKAGE: &str = "acs-parcel-locker";

/// A small product with two operations: plain, JSON, comma, repeated and flattened parameters,
/// query and form body, limits, an idempotency token, page-number paging, wrapped lists, a
/// `%s` error code, V2 signing and a sample response per operation.
const SPEC: &str = r#"product:
  code: ParcelLocker
  name: Parcel Locker Service
  module: parcel_locker
  version: "2024-03-01"
  style: rpc
  signature: v2
  description: >-
    A product no other spec declares, written by the scratch-workspace test to show that a new
    spec needs no Rust.
  endpoint:
    regional: "parcel-locker.{region_id}.aliyuncs.com"
    central: "parcel-locker.aliyuncs.com"

shapes:
  Tag:
    description: A tag of a locker.
    fields:
      - name: Key
        type: string
        description: The tag key.
        limits: {min_length: 1, max_length: 64}
      - name: Value
        type: string
        description: The tag value.
        limits: {max_length: 64}
  Locker:
    description: A parcel locker.
    fields:
      - name: LockerId
        type: string
        description: The locker ID.
        example: pl-001
      - name: Status
        type: string
        description: The state of the locker.
        example: Open
        values:
          - value: Open
            description: The locker takes parcels.
          - value: Full
            description: Every compartment holds a parcel.
      - name: Compartments
        type: integer
        description: The number of compartments.
        example: "24"
      - name: Sizes
        type: array
        items: string
        wrapper: Size
        description: The compartment sizes the locker has.

operations:
  - action: ListLockers
    title: Lists the parcel lockers of a region.
    methods: [POST, GET]
    sources: [scratch]
    request:
      - name: RegionId
        type: string
        required: true
        description: The region ID.
        example: cn-hangzhou
      - name: LockerIds
        type: array
        items: string
        style: json
        description: The IDs of the lockers to list.
        limits: {max_items: 50}
      - name: Status
        type: array
        items: string
        style: comma
        description: The states to list.
      - name: Zone
        type: array
        items: string
        description: The zones to list.
      - name: Tag
        type: array
        items: Tag
        description: The tags to filter by.
        limits: {max_items: 20}
      - name: Note
        type: string
        location: body
        description: A note kept with the request.
      - name: PageNumber
        type: integer
        description: The page number.
        default: "1"
        limits: {min: 1}
      - name: PageSize
        type: integer
        description: The number of entries per page.
        default: "10"
        limits: {min: 1, max: 50}
    response:
      fields:
        - name: RequestId
          type: string
          description: The request ID.
        - name: TotalCount
          type: integer
          description: The number of lockers in all.
        - name: PageNumber
          type: integer
          description: The page number.
        - name: PageSize
          type: integer
          description: The number of entries per page.
        - name: Lockers
          type: array
          items: Locker
          wrapper: Locker
          description: The lockers of this page.
    errors:
      - status: 400
        code: InvalidParameter.%s
        message: The specified parameter %s is not valid.
      - status: 404
        code: InvalidRegionId.NotFound
        message: The specified region does not exist.
    paging:
      page_number: PageNumber
      page_size: PageSize
      total_count: TotalCount
      items: Lockers
    samples:
      - name: success
        status: 200
        body: |
          {
            "RequestId": "5D1D4F8E-7A3B-4C1E-9B0A-2F6E8D7C9A10",
            "TotalCount": 1,
            "PageNumber": 1,
            "PageSize": 10,
            "Lockers": {"Locker": [
              {"LockerId": "pl-001", "Status": "Open", "Compartments": 24,
               "Sizes": {"Size": ["S", "M"]}}
            ]}
          }

  - action: OpenCompartment
    title: Opens one compartment of a locker.
    methods: [POST]
    sources: [scratch]
    request:
      - name: LockerId
        type: string
        required: true
        description: The locker ID.
      - name: Compartment
        type: long
        required: true
        description: The compartment number.
        limits: {min: 1, max: 999}
      - name: ClientToken
        type: string
        idempotency_token: true
        description: Makes the call idempotent.
        limits: {max_length: 64, ascii: true}
      - name: Force
        type: boolean
        location: body
        description: Opens the compartment even if it holds a parcel.
    response:
      fields:
        - name: RequestId
          type: string
          description: The request ID.
        - name: Opened
          type: boolean
          description: Whether the compartment opened.
        - name: Temperature
          type: double
          description: The temperature inside, in degrees Celsius.
    errors:
      - status: 403
        code: Forbidden.Occupied
        message: The compartment holds a parcel.
    samples:
      - name: success
        status: 200
        body: |
          {"RequestId": "8E0C1B7A-2D4F-4A6B-8C9D-0E1F2A3B4C5D", "Opened": true, "Temperature": 21.5}
"#;

/// Top-level entries of the workspace the copy leaves out: build output and version control.
fn left_out(name: &str) -> bool {
    name == "target" || name == ".git" || name.starts_with(".venv") || name == "__pycache__"
}

/// Empties the copy's `specs/imported/`: the products keep their hand-written operations and the
/// new spec stands beside them, while the hundreds of imported operations, which would only make
/// the copy build a whole SDK a second time, are left out (the workspace's own tests cover them).
fn leave_out_imported_operations(scratch: &Path) {
    let imported = scratch.join("specs").join("imported");
    let entries =
        std::fs::read_dir(&imported).unwrap_or_else(|e| panic!("{}: {e}", imported.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("{}: {e}", imported.display()))
            .path();
        if path.extension().is_some_and(|ext| ext == "yaml") {
            std::fs::remove_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}

fn copy_tree(from: &Path, to: &Path, skip: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("{}: {e}", from.display()));
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if left_out(&name) || path == skip {
            continue;
        }
        let kind = entry
            .file_type()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let dest = to.join(&name);
        if kind.is_dir() {
            copy_tree(&path, &dest, skip);
        } else if kind.is_file() {
            std::fs::copy(&path, &dest)
                .unwrap_or_else(|e| panic!("{} -> {}: {e}", path.display(), dest.display()));
        }
    }
}

/// The target directory this test was built into.
fn target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent()
        .map_or_else(|| tmp.to_path_buf(), Path::to_path_buf)
}

/// The last `lines` lines of `text`.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Runs cargo with `args` in `dir`, building into `build`; fails with cargo's output when cargo
/// fails, and returns its standard output and error otherwise.
fn cargo(dir: &Path, build: &Path, args: &[&str]) -> String {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(&cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", build)
        // Everything the copy needs was fetched for this workspace: nothing goes to the network.
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", Path::new(&cargo).display()));
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "`cargo {}` failed in the scratch workspace {} ({}):\n{}",
        args.join(" "),
        dir.display(),
        output.status,
        tail(&text, 300)
    );
    text
}

/// The tests named in cargo's output as passed (`test NAME ... ok`).
fn passed(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter_map(|line| line.strip_prefix("test ")?.strip_suffix(" ... ok"))
        .collect()
}

#[test]
fn a_new_product_spec_regenerates_and_passes_the_tests_with_no_rust_written() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or_else(|| panic!("the tests crate has no parent folder"))
        .to_path_buf();
    let target = target_dir();
    let scratch = target.join("scratch-workspace").join("new-product");
    let build = target.join("scratch-build");
    assert!(
        !workspace.join("specs").join(SPEC_FILE).exists(),
        "the workspace already has {SPEC_FILE}: pick a product it has never seen"
    );
    match std::fs::remove_dir_all(&scratch) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("{}: {e}", scratch.display()),
    }
    copy_tree(&workspace, &scratch, &target);
    leave_out_imported_operations(&scratch);
    std::fs::write(scratch.join("specs").join(SPEC_FILE), SPEC)
        .unwrap_or_else(|e| panic!("{}: {e}", scratch.display()));

    cargo(&scratch, &build, &["xtask", "codegen"]);
    let module = std::fs::read_to_string(scratch.join(format!("generated/{MODULE}/src/lib.rs")))
        .unwrap_or_else(|e| panic!("codegen wrote no crate for the new product: {e}"));
    assert!(
        module.contains("pub fn list_lockers("),
        "no ListLockers method"
    );
    cargo(&scratch, &build, &["xtask", "codegen", "--check"]);

    // The new product's crate, which the workspace took in with no manifest edited by hand.
    let sdk = cargo(&scratch, &build, &["test", "-p", PACKAGE, "--all-features"]);
    let ran = passed(&sdk);
    for sample in [
        "parcel_locker_list_lockers_success",
        "parcel_locker_open_compartment_success",
    ] {
        assert!(
            ran.contains(&sample),
            "the new product's sample test {sample} did not run; cargo said:\n{}",
            tail(&sdk, 100)
        );
    }
    let new_product_tests = ran.iter().filter(|t| t.starts_with(MODULE)).count();
    println!(
        "scratch workspace: {} tests of the new product's crate passed, {new_product_tests} of them its own",
        ran.len()
    );
    assert!(
        new_product_tests > 2,
        "only the samples of the new product were tested, no limits: {ran:?}"
    );

    // The test binaries that walk every operation of the specs: a table kept by hand in any of
    // them would fail here for want of the new product.
    let covering = cargo(
        &scratch,
        &build,
        &[
            "test",
            "-p",
            "acs-test-gateway",
            "--all-features",
            "--test",
            "wire",
            "--",
            "--show-output",
        ],
    );
    assert!(
        covering.contains("parcel_locker::ListLockers")
            && covering.contains("parcel_locker::OpenCompartment"),
        "conformance did not list the new product's operations as without fixtures:\n{}",
        tail(&covering, 100)
    );
    let fixtures = cargo(
        &scratch,
        &build,
        &["test", "-p", "acs-benches", "--test", "fixtures"],
    );
    assert!(
        passed(&fixtures).contains(&"every_sample_has_a_decoder_and_decodes"),
        "the benchmarks' sample decoders were not tested:\n{}",
        tail(&fixtures, 100)
    );
}
