//! The HTTP service end to end: a real server on a loopback port (port 0)
//! and a real HTTP client (ureq), every route, errors, the queue under a
//! flood, metrics, graceful shutdown, and the preview page in Chromium.
//! `cargo test --release --test service -- --ignored --nocapture measure`
//! prints latency and throughput figures.
#![cfg(feature = "service")]

mod common;

use base64::Engine;
use faxrender::limits::Limits;
use faxrender::service::{routes, Config, RunningServer};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// A server on a free loopback port with `config`'s settings.
fn start(config: Config) -> RunningServer {
    RunningServer::start(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..config
    })
    .expect("the server starts")
}

fn start_default() -> RunningServer {
    start(Config::default())
}

fn url(server: &RunningServer, path: &str) -> String {
    format!("http://{}{path}", server.addr())
}

/// A response read whole, whatever its status.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn reply(result: Result<ureq::Response, ureq::Error>) -> Reply {
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport error: {e}"),
    };
    let headers = response
        .headers_names()
        .into_iter()
        .flat_map(|n| {
            response
                .all(&n)
                .into_iter()
                .map(|v| (n.clone(), v.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    let status = response.status();
    let mut body = Vec::new();
    response.into_reader().read_to_end(&mut body).unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

fn get(server: &RunningServer, path: &str) -> Reply {
    reply(ureq::get(&url(server, path)).call())
}

fn post_bytes(server: &RunningServer, path: &str, content_type: &str, body: &[u8]) -> Reply {
    reply(
        ureq::post(&url(server, path))
            .set("Content-Type", content_type)
            .send_bytes(body),
    )
}

/// A multipart/form-data body built by hand (ureq has no form encoder).
struct Form {
    boundary: String,
    body: Vec<u8>,
}

impl Form {
    fn new() -> Self {
        Form {
            boundary: "faxrender-test-boundary-7d1f".to_string(),
            body: Vec::new(),
        }
    }
    fn text(mut self, name: &str, value: &str) -> Self {
        write!(
            self.body,
            "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n",
            self.boundary
        )
        .unwrap();
        self
    }
    fn file(mut self, name: &str, file_name: &str, bytes: &[u8]) -> Self {
        write!(
            self.body,
            "--{}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            self.boundary
        )
        .unwrap();
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }
    fn post(mut self, server: &RunningServer, path: &str, request_id: Option<&str>) -> Reply {
        write!(self.body, "--{}--\r\n", self.boundary).unwrap();
        let mut req = ureq::post(&url(server, path)).set(
            "Content-Type",
            &format!("multipart/form-data; boundary={}", self.boundary),
        );
        if let Some(id) = request_id {
            req = req.set("X-Request-Id", id);
        }
        reply(req.send_bytes(&self.body))
    }
}

/// A valid recipient and caller ID (every fax from the service carries the
/// header line, which names both).
const TO: &str = "+1 212 555 0123";
const CALLER_ID: &str = "(646) 555-0199";

/// The two example documents: a photo (JPEG) and a screenshot (PNG).
fn two_documents() -> Form {
    Form::new()
        .text("to", TO)
        .file(
            "documents",
            "photo.jpg",
            &common::fixture("examples/photo.jpg"),
        )
        .file(
            "documents",
            "document-screenshot.png",
            &common::fixture("examples/document-screenshot.png"),
        )
}

fn one_page() -> Form {
    one_page_without_number().text("to", TO)
}

fn one_page_without_number() -> Form {
    Form::new().file(
        "documents",
        "document-screenshot.png",
        &common::fixture("examples/document-screenshot.png"),
    )
}

fn unbase64(s: &serde_json::Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s.as_str().expect("a base64 string"))
        .unwrap()
}

/// The value of one metric line, 0 when absent.
fn metric(text: &str, series: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0, |v| v.trim().parse().unwrap())
}

fn pdf_pages(pdf: &[u8]) -> u32 {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fax.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo (poppler-utils) must be installed: run scripts/setup-tests.sh");
    assert!(out.status.success(), "pdfinfo refused the PDF");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("pdfinfo prints Pages:")
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn send_returns_a_tiff_both_checkers_accept() {
    let server = start_default();
    let r = two_documents()
        .text("resolution", "fine")
        .text("compression", "g4")
        .post(&server, "/v1/send", Some("test-send-1"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("image/tiff"));
    assert_eq!(r.header("x-fax-pages"), Some("2"));
    assert_eq!(r.header("x-job-id"), Some("test-send-1"));
    assert_eq!(r.header("x-request-id"), Some("test-send-1"));
    common::assert_checkers_accept(&r.body, "POST /v1/send");

    // The same form with the JSON report: the TIFF in base64, same pages.
    let r = two_documents()
        .text("resolution", "standard")
        .text("compression", "g3-2d")
        .text("paper", "a4")
        .post(&server, "/v1/send?report=json", None);
    assert_eq!(r.status, 200, "{}", r.text());
    let json = r.json();
    assert_eq!(json["report"]["pages"], 2);
    assert_eq!(json["report"]["options"]["resolution"], "standard");
    assert_eq!(json["report"]["documents"][0]["name"], "photo.jpg");
    assert_eq!(json["report"]["documents"][1]["format"], "PNG");
    let tiff = unbase64(&json["tiff"]);
    assert_eq!(json["report"]["bytes"], tiff.len() as u64);
    common::assert_checkers_accept(&tiff, "POST /v1/send?report=json");
}

#[test]
fn a_composed_cover_a_pdf_and_a_jpeg_make_one_fax() {
    let server = start_default();
    let r = Form::new()
        .text("to", TO)
        .text("caller_id", CALLER_ID)
        .text("sender", "Dr. Example's Office")
        .text("cover", "compose")
        .text("subject", "Lab results")
        .text("cover_text", "Two documents follow.")
        .file(
            "documents",
            "invoice.pdf",
            &common::fixture("pdf/weasyprint-invoice.pdf"),
        )
        .file(
            "documents",
            "photo.jpg",
            &common::fixture("examples/photo.jpg"),
        )
        .post(&server, "/v1/send?report=json", None);
    assert_eq!(r.status, 200, "{}", r.text());
    let json = r.json();
    let report = &json["report"];
    let roles: Vec<&str> = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["cover", "document", "document"]);
    let pages: u64 = report["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["pages"].as_u64().unwrap())
        .sum();
    assert_eq!(report["pages"].as_u64(), Some(pages));
    assert!(pages >= 3, "cover + PDF + photo: {pages} pages");
    assert_eq!(report["caller_id"], "6465550199");
    let header = report["header"].as_str().unwrap();
    assert!(
        header.contains("FROM: 6465550199") && header.contains(&format!("PAGE 1/{pages}")),
        "{header}"
    );
    common::assert_checkers_accept(&unbase64(&json["tiff"]), "cover + PDF + JPEG");

    // A bad recipient is refused before anything is rendered.
    let r = one_page_without_number()
        .text("to", "+1 555 010 0000")
        .post(&server, "/v1/send", None);
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.json()["retryable"], false);
}

#[test]
fn preview_returns_page_images_and_the_tiff() {
    let server = start_default();
    let r = two_documents()
        .text("resolution", "standard")
        .post(&server, "/v1/preview", None);
    assert_eq!(r.status, 200, "{}", r.text());
    let json = r.json();
    let pages = json["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 2);
    for p in pages {
        let png = unbase64(&p["png"]);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(p["width"], 1728);
        // standard pages are shown stretched to the right aspect
        assert!(p["height"].as_u64().unwrap() > 1078, "{}", p["height"]);
    }
    common::assert_checkers_accept(&unbase64(&json["tiff"]), "POST /v1/preview");
}

#[test]
fn receive_returns_a_pdf_with_every_page() {
    let server = start_default();
    let tiff = common::fixture("tiff/pillow_g4-multi-400dpi.tiff");
    let r = post_bytes(&server, "/v1/receive", "image/tiff", &tiff);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(r.header("x-fax-pages"), Some("3"));
    assert_eq!(pdf_pages(&r.body), 3);

    let r = post_bytes(
        &server,
        "/v1/receive?report=json&png=true&thumb_width=120",
        "image/tiff",
        &tiff,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let json = r.json();
    assert_eq!(json["report"]["pages"], 3);
    assert_eq!(pdf_pages(&unbase64(&json["pdf"])), 3);
    let pages = json["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 3);
    assert_eq!(&unbase64(&pages[2]["thumbnail"])[1..4], b"PNG");
    assert_eq!(&unbase64(&pages[2]["png"])[1..4], b"PNG");

    // Not a TIFF: refused as an unreadable document, not retryable.
    let r = post_bytes(&server, "/v1/receive", "image/tiff", b"not a tiff at all");
    assert_eq!(r.status, 415, "{}", r.text());
    assert_eq!(r.json()["retryable"], false);
}

#[test]
fn inspect_returns_json() {
    let server = start_default();
    let r = post_bytes(
        &server,
        "/v1/inspect",
        "image/tiff",
        &common::fixture("tiff/spandsp_itu1-superfine-g4.tif"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let json = r.json();
    assert_eq!(json["inspection"]["pages"].as_array().unwrap().len(), 1);
    assert!(json["inspection"]["sendable"].is_boolean());
    assert!(json["job_id"].as_str().is_some_and(|s| !s.is_empty()));
    // An unreadable file is an answer, not an error.
    let r = post_bytes(&server, "/v1/inspect", "image/tiff", b"garbage");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["inspection"]["sendable"], false);
}

#[test]
fn oversize_requests_get_413() {
    let server = start(Config {
        limits: Limits {
            max_bytes: 100_000,
            ..Limits::default()
        },
        max_body_bytes: 1_000_000,
        ..Config::default()
    });
    // A declared body over the cap is refused from the headers alone.
    let mut tcp = std::net::TcpStream::connect(server.addr()).unwrap();
    write!(
        tcp,
        "POST /v1/receive HTTP/1.1\r\nHost: x\r\nContent-Type: image/tiff\r\nContent-Length: 30000000\r\n\r\n"
    )
    .unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut head = [0u8; 512];
    let n = tcp.read(&mut head).unwrap();
    let head = String::from_utf8_lossy(&head[..n]);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(head.contains("\"retryable\":false"), "{head}");

    // Documents over the fax's byte limit (the body itself is under the cap).
    let r = two_documents().post(&server, "/v1/send", None);
    assert_eq!(r.status, 413, "{}", r.text());
    assert_eq!(r.json()["error"], "limit_exceeded");
    assert_eq!(r.json()["retryable"], false);

    // A body over the cap without a length announced ahead (chunked): the
    // server answers 413 as soon as the cap is passed and closes the
    // connection. A client still writing then may see the close (broken
    // pipe or reset) before it reads the answer; that is a refusal too
    // (HTTP lets a server close on an over-limit body). Never a 200.
    let big = vec![0u8; 1_500_000];
    let sent = ureq::post(&url(&server, "/v1/inspect"))
        .set("Content-Type", "image/tiff")
        .send(std::io::Cursor::new(big));
    match sent {
        Err(ureq::Error::Transport(t)) => {
            let why = t.to_string();
            assert!(
                why.contains("Broken pipe") || why.contains("reset"),
                "unexpected transport error: {why}"
            );
        }
        other => {
            let r = reply(other);
            assert_eq!(r.status, 413, "{}", r.text());
        }
    }
    // and the server is fine afterwards
    assert_eq!(get(&server, "/healthz").status, 200);
}

#[test]
fn bad_fields_get_422_and_are_not_retryable() {
    let server = start_default();
    for (field, value) in [
        ("resolution", "ultra"),
        ("paper", "a3"),
        ("compression", "jbig"),
        ("bilevel", "posterize"),
        ("cover", "poster"),
        ("to", "call me"),
        ("caller_id", "123456789012345678901"),
        ("colour", "red"),
    ] {
        let form = if field == "to" {
            one_page_without_number()
        } else {
            one_page()
        };
        let r = form.text(field, value).post(&server, "/v1/send", None);
        assert_eq!(r.status, 422, "{field}={value}: {}", r.text());
        let json = r.json();
        assert_eq!(json["retryable"], false, "{field}");
        assert_eq!(json["error"], "invalid_option", "{field}");
        assert!(
            json["message"].as_str().unwrap().starts_with(field),
            "{json}"
        );
        if field == "to" {
            assert!(!json["message"].as_str().unwrap().contains("call me"));
        }
    }
    // No documents at all.
    let r = Form::new()
        .text("resolution", "fine")
        .post(&server, "/v1/send", None);
    assert_eq!(r.status, 422, "{}", r.text());
    // Not a form: a malformed request.
    let r = post_bytes(&server, "/v1/send", "text/plain", b"hello");
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.json()["error"], "bad_request");
    // An unknown document format (binary, so not plain text either).
    let r = Form::new()
        .text("to", TO)
        .file(
            "documents",
            "notes.xyz",
            b"\x00\x01\x02\x03\xde\xad\xbe\xef\x00\x00\x07\x08 no known format",
        )
        .post(&server, "/v1/send", None);
    assert_eq!(r.status, 415, "{}", r.text());
    assert_eq!(r.json()["retryable"], false);
}

#[test]
fn a_flood_gets_429s_and_every_accepted_job_succeeds() {
    let (concurrency, depth) = (1, 1);
    let server = start(Config {
        concurrency,
        queue_depth: depth,
        ..Config::default()
    });
    let flood = 4 * (concurrency + depth);
    let barrier = std::sync::Barrier::new(flood);
    let replies: Vec<Reply> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..flood)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    two_documents()
                        .text("resolution", "superfine")
                        .post(&server, "/v1/send", None)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok = replies.iter().filter(|r| r.status == 200).count();
    let refused = replies.iter().filter(|r| r.status == 429).count();
    assert_eq!(ok + refused, flood, "only 200 and 429 are expected");
    assert!(ok >= concurrency + depth, "{ok} accepted");
    assert!(refused >= 1, "no 429 out of {flood}");
    for r in &replies {
        if r.status == 429 {
            assert!(r.header("retry-after").is_some());
            assert_eq!(r.json()["retryable"], true);
            assert_eq!(r.json()["error"], "queue_full");
        } else {
            assert_eq!(r.header("x-fax-pages"), Some("2"));
        }
    }
    common::assert_checkers_accept(
        &replies.iter().find(|r| r.status == 200).unwrap().body,
        "a flooded send",
    );

    // The metrics saw exactly that.
    let m = get(&server, "/metrics").text();
    assert_eq!(
        metric(&m, "faxrender_jobs_total{route=\"send\",outcome=\"ok\"}"),
        ok as u64
    );
    assert_eq!(
        metric(
            &m,
            "faxrender_jobs_total{route=\"send\",outcome=\"queue_full\"}"
        ),
        refused as u64
    );
    assert_eq!(
        metric(&m, "faxrender_pages_total{route=\"send\"}"),
        2 * ok as u64
    );
    assert_eq!(
        metric(&m, "faxrender_job_duration_seconds_count{route=\"send\"}"),
        flood as u64
    );
    assert_eq!(metric(&m, "faxrender_jobs_in_flight"), 0);
    assert_eq!(metric(&m, "faxrender_queue_depth"), 0);
}

#[test]
fn metrics_count_outcomes_by_route() {
    let server = start_default();
    let tiff = common::fixture("tiff/pillow_g4-multi-400dpi.tiff");
    assert_eq!(
        post_bytes(&server, "/v1/receive", "image/tiff", &tiff).status,
        200
    );
    assert_eq!(
        post_bytes(&server, "/v1/inspect", "image/tiff", &tiff).status,
        200
    );
    let bad = one_page()
        .text("paper", "a3")
        .post(&server, "/v1/send", None);
    assert_eq!(bad.status, 422);
    let m = get(&server, "/metrics");
    assert_eq!(m.status, 200);
    assert!(m.header("content-type").unwrap().starts_with("text/plain"));
    let m = m.text();
    assert_eq!(
        metric(&m, "faxrender_jobs_total{route=\"receive\",outcome=\"ok\"}"),
        1
    );
    assert_eq!(metric(&m, "faxrender_pages_total{route=\"receive\"}"), 3);
    assert_eq!(
        metric(&m, "faxrender_jobs_total{route=\"inspect\",outcome=\"ok\"}"),
        1
    );
    assert_eq!(
        metric(
            &m,
            "faxrender_jobs_total{route=\"send\",outcome=\"invalid_option\"}"
        ),
        1
    );
    assert_eq!(
        metric(&m, "faxrender_request_bytes_total{route=\"receive\"}"),
        tiff.len() as u64
    );
    assert!(metric(&m, "faxrender_response_bytes_total{route=\"receive\"}") > 0);
    assert!(m.contains("# TYPE faxrender_job_duration_seconds histogram"));
}

#[test]
fn openapi_lists_exactly_the_routes_that_answer() {
    let server = start_default();
    let doc = get(&server, "/openapi.json").json();
    assert_eq!(doc["openapi"], "3.0.3");
    let mut documented = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    let mut routed: Vec<(String, String)> = routes::table()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed);
    // Every documented route exists on the running server...
    for (method, path) in &documented {
        let r = reply(ureq::request(method, &url(&server, path)).call());
        assert!(
            r.status != 404 && r.status != 405,
            "{method} {path}: {}",
            r.status
        );
    }
    // ...and an undocumented one does not.
    assert_eq!(get(&server, "/v1/nothing").status, 404);
    assert_eq!(get(&server, "/v1/send").status, 405);
}

#[test]
fn health_readiness_and_request_ids() {
    let server = start_default();
    let r = get(&server, "/healthz");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    assert!(r.header("x-request-id").is_some());
    let r = get(&server, "/readyz");
    assert_eq!(r.status, 200);
    let ready = r.json();
    assert_eq!(ready["ready"], true);
    // the test setup installs both engines
    assert_eq!(ready["pdfium"]["available"], true, "{ready}");
    assert_eq!(ready["libreoffice"]["available"], true, "{ready}");
    assert!(ready["libreoffice"]["instances_max"].as_u64().unwrap() >= 1);
    // A plain client id is echoed; a hostile one is replaced.
    let r = reply(
        ureq::get(&url(&server, "/healthz"))
            .set("X-Request-Id", "abc-123")
            .call(),
    );
    assert_eq!(r.header("x-request-id"), Some("abc-123"));
    let r = reply(
        ureq::get(&url(&server, "/healthz"))
            .set("X-Request-Id", "a\"b<script>")
            .call(),
    );
    assert_ne!(r.header("x-request-id"), Some("a\"b<script>"));
    let page = get(&server, "/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<form id=\"fax-form\""));
    // No external assets.
    assert!(!page.text().contains("http://") && !page.text().contains("https://"));
}

#[test]
fn shutdown_finishes_the_jobs_in_flight() {
    let server = start(Config {
        concurrency: 1,
        ..Config::default()
    });
    let addr = server.addr();
    // A job in flight while shutdown starts.
    let (tx, rx) = std::sync::mpsc::channel();
    let in_flight = std::thread::spawn(move || {
        let server_url = format!("http://{addr}/v1/send");
        let mut form = two_documents().text("resolution", "superfine");
        write!(form.body, "--{}--\r\n", form.boundary).unwrap();
        tx.send(()).unwrap();
        reply(
            ureq::post(&server_url)
                .set(
                    "Content-Type",
                    &format!("multipart/form-data; boundary={}", form.boundary),
                )
                .send_bytes(&form.body),
        )
    });
    rx.recv().unwrap();
    let probe = ureq::AgentBuilder::new().build();
    let started = Instant::now();
    loop {
        let m = reply(probe.get(&format!("http://{addr}/metrics")).call()).text();
        if metric(&m, "faxrender_jobs_in_flight") > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the job never started"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    drop(probe);
    server.shutdown().unwrap();
    let r = in_flight.join().unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    common::assert_checkers_accept(&r.body, "a send finished during shutdown");
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "the server still accepts connections"
    );
}

/// The preview page in headless Chromium (tests/browser, playwright-core):
/// fill the form, send, see the page images.
#[test]
fn preview_page_in_chromium() {
    let browser_dir = common::root().join("tests").join("browser");
    assert!(
        browser_dir
            .join("node_modules")
            .join("playwright-core")
            .exists(),
        "playwright-core is missing: run scripts/setup-tests.sh (npm install in tests/browser)"
    );
    let server = start_default();
    let out = std::process::Command::new("node")
        .arg("preview.test.mjs")
        .current_dir(&browser_dir)
        .env("FAXRENDER_URL", url(&server, "/"))
        .env(
            "FAXRENDER_FIXTURE",
            common::root().join("fixtures/examples/document-screenshot.png"),
        )
        .output()
        .expect("node must be installed: run scripts/setup-tests.sh");
    assert!(
        out.status.success(),
        "the browser test failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Figures for the closing note (run by hand, in release):
/// latency of a 1-page send, median of 50 sequential requests; then
/// throughput in pages/s with both cores busy (4 clients, 2 workers).
#[test]
#[ignore]
fn measure() {
    let server = start(Config {
        concurrency: 2,
        queue_depth: 16,
        ..Config::default()
    });
    let page = common::fixture("examples/document-screenshot.png");
    let body = |form: Form| {
        let mut f = form;
        write!(f.body, "--{}--\r\n", f.boundary).unwrap();
        f.body
    };
    let ctype = format!("multipart/form-data; boundary={}", Form::new().boundary);
    let one = body(
        Form::new()
            .text("to", TO)
            .file("documents", "page.png", &page),
    );
    let agent = ureq::AgentBuilder::new().build();
    let send = |agent: &ureq::Agent, bytes: &[u8]| {
        let r = reply(
            agent
                .post(&url(&server, "/v1/send"))
                .set("Content-Type", &ctype)
                .send_bytes(bytes),
        );
        assert_eq!(r.status, 200);
    };
    for _ in 0..5 {
        send(&agent, &one); // warm up
    }
    let mut ms: Vec<f64> = (0..50)
        .map(|_| {
            let t = Instant::now();
            send(&agent, &one);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "1-page send (PNG screenshot, fine, G4): median {:.1} ms, p10 {:.1}, p90 {:.1}",
        ms[25], ms[5], ms[45]
    );

    for (label, doc) in [
        ("screenshot PNG", page.clone()),
        ("photo JPEG", common::fixture("examples/photo.jpg")),
    ] {
        let form = body(Form::new().text("to", TO).file("documents", "d", &doc));
        let per_client = 20;
        let clients = 4;
        let t = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..clients {
                s.spawn(|| {
                    let agent = ureq::AgentBuilder::new().build();
                    for _ in 0..per_client {
                        send(&agent, &form);
                    }
                });
            }
        });
        let secs = t.elapsed().as_secs_f64();
        println!(
            "throughput, {label}, 1 page/request, {clients} clients, concurrency 2: {:.1} pages/s",
            (clients * per_client) as f64 / secs
        );
    }
}
