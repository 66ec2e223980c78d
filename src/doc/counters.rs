//! List counters as text: Roman numerals and letters, shared by the DOCX,
//! ODT and HTML readers (which differ only in how letters go past z).

/// Upper-case Roman numeral of `n`; outside 1..4000 the decimal number.
pub fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    const DIGITS: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// Letters as Word and Writer count: a..z, then aa..zz, aaa... (the letter
/// repeated; at most 50 times). `base` is b'a' or b'A'; n < 1 stays decimal.
pub fn repeated_letters(n: i64, base: u8) -> String {
    if n < 1 {
        return n.to_string();
    }
    let n = n - 1;
    let letter = (base + (n % 26) as u8) as char;
    std::iter::repeat_n(letter, (n / 26 + 1).min(50) as usize).collect()
}

/// Letters as CSS counts (bijective base 26): A..Z, AA, AB...; upper case,
/// n < 1 stays decimal.
pub fn alphabetic(n: i64) -> String {
    if n < 1 {
        return n.to_string();
    }
    let mut n = n;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push((b'A' + (n % 26) as u8) as char);
        n /= 26;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters() {
        assert_eq!(roman(1994), "MCMXCIV");
        assert_eq!(roman(0), "0");
        assert_eq!(roman(4000), "4000");
        assert_eq!(repeated_letters(1, b'a'), "a");
        assert_eq!(repeated_letters(28, b'a'), "bb");
        assert_eq!(repeated_letters(0, b'A'), "0");
        assert_eq!(alphabetic(28), "AB");
        assert_eq!(alphabetic(26), "Z");
    }
}
