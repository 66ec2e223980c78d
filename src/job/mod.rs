//! The job interface: the one entry point the CLI, the HTTP service and tests
//! call. A send job turns documents into one TIFF-F fax; a receive job turns
//! an inbound fax TIFF into a PDF; every stage is reached from here and
//! nowhere else.

pub mod clock;
pub mod options;
pub mod receive;
pub mod report;
pub mod send;

pub use clock::JobClock;
pub use options::SendOptions;
pub use receive::{run_receive, PagePreview, ReceiveJob, ReceiveOutput};
pub use report::{
    DocumentReport, LostPage, PageOutput, ReceiveReport, ReceivedPageReport, SendReport,
};
pub use send::{run_send, Document, SendJob, SendOutput};
