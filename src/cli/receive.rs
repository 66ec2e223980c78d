//! `faxrender receive`: an inbound fax TIFF to a PDF, with optional PNG
//! previews and a JSON report. Exit 0 whenever a PDF was written (repaired
//! damage and lost pages are in the report and on stderr), 1 when nothing
//! could be read or a limit was exceeded. The input file is only read.

use clap::Args;
use faxrender::job::{run_receive, JobClock, ReceiveJob, ReceiveReport};
use faxrender::Error;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ReceiveArgs {
    /// The fax TIFF received.
    pub input: PathBuf,
    /// The PDF to write.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write every page as an aspect-corrected 1-bit PNG into this folder
    /// (page-001.png...; with --thumb-width also page-001-thumb.png...).
    #[arg(long)]
    pub png_dir: Option<PathBuf>,
    /// Width in pixels of gray thumbnails written beside the PNG pages
    /// (needs --png-dir).
    #[arg(long, requires = "png_dir")]
    pub thumb_width: Option<u32>,
    /// Write the job report as JSON to this file ("-" for stdout).
    #[arg(long)]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub limits: super::LimitArgs,
    /// Fixed time for the PDF's CreationDate, Unix seconds (reproducible output).
    #[arg(long)]
    pub time: Option<i64>,
}

pub fn run(args: ReceiveArgs) -> Result<(), Error> {
    let limits = args.limits.limits();
    let in_name = args.input.display().to_string();
    let bytes = super::read_input(&args.input, limits.max_bytes)?;
    let job = ReceiveJob {
        name: in_name.clone(),
        tiff: bytes.into(),
        limits,
        clock: args.time.map(JobClock::Fixed).unwrap_or_default(),
        png_pages: args.png_dir.is_some(),
        thumb_width: args.thumb_width,
        keep_pages: false,
    };
    let out = run_receive(&job)?;
    let out_name = args.output.display().to_string();
    super::write_atomically(&args.output, &out.pdf).map_err(|e| e.with_context(&out_name))?;
    if let Some(dir) = &args.png_dir {
        super::create_dir(dir)?;
        for p in &out.previews {
            let base = format!("page-{:03}", p.pdf_page);
            if let Some(png) = &p.png {
                super::write_file(&dir.join(format!("{base}.png")), png)?;
            }
            if let Some(thumb) = &p.thumbnail {
                super::write_file(&dir.join(format!("{base}-thumb.png")), thumb)?;
            }
        }
    }
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&out.report)
            .map_err(|e| Error::internal(e.to_string()))?;
        if path.as_os_str() == "-" {
            println!("{json}");
        } else {
            super::write_atomically(path, format!("{json}\n").as_bytes())
                .map_err(|e| e.with_context(path.display().to_string()))?;
        }
    }
    print_summary(&out_name, &out.report);
    Ok(())
}

fn print_summary(out_name: &str, r: &ReceiveReport) {
    eprintln!(
        "{out_name}: {} page{} of {}, {} bad row{}, {} rows missing, {} bytes",
        r.pages,
        if r.pages == 1 { "" } else { "s" },
        r.pages_in_file,
        r.bad_rows,
        if r.bad_rows == 1 { "" } else { "s" },
        r.rows_missing,
        r.pdf_bytes
    );
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
}
