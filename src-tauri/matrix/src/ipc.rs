//! The transport's types in the IPC contract's words (the `ipc` feature, for the shell and the
//! CLI): accounts, send outcomes, notifications, and the one error type with its kind. Here rather
//! than in `commonplace-ipc` because that crate never depends on an HTTP client.

use commonplace_ipc::{
    AccountInfo, Connection, ErrorKind, IpcError, MessagingChanged, MessagingLock, NotificationLevel,
    NotificationSettingsInfo, ReaderDevice, RoomNotificationLevel, RoomReader, SendResult, SendStatus,
    fingerprint,
};
use commonplace_messaging::Error as Messaging;

use crate::messenger::{AccountStatus, ConnectionState, LockState, Notification};
use crate::{Error, NotificationSettings, NotifyLevel, Reader, SendOutcome};

impl From<Error> for IpcError {
    fn from(error: Error) -> Self {
        let kind = match &error {
            Error::NoAccount { .. }
            | Error::UnknownAccount { .. }
            | Error::EventNotFound { .. }
            | Error::RoomNotFound { .. }
            | Error::NotFound { .. }
            | Error::NoDeviceToVerify { .. } => ErrorKind::NotFound,
            Error::InvalidTarget { .. }
            | Error::InvalidHomeserver { .. }
            | Error::InvalidWellKnown { .. }
            | Error::InvalidContentUri { .. }
            | Error::NotAnAttachment { .. }
            | Error::AttachmentTooLarge { .. }
            | Error::MediaTooLarge { .. }
            | Error::AmbiguousDevice { .. } => ErrorKind::InvalidInput,
            Error::Forbidden { .. } | Error::UnknownToken { .. } | Error::KeysLocked => ErrorKind::Forbidden,
            Error::Unreachable { .. }
            | Error::TimedOut { .. }
            | Error::RateLimited { .. }
            | Error::AccountStorage { .. }
            | Error::AccountFile { .. }
            | Error::WriteMedia { .. }
            | Error::ResponseBody { .. } => ErrorKind::Io,
            Error::Messaging(
                Messaging::WrongPickleKey { .. }
                | Messaging::AccountMismatch { .. }
                | Messaging::WrongPassphrase,
            ) => ErrorKind::Forbidden,
            Error::Messaging(Messaging::StoreTooNew { .. }) => ErrorKind::Unsupported,
            Error::Messaging(
                Messaging::Store { .. }
                | Messaging::TimelineStore { .. }
                | Messaging::AttachmentIo { .. }
                | Messaging::PassphraseFile { .. },
            ) => ErrorKind::Io,
            Error::Messaging(
                Messaging::InvalidPickleKey { .. }
                | Messaging::PickleKeyMissing { .. }
                | Messaging::PassphraseTooShort { .. }
                | Messaging::InvalidEncryptedFile { .. }
                | Messaging::AttachmentHashMismatch { .. }
                | Messaging::VerifyOwnDevice { .. },
            ) => ErrorKind::InvalidInput,
            Error::Messaging(
                Messaging::UnknownDevice { .. }
                | Messaging::UnknownVerification { .. }
                | Messaging::NoDevicesToVerify { .. },
            ) => ErrorKind::NotFound,
            Error::Messaging(Messaging::VerificationState { .. }) => ErrorKind::Conflict,
            _ => ErrorKind::Internal,
        };
        IpcError::new(kind, error.to_string())
    }
}

impl From<LockState> for MessagingLock {
    fn from(state: LockState) -> Self {
        match state {
            LockState::NotSetUp => MessagingLock::NotSetUp,
            LockState::Locked => MessagingLock::Locked,
            LockState::Unlocked => MessagingLock::Unlocked,
        }
    }
}

impl From<ConnectionState> for Connection {
    fn from(state: ConnectionState) -> Self {
        match state {
            ConnectionState::Connecting => Connection::Connecting,
            ConnectionState::Online => Connection::Online,
            ConnectionState::Offline => Connection::Offline,
            ConnectionState::SignedOut => Connection::SignedOut,
        }
    }
}

impl From<AccountStatus> for AccountInfo {
    fn from(status: AccountStatus) -> Self {
        AccountInfo {
            user_id: status.entry.user_id,
            device_id: status.entry.device_id,
            homeserver: status.entry.homeserver,
            connection: status.connection.into(),
            problem: status.problem,
        }
    }
}

impl From<SendOutcome> for SendResult {
    fn from(outcome: SendOutcome) -> Self {
        match outcome {
            SendOutcome::Sent { room_id, event_id, .. } => {
                SendResult { status: SendStatus::Sent, room_id, event_id: Some(event_id) }
            }
            SendOutcome::Queued { room_id, .. } => {
                SendResult { status: SendStatus::Queued, room_id, event_id: None }
            }
        }
    }
}

impl From<Notification> for MessagingChanged {
    fn from(notification: Notification) -> Self {
        MessagingChanged {
            user_id: notification.user_id,
            rooms: notification.rooms,
            connection: notification.connection.into(),
            problem: notification.problem,
            verifications: notification.verifications,
        }
    }
}

impl From<NotifyLevel> for NotificationLevel {
    fn from(level: NotifyLevel) -> Self {
        match level {
            NotifyLevel::All => NotificationLevel::All,
            NotifyLevel::Mentions => NotificationLevel::Mentions,
            NotifyLevel::Off => NotificationLevel::Off,
        }
    }
}

impl From<NotificationLevel> for NotifyLevel {
    fn from(level: NotificationLevel) -> Self {
        match level {
            NotificationLevel::All => NotifyLevel::All,
            NotificationLevel::Mentions => NotifyLevel::Mentions,
            NotificationLevel::Off => NotifyLevel::Off,
        }
    }
}

/// `account`'s part of the settings, with do-not-disturb.
pub fn notification_settings_of(settings: &NotificationSettings, account: &str) -> NotificationSettingsInfo {
    NotificationSettingsInfo {
        do_not_disturb: settings.do_not_disturb,
        rooms: settings
            .rooms
            .get(account)
            .into_iter()
            .flatten()
            .map(|(room_id, level)| RoomNotificationLevel {
                room_id: room_id.clone(),
                level: (*level).into(),
            })
            .collect(),
    }
}

impl From<Reader> for RoomReader {
    fn from(reader: Reader) -> Self {
        RoomReader {
            user_id: reader.user_id,
            membership: reader.membership.into(),
            devices: reader
                .devices
                .into_iter()
                .map(|device| ReaderDevice {
                    device_id: device.device_id,
                    display_name: device.display_name,
                    fingerprint: fingerprint(&device.ed25519),
                    is_new: device.is_new,
                    verified: device.verified,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_keys_and_a_wrong_passphrase_are_forbidden_and_say_what_to_do() {
        let locked = IpcError::from(Error::KeysLocked);
        assert_eq!(locked.kind, ErrorKind::Forbidden);
        assert!(locked.message.contains("passphrase"), "{}", locked.message);
        let wrong = IpcError::from(Error::Messaging(Messaging::WrongPassphrase));
        assert_eq!(wrong.kind, ErrorKind::Forbidden);
        let short = IpcError::from(Error::Messaging(Messaging::PassphraseTooShort { minimum: 8 }));
        assert_eq!(short.kind, ErrorKind::InvalidInput);
        assert!(short.message.contains('8'), "{}", short.message);
    }

    #[test]
    fn a_queued_message_crosses_ipc_without_an_event_id() {
        let queued = SendOutcome::Queued { room_id: "!room".into(), transaction_id: "t1".into() };
        assert_eq!(
            SendResult::from(queued),
            SendResult { status: SendStatus::Queued, room_id: "!room".into(), event_id: None }
        );
    }
}
