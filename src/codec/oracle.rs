//! The `fax` crate as a test oracle: an independent G4 encoder and decoder
//! our codec and the bilevel tests are checked against (test builds only).

use super::runs;
use crate::bitmap::BitImage;

/// Changes list (as the `fax` crate gives it) to a packed row.
pub(crate) fn row_from_changes(changes: &[u32], width: u32) -> Vec<u8> {
    let mut row = vec![0u8; BitImage::stride_for(width)];
    let list: Vec<u32> = changes.iter().copied().filter(|&c| c < width).collect();
    runs::paint_row(&mut row, &list, width);
    row
}

/// Row `y` as the pixel iterator the `fax` encoder takes.
fn fax_pels(img: &BitImage, y: u32) -> impl Iterator<Item = fax::Color> + '_ {
    (0..img.width).map(move |x| {
        if img.get(x, y) {
            fax::Color::Black
        } else {
            fax::Color::White
        }
    })
}

/// G4-encodes a page with the `fax` crate.
pub(crate) fn fax_g4_encode(img: &BitImage) -> Vec<u8> {
    let mut e = fax::encoder::Encoder::new(fax::VecWriter::new());
    for y in 0..img.height {
        e.encode_line(fax_pels(img, y), img.width).unwrap();
    }
    e.finish().unwrap().finish()
}

/// Decodes G4 data with the `fax` crate.
pub(crate) fn fax_g4_decode(data: &[u8], width: u32, height: u32) -> BitImage {
    let mut img = BitImage::new(width, height);
    let mut y = 0;
    fax::decoder::decode_g4(data.iter().copied(), width, Some(height), |changes| {
        if y < height {
            let row = row_from_changes(changes, width);
            img.row_mut(y).copy_from_slice(&row);
        }
        y += 1;
    });
    img
}
