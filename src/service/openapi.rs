//! The OpenAPI 3 document of the service (`GET /openapi.json`). Written by
//! hand; a test checks that its paths and methods are exactly the router's.

use serde_json::{json, Value};

/// The send form, shared by `/v1/send` and `/v1/preview`.
fn send_form() -> Value {
    json!({
        "required": true,
        "content": { "multipart/form-data": { "schema": {
            "type": "object",
            "properties": {
                "documents": { "type": "array", "items": { "type": "string", "format": "binary" },
                    "description": "Documents to send, in order (one part per document)." },
                "cover": { "type": "string", "enum": ["none", "compose", "file"], "default": "none" },
                "cover_text": { "type": "string", "description": "Text of a composed cover." },
                "cover_file": { "type": "string", "format": "binary", "description": "Cover document (cover=file)." },
                "to": { "type": "string", "description": "Recipient fax number." },
                "caller_id": { "type": "string", "maxLength": 20, "description": "Sending fax number (TSI) for the header line." },
                "sender": { "type": "string", "maxLength": 200 },
                "subject": { "type": "string", "maxLength": 200 },
                "resolution": { "type": "string", "enum": ["standard", "fine", "superfine"], "default": "fine" },
                "paper": { "type": "string", "enum": ["letter", "a4", "legal"], "default": "letter" },
                "compression": { "type": "string", "enum": ["g3", "g3-2d", "g4"], "default": "g4" },
                "bilevel": { "type": "string", "enum": ["auto", "threshold", "halftone", "diffuse"], "default": "auto" }
            }
        }}}
    })
}

fn tiff_body() -> Value {
    json!({ "required": true, "content": { "image/tiff": { "schema": { "type": "string", "format": "binary" } } } })
}

fn error_ref(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

/// The error responses every job route may give.
fn job_errors() -> Value {
    json!({
        "400": error_ref("Malformed request."),
        "413": error_ref("Over the body, byte or page limit."),
        "415": error_ref("Unsupported or unreadable document."),
        "422": error_ref("Invalid field value."),
        "429": error_ref("Queue full; see Retry-After."),
        "500": error_ref("A bug."),
        "503": error_ref("Waited in the queue past the time limit; see Retry-After."),
        "504": error_ref("The job ran past its time limit.")
    })
}

fn with_errors(mut ok: Value) -> Value {
    if let (Some(map), Value::Object(errors)) = (ok.as_object_mut(), job_errors()) {
        map.extend(errors);
    }
    ok
}

fn json_ok(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "type": "object" } } } })
}

/// The document.
pub fn document() -> Value {
    let report_param = json!({ "name": "report", "in": "query", "required": false,
        "schema": { "type": "string", "enum": ["json"] },
        "description": "json: answer with the report and the output in base64 (also chosen by Accept: application/json)." });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "faxrender",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Documents to TIFF-F fax, inbound fax TIFF to PDF. Every request may carry X-Request-Id (letters, digits, - _ . :, at most 128), echoed in the response and logs."
        },
        "paths": {
            "/": { "get": { "summary": "The preview page (HTML, no external assets).",
                "responses": { "200": { "description": "HTML page.", "content": { "text/html": {} } } } } },
            "/v1/send": { "post": {
                "summary": "Documents to one TIFF-F fax.",
                "parameters": [report_param],
                "requestBody": send_form(),
                "responses": with_errors(json!({ "200": {
                    "description": "The TIFF-F file; headers X-Fax-Pages and X-Job-Id. With report=json: { job_id, report, warnings, tiff (base64) }.",
                    "content": { "image/tiff": { "schema": { "type": "string", "format": "binary" } },
                                 "application/json": { "schema": { "type": "object" } } } } }))
            } },
            "/v1/preview": { "post": {
                "summary": "PNG images of the pages that would be sent, and the TIFF.",
                "requestBody": send_form(),
                "responses": with_errors(json!({ "200": json_ok("{ job_id, report, warnings, pages: [{ page, width, height, png (base64) }], tiff (base64) }") }))
            } },
            "/v1/receive": { "post": {
                "summary": "An inbound fax TIFF to a PDF.",
                "parameters": [report_param,
                    { "name": "png", "in": "query", "required": false, "schema": { "type": "boolean" },
                      "description": "With report=json: a full-size 1-bit PNG of every page." },
                    { "name": "thumb_width", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1 },
                      "description": "With report=json: a gray thumbnail this wide of every page." }],
                "requestBody": tiff_body(),
                "responses": with_errors(json!({ "200": {
                    "description": "The PDF; header X-Fax-Pages. With report=json: { job_id, report, pdf (base64), pages: [{ pdf_page, png?, thumbnail? }] }.",
                    "content": { "application/pdf": { "schema": { "type": "string", "format": "binary" } },
                                 "application/json": { "schema": { "type": "object" } } } } }))
            } },
            "/v1/inspect": { "post": {
                "summary": "Whether a TIFF can be sent as it is, page by page.",
                "requestBody": tiff_body(),
                "responses": with_errors(json!({ "200": json_ok("{ job_id, inspection: { pages, problems, sendable, strict_tiff_f } }") }))
            } },
            "/healthz": { "get": { "summary": "The process is alive.",
                "responses": { "200": json_ok("{ status: ok }") } } },
            "/readyz": { "get": { "summary": "Ready to take jobs (not shutting down; engine state).",
                "responses": { "200": json_ok("Ready."), "503": json_ok("Shutting down.") } } },
            "/metrics": { "get": { "summary": "Prometheus metrics (faxrender_*).",
                "responses": { "200": { "description": "Text exposition format.", "content": { "text/plain": {} } } } } },
            "/openapi.json": { "get": { "summary": "This document.",
                "responses": { "200": json_ok("OpenAPI 3 document.") } } }
        },
        "components": { "schemas": { "Error": {
            "type": "object",
            "required": ["error", "message", "retryable"],
            "properties": {
                "error": { "type": "string", "description": "Kind: bad_request, bad_input, unsupported, limit_exceeded, invalid_option, queue_full, timeout, internal, io." },
                "message": { "type": "string" },
                "retryable": { "type": "boolean", "description": "Whether the same request may succeed later." }
            }
        } } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::routes;

    #[test]
    fn documents_exactly_the_routers_routes() {
        let doc = document();
        let mut documented: Vec<(String, String)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(move |m| (m.to_uppercase(), path.clone()))
            })
            .collect();
        let mut routed: Vec<(String, String)> = routes::table()
            .iter()
            .map(|r| (r.method.to_string(), r.path.to_string()))
            .collect();
        documented.sort();
        routed.sort();
        assert_eq!(documented, routed);
    }
}
