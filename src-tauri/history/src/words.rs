//! Word-level highlights inside a changed stretch of lines: which words of the old lines went and
//! which words of the new lines came.
//!
//! Text is cut into words (runs of letters, digits and `_`), runs of spaces, and single other
//! characters. Scripts written without spaces between words (Chinese, Japanese, Thai) have every
//! character as a word of its own, so a one-character edit there does not light up a whole sentence.
//! The old and new stretches are compared as whole sequences of words, with a line break as a word,
//! so text that moved from one line to the next is not marked as changed.

use imara_diff::{Algorithm, Diff, Interner, NoSliderHeuristic, Token};

use crate::diff::{DiffLine, Segment};
use crate::lines::widen;

/// Above this many differing words on one side, a stretch is marked changed as a whole instead of
/// word by word: the word diff of two unrelated megabytes would take seconds and help nobody.
/// Words the two sides share at the start and the end do not count, so a small edit in a very long
/// line is still highlighted precisely.
const MAXIMUM_DIFFERING_WORDS: usize = 20_000;

/// The token standing between two lines. It cannot be part of a line, because lines are split there.
const LINE_BREAK: &str = "\n";

struct Word<'a> {
    /// Which line of the stretch the word is on.
    line: usize,
    text: &'a str,
}

/// Highlights the old and new lines of one changed stretch.
pub(crate) fn highlight(old_lines: &[&str], new_lines: &[&str]) -> (Vec<DiffLine>, Vec<DiffLine>) {
    let old_words = split_words(old_lines);
    let new_words = split_words(new_lines);
    let (old_changed, new_changed) = changed_words(&old_words, &new_words);
    (to_lines(old_lines.len(), &old_words, &old_changed), to_lines(new_lines.len(), &new_words, &new_changed))
}

fn split_words<'a>(lines: &[&'a str]) -> Vec<Word<'a>> {
    let mut words = Vec::new();
    for (line_index, line) in lines.iter().enumerate() {
        if line_index > 0 {
            words.push(Word { line: line_index, text: LINE_BREAK });
        }
        let mut start = 0;
        let mut current: Option<CharacterClass> = None;
        for (offset, character) in line.char_indices() {
            let class = CharacterClass::of(character);
            let continues = current == Some(class) && class.joins();
            if !continues && offset > start {
                words.push(Word { line: line_index, text: line.get(start..offset).unwrap_or_default() });
                start = offset;
            }
            current = Some(class);
        }
        if line.len() > start {
            words.push(Word { line: line_index, text: line.get(start..).unwrap_or_default() });
        }
    }
    words
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharacterClass {
    Word,
    Space,
    /// A character of a script written without spaces between words.
    Unspaced,
    Other,
}

impl CharacterClass {
    fn of(character: char) -> Self {
        if is_unspaced_script(character) {
            CharacterClass::Unspaced
        } else if character.is_alphanumeric() || character == '_' {
            CharacterClass::Word
        } else if character.is_whitespace() {
            CharacterClass::Space
        } else {
            CharacterClass::Other
        }
    }

    /// Whether consecutive characters of this class form one word.
    fn joins(self) -> bool {
        matches!(self, CharacterClass::Word | CharacterClass::Space)
    }
}

fn is_unspaced_script(character: char) -> bool {
    matches!(character,
        '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2FA1F}' // CJK Extensions B to F and supplements
    )
}

/// Which words of each side are not in the other.
fn changed_words(old_words: &[Word<'_>], new_words: &[Word<'_>]) -> (Vec<bool>, Vec<bool>) {
    let prefix = old_words.iter().zip(new_words).take_while(|(old, new)| old.text == new.text).count();
    let old_rest = old_words.get(prefix..).unwrap_or_default();
    let new_rest = new_words.get(prefix..).unwrap_or_default();
    let suffix = old_rest
        .iter()
        .rev()
        .zip(new_rest.iter().rev())
        .take_while(|(old, new)| old.text == new.text)
        .count();
    let old_middle = old_rest.get(..old_rest.len() - suffix).unwrap_or_default();
    let new_middle = new_rest.get(..new_rest.len() - suffix).unwrap_or_default();

    let mut old_changed = vec![false; old_words.len()];
    let mut new_changed = vec![false; new_words.len()];
    if old_middle.len() > MAXIMUM_DIFFERING_WORDS || new_middle.len() > MAXIMUM_DIFFERING_WORDS {
        mark(&mut old_changed, prefix..prefix + old_middle.len());
        mark(&mut new_changed, prefix..prefix + new_middle.len());
        return (old_changed, new_changed);
    }

    let mut interner = Interner::new(old_middle.len() + new_middle.len());
    let old_tokens: Vec<Token> = old_middle.iter().map(|word| interner.intern(word.text)).collect();
    let new_tokens: Vec<Token> = new_middle.iter().map(|word| interner.intern(word.text)).collect();
    let mut diff = Diff::default();
    diff.compute_with(Algorithm::Myers, &old_tokens, &new_tokens, interner.num_tokens());
    diff.postprocess_with(&old_tokens, &new_tokens, NoSliderHeuristic);
    for hunk in diff.hunks() {
        let removed = widen(hunk.before);
        let added = widen(hunk.after);
        mark(&mut old_changed, prefix + removed.start..prefix + removed.end);
        mark(&mut new_changed, prefix + added.start..prefix + added.end);
    }
    (old_changed, new_changed)
}

fn mark(flags: &mut [bool], range: std::ops::Range<usize>) {
    for flag in flags.get_mut(range).unwrap_or_default() {
        *flag = true;
    }
}

/// Groups the words of each line into segments of unchanged and changed text.
fn to_lines(line_count: usize, words: &[Word<'_>], changed: &[bool]) -> Vec<DiffLine> {
    let mut lines: Vec<DiffLine> = (0..line_count).map(|_| DiffLine { segments: Vec::new() }).collect();
    for (word, &word_changed) in words.iter().zip(changed) {
        if word.text == LINE_BREAK {
            continue;
        }
        let Some(line) = lines.get_mut(word.line) else { continue };
        match line.segments.last_mut() {
            Some(segment) if segment.changed == word_changed => segment.text.push_str(word.text),
            _ => line.segments.push(Segment { text: word.text.to_owned(), changed: word_changed }),
        }
    }
    for line in &mut lines {
        absorb_spaces_between_changes(&mut line.segments);
    }
    lines
}

/// Marks an unchanged run of spaces between two changed segments as changed, so that two changed
/// words in a row read as one change rather than two with a gap.
fn absorb_spaces_between_changes(segments: &mut Vec<Segment>) {
    let mut absorbed: Vec<Segment> = Vec::with_capacity(segments.len());
    let mut rest = std::mem::take(segments).into_iter().peekable();
    while let Some(segment) = rest.next() {
        let between_changes = !segment.changed
            && segment.text.chars().all(char::is_whitespace)
            && absorbed.last().is_some_and(|previous| previous.changed)
            && rest.peek().is_some_and(|next| next.changed);
        match absorbed.last_mut() {
            Some(previous) if between_changes || previous.changed == segment.changed => {
                previous.text.push_str(&segment.text)
            }
            _ => absorbed.push(segment),
        }
    }
    *segments = absorbed;
}
