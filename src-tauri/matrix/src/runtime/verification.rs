//! Interactive device verification for an [`Account`]: the transport's half of the machine's SAS
//! verification. Each call makes sure we know the other person's devices (fetching them first,
//! since they may share no room with us), asks the machine, and sends what the machine queued.
//! The protocol's progress arrives with syncs, like everything else; waiting is the caller's job
//! ([`Account::verification`] says where things stand).

use commonplace_messaging::{CancelCode, DeviceInfo, Verification};

use super::{Account, now_ms};
use crate::{Error, Result};

impl Account {
    /// Starts verifying a device of `user` with `m.key.verification.start`, the flow every client
    /// speaks (matrix-nio 0.25 included): `device_id`, or the user's only device. Returns the
    /// transaction id.
    pub async fn start_verification(&mut self, user: &str, device_id: Option<&str>) -> Result<String> {
        let devices = self.devices_to_verify(user, device_id).await?;
        let device = match devices.as_slice() {
            [only] => only.device_id.clone(),
            _ => {
                return Err(Error::AmbiguousDevice {
                    user: user.to_owned(),
                    devices: devices.iter().map(|device| device.device_id.clone()).collect(),
                });
            }
        };
        let transaction_id = self.machine.start_verification(user, &device, now_ms())?;
        self.send_outgoing().await?;
        Ok(transaction_id)
    }

    /// Asks `device_id` of `user`, or every device of theirs, to verify with
    /// `m.key.verification.request`; the first device that answers is the one verified. For
    /// clients that know requests (Commonplace, Element), not for libolm-era ones. Returns the
    /// transaction id.
    pub async fn request_verification(&mut self, user: &str, device_id: Option<&str>) -> Result<String> {
        let devices: Vec<String> = self
            .devices_to_verify(user, device_id)
            .await?
            .into_iter()
            .map(|device| device.device_id)
            .collect();
        let transaction_id = self.machine.request_verification(user, &devices, now_ms())?;
        self.send_outgoing().await?;
        Ok(transaction_id)
    }

    /// Accepts a verification someone else asked for.
    pub async fn accept_verification(&mut self, transaction_id: &str) -> Result<()> {
        // The machine asked for the other device's keys when the request came; make sure they are
        // here before accepting, since they are what gets verified.
        self.send_outgoing().await?;
        self.machine.accept_verification(transaction_id, now_ms())?;
        self.send_outgoing().await
    }

    /// The person says the emoji (or numbers) match.
    pub async fn confirm_verification(&mut self, transaction_id: &str) -> Result<()> {
        self.machine.confirm_verification(transaction_id, now_ms())?;
        self.send_outgoing().await
    }

    /// Cancels a verification: [`CancelCode::MismatchedSas`] when the person says the strings
    /// differ, [`CancelCode::User`] when they just stop.
    pub async fn cancel_verification(&mut self, transaction_id: &str, code: CancelCode) -> Result<()> {
        self.machine.cancel_verification(transaction_id, code, now_ms())?;
        self.send_outgoing().await
    }

    /// Where the verification `transaction_id` stands.
    pub fn verification(&self, transaction_id: &str) -> Option<Verification> {
        self.machine.verification(transaction_id)
    }

    /// Every verification since the account was opened, oldest first.
    pub fn verifications(&self) -> Vec<Verification> {
        self.machine.verifications()
    }

    /// `user`'s devices as the homeserver lists them now (without this device): the one named, or
    /// all of them.
    async fn devices_to_verify(&mut self, user: &str, device_id: Option<&str>) -> Result<Vec<DeviceInfo>> {
        self.machine.refresh_devices(user)?;
        self.send_outgoing().await?;
        let mut devices = self.machine.devices(user);
        devices.retain(|device| !(device.user_id == self.user_id() && device.device_id == self.device_id()));
        if let Some(wanted) = device_id {
            devices.retain(|device| device.device_id == wanted);
            if devices.is_empty() {
                return Err(Error::Messaging(commonplace_messaging::Error::UnknownDevice {
                    user: user.to_owned(),
                    device: wanted.to_owned(),
                }));
            }
        }
        if devices.is_empty() {
            return Err(Error::NoDeviceToVerify { user: user.to_owned() });
        }
        Ok(devices)
    }
}
