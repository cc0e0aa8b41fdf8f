//! A background task that keeps syncing: each response goes to a channel, transient failures
//! (the instance is away, rate limits, 5xx) are retried with [`Backoff`], and anything else — a
//! session that ended, say — stops the loop and is reported once.
//!
//! The channel is bounded, so a consumer that falls behind slows the syncing down instead of
//! piling responses up in memory. Dropping the [`SyncLoop`] (or its receiver) stops the task.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::{Backoff, Client, Error, SyncRequest, SyncResponse};

/// What the loop reports.
#[derive(Debug)]
pub enum SyncEvent {
    Synced(Box<SyncResponse>),
    /// A transient failure; the loop waits `wait` and tries again from the same position.
    Retrying {
        error: Error,
        attempt: u32,
        wait: Duration,
    },
    /// A failure that waiting will not fix; the loop has ended.
    Stopped(Error),
}

/// How the loop syncs.
pub struct SyncLoopOptions {
    /// Where to continue from; `None` for an initial sync.
    pub since: Option<String>,
    /// The long poll's length.
    pub timeout: Duration,
    pub filter: Option<String>,
    pub backoff: Backoff,
    /// A source of numbers in `[0, 1]` for the backoff's jitter (random in the app, fixed in tests).
    pub jitter: Box<dyn FnMut() -> f64 + Send>,
}

impl Default for SyncLoopOptions {
    fn default() -> Self {
        SyncLoopOptions {
            since: None,
            timeout: Duration::from_secs(30),
            filter: None,
            backoff: Backoff::default(),
            jitter: Box::new(|| 0.5),
        }
    }
}

pub struct SyncLoop {
    events: mpsc::Receiver<SyncEvent>,
    task: JoinHandle<()>,
}

impl SyncLoop {
    /// Starts syncing on the current tokio runtime.
    pub fn spawn(client: Client, options: SyncLoopOptions) -> Self {
        let (sender, events) = mpsc::channel(4);
        let task = tokio::spawn(run(client, options, sender));
        SyncLoop { events, task }
    }

    /// The next event; `None` after [`SyncEvent::Stopped`].
    pub async fn next(&mut self) -> Option<SyncEvent> {
        self.events.recv().await
    }
}

impl Drop for SyncLoop {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn run(client: Client, mut options: SyncLoopOptions, sender: mpsc::Sender<SyncEvent>) {
    let mut since = options.since.take();
    let mut attempt = 0;
    loop {
        let request = SyncRequest {
            since: since.clone(),
            timeout: options.timeout,
            filter: options.filter.clone(),
            ..SyncRequest::default()
        };
        let event = match client.sync(&request).await {
            Ok(response) => {
                attempt = 0;
                since = Some(response.next_batch.clone());
                SyncEvent::Synced(Box::new(response))
            }
            Err(error) if error.is_transient() => {
                let wait = options.backoff.delay_after(&error, attempt, (options.jitter)());
                let event = SyncEvent::Retrying { error, attempt, wait };
                attempt = attempt.saturating_add(1);
                if sender.send(event).await.is_err() {
                    return;
                }
                tokio::time::sleep(wait).await;
                continue;
            }
            Err(error) => {
                let _ = sender.send(SyncEvent::Stopped(error)).await;
                return;
            }
        };
        if sender.send(event).await.is_err() {
            return;
        }
    }
}
