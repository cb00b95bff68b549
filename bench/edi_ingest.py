"""EDI ingestion end to end (issue #22.6): N CADs sent as EDI messages (WCO XML or UN/EDIFACT CUSDEC)
through POST /api/v1/edi/messages and their responses read back, against the same CADs through the
JSON API (POST /api/v1/declarations), both over Django's in-process test client with a personal API
token (no network), timed in alternating chunks of 100 so that the database's growth weighs on both
alike. The CADs, tariff, rates and importer are bench/cad_ingest.py's (5 to 20 lines a CAD).

    python bench/edi_ingest.py [--cads 1000] [--format xml|edifact] [--database-url URL]

Measured, per message: EDI: the request (token authentication, raw message stored and audited,
202 receipt) and the processing the commit starts (Celery eager, as in the embedded portal: parse,
XSD or envelope checks, sender checks, validation, assessment, saving, ledger posting, audit,
response serialised, stored and queued for push): the response is ready when it ends. Printed apart,
"with polling": the same plus a GET of each response (a second authenticated request, which the
platform audits: the cost of a client that polls rather than takes pushes or the pull queue).
JSON API: the request (authentication, JSON parsing, the same CAD service, the DeclarationOut
answer). Not measured: building the messages and the JSON bodies beforehand.
Target: EDI within 1.5x the JSON API's time.

Measured (SQLite, the shared 2-core machine with the other engineers' tests running, 4 December
2026; absolute rates are the load's, the ratio is measured in the same run):

    python bench/edi_ingest.py --cads 1000 --format xml        (load average 9.2 falling to 5.2)
    1000 CADs, 12794 lines; EDI received 1000, accepted (39) 1000; JSON API accepted 1000
    EDI (xml    )  221.75 s     4.5 messages/s (response stored)
    JSON API         188.89 s     5.3 CADs/s
    ratio              1.17x the JSON API's time (the target: <= 1.5x)
    with polling     257.03 s     3.9 messages/s, GET of each response included: 1.36x

Earlier, under heavier load (load average 9-15):

    python bench/edi_ingest.py --cads 300 --format xml
    300 CADs, 3869 lines; EDI received 300, accepted (39) 300; JSON API accepted 300
    EDI (xml    )  185.88 s     1.6 messages/s (response stored)
    JSON API         141.57 s     2.1 CADs/s
    ratio              1.31x the JSON API's time (the target: <= 1.5x)
    with polling     214.99 s     1.4 messages/s, GET of each response included: 1.52x

    python bench/edi_ingest.py --cads 300 --format edifact
    EDI (edifact)  144.70 s     2.1 messages/s (response stored)
    JSON API         120.11 s     2.5 CADs/s
    ratio              1.20x the JSON API's time (the target: <= 1.5x)
    with polling     163.13 s     1.8 messages/s, GET of each response included: 1.36x

Where EDI's extra time goes (cProfile, 20 CADs): the raw message and its receipt audit committed on
their own (so that a message is kept whatever its processing does), the stored response and its
audit entry, the sender check (the person's clients) and, with polling, a second authenticated
request. On SQLite each commit is a disk flush, which the loaded machine makes dear.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

CHUNK = 100


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cads", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["xml", "edifact"], default="xml")
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'var' / 'edi_bench.sqlite3'}")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    os.environ["CARM_USER_API_RATE"] = os.environ["CARM_BUSINESS_API_RATE"] = "1000000/min"  # no throttling here
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    import django

    django.setup()
    import cad_ingest
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts import services as account_services
    from edi import edifact, wco_xml, wire

    call_command("migrate", verbosity=0)
    timezone.localdate = lambda *args, **kwargs: cad_ingest.TODAY  # the CADs are accounted the day after release
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; load average {os.getloadavg()[0]:.2f}")
    user, account = cad_ingest.setup()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    usable = cad_ingest.classifications(user, account)
    rng = random.Random(args.seed)
    payloads = []
    for _ in range(args.cads):
        origin = rng.choice(cad_ingest.ORIGINS)
        lines = [cad_ingest._line(*rng.choice(usable), origin, n) for n in range(1, rng.randint(5, 20) + 1)]
        payloads.append(cad_ingest._payload(account, lines, origin))
    run = f"{time.time():.0f}"
    codec = {"xml": wco_xml, "edifact": edifact}[args.format]
    messages = [
        codec.dumps(wire.Message("original", f"E{run}-{n}", cad_ingest.BN9, wire.clean_payload(payload)))
        for n, payload in enumerate(payloads)
    ]
    bodies = [json.dumps(payload) for payload in payloads]
    key = account_services.create_api_token(user, name="bench", days=1, business_number=cad_ingest.BN9)[1]
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    receipts = []

    def send_edi(raw):
        receipt = client.post("/api/v1/edi/messages", raw, content_type="application/xml")
        receipts.append(receipt.json()["response_url"])
        return receipt.status_code == 202

    def poll(url):
        answer = client.get(url)
        return answer.status_code == 200 and (b"<FunctionCode>39<" in answer.content or b"GIS+39'" in answer.content)

    def send_json(index, body):
        answer = client.post("/api/v1/declarations", body, content_type="application/json",
                             HTTP_IDEMPOTENCY_KEY=f"J{run}-{index}")  # fmt: skip
        return answer.status_code == 201

    edi_seconds = json_seconds = poll_seconds = 0.0
    edi_ok = json_ok = accepted = 0
    for start in range(0, args.cads, CHUNK):
        chunk = range(start, min(start + CHUNK, args.cads))
        began = time.perf_counter()
        json_ok += sum(send_json(n, bodies[n]) for n in chunk)
        json_seconds += time.perf_counter() - began
        began = time.perf_counter()
        edi_ok += sum(send_edi(messages[n]) for n in chunk)
        edi_seconds += time.perf_counter() - began
        began = time.perf_counter()
        accepted += sum(poll(url) for url in receipts[-len(chunk) :])
        poll_seconds += time.perf_counter() - began
    lines = sum(len(payload["lines"]) for payload in payloads)
    print(
        f"{args.cads} CADs, {lines} lines; EDI received {edi_ok}, accepted (39) {accepted}; JSON API accepted {json_ok}"
    )
    print(f"EDI ({args.format:7}) {edi_seconds:7.2f} s  {args.cads / edi_seconds:6.1f} messages/s (response stored)")
    print(f"JSON API        {json_seconds:7.2f} s  {args.cads / json_seconds:6.1f} CADs/s")
    print(f"ratio           {edi_seconds / json_seconds:7.2f}x the JSON API's time (the target: <= 1.5x)")
    both = edi_seconds + poll_seconds
    print(
        f"with polling    {both:7.2f} s  {args.cads / both:6.1f} messages/s, GET of each response included: "
        f"{both / json_seconds:.2f}x"
    )
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
