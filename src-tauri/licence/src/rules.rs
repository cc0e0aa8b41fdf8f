//! What a licence allows (DESIGN §6, from the Creative Commons FAQ and remix chart): which licences
//! an adaptation may carry ([`adaptation`]), which a work combining several inputs may carry
//! ([`combine`]), and what a collection of unmodified works amounts to ([`collection_licence`]).
//!
//! Every answer is derived from one relation, "material under licence A may be part of an adaptation
//! shared under licence B" (`permits`): an adaptation's choices are the licences it allows for the
//! original, a combination's those it allows for every input. The decisions that go beyond the remix
//! chart are documented on [`adaptation`], where users of the crate see them.

use std::collections::BTreeSet;
use std::fmt;

use crate::error::{Error, Result};
use crate::licence::{Elements, Licence, Version};

/// A licence an adaptation or a combination may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AllowedLicence {
    pub licence: Licence,
    /// `false` for choices that are allowed but that Creative Commons advises against, so the UI
    /// can leave them out of the first list it shows.
    pub recommended: bool,
}

/// Whether an adaptation of a work may be shared, and under which licences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Adaptation {
    /// The adaptation may be shared under any of these licences and no other. They are listed with
    /// CC0 first, then the Creative Commons licences from the newest version to the oldest (within a
    /// version BY, BY-SA, BY-NC, BY-NC-SA, BY-ND, BY-NC-ND), then another licence. Never empty.
    Shareable { allowed: Vec<AllowedLicence> },
    /// The adaptation may not be shared.
    NotShareable { reason: NotShareableReason },
}

/// Why an adaptation may not be shared. In every case the teacher may still keep an adapted
/// copy in their private library. The difference is who can change the answer: NoDerivatives is the
/// licence's own refusal, while for unknown and all-rights-reserved material the caller makes the
/// private copy with a warning, and sharing needs the user's explicit confirmation that they have
/// permission (DESIGN §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotShareableReason {
    /// The licence is BY-ND or BY-NC-ND.
    NoDerivatives,
    /// Nobody has said which licence applies.
    Unknown,
    /// The rights holder reserved all rights.
    AllRightsReserved,
}

/// Which licences a work combining several inputs into one adaptation may carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Combination {
    /// The combined work may be shared under any of these licences, in the order of
    /// [`Adaptation::Shareable`]; a licence is recommended only if it is for every input.
    Possible { allowed: Vec<AllowedLicence> },
    /// No licence is allowed for every input.
    Impossible { conflict: Conflict },
}

/// Why works cannot be combined into one shared adaptation. When several inputs or pairs conflict,
/// the one named is, in this order, an input that cannot be adapted at all, then the clearest kind
/// of conflict (as the variants are listed), then the first in [`Licence`]'s order, so the answer
/// does not depend on the order of the inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Conflict {
    /// One input's adaptations may not be shared at all (NoDerivatives, unknown, all rights
    /// reserved).
    NotShareable { licence: Licence, reason: NotShareableReason },
    /// The classic: ShareAlike without NonCommercial requires adaptations to allow commercial use,
    /// and the other licence forbids it.
    ShareAlikeWithNonCommercial { share_alike: Licence, non_commercial: Licence },
    /// Two ShareAlike licences that each require their own terms, e.g. BY-SA 1.0 with BY-SA 2.0.
    DifferentShareAlike { first: Licence, second: Licence },
    /// No licence is allowed for both, for another reason: another licence such as the GFDL with a
    /// Creative Commons licence, or BY 2.0 with BY-SA 1.0 (which allows only version 1.0).
    NoCommonLicence { first: Licence, second: Licence },
}

/// What a collection of unmodified works amounts to. Each work keeps its own licence; the
/// collection as a whole is non-commercial if any part is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionSummary {
    /// Every licence in the collection, each once, in [`Licence`]'s order.
    pub licences: Vec<Licence>,
    /// Some part is NonCommercial, so the collection may only be shared non-commercially.
    pub non_commercial: bool,
    /// The parts' licences that keep the collection from being shared as OER without the user's
    /// confirmation (unknown, all rights reserved), each once. NoDerivatives parts are not here:
    /// a collection shares them unchanged.
    pub not_shareable: Vec<Licence>,
}

/// Which licences an adaptation of material under `original` may carry, or why it may not be
/// shared.
///
/// - CC0 and the public domain: anything (NoDerivatives allowed, not recommended).
/// - BY: BY, BY-SA, BY-NC, BY-NC-SA (BY-ND, BY-NC-ND allowed, not recommended).
/// - BY-NC: BY-NC, BY-NC-SA (BY-NC-ND allowed, not recommended).
/// - BY-SA: BY-SA only; BY-NC-SA: BY-NC-SA only.
/// - BY-ND, BY-NC-ND, unknown, all rights reserved: not shareable, see [`NotShareableReason`].
///
/// Decisions beyond the Creative Commons remix chart:
///
/// - **Versions.** ShareAlike (BY-SA, BY-NC-SA) allows the same version or a later one, except that
///   version 1.0 allows only 1.0: its text has no "later version" clause, which 2.0 introduced. For
///   BY and BY-NC the chart says nothing about versions; an adaptation may carry the listed licences
///   at the original's version or later, never an earlier one, which is always safe and keeps
///   attribution terms at least as current as the original's.
/// - **Candidates.** The targets are CC0 and the thirty Creative Commons licences, plus, when the
///   original carries another licence (MIT, GFDL, …), that licence. The Public Domain Mark is never a
///   target: an adaptation has a new author, whose rights CC0 can waive but a mark cannot deny. All
///   rights reserved is not offered either: Commonplace shares adaptations as OER.
/// - **Recommended.** NoDerivatives targets are allowed but never recommended: they stop the next
///   teacher adapting the work.
/// - **Other licences** are treated conservatively: an adaptation carries the same licence. Known
///   one-way compatibilities (CC BY-SA 4.0 into GPLv3) are not modelled.
pub fn adaptation(original: &Licence) -> Adaptation {
    match NotShareableReason::of(original) {
        Some(reason) => Adaptation::NotShareable { reason },
        None => Adaptation::Shareable { allowed: allowed_for_all(&[*original]) },
    }
}

/// Checks a licence chosen for an adaptation of material under `original`, and says whether the
/// choice is a recommended one.
pub fn check_adaptation(original: &Licence, target: &Licence) -> Result<AllowedLicence> {
    match adaptation(original) {
        Adaptation::NotShareable { reason } => {
            Err(Error::AdaptationNotShareable { original: *original, reason })
        }
        Adaptation::Shareable { allowed } => allowed
            .into_iter()
            .find(|allowed| allowed.licence == *target)
            .ok_or(Error::TargetNotAllowed { original: *original, target: *target }),
    }
}

/// Which licences a work combining all these inputs into one adaptation may carry, or the conflict
/// that leaves none. Repeated and reordered inputs give the same answer; no inputs at all allow what
/// CC0 material allows. Another licence (MIT, GFDL, …) combines only with itself, CC0 and the
/// public domain.
pub fn combine(licences: &[Licence]) -> Combination {
    let mut distinct: Vec<Licence> = licences.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    if distinct.is_empty() {
        // Combining nothing restricts nothing, exactly like public-domain material; this keeps
        // `combine` a plain intersection with nothing as its neutral element.
        distinct.push(Licence::Cc0);
    }
    let not_shareable =
        distinct.iter().find_map(|licence| NotShareableReason::of(licence).map(|reason| (*licence, reason)));
    if let Some((licence, reason)) = not_shareable {
        return Combination::Impossible { conflict: Conflict::NotShareable { licence, reason } };
    }
    let allowed = allowed_for_all(&distinct);
    if !allowed.is_empty() {
        return Combination::Possible { allowed };
    }
    // The allowed sets are products of an element set and a version range, which never leave
    // every pair compatible but the whole set not, so some pair is always to blame. When several
    // are, the clearest explanation wins, then the first pair in licence order.
    let conflict = distinct
        .iter()
        .enumerate()
        .flat_map(|(index, first)| {
            distinct.get(index + 1..).unwrap_or_default().iter().map(move |second| (*first, *second))
        })
        .filter(|(first, second)| allowed_for_all(&[*first, *second]).is_empty())
        .map(|(first, second)| Conflict::between(first, second))
        .min_by_key(|conflict| conflict.clarity_rank())
        .or_else(|| {
            let (first, last) = distinct.first().zip(distinct.last())?;
            Some(Conflict::NoCommonLicence { first: *first, second: *last })
        });
    match conflict {
        Some(conflict) => Combination::Impossible { conflict },
        None => Combination::Possible { allowed },
    }
}

/// Summarises a collection of unmodified works under these licences.
pub fn collection_licence(licences: &[Licence]) -> CollectionSummary {
    let distinct: Vec<Licence> = licences.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    CollectionSummary {
        non_commercial: distinct.iter().any(|licence| {
            matches!(licence, Licence::CreativeCommons { elements, .. } if elements.non_commercial())
        }),
        not_shareable: distinct.iter().copied().filter(|licence| !licence.is_open()).collect(),
        licences: distinct,
    }
}

impl Adaptation {
    /// The licences the adaptation may carry; empty when it may not be shared.
    pub fn allowed(&self) -> &[AllowedLicence] {
        match self {
            Adaptation::Shareable { allowed } => allowed,
            Adaptation::NotShareable { .. } => &[],
        }
    }

    /// Whether the adaptation may carry this licence.
    pub fn allows(&self, licence: &Licence) -> bool {
        self.allowed().iter().any(|allowed| allowed.licence == *licence)
    }

    pub fn is_shareable(&self) -> bool {
        matches!(self, Adaptation::Shareable { .. })
    }
}

impl Combination {
    /// The licences the combined work may carry; empty when there is a conflict.
    pub fn allowed(&self) -> &[AllowedLicence] {
        match self {
            Combination::Possible { allowed } => allowed,
            Combination::Impossible { .. } => &[],
        }
    }

    /// Whether the combined work may carry this licence.
    pub fn allows(&self, licence: &Licence) -> bool {
        self.allowed().iter().any(|allowed| allowed.licence == *licence)
    }
}

impl CollectionSummary {
    /// Whether the collection may be shared as OER without the user confirming they have
    /// permission for some part.
    pub fn is_shareable(&self) -> bool {
        self.not_shareable.is_empty()
    }
}

impl NotShareableReason {
    fn of(licence: &Licence) -> Option<Self> {
        match licence {
            Licence::CreativeCommons { elements, .. } if elements.no_derivatives() => {
                Some(NotShareableReason::NoDerivatives)
            }
            Licence::Unknown => Some(NotShareableReason::Unknown),
            Licence::AllRightsReserved => Some(NotShareableReason::AllRightsReserved),
            Licence::Cc0 | Licence::PublicDomain | Licence::CreativeCommons { .. } | Licence::Other(_) => {
                None
            }
        }
    }

    /// The reason in plain English for a teacher, saying what they can still do. The UI translates
    /// by matching on the variant; this text is for the CLI, logs and as the English original.
    pub fn message(self) -> &'static str {
        match self {
            NotShareableReason::NoDerivatives => {
                "The author allows sharing this only unchanged (NoDerivatives). You can adapt it for \
                 your own teaching, but you can't share your adapted version unless the author gives \
                 you permission."
            }
            NotShareableReason::Unknown => {
                "Nobody has recorded a licence for this resource, so it isn't known whether an adapted \
                 version may be shared. You can work on a private copy; share it only once you know \
                 you are allowed to."
            }
            NotShareableReason::AllRightsReserved => {
                "The author keeps all rights to this resource (all rights reserved), so an adapted \
                 version can't be shared without the author's permission. You can work on a private \
                 copy; share it only if the author agrees."
            }
        }
    }
}

impl fmt::Display for NotShareableReason {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.message())
    }
}

impl Conflict {
    /// Names the conflict between two inputs that have no licence in common; `first` comes before
    /// `second` in [`Licence`]'s order.
    fn between(first: Licence, second: Licence) -> Self {
        let share_alike_only = |licence: Licence| {
            matches!(licence, Licence::CreativeCommons { elements, .. }
                if elements.share_alike() && !elements.non_commercial())
        };
        let non_commercial = |licence: Licence| matches!(licence, Licence::CreativeCommons { elements, .. } if elements.non_commercial());
        let share_alike = |licence: Licence| matches!(licence, Licence::CreativeCommons { elements, .. } if elements.share_alike());
        if share_alike_only(first) && non_commercial(second) {
            Conflict::ShareAlikeWithNonCommercial { share_alike: first, non_commercial: second }
        } else if share_alike_only(second) && non_commercial(first) {
            Conflict::ShareAlikeWithNonCommercial { share_alike: second, non_commercial: first }
        } else if share_alike(first) && share_alike(second) {
            Conflict::DifferentShareAlike { first, second }
        } else {
            Conflict::NoCommonLicence { first, second }
        }
    }

    /// Orders conflicts by how clearly they explain themselves to a teacher, for `combine` to pick
    /// one; `min_by_key` keeps the first of equals, which is the first pair in licence order.
    fn clarity_rank(&self) -> u8 {
        match self {
            Conflict::NotShareable { .. } => 0,
            Conflict::ShareAlikeWithNonCommercial { .. } => 1,
            Conflict::DifferentShareAlike { .. } => 2,
            Conflict::NoCommonLicence { .. } => 3,
        }
    }

    /// The conflict in plain English for a teacher, naming the licences. The UI translates by
    /// matching on the variant; this text is for the CLI, logs and as the English original.
    pub fn message(&self) -> String {
        const SEPARATELY: &str = "You can still share them side by side, unchanged, as a collection.";
        match self {
            Conflict::NotShareable { licence, reason: NotShareableReason::NoDerivatives } => format!(
                "One of the works is under {licence}, which allows sharing it only unchanged \
                 (NoDerivatives), so it can't be part of a shared adaptation."
            ),
            Conflict::NotShareable { reason: NotShareableReason::Unknown, .. } => {
                "One of the works has no known licence, so it isn't known whether it may be part of a \
                 shared adaptation."
                    .to_owned()
            }
            Conflict::NotShareable { reason: NotShareableReason::AllRightsReserved, .. } => {
                "One of the works has all rights reserved, so it can't be part of a shared adaptation \
                 without its author's permission."
                    .to_owned()
            }
            Conflict::ShareAlikeWithNonCommercial { share_alike, non_commercial } => format!(
                "{share_alike} requires adaptations to be shared under the same licence, which allows \
                 commercial use, but {non_commercial} forbids commercial use. No licence satisfies \
                 both, so these works can't be combined into one adaptation. {SEPARATELY}"
            ),
            Conflict::DifferentShareAlike { first, second } => format!(
                "{first} and {second} each require adaptations to be shared under their own \
                 ShareAlike licence, and neither accepts the other, so these works can't be combined \
                 into one adaptation. {SEPARATELY}"
            ),
            Conflict::NoCommonLicence { first, second } => format!(
                "No licence is allowed both by {first} and by {second}, so these works can't be \
                 combined into one adaptation. {SEPARATELY}"
            ),
        }
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message())
    }
}

/// The licences allowed for every one of `originals`, in presentation order.
fn allowed_for_all(originals: &[Licence]) -> Vec<AllowedLicence> {
    let others = originals.iter().copied().filter(|licence| matches!(licence, Licence::Other(_)));
    candidates(others)
        .into_iter()
        .filter_map(|target| {
            let recommended = originals.iter().try_fold(true, |recommended, original| {
                permits(*original, target).map(|this_one| recommended && this_one)
            })?;
            Some(AllowedLicence { licence: target, recommended })
        })
        .collect()
}

/// The licences an adaptation could carry, in presentation order: CC0, the Creative Commons
/// licences from the newest version, then the given other licences.
fn candidates(others: impl Iterator<Item = Licence>) -> Vec<Licence> {
    let creative_commons = Version::ALL.into_iter().rev().flat_map(|version| {
        Elements::ALL.into_iter().map(move |elements| Licence::CreativeCommons { elements, version })
    });
    let others: BTreeSet<Licence> = others.collect();
    [Licence::Cc0].into_iter().chain(creative_commons).chain(others).collect()
}

/// Whether material under `original` may be part of an adaptation shared under `target`: `None` if
/// not, otherwise whether that choice is recommended.
fn permits(original: Licence, target: Licence) -> Option<bool> {
    match original {
        Licence::Cc0 | Licence::PublicDomain => match target {
            Licence::Cc0 | Licence::Other(_) => Some(true),
            Licence::CreativeCommons { elements, .. } => Some(!elements.no_derivatives()),
            Licence::PublicDomain | Licence::AllRightsReserved | Licence::Unknown => None,
        },
        Licence::CreativeCommons { elements: from, version: from_version } => {
            let Licence::CreativeCommons { elements: to, version: to_version } = target else {
                return None;
            };
            let elements_allowed = match from {
                Elements::By => true,
                Elements::ByNc => to.non_commercial(),
                Elements::BySa | Elements::ByNcSa => to == from,
                Elements::ByNd | Elements::ByNcNd => false,
            };
            let version_allowed = if from.share_alike() && from_version == Version::V1_0 {
                to_version == Version::V1_0
            } else {
                to_version >= from_version
            };
            (elements_allowed && version_allowed).then_some(!to.no_derivatives())
        }
        Licence::Other(_) => (target == original).then_some(true),
        Licence::AllRightsReserved | Licence::Unknown => None,
    }
}
