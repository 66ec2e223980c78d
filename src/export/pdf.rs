//! Fax pages as a PDF: one page per fax page, each page one 1-bit image
//! XObject holding CCITT fax data with `/CCITTFaxDecode`.
//!
//! The data is embedded as the caller gives it (the receive job passes the
//! fax's own bytes through where it can), so the PDF is lossless and about
//! the size of the TIFF. PDF semantics that matter here (PDF 32000-1
//! §7.4.6): with the default `BlackIs1 false`, a decoded 0 bit is black and
//! a 1 bit white, which together with `/DeviceGray` paints a min-is-white
//! fax the right way round, so `BlackIs1` is never written. `K` < 0 is G4,
//! 0 is MH, > 0 is MR (its value only bounds the 2-D run; decoders follow
//! the tag bits). The data must be MSB-first (FillOrder 1). EOL fill is
//! left to the decoders (see [`PdfPage::encoded_byte_align`]).
//!
//! Each page's MediaBox is the page's physical size (pixels / dpi * 72
//! points), so a 204x98 page keeps its shape; the image fills the page.
//! Output bytes are deterministic: no file ID, the date comes from the
//! caller, objects are numbered in page order.

use pdf_writer::{Content, Date, Filter, Name, Pdf, Rect, Ref, TextStr};

/// How a page's data is coded, as `/DecodeParms` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CcittCoding {
    /// T.4 1-D (MH), K = 0.
    Mh,
    /// T.4 2-D (MR), K > 0.
    Mr,
    /// T.6 (MMR, G4), K = -1.
    Mmr,
}

impl CcittCoding {
    /// The `/K` value.
    pub fn k(self) -> i32 {
        match self {
            CcittCoding::Mh => 0,
            // Any positive K means "mixed 1-D/2-D, tag bit after each EOL".
            CcittCoding::Mr => 4,
            CcittCoding::Mmr => -1,
        }
    }
}

/// One fax page ready to embed.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfPage {
    pub width: u32,
    pub rows: u32,
    pub x_dpi: f64,
    pub y_dpi: f64,
    pub coding: CcittCoding,
    /// `/EncodedByteAlign`: every coded row starts on a byte boundary.
    ///
    /// Leave it false for TIFF G3 data with EOL fill (T4Options bit 2): the
    /// fill zeros before each EOL are legal T.4 that every decoder skips,
    /// while readers disagree on what the flag means when EOLs are present.
    /// Measured on this project's corpus: Ghostscript 10 draws MH and MR
    /// pages with the flag wrong (60 184 and 155 591 pixels off) and right
    /// without it; poppler draws them right either way.
    pub encoded_byte_align: bool,
    /// CCITT data, MSB-first, min-is-white (a 0 bit in a decoded row is white).
    pub data: Vec<u8>,
}

impl PdfPage {
    /// Page size in points: the physical size at the page's resolution.
    pub fn size_points(&self) -> (f32, f32) {
        (
            (self.width as f64 / self.x_dpi * 72.0) as f32,
            (self.rows as f64 / self.y_dpi * 72.0) as f32,
        )
    }
}

/// A calendar instant in UTC for `/CreationDate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// The document information dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfInfo {
    /// `/Producer`, e.g. "faxrender 0.1.0".
    pub producer: String,
    /// `/Creator`: the software that wrote the fax TIFF, when known.
    pub creator: Option<String>,
    pub creation_date: PdfDate,
    /// The sender's identity (TSI), when the fax carries it.
    pub tsi: Option<String>,
    /// When the fax was received, as the TIFF says (free text).
    pub received: Option<String>,
}

/// Writes the PDF. `pages` may be empty only in tests (a PDF with no page
/// is valid but useless; the receive job never asks for one).
pub fn write_pdf(pages: &[PdfPage], info: &PdfInfo) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let info_id = Ref::new(3);
    // page i: page object, image, content stream
    let ids = |i: usize| {
        let base = 4 + 3 * i as i32;
        (Ref::new(base), Ref::new(base + 1), Ref::new(base + 2))
    };

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids((0..pages.len()).map(|i| ids(i).0))
        .count(pages.len() as i32);

    let image_name = Name(b"Im1");
    for (i, page) in pages.iter().enumerate() {
        let (page_id, image_id, content_id) = ids(i);
        let (w, h) = page.size_points();

        let mut image = pdf.image_xobject(image_id, &page.data);
        image.filter(Filter::CcittFaxDecode);
        image.width(page.width as i32);
        image.height(page.rows as i32);
        image.color_space().device_gray();
        image.bits_per_component(1);
        let mut parms = image.decode_parms();
        parms.k(page.coding.k());
        parms.columns(page.width as i32);
        parms.rows(page.rows as i32);
        if page.encoded_byte_align {
            parms.encoded_byte_align(true);
        }
        drop(parms);
        drop(image);

        let mut content = Content::new();
        content
            .save_state()
            .transform([w, 0.0, 0.0, h, 0.0, 0.0])
            .x_object(image_name)
            .restore_state();
        pdf.stream(content_id, &content.finish());

        let mut p = pdf.page(page_id);
        p.parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, w, h))
            .contents(content_id);
        p.resources().x_objects().pair(image_name, image_id);
    }

    let d = info.creation_date;
    let date = Date::new(d.year)
        .month(d.month)
        .day(d.day)
        .hour(d.hour)
        .minute(d.minute)
        .second(d.second)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    let title = match &info.tsi {
        Some(tsi) => format!("Fax from {tsi}"),
        None => "Fax".to_string(),
    };
    let subject = format!(
        "{} page{}{}",
        pages.len(),
        if pages.len() == 1 { "" } else { "s" },
        info.received
            .as_deref()
            .map(|r| format!(", received {r}"))
            .unwrap_or_default()
    );
    let mut doc = pdf.document_info(info_id);
    doc.title(TextStr(&title))
        .subject(TextStr(&subject))
        .producer(TextStr(&info.producer))
        .creation_date(date);
    if let Some(creator) = &info.creator {
        doc.creator(TextStr(creator));
    }
    // Custom keys (allowed in the info dictionary) for software that files
    // faxes: the page count and the sender's TSI as plain values.
    doc.pair(Name(b"FaxPages"), pages.len() as i32);
    if let Some(tsi) = &info.tsi {
        doc.pair(Name(b"FaxTSI"), TextStr(tsi));
    }
    drop(doc);
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> PdfInfo {
        PdfInfo {
            producer: "faxrender test".into(),
            creator: None,
            creation_date: PdfDate {
                year: 2026,
                month: 11,
                day: 29,
                hour: 12,
                minute: 0,
                second: 0,
            },
            tsi: Some("+1 555 0100".into()),
            received: None,
        }
    }

    fn page() -> PdfPage {
        PdfPage {
            width: 1728,
            rows: 1078,
            x_dpi: 204.0,
            y_dpi: 98.0,
            coding: CcittCoding::Mmr,
            encoded_byte_align: false,
            data: vec![0x00, 0x10, 0x01],
        }
    }

    fn contains(hay: &[u8], needle: &str) -> bool {
        hay.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[test]
    fn page_size_follows_the_resolution() {
        let (w, h) = page().size_points();
        assert!((w - 609.88).abs() < 0.01, "{w}");
        assert!((h - 792.0).abs() < 0.01, "{h}");
    }

    #[test]
    fn dictionary_says_what_the_data_is() {
        let pdf = write_pdf(&[page()], &info());
        assert!(pdf.starts_with(b"%PDF-"));
        for needle in [
            "/Filter /CCITTFaxDecode",
            "/K -1",
            "/Columns 1728",
            "/Rows 1078",
            "/ColorSpace /DeviceGray",
            "/BitsPerComponent 1",
            "/FaxTSI (+1 555 0100)",
            "/Title (Fax from +1 555 0100)",
            "/CreationDate (D:20261129120000Z",
            "/FaxPages 1",
        ] {
            assert!(contains(&pdf, needle), "missing {needle}");
        }
        assert!(!contains(&pdf, "BlackIs1"));
        assert!(!contains(&pdf, "EncodedByteAlign"));
        assert!(!contains(&pdf, "/ID"), "no random file ID");
        // deterministic
        assert_eq!(pdf, write_pdf(&[page()], &info()));
    }

    #[test]
    fn byte_aligned_mh_page() {
        let mut p = page();
        p.coding = CcittCoding::Mh;
        p.encoded_byte_align = true;
        let pdf = write_pdf(&[p.clone(), page()], &info());
        assert!(contains(&pdf, "/K 0"));
        assert!(contains(&pdf, "/EncodedByteAlign true"));
        assert!(contains(&pdf, "/Count 2"));
        assert!(contains(&pdf, "/Subject (2 pages)"));
    }
}
