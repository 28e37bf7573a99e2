//! What counts as a message worth sending.

/// Longest message accepted, in characters. Support messages are short; the limit
/// keeps a pasted document from being matched and stored, and is shown to the user
/// (the text stays in the input, nothing is cut silently).
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// Why a draft cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftProblem {
    /// Nothing but white space: ignored, as in the seed's `st.chat_input`.
    Blank,
    /// Over [`MAX_MESSAGE_CHARS`].
    TooLong { chars: usize },
}

impl DraftProblem {
    /// What the user is told; `None` when the draft is silently ignored.
    pub fn explain(self) -> Option<String> {
        match self {
            DraftProblem::Blank => None,
            DraftProblem::TooLong { chars } => Some(format!(
                "That message is {chars} characters long; the limit is {MAX_MESSAGE_CHARS}. Please shorten it — your text is still in the box."
            )),
        }
    }
}

/// Checks a draft; counting stops early so a megabyte paste costs no more than the limit.
pub fn check_draft(draft: &str) -> Result<(), DraftProblem> {
    if draft.trim().is_empty() {
        return Err(DraftProblem::Blank);
    }
    if draft.len() > MAX_MESSAGE_CHARS && draft.chars().nth(MAX_MESSAGE_CHARS).is_some() {
        return Err(DraftProblem::TooLong { chars: draft.chars().count() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_long_drafts() {
        assert_eq!(check_draft(" \n\t"), Err(DraftProblem::Blank));
        assert_eq!(check_draft("hi"), Ok(()));
        assert_eq!(check_draft(&"é".repeat(MAX_MESSAGE_CHARS)), Ok(()));
        let long = "a".repeat(100_000);
        assert_eq!(check_draft(&long), Err(DraftProblem::TooLong { chars: 100_000 }));
        assert!(DraftProblem::TooLong { chars: 100_000 }.explain().is_some_and(|m| m.contains("100000")));
    }
}
