#!/usr/bin/env python3
"""bench/run.py - `make bench`: taalspel against its baselines, in one run.

    python3 bench/run.py [--build build] [--mb 200] [--runs 5] [--ref-mb 10]
                         [--ucto-mb 5] [--rss-mb 0] [--scale-mb 20]

Builds a corpus of --mb MB from corpora/ (plain-text transcripts, one file
per session, the gold sessions repeated in order), then measures, each
figure the median of --runs runs (min and max kept):

  end-to-end   `taalspel code --format jsonl -o /dev/null` on the corpus,
               -j 1 and -j 2, wall time; peak RSS of the -j 1 run
  core         tokenize + match + classify in process (build/bench)
  reference    the same with --matcher reference, on the first --ref-mb MB
  hyperscan    the pack's patterns in one Hyperscan/Vectorscan database,
               every turn scanned (if libhs was found at build time)
  tokenize     our tokenizer, and ucto on a --ucto-mb MB slice (if installed)
  memcpy       the ceiling
  compile      loading the rule pack, ms
  session      a 45-minute session coded start to finish (process wall time)
  scaling      core MB/s with the rule pack copied 1x, 2x, 4x (ids renamed)
               and on 1/4, 1/2, 1 of the corpus
  identity     fast and reference output (sha256) on corpora/ and the slice
  rss          with --rss-mb N (e.g. 1000): peak RSS streaming N MB in jsonl

Writes bench/results.json and prints the table. Every MB is 10^6 bytes of
input files. Ratios are computed between figures of this same run.
"""
import argparse, glob, hashlib, json, os, platform, re, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def med(v):
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "runs": len(v)}


BENCH = None  # build/bench, set in main()


def run_timed(cmd):
    """Runs cmd through `bench --spawn` (see bench.c); returns (wall seconds,
    peak RSS in MB of that process alone)."""
    out = subprocess.run([BENCH, "--spawn"] + cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("bench: %s failed:\n%s" % (" ".join(cmd), out.stderr[-2000:]))
    r = json.loads(out.stdout)
    if r["status"] not in (0,):
        raise SystemExit("bench: %s exited %d:\n%s" % (" ".join(cmd), r["status"], out.stderr[-2000:]))
    return r["seconds"], r["maxrss_kb"] / 1024.0


# ------------------------------------------------------------- corpus

def sessions():
    out = []
    for f in sorted(glob.glob("corpora/nl/*/*.jsonl")):
        turns = []
        for line in open(f, encoding="utf-8"):
            o = json.loads(line)
            if o.get("type") == "meta" or "text" not in o:
                continue
            label = {"professional": "T", "client": "C"}.get(o.get("role"), "T")
            turns.append("%s: %s\n" % (label, " ".join(o["text"].split())))
        if turns:
            out.append("".join(turns))
    if not out:
        raise SystemExit("bench: no sessions in corpora/nl")
    return out


def build_corpus(mb):
    d = os.path.join("bench", "data", "corpus-%gmb" % mb)
    stamp = os.path.join(d, ".complete")
    if os.path.exists(stamp):
        return d
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    ss = [s.encode("utf-8") for s in sessions()]
    total, i = 0, 0
    while total < mb * 1e6:
        data = ss[i % len(ss)]
        with open(os.path.join(d, "s%06d.txt" % i), "wb") as f:
            f.write(data)
        total += len(data)
        i += 1
    open(stamp, "w").write("%d files %d bytes\n" % (i, total))
    return d


def corpus_files(d):
    return sorted(glob.glob(os.path.join(d, "*.txt")))


def dir_bytes(files):
    return sum(os.path.getsize(f) for f in files)


def session_45min():
    """About 6,500 words: 45 minutes of conversation at ~145 words a minute."""
    p = os.path.join("bench", "data", "session-45min.txt")
    if not os.path.exists(p):
        ss, out, words, i = sessions(), [], 0, 0
        while words < 6500:
            s = ss[i % len(ss)]
            out.append(s)
            words += len(s.split())
            i += 1
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "w", encoding="utf-8").write("".join(out))
    return p


RULES = "rules/nl"  # replaced by a snapshot in main(): the pack may change during a run


def snapshot_rules():
    d = os.path.join("bench", "data", "rules-snapshot")
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree("rules/nl", d)
    return d


def scaled_rules(k):
    """The rule pack plus k-1 copies of every rule with renamed ids."""
    if k == 1:
        return RULES
    d = os.path.join("bench", "data", "rules-x%d" % k)
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(RULES, d)
    for f in sorted(glob.glob(os.path.join(RULES, "*.rules"))):
        blocks, cur = [], None
        for line in open(f, encoding="utf-8"):
            if re.match(r"rule\s", line):
                cur = [line]
                blocks.append(cur)
            elif line[:1] in (" ", "\t") or not line.strip() or line.startswith("#"):
                if cur is not None:
                    cur.append(line)
            else:
                cur = None
        for c in range(2, k + 1):
            with open(os.path.join(d, "zz-copy%d-%s" % (c, os.path.basename(f))), "w", encoding="utf-8") as o:
                for b in blocks:
                    o.write(re.sub(r"^rule\s+(\S+)", r"rule \1-copy%d" % c, b[0]))
                    o.writelines(b[1:])
                    o.write("\n")
    return d


# ------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--ref-mb", type=float, default=10)
    ap.add_argument("--ucto-mb", type=float, default=5)
    ap.add_argument("--rss-mb", type=float, default=0)
    ap.add_argument("--scale-mb", type=float, default=20)
    ap.add_argument("--out", default="bench/results.json")
    a = ap.parse_args()
    T = os.path.join(a.build, "taalspel")
    B = os.path.join(a.build, "bench")
    global BENCH, RULES
    BENCH = B
    RULES = snapshot_rules()
    runs = max(a.runs, 1)
    R = {"machine": {}, "config": vars(a)}
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    R["machine"] = {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(), "loadavg_start": os.getloadavg(),
                    "taalspel": subprocess.run([T, "--version"], capture_output=True, text=True).stdout.strip()}

    log("bench: building the %g MB corpus" % a.mb)
    cdir = build_corpus(a.mb)
    files = corpus_files(cdir)
    mb = dir_bytes(files) / 1e6
    R["corpus"] = {"dir": cdir, "files": len(files), "mb": round(mb, 3)}

    # identity: fast == reference, on corpora/ and on the reference slice
    log("bench: identity (fast vs reference)")
    ref_files, acc = [], 0
    for f in files:
        if acc >= a.ref_mb * 1e6:
            break
        ref_files.append(f)
        acc += os.path.getsize(f)
    ident = {}
    for name, args in (("corpora", ["corpora"]), ("reference_slice", ref_files)):
        h = {}
        for m in ("fast", "reference"):
            out = subprocess.run([T, "code", "--rules", RULES, "--format", "jsonl", "--quiet", "--matcher", m] + args,
                                 capture_output=True)
            h[m] = hashlib.sha256(out.stdout).hexdigest()
        ident[name] = {"identical": h["fast"] == h["reference"], "sha256": h["fast"], "mb": round(
            (dir_bytes(glob.glob("corpora/**/*.*", recursive=True)) if name == "corpora" else acc) / 1e6, 3)}
    R["identity"] = ident

    # core, in process
    log("bench: core phases (build/bench)")
    core = json.loads(subprocess.run([B, "--rules", RULES, "--runs", str(runs), "--ref-mb", str(a.ref_mb)] + files,
                                     capture_output=True, text=True, check=True).stdout)
    R["core"] = core

    # end to end
    log("bench: end to end")
    e2e = {}
    for j in (1, 2):
        t, rss = [], []
        for _ in range(runs):
            el, r = run_timed([T, "code", "--rules", RULES, "--format", "jsonl", "-o", "/dev/null", "--quiet", "-j", str(j), cdir])
            t.append(mb / el)
            rss.append(r)
        e2e["j%d" % j] = dict(med(t), unit="MB/s", peak_rss_mb=max(rss))
    R["end_to_end"] = e2e

    # a 45-minute session, start to finish
    sp = session_45min()
    words = len(open(sp, encoding="utf-8").read().split())
    t = []
    for _ in range(max(runs, 11)):
        el, _ = run_timed([T, "code", "--rules", RULES, "-o", "/dev/null", sp])
        t.append(el * 1e3)
    R["session_45min"] = dict(med(t), unit="ms", words=words, kb=round(os.path.getsize(sp) / 1e3, 1))

    # tokenizing: ucto on a slice, and ours on the same slice
    slice_p = os.path.join("bench", "data", "slice-%gmb.txt" % a.ucto_mb)
    if not os.path.exists(slice_p):
        with open(slice_p, "wb") as o:
            acc = 0
            for f in files:
                d = open(f, "rb").read()
                o.write(d)
                acc += len(d)
                if acc >= a.ucto_mb * 1e6:
                    break
    smb = os.path.getsize(slice_p) / 1e6
    ours = json.loads(subprocess.run([B, "--rules", RULES, "--runs", str(runs), "--phases", "tokenize", slice_p],
                                     capture_output=True, text=True, check=True).stdout)
    R["tokenize_slice"] = {"mb": round(smb, 3), "taalspel": ours["tokenize"]}
    if shutil.which("ucto"):
        log("bench: ucto on %.1f MB (slow)" % smb)
        t = []
        for _ in range(runs):
            el, _ = run_timed(["ucto", "-L", "nld", slice_p, "/dev/null"])
            t.append(smb / el)
        R["tokenize_slice"]["ucto"] = dict(med(t), unit="MB/s")
    else:
        R["tokenize_slice"]["ucto"] = None
        log("bench: ucto not installed (make bench-deps); its column is skipped")

    # scaling: rules x1 x2 x4, text 1/4 1/2 1
    log("bench: scaling")
    sc = {"rules": {}, "text": {}}
    smb = min(a.scale_mb, mb)
    for k in (1, 2, 4):
        d = scaled_rules(k)
        out = json.loads(subprocess.run([B, "--rules", d, "--runs", str(runs), "--phases", "fast,compile", "--limit-mb", str(smb)] + files,
                                        capture_output=True, text=True, check=True).stdout)
        sc["rules"]["x%d" % k] = {"rules": out["rules"], "fast": out["fast"], "compile": out["compile"]}
    for frac in (0.25, 0.5, 1.0):
        out = json.loads(subprocess.run([B, "--rules", RULES, "--runs", str(runs), "--phases", "fast", "--limit-mb", str(mb * frac)] + files,
                                        capture_output=True, text=True, check=True).stdout)
        sc["text"]["%g" % frac] = {"mb": out["input_mb"], "fast": out["fast"],
                                   "seconds": out["input_mb"] / out["fast"]["median"]}
    R["scaling"] = sc

    if a.rss_mb > 0:
        reps = max(1, int(round(a.rss_mb / mb)))
        log("bench: streaming %d x %.0f MB for peak RSS" % (reps, mb))
        el, rss = run_timed([T, "code", "--rules", RULES, "--format", "jsonl", "-o", "/dev/null", "--quiet", "-j", "1"] + [cdir] * reps)
        R["rss_stream"] = {"mb": round(mb * reps, 1), "peak_rss_mb": rss, "mb_s": mb * reps / el}

    # ratios, all from this run
    c = R["core"]
    x = {}
    e1 = e2e["j1"]["median"]
    x["end_to_end_mb_s"] = e1
    x["core_mb_s"] = c["fast"]["median"]
    x["core_vs_reference"] = c["fast"]["median"] / c["reference"]["median"]
    x["end_to_end_vs_reference"] = e1 / c["reference"]["median"]
    if "hs" in c:
        x["end_to_end_vs_hyperscan"] = e1 / c["hs"]["median"]
        x["core_vs_hyperscan"] = c["fast"]["median"] / c["hs"]["median"]
    uc = R["tokenize_slice"]["ucto"]
    if uc:
        x["tokenize_vs_ucto"] = R["tokenize_slice"]["taalspel"]["median"] / uc["median"]
    x["memcpy_vs_end_to_end"] = c["memcpy"]["median"] / e1
    x["j2_vs_j1"] = e2e["j2"]["median"] / e1
    r1 = sc["rules"]["x1"]["fast"]["median"]
    x["time_rules_x2_vs_x1"] = r1 / sc["rules"]["x2"]["fast"]["median"]
    x["time_rules_x4_vs_x1"] = r1 / sc["rules"]["x4"]["fast"]["median"]
    t1 = sc["text"]["0.25"]["seconds"]
    x["time_text_x2_vs_x1"] = sc["text"]["0.5"]["seconds"] / t1
    x["time_text_x4_vs_x1"] = sc["text"]["1"]["seconds"] / t1
    R["ratios"] = x
    tg = {
        "identical_output": all(v["identical"] for v in ident.values()),
        "end_to_end_ge_100_mb_s": e1 >= 100,
        "ge_30x_reference": x["core_vs_reference"] >= 30,
        "ge_1.5x_hyperscan": ("end_to_end_vs_hyperscan" in x and x["end_to_end_vs_hyperscan"] >= 1.5) if "hs" in c else None,
        "tokenize_ge_1000x_ucto": (x["tokenize_vs_ucto"] >= 1000) if uc else None,
        "compile_le_20_ms": c["compile"]["median"] <= 20,
        "session_45min_le_30_ms": R["session_45min"]["median"] <= 30,
        "peak_rss_le_32_mb": (R.get("rss_stream", {}).get("peak_rss_mb") or e2e["j1"]["peak_rss_mb"]) <= 32,
        "j2_ge_1.8x_j1": x["j2_vs_j1"] >= 1.8,
        "rules_x4_time_le_log": x["time_rules_x4_vs_x1"] <= 1 + 2 * 0.5,  # at most 1 + log2(4) * 0.5
        "text_linear": 3.4 <= x["time_text_x4_vs_x1"] <= 4.6,
    }
    R["targets"] = tg
    R["machine"]["loadavg_end"] = os.getloadavg()
    with open(a.out, "w") as f:
        json.dump(R, f, indent=1)
    print_table(R)


def fmt(m, unit="MB/s"):
    if not m:
        return "skipped"
    return "%9.1f %s (min %.1f, max %.1f)" % (m["median"], unit, m["min"], m["max"])


def print_table(R):
    c, x = R["core"], R["ratios"]
    rows = [
        ("taalspel end to end -j 1 (code --format jsonl)", fmt(R["end_to_end"]["j1"])),
        ("taalspel end to end -j 2", fmt(R["end_to_end"]["j2"])),
        ("taalspel core (tokenize+match+classify)", fmt(c["fast"])),
        ("reference matcher core (%.0f MB)" % c.get("reference_mb", 0), fmt(c["reference"])),
        ("Hyperscan %s, per turn (%s patterns)" % (c.get("hs_version", "").split()[0] if "hs" in c else "", c.get("hs_patterns", "-")), fmt(c.get("hs"))),
        ("Hyperscan, one big buffer", fmt(c.get("hs_one_buffer"))),
        ("taalspel tokenizer (%.0f MB slice)" % R["tokenize_slice"]["mb"], fmt(R["tokenize_slice"]["taalspel"])),
        ("ucto (same slice)", fmt(R["tokenize_slice"]["ucto"], "MB/s")),
        ("memcpy", fmt(c["memcpy"])),
        ("rule pack compile", fmt(c["compile"], "ms")),
        ("45-minute session (%d words), wall" % R["session_45min"]["words"], fmt(R["session_45min"], "ms")),
        ("peak RSS, -j 1 end to end", "%9.1f MB" % R["end_to_end"]["j1"]["peak_rss_mb"]),
    ]
    if "rss_stream" in R:
        rows.append(("peak RSS streaming %.0f MB" % R["rss_stream"]["mb"], "%9.1f MB" % R["rss_stream"]["peak_rss_mb"]))
    if "hs_compile_ms" in c:
        rows.append(("Hyperscan compile / memory", "%9.1f ms, %.1f MB" % (c["hs_compile_ms"], c["hs_bytes"] / 1e6)))
    print("\nmachine: %s, %s cores, load average %.1f at start, %.1f at end; corpus %.1f MB in %d files; %d rules (%d slow)" % (
        R["machine"]["cpu"], R["machine"]["cores"], R["machine"]["loadavg_start"][0], R["machine"]["loadavg_end"][0],
        R["corpus"]["mb"], R["corpus"]["files"], c["rules"], c["slow_rules"]))
    for k, v in rows:
        print("  %-48s %s" % (k, v))
    print("ratios (this run):")
    for k, v in x.items():
        print("  %-48s %10.2f" % (k, v))
    for k, v in R["scaling"]["rules"].items():
        print("  rules %-4s (%4d rules)  core %8.1f MB/s  compile %6.1f ms" % (k, v["rules"], v["fast"]["median"], v["compile"]["median"]))
    for k, v in R["scaling"]["text"].items():
        print("  text %-5s (%6.1f MB)  core %8.1f MB/s  %6.2f s" % (k, v["mb"], v["fast"]["median"], v["seconds"]))
    print("identity: " + ", ".join("%s %s" % (k, "identical" if v["identical"] else "DIFFERENT") for k, v in R["identity"].items()))
    print("targets: " + ", ".join("%s=%s" % (k, {True: "met", False: "NOT met", None: "skipped"}[v]) for k, v in R["targets"].items()))


if __name__ == "__main__":
    main()
