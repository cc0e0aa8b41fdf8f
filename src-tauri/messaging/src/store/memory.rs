//! [`MemoryStore`]: the crypto store in memory, for tests and throwaway machines. It keeps the same
//! encrypted pickles the SQLite store keeps, so the two behave alike.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    AccountRecord, Changes, CryptoStore, InboundGroupSessionRecord, OutboundGroupSessionRecord,
    SessionRecord, TrackedUser,
};
use crate::error::Result;
use crate::types::{DeviceId, DeviceInfo, UserId};

#[derive(Debug, Default)]
pub struct MemoryStore {
    account: Option<AccountRecord>,
    sessions: BTreeMap<String, SessionRecord>,
    inbound_group_sessions: BTreeMap<(String, String), InboundGroupSessionRecord>,
    outbound_group_sessions: BTreeMap<String, OutboundGroupSessionRecord>,
    devices: BTreeMap<(UserId, DeviceId), DeviceInfo>,
    tracked_users: BTreeMap<UserId, TrackedUser>,
    processed_messages: BTreeSet<String>,
    room_event_indices: BTreeMap<(String, u32), String>,
    sync_token: Option<String>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl CryptoStore for MemoryStore {
    fn load_account(&self) -> Result<Option<AccountRecord>> {
        Ok(self.account.clone())
    }

    fn load_sessions(&self) -> Result<Vec<SessionRecord>> {
        let mut sessions: Vec<SessionRecord> = self.sessions.values().cloned().collect();
        sessions.sort_by_key(|session| session.sequence);
        Ok(sessions)
    }

    fn load_inbound_group_sessions(&self) -> Result<Vec<InboundGroupSessionRecord>> {
        Ok(self.inbound_group_sessions.values().cloned().collect())
    }

    fn load_outbound_group_sessions(&self) -> Result<Vec<OutboundGroupSessionRecord>> {
        Ok(self.outbound_group_sessions.values().cloned().collect())
    }

    fn load_devices(&self) -> Result<Vec<DeviceInfo>> {
        Ok(self.devices.values().cloned().collect())
    }

    fn load_tracked_users(&self) -> Result<Vec<TrackedUser>> {
        Ok(self.tracked_users.values().cloned().collect())
    }

    fn load_sync_token(&self) -> Result<Option<String>> {
        Ok(self.sync_token.clone())
    }

    fn is_message_processed(&self, hash: &str) -> Result<bool> {
        Ok(self.processed_messages.contains(hash))
    }

    fn room_event_index(&self, session_id: &str, message_index: u32) -> Result<Option<String>> {
        Ok(self.room_event_indices.get(&(session_id.to_owned(), message_index)).cloned())
    }

    fn save_changes(&mut self, changes: Changes) -> Result<()> {
        if let Some(account) = changes.account {
            self.account = Some(account);
        }
        for session in changes.sessions {
            self.sessions.insert(session.session_id.clone(), session);
        }
        for session in changes.inbound_group_sessions {
            self.inbound_group_sessions
                .insert((session.room_id.clone(), session.session_id.clone()), session);
        }
        for session in changes.outbound_group_sessions {
            self.outbound_group_sessions.insert(session.room_id.clone(), session);
        }
        for device in changes.devices {
            self.devices.insert((device.user_id.clone(), device.device_id.clone()), device);
        }
        for key in changes.deleted_devices {
            self.devices.remove(&key);
        }
        for user in changes.tracked_users {
            self.tracked_users.insert(user.user_id.clone(), user);
        }
        for user in changes.untracked_users {
            self.tracked_users.remove(&user);
        }
        self.processed_messages.extend(changes.processed_messages);
        for index in changes.room_event_indices {
            self.room_event_indices.entry((index.session_id, index.message_index)).or_insert(index.event_id);
        }
        if let Some(token) = changes.sync_token {
            self.sync_token = Some(token);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make_store() -> (MemoryStore, ()) {
        (MemoryStore::new(), ())
    }

    cryptostore_conformance_tests!(make_store);
}
