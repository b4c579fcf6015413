#!/usr/bin/env python3
"""Capacity plan for GeoCrop past one machine, driven by measured per-tile costs (docs/capacity.md).

A discrete-event simulation of jobs flowing through the shared resources a cluster has:
  catalogue  the imagery catalogue's request rate (STAC searches and COG range reads; DEA's S3/HTTP front)
  network    the imagery's bytes over the site's link to the catalogue (COG range reads)
  cpu        the cluster's cores (planning, extraction, scoring, assembly: measured CPU seconds)
  database   the job store's transactions (PostgreSQL; each store call is one short transaction)
  broker     events through the Knative Broker (Redis stream source, Triggers)
Each job: planning (1 catalogue search, CPU) -> per tile: catalogue reads, extraction CPU, store calls, events ->
scoring CPU, store calls, events -> assembly CPU. Jobs arrive as a Poisson stream; the program finds the highest
arrival rate every resource keeps up with (analytic: utilisation 1), then simulates at a fraction of it and reports
each resource's utilisation and the jobs' sojourn times, naming the first bottleneck.

Inputs are the figures `bench/cost.sh` measures (CPU seconds and requests per tile and per job) plus capacities
that are assumptions, each a flag (see --help and docs/capacity.md).

  python3 bench/capacity_sim.py --nodes 1 --cores 8              # the homelab node
  python3 bench/capacity_sim.py --nodes 4 --cores 8              # a 4-node cluster
  python3 bench/capacity_sim.py --check                          # self-test: simulation agrees with the bound
"""
import argparse
import heapq
import json
import math
import random
import sys


class Station:
    """A FIFO multi-server station: `servers` in parallel, each job holds one for its service time."""

    def __init__(self, name, servers):
        self.name, self.servers, self.busy, self.queue, self.busy_time = name, servers, 0, [], 0.0

    def utilisation(self, horizon):
        return self.busy_time / (self.servers * horizon) if horizon > 0 else 0.0


def demands(p, tiles):
    """Seconds of each resource one job of `tiles` tiles needs (one server's worth)."""
    cat = (p["plan_requests"] + tiles * p["tile_requests"]) / p["catalogue_rps"]
    cpu = p["plan_cpu_s"] + tiles * (p["extract_cpu_s"] + p["score_cpu_s"]) + p["assembly_cpu_s_per_tile"] * tiles
    db = (p["db_tx_per_job"] + tiles * p["db_tx_per_tile"]) / p["db_tps"]
    broker = (p["events_per_job"] + tiles * p["events_per_tile"]) / p["broker_eps"]
    net = tiles * p["tile_mib"] * 8 * 1.048576 / p["network_mbps"]
    return {"catalogue": cat, "network": net, "cpu": cpu, "database": db, "broker": broker}


def capacities(p):
    """Servers per resource: cores for CPU; the other three are rates, modelled as one server of that rate."""
    return {"catalogue": 1, "network": 1, "cpu": p["nodes"] * p["cores"], "database": 1, "broker": 1}


def bound_jobs_per_hour(p, tiles):
    """Analytic maximum: the resource whose demand per server is largest saturates first."""
    d, c = demands(p, tiles), capacities(p)
    per_job = {k: d[k] / c[k] for k in d}
    first = max(per_job, key=per_job.get)
    return 3600.0 / per_job[first], first, per_job


def simulate(p, tiles, jobs_per_hour, n_jobs=2000, seed=1):
    """Jobs arrive at `jobs_per_hour`; every tile's steps queue at the stations. Returns utilisation and sojourn."""
    rnd = random.Random(seed)
    c = capacities(p)
    st = {k: Station(k, c[k]) for k in c}
    events = []  # (time, seq, kind, payload)
    seq = [0]

    def push(t, kind, payload):
        seq[0] += 1
        heapq.heappush(events, (t, seq[0], kind, payload))

    def request(t, station, service, then):
        s = st[station]
        if s.busy < s.servers:
            s.busy += 1
            s.busy_time += service
            push(t + service, "release", (station, then))
        else:
            s.queue.append((service, then))

    # A tile's steps; the service time of each is the measured cost (exponentially spread, mean = measured).
    def steps_of_tile():
        return [("catalogue", p["tile_requests"] / p["catalogue_rps"]),
                ("network", p["tile_mib"] * 8 * 1.048576 / p["network_mbps"]), ("cpu", p["extract_cpu_s"]),
                ("database", p["db_tx_per_tile"] / p["db_tps"] / 2), ("broker", p["events_per_tile"] / p["broker_eps"]),
                ("cpu", p["score_cpu_s"]), ("database", p["db_tx_per_tile"] / p["db_tps"] / 2)]

    jobs = {}
    t = 0.0
    for j in range(n_jobs):
        t += rnd.expovariate(jobs_per_hour / 3600.0)
        push(t, "arrive", j)
    done = []
    while events:
        now, _, kind, payload = heapq.heappop(events)
        if kind == "arrive":
            jobs[payload] = {"start": now, "left": tiles}
            plan = [("catalogue", p["plan_requests"] / p["catalogue_rps"]), ("cpu", p["plan_cpu_s"]),
                    ("database", p["db_tx_per_job"] / p["db_tps"] / 2),
                    ("broker", p["events_per_job"] / p["broker_eps"] / 2)]
            push(now, "step", (payload, None, plan))
        elif kind == "release":
            station, then = payload
            s = st[station]
            s.busy -= 1
            if s.queue:
                service, nxt = s.queue.pop(0)
                s.busy += 1
                s.busy_time += service
                push(now + service, "release", (station, nxt))
            push(now, "step", then)
        elif kind == "step":
            job, tile, steps = payload
            if steps:
                (station, mean), rest = steps[0], steps[1:]
                service = rnd.expovariate(1.0 / mean) if mean > 0 else 0.0
                request(now, station, service, (job, tile, rest))
            elif tile == "assembly":
                done.append(now - jobs[job]["start"])
            elif tile is None:
                for k in range(tiles):
                    push(now, "step", (job, k, steps_of_tile()))
            else:
                jobs[job]["left"] -= 1
                if jobs[job]["left"] == 0:
                    tail = [("cpu", p["assembly_cpu_s_per_tile"] * tiles),
                            ("database", p["db_tx_per_job"] / p["db_tps"] / 2),
                            ("broker", p["events_per_job"] / p["broker_eps"] / 2)]
                    push(now, "step", (job, "assembly", tail))
    horizon = now
    util = {k: st[k].utilisation(horizon) for k in st}
    done.sort()
    return {"utilisation": util, "jobs_per_hour_done": len(done) / horizon * 3600.0,
            "sojourn_p50_s": done[len(done) // 2], "sojourn_p95_s": done[int(len(done) * 0.95)]}


DEFAULTS = {
    # Per tile and per job. Defaults: docs/performance.md "One 512 px tile end to end" (1148 requests, 337 MiB,
    # 9.66 s on 2 cores, so at most 19.3 CPU s) and "The main job end to end"; `--measured FILE` replaces them with
    # what bench/cost.sh --json FILE recorded (the job store's own figures).
    "plan_cpu_s": 0.5, "plan_requests": 4,
    "extract_cpu_s": 19.3, "tile_requests": 1148, "tile_mib": 337.0,
    "score_cpu_s": 2.0, "assembly_cpu_s_per_tile": 0.1,
    # Counted in the code (docs/capacity.md): store transactions and events per tile and per job.
    "db_tx_per_tile": 9, "db_tx_per_job": 18, "events_per_tile": 2, "events_per_job": 2,
    # Assumptions (docs/capacity.md): capacities of the shared services.
    "catalogue_rps": 400.0, "network_mbps": 500.0, "db_tps": 1500.0, "broker_eps": 300.0,
    "nodes": 1, "cores": 8,
}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for k, v in DEFAULTS.items():
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=v)
    ap.add_argument("--measured", help="JSON from bench/cost.sh --json: overrides the measured defaults")
    ap.add_argument("--tiles", type=int, nargs="*", default=[4, 9, 16], help="tiles per job to plan for")
    ap.add_argument("--load", type=float, default=0.85, help="simulate at this share of the analytic maximum")
    ap.add_argument("--check", action="store_true", help="self-test: the simulation agrees with the bound")
    a = ap.parse_args(argv)
    p = {k: getattr(a, k) for k in DEFAULTS}
    if a.measured:
        with open(a.measured) as f:
            p.update({k: v for k, v in json.load(f).items() if k in p})
    if a.check:
        return check(p)
    print(f"{p['nodes']} node(s) x {p['cores']} cores; catalogue {p['catalogue_rps']:.0f} req/s, "
          f"link {p['network_mbps']:.0f} Mbit/s, "
          f"database {p['db_tps']:.0f} tx/s, broker {p['broker_eps']:.0f} events/s")
    print("| tiles/job | max jobs/h | first bottleneck | simulated at | done jobs/h | cpu | catalogue | network | database | broker | p95 job s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for tiles in a.tiles:
        jph, first, _ = bound_jobs_per_hour(p, tiles)
        r = simulate(p, tiles, jph * a.load, n_jobs=max(300, int(600 / max(1, tiles) * 4)))
        u = r["utilisation"]
        print(f"| {tiles} | {jph:.1f} | {first} | {a.load:.0%} | {r['jobs_per_hour_done']:.1f} | {u['cpu']:.2f} | "
              f"{u['catalogue']:.2f} | {u['network']:.2f} | {u['database']:.2f} | {u['broker']:.2f} | {r['sojourn_p95_s']:.0f} |")
    return 0


def check(p):
    """The simulation must keep up below the bound and name the bottleneck the bound names."""
    ok = True
    for nodes, cat, mbps in ((1, 400.0, 500.0), (16, 400.0, 10000.0), (16, 50.0, 10000.0), (16, 4000.0, 500.0)):
        q = dict(p, nodes=nodes, catalogue_rps=cat, network_mbps=mbps)
        jph, first, _ = bound_jobs_per_hour(q, 9)
        r = simulate(q, 9, jph * 0.8, n_jobs=400, seed=7)
        busiest = max(r["utilisation"], key=r["utilisation"].get)
        good = busiest == first and abs(r["jobs_per_hour_done"] / (jph * 0.8) - 1) < 0.15 \
            and 0.6 < r["utilisation"][first] < 0.95
        ok &= good
        print(f"nodes={nodes} catalogue={cat:.0f}/s link={mbps:.0f} Mbit/s: bound {jph:.1f} jobs/h ({first}); simulated at 80 %: "
              f"{r['jobs_per_hour_done']:.1f} jobs/h, busiest {busiest} {r['utilisation'][busiest]:.2f} -> "
              f"{'ok' if good else 'MISMATCH'}")
    print("check passed" if ok else "check FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
