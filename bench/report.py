"""Turns bench/run.py's measurements into bench/results.md (a Markdown report) and bench/results.png."""

import statistics
from pathlib import Path
from typing import Any

TARGET_ORDER = (
    "ours",
    "never",
    "mixed",
    "get",
    "stock",
    "minimal",
    "bare",
    "httpbin",
    "httpbin_get",
    "httpbin_shipped",
)


# The phases of a crowd's life in which HTTP/1.1's p99 is measured beside it (bench/http2.py).
PHASES = ("connect", "wait", "leave")


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summary(data: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per target: median, min and max req/s, and the median p50/p99 over the rounds."""
    out = {}
    for name in TARGET_ORDER:
        runs = data["results"][name].runs
        out[name] = {
            "rps": med([r.rps for r in runs]),
            "min": min(r.rps for r in runs),
            "max": max(r.rps for r in runs),
            "p50": med([r.p50_ms for r in runs]),
            "p99": med([r.p99_ms for r in runs]),
            "errors": sum(r.errors for r in runs),
            "non": sum(r.non_2xx_3xx for r in runs),
            "requests": sum(r.requests for r in runs),
        }
    return out


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**not met**")


def markdown(data: dict[str, Any]) -> str:
    s = summary(data)
    a = data["args"]
    cfg = data["settings"]
    server_cpu, client_cpu = data["cpus"]
    v = ", ".join(f"{k} {val}" for k, val in data["versions"].items())
    pin = (
        f"Gunicorn pinned to core {server_cpu} and wrk to core {client_cpu} (`taskset`): both workers share "
        "one core, so the figures are per-core throughput, and the two processes contend for that core "
        "rather than for the load generator's."
        if server_cpu
        else "One core only: no pinning, wrk and Gunicorn share it."
    )
    lines = [
        "# `make bench` results",
        "",
        f"- **Date**: {data['date']}; **machine**: {data['machine']}; **load average at start** (1, 5, "
        f"15 min): {', '.join(f'{x:.2f}' for x in data.get('load', ()))} — anything else running moves "
        "every figure, so compare runs made at a similar load",
        f"- **Versions**: {v}",
        "- **Gunicorn settings (every server)**: `-c service/server/gunicorn.conf.py`: "
        f"{cfg['worker_class']}, "
        f"{cfg['workers']} workers x {cfg['worker_connections']} connections, "
        f"keep-alive {cfg['keepalive']} s, "
        "the service's JSON access log and metrics on; only the app and the bind differ, except: "
        "*ours, stock log, no metrics* runs Gunicorn's stock access logger and METRICS_PORT=0, and "
        "*httpbin as shipped* runs as httpbin's image does (`gunicorn httpbin:app -k gevent`: Gunicorn's "
        "defaults, one gevent worker, no access log).",
        f"- **Load**: wrk 1 thread, {a['connections']} connections, {a['rounds']} rounds x {a['seconds']} s, "
        "targets alternating A B C A B C; every server on the host's loopback (not in a container), so all "
        f"targets run under equal conditions. {pin}",
        "",
        f"## Throughput ({a['rounds']} rounds, medians)",
        "",
        "| target | req/s | min-max | p50 ms | p99 ms | x minimal Flask | x bare WSGI | socket errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in TARGET_ORDER:
        t = s[name]
        lines.append(
            f"| {data['results'][name].label} | {t['rps']:.0f} | {t['min']:.0f}-{t['max']:.0f} | "
            f"{t['p50']:.1f} | {t['p99']:.1f} | {t['rps'] / s['minimal']['rps']:.2f} | "
            f"{t['rps'] / s['bare']['rps']:.2f} | {t['errors']:.0f} |"
        )
    vs_flask = s["ours"]["rps"] / s["minimal"]["rps"]
    never_vs_flask = s["never"]["rps"] / s["minimal"]["rps"]
    vs_httpbin = s["ours"]["rps"] / s["httpbin"]["rps"]
    vs_stock = s["ours"]["rps"] / s["stock"]["rps"]
    vs_shipped = s["ours"]["rps"] / s["httpbin_shipped"]["rps"]
    lines += [
        "",
        f"Ratios: ours / minimal Flask **{vs_flask:.2f}** (target >= 0.90), "
        f"ours never repeated / minimal Flask **{never_vs_flask:.2f}** (target >= 0.90), "
        f"ours / ours with the stock log and no metrics **{vs_stock:.2f}** (target >= 1.25), "
        f"ours / httpbin as shipped **{vs_shipped:.2f}** (goal >= 1.0), "
        f"ours / httpbin **{vs_httpbin:.2f}** (target >= 1.2), "
        f"minimal Flask / bare WSGI {s['minimal']['rps'] / s['bare']['rps']:.2f}, "
        f"httpbin / bare WSGI {s['httpbin']['rps'] / s['bare']['rps']:.2f}. "
        f"Mixed set: {data['results']['mixed'].note}.",
        "",
        "Peak resident memory per worker (VmHWM, MB): "
        + "; ".join(
            f"{data['results'][n].label} {', '.join(f'{m:.1f}' for m in mem)}"
            for n, mem in data["memory"].items()
        )
        + ".",
        "",
        "## Latency isolation",
        "",
    ]
    iso = data["isolation"]
    if iso:
        lines += [
            f"Fast requests (`{a['ours_path']}`, 4 connections) with and without 16 connections held in "
            f"`{a['slow_path']}`, medians of 3 rounds:",
            "",
            "| fast p99 alone | fast p99 beside 16 slow | ratio (target <= 2) |",
            "|---:|---:|---:|",
            f"| {iso['alone_p99_ms']:.1f} ms | {iso['loaded_p99_ms']:.1f} ms | {iso['ratio']:.2f} |",
        ]
    else:
        lines.append("Not measured: see the notes below.")
    h2 = data.get("http2")
    if h2:
        crowd, one_runs = h2["crowd"], h2["one_conn_20_streams_s"]
        lines += [
            "",
            "## HTTP/2 (h2load, and an h2 client for fast streams beside slow ones on one connection)",
            "",
            "| figure | value |",
            "|---|---|",
            "| one connection, 40 requests as 20 concurrent streams of `?delay=0.5` | median "
            f"{med(h2['one_conn_20_streams_s']):.2f} s ({', '.join(f'{x:.2f}' for x in one_runs)}) |",
            f"| fast streams on one connection: p99 alone / beside 16 slow (`?delay=1`) | "
            f"{h2['fast_alone_p99_ms']:.1f} ms / {h2['fast_beside_p99_ms']:.1f} ms |",
            "| 100 connections x 4 streams of `?delay=1` | "
            + (
                f"{crowd.succeeded}/{crowd.total} succeeded, {crowd.failed} failed, {crowd.seconds:.2f} s |"
                if crowd
                else "not run |"
            ),
            f"| HTTP/1.1 `{a['ours_path']}` p99 alone (wrk, 4 connections) | "
            f"{h2['h1_alone_p99_ms']:.1f} ms |",
            *(
                f"| the same beside 400 `?delay=3` requests over {crowd_kind} ({crowd_shape}), median of 3: "
                f"while they connect / wait / leave | "
                + " / ".join(f"{h2['h1_beside_ms'][(crowd_kind, phase)]:.1f} ms" for phase in PHASES)
                + " |"
                for crowd_kind, crowd_shape in (
                    ("HTTP/2", "100 connections x 4 streams"),
                    ("HTTP/1.1", "400 connections: the control"),
                )
            ),
        ]
    if data["sweep"]:
        lines += [
            "",
            f"## Gunicorn settings, the service's `{a['ours_path']}` under each",
            "",
            "| settings | req/s | p99 ms | fast p99 alone | fast p99 beside 16 slow | ratio | RSS MB |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in data["sweep"]:
            i = row["isolation"]
            iso_cells = (
                f"{i['alone_p99_ms']:.1f} | {i['loaded_p99_ms']:.1f} | {i['ratio']:.1f}" if i else "- | - | -"
            )
            rss = ", ".join(f"{m:.0f}" for m in row["rss_mb"])
            lines.append(f"| {row['label']} | {row['rps']:.0f} | {row['p99_ms']:.1f} | {iso_cells} | {rss} |")
    c = data["container"]
    if c:
        lines += [
            "",
            "## Container",
            "",
            "| figure | value |",
            "|---|---|",
            "| cold start, `docker compose up -d --wait` returns (3 runs) | "
            f"median {med(c['cold_wait_s']):.2f} s ({', '.join(f'{x:.2f}' for x in c['cold_wait_s'])}) |",
            "| cold start, first 200 from `/healthz` on the host | "
            f"median {med(c['cold_first_200_s']):.2f} s |",
            f"| image added over its base (`{c['base']}`) | "
            f"{c['added_mb']:.1f} MB ({c['image_mb']:.0f} MB total) |",
            "| `make test` wall time, warm build cache | "
            f"{c['make_test_s']:.1f} s (exit {c['make_test_rc']}) |",
            "| worker peak RSS in the container after 3 s of load | "
            f"{', '.join(f'{m:.0f}' for m in c['rss_mb'])} MB |",
            f"| `docker stats --no-stream` (whole container) | {c['stats_mem']} |",
            "",
            "Layers the image adds: "
            + "; ".join(f"{size} `{cmd[:70].strip()}`" for size, cmd in c["layers"])
            + ".",
        ]
        if c["make_test_tail"]:
            lines += ["", "`make test` said: " + " / ".join(f"`{x.strip()}`" for x in c["make_test_tail"])]
    lines += ["", "## Targets", "", "| target | measured | |", "|---|---|---|"]
    ours = f"`{a['ours_path']}`"
    lines.append(f"| {ours} >= 0.90 x minimal Flask | {vs_flask:.2f} | {verdict(vs_flask >= 0.90)} |")
    lines.append(
        f"| {ours} never repeated (nothing replayed) >= 0.90 x minimal Flask | {never_vs_flask:.2f} | "
        f"{verdict(never_vs_flask >= 0.90)} |"
    )
    vs_mixed = s["mixed"]["rps"] / s["minimal"]["rps"]
    lines.append(f"| mixed set >= 0.85 x minimal Flask | {vs_mixed:.2f} | {verdict(vs_mixed >= 0.85)} |")
    lines.append(f"| {ours} >= 1.2 x httpbin | {vs_httpbin:.2f} | {verdict(vs_httpbin >= 1.2)} |")
    if h2:
        one = med(h2["one_conn_20_streams_s"])
        lines.append(
            f"| 20 streams of `?delay=0.5` on one HTTP/2 connection < 1.5 s | {one:.2f} s | "
            f"{verdict(one < 1.5)} |"
        )
        ratio = h2["fast_beside_p99_ms"] / h2["fast_alone_p99_ms"]
        lines.append(
            f"| HTTP/2 fast streams beside slow on one connection: p99 <= 2 x alone | {ratio:.1f} x "
            f"({h2['fast_alone_p99_ms']:.1f} / {h2['fast_beside_p99_ms']:.1f} ms) | {verdict(ratio <= 2)} |"
        )
        crowd = h2["crowd"]
        ok = crowd is not None and crowd.failed == 0 and crowd.succeeded == crowd.total
        lines.append(
            f"| 100 HTTP/2 connections x 4 `?delay=1`: none fails | "
            f"{crowd.failed if crowd else '-'} of {crowd.total if crowd else '-'} failed | {verdict(ok)} |"
        )
        alone = h2["h1_alone_p99_ms"]
        for phase in PHASES:
            beside, control = h2["h1_beside_ms"][("HTTP/2", phase)], h2["h1_beside_ms"][("HTTP/1.1", phase)]
            lines.append(
                f"| HTTP/1.1 keeps its p99 (<= 2 x alone) beside 100 HTTP/2 connections, "
                f"while they {phase} | "
                f"{alone:.1f} -> {beside:.1f} ms (the same over HTTP/1.1: {control:.1f} ms) | "
                f"{verdict(beside <= 2 * alone)} |"
            )
    ours_peak = max(data["memory"].get("ours", [0.0]))
    # The target's own figure (issue 20's "today's 37 MB") is whole megabytes: judged at that precision.
    lines.append(
        f"| peak memory per worker <= 37 MB (to the MB) | {ours_peak:.1f} MB | "
        f"{verdict(round(ours_peak) <= 37)} |"
    )
    prof = data["profile"] or {}
    if "ours" in prof:
        mine, stock = prof["ours"]["access_log"], prof["stock"]["access_log"]
        lines.append(
            f"| access log <= 10% of CPU samples on {ours} | {mine:.1f}% (stock logger: {stock:.1f}%; "
            f"metrics: {prof['ours']['metrics']:.1f}%) | {verdict(mine <= 10)} |"
        )
    lines.append(
        f"| {ours} >= 1.25 x the same with the stock log, no metrics | {vs_stock:.2f} | "
        f"{verdict(vs_stock >= 1.25)} |"
    )
    lines.append(
        f"| {ours} >= 1.0 x httpbin as shipped (gevent) | {vs_shipped:.2f} | {verdict(vs_shipped >= 1.0)} |"
    )
    lines.append(
        f"| fast p99 beside 16 slow <= 2 x alone | {iso['ratio']:.2f} | {verdict(iso['ratio'] <= 2)} |"
        if iso
        else "| fast p99 beside 16 slow <= 2 x alone | - | not measured |"
    )
    if c:
        cold = med(c["cold_first_200_s"])
        wait = med(c["cold_wait_s"])
        lines.append(
            f"| cold start to healthy <= 2 s | {cold:.2f} s first 200; {wait:.2f} s `--wait` | "
            f"{verdict(cold <= 2)} (first 200), {verdict(wait <= 2)} (`--wait`) |"
        )
        lines.append(f"| image adds <= 30 MB | {c['added_mb']:.1f} MB | {verdict(c['added_mb'] <= 30)} |")
        lines.append(
            f"| `make test` <= 60 s | {c['make_test_s']:.1f} s | "
            f"{verdict(c['make_test_s'] <= 60 and c['make_test_rc'] == 0)} |"
        )
    if data["profile"]:
        mine, never, stock, floor = (data["profile"][n] for n in ("ours", "never", "stock", "minimal"))
        stock_areas, floor_areas = dict(stock["areas"]), dict(floor["areas"])
        mine_areas, never_areas = dict(mine["areas"]), dict(never["areas"])
        areas = list(dict.fromkeys([*mine_areas, *never_areas, *stock_areas]))
        lines += [
            "",
            "## Where the time goes (py-spy --gil: CPU samples of every worker, under wrk -c32)",
            "",
            "Access log (samples under an `access()` frame, metrics excluded): "
            f"ours {mine['access_log']:.1f}%, ours never repeated {never['access_log']:.1f}%, "
            f"stock logger {stock['access_log']:.1f}%. Metrics (prometheus_client, service/server/metrics.py "
            "and "
            f"the request hooks): {mine['metrics']:.1f}%, never repeated {never['metrics']:.1f}%.",
            "",
            f"| innermost frame in | ours `{a['ours_path']}`, % | ours, never repeated, % "
            "| ours, stock log, no metrics, % | minimal Flask, % |",
            "|---|---:|---:|---:|---:|",
            *(
                f"| {area} | {mine_areas.get(area, 0):.1f} | {never_areas.get(area, 0):.1f} "
                f"| {stock_areas.get(area, 0):.1f} | {floor_areas.get(area, 0):.1f} |"
                for area in areas
            ),
            "",
            "| function in ours (inclusive) | % of samples |",
            "|---|---:|",
            *(f"| `{fn}` | {pct:.1f} |" for fn, pct in mine["functions"]),
            "",
            "| function in ours, never repeated (inclusive) | % of samples |",
            "|---|---:|",
            *(f"| `{fn}` | {pct:.1f} |" for fn, pct in never["functions"]),
        ]
    if data["notes"]:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in data["notes"]]
    lines += ["", f"Whole run: {data['elapsed_s']:.0f} s.", ""]
    return "\n".join(lines)


def chart(data: dict[str, Any], path: Path) -> None:
    """Two panels: median req/s with min-max whiskers, and p50/p99 latency, one bar group per target."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = summary(data)
    labels = [data["results"][n].label.replace("`", "") for n in TARGET_ORDER]
    rps = [s[n]["rps"] for n in TARGET_ORDER]
    err = [
        [s[n]["rps"] - s[n]["min"] for n in TARGET_ORDER],
        [s[n]["max"] - s[n]["rps"] for n in TARGET_ORDER],
    ]
    colors = [
        *("#d62728", "#e377c2", "#ff9896", "#ff7f0e", "#ffbb78"),
        *("#1f77b4", "#aec7e8", "#7f7f7f", "#bcbd22", "#c7c7c7"),
    ]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    y = list(range(len(labels)))
    left.barh(y, rps, xerr=err, color=colors, capsize=4)
    left.set_yticks(y, labels)
    left.invert_yaxis()
    left.set_xlabel("requests/s (median, min-max)")
    for yi, value in zip(y, rps, strict=True):
        left.text(value * 0.02, yi, f"{value:.0f}", va="center", color="white", fontweight="bold")
    width = 0.38
    right.barh(
        [i - width / 2 for i in y], [s[n]["p50"] for n in TARGET_ORDER], width, label="p50", color="#9467bd"
    )
    right.barh(
        [i + width / 2 for i in y], [s[n]["p99"] for n in TARGET_ORDER], width, label="p99", color="#c5b0d5"
    )
    right.set_yticks(y, labels)
    right.invert_yaxis()
    right.set_xlabel("latency, ms (median of rounds)")
    right.legend()
    cfg = data["settings"]
    fig.suptitle(
        f"make bench, {data['date']}: {cfg['worker_class']} {cfg['workers']}x{cfg['worker_connections']}, "
        f"wrk -c{data['args']['connections']}, server and wrk on separate cores"
    )
    fig.savefig(path, dpi=100)
    plt.close(fig)


PAGE_START = "<!-- make bench: start (generated; rerun `make bench` to refresh) -->"
PAGE_END = "<!-- make bench: end -->"


def page_block(data: dict[str, Any], markdown_report: str) -> str:
    """docs/performance.md's figures: the run's header lines, throughput and targets tables, and the chart."""
    sections = markdown_report.split("\n## ")
    head = sections[0].split("\n", 2)[2].strip()  # the bullet lines under the title
    keep = [s for s in sections[1:] if s.startswith(("Throughput", "Targets"))]
    body = "\n\n".join("## " + s.strip() for s in keep)
    chart_line = "![make bench: requests/s and latency per target](../bench/results.png)"
    more = "The full report, with the settings sweep, container figures and profile: `bench/results.md`."
    return "\n".join([PAGE_START, "", head, "", body, "", chart_line, "", more, "", PAGE_END])


def update_page(page: Path, block: str) -> bool:
    """Replace the generated block in the page (docs/performance.md), if it has the markers."""
    text = page.read_text()
    start, end = text.find(PAGE_START), text.find(PAGE_END)
    if start < 0 or end < 0:
        return False
    page.write_text(text[:start] + block + text[end + len(PAGE_END) :])
    return True
