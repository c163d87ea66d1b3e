import pytest


def test_it_shows_the_sign_in_form(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert 'action="/accounts/login/"' in page


def test_it_keeps_where_the_visitor_was_going(client, db):
    response = client.get("/my-work/", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=/my-work/", 302)]
    assert 'name="next" value="/my-work/"' in response.content.decode()


def test_it_signs_in_and_goes_on_to_the_page_asked_for(client, personas):
    response = client.post(
        "/accounts/login/", {"username": "felipe", "password": "a long test password", "next": "/dialogues/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/dialogues/"
    assert client.get("/dialogues/").status_code == 200


def test_it_goes_home_after_signing_in_without_a_destination(client, personas):
    response = client.post("/accounts/login/", {"username": "carla", "password": "a long test password"})
    assert response["Location"] == "/"


def test_it_rejects_a_wrong_password(client, personas):
    response = client.post("/accounts/login/", {"username": "carla", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("persona", ["admin", "coordinator", "focal_point"])
def test_it_offers_a_sign_out_form_that_posts(client_for, persona):
    page = client_for(persona).get("/").content.decode()
    assert '<form method="post" action="/accounts/logout/"' in page


@pytest.mark.parametrize("persona, two_factor", [("coordinator", True), ("focal_point", True), ("contributor", False)])
def test_the_user_menu_leads_to_the_password_two_factor_and_token_pages(client_for, persona, two_factor):
    client = client_for(persona)
    page = client.get("/").content.decode()
    links = ["/accounts/password/", "/account/tokens/"] + (["/accounts/two-factor/setup/"] if two_factor else [])
    for link in links:
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200, link
    assert ('href="/accounts/two-factor/setup/"' in page) is two_factor


def test_it_signs_out_with_a_post(coordinator_client):
    response = coordinator_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in coordinator_client.session


def test_it_does_not_sign_out_with_a_get(coordinator_client):
    assert coordinator_client.get("/accounts/logout/").status_code == 405
    assert coordinator_client.get("/").status_code == 200


def test_it_offers_a_sign_in_link_to_anonymous_visitors(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/login/"' in page
    assert "Sign out" not in page
    # The public pages are in the header; the staff's are not.
    assert 'href="/dialogues/"' in page and 'href="/search/"' in page
    assert 'href="/my-work/"' not in page and "Review suggestions" not in page


def test_the_sign_in_link_brings_the_visitor_back_to_the_page(client, db):
    page = client.get("/dialogues/?page=2").content.decode()
    assert 'href="/accounts/login/?next=/dialogues/%3Fpage%3D2"' in page
