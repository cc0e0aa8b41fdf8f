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

/// The editor's live preview of text being written: Markdown rendered with math kept as
/// `<span class="math math-inline">` / `math-display` for the window to typeset with KaTeX, or HTML
/// source. Sanitised like every preview, except that images may show other resources of the library,
/// written `![caption](resource:<id>)`: the only image source allowed, which the window resolves.
pub fn render_editor_preview(text: &str, mode: crate::EditorMode) -> String {
    let html = match mode {
        crate::EditorMode::Markdown => {
            use pulldown_cmark::{Options, Parser, html};
            // Front matter is metadata, shown in the details, not a heading in the preview.
            let options = Options::ENABLE_TABLES
                | Options::ENABLE_FOOTNOTES
                | Options::ENABLE_STRIKETHROUGH
                | Options::ENABLE_MATH
                | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
            let mut out = String::with_capacity(text.len() * 3 / 2);
            html::push_html(&mut out, Parser::new_ext(text, options));
            out
        }
        crate::EditorMode::Html => text.to_owned(),
        crate::EditorMode::Text => return ammonia::clean_text(text),
    };
    ammonia::Builder::default()
        .rm_tags(["a"])
        .rm_generic_attributes(["lang", "title"])
        .add_tag_attributes("span", ["class"])
        .add_tag_attributes("img", ["src", "alt"])
        .url_schemes(std::collections::HashSet::from(["resource"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("span", "class") => {
                matches!(value, "math math-inline" | "math math-display").then(|| value.into())
            }
            ("img", "src") => {
                let id = value.strip_prefix("resource:")?;
                uuid::Uuid::parse_str(id).is_ok().then(|| value.into())
            }
            _ => Some(value.into()),
        })
        .clean(&html)
        .to_string()
}

fn markdown_to_html(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS,
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
    fn the_editor_preview_keeps_math_and_library_images_only() {
        let markdown = "Area $\\pi r^2$\n\n$$x = 1$$\n\n![cell](resource:0b6f4f5e-6c1e-4bb4-9d43-0c1b7d1f2a10) \
                        ![remote](https://example.org/x.png) ![bad](resource:../../etc) <span class=\"evil\">s</span>\n";
        let html = render_editor_preview(markdown, crate::EditorMode::Markdown);
        assert!(html.contains(r#"<span class="math math-inline">\pi r^2</span>"#), "{html}");
        assert!(html.contains(r#"<span class="math math-display">x = 1</span>"#), "{html}");
        assert!(html.contains(r#"src="resource:0b6f4f5e-6c1e-4bb4-9d43-0c1b7d1f2a10""#), "{html}");
        assert!(!html.contains("example.org") && !html.contains("etc") && !html.contains("evil"), "{html}");
        let source =
            render_editor_preview("<p onclick=x()>Hi<script>y()</script></p>", crate::EditorMode::Html);
        assert_eq!(source, "<p>Hi</p>");
        assert_eq!(render_editor_preview("<b>", crate::EditorMode::Text), "&lt;b&gt;");
    }

    #[test]
    fn front_matter_is_not_shown_as_text() {
        let markdown = "---\ntitle: Fractions\nlicense: CC-BY-4.0\n---\n# Fractions\n";
        for html in [
            render_editor_preview(markdown, crate::EditorMode::Markdown),
            sanitise(&markdown_to_html(markdown)),
        ] {
            assert_eq!(html.trim(), "<h1>Fractions</h1>");
        }
    }

    #[test]
    fn markdown_is_rendered_then_sanitised() {
        let html =
            sanitise(&markdown_to_html("# Fractions\n\n*Half* of <script>x</script> [link](javascript:y)\n"));
        assert!(html.contains("<h1>Fractions</h1>") && html.contains("<em>Half</em>"), "{html}");
        assert!(!html.contains("script") && !html.contains("javascript"), "{html}");
    }
}
