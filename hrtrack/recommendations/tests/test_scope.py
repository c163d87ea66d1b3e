"""``ItemFilterSet.scope_of`` reads the scope as the filter set's own field does, without making one."""

import pytest
from django.http import QueryDict

from hrtrack.recommendations.filters import ItemFilterSet


@pytest.mark.parametrize("state", ["MX", ""])
@pytest.mark.parametrize("query", ["", "scope=world", "scope=ours", "scope=", "scope=World", "scope=%20world",
                                   "scope=ours&scope=world", "scope=world&scope=ours", "scope=null", "q=torture"])
def test_it_reads_the_scope_the_filter_set_reads(db, settings, state, query):
    settings.HRTRACK_STATE = state
    params = QueryDict(query)
    fast, full = ItemFilterSet.scope_of(params), ItemFilterSet.scope_only(params).current_scope
    assert (fast.value, fast.ours, fast.query, fast.state) == (full.value, full.ours, full.query, full.state)
    assert fast.as_json() == full.as_json()
