"""Country names as the UN writes them today, in English and Spanish, and as ISO 3166 and other
sources invert them, match the platform's countries (hrtrack.directory.countries.country_key)."""

import pytest

from hrtrack.directory.countries import country_key, country_rows
from hrtrack.directory.models import Country

#: The 193 Member States and the two observer States, by the short names of the UN's terminology
#: database (UNTERM) in English and Spanish: written out for the project from that list.
UN_NAMES = [
    ("AF", "Afghanistan", "Afganistán"),
    ("AL", "Albania", "Albania"),
    ("DZ", "Algeria", "Argelia"),
    ("AD", "Andorra", "Andorra"),
    ("AO", "Angola", "Angola"),
    ("AG", "Antigua and Barbuda", "Antigua y Barbuda"),
    ("AR", "Argentina", "Argentina"),
    ("AM", "Armenia", "Armenia"),
    ("AU", "Australia", "Australia"),
    ("AT", "Austria", "Austria"),
    ("AZ", "Azerbaijan", "Azerbaiyán"),
    ("BS", "Bahamas", "Bahamas"),
    ("BH", "Bahrain", "Bahrein"),
    ("BD", "Bangladesh", "Bangladesh"),
    ("BB", "Barbados", "Barbados"),
    ("BY", "Belarus", "Belarús"),
    ("BE", "Belgium", "Bélgica"),
    ("BZ", "Belize", "Belice"),
    ("BJ", "Benin", "Benin"),
    ("BT", "Bhutan", "Bhután"),
    ("BO", "Bolivia (Plurinational State of)", "Bolivia (Estado Plurinacional de)"),
    ("BA", "Bosnia and Herzegovina", "Bosnia y Herzegovina"),
    ("BW", "Botswana", "Botswana"),
    ("BR", "Brazil", "Brasil"),
    ("BN", "Brunei Darussalam", "Brunei Darussalam"),
    ("BG", "Bulgaria", "Bulgaria"),
    ("BF", "Burkina Faso", "Burkina Faso"),
    ("BI", "Burundi", "Burundi"),
    ("CV", "Cabo Verde", "Cabo Verde"),
    ("KH", "Cambodia", "Camboya"),
    ("CM", "Cameroon", "Camerún"),
    ("CA", "Canada", "Canadá"),
    ("CF", "Central African Republic", "República Centroafricana"),
    ("TD", "Chad", "Chad"),
    ("CL", "Chile", "Chile"),
    ("CN", "China", "China"),
    ("CO", "Colombia", "Colombia"),
    ("KM", "Comoros", "Comoras"),
    ("CG", "Congo", "Congo"),
    ("CR", "Costa Rica", "Costa Rica"),
    ("CI", "Côte d’Ivoire", "Côte d'Ivoire"),
    ("HR", "Croatia", "Croacia"),
    ("CU", "Cuba", "Cuba"),
    ("CY", "Cyprus", "Chipre"),
    ("CZ", "Czechia", "Chequia"),
    ("KP", "Democratic People's Republic of Korea", "República Popular Democrática de Corea"),
    ("CD", "Democratic Republic of the Congo", "República Democrática del Congo"),
    ("DK", "Denmark", "Dinamarca"),
    ("DJ", "Djibouti", "Djibouti"),
    ("DM", "Dominica", "Dominica"),
    ("DO", "Dominican Republic", "República Dominicana"),
    ("EC", "Ecuador", "Ecuador"),
    ("EG", "Egypt", "Egipto"),
    ("SV", "El Salvador", "El Salvador"),
    ("GQ", "Equatorial Guinea", "Guinea Ecuatorial"),
    ("ER", "Eritrea", "Eritrea"),
    ("EE", "Estonia", "Estonia"),
    ("SZ", "Eswatini", "Eswatini"),
    ("ET", "Ethiopia", "Etiopía"),
    ("FJ", "Fiji", "Fiji"),
    ("FI", "Finland", "Finlandia"),
    ("FR", "France", "Francia"),
    ("GA", "Gabon", "Gabón"),
    ("GM", "Gambia (Republic of The)", "Gambia"),
    ("GE", "Georgia", "Georgia"),
    ("DE", "Germany", "Alemania"),
    ("GH", "Ghana", "Ghana"),
    ("GR", "Greece", "Grecia"),
    ("GD", "Grenada", "Granada"),
    ("GT", "Guatemala", "Guatemala"),
    ("GN", "Guinea", "Guinea"),
    ("GW", "Guinea-Bissau", "Guinea-Bissau"),
    ("GY", "Guyana", "Guyana"),
    ("HT", "Haiti", "Haití"),
    ("HN", "Honduras", "Honduras"),
    ("HU", "Hungary", "Hungría"),
    ("IS", "Iceland", "Islandia"),
    ("IN", "India", "India"),
    ("ID", "Indonesia", "Indonesia"),
    ("IR", "Iran (Islamic Republic of)", "Irán (República Islámica del)"),
    ("IQ", "Iraq", "Iraq"),
    ("IE", "Ireland", "Irlanda"),
    ("IL", "Israel", "Israel"),
    ("IT", "Italy", "Italia"),
    ("JM", "Jamaica", "Jamaica"),
    ("JP", "Japan", "Japón"),
    ("JO", "Jordan", "Jordania"),
    ("KZ", "Kazakhstan", "Kazajstán"),
    ("KE", "Kenya", "Kenya"),
    ("KI", "Kiribati", "Kiribati"),
    ("KW", "Kuwait", "Kuwait"),
    ("KG", "Kyrgyzstan", "Kirguistán"),
    ("LA", "Lao People’s Democratic Republic", "República Democrática Popular Lao"),
    ("LV", "Latvia", "Letonia"),
    ("LB", "Lebanon", "Líbano"),
    ("LS", "Lesotho", "Lesotho"),
    ("LR", "Liberia", "Liberia"),
    ("LY", "Libya", "Libia"),
    ("LI", "Liechtenstein", "Liechtenstein"),
    ("LT", "Lithuania", "Lituania"),
    ("LU", "Luxembourg", "Luxemburgo"),
    ("MG", "Madagascar", "Madagascar"),
    ("MW", "Malawi", "Malawi"),
    ("MY", "Malaysia", "Malasia"),
    ("MV", "Maldives", "Maldivas"),
    ("ML", "Mali", "Malí"),
    ("MT", "Malta", "Malta"),
    ("MH", "Marshall Islands", "Islas Marshall"),
    ("MR", "Mauritania", "Mauritania"),
    ("MU", "Mauritius", "Mauricio"),
    ("MX", "Mexico", "México"),
    ("FM", "Micronesia (Federated States of)", "Micronesia (Estados Federados de)"),
    ("MC", "Monaco", "Mónaco"),
    ("MN", "Mongolia", "Mongolia"),
    ("ME", "Montenegro", "Montenegro"),
    ("MA", "Morocco", "Marruecos"),
    ("MZ", "Mozambique", "Mozambique"),
    ("MM", "Myanmar", "Myanmar"),
    ("NA", "Namibia", "Namibia"),
    ("NR", "Nauru", "Nauru"),
    ("NP", "Nepal", "Nepal"),
    ("NL", "Netherlands (Kingdom of the)", "Países Bajos (Reino de los)"),
    ("NZ", "New Zealand", "Nueva Zelandia"),
    ("NI", "Nicaragua", "Nicaragua"),
    ("NE", "Niger", "Níger"),
    ("NG", "Nigeria", "Nigeria"),
    ("MK", "North Macedonia", "Macedonia del Norte"),
    ("NO", "Norway", "Noruega"),
    ("OM", "Oman", "Omán"),
    ("PK", "Pakistan", "Pakistán"),
    ("PW", "Palau", "Palau"),
    ("PA", "Panama", "Panamá"),
    ("PG", "Papua New Guinea", "Papua Nueva Guinea"),
    ("PY", "Paraguay", "Paraguay"),
    ("PE", "Peru", "Perú"),
    ("PH", "Philippines", "Filipinas"),
    ("PL", "Poland", "Polonia"),
    ("PT", "Portugal", "Portugal"),
    ("QA", "Qatar", "Qatar"),
    ("KR", "Republic of Korea", "República de Corea"),
    ("MD", "Republic of Moldova", "República de Moldova"),
    ("RO", "Romania", "Rumania"),
    ("RU", "Russian Federation", "Federación de Rusia"),
    ("RW", "Rwanda", "Rwanda"),
    ("KN", "Saint Kitts and Nevis", "Saint Kitts y Nevis"),
    ("LC", "Saint Lucia", "Santa Lucía"),
    ("VC", "Saint Vincent and the Grenadines", "San Vicente y las Granadinas"),
    ("WS", "Samoa", "Samoa"),
    ("SM", "San Marino", "San Marino"),
    ("ST", "Sao Tome and Principe", "Santo Tomé y Príncipe"),
    ("SA", "Saudi Arabia", "Arabia Saudita"),
    ("SN", "Senegal", "Senegal"),
    ("RS", "Serbia", "Serbia"),
    ("SC", "Seychelles", "Seychelles"),
    ("SL", "Sierra Leone", "Sierra Leona"),
    ("SG", "Singapore", "Singapur"),
    ("SK", "Slovakia", "Eslovaquia"),
    ("SI", "Slovenia", "Eslovenia"),
    ("SB", "Solomon Islands", "Islas Salomón"),
    ("SO", "Somalia", "Somalia"),
    ("ZA", "South Africa", "Sudáfrica"),
    ("SS", "South Sudan", "Sudán del Sur"),
    ("ES", "Spain", "España"),
    ("LK", "Sri Lanka", "Sri Lanka"),
    ("SD", "Sudan", "Sudán"),
    ("SR", "Suriname", "Suriname"),
    ("SE", "Sweden", "Suecia"),
    ("CH", "Switzerland", "Suiza"),
    ("SY", "Syrian Arab Republic", "República Árabe Siria"),
    ("TJ", "Tajikistan", "Tayikistán"),
    ("TH", "Thailand", "Tailandia"),
    ("TL", "Timor-Leste", "Timor-Leste"),
    ("TG", "Togo", "Togo"),
    ("TO", "Tonga", "Tonga"),
    ("TT", "Trinidad and Tobago", "Trinidad y Tabago"),
    ("TN", "Tunisia", "Túnez"),
    ("TR", "Türkiye", "Türkiye"),
    ("TM", "Turkmenistan", "Turkmenistán"),
    ("TV", "Tuvalu", "Tuvalu"),
    ("UG", "Uganda", "Uganda"),
    ("UA", "Ukraine", "Ucrania"),
    ("AE", "United Arab Emirates", "Emiratos Árabes Unidos"),
    ("GB", "United Kingdom of Great Britain and Northern Ireland", "Reino Unido de Gran Bretaña e Irlanda del Norte"),
    ("TZ", "United Republic of Tanzania", "República Unida de Tanzanía"),
    ("US", "United States of America", "Estados Unidos de América"),
    ("UY", "Uruguay", "Uruguay"),
    ("UZ", "Uzbekistan", "Uzbekistán"),
    ("VU", "Vanuatu", "Vanuatu"),
    ("VE", "Venezuela (Bolivarian Republic of)", "Venezuela (República Bolivariana de)"),
    ("VN", "Viet Nam", "Viet Nam"),
    ("YE", "Yemen", "Yemen"),
    ("ZM", "Zambia", "Zambia"),
    ("ZW", "Zimbabwe", "Zimbabwe"),
    ("VA", "Holy See", "Santa Sede"),
    ("PS", "State of Palestine", "Estado de Palestina"),
]


@pytest.fixture(scope="module")
def keys() -> dict[str, set[str]]:
    """Every name the platform knows, folded, to the countries it names."""
    table: dict[str, set[str]] = {}
    for row in country_rows():
        for name in (row["code"], row["alpha3"], row["name_en"], row["name_es"], *row["aliases"]):
            if name:
                table.setdefault(country_key(name), set()).add(row["code"])
    return table


@pytest.mark.parametrize("code, english, spanish", UN_NAMES, ids=[code for code, _en, _es in UN_NAMES])
def test_every_state_is_found_by_the_names_the_un_writes_in_english_and_spanish(keys, code, english, spanish):
    assert keys.get(country_key(english)) == {code}, english
    assert keys.get(country_key(spanish)) == {code}, spanish


def test_no_two_countries_share_a_name_once_folded(keys):
    assert {key: codes for key, codes in keys.items() if len(codes) > 1} == {}


@pytest.mark.parametrize("name, code", [
    ("Netherlands (Kingdom of the)", "NL"), ("Kingdom of the Netherlands", "NL"), ("Netherlands (the)", "NL"),
    ("Türkiye", "TR"), ("Turkiye", "TR"), ("Republic of Türkiye", "TR"),
    ("Côte d’Ivoire", "CI"), ("Côte d'Ivoire", "CI"), ("Cote d`Ivoire", "CI"),
    ("Korea (Republic of)", "KR"), ("Korea, Republic of", "KR"), ("Korea (Democratic People's Republic of)", "KP"),
    ("Democratic People’s Republic of Korea", "KP"), ("Congo (Democratic Republic of the)", "CD"),
    ("Congo, The Democratic Republic of the", "CD"), ("Republic of the Congo", "CG"), ("Congo (the)", "CG"),
    ("Tanzania, United Republic of", "TZ"), ("Bolivia, Plurinational State of", "BO"), ("the Gambia", "GM"),
    ("Gambia (Republic of The)", "GM"), ("Iran, Islamic Republic of", "IR"), ("Moldova (Republic of)", "MD"),
    ("Micronesia, Federated States of", "FM"), ("Federated States of Micronesia", "FM"),
    ("Venezuela, Bolivarian Republic of", "VE"), ("Lao People's Democratic Republic", "LA"),
    ("Países Bajos (Reino de los)", "NL"), ("Corea (República de)", "KR"), ("Reino Unido", "GB"),
    ("Saint Kitts y Nevis", "KN"), ("St. Lucia", "LC"), ("Virgin Islands (British)", "VG"),
    ("Virgin Islands (U.S.)", "VI"), ("Guinea-Bissau", "GW"), ("Guinea Bissau", "GW"), ("Guinea", "GN"),
    ("Equatorial Guinea", "GQ"), ("Sudan", "SD"), ("South Sudan", "SS"), ("Niger", "NE"), ("Nigeria", "NG"),
    ("Dominica", "DM"), ("Dominican Republic", "DO"),
])
def test_the_un_and_iso_ways_of_writing_a_name_are_one_country(db, name, code):
    assert Country.objects.resolve(name).code == code


@pytest.mark.parametrize("name", ["Atlantis", "Republic of", "Kingdom of the", "(the)", "Korea (Southern)"])
def test_a_name_no_state_has_resolves_to_nothing(db, name):
    assert Country.objects.resolve(name) is None


def test_the_countries_saved_before_learn_the_un_spanish_names(db):
    from hrtrack.directory.countries import add_new_aliases

    ru = Country.objects.get(code="RU")
    ru.aliases = ["Russia", "Rusia (a name an administrator added)"]
    ru.save()
    assert Country.objects.resolve("Federación de Rusia") is None
    assert add_new_aliases(Country) >= 1
    ru.refresh_from_db()
    assert Country.objects.resolve("Federación de Rusia") == ru
    assert "Rusia (a name an administrator added)" in ru.aliases
    assert add_new_aliases(Country) == 0  # once is enough
