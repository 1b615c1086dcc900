// The compare page's chooser: pick an indicator and up to eight regions, see them on one chart
// (one scale, labels at the line ends) and in a table. The choice lives in the address
// (?i=p0&w=36.73,36.04), so a comparison can be shared. Without JavaScript the form stays
// hidden and the list of compare pages below does the work.
const form = document.getElementById("pilih");
const select = document.getElementById("pilih-indikator");
const input = document.getElementById("pilih-wilayah");
const list = document.getElementById("daftar-wilayah");
const chosenList = document.getElementById("terpilih");
const out = document.getElementById("hasil-banding");
// The site's base path: this script sits at its root (/bandingkan.js, or /portal/bandingkan.js).
const base = new URL(".", import.meta.url).pathname;
const MAX = 8;
const COLOURS = ["#0B4F9C", "#C05A00", "#2E7D6E", "#7B4FA0", "#8C564B", "#5F6F1A", "#B0306A", "#4A4A4A"];
const SVG = "http://www.w3.org/2000/svg";

const params = new URLSearchParams(location.search);
let chosen = (params.get("w") || "").split(",").map((s) => s.trim()).filter(Boolean).slice(0, MAX);
let data = null;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// Indonesian numbers: 1.234,56.
function num(v, d) {
  return v.toLocaleString("id-ID", { minimumFractionDigits: d, maximumFractionDigits: d });
}

function tick(v) {
  const d = Number.isInteger(v) ? 0 : Number.isInteger(v * 10) ? 1 : 2;
  if (data.satuan === "persen") return num(v, d) + "%";
  if (data.satuan.startsWith("rupiah")) return "Rp" + num(v, 0);
  return num(v, d);
}

function fmt(v) {
  if (v === null || v === undefined) return "–";
  if (data.satuan === "persen") return num(v, data.desimal) + "%";
  if (data.satuan.startsWith("rupiah")) return "Rp" + num(v, 0);
  return num(v, data.desimal);
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

async function load(slug) {
  const r = await fetch(`${base}bandingkan/${encodeURIComponent(slug)}.json`);
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  data = await r.json();
  data.byCode = new Map(data.wilayah.map((w) => [w.kode, w]));
  list.replaceChildren(...data.wilayah.map((w) => el("option", { value: `${w.nama} (${w.kode})` })));
}

function findRegion(text) {
  const t = text.trim().toLowerCase();
  if (!t) return null;
  const code = t.match(/\(([0-9.]+)\)\s*$/);
  if (code && data.byCode.has(code[1])) return code[1];
  if (data.byCode.has(t)) return t;
  const exact = data.wilayah.filter((w) => w.nama.toLowerCase() === t);
  if (exact.length === 1) return exact[0].kode;
  const part = data.wilayah.filter((w) => w.nama.toLowerCase().includes(t));
  return part.length === 1 ? part[0].kode : null;
}

function remember() {
  const q = new URLSearchParams({ i: select.value });
  if (chosen.length) q.set("w", chosen.join(","));
  history.replaceState(null, "", `${location.pathname}?${q}`);
}

function drawChips() {
  chosenList.replaceChildren(...chosen.map((k, i) => {
    const w = data.byCode.get(k);
    const b = el("button", { type: "button", class: "chip-remove", "aria-label": `Hapus ${w ? w.nama : k}` }, "×");
    b.addEventListener("click", () => { chosen = chosen.filter((c) => c !== k); update(); });
    return el("li", { class: "chip", style: `border-color: ${COLOURS[i % COLOURS.length]}` }, w ? `${w.nama} ` : `${k} `, b);
  }));
}

// A label's lines: name and value on one line when short, else on two.
function labelLines(s, v) {
  const one = `${s.nama} ${fmt(v)}`;
  return one.length <= 24 ? [one] : [s.nama, fmt(v)];
}

function chart(series) {
  // On a phone the chart is drawn as wide as the screen and its lines go unlabelled: the
  // region chips above, framed in each line's colour, are its legend.
  const narrow = out.clientWidth > 0 && out.clientWidth < 520;
  const W = narrow ? Math.max(260, out.clientWidth) : 640, H = narrow ? 260 : 320, left = 56, top = 16, bottom = 34;
  // Room for the longest label line (bold 13 px: about 8 px a character), at most 260.
  const longest = Math.max(0, ...series.map((s) => {
    const v = s.nilai.filter((x) => x !== null).pop();
    return v === undefined ? 0 : Math.max(...labelLines(s, v).map((l) => l.length));
  }));
  const right = narrow ? W - 14 : W - Math.min(260, longest * 8 + 16);
  // Periods where any chosen region has a figure: never interpolated, a gap stays a gap.
  const cols = data.periode.map((_, i) => i).filter((i) => series.some((s) => s.nilai[i] !== null));
  const max = niceMax(Math.max(...series.flatMap((s) => cols.map((i) => s.nilai[i] ?? 0))));
  const x = (j) => left + (cols.length > 1 ? (j * (right - left - 10)) / (cols.length - 1) : (right - left) / 2);
  const y = (v) => top + (1 - v / max) * (H - top - bottom);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "banding-judul", "aria-describedby": "banding-isi", class: "compare-chart" });
  root.append(svg("title", { id: "banding-judul" }, `${data.judul}: ${series.map((s) => s.nama).join(", ")}`));
  const latest = series.map((s) => {
    const i = cols.filter((c) => s.nilai[c] !== null).pop();
    return i === undefined ? `${s.nama}: tidak ada angka` : `${s.nama} ${fmt(s.nilai[i])} (${data.periode[i]})`;
  });
  root.append(svg("desc", { id: "banding-isi" }, `Grafik garis ${data.periode[cols[0]] || ""}–${data.periode[cols[cols.length - 1]] || ""}, satu skala. Angka terakhir: ${latest.join("; ")}. Semua angka ada di tabel di bawah.`));
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    root.append(svg("line", { x1: left, x2: right, y1: y(v), y2: y(v), stroke: "#E2E2E2" }));
    root.append(svg("text", { x: left - 6, y: y(v) + 5, "text-anchor": "end", fill: "#595959", "font-size": 13 }, tick(v)));
  }
  const ticks = cols.length <= 2 || narrow ? [0, cols.length - 1].filter((j, k, a) => j >= 0 && a.indexOf(j) === k) : cols.length === 3 ? [0, 1, 2] : [0, Math.floor((cols.length - 1) / 2), cols.length - 1];
  for (const j of ticks) {
    const end = j === cols.length - 1 && j > 0;
    root.append(svg("text", { x: end ? x(j) + 6 : x(j), y: H - 10, "text-anchor": end ? "end" : "middle", fill: "#595959", "font-size": 13 }, data.periode[cols[j]]));
  }
  const labels = [];
  series.forEach((s, n) => {
    const colour = COLOURS[n % COLOURS.length];
    let d = "";
    let pen = false;
    cols.forEach((i, j) => {
      const v = s.nilai[i];
      if (v === null) { pen = false; return; }
      d += `${pen ? "L" : "M"}${x(j).toFixed(1)} ${y(v).toFixed(1)}`;
      pen = true;
    });
    root.append(svg("path", { d, fill: "none", stroke: colour, "stroke-width": 2.5, "stroke-linejoin": "round" }));
    const last = cols.map((i, j) => [j, s.nilai[i]]).filter(([, v]) => v !== null).pop();
    if (last) {
      root.append(svg("circle", { cx: x(last[0]), cy: y(last[1]), r: 3.5, fill: colour }));
      labels.push({ want: y(last[1]), lines: labelLines(s, last[1]), colour });
    }
  });
  if (narrow) return root;
  // Labels at the right, pushed apart so none overlaps another.
  labels.sort((a, b) => a.want - b.want);
  let next = top;
  for (const l of labels) { l.at = Math.max(l.want - (l.lines.length - 1) * 8, next); next = l.at + 16 * l.lines.length + 2; }
  const overflow = next - (H - bottom + 8);
  if (overflow > 0) for (const l of labels) l.at -= overflow;
  for (const l of labels) {
    l.lines.forEach((line, k) => {
      root.append(svg("text", { x: right + 8, y: l.at + 5 + 16 * k, fill: l.colour, "font-size": 13, "font-weight": "bold" }, line));
    });
  }
  return root;
}

function table(series) {
  const rows = data.periode.map((p, i) => [p, i]).filter(([, i]) => series.some((s) => s.nilai[i] !== null)).reverse();
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `Tabel ${data.judul}` },
    el("table", {},
      el("caption", {}, `${data.judul} (${data.satuan})`),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Periode"), ...series.map((s) => el("th", { scope: "col", class: "num" }, s.nama)))),
      el("tbody", {}, ...rows.map(([p, i]) => el("tr", {}, el("th", { scope: "row" }, p), ...series.map((s) => el("td", { class: "num" }, fmt(s.nilai[i]))))))));
}

function update() {
  chosen = chosen.filter((k) => data.byCode.has(k));
  drawChips();
  remember();
  const series = chosen.map((k) => data.byCode.get(k));
  if (series.length === 0) {
    out.replaceChildren(el("p", {}, "Tambahkan wilayah untuk mulai membandingkan."));
    return;
  }
  out.replaceChildren(
    el("figure", { class: "chart compare-figure" }, chart(series)),
    table(series),
    el("p", { class: "source" }, `Sumber: ${data.sumber}. Periode tanpa angka dibiarkan kosong, tidak ditebak.`),
  );
}

async function pick(slug) {
  try {
    await load(slug);
  } catch (e) {
    out.replaceChildren(el("p", {}, "Data perbandingan tidak bisa dimuat; gunakan daftar halaman perbandingan di bawah."));
    return;
  }
  update();
}

function add() {
  const k = data && findRegion(input.value);
  if (!k) {
    out.prepend(el("p", { class: "hl-note" }, `“${input.value}” tidak ditemukan; pilih dari daftar.`));
    return;
  }
  if (!chosen.includes(k) && chosen.length < MAX) chosen.push(k);
  input.value = "";
  update();
}

form.hidden = false;
const wanted = params.get("i");
if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
select.addEventListener("change", () => pick(select.value));
document.getElementById("tambah").addEventListener("click", add);
input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); add(); } });
form.addEventListener("submit", (e) => e.preventDefault());
pick(select.value);
