//! TIFF tag numbers and field types used by the writer and the reader
//! (TIFF 6.0 §2 and §8, Class F as in RFC 2306).

pub const NEW_SUBFILE_TYPE: u16 = 254;
pub const IMAGE_WIDTH: u16 = 256;
pub const IMAGE_LENGTH: u16 = 257;
pub const BITS_PER_SAMPLE: u16 = 258;
pub const COMPRESSION: u16 = 259;
pub const PHOTOMETRIC: u16 = 262;
pub const FILL_ORDER: u16 = 266;
pub const STRIP_OFFSETS: u16 = 273;
pub const ORIENTATION: u16 = 274;
pub const SAMPLES_PER_PIXEL: u16 = 277;
pub const ROWS_PER_STRIP: u16 = 278;
pub const STRIP_BYTE_COUNTS: u16 = 279;
pub const X_RESOLUTION: u16 = 282;
pub const Y_RESOLUTION: u16 = 283;
pub const T4_OPTIONS: u16 = 292;
pub const T6_OPTIONS: u16 = 293;
pub const RESOLUTION_UNIT: u16 = 296;
pub const PAGE_NUMBER: u16 = 297;
pub const IMAGE_DESCRIPTION: u16 = 270;
pub const SOFTWARE: u16 = 305;
pub const DATE_TIME: u16 = 306;
pub const TILE_WIDTH: u16 = 322;
/// Class F (RFC 2306): rows the receiver found damaged, and whether it
/// repaired them (0 clean, 1 regenerated, 2 unclean).
pub const BAD_FAX_LINES: u16 = 326;
pub const CLEAN_FAX_DATA: u16 = 327;

/// Field types (TIFF 6.0 §2 "Types"; 13 = IFD from the TIFF Tech Notes).
pub const TYPE_ASCII: u16 = 2;
pub const TYPE_SHORT: u16 = 3;
pub const TYPE_LONG: u16 = 4;
pub const TYPE_RATIONAL: u16 = 5;

/// Size in bytes of one value of a field type; `None` for unknown types,
/// whose entries a reader must skip.
pub fn type_size(field_type: u16) -> Option<u64> {
    match field_type {
        1 | 2 | 6 | 7 => Some(1),
        3 | 8 => Some(2),
        4 | 9 | 11 | 13 => Some(4),
        5 | 10 | 12 => Some(8),
        _ => None,
    }
}

/// Compression tag values.
pub const COMPRESSION_NONE: u16 = 1;
pub const COMPRESSION_CCITT_RLE: u16 = 2;
pub const COMPRESSION_G3: u16 = 3;
pub const COMPRESSION_G4: u16 = 4;
pub const COMPRESSION_PACKBITS: u16 = 32773;

/// Short name of a Compression tag value, as `inspect` reports it.
pub fn compression_name(compression: u16, t4_options: u32) -> String {
    match compression {
        COMPRESSION_NONE => "none".into(),
        COMPRESSION_CCITT_RLE => "ccitt-rle".into(),
        COMPRESSION_G3 if t4_options & 1 != 0 => "g3-2d".into(),
        COMPRESSION_G3 => "g3".into(),
        COMPRESSION_G4 => "g4".into(),
        COMPRESSION_PACKBITS => "packbits".into(),
        other => format!("other({other})"),
    }
}

/// Human name of a compression for messages ("LZW (5)").
pub fn compression_label(compression: u16) -> String {
    let name = match compression {
        1 => "none",
        2 => "CCITT RLE",
        3 => "CCITT G3",
        4 => "CCITT G4",
        5 => "LZW",
        6 | 7 => "JPEG",
        8 | 32946 => "Deflate",
        32773 => "PackBits",
        34712 => "JPEG 2000",
        50000 => "ZSTD",
        50001 => "WebP",
        _ => "unknown",
    };
    format!("{name} ({compression})")
}
