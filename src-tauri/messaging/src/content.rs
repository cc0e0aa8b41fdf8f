//! Message contents: what Commonplace puts into `m.room.message` events. Text is written in
//! Markdown; its `formatted_body` is the Markdown rendered to HTML and then sanitised (ammonia), so
//! what we send is safe for any client to show, and a message without markup carries no HTML.
//!
//! Whatever arrives, whoever sent it, is sanitised again before it reaches the window
//! ([`sanitise_html`]): other clients may send any HTML.

use pulldown_cmark::{Event, Options, Parser, html};

/// The attribute the Matrix spec puts math in (`data-mx-maths`, holding the TeX).
const MATH_ATTRIBUTES: [&str; 1] = ["data-mx-maths"];
use serde_json::{Value, json};

/// The content of an `m.text` message written in Markdown: `body` is the Markdown as typed, and
/// `formatted_body` (with `format: org.matrix.custom.html`) its sanitised HTML — only when the
/// Markdown has markup, so plain text stays plain.
pub fn text_message(markdown: &str) -> Value {
    let mut content = json!({ "msgtype": "m.text", "body": markdown });
    if let Some(html) = markdown_to_html(markdown) {
        content["format"] = json!("org.matrix.custom.html");
        content["formatted_body"] = json!(html);
    }
    content
}

/// Sanitised HTML for `markdown`, or `None` when it is one plain paragraph.
pub fn markdown_to_html(markdown: &str) -> Option<String> {
    let options = Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH;
    let mut rendered = String::new();
    // Math (`$…$`, `$$…$$`) goes out the way the Matrix spec writes it: the TeX in
    // `data-mx-maths`, the TeX itself as the fallback a client without math shows.
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::InlineMath(tex) => {
            let tex = escape_html(&tex);
            Event::InlineHtml(format!("<span data-mx-maths=\"{tex}\"><code>{tex}</code></span>").into())
        }
        Event::DisplayMath(tex) => {
            let tex = escape_html(tex.trim());
            Event::InlineHtml(format!("<div data-mx-maths=\"{tex}\"><code>{tex}</code></div>").into())
        }
        other => other,
    });
    html::push_html(&mut rendered, events);
    let sanitised = ammonia::Builder::default()
        .add_tag_attributes("span", MATH_ATTRIBUTES)
        .add_tag_attributes("div", MATH_ATTRIBUTES)
        .link_rel(Some("noopener noreferrer"))
        .clean(&rendered)
        .to_string();
    // Display math is a block inside the paragraph Markdown put it in; the parser splits that
    // paragraph around it, leaving empty ones.
    let sanitised = sanitised.replace("<p></p>", "").trim_end().to_owned();
    let plain = format!("<p>{}</p>", escape_html(markdown.trim()));
    if sanitised == plain || sanitised.is_empty() {
        return None;
    }
    // A single paragraph is sent without its <p>, the way other clients send it.
    match sanitised.strip_prefix("<p>").and_then(|inner| inner.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => Some(inner.trim().to_owned()),
        _ => Some(sanitised),
    }
}

/// The `formatted_body` of a received message, made safe to show: the text markup the Matrix
/// spec suggests, links only to http(s) and mailto (opened by the window's own handler, never
/// followed in it), and nothing else — no script, style, images, frames or event handlers.
pub fn sanitise_html(html: &str) -> String {
    let tags = [
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "del",
        "strike",
        "code",
        "pre",
        "blockquote",
        "p",
        "br",
        "hr",
        "ul",
        "ol",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "span",
        "div",
        "sup",
        "sub",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "details",
        "summary",
    ];
    ammonia::Builder::empty()
        .add_tags(tags)
        .add_tag_attributes("a", ["href"])
        // Math stays TeX text in an attribute; the window renders it with KaTeX, which builds
        // its own markup from the TeX and runs nothing.
        .add_tag_attributes("span", MATH_ATTRIBUTES)
        .add_tag_attributes("div", MATH_ATTRIBUTES)
        .add_tag_attributes("ol", ["start"])
        .url_schemes(LINK_SCHEMES.into())
        // A relative address means nothing outside the sender's client.
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

/// The schemes a link in a message may have: the only ones the sanitiser keeps, and the only ones
/// the app hands to the system's browser or mail program.
pub const LINK_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// `url` when it is a link the app may hand to the system (an http(s) or mailto address with
/// nothing hidden in it), `None` otherwise.
pub fn external_link(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once(':')?;
    let allowed = LINK_SCHEMES.iter().any(|allowed| scheme.eq_ignore_ascii_case(allowed));
    let web = !scheme.eq_ignore_ascii_case("mailto");
    // Invisible characters (such as U+202E, which reverses how the rest is shown) could make the
    // address a person reads differ from the one opened.
    let invisible = |character: char| matches!(character, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}');
    let clean = !url
        .chars()
        .any(|character| character.is_control() || character.is_whitespace() || invisible(character));
    let has_host =
        !web || rest.strip_prefix("//").is_some_and(|after| !after.is_empty() && !after.starts_with('/'));
    (allowed && clean && has_host && !rest.is_empty()).then_some(url)
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_sanitised_and_plain_text_stays_plain() {
        let check = |markdown: &str, expected: Option<&str>| {
            assert_eq!(markdown_to_html(markdown).as_deref(), expected, "{markdown}");
        };
        check("hello", None);
        check("fish & chips", None);
        check("the **secret** plan", Some("the <strong>secret</strong> plan"));
        check("*hi*<script>alert(1)</script>", Some("<em>hi</em>"));
        check("[link](javascript:alert(1))", Some("<a rel=\"noopener noreferrer\">link</a>"));
        check("- one\n- two", Some("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"));
        let content = text_message("a *b*");
        assert_eq!(content["format"], "org.matrix.custom.html");
        assert_eq!(content["body"], "a *b*");
        assert!(text_message("plain").get("formatted_body").is_none());
        check(
            "area $\\pi r^2$ today",
            Some(r#"area <span data-mx-maths="\pi r^2"><code>\pi r^2</code></span> today"#),
        );
        check(
            "$$\n\\frac{1}{2}\n$$",
            Some(r#"<div data-mx-maths="\frac{1}{2}"><code>\frac{1}{2}</code></div>"#),
        );
        insta::assert_json_snapshot!(
            "markdown_text_message",
            text_message("Read *chapter 3* before **Monday**")
        );
    }

    #[test]
    fn only_plain_web_and_mail_links_go_to_the_system() {
        for url in ["https://example.org/a?b=c", "HTTP://example.org", "mailto:ana@example.org"] {
            assert_eq!(external_link(url), Some(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
            "https:///path",
            "https://example.org/a b",
            "https://example.org/\n",
            "mailto:",
            "example.org",
            "smb://server/share",
            "https://example.org/\u{202E}gpj.exe",
            "https://exa\u{200B}mple.org",
        ] {
            assert_eq!(external_link(url), None, "{url:?}");
        }
    }

    #[test]
    fn relative_links_are_dropped_from_received_html() {
        assert_eq!(
            sanitise_html(r##"<a href="/rooms">x</a><a href="#top">y</a>"##),
            r#"<a rel="noopener noreferrer">x</a><a rel="noopener noreferrer">y</a>"#
        );
    }

    #[test]
    fn received_math_keeps_its_tex_and_nothing_else() {
        let received = r#"<span data-mx-maths="x^2" onclick="alert(1)" style="color:red"><code>x^2</code></span><div data-mx-maths="\int" class="k">y</div>"#;
        assert_eq!(
            sanitise_html(received),
            r#"<span data-mx-maths="x^2"><code>x^2</code></span><div data-mx-maths="\int">y</div>"#
        );
    }
}
