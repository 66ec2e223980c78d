//! `faxrender inspect`: is this TIFF a fax we can send as it is?

use clap::Args;
use faxrender::limits::Limits;
use faxrender::tiff::inspect::{inspect, Inspection, PageInspection};
use faxrender::Error;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The TIFF file to check.
    pub file: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the inspection; returns whether the file is sendable as it is.
pub fn run(args: InspectArgs) -> Result<bool, Error> {
    let limits = Limits::default();
    // inspect reads any size a fax server might hold; cap at 10x the fax limit.
    let bytes = super::read_input(&args.file, limits.max_bytes * 10)?;
    let result = inspect(&bytes, &limits);
    let name = args.file.display().to_string();
    if args.json {
        let json = serde_json::json!({ "file": name, "inspection": result });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).map_err(|e| Error::internal(e.to_string()))?
        );
    } else {
        print_human(&name, &result);
    }
    Ok(result.sendable)
}

fn print_human(name: &str, r: &Inspection) {
    println!(
        "{name}: {} page{}",
        r.pages.len(),
        if r.pages.len() == 1 { "" } else { "s" }
    );
    for p in &r.problems {
        println!("  file: {p}");
    }
    for p in &r.pages {
        let dpi = |d: Option<f64>| d.map(|v| format!("{v:.0}")).unwrap_or_else(|| "?".into());
        println!(
            "  page {:>3}: {}x{} @ {}x{} dpi, {}, fill order {}, {} strip{}, {}{}",
            p.page,
            p.width,
            p.rows,
            dpi(p.x_dpi),
            dpi(p.y_dpi),
            p.compression,
            p.fill_order,
            p.strips,
            if p.strips == 1 { "" } else { "s" },
            decode_summary(p),
            if p.sendable {
                ", sendable"
            } else {
                ", NOT sendable"
            }
        );
        for why in &p.problems {
            println!("      {why}");
        }
    }
    println!(
        "{}",
        if r.sendable {
            "sendable as it is"
        } else {
            "NOT sendable as it is"
        }
    );
}

/// "decodes cleanly", or where the damage starts and how many rows it hit.
fn decode_summary(p: &PageInspection) -> String {
    if p.decodes_cleanly {
        return "decodes cleanly".to_string();
    }
    match (p.first_bad_row, p.bad_rows) {
        (Some(r), 0) => format!("damaged from row {r}"),
        (Some(r), n) => format!("damaged from row {r} ({n} bad rows)"),
        (None, 0) => "does not decode".to_string(),
        (None, n) => format!("{n} bad rows"),
    }
}
