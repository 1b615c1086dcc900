//! Live reload for `lumbung serve`: the preview's build counter and last errors, and the small script that only the preview adds to the pages it serves (never to the built site).

use std::sync::Mutex;

/// Where the script asks for the preview's state (under the site's mount).
pub const STATUS_PATH: &str = "/__lumbung/status";

/// What the open pages of a preview are told: how many builds have finished, and the errors of
/// the last one (empty when it succeeded).
#[derive(Debug, Default)]
pub struct Preview {
    state: Mutex<(u64, String)>,
}

impl Preview {
    /// Records a finished build: `errors` is the printed diagnostics of a failed build, or
    /// `None` when it succeeded. Every open page reloads.
    pub fn built(&self, errors: Option<String>) {
        let mut s = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        s.0 += 1;
        s.1 = errors.unwrap_or_default();
    }

    /// The state as JSON: `{"build": 3, "errors": "…"}`.
    pub fn status_json(&self) -> String {
        let s = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        serde_json::json!({ "build": s.0, "errors": s.1 }).to_string()
    }
}

/// The script: asks for the state twice a second; reloads the page when a build has finished
/// since it was loaded; shows the last build's errors over the page while they last.
const SCRIPT: &str = r#"<script data-lumbung-preview>(()=>{let seen=null;const url=STATUS;
function show(text){let box=document.getElementById('lumbung-galat');if(!text){if(box)box.remove();return}
if(!box){box=document.createElement('section');box.id='lumbung-galat';box.setAttribute('role','alert');
box.style.cssText='position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:99999;background:#fff4f4;color:#5a0000;border-top:4px solid #b00020;padding:1rem;font:14px/1.4 monospace;box-shadow:0 -2px 8px rgba(0,0,0,.2)';
const h=document.createElement('p');h.style.cssText='margin:0 0 .5rem;font:bold 16px sans-serif';h.textContent='Build gagal: halaman ini masih versi terakhir yang berhasil. Perbaiki berkasnya, halaman dimuat ulang sendiri.';
const pre=document.createElement('pre');pre.style.cssText='margin:0;white-space:pre-wrap';box.append(h,pre);document.body.append(box)}
box.querySelector('pre').textContent=text}
async function tick(){try{const r=await fetch(url,{cache:'no-store'});const s=await r.json();
if(seen===null)seen=s.build;else if(s.build!==seen){location.reload();return}show(s.errors)}catch(e){}setTimeout(tick,200)}
tick()})();</script>"#;

/// `html` with the preview script added before its last `</body>` (or at the end), asking
/// `mount` + [`STATUS_PATH`] for the state.
pub fn inject(html: &[u8], mount: &str) -> Vec<u8> {
    let status = serde_json::to_string(&format!("{mount}{STATUS_PATH}"))
        .unwrap_or_else(|_| "\"/__lumbung/status\"".into());
    let script = SCRIPT.replace("STATUS", &status);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_body_ends_and_asks_under_the_mount() {
        let page = b"<html><body><p>x</p></body></html>";
        let out = String::from_utf8(inject(page, "/portal")).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script data-lumbung-preview>"));
        assert!(out.ends_with("</script></body></html>"));
        assert!(out.contains("const url=\"/portal/__lumbung/status\";"));
        let bare = String::from_utf8(inject(b"<p>x</p>", "")).unwrap();
        assert!(bare.starts_with("<p>x</p><script") && bare.contains("\"/__lumbung/status\""));
    }

    #[test]
    fn the_state_counts_builds_and_keeps_only_the_last_errors() {
        let p = Preview::default();
        assert_eq!(p.status_json(), r#"{"build":0,"errors":""}"#);
        p.built(Some("kesalahan[L0508]".into()));
        assert_eq!(
            p.status_json(),
            r#"{"build":1,"errors":"kesalahan[L0508]"}"#
        );
        p.built(None);
        assert_eq!(p.status_json(), r#"{"build":2,"errors":""}"#);
    }
}
