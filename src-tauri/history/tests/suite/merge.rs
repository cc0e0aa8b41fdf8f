//! Three-way merges of teaching material, in the conflict notation of `common::describe`.

use commonplace_history::merge;

use crate::common::*;

#[test]
fn a_typo_fix_and_a_new_question_both_arrive() {
    let merged = merge(WORKSHEET, WORKSHEET_TYPO_FIXED, WORKSHEET_QUESTION_ADDED);
    assert_eq!(clean(&merged), WORKSHEET_BOTH);
    assert_eq!(clean(&merge(WORKSHEET, WORKSHEET_QUESTION_ADDED, WORKSHEET_TYPO_FIXED)), WORKSHEET_BOTH);
}

#[test]
fn two_rewordings_of_one_question_conflict() {
    check(
        WORKSHEET,
        WORKSHEET_QUESTION_2_CIRCLES,
        WORKSHEET_QUESTION_2_BAR,
        "\
# Fractions: worksheet 3

Name: ______________  Class: _____

1. What is 1/2 + 1/4? Draw a picture to show your answer.
<<<<<<< ours
2. Shade 3/4 of the circle below.
||||||| base
2. Shade 3/4 of the rectangle below.
=======
2. Colour in 3/4 of the bar model below.
>>>>>>> theirs
3. Which is biger, 2/3 or 3/5? Explain how you know.

Extension: write three fractions equal to 1/2.
",
    );
}

#[test]
fn a_conflict_is_no_wider_than_the_lines_both_changed() {
    // Ours fixes the typo and rewords question 2; theirs rewords question 2 and adds question 4.
    let ours = WORKSHEET_QUESTION_2_CIRCLES.replace("biger", "bigger");
    let theirs = WORKSHEET_QUESTION_2_BAR.replace(
        "Explain how you know.\n",
        "Explain how you know.\n4. Order from smallest to largest: 5/8, 1/2, 3/4.\n",
    );
    check(
        WORKSHEET,
        &ours,
        &theirs,
        "\
# Fractions: worksheet 3

Name: ______________  Class: _____

1. What is 1/2 + 1/4? Draw a picture to show your answer.
<<<<<<< ours
2. Shade 3/4 of the circle below.
||||||| base
2. Shade 3/4 of the rectangle below.
=======
2. Colour in 3/4 of the bar model below.
>>>>>>> theirs
3. Which is bigger, 2/3 or 3/5? Explain how you know.
4. Order from smallest to largest: 5/8, 1/2, 3/4.

Extension: write three fractions equal to 1/2.
",
    );
}

#[test]
fn the_same_change_on_both_sides_is_taken_once() {
    let base = "Lesson plan: photosynthesis\nStarter: what do plants eat?\nMain: leaf experiment\n";
    let both =
        "Lesson plan: photosynthesis\nStarter: where does a tree's mass come from?\nMain: leaf experiment\n";
    let ours = format!("{both}Plenary: exit ticket\n");
    let theirs = both.replace("Lesson plan", "Lesson plan (year 8)");
    check(
        base,
        &ours,
        &theirs,
        "Lesson plan (year 8): photosynthesis\nStarter: where does a tree's mass come from?\nMain: leaf experiment\nPlenary: exit ticket\n",
    );
}

#[test]
fn lines_edited_in_place_merge_line_by_line() {
    // Both sides edit the same three steps of a method; each line is merged on its own.
    check(
        "Method\n1. Fill the beaker\n2. Heat it\n3. Record the temperature\nSafety: goggles on\n",
        "Method\n1. Fill the beaker to 100 ml\n2. Heat it for 5 minutes\n3. Record the temperature\nSafety: goggles on\n",
        "Method\n1. Fill the beaker to 100 ml\n2. Heat it gently\n3. Record the temperature every minute\nSafety: goggles on\n",
        "\
Method
1. Fill the beaker to 100 ml
<<<<<<< ours
2. Heat it for 5 minutes
||||||| base
2. Heat it
=======
2. Heat it gently
>>>>>>> theirs
3. Record the temperature every minute
Safety: goggles on
",
    );
}

#[test]
fn lines_both_sides_agree_on_are_moved_out_of_a_conflict() {
    // Ours also adds a step, so the lines cannot be paired; the conflict keeps the whole base and
    // loses the first line, which both sides wrote alike.
    check(
        "Method\n1. Fill the beaker\n2. Heat it\nSafety: goggles on\n",
        "Method\n1. Fill the beaker to 100 ml\n2. Heat it for 5 minutes\n3. Let it cool\nSafety: goggles on\n",
        "Method\n1. Fill the beaker to 100 ml\n2. Heat it gently\nSafety: goggles on\n",
        "\
Method
1. Fill the beaker to 100 ml
<<<<<<< ours
2. Heat it for 5 minutes
3. Let it cool
||||||| base
1. Fill the beaker
2. Heat it
=======
2. Heat it gently
>>>>>>> theirs
Safety: goggles on
",
    );
}

#[test]
fn insertions_at_the_same_place_conflict_unless_they_are_equal() {
    let base = "Vocabulary\n- photosynthesis\n- chlorophyll\n";
    check(
        base,
        "Vocabulary\n- photosynthesis\n- stomata\n- chlorophyll\n",
        "Vocabulary\n- photosynthesis\n- glucose\n- chlorophyll\n",
        "Vocabulary\n- photosynthesis\n<<<<<<< ours\n- stomata\n||||||| base\n=======\n- glucose\n>>>>>>> theirs\n- chlorophyll\n",
    );
    check(
        base,
        "Vocabulary\n- photosynthesis\n- glucose\n- chlorophyll\n",
        "Vocabulary\n- photosynthesis\n- glucose\n- chlorophyll\n- oxygen\n",
        "Vocabulary\n- photosynthesis\n- glucose\n- chlorophyll\n- oxygen\n",
    );
}

#[test]
fn changes_on_neighbouring_lines_merge() {
    // Git would make this one conflict; the base fixes the order, so there is nothing to guess.
    check("a\nb\nc\nd\n", "a\nB\nc\nd\n", "a\nb\nC\nd\n", "a\nB\nC\nd\n");
    check("a\nb\nc\nd\n", "a\nd\n", "a\nb\nc\nX\nd\n", "a\nX\nd\n");
}

#[test]
fn changes_one_line_apart_merge() {
    check("a\nb\nc\nd\ne\n", "a\nB\nc\nd\ne\n", "a\nb\nc\nD\ne\n", "a\nB\nc\nD\ne\n");
}

#[test]
fn an_insertion_where_the_other_side_replaced_lines_goes_before_them() {
    check("a\nb\nc\n", "a\nnew\nb\nc\n", "a\nB\nC\n", "a\nnew\nB\nC\n");
}

#[test]
fn an_insertion_inside_lines_the_other_side_replaced_conflicts() {
    check(
        "a\nb\nc\nd\n",
        "a\nX\nd\n",
        "a\nb\nY\nc\nd\n",
        "a\n<<<<<<< ours\nX\n||||||| base\nb\nc\n=======\nb\nY\nc\n>>>>>>> theirs\nd\n",
    );
}

#[test]
fn a_deletion_and_an_edit_of_the_same_line_conflict() {
    check(
        "Homework\nRead chapter 4\nDue Friday\n",
        "Homework\nDue Friday\n",
        "Homework\nRead chapter 4 and make notes\nDue Friday\n",
        "Homework\n<<<<<<< ours\n||||||| base\nRead chapter 4\n=======\nRead chapter 4 and make notes\n>>>>>>> theirs\nDue Friday\n",
    );
}

#[test]
fn deletions_on_both_sides_merge() {
    check("a\nb\nc\nd\ne\n", "a\nc\nd\ne\n", "a\nb\nc\ne\n", "a\nc\ne\n");
}

#[test]
fn markdown_with_repeated_blank_lines_merges_where_a_person_expects() {
    // Two sections separated by blank lines; each side adds a paragraph to a different section.
    let base = "## Aims\n\nUnderstand ratios.\n\n## Activities\n\nRecipe scaling.\n";
    let ours =
        "## Aims\n\nUnderstand ratios.\n\nUse the colon notation.\n\n## Activities\n\nRecipe scaling.\n";
    let theirs = "## Aims\n\nUnderstand ratios.\n\n## Activities\n\nRecipe scaling.\n\nMap scales.\n";
    check(
        base,
        ours,
        theirs,
        "## Aims\n\nUnderstand ratios.\n\nUse the colon notation.\n\n## Activities\n\nRecipe scaling.\n\nMap scales.\n",
    );
}

#[test]
fn a_translation_in_a_script_without_spaces_merges_line_by_line() {
    let base = "分数のワークシート\n1. 1/2 + 1/4 は？\n2. 3/4 を塗りましょう。\n";
    let ours = "分数のワークシート\n1. 1/2 + 1/4 はいくつ？\n2. 3/4 を塗りましょう。\n";
    let theirs =
        "分数のワークシート\n1. 1/2 + 1/4 は？\n2. 3/4 を塗りましょう。\n3. 2/3 と 3/5 はどちらが大きい？\n";
    check(
        base,
        ours,
        theirs,
        "分数のワークシート\n1. 1/2 + 1/4 はいくつ？\n2. 3/4 を塗りましょう。\n3. 2/3 と 3/5 はどちらが大きい？\n",
    );
}
