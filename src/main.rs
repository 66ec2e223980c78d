//! The `faxrender` binary: parses the command line and maps outcomes to exit
//! statuses. All work is done by the library's job interface.

mod cli;

use clap::Parser;
use cli::{Cli, Command, EXIT_INTERNAL, EXIT_OK, EXIT_REFUSED, EXIT_USAGE};

fn main() {
    // A panic is a bug: main reports it in one line and exits 3, with no
    // backtrace. The default hook's message (file and line) is kept for
    // developers who set RUST_BACKTRACE. Libraries that unwind on purpose and
    // catch it themselves (libjpeg through mozjpeg) must not print anything.
    if std::env::var_os("RUST_BACKTRACE").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            std::process::exit(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    if let Command::PdfWorker(args) = cli.command {
        std::process::exit(cli::pdf_worker::run(args));
    }
    if cli.pdfium.is_some() {
        let settings = faxrender::input::pdf::PdfSettings {
            pdfium: cli.pdfium.clone(),
            ..faxrender::input::pdf::PdfSettings::from_env()
        };
        let _ = faxrender::input::pdf::configure(settings);
    }
    let code = std::panic::catch_unwind(|| match cli.command {
        Command::Convert(args) => cli::convert::run(args).map(|_| EXIT_OK),
        Command::Send(args) => cli::send::run(args).map(|_| EXIT_OK),
        Command::Receive(args) => cli::receive::run(args).map(|_| EXIT_OK),
        Command::PdfWorker(_) => unreachable!("handled above"),
        #[cfg(feature = "service")]
        Command::Serve(args) => cli::serve::run(args).map(|_| EXIT_OK),
        Command::Inspect(args) => {
            cli::inspect::run(args).map(|ok| if ok { EXIT_OK } else { EXIT_REFUSED })
        }
    });
    let code = match code {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => {
            eprintln!("faxrender: {e}");
            cli::exit_code(&e)
        }
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            eprintln!("faxrender: internal error: {msg}");
            EXIT_INTERNAL
        }
    };
    // Statics are not dropped at exit: stop the LibreOffice instances and
    // remove their folder (profiles, pipes) so nothing is left behind.
    faxrender::input::office::LibreOffice::shutdown_global();
    std::process::exit(code);
}
