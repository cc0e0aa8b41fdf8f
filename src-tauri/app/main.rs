// Without this a console window opens beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    // PDF pages are drawn by this same program, started again as a helper (see `pdfpage`).
    if let Some(code) = commonplace_library::pdfpage::serve_helper() {
        return code;
    }
    commonplace_app::run();
    std::process::ExitCode::SUCCESS
}
