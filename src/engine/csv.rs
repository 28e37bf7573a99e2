//! CSV tables (RFC 4180) read with `csv-core`: quoted fields with commas, doubled
//! quotes and newlines, CRLF or LF line ends, an optional UTF-8 byte-order mark.
//!
//! `csv-core` is deliberately lenient; what a support tool must refuse instead
//! (bytes that are not UTF-8, a quote left open) is reported here with the line it
//! starts on, so the user can fix the file.
//!
//! ```
//! use chatdeck::engine::csv::parse;
//! let table = parse(b"Question,Answer\n\"Hi, there?\",\"Say \"\"hello\"\"\"\n").unwrap();
//! assert_eq!(table.headers, ["Question", "Answer"]);
//! assert_eq!(table.rows[0].fields, ["Hi, there?", "Say \"hello\""]);
//! assert_eq!(table.rows[0].line, 2);
//! ```

use csv_core::{ReadRecordResult, Reader};

/// One data row and the line of the file it starts on (1-based, header = line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub fields: Vec<String>,
}

/// A header row and the rows below it. Blank lines are skipped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// Position of the column whose header is `name`, ignoring case and spaces.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name))
    }
}

/// Why a file is not a usable table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// Nothing but white space (or nothing at all).
    Empty,
    /// Bytes that are not UTF-8 (a spreadsheet's "ANSI" export, say).
    NotUtf8 { line: usize },
    /// A quoted field opened on this line and never closed.
    UnterminatedQuote { line: usize },
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CsvError::Empty => write!(f, "the file is empty"),
            CsvError::NotUtf8 { line } => {
                write!(f, "line {line} is not UTF-8 text (save the file as \"CSV UTF-8\")")
            }
            CsvError::UnterminatedQuote { line } => {
                write!(f, "a quoted field opened on line {line} is never closed")
            }
        }
    }
}

impl std::error::Error for CsvError {}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses a whole file. The first non-blank record is the header.
pub fn parse(bytes: &[u8]) -> Result<Table, CsvError> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CsvError::Empty);
    }
    if let Some(line) = unterminated_quote(bytes) {
        return Err(CsvError::UnterminatedQuote { line });
    }
    let mut records = records(bytes)?.into_iter();
    let headers = records.next().map(|r| r.fields).ok_or(CsvError::Empty)?;
    Ok(Table { headers, rows: records.collect() })
}

/// Every non-blank record with the line it starts on.
fn records(bytes: &[u8]) -> Result<Vec<Row>, CsvError> {
    let mut reader = Reader::new();
    let mut out = Vec::new();
    let mut input = bytes;
    let mut pos = 0; // where `input` starts in `bytes`
    let mut field_bytes = vec![0u8; 1024];
    let mut ends = vec![0usize; 16];
    let (mut used, mut nends) = (0, 0);
    let mut line = 1;
    let mut record_line = 1;
    let mut at_record_start = true;
    loop {
        if at_record_start {
            // csv-core leaves a record's line end in the input and skips blank lines
            // itself; skipping them here lets the next record know its first line.
            let skip = input.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
            line += line_breaks(bytes, pos, pos + skip);
            input = &input[skip..];
            pos += skip;
            record_line = line;
            at_record_start = false;
        }
        let (result, nin, nout, nend) = reader.read_record(input, &mut field_bytes[used..], &mut ends[nends..]);
        line += line_breaks(bytes, pos, pos + nin);
        input = &input[nin..];
        pos += nin;
        used += nout;
        nends += nend;
        match result {
            ReadRecordResult::InputEmpty => {
                if input.is_empty() {
                    continue; // the reader is told about the end of input next round
                }
            }
            ReadRecordResult::OutputFull => field_bytes.resize(field_bytes.len() * 2, 0),
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::Record => {
                let fields = split_fields(&field_bytes[..used], &ends[..nends], record_line)?;
                if !(fields.len() == 1 && fields[0].trim().is_empty()) {
                    out.push(Row { line: record_line, fields });
                }
                used = 0;
                nends = 0;
                at_record_start = true;
            }
            ReadRecordResult::End => return Ok(out),
        }
    }
}

/// Line breaks in `bytes[from..to]`: LF, CRLF, and a lone CR, which csv-core also
/// ends a record on (and editors show as a new line).
fn line_breaks(bytes: &[u8], from: usize, to: usize) -> usize {
    // One branch-free pass: every LF, plus every CR not followed by an LF (whose LF
    // may lie just past `to`).
    let (mut lf, mut cr, mut crlf) = (0, 0, 0);
    let mut previous = 0u8;
    for &b in &bytes[from..to] {
        lf += usize::from(b == b'\n');
        cr += usize::from(b == b'\r');
        crlf += usize::from(previous == b'\r' && b == b'\n');
        previous = b;
    }
    let crlf_across_end = usize::from(previous == b'\r' && to > from && bytes.get(to) == Some(&b'\n'));
    lf + cr - crlf - crlf_across_end
}

fn split_fields(data: &[u8], ends: &[usize], line: usize) -> Result<Vec<String>, CsvError> {
    let mut start = 0;
    ends.iter()
        .map(|&end| {
            let field = std::str::from_utf8(&data[start..end]).map_err(|_| CsvError::NotUtf8 { line })?;
            start = end;
            Ok(field.to_string())
        })
        .collect()
}

/// The line of a quote that opens a field and is never closed, if any. A quote
/// opens a field only at its start, as in RFC 4180 (and as `csv-core` reads it).
fn unterminated_quote(bytes: &[u8]) -> Option<usize> {
    let mut at_field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if at_field_start => {
                // Inside quotes: jump from quote to quote; `""` is an escaped quote.
                let open = i;
                loop {
                    match bytes[i + 1..].iter().position(|&b| b == b'"') {
                        None => return Some(line_breaks(bytes, 0, open) + 1),
                        Some(n) => i += n + 1,
                    }
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        break;
                    }
                }
                at_field_start = false;
            }
            b',' | b'\n' | b'\r' => at_field_start = true,
            _ => at_field_start = false,
        }
        i += 1;
    }
    None
}

/// Quotes a field for writing when it needs it (used by tests and exports).
pub fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ') {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(table: &Table) -> Vec<Vec<&str>> {
        table.rows.iter().map(|r| r.fields.iter().map(String::as_str).collect()).collect()
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_like_in_an_editor() {
        // Found by the csv_loader fuzzer: rows split by a lone CR had the same line.
        let table = parse(b"q,a\nfirst,1\rsecond,2\r\nthird,3").expect("valid CSV");
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert_eq!(parse(b"q,a\rx,\"open").unwrap_err(), CsvError::UnterminatedQuote { line: 2 });
    }

    #[test]
    fn rfc4180_features() {
        let text = "\u{feff}Question,Answer\r\n\"A, b\",\"He said \"\"hi\"\"\"\r\n\"multi\nline\",x\r\n\r\nlast,row";
        let table = parse(text.as_bytes()).expect("valid CSV");
        assert_eq!(table.headers, ["Question", "Answer"]);
        assert_eq!(fields(&table), [vec!["A, b", "He said \"hi\""], vec!["multi\nline", "x"], vec!["last", "row"]]);
        assert_eq!(table.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 6]);
    }

    #[test]
    fn quote_in_an_unquoted_field_is_literal() {
        let table = parse(b"a,b\n5\" screen,ok\n").expect("valid");
        assert_eq!(fields(&table), [vec!["5\" screen", "ok"]]);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse(b""), Err(CsvError::Empty));
        assert_eq!(parse(b" \n\r\n"), Err(CsvError::Empty));
        assert_eq!(parse(b"a,b\nx,y\n\"open,z\nmore\n"), Err(CsvError::UnterminatedQuote { line: 3 }));
        assert_eq!(parse(b"a,b\nx,y\ncaf\xe9,z\n"), Err(CsvError::NotUtf8 { line: 3 }));
        assert!(CsvError::UnterminatedQuote { line: 3 }.to_string().contains("line 3"));
    }

    #[test]
    fn quoting_round_trips() {
        let values = ["plain", "with, comma", "with \"quote\"", "multi\nline", " padded "];
        let line = values.iter().map(|v| quote(v)).collect::<Vec<_>>().join(",");
        let table = parse(format!("h1,h2,h3,h4,h5\n{line}\n").as_bytes()).expect("valid");
        assert_eq!(table.rows[0].fields, values);
    }

    #[test]
    fn columns_by_header_name() {
        let table = parse(b" question ,ANSWER,Category\nq,a,c\n").expect("valid");
        assert_eq!(table.column("Question"), Some(0));
        assert_eq!(table.column("answer"), Some(1));
        assert_eq!(table.column("missing"), None);
    }
}
