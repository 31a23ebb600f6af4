"""Wording of the synthetic corpus (``make_corpus.py``): topics by field of
work, meeting series, and the sentence templates of headlines, bodies and
quotations. All written for this generator; slots are ``{name}`` fields.
"""

from __future__ import annotations

#: field of work (id in fields_of_work.csv) -> topics, lower-case noun
#: phrases without commas (they end up in "a workshop on TOPIC")
TOPICS: dict[str, tuple[str, ...]] = {
    "arms-control": (
        "small arms and light weapons control", "the destruction of surplus ammunition",
        "the safe storage of conventional ammunition", "export controls on dual-use goods",
        "arms control verification", "the physical security of weapons depots",
    ),
    "border-management": (
        "border security and management", "risk analysis at border crossing points",
        "the detection of forged travel documents", "co-operation between border agencies",
        "integrated border management", "the patrolling of the green border",
    ),
    "combating-trafficking-in-human-beings": (
        "the identification of victims of trafficking", "trafficking in human beings for labour exploitation",
        "financial investigations into human trafficking", "the protection of trafficked children",
        "the prevention of trafficking in supply chains", "national referral mechanisms",
    ),
    "conflict-prevention-and-resolution": (
        "early warning and early action", "mediation and dialogue facilitation", "women in mediation",
        "confidence-building across dividing lines", "crisis management", "the settlement process",
    ),
    "countering-terrorism": (
        "preventing violent extremism and radicalization that lead to terrorism",
        "the protection of critical infrastructure", "countering the financing of terrorism",
        "advance passenger information systems", "the rehabilitation of returning terrorist fighters",
        "community resilience against violent extremism",
    ),
    "cyber-ict-security": (
        "confidence-building measures in cyberspace", "the investigation of cybercrime",
        "the protection of critical information infrastructure", "digital evidence in criminal proceedings",
        "national cyber incident response", "the security of information and communication technologies",
    ),
    "democratization": (
        "the legislative process", "political party financing", "public participation in decision-making",
        "parliamentary oversight", "local self-government", "the transparency of public institutions",
    ),
    "economic-activities": (
        "good economic governance", "anti-money laundering", "connectivity and trade facilitation",
        "the economic empowerment of women", "the fight against corruption", "the digital economy",
    ),
    "education": (
        "human rights education", "intercultural education", "education for sustainable development",
        "media literacy in schools", "the integration of schools", "teacher training on civic education",
    ),
    "elections": (
        "the resolution of electoral disputes", "voter registration", "election observation methodology",
        "the training of polling station staff", "the accessibility of elections for persons with disabilities",
        "campaign finance oversight",
    ),
    "environmental-activities": (
        "climate change and security", "water governance in shared river basins", "disaster risk reduction",
        "hazardous waste management", "environmental good governance", "the prevention of wildfires",
    ),
    "gender-equality": (
        "gender equality in the security sector", "preventing violence against women",
        "women's political participation", "gender mainstreaming", "women's economic empowerment",
        "the role of women in peace processes",
    ),
    "good-governance": (
        "integrity in public procurement", "asset declarations of public officials",
        "the prevention of conflicts of interest", "open government", "the protection of whistle-blowers",
        "the digitalization of public services",
    ),
    "human-rights": (
        "freedom of peaceful assembly", "the prevention of torture", "the rights of persons with disabilities",
        "national human rights institutions", "the protection of human rights defenders",
        "freedom of association",
    ),
    "media-freedom-and-development": (
        "the safety of journalists", "media self-regulation", "access to public information",
        "the independence of public service media", "countering disinformation",
        "the safety of female journalists online",
    ),
    "migration": (
        "labour migration governance", "the integration of migrants", "the protection of migrant workers",
        "migration data collection", "the return and reintegration of migrants",
    ),
    "national-minority-issues": (
        "the use of minority languages", "the participation of national minorities in public life",
        "multilingual education", "inter-ethnic relations", "the integration of diverse societies",
    ),
    "policing": (
        "community policing", "the investigation of organized crime", "police accountability",
        "intelligence-led policing", "hate crime investigations", "the fight against illicit drugs",
    ),
    "reform-and-co-operation-in-the-security-sector": (
        "security sector governance and reform", "democratic control of armed forces",
        "the parliamentary oversight of security services", "integrity in the defence sector",
        "the role of ombuds institutions in the security sector",
    ),
    "roma-and-sinti": (
        "the inclusion of Roma and Sinti", "access to civil registration for Roma",
        "the participation of Roma in public life", "housing for Roma communities",
        "the education of Roma and Sinti children",
    ),
    "rule-of-law": (
        "judicial independence", "the efficiency of criminal justice", "free legal aid",
        "the execution of court decisions", "trial monitoring", "the confiscation of criminal assets",
    ),
    "tolerance-and-non-discrimination": (
        "hate crime data collection", "combating antisemitism", "inter-religious dialogue",
        "freedom of religion or belief", "hate speech online", "the prevention of discrimination",
    ),
    "youth": (
        "youth engagement in peace and security", "youth participation in decision-making",
        "the prevention of youth radicalization", "youth entrepreneurship", "youth leadership",
    ),
}

#: fields of work -> audiences of training events
AUDIENCES: dict[str, tuple[str, ...]] = {
    "policing": ("police officers", "criminal investigators", "senior police managers", "police trainers"),
    "border-management": ("border guards", "customs officers", "border police officers"),
    "rule-of-law": ("judges and prosecutors", "defence lawyers", "court presidents", "legal professionals"),
    "elections": ("election officials", "members of election commissions", "civil society observers"),
    "media-freedom-and-development": ("journalists", "editors", "media lawyers", "young journalists"),
    "human-rights": ("human rights defenders", "ombudsperson staff", "civil society activists"),
    "youth": ("young leaders", "students", "youth activists"),
    "education": ("teachers", "school directors", "education officials"),
    "gender-equality": ("women police officers", "women entrepreneurs", "gender focal points"),
}
DEFAULT_AUDIENCES = (
    "government officials", "civil society representatives", "experts", "representatives of state institutions",
    "practitioners", "local officials",
)

#: generic event nouns: noun as written after "a"/"an", article, head words
EVENT_NOUNS = (
    ("training course", "a"), ("training", "a"), ("workshop", "a"), ("seminar", "a"),
    ("roundtable discussion", "a"), ("conference", "a"), ("study visit", "a"), ("expert meeting", "an"),
    ("webinar", "a"), ("simulation exercise", "a"), ("summer school", "a"), ("public discussion", "a"),
)

#: named meeting series: (name, acronym or "", month, days, venue rule, participants, fields of work)
#: venue rule: a city, "chair" (capital of the year's Chairpersonship) or "a|b|c" (rotating)
SERIES = (
    ("Annual Security Review Conference", "ASRC", 6, 3, "Vienna", 300,
     ("conflict-prevention-and-resolution", "arms-control", "reform-and-co-operation-in-the-security-sector", "countering-terrorism")),
    ("Annual Implementation Assessment Meeting", "AIAM", 3, 2, "Vienna", 200, ("arms-control",)),
    ("Economic and Environmental Forum", "EEF", 9, 3, "Prague|Vienna", 250,
     ("economic-activities", "environmental-activities", "good-governance", "migration")),
    ("Economic and Environmental Dimension Implementation Meeting", "EEDIM", 10, 2, "Vienna", 150,
     ("economic-activities", "environmental-activities", "good-governance")),
    ("Human Dimension Implementation Meeting", "HDIM", 9, 10, "Warsaw", 1000,
     ("human-rights", "democratization", "tolerance-and-non-discrimination", "roma-and-sinti", "national-minority-issues",
      "elections", "media-freedom-and-development", "gender-equality")),
    ("Annual Police Experts Meeting", "APEM", 10, 2, "Vienna", 100, ("policing", "combating-trafficking-in-human-beings")),
    ("Mediterranean Conference", "", 10, 2, "chair|Rome|Valletta|Athens|Nicosia|Madrid|Vienna", 150,
     ("migration", "economic-activities", "countering-terrorism", "youth")),
    ("Asian Conference", "", 6, 2, "Vienna", 120, ("cyber-ict-security", "economic-activities", "environmental-activities")),
    ("Alliance against Trafficking in Persons Conference", "", 4, 2, "Vienna", 300, ("combating-trafficking-in-human-beings",)),
    ("Gender Equality Review Conference", "GERC", 7, 2, "Vienna", 250, ("gender-equality",)),
    ("Counter-Terrorism Conference", "", 5, 2, "chair|Vienna|Rome|Bratislava", 300, ("countering-terrorism",)),
    ("Central Asia Media Conference", "CAMC", 10, 2, "Bishkek|Dushanbe|Astana|Tashkent|Ashgabat", 100,
     ("media-freedom-and-development",)),
    ("South Caucasus Media Conference", "SCMC", 11, 2, "Tbilisi|Yerevan|Baku", 80, ("media-freedom-and-development",)),
    ("Cyber Security Conference", "", 11, 1, "Vienna|Bratislava|Warsaw", 200, ("cyber-ict-security",)),
    ("Youth Forum", "", 4, 2, "chair|Vienna", 120, ("youth", "education")),
)
#: series whose instances are written "the YEAR OSCE NAME"
SERIES_WITH_OSCE = {
    "Mediterranean Conference", "Asian Conference", "Counter-Terrorism Conference", "Cyber Security Conference",
    "Youth Forum", "Annual Police Experts Meeting",
}
REGIONS = ("Central Asia", "South-East Europe", "Eastern Europe", "the South Caucasus", "the Western Balkans")
#: fields -> title-case subjects of regional conferences "Regional Conference on X in REGION"
REGIONAL_SUBJECTS = (
    "Border Security and Management", "Cybercrime Investigations", "Judicial Co-operation", "Media Freedom",
    "Women, Peace and Security", "Preventing Violent Extremism", "Water Security", "Anti-Corruption Policies",
    "Migration Governance", "Trafficking in Human Beings", "Youth and Security", "Police Reform",
    "Electoral Reform", "Hate Crime Data", "Disaster Risk Reduction", "Arms Control and Disarmament",
)

# ----------------------------------------------------------------- headlines
HEADLINES_MEETING = (
    "{Topic} in focus at {event_short} in {city}",
    "{Topic} and {topic2} in focus as {audience} meet in {city}",
    "{Publisher} {supports_verb} {event_kind} on {topic} for {audience} in {city}",
    "{Audience} from {country} trained on {topic} in {city}",
    "{Number} {audience} from {country} complete OSCE {event_kind} on {topic}",
    "{Event_kind} on {topic} held in {city} with OSCE support",
    "Experts from {country} and {country2} discuss {topic} at OSCE-supported {event_kind}",
    "{Topic} discussed by {audience} in {city}",
    "{Publisher} and national partners bring together {audience} to discuss {topic}",
    "How to improve {topic}: {audience} meet in {city}",
    "{City} hosts OSCE {event_kind} on {topic} for {audience}",
    "{Audience} in {country} learn about {topic} at OSCE {event_kind}",
    "{Month} {event_kind} in {city} looks at {topic}",
    "OSCE {event_kind} in {city} explores {topic} and {topic2}",
    "Strengthening {topic}: OSCE {event_kind} for {audience} in {country}",
    "{Audience} and {audience2} meet in {city} to discuss {topic}",
    "{Publisher} brings {audience} from {country} together on {topic}",
    "Good practices in {topic} shared at OSCE {event_kind} in {city}",
)
#: (headline, first sentence) of items that report no meeting
NEWS = (
    ("{Publisher} hands over equipment to support work on {topic} in {country}",
     "The {publisher} has handed over equipment to support work on {topic} in {country}."),
    ("New publication on {topic} presented in {city}",
     "A new publication on {topic} was presented by the {publisher} to {audience} and the public in {city}."),
    ("{Publisher} continues support to {country} on {topic}",
     "The {publisher} continues its support to the authorities of {country} in the area of {topic}."),
    ("Progress on {topic} reviewed by {audience} and OSCE",
     "{Audience} and the {publisher} reviewed the progress made on {topic} over the past year."),
    ("{Topic}: {publisher} publishes assessment",
     "The {publisher} has published an assessment of {topic} in {country}, with recommendations for the authorities."),
    ("Survey on {topic} presented in {city}",
     "The results of a survey on {topic} were presented in {city} by the {publisher}."),
    ("{Country} and OSCE discuss next steps on {topic}",
     "Representatives of {country} and the {publisher} discussed the next steps on {topic}."),
    ("{Topic} remains a priority, {publisher} says",
     "The {publisher} says that {topic} remains one of its priorities for the coming year."),
    ("Online course on {topic} launched for {audience}",
     "An online course on {topic} for {audience} was launched by the {publisher}."),
    ("{Publisher} marks anniversary with focus on {topic}",
     "The {publisher} marked the anniversary of its work in {country} with a look back at its support to {topic}."),
)
HEADLINES_STATEMENT = (
    "{Office} {statement_verb} {statement_object} in {country}",
    "{Office} calls for renewed commitment to {topic} in {country}",
    "{Office} welcomes progress on {topic} in {country}",
    "{Office} concerned about {concern} in {country}",
    "{Country}: {office} {statement_verb} {statement_object}",
    "{Office} on {month} anniversary: {topic} needs {adj} institutions",
)
STATEMENT_VERBS = ("welcomes", "condemns", "expresses concern over", "calls for", "commends")
STATEMENT_OBJECTS = {
    "welcomes": ("adoption of new law on {topic}", "release of detained journalists", "agreement between the sides"),
    "condemns": ("attack on journalists", "violence against election observers", "attack on peaceful protesters"),
    "expresses concern over": ("restrictions on {topic}", "pressure on civil society", "detention of a blogger"),
    "calls for": ("restraint and dialogue", "swift investigation of attack on a reporter", "stronger action on {topic}"),
    "commends": ("conduct of elections", "co-operation on {topic}", "efforts to protect {topic}"),
}
CONCERNS = (
    "pressure on independent media", "restrictions on peaceful assembly", "the safety of journalists",
    "the situation of human rights defenders", "rising hate speech", "the detention of activists",
)
SUPPORTS_VERBS = ("supports", "organizes", "hosts", "co-organizes", "facilitates")

# --------------------------------------------------------------- quotations
ACTORS = (
    "governments, civil society and the media", "all participating States", "national institutions",
    "young people", "local communities", "law enforcement agencies", "our partners in the region",
    "parliamentarians", "women and men alike", "state institutions and civil society", "the authorities",
    "all of us", "practitioners on the ground", "international partners",
)
GOALS = (
    "lasting security", "public trust", "sustainable development", "stability in the region",
    "the rule of law", "safety for everyone", "comprehensive security", "peace and prosperity",
    "resilient societies", "democratic governance", "mutual confidence",
)
VERBS = ("strengthen", "support", "step up", "advance", "expand", "reinforce", "improve", "sustain")
HELP_VERBS = ("support", "assist", "accompany", "advise")
ADJS = ("effective", "inclusive", "transparent", "accountable", "independent", "resilient", "professional", "modern")
TIMES = ("today", "now more than ever", "over the past decade", "in difficult times", "at every level", "in recent years")
FUTURE_TIMES = ("in the years ahead", "in the coming months", "for a long time", "well beyond this year", "in every community")
UNITS = ("Mission", "Office", "team", "Organization", "institution", "Presence")
NOUNS_EVENT = ("meeting", "event", "course", "exchange", "discussion", "training")
PEOPLE = ("officer", "journalist", "participant", "official", "trainee", "expert", "student")

#: sentences of quotations; {topic} is lower case, {Topic} capitalised
QUOTE_SENTENCES = (
    "{Topic} is not a task for one institution alone; it requires the engagement of {actors}",
    "We will continue to {verb} our work on {topic} together with {actors}",
    "{Actors} need {adj} institutions that they can trust",
    "The progress achieved {time} shows what is possible when {actors} work together",
    "Without {topic} we will not achieve {goal}",
    "I am encouraged by the commitment I have seen from {actors} {time}",
    "Our {unit} stands ready to {help} the authorities in their efforts on {topic}",
    "This {event} is an opportunity to share experience and to learn from each other",
    "{Adj} and {adj2} institutions are the best guarantee of {goal}",
    "Every {person} trained here takes new skills back to their community",
    "Progress on {topic} is a shared responsibility and a shared interest",
    "We have come a long way, but much remains to be done on {topic}",
    "The commitments we have all made are clear, and now is the time to implement them",
    "Investing in {topic} means investing in {goal}",
    "It is our duty to listen to {actors} and to act on what we hear",
    "No country can address these challenges on its own",
    "The results of this work will be felt {ftime}",
    "We must make sure that {actors} are part of the solution",
    "Dialogue is the only way forward, and our {unit} will keep its doors open",
    "Trust is built slowly and lost quickly, which is why {topic} matters so much",
    "I call on {actors} to {verb} their efforts on {topic} with determination",
    "The new curriculum will help to {verb} the work on {topic} {ftime}",
    "Practical co-operation like this is what makes a difference on the ground",
    "Our aim is simple: {adj} institutions that serve the people",
    "The challenges we face {time} require {adj} answers",
    "I thank {actors} for their dedication and their trust",
    "Progress on {topic} depends on political will as much as on resources",
    "Let me be clear: {topic} is not optional",
    "Together we can {verb} the work on {topic} and build {goal}",
    "Experience from across the OSCE area shows that {topic} works best when {actors} are involved",
)

# ------------------------------------------------------------- body prose
FILLERS = (
    "Participants discussed {topic}, {topic2} and the role of {actors}.",
    "The event is part of a long-term project on {topic} that the {unit_short} has implemented since {year0}.",
    "Representatives of {state} and {state2} shared examples of good practice.",
    "The {unit_short} will publish a summary of the recommendations in the coming weeks.",
    "The activity was funded through extra-budgetary contributions from {state} and {state2}.",
    "Participants also looked at how {topic2} can be improved through better co-ordination among institutions.",
    "The discussions built on the commitments that all participating States have made in the area of {topic}.",
    "Practical exercises and case studies formed a large part of the programme.",
    "A follow-up event is planned for next year.",
    "The OSCE commitments in this area date back to the Helsinki Final Act of 1975.",
    "Experts from {state} presented the lessons learned from reforms in their country.",
    "Since {year0}, more than {n_small} professionals have taken part in similar activities.",
    "The recommendations will feed into the national action plan on {topic}.",
    "Participants agreed that {topic} requires sustained attention and resources.",
    "The {unit_short} works with the authorities of {host} on {topic} and {topic2}.",
    "Women made up almost half of the participants.",
)
INTRO_VERBS = (
    "underlined the importance of {topic}", "stressed the need for {adj} institutions",
    "highlighted recent progress on {topic}", "noted the contribution of {actors}",
    "welcomed the commitment of the authorities to {topic}", "pointed out the remaining gaps in {topic}",
)
SPEECH_INTROS = (
    "Speaking at the opening", "Addressing the participants", "Opening the event", "In the opening session",
    "Closing the event", "Speaking to the press",
)
