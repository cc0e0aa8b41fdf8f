//! Three-way merge of text, line by line, in the manner of `diff3` and `git merge-file`.
//!
//! Both sides are diffed against the base. Changes of the two sides that overlap form one stretch: a
//! stretch changed by one side takes that side's lines, a stretch both sides changed alike takes them
//! once, and any other stretch is a [`Conflict`]. Two changes overlap when they change the same base
//! line, when one inserts lines strictly inside lines the other replaced, or when both insert at the
//! same place (whose lines would come first is a guess).
//!
//! Unlike git, changes on neighbouring lines do not conflict: one teacher fixing question 3 and
//! another adding question 4 right after it get both, in the order of the base. Git treats any
//! changes without an unchanged line between them as one conflict, a caution that suits code more
//! than prose; here the base fixes the order, so nothing is guessed. An insertion at the very place
//! where the other side's replaced lines start goes before them.
//!
//! Inside a stretch both sides changed differently, lines edited in place are merged line by line
//! when all three versions have the same number of lines there (the common case of two people
//! editing the same paragraph's sentences); otherwise the lines the two sides agree on at either end
//! are moved out of the conflict and the base is kept whole, as git's `zdiff3` does.

use std::ops::Range;

use imara_diff::Token;

use crate::lines::{Change, LineTokens};
use crate::regions::{Conflict, Merge, Region};
use crate::text::{Text, TextFormat, merge_format, push_lines, render};

/// Merges two descendants of `base` line by line. Never fails: lines both sides changed differently
/// come back as conflicts in [`Merge::Conflicted`], to be stored and resolved later.
///
/// When one side did not change the text at all, or both made the same change, the result is the
/// other side's text byte for byte, whatever its line endings. Otherwise lines are compared without
/// their line breaks and the result is written in the merged [`TextFormat`]: a side that converted
/// the line endings, added or removed the byte order mark, or added or removed the final line break
/// wins over a side that did not; a file with mixed line endings comes out in the ending most of
/// its lines used.
pub fn merge(base: &str, ours: &str, theirs: &str) -> Merge {
    if ours == theirs || theirs == base {
        return Merge::Clean { text: ours.to_owned() };
    }
    if ours == base {
        return Merge::Clean { text: theirs.to_owned() };
    }
    let base = Text::read(base);
    let ours = Text::read(ours);
    let theirs = Text::read(theirs);
    let format = merge_format(&base, &ours, &theirs);

    let mut tokens = LineTokens::with_capacity(base.lines.len() + ours.lines.len() + theirs.lines.len());
    let base_tokens = tokens.intern(&base.lines);
    let ours_tokens = tokens.intern(&ours.lines);
    let theirs_tokens = tokens.intern(&theirs.lines);
    let ours_changes = tokens.changes(&base_tokens, &ours_tokens);
    let theirs_changes = tokens.changes(&base_tokens, &theirs_tokens);

    let versions = Versions {
        base: Version { lines: &base.lines, tokens: &base_tokens },
        ours: Version { lines: &ours.lines, tokens: &ours_tokens },
        theirs: Version { lines: &theirs.lines, tokens: &theirs_tokens },
    };
    let mut builder = RegionBuilder::default();
    for stretch in stretches(base.lines.len(), &ours_changes, &theirs_changes) {
        versions.merge_stretch(&stretch, &mut builder);
    }
    builder.finish(format)
}

/// A stretch of the base and the lines each side has in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stretch {
    base: Range<usize>,
    ours: Range<usize>,
    theirs: Range<usize>,
    ours_changed: bool,
    theirs_changed: bool,
}

/// Cuts the base into stretches that neither side changed and stretches that one or both changed,
/// where a changed stretch is a maximal group of overlapping changes.
fn stretches(base_length: usize, ours_changes: &[Change], theirs_changes: &[Change]) -> Vec<Stretch> {
    let mut ours = SideCursor::new(ours_changes);
    let mut theirs = SideCursor::new(theirs_changes);
    let mut stretches = Vec::with_capacity(2 * (ours_changes.len() + theirs_changes.len()) + 1);
    let mut base_position = 0;
    loop {
        let (ours_next, theirs_next) = (ours.peek(), theirs.peek());
        let start = match (ours_next, theirs_next) {
            (None, None) => break,
            (Some(change), None) | (None, Some(change)) => change.before.start,
            (Some(ours_change), Some(theirs_change)) => {
                ours_change.before.start.min(theirs_change.before.start)
            }
        };
        if start > base_position {
            stretches.push(Stretch {
                base: base_position..start,
                ours: ours.position_of(base_position)..ours.position_of(start),
                theirs: theirs.position_of(base_position)..theirs.position_of(start),
                ours_changed: false,
                theirs_changed: false,
            });
        }
        let (ours_start, theirs_start) = (ours.position_of(start), theirs.position_of(start));

        // The changes that start the stretch: every change starting at `start`, except that an
        // insertion there goes alone, before the lines the other side replaced from that point on.
        let mut take_ours = ours_next.filter(|change| change.before.start == start);
        let mut take_theirs = theirs_next.filter(|change| change.before.start == start);
        if let (Some(ours_change), Some(theirs_change)) = (take_ours, take_theirs)
            && ours_change.before.is_empty() != theirs_change.before.is_empty()
        {
            if ours_change.before.is_empty() {
                take_theirs = None;
            } else {
                take_ours = None;
            }
        }
        let mut end = start;
        let (mut ours_changed, mut theirs_changed) = (take_ours.is_some(), take_theirs.is_some());
        if ours_changed {
            end = end.max(ours.take());
        }
        if theirs_changed {
            end = end.max(theirs.take());
        }
        // Then every change that overlaps the stretch. The sides' own changes never overlap each
        // other, so a change that starts inside the stretch overlaps a change of the other side.
        loop {
            if ours.next_starts_before(end) {
                end = end.max(ours.take());
                ours_changed = true;
            } else if theirs.next_starts_before(end) {
                end = end.max(theirs.take());
                theirs_changed = true;
            } else {
                break;
            }
        }
        stretches.push(Stretch {
            base: start..end,
            ours: ours_start..ours.position_of(end),
            theirs: theirs_start..theirs.position_of(end),
            ours_changed,
            theirs_changed,
        });
        base_position = end;
    }
    if base_length > base_position {
        stretches.push(Stretch {
            base: base_position..base_length,
            ours: ours.position_of(base_position)..ours.position_of(base_length),
            theirs: theirs.position_of(base_position)..theirs.position_of(base_length),
            ours_changed: false,
            theirs_changed: false,
        });
    }
    stretches
}

/// Walks one side's changes in order and maps base positions to that side's positions.
struct SideCursor<'a> {
    changes: std::slice::Iter<'a, Change>,
    next: Option<&'a Change>,
    /// The base position up to which changes have been taken, and the matching position in the side.
    base_position: usize,
    side_position: usize,
}

impl<'a> SideCursor<'a> {
    fn new(changes: &'a [Change]) -> Self {
        let mut changes = changes.iter();
        let next = changes.next();
        SideCursor { changes, next, base_position: 0, side_position: 0 }
    }

    fn peek(&self) -> Option<&'a Change> {
        self.next
    }

    /// Whether the next change starts strictly before `end`, inside a stretch that ends there.
    fn next_starts_before(&self, end: usize) -> bool {
        self.next.is_some_and(|change| change.before.start < end)
    }

    /// Takes the next change, returning where it ends in the base.
    fn take(&mut self) -> usize {
        let Some(change) = self.next else { return self.base_position };
        self.base_position = change.before.end;
        self.side_position = change.after.end;
        self.next = self.changes.next();
        change.before.end
    }

    /// Where a base position at or after the last taken change, and not inside a change not yet
    /// taken, lies in this side: lines between changes are the same in both.
    fn position_of(&self, base_position: usize) -> usize {
        self.side_position + base_position.saturating_sub(self.base_position)
    }
}

#[derive(Clone, Copy)]
struct Version<'a, 'text> {
    lines: &'a [&'text str],
    tokens: &'a [Token],
}

impl<'a, 'text> Version<'a, 'text> {
    fn lines(&self, range: Range<usize>) -> &'a [&'text str] {
        self.lines.get(range).unwrap_or_default()
    }

    fn tokens(&self, range: Range<usize>) -> &'a [Token] {
        self.tokens.get(range).unwrap_or_default()
    }
}

struct Versions<'a, 'text> {
    base: Version<'a, 'text>,
    ours: Version<'a, 'text>,
    theirs: Version<'a, 'text>,
}

impl Versions<'_, '_> {
    fn merge_stretch(&self, stretch: &Stretch, builder: &mut RegionBuilder) {
        match (stretch.ours_changed, stretch.theirs_changed) {
            (false, false) => builder.push_lines(self.base.lines(stretch.base.clone())),
            (true, false) => builder.push_lines(self.ours.lines(stretch.ours.clone())),
            (false, true) => builder.push_lines(self.theirs.lines(stretch.theirs.clone())),
            (true, true) => self.merge_both_changed(stretch, builder),
        }
    }

    fn merge_both_changed(&self, stretch: &Stretch, builder: &mut RegionBuilder) {
        let ours = self.ours.tokens(stretch.ours.clone());
        let theirs = self.theirs.tokens(stretch.theirs.clone());
        if ours == theirs {
            builder.push_lines(self.ours.lines(stretch.ours.clone()));
        } else if ours.len() == stretch.base.len() && theirs.len() == stretch.base.len() {
            self.merge_line_by_line(stretch, builder);
        } else {
            self.merge_trimmed(stretch, builder);
        }
    }

    /// Pairs the lines of a stretch in which all three versions have the same number of lines, and
    /// merges each line on its own; neighbouring conflicting lines make one conflict.
    fn merge_line_by_line(&self, stretch: &Stretch, builder: &mut RegionBuilder) {
        let base = self.base.tokens(stretch.base.clone());
        let ours = self.ours.tokens(stretch.ours.clone());
        let theirs = self.theirs.tokens(stretch.theirs.clone());
        let conflicts = |offset: usize| match (base.get(offset), ours.get(offset), theirs.get(offset)) {
            (Some(base), Some(ours), Some(theirs)) => ours != base && theirs != base && ours != theirs,
            _ => false,
        };
        let mut offset = 0;
        while offset < base.len() {
            let conflict_start = offset;
            while offset < base.len() && conflicts(offset) {
                offset += 1;
            }
            if offset > conflict_start {
                builder.push_conflict(
                    self.base.lines(stretch.base.start + conflict_start..stretch.base.start + offset),
                    self.ours.lines(stretch.ours.start + conflict_start..stretch.ours.start + offset),
                    self.theirs.lines(stretch.theirs.start + conflict_start..stretch.theirs.start + offset),
                );
            } else {
                let ours_unchanged = ours.get(offset) == base.get(offset);
                let line = if ours_unchanged {
                    self.theirs.lines(stretch.theirs.start + offset..stretch.theirs.start + offset + 1)
                } else {
                    self.ours.lines(stretch.ours.start + offset..stretch.ours.start + offset + 1)
                };
                builder.push_lines(line);
                offset += 1;
            }
        }
    }

    /// One conflict for the stretch, without the lines ours and theirs agree on at either end.
    fn merge_trimmed(&self, stretch: &Stretch, builder: &mut RegionBuilder) {
        let ours = self.ours.tokens(stretch.ours.clone());
        let theirs = self.theirs.tokens(stretch.theirs.clone());
        let prefix = ours.iter().zip(theirs).take_while(|(ours, theirs)| ours == theirs).count();
        let ours_rest = ours.get(prefix..).unwrap_or_default();
        let theirs_rest = theirs.get(prefix..).unwrap_or_default();
        let suffix = ours_rest
            .iter()
            .rev()
            .zip(theirs_rest.iter().rev())
            .take_while(|(ours, theirs)| ours == theirs)
            .count();

        let ours_conflict = stretch.ours.start + prefix..stretch.ours.end - suffix;
        let theirs_conflict = stretch.theirs.start + prefix..stretch.theirs.end - suffix;
        builder.push_lines(self.ours.lines(stretch.ours.start..ours_conflict.start));
        builder.push_conflict(
            self.base.lines(stretch.base.clone()),
            self.ours.lines(ours_conflict.clone()),
            self.theirs.lines(theirs_conflict),
        );
        builder.push_lines(self.ours.lines(ours_conflict.end..stretch.ours.end));
    }
}

/// Collects regions, joining consecutive resolved lines into one region.
#[derive(Default)]
struct RegionBuilder {
    regions: Vec<Region>,
    pending: String,
}

impl RegionBuilder {
    fn push_lines(&mut self, lines: &[&str]) {
        push_lines(&mut self.pending, lines);
    }

    fn push_conflict(&mut self, base: &[&str], ours: &[&str], theirs: &[&str]) {
        self.flush();
        let text = |lines: &[&str]| {
            let mut text = String::new();
            push_lines(&mut text, lines);
            text
        };
        self.regions.push(Region::Conflict(Conflict {
            base: text(base),
            ours: text(ours),
            theirs: text(theirs),
            resolution: None,
        }));
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            self.regions.push(Region::Resolved { text: std::mem::take(&mut self.pending) });
        }
    }

    fn finish(mut self, format: TextFormat) -> Merge {
        if self.regions.is_empty() {
            return Merge::Clean { text: render(&self.pending, format) };
        }
        self.flush();
        Merge::Conflicted { format, regions: self.regions }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(before: Range<usize>, after: Range<usize>) -> Change {
        Change { before, after }
    }

    #[test]
    fn separated_changes_make_separate_stretches() {
        // Ours replaces line 1, theirs deletes line 3; line 2 separates them.
        let stretches = stretches(5, &[change(1..2, 1..2)], &[change(3..4, 3..3)]);
        let changed: Vec<_> = stretches
            .iter()
            .map(|stretch| (stretch.base.clone(), stretch.ours_changed, stretch.theirs_changed))
            .collect();
        assert_eq!(
            changed,
            [
                (0..1, false, false),
                (1..2, true, false),
                (2..3, false, false),
                (3..4, false, true),
                (4..5, false, false)
            ]
        );
    }

    #[test]
    fn neighbouring_changes_make_separate_stretches() {
        // Ours replaces line 1; theirs inserts two lines right after it.
        let stretches = stretches(3, &[change(1..2, 1..2)], &[change(2..2, 2..4)]);
        assert!(stretches.iter().all(|stretch| !(stretch.ours_changed && stretch.theirs_changed)));
    }

    #[test]
    fn an_insertion_where_the_other_side_replaces_lines_goes_first() {
        let stretches = stretches(3, &[change(1..1, 1..2)], &[change(1..3, 1..2)]);
        assert_eq!(
            stretches,
            [
                Stretch { base: 0..1, ours: 0..1, theirs: 0..1, ours_changed: false, theirs_changed: false },
                Stretch { base: 1..1, ours: 1..2, theirs: 1..1, ours_changed: true, theirs_changed: false },
                Stretch { base: 1..3, ours: 2..4, theirs: 1..2, ours_changed: false, theirs_changed: true },
            ]
        );
    }

    #[test]
    fn an_insertion_inside_replaced_lines_overlaps_them() {
        let stretches = stretches(4, &[change(1..3, 1..2)], &[change(2..2, 2..3)]);
        let both = stretches.iter().find(|stretch| stretch.ours_changed && stretch.theirs_changed);
        assert_eq!(
            both,
            Some(&Stretch { base: 1..3, ours: 1..2, theirs: 1..4, ours_changed: true, theirs_changed: true })
        );
    }
}
