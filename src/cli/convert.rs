//! `faxrender convert`: documents to one TIFF-F file.

use clap::Args;
use faxrender::bilevel::BilevelMode;
use faxrender::codec::Compression;
use faxrender::export::png::page_png;
use faxrender::geometry::{Paper, Resolution};
use faxrender::job::{run_send, Document, JobClock, SendJob, SendOptions};
use faxrender::Error;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Documents to send, in order (JPEG, PNG, GIF, BMP, WebP, TIFF).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// The TIFF-F file to write.
    #[arg(short, long)]
    pub output: PathBuf,
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
    /// Also write every page as a 1-bit PNG (aspect corrected) into this folder.
    #[arg(long)]
    pub png_dir: Option<PathBuf>,
    #[command(flatten)]
    pub limits: super::LimitArgs,
    /// Fixed time for the TIFF DateTime tag, Unix seconds (reproducible output).
    #[arg(long)]
    pub time: Option<i64>,
    /// Print the job report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: ConvertArgs) -> Result<(), Error> {
    let limits = args.limits.limits();
    let mut documents = Vec::with_capacity(args.inputs.len());
    for path in &args.inputs {
        let bytes = super::read_input(path, limits.max_bytes)?;
        documents.push(super::send::with_folder(
            Document::new(path.display().to_string(), bytes),
            path,
        ));
    }
    let job = SendJob {
        documents,
        options: SendOptions {
            resolution: args.resolution,
            paper: args.paper,
            compression: args.compression,
            bilevel: args.bilevel,
            limits,
        },
        clock: args.time.map(JobClock::Fixed).unwrap_or_default(),
        keep_pages: args.png_dir.is_some(),
        ..SendJob::default()
    };
    let out = run_send(&job)?;
    let out_name = args.output.display().to_string();
    super::write_atomically(&args.output, &out.tiff).map_err(|e| e.with_context(&out_name))?;
    if let Some(dir) = &args.png_dir {
        super::create_dir(dir)?;
        let geom = job.options.geometry();
        for (i, page) in out.pages.iter().enumerate() {
            let png = page_png(page, geom.x_dpi() as f64, geom.y_dpi() as f64)?;
            let path = dir.join(format!("page-{:03}.png", i + 1));
            super::write_file(&path, &png)?;
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&out.report)
                .map_err(|e| Error::internal(e.to_string()))?
        );
    } else {
        eprintln!(
            "{out_name}: {} page{}, {} bytes ({}, {}, {})",
            out.report.pages,
            if out.report.pages == 1 { "" } else { "s" },
            out.report.tiff_bytes,
            args.resolution,
            args.paper,
            args.compression
        );
        for d in &out.report.documents {
            for w in &d.warnings {
                eprintln!("warning: {}: {w}", d.name);
            }
        }
    }
    Ok(())
}
