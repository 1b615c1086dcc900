// The search page: asks the Pagefind index (loaded only when there is a query) and lists the
// results above the A–Z list. Without JavaScript the A–Z list below works on its own.
const results = document.getElementById("hasil");
const input = document.getElementById("cari-q");
const query = (new URLSearchParams(location.search).get("q") || "").trim();
// The site's base path: this script sits at its root (/cari.js, or /portal/cari.js).
const base = new URL(".", import.meta.url).pathname;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

async function run(q) {
  results.replaceChildren(el("p", {}, "Mencari…"));
  let pagefind;
  try {
    pagefind = await import(base + "pagefind/pagefind.js");
    // In the page, not a worker: one script less to download.
    await pagefind.options({ baseUrl: base, noWorker: true });
  } catch (e) {
    results.replaceChildren(el("p", {}, "Indeks pencarian tidak bisa dimuat; gunakan daftar A–Z di bawah."));
    return;
  }
  const search = await pagefind.search(q);
  const top = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  if (top.length === 0) {
    results.replaceChildren(el("p", {}, `Tidak ada hasil untuk “${q}”. Coba nama lain, atau lihat daftar A–Z di bawah.`));
    return;
  }
  const list = el("ol", {});
  for (const d of top) {
    const item = el("li", {});
    item.append(el("a", { href: d.url }, d.meta.title || d.url));
    if (d.meta.jenis) item.append(el("span", { class: "kind" }, d.meta.jenis));
    // The excerpt is Pagefind's plain text with <mark> around the matches: rebuilt, not parsed.
    const p = el("p", {});
    for (const [i, part] of (d.excerpt || "").split(/<\/?mark>/).entries()) {
      const text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
      p.append(i % 2 ? el("mark", {}, text) : text);
    }
    if (p.textContent) item.append(p);
    list.append(item);
  }
  const heading = el("h2", { id: "hasil-judul" }, `${search.results.length} hasil untuk “${q}”`);
  results.replaceChildren(heading, list);
}

if (input) input.value = query;
if (query) run(query);
