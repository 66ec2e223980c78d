//! The job interface: the one entry point the CLI, the HTTP service and tests
//! call. A send job turns documents into one TIFF-F fax; a receive job turns
//! an inbound fax TIFF into a PDF; every stage is reached from here and
//! nowhere else.

pub mod caller_id;
pub mod clock;
pub mod estimate;
pub mod header;
pub mod numbers;
pub mod options;
pub mod receive;
pub mod report;
pub mod send;

pub use caller_id::{CallerId, NO_CALLER_ID};
pub use clock::{JobClock, UtcOffset};
pub use estimate::TransmissionEstimate;
pub use numbers::{NumberKind, Recipient};
pub use options::SendOptions;
pub use receive::{run_receive, PagePreview, ReceiveJob, ReceiveOutput};
pub use report::{
    DocumentReport, DocumentRole, JobReport, LostPage, PageOutput, ReceiveReport,
    ReceivedPageReport, SendReport, StageTimings,
};
pub use send::{run_send, Cover, CoverText, Document, SendJob, SendOutput};
