//! The `lumbung` command line: build, check (and later import) a portal.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use lumbung::build::{Options, build};
use lumbung::freeze::Frozen;

/// mimalloc: a build allocates and frees millions of small strings on every thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Lumbung: static poverty-data portals from Markdown and CSV.
#[derive(Parser)]
#[command(name = "lumbung", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import BPS web-table exports or a Kemendagri region list into validated datasets.
    Import {
        #[command(subcommand)]
        cmd: lumbung::import::cli::ImportCommand,
    },
    /// Build the site into public/ (or --output); the old output stays until the build succeeds.
    Build {
        /// The site folder (with lumbung.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include pages marked draf = true.
        #[arg(long)]
        drafts: bool,
        /// Print only errors and the summary.
        #[arg(long, short)]
        quiet: bool,
        /// Build everything again: draw every chart PNG instead of reusing
        /// ROOT/.lumbung-cache/png/, even when nothing changed since the last build.
        #[arg(long)]
        no_cache: bool,
        /// After the summary, print the files and render time of each kind of output (as Hugo's
        /// --templateMetrics does), costliest first.
        #[arg(long)]
        timings: bool,
    },
    /// Build the site, serve it on localhost for a preview, and rebuild when a source file changes.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        output: Option<PathBuf>,
        #[arg(long)]
        drafts: bool,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8000")]
        addr: String,
        /// Do not rebuild when content/, data/, templates/, static/, themes/ or lumbung.toml change.
        #[arg(long)]
        no_watch: bool,
    },
    /// Load and validate everything and render in memory, including the link check; write nothing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        drafts: bool,
        /// Check only the internal links and anchors of an already built folder (default:
        /// ROOT/public) instead of rendering. Without --links, `check` renders in memory and
        /// checks links as part of it, as `build` does.
        #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = "")]
        links: Option<PathBuf>,
    },
    /// Keep each dataset's current version in data/<dataset>/rilis/<version>/ exactly as it is
    /// published, so its files keep their addresses (/data/<dataset>/v<version>/) in every later build.
    Rilis {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Datasets to release (their names or folder names); default: every dataset with a version.
        datasets: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            quiet,
            no_cache,
            timings,
        } => {
            let opts = Options {
                root,
                output,
                drafts,
                check_only: false,
                progress: !quiet,
                keep_contexts: false,
                png_cache: !no_cache,
                release: None,
                watching: false,
            };
            let result = build(&opts);
            if timings && let Ok(s) = &result {
                print_timings(s);
            }
            report(result, "Situs selesai dibangun")
        }
        Command::Serve {
            root,
            output,
            drafts,
            addr,
            no_watch,
        } => {
            let out = output.clone().unwrap_or_else(|| root.join("public"));
            if let Some(why) = lumbung::output::unsafe_target(&root, &out) {
                eprintln!(
                    "kesalahan: {why}: {}\n  = saran: pilih folder keluaran tersendiri, misalnya --output public (bawaan)",
                    out.display()
                );
                return ExitCode::FAILURE;
            }
            let opts = Options {
                root: root.clone(),
                output,
                drafts,
                check_only: false,
                progress: true,
                keep_contexts: false,
                png_cache: true,
                release: None,
                watching: true,
            };
            // The port first: one in use is reported before a build. A failed build keeps the
            // previous output; the preview still starts, and the next save rebuilds.
            let mount = lumbung::config::Config::load(&root)
                .map(|c| c.base_path().to_string())
                .unwrap_or_default();
            let preview = std::sync::Arc::new(lumbung::live::Preview::default());
            let server = match lumbung::serve::start_preview(
                &out,
                &addr,
                &mount,
                (!no_watch).then(|| preview.clone()),
            ) {
                Ok(handle) => handle,
                Err(e) => {
                    eprintln!("kesalahan: {e}");
                    return ExitCode::FAILURE;
                }
            };
            // The watch before the first build: a save made while it runs is not lost.
            let watch = if no_watch {
                None
            } else {
                match lumbung::serve::Watch::start(&root, &out) {
                    Ok(w) => Some(w),
                    Err(e) => {
                        eprintln!("kesalahan: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            };
            let first = build(&opts);
            preview.built(first.as_ref().err().map(ToString::to_string));
            report(first, "Situs selesai dibangun");
            let Some(watch) = watch else {
                let _ = server.join();
                return ExitCode::SUCCESS;
            };
            let quiet = Options {
                progress: false,
                ..opts
            };
            match watch.run(Duration::from_millis(100), || {
                let result = build(&quiet);
                preview.built(result.as_ref().err().map(ToString::to_string));
                report(result, "Situs selesai dibangun ulang");
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("kesalahan: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Import { cmd } => lumbung::import::cli::run(cmd),
        Command::Rilis { root, datasets } => release(root, datasets),
        Command::Check {
            root,
            links: Some(dir),
            ..
        } => check_links(&root, dir),
        Command::Check {
            root,
            drafts,
            links: None,
        } => {
            let opts = Options {
                root,
                output: None,
                drafts,
                check_only: true,
                progress: false,
                keep_contexts: false,
                png_cache: true,
                release: None,
                watching: false,
            };
            report(build(&opts), "Pemeriksaan selesai tanpa kesalahan")
        }
    }
}

/// `lumbung rilis [DATASET...]`: the site built in memory, then each dataset's current version
/// kept in its `rilis/` folder.
fn release(root: PathBuf, datasets: Vec<String>) -> ExitCode {
    let mut opts = Options::new(root);
    opts.check_only = true;
    opts.release = Some(datasets);
    match build(&opts) {
        Ok(s) => {
            for w in &s.warnings {
                eprintln!("{w}\n");
            }
            for r in &s.released {
                match r {
                    Frozen::Kept {
                        dataset,
                        version,
                        folder,
                        files,
                    } => println!(
                        "{dataset} versi {version} dirilis: {} ({})",
                        folder.display(),
                        files.join(", ")
                    ),
                    Frozen::Already { dataset, version } => {
                        println!("{dataset} versi {version} sudah dirilis; tidak ada yang diubah")
                    }
                    Frozen::Unversioned { dataset } => println!(
                        "{dataset} tidak punya \"version\" di datapackage.json; tidak dirilis"
                    ),
                }
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            eprintln!("Tidak ada rilis yang disimpan.");
            ExitCode::FAILURE
        }
    }
}

/// `--timings`: per kind of output, the files and the render time summed over threads.
fn print_timings(s: &lumbung::build::Summary) {
    let mut rows: Vec<_> = s.timings.iter().collect();
    rows.sort_by(|a, b| b.1.1.cmp(&a.1.1).then_with(|| a.0.cmp(b.0)));
    let total: f64 = rows.iter().map(|r| r.1.1.as_secs_f64()).sum();
    eprintln!(
        "{:<28} {:>8} {:>12} {:>10} {:>7}",
        "jenis keluaran", "berkas", "waktu (ms)", "ms/berkas", "bagian"
    );
    for (kind, (n, t)) in rows {
        let ms = t.as_secs_f64() * 1000.0;
        eprintln!(
            "{kind:<28} {n:>8} {ms:>12.1} {:>10.3} {:>6.1}%",
            ms / (*n).max(1) as f64,
            if total > 0.0 {
                100.0 * t.as_secs_f64() / total
            } else {
                0.0
            }
        );
    }
    eprintln!(
        "(waktu render dijumlahkan dari semua utas; {:.2} detik seluruhnya untuk build ini)",
        s.elapsed.as_secs_f64()
    );
}

/// `lumbung check --links [DIR]`: the link check on a folder on disk.
fn check_links(root: &Path, dir: PathBuf) -> ExitCode {
    let dir = if dir.as_os_str().is_empty() {
        root.join("public")
    } else {
        dir
    };
    if !dir.join("index.html").is_file() {
        eprintln!(
            "kesalahan: {} bukan folder situs yang sudah dibangun (tidak ada index.html)\n  = saran: jalankan `lumbung build` dulu atau sebutkan foldernya: lumbung check --links public/",
            dir.display()
        );
        return ExitCode::FAILURE;
    }
    // The site's own absolute URLs count as internal when lumbung.toml is there.
    let base = lumbung::config::Config::load(root).ok().map(|c| c.base_url);
    match lumbung::links::check_dir(&dir, base.as_deref()) {
        Ok(d) if d.is_empty() => {
            println!("Tautan internal di {} baik semua", dir.display());
            ExitCode::SUCCESS
        }
        Ok(d) => {
            let n = d.len();
            eprintln!("{}", lumbung::diagnostic::Diagnostics(d));
            eprintln!("{n} tautan rusak di {}.", dir.display());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("kesalahan: gagal membaca {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

fn report(
    result: Result<lumbung::build::Summary, lumbung::diagnostic::Diagnostics>,
    ok: &str,
) -> ExitCode {
    match result {
        Ok(s) => {
            for w in &s.warnings {
                eprintln!("{w}\n");
            }
            println!("{ok}: {s}");
            for t in &s.translations {
                println!("{t}");
            }
            if s.nothing_changed {
                println!(
                    "Tidak ada masukan atau keluaran yang berubah sejak build terakhir: keluaran dibiarkan seperti adanya (--no-cache untuk membangun ulang semuanya)."
                );
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            eprintln!("Build dibatalkan; keluaran sebelumnya tidak diubah.");
            ExitCode::FAILURE
        }
    }
}
