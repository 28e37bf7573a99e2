//! Plays a bot's reply into a transcript: instant messages at once (painted in the
//! same frame), timed segments with `gloo-timers`.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::engine::chat::{Role, Status, Transcript};
use crate::engine::reply::{Reply, ReplyMessage};

/// Appends `reply` to `transcript`; `busy` is true while timed segments are pending.
pub fn play(reply: Reply, transcript: RwSignal<Transcript>, busy: RwSignal<bool>) {
    if reply.messages.iter().all(ReplyMessage::is_instant) {
        transcript.update(|t| {
            for message in &reply.messages {
                t.push(Role::Assistant, message.full_text(), Status::Done);
            }
        });
        return;
    }
    busy.set(true);
    spawn_local(async move {
        for message in reply.messages {
            let Some(id) =
                transcript.try_update(|t| t.push(Role::Assistant, "", Status::Streaming))
            else {
                return; // the app is gone
            };
            for segment in message.segments {
                if segment.delay_ms > 0 {
                    TimeoutFuture::new(segment.delay_ms).await;
                }
                transcript.update(|t| {
                    if let Some(m) = t.get_mut(id) {
                        m.text.push_str(&segment.text);
                    }
                });
            }
            transcript.update(|t| {
                if let Some(m) = t.get_mut(id) {
                    m.status = Status::Done;
                }
            });
        }
        busy.set(false);
    });
}
