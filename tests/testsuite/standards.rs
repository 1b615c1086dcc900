//! What harvesters get from the sample portal: DCAT-US `data.json` valid against its JSON Schema, a DCAT-AP JSON-LD catalogue, schema.org `Dataset` markup on every dataset and indicator page, and an Atom feed with what RFC 4287 requires.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::harness::{build_to, frictionless, repo};

/// The sample portal, built once into a temporary folder.
fn sample() -> &'static Path {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build_to(&repo(), &out).unwrap_or_else(|d| panic!("{d}"));
        (dir, out)
    });
    out
}

fn read_json(rel: &str) -> Value {
    let p = sample().join(rel);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The DCAT-US 1.1 schema in `../shared/standards`, its `$ref`s resolved offline.
fn dcat_us_validator() -> jsonschema::Validator {
    let dir = repo().join("../shared/standards/dcat-us-1.1");
    assert!(
        dir.is_dir(),
        "the DCAT-US schema is missing at {}",
        dir.display()
    );
    let load = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let mut options = jsonschema::options().with_draft(jsonschema::Draft::Draft4);
    for name in [
        "dataset.json",
        "distribution.json",
        "organization.json",
        "vcard.json",
    ] {
        options = options.with_resource(
            format!("https://project-open-data.cio.gov/v1.1/schema/{name}"),
            jsonschema::Resource::from_contents(load(name)).unwrap(),
        );
    }
    options
        .build(&load("catalog.json"))
        .unwrap_or_else(|e| panic!("the DCAT-US schema does not compile: {e}"))
}

#[test]
fn data_json_is_valid_dcat_us_and_lists_every_dataset() {
    let catalog = read_json("data.json");
    let validator = dcat_us_validator();
    let errors: Vec<String> = validator
        .iter_errors(&catalog)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "data.json is not valid DCAT-US 1.1:\n{}",
        errors.join("\n")
    );
    // The validator catches a broken catalogue, so the check above can fail.
    let mut broken = catalog.clone();
    broken["dataset"][0]["accessLevel"] = Value::from("semua orang");
    assert!(!validator.is_valid(&broken));

    let datasets = catalog["dataset"].as_array().unwrap();
    let slugs: Vec<String> = std::fs::read_dir(repo().join("data"))
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            e.path()
                .join("datapackage.json")
                .is_file()
                .then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    assert_eq!(datasets.len(), slugs.len());
    let pkh = datasets
        .iter()
        .find(|d| d["identifier"] == "https://lumbung.example.or.id/data/pkh-jatim-2020/")
        .expect("the PKH dataset is in data.json");
    assert_eq!(pkh["temporal"], "2020-01-01/2020-12-31");
    assert_eq!(pkh["spatial"], "Jawa Timur");
    assert_eq!(pkh["modified"], "2020-07-15");
    assert_eq!(
        pkh["license"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    let downloads: Vec<&str> = pkh["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["downloadURL"].as_str().unwrap())
        .collect();
    assert!(
        downloads.contains(&"https://lumbung.example.or.id/data/pkh-jatim-2020/pkh-jatim-2020.csv")
    );
    // Every download it names exists in the output.
    for d in datasets {
        for dist in d["distribution"].as_array().unwrap() {
            let url = dist["downloadURL"].as_str().unwrap();
            let rel = url.trim_start_matches("https://lumbung.example.or.id/");
            assert!(sample().join(rel).is_file(), "{url} is not in the output");
        }
    }
}

#[test]
fn the_dcat_ap_catalogue_describes_every_dataset() {
    let cat = read_json("katalog.jsonld");
    let graph = cat["@graph"].as_array().unwrap();
    let catalog = graph
        .iter()
        .find(|n| n["@type"] == "dcat:Catalog")
        .expect("a dcat:Catalog node");
    let listed = catalog["dcat:dataset"].as_array().unwrap();
    let datasets: Vec<&Value> = graph
        .iter()
        .filter(|n| n["@type"] == "dcat:Dataset")
        .collect();
    assert_eq!(listed.len(), datasets.len());
    assert!(!datasets.is_empty());
    for d in &datasets {
        for key in [
            "dct:title",
            "dct:description",
            "dct:publisher",
            "dct:spatial",
            "dcat:distribution",
        ] {
            assert!(!d[key].is_null(), "{} lacks {key}", d["@id"]);
        }
        for dist in d["dcat:distribution"].as_array().unwrap() {
            assert_eq!(dist["@type"], "dcat:Distribution");
            assert!(dist["dcat:downloadURL"]["@id"].is_string());
        }
    }
    let pkh = datasets
        .iter()
        .find(|d| d["@id"] == "https://lumbung.example.or.id/data/pkh-jatim-2020/")
        .unwrap();
    assert_eq!(
        pkh["dct:license"]["@id"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert_eq!(
        pkh["dct:temporal"]["dcat:startDate"]["@value"],
        "2020-01-01"
    );
    // The publisher node the datasets point at exists.
    let publisher = &pkh["dct:publisher"]["@id"];
    assert!(
        graph
            .iter()
            .any(|n| &n["@id"] == publisher && n["@type"] == "foaf:Organization")
    );
    // Both catalogues are announced in every page's head and linked from the catalogue page.
    let home = std::fs::read_to_string(sample().join("index.html")).unwrap();
    assert!(home.contains("<link rel=\"alternate\" type=\"application/json\" title=\"Katalog data (DCAT-US)\" href=\"/data.json\">"));
    assert!(home.contains("href=\"/katalog.jsonld\""));
    let catalog_page = std::fs::read_to_string(sample().join("data/index.html")).unwrap();
    assert!(catalog_page.contains("<a href=\"/data.json\">"));
}

/// The JSON-LD blocks of a page.
fn json_ld(rel: &str) -> Vec<Value> {
    let html = std::fs::read_to_string(sample().join(rel)).unwrap();
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            let end = rest.find("</script>").expect("closed script");
            serde_json::from_str(&rest[..end]).unwrap_or_else(|e| panic!("{rel}: {e}"))
        })
        .collect()
}

/// What Google's Dataset guidelines require and recommend.
fn assert_schema_dataset(rel: &str, v: &Value) {
    assert_eq!(v["@context"], "https://schema.org", "{rel}");
    assert_eq!(v["@type"], "Dataset", "{rel}");
    for key in [
        "name",
        "description",
        "url",
        "creator",
        "temporalCoverage",
        "spatialCoverage",
        "variableMeasured",
        "isAccessibleForFree",
        "dateModified",
    ] {
        assert!(!v[key].is_null(), "{rel}: schema.org Dataset lacks {key}");
    }
    let description = v["description"].as_str().unwrap();
    assert!(
        description.chars().count() >= 50,
        "{rel}: description too short for Google: {description}"
    );
    let dist = v["distribution"].as_array().unwrap();
    assert!(!dist.is_empty(), "{rel}");
    for d in dist {
        assert_eq!(d["@type"], "DataDownload");
        let url = d["contentUrl"].as_str().unwrap();
        assert!(d["encodingFormat"].is_string());
        let file = url.trim_start_matches("https://lumbung.example.or.id/");
        assert!(
            sample().join(file).is_file(),
            "{rel}: {url} is not in the output"
        );
    }
}

#[test]
fn dataset_and_indicator_pages_carry_schema_org_dataset_markup() {
    let out = sample();
    let mut seen = 0;
    for family in ["data", "indikator"] {
        for e in std::fs::read_dir(out.join(family)).unwrap() {
            let e = e.unwrap();
            let page = e.path().join("index.html");
            if !page.is_file() {
                continue;
            }
            let rel = format!("{family}/{}/index.html", e.file_name().to_string_lossy());
            let blocks = json_ld(&rel);
            assert_eq!(blocks.len(), 1, "{rel}: one Dataset block");
            assert_schema_dataset(&rel, &blocks[0]);
            seen += 1;
        }
    }
    assert!(seen >= 9, "{seen} pages");
    let pkh = &json_ld("data/pkh-jatim-2020/index.html")[0];
    assert_eq!(
        pkh["license"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert_eq!(pkh["version"], "1.0.0");
    assert_eq!(pkh["temporalCoverage"], "2020");
    let p0 = &json_ld("indikator/p0/index.html")[0];
    assert_eq!(p0["spatialCoverage"]["name"], "Indonesia");
    assert!(p0["temporalCoverage"].as_str().unwrap().contains('/'));
    // The index page is not a dataset.
    assert!(json_ld("index.html").is_empty());
}

/// Parses an Atom feed and checks what RFC 4287 requires; returns its entries' (id, title).
fn assert_atom(rel: &str) -> Vec<(String, String)> {
    let xml = std::fs::read_to_string(sample().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert!(feed.has_tag_name((atom, "feed")), "{rel}");
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children()
            .find(|c| c.has_tag_name((atom, name)))
            .map(|c| c.text().unwrap_or("").to_string())
    };
    for name in ["id", "title", "updated"] {
        assert!(
            child(feed, name).is_some_and(|t| !t.is_empty()),
            "{rel}: feed lacks {name}"
        );
    }
    let updated = child(feed, "updated").unwrap();
    assert!(
        updated.len() == 20 && updated.ends_with('Z'),
        "{rel}: updated {updated} is not RFC 3339"
    );
    let author = feed
        .children()
        .find(|c| c.has_tag_name((atom, "author")))
        .unwrap_or_else(|| panic!("{rel}: feed-level author (every entry inherits it)"));
    assert!(
        child(author, "name").is_some_and(|t| !t.is_empty()),
        "{rel}"
    );
    assert!(
        feed.children()
            .any(|c| c.has_tag_name((atom, "link")) && c.attribute("rel") == Some("self")),
        "{rel}: rel=self"
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name((atom, "entry")))
        .collect();
    assert!(!entries.is_empty(), "{rel}: no entries");
    let mut out = Vec::new();
    for e in entries {
        for name in ["id", "title", "updated"] {
            assert!(
                child(e, name).is_some_and(|t| !t.is_empty()),
                "{rel}: entry lacks {name}"
            );
        }
        assert!(
            e.children()
                .any(|c| c.has_tag_name((atom, "link")) && c.attribute("href").is_some()),
            "{rel}: entry without a link"
        );
        out.push((child(e, "id").unwrap(), child(e, "title").unwrap()));
    }
    let ids: std::collections::BTreeSet<&String> = out.iter().map(|(i, _)| i).collect();
    assert_eq!(ids.len(), out.len(), "{rel}: entry ids repeat");
    out
}

#[test]
fn every_feed_has_what_rfc_4287_requires_and_is_linked_from_its_page() {
    let out = sample();
    assert_atom("feed.xml");
    // Data releases: one entry per dataset version, its id naming the version.
    let data = assert_atom("data/feed.xml");
    assert!(data.iter().any(|(id, t)| id
        == "https://lumbung.example.or.id/data/pkh-jatim-2020/#versi-1.0.0"
        && t.contains("versi 1.0.0")));
    // One entry per released version of every dataset (data/<dataset>/rilis/<version>/).
    let releases: usize = std::fs::read_dir(repo().join("data"))
        .unwrap()
        .filter_map(|e| std::fs::read_dir(e.unwrap().path().join("rilis")).ok())
        .map(|r| r.count())
        .sum();
    assert_eq!(data.len(), releases);
    assert!(
        data.iter()
            .any(|(id, _)| id.ends_with("/data/kemiskinan-bps/#versi-1.1.0"))
    );
    // A programme: its news and the datasets naming it.
    let pkh = assert_atom("program/pkh/feed.xml");
    assert!(
        pkh.iter()
            .any(|(id, _)| id.ends_with("/data/pkh-kabkota-ilustrasi/#versi-1.0.0"))
    );
    assert!(pkh.iter().any(|(id, _)| id.contains("/berita/")));
    // A region: news naming it or a region below it (Kota Serang's news is Banten's too).
    let mut region_feeds = 0;
    for e in std::fs::read_dir(out.join("wilayah")).unwrap() {
        let dir = e.unwrap().path();
        if dir.join("feed.xml").is_file() {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            assert_atom(&format!("wilayah/{name}/feed.xml"));
            let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
            assert!(
                page.contains(
                    "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Berita "
                ) && page.contains(&format!("href=\"/wilayah/{name}/feed.xml\"")),
                "wilayah/{name}/ does not link its feed"
            );
            region_feeds += 1;
        }
    }
    assert!(region_feeds >= 3, "{region_feeds} region feeds");
    let kota: Vec<String> = assert_atom("wilayah/36.73-kota-serang/feed.xml")
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    let banten: Vec<String> = assert_atom("wilayah/36-banten/feed.xml")
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    assert!(
        kota.iter().all(|i| banten.contains(i)) || banten.len() == 20,
        "Banten's feed holds Kota Serang's news"
    );
    assert!(
        std::fs::read_to_string(out.join("program/pkh/index.html"))
            .unwrap()
            .contains("href=\"/program/pkh/feed.xml\"")
    );
    assert!(
        std::fs::read_to_string(out.join("data/index.html"))
            .unwrap()
            .contains("href=\"/data/feed.xml\"")
    );
}

#[test]
fn the_catalogue_can_be_browsed_by_theme_source_programme_level_and_format() {
    let out = sample();
    let catalog = std::fs::read_to_string(out.join("data/index.html")).unwrap();
    for facet in [
        "Tema",
        "Sumber",
        "Program",
        "Tingkat wilayah",
        "Format unduhan",
    ] {
        assert!(
            catalog.contains(&format!("<h3>{facet}</h3>")),
            "no {facet} facet"
        );
    }
    // The programme facet: both PKH datasets, and the count says so.
    assert!(
        catalog.contains(
            "<a href=\"/data/telusur/program/pkh/\">PKH</a> <span class=\"count\">(2)</span>"
        ),
        "{catalog}"
    );
    let pkh = std::fs::read_to_string(out.join("data/telusur/program/pkh/index.html")).unwrap();
    assert!(pkh.contains("href=\"/data/pkh-jatim-2020/\""));
    assert!(pkh.contains("href=\"/data/pkh-kabkota-ilustrasi/\""));
    assert!(!pkh.contains("href=\"/data/kemiskinan-bps/\""));
    // Levels come from the rows: the kab/kota level holds the datasets with kab/kota rows only.
    let kab = std::fs::read_to_string(out.join("data/telusur/tingkat/kabupaten-kota/index.html"))
        .unwrap();
    assert!(kab.contains("href=\"/data/kemiskinan-bps/\""));
    assert!(!kab.contains("href=\"/data/jamsosratu-2013/\""));
    // Every dataset is published as CSV and as a Data Package.
    let dp =
        std::fs::read_to_string(out.join("data/telusur/format/data-package/index.html")).unwrap();
    assert_eq!(
        dp.matches("<li>\n  <h2><a href=\"/data/").count(),
        5,
        "{dp}"
    );
    // Facet pages are in the sitemap.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/data/telusur/program/pkh/</loc>"));
}

/// Every `datapackage.json` under a folder.
fn descriptors_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "datapackage.json")
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

#[test]
fn every_data_package_the_sample_reads_or_writes_passes_the_frictionless_validator() {
    // The five datasets and their released versions (data/<dataset>/rilis/1.0.0/, and
    // kemiskinan-bps 1.1.0 with Kabupaten Bantaeng).
    let inputs = descriptors_under(&repo().join("data"));
    assert_eq!(inputs.len(), 11, "{inputs:?}");
    let outputs = descriptors_under(sample());
    let under = |dir: &str| {
        outputs
            .iter()
            .filter(|p| p.strip_prefix(sample()).unwrap().starts_with(dir))
            .count()
    };
    // Each dataset (and each released version), each indicator and each region with figures
    // has its own.
    assert_eq!(under("data"), inputs.len(), "{outputs:?}");
    assert!(under("indikator") >= 4, "{outputs:?}");
    assert!(under("wilayah") >= 80, "{outputs:?}");
    // A dataset's region column points at the list of its regions published beside it.
    let pkg = read_json("data/kemiskinan-bps/datapackage.json");
    let resources = pkg["resources"].as_array().unwrap();
    assert_eq!(resources[1]["name"], "wilayah");
    assert_eq!(
        resources[0]["schema"]["foreignKeys"][0]["reference"]["resource"],
        "wilayah"
    );
    let list = std::fs::read_to_string(sample().join("data/kemiskinan-bps/wilayah.csv")).unwrap();
    assert!(
        list.starts_with(
            "kode_wilayah,nama_wilayah,tingkat,kode_induk\r\n00,Indonesia,nasional,\r\n"
        )
    );
    assert!(list.contains("\r\n36.73,Kota Serang,kota,36\r\n"), "{list}");
    let mut all = inputs;
    all.extend(outputs);
    frictionless(&all);
}
