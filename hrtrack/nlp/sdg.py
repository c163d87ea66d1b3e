"""Sustainable Development Goals (the ``sdg-goals`` scheme, codes "1" to "17").

No UPR recommendation here is labelled with goals, so the model learns from weak labels (see
:mod:`hrtrack.nlp.weak`): a mapping of UPR Info issues to goals, goal lexicons in English and
Spanish, short descriptions of each goal written for this project (paraphrases of the goals
and their targets, as training documents), and a training set of its own written for this project
(``data/sdg-wordings.tsv``): each of the 169 targets in several wordings, English and Spanish, in
the styles of reports, recommendations, policy statements and programme descriptions. It is
measured on the expert-labelled SDG benchmark (``shared/data/sdg-benchmark``) with
:func:`evaluate_benchmark`, never tuned on it.

UHRI imports create an ``sdg-targets`` scheme (goals "16", targets "16.10" under them) as they
meet it; :func:`map_uhri_concepts` records goal "16" there as an exact match of goal "16" here,
and each target as narrower than its goal.
"""

import csv
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from hrtrack.lib.errors import InvalidInput

from .weak import WeakScheme, map_concepts

SCHEME = "sdg-goals"
GOALS = [str(n) for n in range(1, 18)]

#: UPR Info issue -> goals. Procedural issues (treaties, UPR process, special procedures) map to none.
ISSUE_MAP = {
    "poverty": ["1"], "esc-rights-general": ["1"], "development": ["1", "8"], "right-to-land": ["1", "2"],
    "right-to-food": ["2"],
    "right-to-health": ["3"], "hiv-aids": ["3"],
    "right-to-education": ["4"], "human-rights-education-and-training": ["4"],
    "womens-rights": ["5"],
    "right-to-water": ["6"],
    "labour": ["8"], "trafficking": ["8", "16"],
    "racial-discrimination": ["10"], "minorities": ["10"], "migrants": ["10"], "disabilities": ["10"],
    "indigenous-peoples": ["10"], "sexual-orientation-and-gender-identity": ["10"],
    "right-to-housing": ["11"],
    "environment": ["13"],
    "justice": ["16"], "impunity": ["16"], "detention": ["16"], "torture-and-other-cid-treatment": ["16"],
    "death-penalty": ["16"], "extrajudicial-executions": ["16"], "enforced-disappearances": ["16"],
    "corruption": ["16"], "nhri": ["16"], "human-rights-violations-by-state-agents": ["16"],
    "public-security": ["16"], "freedom-of-opinion-and-expression": ["16"], "freedom-of-the-press": ["16"],
    "human-rights-defenders": ["16"], "freedom-of-association-and-peaceful-assembly": ["16"],
    "elections": ["16"], "counter-terrorism": ["16"], "civil-society": ["16"],
    "technical-assistance-and-cooperation": ["17"],
}

#: Strong terms only: a weak label from the lexicon should rarely be wrong.
LEXICONS = {
    "1": r"poverty|poor|social protection|social security|pobreza|pobres|proteccion social",
    "2": r"hunger|malnutrition|undernourish\w*|food security|right to food|stunting|smallholder\w*"
         r"|agricultur\w*|farmers?|hambre|malnutricion|seguridad alimentaria|agricultura|agricultores",
    "3": r"health|maternal mortality|infant mortality|child mortality|hiv|aids|malaria|tuberculosis"
         r"|diseases?|vaccin\w*|immuni[sz]ation|medical|medicines?|salud|mortalidad materna|enfermedad\w*"
         r"|vih|sida|sanitari[ao]s?",
    "4": r"education|educational|schools?|schooling|literacy|teachers?|students?|enrolment|enrollment"
         r"|universit\w*|educacion|escuelas?|escolar\w*|alfabetizacion|docentes|estudiantes",
    "5": r"gender equality|women|girls|gender-based violence|gender based violence|female genital"
         r"|fgm|child marriage|early marriage|forced marriage|cedaw|igualdad de genero|mujeres|ninas"
         r"|violencia de genero",
    "6": r"drinking water|safe water|clean water|water and sanitation|sanitation|water supply"
         r"|water resources|wastewater|right to water|agua potable|saneamiento|recursos hidricos",
    "7": r"energy|electricity|renewable\w*|solar|fossil fuels?|energia|electricidad|renovables?",
    "8": r"decent work|employment|unemployment|labou?r|workers?|economic growth|child labou?r|forced labou?r"
         r"|wages?|jobs?|empleo|desempleo|trabajo decente|trabajadores|crecimiento economico|salario\w*",
    "9": r"infrastructure|industriali[sz]ation|industr\w*|innovation|research and development|internet access"
         r"|broadband|technolog\w*|infraestructura|industria\w*|innovacion|tecnologi\w*",
    "10": r"inequalit\w*|discrimination|social inclusion|inclusion of all|income inequality|migration policies"
          r"|desigualdad\w*|discriminacion|inclusion social",
    "11": r"housing|slums?|urban\w*|cities|city|public transport|informal settlements?|evictions?|vivienda"
          r"|ciudades|urban[ao]s?|asentamientos informales|desalojos?",
    "12": r"sustainable consumption|sustainable production|consumption and production|food waste|waste"
          r"|recycl\w*|chemicals|natural resources|consumo sostenible|produccion sostenible|residuos",
    "13": r"climate change|climate|global warming|greenhouse gas\w*|emissions|natural disasters?"
          r"|disaster risk|cambio climatico|clima|desastres naturales",
    "14": r"oceans?|marine|seas?|fish\w*|coastal|coral|pesca|oceanos?|marin[ao]s?|costas?",
    "15": r"forests?|deforestation|biodiversity|desertification|ecosystems?|wildlife|species|land degradation"
          r"|bosques?|deforestacion|biodiversidad|desertificacion|ecosistemas",
    "16": r"justice|judicia\w*|courts?|rule of law|torture|violence|corruption|bribery|impunity"
          r"|accountab\w*|transparen\w*|institutions?|birth registration|detention|peace|conflict"
          r"|freedom of expression|fundamental freedoms|justicia|tortura|violencia|corrupcion|impunidad"
          r"|instituciones|paz|conflicto",
    "17": r"international cooperation|technical assistance|development assistance|official development"
          r"|partnerships?|capacity-building|capacity building|debt|trade|cooperacion internacional"
          r"|asistencia tecnica|alianzas?",
}

#: Short descriptions of each goal and its targets, written for this project (English, Spanish).
DESCRIPTIONS = {
    "1": ["End poverty in all its forms everywhere.",
          "Eradicate extreme poverty for all people everywhere, measured as people living on less than $1.25 a day.",
          "Reduce the proportion of men, women and children of all ages living in poverty.",
          "Implement nationally appropriate social protection systems and floors for the poor and the vulnerable.",
          "Ensure equal rights to economic resources, access to basic services, ownership of land and property, "
          "microfinance.",
          "Build the resilience of the poor to climate-related extreme events and economic shocks.",
          "Poner fin a la pobreza en todas sus formas en todo el mundo; sistemas de protección social para los "
          "pobres."],
    "2": ["End hunger, achieve food security and improved nutrition and promote sustainable agriculture.",
          "Ensure access by all people to safe, nutritious and sufficient food all year round.",
          "End all forms of malnutrition, stunting and wasting in children under 5.",
          "Double the agricultural productivity and incomes of small-scale food producers, family farmers, "
          "pastoralists and fishers.",
          "Ensure sustainable food production systems and resilient agricultural practices; genetic diversity of "
          "seeds and crops.",
          "Poner fin al hambre, lograr la seguridad alimentaria y la mejora de la nutrición y promover la agricultura "
          "sostenible."],
    "3": ["Ensure healthy lives and promote well-being for all at all ages.",
          "Reduce the maternal mortality ratio and end preventable deaths of newborns and children under 5.",
          "End the epidemics of AIDS, tuberculosis, malaria and neglected tropical diseases; combat hepatitis.",
          "Reduce premature mortality from non-communicable diseases; promote mental health; prevent substance abuse.",
          "Halve deaths and injuries from road traffic accidents.",
          "Universal access to sexual and reproductive health-care services, including family planning.",
          "Achieve universal health coverage, access to essential medicines and vaccines.",
          "Garantizar una vida sana y promover el bienestar; reducir la mortalidad materna; cobertura sanitaria "
          "universal."],
    "4": ["Ensure inclusive and equitable quality education and promote lifelong learning opportunities for all.",
          "All girls and boys complete free, equitable and quality primary and secondary education.",
          "Access to quality early childhood development, care and pre-primary education.",
          "Equal access to affordable technical, vocational and tertiary education, including university.",
          "Eliminate gender disparities in education; literacy and numeracy for youth and adults.",
          "Education for sustainable development, human rights, gender equality and a culture of peace; "
          "more qualified teachers; safe school facilities; scholarships.",
          "Garantizar una educación inclusiva, equitativa y de calidad; escuelas, docentes y alfabetización."],
    "5": ["Achieve gender equality and empower all women and girls.",
          "End all forms of discrimination against all women and girls everywhere.",
          "Eliminate all forms of violence against all women and girls, including trafficking and sexual exploitation.",
          "Eliminate harmful practices, such as child, early and forced marriage and female genital mutilation.",
          "Recognize and value unpaid care and domestic work.",
          "Ensure women's full and effective participation and equal opportunities for leadership in political, "
          "economic and public life.",
          "Universal access to sexual and reproductive health and reproductive rights; women's rights to economic "
          "resources and ownership of land.",
          "Lograr la igualdad de género y empoderar a todas las mujeres y las niñas; eliminar la violencia contra "
          "las mujeres."],
    "6": ["Ensure availability and sustainable management of water and sanitation for all.",
          "Universal and equitable access to safe and affordable drinking water for all.",
          "Access to adequate and equitable sanitation and hygiene for all and end open defecation.",
          "Improve water quality by reducing pollution; halve untreated wastewater; increase recycling and reuse.",
          "Increase water-use efficiency and address water scarcity; integrated water resources management.",
          "Protect and restore water-related ecosystems, including mountains, forests, wetlands, rivers, aquifers "
          "and lakes.",
          "Garantizar la disponibilidad de agua potable y su gestión sostenible y el saneamiento para todos."],
    "7": ["Ensure access to affordable, reliable, sustainable and modern energy for all.",
          "Universal access to affordable, reliable and modern energy services and electricity.",
          "Increase substantially the share of renewable energy in the global energy mix.",
          "Double the global rate of improvement in energy efficiency.",
          "Clean energy research and technology, including renewable energy, energy efficiency and cleaner fossil-fuel "
          "technology; energy infrastructure.",
          "Garantizar el acceso a una energía asequible, segura, sostenible y moderna; energías renovables."],
    "8": ["Promote sustained, inclusive and sustainable economic growth, full and productive employment and decent "
          "work for all.",
          "Sustain per capita economic growth; higher levels of economic productivity through diversification and "
          "technological upgrading.",
          "Support productive activities, decent job creation, entrepreneurship and the growth of small enterprises.",
          "Full and productive employment and decent work for all women and men, young people and persons with "
          "disabilities, and equal pay for work of equal value.",
          "Reduce the proportion of youth not in employment, education or training.",
          "Eradicate forced labour, end modern slavery and human trafficking, and end child labour in all its forms.",
          "Protect labour rights and promote safe and secure working environments for all workers, including migrant "
          "workers.",
          "Sustainable tourism; access to banking, insurance and financial services.",
          "Promover el crecimiento económico, el empleo pleno y productivo y el trabajo decente para todos."],
    "9": ["Build resilient infrastructure, promote inclusive and sustainable industrialization and foster innovation.",
          "Develop quality, reliable, sustainable and resilient infrastructure, including regional and transborder "
          "infrastructure.",
          "Promote inclusive and sustainable industrialization and raise industry's share of employment.",
          "Access of small-scale industrial enterprises to financial services and integration into value chains.",
          "Upgrade infrastructure and retrofit industries with clean technologies.",
          "Enhance scientific research, upgrade technological capabilities, encourage innovation and research and "
          "development.",
          "Increase access to information and communications technology and universal access to the Internet.",
          "Construir infraestructuras resilientes, promover la industrialización sostenible y fomentar la innovación."],
    "10": ["Reduce inequality within and among countries.",
           "Sustain income growth of the bottom 40 per cent of the population.",
           "Empower and promote the social, economic and political inclusion of all, irrespective of age, sex, "
           "disability, race, ethnicity, origin, religion or economic or other status.",
           "Ensure equal opportunity and reduce inequalities of outcome by eliminating discriminatory laws, policies "
           "and practices.",
           "Adopt fiscal, wage and social protection policies to achieve greater equality.",
           "Representation of developing countries in global economic and financial institutions.",
           "Facilitate orderly, safe, regular and responsible migration and mobility of people through well-managed "
           "migration policies; reduce the transaction costs of migrant remittances.",
           "Reducir la desigualdad en los países y entre ellos; inclusión social, económica y política de todas las "
           "personas."],
    "11": ["Make cities and human settlements inclusive, safe, resilient and sustainable.",
           "Access for all to adequate, safe and affordable housing and basic services and upgrade slums.",
           "Access to safe, affordable, accessible and sustainable transport systems; expanding public transport.",
           "Inclusive and sustainable urbanization and participatory human settlement planning.",
           "Protect and safeguard the world's cultural and natural heritage.",
           "Reduce deaths and economic losses caused by disasters, including water-related disasters.",
           "Reduce the environmental impact of cities, air quality and municipal waste management.",
           "Universal access to safe, inclusive and accessible green and public spaces.",
           "Lograr que las ciudades y los asentamientos humanos sean inclusivos, seguros y sostenibles; vivienda "
           "adecuada."],
    "12": ["Ensure sustainable consumption and production patterns.",
           "Achieve the sustainable management and efficient use of natural resources.",
           "Halve per capita global food waste and reduce food losses along production and supply chains.",
           "Environmentally sound management of chemicals and all wastes throughout their life cycle.",
           "Substantially reduce waste generation through prevention, reduction, recycling and reuse.",
           "Encourage companies to adopt sustainable practices and sustainability reporting; sustainable public "
           "procurement; rationalize inefficient fossil-fuel subsidies.",
           "Garantizar modalidades de consumo y producción sostenibles; reducir los residuos."],
    "13": ["Take urgent action to combat climate change and its impacts.",
           "Strengthen resilience and adaptive capacity to climate-related hazards and natural disasters.",
           "Integrate climate change measures into national policies, strategies and planning.",
           "Improve education, awareness-raising and capacity on climate change mitigation, adaptation, impact "
           "reduction and early warning.",
           "Mobilize climate finance under the United Nations Framework Convention on Climate Change; greenhouse gas "
           "emissions.",
           "Adoptar medidas urgentes para combatir el cambio climático y sus efectos."],
    "14": ["Conserve and sustainably use the oceans, seas and marine resources for sustainable development.",
           "Prevent and reduce marine pollution, including marine debris and nutrient pollution.",
           "Sustainably manage and protect marine and coastal ecosystems; address ocean acidification.",
           "Regulate harvesting and end overfishing, illegal, unreported and unregulated fishing and destructive "
           "fishing practices; restore fish stocks.",
           "Conserve coastal and marine areas; access for small-scale artisanal fishers to marine resources and "
           "markets.",
           "Conservar y utilizar sosteniblemente los océanos, los mares y los recursos marinos; pesca sostenible."],
    "15": ["Protect, restore and promote sustainable use of terrestrial ecosystems, sustainably manage forests, "
           "combat desertification, and halt and reverse land degradation and halt biodiversity loss.",
           "Conservation and sustainable use of terrestrial and inland freshwater ecosystems, forests, wetlands, "
           "mountains and drylands.",
           "Halt deforestation, restore degraded forests and increase afforestation and reforestation.",
           "Combat desertification and restore degraded land and soil affected by drought and floods.",
           "Reduce the degradation of natural habitats, halt the loss of biodiversity and prevent the extinction of "
           "threatened species; end poaching and trafficking of protected species of flora and fauna.",
           "Fair and equitable sharing of the benefits of genetic resources; prevent invasive alien species.",
           "Proteger los ecosistemas terrestres, gestionar los bosques, luchar contra la desertificación y detener "
           "la pérdida de biodiversidad."],
    "16": ["Promote peaceful and inclusive societies, provide access to justice for all and build effective, "
           "accountable and inclusive institutions.",
           "Significantly reduce all forms of violence and related death rates everywhere.",
           "End abuse, exploitation, trafficking and all forms of violence against and torture of children.",
           "Promote the rule of law and ensure equal access to justice for all.",
           "Reduce illicit financial and arms flows and combat organized crime.",
           "Substantially reduce corruption and bribery in all their forms.",
           "Develop effective, accountable and transparent institutions; responsive, inclusive, participatory and "
           "representative decision-making.",
           "Provide legal identity for all, including birth registration.",
           "Ensure public access to information and protect fundamental freedoms; independent national human rights "
           "institutions; prevent violence and combat terrorism and crime.",
           "Promover sociedades pacíficas e inclusivas, facilitar el acceso a la justicia y construir instituciones "
           "eficaces y responsables; reducir la corrupción."],
    "17": ["Strengthen the means of implementation and revitalize the Global Partnership for Sustainable Development.",
           "Strengthen domestic resource mobilization, including international support for tax collection.",
           "Developed countries to implement fully their official development assistance commitments.",
           "Assist developing countries in attaining long-term debt sustainability.",
           "Enhance North-South, South-South and triangular regional and international cooperation on science, "
           "technology and innovation; technology transfer.",
           "Enhance international support for effective and targeted capacity-building in developing countries.",
           "Promote a universal, rules-based, open, non-discriminatory and equitable multilateral trading system.",
           "Enhance policy coherence; multi-stakeholder partnerships and public-private partnerships; data and "
           "statistics.",
           "Fortalecer los medios de implementación y revitalizar la Alianza Mundial para el Desarrollo Sostenible; "
           "cooperación internacional."],
}

#: The targets of each goal: how many numbered ones (1.1 to 1.5), then the lettered ones (1.a, 1.b).
TARGET_SHAPE = {"1": (5, "ab"), "2": (5, "abc"), "3": (9, "abcd"), "4": (7, "abc"), "5": (6, "abc"),
                "6": (6, "ab"), "7": (3, "ab"), "8": (10, "ab"), "9": (5, "abc"), "10": (7, "abc"),
                "11": (7, "abc"), "12": (8, "abc"), "13": (3, "ab"), "14": (7, "abc"), "15": (9, "abc"),
                "16": (10, "ab"), "17": (19, "")}
TARGETS = [f"{goal}.{t}" for goal in GOALS for t in
           [*map(str, range(1, TARGET_SHAPE[goal][0] + 1)), *TARGET_SHAPE[goal][1]]]

#: Sentences written for hrtrack on each target (English and Spanish; reports, recommendations,
#: policy statements, programme descriptions), a row each: targets (``7.2`` or ``7.2;13.2`` for a
#: sentence on two), language, style, text.
WORDINGS_FILE = Path(__file__).resolve().parent / "data" / "sdg-wordings.tsv"


def read_wordings(path: Path | str = WORDINGS_FILE) -> list[dict]:
    """The rows of the wordings file, each with its ``goals`` (those of its targets, in order)."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        row["targets"] = row["targets"].split(";")
        row["goals"] = list(dict.fromkeys(target.partition(".")[0] for target in row["targets"]))
    return rows


#: How many times each description document and each wording is a training row. Fixed, not tuned:
#: once, like each UPR recommendation. With the wordings every goal has at least 50 documents of its
#: own (the descriptions alone, 5 to 10 a goal, were repeated 3 times to make a few dozen).
DOCUMENT_REPEATS = 1


def documents() -> list[tuple[str, list[str]]]:
    """The training documents: the goals' descriptions, then the targets' wordings."""
    texts = [(text, [goal]) for goal, texts in DESCRIPTIONS.items() for text in texts]
    texts += [(row["text"], row["goals"]) for row in read_wordings()]
    return [document for document in texts for _repeat in range(DOCUMENT_REPEATS)]


SDGS = WeakScheme(SCHEME, "sdgs", ISSUE_MAP, LEXICONS, documents())


def read_benchmark(path: Path | str) -> tuple[list[str], list[str], np.ndarray]:
    """The SDG benchmark: texts, the goal each row asks about, and whether experts found it (bool)."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(_("No benchmark file at %(path)s.") % {"path": path})
    texts, goals, present = [], [], []
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"text", "sdg", "label"} - set(reader.fieldnames or [])
        if missing:
            raise InvalidInput(_("%(file)s lacks the columns %(columns)s.")
                               % {"file": path.name, "columns": ", ".join(sorted(missing))})
        for row in reader:
            texts.append(row["text"])
            goals.append(str(int(row["sdg"])))
            present.append(row["label"].strip().lower() in ("true", "1", "yes"))
    return texts, goals, np.array(present, dtype=bool)


def evaluate_benchmark(model, path: Path | str) -> dict:
    """For each row, is the row's goal present (its probability at or over the goal's threshold,
    both from training)? Accuracy per goal, averaged over goals as the published figures are, and
    the accuracy of always answering each goal's majority class, for comparison."""
    texts, goals, present = read_benchmark(path)
    index = {label: j for j, label in enumerate(model.labels)}
    probs = model.probabilities(texts)
    columns = np.array([index[g] for g in goals])
    scores = probs[np.arange(len(texts)), columns]
    predicted = scores >= model.thresholds[columns]
    per_goal = []
    for goal in sorted(set(goals), key=int):
        rows = np.array([g == goal for g in goals])
        gold, said = present[rows], predicted[rows]
        per_goal.append({
            "goal": goal, "rows": int(rows.sum()), "present": int(gold.sum()),
            "accuracy": round(float((gold == said).mean()), 4),
            "majority_rate": round(float(max(gold.mean(), 1 - gold.mean())), 4),
            "said_present": int(said.sum()),
        })
    return {
        "benchmark": str(path), "rows": len(texts),
        "average_accuracy": round(float(np.mean([g["accuracy"] for g in per_goal])), 4),
        "average_majority_rate": round(float(np.mean([g["majority_rate"] for g in per_goal])), 4),
        "row_accuracy": round(float((predicted == present).mean()), 4),
        "published_range": [0.697, 0.878],
        "per_goal": per_goal,
    }


def map_uhri_concepts() -> int:
    """Record UHRI's sdg-targets concepts met so far against the goals: a goal ("16") as an exact
    match, a target ("16.10") as narrower than its goal. Returns how many mappings were added."""
    from hrtrack.taxonomy.models import MappingRelation

    def match(code: str):
        goal, _dot, target = code.partition(".")
        return goal, (MappingRelation.NARROW if target else MappingRelation.EXACT)

    return map_concepts("sdg-targets", SCHEME, match)
