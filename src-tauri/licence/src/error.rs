//! The crate's error type. Recognising a licence in free text never fails (it answers `None`); errors
//! are for the two places where a caller needs a reason: reading a stored licence id, and checking a
//! licence chosen for an adaptation.

use crate::licence::Licence;
use crate::rules::NotShareableReason;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A stored or transmitted licence id that this version of Commonplace does not know. Ids are
    /// compared case-insensitively; free text such as "CC BY 4.0" goes through [`Licence::parse`].
    #[error("{id:?} is not a licence id Commonplace knows")]
    UnrecognisedId { id: String },

    /// The original's licence does not let an adaptation be shared at all.
    #[error("an adaptation of material under {original} cannot be shared: {}", reason.message())]
    AdaptationNotShareable { original: Licence, reason: NotShareableReason },

    /// The original's licence lets an adaptation be shared, but not under the chosen licence.
    #[error("an adaptation of material under {original} may not carry {target}")]
    TargetNotAllowed { original: Licence, target: Licence },
}
