//! Attribution in the form Creative Commons recommends, TASL: Title, Author, Source (a link) and
//! Licence (a link), plus, as the 4.0 licences ask, whether changes were made.
//!
//! Every field comes from metadata someone else wrote, so it is untrusted: [`Attribution::html`]
//! escapes each one and links the source only if it is an `http` or `https` URL, and both forms
//! collapse line breaks and drop control and bidirectional-override characters, so a field cannot
//! break the line structure of a chain or visually reorder the rest of the sentence.

use serde::{Deserialize, Serialize};

use crate::licence::Licence;

/// The credit owed to one work. Fields that are missing or blank are left out of the text the way
/// Creative Commons suggests: no author means no "by …", no source means no link, and no title gives
/// "An untitled work".
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Attribution {
    pub title: Option<String>,
    /// In the order they are credited.
    pub authors: Vec<String>,
    /// Where the work can be found, normally a web page.
    pub source_url: Option<String>,
    pub licence: Licence,
    /// This work is itself an adaptation of something.
    pub changes_made: bool,
}

/// Attributions for a chain of adaptations (a fork of a fork), rendered one after the other in the
/// order given. Callers pass the nearest upstream first: the work that was adapted, then the work
/// that one adapted, back to the original.
#[derive(Debug, Clone, Copy)]
pub struct AttributionChain<'a> {
    attributions: &'a [Attribution],
}

impl Attribution {
    /// Plain text, e.g. `"Fractions worksheet" by Ana Souza, https://example.org/fractions, is
    /// licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).`, followed by ` This
    /// is an adaptation: changes were made.` when [`Attribution::changes_made`] is set.
    pub fn text(&self) -> String {
        self.render(Format::Text)
    }

    /// The same sentence as an HTML fragment: the title links the source and the licence links its
    /// deed, and every field is escaped.
    pub fn html(&self) -> String {
        self.render(Format::Html)
    }

    /// A chain of attributions; see [`AttributionChain`].
    pub fn chain(attributions: &[Attribution]) -> AttributionChain<'_> {
        AttributionChain { attributions }
    }

    fn render(&self, format: Format) -> String {
        let title = self.title.as_deref().and_then(clean);
        let authors: Vec<String> = self.authors.iter().filter_map(|author| clean(author)).collect();
        let source = self.source_url.as_deref().and_then(clean);
        let linked_source = source.as_deref().filter(|source| format == Format::Html && is_web_url(source));

        let work = match &title {
            Some(title) => format!("\"{}\"", format.escape(title)),
            None => "An untitled work".to_owned(),
        };
        let mut sentence = match linked_source {
            // The quotation marks stay outside the link, as in Creative Commons' own examples.
            Some(url) => match &title {
                Some(title) => format!("\"<a href=\"{}\">{}</a>\"", escape_html(url), escape_html(title)),
                None => format!("<a href=\"{}\">{work}</a>", escape_html(url)),
            },
            None => work,
        };
        if !authors.is_empty() {
            let authors: Vec<String> = authors.iter().map(|author| format.escape(author)).collect();
            sentence.push_str(" by ");
            sentence.push_str(&join_names(&authors));
        }
        if let Some(source) = source.as_deref().filter(|_| linked_source.is_none()) {
            sentence.push_str(", ");
            sentence.push_str(&format.escape(source));
            sentence.push(',');
        }
        sentence.push(' ');
        sentence.push_str(&licence_phrase(&self.licence, format));
        sentence.push('.');
        if self.changes_made {
            sentence.push_str(" This is an adaptation: changes were made.");
        }
        sentence
    }
}

impl AttributionChain<'_> {
    /// One attribution per line.
    pub fn text(&self) -> String {
        self.attributions.iter().map(Attribution::text).collect::<Vec<_>>().join("\n")
    }

    /// A `<ul>` with one `<li>` per attribution; empty for an empty chain.
    pub fn html(&self) -> String {
        if self.attributions.is_empty() {
            return String::new();
        }
        let items: String =
            self.attributions.iter().map(|attribution| format!("<li>{}</li>", attribution.html())).collect();
        format!("<ul>{items}</ul>")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Html,
}

impl Format {
    fn escape(self, text: &str) -> String {
        match self {
            Format::Text => text.to_owned(),
            Format::Html => escape_html(text),
        }
    }
}

/// "is licensed under CC BY 4.0 (https://…)", with the link as an anchor in HTML.
fn licence_phrase(licence: &Licence, format: Format) -> String {
    let (verb, label, url) = match licence {
        Licence::CreativeCommons { .. } => ("is licensed under", licence.short_name(), licence.deed_url()),
        Licence::Cc0 => ("is marked with", licence.short_name(), licence.deed_url()),
        Licence::PublicDomain => ("is marked with", licence.name(), licence.deed_url()),
        Licence::Other(other) => ("is licensed under", licence.short_name(), Some(other.spdx_url())),
        Licence::AllRightsReserved => return "is not openly licensed (all rights reserved)".to_owned(),
        Licence::Unknown => return "has no known licence".to_owned(),
    };
    match (url, format) {
        (Some(url), Format::Text) => format!("{verb} {label} ({url})"),
        (Some(url), Format::Html) => {
            format!("{verb} <a rel=\"license\" href=\"{}\">{}</a>", escape_html(&url), escape_html(&label))
        }
        (None, _) => format!("{verb} {}", format.escape(&label)),
    }
}

/// "Ana", "Ana and Ben", "Ana, Ben and Chloé".
fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Collapses runs of whitespace (line breaks included) to one space and drops control and
/// bidirectional-formatting characters; `None` if nothing is left.
fn clean(text: &str) -> Option<String> {
    let is_bidirectional_formatting =
        |character: char| matches!(character, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let cleaned = text
        .split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|character| !character.is_control() && !is_bidirectional_formatting(*character))
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!cleaned.is_empty()).then_some(cleaned)
}

/// Only web addresses become links: a `javascript:` or `data:` URL in metadata must never be
/// something a teacher can click.
fn is_web_url(url: &str) -> bool {
    ["http://", "https://"].iter().any(|scheme| {
        url.len() > scheme.len()
            && url.get(..scheme.len()).is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    })
}

/// Escapes text for HTML element content and quoted attribute values alike.
fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}
