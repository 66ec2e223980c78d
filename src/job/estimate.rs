//! How long the fax will take on the line, at the usual modem rates.
//!
//! The estimate is `call setup + Σ pages (page overhead + coded bits / rate)`:
//! - the coded bits are the page's T.4/T.6 data as written to the TIFF (what
//!   the modem carries, without fill) plus ECM framing: HDLC frames of 256
//!   data octets carry about 8 more octets each (address, control, FCF,
//!   frame number, FCS, flags), so ×264/256;
//! - the **page overhead** is [`PAGE_OVERHEAD_MS`] = 1.5 s: the post-page
//!   exchange at 300 bit/s (PPS-MPS/EOP, MCF: ~0.6 s each way with flags
//!   and turnarounds) and the high-speed modem's training before the next
//!   page's data (~0.2 s for V.17/V.29, short re-train for V.34);
//! - the **call setup** is [`CALL_SETUP_MS`] = 8 s, once: answer tone,
//!   DIS/DCS at 300 bit/s, the 1.5 s TCF training check (V.8 and line
//!   probing for V.34 take about as long), and the final DCN.
//!
//! Dialling and ringing are not counted. Real calls vary (retrains, ECM
//! retransmissions); the figures are for planning and billing estimates.

/// The modem rates we estimate for: V.29 9600, V.17 14400, V.34 33600 bit/s.
pub const BIT_RATES: [u32; 3] = [9_600, 14_400, 33_600];

/// Fixed time per page: post-page handshake and modem training (see module doc).
pub const PAGE_OVERHEAD_MS: u64 = 1_500;

/// Fixed time per call: negotiation and training before the first page,
/// disconnect after the last.
pub const CALL_SETUP_MS: u64 = 8_000;

/// ECM frame: 256 data octets travel as about 264.
const ECM_FRAME_DATA: u64 = 256;
const ECM_FRAME_WIRE: u64 = 264;

/// The estimated duration at one rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TransmissionEstimate {
    pub bit_rate: u32,
    /// Whole call, milliseconds (rounded up).
    pub ms: u64,
}

/// Estimates for every rate in [`BIT_RATES`], from the coded bytes of each
/// page.
pub fn estimate(page_data_bytes: &[u64]) -> Vec<TransmissionEstimate> {
    BIT_RATES
        .iter()
        .map(|&bit_rate| TransmissionEstimate {
            bit_rate,
            ms: call_ms(page_data_bytes, bit_rate),
        })
        .collect()
}

fn call_ms(page_data_bytes: &[u64], bit_rate: u32) -> u64 {
    let pages: u64 = page_data_bytes
        .iter()
        .map(|&bytes| {
            let wire_bits = (bytes * ECM_FRAME_WIRE).div_ceil(ECM_FRAME_DATA) * 8;
            PAGE_OVERHEAD_MS + (wire_bits * 1000).div_ceil(bit_rate as u64)
        })
        .sum();
    CALL_SETUP_MS + pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_typical_g4_page() {
        // A 30 KB G4 text page: 30720 bytes -> 31680 on the wire -> 253440
        // bits -> 26.4 s at 9600, 17.6 s at 14400, 7.543 s at 33600.
        let e = estimate(&[30_720]);
        assert_eq!(
            e.iter().map(|t| (t.bit_rate, t.ms)).collect::<Vec<_>>(),
            vec![
                (9_600, 8_000 + 1_500 + 26_400),
                (14_400, 8_000 + 1_500 + 17_600),
                (33_600, 8_000 + 1_500 + 7_543),
            ]
        );
    }

    #[test]
    fn pages_add_their_overhead_and_faster_is_shorter() {
        let one = estimate(&[10_000]);
        let two = estimate(&[10_000, 10_000]);
        for (a, b) in one.iter().zip(&two) {
            assert_eq!(b.ms - CALL_SETUP_MS, 2 * (a.ms - CALL_SETUP_MS));
        }
        assert!(one[0].ms > one[1].ms && one[1].ms > one[2].ms);
        assert_eq!(estimate(&[])[0].ms, CALL_SETUP_MS);
    }
}
