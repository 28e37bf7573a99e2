//! A conversation as a file the user keeps: Markdown to read, JSON to process.

use serde::Serialize;

use crate::engine::chat::{Feedback, Role, Status, Transcript};

/// The transcript as Markdown: one section per message, assistant text as written
/// (it is Markdown already), user text quoted so that it is shown as typed.
pub fn to_markdown(bot_name: &str, transcript: &Transcript) -> String {
    let mut out = format!("# chatdeck — {bot_name}\n");
    for m in &transcript.messages {
        let who = match m.role {
            Role::User => "You",
            Role::Assistant => bot_name,
        };
        out.push_str(&format!("\n**{who}:**\n\n"));
        match m.role {
            Role::User => {
                for line in m.text.lines() {
                    out.push_str(&format!("> {line}\n"));
                }
            }
            Role::Assistant => {
                out.push_str(m.text.trim_end());
                out.push('\n');
            }
        }
        if m.status == Status::Stopped {
            out.push_str("\n*(stopped)*\n");
        }
        match transcript.feedback(m.id) {
            Some(Feedback::Helpful) => out.push_str("\n*(You rated this answer helpful.)*\n"),
            Some(Feedback::NotHelpful) => out.push_str("\n*(You rated this answer not helpful.)*\n"),
            None => {}
        }
    }
    out
}

/// The transcript as JSON: `{"bot": …, "messages": [{"role", "text", "status"}]}`,
/// with `"feedback": "helpful" | "not_helpful"` on the answers the reader rated.
pub fn to_json(bot_name: &str, transcript: &Transcript) -> String {
    #[derive(Serialize)]
    struct Export<'a> {
        bot: &'a str,
        messages: Vec<Entry<'a>>,
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        role: Role,
        text: &'a str,
        status: Status,
        #[serde(skip_serializing_if = "Option::is_none")]
        feedback: Option<Feedback>,
    }
    let export = Export {
        bot: bot_name,
        messages: transcript
            .messages
            .iter()
            .map(|m| Entry { role: m.role, text: &m.text, status: m.status, feedback: transcript.feedback(m.id) })
            .collect(),
    };
    // Plain data with string keys: serialising cannot fail.
    serde_json::to_string_pretty(&export).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript() -> Transcript {
        let mut t = Transcript::default();
        t.push(Role::User, "hi\n<b>there</b>", Status::Done);
        t.push(Role::Assistant, "**Answer:** yes\n\n", Status::Done);
        t.push(Role::Assistant, "Once upon", Status::Stopped);
        t
    }

    #[test]
    fn ratings_are_exported() {
        let mut t = transcript();
        t.set_feedback(1, Some(Feedback::NotHelpful));
        assert!(
            to_markdown("FAQ", &t).contains("**Answer:** yes\n\n*(You rated this answer not helpful.)*\n"),
            "{}",
            to_markdown("FAQ", &t)
        );
        let value: serde_json::Value = serde_json::from_str(&to_json("FAQ", &t)).unwrap_or_default();
        assert_eq!(value["messages"][1]["feedback"], "not_helpful");
        assert!(value["messages"][0].get("feedback").is_none(), "no key on unrated messages");
    }

    #[test]
    fn markdown_quotes_the_user_and_keeps_the_bot_markdown() {
        assert_eq!(
            to_markdown("FAQ", &transcript()),
            "# chatdeck — FAQ\n\n**You:**\n\n> hi\n> <b>there</b>\n\n**FAQ:**\n\n**Answer:** yes\n\n**FAQ:**\n\nOnce upon\n\n*(stopped)*\n"
        );
    }

    #[test]
    fn json_round_trips_the_texts() {
        let value: serde_json::Value = serde_json::from_str(&to_json("FAQ", &transcript())).unwrap_or_default();
        assert_eq!(value["bot"], "FAQ");
        assert_eq!(value["messages"][0]["text"], "hi\n<b>there</b>");
        assert_eq!(value["messages"][2]["status"], "stopped");
    }
}
