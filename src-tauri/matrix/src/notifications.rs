//! Which new messages become desktop notifications. Each conversation of each account is set to
//! all messages, mentions only, or off (all by default), and do-not-disturb silences every account
//! of the device. The settings live in `notifications.json` beside the accounts.
//!
//! What it is not: the showing of a notification (the app does that, with the system's own
//! notification service) nor push rules on the homeserver.

use std::collections::BTreeMap;
use std::path::Path;

use commonplace_messaging::TimelineEvent;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Error, Result};

/// The file beside the accounts.
pub const NOTIFICATIONS_FILE: &str = "notifications.json";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyLevel {
    #[default]
    All,
    /// Only messages that name this account.
    Mentions,
    Off,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    #[serde(default)]
    pub do_not_disturb: bool,
    /// Levels that differ from the default, by account user id, then room id.
    #[serde(default)]
    pub rooms: BTreeMap<String, BTreeMap<String, NotifyLevel>>,
}

impl NotificationSettings {
    /// The settings in `data_dir`; the defaults when there are none yet. A damaged file is
    /// reported, not silently replaced, so nobody loses their choices without being told.
    pub fn load(data_dir: &Path) -> Result<Self> {
        let path = data_dir.join(NOTIFICATIONS_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| Error::AccountFile { path, source }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(Error::AccountStorage { action: "read", path, source }),
        }
    }

    pub fn save(&self, data_dir: &Path) -> Result<()> {
        let path = data_dir.join(NOTIFICATIONS_FILE);
        let bytes = serde_json::to_vec_pretty(self)
            .map_err(|source| Error::AccountFile { path: path.clone(), source })?;
        std::fs::create_dir_all(data_dir).map_err(|source| Error::AccountStorage {
            action: "create",
            path: data_dir.to_path_buf(),
            source,
        })?;
        crate::runtime::write_atomically(&path, &bytes, false)
    }

    pub fn level(&self, account: &str, room_id: &str) -> NotifyLevel {
        self.rooms.get(account).and_then(|rooms| rooms.get(room_id)).copied().unwrap_or_default()
    }

    /// Sets a conversation's level; the default is not stored.
    pub fn set_level(&mut self, account: &str, room_id: &str, level: NotifyLevel) {
        let rooms = self.rooms.entry(account.to_owned()).or_default();
        if level == NotifyLevel::default() {
            rooms.remove(room_id);
        } else {
            rooms.insert(room_id.to_owned(), level);
        }
        if rooms.is_empty() {
            self.rooms.remove(account);
        }
    }

    /// Whether `event`, new in one of `account`'s conversations, deserves a notification: a
    /// message from someone else, while not in do-not-disturb, in a conversation that is not off
    /// (and, for mentions only, that names the account).
    pub fn should_notify(&self, account: &str, event: &TimelineEvent) -> bool {
        let is_message = event.event_type == "m.room.message" || event.undecryptable_reason.is_some();
        if self.do_not_disturb || !is_message || event.sender == account {
            return false;
        }
        match self.level(account, &event.room_id) {
            NotifyLevel::All => true,
            NotifyLevel::Off => false,
            NotifyLevel::Mentions => mentions(account, event),
        }
    }
}

/// Whether a message names `account`: in its `m.mentions` (the spec's intentional mentions), or in
/// its text by user id or by the name before the server, as a word of its own.
fn mentions(account: &str, event: &TimelineEvent) -> bool {
    let listed = event
        .content
        .pointer("/m.mentions/user_ids")
        .and_then(Value::as_array)
        .is_some_and(|users| users.iter().any(|user| user.as_str() == Some(account)));
    if listed {
        return true;
    }
    let Some(body) = event.body.as_deref() else { return false };
    let body = body.to_lowercase();
    let account = account.to_lowercase();
    if body.contains(&account) {
        return true;
    }
    let name = account.trim_start_matches('@').split(':').next().unwrap_or_default();
    !name.is_empty()
        && body
            .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-' && c != '.')
            .any(|word| word == name)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ANA: &str = "@ana:example.org";

    fn message(sender: &str, body: &str) -> TimelineEvent {
        let content = json!({ "msgtype": "m.text", "body": body });
        let raw =
            json!({ "event_id": "$e", "sender": sender, "origin_server_ts": 1, "content": content.clone() });
        TimelineEvent::from_content(&raw, "!room", "m.room.message", content, true)
    }

    #[test]
    fn levels_and_do_not_disturb_decide() {
        let mut settings = NotificationSettings::default();
        let from_bo = message("@bo:example.org", "the plan is ready");
        assert!(settings.should_notify(ANA, &from_bo), "all messages by default");
        assert!(!settings.should_notify(ANA, &message(ANA, "my own")), "never one's own");

        settings.set_level(ANA, "!room", NotifyLevel::Mentions);
        assert!(!settings.should_notify(ANA, &from_bo));
        assert!(settings.should_notify(ANA, &message("@bo:example.org", "Ana, the plan is ready")));
        assert!(settings.should_notify(ANA, &message("@bo:example.org", "cc @ana:example.org")));
        assert!(
            !settings.should_notify(ANA, &message("@bo:example.org", "banana bread")),
            "a word, not a part"
        );
        let for_bo = message("@cy:example.org", "hi");
        assert!(settings.should_notify("@bo:example.org", &for_bo), "each account has its own levels");

        settings.set_level(ANA, "!room", NotifyLevel::Off);
        assert!(!settings.should_notify(ANA, &message("@bo:example.org", "Ana!")));
        settings.set_level(ANA, "!room", NotifyLevel::All);
        assert!(settings.rooms.is_empty(), "the default is not stored");

        settings.do_not_disturb = true;
        assert!(!settings.should_notify(ANA, &from_bo));
    }

    #[test]
    fn intentional_mentions_count() {
        let content =
            json!({ "msgtype": "m.text", "body": "see above", "m.mentions": { "user_ids": [ANA] } });
        let raw = json!({ "event_id": "$e", "sender": "@bo:example.org", "origin_server_ts": 1 });
        let event = TimelineEvent::from_content(&raw, "!room", "m.room.message", content, true);
        let mut settings = NotificationSettings::default();
        settings.set_level(ANA, "!room", NotifyLevel::Mentions);
        assert!(settings.should_notify(ANA, &event));
    }

    #[test]
    fn settings_survive_a_restart_and_their_file_format_is_pinned() {
        let folder = tempfile::tempdir().unwrap();
        assert_eq!(NotificationSettings::load(folder.path()).unwrap(), NotificationSettings::default());
        let mut settings = NotificationSettings { do_not_disturb: true, ..NotificationSettings::default() };
        settings.set_level(ANA, "!staff", NotifyLevel::Mentions);
        settings.save(folder.path()).unwrap();
        assert_eq!(NotificationSettings::load(folder.path()).unwrap(), settings);
        insta::assert_json_snapshot!(settings, @r#"
        {
          "do_not_disturb": true,
          "rooms": {
            "@ana:example.org": {
              "!staff": "mentions"
            }
          }
        }
        "#);
        std::fs::write(folder.path().join(NOTIFICATIONS_FILE), "{ damaged").unwrap();
        assert!(NotificationSettings::load(folder.path()).is_err());
    }
}
