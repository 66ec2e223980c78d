//! Output for people on the receive path: the PDF of a fax (`pdf`), PNG
//! previews of its pages (`png`) and small gray thumbnails (`thumbnail`).

pub mod pdf;
pub mod png;
pub mod thumbnail;
