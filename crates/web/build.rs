//! Front-end packages come from npm (package.json and its lockfile) and are embedded into the
//! binary; fetch them when a fresh checkout has none.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=package.json");
    println!("cargo:rerun-if-changed=package-lock.json");
    let needed = [
        "node_modules/htmx.org/dist/htmx.min.js",
        "node_modules/echarts/dist/echarts.min.js",
    ];
    if needed.iter().all(|f| Path::new(f).exists()) {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("npm ci failed ({s}): the front-end packages are needed to build"),
        Err(e) => panic!("npm is needed to fetch the front-end packages: {e}"),
    }
}
