"""What the API adds to a page's JSON twin (tokens, rate limits, JSON errors, negotiation): the median
time of the same list through both doors, over 300 published items. Not part of the test run (its
name is no test_*.py); run it with

    .venv/bin/pytest -p no:xdist -q -s hrtrack/api/tests/bench_overhead.py
"""

import statistics
import time

from django.utils import timezone

ROUNDS = 20


def _median_ms(client, url: str) -> float:
    client.get(url)  # warm
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times)


def test_print_the_apis_overhead_over_the_json_twins(client, world):
    from hrtrack.directory.models import Country
    from hrtrack.recommendations.models import Recommendation

    mx = Country.objects.get(code="MX")
    items = Recommendation.objects.bulk_create([
        Recommendation(text=f"Item {n} on the protection of journalists.", published_at=timezone.now(),
                       session=n % 40 + 1) for n in range(300)])
    Recommendation.recipients.through.objects.bulk_create([
        Recommendation.recipients.through(recommendation_id=item.pk, country_id=mx.pk) for item in items])
    for twin, api in [("/recommendations.json", "/api/v1/recommendations"),
                      ("/recommendations.json?session=3&session=4", "/api/v1/recommendations?session=3&session=4"),
                      ("/dialogues.json", "/api/v1/dialogues")]:
        page, through_api = _median_ms(client, twin), _median_ms(client, api)
        print(f"\n{api}: median {through_api:.1f} ms; {twin}: {page:.1f} ms; the API adds {through_api - page:+.1f} ms")
