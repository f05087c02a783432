//! The recipient block as it must show through a #10 single-window envelope (window 4-1/2 x
//! 1-1/8 in, 7/8 in from the left and 1/2 in from the bottom) with the letter tri-folded: at most
//! five lines of 10 pt, every one no wider than the safe zone (x 1.00-4.25 in, y 2.10-3.05 in
//! on page 1, see `layout`). Lines that are too wide are wrapped while there is room for another
//! line; an address that still does not fit is refused with the line to shorten — never cut,
//! since a letter whose address is cut may not arrive. A foreign address ends with the country's
//! English name in capitals.

use super::fonts::{self, Weight};
use crate::domain::PostalAddress;

/// Type size of the recipient block, points.
pub const SIZE: f32 = 10.0;
/// At most this many lines fit in the window zone.
pub const MAX_LINES: usize = 5;

/// The recipient block's lines for a name and postal address, each at most `width` points wide;
/// `Err` names what to shorten when it cannot fit the window.
pub fn block(name: &str, address: &PostalAddress, width: f32) -> Result<Vec<String>, String> {
    let mut street: Vec<String> = address
        .lines
        .iter()
        .map(|l| fonts::normalise(l.trim()))
        .filter(|l| !l.is_empty())
        .collect();
    let city_line = [
        address.city.trim(),
        address.state.as_deref().unwrap_or("").trim(),
        address.postal_code.as_deref().unwrap_or("").trim(),
    ]
    .into_iter()
    .filter(|p| !p.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let country = country_line(&address.country);
    let fixed = 2 + usize::from(country.is_some());
    // Street lines share what the name, city and country leave; extra ones are joined.
    while street.len() > 1 && street.len() + fixed > MAX_LINES {
        let last = street.pop().expect("more than one line");
        let before = street.pop().expect("more than one line");
        street.push(format!("{before}, {last}"));
    }
    let mut lines: Vec<String> = std::iter::once(fonts::normalise(name.trim()))
        .chain(street)
        .chain(std::iter::once(fonts::normalise(&city_line)))
        .chain(country)
        .collect();
    let too_wide = |l: &str| fonts::metrics(Weight::Regular).width(l, SIZE) > width;
    let mut i = 0;
    while i < lines.len() {
        if too_wide(&lines[i]) {
            let original = lines[i].clone();
            match split_to_fit(&lines[i], width) {
                Some((head, tail)) if lines.len() < MAX_LINES => {
                    lines[i] = head;
                    lines.insert(i + 1, tail);
                }
                _ => {
                    return Err(format!(
                        "“{original}” is too long for the envelope window (the address may take five lines of about 40 characters); shorten it or use abbreviations (Edit details)."
                    ))
                }
            }
        }
        i += 1;
    }
    Ok(lines)
}

/// The line naming the country, for addresses outside the United States.
pub fn country_line(code: &str) -> Option<String> {
    let code = code.trim().to_uppercase();
    if code.is_empty() || code == "US" {
        return None;
    }
    // Postal administrations know these countries by their short names.
    let common = match code.as_str() {
        "GB" => Some("UNITED KINGDOM"),
        "KR" => Some("SOUTH KOREA"),
        "KP" => Some("NORTH KOREA"),
        "RU" => Some("RUSSIA"),
        "VN" => Some("VIETNAM"),
        "IR" => Some("IRAN"),
        "SY" => Some("SYRIA"),
        "LA" => Some("LAOS"),
        "MD" => Some("MOLDOVA"),
        "TZ" => Some("TANZANIA"),
        "VE" => Some("VENEZUELA"),
        "BO" => Some("BOLIVIA"),
        "TW" => Some("TAIWAN"),
        "CZ" => Some("CZECH REPUBLIC"),
        "NL" => Some("NETHERLANDS"),
        _ => None,
    };
    if let Some(name) = common {
        return Some(name.to_owned());
    }
    let name = isocountry::CountryCode::for_alpha2(&code)
        .map(|c| c.name().to_owned())
        .unwrap_or(code);
    // "Bolivia (Plurinational State of)" -> "BOLIVIA"
    let short = name.split(" (").next().unwrap_or(&name).trim();
    Some(short.to_uppercase())
}

/// Splits `line` at the last space that leaves a first part within `width`; `None` when no
/// space does.
fn split_to_fit(line: &str, width: f32) -> Option<(String, String)> {
    let m = fonts::metrics(Weight::Regular);
    let mut best = None;
    for (i, c) in line.char_indices() {
        if c == ' ' && m.width(&line[..i], SIZE) <= width {
            best = Some(i);
        }
    }
    best.map(|i| (line[..i].trim_end().to_owned(), line[i..].trim().to_owned()))
        .filter(|(_, tail)| !tail.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(lines: &[&str], city: &str, state: Option<&str>, zip: Option<&str>, country: &str) -> PostalAddress {
        PostalAddress {
            lines: lines.iter().map(|l| l.to_string()).collect(),
            city: city.into(),
            state: state.map(Into::into),
            postal_code: zip.map(Into::into),
            country: country.into(),
        }
    }

    #[test]
    fn a_us_address_has_name_street_and_city_line() {
        let a = address(&["1950 Franklin St"], "Oakland", Some("CA"), Some("94612"), "US");
        assert_eq!(
            block("José Núñez", &a, 230.0).unwrap(),
            ["José Núñez", "1950 Franklin St", "Oakland CA 94612"]
        );
    }

    #[test]
    fn a_foreign_address_ends_with_the_country_in_capitals() {
        let a = address(&["ul. Długa 5"], "Gdańsk", None, Some("80-831"), "PL");
        assert_eq!(
            block("Łukasz Żółć", &a, 230.0).unwrap(),
            ["Łukasz Żółć", "ul. Długa 5", "Gdańsk 80-831", "POLAND"]
        );
        assert_eq!(country_line("gb").as_deref(), Some("UNITED KINGDOM"));
        assert_eq!(country_line("BO").as_deref(), Some("BOLIVIA"));
        assert_eq!(country_line("US"), None);
    }

    #[test]
    fn an_address_that_cannot_fit_is_refused_not_cut() {
        let a = address(
            &[
                "Flat 12, Building C",
                "Long Industrial Estate Road 1234",
                "District Nine",
            ],
            "Thành phố Hồ Chí Minh",
            None,
            Some("700000"),
            "VN",
        );
        let name = "Nguyễn Thị Minh Khai Trần Lê Phạm Hoàng Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý";
        let err = block(name, &a, 230.0).unwrap_err();
        assert!(err.contains("too long for the envelope window"), "{err}");
        assert!(!err.contains('…'));
        let shorter = address(
            &["Flat 12, Building C"],
            "Thành phố Hồ Chí Minh",
            None,
            Some("700000"),
            "VN",
        );
        let fits = block("Nguyễn Thị Minh Khai", &shorter, 230.0).unwrap();
        assert!(fits.len() <= MAX_LINES, "{fits:?}");
    }

    #[test]
    fn never_more_than_five_lines_and_none_too_wide() {
        let a = address(
            &["Flat 12, Building C, Long Industrial Estate Road 1234"],
            "Thành phố Hồ Chí Minh",
            None,
            Some("700000"),
            "VN",
        );
        let name = "Nguyễn Thị Minh Khai Trần Lê Phạm";
        let lines = block(name, &a, 230.0).unwrap();
        assert_eq!(
            lines.len(),
            5,
            "the long street line is wrapped onto a free line: {lines:?}"
        );
        assert!(lines.len() <= MAX_LINES, "{lines:?}");
        for l in &lines {
            assert!(fonts::metrics(Weight::Regular).width(l, SIZE) <= 230.0, "{l}");
        }
        assert_eq!(lines.last().map(String::as_str), Some("VIETNAM"));
    }
}
