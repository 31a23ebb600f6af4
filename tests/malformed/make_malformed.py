"""Writes the pages of tests/malformed/ (see README.md): run it to recreate
them byte for byte (`python tests/malformed/make_malformed.py`)."""
from pathlib import Path
import struct, zlib, random, codecs

D = Path(__file__).resolve().parent

def w(name, data):
    (D / name).write_bytes(data)

w("01-empty.txt", b"")

# PNG-like: signature, IHDR chunk (lots of NULs), then random bytes with NULs
rnd = random.Random(6)
ihdr = struct.pack(">IIBBBBB", 16, 16, 8, 6, 0, 0, 0)
png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
png += bytes(rnd.randrange(256) for _ in range(400)) + b"\x00" * 16
w("02-binary.txt", png)

cp1252 = """Newsroom
OSCE Mission to Serbia supports training for judges in Niš
Publishing date: 14 March 2022
Content type: News
Where we are: OSCE Mission to Serbia
What we do: Rule of law
Thirty judges from courts across Serbia completed a course on fair trial standards in Niš – the Mission’s third such course this year.
“Every citizen deserves a judge who knows the law and explains it clearly,” said Zoë Lefèvre, Rule of Law Adviser at the OSCE Mission to Serbia.
The course will be repeated in Kragujevac in the autumn.
"""
w("03-windows-1252.txt", cp1252.replace("\n", "\r\n").encode("cp1252"))

latin1 = """-
Our work
-
Fields of work
- Policing
- Border management
News Item
OSCE Programme Office in Dushanbe trains border guards
Border guards from Tajikistan completed a training course supported by the OSCE Programme Office in Dushanbe.
- Issued on:
- 18 May 2019
- Issued by:
- OSCE Programme Office in Dushanbe
- Fields of work:
- Border management
Twenty border guards completed the course at the training centre in Gissar, which Jürgen Größmann, a trainer from Austria, led with Søren Ærø.
"Good border management protects people and trade at the same time," said Jürgen Größmann, Senior Border Adviser at the OSCE Programme Office in Dushanbe.
The next course starts in the autumn (cost: 12 000 €).
""".replace(" (cost: 12 000 €)", " (cost: 12 000 ¤)")
w("04-latin-1.txt", latin1.encode("latin-1"))

moj = """Newsroom
OSCE Mission to Moldova supports a conference on local media
Publishing date: 2 April 2021
Content type: News
Where we are: OSCE Mission to Moldova
What we do: Media freedom and development
The Missionâ€™s conference brought together editors of local newspapers from both banks of the Dniester/Nistru River.
â€œLocal journalism keeps communities informed and connected,â€ said Ana Ciobanu, Media Officer at the OSCE Mission to Moldova.
"""
w("05-utf8-mojibake.txt", moj.encode("utf-8"))

trunc = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>OSCE Mission to Skopje supports youth debate on local elections | OSCE</title>
<link rel="canonical" href="https://www.osce.org/mission-to-skopje/500001">
</head>
<body>
<header><nav><ul><li><a href="/north-macedonia">North Macedonia</a></li></ul></nav></header>
<main>
<article>
<div class="content-type">News Item</div>
<h1>OSCE Mission to Skopje supports youth debate on local elections</h1>
<p><strong>Issued on:</strong> 8 September 2021</p>
<p>Forty students from secondary schools in Tetovo took part in a debate on local elections supported by the OSCE Mission to Skopje.</p>
<p>&ldquo;Young voters ask the hardest questions, and candidates should answer every one of them,&rdquo; said Elena Stojanovska, Project Officer at the OSCE Mission to Skopje.</p>
<p>The debate was broadcast by local tele<a href="https://www.osce.org/mission-to-skop"""
w("06-truncated.html", trunc.encode("utf-8"))

nav = """-
Our work
-
Fields of work
- Arms control
- Border management
- Policing
-
Participating States
- Albania
- Andorra
- Armenia
- Austria
-
Partners for Co-operation
- Algeria
- Egypt
"""
w("07-navigation-only.txt", nav.encode("utf-8"))

unclosed = """Newsroom
OSCE Centre in Bishkek holds workshop on community policing
Publishing date: 22 November 2022
Content type: News
Where we are: OSCE Programme Office in Bishkek
What we do: Policing
Police officers from Chui region discussed community policing at a workshop organized by the OSCE Programme Office in Bishkek.
“Trust between the police and residents is built in small daily encounters, said Aibek Toktogulov, Police Adviser at the OSCE Programme Office in Bishkek.
The workshop ended with a visit to a neighbourhood police station.
"""
w("08-unclosed-quotation.txt", unclosed.encode("utf-8"))

noattr = """Newsroom
OSCE Presence in Albania supports training on property registration
Publishing date: 3 February 2023
Content type: News
Where we are: OSCE Presence in Albania
What we do: Good governance
Officials from the State Cadastre Agency completed a training on property registration supported by the OSCE Presence in Albania.
“A clear property register protects every family that owns a home or a piece of land.”
The training continues in Shkodër and Vlorë next month.
"""
w("09-no-attribution.txt", noattr.encode("utf-8"))

hostile = """Newsroom
OSCE Mission to Serbia supports dialogue on {open} <data> in "local" government
Publishing date: 11 May 2022
Content type: News
Where we are: OSCE Mission to Serbia, Centre for <Open> "Data" {and} Local|Government \\ ^ `Studies`
What we do: Good governance
Municipal officials met in Novi Sad at an event organized by the Centre for <Open> "Data" {and} Local|Government \\ ^ `Studies` and the OSCE Mission to Serbia.
“Open data lets citizens see how every dinar of the municipal budget is spent,” said Nadia Haddad (نادية حداد), Director of the Institute for <Civic> "Tech" {Research} | \\ ^ `Policy` in Belgrade.
“Citizens who can read the budget can also question it, and that is healthy for democracy,” said Олена Коваленко, Adviser at the Office of‌ the Ombudsman of Serbia.
“We publish every contract the day it is signed, so that nobody has to ask for it,” said Yosef Ben‑David (יוסף בן דוד), Head of the Data Unit of the Novi‌Sad City Administration.
Ms. Zo\u200bë Ja\u200dne Smith\u2060 and Mr. Ali\u200e Rahman\u202e attended the event on behalf of the City Assembly of Novi Sad.
"""
w("10-hostile-names.txt", hostile.encode("utf-8"))

hostile_html = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>OSCE supports &lt;script&gt; literacy | OSCE</title>
<link rel="canonical" href="https://www.osce.org/news/a b<c>{d}|e\\f^g`h&quot;i">
</head>
<body>
<main>
<article>
<h1>Workshop on &lt;digital&gt; &quot;rights&quot; {and} \\ ^ ` | duties</h1>
<p><span class="label">Issued by:</span> Bureau for &lt;Civic&gt; &quot;Dialogue&quot; {Outreach} | \\ ^ `Media` , OSCE Mission to Montenegro</p>
<p><span class="label">Issued on:</span> 9 March 2023</p>
<p>Journalists from Podgorica attended a workshop on digital rights organized by the OSCE Mission to Montenegro.</p>
<p>&ldquo;Every newsroom needs a plan for the day its accounts are attacked online,&rdquo; said Marko &lt;Vuković&gt;, Media Adviser at the Bureau for &lt;Civic&gt; &quot;Dialogue&quot; {Outreach} in Podgorica.</p>
<p>&ldquo;Knowing the law is the first protection a reporter has,&rdquo; said Leila Darwish (ليلى درويش), Legal Officer at the OSCE Mission to Montenegro.</p>
</article>
</main>
</body>
</html>
"""
w("11-hostile-names.html", hostile_html.encode("utf-8"))

impossible = """-
Our work
-
Fields of work
- Elections
News Item
OSCE Office for Democratic Institutions and Human Rights deploys election observation mission
An election observation mission was deployed to observe the parliamentary elections.
- Issued on:
- 31 February 2021
- Issued by:
- OSCE Office for Democratic Institutions and Human Rights
- Fields of work:
- Elections
The mission, headed by Ambassador Katarina Nilsson, will remain in the country until 30 February 2021 and publish its findings on 31 April 2021.
"Observers will follow every stage of the process, from the campaign to the counting," said Ambassador Katarina Nilsson, Head of the Election Observation Mission.
"""
w("12-impossible-date.txt", impossible.encode("utf-8"))

listing = """Newsroom
News and press releases
News and press releases from the OSCE's global activities.
OSCE Mission to Bosnia and Herzegovina supports school inclusion project
Content type: News
Where we are: OSCE Mission to Bosnia and Herzegovina
What we do: Education
The OSCE Mission to Bosnia and Herzegovina launched a project on inclusive schools in Mostar...
OSCE Mission to Montenegro trains police on hate crime
Content type: News
Where we are: OSCE Mission to Montenegro
What we do: Policing, Tolerance and non-discrimination
Police officers from Nikšić completed a course on recognizing and investigating hate crimes...
OSCE Programme Office in Astana hosts seminar on green economy
Publishing date:
Content type: Press release
Where we are: OSCE Programme Office in Astana
What we do: Environmental activities
The seminar brought together experts on renewable energy from Central Asia...
"""
w("13-listing-no-dates.txt", listing.encode("utf-8"))

utf16 = """Newsroom
OSCE Mission to Moldova supports a summer school on human rights
Publishing date: 19 July 2021
Content type: News
Where we are: OSCE Mission to Moldova
What we do: Human rights
Thirty students from Chișinău and Tiraspol attended a summer school on human rights supported by the OSCE Mission to Moldova.
“Rights are learned best by people who meet and argue with each other,” said Ion Căpățână, Human Dimension Officer at the OSCE Mission to Moldova.
"""
w("14-utf-16.txt", codecs.BOM_UTF16_LE + utf16.replace("\n", "\r\n").encode("utf-16-le"))

declared = """<!DOCTYPE html>
<html lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>OSCE Centre in Ashgabat supports training on customs procedures | OSCE</title>
</head>
<body>
<main>
<article>
<h1>OSCE Centre in Ashgabat supports training on customs procedures</h1>
<p><span class="label">Issued on:</span> 27 October 2020</p>
<p><span class="label">Issued by:</span> OSCE Centre in Ashgabat</p>
<p>Customs officers from Turkmenistan’s border posts completed a course on risk management supported by the OSCE Centre in Ashgabat.</p>
<p>“Good risk management lets honest traders cross faster – and stops the others,” said Renée Brønstad, Economic and Environmental Officer at the OSCE Centre in Ashgabat.</p>
</article>
</main>
</body>
</html>
"""
w("15-latin-1-declared.html", declared.encode("cp1252"))

c1 = """Newsroom
OSCE Mission to Montenegro supports a conference on judicial ethics
Publishing date: 15 September 2020
Content type: News
Where we are: OSCE Mission to Montenegro
What we do: Rule of law
Judges from Montenegro discussed judicial ethics at a conference supported by the OSCE Mission to Montenegro.
\x93Ethics are not a rulebook, they are a habit,\x94 said Dragana Perović, Legal Officer at the OSCE Mission to Montenegro.
"""
w("16-c1-mojibake.txt", c1.encode("utf-8"))
