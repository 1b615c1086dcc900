//! Machine-readable descriptions of the datasets for harvesters: DCAT-US `data.json`, a DCAT-AP JSON-LD catalogue and schema.org `Dataset` markup.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::data::dataset::Dataset;
use crate::data::registry::{NATION, Registry};
use crate::downloads::Format;
use crate::model::{Indicator, Site};
use crate::urls;

/// DCAT-US asks every dataset for US federal bureau and programme codes; no US agency has these.
pub(crate) const NON_FEDERAL_BUREAU: &str = "000:00";
/// See [`NON_FEDERAL_BUREAU`].
pub(crate) const NON_FEDERAL_PROGRAM: &str = "000:000";

/// One downloadable file of a dataset.
struct Distribution {
    url: String,
    media_type: &'static str,
    format: String,
    title: String,
}

/// What every metadata format says about one dataset, gathered once.
struct Facts {
    identifier: String,
    landing: String,
    title: String,
    description: String,
    keywords: Vec<String>,
    modified: String,
    license: Option<(String, String)>,
    spatial: String,
    years: Option<(i32, i32)>,
    version: Option<String>,
    publisher: String,
    contact_name: String,
    contact_email: Option<String>,
    variables: Vec<String>,
    sources: Vec<String>,
    distributions: Vec<Distribution>,
}

/// A dataset's or indicator's downloads, one per format, named after `title`.
fn downloads(
    formats: Vec<Format>,
    title: &str,
    url_of: impl Fn(Format) -> String,
) -> Vec<Distribution> {
    formats
        .into_iter()
        .map(|f| Distribution {
            url: url_of(f),
            media_type: f.media_type(),
            format: f.label(),
            title: format!("{title} ({})", f.label()),
        })
        .collect()
}

/// The regions a set of codes covers, named by their highest level: "Indonesia" when the
/// nation is among them, else the provinces ("Banten; Jawa Timur").
pub(crate) fn coverage(reg: &Registry, codes: &BTreeSet<String>) -> String {
    if codes.contains(NATION) {
        return "Indonesia".into();
    }
    let mut provinces: BTreeSet<&str> = BTreeSet::new();
    for c in codes {
        let top = reg
            .ancestors(c)
            .into_iter()
            .find(|a| a.jenis.level() == 1)
            .map(|a| a.nama.as_str());
        if let Some(t) = top {
            provinces.insert(t);
        }
    }
    if provinces.is_empty() {
        "Indonesia".into()
    } else {
        provinces.into_iter().collect::<Vec<_>>().join("; ")
    }
}

fn facts(site: &Site, d: &Dataset) -> Facts {
    let cfg = &site.config;
    let abs = |u: &str| urls::absolute(&cfg.base_url, u);
    let pkg = &d.package;
    let landing = abs(&urls::dataset(&d.slug));
    let measures: Vec<String> = d.measures().map(|(_, f)| f.title.clone()).collect();
    let mut keywords: Vec<String> = pkg
        .keywords
        .iter()
        .filter(|k| !k.trim().is_empty())
        .cloned()
        .collect();
    if keywords.is_empty() {
        keywords = measures.clone();
    }
    if keywords.is_empty() {
        keywords.push(d.title.clone());
    }
    let modified = d.updated.or(d.created).unwrap_or(site.today).iso();
    let license = pkg.licenses.first().and_then(|l| {
        let name = l.title.clone().or_else(|| l.name.clone())?;
        Some((l.path.clone().unwrap_or_default(), name))
    });
    let codes: BTreeSet<String> = d
        .region
        .map(|r| {
            d.rows
                .iter()
                .filter_map(|row| row.cells[r].as_text().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let years: Vec<i32> = d
        .rows
        .iter()
        .filter_map(|r| r.period.as_ref().map(|p| p.year))
        .collect();
    let contributor = pkg.contributors.first();
    let publisher = if cfg.contact.organisation.is_empty() {
        cfg.title.clone()
    } else {
        cfg.contact.organisation.clone()
    };
    let contact_email = contributor
        .and_then(|c| c.email.clone())
        .filter(|e| !e.is_empty())
        .or_else(|| (!cfg.contact.email.is_empty()).then(|| cfg.contact.email.clone()));
    let mut distributions = downloads(crate::jobs::datasets::formats(d), &d.title, |f| {
        abs(&urls::dataset_download(&d.slug, f))
    });
    distributions.push(Distribution {
        url: abs(&urls::dataset_descriptor(&d.slug)),
        media_type: Format::Json.media_type(),
        format: "Frictionless Data Package".into(),
        title: format!("{} (datapackage.json)", d.title),
    });
    Facts {
        identifier: landing.clone(),
        landing,
        title: d.title.clone(),
        description: if d.description.trim().is_empty() {
            d.title.clone()
        } else {
            d.description.clone()
        },
        keywords,
        modified,
        license,
        spatial: coverage(&site.registry, &codes),
        years: years.iter().min().copied().zip(years.iter().max().copied()),
        version: pkg.version.clone().filter(|v| !v.trim().is_empty()),
        publisher,
        contact_name: contributor
            .and_then(|c| c.title.clone())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| cfg.title.clone()),
        contact_email,
        variables: measures,
        sources: d
            .package
            .sources
            .iter()
            .filter_map(|s| s.title.clone())
            .collect(),
        distributions,
    }
}

/// The catalogue in DCAT-US 1.1 (`/data.json`), as data.gov and its followers harvest it.
pub(crate) fn data_json(site: &Site) -> Value {
    let cfg = &site.config;
    let datasets: Vec<Value> = site
        .datasets
        .iter()
        .map(|d| {
            let f = facts(site, d);
            let mut v = json!({
                "@type": "dcat:Dataset",
                "title": f.title,
                "description": f.description,
                "keyword": f.keywords,
                "modified": f.modified,
                "publisher": {"@type": "org:Organization", "name": f.publisher},
                "identifier": f.identifier,
                "accessLevel": "public",
                "bureauCode": [NON_FEDERAL_BUREAU],
                "programCode": [NON_FEDERAL_PROGRAM],
                "landingPage": f.landing,
                "spatial": f.spatial,
                "language": ["id"],
                "distribution": f.distributions.iter().map(|x| json!({
                    "@type": "dcat:Distribution",
                    "downloadURL": x.url,
                    "mediaType": x.media_type,
                    "format": x.format,
                    "title": x.title,
                })).collect::<Vec<_>>(),
            });
            if let Some(email) = &f.contact_email {
                v["contactPoint"] = json!({
                    "@type": "vcard:Contact",
                    "fn": f.contact_name,
                    "hasEmail": format!("mailto:{email}"),
                });
            }
            if let Some((url, _)) = f.license.as_ref().filter(|(u, _)| !u.is_empty()) {
                v["license"] = json!(url);
            }
            if let Some((a, b)) = f.years {
                v["temporal"] = json!(format!("{a}-01-01/{b}-12-31"));
            }
            v
        })
        .collect();
    json!({
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": urls::absolute(&cfg.base_url, urls::DATA_JSON),
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": datasets,
    })
}

/// The catalogue as DCAT-AP JSON-LD (`/katalog.jsonld`), which CKAN's DCAT harvester reads.
pub(crate) fn dcat_jsonld(site: &Site) -> Value {
    let cfg = &site.config;
    let abs = |u: &str| urls::absolute(&cfg.base_url, u);
    let publisher_id = abs("/#penerbit");
    let datasets: Vec<Value> = site
        .datasets
        .iter()
        .map(|d| {
            let f = facts(site, d);
            let mut v = json!({
                "@id": f.identifier,
                "@type": "dcat:Dataset",
                "dct:identifier": f.identifier,
                "dct:title": {"@value": f.title, "@language": "id"},
                "dct:description": {"@value": f.description, "@language": "id"},
                "dcat:keyword": f.keywords,
                "dct:modified": {"@value": f.modified, "@type": "xsd:date"},
                "dct:publisher": {"@id": publisher_id},
                "dcat:landingPage": {"@id": f.landing},
                "dct:spatial": {"@type": "dct:Location", "skos:prefLabel": f.spatial},
                "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/IND"},
                "dcat:distribution": f.distributions.iter().map(|x| {
                    let mut dist = json!({
                        "@id": x.url,
                        "@type": "dcat:Distribution",
                        "dct:title": x.title,
                        "dcat:downloadURL": {"@id": x.url},
                        "dcat:accessURL": {"@id": f.landing},
                        "dcat:mediaType": x.media_type,
                        "dct:format": x.format,
                    });
                    if let Some((url, _)) = f.license.as_ref().filter(|(u, _)| !u.is_empty()) {
                        dist["dct:license"] = json!({"@id": url});
                    }
                    dist
                }).collect::<Vec<_>>(),
            });
            if let Some((url, name)) = &f.license {
                v["dct:license"] = if url.is_empty() {
                    json!({"@type": "dct:LicenseDocument", "rdfs:label": name})
                } else {
                    json!({"@id": url, "@type": "dct:LicenseDocument", "rdfs:label": name})
                };
            }
            if let Some((a, b)) = f.years {
                v["dct:temporal"] = json!({
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": {"@value": format!("{a}-01-01"), "@type": "xsd:date"},
                    "dcat:endDate": {"@value": format!("{b}-12-31"), "@type": "xsd:date"},
                });
            }
            if let Some(ver) = &f.version {
                v["owl:versionInfo"] = json!(ver);
            }
            if let Some(email) = &f.contact_email {
                v["dcat:contactPoint"] = json!({
                    "@type": "vcard:Organization",
                    "vcard:fn": f.contact_name,
                    "vcard:hasEmail": {"@id": format!("mailto:{email}")},
                });
            }
            if !f.sources.is_empty() {
                v["dct:source"] = json!(f.sources);
            }
            v
        })
        .collect();
    let publisher_name = if cfg.contact.organisation.is_empty() {
        cfg.title.clone()
    } else {
        cfg.contact.organisation.clone()
    };
    let catalog = json!({
        "@id": abs(urls::CATALOG),
        "@type": "dcat:Catalog",
        "dct:title": {"@value": cfg.title, "@language": "id"},
        "dct:description": {"@value": cfg.description, "@language": "id"},
        "dct:publisher": {"@id": publisher_id},
        "foaf:homepage": {"@id": abs(urls::HOME)},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/IND"},
        "dcat:dataset": datasets.iter().map(|d| json!({"@id": d["@id"]})).collect::<Vec<_>>(),
    });
    let publisher =
        json!({"@id": publisher_id, "@type": "foaf:Organization", "foaf:name": publisher_name});
    let graph: Vec<Value> = [catalog, publisher].into_iter().chain(datasets).collect();
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "owl": "http://www.w3.org/2002/07/owl#",
        },
        "@graph": graph,
    })
}

fn schema_dataset(site: &Site, f: &Facts, name: &str, url: &str, variables: &[String]) -> Value {
    let cfg = &site.config;
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": name,
        "description": f.description,
        "url": url,
        "identifier": f.identifier,
        "keywords": f.keywords,
        "isAccessibleForFree": true,
        "inLanguage": "id",
        "dateModified": f.modified,
        "spatialCoverage": {"@type": "Place", "name": f.spatial},
        "creator": {"@type": "Organization", "name": f.publisher, "url": urls::absolute(&cfg.base_url, urls::HOME)},
        "publisher": {"@type": "Organization", "name": f.publisher},
        "includedInDataCatalog": {"@type": "DataCatalog", "name": cfg.title, "url": urls::absolute(&cfg.base_url, urls::CATALOG)},
        "variableMeasured": variables,
        "distribution": f.distributions.iter().map(|x| json!({
            "@type": "DataDownload",
            "contentUrl": x.url,
            "encodingFormat": x.media_type,
            "name": x.title,
        })).collect::<Vec<_>>(),
    });
    if let Some((url, name)) = &f.license {
        v["license"] = json!(if url.is_empty() { name } else { url });
    }
    if let Some((a, b)) = f.years {
        v["temporalCoverage"] = json!(if a == b {
            a.to_string()
        } else {
            format!("{a}/{b}")
        });
    }
    if let Some(ver) = &f.version {
        v["version"] = json!(ver);
    }
    if !f.sources.is_empty() {
        v["isBasedOn"] = json!(f.sources);
    }
    v
}

/// schema.org `Dataset` markup for a dataset's page.
pub(crate) fn dataset_schema(site: &Site, d: &Dataset) -> Value {
    let f = facts(site, d);
    let url = f.landing.clone();
    schema_dataset(site, &f, &d.title, &url, &f.variables.clone())
}

/// schema.org `Dataset` markup for an indicator's page: its dataset's facts, its own name,
/// address, years and downloads.
pub(crate) fn indicator_schema(site: &Site, ind: &Indicator) -> Value {
    let d = &site.datasets[ind.dataset];
    let mut f = facts(site, d);
    let abs = |u: &str| urls::absolute(&site.config.base_url, u);
    let url = abs(&urls::indicator_of(ind));
    f.identifier = url.clone();
    // The indicator's own words, then its dataset's, so the description says what and where from.
    let own = ind.description.trim();
    f.description = format!(
        "{} menurut wilayah, dari dataset \"{}\".{}{} {}",
        ind.title,
        d.title,
        if own.is_empty() { "" } else { " " },
        own,
        f.description
    );
    f.years = ind
        .periods
        .first()
        .map(|p| p.year)
        .zip(ind.periods.last().map(|p| p.year));
    let codes: BTreeSet<String> = ind.series.keys().cloned().collect();
    f.spatial = coverage(&site.registry, &codes);
    f.distributions = downloads(crate::jobs::datasets::formats(d), &ind.title, |fmt| {
        abs(&urls::indicator_download(&ind.slug, fmt))
    });
    schema_dataset(site, &f, &ind.title, &url, std::slice::from_ref(&ind.title))
}

/// JSON for a `<script type="application/ld+json">`: `<` escaped so no text closes the script.
pub(crate) fn script(v: &Value) -> String {
    serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}
