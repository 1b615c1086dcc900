//! The input of every table import: folders expanded into their `.csv` files, each file read as text, with the registry and the aliases.

use std::path::{Path, PathBuf};

use crate::data::registry::Registry;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::import::aliases::Aliases;

/// Expands directories into the `.csv` files they hold (sorted by name); files stay as given.
pub fn expand_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut out = Vec::new();
    let mut errors = Diagnostics::default();
    for p in paths {
        if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(rd) => {
                    let mut files: Vec<PathBuf> = rd
                        .filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|f| {
                            f.is_file()
                                && f.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"))
                        })
                        .collect();
                    files.sort();
                    if files.is_empty() {
                        errors.push(
                            Diagnostic::error(Code::ImportInput, p, "folder ini tidak berisi berkas .csv")
                                .hint("sebutkan berkas ekspor BPS (.csv) atau folder yang berisi berkas itu"),
                        );
                    }
                    out.extend(files);
                }
                Err(e) => errors.push(Diagnostic::error(
                    Code::ImportInput,
                    p,
                    format!("tidak bisa membaca folder: {e}"),
                )),
            }
        } else {
            out.push(p.clone());
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::error(Code::ImportInput, ".", "tidak ada berkas masukan")
                .hint("contoh: lumbung import bps --registry data/wilayah.csv --out data/kemiskinan berkas-bps.csv"),
        );
    }
    if errors.has_errors() {
        Err(errors)
    } else {
        Ok(out)
    }
}

/// Input files as (path as given, text).
pub type Inputs = Vec<(PathBuf, String)>;

/// What every table import reads first: the registry, the built-in aliases with the user's
/// (`--aliases`), and each input file (folders expanded) as text. UTF-8 is expected;
/// Windows-1252 files are read byte for byte. Every unreadable file is reported.
pub fn read_inputs(
    registry: &Path,
    alias_file: Option<&Path>,
    files: &[PathBuf],
) -> Result<(Registry, Aliases, Inputs), Diagnostics> {
    let reg = Registry::load(Path::new(""), registry).map_err(Diagnostics::from)?;
    let mut aliases = Aliases::builtin(&reg);
    if let Some(a) = alias_file {
        let errs = aliases.load_file(a, a, &reg);
        if !errs.is_empty() {
            return Err(errs.into());
        }
    }
    let paths = expand_inputs(files)?;
    let mut inputs = Vec::new();
    let mut errors = Diagnostics::default();
    for p in &paths {
        match std::fs::read(p) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => inputs.push((p.clone(), t)),
                Err(e) => {
                    // BPS exports are UTF-8; Windows-1252 files are read byte for byte.
                    let t: String = e.as_bytes().iter().map(|&b| b as char).collect();
                    inputs.push((p.clone(), t));
                }
            },
            Err(e) => errors.push(
                Diagnostic::error(
                    Code::ImportInput,
                    p,
                    format!("tidak bisa membaca berkas: {e}"),
                )
                .hint("periksa nama dan letak berkas"),
            ),
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok((reg, aliases, inputs))
}
