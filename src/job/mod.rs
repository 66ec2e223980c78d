//! The job interface: the one entry point the CLI, the HTTP service and tests
//! call. A send job turns documents into one TIFF-F fax; every stage is
//! reached from here and nowhere else.

pub mod clock;
pub mod options;
pub mod report;
pub mod send;

pub use clock::JobClock;
pub use options::SendOptions;
pub use report::{DocumentReport, SendReport};
pub use send::{run_send, Document, SendJob, SendOutput};
