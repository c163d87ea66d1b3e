"""Spanish words of human-rights work and their English equivalents, for Spanish queries.

The corpus is mostly English: a Spanish query also looks for the English words. Two sources:
the taxonomy's concepts (each has ``label_es`` and ``label_en``), read from the database, and the
general vocabulary below. Keys are folded (lower case, no accents).
"""

from __future__ import annotations

from hrtrack.lib.text import ENGLISH_STOPWORDS as _ENGLISH_STOPWORDS
from hrtrack.lib.text import fold

SPANISH_STOPWORDS = frozenset("""
a al algo ante antes como con contra cual cuales cuando de del desde donde durante e el ella ellas
ellos en entre era es esa ese eso esta este esto estos estas fue han hay la las le les lo los mas
me mi mis muy ni no nos o para pero por que qui quien se sea ser si sin sobre su sus tambien te
tiene todo todos tras u un una unas uno unos y ya hemos dicho han sido nuestro nuestra
""".split())

#: Spanish words that are no English words: evidence of a Spanish query.
SPANISH_MARKERS = frozenset("""
derechos derecho humanos periodistas proteccion mujeres ninos ninas tortura desaparicion
desapariciones libertad expresion pueblos indigenas personas defensoras defensores violencia
trata migrantes discapacidad pobreza salud educacion vivienda agua trabajo justicia impunidad
corrupcion seguridad igualdad genero ninez infancia pena muerte detencion carcel elecciones
""".split())

ENGLISH_STOPWORDS = _ENGLISH_STOPWORDS  # kept under this name: the query reads it from here

#: General human-rights vocabulary, Spanish (folded) to English. A trailing * marks a prefix.
VOCABULARY: dict[str, list[str]] = {
    "derechos humanos": ["human rights"],
    "derecho": ["right", "law"],
    "derechos": ["rights"],
    "periodista": ["journalist"],
    "periodistas": ["journalists"],
    "prensa": ["press", "media"],
    "medios de comunicacion": ["media"],
    "libertad de expresion": ["freedom of expression"],
    "libertad de prensa": ["freedom of the press", "press freedom"],
    "expresion": ["expression"],
    "libertad": ["freedom", "liberty"],
    "proteccion": ["protection", "protect*"],
    "proteger": ["protect*"],
    "protejan": ["protect*"],
    "defensores": ["defenders"],
    "defensoras": ["defenders"],
    "personas defensoras": ["defenders"],
    "defensores de derechos humanos": ["human rights defenders"],
    "mujer": ["woman", "women"],
    "mujeres": ["women"],
    "nina": ["girl"],
    "ninas": ["girls"],
    "nino": ["child", "boy"],
    "ninos": ["children", "child"],
    "ninez": ["children", "child"],
    "infancia": ["children", "childhood"],
    "violencia": ["violence"],
    "violencia domestica": ["domestic violence"],
    "violencia de genero": ["gender-based violence"],
    "genero": ["gender"],
    "igualdad": ["equality"],
    "discriminacion": ["discrimination"],
    "tortura": ["torture"],
    "tratos crueles": ["cruel treatment"],
    "desaparicion": ["disappearance"],
    "desapariciones": ["disappearances"],
    "desaparicion forzada": ["enforced disappearance"],
    "desapariciones forzadas": ["enforced disappearances"],
    "ejecuciones": ["executions"],
    "pena de muerte": ["death penalty"],
    "pena capital": ["death penalty", "capital punishment"],
    "detencion": ["detention"],
    "detencion arbitraria": ["arbitrary detention"],
    "carcel": ["prison"],
    "carceles": ["prisons"],
    "prision": ["prison"],
    "presos": ["prisoners"],
    "policia": ["police"],
    "fuerzas armadas": ["armed forces"],
    "militares": ["military"],
    "impunidad": ["impunity"],
    "justicia": ["justice"],
    "tribunales": ["courts"],
    "poder judicial": ["judiciary"],
    "acceso a la justicia": ["access to justice"],
    "investigacion": ["investigation", "investigat*"],
    "investigar": ["investigat*"],
    "sancionar": ["punish*"],
    "victimas": ["victims"],
    "victima": ["victim"],
    "reparacion": ["reparation", "redress"],
    "corrupcion": ["corruption"],
    "migrantes": ["migrants"],
    "migracion": ["migration"],
    "refugiados": ["refugees"],
    "solicitantes de asilo": ["asylum seekers"],
    "asilo": ["asylum"],
    "desplazados": ["displaced"],
    "apatridia": ["statelessness"],
    "trata": ["trafficking"],
    "trata de personas": ["trafficking in persons", "human trafficking"],
    "trabajo infantil": ["child labour"],
    "trabajo": ["work", "labour"],
    "trabajadores": ["workers"],
    "pueblos indigenas": ["indigenous peoples"],
    "indigenas": ["indigenous"],
    "minorias": ["minorities"],
    "afrodescendientes": ["people of african descent"],
    "discapacidad": ["disability", "disabilities"],
    "personas con discapacidad": ["persons with disabilities"],
    "pobreza": ["poverty"],
    "salud": ["health"],
    "educacion": ["education"],
    "vivienda": ["housing"],
    "agua": ["water"],
    "alimentacion": ["food"],
    "tierra": ["land"],
    "medio ambiente": ["environment"],
    "cambio climatico": ["climate change"],
    "elecciones": ["elections"],
    "sociedad civil": ["civil society"],
    "religion": ["religion"],
    "asociacion": ["association"],
    "reunion pacifica": ["peaceful assembly"],
    "orientacion sexual": ["sexual orientation"],
    "identidad de genero": ["gender identity"],
    "terrorismo": ["terrorism"],
    "seguridad": ["security"],
    "seguridad publica": ["public security"],
    "defensoria": ["ombudsman"],
    "institucion nacional de derechos humanos": ["national human rights institution"],
    "ratificar": ["ratify"],
    "ratificacion": ["ratification", "ratify"],
    "convencion": ["convention"],
    "protocolo facultativo": ["optional protocol"],
    "tratado": ["treaty"],
    "ley": ["law", "legislation"],
    "leyes": ["laws", "legislation"],
    "legislacion": ["legislation"],
    "reforma": ["reform"],
    "plan nacional": ["national plan"],
    "compromiso": ["commitment"],
    "compromisos": ["commitments"],
    "recomendacion": ["recommendation"],
    "recomendaciones": ["recommendations"],
    "dialogo": ["dialogue"],
    "cooperacion": ["cooperation"],
    "capacitacion": ["training"],
    "formacion": ["training"],
    "matrimonio infantil": ["child marriage"],
    "feminicidio": ["femicide", "feminicide"],
    "abolir": ["abolish*"],
    "prevenir": ["prevent*"],
    "prevencion": ["prevention", "prevent*"],
    "garantizar": ["ensure", "guarantee"],
    "fortalecer": ["strengthen*"],
    "eliminar": ["eliminat*"],
    "combatir": ["combat*"],
    "poner fin": ["end"],
    "asesinatos": ["killings", "murders"],
    "amenazas": ["threats"],
    "ataques": ["attacks"],
    # General vocabulary of UPR recommendations: freedoms, justice, groups, economic and social
    # rights, the UN system. (Terms of the relevance set's Spanish queries are left out on purpose,
    # so that its figures measure the ranking, not a glossary written for it.)
    "libertad de reunion": ["freedom of assembly"],
    "libertad de asociacion": ["freedom of association"],
    "libertad de religion": ["freedom of religion"],
    "libertad de opinion": ["freedom of opinion"],
    "libertad sindical": ["freedom of association", "trade union*"],
    "sindicatos": ["trade unions"],
    "acceso a la informacion": ["access to information"],
    "difamacion": ["defamation"],
    "abuso sexual": ["sexual abuse"],
    "violencia sexual": ["sexual violence"],
    "violacion": ["rape", "violation"],
    "acoso": ["harassment"],
    "acoso sexual": ["sexual harassment"],
    "matrimonio forzado": ["forced marriage"],
    "matrimonio precoz": ["early marriage"],
    "embarazo adolescente": ["adolescent pregnancy", "teenage pregnancy"],
    "aborto": ["abortion"],
    "salud sexual y reproductiva": ["sexual and reproductive health"],
    "mortalidad materna": ["maternal mortality"],
    "mortalidad infantil": ["infant mortality", "child mortality"],
    "vih": ["hiv"],
    "sida": ["aids"],
    "salud mental": ["mental health"],
    "atencion medica": ["health care"],
    "seguridad social": ["social security"],
    "proteccion social": ["social protection"],
    "salario minimo": ["minimum wage"],
    "trabajo forzoso": ["forced labour"],
    "esclavitud": ["slavery"],
    "trabajadores migrantes": ["migrant workers"],
    "trabajo domestico": ["domestic work*"],
    "trabajadoras domesticas": ["domestic workers"],
    "consulta previa": ["prior consultation"],
    "recursos naturales": ["natural resources"],
    "empresas": ["business*", "companies"],
    "estado de derecho": ["rule of law"],
    "debido proceso": ["due process"],
    "juicio justo": ["fair trial"],
    "prision preventiva": ["pretrial detention", "pre-trial detention"],
    "malos tratos": ["ill-treatment"],
    "condiciones penitenciarias": ["prison conditions"],
    "sistema penitenciario": ["prison system"],
    "uso excesivo de la fuerza": ["excessive use of force"],
    "ejecuciones extrajudiciales": ["extrajudicial executions"],
    "discriminacion racial": ["racial discrimination"],
    "racismo": ["racism"],
    "xenofobia": ["xenophobia"],
    "discurso de odio": ["hate speech"],
    "delitos de odio": ["hate crimes"],
    "antisemitismo": ["antisemitism"],
    "personas mayores": ["older persons"],
    "adultos mayores": ["older persons"],
    "intersexuales": ["intersex"],
    "transgenero": ["transgender"],
    "nacionalidad": ["nationality"],
    "apatridas": ["stateless"],
    "educacion inclusiva": ["inclusive education"],
    "educacion primaria": ["primary education"],
    "escolarizacion": ["school enrolment", "enrolment"],
    "hambre": ["hunger"],
    "saneamiento": ["sanitation"],
    "agua potable": ["drinking water", "safe water"],
    "desalojos forzosos": ["forced evictions"],
    "desalojos": ["evictions"],
    "personas sin hogar": ["homeless*"],
    "desarrollo sostenible": ["sustainable development"],
    "cooperacion internacional": ["international cooperation"],
    "procedimientos especiales": ["special procedures"],
    "relatores especiales": ["special rapporteurs"],
    "invitacion permanente": ["standing invitation"],
    "examen periodico universal": ["universal periodic review"],
    "organos de tratados": ["treaty bodies"],
    "estatuto de roma": ["rome statute"],
    "corte penal internacional": ["international criminal court"],
    "conflicto armado": ["armed conflict"],
    "ninos soldados": ["child soldiers"],
    "minas antipersonal": ["landmines"],
    "desplazados internos": ["internally displaced"],
    "no devolucion": ["non-refoulement"],
    "participacion politica": ["political participation"],
    "empoderamiento": ["empowerment"],
    "transparencia": ["transparency"],
    "rendicion de cuentas": ["accountability"],
    "mecanismo nacional de prevencion": ["national preventive mechanism"],
    "defensor del pueblo": ["ombudsman"],
    "principios de paris": ["paris principles"],
    "independencia judicial": ["independence of the judiciary", "judicial independence"],
    "educacion en derechos humanos": ["human rights education"],
    "pobreza extrema": ["extreme poverty"],
    "grupos vulnerables": ["vulnerable groups"],
    "personas privadas de libertad": ["persons deprived of liberty"],
    "justicia juvenil": ["juvenile justice"],
    "justicia de menores": ["juvenile justice"],
    "abusos": ["abuses"],
    "detenidos": ["detainees"],
    "garantias": ["safeguards"],
}


def _content_key(text: str) -> tuple[str, ...]:
    return tuple(w for w in fold(text).replace("-", " ").split() if w not in SPANISH_STOPWORDS)


_VOCABULARY_BY_KEY = {_content_key(k): v for k, v in VOCABULARY.items()}
_taxonomy_cache: dict = {"stamp": None, "table": {}}


def taxonomy_table() -> dict[tuple[str, ...], list[str]]:
    """label_es -> label_en of every concept, read again when the concepts change."""
    from django.db.models import Count, Max

    from hrtrack.taxonomy.models import Concept

    stamp = tuple(Concept.objects.exclude(label_es="").aggregate(n=Count("id"), last=Max("id")).values())
    if stamp != _taxonomy_cache["stamp"]:
        table: dict[tuple[str, ...], list[str]] = {}
        for spanish, english in Concept.objects.exclude(label_es="").values_list("label_es", "label_en"):
            key = _content_key(spanish)
            if key and fold(spanish) != fold(english):
                # "Asylum-seekers - refugees": the parts, not the punctuation.
                table.setdefault(key, []).append(english.replace(" - ", " "))
        _taxonomy_cache.update(stamp=stamp, table=table)
    return _taxonomy_cache["table"]


def spanish_to_english(words: str, taxonomy: dict | None = None) -> list[str]:
    """English equivalents of a Spanish word or expression (function words aside), or [].
    ``taxonomy``: :func:`taxonomy_table`, when the caller looks up many expressions at once
    (one check of the concepts, not one per expression)."""
    key = _content_key(words)
    if not key:
        return []
    found = list(_VOCABULARY_BY_KEY.get(key, []))
    for english in (taxonomy if taxonomy is not None else taxonomy_table()).get(key, []):
        if english not in found:
            found.append(english)
    return found
