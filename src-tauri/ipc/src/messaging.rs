//! The messaging part of the contract: accounts on Matrix homeservers, their conversations and
//! messages, as the window sees them. Built from `commonplace-messaging`'s timeline types; the
//! transport's own types (accounts, send outcomes, errors) are converted in `commonplace-matrix`
//! behind its `ipc` feature, because this crate never depends on an HTTP client.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether this device's message keys can be used: they are kept encrypted under a key derived
/// from the person's passphrase (or given by `COMMONPLACE_PICKLE_KEY`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MessagingLock {
    /// No passphrase was chosen yet: the first one given becomes it.
    NotSetUp,
    /// A passphrase protects the keys and has not been given since the app started.
    Locked,
    Unlocked,
}

/// How an account is reaching its homeserver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Connection {
    Connecting,
    Online,
    /// Unreachable for now; messages written meanwhile wait and go out once it is back.
    Offline,
    /// The homeserver no longer accepts this device (signed out elsewhere): sign in again.
    SignedOut,
}

/// One Matrix identity on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    /// `@name:server`.
    pub user_id: String,
    pub device_id: String,
    /// The homeserver's URL.
    pub homeserver: String,
    pub connection: Connection,
    /// Why it is offline or signed out, in a sentence.
    pub problem: Option<String>,
}

/// Whether the key that unlocks messages can be remembered in the system keyring (so the
/// passphrase is not asked at every start), and whether it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum KeyringState {
    /// No system keyring here: the passphrase is asked at each start.
    Unavailable,
    Available,
    Remembered,
}

/// Messaging on this device: whether its keys are unlocked, and its accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessagingStatus {
    pub lock: MessagingLock,
    pub keyring: KeyringState,
    pub accounts: Vec<AccountInfo>,
}

/// The passphrase that unlocks (or, the first time, protects) this device's message keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UnlockMessagingRequest {
    pub passphrase: String,
    /// Remember the key in the system keyring, so the passphrase is not asked at the next start
    /// (false forgets one remembered before).
    pub remember: bool,
}

/// Sign in to a homeserver and add the account on this device.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddAccountRequest {
    /// The homeserver's URL or its server name (`example.org`, found through `.well-known`).
    pub homeserver: String,
    /// `@name:server` or just `name`.
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for AddAccountRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("AddAccountRequest")
            .field("homeserver", &self.homeserver)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Names one account on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountRequest {
    pub user_id: String,
}

/// Names one conversation of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoomRequest {
    pub user_id: String,
    pub room_id: String,
}

/// The latest messages of a conversation, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListMessagesRequest {
    pub user_id: String,
    pub room_id: String,
    pub limit: u32,
}

/// A direct conversation with one person: the existing one, or a new encrypted one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenDirectRequest {
    pub user_id: String,
    /// The other person, `@name:server`.
    pub with: String,
}

/// A new encrypted group conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreateGroupRequest {
    pub user_id: String,
    pub name: String,
    /// The people to invite, `@name:server`.
    pub invite: Vec<String>,
}

/// Invite someone into a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InviteRequest {
    pub user_id: String,
    pub room_id: String,
    /// `@name:server`.
    pub invitee: String,
}

/// Send a file the person picked (through the system's open dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendFileRequest {
    pub user_id: String,
    pub room_id: String,
    pub path: String,
}

/// Names one message of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageRequest {
    pub user_id: String,
    pub event_id: String,
}

/// Save a message's attachment where the person chose (through the system's save dialog).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveAttachmentRequest {
    pub user_id: String,
    pub event_id: String,
    pub destination: String,
}

/// A message written in Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendTextRequest {
    pub user_id: String,
    pub room_id: String,
    pub text: String,
}

/// Where a written message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SendStatus {
    Sent,
    /// The homeserver could not be reached: it waits on this device and goes out, once, in order.
    Queued,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendResult {
    pub status: SendStatus,
    pub room_id: String,
    pub event_id: Option<String>,
}

/// Whether this account is in a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RoomMembership {
    Joined,
    Invited,
    Left,
}

impl From<commonplace_messaging::Membership> for RoomMembership {
    fn from(membership: commonplace_messaging::Membership) -> Self {
        use commonplace_messaging::Membership;
        match membership {
            Membership::Join => RoomMembership::Joined,
            Membership::Invite | Membership::Knock => RoomMembership::Invited,
            Membership::Leave | Membership::Ban => RoomMembership::Left,
        }
    }
}

/// One conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoomInfo {
    pub room_id: String,
    pub name: Option<String>,
    /// The other person, when it is a direct conversation.
    pub direct_with: Option<String>,
    /// Whether messages in it are end-to-end encrypted.
    pub encrypted: bool,
    pub membership: RoomMembership,
}

impl From<commonplace_messaging::RoomSummary> for RoomInfo {
    fn from(room: commonplace_messaging::RoomSummary) -> Self {
        RoomInfo {
            room_id: room.room_id,
            name: room.name,
            direct_with: room.direct_with,
            encrypted: room.encrypted,
            membership: room.membership.into(),
        }
    }
}

/// What a message is, for how the window shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MessageKind {
    Text,
    Notice,
    Emote,
    File,
    Image,
    /// It arrived encrypted and could not be decrypted; `undecryptableReason` says why.
    Undecryptable,
    /// Something this version does not show (a call, a poll…).
    Other,
}

/// One device of someone who can read a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReaderDevice {
    pub device_id: String,
    pub display_name: Option<String>,
    /// The device's signing key in groups of four, to compare with what the person's own app shows.
    pub fingerprint: String,
    /// It appeared after their other devices were known: the window flags it until acknowledged.
    pub is_new: bool,
    /// Someone compared emoji (or numbers) with this device from here, and they matched.
    pub verified: bool,
}

/// Someone who can read what is sent in a conversation now, with their devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoomReader {
    pub user_id: String,
    pub membership: RoomMembership,
    pub devices: Vec<ReaderDevice>,
}

/// The person has seen a contact's new device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcknowledgeDeviceRequest {
    pub user_id: String,
    /// The contact.
    pub owner: String,
    pub device_id: String,
}

/// Search the decrypted messages of an account on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchMessagesRequest {
    pub user_id: String,
    pub query: String,
    pub limit: u32,
}

/// A key in groups of four characters, the way people read fingerprints aloud.
pub fn fingerprint(key: &str) -> String {
    key.chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Which new messages of a conversation become desktop notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum NotificationLevel {
    All,
    /// Only messages that name the account.
    Mentions,
    Off,
}

/// A conversation whose level is not the default (all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoomNotificationLevel {
    pub room_id: String,
    pub level: NotificationLevel,
}

/// An account's notification settings, and do-not-disturb (for every account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NotificationSettingsInfo {
    pub do_not_disturb: bool,
    pub rooms: Vec<RoomNotificationLevel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetRoomNotificationsRequest {
    pub user_id: String,
    pub room_id: String,
    pub level: NotificationLevel,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetDoNotDisturbRequest {
    pub enabled: bool,
}

/// Share a resource of the library into a conversation, with its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareResourceRequest {
    pub user_id: String,
    pub room_id: String,
    pub resource_id: String,
    /// The person confirmed sharing content without an open licence.
    pub confirmed: bool,
}

/// Save the resource a message carries into the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveResourceRequest {
    pub user_id: String,
    pub event_id: String,
}

/// The card of a resource shared in a conversation: what it is, its licence and credit, and what
/// it was copied from — shown before anything is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResourceCard {
    pub resource_id: String,
    pub revision_id: String,
    pub title: String,
    pub description: String,
    pub creators: Vec<String>,
    /// An SPDX id, or `unknown`, `all-rights-reserved`, `public-domain`.
    pub licence: String,
    pub language: String,
    /// The TASL credit, as a sentence.
    pub attribution: String,
    /// The credits of what it was copied from, nearest first.
    pub sources: Vec<String>,
}

impl From<commonplace_library::SharedResource> for ResourceCard {
    fn from(card: commonplace_library::SharedResource) -> Self {
        ResourceCard {
            resource_id: card.resource_id,
            revision_id: card.revision_id,
            title: card.title,
            description: card.description,
            creators: card.creators,
            licence: card.licence,
            language: card.language,
            attribution: card.attribution,
            sources: card.sources.into_iter().map(|source| source.attribution).collect(),
        }
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageInfo {
    pub event_id: String,
    pub room_id: String,
    pub sender: String,
    /// Milliseconds since 1970, by the homeserver's clock.
    pub timestamp: u64,
    pub kind: MessageKind,
    /// The plain text (for a file, its name).
    pub body: Option<String>,
    /// The formatted text as HTML, sanitised here: only text markup and http(s)/mailto links,
    /// never script, style, images or handlers.
    pub html: Option<String>,
    /// Whether it arrived end-to-end encrypted.
    pub encrypted: bool,
    pub undecryptable_reason: Option<String>,
    /// The resource a file message shares, when it came from Commonplace.
    pub resource: Option<ResourceCard>,
}

impl From<commonplace_messaging::TimelineEvent> for MessageInfo {
    fn from(event: commonplace_messaging::TimelineEvent) -> Self {
        let kind = if event.undecryptable_reason.is_some() {
            MessageKind::Undecryptable
        } else {
            match (event.event_type.as_str(), event.msgtype.as_deref()) {
                ("m.room.message", Some("m.text")) => MessageKind::Text,
                ("m.room.message", Some("m.notice")) => MessageKind::Notice,
                ("m.room.message", Some("m.emote")) => MessageKind::Emote,
                ("m.room.message", Some("m.file" | "m.audio" | "m.video")) => MessageKind::File,
                ("m.room.message", Some("m.image")) => MessageKind::Image,
                _ => MessageKind::Other,
            }
        };
        let formatted =
            event.content.get("format").and_then(serde_json::Value::as_str) == Some("org.matrix.custom.html");
        let html = match (&event.formatted_body, formatted, kind) {
            (Some(html), true, MessageKind::Text | MessageKind::Notice | MessageKind::Emote) => {
                Some(commonplace_messaging::content::sanitise_html(html))
            }
            _ => None,
        };
        let resource = match kind {
            MessageKind::File => {
                commonplace_library::SharedResource::from_content(&event.content).map(ResourceCard::from)
            }
            _ => None,
        };
        MessageInfo {
            resource,
            event_id: event.event_id,
            room_id: event.room_id,
            sender: event.sender,
            timestamp: event.origin_server_ts,
            kind,
            body: event.body,
            html,
            encrypted: event.encrypted,
            undecryptable_reason: event.undecryptable_reason,
        }
    }
}

/// Where a verification of another device stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum VerificationStep {
    /// We asked; the other device has not answered yet.
    Requested,
    /// The other device asks to verify: accept or decline.
    Incoming,
    /// The devices are exchanging keys.
    Started,
    /// Compare the emoji with the other device, then confirm or say they differ.
    Compare,
    /// We confirmed; waiting for the other device.
    Confirmed,
    /// Both confirmed: the other device is verified.
    Done,
    Cancelled,
}

/// One emoji of the short authentication string, with its name from the Matrix spec's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SasEmoji {
    pub emoji: String,
    pub name: String,
}

/// An emoji verification with another device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerificationInfo {
    pub transaction_id: String,
    pub other_user: String,
    pub other_device: Option<String>,
    pub we_started: bool,
    pub step: VerificationStep,
    /// The seven emoji to compare (empty before the keys are exchanged).
    pub emojis: Vec<SasEmoji>,
    /// The same check as three numbers, for devices that cannot show emoji.
    pub decimals: Vec<u16>,
    /// Why it was cancelled: the spec's code (`m.mismatched_sas`, `m.timeout`, …) and a sentence.
    pub cancel_code: Option<String>,
    pub cancel_reason: Option<String>,
    pub cancelled_by_us: bool,
}

impl From<commonplace_messaging::Verification> for VerificationInfo {
    fn from(verification: commonplace_messaging::Verification) -> Self {
        use commonplace_messaging::VerificationState as State;
        let step = match &verification.state {
            State::Requested => VerificationStep::Requested,
            State::Incoming => VerificationStep::Incoming,
            State::Started => VerificationStep::Started,
            State::KeysExchanged { .. } => VerificationStep::Compare,
            State::Confirmed { .. } => VerificationStep::Confirmed,
            State::Done { .. } => VerificationStep::Done,
            State::Cancelled { .. } => VerificationStep::Cancelled,
        };
        let short_auth = verification.state.short_auth();
        let emojis = short_auth
            .and_then(|short_auth| short_auth.emojis.as_ref())
            .map(|emojis| {
                emojis
                    .iter()
                    .map(|emoji| SasEmoji { emoji: emoji.emoji.to_owned(), name: emoji.name.to_owned() })
                    .collect()
            })
            .unwrap_or_default();
        let decimals =
            short_auth.and_then(|short_auth| short_auth.decimals).map(Vec::from).unwrap_or_default();
        let (cancel_code, cancel_reason, cancelled_by_us) = match &verification.state {
            State::Cancelled { code, reason, by_us } => {
                (Some(code.as_str().to_owned()), Some(reason.clone()), *by_us)
            }
            _ => (None, None, false),
        };
        VerificationInfo {
            transaction_id: verification.transaction_id,
            other_user: verification.other_user,
            other_device: verification.other_device,
            we_started: verification.we_started,
            step,
            emojis,
            decimals,
            cancel_code,
            cancel_reason,
            cancelled_by_us,
        }
    }
}

/// Verify a device of someone (or one's own other device) by comparing emoji.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartVerificationRequest {
    pub user_id: String,
    /// Whose device: `@name:server`.
    pub owner: String,
    pub device_id: String,
}

/// Names one verification of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerificationRequest {
    pub user_id: String,
    pub transaction_id: String,
}

/// End a verification: the person declined, or said the emoji differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CancelVerificationRequest {
    pub user_id: String,
    pub transaction_id: String,
    /// The emoji were not the same on both devices (rather than: the person declined).
    pub mismatch: bool,
}

/// Sent to the window when an account's conversations changed or its connection did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessagingChanged {
    pub user_id: String,
    /// The conversations with news (new messages, membership, names).
    pub rooms: Vec<String>,
    pub connection: Connection,
    pub problem: Option<String>,
    /// Verifications that moved on (someone asks to verify, the emoji are ready, it is done).
    pub verifications: Vec<String>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(content: serde_json::Value) -> commonplace_messaging::TimelineEvent {
        let raw = json!({
            "event_id": "$1", "sender": "@ana:example.org", "origin_server_ts": 1_700_000_000_000u64,
            "type": "m.room.message", "content": content.clone(),
        });
        commonplace_messaging::TimelineEvent::from_content(&raw, "!room", "m.room.message", content, true)
    }

    #[test]
    fn formatted_text_is_sanitised_before_it_reaches_the_window() {
        let message = MessageInfo::from(event(json!({
            "msgtype": "m.text", "body": "hi", "format": "org.matrix.custom.html",
            "formatted_body": "<b>hi</b><script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">x</a>",
        })));
        insta::assert_json_snapshot!(message, @r#"
        {
          "eventId": "$1",
          "roomId": "!room",
          "sender": "@ana:example.org",
          "timestamp": 1700000000000,
          "kind": "text",
          "body": "hi",
          "html": "<b>hi</b><a rel=\"noopener noreferrer\">x</a>",
          "encrypted": true,
          "undecryptableReason": null,
          "resource": null
        }
        "#);
    }

    #[test]
    fn an_undecryptable_message_says_so_and_carries_no_html() {
        let raw = json!({"event_id": "$2", "sender": "@bo:example.org", "origin_server_ts": 5, "type": "m.room.encrypted", "content": {}});
        let event = commonplace_messaging::TimelineEvent::undecryptable(&raw, "!room", "no room key".into());
        let message = MessageInfo::from(event);
        assert_eq!(message.kind, MessageKind::Undecryptable);
        assert_eq!(message.undecryptable_reason.as_deref(), Some("no room key"));
        assert_eq!(message.html, None);
    }

    #[test]
    fn a_shared_resource_shows_as_a_card() {
        let message = MessageInfo::from(event(json!({
            "msgtype": "m.file", "body": "Fractions.commonplace",
            commonplace_library::SHARED_RESOURCE_KEY: {
                "version": 1, "resource_id": "r1", "revision_id": "v1", "title": "Fractions",
                "licence": "CC-BY-4.0", "attribution": "\"Fractions\" by Ana", "creators": ["Ana"],
                "sources": [{"resource_id": "r0", "revision_id": "v0", "attribution": "\"Halves\" by Bo"}],
            },
        })));
        assert_eq!(message.kind, MessageKind::File);
        let card = message.resource.expect("a card");
        assert_eq!((card.title.as_str(), card.licence.as_str()), ("Fractions", "CC-BY-4.0"));
        assert_eq!(card.sources, ["\"Halves\" by Bo"]);
        let text = MessageInfo::from(event(json!({
            "msgtype": "m.text", "body": "not a file",
            commonplace_library::SHARED_RESOURCE_KEY: { "version": 1 },
        })));
        assert_eq!(text.resource, None, "only file messages carry resources");
    }

    #[test]
    fn a_verification_shows_its_emoji_then_why_it_ended() {
        use commonplace_messaging::{CancelCode, ShortAuthString, Verification, VerificationState};
        let short_auth = ShortAuthString::from_bytes(&[0, 0, 0, 0, 0, 0], true, true);
        let mut verification = Verification {
            transaction_id: "t1".into(),
            other_user: "@bo:example.org".into(),
            other_device: Some("BOPHONE".into()),
            we_started: true,
            from_request: false,
            started_ms: 0,
            state: VerificationState::KeysExchanged { short_auth },
        };
        let info = VerificationInfo::from(verification.clone());
        assert_eq!(info.step, VerificationStep::Compare);
        assert_eq!(info.emojis.len(), 7);
        assert_eq!(info.emojis[0].name, "Dog", "all-zero bytes are seven dogs");
        assert_eq!(info.decimals, [1000, 1000, 1000]);
        verification.state = VerificationState::Cancelled {
            code: CancelCode::MismatchedSas,
            reason: "differ".into(),
            by_us: false,
        };
        let info = VerificationInfo::from(verification);
        assert_eq!(info.step, VerificationStep::Cancelled);
        assert_eq!(info.cancel_code.as_deref(), Some("m.mismatched_sas"));
        assert!(info.emojis.is_empty() && !info.cancelled_by_us);
    }

    #[test]
    fn fingerprints_read_in_groups_of_four() {
        assert_eq!(fingerprint("abcdefghij"), "abcd efgh ij");
        assert_eq!(fingerprint(""), "");
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let request = AddAccountRequest {
            homeserver: "https://example.org".into(),
            user: "ana".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{request:?}").contains("hunter2"));
    }
}
