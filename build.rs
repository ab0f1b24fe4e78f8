//! Link settings of the server binary.

use std::io::Write;
use std::process::{Command, Stdio};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    // The binary is position-independent (ASLR), so the dynamic loader fixes up about 120,000
    // addresses before `main`. Packed as RELR their table shrinks from about 3 MB, which every
    // start reads into memory, to a few kilobytes: each command, `leitstand import` included,
    // starts smaller. It needs binutils ≥ 2.38 and glibc ≥ 2.36, so it is tried first.
    const RELR: &str = "-Wl,-z,pack-relative-relocs";
    if target_os == "linux" && target_env == "gnu" && links_with(RELR) {
        println!("cargo:rustc-link-arg-bins={RELR}");
    }
}

/// Whether the system's C compiler links a trivial program with `flag`.
fn links_with(flag: &str) -> bool {
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("relr-probe");
    let child = Command::new("cc")
        .args(["-x", "c", "-", "-o"])
        .arg(&out)
        .arg(flag)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else { return false };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"int main(void) { return 0; }\n");
    }
    child.wait().is_ok_and(|status| status.success())
}
