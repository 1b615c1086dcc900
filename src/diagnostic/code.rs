//! The stable kind of every error and warning: printed as `kesalahan[L0406]`, documented in `docs/errors.md`.

/// Declares the codes: variant, printed id, and the one-line summary `docs/errors.md` repeats.
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $name:ident = $id:literal, )+) => {
        /// What kind of problem a diagnostic reports. The id (`L0406`) never changes meaning;
        /// tests assert on the kind and the location, never on the wording.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])+ $name, )+
        }

        impl Code {
            /// Every code, in id order.
            pub const ALL: &[Code] = &[$(Code::$name),+];

            /// The printed id, such as `L0406`.
            pub fn id(self) -> &'static str {
                match self { $(Code::$name => $id),+ }
            }

            /// The one-line summary (the first line of the variant's documentation).
            pub fn summary(self) -> &'static str {
                match self { $(Code::$name => first_doc(&[$($doc),+])),+ }
            }
        }
    };
}

const fn first_doc(lines: &[&'static str]) -> &'static str {
    lines[0]
}

codes! {
    // L00xx: the build and its output.
    /// The output folder is the site, a source folder, holds one, or is a folder of other files.
    UnsafeOutput = "L0001",
    /// Writing the output failed (permissions, a full disk).
    WriteFailed = "L0002",
    /// Two outputs would be written to the same file.
    OutputCollision = "L0003",
    /// A static file could not be read.
    StaticUnreadable = "L0004",
    /// A download file (XLSX) or chart image (PNG) could not be produced.
    FileNotProduced = "L0005",
    /// A page refers to a region, chart or file that the model does not have (a bug in Lumbung).
    Internal = "L0006",
    /// A file is a symbolic link that leads outside the site folder, and is not read.
    OutsideSite = "L0007",
    /// A file or folder could not be visited (a link loop, no permission) and is skipped (warning).
    SkippedFile = "L0008",
    /// The chart PNG cache cannot be written (a warning; the build is complete without it).
    CacheUnwritable = "L0009",

    // L01xx: lumbung.toml.
    /// lumbung.toml cannot be read.
    ConfigUnreadable = "L0101",
    /// lumbung.toml is not valid TOML, or a value has the wrong type.
    ConfigSyntax = "L0102",
    /// lumbung.toml has a key Lumbung does not know.
    ConfigUnknownKey = "L0103",
    /// lumbung.toml lacks a required key.
    ConfigMissingKey = "L0104",
    /// base_url is not a web address.
    ConfigBaseUrl = "L0105",
    /// The language is not supported.
    ConfigLanguage = "L0106",
    /// paginate is 0.
    ConfigPaginate = "L0107",
    /// A URL in lumbung.toml uses a scheme that is not allowed (javascript:, data: …).
    ConfigUrl = "L0108",
    /// The theme name is not a plain folder name.
    ConfigTheme = "L0109",
    /// The time zone is not one of Indonesia's: WIB, WITA or WIT.
    ConfigTimezone = "L0110",
    /// `[charts] png` names a chart kind Lumbung does not draw.
    ConfigChartKind = "L0111",

    // L02xx: a Markdown page and its front matter.
    /// A page cannot be read.
    PageUnreadable = "L0201",
    /// A page is not UTF-8 text.
    PageNotUtf8 = "L0202",
    /// A page lies in a folder Lumbung does not know.
    PageUnknownFolder = "L0203",
    /// A page has no front matter.
    FrontMatterMissing = "L0204",
    /// The front matter fence is never closed.
    FrontMatterUnclosed = "L0205",
    /// The front matter is not valid TOML or YAML, or a value has the wrong type.
    FrontMatterSyntax = "L0206",
    /// The front matter has a key Lumbung does not know.
    FrontMatterUnknownKey = "L0207",
    /// A page has no title.
    PageNoTitle = "L0208",
    /// A slug has characters other than a-z, 0-9 and -.
    PageBadSlug = "L0209",
    /// A date or time in the front matter cannot be read.
    PageBadDate = "L0210",
    /// A gallery item's jenis is neither foto nor video.
    PageBadMediaKind = "L0211",
    /// A news article has no date.
    NewsNoDate = "L0212",
    /// An agenda item has no start.
    AgendaNoStart = "L0213",
    /// An agenda item has no place.
    AgendaNoPlace = "L0214",
    /// An agenda item ends before it starts.
    AgendaEndsBeforeStart = "L0215",
    /// A gallery item has no jenis.
    GalleryNoKind = "L0216",
    /// A video has no address.
    VideoNoUrl = "L0217",
    /// A video address is not a web address.
    VideoBadUrl = "L0218",
    /// An image address is neither inside static/ nor https.
    PageBadImage = "L0219",
    /// A tag is empty.
    PageEmptyTag = "L0220",
    /// Two different tags have the same address and are shown as one (a warning).
    TagsMerged = "L0221",
    /// A translation (`x.en.md`) has no page in Bahasa Indonesia beside it (`x.md`).
    TranslationOrphan = "L0222",
    /// A translation sets a front matter key that only the original page may set.
    TranslationOwnKey = "L0223",

    // L03xx: links between pages, regions and programmes.
    /// Two pages would have the same address.
    DuplicateUrl = "L0301",
    /// A page's address is one Lumbung uses itself.
    ReservedUrl = "L0302",
    /// A page names a region code that is not in data/wilayah.csv.
    PageUnknownRegion = "L0303",
    /// A page names a programme that has no page in content/program/.
    PageUnknownProgram = "L0304",

    // L04xx: a dataset's datapackage.json.
    /// datapackage.json cannot be read.
    DescriptorUnreadable = "L0401",
    /// datapackage.json is not valid JSON, or a value has the wrong type.
    DescriptorSyntax = "L0402",
    /// datapackage.json has a lumbung: key Lumbung does not know.
    DescriptorUnknownKey = "L0403",
    /// The dataset has no resources.
    DescriptorNoResource = "L0404",
    /// The resource has no schema.
    DescriptorNoSchema = "L0405",
    /// The resource path is empty, a URL or leaves the dataset folder.
    DescriptorBadPath = "L0406",
    /// A field type is not a Table Schema type Lumbung reads.
    DescriptorBadType = "L0407",
    /// A lumbung:role is not one of region, time, period, dimension, measure, attribute.
    DescriptorBadRole = "L0408",
    /// A measure is not a number or integer field.
    DescriptorMeasureNotNumber = "L0409",
    /// The time field is not a year, yearmonth or date field.
    DescriptorBadTimeType = "L0410",
    /// More than one field has the role region, time or period.
    DescriptorDuplicateRole = "L0411",
    /// primaryKey names a field that does not exist.
    DescriptorBadPrimaryKey = "L0412",
    /// foreignKeys names a field that does not exist.
    DescriptorBadForeignKey = "L0413",
    /// The CSV delimiter is not one character.
    DescriptorBadDelimiter = "L0414",
    /// Two datasets have the same name.
    DuplicateDataset = "L0415",
    /// The dataset names no source.
    DatasetNoSource = "L0416",
    /// A dimension that feeds an indicator declares no default value, or one that is not in the data.
    DimensionDefault = "L0417",
    /// A measure's lumbung:additive names a field that is not a dimension or the region.
    DescriptorBadAdditive = "L0418",
    /// Two measures feed the same indicator.
    DuplicateIndicator = "L0419",
    /// The resource declares an encoding other than UTF-8.
    DescriptorBadEncoding = "L0420",
    /// A field's lumbung:codes is not kemendagri or bps, or is set on a field that holds no region codes.
    DescriptorBadCodes = "L0421",
    /// `lumbung:programs` names a programme that has no page in content/program/.
    DatasetUnknownProgram = "L0422",
    /// A folder under a dataset's rilis/ is not a release as `lumbung rilis` keeps it.
    ReleaseInvalid = "L0423",
    /// A dataset's figures differ from its released version, yet its version is unchanged.
    ReleasedDataChanged = "L0424",

    // L05xx: a dataset's CSV rows and cells.
    /// The CSV cannot be read.
    CsvUnreadable = "L0501",
    /// The CSV is not UTF-8 text.
    CsvNotUtf8 = "L0502",
    /// A quote opens and never closes.
    CsvUnterminatedQuote = "L0503",
    /// The CSV is malformed where the reader cannot go on.
    CsvSyntax = "L0504",
    /// The header row differs from the fields in datapackage.json.
    CsvHeaderMismatch = "L0505",
    /// A row has more or fewer values than the table has columns.
    CsvFieldCount = "L0506",
    /// A required (or key) cell is empty.
    CellRequired = "L0507",
    /// A cell is not a number written with the declared marks.
    CellNotNumber = "L0508",
    /// A cell of an integer field has a fraction.
    CellNotInteger = "L0509",
    /// A cell of a year field is not a year.
    CellNotYear = "L0510",
    /// A cell of a yearmonth field is not a year and month.
    CellNotYearMonth = "L0511",
    /// A cell of a date field is not a date.
    CellNotDate = "L0512",
    /// A cell of a boolean field is not true or false.
    CellNotBoolean = "L0513",
    /// A cell is not one of the values the field allows (enum).
    CellNotAllowed = "L0514",
    /// A cell is below the field's minimum.
    CellBelowMinimum = "L0515",
    /// A cell is above the field's maximum.
    CellAboveMaximum = "L0516",
    /// A region code is not in data/wilayah.csv.
    CellUnknownRegion = "L0517",
    /// Two rows have the same primary key.
    CsvDuplicateKey = "L0518",
    /// A period name is not one Lumbung knows.
    CellUnknownPeriod = "L0519",
    /// More errors in one file than are listed.
    CsvMoreErrors = "L0520",
    /// A value fails a plausibility check and is held back (warning).
    ValueHeldBack = "L0521",
    /// A row of koreksi.csv is malformed or names no cell of the dataset.
    CorrectionBad = "L0522",
    /// A correction's published value is not the value in the data (the data or the correction is stale).
    CorrectionStale = "L0523",
    /// A number is too large to be kept exactly (beyond 2⁵³, or an integer beyond its type).
    CellTooLarge = "L0524",
    /// The CSV has no data rows (empty, or a header alone).
    CsvEmpty = "L0525",
    /// A BPS region code is not in the kode_bps column of data/wilayah.csv.
    CellUnknownBpsCode = "L0526",
    /// A row of target.csv is malformed, names an unknown region or column, has no source, or repeats a target.
    TargetBad = "L0527",

    // L06xx: data/wilayah.csv, the region registry.
    /// data/wilayah.csv cannot be read.
    RegistryUnreadable = "L0601",
    /// The header is not kode,nama,jenis,kode_induk.
    RegistryHeader = "L0602",
    /// A registry row is malformed CSV.
    RegistrySyntax = "L0603",
    /// A region code is not a Kemendagri code.
    RegistryBadCode = "L0604",
    /// A region has no name.
    RegistryNoName = "L0605",
    /// A region's jenis is unknown.
    RegistryBadKind = "L0606",
    /// A region code appears twice.
    RegistryDuplicate = "L0607",
    /// A region's parent is not in the registry.
    RegistryUnknownParent = "L0608",

    // L07xx: the theme and templates.
    /// The theme named in lumbung.toml does not exist.
    ThemeMissing = "L0701",
    /// A template cannot be read or is not UTF-8.
    TemplateUnreadable = "L0702",
    /// A template does not parse or fails while rendering.
    TemplateError = "L0703",

    // L08xx: the link check.
    /// An internal link points at no file of the site.
    BrokenLink = "L0801",
    /// An internal link's #anchor is not an id on the target page.
    BrokenAnchor = "L0802",

    // L09xx: map boundaries.
    /// The boundary file cannot be read.
    BoundariesUnreadable = "L0901",
    /// The boundary file is not valid JSON.
    BoundariesSyntax = "L0902",
    /// The boundary file is not GeoJSON or TopoJSON of polygons Lumbung can draw.
    BoundariesShape = "L0903",
    /// A boundary feature has no code, or no polygon (warning), or shares its code (warning).
    BoundariesFeature = "L0904",

    // L10xx: lumbung import bps.
    /// An input file or folder cannot be read, or no input was given.
    ImportInput = "L1001",
    /// A BPS table has no data rows.
    ImportNoRows = "L1002",
    /// A column of a BPS table is not recognised.
    ImportUnknownColumn = "L1003",
    /// A column's unit is not the one Lumbung stores.
    ImportUnit = "L1004",
    /// A column's year cannot be told.
    ImportYear = "L1005",
    /// Two columns hold the same measure and period.
    ImportDuplicateColumn = "L1006",
    /// A cell of a BPS table is not a number.
    ImportNotNumber = "L1007",
    /// A row was skipped or looks shifted by one column (warning).
    ImportRowSkipped = "L1008",
    /// A region name in a BPS table is not in the registry.
    ImportUnknownName = "L1009",
    /// A region name matches more than one region.
    ImportAmbiguousName = "L1010",
    /// Two rows of one table name the same region.
    ImportDuplicateRegion = "L1011",
    /// Two tables give different values for the same cell.
    ImportConflict = "L1012",
    /// A value looks implausible (warning).
    ImportImplausible = "L1013",
    /// The alias file is unreadable or malformed.
    ImportAliases = "L1014",
    /// The output folder cannot be written or named.
    ImportOutput = "L1015",

    // L11xx: lumbung import wilayah.
    /// The Kemendagri list cannot be read or has no kode and nama columns.
    WilayahInput = "L1101",
    /// A row of the Kemendagri list is malformed.
    WilayahRow = "L1102",
    /// A row's level or parent disagrees with its code.
    WilayahLevel = "L1103",

    // L12xx: lumbung import tabel.
    /// A tidy table cannot be read, or lacks a region, year or number column, or a source.
    TabelInput = "L1201",
    /// A row's region code or name is unknown, or its code and name disagree.
    TabelRegion = "L1202",
    /// A cell is not a number, a year, a period or a daerah.
    TabelValue = "L1203",
    /// A measure has more than one unit, or a unit column serves several measures.
    TabelUnit = "L1204",
    /// Two rows give different values for one cell, or one row is repeated.
    TabelConflict = "L1205",
    /// A value is exactly zero, which open-data exports often write for missing.
    TabelZero = "L1206",

    // L13xx: translations.
    /// A dictionary file (`i18n/en.toml`) cannot be read or is not UTF-8.
    TranslationUnreadable = "L1301",
    /// A dictionary file is not a table of texts.
    TranslationSyntax = "L1302",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_sorted() {
        let ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted, "codes must be unique and declared in id order");
        assert!(ids.iter().all(|i| i.len() == 5 && i.starts_with('L')));
    }

    #[test]
    fn every_code_is_documented_in_docs_errors_md() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/errors.md"))
            .expect("docs/errors.md");
        for c in Code::ALL {
            assert!(
                doc.contains(&format!("## {}", c.id())),
                "docs/errors.md has no section for {} ({:?})",
                c.id(),
                c
            );
        }
    }
}
