#!/usr/bin/env python3
"""Writes a clearly labelled SYNTHETIC dataset of poverty rates for every kecamatan or desa of a
Lumbung region registry, for benchmarks of pages below the kab/kota. The figures are made up
(deterministic, from the region code): the dataset is marked `lumbung:illustrative`, so every
page, chart and download says "angka ilustrasi, bukan data resmi". Never copy it into a real
portal or into the sample.

usage: gen_synthetic_regions.py REGISTRY_CSV DATA_DIR LEVEL [PROVINCE_PREFIX]
  REGISTRY_CSV     data/wilayah.csv written by `lumbung import wilayah --levels kecamatan|desa`
  DATA_DIR         the site's data/ folder; writes DATA_DIR/sintetis-<level>/
  LEVEL            kecamatan or desa (desa includes kelurahan)
  PROVINCE_PREFIX  optional, e.g. 36 for Banten only
"""
import csv, hashlib, json, os, sys

registry, data_dir, level = sys.argv[1], sys.argv[2], sys.argv[3]
prefix = sys.argv[4] if len(sys.argv) > 4 else ""
kinds = {"kecamatan": {"kecamatan"}, "desa": {"desa", "kelurahan"}}[level]
YEARS = range(2019, 2025)

def unit(code, salt):
    h = hashlib.sha256(f"{code}/{salt}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64

rows = []
with open(registry, newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        if r["jenis"] in kinds and (not prefix or r["kode"].startswith(prefix + ".")):
            base = 3 + 17 * unit(r["kode"], "base")      # 3–20 %
            trend = -0.1 - 0.4 * unit(r["kode"], "trend") # falling 0.1–0.5 points a year
            for i, y in enumerate(YEARS):
                rows.append((r["kode"], y, "Maret", round(max(0.5, base + trend * i), 2)))

name = f"sintetis-{level}"
out = os.path.join(data_dir, name)
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, name + ".csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["kode_wilayah", "tahun", "periode", "p0_sintetis"])
    w.writerows(rows)
pkg = {
    "name": name,
    "title": f"Persentase penduduk miskin per {level} (SINTETIS, untuk benchmark)",
    "description": "Angka buatan untuk mengukur kecepatan Lumbung pada halaman di bawah kabupaten/kota. Bukan data BPS dan bukan data siapa pun.",
    "version": "0.0.0-sintetis",
    "created": "2026-12-03T00:00:00Z",
    "lumbung:illustrative": "angka sintetis buatan generator benchmark (tools/bench/gen_synthetic_regions.py), bukan data resmi",
    "licenses": [{"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}],
    "sources": [{"title": "Generator sintetis Lumbung (bukan data resmi)"}],
    "resources": [{
        "name": name, "path": name + ".csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "schema": {
            "fields": [
                {"name": "kode_wilayah", "type": "string", "lumbung:role": "region"},
                {"name": "tahun", "type": "year", "lumbung:role": "time"},
                {"name": "periode", "type": "string", "lumbung:role": "period"},
                {"name": "p0_sintetis", "type": "number", "title": "P0 sintetis", "lumbung:role": "measure",
                 "lumbung:unit": "persen", "lumbung:lowerIsBetter": True, "lumbung:indicator": f"p0-sintetis-{level}"},
            ],
            "missingValues": [""],
            "primaryKey": ["kode_wilayah", "tahun", "periode"],
        },
    }],
}
with open(os.path.join(out, "datapackage.json"), "w", encoding="utf-8") as f:
    json.dump(pkg, f, ensure_ascii=False, indent=2)
print(f"{len(rows)} baris sintetis untuk {len(rows) // len(YEARS)} {level} → {out}")
