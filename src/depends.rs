//! What each output depends on: the classes of input a job reads, and the key that lets a build keep a job's file from the previous output when nothing it reads has changed.
//!
//! A build fingerprints its inputs by class ([`crate::unchanged::Inputs`]): the config,
//! `content/`, `data/` (with the boundaries), the templates and theme, `static/`, and beneath
//! them all the program, the switches and the day. After the model is built it adds one derived
//! class, the site's *shape* as pages of figures see it: which regions have a page (content can
//! give a region its page) and each programme's name and address (programme pages are content).
//!
//! A job's key hashes its identity, the fingerprints of the classes it reads and anything more
//! specific it names (a region page: the cards of the news it lists). A chart file has a
//! second key made of everything it is drawn from (`Job::content_key`), so that it is kept
//! when only other figures of the data changed. The record of a build
//! keeps every job's key with the files it wrote; the next build into the same, untouched
//! output folder keeps those files as they are for every job whose key is the same, and
//! renders the others. A job that does not say what it reads reads everything, so a mistake
//! here can only cost time; the tests build each kind of change both ways and compare every
//! byte (`tests/testsuite/incremental.rs`).

use sha2::{Digest, Sha256};

use crate::model::Site;
use crate::unchanged::{Inputs, hex};

/// Classes of input, as a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reads(u8);

impl Reads {
    /// `lumbung.toml`.
    pub(crate) const CONFIG: Reads = Reads(1);
    /// `content/`.
    pub(crate) const CONTENT: Reads = Reads(1 << 1);
    /// `data/` and the boundaries.
    pub(crate) const DATA: Reads = Reads(1 << 2);
    /// `templates/`, the theme and the site's dictionaries (`i18n/`).
    pub(crate) const THEME: Reads = Reads(1 << 3);
    /// `static/`.
    pub(crate) const STATIC: Reads = Reads(1 << 4);
    /// Which regions have pages, and the programmes' names and addresses.
    pub(crate) const SHAPE: Reads = Reads(1 << 5);
    /// Nothing but the program: for a key made of the bytes a file is a pure function of.
    pub(crate) const NONE: Reads = Reads(0);
    /// Everything: the default.
    pub(crate) const ALL: Reads = Reads(0x3f);
    /// Files made of figures alone (downloads, chart files): config, data, shape.
    pub(crate) const FIGURES: Reads = Reads(1 | (1 << 2) | (1 << 5));
    /// Pages of figures (region, indicator, compare, dataset pages): figures and templates.
    pub(crate) const FIGURE_PAGES: Reads = Reads(1 | (1 << 2) | (1 << 3) | (1 << 5));

    fn has(self, class: Reads) -> bool {
        self.0 & class.0 != 0
    }
}

/// What jobs' keys are made from: the inputs' fingerprints and the site's shape.
pub(crate) struct Fingerprints {
    inputs: Inputs,
    shape: [u8; 32],
}

impl Fingerprints {
    /// The fingerprints of this build: `inputs` as read, the shape from the model.
    pub(crate) fn new(inputs: Inputs, site: &Site) -> Fingerprints {
        Fingerprints {
            inputs,
            shape: shape(site),
        }
    }

    /// The key of the job named `identity` that reads `reads` and, beyond them, `extra`.
    pub(crate) fn key(&self, identity: &str, reads: Reads, extra: Option<&[u8]>) -> String {
        let i = &self.inputs;
        let mut h = Sha256::new();
        h.update(identity.as_bytes());
        h.update([0]);
        h.update(i.base);
        for (class, fp) in [
            (Reads::CONFIG, &i.config),
            (Reads::CONTENT, &i.content),
            (Reads::DATA, &i.data),
            (Reads::THEME, &i.theme),
            (Reads::STATIC, &i.statics),
            (Reads::SHAPE, &self.shape),
        ] {
            if reads.has(class) {
                h.update([class.0]);
                h.update(fp);
            }
        }
        if let Some(extra) = extra {
            h.update([0xff]);
            h.update(Sha256::digest(extra));
        }
        hex(&h.finalize()[..16])
    }
}

/// The site's shape as pages of figures see it: the regions that have pages, and every
/// programme's slug, names and address.
fn shape(site: &Site) -> [u8; 32] {
    let mut h = Sha256::new();
    for code in &site.region_pages {
        h.update(code.as_bytes());
        h.update([0]);
    }
    h.update([0xff]);
    for (slug, &i) in &site.programs {
        let p = &site.pages[i];
        for part in [
            slug.as_str(),
            &p.title,
            p.short_name.as_deref().unwrap_or_default(),
            &crate::urls::page(p),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
    }
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_changes_with_the_classes_read_and_only_with_them() {
        let base = Inputs::default();
        let fp = |inputs: Inputs| Fingerprints {
            inputs,
            shape: [0; 32],
        };
        let before = fp(base.clone());
        let after = fp(Inputs {
            content: [1; 32],
            ..base
        });
        let id = "Regions(Download { code: \"36.04\" })";
        assert_eq!(
            before.key(id, Reads::FIGURES, None),
            after.key(id, Reads::FIGURES, None),
            "figures do not read content"
        );
        assert_ne!(
            before.key(id, Reads::ALL, None),
            after.key(id, Reads::ALL, None)
        );
        assert_ne!(
            before.key(id, Reads::FIGURES, Some(b"a")),
            before.key(id, Reads::FIGURES, Some(b"b"))
        );
        assert_ne!(
            before.key(id, Reads::FIGURES, None),
            before.key("Regions(Index)", Reads::FIGURES, None)
        );
    }
}
