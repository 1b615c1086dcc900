//! The default theme, built into the binary so a new site needs no copy of it; `themes/<name>/` on disk wins.

use std::path::{Path, PathBuf};

/// Where a theme file comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

impl Source {
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Source::Disk(p) => std::fs::read(p),
            Source::Embedded(b) => Ok(b.to_vec()),
        }
    }

    /// How to name it in messages.
    pub fn shown(&self, root: &Path) -> PathBuf {
        match self {
            Source::Disk(p) => crate::diagnostic::display_path(root, p),
            Source::Embedded(_) => PathBuf::from("(tema bawaan)"),
        }
    }
}

/// Every file of the default theme, relative to `themes/default/`.
pub const DEFAULT: &[(&str, &[u8])] = &[
    (
        "static/favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
    (
        "static/style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "templates/404.html",
        include_bytes!("../themes/default/templates/404.html"),
    ),
    (
        "templates/base.html",
        include_bytes!("../themes/default/templates/base.html"),
    ),
    (
        "templates/catalog.html",
        include_bytes!("../themes/default/templates/catalog.html"),
    ),
    (
        "templates/dataset.html",
        include_bytes!("../themes/default/templates/dataset.html"),
    ),
    (
        "templates/feed.xml",
        include_bytes!("../themes/default/templates/feed.xml"),
    ),
    (
        "templates/index.html",
        include_bytes!("../themes/default/templates/index.html"),
    ),
    (
        "templates/indicator.html",
        include_bytes!("../themes/default/templates/indicator.html"),
    ),
    (
        "templates/indicators.html",
        include_bytes!("../themes/default/templates/indicators.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../themes/default/templates/page.html"),
    ),
    (
        "templates/partials/agenda_item.html",
        include_bytes!("../themes/default/templates/partials/agenda_item.html"),
    ),
    (
        "templates/partials/bars.html",
        include_bytes!("../themes/default/templates/partials/bars.html"),
    ),
    (
        "templates/partials/card.html",
        include_bytes!("../themes/default/templates/partials/card.html"),
    ),
    (
        "templates/partials/chart_embed.html",
        include_bytes!("../themes/default/templates/partials/chart_embed.html"),
    ),
    (
        "templates/partials/chart_files.html",
        include_bytes!("../themes/default/templates/partials/chart_files.html"),
    ),
    (
        "templates/partials/headline.html",
        include_bytes!("../themes/default/templates/partials/headline.html"),
    ),
    (
        "templates/partials/ranked_table.html",
        include_bytes!("../themes/default/templates/partials/ranked_table.html"),
    ),
    (
        "templates/partials/table.html",
        include_bytes!("../themes/default/templates/partials/table.html"),
    ),
    (
        "templates/partials/video.html",
        include_bytes!("../themes/default/templates/partials/video.html"),
    ),
    (
        "templates/region.html",
        include_bytes!("../themes/default/templates/region.html"),
    ),
    (
        "templates/regions.html",
        include_bytes!("../themes/default/templates/regions.html"),
    ),
    (
        "templates/section.html",
        include_bytes!("../themes/default/templates/section.html"),
    ),
    (
        "templates/sitemap.xml",
        include_bytes!("../themes/default/templates/sitemap.xml"),
    ),
    (
        "templates/tag.html",
        include_bytes!("../themes/default/templates/tag.html"),
    ),
    (
        "templates/tags.html",
        include_bytes!("../themes/default/templates/tags.html"),
    ),
];

/// The files of `theme` under `sub` (`templates` or `static`), as (path relative to `sub`, source):
/// from `<root>/themes/<theme>/<sub>` when that folder exists, else the built-in default theme.
pub fn files(root: &Path, theme: &str, sub: &str) -> Vec<(String, Source)> {
    let dir = root.join("themes").join(theme).join(sub);
    if dir.is_dir() {
        return walk(&dir);
    }
    if theme != "default" {
        return Vec::new();
    }
    let prefix = format!("{sub}/");
    DEFAULT
        .iter()
        .filter_map(|(p, b)| {
            p.strip_prefix(&prefix)
                .map(|rel| (rel.to_string(), Source::Embedded(b)))
        })
        .collect()
}

/// Files under `dir`, sorted, as (relative path with `/`, source).
pub fn walk(dir: &Path) -> Vec<(String, Source)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap_or(e.path())
                .to_string_lossy()
                .replace('\\', "/");
            (rel, Source::Disk(e.path().to_path_buf()))
        })
        .collect()
}

/// True when the theme exists on disk or is built in.
pub fn exists(root: &Path, theme: &str) -> bool {
    root.join("themes").join(theme).is_dir() || theme == "default"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_matches_theme_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = walk(&dir).into_iter().map(|(p, _)| p).collect();
        let embedded: Vec<&str> = DEFAULT.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            on_disk, embedded,
            "update src/theme.rs DEFAULT when theme files are added or removed"
        );
    }
}
