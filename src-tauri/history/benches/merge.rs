//! Times `merge` on a 10,000-line document with edits scattered over both sides, against
//! `git merge-file -p` on the same three files, in the same run. Budget: no slower than git.
//!
//! Both are timed from the files on disk to the merged text in memory: ours reads the three files and
//! renders the result; git's time includes starting the process, which is what the app would pay to
//! shell out to it. Run with `cargo bench --bench merge`; under `cargo test --all-targets` it runs
//! each side once, as a smoke test. It prints numbers and asserts nothing about time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use commonplace_history::{Region, Resolution, merge};

const LINES: usize = 10_000;

const WORDS: &[&str] = &[
    "fraction",
    "numerator",
    "denominator",
    "equivalent",
    "compare",
    "order",
    "explain",
    "diagram",
    "the",
    "of",
    "and",
    "a",
    "to",
    "is",
    "shade",
    "circle",
    "rectangle",
    "number",
    "line",
    "half",
    "quarter",
    "third",
    "pupils",
    "should",
    "write",
    "show",
    "their",
    "working",
    "answer",
    "question",
];

/// A small linear congruential generator, so the document is the same on every run without a
/// dependency.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }

    fn line(&mut self, number: usize) -> String {
        let length = 4 + self.next() % 12;
        let words: Vec<&str> = (0..length).map(|_| WORDS[self.next() % WORDS.len()]).collect();
        format!("{number}. {}", words.join(" "))
    }
}

struct Scenario {
    name: &'static str,
    base: String,
    ours: String,
    theirs: String,
}

/// The base document, and two descendants: ours rewrites every 100th line and inserts a line every
/// 250, theirs rewrites a different line in each hundred and deletes one in every 500. With
/// `conflicts`, both sides also rewrite every 1,000th line differently.
fn scenario(name: &'static str, conflicts: bool) -> Scenario {
    let mut generator = Generator(2024);
    let base: Vec<String> = (0..LINES).map(|number| generator.line(number)).collect();
    let mut ours = Vec::with_capacity(LINES + LINES / 250);
    let mut theirs = Vec::with_capacity(LINES);
    for (number, line) in base.iter().enumerate() {
        if number % 250 == 125 {
            ours.push(format!("New: {}", generator.line(number)));
        }
        let both = conflicts && number % 1000 == 500;
        ours.push(if number % 100 == 10 || both { format!("{line} (ours)") } else { line.clone() });
        if number % 500 == 300 {
            continue;
        }
        theirs.push(if number % 100 == 60 || both { format!("{line} (theirs)") } else { line.clone() });
    }
    let write = |lines: &[String]| lines.iter().map(|line| format!("{line}\n")).collect::<String>();
    Scenario { name, base: write(&base), ours: write(&ours), theirs: write(&theirs) }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time(runs: usize, mut run: impl FnMut() -> String) -> (Duration, String) {
    let mut output = String::new();
    let times = (0..runs)
        .map(|_| {
            let start = Instant::now();
            output = run();
            start.elapsed()
        })
        .collect();
    (median(times), output)
}

fn ours(directory: &Path) -> String {
    let read = |name: &str| std::fs::read_to_string(directory.join(name)).unwrap();
    let mut merged = merge(&read("base.txt"), &read("ours.txt"), &read("theirs.txt"));
    // Resolving every conflict with both sides makes the output comparable in size to git's, which
    // writes both sides between markers.
    let conflicts: Vec<usize> = (0..merged.regions().len())
        .filter(|&index| matches!(merged.regions()[index], Region::Conflict(_)))
        .collect();
    for region in conflicts {
        merged.resolve(region, Resolution::Both).unwrap();
    }
    merged.render().unwrap()
}

fn git(directory: &Path) -> String {
    let output = Command::new("git")
        .arg("merge-file")
        .arg("-p")
        .arg(directory.join("ours.txt"))
        .arg(directory.join("base.txt"))
        .arg(directory.join("theirs.txt"))
        .output()
        .unwrap();
    // git's exit status is the number of conflicts; only a signal or a negative status is a failure.
    assert!(output.status.code().is_some_and(|code| code >= 0), "git merge-file failed: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() {
    let benchmarking = std::env::args().any(|argument| argument == "--bench");
    let (warm_up, runs) = if benchmarking { (5, 51) } else { (0, 1) };
    if !benchmarking {
        println!("A smoke run, one of each, probably unoptimised: the times below mean nothing.");
    }
    let git_available =
        Command::new("git").arg("--version").output().is_ok_and(|output| output.status.success());

    let directory: PathBuf =
        std::env::temp_dir().join(format!("commonplace-history-bench-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    for scenario in [scenario("scattered edits", false), scenario("scattered edits and 10 conflicts", true)] {
        std::fs::write(directory.join("base.txt"), &scenario.base).unwrap();
        std::fs::write(directory.join("ours.txt"), &scenario.ours).unwrap();
        std::fs::write(directory.join("theirs.txt"), &scenario.theirs).unwrap();
        let conflicts = {
            let read = |name: &str| std::fs::read_to_string(directory.join(name)).unwrap();
            merge(&read("base.txt"), &read("ours.txt"), &read("theirs.txt")).conflict_count()
        };

        for _ in 0..warm_up {
            ours(&directory);
        }
        let (ours_time, ours_output) = time(runs, || ours(&directory));
        println!("{} ({LINES} lines, {conflicts} conflicts, median of {runs} runs)", scenario.name);
        println!("  commonplace merge:  {:8.3} ms", milliseconds(ours_time));
        if !git_available {
            println!("  git merge-file -p:  git not found, not compared");
            continue;
        }
        for _ in 0..warm_up {
            git(&directory);
        }
        let (git_time, git_output) = time(runs, || git(&directory));
        println!("  git merge-file -p:  {:8.3} ms", milliseconds(git_time));
        println!(
            "  ratio:              {:8.3}× git's time (budget: at most 1.0×)",
            ours_time.as_secs_f64() / git_time.as_secs_f64()
        );
        if conflicts == 0 {
            println!("  same text as git:   {}", if ours_output == git_output { "yes" } else { "NO" });
        }
    }
    if git_available {
        // How much of git's time is starting the process, for reading the numbers above.
        std::fs::write(directory.join("base.txt"), "a\n").unwrap();
        std::fs::write(directory.join("ours.txt"), "b\n").unwrap();
        std::fs::write(directory.join("theirs.txt"), "a\n").unwrap();
        let (start_up, _) = time(runs, || git(&directory));
        println!(
            "git merge-file -p on one-line files (mostly process start-up): {:.3} ms",
            milliseconds(start_up)
        );
    }
    let _ = std::fs::remove_dir_all(&directory);
}
