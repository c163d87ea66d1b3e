"""General vocabularies the statement extractor reads with, in English, Spanish, Portuguese and French.

Nothing here names a particular dialogue, person or statement: these are the words any
statement about a human-rights dialogue is written with (ordinals, months, titles, ministries,
page furniture, themes, international bodies) and general knowledge (demonyms, capital cities,
each country's foreign ministry).
"""

import re

SUPPORTED_LANGUAGES = ("en", "es", "pt", "fr")

# --- Ordinals -------------------------------------------------------------------------------

_EN_UNITS = {"first": 1, "inaugural": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9}
_EN_TEENS = {"tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
             "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_EN_TENS_ORD = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
                "seventieth": 70, "eightieth": 80, "ninetieth": 90}

# Spanish and Portuguese ordinals agree in gender: stems take -o / -a.
_ES_UNITS = {"primer": 1, "primero": 1, "primera": 1, "primeros": 1, "primeras": 1,
             "segundo": 2, "segunda": 2, "tercer": 3, "tercero": 3,
             "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6,
             "septimo": 7, "septima": 7, "setimo": 7, "setima": 7, "octavo": 8, "octava": 8, "noveno": 9,
             "novena": 9, "nono": 9, "nona": 9}
_ES_TENS = {"decim": 10, "vigesim": 20, "trigesim": 30, "cuadragesim": 40, "quincuagesim": 50,
            "sexagesim": 60, "septuagesim": 70, "octogesim": 80, "nonagesim": 90}
_ES_SPECIAL = {"undecimo": 11, "undecima": 11, "duodecimo": 12, "duodecima": 12}
_PT_UNITS = {"primeiro": 1, "primeira": 1, "primeiros": 1, "primeiras": 1,
             "segundo": 2, "segunda": 2, "terceiro": 3, "terceira": 3,
             "quarto": 4, "quarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "setimo": 7,
             "setima": 7, "oitavo": 8, "oitava": 8, "nono": 9, "nona": 9}
_PT_TENS = {"decim": 10, "vigesim": 20, "trigesim": 30, "quadragesim": 40, "quinquagesim": 50,
            "sexagesim": 60, "septuagesim": 70, "setuagesim": 70, "octogesim": 80, "nonagesim": 90}
_FR_UNITS = {"premier": 1, "premiere": 1, "premiers": 1, "premieres": 1,
             "unieme": 1, "deuxieme": 2, "second": 2, "seconde": 2,
             "troisieme": 3, "quatrieme": 4, "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8,
             "neuvieme": 9}
_FR_TEENS = {"dixieme": 10, "onzieme": 11, "douzieme": 12, "treizieme": 13, "quatorzieme": 14,
             "quinzieme": 15, "seizieme": 16, "dix-septieme": 17, "dix-huitieme": 18, "dix-neuvieme": 19}
_FR_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_FR_TENS_ORD = {"vingtieme": 20, "trentieme": 30, "quarantieme": 40, "cinquantieme": 50, "soixantieme": 60}


def _ordinal_words() -> dict[str, int]:
    """Every ordinal word from 1 to 99 (69 in French) as folded text, with or without hyphens."""
    words: dict[str, int] = {}
    words.update(_EN_UNITS)
    words.update(_EN_TEENS)
    words.update(_EN_TENS_ORD)
    for tens, t in _EN_TENS.items():
        for unit, u in _EN_UNITS.items():
            words[f"{tens}-{unit}"] = words[f"{tens} {unit}"] = t + u
    for units, tens_map, special in ((_ES_UNITS, _ES_TENS, _ES_SPECIAL), (_PT_UNITS, _PT_TENS, {})):
        words.update(units)
        words.update(special)
        for stem, t in tens_map.items():
            for ending in ("o", "a"):
                words[stem + ending] = t
                for unit, u in units.items():
                    if unit.endswith(ending) or unit in ("primer", "tercer"):
                        words[f"{stem}{ending} {unit}"] = t + u
                        words[f"{stem}{ending}{unit}"] = t + u
    words.update(_FR_UNITS)
    words.update(_FR_TEENS)
    words.update(_FR_TENS_ORD)
    for tens, t in _FR_TENS.items():
        for unit, u in {**_FR_UNITS, **_FR_TEENS}.items():
            if unit in ("premier", "premiere", "second", "seconde") or (t != 60 and u >= 10):
                continue
            if u == 1:
                for form in (f"{tens}-et-unieme", f"{tens} et unieme"):
                    words[form] = t + 1
            else:
                words[f"{tens}-{unit}"] = t + u
    # Plurals: "quatrièmes consultations", "primeras consultas", "segundas conversaciones".
    for word, value in list(words.items()):
        if word.endswith("ieme"):
            words[word + "s"] = value
        elif word.endswith(("o", "a")) and " " not in word and word not in ("una",):
            words.setdefault(word + "s", value)
    return {k: v for k, v in words.items() if v < 100}


ORDINAL_WORDS = _ordinal_words()

ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_value(text: str) -> int | None:
    if not text or not ROMAN.match(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        value = ROMAN_VALUES[ch]
        if i + 1 < len(text) and ROMAN_VALUES[text[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


# --- Calendar --------------------------------------------------------------------------------

MONTHS = {
    # English (abbreviations with or without a full stop)
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # Portuguese
    "janeiro": 1, "fevereiro": 2, "marco": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
    # French
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
#: Month words that are also ordinary words: they count only when capitalized (English style).
CAPITALIZED_MONTHS = {"may", "march", "mar", "jan", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "apr",
                      "feb", "sept"}

WEEKDAYS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo",
    "segunda-feira", "terca-feira", "quarta-feira", "quinta-feira", "sexta-feira",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
}

#: Words that point at the day a text was published, in the four languages.
TODAY_WORDS = {"today", "this day", "hoy", "el dia de hoy", "hoje", "aujourd'hui", "ce jour"}
YESTERDAY_WORDS = {"yesterday", "ayer", "ontem", "hier"}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "un": 1, "uno": 1, "una": 1, "dos": 2,
                "tres": 3, "cuatro": 4, "cinco": 5, "um": 1, "uma": 1, "dois": 2, "duas": 2, "quatro": 4,
                "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}

# --- The dialogue and the meeting -------------------------------------------------------------

#: Nouns that name a dialogue (the head of a series name).
DIALOGUE_NOUNS = {"dialogue", "dialogues", "dialog", "dialogo", "talks", "consultations", "consultas",
                  "consultation", "consulta", "consulta bilateral",
                  "conversaciones", "conversacoes", "entretiens", "pourparlers", "subcommittee", "subcomite",
                  "sous-comite", "subcomision", "subcomissao", "sous-commission", "mecanismo", "sub-committee",
                  "sub-commission", "sub-comite", "subcommission"}

#: Lower-case words that may stand between an ordinal and the dialogue noun ("the 13th round of
#: their bilateral human rights dialogue").
SERIES_INNER_WORDS = {
    "annual", "bilateral", "high", "level", "high-level", "session", "round", "meeting", "edition", "of", "the",
    "their", "its", "our", "this", "human", "rights", "on", "and", "joint", "political", "strategic",
    "structured", "formal", "regular", "sectoral", "ministerial", "senior", "officials", "expert", "experts",
    "anual", "alto", "nivel", "reunion", "ronda", "sesion", "edicion", "del", "de", "la", "el",
    "los", "las", "sobre", "derechos", "humanos", "y", "su", "sus", "mecanismo", "consultas", "politicas",
    "reuniao", "rodada", "sessao", "edicao", "do", "da", "dos", "das", "o", "a", "os", "as", "direitos", "e", "seu",
    "sua", "cycle", "du", "des", "le", "l", "annuel", "annuelle",
    "bilaterale", "haut", "niveau", "sur", "droits", "homme", "l'homme", "humains", "et", "leur", "son",
    "sa", "ses", "rencontre", "encontro", "encuentro", "bilaterales", "bilaterais", "bilateraux", "politique",
    "politico", "politica", "consultations",
}
#: What comes before the name of the series in a title and is left out of the series.
ROUND_WORDS = {"session", "round", "meeting", "edition", "reunion", "ronda", "sesion", "edicion", "reuniao",
               "rodada", "sessao", "edicao", "cycle", "tour", "annual", "anual", "annuel", "annuelle",
               "sessions", "rounds", "rencontre", "encontro", "encuentro", "reunions", "meetings"}

#: Verbs that say a meeting happened (folded, matched as word starts).
MEETING_VERBS = re.compile(
    r"\b(held|hold|holds|met|meet|meets|took place|take place|takes place|convened|hosted|host|hosts|"
    r"conducted|conduct|gathered|was organi[sz]ed|opened|"
    r"celebr\w+|realiz\w+|se llevo a cabo|llevaron a cabo|tuvo lugar|se reunieron|se reunio|sostuvieron|"
    r"sostuvo|tuvo|teve lugar|reuniram|reuniu|decorreu|"
    r"s'est tenue?s?|se sont tenue?s|a eu lieu|ont eu lieu|se sont reunis|ont tenu|a tenu|organise)\b"
)

#: Leadership and membership triggers for delegation lists (folded).
LEAD_PASSIVE = re.compile(
    # "chaired on the EU side by", "copresidida, por parte del Perú, por"
    r"\b((?:co-?)?(?:chaired|led|headed|presided(?: over)?)\s+(?:on|for) the [\w .'-]{2,30}? side\s+by|"
    r"(?:co)?(?:presidid|encabezad|dirigid|chefiad|coordenad)[ao]s?,?\s+(?:por|pel[oa]) (?:parte|lado)(?: d[eoa]l?)?\s+"
    r"(?:la\s+|el\s+|os\s+|as\s+)?[\w .'-]{2,30}?,\s+(?:por|pel[oa]s?)|"
    # "estuvo a cargo del embajador NAME", "participó como jefa de delegación la viceministra NAME"
    r"(?:estuvo|esteve|quedo|ficou) a cargo d(?:e|el|a|o)|particip(?:o|ou) como (?:jef[ea]|chefe) d[ea] (?:la |a )?"
    r"delega(?:cion|cao)|"
    r"(?:co-?)?(?:presidee?|conduite?|dirigee?)s?,?\s+(?:du cote|pour la partie) [\w .'-]{2,30}?,\s+par|"
    r"(?:co-?)?(?:led|headed|chaired),? respectively,? by|(?:encabezad|presidid|dirigid|chefiad|liderad)[ao]s,? "
    r"respectivamente,? (?:por|pel[oa]s?)|(?:conduite|dirigee|presidee)s,? respectivement,? par|"
    r"co-?led by|led by|co-?headed by|headed by|co-?chaired by|chaired by|co-?presided (?:over )?by|"
    r"(?:leading|heading) the [\w .'-]{2,30}? (?:delegation|side) (?:was|were)|"
    r"al frente de la delegacion [\w .'-]{2,30}? (?:estuvo|estaba)|"
    r"a frente da delegacao [\w .'-]{2,30}? (?:esteve|estava)|"
    r"presided (?:over )?by|under the leadership of|was led jointly by|"
    r"(?:co)?encabezad[ao]s? por|(?:co)?presidid[ao]s? por|liderad[ao]s? por|dirigid[ao]s? por|"
    r"chefiad[ao]s? (?:por|pel[oa]s?)|encabecad[ao]s? (?:por|pel[oa]s?)|conduzid[ao]s? (?:por|pel[oa]s?)|"
    r"(?:co)?coordenad[ao]s? (?:por|pel[oa]s?)|(?:co)?presidid[ao]s? pel[oa]s?|liderad[ao]s? pel[oa]s?|"
    r"(?:co-?)?dirigee?s? par|conduite?s? par|(?:co-?)?presidee?s? par|menee?s? par|"
    r"sous la (?:co-?)?presidence d(?:e|u)|bajo la (?:co)?presidencia del?|sob a (?:co)?presidencia d[eoa]|"
    r"copresidid[ao]s? (?:por|pel[oa]s?)|"
    r"(?:heading|leading|at the head of) the (?:[\w'.-]+ ){0,2}?delegation (?:was|were)|"
    r"a la cabeza de la delegacion (?:[\w'.-]+ )?(?:estuvo|estaba|se encontraba)|"
    r"a la tete de la delegation (?:[\w'.-]+ )?(?:se trouvait|etait)|"
    r"a frente da delegacao (?:[\w'.-]+ )?(?:esteve|estava))"
)
#: "..., and the British delegation by NAME": a second side's leader, its verb left out.
LEAD_ELLIPTIC = re.compile(
    r"\b(?:delegations?|delegacion|delegacao|delegation)(?:\s+(?!accompanied\b|joined\b|assisted\b|supported\b|"
    r"acompanad|acompanhad|accompagne|assistee?s?\b|apoyad|apoiad|secondee?s?\b)[\w'.-]+){0,4}?,?\s+"
    r"(?:by|por|pel[oa]|par)\b|"
    # "The head of the EU delegation, NAME,", "el jefe de la delegación chilena, NAME"
    r"\b(?:the head|el jefe|la jefa|o chefe|a chefe|le chef|la cheffe|la chef) (?:of the|de la|da|de la) "
    r"(?:[\w'.-]+\s+){0,3}?(?:delegation|delegacion|delegacao|side)(?:\s+[\w'.-]+){0,2}?\s*,|"
    # "y la de Guatemala por", "e a do Brasil pela", "et celle de la Tunisie par", "and that of Chile by"
    r"\b(?:y|e|et|and)\s+(?:la|el|a|o|celle|celui|that)\s+(?:de la|de l'|del|de|da|do|du|des|of)\s*(?:the\s+)?"
    r"[\w'.-]+(?:\s+[\w'.-]+){0,2}?\s+(?:por|pel[oa]|par|by)\b|"
    # "y la mexicana por", "e a alemã pela", "et la tunisienne par"
    r"\b(?:y|e|et)\s+(?:la|el|a|o|celle|celui)\s+[\w'.-]+,?\s+(?:por|pel[oa]|par)\b|"
    r"\band\s+(?:the\s+)?[\w'.-]+(?:\s+[\w'.-]+)?\s+by\b|"
    # "; do lado moçambicano, pela", "; del lado peruano, por", "; du côté tunisien, par", "and on the EU side by"
    r"\b(?:do lado|del lado|du cote|cote|de la part|por parte|pela parte|pel[oa] lado|por el lado|on the|for the)"
    r"\s+[\w'.-]+(?:\s+[\w'.-]+)?"
    r"(?:\s+side)?,?\s+(?:por|pel[oa]|par|by)\b|"
    # "...; por Estados Unidos, la subsecretaria ...": the next side's leader, its verb left out
    r";\s*(?:por|pour|for|pelo|pela|para)\s+(?:el |la |los |las |o |a |os |as |the |le |l')?[\w'.-]+"
    r"(?:\s+[\w'.-]+){0,2}?\s*,"
)
LEAD_ACTIVE = re.compile(
    r"\b(co-?led|led|co-?headed|headed|co-?chaired|chaired|encabezo|encabezaron|presidio|presidieron|"
    r"copresidieron|chefiou|chefiaram|presidiu|presidiram|a dirige|a conduit|ont copreside|a preside)\s+"
    r"(the|their|its|la|el|las|los|a|as|o|os|le|les|l'|[\w.-]+(?: [\w.-]+)?'s\b)"
    r"(?:\s*(?:delegacion|delegacao|delegation)\b)?"
)
MEMBER_TRIGGERS = re.compile(
    r"\b(also included|included|includes|comprised|was composed of|were composed of|consisted of|"
    r"was made up of|accompanied by|together with|participating (?:in the dialogue )?were|"
    r"incluyo|incluia|integrada por|integrado por|conformada por|compuesta por|acompanad[ao]s? por|"
    r"participaron|participo(?: ademas| tambien| asimismo)?|participou(?: ainda| tambem)?|a egalement participe|"
    r"contaron con|asistieron|asistio|"
    r"incluiu|integrada por|composta por|acompanhad[ao]s? por|participaram|"
    r"comprenait|comprenaient|comprend|etait composee de|composee de|se composait de|se composaient de|"
    r"se compose de|accompagnee?s? (?:de|par)|ont participe|"
    r"represented by|representad[ao]s? (?:por|pel[oa]s?)|representee?s? par|entouree?s? (?:de|par)|"
    r"rodead[oa]s? (?:de|por)|integrad[ao]s? (?:tambien |tambem |ainda |ademas |asimismo )?(?:por|pel[oa]s?)|"
    r"compost[ao]s? (?:tambem )?(?:por|pel[oa]s?)|"
    r"(?:also )?(?:took part|participated|attended)(?: in the (?:dialogue|meeting|talks))?|further comprised|"
    r"(?:also )?taking part (?:were|was)|(?:also )?present were|(?:was|were) (?:also )?present|"
    r"joining (?:him|her|them) (?:were|was)|estuvieron (?:tambien |ademas )?presentes|estuvo (?:tambien )?presente|"
    r"(?:etaient|etait) (?:egalement |aussi )?present(?:e|s|es)?|estiveram (?:tambem )?presentes|"
    r"esteve (?:tambem )?presente|"
    r"integr(?:aram|aron|am|an|ou|o)(?: tambem| tambien| ainda)?|"
    # "headed by A, joined by B", "dirigée par A, assistée de B", "contou com a participação de B"
    r"joined by|assisted by|assistee?s? (?:de|par)|secondee?s? (?:de|par)|"
    r"with (?:the )?participation (?:of|from)|con la participacion de(?:l)?|avec la participation d[eu]|"
    r"(?:contou|contaram|contando) com a participacao d[oa]s?|com a participacao d[oa]s?|"
    r"(?:other )?members of the (?:[\w-]+ ){0,2}delegation (?:were|included))\b"
)
SPEECH_VERBS = re.compile(
    r"\b(said|says|stated|declared|noted|commented|added|explained|dijo|afirmo|declaro|senalo|"
    r"expreso|manifesto|disse|afirmou|declarou|destacou|a declare|a dit|a affirme|a souligne)\b"
)

#: "on the EU side", "on behalf of Mexico": a person's side in a list of co-chairs (folded).
SIDE_MARKERS = [
    r"on the (?P<x>[\w .'-]{2,40}?) side",
    r"on behalf of (?:the )?(?P<x>[\w .'-]{2,40}?)(?=[,;.]|$| by\b)",
    r"for the (?P<x>[\w .'-]{2,40}?) side",
    r"representing (?:the )?(?P<x>[\w .'-]{2,40}?)(?=[,;.]|$)",
    r"por (?:la )?parte (?:de |del )?(?:la |el |los )?(?P<x>[\w .'-]{2,40}?)(?=[,;.]|$)",
    r"en representacion de (?:la |el |los )?(?P<x>[\w .'-]{2,40}?)(?=[,;.]|$)",
    r"por el lado (?P<x>[\w .'-]{2,40}?)(?=[,;.]|$)",
    r"pel[oa] (?:lado|parte) (?:d[aeo]s? )?(?P<x>[\w .'-]{2,40}?)(?=[,;.]|$)",
    r"em nome d[aeo]s? (?P<x>[\w .'-]{2,40}?)(?=[,;.]|$)",
    r"au nom (?:de la |de l'|du |des |de )(?P<x>[\w .'-]{2,40}?)(?=[,;.]|$)",
    r"du cote (?:de la |de l'|du |des |de )?(?P<x>[\w .'-]{2,40}?)(?=[,;.]|$)",
    r"pour la partie (?P<x>[\w .'-]{2,40}?)(?=[,;.]|$)",
]

# --- Page furniture --------------------------------------------------------------------------

#: A line that is one of these (folded, punctuation and counts aside) ends the statement:
#: what follows is the page around it.
TRAILER_MARKERS = {
    "comments", "comment", "leave a comment", "leave a reply", "add new comment", "post a comment",
    "add a comment", "more recommended stories", "recommended stories", "recommended", "related stories",
    "related articles", "related news", "related content", "related", "related links", "read more",
    "read also", "see also", "you may also like", "you might also like", "more news", "more stories",
    "latest news", "latest stories", "most read", "most popular", "popular", "trending", "share this",
    "share this article", "share this page", "share", "share on", "tags", "topics", "media enquiries",
    "media inquiries", "for journalists", "press contacts", "press contact", "press office", "contact",
    "contacts", "subscribe", "newsletter", "sign up", "follow us", "back to top", "footer",
    "explore the topic", "is this page useful", "was this page useful", "report a problem with this page",
    "print this page", "print",
    "comentarios", "comentario", "deja un comentario", "dejar un comentario", "deja tu comentario",
    "noticias relacionadas", "te puede interesar", "tambien te puede interesar", "lo mas leido",
    "mas noticias", "mas leidas", "compartir", "etiquetas", "suscribete", "contacto de prensa",
    "articulos relacionados", "notas relacionadas", "lee tambien", "ver tambien",
    "deixe um comentario", "deixe seu comentario", "leia tambem",
    "veja tambem", "mais lidas", "compartilhe", "compartilhar", "assine", "conteudo relacionado",
    "commentaires", "laisser un commentaire", "ajouter un commentaire", "articles lies",
    "a lire aussi", "lire aussi", "voir aussi", "les plus lus", "partager", "mots-cles", "contact presse",
    "sur le meme sujet", "dans la meme rubrique",
}
#: Lines that are page labels wherever they stand: dropped, the statement goes on.
FURNITURE_LINES = {
    "news story", "news", "press release", "press releases", "joint press release", "joint press releases",
    "joint statement", "statement", "statements", "readout", "media note", "news release", "news releases",
    "media release", "media releases", "home", "skip to main content", "skip to content", "menu", "search", "print",
    "share", "tweet", "email",
    "e-mail", "facebook", "twitter", "linkedin", "whatsapp", "top",
    "comunicado", "comunicados", "comunicado de prensa", "comunicado conjunto", "nota de prensa",
    "boletin", "prensa", "inicio", "imprimir",
    "nota a imprensa", "nota", "noticias", "imprensa", "comunicado a imprensa", "communique", "communique de presse",
    "communique conjoint", "actualites", "accueil", "imprimer",
}
#: Fragments that mark a line as page furniture (ids, timestamps, cookie notices).
FURNITURE_PATTERNS = re.compile(
    r"(unique id\b|cookies?\b.*\b(accept|use|policy|consent)|\ball rights reserved\b|^©|copyright\b|"
    r"^(photo|foto|image|imagen|credit|credito)s?\s*:|\b\d+\s*min(ute)?s? read\b|^from:\s|^de:\s|"
    r"^(home|inicio|accueil)\s*[>»/|])",
    re.IGNORECASE,
)
#: "Published 28 October 2016": the page's date, then dropped.
PUBLISHED_LINE = re.compile(
    r"^\s*(published|first published|last updated|updated|posted|date|released|publicado(?: el| em)?|"
    r"fecha|data|actualizado|publie le|publie|mis a jour le|date de publication|press release|media release|"
    r"news release|communique de presse|comunicado de prensa|nota de prensa|nota a imprensa)\s*[:–—-]?\s+"
    r"(?P<date>.{6,40})$",
    re.IGNORECASE,
)

# --- People: honorifics, titles, organizations ------------------------------------------------

HONORIFICS = {
    "ambassador", "amb", "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "hon", "honourable",
    "honorable", "h.e", "he", "his excellency", "her excellency", "excellency", "sir", "dame", "lord", "lady",
    "embajador", "embajadora", "sr", "sra", "srta", "senor", "senora", "lic", "licenciado", "licenciada",
    "dra", "don", "dona", "ing", "mtro", "mtra", "maestro", "maestra",
    "embaixador", "embaixadora", "excelentissimo", "excelentissima", "senhor", "senhora",
    "m", "mme", "mlle", "monsieur", "madame", "ambassadeur", "ambassadrice", "son excellence", "s.e",
    "col", "pol", "lt", "maj", "capt", "cdr", "adm", "brig", "coronel", "colonel", "abogado", "abogada", "arq",
    "excmo", "excma", "exmo", "exma", "ilmo", "ilma", "dna", "lcda", "lcdo",
}

#: Words that start or make a title (folded). Used to tell a title from a name.
TITLE_WORDS = {
    "funcionario", "funcionaria", "fonctionnaire",
    "attache", "attachee", "adido", "adida",
    "minister", "vice-minister", "viceminister", "deputy", "secretary", "undersecretary", "under-secretary",
    "assistant", "ambassador", "director", "director-general", "directorate", "head", "chief", "representative",
    "envoy", "commissioner", "counsellor", "counselor", "adviser", "advisor", "officer", "coordinator",
    "president", "vice-president", "chair", "chairman", "chairwoman", "chairperson", "attorney", "prosecutor",
    "judge", "consul", "consul-general", "charge", "spokesperson", "spokesman", "spokeswoman", "senator",
    "governor", "mayor", "commander", "special", "principal", "senior", "official", "delegate", "member",
    "rapporteur", "ombudsman", "ombudsperson", "counsel", "solicitor", "inspector", "registrar", "superintendent",
    "administrator", "manager", "executive", "vice", "acting", "state", "general", "chancellor", "premier",
    "king", "queen", "prince", "emir", "sheikh", "pope",
    "ministro", "ministra", "viceministro", "viceministra", "vice-ministro", "vice-ministra", "secretario",
    "secretaria", "subsecretario", "subsecretaria", "embajador", "embajadora", "directora", "subdirector",
    "subdirectora", "jefe", "jefa", "titular", "representante", "enviado", "enviada",
    "comisionado", "comisionada", "consejero", "consejera", "asesor", "asesora", "coordinador",
    "coordinadora", "presidente", "presidenta", "vicepresidente", "vicepresidenta", "procurador",
    "procuradora", "subprocurador", "subprocuradora", "fiscal", "encargado", "encargada",
    "canciller", "vicecanciller", "oficial", "diputado", "diputada", "senador", "senadora", "magistrado",
    "magistrada", "juez", "jueza", "gobernador", "gobernadora", "alcalde", "alcaldesa", "defensor",
    "defensora", "agregado", "agregada", "primer", "primera", "segundo", "segunda",
    "secretario-general", "secretaria-general",
    "embaixador", "embaixadora", "diretor", "diretora",
    "chefe", "assessor", "assessora", "coordenador", "coordenadora", "conselheiro",
    "conselheira", "encarregado", "encarregada", "vice-presidente", "governador", "prefeito",
    "ministre", "secretaire", "sous-secretaire", "ambassadeur", "ambassadrice", "directeur", "directrice",
    "sous-directeur", "sous-directrice", "representant", "envoye", "envoyee", "conseiller",
    "conseillere", "commissaire", "coordinateur", "coordinatrice", "procureur",
    "chargee", "porte-parole", "depute", "deputee", "gouverneur", "maire", "chef", "adjoint", "adjointe",
    "delegue", "deleguee", "haut", "haute", "premiere", "cheffe", "comissaria", "comissario",
}
#: Titles of heads of state and government: people with these are mentioned, not delegates.
HEAD_OF_STATE_TITLES = re.compile(
    r"^(president|vice[- ]president|prime minister|premier|chancellor|king|queen|emperor|pope|emir|"
    r"presidente|presidenta|vicepresidente|primer ministro|primera ministra|rey|reina|"
    r"primeiro-ministro|primeira-ministra|rei|rainha|"
    r"president de la republique|premier ministre|roi|reine)\b"
)

#: Words that head an organization's name (folded).
ORG_WORDS = {
    "spf", "fps", "fod", "delegacion", "delegacao", "delegaciones", "delegacoes",
    "servicio", "servico", "centro", "comite", "mision", "missao", "parlamento", "parlement",
    "ministry", "department", "office", "secretariat", "embassy", "consulate", "commission", "council",
    "agency", "institute", "presidency", "court", "bureau", "directorate", "service", "delegation",
    "mission", "parliament", "senate", "congress", "assembly", "committee", "government", "cabinet",
    "administration", "unit", "division", "section", "tribunal", "prosecutor's", "attorney-general's",
    "navy", "army", "police", "ombudsman", "authority", "centre", "center",
    "ministerio", "secretaria", "embajada", "consulado", "comision", "consejo", "agencia", "instituto",
    "presidencia", "corte", "direccion", "procuraduria", "fiscalia", "cancilleria", "oficina",
    "unidad", "gobierno", "senado", "congreso", "camara", "defensoria",
    "embaixada", "comissao", "conselho", "consejeria", "commissariat", "procuradoria", "diretoria",
    "departamento", "itamaraty", "farnesina", "governo", "assembleia",
    "ministere", "ambassade", "direction", "conseil", "agence", "institut",
    "presidence", "cour", "gouvernement", "parquet", "senat", "assemblee", "departement", "eeas", "fdfa", "dfae",
    "fcdo", "dfat", "mofa", "mfa", "sre", "gac", "seae", "eda", "dfa",
}

#: Capitalized words that are never part of a person's name in a statement (folded): the words
#: of titles, bodies, themes and places. A run of capitalized words breaks at each.
NON_NAME_WORDS = TITLE_WORDS | ORG_WORDS | HONORIFICS | {
    # treaties and their parts: "el Protocolo Facultativo", "the Optional Protocol"
    "protocolo", "protocole", "convencion", "convencao", "pacto", "pacte", "optional", "facultativo", "facultatif",
    "tratado", "traite", "carta", "charte",
    "the", "a", "an", "in", "on", "at", "for", "of", "and", "or", "by", "to", "from", "with", "during",
    "following", "after", "before", "today", "both", "its", "their", "this", "these", "those", "that", "it",
    "they", "he", "she", "we", "i", "our", "his", "her", "as", "also", "while", "finally", "in addition",
    "el", "la", "los", "las", "un", "una", "en", "con", "del", "al", "por", "para", "y", "ambos", "ambas",
    "o", "os", "um", "uma", "em", "com", "do", "da", "dos", "das", "pelo", "pela", "e", "le", "les", "une", "des",
    "du", "au", "aux", "avec", "pour", "par", "et", "sur", "lors", "ce", "cette",
    "human", "rights", "right", "affairs", "affair", "issues", "issue", "matters", "relations", "foreign",
    "interior", "justice", "defense", "defence", "national", "federal", "public", "security", "safety",
    "multilateral", "bilateral", "international", "global", "regional", "legal", "political", "economic",
    "social", "cultural", "democracy", "democratic", "labor", "labour", "crimes", "crime", "law",
    "western", "eastern", "northern", "southern", "hemisphere", "asia", "pacific", "europe", "european",
    "americas", "america", "american", "africa", "african", "middle", "east", "latin", "caribbean",
    "central", "north", "south", "west", "asian", "arab", "gulf", "union", "united", "nations", "states",
    "kingdom", "republic", "federation", "commonwealth", "development", "cooperation", "trade", "health",
    "education", "culture", "environment", "energy", "finance", "economy", "navy", "army", "protocol", "planning",
    "policy", "policies", "programs", "programmes", "program", "programme",
    "population", "migration", "refugees", "women", "gender", "equality", "children", "youth", "family",
    "people", "peoples", "indigenous", "citizenship", "immigration", "home", "police", "prisons", "penal",
    "affaires", "etrangeres", "etranger", "droits", "homme", "l'homme", "humains", "interieur",
    "derechos", "humanos", "relaciones", "exteriores", "asuntos", "multilaterales", "gobernacion",
    "defensa", "marina", "seguridad", "nacional", "publica", "mujeres", "igualdad", "genero",
    "direitos", "relacoes", "assuntos", "multilaterais", "justica", "seguranca", "mulher", "mulheres", "familia",
    "cidadania", "igualdade", "racial", "external", "action",
    "high", "level", "dialogue", "dialogo", "session", "round", "meeting", "summit", "declaration",
    "convention", "covenant", "treaty", "charter", "agenda", "plan", "system", "mechanism",
    "group", "forum", "partnership", "initiative", "strategy", "organization", "organisation", "organizacion",
    "organizacao", "civil", "society", "universal", "periodic", "review", "expert",
    "experts", "independent", "inter-american", "interamericana", "interamericano", "sustainable", "goals",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "news", "story", "press", "release", "statement", "joint", "comments", "media", "published",
    "leaders", "leaders'", "good", "governance", "rule", "business", "uyghurs", "tibetans", "rohingya", "kurds",
    "roma", "mapuche", "dalits", "baha'is", "papuans", "lgbti", "lgbt",
    "principles", "guiding", "guidelines", "report", "reports", "resolution", "resolutions", "laws", "act", "code",
    "constitution", "goal", "standards", "yesterday", "case", "cases", "temas", "sociais", "sociales",
    "sociaux", "politica", "politicas", "cooperacao", "cooperacion", "organizations", "organizaciones",
    "organisations", "organizacoes", "internacionales", "internacionais", "internationales", "internacional",
    "unies", "unidas", "naciones", "nacoes", "multilateraux", "bureau", "especial", "speciale", "permanente",
    "permanent", "extraordinario", "plenipotenciario", "plenipotentiary", "ejecutivo", "executivo", "executif",
    "geral", "generale", "adjunto", "adjunta", "politicos", "politico", "politique", "externa", "exterior",
    "exterieure", "exterieures", "estrangeiros", "negocios", "paix", "paz", "integration", "integracion",
    "mondiales", "division", "divisao", "departement", "personne", "direito", "derecho", "humanitario",
    "humanitarian", "humanitaire", "chancelaria", "juridicos", "juridicas", "juridiques", "legais", "bilaterales",
    "bilaterais", "bilateraux", "binacional", "binational", "ajuda", "ayuda", "aide", "humanitaria",
    "humanitarias", "liberties", "libertades", "liberdades", "protection", "proteccion", "protecao",
    "interministerielle", "interministerial", "francophonie", "globales", "hemisferio", "occidental",
    "norte", "sul",
    "nord", "ouest", "est", "oeste", "oriente", "medio", "moyen-orient", "questions",
} | set(MONTHS) | WEEKDAYS

#: A country's foreign ministry: where an ambassador or envoy with no named body works.
FOREIGN_MINISTRIES = {
    "US": "Department of State",
    "GB": "Foreign, Commonwealth and Development Office",
    "CH": "Federal Department of Foreign Affairs",
    "EU": "European Union",
    "CA": "Global Affairs Canada",
    "AU": "Department of Foreign Affairs and Trade",
    "NZ": "Ministry of Foreign Affairs and Trade",
    "DE": "Federal Foreign Office",
    "IE": "Department of Foreign Affairs",
    "FR": "Ministry for Europe and Foreign Affairs",
    "MX": "Ministry of Foreign Affairs",
    "BR": "Ministry of Foreign Affairs",
}
DEFAULT_FOREIGN_MINISTRY = "Ministry of Foreign Affairs"

#: English names of bodies that make the name of their country's foreign ministry, by country.
ORG_COUNTRY = {
    "department of state": "US", "state department": "US", "foreign office": "GB",
    "foreign and commonwealth office": "GB", "foreign, commonwealth and development office": "GB",
    "itamaraty": "BR", "quai d'orsay": "FR", "farnesina": "IT", "palacio san martin": "AR",
    "palacio de santa cruz": "ES", "federal department of foreign affairs": "CH",
    "european external action service": "EU", "european commission": "EU", "global affairs canada": "CA",
    "federal foreign office": "DE",
}

#: Adjectives that Spanish, Portuguese and French put after their noun ("Cooperación Internacional",
#: "Affaires juridiques"): in English they go before it ("International Cooperation", "Legal Affairs").
ROMANCE_ADJECTIVES = {form: english for english, forms in {
    "International": "internacional internacionales internacionais international internationale internationales "
                     "internationaux",
    "Multilateral": "multilateral multilaterales multilaterais multilaterale multilaterales multilateraux",
    "Political": "politico politica politicos politicas politique politiques",
    "Legal": "juridico juridica juridicos juridicas juridique juridiques",
    "Consular": "consular consulares consulaire consulaires",
    "Special": "especial especiales especiais speciale speciales spécial speciaux",
    "Humanitarian": "humanitario humanitaria humanitarios humanitarias humanitaire humanitaires",
    "Economic": "economico economica economicos economicas economique economiques",
    "Social": "sociales sociais sociaux",
    "Cultural": "culturales culturais culturel culturelle culturels culturelles",
    "Bilateral": "bilaterales bilaterais bilaterale bilateraux",
    "Regional": "regionales regionais regionaux",
    "National": "nacional nacionales nacionais nationale nationales nationaux",
    "Global": "globales globais globaux",
    "Technical": "tecnico tecnica tecnicos tecnicas technique techniques",
    "Deputy": "adjunto adjunta adjuntos adjuntas adjoint adjointe adjoints adjointes",
    "Indigenous": "indigenas indigenes autochtones",
    "Public": "publico publica publicos publicas publique publiques",
    "Constitutional": "constitucionales constitucionais constitutionnelles constitutionnels",
    "Religious": "religiosos religiosas religiosos religieuses religieux",
}.items() for form in forms.split()}

#: Foreign ministries called by the name of their seat.
FOREIGN_MINISTRY_SEATS = {name: "Ministry of Foreign Affairs" for name in (
    "itamaraty", "farnesina", "quai d'orsay", "palacio san martin", "palacio de santa cruz", "cancilleria")}

#: Spanish, Portuguese and French words and phrases of titles and bodies, in English. Longest
#: first when applied. Keys are folded; values keep their case.
GLOSSARY = {
    # Posts and bodies the statements written for issue 13 name (all four languages)
    "chef d'unite": "Head of Unit", "cheffe d'unite": "Head of Unit", "chef de division": "Head of Division",
    "cheffe de division": "Head of Division", "collaborateur scientifique": "Scientific Officer",
    "collaboratrice scientifique": "Scientific Officer", "office federal de la justice": "Federal Office of Justice",
    "relations exterieures": "External Relations", "ministre deleguee": "Minister Delegate",
    "conseillere politique": "Political Adviser", "conseiller politique": "Political Adviser",
    "oficial de derechos humanos": "Human Rights Officer", "oficial de direitos humanos": "Human Rights Officer",
    "tecnico superior": "Senior Technician", "tecnica superior": "Senior Technician",
    "vice-ministro": "Vice-Minister", "vice-ministra": "Vice-Minister",
    "consejeria presidencial": "Presidential Council", "agencia espanola de cooperacion internacional para el "
    "desarrollo": "Spanish Agency for International Development Cooperation",
    "comision nacional de busqueda": "National Search Commission", "procurador da republica": "Public Prosecutor",
    "procuradoria-geral da republica": "Office of the Attorney General",
    "procuradoria geral da republica": "Office of the Attorney General",
    "provedora de direitos humanos e justica": "Ombudsman for Human Rights and Justice",
    "provedor de direitos humanos e justica": "Ombudsman for Human Rights and Justice",
    "provedoria de direitos humanos e justica": "Office of the Ombudsman for Human Rights and Justice",
    "comissao nacional dos direitos humanos": "National Human Rights Commission",
    "service public federal affaires etrangeres": "Federal Public Service Foreign Affairs",
    "secretaria-adjunta": "Deputy Assistant Secretary", "secretario-adjunto": "Deputy Assistant Secretary",
    "interina": "Acting", "interino": "Acting",
    # Spanish: bodies
    "secretaria de relaciones exteriores": "Ministry of Foreign Affairs",
    "ministerio de relaciones exteriores": "Ministry of Foreign Affairs",
    "ministerio de asuntos exteriores": "Ministry of Foreign Affairs",
    "ministerio del poder popular para relaciones exteriores": "Ministry of Foreign Affairs",
    "cancilleria": "Ministry of Foreign Affairs",
    "secretaria de gobernacion": "Ministry of the Interior",
    "ministerio del interior": "Ministry of the Interior",
    "ministerio de gobierno": "Ministry of the Interior",
    "secretaria de la defensa nacional": "Ministry of National Defense",
    "secretaria de marina": "Ministry of the Navy",
    "procuraduria general de la republica": "Attorney General's Office",
    "fiscalia general de la republica": "Attorney General's Office",
    "fiscalia general de la nacion": "Attorney General's Office",
    "fiscalia general del estado": "Attorney General's Office",
    "fiscalia general": "Attorney General's Office",
    "consejeria juridica del ejecutivo federal": "Office of Legal Counsel of the Presidency",
    "presidencia de la republica": "Office of the President",
    "comision nacional de los derechos humanos": "National Human Rights Commission",
    "defensoria del pueblo": "Ombudsman's Office",
    "embajada de": "Embassy of",
    "ministerio de": "Ministry of", "ministerio del": "Ministry of the", "ministerio": "Ministry",
    "secretaria de": "Ministry of", "secretaria": "Ministry",
    "secretaria de estado de": "Secretariat of State for",
    "direccion general de": "Directorate-General for", "direccion general": "Directorate-General",
    "direccion de": "Directorate of", "unidad de": "Unit for", "oficina de": "Office of",
    "oficina del": "Office of the",
    # Spanish: titles
    "subsecretario": "Undersecretary", "subsecretaria para": "Undersecretary for",
    "secretario de estado": "Secretary of State", "secretario general": "Secretary-General",
    "secretario": "Secretary", "viceministro": "Vice-Minister", "viceministra": "Vice-Minister",
    "vice ministro": "Vice-Minister", "ministro": "Minister", "ministra": "Minister",
    "canciller": "Minister of Foreign Affairs", "vicecanciller": "Deputy Minister of Foreign Affairs",
    "embajador": "Ambassador", "embajadora": "Ambassador", "embajador extraordinario y plenipotenciario":
    "Ambassador Extraordinary and Plenipotentiary", "director general": "Director-General",
    "directora general": "Director-General", "director general adjunto": "Deputy Director-General",
    "directora general adjunta": "Deputy Director-General", "director": "Director", "directora": "Director",
    "subdirector": "Deputy Director", "subdirectora": "Deputy Director", "jefe de la unidad": "Head of the Unit",
    "jefe": "Head", "jefa": "Head", "titular de la unidad": "Head of the Unit", "titular": "Head",
    "representante especial": "Special Representative", "representante permanente": "Permanent Representative",
    "enviado especial": "Special Envoy", "enviada especial": "Special Envoy", "comisionado": "Commissioner",
    "comisionada": "Commissioner", "consejero": "Counsellor", "consejera": "Counsellor",
    "consejero presidencial": "Presidential Adviser", "funcionario": "Official", "funcionaria": "Official",
    "mision": "Mission", "missao": "Mission",
    "ministro-conselheiro": "Minister-Counsellor", "ministra-conselheira": "Minister-Counsellor",
    "ministro consejero": "Minister-Counsellor", "ministra consejera": "Minister-Counsellor",
    "ministre-conseiller": "Minister-Counsellor",
    "comision europea": "European Commission", "comissao europeia": "European Commission",
    "fonctionnaire": "Official", "consejera presidencial": "Presidential Adviser",
    "conselheiro presidencial": "Presidential Adviser", "conselheira presidencial": "Presidential Adviser",
    "derecho internacional humanitario": "International Humanitarian Law",
    "direito internacional humanitario": "International Humanitarian Law",
    "droit international humanitaire": "International Humanitarian Law",
    "delegacion": "Delegation", "delegacao": "Delegation",
    "asesor": "Adviser", "asesora": "Adviser", "coordinador": "Coordinator", "coordinadora": "Coordinator",
    "procurador general": "Attorney General", "procuradora general": "Attorney General",
    "subprocurador": "Deputy Attorney General", "subprocuradora": "Deputy Attorney General",
    "fiscal general": "Attorney General", "fiscal": "Prosecutor", "encargado de negocios": "Chargé d'Affaires",
    "encargada de negocios": "Chargé d'Affaires", "consul general": "Consul General",
    "presidente": "President", "presidenta": "President", "vicepresidente": "Vice-President",
    "relaciones exteriores": "Foreign Affairs", "asuntos exteriores": "Foreign Affairs",
    "asuntos multilaterales": "Multilateral Affairs", "asuntos juridicos": "Legal Affairs",
    "asuntos politicos": "Political Affairs", "asuntos globales": "Global Affairs",
    "asuntos internacionales": "International Affairs", "derechos humanos": "Human Rights",
    "democracia": "Democracy", "gobernacion": "the Interior", "interior": "the Interior",
    "justicia": "Justice", "defensa nacional": "National Defense", "defensa": "Defense", "marina": "the Navy",
    "seguridad publica": "Public Security", "seguridad": "Security", "poblacion": "Population",
    "migracion": "Migration", "asuntos religiosos": "Religious Affairs", "mujeres": "Women",
    "igualdad de genero": "Gender Equality", "america del norte": "North America",
    "america latina y el caribe": "Latin America and the Caribbean",
    "naciones unidas": "United Nations", "organismos internacionales": "International Organizations",
    "organizaciones internacionales": "International Organizations", "director adjunto": "Deputy Director",
    "directora adjunta": "Deputy Director", "para los derechos humanos": "for Human Rights",
    "de los derechos humanos": "of Human Rights", "temas sociales": "Social Issues",
    "asuntos sociales": "Social Affairs",
    "africa": "Africa", "asia": "Asia", "america latina": "Latin America", "medio oriente": "Middle East",
    "oriente medio": "Middle East", "america del sur": "South America", "centroamerica": "Central America",
    "para": "for", "de la": "of the", "del": "of the", "de los": "of the", "de las": "of the", "de": "of",
    "y": "and", "en": "in", "ante": "to", "la": "the", "el": "the", "los": "the", "las": "the",
    # Portuguese
    "ministerio das relacoes exteriores": "Ministry of Foreign Affairs",
    "ministerio dos negocios estrangeiros": "Ministry of Foreign Affairs",
    "ministerio da justica e seguranca publica": "Ministry of Justice and Public Security",
    "ministerio da justica": "Ministry of Justice",
    "ministerio dos direitos humanos e da cidadania": "Ministry of Human Rights and Citizenship",
    "ministerio da mulher, da familia e dos direitos humanos": "Ministry of Women, Family and Human Rights",
    "secretaria de estado": "Secretariat of State", "embaixada d": "Embassy of",
    "ministerio da": "Ministry of", "ministerio do": "Ministry of", "ministerio dos": "Ministry of",
    "ministerio das": "Ministry of",
    "secretario-geral": "Secretary-General", "secretario geral": "Secretary-General",
    "secretario executivo": "Executive Secretary", "subsecretario-geral": "Undersecretary-General",
    "embaixador": "Ambassador", "embaixadora": "Ambassador", "diretor": "Director", "diretora": "Director",
    "diretor-geral": "Director-General",
    "diretora-geral": "Director-General", "chefe": "Head", "assessor": "Adviser", "assessora": "Adviser",
    "coordenador": "Coordinator", "coordenadora": "Coordinator", "conselheiro": "Counsellor",
    "conselheira": "Counsellor", "encarregado de negocios": "Chargé d'Affaires",
    "procurador-geral": "Attorney General", "relacoes exteriores": "Foreign Affairs",
    "negocios estrangeiros": "Foreign Affairs", "assuntos multilaterais": "Multilateral Affairs",
    "direitos humanos": "Human Rights", "justica": "Justice", "seguranca publica": "Public Security",
    "cidadania": "Citizenship", "igualdade racial": "Racial Equality", "mulheres": "Women",
    "mulher": "Women", "familia": "Family", "povos indigenas": "Indigenous Peoples",
    "departamento de": "Department of", "divisao de": "Division of", "europa": "Europe",
    "temas sociais": "Social Issues", "organizacoes internacionais": "International Organizations",
    "diretor-adjunto": "Deputy Director", "diretora-adjunta": "Deputy Director", "diretor adjunto": "Deputy Director",
    "nacoes unidas": "United Nations", "america do sul": "South America",
    "dos direitos humanos": "of Human Rights", "para os direitos humanos": "for Human Rights",
    "da": "of the", "do": "of the", "dos": "of the", "das": "of the", "e": "and", "em": "in", "no": "in the",
    "na": "in the", "junto a": "to", "a": "the", "o": "the",
    # French
    "ministere des affaires etrangeres": "Ministry of Foreign Affairs",
    "ministere de l'europe et des affaires etrangeres": "Ministry for Europe and Foreign Affairs",
    "ministere de la justice": "Ministry of Justice", "ministere de l'interieur": "Ministry of the Interior",
    "departement federal des affaires etrangeres": "Federal Department of Foreign Affairs",
    "service europeen pour l'action exterieure": "European External Action Service",
    "commission europeenne": "European Commission", "union europeenne": "European Union",
    "ministere de": "Ministry of", "ministere des": "Ministry of", "ministere du": "Ministry of",
    "ministere": "Ministry", "ambassade de": "Embassy of", "ambassade d'": "Embassy of",
    "direction generale": "Directorate-General", "direction des": "Directorate of",
    "ministre des affaires etrangeres": "Minister of Foreign Affairs", "ministre delegue": "Minister Delegate",
    "ministre": "Minister", "secretaire d'etat": "Secretary of State", "secretaire general": "Secretary-General",
    "secretaire generale": "Secretary-General", "sous-secretaire": "Undersecretary",
    "ambassadeur": "Ambassador", "ambassadrice": "Ambassador", "directeur general": "Director-General",
    "directrice generale": "Director-General", "directeur": "Director", "directrice": "Director",
    "sous-directeur": "Deputy Director", "sous-directrice": "Deputy Director", "chef": "Head",
    "representant special": "Special Representative", "representante speciale": "Special Representative",
    "envoye special": "Special Envoy", "envoyee speciale": "Special Envoy", "conseiller": "Counsellor",
    "conseillere": "Counsellor", "commissaire": "Commissioner", "charge d'affaires": "Chargé d'Affaires",
    "procureur general": "Attorney General", "adjoint": "Deputy", "adjointe": "Deputy",
    "affaires etrangeres": "Foreign Affairs", "affaires multilaterales": "Multilateral Affairs",
    "directeur adjoint": "Deputy Director", "directrice adjointe": "Deputy Director",
    "nations unies": "United Nations", "organisations internationales": "International Organizations",
    "afrique du nord": "North Africa", "afrique": "Africa", "asie": "Asia", "moyen-orient": "Middle East",
    "amerique latine": "Latin America", "ameriques": "Americas", "europe": "Europe",
    "pour les droits de l'homme": "for Human Rights", "des droits de l'homme": "of Human Rights",
    "droits de l'homme": "Human Rights", "droits humains": "Human Rights", "justice": "Justice",
    "charge des": "for", "chargee des": "for", "charge de la": "for", "chargee de la": "for",
    "des": "of the", "du": "of the", "de l'": "of the", "aupres de": "to", "et": "and", "pour": "for",
    "le": "the", "l'": "the", "aux": "to the",
    # Words of posts and bodies in any of the three languages
    "servicio europeo de accion exterior": "European External Action Service",
    "servico europeu de acao externa": "European External Action Service",
    "union europea": "European Union", "uniao europeia": "European Union",
    "affaires mondiales canada": "Global Affairs Canada", "droits de la personne": "Human Rights",
    "directrice generale adjointe": "Deputy Director-General", "directeur general adjoint": "Deputy Director-General",
    "diretor-geral adjunto": "Deputy Director-General", "diretora-geral adjunta": "Deputy Director-General",
    "director general adjunto para": "Deputy Director-General for", "subdirector general": "Deputy Director-General",
    "subdirectora general": "Deputy Director-General", "sous-directeur general": "Deputy Director-General",
    "politica externa": "Foreign Policy", "politica exterior": "Foreign Policy",
    "politique etrangere": "Foreign Policy",
    "politicos": "Political", "politicas": "Political", "politico": "Political", "politica": "Policy",
    "politique": "Political", "cooperacion": "Cooperation", "cooperacao": "Cooperation", "cooperation": "Cooperation",
    "desarrollo": "Development", "desenvolvimento": "Development", "developpement": "Development",
    "integracion": "Integration", "integracao": "Integration", "integration africaine": "African Integration",
    "organismos": "Organizations",
    "organizaciones": "Organizations", "organizacoes": "Organizations", "organisations": "Organizations",
    "internacionales": "International", "internacionais": "International", "internationales": "International",
    "internationaux": "International", "internacional": "International", "multilaterales": "Multilateral",
    "multilaterais": "Multilateral", "multilaterales politicos": "Multilateral Political",
    "asuntos": "Affairs", "assuntos": "Affairs", "affaires": "Affairs", "nacional": "National",
    "centro nacional": "National Centre", "centre national": "National Centre", "departement": "Department",
    "division": "Division", "divisao": "Division", "direction": "Directorate", "comite": "Committee",
    "comision": "Commission", "comissao": "Commission", "consejo": "Council", "conselho": "Council",
    "conseil": "Council", "paix": "Peace", "paz": "Peace", "technique": "Technical", "tecnico": "Technical",
    "tecnica": "Technical", "estado": "State", "etat": "State", "general": "General", "geral": "General",
    "generale": "General", "externa": "Foreign", "exterior": "Foreign", "exteriores": "Foreign",
    "ambassade du": "Embassy of", "ambassade de la": "Embassy of", "au": "in", "embaixada de": "Embassy of",
    "embaixada da": "Embassy of", "embaixada do": "Embassy of", "embaixada dos": "Embassy of",
    "embaixada das": "Embassy of",
    "coordenador-geral": "General Coordinator", "coordenadora-geral": "General Coordinator",
    "coordenador geral": "General Coordinator", "coordenadora geral": "General Coordinator",
    "coordinador general": "General Coordinator", "coordinadora general": "General Coordinator",
    "coordonnateur general": "General Coordinator", "coordinatrice generale": "General Coordinator",
    "assuntos multilaterais politicos": "Multilateral Political Affairs",
    "asuntos multilaterales politicos": "Multilateral Political Affairs",
    "embajada del": "Embassy of", "subsecretaria adjunta de estado": "Deputy Assistant Secretary of State",
    "subsecretario adjunto de estado": "Deputy Assistant Secretary of State", "subsecretario adjunto":
    "Deputy Assistant Secretary", "subsecretaria adjunta": "Deputy Assistant Secretary", "trabajo": "Labor",
    "action humanitaire": "Humanitarian Action", "societe civile": "Civil Society", "sociedad civil": "Civil Society",
    "sociedade civil": "Civil Society", "avec": "with", "con": "with", "com": "with", "promocao": "Promotion",
    "promocion": "Promotion",
    "itamaraty": "Ministry of Foreign Affairs", "aupres du": "to the", "farnesina": "Ministry of Foreign Affairs",
    "aupres de la": "to the",
    "gobernanza": "Governance", "movilidad humana": "Human Mobility",
    "assistencia humanitaria": "Humanitarian Assistance",
    "asistencia humanitaria": "Humanitarian Assistance", "assistencia": "Assistance", "asistencia": "Assistance",
    "americas": "Americas", "derechos de las mujeres": "Women's Rights",
    "chancelaria": "Ministry of Foreign Affairs", "embajador en mision especial": "Ambassador on Special Mission",
    "subsecretaria de": "Undersecretary for", "subsecretaria": "Undersecretary", "cheffe de la": "Head of the",
    "cheffe du": "Head of the", "cheffe": "Head", "chef de la": "Head of the", "chef du": "Head of the",
    "interministerielle": "Interministerial", "delegation": "Delegation", "aux droits de l'homme": "for Human Rights",
    "aux droits humains": "for Human Rights", "spf": "FPS",
    "comissaria": "Commissioner", "comissario": "Commissioner", "governo federal": "Federal Government",
    "ajuda humanitaria": "Humanitarian Assistance", "ayuda humanitaria": "Humanitarian Assistance",
    "sous-ministre adjoint": "Assistant Deputy Minister",
    "sous-ministre adjointe": "Assistant Deputy Minister", "sous-ministre": "Deputy Minister",
    "bilaterales": "Bilateral", "bilaterais": "Bilateral", "bilaterale": "Bilateral", "bilateraux": "Bilateral",
    "relations": "Relations", "relaciones": "Relations", "relacoes": "Relations", "direito humanitario":
    "Humanitarian Law", "derecho humanitario": "Humanitarian Law", "droit humanitaire": "Humanitarian Law",
    "asuntos juridicos y derechos humanos": "Legal Affairs and Human Rights", "procurador de los derechos humanos":
    "Human Rights Ombudsman", "ministere des relations internationales et de la francophonie":
    "Ministry of International Relations and La Francophonie", "libertes": "Freedoms", "inclusion": "Inclusion",
    "cidadania e": "Citizenship and", "servicos": "Services", "servicios": "Services", "para as": "for the",
    "para os": "for the", "soberania": "Sovereignty",
    "departamento federal de asuntos exteriores": "Federal Department of Foreign Affairs",
    "departamento federal dos negocios estrangeiros": "Federal Department of Foreign Affairs",
    # The portfolios of ministries and their units, in the three languages
    "mujer y la equidad de genero": "Women and Gender Equity", "mujer y equidad de genero": "Women and Gender Equity",
    "equidad de genero": "Gender Equity", "genero": "Gender", "igualdade de genero": "Gender Equality",
    "egalite des sexes": "Gender Equality", "egalite femmes-hommes": "Gender Equality", "mujer": "Women",
    "femmes": "Women", "femme": "Women", "la femme, de la famille et de l'enfant": "Women, the Family and Children",
    "famille": "Family", "familia e": "Family and", "ninez": "Children", "infancia": "Children",
    "enfance": "Children", "enfant": "Children", "enfants": "Children", "crianca": "Children", "criancas": "Children",
    "adolescencia": "Adolescents", "pueblos indigenas": "Indigenous Peoples",
    "peuples autochtones": "Indigenous Peoples", "igualdad": "Equality", "igualdade": "Equality",
    "egalite": "Equality", "salud": "Health", "saude": "Health", "sante": "Health", "educacion": "Education",
    "educacao": "Education", "education": "Education", "securite publique": "Public Security",
    "seguranca": "Security", "securite": "Security", "interieur": "Interior", "trabalho": "Labour",
    "travail": "Labour", "cultes": "Worship", "culte": "Worship", "culto": "Worship", "cultos": "Worship",
    "migracao": "Migration", "migration": "Migration", "asuntos migratorios": "Migration Affairs",
    "tunisiens a l'etranger": "Tunisians Abroad", "chargee des droits de l'homme": "Human Rights Officer",
    "charge des droits de l'homme": "Human Rights Officer", "encargado de derechos humanos": "Human Rights Officer",
    "encargada de derechos humanos": "Human Rights Officer", "conseillere technique": "Technical Adviser",
    "conseiller technique": "Technical Adviser", "conseiller principal": "Senior Adviser",
    "conseillere principale": "Senior Adviser", "asesor principal": "Senior Adviser",
    "premier secretaire": "First Secretary", "premiere secretaire": "First Secretary",
    "primer secretario": "First Secretary", "primera secretaria": "First Secretary",
    "primeiro secretario": "First Secretary", "primeira secretaria": "First Secretary",
    "secretaria general": "Secretary-General", "secretaria-geral": "Secretary-General",
    "jefe de area": "Head of Area", "jefa de area": "Head of Area", "jefe de la division": "Head of the Division",
    "jefa de la division": "Head of the Division", "jefe de division": "Head of Division",
    "jefa de division": "Head of Division", "jefe de la": "Head of the", "jefa de la": "Head of the",
    "jefe del": "Head of the", "jefa del": "Head of the", "chefe da": "Head of the", "chefe do": "Head of the",
    # More posts and bodies of the three languages
    "agregado": "Attaché", "agregada": "Attaché", "defensor del pueblo": "Ombudsman",
    "defensora del pueblo": "Ombudsman", "secretario ejecutivo": "Executive Secretary",
    "secretaria ejecutiva": "Executive Secretary",
    "representante permanente alterno": "Alternate Permanent Representative",
    "representante permanente alterna": "Alternate Permanent Representative",
    "representante permanente adjunto": "Deputy Permanent Representative",
    "representante permanente adjunta": "Deputy Permanent Representative", "embajada": "Embassy",
    "embaixada": "Embassy", "embajadora en mision especial": "Ambassador on Special Mission",
    "premier conseiller": "First Counsellor", "premiere conseillere": "First Counsellor",
    "charge de mission": "Chargé de Mission", "chargee de mission": "Chargé de Mission", "bureau": "Office",
    "delegue interministeriel": "Interministerial Delegate",
    "deleguee interministerielle": "Interministerial Delegate",
    "representant permanent adjoint": "Deputy Permanent Representative",
    "representante permanente adjointe": "Deputy Permanent Representative",
    "representant permanent": "Permanent Representative", "attache": "Attaché", "attachee": "Attaché",
    "defense": "Defence", "primeiro-secretario": "First Secretary", "primeira-secretaria": "First Secretary",
    "subdiretora-geral": "Deputy Director-General", "subdiretor-geral": "Deputy Director-General",
    "defensora publica": "Public Defender", "defensor publico": "Public Defender",
    "secretario-executivo": "Executive Secretary", "secretaria-executiva": "Executive Secretary", "adido": "Attaché",
    "adida": "Attaché", "mision permanente": "Permanent Mission", "missao permanente": "Permanent Mission",
    "mission permanente": "Permanent Mission",
    "secretaire": "Secretary", "secretaire adjoint": "Deputy Secretary", "secretaire adjointe": "Deputy Secretary",
    "secretario adjunto": "Deputy Secretary", "secretaria adjunta": "Deputy Secretary", "conjunto": "Joint",
    "secretario conjunto": "Joint Secretary",
    # Common words of posts' complements (issue 13, conventions round)
    "personas": "Persons", "pessoas": "Persons", "personnes": "Persons", "retornadas": "Returned",
    "retornados": "Returned", "retornees": "Returned", "delito": "Crime", "delitos": "Crimes", "crime": "Crime",
    "tortura": "Torture", "torture": "Torture", "enfrentamento": "Combating", "combate": "Combating",
    "lucha contra": "Combating", "lutte contre": "Combating", "enlace": "Liaison", "ligacao": "Liaison",
    "deficiencia": "Disabilities", "discapacidad": "Disabilities", "handicap": "Disabilities",
    "especializado": "Specialized", "especializada": "Specialized",
}

# --- Themes (upr-issues slugs) ----------------------------------------------------------------

#: For each upr-issues slug, the phrases that show a statement discussed it, in the four languages.
#: Matched on folded text at word starts; `\w*` ends a stem.
TOPIC_LEXICON: dict[str, list[str]] = {
    "asylum-seekers-refugees": [r"refugees?", r"asylum", r"refugiad[oa]s", r"asilo", r"refugi[ée]s", r"asile",
        r"refugio", r"personas refugiadas", r"solicitantes de asilo", r"demandeurs d'asile"],
    "civil-society": [r"civil society", r"non-?governmental organi[sz]ations?", r"ngos?\b", r"sociedad civil",
        r"sociedade civil", r"societe civile", r"organizaciones no gubernamentales",
        r"organizacoes nao governamentais", r"organisations non gouvernementales"],
    "corruption": [r"corrupt\w*", r"anti-?corruption", r"corrupcion", r"corrupcao"],
    "counter-terrorism": [r"terroris\w*", r"counter-?terrorism", r"terrorismo", r"antiterror\w*"],
    "cp-rights-general": [r"civil and political rights", r"derechos civiles y politicos",
        r"direitos civis e politicos", r"droits civils et politiques"],
    "death-penalty": [r"death penalty", r"capital punishment", r"death sentences?", r"pena de muerte", r"pena capital",
        r"pena de morte", r"peine de mort", r"peine capitale", r"abolition\w* of the death"],
    "detention": [r"detention", r"detainees?", r"prisons?\b", r"prisoners?", r"prisoes", r"prisao",
        r"places of deprivation of liberty",
        r"detencion", r"detenid[oa]s", r"carceles", r"centros penitenciarios", r"privad[oa]s de (?:la )?libertad",
        r"detencao", r"detid[oa]s", r"presidios", r"prisionais", r"detention arbitraire", r"detenus", r"detained",
        r"sistema prisional", r"sistema penitenciario", r"systeme penitentiaire", r"carceral\w*", r"carcelari\w*",
        r"privad[oa]s de (?:sua )?liberdade", r"penitentiaire", r"penitenciari\w*", r"prison conditions",
        r"conditions de detention"],
    "development": [r"sustainable development", r"right to development", r"development goals",
        r"desarrollo sostenible", r"derecho al desarrollo", r"desenvolvimento sustentavel",
        r"direito ao desenvolvimento", r"developpement durable", r"droit au developpement"],
    "disabilities": [r"disabilit\w*", r"disabled persons", r"discapacidad", r"deficiencia", r"pessoas com deficiencia",
        r"handicap\w*", r"personnes handicapees"],
    "elections": [r"elections?\b", r"electoral", r"elecciones", r"eleicoes", r"eleitora\w*"],
    "enforced-disappearances": [r"disappearances?", r"disappeared persons", r"missing persons", r"desapariciones?",
        r"desaparecid[oa]s", r"desaparic\w*", r"desaparecimentos?", r"desaparicao", r"disparitions? forcees?",
        r"personnes disparues"],
    "environment": [r"ambientales", r"ambientais", r"climat\w*", r"environment(?:al)?\b", r"climate change",
        r"medio ambiente", r"cambio climatico", r"meio ambiente", r"mudanca do clima", r"mudancas climaticas",
        r"environnement", r"changement climatique"],
    "esc-rights-general": [r"economic, social and cultural rights", r"economic and social rights",
        r"derechos economicos, sociales y culturales", r"desca?\b", r"direitos economicos, sociais e culturais",
        r"droits economiques, sociaux et culturels"],
    "extrajudicial-executions": [r"arbitrary executions", r"ejecuciones arbitrarias", r"execucoes sumarias",
        r"executions sommaires", r"killings", r"asesinatos", r"assassinatos", r"extrajudicial\w*", r"extra-judicial",
        r"summary executions?", r"ejecuciones extrajudiciales", r"execucoes extrajudiciais",
        r"executions extrajudiciaires"],
    "freedom-of-association-and-peaceful-assembly": [r"protesters", r"right to protest", r"manifestantes",
        r"manifestations? pacifiques?", r"protesta social", r"freedoms? of (?:peaceful )?assembly",
        r"freedoms? of association", r"right to (?:peaceful )?assembly", r"peaceful assembly",
        r"libertad(?:es)? de (?:reunion|asociacion)", r"derecho de reunion",
        r"liberdade(?:s)? de (?:reuniao|associacao)", r"libertes? de (?:reunion|association)",
        r"libertes? d'association", r"reunion pacifique"],
    "freedom-of-movement": [r"freedom of movement", r"libertad de circulacion", r"libertad de transito",
        r"liberdade de circulacao", r"liberdade de locomocao", r"liberte de circulation"],
    "freedom-of-opinion-and-expression": [r"free speech", r"freedom of information", r"acceso a la informacion",
        r"libertad de expresion", r"freedoms? of (?:opinion and )?expression", r"freedom of opinion",
        r"free expression", r"freedom of speech", r"libertad(?:es)? de (?:opinion y de )?expresion",
        r"libertad de opinion", r"liberdade(?:s)? de (?:opiniao e de )?expressao",
        r"libertes? d'(?:opinion et d')?expression", r"(?:internet|online) freedom", r"freedom online",
        r"libertad en (?:internet|linea)", r"liberdade na internet", r"liberte en ligne"],
    "freedom-of-religion-and-belief": [r"freedoms? of (?:\w+ and )?(?:religion|belief)", r"religious freedoms?",
        r"freedom of religion or belief", r"freedom of conscience", r"libertad(?:es)? (?:de )?religios\w*",
        r"libertad de (?:religion|culto|creencias?)", r"liberdade(?:s)? religios\w*",
        r"liberdade de (?:religiao|crenca|culto)", r"libertes? de religion", r"libertes? religieuses?",
        r"liberte de (?:conviction|croyance|conscience)", r"expression and religion", r"expresion y (?:de )?religion",
        r"expressao e (?:de )?religiao", r"expression et de religion"],
    "freedom-of-the-press": [r"bloggers?", r"media workers", r"blogueros", r"blogueiros", r"journalists?",
        r"press freedom", r"freedom of the press", r"media freedom", r"freedom of the media", r"periodistas?",
        r"libertad de prensa", r"jornalistas?", r"liberdade de imprensa", r"journalistes?", r"liberte de la presse",
        r"comunicadores", r"trabajadores de (?:los medios|la prensa)",
        r"(?:expression|expresion|expressao) (?:et|y|e) (?:de la |de |da )?(?:presse|prensa|imprensa)"],
    "hiv-aids": [r"hiv\b", r"aids\b", r"vih\b", r"sida\b"],
    "human-rights-defenders": [r"social leaders", r"lideres sociales", r"liderazgos sociales",
        r"(?:environmental|land|indigenous|women) (?:human rights )?defenders",
        r"defensor(?:es|as) (?:ambientales|del medio ambiente|de la tierra)", r"defensores ambientais",
        r"defenseurs de l'environnement", r"human rights defenders?", r"defenders of human rights", r"activists?",
        r"defensor(?:es|as)? de (?:los )?derechos humanos", r"personas defensoras", r"activistas",
        r"defensor(?:es|as)? (?:de|dos) direitos humanos", r"ativistas",
        r"defenseur(?:e)?s des droits (?:de l'homme|humains)", r"militants",
        # lawyers who take human rights cases are defenders of them
        r"human rights lawyers?", r"abogad[oa]s (?:de|defensores de) (?:los )?derechos humanos",
        r"advogad[oa]s (?:de|dos) direitos humanos", r"avocat(?:e)?s (?:des|de la defense des) droits de l'homme"],
    "human-rights-education-and-training": [r"human rights education", r"human rights training",
        r"educacion en derechos humanos", r"capacitacion en derechos humanos", r"educacao em direitos humanos",
        r"education aux droits de l'homme"],
    "human-rights-violations-by-state-agents": [r"use of force", r"police practices", r"police brutality",
        r"security forces", r"excessive force", r"uso de la fuerza", r"fuerzas de seguridad", r"uso da forca",
        r"violencia policial", r"recours a la force", r"forces de securite", r"violences policieres"],
    "impunity": [r"impunity", r"prosecut\w*", r"accountability", r"bring(?:ing)? to justice", r"impunidad",
        r"enjuicia\w*", r"rendicion de cuentas", r"impunidade", r"responsabiliza\w*", r"impunite", r"poursuites?"],
    "indigenous-peoples": [r"povos originarios", r"first nations", r"aboriginal", r"indigenous", r"indigenas?",
        r"pueblos originarios", r"povos indigenas", r"peuples autochtones", r"autochtones?"],
    "internally-displaced-persons": [r"internally displaced", r"displaced persons", r"\bidps?\b",
        r"desplazamiento forzado", r"desplazad[oa]s internos?", r"deslocad[oa]s internos?", r"personnes deplacees"],
    "international-humanitarian-law": [r"international humanitarian law", r"derecho internacional humanitario",
        r"direito internacional humanitario", r"droit international humanitaire",
        r"(?<!international )humanitarian law", r"(?<!internacional )derecho humanitario",
        r"(?<!internacional )direito humanitario", r"(?<!international )droit humanitaire"],
    "international-instruments": [r"optional protocol", r"protocolo facultativo", r"protocole facultatif", r"ratif\w*",
        r"international (?:human rights )?obligations", r"international (?:human rights )?standards",
        r"international (?:human rights )?instruments", r"universal declaration of human rights",
        r"obligaciones internacionales", r"instrumentos internacionales", r"obrigacoes internacionais",
        r"obligations internationales", r"instruments internationaux"],
    "justice": [r"rule of law", r"criminal justice", r"justice system", r"judicial system", r"military justice",
        r"judicial independence", r"independence of the judiciary", r"due process", r"fair trials?", r"penal system",
        r"access to justice", r"lawyers", r"judiciary", r"judges\b", r"judicial reform", r"estado de derecho",
        r"sistema de justicia", r"justicia penal", r"justicia militar", r"debido proceso", r"independencia judicial",
        r"acceso a la justicia", r"sistema judicial", r"estado de direito", r"sistema de justica", r"justica criminal",
        r"devido processo", r"acesso a justica", r"etat de droit", r"systeme judiciaire", r"proces equitable",
        r"independance de la justice", r"acces a la justice", r"justice penale", r"avocats"],
    "labour": [r"trabajadores migrantes", r"travailleurs migrants", r"forced labou?r", r"labou?r rights",
        r"workers'? rights", r"trade unions?", r"decent work", r"child labou?r", r"trabajo forzoso",
        r"derechos laborales", r"trabajo infantil", r"sindica\w*", r"trabalho forcado", r"direitos trabalhistas",
        r"trabalho escravo", r"travail force", r"droits des travailleurs", r"droit du travail"],
    "migrants": [r"migrants?", r"migration", r"migratory", r"migrantes?", r"migracion", r"migratori[oa]s?",
        r"migracao", r"migracoes", r"migratoire"],
    "minorities": [r"ethnic (?:groups|communities)", r"minorias? etnicas", r"minorites? ethniques",
        r"minorit(?:y|ies)", r"minorias?", r"minorites?"],
    "national-plan-of-action": [r"plan d'action national", r"plan nacional de accion", r"plano de acao nacional",
        r"national human rights plan", r"plan nacional de derechos humanos", r"national (?:human rights )?action plan",
        r"national plan of action", r"programa nacional de derechos humanos", r"plan nacional de (?:accion|derechos)",
        r"plano nacional de direitos humanos", r"plan national d'action"],
    "nhri": [r"ombudsman", r"ombudsperson", r"defensor(?:ia)? del pueblo", r"provedor(?:ia)? de justica",
        r"mediateur de la republique", r"procurador(?:ia)? de (?:los )?derechos humanos",
        r"commission on human rights of", r"human rights commission of", r"instituto nacional de direitos humanos",
        r"instituicao nacional de direitos humanos", r"comite \w+ des droits de l'homme",
        r"national human rights (?:institution|commission)s?", r"comision nacional de (?:los )?derechos humanos",
        r"institucion(?:es)? nacional(?:es)? de derechos humanos", r"defensoria del pueblo",
        r"institution nationale des droits"],
    "poverty": [r"poverty", r"pobreza", r"pauvrete"],
    "public-security": [r"public security", r"police\b", r"policing", r"law enforcement", r"organi[sz]ed crime",
        r"crimen organizado", r"crime organizado", r"criminalite organisee", r"seguridad publica", r"policia",
        r"seguranca publica", r"securite publique"],
    "racial-discrimination": [r"racial equality", r"igualdad racial", r"igualdade racial", r"egalite raciale",
        r"discriminacion etnica", r"ethnic discrimination", r"racis\w*", r"racial discrimination", r"xenophob\w*",
        r"afro-?descendants?", r"people of african descent", r"discriminacion racial", r"xenofobia", r"racismo",
        r"discriminacao racial", r"discrimination raciale", r"xenophobie", r"racisme"],
    "right-to-education": [r"right to education", r"access to education", r"derecho a la educacion",
        r"direito a educacao", r"droit a l'education"],
    "right-to-food": [r"right to food", r"food security", r"derecho a la alimentacion", r"direito a alimentacao",
        r"droit a l'alimentation"],
    "right-to-health": [r"health services", r"access to health", r"servicios de salud", r"derecho a la salud",
        r"acesso a saude", r"acces aux soins", r"sexual and reproductive", r"salud sexual", r"saude sexual",
        r"sante sexuelle", r"reproductive rights", r"right to health", r"health care", r"healthcare", r"public health",
        r"direito a saude", r"droit a la sante"],
    "right-to-housing": [r"direito a habitacao", r"derecho a una vivienda", r"droit a un logement",
        r"right to housing", r"adequate housing", r"derecho a la vivienda", r"direito a moradia",
        r"droit au logement", r"housing", r"vivienda", r"habitacao", r"moradia", r"logement"],
    "right-to-land": [r"land (?:disputes|grabbing|tenure|conflicts)", r"conflictos agrarios", r"conflitos fundiarios",
        r"litiges fonciers", r"reforma agraria", r"right to land", r"land rights", r"derecho a la tierra",
        r"direito a terra", r"droit a la terre"],
    "right-to-water": [r"right to water", r"water and sanitation", r"derecho al agua", r"direito a agua",
        r"droit a l'eau"],
    "rights-of-the-child": [r"child marriage", r"early marriage", r"matrimonio infantil",
        r"matrimonios? (?:infantiles|precoces)", r"mariages? (?:des enfants|precoces?|force)", r"casamento infantil",
        r"casamentos? (?:prematuros?|precoces?|infantis)", r"uniones? (?:tempranas?|infantiles)",
        r"trabalho infantil", r"travail des enfants", r"adolescents?\b", r"child\b", r"children", r"childhood",
        r"minors\b", r"juvenile", r"ninos?\b", r"ninas?\b", r"ninez", r"infancia", r"adolescentes", r"criancas?",
        r"enfants?\b", r"mineurs", r"menores (?:de edad|no acompanados|migrantes)"],
    "sexual-orientation-and-gender-identity": [r"diversidad sexual", r"diversidade sexual", r"transgender",
        r"intersex\w*", r"personnes trans\b", r"personas trans\b", r"pessoas trans\b", r"lgbt\w*",
        r"sexual orientation", r"gender identity", r"same-sex", r"orientacion sexual", r"identidad de genero",
        r"orientacao sexual", r"identidade de genero", r"orientation sexuelle", r"identite de genre"],
    "special-procedures": [r"special procedures", r"special rapporteurs?", r"procedimientos especiales",
        r"relator(?:a|es)? especial(?:es)?", r"procedimentos especiais", r"procedures speciales",
        r"rapporteur(?:e)?s? speciaux", r"rapporteur(?:e)? special(?:e)?"],
    "technical-assistance-and-cooperation": [r"technical assistance", r"technical cooperation",
        r"capacity[- ]building", r"international cooperation", r"exchanges? of (?:good|best) practices",
        r"asistencia tecnica", r"cooperacion tecnica", r"cooperacion internacional", r"assistencia tecnica",
        r"cooperacao tecnica", r"cooperacao internacional", r"assistance technique", r"cooperation technique",
        r"cooperation internationale"],
    "torture-and-other-cid-treatment": [r"tortur\w*", r"ill-treatment", r"cruel, inhuman", r"malos tratos",
        r"maus-tratos", r"mauvais traitements"],
    "trafficking": [r"trafficking", r"trata de (?:personas|seres humanos)", r"trafico de personas",
        r"trafico de pessoas", r"trata de pessoas", r"traite des (?:etres humains|personnes)"],
    "treaty-bodies": [r"treaty bodies", r"treaty body", r"organos de tratados", r"orgaos de tratados",
        r"organes (?:de|des) traites", r"organes conventionnels"],
    "upr-process": [r"universal periodic review", r"\bupr\b", r"examen periodico universal", r"\bepu\b",
        r"revisao periodica universal", r"examen periodique universel"],
    "womens-rights": [r"sexual violence", r"violences? sexuelles?", r"violencia sexual",
        r"female genital mutilation", r"\bfgm\b", r"mutilaci\w+ genital\w*", r"mutilations? genitales?",
        r"mutilacao genital", r"domestic violence", r"violencia domestica", r"violencia intrafamiliar",
        r"violence domestique", r"violencia contra (?:las )?mujeres", r"feminicidios?", r"women", r"woman's",
        r"gender equality", r"gender-based violence", r"femicides?", r"feminicid\w*", r"mujer(?:es)?",
        r"equidad de genero", r"igualdad de genero", r"violencia de genero", r"mulher(?:es)?", r"igualdade de genero",
        r"femmes?\b", r"egalite (?:entre les femmes et les hommes|des sexes|de genre)", r"violences? sexistes"],
}

# --- International bodies (mechanisms.csv codes) ----------------------------------------------

#: For each mechanisms.csv code, the names a statement may use (regular expressions on the text as
#: written; acronyms are case-sensitive, names are not).
MECHANISM_LEXICON: dict[str, list[str]] = {
    "unga": [r"(?i:general assembly)(?! of the (?i:organi[sz]ation of american states))",
             r"(?i:asamblea general)(?! de la (?i:oea|organizaci[oó]n))", r"(?i:asamblea de las naciones unidas)",
             r"(?i:assembleia geral)(?! da (?i:oea|organiza[cç][aã]o))", r"(?i:assembl[ée]e g[ée]n[ée]rale)",
             r"\bUNGA\b"],
    "un-hrc": [r"(?i:human rights council)", r"(?i:consejo de derechos humanos)", r"(?i:conselho de direitos humanos)",
               r"(?i:conseil des droits de l'homme)", r"\bHRC\b"],
    "ohchr": [r"(?i:high commissioner for human rights)", r"\bOHCHR\b",
         r"(?i:alt[oa] comisionad[oa]\b.{0,40}derechos humanos)",
              r"(?i:alto comissariado\b.{0,40}direitos humanos)", r"(?i:haut[- ]commissa\w+ aux droits de l'homme)",
              r"\bHCDH\b", r"\bACNUDH\b", r"\bOACNUDH\b"],
    "upr": [r"(?i:universal periodic review)", r"\bUPR\b", r"(?i:examen peri[oó]dico universal)", r"\bEPU\b",
            r"(?i:revis[aã]o peri[oó]dica universal)", r"(?i:examen p[ée]riodique universel)", r"\bRPU\b"],
    "special-procedures": [r"(?i:special procedures)", r"(?i:special rapporteurs?)", r"(?i:procedimientos especiales)",
                           r"(?i:relator(?:a|es)? especial)", r"(?i:proc[ée]dures sp[ée]ciales)",
                           r"(?i:rapporteur(?:e)?s? sp[ée]cia)"],
    "unhcr": [r"\bUNHCR\b", r"(?i:un refugee agency)", r"(?i:high commissioner for refugees)", r"\bACNUR\b",
              r"(?i:alto comisionado\b.{0,30}refugiados)", r"\bHCR\b"],
    "ccpr": [r"(?i:human rights committee)", r"(?i:comit[ée] de derechos humanos)",
        r"(?i:comit[êe] de direitos humanos)",
             r"(?i:comit[ée] des droits de l'homme)"],
    "cescr": [r"(?i:committee on economic,? social and cultural rights)", r"\bCESCR\b",
              r"(?i:comit[ée] de derechos econ[oó]micos)", r"(?i:comit[ée] des droits [ée]conomiques)"],
    "cat": [r"(?i:committee against torture)", r"(?i:comit[ée] contra la tortura)", r"(?i:comit[êe] contra a tortura)",
            r"(?i:comit[ée] contre la torture)"],
    "spt": [r"(?i:subcommittee on (?:the )?prevention of torture)",
            r"(?i:subcomit[ée] para la prevenci[oó]n de la tortura)",
            r"(?i:sous-comit[ée] pour la pr[ée]vention de la torture)", r"\bSPT\b",
            r"(?i:subcomit[êe] (?:para a|de) preven[cç][aã]o da tortura)"],
    "ced": [r"(?i:committee on enforced disappearances)",
            r"(?i:convention (?:against|on|for the protection of all persons from) enforced disappearance)",
            r"(?i:convenci[oó]n .{0,60}desapariciones? forzadas?)", r"(?i:convention .{0,60}disparitions? forc[ée]es)",
            r"(?i:conven[çc][ãa]o .{0,60}desaparecimentos? for[çc]ados?)",
            r"(?i:comit[ée] contra la desaparici[oó]n forzada)",
            r"(?i:comit[ée] des disparitions forc[ée]es)", r"(?i:comit[êe] contra desaparecimentos)"],
    "cedaw": [r"\bCEDAW\b", r"(?i:committee on the elimination of discrimination against women)",
              r"(?i:comit[ée] para la eliminaci[oó]n de la discriminaci[oó]n contra la mujer)"],
    "cerd": [r"\bCERD\b", r"(?i:committee on the elimination of racial discrimination)",
             r"(?i:comit[ée] para la eliminaci[oó]n de la discriminaci[oó]n racial)"],
    "crc": [r"(?i:committee on the rights of the child)", r"(?i:comit[ée] de los derechos del ni[ñn]o)",
            r"(?i:comit[ée] des droits de l'enfant)", r"(?i:comit[êe] dos direitos da crian[cç]a)"],
    "cmw": [r"(?i:committee on migrant workers)",
            r"(?i:committee on the protection of the rights of all migrant workers)",
            r"(?i:comit[ée] de (?:protecci[oó]n de los derechos de todos los )?trabajadores migratorios)"],
    "crpd": [r"(?i:committee on the rights of persons with disabilities)",
             r"(?i:comit[ée] sobre los derechos de las personas con discapacidad)"],
    "ilo": [r"(?i:international labou?r organi[sz]ation)", r"\bILO\b", r"\bOIT\b",
            r"(?i:organizaci[oó]n internacional del trabajo)", r"(?i:organiza[cç][aã]o internacional do trabalho)",
            r"(?i:organisation internationale du travail)"],
    "icc": [r"(?i:international criminal court)", r"(?i:corte penal internacional)",
            r"(?i:tribunal penal internacional)",
            r"(?i:cour p[ée]nale internationale)"],
    "oas": [r"(?i:organi[sz]ation of (?:the )?american states)", r"\bOAS\b", r"\bOEA\b",
            r"(?i:organizaci[oó]n de (?:los )?estados americanos)", r"(?i:organiza[cç][aã]o dos estados americanos)",
            r"(?i:organisation des [ée]tats am[ée]ricains)", r"(?i:inter-american system)",
            r"(?i:sistema interamericano)", r"(?i:syst[èe]me interam[ée]ricain)"],
    "iachr": [r"(?i:inter-american commission (?:on|for) human rights)", r"\bIACHR\b", r"\bCIDH\b",
              r"(?i:comisi[oó]n interamericana de derechos humanos)",
              r"(?i:comiss[aã]o interamericana de direitos humanos)",
              r"(?i:commission interam[ée]ricaine des droits de l'homme)"],
    "iacthr": [r"(?i:inter-american court)", r"(?i:corte interamericana)", r"(?i:cour interam[ée]ricaine)",
               r"\bIACtHR\b", r"\bCoIDH\b"],
    "giei": [r"\bGIEI\b", r"(?i:interdisciplinary group of independent experts)",
             r"(?i:grupo interdisciplinario de expertos independientes)"],
    "coe": [r"(?i:council of europe)", r"(?i:consejo de europa)", r"(?i:conselho da europa)",
            r"(?i:conseil de l'europe)"],
    "echr": [r"(?i:european court of human rights)", r"\bECtHR\b", r"(?i:tribunal europeo de derechos humanos)",
             r"(?i:tribunal europeu dos direitos humanos)", r"(?i:cour europ[ée]enne des droits de l'homme)"],
    "eu": [r"(?i:european union)", r"\bEU\b", r"(?i:uni[oó]n europea)", r"(?i:uni[aã]o europeia)",
           r"(?i:union europ[ée]enne)", r"\bUE\b"],
    "osce": [r"\bOSCE\b", r"(?i:organi[sz]ation for security and co-?operation in europe)", r"\bOSCE\b"],
    "au": [r"(?i:african union)", r"(?i:uni[oó]n africana)", r"(?i:uni[aã]o africana)", r"(?i:union africaine)"],
    "achpr": [r"(?i:african commission on human and peoples'? rights)", r"\bACHPR\b",
              r"(?i:comisi[oó]n africana de derechos humanos)", r"(?i:commission africaine des droits de l'homme)"],
    "ogp": [r"(?i:open government partnership)", r"\bOGP\b", r"(?i:alianza para el gobierno abierto)",
            r"(?i:parceria para governo aberto)", r"(?i:partenariat pour un gouvernement ouvert)"],
    "un": [r"(?i:united nations)", r"\bUN\b", r"(?i:naciones unidas)", r"\bONU\b", r"(?i:na[cç][õo]es unidas)",
           r"(?i:nations unies)"],
}

# --- Commitments ------------------------------------------------------------------------------

#: What makes a clause a commitment: the sides agreed, reaffirmed, undertook, committed, or will.
#: The named group `rest` is the commitment's text (folded matching on the original text).
COMMITMENT_TRIGGERS = [
    # English
    r"\b(?:agreed|agree|agrees|concurred|decided|decides|resolved|undertook|undertake|undertakes|pledged|pledge|"
    r"pledges|vowed)\s+"
    r"(?:on\s+|to\s+(?=the\b|their\b|its\b|a\b|an\b)|that\s+|upon\s+)?(?P<rest>.+)",
    r"\b(?:reaffirmed|reaffirm|reiterated|renewed|reconfirmed)\s+(?:that\s+)?(?P<rest>.+)",
    r"\b(?:committed|commit)\s+(?:themselves\s+|itself\s+)?to\s+(?P<rest>.+)",
    r"\b(?:stressed|underlined|underscored|emphasi[sz]ed|expressed|confirmed|highlighted|restated)\s+"
    r"(?P<rest>(?:their|its|his|her)\s+(?:\w+\s+){0,2}commitments?\s+(?:to|towards)\b.+)",
    r"\bwill\s+(?!be\b|have\b|take place\b|also be\b)(?P<rest>(?:also\s+|further\s+)?[a-z]+\b.+)",
    # Spanish
    r"\b(?:acordaron|acordo|convinieron|coincidieron en|decidieron|resolvieron|"
    r"estuvieron de acuerdo(?: en| sobre| con)?)\s+(?:que\s+|en\s+)?(?P<rest>.+)",
    r"\b(?:reafirmaron|reafirmo|reiteraron|reitero|renovaron|refrendaron|ratificaron)\s+(?:que\s+)?(?P<rest>.+)",
    r"\b(?:se comprometieron|se comprometio)\s+a\s+(?P<rest>.+)",
    r"\b(?:enfatizaron|subrayaron|destacaron|expresaron|confirmaron|manifestaron)\s+"
    r"(?P<rest>(?:su|sus)\s+(?:\w+\s+){0,2}compromisos?\s+(?:de|con|a|para)\b.+)",
    # Portuguese
    r"\b(?:acordaram|concordaram(?: em| com| sobre)?|decidiram|resolveram|convieram)\s+(?:que\s+|em\s+)?(?P<rest>.+)",
    r"\b(?:reafirmaram|reafirmou|reiteraram|reiterou|renovaram)\s+(?:que\s+)?(?P<rest>.+)",
    r"\b(?:comprometeram-se|se comprometeram|comprometeu-se)\s+a\s+(?P<rest>.+)",
    r"\b(?:enfatizaram|sublinharam|destacaram|expressaram|confirmaram|ressaltaram)\s+"
    r"(?P<rest>(?:seu|seus|sua|suas|o seu|a sua)\s+(?:\w+\s+){0,2}compromissos?\s+(?:de|com|em|para)\b.+)",
    # French
    r"\b(?:sont convenu(?:e)?s|ont convenu|ont decide|ont resolu|se sont accorde(?:e)?s|sont tombes d'accord)\s+"
    r"(?:que\s+|de\s+|d'|sur\s+)?(?P<rest>.+)",
    r"\b(?:ont reaffirme|a reaffirme|ont reitere|a reitere|ont renouvele)\s+(?:que\s+)?(?P<rest>.+)",
    r"\b(?:se sont engage(?:e)?s|s'est engage(?:e)?)\s+a\s+(?P<rest>.+)",
    r"\b(?:ont souligne|ont exprime|ont confirme|ont insiste sur)\s+"
    r"(?P<rest>(?:leur|leurs|son|sa)\s+(?:\w+\s+){0,2}engagements?\s+(?:a|en faveur|pour)\b.+)",
    # Willingness, offers and present tenses, in the four languages
    r"\b(?:offered|promised|expressed (?:its|their) (?:willingness|readiness|intention|determination)|"
    r"announced (?:its|their) intention)\s+to\s+(?P<rest>.+)",
    r"\blook(?:s|ed)? forward to\s+(?P<rest>\w+ing\b.+)",
    # "confirmed its intention to", "expresó su intención de", "a exprimé son intention d'", "manifestou a intenção de"
    r"\b(?:expressed|confirmed|stated|declared|expreso|expresaron|manifesto|manifestaron|confirmo|confirmaron|"
    r"a exprime|ont exprime|a confirme|ont confirme|a manifeste|ont manifeste|expressou|expressaram|manifestou|"
    r"manifestaram|confirmou|confirmaram)\s+(?:its|their|su|sus|son|sa|leur|a|o|sua|seu|a sua|o seu)\s+"
    r"(?:wish|intention|desire|intencion|deseo|intention|souhait|desir|intencao|desejo)\s+(?:to|de|d'|a|em|para)\s*"
    r"(?P<rest>.+)",
    r"\b(?:accepted|consented) to\s+(?P<rest>(?!the\b|a\b|an\b|all\b)[a-z]+\b.+)",  # "accepted to receive"
    # A side's report of what it would do: "Kazakhstan stated that it would submit its report".
    r"\b(?:stated|said|announced|indicated|informed|explained)\s+(?:\w+\s+)?(?:that\s+)?(?:it|they)\s+would\s+"
    r"(?P<rest>(?!be\b|have\b)[a-z]+\b.+)",
    # ... in a conditional: "a indiqué qu'il présenterait", "anunció que presentaría", "informou que apoiaria"
    r"\b(?:a|ont) (?:indique|annonce|informe|declare|fait savoir|precise)\s+qu'(?:il|elle|ils|elles)\s+"
    r"(?P<rest>(?!serait|seraient|aurait|auraient)[a-z]+(?:rait|raient)\b.+)",
    r"\b(?:indico|indicaron|anuncio|anunciaron|informo|informaron|senalo|senalaron|indicou|indicaram|anunciou|"
    r"anunciaram|informou|informaram)\s+que\s+(?P<rest>(?!seria|serian|habria|haveria|estaria)"
    r"[a-z]+(?:aria|eria|iria|arian|erian|irian|ariam|eriam|iriam)\b.+)",
    r"\b(?:se comprometen|se compromete|acuerdan|deciden|convienen en|aceptaron|acepto|acepta|aceptan|"
    r"asumieron el compromiso de|asumio el compromiso de|ofrecio|ofrecieron|"
    r"(?:manifestaron|expresaron|manifesto|expreso) su (?:disposicion|voluntad|interes) (?:de|a|en|para))\s+"
    r"(?:a\s+|que\s+)?(?P<rest>.+)",
    r"\b(?:se comprometeu|comprometem-se|se comprometem|acordam|decidem|aceitou|aceitaram|ofereceu|ofereceram|"
    r"dispos-se|dispuseram-se|(?:manifestou|manifestaram|expressou|expressaram) (?:a sua |sua )?disposicao "
    r"(?:de|para|em))\s+(?:a\s+|que\s+|em\s+|para\s+)?(?P<rest>.+)",
    r"\b(?:s'engagent|s'engage|conviennent|decident|ont accepte|a accepte|ont pris l'engagement|"
    r"a pris l'engagement|ont offert|a offert|se sont dites? pret(?:e)?s|s'est dite? pret(?:e)?)\s+"
    r"(?:a\s+|de\s+|d')?(?P<rest>.+)",
]
#: Agreements without a named subject: every side made them ("It was agreed", "Se acordó", "Ficou acordado").
IMPERSONAL_COMMITMENTS = [
    r"\bit was (?:also |further )?(?:agreed|decided|resolved)\s+(?:that\s+|to\s+)?(?P<rest>.+)",
    r"\bse (?:acordo|decidio|convino|resolvio)\s+(?:que\s+|en\s+)?(?P<rest>.+)",
    r"\b(?:ficou|foi) (?:tambem )?(?:acordado|decidido|combinado|acertado)\s+(?:que\s+|em\s+)?(?P<rest>.+)",
    r"\bil a ete (?:convenu|decide|entendu)\s+(?:que\s+|de\s+|d')?(?P<rest>.+)",
    # The next round, settled: "The next round will be held in Brussels in 2025", "La próxima reunión se celebrará".
    r"\b(?P<rest>(?:the|la|el|o|a|le) (?:next|proxim[oa]|prochaine?) (?:\w+ ){0,5}?(?:will (?:be held|take place|"
    r"convene)|se (?:celebrara|realizara|llevara a cabo)|sera (?:realizad[oa]|celebrad[oa])|(?:aura lieu|se tiendra)|"
    r"tera lugar|realizar-se-a)\b.+)",
]
#: A future tense in Spanish, Portuguese or French ("México compartirá", "L'UE soutiendra", "O Brasil
#: apresentará"): an undertaking when a side is its subject. Folded, so without the accent.
FUTURE_VERB = re.compile(r"\b(?P<verb>[a-z]{3,}(?:ara|era|ira|aran|eran|iran|arao|erao|irao|eront|iront|dra|dront))"
                         r"\s+(?P<rest>.+)")
#: Futures said with a verb of going or intending: "van a trabajar", "vão realizar", "vont organiser",
#: "intend to", "plan to" (a side must be the subject).
PERIPHRASTIC_FUTURE = re.compile(
    r"\b(?:van a|va a|vao|vai|irao|ira|vont|va|intends? to|plans? to|aims? to|are to|is to|will now|seeks? to)\s+"
    r"(?P<rest>[a-z]+(?:ar|er|ir|re)?\b.+)"
)
NOT_FUTURES = {"primera", "tercera", "manera", "frontera", "carrera", "bandera", "entera", "cualquiera", "espera",
               "afuera", "madera", "quiera", "fuera", "sera", "seront", "mentira", "hacienda", "ahora", "barrera",
               "siquiera", "dira", "mira", "tira", "gira", "ira", "lira", "cera", "pera", "esfera", "atmosfera",
               "cadera", "pradera", "ribera", "lumiere", "frontiere", "carriere", "premiere", "derniere", "maniere",
               "matiere", "priere", "tiera", "chimera", "caldera", "ladera", "cantera", "galera", "ceguera",
               "sendera", "cuadra", "cendra", "prendra", "faudra", "aura", "auront", "fera", "feront", "voudra"}
#: Subjects that stand for all the sides together.
JOINT_SUBJECTS = re.compile(
    r"\b(both|the two|they|the parties|the sides|each side|the delegations|both delegations|the governments|"
    r"ambos|ambas|las partes|los dos|las dos|ambas partes|ambos paises|las delegaciones|"
    r"os dois|as duas|as partes|ambos os|ambas as|as delegacoes|"
    r"les deux|les parties|les delegations|"
    r"ils|elles|ellos|ellas|eles|elas|nosotros|nous|we)\b"
)
#: What a reaffirmation must hold to be an undertaking rather than a principle: a will to act
#: ("their commitment to comply", "su compromiso de cumplir", "that they will"). Folded text.
REAFFIRMED_UNDERTAKING = re.compile(
    r"^(?:(?:their|its|his|her|our|the)\s+(?:\w+\s+){0,2}(?:commitments?|intention|readiness|willingness|"
    r"determination|resolve|pledge|offer|invitation|agreement|decision)\s+(?:to|towards)\s+"
    r"(?!the\b|a\b|an\b|all\b|their\b|its\b|human\b|universal\w*\b|\w+(?:tion|ity|ism|ment|ness|ance|ence|"
    r"ies|ples|rights|law|values|freedoms?)\b)[a-z]+|"
    r"(?:su|sus|seu|seus|sua|suas|o seu|a sua|os seus|leur|leurs|son|sa)\s+(?:\w+\s+){0,2}(?:compromisos?|"
    r"compromissos?|engagements?|intencion|intencao|intention|voluntad|vontade|volonte|disposicion|"
    r"disposicao|determinacion|determinacao|determination|invitacion|convite|invitation)\s+"
    r"(?:de|em|a|para|pour)\s+[a-z]+(?:ar|er|ir|re)\b|"
    r"the (?:need|importance|necessity|urgency) (?:to|of) (?:\w+ing|cooperation|collaboration|coordination|"
    r"dialogue|engagement|joint work)\b|the need to [a-z]+\b|"
    r"(?:la|a) (?:necesidad|necessidade|necessite|importancia|importance) (?:de|d')\s*(?:[a-z]+(?:ar|er|ir|re)\b|"
    r"(?:la|a) (?:cooperacion|cooperacao|cooperation|colaboracion|colaboracao|coordinacion|coordenacao))|"
    r"(?:that|que)\b.*\b(?:will|shall|would|continue|continuaran|seguiran|continuarao|continueront|"
    r"poursuivront|trabajaran|trabalharao|travailleront)\b)"
)
#: Verbs that reaffirm rather than undertake: what follows is a principle unless it holds a will to act.
REAFFIRMING_VERBS = re.compile(
    r"^(?:reaffirm\w*|reiterat\w*|renew\w*|reconfirm\w*|stress\w*|underlin\w*|underscor\w*|emphasi\w*|"
    r"expressed|confirmed|highlighted|restated|reafirm\w*|reiter\w*|renov\w*|refrend\w*|ratificaron|"
    r"enfatiz\w*|subray\w*|destac\w*|expres\w*|confirm\w*|manifest\w*|sublinh\w*|ressalt\w*|"
    r"reaffirme\w*|reitere\w*|renouvele\w*|souligne\w*|exprime\w*|confirme\w*|insiste)$"
)
#: A clause about what a side had done (a recollection), never an undertaking.
RECOLLECTION = re.compile(r"\b(?:had|habia|habian|havia|haviam|avait|avaient|recalled|recordo|recordou|rappele)\b")
#: A side's report of what it will do: "Angola informou que (irá)", "Italy announced that it (will)".
REPORTING_FRAME = re.compile(
    r",?\s*\b(?:informed|announced|said|stated|indicated|explained|informou|anunciou|afirmou|disse|indicou|"
    r"informo|anuncio|indico|afirmo|senalo|dijo|explico|a annonce|a indique|a informe|a declare|a explique)\s+"
    r"(?:(?:the \w+ |los \w+ |a \w+ )?that|que|qu')\s*(?:it|they|ele|ela|eles|elas|il|elle|ils|elles)?\s*$")
#: A will to act said with a reaffirming verb: "expressed its readiness to", "manifestou disposição de".
WILLINGNESS = re.compile(r"\b(?:willingness|readiness|intention|determination|disposicion|voluntad|disposicao|"
                         r"vontade|intencion|intencao|pret(?:e)?s?|disposee?s?|volonte|wish|desire|deseo|souhait|"
                         r"desir|desejo)\b")
#: A year by which a commitment is to be met.
DUE_MARKERS = re.compile(
    r"\b(?:by|in|before|until|no later than|para|en|antes de|hasta|a mas tardar en|ate|em|d'ici(?: a)?|avant|"
    r"au plus tard en)\s+(?:the end of\s+|(?:a\s+)?(?:finales|fines|fin) de\s+|la fin de\s+|l'an\s+|"
    r"o final de\s+|(?:o\s+)?fim de\s+|el ano\s+|o ano de\s+)?(?P<year>(?:19|20)\d\d)\b"
)

# --- People: demonyms and places --------------------------------------------------------------

#: Demonyms (English; Spanish, Portuguese and French stems inflect below) by country code.
DEMONYMS: dict[str, list[str]] = {
    "MX": ["Mexican", "mexicano", "mexicain"], "US": ["American", "U.S.", "estadounidense", "norteamericano",
                                                      "estadunidense", "norte-americano", "americain", "etats-unien"],
    "CH": ["Swiss", "suizo", "suico", "suisse"], "CN": ["Chinese", "chino", "chines", "chinois"],
    "GB": ["British", "UK", "britanico", "britannique"],
    "EU": ["European", "EU", "europeo", "europeu", "europeia", "europeias", "europeus", "europeen"],
    "BR": ["Brazilian", "brasileno", "brasileiro", "bresilien"], "FR": ["French", "frances", "francais"],
    "DE": ["German", "aleman", "alemao", "allemand"], "ES": ["Spanish", "espanol", "espanhol", "espagnol"],
    "PT": ["Portuguese", "portugues", "portugais"], "IT": ["Italian", "italiano", "italien"],
    "NL": ["Dutch", "neerlandes", "holandes", "neerlandais"], "BE": ["Belgian", "belga", "belge"],
    "NO": ["Norwegian", "noruego", "noruegues", "norvegien"], "SE": ["Swedish", "sueco", "suedois"],
    "DK": ["Danish", "danes", "dinamarques", "danois"], "FI": ["Finnish", "finlandes", "finlandais"],
    "CA": ["Canadian", "canadiense", "canadense", "canadien"], "AU": ["Australian", "australiano", "australien"],
    "NZ": ["New Zealand", "neozelandes", "neo-zelandes", "neo-zelandais"], "JP": ["Japanese", "japones", "japonais"],
    "KR": ["Korean", "South Korean", "coreano", "sul-coreano", "coreen", "sud-coreen"],
    "IN": ["Indian", "indio", "indiano", "indien"], "RU": ["Russian", "ruso", "russo", "russe"],
    "TR": ["Turkish", "turco", "turc"], "CU": ["Cuban", "cubano", "cubain"],
    "CO": ["Colombian", "colombiano", "colombien"], "AR": ["Argentine", "Argentinian", "argentino", "argentin"],
    "CL": ["Chilean", "chileno", "chilien"], "PE": ["Peruvian", "peruano", "peruvien"],
    "VE": ["Venezuelan", "venezolano", "venezuelano", "venezuelien"], "EC": ["Ecuadorian", "ecuatoriano",
                                                                          "equatoriano", "equatorien"],
    "BO": ["Bolivian", "boliviano", "bolivien"], "PY": ["Paraguayan", "paraguayo", "paraguaio", "paraguayen"],
    "UY": ["Uruguayan", "uruguayo", "uruguaio", "uruguayen"], "GT": ["Guatemalan", "guatemalteco", "guatemalteque"],
    "HN": ["Honduran", "hondureno", "hondurenho", "hondurien"], "SV": ["Salvadoran", "salvadoreno", "salvadorenho",
                                                                   "salvadorien"],
    "NI": ["Nicaraguan", "nicaraguense", "nicaraguayen"], "CR": ["Costa Rican", "costarricense", "costa-riquenho",
                                                                 "costaricien"],
    "PA": ["Panamanian", "panameno", "panamenho", "panameen"], "DO": ["Dominican", "dominicano", "dominicain"],
    "HT": ["Haitian", "haitiano", "haitien"], "VN": ["Vietnamese", "vietnamita", "vietnamien"],
    "ID": ["Indonesian", "indonesio", "indonesio", "indonesien"], "TH": ["Thai", "tailandes", "thailandais"],
    "MY": ["Malaysian", "malasio", "malaio", "malaisien"], "PH": ["Philippine", "Filipino", "filipino", "philippin"],
    "EG": ["Egyptian", "egipcio", "egipcio", "egyptien"], "MA": ["Moroccan", "marroqui", "marroquino", "marocain"],
    "DZ": ["Algerian", "argelino", "algerien"], "TN": ["Tunisian", "tunecino", "tunisiano", "tunisien"],
    "NG": ["Nigerian", "nigeriano", "nigerian"], "ZA": ["South African", "sudafricano", "sul-africano", "sud-africain"],
    "KE": ["Kenyan", "keniano", "queniano", "kenyan"], "ET": ["Ethiopian", "etiope", "ethiopien"],
    "IR": ["Iranian", "irani", "iraniano", "iranien"], "IQ": ["Iraqi", "iraqui", "iraquiano", "irakien"],
    "SA": ["Saudi", "saudi", "saudita", "saoudien"], "AE": ["Emirati", "emirati", "emiradense", "emirien"],
    "IL": ["Israeli", "israeli", "israelense", "israelien"], "PS": ["Palestinian", "palestino", "palestiniano",
                                                                   "palestinien"],
    "PK": ["Pakistani", "pakistani", "paquistanes", "pakistanais"], "AF": ["Afghan", "afgano", "afegao", "afghan"],
    "BD": ["Bangladeshi", "bangladesi", "bangladesh"], "KZ": ["Kazakh", "kazajo", "cazaque", "kazakh"],
    "UA": ["Ukrainian", "ucraniano", "ukrainien"], "PL": ["Polish", "polaco", "polones", "polonais"],
    "CZ": ["Czech", "checo", "tcheco", "tcheque"], "HU": ["Hungarian", "hungaro", "hongrois"],
    "RO": ["Romanian", "rumano", "romeno", "roumain"], "GR": ["Greek", "griego", "grego", "grec"],
    "AT": ["Austrian", "austriaco", "autrichien"], "IE": ["Irish", "irlandes", "irlandais"],
    "AO": ["Angolan", "angoleno", "angolano", "angolais"], "MZ": ["Mozambican", "mozambiqueno", "mocambicano",
                                                                 "mozambicain"],
    "CV": ["Cape Verdean", "caboverdiano", "cabo-verdiano", "capverdien"], "SN": ["Senegalese", "senegales",
                                                                               "senegalais"],
    "CI": ["Ivorian", "marfileno", "marfinense", "ivoirien"], "GH": ["Ghanaian", "ghanes", "ganes", "ghaneen"],
    "CM": ["Cameroonian", "camerunes", "camaronense", "camerounais"], "SD": ["Sudanese", "sudanes", "soudanais"],
    "LB": ["Lebanese", "libanes", "libanais"], "SY": ["Syrian", "sirio", "syrien"],
    "JO": ["Jordanian", "jordano", "jordanien"], "QA": ["Qatari", "catari", "qatarien"],
    "MM": ["Burmese", "birmano", "birmanes", "birman"], "KH": ["Cambodian", "camboyano", "cambojano", "cambodgien"],
    "LA": ["Lao", "Laotian", "laosiano", "laociano", "laotien"], "MN": ["Mongolian", "mongol", "mongol"],
    "LK": ["Sri Lankan", "esrilanques", "cingales", "srilankais"], "NP": ["Nepalese", "nepales", "nepalais"],
    "BY": ["Belarusian", "bielorruso", "bielorrusso", "bielorusse"], "GE": ["Georgian", "georgiano", "georgien"],
    "AM": ["Armenian", "armenio", "armenio", "armenien"], "AZ": ["Azerbaijani", "azerbaiyano", "azerbaijano",
                                                               "azerbaidjanais"],
    "RS": ["Serbian", "serbio", "servio", "serbe"], "HR": ["Croatian", "croata", "croate"],
    "AL": ["Albanian", "albanes", "albanais"], "SK": ["Slovak", "eslovaco", "slovaque"],
    "SI": ["Slovenian", "esloveno", "slovene"], "BG": ["Bulgarian", "bulgaro", "bulgare"],
    "EE": ["Estonian", "estonio", "estoniano", "estonien"], "LV": ["Latvian", "leton", "letao", "letton"],
    "LT": ["Lithuanian", "lituano", "lituanien"], "LU": ["Luxembourgish", "luxemburgues", "luxembourgeois"],
    "MT": ["Maltese", "maltes", "maltais"], "CY": ["Cypriot", "chipriota", "cipriota", "chypriote"],
    "IS": ["Icelandic", "islandes", "islandais"], "UZ": ["Uzbek", "uzbeko", "uzbeque", "ouzbek"],
    "KP": ["North Korean", "norcoreano", "norte-coreano", "nord-coreen"], "TW": ["Taiwanese", "taiwanes", "taiwanais"],
    "SG": ["Singaporean", "singapurense", "singapourien"], "TL": ["Timorese", "timorense", "timorais"],
    "MG": ["Malagasy", "malgache", "malgaxe"], "MW": ["Malawian", "malaui", "malawien"],
    "UG": ["Ugandan", "ugandes", "ougandais"], "ZM": ["Zambian", "zambiano", "zambien"],
    "ZW": ["Zimbabwean", "zimbabuense", "zimbabween"], "TZ": ["Tanzanian", "tanzano", "tanzaniano", "tanzanien"],
    "RW": ["Rwandan", "ruandes", "rwandais"], "BI": ["Burundian", "burundes", "burundiano", "burundais"],
    "SS": ["South Sudanese", "sursudanes", "sul-sudanes", "sud-soudanais"],
    "LR": ["Liberian", "liberiano", "liberien"], "SL": ["Sierra Leonean", "sierraleones", "sierra-leonino",
                                                        "sierra-leonais"],
    "GM": ["Gambian", "gambiano", "gambien"], "ER": ["Eritrean", "eritreo", "eritreu", "erythreen"],
    "DJ": ["Djiboutian", "yibutiano", "djibutiano", "djiboutien"],
    "CF": ["Central African", "centroafricano", "centro-africano", "centrafricain"],
    "SR": ["Surinamese", "surinames", "surinamien"], "BZ": ["Belizean", "beliceno", "belizenho", "belizien"],
    "MR": ["Mauritanian", "mauritano", "mauritanien"],
    "ML": ["Malian", "maliense", "malien"], "NE": ["Nigerien", "nigerino", "nigerien"],
    "BF": ["Burkinabe", "burkines", "burkinabe"], "TD": ["Chadian", "chadiano", "tchadien"],
    "GN": ["Guinean", "guineano", "guineen"], "BJ": ["Beninese", "benines", "beninois"],
    "TG": ["Togolese", "togoles", "togolais"], "NA": ["Namibian", "namibio", "namibiano", "namibien"],
    "BW": ["Botswanan", "botsuano", "botswanais"], "LY": ["Libyan", "libio", "libyen"],
    "SO": ["Somali", "somali", "somalien"], "CD": ["Congolese", "congoleno", "congolais"],
    "GA": ["Gabonese", "gabones", "gabonais"], "GW": ["Bissau-Guinean", "guineense"],
    "ST": ["Santomean", "santotomense", "sao-tomense"], "MU": ["Mauritian", "mauriciano", "mauricien"],
    "KG": ["Kyrgyz", "kirguis", "quirguiz", "kirghize"], "TJ": ["Tajik", "tayiko", "tajique", "tadjik"],
    "TM": ["Turkmen", "turkmeno", "turcomeno", "turkmene"], "MD": ["Moldovan", "moldavo", "moldave"],
    "ME": ["Montenegrin", "montenegrino", "montenegrin"], "MK": ["Macedonian", "macedonio", "macedonien"],
    "BA": ["Bosnian", "bosnio", "bosnio", "bosnien"], "YE": ["Yemeni", "yemeni", "iemenita", "yemenite"],
    "OM": ["Omani", "omani", "omanita", "omanais"], "KW": ["Kuwaiti", "kuwaiti", "kuwaitiano", "koweitien"],
    "BH": ["Bahraini", "bareini", "barenita", "bahreini"], "JM": ["Jamaican", "jamaicano", "jamaicain"],
    "TT": ["Trinidadian", "trinitense", "trinidadien"], "GY": ["Guyanese", "guyanes", "guianense", "guyanien"],
    "BT": ["Bhutanese", "butanes", "bhoutanais"], "MV": ["Maldivian", "maldivo", "maldivien"],
    "BN": ["Bruneian", "bruneano", "brunei"], "FJ": ["Fijian", "fiyiano", "fijiano", "fidjien"],
    "PG": ["Papua New Guinean", "papu", "papouan"],
    "GQ": ["Equatoguinean", "ecuatoguineano", "equato-guineense", "equato-guineen"],
}


def inflect(word: str) -> set[str]:
    """A demonym's gender and number forms in Spanish, Portuguese and French (folded stems)."""
    forms = {word}
    if word.endswith("ao"):  # alemao, alema, alemaes (Portuguese)
        forms |= {word[:-2] + "a", word[:-2] + "aes", word[:-2] + "as", word + "s"}
    elif word.endswith("o"):
        forms |= {word[:-1] + "a", word + "s", word[:-1] + "as"}
    elif word.endswith("es") and not word.endswith("ses"):  # frances, japones, portugues
        forms |= {word + "a", word + "as", word[:-2] + "eses", word + "es"}
    elif word.endswith("ense") or word.endswith("ista") or word.endswith("ita") or word.endswith("ota"):
        forms |= {word + "s"}
    elif word.endswith("ol"):  # espanol
        forms |= {word + "a", word + "es", word + "as"}
    elif word.endswith("an") and word[:1].islower():  # aleman
        forms |= {word + "a", word + "es", word + "as"}
    elif word.endswith("ain") or word.endswith("ais") or word.endswith("ois") or word.endswith("and"):
        forms |= {word + "e", word + "s", word + "es"}
    elif word.endswith("ien") or word.endswith("een"):
        forms |= {word + "ne", word + "s", word + "nes"}
    elif word.endswith("e"):
        forms |= {word + "s"}
    return forms


#: Cities where dialogues meet: the English name, its other spellings, and the country.
CITIES: list[tuple[str, str, list[str]]] = [
    ("Mexico City", "MX", ["Ciudad de Mexico", "Ciudad de México", "Cidade do México", "México D.F.", "CDMX"]),
    ("Washington, D.C.", "US", ["Washington", "Washington DC", "Washington, DC", "Washington D.C."]),
    ("New York", "US", ["Nueva York", "Nova Iorque", "Nova York", "New York City"]),
    ("Brussels", "BE", ["Bruxelles", "Bruselas", "Bruxelas", "Brussel"]),
    ("Geneva", "CH", ["Genève", "Ginebra", "Genebra", "Genf"]), ("Bern", "CH", ["Berne", "Berna"]),
    ("Beijing", "CN", ["Pekín", "Pequim", "Pékin", "Peking"]), ("Shanghai", "CN", ["Xangai", "Shangai"]),
    ("London", "GB", ["Londres"]), ("Paris", "FR", ["París"]), ("Strasbourg", "FR", ["Estrasburgo"]),
    ("Berlin", "DE", ["Berlín", "Berlim"]), ("Madrid", "ES", ["Madri"]), ("Lisbon", "PT", ["Lisboa", "Lisbonne"]),
    ("Rome", "IT", ["Roma"]), ("The Hague", "NL", ["La Haya", "Haia", "La Haye", "Den Haag"]),
    ("Amsterdam", "NL", ["Ámsterdam", "Amesterdão"]), ("Vienna", "AT", ["Viena", "Vienne", "Wien"]),
    ("Oslo", "NO", []), ("Stockholm", "SE", ["Estocolmo"]), ("Copenhagen", "DK", ["Copenhague", "Copenhaga"]),
    ("Helsinki", "FI", []), ("Dublin", "IE", ["Dublín"]), ("Luxembourg", "LU", ["Luxemburgo"]),
    ("Warsaw", "PL", ["Varsovia", "Varsóvia", "Varsovie"]), ("Prague", "CZ", ["Praga"]),
    ("Budapest", "HU", ["Budapeste"]), ("Athens", "GR", ["Atenas", "Athènes"]),
    ("Moscow", "RU", ["Moscú", "Moscou", "Moscovo"]), ("Kyiv", "UA", ["Kiev", "Kiiv", "Kyiv"]),
    ("Ankara", "TR", ["Ancara"]), ("Istanbul", "TR", ["Estambul", "Istambul"]),
    ("Ottawa", "CA", []), ("Toronto", "CA", []), ("Montreal", "CA", ["Montréal"]),
    ("Canberra", "AU", []), ("Sydney", "AU", ["Sídney"]), ("Wellington", "NZ", []),
    ("Tokyo", "JP", ["Tokio", "Tóquio"]), ("Seoul", "KR", ["Seúl", "Seul", "Séoul"]),
    ("New Delhi", "IN", ["Nueva Delhi", "Nova Délhi", "New Delhi", "Delhi", "Nouvelle-Delhi", "Nova Deli"]),
    ("Brasília", "BR", ["Brasilia", "Brasília"]), ("São Paulo", "BR", ["Sao Paulo", "San Pablo"]),
    ("Rio de Janeiro", "BR", ["Río de Janeiro"]), ("Buenos Aires", "AR", []), ("Santiago", "CL", ["Santiago de Chile"]),
    ("Lima", "PE", []), ("Bogotá", "CO", ["Bogota"]), ("Quito", "EC", []), ("La Paz", "BO", []),
    ("Asunción", "PY", ["Asuncion", "Assunção"]), ("Montevideo", "UY", ["Montevidéu"]),
    ("Caracas", "VE", []), ("Havana", "CU", ["La Habana", "Havana", "La Havane", "Havane"]),
    ("Guatemala City", "GT", ["Ciudad de Guatemala", "Cidade da Guatemala"]), ("Tegucigalpa", "HN", []),
    ("San Salvador", "SV", []), ("Managua", "NI", []), ("San José", "CR", ["San Jose"]),
    ("Panama City", "PA", ["Ciudad de Panamá", "Cidade do Panamá"]),
    ("Santo Domingo", "DO", ["Saint-Domingue", "São Domingos"]),
    ("Port-au-Prince", "HT", ["Puerto Príncipe"]), ("Kingston", "JM", []),
    ("Hanoi", "VN", ["Hanói", "Hanoï"]), ("Jakarta", "ID", ["Yakarta", "Jacarta", "Djakarta"]),
    ("Bangkok", "TH", ["Banguecoque"]),
    ("Kuala Lumpur", "MY", []), ("Manila", "PH", ["Manille"]),
    ("Singapore", "SG", ["Singapur", "Singapura", "Singapour"]),
    ("Cairo", "EG", ["El Cairo", "Le Caire", "Caire", "Cairo"]), ("Rabat", "MA", []),
    ("Algiers", "DZ", ["Argel", "Alger"]),
    ("Tunis", "TN", ["Túnez", "Túnis"]), ("Abuja", "NG", []), ("Pretoria", "ZA", ["Pretória"]),
    ("Nairobi", "KE", ["Nairóbi"]),
    ("Addis Ababa", "ET", ["Adís Abeba", "Adis Abeba", "Addis-Abeba"]),
    ("Tehran", "IR", ["Teherán", "Teerã", "Téhéran", "Teerão"]),
    ("Riyadh", "SA", ["Riad", "Riade", "Riyad"]), ("Abu Dhabi", "AE", ["Abu Dabi"]), ("Doha", "QA", []),
    ("Islamabad", "PK", ["Islamabade"]), ("Dhaka", "BD", ["Daca", "Dacca"]), ("Kabul", "AF", ["Cabul", "Kaboul"]),
    ("Astana", "KZ", ["Nur-Sultan", "Nursultán", "Nour-Soultan"]),
    ("Tashkent", "UZ", ["Taskent", "Tachkent", "Tasquente"]),
    ("Naypyidaw", "MM", ["Nay Pyi Taw", "Naypyitaw", "Nay Pyi Daw"]), ("Yangon", "MM", ["Rangoon", "Rangún"]),
    ("Ulaanbaatar", "MN", ["Ulán Bator", "Oulan-Bator"]),
    ("Hong Kong", "HK", []), ("Luanda", "AO", []), ("Maputo", "MZ", []), ("Praia", "CV", []), ("Dakar", "SN", []),
    ("Accra", "GH", []), ("Yaoundé", "CM", ["Yaounde", "Iaundé"]), ("Kinshasa", "CD", ["Kinsasa", "Quinxassa"]),
    ("Khartoum", "SD", ["Jartum", "Cartum"]),
    ("Beirut", "LB", ["Beirute", "Beyrouth"]), ("Amman", "JO", ["Amán", "Amã"]),
    ("Jerusalem", "IL", ["Jerusalén", "Jérusalem", "Jerusalém"]),
    ("Tel Aviv", "IL", []), ("Minsk", "BY", []), ("Tbilisi", "GE", ["Tiflis", "Tbilissi"]),
    ("Yerevan", "AM", ["Ereván", "Erevan", "Erevã"]),
    ("Baku", "AZ", ["Bakú", "Bakou", "Bacu"]), ("Belgrade", "RS", ["Belgrado"]), ("Zagreb", "HR", []),
    ("Tirana", "AL", []),
    ("Bratislava", "SK", []), ("Ljubljana", "SI", ["Liubliana"]), ("Sofia", "BG", ["Sofía"]),
    ("Bucharest", "RO", ["Bucarest", "Bucareste"]),
    ("Tallinn", "EE", []), ("Riga", "LV", []), ("Vilnius", "LT", []), ("Valletta", "MT", ["La Valeta", "La Valette"]),
    ("Nicosia", "CY", ["Nicosie"]), ("Reykjavik", "IS", []), ("Guadalajara", "MX", []), ("Monterrey", "MX", []),
    ("Tijuana", "MX", []), ("Los Angeles", "US", ["Los Ángeles"]), ("Chicago", "US", []), ("Miami", "US", []),
    ("San Francisco", "US", []), ("Edinburgh", "GB", ["Edimburgo", "Édimbourg"]), ("Barcelona", "ES", []),
    ("Frankfurt", "DE", ["Fráncfort"]), ("Bonn", "DE", []), ("Milan", "IT", ["Milán", "Milão"]),
    ("Naypyidaw", "MM", []), ("Phnom Penh", "KH", []), ("Vientiane", "LA", []), ("Colombo", "LK", []),
    ("Kathmandu", "NP", ["Katmandú", "Katmandou", "Katmandu"]), ("Taipei", "TW", []), ("Dili", "TL", ["Díli"]),
    # More capitals and large cities where governments meet
    ("Abidjan", "CI", ["Abiyán", "Abidjã"]), ("Yamoussoukro", "CI", []), ("Douala", "CM", []), ("Goma", "CD", []),
    ("Lubumbashi", "CD", []), ("Mombasa", "KE", []), ("Arusha", "TZ", []), ("Zanzibar", "TZ", []),
    ("Benghazi", "LY", ["Bengasi"]), ("Oran", "DZ", ["Orán"]), ("Tangier", "MA", ["Tanger", "Tânger"]),
    ("Fez", "MA", ["Fès", "Fes"]), ("Sfax", "TN", []), ("Aden", "YE", ["Adén"]), ("Erbil", "IQ", []),
    ("Jeddah", "SA", ["Yeda", "Djeddah", "Jidá"]), ("Dubai", "AE", ["Dubái", "Dubaï"]), ("Almaty", "KZ", ["Almatý"]),
    ("Samarkand", "UZ", ["Samarcanda", "Samarcande"]), ("Lahore", "PK", []), ("Chittagong", "BD", []),
    ("Chiang Mai", "TH", []), ("Da Nang", "VN", []), ("Cebu", "PH", []), ("Davao", "PH", []),
    ("Surabaya", "ID", []), ("Denpasar", "ID", []), ("Mandalay", "MM", []), ("Siem Reap", "KH", []),
    ("Busan", "KR", []), ("Kyoto", "JP", ["Kioto", "Quioto"]), ("Auckland", "NZ", []), ("Melbourne", "AU", []),
    ("Perth", "AU", []), ("Brisbane", "AU", []), ("Calgary", "CA", []), ("Medellín", "CO", ["Medellin"]),
    ("Cali", "CO", []), ("Cartagena", "CO", ["Cartagena de Indias"]), ("Guayaquil", "EC", []),
    ("Cusco", "PE", ["Cuzco"]),
    ("Valparaíso", "CL", ["Valparaiso"]), ("Rosario", "AR", []), ("Mendoza", "AR", []),
    ("Porto Alegre", "BR", []), ("Recife", "BR", []), ("Belo Horizonte", "BR", []), ("Manaus", "BR", []),
    ("Belém", "BR", []), ("Fortaleza", "BR", []), ("Curitiba", "BR", []), ("Santa Cruz de la Sierra", "BO", []),
    ("Sucre", "BO", []), ("Puebla", "MX", []), ("Oaxaca", "MX", []), ("Cancún", "MX", ["Cancun"]),
    ("Mérida", "MX", []), ("Tapachula", "MX", []), ("Ciudad Juárez", "MX", []), ("San Pedro Sula", "HN", []),
    ("Lyon", "FR", ["Lyón", "Lião"]), ("Marseille", "FR", ["Marsella", "Marselha"]), ("Bordeaux", "FR", ["Burdeos"]),
    ("Munich", "DE", ["Múnich", "Munique", "München"]), ("Hamburg", "DE", ["Hamburgo", "Hambourg"]),
    ("Florence", "IT", ["Florencia", "Florença", "Firenze"]), ("Naples", "IT", ["Nápoles", "Napoli"]),
    ("Turin", "IT", ["Turín", "Turim", "Torino"]), ("Seville", "ES", ["Sevilla", "Sevilha", "Séville"]),
    ("Valencia", "ES", ["Valence", "Valência"]), ("Porto", "PT", ["Oporto"]), ("Coimbra", "PT", []),
    ("Antwerp", "BE", ["Amberes", "Antuérpia", "Anvers"]), ("Rotterdam", "NL", ["Róterdam", "Roterdão"]),
    ("Zurich", "CH", ["Zúrich", "Zurique", "Zürich"]), ("Lausanne", "CH", ["Lausana"]),
    ("Basel", "CH", ["Bâle", "Basilea"]),
    ("Gothenburg", "SE", ["Gotemburgo", "Göteborg"]), ("Krakow", "PL", ["Cracovia", "Cracóvia", "Cracovie", "Kraków"]),
    ("Manchester", "GB", []), ("Saint Petersburg", "RU", ["San Petersburgo", "São Petersburgo", "Saint-Pétersbourg"]),
    ("Odesa", "UA", ["Odessa"]), ("Lviv", "UA", ["Leópolis", "Lvov"]), ("Thessaloniki", "GR", ["Tesalónica"]),
    ("Izmir", "TR", ["Esmirna"]),
    ("Kampala", "UG", []), ("Lilongwe", "MW", []), ("Lusaka", "ZM", []), ("Harare", "ZW", []),
    ("Windhoek", "NA", []), ("Gaborone", "BW", []), ("Maseru", "LS", []), ("Antananarivo", "MG", ["Tananarive"]),
    ("Port Louis", "MU", []), ("Dar es Salaam", "TZ", []), ("Dodoma", "TZ", []), ("Kigali", "RW", []),
    ("Bujumbura", "BI", []), ("Juba", "SS", []), ("Mogadishu", "SO", ["Mogadiscio"]), ("Asmara", "ER", []),
    ("Tripoli", "LY", ["Trípoli"]), ("Nouakchott", "MR", []), ("Bamako", "ML", []), ("Ouagadougou", "BF", []),
    ("Niamey", "NE", []), ("N'Djamena", "TD", ["Ndjamena", "N’Djamena"]), ("Lagos", "NG", []), ("Lomé", "TG", ["Lome"]),
    ("Cotonou", "BJ", []), ("Porto-Novo", "BJ", []), ("Monrovia", "LR", []), ("Freetown", "SL", []),
    ("Conakry", "GN", []), ("Bissau", "GW", []), ("Banjul", "GM", []), ("Libreville", "GA", []), ("Malabo", "GQ", []),
    ("Brazzaville", "CG", []), ("Bangui", "CF", []), ("São Tomé", "ST", ["Sao Tome", "São Tomé"]),
    ("Bishkek", "KG", ["Biskek", "Bichkek", "Bisqueque"]), ("Dushanbe", "TJ", ["Duchanbé", "Douchanbé", "Duchambé"]),
    ("Ashgabat", "TM", ["Achgabat", "Achkhabad", "Asgabate"]),
    ("Thimphu", "BT", []), ("Malé", "MV", []), ("Bandar Seri Begawan", "BN", []), ("Port Moresby", "PG", []),
    ("Suva", "FJ", []), ("Baghdad", "IQ", ["Bagdad", "Bagdá", "Bagdade"]), ("Damascus", "SY", ["Damasco", "Damas"]),
    ("Sanaa", "YE", ["Sana'a", "Saná"]), ("Muscat", "OM", ["Mascate"]), ("Kuwait City", "KW", []),
    ("Manama", "BH", []), ("Chisinau", "MD", ["Chișinău", "Kishinev"]), ("Podgorica", "ME", []),
    ("Skopje", "MK", ["Skopie"]), ("Sarajevo", "BA", []), ("Port of Spain", "TT", ["Puerto España"]),
    ("Bridgetown", "BB", []), ("Nassau", "BS", []), ("Belmopan", "BZ", []), ("Paramaribo", "SR", []),
    ("Cardiff", "GB", []), ("Glasgow", "GB", []), ("Belfast", "GB", []), ("Quebec City", "CA", ["Ville de Québec"]),
    ("Salvador", "BR", ["Salvador da Bahia", "Salvador de Bahia"]),
    ("Vancouver", "CA", []), ("Johannesburg", "ZA", ["Johannesburgo", "Joanesburgo"]),
    ("Cape Town", "ZA", ["Ciudad del Cabo", "Le Cap", "Cidade do Cabo"]),
    ("Casablanca", "MA", []), ("Marrakesh", "MA", ["Marrakech", "Marraquech"]), ("Alexandria", "EG", ["Alexandrie"]),
    ("Mumbai", "IN", ["Bombay"]), ("Karachi", "PK", []), ("Ho Chi Minh City", "VN", []), ("Osaka", "JP", []),
    ("Recife", "BR", []), ("Porto Alegre", "BR", []), ("Belo Horizonte", "BR", []), ("Porto", "PT", ["Oporto"]),
    ("Guayaquil", "EC", []), ("Medellín", "CO", ["Medellin"]), ("Cartagena", "CO", ["Cartagena de Indias"]),
    ("Valparaíso", "CL", ["Valparaiso"]), ("Puebla", "MX", []), ("Oaxaca", "MX", []), ("Mérida", "MX", ["Merida"]),
    ("Lyon", "FR", []), ("Marseille", "FR", ["Marsella", "Marselha"]), ("Munich", "DE", ["München", "Múnich"]),
    ("Hamburg", "DE", ["Hamburgo", "Hambourg"]), ("Zurich", "CH", ["Zürich", "Zúrich"]), ("Basel", "CH", ["Bâle"]),
    ("Lausanne", "CH", ["Lausana"]), ("Rotterdam", "NL", []), ("Seville", "ES", ["Sevilla", "Séville"]),
    ("Valencia", "ES", []), ("Bilbao", "ES", []), ("Naples", "IT", ["Nápoles", "Napoli"]), ("Florence", "IT", []),
]

#: Governments within a state that hold dialogues of their own, and their demonyms: a side is
#: its country ("Wales and Uganda" are GB and UG).
REGIONS: dict[str, list[str]] = {
    "GB": ["Scotland", "Escocia", "Escócia", "Écosse", "Wales", "Gales", "País de Gales", "Pays de Galles",
           "Northern Ireland"],
    "CA": ["Quebec", "Québec", "Ontario", "Alberta", "British Columbia"],
    "BE": ["Wallonia", "Wallonie", "Valonia", "Valônia", "Flanders", "Flandre", "Flandes", "Wallonie-Bruxelles",
           "Wallonia-Brussels", "Fédération Wallonie-Bruxelles"],
    "ES": ["Catalonia", "Cataluña", "Catalunya", "Catalogne", "Basque Country", "País Vasco", "Pays basque",
           "Euskadi", "Andalusia", "Andalucía"],
    "BR": ["Bahia", "Bahía", "Minas Gerais", "Pernambuco", "Rio Grande do Sul"],
    "DE": ["Bavaria", "Bayern", "Baviera", "Bavière", "North Rhine-Westphalia", "Baden-Württemberg"],
}
REGION_DEMONYMS: dict[str, list[str]] = {
    "GB": ["Scottish", "Welsh", "escoces", "ecossais", "gales", "gallois"],
    "CA": ["Quebecois", "Québécois", "Québécoise", "quebequense", "quebecois"],
    "BE": ["Walloon", "Flemish", "wallon", "valon", "flamand", "flamenco"],
    "ES": ["Catalan", "Basque", "catalan", "vasco", "basque"],
    "BR": ["baiano", "Bahian"],
}

#: Words before a venue: "in Brussels", "en Bruselas", "em Brasília", "à Genève".
VENUE_PREPOSITIONS = {"in", "at", "en", "em", "a", "à", "na", "no", "in the city of"}
ONLINE_WORDS = re.compile(r"\b(videoconferenc\w*|video conference|virtual(?:ly|mente)?|virtuel(?:le)?|online|en linea|"
                          r"en ligne|visioconferenc\w*|por videoconferencia|remotely|video ?link|videollamada|"
                          r"videochamada|teleconferenc\w*|a distance|a distancia|por via telematica|webinar)\b")

# --- Language identification ----------------------------------------------------------------

STOPWORDS = {
    "en": {"the", "and", "of", "to", "in", "on", "for", "with", "was", "were", "is", "are", "that", "by", "as",
           "their", "both", "this", "from", "which", "have", "has", "be", "at", "an", "it"},
    "es": {"el", "la", "los", "las", "de", "del", "y", "en", "que", "por", "para", "con", "una", "se", "su",
           "sus", "al", "como", "sobre", "fue", "entre", "ambos", "lo", "es"},
    "pt": {"o", "os", "as", "do", "da", "dos", "das", "e", "em", "que", "por", "para", "com", "uma", "um",
           "seu", "sua", "ao", "no", "na", "nos", "nas", "pela", "pelo", "foi", "entre", "ambos", "a", "de",
           "sobre", "também", "são", "é", "à", "às", "pelas", "pelos", "seus", "suas", "não"},
    "fr": {"le", "la", "les", "de", "des", "du", "et", "en", "que", "qui", "pour", "par", "avec", "une", "un",
           "sur", "au", "aux", "leur", "leurs", "est", "ont", "dans", "ce", "cette", "a", "l", "d"},
    "de": {"der", "die", "das", "und", "den", "dem", "des", "mit", "von", "zu", "ist", "sich", "auf", "ein",
           "eine", "nicht", "auch", "wurde", "im", "zum", "zur", "für", "fur", "bei", "über", "uber"},
    "it": {"il", "lo", "gli", "della", "delle", "degli", "dei", "e", "di", "che", "per", "con", "una", "nel",
           "nella", "sono", "è", "ha", "hanno", "anche", "tra", "sul"},
    "nl": {"de", "het", "een", "en", "van", "op", "met", "voor", "zijn", "niet", "werd", "door", "naar", "ook",
           "dat", "bij", "uit", "heeft", "worden"},
}
