//! The library's performance budgets, each measured against a baseline in the same run so the
//! numbers mean something on a shared, noisy machine. Run with `cargo xtask bench` (which installs
//! the baselines' tools) or `cargo bench -p commonplace-library --bench library`.
//!
//! - Large files: import throughput against `cat FILES | b3sum` (budget: ratio ≥ 0.8), the median
//!   of three rounds in which the two take turns; then the time and the bytes written to import
//!   the same files again.
//! - 1,000 small files: import time (the median of three imports into new libraries) against
//!   `calibredb add -r` (budget: ≥ 50× faster); skipped with a note when calibre is not installed.
//! - Search at 100,000 resources: p95 latency over a mixed query set (budget: ≤ 25 ms), and the
//!   time from opening the library to its first page of items (budget: ≤ 2 s).
//! - A 4 GB file: peak resident memory of the import (budget: < 200 MB).
//! - Responsiveness while 10,000 files are imported: the latency of what the window asks the
//!   library meanwhile (the first page of the listing, a resource's details), against the same
//!   calls once the import is over (our target: p95 ≤ 100 ms, a click that feels immediate).
//!
//! `BENCH_SCALE` (default 1.0) shrinks the data sets for a quick run.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use commonplace_library::{ImportOptions, ImportReport, Library, SearchQuery, SortOrder};

fn main() {
    let scale: f64 = std::env::var("BENCH_SCALE").ok().and_then(|value| value.parse().ok()).unwrap_or(1.0);
    // The scratch folder is in the build's own folder, not in the system's shared /tmp: there,
    // other programs delete thousands of files a minute, and ext4 passes over inodes freed in the
    // last minute when it makes a new file, so each file created (by us or by calibre) costs
    // several times what it costs in a user's home folder.
    let scratch = tempfile::Builder::new()
        .prefix("commonplace-bench")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("scratch folder");
    println!("Commonplace library benchmarks (scale {scale})\n");
    // `BENCH_ONLY=search` (or another part's name) runs one part.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let wanted = |part: &str| only.is_empty() || only == part;
    if wanted("memory") {
        large_file_memory(scratch.path(), scale);
    }
    if wanted("large") {
        large_files(scratch.path(), scale);
    }
    if wanted("small") {
        small_files(scratch.path(), scale);
    }
    if wanted("responsive") {
        responsiveness(scratch.path(), scale);
    }
    if wanted("search") {
        search(scratch.path(), scale);
    }
    if wanted("history") {
        history(scratch.path(), scale);
    }
}

fn scaled(count: f64, scale: f64) -> usize {
    ((count * scale).round() as usize).max(1)
}

fn new_library(scratch: &Path, name: &str) -> Library {
    Library::open_or_create(&scratch.join(name)).expect("library").0
}

fn import(library: &Library, paths: &[PathBuf]) -> ImportReport {
    library
        .import(paths, &ImportOptions { author: "bench".into() }, &mut |_| {}, &AtomicBool::new(false))
        .expect("import")
}

/// Writes out everything earlier parts left dirty in the page cache, so a part that flushes to
/// disk does not pay for another part's writes.
fn settle() {
    let _ = Command::new("sync").status();
}

fn time<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = work();
    (value, started.elapsed())
}

fn available(tool: &str) -> bool {
    Command::new(tool).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

/// CPU time this process has used so far (user and system, all threads), from Linux's /proc.
fn cpu_seconds() -> f64 {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks: f64 = fields
        .get(11..13)
        .map_or(0.0, |pair| pair.iter().filter_map(|field| field.parse::<f64>().ok()).sum());
    ticks / 100.0
}

/// Peak resident set size of this process so far, from Linux's /proc.
fn peak_rss_mb() -> Option<f64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}

/// Pseudo-random bytes (xorshift), so content neither compresses nor deduplicates.
fn fill_random(file: &mut File, bytes: u64, seed: u64) {
    let mut state = (seed << 1) | 1; // Odd and different for every seed.
    let mut buffer = vec![0u8; 1 << 20];
    let mut written = 0;
    while written < bytes {
        for chunk in buffer.chunks_exact_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        let count = (bytes - written).min(buffer.len() as u64) as usize;
        file.write_all(&buffer[..count]).expect("write");
        written += count as u64;
    }
}

fn large_file_memory(scratch: &Path, scale: f64) {
    let size = (4.0 * 1024.0 * 1024.0 * 1024.0 * scale) as u64;
    let path = scratch.join("big.bin");
    // A sparse file: the import still reads, hashes and copies every byte.
    File::create(&path).and_then(|file| file.set_len(size)).expect("sparse file");
    let library = new_library(scratch, "memory");
    let before = peak_rss_mb().unwrap_or(0.0);
    let (_, elapsed) = time(|| import(&library, std::slice::from_ref(&path)));
    let after = peak_rss_mb().unwrap_or(0.0);
    println!(
        "large file: imported {:.1} GB in {:.1} s; peak RSS {after:.0} MB (before {before:.0} MB) — budget < 200 MB: {}",
        size as f64 / 1e9,
        elapsed.as_secs_f64(),
        verdict(after < 200.0)
    );
    drop(library);
    let _ = fs::remove_dir_all(scratch.join("memory"));
    let _ = fs::remove_file(path);
}

fn large_files(scratch: &Path, scale: f64) {
    let folder = scratch.join("large");
    fs::create_dir_all(&folder).expect("folder");
    let count = 8;
    let each = (128.0 * 1024.0 * 1024.0 * scale) as u64;
    let paths: Vec<PathBuf> = (0..count)
        .map(|index| {
            let path = folder.join(format!("video-{index}.bin"));
            fill_random(&mut File::create(&path).expect("create"), each, index as u64 + 7);
            path
        })
        .collect();
    let total_mb = (each * count as u64) as f64 / (1024.0 * 1024.0);
    if !available("b3sum") {
        println!(
            "large files: skipped the baseline (b3sum is not installed; `cargo xtask bench` installs it)"
        );
        return;
    }
    let baseline = || {
        let list: Vec<String> = paths.iter().map(|path| format!("'{}'", path.display())).collect();
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("cat {} | b3sum", list.join(" ")))
            .stdout(Stdio::null())
            .status();
        assert!(status.is_ok_and(|status| status.success()), "cat | b3sum failed");
    };
    baseline(); // Both sides then read from the page cache.
    // The two sides take turns, ROUNDS times, and the medians are compared: on a shared machine
    // one measurement of either can be off by half.
    let mut baseline_times = Vec::new();
    let mut import_times = Vec::new();
    let mut import_cpu = 0.0;
    let mut again = Duration::ZERO;
    let mut again_written = 0;
    for round in 0..ROUNDS {
        settle();
        baseline_times.push(time(baseline).1);
        let name = format!("large-library-{round}");
        let library = new_library(scratch, &name);
        settle();
        let cpu_before = cpu_seconds();
        import_times.push(time(|| import(&library, &paths)).1);
        import_cpu += cpu_seconds() - cpu_before;
        if round == ROUNDS - 1 {
            // The same files again, as when a teacher imports a folder a second time: each is
            // recognised from its size and hash, and nothing is copied.
            settle();
            let written_before = bytes_written();
            again = time(|| import(&library, &paths)).1;
            again_written = bytes_written() - written_before;
        }
        drop(library);
        let _ = fs::remove_dir_all(scratch.join(name));
    }
    let (baseline_time, ours) = (median(&mut baseline_times), median(&mut import_times));
    let ratio = baseline_time.as_secs_f64() / ours.as_secs_f64();
    println!(
        "large files: {total_mb:.0} MB, median of {ROUNDS} — import {:.0} MB/s (range {}), cat | b3sum {:.0} MB/s (range {}); throughput ratio {ratio:.2} (budget ≥ 0.8): {}",
        total_mb / ours.as_secs_f64(),
        range_mb_s(total_mb, &import_times),
        total_mb / baseline_time.as_secs_f64(),
        range_mb_s(total_mb, &baseline_times),
        verdict(ratio >= 0.8)
    );
    // Context for the ratio: `cat | b3sum` only reads, while an import must also write a copy
    // and make it durable. Copying the same files with `cp` and flushing them is that floor, and
    // the flush alone is how fast this disk takes a gigabyte from the page cache.
    let copies = scratch.join("large-copies");
    fs::create_dir_all(&copies).expect("folder");
    settle();
    let (_, copy_time) = time(|| {
        let status = Command::new("cp").args(&paths).arg(&copies).status();
        assert!(status.is_ok_and(|status| status.success()), "cp failed");
    });
    let (_, flush_time) = time(|| {
        let status = Command::new("sync").arg("--file-system").arg(&copies).status();
        assert!(status.is_ok_and(|status| status.success()), "sync failed");
    });
    let total_time: f64 = import_times.iter().map(Duration::as_secs_f64).sum();
    println!(
        "large files (context): cp + sync {:.0} MB/s, the flush alone {:.0} MB/s; import against cp + sync {:.2}×, at {:.0}% of the flush's speed, busy {:.1} cores on average",
        total_mb / (copy_time + flush_time).as_secs_f64(),
        total_mb / flush_time.as_secs_f64(),
        (copy_time + flush_time).as_secs_f64() / ours.as_secs_f64(),
        100.0 * flush_time.as_secs_f64() / ours.as_secs_f64(),
        import_cpu / total_time,
    );
    println!(
        "large files (imported again): {:.0} ms, {:.1} MB written by the import (the first import took {:.0} ms)",
        again.as_secs_f64() * 1000.0,
        again_written as f64 / 1e6,
        ours.as_secs_f64() * 1000.0,
    );
    let _ = fs::remove_dir_all(copies);
    let _ = fs::remove_dir_all(folder);
}

/// Bytes this process has had written to storage so far (dirtied in the page cache), from
/// Linux's /proc.
fn bytes_written() -> u64 {
    let io = fs::read_to_string("/proc/self/io").unwrap_or_default();
    io.lines()
        .find_map(|line| line.strip_prefix("write_bytes:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0)
}

/// Rounds of a comparison whose medians are compared.
const ROUNDS: usize = 3;

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The slowest and fastest of `times` as throughputs, for the report.
fn range_mb_s(total_mb: f64, times: &[Duration]) -> String {
    let rates: Vec<f64> = times.iter().map(|time| total_mb / time.as_secs_f64()).collect();
    let low = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let high = rates.iter().copied().fold(0.0, f64::max);
    format!("{low:.0}–{high:.0}")
}

const WORDS: &[&str] = &[
    "fraction",
    "photosynthesis",
    "volcano",
    "grammar",
    "equation",
    "history",
    "river",
    "planet",
    "energy",
    "democracy",
    "poetry",
    "molecule",
    "geometry",
    "climate",
    "language",
    "music",
    "algebra",
    "cell",
    "empire",
    "ecosystem",
    "probability",
    "novel",
    "circuit",
    "migration",
    "vocabulary",
    "theorem",
    "erosion",
    "rhythm",
    "protein",
    "revolution",
    "statistics",
    "habitat",
    "syntax",
    "gravity",
    "harvest",
    "citizenship",
    "orbit",
];

/// A small teaching text with a Zipf-like word mix, so some words are very common and most rare.
fn lesson(index: usize) -> String {
    let mut state = (index as u64).wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let title = format!(
        "{} and {} {index}",
        WORDS[(next() % 8) as usize],
        WORDS[(next() % WORDS.len() as u64) as usize]
    );
    let licence = ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CC-BY-NC-4.0"][(next() % 4) as usize];
    let mut body = String::new();
    for _ in 0..120 {
        let rank = (next() % 1000) as f64 / 1000.0;
        let word = WORDS[((rank * rank * rank) * WORDS.len() as f64) as usize % WORDS.len()];
        body.push_str(word);
        body.push(' ');
    }
    body.push_str(&format!("unique{index}"));
    format!("---\ntitle: {title}\nlicense: {licence}\nlang: en\n---\n{body}\n")
}

fn write_lessons(folder: &Path, count: usize) -> Vec<PathBuf> {
    fs::create_dir_all(folder).expect("folder");
    (0..count)
        .map(|index| {
            let path = folder.join(format!("lesson-{index:06}.md"));
            fs::write(&path, lesson(index)).expect("write");
            path
        })
        .collect()
}

fn small_files(scratch: &Path, scale: f64) {
    let folder = scratch.join("small");
    let paths = write_lessons(&folder, scaled(1000.0, scale));
    // Each round imports into a new library; calibre, at many seconds a run, runs once.
    let mut import_times = Vec::new();
    for round in 0..ROUNDS {
        let library = new_library(scratch, &format!("small-library-{round}"));
        settle();
        let (report, elapsed) = time(|| import(&library, std::slice::from_ref(&folder)));
        assert_eq!(report.items.len(), paths.len());
        import_times.push(elapsed);
    }
    let ours = median(&mut import_times);
    let per_second = paths.len() as f64 / ours.as_secs_f64();
    if !available("calibredb") {
        println!(
            "small files: {} files in {:.2} s ({per_second:.0}/s); calibre baseline skipped (calibredb is not installed)",
            paths.len(),
            ours.as_secs_f64()
        );
        return;
    }
    let calibre_library = scratch.join("calibre-library");
    settle();
    let (status, calibre) = time(|| {
        Command::new("calibredb")
            .args(["add", "--recurse", "--library-path"])
            .arg(&calibre_library)
            .arg(&folder)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
    });
    assert!(status.is_ok_and(|status| status.success()), "calibredb add failed");
    let ratio = calibre.as_secs_f64() / ours.as_secs_f64();
    println!(
        "small files: {} files — import {:.2} s (median of {ROUNDS}, range {:.2}–{:.2} s), calibredb add {:.2} s; {ratio:.0}× faster (budget ≥ 50×): {}",
        paths.len(),
        ours.as_secs_f64(),
        import_times[0].as_secs_f64(),
        import_times[ROUNDS - 1].as_secs_f64(),
        calibre.as_secs_f64(),
        verdict(ratio >= 50.0)
    );
}

fn search(scratch: &Path, scale: f64) {
    let count = scaled(100_000.0, scale);
    // `BENCH_SEARCH_LIBRARY=PATH` keeps the imported library there and reuses it on later runs,
    // for iterating on search alone.
    let kept = std::env::var_os("BENCH_SEARCH_LIBRARY").map(PathBuf::from);
    let root = kept.clone().unwrap_or_else(|| scratch.join("many-library"));
    if kept.is_none() || !root.join("library.json").exists() {
        let folder = scratch.join("many");
        write_lessons(&folder, count);
        let (report, elapsed) = {
            let library = Library::open_or_create(&root).expect("library").0;
            time(|| import(&library, std::slice::from_ref(&folder)))
        };
        println!(
            "search set: imported {} resources in {:.1} s ({:.0}/s)",
            report.items.len(),
            elapsed.as_secs_f64(),
            report.items.len() as f64 / elapsed.as_secs_f64()
        );
    }

    let (library, first_page) = time(|| {
        let library = Library::open(&root).expect("open");
        let page = library.search(&SearchQuery { limit: 200, ..SearchQuery::default() }).expect("list");
        assert_eq!(page.len(), 200.min(count));
        library
    });
    println!(
        "first items: open + first 200 of {count} in {:.0} ms (budget ≤ 2000 ms): {}",
        first_page.as_secs_f64() * 1000.0,
        verdict(first_page <= Duration::from_secs(2))
    );

    let licence = Some("CC-BY-4.0".to_owned());
    let queries: Vec<SearchQuery> = [
        ("fraction", None),       // very common
        ("energy", None),         // common
        ("unique4242", None),     // rare
        ("unique9", None),        // rare prefix run
        ("pho", None),            // 3-letter prefix
        ("gra", None),            // 3-letter prefix, several words
        ("cli", licence.clone()), // prefix with a filter
        ("volcano poetry", None), // two words
        ("", licence.clone()),    // list with a filter
        ("fraction", licence),    // common word with a filter
    ]
    .into_iter()
    .map(|(text, licence)| SearchQuery {
        text: text.to_owned(),
        licence,
        limit: 50,
        sort: SortOrder::Relevance,
        ..SearchQuery::default()
    })
    .collect();
    let mut latencies = Vec::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for _round in 0..20 {
        for query in &queries {
            let (_, elapsed) = time(|| library.search(query).expect("search"));
            latencies.push(elapsed);
            let label =
                format!("{:?}{}", query.text, if query.licence.is_some() { " + licence" } else { "" });
            match slowest.iter_mut().find(|(_, existing)| *existing == label) {
                Some((worst, _)) => *worst = (*worst).max(elapsed),
                None => slowest.push((elapsed, label)),
            }
        }
    }
    slowest.sort();
    let worst: Vec<String> = slowest
        .iter()
        .rev()
        .map(|(elapsed, label)| format!("{label} {:.1} ms", elapsed.as_secs_f64() * 1000.0))
        .collect();
    println!("search: slowest run per query: {}", worst.join(", "));
    latencies.sort();
    let p95 = latencies[latencies.len() * 95 / 100];
    let p50 = latencies[latencies.len() / 2];
    println!(
        "search: {} queries over {count} resources — p50 {:.1} ms, p95 {:.1} ms (budget ≤ 25 ms): {}",
        latencies.len(),
        p50.as_secs_f64() * 1000.0,
        p95.as_secs_f64() * 1000.0,
        verdict(p95 <= Duration::from_millis(25))
    );
}

/// A resource with 1,000 revisions (text saves and metadata edits) opens its history: the budget is
/// 200 ms. The baseline is `git log` listing a 1,000-commit repository made in the same run.
fn history(scratch: &Path, scale: f64) {
    let count = scaled(1000.0, scale);
    let library = new_library(scratch, "history");
    let sheet = scratch.join("sheet.md");
    std::fs::write(&sheet, "# Worksheet\n\nQuestion 0\n").expect("write");
    let report = import(&library, &[sheet]);
    let id = match &report.items[0].outcome {
        commonplace_library::ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("import failed: {other:?}"),
    };
    let (_, building) = time(|| {
        for index in 1..count {
            if index % 4 == 0 {
                let editable = library.editable_text(&id).expect("text");
                let text = format!("{}Question {index}\n", editable.text);
                library.save_text(&id, &editable.head, &text, "more questions", "bench").expect("save");
            } else {
                let title = format!("Worksheet, version {index}");
                library.edit(&id, &[(commonplace_library::Field::Title, title)], "bench").expect("edit");
            }
        }
    });
    let mut runs = Vec::new();
    let mut listed = 0;
    for _ in 0..10 {
        let (history, elapsed) = time(|| library.history(&id).expect("history"));
        listed = history.len();
        runs.push(elapsed);
    }
    runs.sort();
    let median = runs[runs.len() / 2];
    let worst = runs[runs.len() - 1];

    let baseline = available("git").then(|| {
        let repository = scratch.join("history-git");
        std::fs::create_dir_all(&repository).expect("folder");
        let git = |args: &[&str]| Command::new("git").arg("-C").arg(&repository).args(args).output().expect("git");
        git(&["init", "-q"]);
        let mut stream = String::new();
        for index in 0..count {
            let message = format!("revision {index}");
            stream.push_str(&format!(
                "commit refs/heads/main\ncommitter bench <bench@example.invalid> {} +0000\ndata {}\n{message}\n",
                1_700_000_000 + index,
                message.len()
            ));
            stream.push_str(&format!("M 644 inline sheet.md\ndata {}\nQuestion {index}\n\n", format!("Question {index}").len() + 1));
        }
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&repository)
            .args(["fast-import", "--quiet"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("git fast-import");
        use std::io::Write as _;
        child.stdin.take().expect("stdin").write_all(stream.as_bytes()).expect("write");
        child.wait().expect("fast-import");
        let mut git_runs: Vec<Duration> = (0..10)
            .map(|_| time(|| git(&["log", "--format=%H%x09%an%x09%at%x09%s", "main"])).1)
            .collect();
        git_runs.sort();
        git_runs[git_runs.len() / 2]
    });
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    println!(
        "history: {listed} revisions made in {:.1} s; listing them: median {:.1} ms, worst {:.1} ms (budget < 200 ms): {}",
        building.as_secs_f64(),
        ms(median),
        ms(worst),
        verdict(worst < Duration::from_millis(200))
    );
    match baseline {
        Some(git) => println!(
            "history: `git log` of {count} commits (process start included) median {:.1} ms — ratio {:.2}× git",
            ms(git),
            median.as_secs_f64() / git.as_secs_f64()
        ),
        None => println!("history: git not found, no baseline"),
    }
}

fn responsiveness(scratch: &Path, scale: f64) {
    use std::sync::atomic::Ordering;

    let folder = scratch.join("responsive");
    let paths = write_lessons(&folder, scaled(10_000.0, scale));
    let library = new_library(scratch, "responsive-library");
    // One resource to open while the import runs, as a teacher would keep browsing.
    let first = import(&library, &paths[..1]);
    let opened = match &first.items[0].outcome {
        commonplace_library::ImportOutcome::Imported { resource_id, .. } => resource_id.clone(),
        other => panic!("{other:?}"),
    };
    let listing = SearchQuery { limit: 200, ..SearchQuery::default() };
    // What the window does while it waits: list the first page, open a resource, every 20 ms.
    let probe = |library: &Library| {
        let started = Instant::now();
        library.search(&listing).expect("listing");
        library.resource(&opened).expect("details");
        started.elapsed()
    };
    settle();
    let importing = AtomicBool::new(true);
    let (report, took, mut during) = std::thread::scope(|scope| {
        let prober = scope.spawn(|| {
            let mut latencies = Vec::new();
            while importing.load(Ordering::Relaxed) {
                latencies.push(probe(&library));
                std::thread::sleep(Duration::from_millis(20));
            }
            latencies
        });
        let (report, took) = time(|| import(&library, &paths[1..]));
        importing.store(false, Ordering::Relaxed);
        (report, took, prober.join().expect("prober"))
    });
    assert_eq!(report.items.len(), paths.len() - 1);
    let mut idle: Vec<Duration> = (0..during.len().clamp(20, 200)).map(|_| probe(&library)).collect();
    let quantile = |latencies: &mut Vec<Duration>, share: usize| {
        latencies.sort();
        latencies[(latencies.len() * share / 100).min(latencies.len() - 1)].as_secs_f64() * 1000.0
    };
    let (p95, max) = (quantile(&mut during, 95), quantile(&mut during, 100));
    let idle_p95 = quantile(&mut idle, 95);
    println!(
        "responsiveness: {} files imported in {:.1} s; meanwhile the listing and details took p95 {p95:.1} ms, max {max:.1} ms over {} calls (idle p95 {idle_p95:.1} ms) — target p95 ≤ 100 ms: {}",
        paths.len(),
        took.as_secs_f64(),
        during.len(),
        verdict(p95 <= 100.0)
    );
    drop(library);
    let _ = fs::remove_dir_all(folder);
    let _ = fs::remove_dir_all(scratch.join("responsive-library"));
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT MET" }
}
