//! Desktop notifications of new messages, through the system's notification service (Tauri's
//! notification plugin). Which messages deserve one is decided in `commonplace-matrix`
//! (`NotificationSettings`); this only shows them — and not while the window has the focus, where
//! the conversation already shows the message.

use commonplace_messaging::TimelineEvent;
use tauri::{AppHandle, Manager, Runtime};

/// The longest message text a notification shows.
const PREVIEW_CHARACTERS: usize = 140;

pub fn show<R: Runtime>(app: &AppHandle<R>, messages: &[TimelineEvent]) {
    if messages.is_empty() {
        return;
    }
    let focused = app.get_webview_window("main").and_then(|window| window.is_focused().ok()).unwrap_or(false);
    // On the mock runtime, and where the plugin is not set up, there is nothing to show with.
    let Some(notifications) = app.try_state::<tauri_plugin_notification::Notification<R>>() else { return };
    if focused {
        return;
    }
    for message in messages {
        let body = match (&message.undecryptable_reason, &message.body) {
            (Some(_), _) | (None, None) => "🔒 …".to_owned(),
            (None, Some(body)) => preview(body),
        };
        if let Err(error) = notifications.builder().title(&message.sender).body(body).show() {
            tracing::debug!(%error, "a desktop notification could not be shown");
        }
    }
}

/// The start of a message on one line, cut at a character boundary.
fn preview(body: &str) -> String {
    let line: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(PREVIEW_CHARACTERS) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::preview;

    #[test]
    fn previews_are_one_line_and_short() {
        assert_eq!(preview("Hello\n\n  colleague"), "Hello colleague");
        let long = "é".repeat(200);
        assert_eq!(preview(&long).chars().count(), 141);
    }
}
