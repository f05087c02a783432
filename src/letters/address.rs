//! The recipient block as it must show through a #10 single-window envelope (window 4-1/2 x
//! 1-1/8 in, 7/8 in from the left and 1/2 in from the bottom) with the letter tri-folded: at most
//! five lines of 10 pt, every one no wider than the safe zone (x 1.00-4.25 in, y 2.10-3.05 in
//! on page 1, see `layout`). Lines that are too wide are wrapped while there is room for another
//! line, and shortened otherwise; a foreign address ends with the country's English name in
//! capitals.

use super::fonts::{self, Weight};
use crate::domain::PostalAddress;

/// Type size of the recipient block, points.
pub const SIZE: f32 = 10.0;
/// At most this many lines fit in the window zone.
pub const MAX_LINES: usize = 5;

/// The recipient block's lines for a name and postal address, each at most `width` points wide.
pub fn block(name: &str, address: &PostalAddress, width: f32) -> Vec<String> {
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
            let (head, tail) = split_to_fit(&lines[i], width);
            if lines.len() < MAX_LINES && !tail.is_empty() {
                lines[i] = head;
                lines.insert(i + 1, tail);
            } else {
                lines[i] = shorten(&lines[i], width);
            }
        }
        i += 1;
    }
    lines
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

/// Splits `line` at the last space that leaves a first part within `width`.
fn split_to_fit(line: &str, width: f32) -> (String, String) {
    let m = fonts::metrics(Weight::Regular);
    let mut best = None;
    for (i, c) in line.char_indices() {
        if c == ' ' && m.width(&line[..i], SIZE) <= width {
            best = Some(i);
        }
    }
    match best {
        Some(i) => (line[..i].trim_end().to_owned(), line[i..].trim().to_owned()),
        None => (shorten(line, width), String::new()),
    }
}

/// `line` cut to fit `width`, ending in an ellipsis.
fn shorten(line: &str, width: f32) -> String {
    let m = fonts::metrics(Weight::Regular);
    let mut out = String::new();
    for c in line.chars() {
        let candidate = format!("{out}{c}…");
        if m.width(&candidate, SIZE) > width {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
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
            block("José Núñez", &a, 230.0),
            ["José Núñez", "1950 Franklin St", "Oakland CA 94612"]
        );
    }

    #[test]
    fn a_foreign_address_ends_with_the_country_in_capitals() {
        let a = address(&["ul. Długa 5"], "Gdańsk", None, Some("80-831"), "PL");
        assert_eq!(
            block("Łukasz Żółć", &a, 230.0),
            ["Łukasz Żółć", "ul. Długa 5", "Gdańsk 80-831", "POLAND"]
        );
        assert_eq!(country_line("gb").as_deref(), Some("UNITED KINGDOM"));
        assert_eq!(country_line("BO").as_deref(), Some("BOLIVIA"));
        assert_eq!(country_line("US"), None);
    }

    #[test]
    fn never_more_than_five_lines_and_none_too_wide() {
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
        let lines = block(name, &a, 230.0);
        assert!(lines.len() <= MAX_LINES, "{lines:?}");
        for l in &lines {
            assert!(fonts::metrics(Weight::Regular).width(l, SIZE) <= 230.0, "{l}");
        }
        assert_eq!(lines.last().map(String::as_str), Some("VIETNAM"));
    }
}
