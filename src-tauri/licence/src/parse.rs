//! Recognising a licence in text: the strict id form for stored data ([`from_spdx_id`]) and the
//! lenient form for metadata written by people ([`parse`]).
//!
//! The lenient reader works on words, not on a grammar, because real metadata mixes short names,
//! full names, URLs and copyright notices in one field. Its rule is to answer only when the text is
//! clear: two different Creative Commons licences, a licence without its version, or a mention of
//! Creative Commons it cannot place all give `None`, so the caller records `unknown` and the resource
//! stays private until someone looks. A wrong guess the other way could let a teacher share what
//! they may not.

use crate::licence::{Elements, Licence, Version};
use crate::other::OtherLicence;

/// Longer text is a document, not a licence statement (a full legal code mentions every element
/// of every licence), so it is not read at all.
const MAX_TEXT_LEN: usize = 1000;

/// Reads an id exactly as [`Licence::spdx_id`] writes it, ignoring case.
pub(crate) fn from_spdx_id(id: &str) -> Option<Licence> {
    const FIXED: [(&str, Licence); 4] = [
        ("CC0-1.0", Licence::Cc0),
        ("public-domain", Licence::PublicDomain),
        ("all-rights-reserved", Licence::AllRightsReserved),
        ("unknown", Licence::Unknown),
    ];
    if let Some((_, licence)) = FIXED.iter().find(|(fixed, _)| fixed.eq_ignore_ascii_case(id)) {
        return Some(*licence);
    }
    if id.get(..3).is_some_and(|prefix| prefix.eq_ignore_ascii_case("CC-")) {
        return Version::ALL
            .into_iter()
            .flat_map(|version| {
                Elements::ALL.into_iter().map(move |elements| Licence::CreativeCommons { elements, version })
            })
            .find(|licence| licence.spdx_id().eq_ignore_ascii_case(id));
    }
    OtherLicence::from_id(id).map(Licence::Other)
}

/// See [`Licence::parse`].
pub(crate) fn parse(text: &str) -> Option<Licence> {
    let text = text.trim();
    if text.is_empty() || text.len() > MAX_TEXT_LEN {
        return None;
    }
    if let Some(licence) = from_spdx_id(text).or_else(|| whole_text_alias(text)) {
        return Some(licence);
    }
    // A creativecommons.org URL is the most precise statement there is, but the words around it
    // must not name a different licence ("CC BY-SA 4.0 (…/by-sa/3.0/)"), nor may a second URL.
    // The URLs that were read are taken out of the words, which would otherwise see their path.
    let mut from_urls = Vec::new();
    let mut words_text = String::with_capacity(text.len());
    let mut copied_up_to = 0;
    for (start, end) in creative_commons_url_spans(text) {
        if let Some(licence) = text.get(start..end).and_then(crate::url::from_url) {
            from_urls.push(licence);
            words_text.push_str(text.get(copied_up_to..start).unwrap_or_default());
            words_text.push(' ');
            copied_up_to = end;
        }
    }
    words_text.push_str(text.get(copied_up_to..).unwrap_or_default());
    let from_words = from_words(&words_text);
    match from_urls.split_first() {
        None => from_words,
        Some((first, others)) => {
            let urls_agree = others.iter().all(|other| other == first);
            // A copyright notice beside a licence URL is normal: the author keeps the copyright
            // and licenses the work.
            let words_agree =
                from_words.is_none_or(|named| named == *first || named == Licence::AllRightsReserved);
            (urls_agree && words_agree).then_some(*first)
        }
    }
}

/// Reads a licence from the words of the text: names, codes, notices.
fn from_words(text: &str) -> Option<Licence> {
    let lowercase = text.to_lowercase();
    let words = words(&lowercase);
    let phrase = Phrases::new(&words);
    if phrase.has_any(&["cc0", "cc 0", "cc zero", "creative commons zero"]) {
        return Some(Licence::Cc0);
    }
    let mentions_creative_commons = match creative_commons(&words, &phrase) {
        Mention::Found(licence) => return Some(licence),
        Mention::Unclear => return None,
        Mention::Absent => false,
        Mention::NameOnly => true,
    };
    match public_domain(&phrase) {
        Mention::Found(licence) => return Some(licence),
        Mention::Unclear => return None,
        Mention::Absent | Mention::NameOnly => {}
    }
    if let Some(other) = other_licence_in_text(text, &lowercase) {
        return Some(Licence::Other(other));
    }
    // "© 2020 Ana Souza, Creative Commons" names a licence without saying which one; the
    // copyright notice alone must not turn it into all rights reserved.
    if mentions_creative_commons {
        return None;
    }
    reserves_all_rights(text, &phrase).then_some(Licence::AllRightsReserved)
}

/// What the text says about one kind of licence.
enum Mention {
    /// Nothing.
    Absent,
    /// Names Creative Commons but no licence elements ("a Creative Commons licence").
    NameOnly,
    /// Says it clearly.
    Found(Licence),
    /// Says something, but not clearly enough to act on.
    Unclear,
}

/// Whole-text spellings that the word rules below would not read, or would read too loosely.
fn whole_text_alias(text: &str) -> Option<Licence> {
    const PUBLIC_DOMAIN: [&str; 4] = ["CC-PDM-1.0", "CC-PDDC", "PDM", "PD"];
    if PUBLIC_DOMAIN.iter().any(|alias| alias.eq_ignore_ascii_case(text)) {
        return Some(Licence::PublicDomain);
    }
    other_licence_by_name(text).map(Licence::Other)
}

/// Another licence written as its id or its name, alone: "MIT", "MIT License", "The Unlicense",
/// "Apache License 2.0". Ids that are plain words are looked for only here, never inside a
/// sentence: "MIT" in "a course from MIT OpenCourseWare" is a university, and taking it for the MIT
/// License would call the course open.
fn other_licence_by_name(text: &str) -> Option<OtherLicence> {
    let lowercase = text.to_lowercase();
    let without_article = lowercase.strip_prefix("the ").unwrap_or(&lowercase);
    let id = without_article
        .strip_suffix(" license")
        .or_else(|| without_article.strip_suffix(" licence"))
        .unwrap_or(without_article);
    OtherLicence::from_id(id).or_else(|| {
        OtherLicence::all().find(|other| {
            other.name().eq_ignore_ascii_case(text) || other.name().eq_ignore_ascii_case(without_article)
        })
    })
}

/// Another licence named inside a sentence by its full name ("… under the GNU Free Documentation
/// License v1.3 or later") or by an id that has a version in it ("Apache-2.0"); ids that are plain
/// words ("MIT", "ISC") are not looked for, see [`other_licence_by_name`]. Two different licences
/// named, or an SPDX expression, is not clear, so it gives `None`.
fn other_licence_in_text(text: &str, lowercase: &str) -> Option<OtherLicence> {
    // An SPDX expression ("MIT OR Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0") names
    // several licences or an exception; one id taken from it would misstate it.
    if text.split_whitespace().any(|word| matches!(word, "AND" | "OR" | "WITH")) {
        return None;
    }
    let by_name = OtherLicence::all().filter(|other| lowercase.contains(&other.name().to_lowercase()));
    let by_id = text
        .split_whitespace()
        .map(|word| word.trim_matches(|character: char| !character.is_alphanumeric() && character != '+'))
        .filter(|word| word.contains(|character: char| character.is_ascii_digit()))
        .filter_map(OtherLicence::from_id);
    let mut named = by_name.chain(by_id);
    let first = named.next()?;
    named.all(|other| other == first).then_some(first)
}

/// The byte ranges of the URL-like stretches around each "creativecommons.org", e.g. the URL in
/// "This work is licensed under … visit http://creativecommons.org/licenses/by/4.0/ or send a
/// letter …" or inside an HTML attribute. Trailing punctuation is left out.
fn creative_commons_url_spans(text: &str) -> Vec<(usize, usize)> {
    fn is_url_byte(byte: u8) -> bool {
        byte.is_ascii_alphanumeric() || b"-._~:/?#%".contains(&byte)
    }
    let bytes = text.as_bytes();
    let lowercase = text.to_ascii_lowercase();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (start, _) in lowercase.match_indices("creativecommons.org") {
        // Only ASCII bytes are taken in, so both ends fall on character boundaries.
        let Some((before, after)) = bytes.get(..start).zip(bytes.get(start..)) else {
            continue;
        };
        let begin = before.iter().rposition(|&byte| !is_url_byte(byte)).map_or(0, |at| at + 1);
        let mut end = after.iter().position(|&byte| !is_url_byte(byte)).map_or(bytes.len(), |at| start + at);
        while end > begin && bytes.get(end - 1).is_some_and(|byte| b".,:;".contains(byte)) {
            end -= 1;
        }
        // "creativecommons.org/…creativecommons.org" would otherwise be one span twice.
        if spans.last().is_none_or(|&(_, last_end)| begin >= last_end) {
            spans.push((begin, end));
        }
    }
    spans
}

/// Lowercase words, keeping version numbers ("4.0") whole: every other dot separates words, so
/// "creativecommons.org" gives "creativecommons" and "org".
fn words(lowercase: &str) -> Vec<&str> {
    let mut words = Vec::new();
    for token in lowercase.split(|character: char| !(character.is_alphanumeric() || character == '.')) {
        let token = token.trim_matches('.');
        let version = token.strip_prefix('v').unwrap_or(token);
        if is_dotted_number(version) {
            words.push(version);
        } else {
            words.extend(token.split('.').filter(|word| !word.is_empty()));
        }
    }
    words
}

/// One digit, a dot, one digit: the shape of every licence version ever published.
fn is_dotted_number(word: &str) -> bool {
    matches!(word.as_bytes(), [major, b'.', minor] if major.is_ascii_digit() && minor.is_ascii_digit())
}

/// Phrase look-up over the words, so "share-alike", "Share Alike" and "share_alike" are all the
/// phrase "share alike".
struct Phrases {
    joined: String,
}

impl Phrases {
    fn new(words: &[&str]) -> Self {
        Self { joined: format!(" {} ", words.join(" ")) }
    }

    fn has(&self, phrase: &str) -> bool {
        self.joined.contains(&format!(" {phrase} "))
    }

    fn has_any(&self, phrases: &[&str]) -> bool {
        phrases.iter().any(|phrase| self.has(phrase))
    }
}

/// The conditions a stretch of words names: (ShareAlike, NonCommercial, NoDerivatives).
fn conditions(phrase: &Phrases) -> (bool, bool, bool) {
    (
        phrase.has_any(&["sa", "sharealike", "share alike"]),
        phrase.has_any(&["nc", "noncommercial", "non commercial"]),
        phrase.has_any(&[
            "nd",
            "noderivatives",
            "noderivs",
            "noderivative",
            "no derivatives",
            "no derivs",
            "no derivative",
        ]),
    )
}

/// Words that the Attribution element is written as; every licence's elements follow it.
fn is_attribution_word(word: &str) -> bool {
    word == "by" || word == "attribution"
}

/// Reads a Creative Commons licence written as words: "CC BY-SA 4.0", "cc by nc sa 3.0",
/// "Attribution-ShareAlike 4.0 International", "CC-BY-3.0-DE" (a port: the jurisdiction is dropped).
fn creative_commons(words: &[&str], phrase: &Phrases) -> Mention {
    // The words are cut at each "by" or "attribution". Each stretch that names conditions or a
    // version is one mention of a licence, and all mentions must agree: "CC BY-SA 4.0 / CC BY-NC
    // 4.0" names two licences, not BY-NC-SA. A stretch with neither ("by Ana Souza") is not a
    // mention at all, so an author's byline does not count.
    let mut agreed: Option<(bool, bool, bool)> = None;
    let mut disagreement = false;
    let mut stretch_start = 0;
    let cuts = words
        .iter()
        .enumerate()
        .filter(|(index, word)| *index > 0 && is_attribution_word(word))
        .map(|(index, _)| index)
        .chain([words.len()]);
    for cut in cuts {
        let stretch = words.get(stretch_start..cut).unwrap_or_default();
        stretch_start = cut;
        let stretch_phrase = Phrases::new(stretch);
        let stretch_conditions = conditions(&stretch_phrase);
        let (share_alike, non_commercial, no_derivatives) = stretch_conditions;
        let names_conditions = share_alike || non_commercial || no_derivatives;
        let names_version = !matches!(version(stretch), VersionMention::Absent);
        if !names_conditions && !names_version {
            continue;
        }
        if !stretch.first().is_some_and(|word| is_attribution_word(word)) {
            // Conditions without Attribution are the retired 1.0 licences such as "CC NC-SA 1.0",
            // which Commonplace does not represent.
            disagreement |= names_conditions;
            continue;
        }
        match agreed {
            None => agreed = Some(stretch_conditions),
            Some(earlier) => disagreement |= earlier != stretch_conditions,
        }
    }

    let version = version(words);
    let names_creative_commons = phrase.has_any(&["cc", "creative commons", "creativecommons"]);
    let names_conditions = agreed.is_some_and(|(share_alike, non_commercial, no_derivatives)| {
        share_alike || non_commercial || no_derivatives
    });
    let spelled_out = phrase.has("attribution") && !matches!(version, VersionMention::Absent);
    if !(names_creative_commons || names_conditions || spelled_out || disagreement) {
        return Mention::Absent;
    }
    if disagreement {
        return Mention::Unclear;
    }
    let Some((share_alike, non_commercial, no_derivatives)) = agreed else {
        return if names_creative_commons { Mention::NameOnly } else { Mention::Absent };
    };
    let Some(elements) = Elements::from_conditions(share_alike, non_commercial, no_derivatives) else {
        return Mention::Unclear;
    };
    match version {
        VersionMention::One(version) => Mention::Found(Licence::CreativeCommons { elements, version }),
        VersionMention::Absent | VersionMention::Unclear => Mention::Unclear,
    }
}

/// What the words say about the version.
enum VersionMention {
    Absent,
    One(Version),
    /// Two different versions, or one that exists only as ports (2.1).
    Unclear,
}

/// The one version the words name. "4.0" wins over a bare "4", which counts only right after a
/// licence word ("CC BY 4"), so "Grade 3" is not a version.
fn version(words: &[&str]) -> VersionMention {
    const LICENCE_WORDS: [&str; 11] = [
        "by",
        "sa",
        "nc",
        "nd",
        "attribution",
        "sharealike",
        "noncommercial",
        "noderivatives",
        "noderivs",
        "version",
        "v",
    ];
    let dotted: Vec<&str> = words.iter().copied().filter(|word| is_dotted_number(word)).collect();
    let numbers = if dotted.is_empty() {
        words
            .windows(2)
            .filter_map(|pair| match pair {
                [before, number]
                    if LICENCE_WORDS.contains(before) && matches!(*number, "1" | "2" | "3" | "4") =>
                {
                    Some(*number)
                }
                _ => None,
            })
            .collect()
    } else {
        dotted
    };
    let mut versions = numbers.into_iter().map(Version::from_number);
    match versions.next() {
        None => VersionMention::Absent,
        Some(Some(version)) if versions.all(|other| other == Some(version)) => VersionMention::One(version),
        Some(_) => VersionMention::Unclear,
    }
}

fn public_domain(phrase: &Phrases) -> Mention {
    const PUBLIC_DOMAIN: [&str; 11] = [
        "public domain",
        "cc pdm",
        "pdm 1.0",
        "publicdomain",
        "domaine public",
        "dominio público",
        "dominio publico",
        "domínio público",
        "pubblico dominio",
        "publiek domein",
        "gemeinfrei",
    ];
    if phrase.has_any(&["not public domain", "not in the public domain", "not in public domain"]) {
        Mention::Unclear
    } else if phrase.has_any(&PUBLIC_DOMAIN) {
        Mention::Found(Licence::PublicDomain)
    } else {
        Mention::Absent
    }
}

/// A copyright notice with no licence: "©", "(c)", "Copyright …", "All rights reserved",
/// "Proprietary" and the same in a few other languages teachers write in. A notice that says the
/// status is unknown ("copyright unknown") is not a reservation: nobody knows.
fn reserves_all_rights(text: &str, phrase: &Phrases) -> bool {
    // "Some rights reserved" is Creative Commons' own tagline and "no rights reserved" CC0's;
    // "copyright free" and "copyleft" say the opposite of a reservation.
    let says_otherwise = phrase.has_any(&[
        "some rights reserved",
        "no rights reserved",
        "copyright free",
        "copyright freie",
        "no copyright",
        "without copyright",
        "not copyrighted",
        "copyleft",
        "no known copyright",
        "unknown",
        "unclear",
        "not known",
    ]);
    let reserves = text.contains('©')
        || text.to_lowercase().contains("(c)")
        || phrase.has_any(&[
            "all rights reserved",
            "proprietary",
            "copyright",
            "copyrighted",
            "tous droits réservés",
            "alle rechte vorbehalten",
            "todos los derechos reservados",
            "todos os direitos reservados",
            "tutti i diritti riservati",
            "alle rechten voorbehouden",
        ]);
    reserves && !says_otherwise
}
