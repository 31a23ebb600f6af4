"""Name material for the synthetic corpus (``make_corpus.py``).

Given names and family names by language, combined at random into a fixed
pool of invented officials. Family names with a feminine form are written
``"masculine|feminine"``; ``_`` joins the words of a two-word family
name ("van_Dijk", "Fernández_Castro"). No combination is meant to name a real person.
"""

from __future__ import annotations

#: language -> (masculine given names, feminine given names, family names)
LANGUAGES: dict[str, tuple[str, str, str]] = {
    "sq": (
        "Arben Ilir Besnik Gentian Dritan Erion Fatos Kreshnik",
        "Elira Mirela Anila Brikena Valbona Jonida Lindita Entela",
        "Krasniqi Berisha Gashi Shehu Dervishi Kola Leka Marku Hysa Bajrami",
    ),
    "sr": (
        "Nikola Dragan Goran Miloš Željko Dario Emir Tarik Vladimir Srđan",
        "Jelena Dragana Maja Ivana Snežana Amra Lejla Tijana Mirjana Azra",
        "Petrović Jovanović Đorđević Kovačević Babić Horvat Hodžić Begović Vuković Radulović Knežević Šarić Mujić Lalić",
    ),
    "mk": (
        "Aleksandar Bojan Zoran Dejan",
        "Biljana Elena Marija Katerina",
        "Stojanovski|Stojanovska Trajkovski|Trajkovska Nikolovski|Nikolovska Angelovski|Angelovska",
    ),
    "sl": ("Matej Primož Rok Gregor", "Špela Urška Nina Mojca", "Zupančič Kranjc Potočnik Vidmar Golob"),
    "bg": (
        "Georgi Dimitar Ivaylo Stoyan",
        "Desislava Radostina Tsvetelina Milena",
        "Dimitrov|Dimitrova Georgiev|Georgieva Todorov|Todorova Stoyanov|Stoyanova",
    ),
    "ro": (
        "Andrei Mihai Ion Vlad Ștefan Radu Sorin",
        "Ioana Cristina Oana Mihaela Corina Doina",
        "Popescu Ionescu Munteanu Ciobanu Moraru Țurcanu Cojocaru Botnaru Stoica",
    ),
    "el": (
        "Nikos Giorgos Dimitris Kostas Yannis Andreas",
        "Eleni Katerina Despina Maria Vasiliki Theodora",
        "Papadopoulos|Papadopoulou Karagiannis|Karagianni Vlachos|Vlachou Antoniou Christodoulou Konstantinou",
    ),
    "tr": ("Mehmet Emre Burak Kerem Ozan", "Ayşe Zeynep Elif Selin Deniz", "Yılmaz Kaya Demir Şahin Çelik Öztürk Aydın Arslan"),
    "ka": ("Giorgi Levan Davit Irakli Zurab", "Nino Tamar Ketevan Mariam Eka", "Beridze Kapanadze Gelashvili Lomidze Tsiklauri Chkheidze Japaridze"),
    "hy": ("Aram Tigran Armen Hovhannes Vahe", "Anahit Lusine Gayane Siranush Arpine", "Petrosyan Hakobyan Sargsyan Grigoryan Avetisyan Harutyunyan"),
    "az": (
        "Elnur Rashad Tural Farid Orkhan",
        "Leyla Aynur Günel Nigar Sevinj",
        "Huseynov|Huseynova Guliyev|Guliyeva Rzayev|Rzayeva Məmmədli Ismayilov|Ismayilova",
    ),
    "kk": (
        "Nurlan Yerlan Daniyar Askar Timur",
        "Aigerim Saule Zhanar Aliya Dinara",
        "Abenov|Abenova Zhaksybekov|Zhaksybekova Nurpeisov|Nurpeisova Omarov|Omarova Seitkali Bekmukhambetov|Bekmukhambetova",
    ),
    "ky": (
        "Aibek Bakyt Emil Tilek Kanat",
        "Aizhan Gulnara Nazira Cholpon Aidai",
        "Osmonaliev|Osmonalieva Toktogulov|Toktogulova Mamytov|Mamytova Bekboev|Bekboeva Sydykov|Sydykova",
    ),
    "tg": (
        "Farrukh Jamshed Firdavs Parviz Bahrom",
        "Malika Nigina Zarina Shabnam Farzona",
        "Nazarov|Nazarova Saidov|Saidova Qodirov|Qodirova Sharipov|Sharipova Davlatov|Davlatova",
    ),
    "uz": (
        "Dilshod Bekzod Sardor Otabek Jasur",
        "Gulnoza Shahnoza Madina Feruza Nodira",
        "Yusupov|Yusupova Tursunov|Tursunova Rakhimov|Rakhimova Ergashev|Ergasheva Khodjaev|Khodjaeva",
    ),
    "tk": (
        "Merdan Batyr Dovlet Myrat",
        "Maral Ogulgerek Aynabat Jennet",
        "Annayev|Annayeva Orazov|Orazova Atayev|Atayeva Gurbanov|Gurbanova",
    ),
    "mn": ("Ganbold Tömör Bat-Erdene Enkhbat", "Oyunchimeg Solongo Enkhjargal Sarangerel", "Batsaikhan Dorjsuren Tserendorj Altangerel"),
    "uk": (
        "Oleksandr Andriy Taras Bohdan Mykola Yurii",
        "Olena Oksana Iryna Nataliya Halyna Yuliia",
        "Kovalenko Shevchuk Bondarenko Tkachenko Melnyk Marchenko Hnatyuk Savchenko Rudenko",
    ),
    "be": ("Siarhei Aliaksandr Yauhen Dzmitry", "Volha Tatsiana Hanna Yuliya", "Kavalchuk Zhuk Sakalouski|Sakalouskaya Navumchyk"),
    "ru": (
        "Dmitri Sergei Pavel Mikhail Konstantin",
        "Anna Yekaterina Svetlana Olga Natalia",
        "Sokolov|Sokolova Volkov|Volkova Morozov|Morozova Lebedev|Lebedeva Orlov|Orlova Belov|Belova",
    ),
    "pl": (
        "Piotr Krzysztof Paweł Marek Łukasz Grzegorz",
        "Agnieszka Małgorzata Katarzyna Joanna Ewa Dorota",
        "Wiśniewski|Wiśniewska Zieliński|Zielińska Wójcik Kamiński|Kamińska Lewandowski|Lewandowska Dąbrowski|Dąbrowska Nowicki|Nowicka",
    ),
    "cs": (
        "Jiří Tomáš Petr Martin Ján Ondřej",
        "Lucie Tereza Zuzana Jana Kateřina",
        "Dvořák|Dvořáková Novotný|Novotná Svoboda|Svobodová Kučera|Kučerová Procházka|Procházková Hrubý|Hrubá",
    ),
    "hu": ("László Gábor Péter Zoltán Balázs", "Zsófia Katalin Eszter Réka Orsolya", "Kovács Nagy Tóth Szabó Farkas Balogh Varga Mészáros"),
    "lt": (
        "Mindaugas Darius Tomas Vytautas",
        "Rūta Agnė Eglė Jurgita",
        "Kazlauskas|Kazlauskienė Petrauskas|Petrauskaitė Jankauskas|Jankauskienė Žukauskas|Žukauskaitė",
    ),
    "lv": ("Jānis Andris Mārtiņš Edgars", "Inese Ilze Laura Dace", "Bērziņš|Bērziņa Kalniņš|Kalniņa Ozols|Ozola Liepiņš|Liepiņa"),
    "et": ("Tarmo Kristjan Margus Priit", "Triin Kadri Liis Merike", "Tamm Saar Sepp Mägi Kask Rebane"),
    "sv": ("Anders Johan Magnus Fredrik Erik", "Åsa Ingrid Karin Elin Maria", "Lindqvist Bergström Sjöberg Nyström Åkesson Holmberg Wallin"),
    "no": ("Øystein Håvard Eirik Torbjørn", "Sigrid Kari Ingeborg Solveig", "Haugen Bakke Solheim Dahl Strand Lunde"),
    "da": ("Søren Rasmus Mads Jesper", "Mette Louise Camilla Trine", "Kjær Sørensen Mikkelsen Lauridsen Holm"),
    "fi": ("Mikko Juha Antti Jukka Pekka", "Päivi Sanna Anu Riikka Hanna", "Virtanen Mäkinen Heikkinen Laaksonen Nieminen Salonen Koskinen"),
    "is": ("Sigurður Einar Gunnar", "Guðrún Helga Sigrún", "Jónsson Þórsson Guðmundsson"),
    "de": (
        "Jürgen Matthias Stefan Lukas Reto Florian Wolfgang",
        "Katharina Sabine Ulrike Annemarie Birgit Corinna",
        "Weiß Müller-Lang Hofer Brunner Egger Schneider Krämer Baumgartner Vogt Lechner Frick",
    ),
    "nl": ("Pieter Joost Willem Bram", "Annelies Marieke Femke Els", "van_Dijk de_Vries Janssens Peeters van_den_Broek Verhoeven Claes"),
    "fr": (
        "Étienne Thibault Olivier Mathieu François",
        "Amélie Camille Hélène Élodie Sylvie",
        "Lefèvre Moreau Girard Dubois Rousseau Faure Lambert Mercier",
    ),
    "it": (
        "Giuseppe Luca Matteo Alessandro Davide",
        "Giulia Chiara Francesca Silvia Valentina",
        "Ricci Esposito Bianchi Romano Colombo Ferraro Galli Marchetti",
    ),
    "mt": ("Joseph Mark Ryan", "Antonella Claire Josianne", "Borg Camilleri Farrugia Zammit"),
    "es": (
        "José Javier Pablo Miguel Álvaro",
        "Lucía Carmen Marta Elena Pilar",
        "Martínez Gómez Ruiz Navarro Jiménez Serrano Fernández_Castro Sánchez_Ortega",
    ),
    "pt": ("João Rui Tiago Nuno", "Inês Mariana Catarina Beatriz", "Ferreira Carvalho Sousa Pereira Almeida"),
    "en": (
        "James David Michael Robert Patrick Declan Thomas Andrew",
        "Sarah Emily Catherine Siobhán Aoife Rachel Helen Fiona",
        "Whitfield Harrington O'Connell McAllister Brennan Caldwell Thornton Ashworth Gallagher Reilly Holloway Dawson Pemberton",
    ),
}

#: participating State (ISO alpha-2) -> language of the names of its nationals
COUNTRY_LANGUAGE: dict[str, str] = {
    "AL": "sq", "RS": "sr", "ME": "sr", "BA": "sr", "HR": "sr", "MK": "mk", "SI": "sl", "BG": "bg",
    "RO": "ro", "MD": "ro", "GR": "el", "CY": "el", "TR": "tr", "GE": "ka", "AM": "hy", "AZ": "az",
    "KZ": "kk", "KG": "ky", "TJ": "tg", "UZ": "uz", "TM": "tk", "MN": "mn", "UA": "uk", "BY": "be",
    "RU": "ru", "PL": "pl", "CZ": "cs", "SK": "cs", "HU": "hu", "LT": "lt", "LV": "lv", "EE": "et",
    "SE": "sv", "NO": "no", "DK": "da", "FI": "fi", "IS": "is", "DE": "de", "AT": "de", "CH": "de",
    "LI": "de", "LU": "fr", "NL": "nl", "BE": "nl", "FR": "fr", "MC": "fr", "IT": "it", "SM": "it",
    "VA": "it", "MT": "mt", "ES": "es", "AD": "es", "PT": "pt", "GB": "en", "IE": "en", "US": "en",
    "CA": "en",
}
