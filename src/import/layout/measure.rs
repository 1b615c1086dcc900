//! What a BPS column header names: the measure, the survey period and perkotaan/perdesaan.

/// What a value column measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    /// Persentase penduduk miskin (headcount index), in percent.
    P0,
    /// Indeks kedalaman kemiskinan (poverty gap index).
    P1,
    /// Indeks keparahan kemiskinan (poverty severity index).
    P2,
    /// Garis kemiskinan (poverty line), in rupiah per capita per month.
    GarisKemiskinan,
    /// Jumlah penduduk miskin (number of poor people), in thousands.
    JumlahPendudukMiskin,
}

impl Measure {
    /// Every measure, in the fixed column order of the tidy CSV.
    pub const ALL: [Measure; 5] = [
        Measure::P0,
        Measure::P1,
        Measure::P2,
        Measure::GarisKemiskinan,
        Measure::JumlahPendudukMiskin,
    ];

    /// Column name in the tidy CSV.
    pub fn field(self) -> &'static str {
        match self {
            Measure::P0 => "p0",
            Measure::P1 => "p1",
            Measure::P2 => "p2",
            Measure::GarisKemiskinan => "garis_kemiskinan",
            Measure::JumlahPendudukMiskin => "jumlah_penduduk_miskin",
        }
    }

    /// The field title in the descriptor ("Garis kemiskinan").
    pub fn title(self) -> &'static str {
        match self {
            Measure::P0 => "Persentase penduduk miskin (P0)",
            Measure::P1 => "Indeks kedalaman kemiskinan (P1)",
            Measure::P2 => "Indeks keparahan kemiskinan (P2)",
            Measure::GarisKemiskinan => "Garis kemiskinan",
            Measure::JumlahPendudukMiskin => "Jumlah penduduk miskin",
        }
    }

    /// The field's `lumbung:unit` ("persen", "indeks", "rupiah/kapita/bulan", "ribu jiwa").
    pub fn unit(self) -> &'static str {
        match self {
            Measure::P0 => "persen",
            Measure::P1 | Measure::P2 => "indeks",
            Measure::GarisKemiskinan => "rupiah/kapita/bulan",
            Measure::JumlahPendudukMiskin => "ribu jiwa",
        }
    }

    /// The field's `lumbung:decimals`.
    pub fn decimals(self) -> u8 {
        match self {
            Measure::GarisKemiskinan => 0,
            _ => 2,
        }
    }

    /// `None` for garis kemiskinan: a threshold, neither higher nor lower is better.
    pub fn lower_is_better(self) -> Option<bool> {
        (!matches!(self, Measure::GarisKemiskinan)).then_some(true)
    }

    /// The slug of the indicator the field feeds (`lumbung:indicator`).
    pub fn indicator(self) -> &'static str {
        match self {
            Measure::P0 => "p0",
            Measure::P1 => "p1",
            Measure::P2 => "p2",
            Measure::GarisKemiskinan => "garis-kemiskinan",
            Measure::JumlahPendudukMiskin => "jumlah-penduduk-miskin",
        }
    }

    /// Recognises a measure in a (lowercased) column header.
    pub fn detect(header: &str) -> Option<Measure> {
        let h = header.to_lowercase();
        let word = |w: &str| h.split(|c: char| !c.is_alphanumeric()).any(|x| x == w);
        if word("p1") || h.contains("kedalaman") {
            Some(Measure::P1)
        } else if word("p2") || h.contains("keparahan") {
            Some(Measure::P2)
        } else if h.contains("garis kemiskinan") {
            Some(Measure::GarisKemiskinan)
        } else if h.contains("jumlah penduduk miskin") {
            Some(Measure::JumlahPendudukMiskin)
        } else if word("p0") || h.contains("persentase penduduk miskin") {
            Some(Measure::P0)
        } else {
            None
        }
    }
}

/// Sub-year period of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Periode {
    /// March (Susenas Maret; "Semester 1").
    Maret,
    /// September (Susenas September; "Semester 2").
    September,
    /// A figure for the whole year, as the table says.
    Tahunan,
    /// The table gives the year alone; written as `tidak disebut`, never guessed.
    Unstated,
}

impl Periode {
    /// Every period, in output order.
    pub const ALL: [Periode; 4] = [
        Periode::Maret,
        Periode::September,
        Periode::Tahunan,
        Periode::Unstated,
    ];

    /// The period as written in the dataset's `periode` column.
    pub fn label(self) -> &'static str {
        match self {
            Periode::Maret => "Maret",
            Periode::September => "September",
            Periode::Tahunan => "Tahunan",
            Periode::Unstated => "tidak disebut",
        }
    }

    /// The period a (column) header names, if any.
    pub(super) fn detect(header: &str) -> Option<Periode> {
        let h = header.to_lowercase();
        if h.contains("maret") {
            Some(Periode::Maret)
        } else if h.contains("september") {
            Some(Periode::September)
        } else if h.contains("tahunan") {
            Some(Periode::Tahunan)
        } else {
            None
        }
    }
}

/// Urban, rural or both, where a table splits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Daerah {
    /// Urban areas.
    Perkotaan,
    /// Rural areas.
    Perdesaan,
    /// Urban and rural together.
    Total,
}

impl Daerah {
    /// The name written in the tidy CSV ("Perkotaan").
    pub fn label(self) -> &'static str {
        match self {
            Daerah::Perkotaan => "Perkotaan",
            Daerah::Perdesaan => "Perdesaan",
            Daerah::Total => "Jumlah",
        }
    }

    /// The daerah a row of the national table by daerah names: `Kota`, `Desa`, `Kota+Desa`.
    pub fn of_row(name: &str) -> Option<Daerah> {
        match name.trim().to_lowercase().replace(' ', "").as_str() {
            "kota" | "perkotaan" => Some(Daerah::Perkotaan),
            "desa" | "perdesaan" => Some(Daerah::Perdesaan),
            "kota+desa" | "perkotaan+perdesaan" | "jumlah" | "total" => Some(Daerah::Total),
            _ => None,
        }
    }

    /// `None` when the header says nothing about urban/rural.
    pub(super) fn detect(header: &str) -> Option<Daerah> {
        let h = header.to_lowercase();
        let kota = h.contains("perkotaan");
        let desa = h.contains("perdesaan") || h.contains("pedesaan");
        match (kota, desa) {
            (true, true) => Some(Daerah::Total),
            (true, false) => Some(Daerah::Perkotaan),
            (false, true) => Some(Daerah::Perdesaan),
            (false, false) if h.contains("perkotaan+perdesaan") || h.contains("total") => {
                Some(Daerah::Total)
            }
            // "… Menurut Provinsi dan Daerah (Persen) Jumlah 2024 …": the total of both daerah.
            (false, false)
                if h.contains("daerah")
                    && h.split(|c: char| !c.is_alphanumeric())
                        .collect::<Vec<_>>()
                        .windows(2)
                        .any(|w| w[0] == "jumlah" && w[1] != "penduduk") =>
            {
                Some(Daerah::Total)
            }
            _ => None,
        }
    }
}
