//! The `lumbung import` subcommands (clap) and how they print their report or errors.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::import::layout::Periode;
use crate::import::wilayah::Levels;
use crate::import::{BpsSettings, import_bps, tidy, wilayah};

/// The period the publisher declares for tables whose header names none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PeriodeArg {
    /// March (Susenas Maret).
    Maret,
    /// September (Susenas September).
    September,
    /// A whole-year figure.
    Tahunan,
}

impl From<PeriodeArg> for Periode {
    fn from(p: PeriodeArg) -> Periode {
        match p {
            PeriodeArg::Maret => Periode::Maret,
            PeriodeArg::September => Periode::September,
            PeriodeArg::Tahunan => Periode::Tahunan,
        }
    }
}

/// The `lumbung import` subcommands: `bps`, `tabel` and `wilayah`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ImportCommand {
    /// Turns BPS web-table exports (CSV files or folders of them) into one dataset folder.
    Bps {
        /// The region registry (kode,nama,jenis,kode_induk), e.g. data/wilayah.csv.
        #[arg(long)]
        registry: PathBuf,
        /// The dataset folder to write, e.g. data/kemiskinan-bps.
        #[arg(long)]
        out: PathBuf,
        /// Extra aliases: CSV `nama_bps,kode`; a BPS code as nama_bps adds a crosswalk entry.
        #[arg(long)]
        aliases: Option<PathBuf>,
        /// Declare the period of tables whose header names none (by default they are written as
        /// "tidak disebut", unless the province tables prove their period).
        #[arg(long, value_enum)]
        periode: Option<PeriodeArg>,
        /// Where tables disagree on a cell, the value from files whose path contains this text
        /// wins (repeat for a ranking; first match first). Without it a disagreement is an error.
        #[arg(long = "utamakan", value_name = "BAGIAN_NAMA_BERKAS")]
        prefer: Vec<String>,
        /// BPS export files, or folders holding them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Turns tidy open-data exports (one row per region and year: kode_kabupaten_kota,
    /// nama_kabupaten_kota, tahun, satuan, …) into one dataset folder.
    Tabel {
        /// The region registry, e.g. data/wilayah.csv (with kode_bps to read BPS codes directly).
        #[arg(long)]
        registry: PathBuf,
        /// The dataset folder to write, e.g. data/pkh-kabkota.
        #[arg(long)]
        out: PathBuf,
        /// Who published the figures, e.g. "Open Data Jawa Barat" (required: every figure is credited).
        #[arg(long)]
        sumber: String,
        /// The source's address (https://…).
        #[arg(long)]
        tautan: Option<String>,
        /// The dataset title; by default made from the columns and years.
        #[arg(long)]
        judul: Option<String>,
        /// A programme the figures belong to: the file name of content/program/<program>.md (repeatable).
        #[arg(long)]
        program: Vec<String>,
        /// The export writes 0 where a value is missing: write zeros as missing (each is still reported).
        #[arg(long = "nol-kosong")]
        nol_kosong: bool,
        /// Extra aliases: CSV `nama_bps,kode`.
        #[arg(long)]
        aliases: Option<PathBuf>,
        /// Tidy CSV files (comma or semicolon separated), or folders holding them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Builds a region registry from a Kemendagri code list.
    Wilayah {
        /// The registry file to write, e.g. data/wilayah.csv.
        #[arg(long)]
        out: PathBuf,
        /// How deep to go.
        #[arg(long, value_enum, default_value = "desa")]
        levels: Levels,
        /// A BPS code list (a folder with provinces.csv, regencies.csv, districts.csv): adds a
        /// kode_bps column, matched by name within each parent.
        #[arg(long)]
        bps: Option<PathBuf>,
        /// Kemendagri list: CSV with kode,nama (jenis, kode_induk, tingkat optional), or a
        /// MySQL dump (INSERT INTO wilayah (kode, nama) VALUES …).
        source: PathBuf,
    },
}

/// Runs an import, prints the report (stdout) or every error (stderr), and gives the exit code.
pub fn run(cmd: ImportCommand) -> ExitCode {
    match cmd {
        ImportCommand::Bps {
            registry,
            out,
            aliases,
            periode,
            prefer,
            files,
        } => {
            let settings = BpsSettings {
                default_periode: periode.map(Into::into),
                prefer,
            };
            finish(import_bps(
                &registry,
                &out,
                aliases.as_deref(),
                &files,
                &settings,
            ))
        }
        ImportCommand::Tabel {
            registry,
            out,
            sumber,
            tautan,
            judul,
            program,
            nol_kosong,
            aliases,
            files,
        } => {
            let settings = tidy::TabelSettings {
                source: sumber,
                source_url: tautan,
                title: judul,
                programs: program,
                zero_is_missing: nol_kosong,
            };
            finish(tidy::import_tabel(
                &registry,
                &out,
                aliases.as_deref(),
                &files,
                &settings,
            ))
        }
        ImportCommand::Wilayah {
            out,
            levels,
            bps,
            source,
        } => match wilayah::import_wilayah(&source, &out, levels, bps.as_deref()) {
            Ok(report) => {
                print!("{report}");
                println!("  ditulis: {}", out.display());
                ExitCode::SUCCESS
            }
            Err(errors) => {
                eprintln!("{errors}");
                eprintln!("impor dibatalkan: {} tidak ditulis", out.display());
                ExitCode::FAILURE
            }
        },
    }
}

/// A table import's report on stdout, or its errors on stderr with the note that nothing was written.
fn finish(result: Result<impl std::fmt::Display, crate::diagnostic::Diagnostics>) -> ExitCode {
    match result {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("impor dibatalkan: tidak ada berkas yang ditulis");
            ExitCode::FAILURE
        }
    }
}
