//! Licences of open educational resources: recognising them in metadata, what an adaptation or a
//! combination of works may carry, and the attribution owed (DESIGN §6).
//!
//! A resource carries one [`Licence`]: CC0, the public domain, one of the six Creative Commons
//! licences in one of five versions, another open licence known by its SPDX id, all rights
//! reserved, or unknown. [`Licence::parse`] and [`Licence::from_url`] read it from what people write
//! in metadata and answer `None` rather than guess; [`adaptation`] says which licences an adaptation
//! may carry and why it may not be shared; [`combine`] does the same for a work made of several
//! inputs and names the conflicting pair; [`collection_licence`] summarises a collection of unchanged
//! works; [`Attribution`] renders the credit as text and as escaped HTML.
//!
//! This crate deliberately knows nothing of resources, storage, IPC or the network: it is pure
//! functions over small values, so the library, the history code, the CLI and the shell all ask it
//! the same questions and get the same answers. It is not legal advice and does not try to be a
//! complete licence database: anything it does not recognise is left for the caller to record as
//! unknown, which keeps the resource private until a person decides.
//!
//! Decisions the rest of Commonplace relies on:
//! - **Versions.** ShareAlike adaptations may carry the same or a later version (1.0 only 1.0); BY and
//!   BY-NC adaptations the original's version or later. See [`adaptation`] for why.
//! - **Ports.** A licence ported to a jurisdiction (`/licenses/by/3.0/de/`, `CC-BY-3.0-DE`) is read as
//!   the unported licence of its version; the jurisdiction is dropped.
//! - **Other licences** (`MIT`, `GFDL-1.3-or-later`, …) come from a short list of open licences; their
//!   adaptations carry the same licence only, and they combine only with the same licence, CC0 and
//!   the public domain.
//!
//! Main types: [`Licence`] (with [`Elements`], [`Version`], [`OtherLicence`]), [`Adaptation`],
//! [`Combination`] and [`Conflict`], [`CollectionSummary`], [`Attribution`], [`Error`].

// Licence answers decide what a teacher may share, so this code must not panic on any input.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::unimplemented
    )
)]

mod attribution;
mod error;
mod licence;
mod other;
mod parse;
mod rules;
mod url;

pub use attribution::{Attribution, AttributionChain};
pub use error::{Error, Result};
pub use licence::{Elements, IconElement, Licence, Version};
pub use other::OtherLicence;
pub use rules::{
    Adaptation, AllowedLicence, CollectionSummary, Combination, Conflict, NotShareableReason, adaptation,
    check_adaptation, collection_licence, combine,
};
