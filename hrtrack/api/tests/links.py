"""Every link in an API answer: absolute, and a page the same caller may open."""


def links_in(data, base="http://testserver/") -> list[str]:
    """Every string in ``data`` (an answer's JSON) that is an address on this site, in order, once."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
        elif isinstance(value, str) and value.startswith(base) and value not in found:
            found.append(value)

    walk(data)
    return found


def relative_links(data) -> list[str]:
    """Links written as a path alone: none should be."""
    found: list[str] = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, name)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, key)
        elif isinstance(value, str) and value.startswith("/") and (key.endswith("url") or key in ("next", "previous")):
            found.append(value)

    walk(data)
    return found


def unopenable(client, data, most: int = 40) -> list[tuple[str, int]]:
    """The links of ``data`` that ``client`` cannot open (a redirect to sign in, a 403, any error)."""
    refused = []
    for url in links_in(data)[:most]:
        response = client.get(url)
        if response.status_code != 200:
            refused.append((url, response.status_code))
    return refused
