//! Acceptance on real data: Kusto `has_any` with the 0.5M-value blocklist union over every
//! command line of the shared process logs, compared with a term-pair oracle.

mod common;

use std::collections::HashSet;

use common::data;
use iocmatch::kql::{KqlList, TermChars};

/// Returns every substring of `text` that starts at the start of a term and ends at the end of a
/// term, ASCII-lower-cased. For values that start and end with a term character, `text has
/// value` is true exactly when the folded value is one of these substrings.
fn term_aligned_substrings(text: &str) -> HashSet<String> {
    let is_term = |c: char| TermChars::Unicode.is_term_char(c);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for (index, &(offset, c)) in chars.iter().enumerate() {
        let previous = index.checked_sub(1).map(|i| chars[i].1);
        let next = chars.get(index + 1).map(|&(_, c)| c);
        if is_term(c) && !previous.is_some_and(is_term) {
            starts.push(offset);
        }
        if is_term(c) && !next.is_some_and(is_term) {
            ends.push(offset + c.len_utf8());
        }
    }
    let mut found = HashSet::new();
    for &start in &starts {
        for &end in ends.iter().filter(|&&end| end > start) {
            found.insert(text[start..end].to_ascii_lowercase());
        }
    }
    found
}

#[test]
fn has_any_blocklist_union_over_command_lines() {
    let Some(data) = data::shared_data("has_any_blocklist_union_over_command_lines") else {
        return;
    };
    let is_term = |c: char| TermChars::Unicode.is_term_char(c);
    let values: Vec<String> = data::blocklist_lines(&data)
        .into_iter()
        .filter(|line| !line.trim().is_empty())
        .filter(|line| {
            line.chars().next().is_some_and(is_term) && line.chars().last().is_some_and(is_term)
        })
        .collect();
    assert!(values.len() > 500_000, "only {} values", values.len());
    let folded: HashSet<String> = values.iter().map(|v| v.to_ascii_lowercase()).collect();
    let list = KqlList::new(&values).expect("blocklist values are not blank");

    let mut lines = data::command_lines(&data);
    assert!(lines.len() > 3_000, "only {} command lines", lines.len());
    // The real lines contain no blocklist value, so constructed variants add positives: a value
    // inside a URL (a match), glued to a letter (no match) and after a hyphen (a Kusto match).
    let constructed: Vec<String> = lines
        .iter()
        .take(300)
        .enumerate()
        .flat_map(|(i, line)| {
            let value = &values[(i * 1_637) % values.len()];
            [
                format!("{line} https://{value}/x"),
                format!("{line} x{value}"),
                format!("{line} -{}", value.to_ascii_uppercase()),
            ]
        })
        .collect();
    lines.extend(constructed);

    let mut matched = 0;
    for line in &lines {
        let expected = term_aligned_substrings(line)
            .iter()
            .any(|candidate| folded.contains(candidate));
        assert_eq!(list.has_any(line), expected, "command line {line:?}");
        matched += usize::from(expected);
    }
    eprintln!(
        "{matched} of {} command lines have a blocklist value",
        lines.len()
    );
}
