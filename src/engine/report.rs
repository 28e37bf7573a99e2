//! "Which questions does my FAQ fail?": real customer questions run through the
//! FAQ engine the bot uses, one row per question (answered, did you mean, not
//! answered), a summary with the themes of what went unanswered, sorting and
//! filtering, and the table as a CSV a spreadsheet can open safely.
//!
//! Also what the FAQ conversation itself tells: the questions it could not answer
//! and the answers the reader rated not helpful (the report's other question
//! source, and what is shared with the site owner when the embed asks for it).
//!
//! ```
//! use chatdeck::engine::faq::KnowledgeBase;
//! use chatdeck::engine::report::{self, Decision};
//! let kb = KnowledgeBase::from_csv(b"Question,Answer\nHow do I track my order?,Use the link.\n", &[]).unwrap();
//! let questions = report::parse_questions("asked.txt", b"how do i track my order\nwhat's the weather\n").unwrap();
//! let rows = report::run(&kb, &questions);
//! assert_eq!(rows[0].decision, Decision::Answered);
//! assert_eq!(rows[1].decision, Decision::NotAnswered);
//! ```

use std::borrow::Cow;

use serde::Serialize;

use crate::engine::chat::{Feedback, Role, Status, Transcript};
use crate::engine::csv;
use crate::engine::faq::{KnowledgeBase, Lookup};
use crate::engine::markdown::plain_text;
use crate::engine::text::{megabytes, words};
use crate::engine::understand::Query;

/// Largest file of questions accepted, in bytes (the FAQ file's limit).
pub const MAX_FILE_BYTES: usize = crate::engine::faq::MAX_FILE_BYTES;
/// Most questions in one report.
pub const MAX_QUESTIONS: usize = 100_000;
/// Column names that hold the question in a help desk's CSV export, in the order
/// they are preferred when a file has several.
pub const QUESTION_COLUMNS: [&str; 6] = ["question", "questions", "message", "text", "body", "subject"];

/// What the FAQ bot did with a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    Answered,
    DidYouMean,
    NotAnswered,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Answered, Decision::DidYouMean, Decision::NotAnswered];

    /// As the table and the CSV show it.
    pub fn label(self) -> &'static str {
        match self {
            Decision::Answered => "answered",
            Decision::DidYouMean => "did you mean",
            Decision::NotAnswered => "not answered",
        }
    }

    /// For attributes and shared JSON.
    pub fn slug(self) -> &'static str {
        match self {
            Decision::Answered => "answered",
            Decision::DidYouMean => "did_you_mean",
            Decision::NotAnswered => "not_answered",
        }
    }
}

/// One question of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its place in the file, from 1.
    pub number: usize,
    pub question: String,
    pub decision: Decision,
    /// The FAQ question it matched; for "did you mean", the ones offered.
    pub matched: Vec<String>,
    /// How sure the engine was of an answer, in percent (answers only).
    pub confidence: Option<u8>,
}

impl Row {
    /// The matched FAQ questions as one cell.
    pub fn matched_text(&self) -> String {
        self.matched.join(" | ")
    }

    /// The confidence as one cell ("87%", or empty).
    pub fn confidence_text(&self) -> String {
        self.confidence.map(|c| format!("{c}%")).unwrap_or_default()
    }
}

/// One question through the lexical tier of the FAQ engine (the bot's own `lookup`).
pub fn assess(kb: &KnowledgeBase, number: usize, question: &str) -> Row {
    let (lookup, confidence, _) = kb.lookup_confidence(&Query::text(question.trim()));
    let (decision, matched) = match lookup {
        Lookup::Found(entry) => (Decision::Answered, vec![entry.question.clone()]),
        Lookup::DidYouMean(entries) => (Decision::DidYouMean, entries.iter().map(|e| e.question.clone()).collect()),
        Lookup::NotFound => (Decision::NotAnswered, Vec::new()),
    };
    let confidence = match decision {
        // Percent without float formatting (about 10 kB of wasm); the score is in [0, 1].
        Decision::Answered => confidence.map(|c| (c.clamp(0.0, 1.0) * 100.0).round() as u8),
        _ => None,
    };
    Row { number, question: question.to_string(), decision, matched, confidence }
}

/// Every question, in order (the page runs [`assess`] in chunks instead, to stay responsive).
pub fn run(kb: &KnowledgeBase, questions: &[String]) -> Vec<Row> {
    questions.iter().enumerate().map(|(i, q)| assess(kb, i + 1, q)).collect()
}

/// Why a file of questions cannot be used; each message says what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionsError {
    TooLarge {
        bytes: usize,
    },
    NotUtf8 {
        line: usize,
    },
    Csv(csv::CsvError),
    /// A CSV of several columns, none of them named like a question.
    NoQuestionColumn {
        headers: Vec<String>,
    },
    NoQuestions,
    TooMany {
        questions: usize,
    },
}

impl std::fmt::Display for QuestionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QuestionsError::TooLarge { bytes } => {
                write!(f, "the file is {}; the limit is {} MB", megabytes(*bytes), MAX_FILE_BYTES / 1_048_576)
            }
            QuestionsError::NotUtf8 { line } => write!(f, "line {line} is not UTF-8 text (save the file as UTF-8)"),
            QuestionsError::Csv(e) => write!(f, "{e}"),
            QuestionsError::NoQuestionColumn { headers } => {
                let shown: Vec<&str> = headers.iter().take(8).map(String::as_str).collect();
                write!(
                    f,
                    "none of its columns ({}) is named Question, Message, Text, Body or Subject",
                    shown.join(", ")
                )
            }
            QuestionsError::NoQuestions => write!(f, "the file has no questions"),
            QuestionsError::TooMany { questions } => {
                write!(f, "the file has {questions} questions; the limit is {MAX_QUESTIONS}")
            }
        }
    }
}

impl std::error::Error for QuestionsError {}

/// The questions of a file: a `.csv` whose header names a question column
/// ([`QUESTION_COLUMNS`], any case) gives that column; a one-column `.csv`, or any
/// other file, gives its lines. Blank questions are skipped, repeats kept (how
/// often a question is asked is what the report is for).
pub fn parse_questions(file_name: &str, bytes: &[u8]) -> Result<Vec<String>, QuestionsError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(QuestionsError::TooLarge { bytes: bytes.len() });
    }
    let is_csv = file_name.trim().to_ascii_lowercase().ends_with(".csv");
    let questions: Vec<String> = if is_csv {
        let table = csv::parse(bytes).map_err(|e| match e {
            csv::CsvError::Empty => QuestionsError::NoQuestions,
            e => QuestionsError::Csv(e),
        })?;
        match QUESTION_COLUMNS.iter().find_map(|name| table.column(name)) {
            Some(column) => {
                table.rows.iter().filter_map(|row| row.fields.get(column)).map(|q| q.trim().to_string()).collect()
            }
            // A list of questions saved as CSV, without a header: every record is one.
            None if table.headers.len() == 1 => std::iter::once(&table.headers)
                .chain(table.rows.iter().map(|r| &r.fields))
                .filter_map(|fields| fields.first())
                .map(|q| q.trim().to_string())
                .collect(),
            None => return Err(QuestionsError::NoQuestionColumn { headers: table.headers }),
        }
    } else {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut lines = Vec::new();
        for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
            let line = std::str::from_utf8(line).map_err(|_| QuestionsError::NotUtf8 { line: i + 1 })?;
            lines.push(line.trim().to_string());
        }
        lines
    };
    let questions: Vec<String> = questions.into_iter().filter(|q| !q.is_empty()).collect();
    match questions.len() {
        0 => Err(QuestionsError::NoQuestions),
        n if n > MAX_QUESTIONS => Err(QuestionsError::TooMany { questions: n }),
        _ => Ok(questions),
    }
}

/// A word or a two-word phrase and how many questions use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub term: String,
    pub count: usize,
}

/// The shares of each decision and what the unanswered questions are about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub total: usize,
    pub answered: usize,
    pub did_you_mean: usize,
    pub not_answered: usize,
    /// The most common content words of the unanswered questions.
    pub words: Vec<Theme>,
    /// The most common two-word phrases among them (used by two questions at least).
    pub phrases: Vec<Theme>,
}

/// Words that say nothing about a question's subject: asking, pronouns, glue.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "anyone", "are", "as", "at", "be", "been",
    "before", "being", "but", "by", "can", "can't", "cannot", "could", "did", "do", "does", "doesn't", "don't", "for",
    "from", "get", "got", "had", "has", "have", "hello", "help", "hey", "hi", "how", "i", "i'm", "i've", "if", "in",
    "into", "is", "isn't", "it", "it's", "its", "just", "know", "let", "like", "me", "more", "much", "my", "need",
    "no", "not", "now", "of", "on", "one", "or", "our", "please", "possible", "so", "some", "still", "tell", "thank",
    "thanks", "that", "the", "their", "them", "then", "there", "these", "they", "this", "to", "too", "up", "us",
    "want", "was", "way", "we", "were", "what", "what's", "when", "where", "which", "who", "why", "will", "with",
    "would", "yes", "you", "your",
];

fn is_content_word(word: &str) -> bool {
    word.chars().count() > 1 && !word.chars().all(|c| c.is_ascii_digit()) && !STOP_WORDS.contains(&word)
}

/// Counts and the top themes of the not-answered questions. A theme counts the
/// questions that use it, not its repeats within one question.
pub fn summarize(rows: &[Row], limit: usize) -> Summary {
    let count = |d: Decision| rows.iter().filter(|r| r.decision == d).count();
    // Every question's distinct terms in one list, counted by sorting it: smaller in
    // wasm than a hash map, and the result is in alphabetical order for the ties.
    let mut word_terms: Vec<String> = Vec::new();
    let mut phrase_terms: Vec<String> = Vec::new();
    for row in rows.iter().filter(|r| r.decision == Decision::NotAnswered) {
        let all = words(&row.question);
        let (mut ws, mut ps) = (Vec::new(), Vec::new());
        for (i, w) in all.iter().enumerate() {
            if !is_content_word(w) {
                continue;
            }
            ws.push(w.clone());
            if let Some(next) = all.get(i + 1).filter(|n| is_content_word(n)) {
                ps.push(format!("{w} {next}"));
            }
        }
        for (terms, found) in [(&mut word_terms, ws), (&mut phrase_terms, ps)] {
            let mut found = found;
            found.sort_unstable();
            found.dedup();
            terms.append(&mut found);
        }
    }
    Summary {
        total: rows.len(),
        answered: count(Decision::Answered),
        did_you_mean: count(Decision::DidYouMean),
        not_answered: count(Decision::NotAnswered),
        words: top(word_terms, 1, limit),
        // One question is not a theme.
        phrases: top(phrase_terms, 2, limit),
    }
}

/// The `limit` most frequent of `terms` used `least` times or more, most frequent
/// first, ties in alphabetical order.
fn top(mut terms: Vec<String>, least: usize, limit: usize) -> Vec<Theme> {
    terms.sort_unstable();
    let mut themes: Vec<Theme> = Vec::new();
    for term in terms {
        match themes.last_mut() {
            Some(last) if last.term == term => last.count += 1,
            _ => themes.push(Theme { term, count: 1 }),
        }
    }
    themes.retain(|t| t.count >= least);
    // Stable: equal counts stay in alphabetical order.
    themes.sort_by_key(|t| std::cmp::Reverse(t.count));
    themes.truncate(limit);
    themes
}

/// `part` of `total` in whole percent, rounded ("0%" of nothing).
pub fn percent(part: usize, total: usize) -> usize {
    (part * 100 + total / 2).checked_div(total).unwrap_or(0)
}

/// A column of the table, to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Number,
    Question,
    Decision,
    Matched,
    Confidence,
}

impl Column {
    pub const ALL: [Column; 5] =
        [Column::Number, Column::Question, Column::Decision, Column::Matched, Column::Confidence];

    /// The header, in the table and the CSV.
    pub fn label(self) -> &'static str {
        match self {
            Column::Number => "#",
            Column::Question => "Question",
            Column::Decision => "Decision",
            Column::Matched => "Matched FAQ question",
            Column::Confidence => "Confidence",
        }
    }

    /// A row's cell in this column, as shown.
    pub fn cell(self, row: &Row) -> String {
        match self {
            Column::Number => row.number.to_string(),
            Column::Question => row.question.clone(),
            Column::Decision => row.decision.label().to_string(),
            Column::Matched => row.matched_text(),
            Column::Confidence => row.confidence_text(),
        }
    }
}

/// What of the table is shown and in which order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// Only this decision (all when `None`).
    pub decision: Option<Decision>,
    /// Only rows whose question or matched question contains this (any case).
    pub text: String,
    pub sort: Column,
    pub ascending: bool,
}

impl Default for View {
    fn default() -> Self {
        Self { decision: None, text: String::new(), sort: Column::Number, ascending: true }
    }
}

/// The rows `view` shows, as indices into `rows`, in its order (ties in file order).
pub fn visible(rows: &[Row], view: &View) -> Vec<usize> {
    let needle = view.text.trim().to_lowercase();
    let mut shown: Vec<usize> = (0..rows.len())
        .filter(|&i| {
            let r = &rows[i];
            view.decision.is_none_or(|d| r.decision == d)
                && (needle.is_empty()
                    || r.question.to_lowercase().contains(&needle)
                    || r.matched.iter().any(|m| m.to_lowercase().contains(&needle)))
        })
        .collect();
    let key = |a: &Row, b: &Row| match view.sort {
        Column::Number => a.number.cmp(&b.number),
        Column::Question => a.question.to_lowercase().cmp(&b.question.to_lowercase()),
        Column::Decision => a.decision.cmp(&b.decision),
        Column::Matched => a.matched_text().to_lowercase().cmp(&b.matched_text().to_lowercase()),
        Column::Confidence => a.confidence.cmp(&b.confidence),
    };
    shown.sort_by(|&a, &b| {
        let order = key(&rows[a], &rows[b]);
        let order = if view.ascending { order } else { order.reverse() };
        order.then(rows[a].number.cmp(&rows[b].number))
    });
    shown
}

/// A cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@` (or a
/// tab or carriage return, which some spreadsheets skip before reading a formula)
/// gets a leading `'`. Customer questions are untrusted text.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The rows at `order` as CSV (RFC 4180: CRLF line ends, fields quoted when they
/// need it), with the table's columns and cells, made spreadsheet safe.
pub fn to_csv(rows: &[Row], order: &[usize]) -> String {
    let line = |cells: Vec<String>| {
        cells.iter().map(|c| csv::quote(&spreadsheet_safe(c))).collect::<Vec<_>>().join(",") + "\r\n"
    };
    let mut out = line(Column::ALL.iter().map(|c| c.label().to_string()).collect());
    for row in order.iter().filter_map(|&i| rows.get(i)) {
        out.push_str(&line(Column::ALL.iter().map(|c| c.cell(row)).collect()));
    }
    out
}

/// A question as a line to paste into the FAQ file: the question, an empty answer
/// for the owner to write (`"question",""`).
pub fn faq_row(question: &str) -> String {
    format!("\"{}\",\"\"", spreadsheet_safe(question.trim()).replace('"', "\"\""))
}

/// What an FAQ bot message is, by the seed's wording of it (engine::bots::faq:
/// "**Answer:** …", "… Did you mean: …", "I don't have a specific answer. …"). The
/// wording is the seed's contract, pinned by that module's tests and by the test
/// here, and reading it means conversations saved before ratings existed get them too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Said {
    Answer,
    DidYouMean,
    NotAnswered,
    /// Anything else ("the knowledge base is still loading", …).
    Other,
}

pub fn classify(text: &str) -> Said {
    if text.starts_with("**Answer:**") {
        Said::Answer
    } else if text.contains(" Did you mean:\n") {
        Said::DidYouMean
    } else if text.starts_with("I don't have a specific answer.") {
        Said::NotAnswered
    } else {
        Said::Other
    }
}

/// One question the FAQ conversation did not answer well, with what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shared {
    /// Always "chatdeck": tells the owner's endpoint what sent it.
    pub source: &'static str,
    /// `not_answered`, `did_you_mean` or `not_helpful`.
    pub kind: &'static str,
    pub question: String,
    /// The FAQ questions offered ("did you mean").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub offered: Vec<String>,
    /// The answer given, as plain text (not helpful).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

impl Shared {
    fn new(kind: &'static str, question: String) -> Self {
        Self { source: "chatdeck", kind, question, offered: Vec::new(), answer: None }
    }

    /// The JSON sent to the site owner's endpoint.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The complete assistant replies of a FAQ conversation that were not a good answer,
/// each with the message id and the question it replied to.
fn misses(transcript: &Transcript) -> Vec<(u64, Shared)> {
    let mut asked: Option<&str> = None;
    let mut out = Vec::new();
    for m in &transcript.messages {
        match m.role {
            Role::User => asked = Some(&m.text),
            Role::Assistant if m.status == Status::Done => {
                let Some(question) = asked.take() else { continue };
                let question = question.trim().to_string();
                let shared = match classify(&m.text) {
                    Said::NotAnswered => Shared::new("not_answered", question),
                    Said::DidYouMean => {
                        Shared { offered: m.suggestions.clone(), ..Shared::new("did_you_mean", question) }
                    }
                    Said::Answer if transcript.feedback(m.id) == Some(Feedback::NotHelpful) => {
                        Shared { answer: Some(plain_text(&m.text)), ..Shared::new("not_helpful", question) }
                    }
                    Said::Answer | Said::Other => continue,
                };
                out.push((m.id, shared));
            }
            Role::Assistant => {}
        }
    }
    out
}

/// This browser's own unanswered and not-helpful questions, from its FAQ
/// conversation: a question source for the report.
pub fn conversation_questions(transcript: &Transcript) -> Vec<String> {
    misses(transcript).into_iter().map(|(_, s)| s.question).collect()
}

/// What has been shared with the site owner already, so that each miss is sent once.
#[derive(Debug, Clone, Default)]
pub struct Outbox {
    /// (message id, kind), sorted.
    sent: Vec<(u64, &'static str)>,
}

impl Outbox {
    /// Everything in the conversation now counts as sent: only what happens from here
    /// on is shared (a reload, or a visit before sharing was asked for, sends nothing).
    pub fn primed(transcript: &Transcript) -> Self {
        let mut outbox = Self::default();
        outbox.take(transcript);
        outbox
    }

    /// The misses not sent yet, now marked sent.
    pub fn take(&mut self, transcript: &Transcript) -> Vec<Shared> {
        let sent = &mut self.sent;
        let mut new = |key: (u64, &'static str)| match sent.binary_search(&key) {
            Ok(_) => false,
            Err(i) => {
                sent.insert(i, key);
                true
            }
        };
        misses(transcript).into_iter().filter(|(id, s)| new((*id, s.kind))).map(|(_, s)| s).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::bots::faq::{reply, Faq, SEED_TOPICS};
    use std::sync::Arc;

    fn demo() -> KnowledgeBase {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/public/faq_data.csv")).unwrap_or_default();
        KnowledgeBase::from_csv(&bytes, &SEED_TOPICS).unwrap_or_else(|e| panic!("{e}"))
    }

    fn questions(text: &str) -> Vec<String> {
        parse_questions("q.txt", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn each_question_gets_the_bots_decision_and_what_it_matched() {
        let kb = demo();
        let rows = run(&kb, &questions("what is your return policy?\nshipping\nwhat's the weather today\n"));
        assert_eq!(rows[0].decision, Decision::Answered);
        assert_eq!(rows[0].matched, ["What is your return policy?"]);
        assert!(rows[0].confidence.is_some_and(|c| c > 50), "{:?}", rows[0].confidence);
        assert_eq!(rows[1].decision, Decision::DidYouMean);
        assert!(rows[1].matched.len() >= 2, "{:?}", rows[1].matched);
        assert_eq!(rows[1].confidence, None);
        assert_eq!(rows[2].decision, Decision::NotAnswered);
        assert!(rows[2].matched.is_empty());
        assert_eq!(rows.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 2, 3]);
        // The bot says the same for each.
        let faq = Faq::Ready(Arc::new(kb));
        for (row, said) in rows.iter().zip([Said::Answer, Said::DidYouMean, Said::NotAnswered]) {
            assert_eq!(classify(&reply(&faq, &Query::text(&row.question)).texts()[0]), said, "{}", row.question);
        }
    }

    #[test]
    fn question_files_by_column_name_or_lines() {
        let csv = "id,Subject,Body\n1,Refund?,\"I want my money back, please\"\n2,,\n3,Where is it,Parcel late\n";
        assert_eq!(
            parse_questions("export.CSV", csv.as_bytes()),
            Ok(vec!["I want my money back, please".into(), "Parcel late".into()]),
            "the customer's own words (Body) before a Subject line"
        );
        let subject = "id,Subject\n1,Refund?\n2,Where is it\n";
        assert_eq!(parse_questions("s.csv", subject.as_bytes()), Ok(vec!["Refund?".into(), "Where is it".into()]));
        let body_only = "Ticket,BODY\n1,\"Line one\nline two\"\n";
        assert_eq!(parse_questions("t.csv", body_only.as_bytes()), Ok(vec!["Line one\nline two".into()]));
        assert_eq!(
            parse_questions("one.csv", b"\"Hi, where is my order?\"\nCan I pay later?\n"),
            Ok(vec!["Hi, where is my order?".into(), "Can I pay later?".into()]),
            "a one-column CSV without a header is a list"
        );
        assert_eq!(
            parse_questions("q.txt", b"\xEF\xBB\xBFfirst\r\n\r\n  second  \n"),
            Ok(vec!["first".into(), "second".into()])
        );
        let err =
            |name: &str, bytes: &[u8]| parse_questions(name, bytes).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            err("a.csv", b"id,when\n1,today\n"),
            "none of its columns (id, when) is named Question, Message, Text, Body or Subject"
        );
        assert_eq!(err("a.txt", b"ok\ncaf\xe9\n"), "line 2 is not UTF-8 text (save the file as UTF-8)");
        assert_eq!(err("a.txt", b"\n  \n"), "the file has no questions");
        assert_eq!(err("a.csv", b""), "the file has no questions");
        assert_eq!(err("a.csv", b"Question\n\"open\n"), "a quoted field opened on line 2 is never closed");
        assert!(err("a.txt", &vec![b'a'; MAX_FILE_BYTES + 1]).starts_with("the file is 20.0 MB"));
    }

    #[test]
    fn summary_counts_shares_and_unanswered_themes() {
        let rows: Vec<Row> = [
            ("Can I get a gift card refund?", Decision::NotAnswered),
            ("gift card balance, where do I see my gift card?", Decision::NotAnswered),
            ("Do you sell gift cards in store 42", Decision::NotAnswered),
            ("How do I track my order?", Decision::Answered),
            ("ship", Decision::DidYouMean),
        ]
        .iter()
        .enumerate()
        .map(|(i, (q, d))| Row {
            number: i + 1,
            question: q.to_string(),
            decision: *d,
            matched: vec![],
            confidence: None,
        })
        .collect();
        let s = summarize(&rows, 3);
        assert_eq!((s.total, s.answered, s.did_you_mean, s.not_answered), (5, 1, 1, 3));
        let theme = |t: &Theme| (t.term.clone(), t.count);
        assert_eq!(
            s.words.iter().map(theme).collect::<Vec<_>>(),
            [("gift".into(), 3), ("card".into(), 2), ("balance".into(), 1)],
            "counted once per question; stop words and numbers left out"
        );
        assert_eq!(s.phrases.iter().map(theme).collect::<Vec<_>>(), [("gift card".into(), 2)]);
        assert_eq!((percent(1, 3), percent(2, 3), percent(0, 0)), (33, 67, 0));
    }

    fn table() -> Vec<Row> {
        let row = |number, question: &str, decision, matched: &[&str], confidence| Row {
            number,
            question: question.into(),
            decision,
            matched: matched.iter().map(|s| s.to_string()).collect(),
            confidence,
        };
        vec![
            row(1, "Where is my parcel?", Decision::Answered, &["How do I track my order?"], Some(91)),
            row(2, "=HYPERLINK(\"x\")", Decision::NotAnswered, &[], None),
            row(3, "ship, please", Decision::DidYouMean, &["Shipping costs?", "Do you ship abroad?"], None),
            row(4, "Track it", Decision::Answered, &["How do I track my order?"], Some(64)),
        ]
    }

    #[test]
    fn sorting_and_filtering() {
        let rows = table();
        let order = |view: View| visible(&rows, &view).iter().map(|&i| rows[i].number).collect::<Vec<_>>();
        assert_eq!(order(View::default()), [1, 2, 3, 4]);
        assert_eq!(order(View { sort: Column::Confidence, ascending: false, ..View::default() }), [1, 4, 2, 3]);
        assert_eq!(order(View { sort: Column::Decision, ..View::default() }), [1, 4, 3, 2]);
        assert_eq!(order(View { sort: Column::Question, ..View::default() }), [2, 3, 4, 1]);
        assert_eq!(order(View { decision: Some(Decision::Answered), ..View::default() }), [1, 4]);
        assert_eq!(order(View { text: " TRACK ".into(), ..View::default() }), [1, 4], "matched questions count");
        assert_eq!(
            order(View { text: "abroad".into(), decision: Some(Decision::Answered), ..View::default() }),
            [0usize; 0]
        );
    }

    #[test]
    fn csv_is_rfc4180_and_spreadsheet_safe() {
        let rows = table();
        assert_eq!(
            to_csv(&rows, &[2, 1, 0]),
            "#,Question,Decision,Matched FAQ question,Confidence\r\n\
             3,\"ship, please\",did you mean,Shipping costs? | Do you ship abroad?,\r\n\
             2,\"'=HYPERLINK(\"\"x\"\")\",not answered,,\r\n\
             1,Where is my parcel?,answered,How do I track my order?,91%\r\n"
        );
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"] {
            assert!(spreadsheet_safe(cell).starts_with('\''), "{cell}");
        }
        assert_eq!(spreadsheet_safe("Where? -no"), "Where? -no");
        assert_eq!(faq_row("Do you sell \"gift\" cards?"), "\"Do you sell \"\"gift\"\" cards?\",\"\"");
        assert_eq!(faq_row("=cmd"), "\"'=cmd\",\"\"");
        let back = csv::parse(faq_row("a, b").as_bytes()).map(|t| t.headers).unwrap_or_default();
        assert_eq!(back, ["a, b", ""]);
    }

    /// The FAQ conversation as the bot writes it.
    fn conversation() -> Transcript {
        let faq = Faq::Ready(Arc::new(demo()));
        let mut t = Transcript::default();
        for q in ["what is your return policy?", "shipping", "what's the weather today", "how do i cancel my order?"] {
            t.push(Role::User, q, Status::Done);
            for m in reply(&faq, &Query::text(q)).messages {
                let id = t.push(Role::Assistant, m.full_text(), Status::Done);
                if let Some(msg) = t.get_mut(id) {
                    msg.suggestions = m.suggestions.clone();
                }
            }
        }
        t
    }

    #[test]
    fn the_conversations_misses_and_not_helpful_answers_are_a_question_source() {
        let mut t = conversation();
        assert_eq!(conversation_questions(&t), ["shipping", "what's the weather today"]);
        let cancel = t.messages.last().map(|m| m.id).unwrap_or_default();
        t.set_feedback(cancel, Some(Feedback::NotHelpful));
        t.set_feedback(1, Some(Feedback::Helpful));
        assert_eq!(conversation_questions(&t), ["shipping", "what's the weather today", "how do i cancel my order?"]);
    }

    #[test]
    fn each_miss_is_shared_once_and_the_past_never() {
        let mut t = conversation();
        let mut outbox = Outbox::primed(&t);
        assert!(outbox.take(&t).is_empty(), "what happened before sharing was on is not sent");
        t.push(Role::User, "do you sell socks", Status::Done);
        t.push(Role::Assistant, "I don't have a specific answer. Try these topics:\n• Returns", Status::Done);
        let sent = outbox.take(&t);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].to_json(), r#"{"source":"chatdeck","kind":"not_answered","question":"do you sell socks"}"#);
        let answer = t.messages[1].id;
        t.set_feedback(answer, Some(Feedback::NotHelpful));
        let sent = outbox.take(&t);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].kind, "not_helpful");
        assert_eq!(sent[0].question, "what is your return policy?");
        assert!(sent[0].answer.as_deref().is_some_and(|a| a.starts_with("Answer: We accept returns")));
        t.set_feedback(answer, None);
        t.set_feedback(answer, Some(Feedback::NotHelpful));
        assert!(outbox.take(&t).is_empty(), "a rating changed back and forth is sent once");
        // A streaming or still-loading reply is not a miss.
        t.push(Role::User, "hello", Status::Done);
        t.push(Role::Assistant, "The knowledge base is still loading. Please ask again in a moment.", Status::Done);
        assert!(outbox.take(&t).is_empty());
    }
}
