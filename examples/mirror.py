#!/usr/bin/env python3
"""Keep a local copy of the WSIS Stocktaking register in sync through the change feed.

Standard library only. Usage:

    python3 examples/mirror.py [--url http://127.0.0.1:8080/graphql] [--state mirror.json] [--key KEY]

(`--url` and `--key` default to $STOCKTAKING_URL and $STOCKTAKING_KEY.) Over the rate limit
it waits as long as the server's Retry-After says and goes on.

The first run replays the feed from the start; every later run resumes from the cursor saved
in the state file, so the loop survives interruptions: apply CREATED, PUBLISHED and UPDATED as
upserts and REMOVED as deletes, save the cursor after each page, and the copy holds exactly
what `entries` returns.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request

FEED = """
query($after: String) {
  changes(after: $after, first: 100) {
    nodes { sequence kind entryNumber entry { number title updatedAt countries { code } } }
    pageInfo { endCursor hasNextPage }
  }
}
"""


def post(url, key, query, variables):
    """One request; over the rate limit (429) or while the database is away (503) it waits
    for the server's Retry-After and tries again, so a long replay finishes on its own."""
    body = json.dumps({"query": query, "variables": variables}).encode()
    headers = {"content-type": "application/json"}
    if key:
        headers["authorization"] = "Bearer " + key
    for attempt in range(1, 61):
        req = urllib.request.Request(url, data=body, headers=headers)
        try:
            with urllib.request.urlopen(req) as res:
                out = json.load(res)
        except urllib.error.HTTPError as e:
            if e.code not in (429, 503):
                sys.exit(f"error: HTTP {e.code}: {e.read().decode(errors='replace')}")
            wait = int(e.headers.get("Retry-After") or 1)
            print(f"HTTP {e.code}: waiting {wait} s (attempt {attempt})", file=sys.stderr)
            time.sleep(wait)
            continue
        if out.get("errors"):
            sys.exit("error: " + json.dumps(out["errors"]))
        return out["data"]
    sys.exit("error: the server kept refusing; run again later to resume")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default=os.environ.get("STOCKTAKING_URL", "http://127.0.0.1:8080/graphql"))
    p.add_argument("--state", default="mirror.json", help="where the copy and the cursor are kept")
    p.add_argument("--key", default=os.environ.get("STOCKTAKING_KEY"), help="an API key (optional)")
    args = p.parse_args()

    state = {"cursor": None, "entries": {}}
    if os.path.exists(args.state):
        with open(args.state) as f:
            state = json.load(f)

    applied = 0
    while True:
        page = post(args.url, args.key, FEED, {"after": state["cursor"]})["changes"]
        for change in page["nodes"]:
            number = str(change["entryNumber"])
            if change["kind"] == "REMOVED":
                state["entries"].pop(number, None)
            else:
                # The entry as it is now; null when a later change removed it (that change follows).
                state["entries"][number] = change["entry"]
            applied += 1
        if page["pageInfo"]["endCursor"]:
            state["cursor"] = page["pageInfo"]["endCursor"]
        # Save after every page: an interrupted run resumes here.
        with open(args.state + ".tmp", "w") as f:
            json.dump(state, f)
        os.replace(args.state + ".tmp", args.state)
        if not page["pageInfo"]["hasNextPage"]:
            break

    print(f"applied {applied} changes; the copy holds {len(state['entries'])} entries")


if __name__ == "__main__":
    main()
