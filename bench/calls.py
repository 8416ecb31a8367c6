"""Count the Python function calls a request costs: the respondent flow against the baselines.

Run: .venv/bin/python bench/calls.py [--respondents 100]

Wall-clock figures on two shared cores move with whatever else runs; the number of Python
function calls a request makes does not, and on this stack (sync workers, CPU-bound Python)
it tracks the CPU time a request takes. Through Flask's test client, on SQLite in a
temporary directory, it prints calls per request for:
- the three baselines of bench/baseline.py (bare page, one SELECT, SELECT + INSERT + COMMIT);
- Samstem's lightest page, /code (no database): what Samstem's own request handling costs;
- the respondent flow: opening a link's form (GET) and posting a complete answer (POST), for
  Emma-like cases (bench/load.py builds them: five people, the forms the proposal gives each).
The test client's own calls are in every figure alike. A measurement: it always exits 0.
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def calls(request: Callable[[], object], times: int) -> float:
    """Return the function calls per request, after one warm-up request."""
    request()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(times):
        request()
    profile.disable()
    return pstats.Stats(profile).total_calls / times


def baselines(directory: str, times: int) -> dict[str, float]:
    from bench import baseline

    os.environ["DATABASE_URL"] = url = f"sqlite:///{directory}/baseline.db"
    baseline.prepare(url)
    client = baseline.create().test_client()
    return {
        "bare page": calls(lambda: client.get("/bare"), times),
        "SELECT": calls(lambda: client.get("/select"), times),
        "SELECT+INSERT+COMMIT": calls(lambda: client.post("/write"), times),
    }


def samstem(directory: str, respondents: int) -> dict[str, float]:
    from bench import load

    url = f"sqlite:///{directory}/samstem.db"
    links = load.build(url, respondents + 1)
    os.environ["DATABASE_URL"] = url
    client = load.samstem().test_client()
    form = "application/x-www-form-urlencoded"
    opened, posted = iter(links), iter(links)
    return {
        "Samstem /code (no db)": calls(lambda: client.get("/code"), respondents),
        "flow: open form (GET)": calls(lambda: client.get(f"/r/{next(opened)[0]}/form"), respondents),
        "flow: send answer (POST)": calls(
            lambda: client.post(f"/r/{(link := next(posted))[0]}/form", data=link[1], content_type=form),
            respondents),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        figures = baselines(directory, args.respondents) | samstem(directory, args.respondents)
    write = figures["SELECT+INSERT+COMMIT"]
    flow = (figures["flow: open form (GET)"] + figures["flow: send answer (POST)"]) / 2
    print(f"\n{'request':28} {'calls':>8} {'x write page':>13}")
    for name, count in figures.items():
        print(f"{name:28} {count:8.0f} {count / write:13.2f}")
    print(f"{'flow, per request':28} {flow:8.0f} {flow / write:13.2f}")
    print("The load target (flow >= 0.5 of the write page's throughput) needs the flow at <= 2.00x its calls.")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a measurement: report and exit 0
        print(f"bench/calls.py stopped: {error!r}")
    sys.exit(0)
