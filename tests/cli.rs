//! The `faxrender` command as a user and a fax server script meet it: exit
//! statuses, messages that name the file and the fault, files written.

mod common;

use common::{faxrender, fixture_path, stderr};

use std::path::Path;

#[test]
fn convert_writes_a_sendable_tiff_and_pngs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let pngs = dir.path().join("pages");
    let o = faxrender(&[
        "convert",
        &fixture_path("examples/document-screenshot.png"),
        &fixture_path("examples/photo.jpg"),
        "-o",
        out.to_str().unwrap(),
        "--resolution",
        "standard",
        "--png-dir",
        pngs.to_str().unwrap(),
        "--time",
        &common::FIXED_TIME.to_string(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 pages"), "{}", stderr(&o));
    let tiff = std::fs::read(&out).unwrap();
    common::assert_checkers_accept(&tiff, "convert output");
    // Standard resolution previews have doubled rows: 1078 -> 2156.
    for n in 1..=2 {
        let png = std::fs::read(pngs.join(format!("page-{n:03}.png"))).unwrap();
        let dec = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        assert_eq!((dec.info().width, dec.info().height), (1728, 2156));
    }
    // Nothing but the output and the PNG folder is left behind.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["fax.tif", "pages"]);
}

#[test]
fn convert_json_report_and_deterministic_output() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.tif");
    let b = dir.path().join("b.tif");
    for out in [&a, &b] {
        let o = faxrender(&[
            "convert",
            &fixture_path("examples/photo.jpg"),
            "-o",
            out.to_str().unwrap(),
            "--compression",
            "g3",
            "--time",
            "0",
            "--json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(report["pages"], 1);
        assert_eq!(report["documents"][0]["format"], "JPEG");
        assert_eq!(report["options"]["compression"], "g3");
    }
    assert!(std::fs::read(a).unwrap() == std::fs::read(b).unwrap());
}

/// Bad documents are refused with exit 1 and a message naming the file.
#[test]
fn bad_inputs_exit_1_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    let garbage = dir.path().join("garbage.jpg");
    std::fs::write(&garbage, [0x13u8; 4096]).unwrap();
    let cases: Vec<(String, &str)> = vec![
        (empty.display().to_string(), "empty"),
        (garbage.display().to_string(), "not recognised"),
        (
            fixture_path("bad/png_declared-100000x100000.png"),
            "100000x100000",
        ),
        (
            fixture_path("bad/jpg_libjpeg-turbo_monkey12-12bit.jpg"),
            "12-bit",
        ),
        (fixture_path("bad/jpg_truncated-half.jpg"), ""),
        (fixture_path("bad/tiff_pillow_libtiff_segfault.tif"), ""),
        (fixture_path("bad/tiff_itutests-g4-truncated.tif"), ""),
    ];
    for (path, needle) in cases {
        let out = dir.path().join("out.tif");
        let started = std::time::Instant::now();
        let o = faxrender(&["convert", &path, "-o", out.to_str().unwrap()]);
        let msg = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{path}: {msg}");
        let name = Path::new(&path).file_name().unwrap().to_str().unwrap();
        assert!(
            msg.contains(name),
            "{path}: message must name the file: {msg}"
        );
        assert!(
            msg.to_lowercase().contains(&needle.to_lowercase()),
            "{path}: {msg}"
        );
        assert!(
            !msg.contains("panicked") && !msg.contains("RUST_BACKTRACE"),
            "{msg}"
        );
        assert!(started.elapsed().as_secs() < 5, "{path} took too long");
        assert!(!out.exists(), "no output is written for a refused job");
    }
}

#[test]
fn limits_are_named_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.tif");
    let photo = fixture_path("examples/photo.jpg");
    let o = faxrender(&[
        "convert",
        &photo,
        &photo,
        "-o",
        out.to_str().unwrap(),
        "--max-pages",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("2 pages") && stderr(&o).contains("limit of 1 pages"),
        "{}",
        stderr(&o)
    );

    let o = faxrender(&[
        "convert",
        &photo,
        "-o",
        out.to_str().unwrap(),
        "--max-bytes",
        "1000",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("photo.jpg") && stderr(&o).contains("1000 bytes"),
        "{}",
        stderr(&o)
    );

    let o = faxrender(&[
        "convert",
        &photo,
        "-o",
        out.to_str().unwrap(),
        "--resolution",
        "ultra",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("ultra"));

    let o = faxrender(&["convert", "/no/such/file.png", "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("/no/such/file.png: no such file"),
        "{}",
        stderr(&o)
    );

    let o = faxrender(&["convert", &photo, "-o", "/no/such/folder/out.tif"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("output folder does not exist"),
        "{}",
        stderr(&o)
    );

    let o = faxrender(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn inspect_accepts_our_output_and_explains_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let o = faxrender(&[
        "convert",
        &fixture_path("examples/photo.jpg"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = faxrender(&["inspect", out.to_str().unwrap(), "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inspection"]["sendable"], true);
    assert_eq!(v["inspection"]["pages"][0]["width"], 1728);
    assert_eq!(v["inspection"]["pages"][0]["compression"], "g4");

    let o = faxrender(&[
        "inspect",
        &fixture_path("bad/tiff_itutests-g4-truncated.tif"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("NOT sendable"), "{text}");

    let o = faxrender(&["inspect", &fixture_path("examples/photo.jpg")]);
    assert_eq!(o.status.code(), Some(1), "a JPEG is not a fax TIFF");
}

#[test]
fn help_lists_send_and_its_number_options() {
    let o = faxrender(&["--help"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("send"));
    let o = faxrender(&["send", "--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout).into_owned();
    for flag in [
        "--to",
        "--caller-id",
        "--cover-text",
        "--cover-file",
        "--report",
        "--max-pages",
    ] {
        assert!(help.contains(flag), "{flag} missing from send --help");
    }
    // `send` without --to is a usage error.
    let o = faxrender(&["send", &fixture_path("examples/photo.jpg"), "-o", "x.tif"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
