def test_it_renders_english_by_default(coordinator_client):
    page = coordinator_client.get("/").content.decode()
    assert '<html lang="en">' in page


def test_it_offers_english_and_spanish(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert '<form method="post" action="/i18n/setlang/"' in page
    # In English, the one button offers Spanish, named in Spanish.
    assert '<button type="submit" name="language" value="es" lang="es" class="language-choice">Español</button>' in page
    assert 'value="en" lang="en"' not in page
    assert 'name="next" value="/accounts/login/"' in page


def test_it_switches_to_spanish_and_remembers_it(coordinator_client):
    response = coordinator_client.post("/i18n/setlang/", {"language": "es", "next": "/dialogues/"})
    assert response.status_code == 302
    assert response["Location"] == "/dialogues/"
    page = coordinator_client.get("/").content.decode()
    assert '<html lang="es">' in page
    assert '<button type="submit" name="language" value="en" lang="en" class="language-choice">English</button>' in page


def test_it_follows_the_browser_language(client, db):
    page = client.get("/accounts/login/", headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in page
    # Django's own catalogue already translates the form; the project's strings follow with makemessages.
    assert "Nombre de usuario" in page


def test_it_falls_back_to_english_for_other_languages(client, db):
    page = client.get("/accounts/login/", headers={"accept-language": "de"}).content.decode()
    assert '<html lang="en">' in page


def test_it_shows_country_and_concept_names_in_spanish(coordinator_client, dialogue):
    coordinator_client.post("/i18n/setlang/", {"language": "es"})
    page = coordinator_client.get(f"/dialogues/{dialogue.pk}/").content.decode()
    assert "Desapariciones forzadas" in page
    assert "Estados Unidos" in page
