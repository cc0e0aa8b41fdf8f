//! Previews shown inside the app: plain text as text, Markdown rendered and HTML cleaned. All HTML
//! is sanitised here with ammonia before it reaches the window — no script, no event handler, no
//! style, no link that could navigate the app's window, no remote image — and the window's CSP
//! would refuse what slipped through anyway. Reads are bounded, so a book previews its opening.

use std::fs::File;
use std::io::Read;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{IoContext, Result};
use crate::library::Library;

/// How much of the content a preview shows.
pub const PREVIEW_BYTES: u64 = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "kind")]
pub enum Preview {
    /// Plain text, shown as it is.
    Text { text: String, truncated: bool },
    /// Sanitised HTML, safe to insert into the page.
    Html { html: String, truncated: bool },
    /// An image: the thumbnail is the preview.
    Image,
    /// No preview for this type.
    None,
}

impl Library {
    pub fn preview(&self, id: &str) -> Result<Preview> {
        let resource = self.resource(id)?;
        let kind = resource.media_type.as_str();
        if kind.starts_with("image/") {
            return Ok(Preview::Image);
        }
        if !matches!(kind, "text/plain" | "text/csv" | "text/markdown" | "text/html") {
            return Ok(Preview::None);
        }
        let path = self.store.path(resource.object);
        let mut bytes = Vec::new();
        File::open(&path)
            .at("open", &path)?
            .take(PREVIEW_BYTES + 1)
            .read_to_end(&mut bytes)
            .at("read", &path)?;
        let truncated = bytes.len() as u64 > PREVIEW_BYTES;
        bytes.truncate(PREVIEW_BYTES as usize);
        let text =
            String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
        Ok(match kind {
            "text/markdown" => Preview::Html { html: sanitise(&markdown_to_html(&text)), truncated },
            "text/html" => Preview::Html { html: sanitise(&text), truncated },
            _ => Preview::Text { text, truncated },
        })
    }
}

fn markdown_to_html(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// Keeps the structure of a document (headings, paragraphs, lists, tables, emphasis, code) and
/// drops everything that could act: scripts and styles with their content, attributes that run
/// code or load things, links (their text stays) and images.
pub(crate) fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .rm_tags(["a", "img"])
        .rm_generic_attributes(["lang", "title"])
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_links_and_images_are_removed_and_the_text_stays() {
        let dirty = r#"<h1 onclick="steal()">Cells</h1><script>alert(1)</script><style>body{display:none}</style>
            <p>See <a href="javascript:alert(2)">this page</a> <img src="x" onerror="alert(3)"> and <b>read</b>.</p>
            <iframe src="https://example.org"></iframe><form action="/x"><input name="q"></form>"#;
        let clean = sanitise(dirty);
        for forbidden in
            ["script", "alert", "onclick", "onerror", "<a", "<img", "iframe", "<style", "<form", "<input"]
        {
            assert!(!clean.contains(forbidden), "{forbidden} survived: {clean}");
        }
        assert!(
            clean.contains("<h1>Cells</h1>") && clean.contains("this page") && clean.contains("<b>read</b>"),
            "{clean}"
        );
    }

    #[test]
    fn markdown_is_rendered_then_sanitised() {
        let html =
            sanitise(&markdown_to_html("# Fractions\n\n*Half* of <script>x</script> [link](javascript:y)\n"));
        assert!(html.contains("<h1>Fractions</h1>") && html.contains("<em>Half</em>"), "{html}");
        assert!(!html.contains("script") && !html.contains("javascript"), "{html}");
    }
}
