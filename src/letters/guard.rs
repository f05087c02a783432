//! The § 7024(d) guard: a letter never prints a Social Security or ITIN number, a payment card,
//! bank account or routing number, a driver's licence, passport or other government ID number,
//! a health insurance, Medicare or medical record number, a password or a security answer —
//! wherever it came from (a staff-written letter, a template edit, a name or an address field).
//!
//! It reads what is actually printed: every positioned line of every page after layout (so a
//! number split over two lines is seen whole), normalised first — compatibility forms folded
//! (NFKC), invisible characters removed (zero-width spaces, soft hyphens, joiners), every dash
//! and space unified — so no way of writing a number hides it. The letter's own safe numbers
//! pass: its case number, the organisation's phone numbers, dates, ZIP codes and street numbers.

use unicode_normalization::UnicodeNormalization;

/// What kind of forbidden number a text seems to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forbidden {
    SocialSecurity,
    RoutingNumber,
    PaymentCard,
    Account,
    GovernmentId,
    Medical,
    Secret,
}

impl Forbidden {
    pub fn describe(self) -> &'static str {
        match self {
            Forbidden::SocialSecurity => "a Social Security number or ITIN",
            Forbidden::RoutingNumber => "a bank routing number",
            Forbidden::PaymentCard => "a payment card number",
            Forbidden::Account => "an account or identification number",
            Forbidden::GovernmentId => "a driver's licence, passport or other government ID number",
            Forbidden::Medical => "a health insurance, Medicare or medical record number",
            Forbidden::Secret => "a password, PIN or security answer",
        }
    }
}

/// Numbers a letter may print although they look like identifiers: its case number, the
/// organisation's phone numbers (digits only).
#[derive(Debug, Clone, Default)]
pub struct SafeNumbers {
    pub digits: Vec<String>,
}

/// Text as the guard reads it: NFKC, invisible characters gone, dashes and spaces unified,
/// upper case.
pub fn normalise(text: &str) -> String {
    if text.is_ascii() {
        // ASCII is its own NFKC; only control characters, separators and case change.
        return text
            .chars()
            .filter(|c| !is_invisible(*c))
            .map(|c| if c.is_whitespace() { ' ' } else { c.to_ascii_uppercase() })
            .collect();
    }
    text.nfkc()
        .filter(|c| !is_invisible(*c))
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' | '\u{2043}' | '\u{1806}' => {
                '-'
            }
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect::<String>()
        .to_uppercase()
}

/// Characters that print as nothing (or are meant to be ignored) and could hide a number.
fn is_invisible(c: char) -> bool {
    crate::domain::validation::is_invisible(c) || c.is_control() && c != '\n'
}

const SEPARATORS: &[char] = &[' ', '-', '.', '/', '_', ',', ':', '(', ')'];

/// A run of digits as written: its digit groups and where it starts.
struct DigitRun {
    digits: String,
    groups: Vec<usize>,
    /// The run's first digit directly follows a letter (a code like "A1234567").
    after_letter: bool,
    /// The letters (up to two) directly before it, when it follows a letter.
    prefix_letters: usize,
}

/// Every run of digits, with at most two separator characters between its groups.
fn digit_runs(text: &str) -> Vec<DigitRun> {
    let chars: Vec<char> = text.chars().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        let mut groups = vec![0usize];
        loop {
            while i < chars.len() && chars[i].is_ascii_digit() {
                digits.push(chars[i]);
                *groups.last_mut().expect("one group") += 1;
                i += 1;
            }
            let mut j = i;
            while j < chars.len() && j - i < 3 && SEPARATORS.contains(&chars[j]) {
                j += 1;
            }
            if j > i && j < chars.len() && chars[j].is_ascii_digit() {
                groups.push(0);
                i = j;
            } else {
                break;
            }
        }
        let mut letters = 0;
        while letters < 3 && start > letters && chars[start - letters - 1].is_alphabetic() {
            letters += 1;
        }
        runs.push(DigitRun {
            digits,
            groups,
            after_letter: letters > 0,
            prefix_letters: letters,
        });
    }
    runs
}

fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, d) in digits.bytes().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// The ABA routing number check digit.
fn aba(digits: &str) -> bool {
    let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    d.len() == 9 && (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])).is_multiple_of(10)
}

fn looks_like_phone(groups: &[usize]) -> bool {
    matches!(groups, [3, 3, 4] | [1, 3, 3, 4] | [3, 7] | [1, 3, 7])
}

fn classify_run(run: &DigitRun, safe: &SafeNumbers) -> Option<Forbidden> {
    let n = run.digits.len();
    if safe.digits.iter().any(|s| s == &run.digits) {
        return None;
    }
    // Digits spaced out one or two at a time are read as one number.
    let spaced = run.groups.len() > 1 && run.groups.iter().all(|g| *g <= 2);
    let contiguous = run.groups.len() == 1 || spaced;
    // A letter or two and then digits: a driver's licence, passport or state ID form.
    if run.after_letter && run.prefix_letters <= 2 && run.groups.len() == 1 && (6..=14).contains(&n) {
        return Some(Forbidden::GovernmentId);
    }
    if n == 9 && (run.groups == [3, 2, 4] || contiguous) {
        return Some(if contiguous && aba(&run.digits) {
            Forbidden::RoutingNumber
        } else {
            Forbidden::SocialSecurity
        });
    }
    if (13..=19).contains(&n) && luhn(&run.digits) && !looks_like_phone(&run.groups) {
        return Some(Forbidden::PaymentCard);
    }
    // Seven or more unbroken digits (a phone number written without separators included, unless
    // it is one of the letter's own) or a long grouped run that is not a phone number.
    if contiguous && n >= 7 || n >= 12 && !looks_like_phone(&run.groups) {
        return Some(Forbidden::Account);
    }
    None
}

/// A Medicare Beneficiary Identifier: 11 characters, digit-letter-alnum-digit-letter-alnum-
/// digit-letter-letter-digit-digit (letters other than S, L, O, I, B, Z), dashes ignored.
fn medicare_ids(text: &str) -> bool {
    fn letter(c: char) -> bool {
        c.is_ascii_uppercase() && !"SLOIBZ".contains(c)
    }
    fn digit(c: char) -> bool {
        c.is_ascii_digit()
    }
    fn either(c: char) -> bool {
        digit(c) || letter(c)
    }
    let pattern: [fn(char) -> bool; 11] = [
        |c| ('1'..='9').contains(&c),
        letter,
        either,
        digit,
        letter,
        either,
        digit,
        letter,
        letter,
        digit,
        digit,
    ];
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')'))
        .map(|token| token.chars().filter(|c| *c != '-').collect::<Vec<char>>())
        .any(|t| t.len() == 11 && t.iter().zip(pattern.iter()).all(|(c, test)| test(*c)))
}

/// Labels that announce a value which must not be printed, in the letters' languages.
const MEDICAL_LABELS: &[&str] = &[
    "MEMBER ID",
    "MEMBER NUMBER",
    "MEMBER NO",
    "SUBSCRIBER ID",
    "POLICY NUMBER",
    "POLICY NO",
    "INSURANCE ID",
    "HEALTH PLAN ID",
    "MEDICAL RECORD",
    "MRN",
    "PATIENT ID",
    "MEDI-CAL",
    "MEDICARE",
    "MEDICAID",
    "GROUP NUMBER",
    "NÚMERO DE AFILIADO",
    "NÚMERO DE PÓLIZA",
    "HISTORIA CLÍNICA",
    "NÚMERO DE MIEMBRO",
];
const SECRET_LABELS: &[&str] = &[
    "PASSWORD",
    "PASSCODE",
    "PASSPHRASE",
    "PIN",
    "SECURITY ANSWER",
    "SECURITY QUESTION",
    "SECRET ANSWER",
    "MOTHER'S MAIDEN NAME",
    "MAIDEN NAME",
    "CONTRASEÑA",
    "CLAVE",
    "RESPUESTA DE SEGURIDAD",
    "PREGUNTA DE SEGURIDAD",
    "NIP",
];
const ID_LABELS: &[&str] = &[
    "DRIVER'S LICENSE",
    "DRIVER'S LICENCE",
    "DRIVERS LICENSE",
    "DRIVER LICENSE",
    "LICENSE NO",
    "LICENSE NUMBER",
    "PASSPORT",
    "ALIEN NUMBER",
    "A-NUMBER",
    "GREEN CARD",
    "STATE ID",
    "TAX ID",
    "TIN",
    "EIN",
    "ITIN",
    "SSN",
    "SOCIAL SECURITY",
    "LICENCIA DE CONDUCIR",
    "PASAPORTE",
    "SEGURO SOCIAL",
];

/// Where the words of `text` begin: a letter or digit after anything else (or at the start).
fn word_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        let alphanumeric = c.is_alphanumeric();
        if alphanumeric && !in_word {
            starts.push(i);
        }
        in_word = alphanumeric;
    }
    starts
}

/// Whether `label` is followed by what reads as a value (`: x`, `is x`, `# 123`) in `text`
/// (whose words begin at `words`).
fn labelled_value(text: &str, words: &[usize], label: &str, needs_digits: bool) -> bool {
    // A label begins a word (every label starts with a letter), so only word starts are tried.
    for &start in words {
        if !text[start..].starts_with(label) {
            continue;
        }
        let end = start + label.len();
        if text[end..].chars().next().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let rest = text[end..].trim_start_matches([' ', 'S']);
        let rest = rest
            .strip_prefix("NUMBER")
            .or_else(|| rest.strip_prefix("NO."))
            .or_else(|| rest.strip_prefix("NO"))
            .or_else(|| rest.strip_prefix("NÚMERO"))
            .unwrap_or(rest)
            .trim_start();
        let (rest, announced) = match rest.chars().next() {
            Some(':' | '=' | '#') => (rest[1..].trim_start(), true),
            _ => match rest
                .strip_prefix("IS ")
                .or_else(|| rest.strip_prefix("WAS "))
                .or_else(|| rest.strip_prefix("ES "))
            {
                Some(r) => (r.trim_start(), true),
                None => (rest, false),
            },
        };
        let word: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ';' | ')'))
            .collect();
        if word.trim_end_matches('.').is_empty() {
            continue;
        }
        // An identifier may be written in groups ("KP 1234 5678"): its digits up to the end of
        // the phrase count.
        let phrase: String = rest
            .chars()
            .take(24)
            .take_while(|c| !matches!(c, ',' | ';' | ')' | '.'))
            .collect();
        let digits = phrase.chars().filter(char::is_ascii_digit).count();
        if needs_digits && digits >= 3 || !needs_digits && announced {
            return true;
        }
    }
    false
}

/// What a printed text holds that § 7024(d) forbids, if anything.
pub fn forbidden(text: &str, safe: &SafeNumbers) -> Option<Forbidden> {
    let t = normalise(text);
    let words = word_starts(&t);
    if SECRET_LABELS.iter().any(|l| labelled_value(&t, &words, l, false)) {
        return Some(Forbidden::Secret);
    }
    if MEDICAL_LABELS.iter().any(|l| labelled_value(&t, &words, l, true)) || medicare_ids(&t) {
        return Some(Forbidden::Medical);
    }
    if let Some(found) = digit_runs(&t).iter().find_map(|r| classify_run(r, safe)) {
        return Some(found);
    }
    ID_LABELS
        .iter()
        .any(|l| labelled_value(&t, &words, l, true))
        .then_some(Forbidden::GovernmentId)
}

/// Reads a laid-out letter as it will be printed — each unit of text (a paragraph, an address
/// line, the letterhead…) put back together from its lines — and names the first region that
/// would print a forbidden number, and what kind.
pub fn check_laid(laid: &super::layout::Laid, safe: &SafeNumbers) -> Result<(), (super::layout::Region, Forbidden)> {
    let mut texts: Vec<String> = vec![String::new(); laid.regions.len()];
    for page in &laid.pages {
        for item in &page.items {
            if let super::layout::Item::Text { text, unit, .. } = item {
                let t = &mut texts[*unit as usize];
                if !t.is_empty() {
                    t.push(' ');
                }
                t.push_str(text);
            }
        }
    }
    for (unit, text) in texts.iter().enumerate() {
        if let Some(found) = forbidden(text, safe) {
            return Err((laid.regions[unit], found));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe() -> SafeNumbers {
        SafeNumbers {
            digits: vec!["8339452456".into(), "202600042".into()],
        }
    }

    #[test]
    fn every_way_of_writing_a_forbidden_number_is_caught_section_7024d() {
        for (text, what) in [
            ("SSN 123-45-6789", Forbidden::SocialSecurity),
            ("123 45 6789", Forbidden::SocialSecurity),
            ("123.45.6789", Forbidden::SocialSecurity),
            ("123/45/6789", Forbidden::SocialSecurity),
            ("123–45—6789", Forbidden::SocialSecurity),
            ("123\u{a0}45\u{a0}6789", Forbidden::SocialSecurity),
            ("1 2 3 4 5 6 7 8 9", Forbidden::SocialSecurity),
            ("123\u{200b}45\u{200b}6789", Forbidden::SocialSecurity),
            ("123\u{ad}45\u{ad}6789", Forbidden::SocialSecurity),
            ("１２３-４５-６７８９", Forbidden::SocialSecurity),
            ("my number is 912345678", Forbidden::SocialSecurity),
            ("routing 121000358", Forbidden::RoutingNumber),
            ("card 4111 1111 1111 1111", Forbidden::PaymentCard),
            ("4111-1111-1111-1111", Forbidden::PaymentCard),
            ("account 000123456789012", Forbidden::Account),
            ("acct 12345678", Forbidden::Account),
            ("DL A1234567", Forbidden::GovernmentId),
            ("passport C03005988", Forbidden::GovernmentId),
            ("Driver's license: D123-4567", Forbidden::GovernmentId),
            ("Medicare 1EG4-TE5-MK73", Forbidden::Medical),
            ("Member ID: KP 1234 5678", Forbidden::Medical),
            ("MRN 00123456", Forbidden::Medical),
            ("password: hunter2", Forbidden::Secret),
            ("Security answer is Fluffy", Forbidden::Secret),
            ("PIN: 4431", Forbidden::Secret),
            ("contraseña: gato123", Forbidden::Secret),
        ] {
            assert_eq!(forbidden(text, &safe()), Some(what), "{text}");
        }
    }

    #[test]
    fn the_letters_own_safe_numbers_pass() {
        for text in [
            "Call 833-945-2456 or (510) 555-0142",
            "call 1-833-945-2456 (toll-free)",
            "Your reference is PR-2026-00042; quote it.",
            "received March 2, 2026, due 2026-04-15",
            "1950 Franklin St, Apt 4, Oakland CA 94612",
            "Oakland CA 94612-1234",
            "Gdańsk 80-831",
            "We will not ask you for your full Social Security number, for a password, or for a photograph",
            "No le pediremos su número de Seguro Social completo, ninguna contraseña",
            "Civil Code § 1798.130(a)(2)(A); 11 CCR § 7021(b)",
            "Page 1 of 2",
            "PR-2026-100000",
        ] {
            assert_eq!(forbidden(text, &safe()), None, "{text}");
        }
    }

    proptest::proptest! {
        /// However an SSN is broken up — any separators, invisible characters, full-width
        /// digits — the guard sees it (§ 7024(d)).
        #[test]
        fn no_way_of_writing_an_ssn_prints(
            area in 100u32..899, group in 10u32..99, serial in 1000u32..9999,
            sep in proptest::sample::select(vec!["-", " ", ".", "/", "\u{2013}", "\u{2014}", "\u{2212}", "\u{a0}", "\u{2009}", "\u{200b}", "\u{ad}", "", "  ", "_"]),
            fullwidth in proptest::bool::ANY,
            prefix in proptest::sample::select(vec!["", "SSN ", "my number is ", "n.º ", "("]),
        ) {
            let mut ssn = format!("{area}{sep}{group}{sep}{serial}");
            if fullwidth {
                ssn = ssn.chars().map(|c| if c.is_ascii_digit() { char::from_u32(u32::from(c) - 0x30 + 0xFF10).unwrap() } else { c }).collect();
            }
            let text = format!("{prefix}{ssn}");
            proptest::prop_assert!(forbidden(&text, &SafeNumbers::default()).is_some(), "{}", text);
        }

        /// A card number passing Luhn, in groups of four with any separator, is caught.
        #[test]
        fn no_card_number_prints(body in proptest::collection::vec(0u8..10, 15), sep in proptest::sample::select(vec![" ", "-", "", ".", "\u{a0}"])) {
            let mut digits: String = body.iter().map(|d| char::from(b'0' + d)).collect();
            // The Luhn check digit.
            let check = (0..10).find(|c| luhn(&format!("{digits}{c}"))).unwrap();
            digits.push(char::from(b'0' + check));
            let grouped = digits.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(sep);
            proptest::prop_assert!(forbidden(&grouped, &SafeNumbers::default()).is_some(), "{}", grouped);
        }
    }
}
