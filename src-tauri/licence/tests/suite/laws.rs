//! Properties that hold for all inputs: checked exhaustively where the inputs are few, and with
//! proptest where they are not.

use commonplace_licence::{Adaptation, Attribution, Combination, Licence, adaptation, combine};
use proptest::prelude::*;

use crate::common::{every_licence, representative_licences};

fn any_licence() -> impl Strategy<Value = Licence> {
    proptest::sample::select(every_licence())
}

/// Adapting an adaptation never widens the choice: whatever an allowed target lets its own
/// adaptations carry, the original allows too. A wrong version or element rule almost always
/// breaks this.
#[test]
fn adapting_an_adaptation_never_widens_the_choice() {
    for original in representative_licences() {
        let allowed_for_original = adaptation(&original);
        for target in allowed_for_original.allowed() {
            for next in adaptation(&target.licence).allowed() {
                assert!(
                    allowed_for_original.allows(&next.licence),
                    "{original} allows {}, which allows {}, which {original} does not",
                    target.licence,
                    next.licence
                );
            }
        }
    }
}

/// A shareable licence allows its own licence for an adaptation: keeping the licence is always
/// possible.
#[test]
fn a_shareable_licence_allows_itself() {
    for licence in every_licence() {
        if adaptation(&licence).is_shareable() && licence != Licence::PublicDomain {
            assert!(adaptation(&licence).allows(&licence), "{licence}");
        }
    }
}

proptest! {
    #[test]
    fn combining_does_not_depend_on_order(licences in proptest::collection::vec(any_licence(), 0..6).prop_shuffle(), seed in any::<u64>()) {
        let mut shuffled = licences.clone();
        // A second, independent order: rotate by a seed-chosen amount and reverse.
        if !shuffled.is_empty() {
            let amount = (seed % shuffled.len() as u64) as usize;
            shuffled.rotate_left(amount);
        }
        shuffled.reverse();
        prop_assert_eq!(combine(&licences), combine(&shuffled));
    }

    #[test]
    fn combining_a_pair_commutes(first in any_licence(), second in any_licence()) {
        prop_assert_eq!(combine(&[first, second]), combine(&[second, first]));
    }

    #[test]
    fn combining_one_licence_is_adapting_it(licence in any_licence()) {
        match (combine(&[licence]), adaptation(&licence)) {
            (Combination::Possible { allowed: combined }, Adaptation::Shareable { allowed: adapted }) => {
                prop_assert_eq!(combined, adapted);
            }
            (Combination::Impossible { conflict }, Adaptation::NotShareable { reason }) => {
                prop_assert_eq!(conflict, commonplace_licence::Conflict::NotShareable { licence, reason });
            }
            (combined, adapted) => prop_assert!(false, "{licence}: {combined:?} but {adapted:?}"),
        }
    }

    #[test]
    fn repeating_an_input_changes_nothing(licences in proptest::collection::vec(any_licence(), 1..5)) {
        let mut repeated = licences.clone();
        repeated.extend_from_slice(&licences);
        prop_assert_eq!(combine(&repeated), combine(&licences));
    }

    #[test]
    fn combining_more_never_allows_more(licences in proptest::collection::vec(any_licence(), 0..5), extra in any_licence()) {
        let fewer = combine(&licences);
        let mut more_inputs = licences.clone();
        more_inputs.push(extra);
        for allowed in combine(&more_inputs).allowed() {
            // Another licence among the inputs can add itself as a candidate, but only that.
            if allowed.licence != extra {
                prop_assert!(fewer.allows(&allowed.licence), "{} appeared", allowed.licence);
            }
        }
    }

    #[test]
    fn every_id_parses_back(licence in any_licence()) {
        prop_assert_eq!(Licence::parse(&licence.spdx_id()), Some(licence));
        prop_assert_eq!(Licence::from_spdx_id(&licence.spdx_id().to_lowercase()), Ok(licence));
    }

    #[test]
    fn parsing_anything_does_not_panic(text in any::<String>()) {
        let _ = Licence::parse(&text);
        let _ = Licence::from_url(&text);
        let _ = Licence::from_spdx_id(&text);
    }

    #[test]
    fn parsing_licence_like_text_does_not_panic(text in "(?i)(cc|by|sa|nc|nd|-| |[0-9]|\\.|©|public|domain|https?://|creativecommons\\.org/|licenses/|deed|/){0,40}") {
        if let Some(licence) = Licence::parse(&text) {
            // Whatever is recognised is a licence with an id that reads back.
            prop_assert_eq!(Licence::from_spdx_id(&licence.spdx_id()), Ok(licence));
        }
        let _ = Licence::from_url(&text);
    }

    #[test]
    fn html_holds_no_markup_but_its_own(
        title in proptest::option::of(any::<String>()),
        authors in proptest::collection::vec(any::<String>(), 0..3),
        source_url in proptest::option::of("(https?://|javascript:)?[^ ]{0,30}"),
        licence in any_licence(),
        changes_made in any::<bool>(),
    ) {
        let attribution = Attribution { title, authors, source_url, licence, changes_made };
        let mut html = attribution.html();
        // Remove the markup this crate writes; nothing else may look like markup.
        html = html.replace("</a>", "");
        while let Some(start) = html.find("<a ") {
            let end = html[start..].find("\">").map(|end| start + end + 2);
            prop_assert!(end.is_some(), "unterminated anchor in {html}");
            html.replace_range(start..end.unwrap_or(start), "");
        }
        prop_assert!(!html.contains('<') && !html.contains('>'), "{}", html);
        prop_assert!(!attribution.text().contains('\n'));
    }
}
