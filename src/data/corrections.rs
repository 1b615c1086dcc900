//! A dataset's corrections file, `koreksi.csv` beside its data: values the publisher corrected, confirmed or held back, each with a reason and a source.
//!
//! ```text
//! kode_wilayah,tahun,periode,dimensi,kolom,nilai_terbit,nilai_koreksi,alasan,sumber
//! 00,2022,Maret,daerah=Jumlah,garis_kemiskinan,505,505469,Tiga angka terakhir hilang di ekspor BPS,https://www.bps.go.id/…
//! ```
//!
//! `nilai_koreksi` equal to `nilai_terbit` confirms a value a check flagged; an empty
//! `nilai_koreksi` holds the value back on purpose.

use std::path::Path;

use super::sidecar;
use crate::diagnostic::{Code, Diagnostic};

/// The columns of `koreksi.csv`, in order.
pub const COLUMNS: [&str; 9] = [
    "kode_wilayah",
    "tahun",
    "periode",
    "dimensi",
    "kolom",
    "nilai_terbit",
    "nilai_koreksi",
    "alasan",
    "sumber",
];

/// The file name, inside the dataset's folder.
pub const FILE: &str = "koreksi.csv";

/// One correction, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// The region code of the row it corrects.
    pub region: String,
    /// The time cell, as plain text (`2022`).
    pub time: String,
    /// The period cell (`Maret`), empty when the dataset has none or the row names none.
    pub period: String,
    /// The dimension cells as `field=value` pairs, sorted.
    pub dimensions: Vec<(String, String)>,
    /// The measure field it corrects.
    pub field: String,
    /// The value as published (must equal the data).
    pub published: f64,
    /// The value to use; `None` holds the value back.
    pub corrected: Option<f64>,
    /// Why.
    pub reason: String,
    /// Where the corrected value comes from (a URL or a citation).
    pub source: String,
    /// The 1-based line in `koreksi.csv`.
    pub line: usize,
    /// The line as written, for messages.
    pub raw: String,
}

/// Parses `dimensi`: `daerah=Perkotaan; jenis_kelamin=Perempuan`.
pub fn parse_dimensions(s: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=')?;
        out.push((k.trim().to_string(), v.trim().to_string()));
    }
    out.sort();
    Some(out)
}

/// Reads `koreksi.csv` when the folder has one; every bad row is reported.
pub fn read(folder: &Path, shown: &Path) -> Result<Vec<Correction>, Vec<Diagnostic>> {
    match sidecar::read(folder, FILE, shown, Code::CorrectionBad, "koreksi")? {
        Some(text) => parse(shown, &text),
        None => Ok(Vec::new()),
    }
}

/// Parses the text of a corrections file; `shown` is its path for messages.
pub fn parse(shown: &Path, text: &str) -> Result<Vec<Correction>, Vec<Diagnostic>> {
    let rows = sidecar::rows(shown, text, &COLUMNS, Code::CorrectionBad, "koreksi")?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for r in rows {
        match r.map(|r| (correction(&r.record, r.line, r.raw), r)) {
            Ok((Ok(c), _)) => out.push(c),
            Ok((Err((field, msg, hint)), r)) => {
                errors.push(r.error(Code::CorrectionBad, shown, field, msg, hint));
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// One record as a correction, or the field that is wrong, the message and the hint.
fn correction(
    rec: &csv::StringRecord,
    line: usize,
    raw: &str,
) -> Result<Correction, (&'static str, String, &'static str)> {
    let get = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
    let number = |i: usize,
                  required: bool|
     -> Result<Option<f64>, (&'static str, String, &'static str)> {
        let v = get(i);
        if v.is_empty() && !required {
            return Ok(None);
        }
        v.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Some)
            .ok_or((
                COLUMNS[i],
                format!("\"{v}\" bukan angka ({})", COLUMNS[i]),
                "tulis angka dengan titik sebagai tanda desimal dan tanpa pemisah ribuan, misalnya 505469 atau 10.64",
            ))
    };
    let dimensions = parse_dimensions(&get(3)).ok_or((
        "dimensi",
        format!("dimensi \"{}\" tidak bisa dibaca", get(3)),
        "tulis kolom=nilai, dipisah titik koma: daerah=Perkotaan; jenis_kelamin=Perempuan",
    ))?;
    let reason = get(7);
    if reason.is_empty() {
        return Err((
            "alasan",
            "koreksi tanpa alasan".into(),
            "tulis mengapa nilai ini dikoreksi, dikonfirmasi atau ditahan",
        ));
    }
    let corrected = number(6, false)?;
    let source = get(8);
    if source.is_empty() && corrected.is_some() {
        return Err((
            "sumber",
            "koreksi tanpa sumber".into(),
            "sebutkan dari mana nilai koreksi berasal (alamat web atau judul publikasi)",
        ));
    }
    Ok(Correction {
        region: get(0),
        time: get(1),
        period: get(2),
        dimensions,
        field: get(4),
        published: number(5, true)?.unwrap_or_default(),
        corrected,
        reason,
        source,
        line,
        raw: raw.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_corrections_confirmations_and_holds() {
        let t = "kode_wilayah,tahun,periode,dimensi,kolom,nilai_terbit,nilai_koreksi,alasan,sumber\n\
                 00,2022,Maret,daerah=Jumlah,garis_kemiskinan,505,505469,Tiga angka hilang,https://bps.go.id/\n\
                 36,2023,,,p0,0,,Nol berarti kosong,\n";
        let c = parse(Path::new("koreksi.csv"), t).unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].corrected, Some(505469.0));
        assert_eq!(c[0].dimensions, [("daerah".into(), "Jumlah".into())]);
        assert_eq!(
            c[1].corrected, None,
            "an empty correction holds the value back"
        );
        let bad = "kode_wilayah,tahun,periode,dimensi,kolom,nilai_terbit,nilai_koreksi,alasan,sumber\n\
                   00,2022,Maret,,p0,1.234,5,,x\n";
        let e = parse(Path::new("koreksi.csv"), bad).unwrap_err();
        assert_eq!(e[0].code, Code::CorrectionBad);
    }
}
