//! [`Licence`]: which licence a resource carries, with the names, ids, links and icons that go with
//! it. Recognising a licence in metadata is in [`crate::parse`] and [`crate::url`]; what a licence
//! allows is in [`crate::rules`].

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::other::OtherLicence;

/// The licence a resource carries.
///
/// Serialised as its id (see [`Licence::spdx_id`]): `"CC-BY-SA-4.0"`, `"CC0-1.0"`, `"MIT"`,
/// `"public-domain"`, `"all-rights-reserved"`, `"unknown"`. The default is [`Licence::Unknown`], the
/// only safe assumption about a resource nobody has said anything about.
///
/// The variants are ordered from the most open to the least known; that order is only used to make
/// results deterministic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Licence {
    /// CC0 1.0 Universal: the author waived every right they could.
    Cc0,
    /// In the public domain, as the Public Domain Mark 1.0 says: free of known copyright.
    PublicDomain,
    /// One of the six Creative Commons licences, in one version.
    ///
    /// A licence "ported" to a jurisdiction (`/licenses/by/3.0/de/`, SPDX `CC-BY-3.0-DE`) is this
    /// variant with the port's version: the jurisdiction is dropped. Creative Commons treats a port as
    /// carrying the same licence elements as the unported licence of that version, and ShareAlike
    /// accepts either, so no rule changes; only the attribution links the unported deed instead.
    CreativeCommons { elements: Elements, version: Version },
    /// A licence outside Creative Commons that Commonplace knows by its SPDX id (`MIT`,
    /// `GFDL-1.3-or-later`, `OGL-UK-3.0`, …). Every such licence is open, but its terms are not
    /// modelled, so the rules treat it conservatively: an adaptation may carry only the same licence,
    /// and it combines only with itself, CC0 and public-domain material.
    Other(OtherLicence),
    /// The rights holder reserved all rights: no open licence.
    AllRightsReserved,
    /// Nobody has said which licence applies.
    #[default]
    Unknown,
}

/// The elements of a Creative Commons licence. Every licence includes Attribution (BY); ShareAlike
/// (SA) and NoDerivatives (ND) never appear together, so these six are all the combinations there
/// are. The variants are named after the licence codes Creative Commons itself uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Elements {
    /// Attribution.
    By,
    /// Attribution-ShareAlike.
    BySa,
    /// Attribution-NonCommercial.
    ByNc,
    /// Attribution-NonCommercial-ShareAlike.
    ByNcSa,
    /// Attribution-NoDerivatives.
    ByNd,
    /// Attribution-NonCommercial-NoDerivatives.
    ByNcNd,
}

/// A version of the Creative Commons licences. 2.1 existed only as ports to a few jurisdictions;
/// it is deliberately absent, so such a licence is not recognised rather than guessed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Version {
    V1_0,
    V2_0,
    V2_5,
    V3_0,
    V4_0,
}

/// An icon the UI shows for a licence; each names one of Creative Commons' icon files
/// (`by.svg`, `sa.svg`, …, see [`IconElement::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IconElement {
    By,
    Sa,
    Nc,
    Nd,
    Zero,
    Pd,
}

impl Licence {
    /// Every licence Commonplace can represent: CC0, the public domain, the thirty Creative Commons
    /// licences, the other licences it knows, all rights reserved and unknown.
    pub fn all() -> impl Iterator<Item = Licence> {
        let creative_commons = Version::ALL.into_iter().flat_map(|version| {
            Elements::ALL.into_iter().map(move |elements| Licence::CreativeCommons { elements, version })
        });
        [Licence::Cc0, Licence::PublicDomain]
            .into_iter()
            .chain(creative_commons)
            .chain(OtherLicence::all().map(Licence::Other))
            .chain([Licence::AllRightsReserved, Licence::Unknown])
    }

    /// Recognises a licence in the way people write it in metadata: an id (`CC-BY-SA-4.0`,
    /// `cc-by-sa-4.0`, `MIT`, a ported id such as `CC-BY-3.0-DE`), a short name (`CC BY-SA 4.0`,
    /// `CC-BY 4.0`, `cc by nc sa 3.0`, `CC0`), a full name (`Attribution-ShareAlike 4.0
    /// International`, `GNU Free Documentation License v1.3 or later`), a sentence or HTML snippet
    /// with a creativecommons.org URL in it, `Public Domain`, or a copyright notice without any
    /// licence (`© 2020 Ana Souza`, `All rights reserved`), which means all rights reserved.
    ///
    /// Anything unclear is `None`, and the caller records the resource as [`Licence::Unknown`]:
    /// - a Creative Commons licence without its version ("CC BY"): the version decides what an
    ///   adaptation may carry and which deed attribution links, and guessing it could misstate both;
    /// - two different licences, or a URL and words that disagree ("CC BY-SA 4.0 (…/by-sa/3.0/)");
    /// - version 2.1, which exists only as ports, and the retired licences without Attribution;
    /// - "copyright unknown", "no known copyright restrictions", "some rights reserved";
    /// - an SPDX expression ("MIT OR Apache-2.0");
    /// - text longer than a licence statement (over 1,000 bytes), which is not read at all.
    pub fn parse(text: &str) -> Option<Licence> {
        crate::parse::parse(text)
    }

    /// Recognises a creativecommons.org deed or legal code URL, in any of its forms: `http` or
    /// `https`, with or without `www.` and the trailing slash, `/deed.fr`, `/legalcode`, ports such as
    /// `/licenses/by/3.0/de/` (the jurisdiction is dropped, see [`Licence::CreativeCommons`]),
    /// `/publicdomain/zero/1.0/` and `/publicdomain/mark/1.0/`. Any other URL is `None`.
    pub fn from_url(url: &str) -> Option<Licence> {
        crate::url::from_url(url)
    }

    /// Reads a licence from its id, as [`Licence::spdx_id`] writes it (case does not matter). This is
    /// the strict form for stored data; free text goes through [`Licence::parse`].
    pub fn from_spdx_id(id: &str) -> Result<Licence> {
        crate::parse::from_spdx_id(id).ok_or_else(|| Error::UnrecognisedId { id: id.to_owned() })
    }

    /// The licence's id: its SPDX id (`CC-BY-SA-4.0`, `CC0-1.0`, `MIT`), or one of Commonplace's own
    /// ids for what SPDX has no id for: `public-domain`, `all-rights-reserved`, `unknown`.
    pub fn spdx_id(&self) -> Cow<'static, str> {
        match self {
            Licence::Cc0 => Cow::Borrowed("CC0-1.0"),
            Licence::PublicDomain => Cow::Borrowed("public-domain"),
            Licence::CreativeCommons { elements, version } => {
                Cow::Owned(format!("CC-{}-{}", elements.spdx_code(), version.as_str()))
            }
            Licence::Other(other) => Cow::Borrowed(other.id()),
            Licence::AllRightsReserved => Cow::Borrowed("all-rights-reserved"),
            Licence::Unknown => Cow::Borrowed("unknown"),
        }
    }

    /// The licence's full English name, e.g. "Creative Commons Attribution-ShareAlike 4.0
    /// International", "Creative Commons Attribution-NoDerivs 3.0 Unported". Each version's own
    /// wording is kept ("NoDerivs" before 4.0, "Generic" for 2.5 and earlier).
    pub fn name(&self) -> Cow<'static, str> {
        match self {
            Licence::Cc0 => Cow::Borrowed("CC0 1.0 Universal"),
            Licence::PublicDomain => Cow::Borrowed("Public Domain Mark 1.0"),
            Licence::CreativeCommons { elements, version } => Cow::Owned(format!(
                "Creative Commons {} {} {}",
                elements.english_name(*version),
                version.as_str(),
                version.scope()
            )),
            Licence::Other(other) => Cow::Borrowed(other.name()),
            Licence::AllRightsReserved => Cow::Borrowed("All rights reserved"),
            Licence::Unknown => Cow::Borrowed("Unknown licence"),
        }
    }

    /// The short name people write and attribution uses: "CC BY-SA 4.0", "CC0 1.0", "Public
    /// Domain", "MIT". CC BY-NC-ND 1.0 is "CC BY-ND-NC 1.0", as Creative Commons named it then.
    pub fn short_name(&self) -> Cow<'static, str> {
        match self {
            Licence::Cc0 => Cow::Borrowed("CC0 1.0"),
            Licence::PublicDomain => Cow::Borrowed("Public Domain"),
            Licence::CreativeCommons { elements, version } => {
                Cow::Owned(format!("CC {} {}", elements.deed_code(*version), version.as_str()))
            }
            Licence::Other(other) => Cow::Borrowed(other.id()),
            Licence::AllRightsReserved => Cow::Borrowed("All rights reserved"),
            Licence::Unknown => Cow::Borrowed("Unknown licence"),
        }
    }

    /// The canonical `https` deed on creativecommons.org, e.g.
    /// `https://creativecommons.org/licenses/by-sa/4.0/`. The public domain links the Public Domain
    /// Mark's deed. `None` for licences that are not Creative Commons tools.
    pub fn deed_url(&self) -> Option<String> {
        match self {
            Licence::Cc0 => Some("https://creativecommons.org/publicdomain/zero/1.0/".to_owned()),
            Licence::PublicDomain => Some("https://creativecommons.org/publicdomain/mark/1.0/".to_owned()),
            Licence::CreativeCommons { elements, version } => Some(format!(
                "https://creativecommons.org/licenses/{}/{}/",
                elements.url_path(*version),
                version.as_str()
            )),
            Licence::Other(_) | Licence::AllRightsReserved | Licence::Unknown => None,
        }
    }

    /// Which Creative Commons icons to show, in the order Creative Commons shows them (BY, NC, then
    /// SA or ND). The UI draws the CC logo in front for CC0 and the six licences. Empty for licences
    /// that have no icons.
    pub fn icon_elements(&self) -> &'static [IconElement] {
        use IconElement::{By, Nc, Nd, Pd, Sa, Zero};
        match self {
            Licence::Cc0 => &[Zero],
            Licence::PublicDomain => &[Pd],
            Licence::CreativeCommons { elements, .. } => match elements {
                Elements::By => &[By],
                Elements::BySa => &[By, Sa],
                Elements::ByNc => &[By, Nc],
                Elements::ByNcSa => &[By, Nc, Sa],
                Elements::ByNd => &[By, Nd],
                Elements::ByNcNd => &[By, Nc, Nd],
            },
            Licence::Other(_) | Licence::AllRightsReserved | Licence::Unknown => &[],
        }
    }

    /// Whether the resource may be shared as an open educational resource as it is: every Creative
    /// Commons licence (NonCommercial and NoDerivatives included, as in the usual OER sense rather
    /// than the stricter "free cultural works"), CC0, the public domain and the other licences
    /// Commonplace knows. Not all rights reserved or unknown: those need the user's explicit
    /// confirmation before they are shared (DESIGN §6).
    pub fn is_open(&self) -> bool {
        !matches!(self, Licence::AllRightsReserved | Licence::Unknown)
    }
}

impl fmt::Display for Licence {
    /// The short name, as a teacher would read it in a sentence.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.short_name())
    }
}

impl Serialize for Licence {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.spdx_id())
    }
}

impl<'de> Deserialize<'de> for Licence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = <Cow<'de, str>>::deserialize(deserializer)?;
        Licence::from_spdx_id(&id).map_err(serde::de::Error::custom)
    }
}

impl Elements {
    /// In the order the licences are usually listed, from the most to the least permissive.
    pub const ALL: [Elements; 6] =
        [Elements::By, Elements::BySa, Elements::ByNc, Elements::ByNcSa, Elements::ByNd, Elements::ByNcNd];

    /// Adaptations must be shared under the same licence.
    pub fn share_alike(self) -> bool {
        matches!(self, Elements::BySa | Elements::ByNcSa)
    }

    /// Only non-commercial use is allowed.
    pub fn non_commercial(self) -> bool {
        matches!(self, Elements::ByNc | Elements::ByNcSa | Elements::ByNcNd)
    }

    /// Adaptations may be made but not shared.
    pub fn no_derivatives(self) -> bool {
        matches!(self, Elements::ByNd | Elements::ByNcNd)
    }

    /// The code in SPDX ids, which always puts NC before SA or ND.
    fn spdx_code(self) -> &'static str {
        match self {
            Elements::By => "BY",
            Elements::BySa => "BY-SA",
            Elements::ByNc => "BY-NC",
            Elements::ByNcSa => "BY-NC-SA",
            Elements::ByNd => "BY-ND",
            Elements::ByNcNd => "BY-NC-ND",
        }
    }

    /// The code Creative Commons' deeds use: the same, except that version 1.0 put ND before NC.
    fn deed_code(self, version: Version) -> &'static str {
        match (self, version) {
            (Elements::ByNcNd, Version::V1_0) => "BY-ND-NC",
            _ => self.spdx_code(),
        }
    }

    /// The path segment in creativecommons.org URLs (`by-sa`, and `by-nd-nc` for 1.0).
    fn url_path(self, version: Version) -> &'static str {
        match (self, version) {
            (Elements::By, _) => "by",
            (Elements::BySa, _) => "by-sa",
            (Elements::ByNc, _) => "by-nc",
            (Elements::ByNcSa, _) => "by-nc-sa",
            (Elements::ByNd, _) => "by-nd",
            (Elements::ByNcNd, Version::V1_0) => "by-nd-nc",
            (Elements::ByNcNd, _) => "by-nc-nd",
        }
    }

    /// The English name as that version's deed gives it: 4.0 says "NoDerivatives", earlier versions
    /// "NoDerivs", and 1.0 put it before NonCommercial.
    fn english_name(self, version: Version) -> &'static str {
        match (self, version) {
            (Elements::By, _) => "Attribution",
            (Elements::BySa, _) => "Attribution-ShareAlike",
            (Elements::ByNc, _) => "Attribution-NonCommercial",
            (Elements::ByNcSa, _) => "Attribution-NonCommercial-ShareAlike",
            (Elements::ByNd, Version::V4_0) => "Attribution-NoDerivatives",
            (Elements::ByNd, _) => "Attribution-NoDerivs",
            (Elements::ByNcNd, Version::V4_0) => "Attribution-NonCommercial-NoDerivatives",
            (Elements::ByNcNd, Version::V1_0) => "Attribution-NoDerivs-NonCommercial",
            (Elements::ByNcNd, _) => "Attribution-NonCommercial-NoDerivs",
        }
    }

    /// The elements with these conditions; `None` for ShareAlike with NoDerivatives, which no licence
    /// has.
    pub(crate) fn from_conditions(
        share_alike: bool,
        non_commercial: bool,
        no_derivatives: bool,
    ) -> Option<Self> {
        match (share_alike, non_commercial, no_derivatives) {
            (false, false, false) => Some(Elements::By),
            (true, false, false) => Some(Elements::BySa),
            (false, true, false) => Some(Elements::ByNc),
            (true, true, false) => Some(Elements::ByNcSa),
            (false, false, true) => Some(Elements::ByNd),
            (false, true, true) => Some(Elements::ByNcNd),
            (true, _, true) => None,
        }
    }
}

impl Version {
    /// From the oldest to the newest.
    pub const ALL: [Version; 5] = [Version::V1_0, Version::V2_0, Version::V2_5, Version::V3_0, Version::V4_0];

    /// The version number as written in ids and URLs: "4.0".
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_0 => "1.0",
            Version::V2_0 => "2.0",
            Version::V2_5 => "2.5",
            Version::V3_0 => "3.0",
            Version::V4_0 => "4.0",
        }
    }

    /// Reads "4.0", and "4" for the versions whose number ends in ".0".
    pub(crate) fn from_number(number: &str) -> Option<Self> {
        match number {
            "1.0" | "1" => Some(Version::V1_0),
            "2.0" | "2" => Some(Version::V2_0),
            "2.5" => Some(Version::V2_5),
            "3.0" | "3" => Some(Version::V3_0),
            "4.0" | "4" => Some(Version::V4_0),
            _ => None,
        }
    }

    /// The word after the version in the licence's name.
    fn scope(self) -> &'static str {
        match self {
            Version::V1_0 | Version::V2_0 | Version::V2_5 => "Generic",
            Version::V3_0 => "Unported",
            Version::V4_0 => "International",
        }
    }
}

impl IconElement {
    /// The icon's name as in Creative Commons' icon files: `by`, `sa`, `nc`, `nd`, `zero`, `pd`.
    pub fn name(self) -> &'static str {
        match self {
            IconElement::By => "by",
            IconElement::Sa => "sa",
            IconElement::Nc => "nc",
            IconElement::Nd => "nd",
            IconElement::Zero => "zero",
            IconElement::Pd => "pd",
        }
    }
}
