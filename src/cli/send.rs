//! `faxrender send`: documents to one TIFF-F fax ready to dial, with a
//! cover (composed or a file), a header line on every page, the caller ID
//! and the recipient checked, and a JSON report.
//!
//! A bad recipient number or caller ID exits 1 (the input was refused: the
//! same job will never succeed), not 2: it is data from the portal, not a
//! misuse of the command. The recipient number is never printed except in
//! an error message to the user who typed it and in the report file.

use clap::Args;
use faxrender::bilevel::BilevelMode;
use faxrender::codec::Compression;
use faxrender::geometry::{Paper, Resolution};
use faxrender::job::{
    run_send, CallerId, Cover, CoverText, Document, JobClock, Recipient, SendJob, SendOptions,
    UtcOffset,
};
use faxrender::stamp::HeaderTemplate;
use faxrender::{Error, ErrorKind};
use std::path::PathBuf;
use std::time::Instant;

/// How pages are rendered and coded (the same options and defaults as
/// `convert`).
#[derive(Args, Debug)]
pub struct RenderArgs {
    /// Vertical resolution: standard (204x98), fine (204x196), superfine (204x391).
    #[arg(long, default_value = "fine")]
    pub resolution: Resolution,
    /// Paper: letter, a4 or legal.
    #[arg(long, default_value = "letter")]
    pub paper: Paper,
    /// Coding: g3 (MH), g3-2d (MR) or g4 (MMR).
    #[arg(long, default_value = "g4")]
    pub compression: Compression,
    /// Gray to black and white: auto, threshold, halftone or diffuse.
    #[arg(long, default_value = "auto")]
    pub bilevel: BilevelMode,
}

#[derive(Args, Debug)]
pub struct SendArgs {
    /// Documents to send, in order.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The TIFF-F file to write.
    #[arg(short, long)]
    pub output: PathBuf,
    /// The recipient's number: 1 + 10 digits (US/Canada) or 011 + 7-15 digits;
    /// spaces, dashes, dots, parentheses and a leading + are fine.
    #[arg(long)]
    pub to: String,
    /// The sending number (DID) for the header: 10 or 11 digits
    /// (default 0000000000).
    #[arg(long)]
    pub caller_id: Option<String>,
    /// The sender's name, for the header line and the cover's From.
    #[arg(long)]
    pub sender: Option<String>,
    /// Compose a cover sheet with this message.
    #[arg(long, conflicts_with = "cover_file")]
    pub cover_text: Option<String>,
    /// Use this document as the cover: its pages go first.
    #[arg(long)]
    pub cover_file: Option<PathBuf>,
    /// The recipient's name on a composed cover sheet.
    #[arg(long, conflicts_with = "cover_file")]
    pub to_name: Option<String>,
    /// The subject on a composed cover sheet (alone, it composes a cover
    /// with no message).
    #[arg(long, conflicts_with = "cover_file")]
    pub subject: Option<String>,
    /// Header line template; placeholders: {date} {time} {sender}
    /// {caller_id} {to} {page} {pages}.
    #[arg(long, default_value = HeaderTemplate::DEFAULT)]
    pub header: String,
    /// UTC offset the header's date and time are shown in (+HH:MM / -HH:MM).
    #[arg(long, default_value = "+00:00", allow_hyphen_values = true)]
    pub utc_offset: UtcOffset,
    /// Fixed time, Unix seconds (reproducible output); default: now.
    #[arg(long)]
    pub time: Option<i64>,
    /// Write the job report as JSON to this file, or `-` for stdout.
    #[arg(long)]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub render: RenderArgs,
    #[command(flatten)]
    pub limits: super::LimitArgs,
}

pub fn run(args: SendArgs) -> Result<(), Error> {
    // Numbers first: a refused number is refused input (exit 1), before any
    // file is read.
    Recipient::parse(&args.to).map_err(refused)?;
    CallerId::parse(args.caller_id.as_deref()).map_err(refused)?;
    let limits = args.limits.limits();

    let mut documents = Vec::with_capacity(args.inputs.len());
    for path in &args.inputs {
        documents.push(read_document(path, limits.max_bytes)?);
    }
    let compose = args.cover_text.is_some() || args.subject.is_some() || args.to_name.is_some();
    let cover = match &args.cover_file {
        Some(path) => Cover::File(read_document(path, limits.max_bytes)?),
        None if compose => Cover::Compose(CoverText {
            to_name: args.to_name.clone(),
            from_name: None, // the sender
            subject: args.subject.clone(),
            message: args.cover_text.clone().unwrap_or_default(),
        }),
        None => Cover::None,
    };
    let header = HeaderTemplate::parse(&args.header)?;
    let job = SendJob {
        documents,
        cover,
        recipient: Some(args.to.clone()),
        caller_id: args.caller_id.clone(),
        sender: args.sender.clone(),
        header: Some(header),
        options: SendOptions {
            resolution: args.render.resolution,
            paper: args.render.paper,
            compression: args.render.compression,
            bilevel: args.render.bilevel,
            limits,
        },
        clock: args.time.map(JobClock::Fixed).unwrap_or_default(),
        utc_offset: args.utc_offset,
        keep_pages: false,
    };
    let mut out = run_send(&job)?;

    let out_name = args.output.display().to_string();
    let t_write = Instant::now();
    super::write_atomically(&args.output, &out.tiff).map_err(|e| e.with_context(&out_name))?;
    out.report.timing.write_ms += t_write.elapsed().as_millis() as u64;

    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&out.report)
            .map_err(|e| Error::internal(e.to_string()))?;
        if path.as_os_str() == "-" {
            println!("{json}");
        } else {
            let name = path.display().to_string();
            super::write_atomically(path, format!("{json}\n").as_bytes())
                .map_err(|e| e.with_context(name))?;
        }
    }
    let r = &out.report;
    let at_14400 = r
        .transmission
        .iter()
        .find(|t| t.bit_rate == 14_400)
        .map_or(0, |t| t.ms.div_ceil(1000));
    eprintln!(
        "{out_name}: {} page{}, {} bytes ({}, {}, {}), about {at_14400} s at 14400 bit/s",
        r.pages,
        if r.pages == 1 { "" } else { "s" },
        r.tiff_bytes,
        args.render.resolution,
        args.render.paper,
        args.render.compression,
    );
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    Ok(())
}

/// A bad number is refused input (exit 1), not a usage error.
fn refused(e: Error) -> Error {
    Error {
        kind: ErrorKind::BadInput,
        ..e
    }
}

/// A local file's document may read files beside it (HTML style sheets
/// and images), never above its folder.
pub(super) fn with_folder(doc: Document, path: &std::path::Path) -> Document {
    match path.parent() {
        Some(dir) if dir.as_os_str().is_empty() => doc.with_base_dir("."),
        Some(dir) => doc.with_base_dir(dir),
        None => doc,
    }
}

fn read_document(path: &std::path::Path, max_bytes: u64) -> Result<Document, Error> {
    let bytes = super::read_input(path, max_bytes)?;
    Ok(with_folder(
        Document::new(path.display().to_string(), bytes),
        path,
    ))
}
